package check

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"lmcpress/internal/content"
)

// movedBlog is a site just moved in, as one literal: its pages link to the
// old blog's addresses (60 links to 30 addresses under /blog/2019/), to one
// page that is gone (12 links), to images left behind (8, under /images/);
// three files have the same typo'd key and three a bad date; and a few
// headings skip a level.
func movedBlog() fstest.MapFS {
	fsys := fstest.MapFS{
		"site.yaml":     file("title: Moved LMC\nbaseURL: https://lmc.example.org/\n"),
		"news/kept.md":  file("---\ntitle: Kept\ndate: 2024-01-01\n---\nKept.\n"),
		"about.md":      file("---\ntitle: About\n---\n## About\n\n#### Skipped\n"),
		"contact.md":    file("---\ntitle: Contact\n---\n## Contact\n\n#### Skipped\n"),
		"news/typo1.md": file("---\ntitle: T1\ndate: 2024-01-01\ndarft: true\n---\nx\n"),
		"news/typo2.md": file("---\ntitle: T2\ndate: 2024-01-01\ndarft: true\n---\nx\n"),
		"news/typo3.md": file("---\ntitle: T3\ndate: 2024-01-01\ndarft: true\n---\nx\n"),
	}
	for i := range 3 {
		fsys[fmt.Sprintf("news/date%d.md", i)] = file(fmt.Sprintf("---\ntitle: D\ndate: 2024-13-0%d\n---\nx\n", i+1))
	}
	for i := range 6 {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Page %d\ndate: 2024-02-01\n---\n\n", i)
		for j := range 10 {
			fmt.Fprintf(&b, "See [post](/blog/2019/post-%d/).\n\n", (i*10+j)%30)
		}
		fmt.Fprintf(&b, "[Gone](/news/gone/) and [gone again](/news/gone/).\n\n")
		fmt.Fprintf(&b, "[Old post](/%d/03/0%d/old-post.html)\n\n", 2014+i%3, i)
		if i < 3 { // a relative link, a different address from each folder
			fsys[fmt.Sprintf("dir%d/term.md", i)] = file("---\ntitle: Term\n---\nSee [the glossary](g).\n")
		}
		if i < 4 {
			fmt.Fprintf(&b, "![Logo](/images/logo-%d.png) ![Banner](/images/banner.png)\n", i)
		}
		fsys[fmt.Sprintf("news/page%d.md", i)] = file(b.String())
	}
	return fsys
}

// TestDigest: a report of many findings ends with them by kind and
// cause, the links grouped by the part of the address they share.
func TestDigest(t *testing.T) {
	rep, err := Site(context.Background(), Options{Content: movedBlog(), Visibility: content.Visibility{Now: testNow}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"By kind and cause:",
		"  60 broken-link errors in 6 files: links to 30 addresses under /blog/2019/...: no page has these addresses",
		"  12 broken-link errors in 6 files: link to /news/gone/: no page has this address",
		"  8 missing-image errors in 4 files: images to 5 addresses under /images/...: no image has these addresses",
		"  6 broken-link errors in 6 files: links to 6 addresses dated as an old blog's, /2014/... to /2016/...: no page has these addresses",
		"  3 broken-link errors in 3 files: link to g: no page has this address",
		"  3 front-matter errors in 3 files: date (e.g. date: cannot parse \"2024-13-01\": month out of range; write dates as YYYY-MM-DD, e.g. 2024-01-31)",
		"  3 front-matter errors in 3 files: unknown key \"darft\": did you mean \"draft\"?",
		"  2 heading-level warnings in 2 files: heading \"Skipped\" is level 4 after level 2: screen reader users navigate by heading levels, and a skipped level looks like missing content",
	}
	got := Digest(rep.Findings)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("digest:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), strings.Join(want, "\n")+"\n"+rep.SummaryLine()) {
		t.Errorf("the text report does not end with the digest:\n%s", text.String())
	}
	if len(rep.Causes) != 8 || rep.Causes[0].Count != 60 || rep.Causes[0].Files != 6 {
		t.Errorf("causes %+v", rep.Causes)
	}
}

func TestDigestSmallReport(t *testing.T) {
	fs := make([]Finding, content.MaxReported)
	if Digest(fs) != nil {
		t.Error("a digest for a report that shows every finding")
	}
}

// TestCausesByQuotedName: findings of one rule that quote a few names (a
// shortcode's) are grouped by the name; quoting a different one each
// (headings) they are not.
func TestCausesByQuotedName(t *testing.T) {
	var fs []Finding
	for i := range 30 {
		name := []string{"code-toggle", "include"}[i%3/2]
		fs = append(fs, Finding{File: fmt.Sprintf("f%d.md", i%7), Line: i, Rule: "shortcode", Severity: Error, Message: fmt.Sprintf("shortcode %q is not defined: define templates/shortcodes/%s.html", name, name)})
		if i%5 == 0 { // the same name, in other words
			fs[len(fs)-1].Message = fmt.Sprintf("shortcode %q is not defined here", name)
		}
		fs = append(fs, Finding{File: "h.md", Rule: RuleHeadingLevel, Severity: Warning, Message: fmt.Sprintf("heading %q is level 3 after level 1", fmt.Sprint("H", i))})
	}
	for i := range 12 { // Liquid, named by its tag, variable or filter
		fs = append(fs, Finding{File: "l.md", Line: i, Rule: "shortcode", Severity: Error,
			Message: []string{`Liquid tag {% image "a/x.png" "alt" %}: not run`, `Liquid output {{ site.repository }}: not run`, `Liquid output {{ "jo" | team_link }}: filter "team_link" not run`}[i%3]})
		fs[len(fs)-1].Message = strings.ReplaceAll(fs[len(fs)-1].Message, "x.png", fmt.Sprint(i, ".png"))
	}
	var got []string
	for _, c := range Causes(fs) {
		got = append(got, c.String())
	}
	want := []string{
		`20 shortcode errors in 7 files: "code-toggle" (e.g. shortcode "code-toggle" is not defined here)`,
		`10 shortcode errors in 7 files: "include" (e.g. shortcode "include" is not defined: define templates/shortcodes/include.html)`,
		`4 shortcode errors in 1 file: Liquid output {{ "jo" | team_link }}: filter "team_link" not run`,
		`4 shortcode errors in 1 file: Liquid output {{ site.repository }}: not run`,
		`4 shortcode errors in 1 file: {% image %} (e.g. Liquid tag {% image "a/0.png" "alt" %}: not run)`,
		"30 heading-level warnings in 1 file",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("causes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
