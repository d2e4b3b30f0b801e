package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewsletterPreview: preview writes the .eml, the HTML and the text of
// the sample site's December 2016 issue and prints their paths.
func TestNewsletterPreview(t *testing.T) {
	dir := t.TempDir()
	stdout, _, err := runCLI(t, "newsletter", "preview", "2016-12", "--root", "../..", "--out", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, "2016-12: December 2016 newsletter (8 items)") || !strings.Contains(stdout, "content/news/winter-workforce-survey.md") {
		t.Errorf("summary:\n%s", stdout)
	}
	for _, name := range []string{"2016-12.eml", "2016-12.html", "2016-12.txt"} {
		p := filepath.Join(dir, name)
		if !strings.Contains(stdout, p+"\n") {
			t.Errorf("path %s not printed:\n%s", p, stdout)
		}
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	eml, _ := os.ReadFile(filepath.Join(dir, "2016-12.eml"))
	for _, want := range []string{"Subject: December 2016 newsletter\r\n", "Content-Type: multipart/alternative", "text/plain", "text/html", "Date: Tue, 01 Dec 2026"} {
		if !strings.Contains(string(eml), want) {
			t.Errorf(".eml lacks %q", want)
		}
	}
}

func TestNewsletterRefuses(t *testing.T) {
	if _, _, err := runCLI(t, "newsletter", "build", "2019-01", "--root", "../.."); err == nil || !strings.Contains(err.Error(), "the months with one are 2016-12, 2025-10") {
		t.Errorf("unknown month: %v", err)
	}
	if _, _, err := runCLI(t, "newsletter", "preview", "--root", "../.."); err == nil || !strings.Contains(err.Error(), "say which month") {
		t.Errorf("preview without a month: %v", err)
	}

	// Patient data in an item stops the issue, with the item's file and line.
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\nnewsletter:\n  from: \"Test LMC <news@example.org>\"\n")
	writeFile(t, filepath.Join(root, "content/newsletters/2020-01.md"), "---\ntitle: January 2020\ndate: 2020-01-10\n---\nHello.\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: A\ndate: 2020-01-02\n---\n\nThe patient's NHS number is 943 476 5919.\n")
	stdout, _, err := runCLI(t, "newsletter", "build", "--root", root)
	if err == nil || !strings.Contains(err.Error(), "content/news/a.md:6") {
		t.Errorf("patient data: %v\n%s", err, stdout)
	}
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: A\ndate: 2020-01-02\n---\n\nSee [the missing page](/news/gone/).\n")
	if _, _, err := runCLI(t, "newsletter", "build", "--root", root); err == nil || !strings.Contains(err.Error(), "content/news/a.md:6") {
		t.Errorf("broken link: %v", err)
	}
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: A\ndate: 2020-01-02\n---\n\nAll well.\n")
	if stdout, _, err := runCLI(t, "newsletter", "build", "--root", root); err != nil || !strings.Contains(stdout, "2020-01: January 2020 newsletter (1 item)") {
		t.Errorf("clean issue: %v\n%s", err, stdout)
	}
}
