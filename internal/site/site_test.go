package site_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"lmcpress"
	"lmcpress/internal/check"
	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// now is the fixed "today" of every test build, so review notices and
// future-dated pages do not change with the calendar.
var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// parseSite reads a whole mini-site written as one literal: "-- name --"
// lines start files (as in Hugo's tests and txtar). Names starting with
// content/, templates/ or static/ go to those folders.
func parseSite(t testing.TB, literal string) (contentFS, templatesFS, staticFS fstest.MapFS) {
	t.Helper()
	contentFS, templatesFS, staticFS = fstest.MapFS{}, fstest.MapFS{}, fstest.MapFS{}
	var name string
	var body strings.Builder
	flush := func() {
		if name == "" {
			return
		}
		data := []byte(body.String())
		switch {
		case strings.HasPrefix(name, "content/"):
			contentFS[strings.TrimPrefix(name, "content/")] = &fstest.MapFile{Data: data}
		case strings.HasPrefix(name, "templates/"):
			templatesFS[strings.TrimPrefix(name, "templates/")] = &fstest.MapFile{Data: data}
		case strings.HasPrefix(name, "static/"):
			staticFS[strings.TrimPrefix(name, "static/")] = &fstest.MapFile{Data: data}
		default:
			t.Fatalf("mini-site file %q must be under content/, templates/ or static/", name)
		}
		body.Reset()
	}
	for _, line := range strings.SplitAfter(strings.TrimLeft(literal, "\n"), "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(strings.TrimSpace(line), " --") {
			flush()
			name = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "-- "), " --")
			continue
		}
		body.WriteString(line)
	}
	flush()
	if _, ok := contentFS["site.yaml"]; !ok {
		contentFS["site.yaml"] = &fstest.MapFile{Data: []byte("title: Test LMC\nbaseURL: https://lmc.example.org/\npaginate: 2\n")}
	}
	return
}

// options layers a mini-site's theme files over the default theme.
func options(t testing.TB, c, tpl, static fs.FS, v content.Visibility) site.Options {
	t.Helper()
	cfg, err := content.LoadConfig(c)
	if err != nil {
		t.Fatalf("site.yaml: %v", err)
	}
	dt, _ := fs.Sub(lmcpress.Theme, "templates")
	ds, _ := fs.Sub(lmcpress.Theme, "static")
	if v.Now.IsZero() {
		v.Now = now
	}
	// Links are checked as lmcpress build checks them.
	return site.Options{Config: cfg, Content: c, Templates: site.Overlay{tpl, dt}, Static: site.Overlay{static, ds}, Visibility: v,
		CheckLinks: check.VetLinks}
}

// build builds a mini-site into memory and fails the test on error.
func build(t testing.TB, literal string) map[string][]byte {
	t.Helper()
	files, err := tryBuild(t, literal, content.Visibility{})
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return files
}

func tryBuild(t testing.TB, literal string, v content.Visibility) (map[string][]byte, error) {
	t.Helper()
	c, tpl, st := parseSite(t, literal)
	w := site.NewMemWriter()
	_, err := site.Build(options(t, c, tpl, st, v), w)
	return w.Files, err
}

func has(t *testing.T, files map[string][]byte, name string, wants ...string) {
	t.Helper()
	data, ok := files[name]
	if !ok {
		t.Errorf("%s not written", name)
		return
	}
	for _, w := range wants {
		if !bytes.Contains(data, []byte(w)) {
			t.Errorf("%s does not contain %q", name, w)
		}
	}
}

func hasNot(t *testing.T, files map[string][]byte, name string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if bytes.Contains(files[name], []byte(w)) {
			t.Errorf("%s contains %q", name, w)
		}
	}
}

func TestItemPage(t *testing.T) {
	files := build(t, `
-- content/advice/systmone.md --
---
title: SystmOne instant messaging
date: 2018-03-05
lastmod: 2018-03-06
topics: [GDPR]
reviewDue: 2020-01-01
changes:
  - date: 2018-04-18
    note: Added the GDPR risk.
---
Instant messages in SystmOne cannot be deleted.
-- content/news/a.md --
---
title: A news item
date: 2016-12-19
---
See the [advice](/advice/systmone/).
`)
	has(t, files, "advice/systmone/index.html",
		`<h1>SystmOne instant messaging</h1>`,
		`<dt>Published</dt><dd><time datetime="2018-03-05">5 Mar 2018</time>`,
		`<dt>Last updated</dt><dd><time datetime="2018-04-18">18 Apr 2018</time> – <a href="#history">see all updates</a>`,
		`<li><time datetime="2018-04-18">18 Apr 2018</time> Added the GDPR risk.</li>`,
		`<li><time datetime="2018-03-05">5 Mar 2018</time> First published.</li>`,
		`This page is due for review.`,
		`<a href="/topics/gdpr/">GDPR</a>`,
		`<a class="skip-link" href="#maincontent"`,
		`<nav class="breadcrumbs" aria-label="Breadcrumb"`,
		`<li><a href="/advice/">Advice</a></li>`,
	)
	has(t, files, "news/a/index.html", `<time datetime="2016-12-19">19 Dec 2016</time>`)
	hasNot(t, files, "news/a/index.html", "Last updated", "due for review")
}

func TestFeedsAnnounceChangeNotesOnly(t *testing.T) {
	files := build(t, `
-- content/advice/noted.md --
---
title: Noted change
date: 2018-03-05
changes:
  - {date: 2019-06-01, note: Rewrote the section on fees.}
---
Body of the noted page.
-- content/advice/bare.md --
---
title: Bare edit
date: 2018-03-01
lastmod: 2020-01-01
---
A bare edit does not re-announce.
`)
	rss := string(files["advice/feed.xml"])
	for _, want := range []string{
		`<atom:link href="https://lmc.example.org/advice/feed.xml" rel="self" type="application/rss+xml">`,
		`<title>Noted change (updated)</title>`,
		`<guid isPermaLink="false">https://lmc.example.org/advice/noted/#updated-2019-06-01</guid>`,
		`<description>Updated 1 Jun 2019: Rewrote the section on fees. Body of the noted page.</description>`,
		`<pubDate>Sat, 01 Jun 2019 00:00:00 +0100</pubDate>`,
		`<guid>https://lmc.example.org/advice/bare/</guid>`,
		`<pubDate>Thu, 01 Mar 2018 00:00:00 +0000</pubDate>`,
		`<content:encoded><![CDATA[<p>Body of the noted page.</p>`,
	} {
		if !strings.Contains(rss, want) {
			t.Errorf("advice/feed.xml lacks %s\n%s", want, rss)
		}
	}
	if strings.Index(rss, "Noted change") > strings.Index(rss, "Bare edit") {
		t.Errorf("the re-announced page should come first")
	}
	has(t, files, "advice/atom.xml", `<link href="https://lmc.example.org/advice/atom.xml" rel="self"`)
	has(t, files, "advice/feed.json", `"feed_url": "https://lmc.example.org/advice/feed.json"`)
	has(t, files, "feed.xml", "Noted change", "Bare edit")
}

func TestFeedLinksAreAbsolute(t *testing.T) {
	files := build(t, `
-- content/news/a/index.md --
---
title: Links
date: 2020-01-01
---
A [relative](/news/b/) link, an image ![logo](logo.png) and a [fragment](#x).
-- content/news/b.md --
---
title: B
date: 2020-01-02
---
B.
-- content/news/a/logo.png --
png
`)
	has(t, files, "news/feed.xml",
		`href="https://lmc.example.org/news/b/"`,
		`src="https://lmc.example.org/news/a/logo.png"`,
		`href="https://lmc.example.org/news/a/#x"`)
	has(t, files, "news/a/index.html", `href="/news/b/"`)
}

func TestTopicsAndAreas(t *testing.T) {
	files := build(t, `
-- content/site.yaml --
title: Test LMC
baseURL: https://lmc.example.org/
topics:
  - {name: GDPR, description: Data protection law.}
  - {name: Sessional GPs, description: Locums and salaried GPs.}
areas:
  - {name: Ealing}
-- content/news/a.md --
---
title: A
date: 2020-01-01
topics: [gdpr, Sessional GPs]
areas: [Ealing]
---
A.
-- content/guidance/b.md --
---
title: B
date: 2021-01-01
topics: [GDPR]
---
B.
`)
	has(t, files, "topics/index.html", `<a href="/topics/gdpr/">GDPR</a> (2 pages)<br>Data protection law.`, `<a href="/topics/sessional-gps/">Sessional GPs</a> (1 page)`)
	has(t, files, "topics/gdpr/index.html", `<h1>GDPR</h1>`, `href="/news/a/"`, `href="/guidance/b/"`)
	has(t, files, "topics/gdpr/feed.xml", "https://lmc.example.org/news/a/", "https://lmc.example.org/guidance/b/")
	has(t, files, "topics/sessional-gps/atom.xml", "https://lmc.example.org/news/a/")
	has(t, files, "news/a/index.html", `<dt>Areas</dt><dd>Ealing</dd>`)
	gdpr := string(files["topics/gdpr/index.html"])
	if strings.Index(gdpr, "/guidance/b/") > strings.Index(gdpr, "/news/a/") {
		t.Error("topic page is not newest first")
	}
}

func TestArchivesAndPagination(t *testing.T) {
	files := build(t, `
-- content/news/_index.md --
---
title: News
---
The latest from the LMC.
-- content/news/a.md --
---
title: Item A
date: 2016-12-13
---
A.
-- content/news/b.md --
---
title: Item B
date: 2016-12-14
---
B.
-- content/news/c.md --
---
title: Item C
date: 2016-12-19
---
C.
-- content/news/d.md --
---
title: Item D
date: 2017-01-05
---
D.
-- content/news/e.md --
---
title: Item E
date: 2016-11-30T23:30:00Z
---
E, published on 30 November in London.
`)
	has(t, files, "news/index.html", `<h1>News (page 1 of 3)</h1>`, "The latest from the LMC.", `href="/news/d/"`, `href="/news/c/"`,
		`<nav class="pagination" aria-label="Pagination">`, `<a href="/news/page/2/" rel="next">`, `<a href="/news/" aria-label="Page 1" aria-current="page">1</a>`)
	hasNot(t, files, "news/index.html", `href="/news/b/"`, `rel="prev"`)
	has(t, files, "news/page/2/index.html", `<a href="/news/" rel="prev">`, `<a href="/news/page/3/" rel="next">`, `href="/news/b/"`, `href="/news/a/"`)
	hasNot(t, files, "news/page/2/index.html", "The latest from the LMC.")
	has(t, files, "news/page/3/index.html", `href="/news/e/"`)
	has(t, files, "news/page/1/index.html", `<meta http-equiv="refresh" content="0; url=https://lmc.example.org/news/">`)
	has(t, files, "news/2016/12/index.html", `<h1>News from December 2016 (page 1 of 2)</h1>`, `href="/news/c/"`)
	has(t, files, "news/2016/11/index.html", `href="/news/e/"`)
	has(t, files, "news/2016/index.html", `href="/news/c/"`)
	has(t, files, "news/2017/01/index.html", `href="/news/d/"`)
	has(t, files, "news/index.html", `<a href="/news/2017/">2017</a> (1)`, `<a href="/news/2016/">2016</a> (4)`)
}

func TestAliasesRedirect(t *testing.T) {
	files := build(t, `
-- content/news/new-home.md --
---
title: New home
date: 2020-01-01
aliases: [/old-cms/item.php, /news/2016/12/old-slug/]
---
Moved.
`)
	for _, name := range []string{"old-cms/item.php", "news/2016/12/old-slug/index.html"} {
		has(t, files, name, `<meta http-equiv="refresh" content="0; url=https://lmc.example.org/news/new-home/">`,
			`<link rel="canonical" href="https://lmc.example.org/news/new-home/">`, `<meta name="robots" content="noindex">`)
	}
	hasNot(t, files, "sitemap.xml", "old-cms")
}

func TestDraftsFutureExpired(t *testing.T) {
	lit := `
-- content/news/draft.md --
---
title: Draft item
date: 2020-01-01
draft: true
---
D.
-- content/news/future.md --
---
title: Future item
date: 2027-01-01
---
F.
-- content/news/scheduled.md --
---
title: Scheduled item
date: 2026-01-01
publishDate: 2027-01-01
---
S.
-- content/news/expired.md --
---
title: Expired item
date: 2020-01-01
expiryDate: 2021-01-01
---
E.
-- content/news/live.md --
---
title: Live item
date: 2020-01-01
---
L.
`
	files, err := tryBuild(t, lit, content.Visibility{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"draft", "future", "scheduled", "expired"} {
		if _, ok := files["news/"+n+"/index.html"]; ok {
			t.Errorf("%s page published by default", n)
		}
	}
	has(t, files, "news/live/index.html", "Live item")
	hasNot(t, files, "feed.xml", "Draft item", "Future item", "Expired item")
	files, err = tryBuild(t, lit, content.Visibility{Drafts: true, Future: true, Expired: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"draft", "future", "scheduled", "expired"} {
		if _, ok := files["news/"+n+"/index.html"]; !ok {
			t.Errorf("%s page not built with --drafts --future --expired", n)
		}
	}
	has(t, files, "news/draft/index.html", "Draft: not published.")
	has(t, files, "news/scheduled/index.html", `Scheduled for <time datetime="2027-01-01">1 Jan 2027</time>`)
	has(t, files, "news/future/index.html", "Scheduled for")
	has(t, files, "news/expired/index.html", `Expired on <time datetime="2021-01-01">1 Jan 2021</time>`)
	hasNot(t, files, "news/live/index.html", "Scheduled for", "Expired on", "Draft:")
}

func TestNewsletterGathersItsMonth(t *testing.T) {
	files := build(t, `
-- content/newsletters/2016-12.md --
---
title: December 2016 newsletter
date: 2016-12-14
---
The editorial.
-- content/news/in.md --
---
title: In December
date: 2016-12-19
---
In.
-- content/news/out.md --
---
title: In November
date: 2016-11-19
---
Out.
-- content/advice/changed.md --
---
title: Changed advice
date: 2015-01-01
changes:
  - {date: 2016-12-02, note: Updated for the new contract.}
---
Advice.
-- content/newsletters/2016-11.md --
---
title: November 2016 newsletter
date: 2016-11-20
items: [news/out]
---
Editorial.
`)
	has(t, files, "newsletters/2016-12/index.html", "The editorial.", `<h2 id="in-this-issue">In this issue</h2>`, `href="/news/in/"`, `href="/advice/changed/"`)
	hasNot(t, files, "newsletters/2016-12/index.html", `href="/news/out/"`)
	has(t, files, "newsletters/2016-11/index.html", `href="/news/out/"`)
}

func TestAttachmentsAndBundles(t *testing.T) {
	files := build(t, `
-- content/advice/letter/index.md --
---
title: Model letter
date: 2020-01-01
attachments:
  - {file: model-letter.pdf, title: Model letter to patients}
  - template.docx
---
Download below.
-- content/advice/letter/model-letter.pdf --
%PDF-1.4 a small pdf that is long enough to have a size
-- content/advice/letter/template.docx --
docx
`)
	has(t, files, "advice/letter/index.html", `<a href="/advice/letter/model-letter.pdf">Model letter to patients</a> (PDF, 56 bytes)`,
		`<a href="/advice/letter/template.docx">template</a> (Word document, 5 bytes)`)
	has(t, files, "advice/letter/model-letter.pdf", "%PDF-1.4")
}

func TestDeterministic(t *testing.T) {
	lit := `
-- content/news/a.md --
---
title: A
date: 2020-01-01
topics: [x, y]
---
A.
-- content/news/b.md --
---
title: B
date: 2020-01-01
topics: [y, z]
---
B.
-- content/guidance/c.md --
---
title: C
date: 2019-01-01
topics: [z]
---
C.
`
	a := build(t, lit)
	for i := 0; i < 3; i++ {
		b := build(t, lit)
		if len(a) != len(b) {
			t.Fatalf("builds differ in file count: %d vs %d", len(a), len(b))
		}
		for name, data := range a {
			if !bytes.Equal(data, b[name]) {
				t.Fatalf("%s differs between two builds of the same input", name)
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	cases := []struct {
		name, literal string
		want          []string
	}{
		{"broken internal link", `
-- content/news/a.md --
---
title: A
date: 2020-01-01
---
First line.

A [broken link](/news/nope/).
`, []string{"content/news/a.md:7:17: error broken-link: link to /news/nope/: no page has this address"}},
		{"link to a draft", `
-- content/news/a.md --
---
title: A
date: 2020-01-01
---
See [the draft](/news/d/).
-- content/news/d.md --
---
title: D
date: 2020-01-01
draft: true
---
D.
`, []string{"content/news/a.md:5:17: error broken-link: link to /news/d/"}},
		{"two files at one address", `
-- content/news/a.md --
---
title: A
date: 2020-01-01
---
A.
-- content/news/b.md --
---
title: B
date: 2020-01-01
slug: a
---
B.
`, []string{"address /news/a/ is also used by content/news/a.md"}},
		{"alias onto a page", `
-- content/news/a.md --
---
title: A
date: 2020-01-01
aliases: [/news/b/]
---
A.
-- content/news/b.md --
---
title: B
date: 2020-01-01
---
B.
`, []string{"content/news/a.md:4: aliases: /news/b/ is also the address of content/news/b.md"}},
		{"alias onto a page, and a broken file elsewhere", `
-- content/news/a.md --
---
title: A
date: 2020-01-01
aliases: [/news/b/]
---
A.
-- content/news/b.md --
---
title: B
date: 2020-01-01
---
B has a [broken link](/news/nope/).
-- content/news/c.md --
---
title: C
date: 2020-13-01
---
C.
`, []string{"content/news/a.md:4: aliases: /news/b/ is also the address of content/news/b.md", "content/news/c.md:3: date:",
			"content/news/b.md:5:23: error broken-link: link to /news/nope/"}},
		{"template calls an unknown field", `
-- content/news/a.md --
---
title: A
date: 2020-01-01
---
A.
-- templates/single.html --
{{template "base.html" .}}
{{define "main"}}<p>{{.Item.Nonsense}}</p>{{end}}
`, []string{"render content/news/a.md: ", "single.html:2", "Nonsense"}},
		{"template syntax error", `
-- content/news/a.md --
---
title: A
date: 2020-01-01
---
A.
-- templates/list.html --
{{template "base.html" .}}
{{define "main"}}{{if}}{{end}}
`, []string{"templates/list.html:", "missing value for if"}},
		{"every broken file at once", `
-- content/news/a.md --
---
title: A
date: 2024-13-01
---
-- content/news/b.md --
---
tittle: B
date: 2020-01-01
---
-- content/news/c.md --
`, []string{"content/news/a.md:3: date:", "content/news/b.md:2: unknown key \"tittle\": did you mean \"title\"?", "content/news/c.md: empty file"}},
		{"newsletter item that does not exist", `
-- content/newsletters/2020-01.md --
---
title: January
date: 2020-01-10
items: [news/missing]
---
E.
`, []string{"content/newsletters/2020-01.md:4: items: \"news/missing\" is not a published page"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := tryBuild(t, c.literal, content.Visibility{})
			if err == nil {
				t.Fatal("build succeeded; want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
			if strings.Contains(err.Error(), "goroutine") || strings.Contains(err.Error(), "panic") {
				t.Errorf("error shows internals:\n%v", err)
			}
		})
	}
}

func TestDirWriterKeepsPreviousSiteOnFailure(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	good := `
-- content/news/a.md --
---
title: A
date: 2020-01-01
---
A.
`
	c, tpl, st := parseSite(t, good)
	w, err := site.NewDirWriter(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(options(t, c, tpl, st, content.Visibility{}), w); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(out, "news/a/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	c["news/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\ndate: 2020-01-01\n---\n[x](/nope/)\n")}
	w2, err := site.NewDirWriter(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(options(t, c, tpl, st, content.Visibility{}), w2); err == nil {
		t.Fatal("broken build succeeded")
	}
	w2.Abort()
	after, err := os.ReadFile(filepath.Join(out, "news/a/index.html"))
	if err != nil || !bytes.Equal(before, after) {
		t.Fatalf("previous site changed after a failed build: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != ".public.previous public" {
		t.Errorf("folders beside the output: %v, want the output and the kept previous build", names)
	}

	// The next good build writes into the kept folder: a page that is gone
	// is gone from the output, and nothing else is left behind.
	delete(c, "news/b.md")
	delete(c, "news/a.md")
	c["news/c.md"] = &fstest.MapFile{Data: []byte("---\ntitle: C\ndate: 2020-01-02\n---\nC.\n")}
	w3, err := site.NewDirWriter(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(options(t, c, tpl, st, content.Visibility{}), w3); err != nil {
		t.Fatal(err)
	}
	if err := w3.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "news/a/index.html")); err == nil {
		t.Error("a removed page is still in the output")
	}
	if _, err := os.Stat(filepath.Join(out, "news/a")); err == nil {
		t.Error("a removed page's folder is still in the output")
	}
	if _, err := os.Stat(filepath.Join(out, "news/c/index.html")); err != nil {
		t.Error("the new page is missing")
	}
	// The build wrote into the kept folder, which now holds the build before.
	if _, err := os.Stat(filepath.Join(dir, ".public.previous", "news/a/index.html")); err != nil {
		t.Error("the replaced build was not kept for the next build to write into")
	}
	mem := site.NewMemWriter()
	if _, err := site.Build(options(t, c, tpl, st, content.Visibility{}), mem); err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			onDisk = append(onDisk, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(onDisk)
	if strings.Join(onDisk, "\n") != strings.Join(mem.Names(), "\n") {
		t.Errorf("the output holds %d files, a clean build %d", len(onDisk), len(mem.Names()))
	}
}

func TestExcerpt(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"Short.", 200, "Short."},
		{"one two three four", 9, "one two..."},
		{"one two, three four", 9, "one two..."},
		{"supercalifragilistic", 5, "super..."},
		{"Blue Stream Academy has added a unique and editable induction module", 40, "Blue Stream Academy has added a unique..."},
	}
	for _, c := range cases {
		if got := site.Excerpt(c.in, c.max); got != c.want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestSitemapAndRobots(t *testing.T) {
	files := build(t, `
-- content/news/a.md --
---
title: A
date: 2020-01-01
lastmod: 2021-02-03
---
A.
`)
	has(t, files, "sitemap.xml", `<loc>https://lmc.example.org/news/a/</loc>`, `<lastmod>2021-02-03</lastmod>`, `<loc>https://lmc.example.org/</loc>`)
	hasNot(t, files, "sitemap.xml", "404.html")
	has(t, files, "robots.txt", "Sitemap: https://lmc.example.org/sitemap.xml")
	has(t, files, "404.html", "Page not found")
}

func TestRawHTMLEscapedUnlessAllowed(t *testing.T) {
	lit := `
-- content/news/a.md --
---
title: A
date: 2020-01-01
---
Text with <script>alert(1)</script> in it.
`
	files := build(t, lit)
	has(t, files, "news/a/index.html", "&lt;script&gt;alert(1)&lt;/script&gt;")
	files = build(t, lit+"-- content/site.yaml --\ntitle: T\nbaseURL: https://x.example/\nallowRawHTML: true\n")
	has(t, files, "news/a/index.html", "<script>alert(1)</script>")
}
