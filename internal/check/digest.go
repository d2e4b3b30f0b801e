package check

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"lmcpress/internal/content"
)

// A site moved in from another tool can have thousands of findings that a
// few causes explain: every link to the old blog's addresses, one theme
// key mistyped everywhere. Twenty lines of them, or eight thousand, tell
// nobody what to fix first; a digest by kind and cause does:
//
//	By kind and cause:
//	  1,334 broken-link errors in 310 files: links to 412 addresses under /blog/...: no page has these addresses
//	  56 front-matter errors in 56 files: unknown key "darft": did you mean "draft"?
//
// Build and check print the same digest (check's with its warnings too),
// made here from the findings, once a report has more than
// content.MaxReported of them.

// Cause is one kind and cause of findings: how many, in how many files.
type Cause struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	What     string   `json:"what"` // "links to 412 addresses under /blog/...: no page has these addresses"
	Count    int      `json:"count"`
	Files    int      `json:"files"`
}

// String is the cause's line in the digest.
func (c Cause) String() string {
	noun := string(c.Severity)
	if c.Count != 1 && c.Severity != Info {
		noun += "s"
	}
	s := fmt.Sprintf("%s %s %s in %s", thousands(c.Count), c.Rule, noun, plural(c.Files, "file"))
	if c.What != "" {
		s += ": " + c.What
	}
	return s
}

// linkRules are the rules whose findings are grouped by the address the
// link points at (Finding.Target), and what the group's line says of it.
var linkRules = map[string]string{
	RuleBrokenLink:   "no page has these addresses",
	RuleMissingImage: "no image has these addresses",
	RuleMissingFile:  "no file has these addresses",
	RuleBrokenAnchor: "the pages have no such headings",
}

// causeKey is the group a finding is counted in.
type causeKey struct {
	rule  string
	sev   Severity
	group string
}

// Causes groups findings by rule and cause, most first (errors before
// warnings): links by the first part of the address they point at (all
// the links to /blog/... together), front-matter problems by key, other
// findings by the name they are about when a few names explain them (a
// shortcode's, a Liquid tag's), else by rule alone.
func Causes(fs []Finding) []Cause {
	byRule := map[causeKey][]Finding{}
	for _, f := range fs {
		k := causeKey{rule: f.Rule, sev: f.Severity}
		byRule[k] = append(byRule[k], f)
	}
	var out []Cause
	for k, list := range byRule {
		groups := map[string][]Finding{}
		_, isLink := linkRules[k.rule]
		var relative map[string]bool
		if isLink {
			relative = relativeLinks(list)
		}
		for _, f := range list {
			g := f.Target
			switch {
			case relative[f.Message]:
				g = "\x00" + f.Message // one link written alike on many pages
			case isLink:
				g = linkGroup(g)
			case g == "":
				g = named(f.Message)
			}
			groups[g] = append(groups[g], f)
		}
		if !isLink && len(groups) > max(5, len(list)/3) {
			groups = map[string][]Finding{"": list} // names too many to explain anything
		}
		for g, gl := range groups {
			out = append(out, Cause{Rule: k.rule, Severity: k.sev, What: Mask(what(k.rule, g, gl, isLink)), Count: len(gl), Files: files(gl)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Severity != b.Severity {
			return sevRank(a.Severity) < sevRank(b.Severity)
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.What < b.What
	})
	return out
}

func sevRank(s Severity) int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	}
	return 2
}

// what says what a group of findings has in common.
func what(rule, group string, list []Finding, isLink bool) string {
	same := true
	for _, f := range list[1:] {
		if f.Message != list[0].Message {
			same = false
			break
		}
	}
	if same {
		return list[0].Message
	}
	if isLink {
		addrs := map[string]bool{}
		var first []string
		for _, f := range list {
			if !addrs[f.Target] {
				addrs[f.Target] = true
				first = append(first, f.Target)
			}
		}
		if len(addrs) == 1 {
			return list[0].Message // one address, linked in different words
		}
		if group == yearGroup {
			sort.Strings(first)
			return fmt.Sprintf("%s to %s dated as an old blog's, %s... to %s...: %s", linkNoun(rule), plural(len(addrs), "address"),
				firstPart(first[0]), firstPart(first[len(first)-1]), linkRules[rule])
		}
		prefix := commonPrefix(first)
		if group == "" {
			return fmt.Sprintf("%d addresses: %s", len(addrs), linkRules[rule])
		}
		return fmt.Sprintf("%s to %s under %s...: %s", linkNoun(rule), plural(len(addrs), "address"), prefix, linkRules[rule])
	}
	if group == "" {
		return ""
	}
	ex := list[0].Message
	if r := []rune(ex); len(r) > 100 {
		ex = string(r[:100]) + "..."
	}
	return fmt.Sprintf("%s (e.g. %s)", group, ex)
}

func linkNoun(rule string) string {
	if rule == RuleMissingImage {
		return "images"
	}
	return "links"
}

// relativeLinks are the messages of links written the same way on pages
// in different folders that resolve to different addresses: a relative
// link (`[term](g)`, a site's own convention) is one cause however many
// addresses it makes.
func relativeLinks(list []Finding) map[string]bool {
	targets := map[string]string{}
	out := map[string]bool{}
	for _, f := range list {
		if t, ok := targets[f.Message]; ok && t != f.Target {
			out[f.Message] = true
		}
		targets[f.Message] = f.Target
	}
	return out
}

// firstPart is the first part of a site address: "/blog/" for
// "/blog/2019/x/", "/about/" for itself, "" for none.
func firstPart(addr string) string {
	if addr == "" || !strings.HasPrefix(addr, "/") {
		return ""
	}
	if i := strings.IndexByte(addr[1:], '/'); i >= 0 {
		return addr[:i+2]
	}
	return addr
}

// yearGroup is the group of addresses that start with a year (/2015/03/x/),
// as a blog's posts are addressed by Jekyll's and WordPress's defaults:
// one cause however many years.
const yearGroup = "\x01years"

var yearPart = regexp.MustCompile(`^/(19|20)\d\d/$`)

// linkGroup is the group of a link's address: its first part, or
// yearGroup.
func linkGroup(addr string) string {
	g := firstPart(addr)
	if yearPart.MatchString(g) {
		return yearGroup
	}
	return g
}

// commonPrefix is the longest run of whole address parts the addresses
// share: "/blog/2019/" for /blog/2019/a/ and /blog/2019/b/.
func commonPrefix(addrs []string) string {
	p := addrs[0]
	for _, a := range addrs[1:] {
		for !strings.HasPrefix(a, p) {
			p = p[:len(p)-1]
		}
	}
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i+1]
	}
	return "/"
}

// named is the name a message is about, for grouping: the tag or
// variable of a template snippet it shows ({% image ... %} is
// "{% image %}", {{ "x" | team_link }} is "| team_link"), else the first
// name it quotes ("..." or `...`), else "".
var (
	quotedRe = regexp.MustCompile("\"([^\"]{1,60})\"|`([^`]{1,60})`")
	tagRe    = regexp.MustCompile(`(\{\{[<%]?|\{%)-?\s*([A-Za-z_][\w.-]*)`)
	filterRe = regexp.MustCompile(`\{\{[^}]*?\|\s*([A-Za-z_]\w*)`)
)

func named(msg string) string {
	if m := tagRe.FindStringSubmatch(msg); m != nil {
		closing := map[string]string{"{{": "}}", "{{<": ">}}", "{{%": "%}}", "{%": "%}"}[m[1]]
		return m[1] + " " + m[2] + " " + closing
	}
	if m := filterRe.FindStringSubmatch(msg); m != nil {
		return "| " + m[1]
	}
	if m := quotedRe.FindStringSubmatch(msg); m != nil {
		return m[0]
	}
	return ""
}

// frontMatterTarget is the key a front-matter or config message is about:
// `unknown key "darft"` or the key before its first colon ("date").
var keyRe = regexp.MustCompile(`^(unknown key "[^"]*"|[A-Za-z_][A-Za-z0-9_]*):`)

func frontMatterTarget(msg string) string {
	if m := keyRe.FindStringSubmatch(msg); m != nil {
		return m[1]
	}
	return ""
}

func files(list []Finding) int {
	seen := map[string]bool{}
	for _, f := range list {
		seen[f.File] = true
	}
	return len(seen)
}

// thousands writes n with commas: 1,334.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Digest is the lines a report with many findings ends with: a heading,
// then a line a cause (see Causes), at most maxCauses of them; nil for
// a report of at most content.MaxReported findings, which shows them all.
func Digest(fs []Finding) []string {
	if len(fs) <= content.MaxReported {
		return nil
	}
	cs := Causes(fs)
	out := []string{"By kind and cause:"}
	for i, c := range cs {
		if i == maxCauses {
			rest := 0
			for _, c := range cs[i:] {
				rest += c.Count
			}
			out = append(out, fmt.Sprintf("  and %d more causes of %s", len(cs)-i, plural(rest, "finding")))
			break
		}
		out = append(out, "  "+c.String())
	}
	return out
}

const maxCauses = 15

// DigestErrors is Digest of a failed build's errors (as Explain gives
// them): the findings among them, and the other errors (a template's)
// counted as such.
func DigestErrors(err error) []string {
	var fs []Finding
	for _, e := range content.Each(err) {
		var f Finding
		if errors.As(e, &f) {
			fs = append(fs, f)
		} else {
			fs = append(fs, Finding{File: "", Rule: "other", Severity: Error})
		}
	}
	return Digest(fs)
}
