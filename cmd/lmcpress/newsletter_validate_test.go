package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lmcpress/internal/browsertest"
)

// outlookAttributes are the presentational attributes the email keeps,
// which the Nu checker calls obsolete: Outlook for Windows lays out with
// Word, which ignores CSS widths, padding and background on tables and
// cells, so each is the only way to say that to it. width (the 600px
// column), cellpadding, cellspacing and border (Word's table defaults
// otherwise add gaps and lines), align (the centred column) and bgcolor
// (the masthead and page colours).
var outlookAttributes = []string{"width", "cellpadding", "cellspacing", "border", "align", "bgcolor"}

// previewSample writes the sample site's December 2016 issue and returns
// the HTML file's path.
func previewSample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if stdout, _, err := runCLI(t, "newsletter", "preview", "2016-12", "--root", "../..", "--out", dir); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	return filepath.Join(dir, "2016-12.html")
}

// TestNewsletterValidHTML runs the email's HTML through the W3C Nu checker:
// no error, and no obsolete attribute but those Outlook needs.
func TestNewsletterValidHTML(t *testing.T) {
	java, jar := vnuChecker(t, "the newsletter's HTML")
	page := previewSample(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, "-jar", jar, "--format", "json", page)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var res struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(stderr.Bytes()), &res); err != nil {
		t.Fatalf("vnu gave no JSON report (%v, exit %v):\n%s%s", err, runErr, stdout.String(), stderr.String())
	}
	obsolete := regexp.MustCompile(`^The “([a-z]+)” attribute on the “[a-z]+” element is obsolete`)
	allowed := map[string]bool{}
	for _, a := range outlookAttributes {
		allowed[a] = true
	}
	for _, m := range res.Messages {
		if o := obsolete.FindStringSubmatch(m.Message); o != nil {
			if !allowed[o[1]] {
				t.Errorf("line %d: %s", m.LastLine, m.Message)
			}
			continue
		}
		if m.Type == "error" {
			t.Errorf("line %d: %s: %s\n\t%q", m.LastLine, m.Type, m.Message, m.Extract)
		}
	}
}

// TestNewsletterAccessible runs axe (WCAG 2.2 A and AA, as for the site's
// pages) over the email's HTML in Chromium, at 600px and at phone width.
func TestNewsletterAccessible(t *testing.T) {
	browserCtx := browsertest.Start(t, "check the newsletter's accessibility with axe-core in Chromium")
	axeSrc := browsertest.RequireAxe(t)
	page := previewSample(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Dir(page))))
	defer srv.Close()
	for _, width := range []int64{600, 375} {
		ctx, cancel := context.WithTimeout(browserCtx, 90*time.Second)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
			cancel()
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/2016-12.html")); err != nil {
			cancel()
			t.Fatalf("loading the email at %dpx: %v", width, err)
		}
		// The column fits the screen: nothing scrolls sideways on a phone.
		scroll, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if scroll > width {
			t.Errorf("at %dpx the email is %dpx wide", width, scroll)
		}
		violations, err := browsertest.Axe(ctx, axeSrc, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range violations {
			t.Errorf("%dpx: %v", width, v)
		}
		cancel()
	}
}
