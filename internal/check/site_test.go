package check

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"lmcpress/internal/content"
)

var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, content.London)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

// miniSite has one of every kind of broken link, and the links that must
// not be reported beside them.
func miniSite() fstest.MapFS {
	return fstest.MapFS{
		"site.yaml":      file("title: Test LMC\nbaseURL: https://lmc.example.org/\ntopics: [{name: GDPR}]\n"),
		"news/_index.md": file("---\ntitle: News\n---\nThe latest news.\n"),
		"news/a.md":      file("---\ntitle: A\ndate: 2024-01-15\ntopics: [GDPR]\naliases: [/old/page.html]\n---\n\n## First part\n\nText.\n\n## Second part\n\nMore.\n"),
		"news/draft.md":  file("---\ntitle: Draft\ndate: 2024-01-16\ndraft: true\n---\n\nA draft naming 943 476 5919.\n"),
		"advice/bundle/index.md": file("---\ntitle: Bundle\ndate: 2024-02-01\nreviewDue: 2027-01-01\nattachments: [model.pdf]\n---\n\n" +
			"Read the [model letter](model.pdf) and see the ![Map of the area](map.png).\n"),
		"advice/bundle/model.pdf": file("%PDF-1.4"),
		"advice/bundle/map.png":   file("PNG"),
		"advice/old.md":           file("---\ntitle: Old\ndate: 2020-01-01\nreviewDue: 2025-01-01\n---\n\nOld advice.\n"),
		"guidance/stale.md":       file("---\ntitle: Stale\ndate: 2015-01-01\n---\n\nStale guidance.\n"),
		"guidance/fresh.md":       file("---\ntitle: Fresh\ndate: 2015-01-01\nlastmod: 2025-09-01\n---\n\nFresh guidance.\n"),
		"news/bad.md":             file("---\ntitle: Bad\ndate: 2024-01-01\nsumary: typo\n---\n\nMRN 1234567\n"),
		"links.md": file(`---
title: Links
---

## Here

1. [ok](/news/a/) [ok anchor](/news/a/#first-part) [ok same page](#here) [theme anchor](/news/a/#maincontent)
2. [bad anchor](/news/a/#thrid-part)
3. [same page](#nowhere)
4. [missing page](/news/b/)
5. [typo](/news/aa/)
6. [md file](news/a.md)
7. [missing pdf](/advice/bundle/missing.pdf) [present pdf](/advice/bundle/model.pdf)
8. ![Map](/advice/bundle/nomap.png)
9. ![](/advice/bundle/map.png) ![map.png](/advice/bundle/map.png)
10. [listing](/news/) [archive](/news/2024/) [month](/news/2024/01/) [topic](/topics/gdpr/) [topics](/topics/) [feed](/news/feed.xml) [site feed](/atom.xml) [static](/css/site.css) [alias](/old/page.html) [search](/search/) [home](/) [section](/advice/)
11. [draft](/news/draft/)
12. [external](https://example.org/x#part) and [again](https://example.org/x) and [mail](mailto:office@example.org) and <https://example.net/>
13. [relative](../news/a/)
14. [bad topic](/topics/nothing/)
15. [wrong case](/News/A/)
16. [gone](/gone/) <!-- lmcpress:allow broken-link -->
17. [pdf](/advice/bundle/model.pdf) <!-- lmcpress:allow broken-link --> <!-- lmcpress:allow no-such-rule -->

# A second title

#### Too deep
`),
	}
}

func miniOptions() Options {
	return Options{
		Content:    miniSite(),
		Static:     fstest.MapFS{"css/site.css": file("body{}")},
		Templates:  fstest.MapFS{"base.html": file(`<main id="maincontent">{{block "main" .}}{{end}}</main>`)},
		Visibility: content.Visibility{Now: testNow},
	}
}

func TestMiniSite(t *testing.T) {
	rep, err := Site(context.Background(), miniOptions())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, fmt.Sprintf("%s:%d:%d %s %s", f.File, f.Line, f.Column, f.Severity, f.Rule))
	}
	want := []string{
		"content/advice/old.md:4:1 warning review-due",
		"content/guidance/stale.md:3:1 warning review-stale",
		"content/links.md:8:17 warning broken-anchor",
		"content/links.md:9:16 warning broken-anchor",
		"content/links.md:10:19 error broken-link",
		"content/links.md:11:11 error broken-link",
		"content/links.md:12:14 error broken-link",
		"content/links.md:13:18 error missing-attachment",
		"content/links.md:14:11 error missing-image",
		"content/links.md:15:4 error image-alt",
		"content/links.md:15:32 warning image-alt-name",
		"content/links.md:17:13 error broken-link",
		"content/links.md:20:17 error broken-link",
		"content/links.md:21:18 error broken-link",
		"content/links.md:23:37 warning allow",
		"content/links.md:23:37 warning allow",
		"content/links.md:25:1 warning heading-level",
		"content/links.md:27:1 warning heading-level",
		"content/news/bad.md:4:0 error front-matter",
		"content/news/bad.md:7:5 error hospital-number", // the front matter does not parse: the whole file is scanned
		"content/news/draft.md:7:16 error nhs-number",   // drafts are scanned for patient data
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\n\nwant:\n%s\n\nreport:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), text(rep))
	}
	s := rep.Summary
	if s.Pages != 9 || s.Errors != 12 || s.Warnings != 9 || s.Allowed != 1 || s.External != 2 || s.ExternalChecked {
		t.Errorf("summary %+v", s)
	}
	// Messages say what and where, hints what to do.
	out := text(rep)
	for _, want := range []string{
		"content/links.md:8:17: warning broken-anchor: link to /news/a/#thrid-part: content/news/a.md has no heading or anchor #thrid-part (hint: anchors there include #first-part, #second-part)",
		"content/links.md:11:11: error broken-link: link to /news/aa/: no page has this address (hint: did you mean /news/a/?",
		"content/links.md:12:14: error broken-link: link to news/a.md: links go to a page's address, not its file (hint: link to /news/a/)",
		"content/links.md:21:18: error broken-link: link to /News/A/: no page has this address (hint: did you mean /news/a/?",
		"lmcpress:allow no-such-rule: no rule has this name",
		"lmcpress:allow broken-link allows nothing on this line",
		"9 pages checked: 12 errors, 9 warnings; 1 finding allowed by lmcpress:allow markers; 2 external addresses not checked (add --external to check them)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if len(rep.External) != 2 || rep.External[0].URL != "https://example.net/" || rep.External[1].URL != "https://example.org/x" || len(rep.External[1].Links) != 2 {
		t.Errorf("external links: %+v", rep.External)
	}
}

func text(r *Report) string {
	var b bytes.Buffer
	_ = r.WriteText(&b)
	return b.String()
}

func TestDraftsFlag(t *testing.T) {
	o := miniOptions()
	o.Visibility.Drafts = true
	rep, err := Site(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text(rep), "link to /news/draft/") {
		t.Error("with drafts, a link to a draft is not broken")
	}
}

func TestJSONShape(t *testing.T) {
	rep, err := Site(context.Background(), Options{Content: fstest.MapFS{
		"site.yaml": file("title: T\nbaseURL: https://x.example/\n"),
		"page.md":   file("---\ntitle: P\n---\n\nFine.\n"),
	}, Visibility: content.Visibility{Now: testNow}})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if f, ok := v["findings"].([]any); !ok || len(f) != 0 {
		t.Errorf("findings must be an empty array, got %s", b.String())
	}
	if _, ok := v["external"].([]any); !ok {
		t.Errorf("external must be an array, got %s", b.String())
	}
	sum, _ := v["summary"].(map[string]any)
	for _, k := range []string{"pages", "errors", "warnings", "info", "allowed", "external", "externalChecked"} {
		if _, ok := sum[k]; !ok {
			t.Errorf("summary lacks %q: %s", k, b.String())
		}
	}

	rep, _ = Site(context.Background(), miniOptions())
	b.Reset()
	_ = rep.WriteJSON(&b)
	var r struct {
		Findings []map[string]any
	}
	_ = json.Unmarshal(b.Bytes(), &r)
	keys := []string{}
	for k := range r.Findings[0] {
		keys = append(keys, k)
	}
	if len(keys) != 7 {
		t.Errorf("a finding has keys %v, want file, line, column, severity, rule, message, hint", keys)
	}
}

func TestBadConfigIsAFinding(t *testing.T) {
	rep, err := Site(context.Background(), Options{Content: fstest.MapFS{
		"site.yaml": file("title: T\nbaseURL: https://x.example/\npagniate: 3\n"),
		"page.md":   file("---\ntitle: P\n---\n\n[home](/)\n"),
	}, Visibility: content.Visibility{Now: testNow}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Errors != 1 || rep.Findings[0].Rule != RuleConfig || rep.Findings[0].Line != 3 {
		t.Errorf("want one config error on line 3:\n%s", text(rep))
	}
}

// TestSiteNeedsTheTime: the caller says what moment to check at; the
// check never reads the wall clock.
func TestSiteNeedsTheTime(t *testing.T) {
	o := miniOptions()
	o.Visibility.Now = time.Time{}
	if _, err := Site(context.Background(), o); err == nil || !strings.Contains(err.Error(), "Visibility.Now") {
		t.Errorf("no Now: err = %v, want it to say Now is missing", err)
	}
}
