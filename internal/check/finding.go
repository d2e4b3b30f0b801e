package check

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"lmcpress/internal/content"
)

// Severity says whether a finding stops publishing.
type Severity string

const (
	// Error: check exits non-zero; for patient data, the build refuses too.
	Error Severity = "error"
	// Warning: worth fixing; does not change the exit status.
	Warning Severity = "warning"
	// Info: for the record (a temporary redirect on another site).
	Info Severity = "info"
)

// severities is the one table of what stops publishing, read by check
// and by the build (through [Vet] and [VetLinks]): `lmcpress check` exits
// non-zero on a finding of a rule marked Error, and `lmcpress build`
// refuses to publish a site with one. The README's "What stops a build"
// is this table in words; keep the two together.
var severities = map[string]Severity{
	// Patient-identifiable data must never reach the web or the newsletter.
	RuleNHSNumber: Error, RuleDateOfBirth: Error, RulePostcode: Error, RuleHospitalNumber: Error,
	// A page that cannot be read, or two things at one address: the site
	// would not be what the files say.
	RuleConfig: Error, RuleFrontMatter: Error, RuleAddress: Error,
	// Nothing outside the site's folders may be read, let alone published.
	RuleSymlink: Error,
	// A file left in content/ that is not for the website (an export, a
	// script, a key): it is not published, and the editors should decide.
	RuleFileType: Error,
	// A page that would make the build run for minutes or fill the disk.
	RuleLimit: Error,
	// A reader who follows the link gets "page not found".
	RuleBrokenLink: Error, RuleMissingFile: Error, RuleMissingImage: Error,
	// A link that runs code or opens a file on the reader's computer: the
	// page would show it as a dead link (href=""), or run it.
	RuleUnsafeLink: Error,
	// A screen reader user is told nothing about the image (WCAG 1.1.1,
	// which public-sector sites must meet).
	RuleImageAlt: Error,
	// A shortcode lmcpress does not know, or one written wrong: the page
	// would show it as raw text, or lose what it holds (an image, a link).
	RuleShortcode: Error,
	// Worth fixing, but the page still works: the anchor's page opens at
	// its top; the alt text says something; headings, reviews and other
	// sites are for the editors to judge.
	RuleBrokenAnchor: Warning, RuleImageAltName: Warning, RuleHeadingLevel: Warning,
	RuleReviewDue: Warning, RuleReviewStale: Warning,
	RuleExternalLink: Warning, RuleExternalRedirect: Warning, // a temporary redirect is Info
	RuleAllow: Warning,
	// A document whose text could not be read: it may hold anything, and
	// a person must open it (a password-protected one is protected).
	RuleDocument: Warning,
}

// SeverityOf is the severity of a rule's findings (see severities); an
// unknown rule is an Error, so that a rule added without a decision stops
// publishing rather than slipping through.
func SeverityOf(rule string) Severity {
	if s, ok := severities[rule]; ok {
		return s
	}
	return Error
}

// Finding is one problem at one place. It is an error whose text is the
// report's line for it:
//
//	content/news/x.md:12:5: error nhs-number: ... (hint: ...)
type Finding struct {
	File     string   `json:"file"`   // as the user knows it: "content/news/x.md"
	Line     int      `json:"line"`   // 1-based; 0 when the whole file is meant
	Column   int      `json:"column"` // 1-based, in characters; 0 when unknown
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`    // e.g. "nhs-number"; the id lmcpress:allow takes
	Message  string   `json:"message"` // what is wrong
	Hint     string   `json:"hint"`    // what to do; may be ""
	// Target is what the finding is about, for the digest by cause
	// (Causes): the address a broken link or image points at, the
	// front-matter key. "" when the rule alone says it.
	Target string `json:"target,omitempty"`
}

// Error formats the finding as file:line:column: severity rule: message (hint: ...).
func (f Finding) Error() string {
	var b strings.Builder
	b.WriteString(f.File)
	if f.Line > 0 {
		fmt.Fprintf(&b, ":%d", f.Line)
		if f.Column > 0 {
			fmt.Fprintf(&b, ":%d", f.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(f.Text())
	return b.String()
}

// Text is the finding without its place: "error nhs-number: ... (hint: ...)",
// the words the preview's overlay shows beside the file, line and column.
func (f Finding) Text() string {
	s := fmt.Sprintf("%s %s: %s", f.Severity, f.Rule, f.Message)
	if f.Hint != "" {
		s += " (hint: " + f.Hint + ")"
	}
	return s
}

// As lets errors.As see a finding as a *content.Error, so that the build's
// content.Errors sorts it by file and line among its other errors.
func (f Finding) As(target any) bool {
	t, ok := target.(**content.Error)
	if ok {
		*t = &content.Error{File: f.File, Line: f.Line, Column: f.Column, Msg: f.Text(), Rule: f.Rule}
	}
	return ok
}

// masked is the finding with patient data starred out of its file name
// (maskName), message and hint (Mask): a front-matter error quotes the
// value it could not use, and a file may be named for a patient, and the
// report is read in CI logs.
func (f Finding) masked() Finding {
	f.File, f.Message, f.Hint, f.Target = maskName(f.File), Mask(f.Message), Mask(f.Hint), Mask(f.Target)
	return f
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	})
}

// Report is the result of checking a site.
//
// Its JSON form (lmcpress check --format json) is one object:
//
//	{
//	  "findings": [{"file": "content/news/x.md", "line": 12, "column": 5,
//	                "severity": "error", "rule": "nhs-number",
//	                "message": "...", "hint": "..."}],
//	  "external": [{"url": "https://www.bma.org.uk/", "checked": true, "status": 200,
//	                "location": "", "error": "",
//	                "links": [{"file": "content/gp-support.md", "line": 31, "column": 18}]}],
//	  "summary":  {"pages": 62, "errors": 0, "warnings": 3, "info": 0,
//	               "allowed": 1, "external": 14, "externalChecked": false},
//	  "notes":    ["not used by lmcpress: `weight` in 56 files (...)"],
//	  "causes":   [{"rule": "broken-link", "severity": "error", "count": 1334, "files": 310,
//	                "what": "links to 412 addresses under /blog/...: no page has these addresses"}]
//	}
//
// findings are sorted by file, line and column; external by URL. Both are
// always arrays, possibly empty. Fields are only ever added.
type Report struct {
	Findings []Finding      `json:"findings"`
	External []ExternalLink `json:"external"`
	Summary  Summary        `json:"summary"`
	// Notes sum up, once for the whole site, what was accepted without
	// being used (content.UnusedNotes): a Hugo theme's `weight` in every
	// file is one line, not a finding a file. The build prints the same.
	Notes []string `json:"notes"`
	// Causes are the findings by kind and cause, most first (see
	// [Causes]); the text report ends with them when it has many.
	Causes []Cause `json:"causes"`
}

// Summary counts a report.
type Summary struct {
	Pages           int  `json:"pages"` // Markdown files checked
	Errors          int  `json:"errors"`
	Warnings        int  `json:"warnings"`
	Info            int  `json:"info"`
	Allowed         int  `json:"allowed"`         // findings accepted by lmcpress:allow markers
	External        int  `json:"external"`        // distinct external addresses linked to
	ExternalChecked bool `json:"externalChecked"` // whether they were requested (--external)
}

// ExternalLink is one address on another site and every place linking to it.
type ExternalLink struct {
	URL      string     `json:"url"`
	Checked  bool       `json:"checked"`
	Status   int        `json:"status"`   // HTTP status; 0 when not checked or unreachable
	Location string     `json:"location"` // where a redirect points
	Error    string     `json:"error"`    // why it could not be reached
	Links    []Position `json:"links"`
}

// Position is a place in a file.
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func (r *Report) count() {
	r.Summary.Errors, r.Summary.Warnings, r.Summary.Info = 0, 0, 0
	for _, f := range r.Findings {
		switch f.Severity {
		case Error:
			r.Summary.Errors++
		case Warning:
			r.Summary.Warnings++
		default:
			r.Summary.Info++
		}
	}
	r.Summary.External = len(r.External)
}

// WriteText writes one line a finding, then a summary line.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(f.Error())
		b.WriteByte('\n')
	}
	for _, n := range r.Notes {
		b.WriteString("info: " + n + "\n")
	}
	for _, l := range Digest(r.Findings) {
		b.WriteString(l + "\n")
	}
	b.WriteString(r.SummaryLine())
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// SummaryLine sums the report up in one sentence.
func (r *Report) SummaryLine() string {
	s := r.Summary
	line := fmt.Sprintf("%s checked: %s, %s", plural(s.Pages, "page"), plural(s.Errors, "error"), plural(s.Warnings, "warning"))
	if s.Info > 0 {
		line += fmt.Sprintf(", %d info", s.Info)
	}
	if s.Allowed > 0 {
		line += fmt.Sprintf("; %s allowed by lmcpress:allow markers", plural(s.Allowed, "finding"))
	}
	switch {
	case s.External == 0:
	case s.ExternalChecked:
		line += fmt.Sprintf("; %s checked", plural(s.External, "external address"))
	default:
		line += fmt.Sprintf("; %s not checked (add --external to check them)", plural(s.External, "external address"))
	}
	return line
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "ss") {
		return fmt.Sprintf("%d %ses", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// WriteJSON writes the report as one indented JSON object (see [Report]).
func (r *Report) WriteJSON(w io.Writer) error {
	out := *r
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	if out.External == nil {
		out.External = []ExternalLink{}
	}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	if out.Causes == nil {
		out.Causes = []Cause{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Explain gives a build's errors in check's words, so that a problem reads
// the same from `lmcpress build`, `lmcpress check` and the preview's
// overlay: a content error (front matter, site.yaml, two things at one
// address) becomes the finding check reports for it; findings (patient
// data, links, alt text) and other errors (a template) stay as they are.
// The result is a content.Errors, capped as the build's are.
func Explain(err error) error {
	if err == nil {
		return nil
	}
	list := content.Each(err)
	out := make(content.Errors, 0, len(list))
	for _, e := range list {
		var f Finding
		var ce *content.Error
		switch {
		case errors.As(e, &f):
			out = append(out, f.masked())
		case errors.As(e, &ce) && (strings.HasPrefix(ce.File, "content/") || ce.Rule != ""):
			out = append(out, errFindings(ce, RuleFrontMatter)[0].masked())
		default:
			out = append(out, e)
		}
	}
	return out
}
