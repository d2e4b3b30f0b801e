package check

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// An allowance accepts a known false positive where it is:
//
//	Test patient 943 476 5919 from the NHS Digital spec. <!-- lmcpress:allow nhs-number -->
//
// The marker names one or more rule ids, separated by spaces, and covers
// the findings of those rules on its own line only. It must be in the page's
// text (not the front matter). check counts the findings allowed, and warns
// about markers that name an unknown rule or allow nothing.
//
// Inside a fenced code block a marker would be published as part of the
// sample, so a marker alone on the line just before a block's opening fence
// covers every line of the block instead; being an HTML comment block, it
// never reaches the page:
//
//	<!-- lmcpress:allow nhs-number -->
//	```text
//	NHS number: 943 476 5919
//	```
var allowRe = regexp.MustCompile(`<!--\s*lmcpress:allow\b([^>]*?)-->`)

// marker is one lmcpress:allow comment.
type marker struct {
	line, col int
	rules     []string
	used      map[string]bool
	// last is, for a marker before a code block's fence, the file line of
	// the block's last line (its closing fence, or the body's end); the
	// marker covers the lines after its own up to last. 0 otherwise.
	last int
}

// sheet collects the findings of one file, applying its allowances.
type sheet struct {
	name     string // the file as findings name it: see file
	unmasked bool   // name is still to be masked (see file)
	body     []byte
	bodyLine int   // file line of body[0]
	starts   []int // offsets of body's lines, made by lines() when first needed
	allow    map[int]*marker
	blocks   []*marker // markers before code blocks (marker.last set)
	findings []Finding
	allowed  int
	from     map[int]int // per body line, where the last located needle ended
}

// newSheet makes a file's sheet. Most pages have no finding and no marker,
// so the line index is only made when a position is first needed, and the
// markers are only looked for when there is an HTML comment (a quick
// search: '<' is rare in Markdown prose).
func newSheet(file string, body []byte, bodyLine int) *sheet {
	s := &sheet{name: file, body: body, bodyLine: max(bodyLine, 1)}
	if bytes.Contains(body, []byte("<!--")) && bytes.Contains(body, []byte("lmcpress:allow")) {
		for _, m := range allowRe.FindAllSubmatchIndex(body, -1) {
			line, col := s.pos(m[0])
			mk := s.allow[line]
			if mk == nil {
				mk = &marker{line: line, col: col, used: map[string]bool{}}
				if s.allow == nil {
					s.allow = map[int]*marker{}
				}
				s.allow[line] = mk
			}
			mk.rules = append(mk.rules, strings.Fields(string(body[m[2]:m[3]]))...)
		}
		for _, mk := range s.allow {
			if text, _ := s.lineText(mk.line); allowRe.Match(text) && len(bytes.TrimSpace(allowRe.ReplaceAll(text, nil))) == 0 {
				if last := s.codeBlockAfter(mk.line); last > 0 {
					mk.last = last
					s.blocks = append(s.blocks, mk)
				}
			}
		}
	}
	return s
}

// file is the file as the sheet's findings name it. A page's sheet
// masks its file name (maskName) only here, when a finding first needs
// it: masking scans the name as an address, slugged too, which was half
// of Vet's and VetLinks's cost on pages that, like nearly all, have no
// finding.
func (s *sheet) file() string {
	if s.unmasked {
		s.name, s.unmasked = maskName(s.name), false
	}
	return s.name
}

// codeBlockAfter returns the file line on which a fenced code block ends
// (its closing fence, or the last line when it is not closed) when one
// opens on the line after line; 0 when none does.
func (s *sheet) codeBlockAfter(line int) int {
	open, _ := s.lineText(line + 1)
	fence, ok := codeFence(open)
	if !ok {
		return 0
	}
	last := line + 1
	for l := line + 2; ; l++ {
		text, _ := s.lineText(l)
		if text == nil {
			return last // not closed: the block runs to the end
		}
		last = l
		if f, ok := codeFence(text); ok && f[0] == fence[0] && len(f) >= len(fence) && len(bytes.TrimSpace(text)) == len(f) {
			return l
		}
	}
}

// codeFence returns the fence a line opens with (three or more backticks
// or tildes, after at most three spaces), as CommonMark reads fences.
func codeFence(line []byte) ([]byte, bool) {
	t := bytes.TrimLeft(line, " ")
	if len(line)-len(t) > 3 || len(t) < 3 || (t[0] != '`' && t[0] != '~') {
		return nil, false
	}
	n := 0
	for n < len(t) && t[n] == t[0] {
		n++
	}
	if n < 3 || (t[0] == '`' && bytes.IndexByte(t[n:], '`') >= 0) {
		return nil, false
	}
	return t[:n], true
}

// lines returns the offsets of the body's lines, making them the first time.
func (s *sheet) lines() []int {
	if s.starts == nil {
		s.starts = make([]int, 1, 1+bytes.Count(s.body, []byte("\n")))
		for i, c := range s.body {
			if c == '\n' {
				s.starts = append(s.starts, i+1)
			}
		}
	}
	return s.starts
}

// pos turns an offset in body into a file line and a 1-based column in
// characters.
func (s *sheet) pos(off int) (line, col int) {
	starts := s.lines()
	i := sort.SearchInts(starts, off+1) - 1
	return s.bodyLine + i, utf8.RuneCount(s.body[starts[i]:off]) + 1
}

// lineText is the text of a file line of the body, without its newline.
func (s *sheet) lineText(line int) ([]byte, int) {
	starts := s.lines()
	i := line - s.bodyLine
	if i < 0 || i >= len(starts) {
		return nil, 0
	}
	end := len(s.body)
	if i+1 < len(starts) {
		end = starts[i+1] - 1
	}
	return s.body[starts[i]:end], starts[i]
}

// col finds the column of needle on a file line, moving on along the line
// as successive needles are found; 0 when it is not there.
func (s *sheet) col(line int, needles ...string) int {
	text, start := s.lineText(line)
	if text == nil {
		return 0
	}
	if s.from == nil {
		s.from = map[int]int{}
	}
	for _, n := range needles {
		if n == "" {
			continue
		}
		from := s.from[line]
		i := bytes.Index(text[from:], []byte(n))
		if i >= 0 {
			i += from
		} else if i = bytes.Index(text, []byte(n)); i < 0 {
			continue
		}
		s.from[line] = i + len(n)
		_, c := s.pos(start + i)
		return c
	}
	return 0
}

// add records a finding unless a marker on its line allows its rule. Its
// severity, unless set, is its rule's (see severities).
func (s *sheet) add(f Finding) {
	if f.Severity == "" {
		f.Severity = SeverityOf(f.Rule)
	}
	if f.Line > 0 && (s.allows(s.allow[f.Line], f.Rule) || s.allowsInBlock(f)) {
		s.allowed++
		return
	}
	s.findings = append(s.findings, f)
}

// allows reports whether mk names rule, and marks it used if so.
func (s *sheet) allows(mk *marker, rule string) bool {
	if mk == nil {
		return false
	}
	for _, r := range mk.rules {
		if r == rule {
			mk.used[r] = true
			return true
		}
	}
	return false
}

// allowsInBlock reports whether a marker before a code block that holds
// f's line allows it.
func (s *sheet) allowsInBlock(f Finding) bool {
	for _, mk := range s.blocks {
		if f.Line > mk.line && f.Line <= mk.last && s.allows(mk, f.Rule) {
			return true
		}
	}
	return false
}

// unusedMarkers warns about markers naming unknown rules or allowing
// nothing. ran says which rules were run (an external-link allowance is not
// unused when external links were not checked).
func (s *sheet) unusedMarkers(ran func(rule string) bool) {
	lines := make([]int, 0, len(s.allow))
	for l := range s.allow {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	for _, l := range lines {
		mk := s.allow[l]
		if len(mk.rules) == 0 {
			s.findings = append(s.findings, Finding{File: s.file(), Line: mk.line, Column: mk.col, Severity: SeverityOf(RuleAllow), Rule: RuleAllow,
				Message: "lmcpress:allow names no rule", Hint: "name the rule the line breaks, e.g. <!-- lmcpress:allow nhs-number -->"})
			continue
		}
		for _, r := range mk.rules {
			switch {
			case !knownRule(r):
				s.findings = append(s.findings, Finding{File: s.file(), Line: mk.line, Column: mk.col, Severity: SeverityOf(RuleAllow), Rule: RuleAllow,
					Message: fmt.Sprintf("lmcpress:allow %s: no rule has this name", r), Hint: "known rules: " + strings.Join(Rules, ", ")})
			case !mk.used[r] && ran(r) && mk.last > 0:
				s.findings = append(s.findings, Finding{File: s.file(), Line: mk.line, Column: mk.col, Severity: SeverityOf(RuleAllow), Rule: RuleAllow,
					Message: fmt.Sprintf("lmcpress:allow %s allows nothing on this line or in the code block after it", r), Hint: "remove the marker"})
			case !mk.used[r] && ran(r):
				s.findings = append(s.findings, Finding{File: s.file(), Line: mk.line, Column: mk.col, Severity: SeverityOf(RuleAllow), Rule: RuleAllow,
					Message: fmt.Sprintf("lmcpress:allow %s allows nothing on this line", r), Hint: "remove the marker, or move it to the line the finding is on (for a code block, alone on the line before its opening fence)"})
			}
		}
	}
}

func knownRule(r string) bool {
	for _, k := range Rules {
		if k == r {
			return true
		}
	}
	return false
}
