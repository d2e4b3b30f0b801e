package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// movedSite is a site moved from Hugo and Jekyll as it was: a theme's
// keys, keys in Hugo's other cases, tags and categories, old addresses.
var movedSite = map[string]string{
	"content/site.yaml": "title: Moved LMC\nbaseURL: https://lmc.example.org/\n",
	"content/news/flu.md": `---
Title: Flu clinics open
date: 2024-09-01
Summary: Book now.
weight: 10
params: {listpages: true}
tags: [Flu, Vaccination]
url: /blog/2024/flu-clinics/
author: Dr A Smith
---
Book now.
`,
	"content/news/covid.md": `+++
title = "Covid boosters"
date = 2024-09-02
expirydate = 2030-01-01
weight = 20
tags = ["flu"]
+++
Boosters.
`,
	"content/news/rooftops.md": `---
layout: post
title: Rooftop survey
date: 2016-03-03
categories: jekyll update
permalink: /news/rooftops/
redirect_from: [/2016/03/03/rooftops.html]
listpages: false
---
Survey.
`,
	"content/news/hidden.md": "---\nlayout: post\ntitle: Not yet\ndate: 2024-09-03\npublished: false\n---\nSecret.\n",
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		writeFile(t, filepath.Join(root, name), data)
	}
	return root
}

// TestMovedSiteBuilds: the site builds unchanged; keys lmcpress does not
// use are summed up in one line, the same from build and check; tags and
// categories are topics; url, permalink and redirect_from keep the old
// addresses; published: false is a draft.
func TestMovedSiteBuilds(t *testing.T) {
	root := writeSite(t, movedSite)
	out := filepath.Join(t.TempDir(), "public")
	stdout, _, err := runCLI(t, "build", "--root", root, "--out", out, "--now", "2025-01-01")
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stdout)
	}
	note := "info: not used by lmcpress: `layout` in 2 files, `weight` in 2 files, `listpages` in 1 file, `params` in 1 file (accepted; strictFrontMatter: true in content/site.yaml makes them errors)\n"
	if strings.Count(stdout, "info: ") != 1 || !strings.Contains(stdout, note) {
		t.Errorf("build printed:\n%s\nwant one line:\n%s", stdout, note)
	}
	for _, f := range []string{"topics/flu/index.html", "topics/vaccination/index.html", "topics/jekyll/index.html", "blog/2024/flu-clinics/index.html", "2016/03/03/rooftops.html", "news/rooftops/index.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "news/hidden/index.html")); err == nil {
		t.Error("published: false was published")
	}
	if b, err := os.ReadFile(filepath.Join(out, "blog/2024/flu-clinics/index.html")); err != nil || !strings.Contains(string(b), "/news/flu/") {
		t.Errorf("url: does not redirect to the page: %v\n%s", err, b)
	}

	stdout, _, err = runCLI(t, "check", "--root", root, "--now", "2025-01-01")
	if err != nil || strings.Count(stdout, "info: ") != 1 || !strings.Contains(stdout, note) {
		t.Errorf("check: %v, printed:\n%s\nwant one line:\n%s", err, stdout, note)
	}
	stdout, _, _ = runCLI(t, "check", "--root", root, "--now", "2025-01-01", "--format", "json")
	var rep struct{ Notes []string }
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || len(rep.Notes) != 1 || "info: "+rep.Notes[0]+"\n" != note {
		t.Errorf("json notes %q (%v)", rep.Notes, err)
	}
}

// TestStrictFrontMatter: strictFrontMatter: true brings back the old
// rule, every key lmcpress does not use an error.
func TestStrictFrontMatter(t *testing.T) {
	files := map[string]string{}
	for k, v := range movedSite {
		files[k] = v
	}
	files["content/site.yaml"] += "strictFrontMatter: true\n"
	root := writeSite(t, files)
	_, _, err := runCLI(t, "build", "--root", root, "--out", filepath.Join(t.TempDir(), "public"), "--now", "2025-01-01")
	if err == nil || !strings.Contains(err.Error(), `content/news/flu.md:5: error front-matter: unknown key "weight"`) {
		t.Errorf("build: %v", err)
	}
}

// TestDigestSameFromBuildAndCheck: a site with many broken links of a few
// kinds; build's error and check's report end with the same digest.
func TestDigestSameFromBuildAndCheck(t *testing.T) {
	files := map[string]string{"content/site.yaml": "title: Moved LMC\nbaseURL: https://lmc.example.org/\n"}
	for i := range 5 {
		var b strings.Builder
		b.WriteString("---\ntitle: Page\ndate: 2024-02-01\n---\n\n")
		for j := range 6 {
			b.WriteString("See [post](/blog/2019/post-" + string(rune('a'+j)) + "/).\n\n")
		}
		b.WriteString("[Gone](/news/gone/).\n")
		files["content/news/page"+string(rune('0'+i))+".md"] = b.String()
	}
	files["content/news/typo.md"] = "---\ntitle: T\ndate: 2024-01-01\nsumary: x\n---\nx\n"
	root := writeSite(t, files)
	digest := "By kind and cause:\n" +
		"  30 broken-link errors in 5 files: links to 6 addresses under /blog/2019/...: no page has these addresses\n" +
		"  5 broken-link errors in 5 files: link to /news/gone/: no page has this address\n" +
		"  1 front-matter error in 1 file: unknown key \"sumary\": did you mean \"summary\"?"
	_, _, err := runCLI(t, "build", "--root", root, "--out", filepath.Join(t.TempDir(), "public"), "--now", "2025-01-01")
	if err == nil || !strings.HasSuffix(err.Error(), "... and 16 more errors\n"+digest) {
		t.Errorf("build: %v\nwant it to end:\n%s", err, digest)
	}
	stdout, _, _ := runCLI(t, "check", "--root", root, "--now", "2025-01-01")
	if !strings.Contains(stdout, digest+"\n6 pages checked: 36 errors") {
		t.Errorf("check printed:\n%s\nwant it to end:\n%s", stdout, digest)
	}
}

// TestServeSaysUnusedKeys: the preview says what build says of the keys
// it does not use, once, when it has built the site.
func TestServeSaysUnusedKeys(t *testing.T) {
	root := writeSite(t, movedSite)
	ctx, cancel := context.WithCancel(context.Background())
	out := &lineWriter{lines: make(chan string, 1000)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--root", root, "--addr", "127.0.0.1:0"}, func(string) string { return "" }, testClock, strings.NewReader(""), out, out)
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("serve did not stop")
		}
	}()
	var infos []string
	deadline := time.After(20 * time.Second)
	for {
		select {
		case l := <-out.lines:
			if strings.HasPrefix(l, "info: ") {
				infos = append(infos, l)
			}
			if strings.HasPrefix(l, "Previewing at") {
				if len(infos) != 1 || !strings.HasPrefix(infos[0], "info: not used by lmcpress: `layout` in 2 files, `weight` in 2 files") {
					t.Errorf("serve said %q before previewing", infos)
				}
				return
			}
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		case <-deadline:
			t.Fatal("serve did not start")
		}
	}
}
