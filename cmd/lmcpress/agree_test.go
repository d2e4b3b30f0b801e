package main

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// brokenSite has one of each problem build and check share, and a few
// that only warn. Nothing in it depends on another problem being fixed
// first: a front-matter error in one file must not hide the rest.
var brokenSite = fstest.MapFS{
	"content/site.yaml": {Data: []byte("title: Test LMC\nbaseURL: https://lmc.example.org/\n")},
	"content/advice/practice-boundaries.md": {Data: []byte(`---
title: Practice boundaries
date: 2024-01-10
reviewDue: 2030-01-01
---
## Who is inside

Text.
`)},
	"content/news/bad.md": {Data: []byte(`---
title: Bad
date: 2024-02-01
---

See [boundaries](/advice/practice-boundary/) and [the part](/advice/practice-boundaries/#nowhere).

![](/files/map.png)

![A map](/files/nomap.png)

Patient 943 476 5919 attended.

#### Too deep
`)},
	"content/news/moved.md": {Data: []byte(`---
title: Moved
date: 2024-03-01
aliases: [/news/bad/, /feed.xml]
---
Moved.
`)},
	"content/news/typo.md":  {Data: []byte("---\ntitle: Typo\ndate: 2024-03-02\nsumary: x\n---\nText.\n")},
	"content/news/draft.md": {Data: []byte("---\ntitle: Draft\ndate: 2024-03-03\ndraft: true\n---\nPatient 943 476 5919 rang.\n")},
	// Patient data as its reader sees it, not as typed (check's fold.go).
	"content/news/folded.md": {Data: []byte("---\ntitle: Folded\ndate: 2024-03-04\n---\nSeen \u2013 NHS&nbsp;number 943&nbsp;476&nbsp;5919, then _\uff14\uff10\uff11 023 2137_.\n")},
	"content/img/logo.png":   {Data: []byte("PNG")}, // static/img/logo.png is there already
	"static/img/logo.png":    {Data: []byte("PNG")},
	"content/files/map.png":  {Data: []byte("PNG")},
}

// TestBuildAndCheckAgree runs build and check on the same broken site: every
// problem build reports, check reports with the same file, line, column and
// words, and build reports every one of check's errors: check exits
// non-zero exactly on what stops the build, and both report everything in
// one run (the alias collisions together with the front-matter error).
func TestBuildAndCheckAgree(t *testing.T) {
	root := t.TempDir()
	for name, f := range brokenSite {
		writeFile(t, filepath.Join(root, name), string(f.Data))
	}
	built, checkOut, buildErr := buildAndCheck(t, root)
	var warnings []string
	for _, l := range strings.Split(checkOut, "\n") {
		if strings.Contains(l, ": warning ") {
			warnings = append(warnings, l)
		}
	}
	for _, want := range []string{
		"content/news/bad.md:6:18: error broken-link: link to /advice/practice-boundary/: no page has this address (hint: did you mean /advice/practice-boundaries/?",
		"content/news/bad.md:8:1: error image-alt: image /files/map.png has no alt text",
		"content/news/bad.md:10:10: error missing-image: image /files/nomap.png: no image has this address (hint: did you mean /files/map.png?",
		"content/news/bad.md:12:9: error nhs-number: ",
		"content/news/moved.md:4: error address: aliases: /news/bad/ is also the address of content/news/bad.md",
		"content/news/moved.md:4: error address: aliases: /feed.xml is also the address of the feed /feed.xml",
		"content/img/logo.png: error address: /img/logo.png is also written by static/img/logo.png",
		"content/news/draft.md:6:9: error nhs-number: ", // not published, but in the repository
		"content/news/folded.md:5:24: error nhs-number: 943*** ****",
		"content/news/folded.md:5:54: error nhs-number: 401*** ****",
		"content/news/typo.md:4: error front-matter: unknown key \"sumary\": did you mean \"summary\"?",
	} {
		if !strings.Contains(strings.Join(built, "\n"), want) {
			t.Errorf("build's report lacks %q:\n%s", want, strings.Join(built, "\n"))
		}
	}
	// The preview's overlay shows the same: file, line, column and words.
	var shown []string
	for _, d := range problem(root, buildErr).Errors {
		l := d.File
		if d.Line > 0 {
			l += ":" + strconv.Itoa(d.Line)
			if d.Column > 0 {
				l += ":" + strconv.Itoa(d.Column)
			}
		}
		shown = append(shown, l+": "+d.Message)
	}
	sort.Strings(shown)
	if strings.Join(shown, "\n") != strings.Join(built, "\n") {
		t.Errorf("the overlay and build disagree.\noverlay:\n%s\n\nbuild:\n%s", strings.Join(shown, "\n"), strings.Join(built, "\n"))
	}

	// Warnings do not stop the build, and the build does not print them.
	for _, w := range []string{"broken-anchor", "heading-level"} {
		if !strings.Contains(strings.Join(warnings, "\n"), w) {
			t.Errorf("check gives no %s warning:\n%s", w, checkOut)
		}
		if strings.Contains(buildErr.Error(), w) {
			t.Errorf("build reports the %s warning:\n%v", w, buildErr)
		}
	}
}

// TestUnparsedPageStillVetted: a page whose front matter the build cannot
// use is not published, but its text is still scanned for patient data,
// by build and check alike, in the same run and the same words (before,
// only check reported it, so fixing the front matter brought a second
// round of errors).
func TestUnparsedPageStillVetted(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: A\ndate: 2020-01-01\nsumary: typo\nplace: NHS 943 476 5919\n---\nReferral for NHS 943 476 5919.\n")
	_, _, err := runCLI(t, "build", "--root", root)
	if err == nil {
		t.Fatal("build succeeded")
	}
	stdout, _, _ := runCLI(t, "check", "--root", root)
	want := []string{
		"content/news/a.md:5:12: error nhs-number:",
		"end the line with # lmcpress:allow nhs-number",
		"content/news/a.md:7:18: error nhs-number:",
		"end the line with <!-- lmcpress:allow nhs-number -->",
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("build does not say %q:\n%v", w, err)
		}
		if !strings.Contains(stdout, w) {
			t.Errorf("check does not say %q:\n%s", w, stdout)
		}
	}
}

// buildAndCheck builds the site in root and checks it, both of which must
// fail, and requires build's errors and check's to be the same lines. It
// returns build's problem lines, sorted, check's whole output and build's error.
func buildAndCheck(t *testing.T, root string) (built []string, checkOut string, buildErr error) {
	t.Helper()
	_, _, buildErr = runCLI(t, "build", "--root", root)
	if buildErr == nil {
		t.Fatal("build succeeded")
	}
	checkOut, _, checkErr := runCLI(t, "check", "--root", root)
	if checkErr == nil {
		t.Fatal("check found no error")
	}
	// The build's report: a first line saying the site was not built, then
	// one line a problem (continuation lines of a long message aside).
	for _, l := range strings.Split(buildErr.Error(), "\n")[1:] {
		if strings.HasPrefix(l, "content/") {
			built = append(built, l)
		}
	}
	var errs []string
	for _, l := range strings.Split(checkOut, "\n") {
		if strings.Contains(l, ": error ") {
			errs = append(errs, l)
		}
	}
	sort.Strings(built)
	sort.Strings(errs)
	if strings.Join(built, "\n") != strings.Join(errs, "\n") {
		t.Errorf("build and check disagree.\nbuild:\n%s\n\ncheck's errors:\n%s", strings.Join(built, "\n"), strings.Join(errs, "\n"))
	}
	return built, checkOut, buildErr
}
