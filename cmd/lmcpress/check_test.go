package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckSampleSite(t *testing.T) {
	stdout, _, err := runCLI(t, "check", "--root", "../..")
	if err != nil {
		t.Fatalf("check of the sample site failed: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, "pages checked: 0 errors") {
		t.Errorf("check printed:\n%s", stdout)
	}
	stdout, _, err = runCLI(t, "check", "--root", "../..", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Findings []struct {
			File, Severity, Rule, Message, Hint string
			Line, Column                        int
		}
		External []struct{ URL string }
		Summary  struct{ Pages, Errors, Warnings, External int }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("--format json is not JSON: %v\n%s", err, stdout)
	}
	if rep.Summary.Errors != 0 || rep.Summary.Pages < 50 || rep.Summary.External == 0 || len(rep.External) != rep.Summary.External {
		t.Errorf("summary %+v", rep.Summary)
	}
	for _, f := range rep.Findings {
		if f.Severity == "error" || !strings.HasPrefix(f.File, "content/") || f.Line < 1 || f.Rule == "" || f.Hint == "" {
			t.Errorf("finding %+v", f)
		}
	}
}

func TestCheckReportsProblems(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/good.md"), "---\ntitle: Good\ndate: 2020-01-01\n---\n\n## Part one\n\nGood.\n")
	writeFile(t, filepath.Join(root, "content/news/bad.md"), "---\ntitle: Bad\ndate: 2020-01-02\n---\n\nSee [good](/news/good/#part-two) and [gone](/news/gone/).\n\nPatient 943 476 5919 attended.\n\nTest number 943 476 5919 <!-- lmcpress:allow nhs-number -->\n")
	writeFile(t, filepath.Join(root, "content/news/typo.md"), "---\ntitle: Typo\ndate: 2020-01-03\nsumary: x\n---\nText.\n")
	stdout, _, err := runCLI(t, "check", "--root", root)
	if err == nil || !strings.Contains(err.Error(), "check found 3 errors") {
		t.Errorf("want an error counting 3 errors, got %v", err)
	}
	for _, want := range []string{
		"content/news/bad.md:6:12: warning broken-anchor: link to /news/good/#part-two: content/news/good.md has no heading or anchor #part-two (hint: anchors there include #part-one)",
		"content/news/bad.md:6:45: error broken-link: link to /news/gone/: no page has this address",
		"content/news/bad.md:8:9: error nhs-number: 943*** **** looks like an NHS number",
		"content/news/typo.md:4: error front-matter: unknown key \"sumary\": did you mean \"summary\"?",
		"3 pages checked: 3 errors, 1 warning; 1 finding allowed by lmcpress:allow markers",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "476 5919") {
		t.Error("the report repeats the NHS number")
	}
	if _, _, err := runCLI(t, "check", "--root", root, "--format", "xml"); err == nil || !strings.Contains(err.Error(), "want text or json") {
		t.Errorf("--format xml: %v", err)
	}
	if _, _, err := runCLI(t, "check", "--root", filepath.Join(root, "nowhere")); err == nil || !strings.Contains(err.Error(), "no content/ folder") {
		t.Errorf("missing folder: %v", err)
	}
}

func TestBuildRefusesPatientData(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/good.md"), "---\ntitle: Good\ndate: 2020-01-01\n---\nGood.\n")
	if _, _, err := runCLI(t, "build", "--root", root); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(root, "public/news/good/index.html"))
	page := "---\ntitle: Referral\ndate: 2020-01-02\n---\n\nThe practice referred the patient,\nNHS number 943 476 5919, last week.\n"
	writeFile(t, filepath.Join(root, "content/news/referral.md"), page)
	_, _, err := runCLI(t, "build", "--root", root)
	if err == nil {
		t.Fatal("the build published a page with an NHS number")
	}
	if msg := err.Error(); !strings.Contains(msg, "content/news/referral.md:7:12: error nhs-number:") || strings.Contains(msg, "476 5919") {
		t.Errorf("want the file, line and column, without the number:\n%s", msg)
	}
	if _, err := os.Stat(filepath.Join(root, "public/news/referral/index.html")); err == nil {
		t.Error("the page was written")
	}
	after, _ := os.ReadFile(filepath.Join(root, "public/news/good/index.html"))
	if !bytes.Equal(before, after) {
		t.Error("the previous public/ was changed by the refused build")
	}
	// A draft is not published, but it is in the repository and publishes
	// itself once draft: true goes: it stops the build as it fails check.
	writeFile(t, filepath.Join(root, "content/news/referral.md"), strings.Replace(page, "date: 2020-01-02\n", "date: 2020-01-02\ndraft: true\n", 1))
	if _, _, err := runCLI(t, "build", "--root", root); err == nil || !strings.Contains(err.Error(), "content/news/referral.md:8:12: error nhs-number:") {
		t.Errorf("a draft with patient data: %v", err)
	}
	if _, _, err := runCLI(t, "check", "--root", root); err == nil {
		t.Error("check passed a draft with patient data")
	}
	// An accepted false positive builds.
	writeFile(t, filepath.Join(root, "content/news/referral.md"), strings.Replace(page, "last week.\n", "last week. <!-- lmcpress:allow nhs-number -->\n", 1))
	if _, _, err := runCLI(t, "build", "--root", root); err != nil {
		t.Errorf("an allowed finding stopped the build: %v", err)
	}
}

// TestAllowInCodeBlock: a marker alone on the line before a code block's
// fence accepts a finding inside the block, and reaches neither the page
// nor the code sample; without it the build still refuses.
func TestAllowInCodeBlock(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	sample := "```text\nPID|1||9434765919^^^NHS\n```\n"
	page := "---\ntitle: Test messages\ndate: 2020-01-02\n---\n\nA message as the test system sends it:\n\n" + sample
	writeFile(t, filepath.Join(root, "content/news/hl7.md"), page)
	if _, _, err := runCLI(t, "build", "--root", root); err == nil || !strings.Contains(err.Error(), "content/news/hl7.md:9:") {
		t.Fatalf("an NHS number in a code block, no marker: the build gave %v, want it refused at line 9", err)
	}
	if _, _, err := runCLI(t, "check", "--root", root); err == nil {
		t.Error("check passed an NHS number in a code block without a marker")
	}

	writeFile(t, filepath.Join(root, "content/news/hl7.md"), strings.Replace(page, sample, "<!-- lmcpress:allow nhs-number -->\n"+sample, 1))
	if _, _, err := runCLI(t, "build", "--root", root); err != nil {
		t.Fatalf("with the marker before the fence: %v", err)
	}
	html, err := os.ReadFile(filepath.Join(root, "public/news/hl7/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "PID|1||9434765919^^^NHS") {
		t.Errorf("the code sample is not on the page:\n%s", html)
	}
	if strings.Contains(string(html), "lmcpress:allow") {
		t.Errorf("the marker reached the page:\n%s", html)
	}
	stdout, _, err := runCLI(t, "check", "--root", root)
	if err != nil || !strings.Contains(stdout, "1 finding allowed by lmcpress:allow markers") {
		t.Errorf("check with the marker: %v\n%s", err, stdout)
	}
}

// TestUnsafeLinks: a javascript:, vbscript:, file: or data: link stops
// the build and fails check, at its line and column, with raw HTML
// allowed or not; before, the page was published with href="" or, in raw
// HTML, with the script.
func TestUnsafeLinks(t *testing.T) {
	page := "---\ntitle: Links\ndate: 2020-01-02\n---\n\n" +
		"[Book](javascript:void(0)) and [old](vbscript:msgbox) and ![map](data:text/html,x)\n\n" +
		"[local](file:///C:/letters/smith.doc) but ![logo](data:image/png;base64,iVBORw0KGgo=)\n\n" +
		"<a href=\"jav&#x61;script:alert(1)\">raw</a>\n"
	want := []string{
		"content/news/links.md:6:8: error unsafe-link: link to javascript:void(0)",
		"content/news/links.md:6:38: error unsafe-link: link to vbscript:msgbox",
		"content/news/links.md:6:66: error unsafe-link: image data:text/html,x",
		"content/news/links.md:8:9: error unsafe-link: link to file:///C:/letters/smith.doc",
	}
	raw := "content/news/links.md:10:10: error unsafe-link: link to javascript:alert(1)"
	for _, allow := range []bool{false, true} {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, "content/site.yaml"), fmt.Sprintf("title: Test LMC\nbaseURL: https://lmc.example.org/\nallowRawHTML: %v\n", allow))
		writeFile(t, filepath.Join(root, "content/news/links.md"), page)
		w := want
		if allow {
			w = append(w, raw)
		}
		_, _, err := runCLI(t, "build", "--root", root)
		if err == nil {
			t.Fatalf("allowRawHTML %v: the page was published", allow)
		}
		stdout, _, cerr := runCLI(t, "check", "--root", root)
		if cerr == nil {
			t.Errorf("allowRawHTML %v: check passed", allow)
		}
		for _, s := range w {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("allowRawHTML %v: build lacks %q:\n%v", allow, s, err)
			}
			if !strings.Contains(stdout, s) {
				t.Errorf("allowRawHTML %v: check lacks %q:\n%s", allow, s, stdout)
			}
		}
		if strings.Contains(stdout, "logo") || !allow && strings.Contains(stdout, "javascript:alert") {
			t.Errorf("allowRawHTML %v: a data: image, or raw HTML shown as text, was reported:\n%s", allow, stdout)
		}
	}
}
