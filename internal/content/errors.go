package content

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is a problem in one file, at one line when the line is known.
// Its text is "content/news/x.md:3: date: cannot parse ...": the form editors
// and terminals turn into a link.
type Error struct {
	File string // path as the user knows it, e.g. "content/news/x.md"
	Line int    // 1-based; 0 when the problem is the whole file
	// Column is 1-based, in characters; 0 when unknown. Set by the
	// findings of internal/check that stop a build (see its Severity).
	Column int
	Msg    string // what is wrong and what to do
	Err    error  // underlying cause, if any
	// Rule is the rule internal/check reports the problem under, when it
	// is not the file's front matter (or site.yaml's settings):
	// [AddressTaken] for two things at one address.
	Rule string
}

func (e *Error) Error() string {
	if e.Line > 0 && e.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// MaxReported is how many errors [Errors] lists before it sums up the rest.
const MaxReported = 20

// Errors is every problem found in one stage, sorted by file and line, printed
// one a line and capped at MaxReported with "and N more errors".
type Errors []error

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i == MaxReported {
			if n := len(es) - MaxReported; n == 1 {
				b.WriteString("\n... and 1 more error")
			} else {
				fmt.Fprintf(&b, "\n... and %d more errors", n)
			}
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.Is and errors.As look through every error.
func (es Errors) Unwrap() []error { return es }

// Sorted returns es ordered by file, line and column, so reports are stable.
func (es Errors) Sorted() Errors {
	out := append(Errors(nil), es...)
	sort.SliceStable(out, func(i, j int) bool {
		var a, b *Error
		okA, okB := errors.As(out[i], &a), errors.As(out[j], &b)
		if !okA || !okB {
			return okA && !okB
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out
}

// Each returns the errors err holds: the list of an Errors, else err itself.
func Each(err error) []error {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// Err returns nil for no errors, else the sorted list.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es.Sorted()
}

// nearest returns the candidate closest to s by edit distance, or "" when none
// is close enough to be a plausible typo.
func nearest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := Distance(ls, strings.ToLower(c), 1<<30)
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD > max(1, len([]rune(s))/3)+1 {
		return ""
	}
	return best
}

// didYouMean formats a hint for an unknown name.
func didYouMean(s string, known []string) string {
	if n := nearest(s, known); n != "" {
		return fmt.Sprintf("did you mean %q?", n)
	}
	return "known keys: " + strings.Join(known, ", ")
}
