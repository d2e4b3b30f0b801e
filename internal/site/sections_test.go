package site_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

// nestedSite is shaped as Hugo sites are: a sub-section with its own
// sub-section and a bundle, a folder that is no section with a second
// introduction.md, Jekyll-named news, and news in a sub-section.
const nestedSite = `
-- content/guidance/_index.md --
---
title: Guidance
---
All our guidance.
-- content/guidance/top.md --
---
title: Top note
date: 2024-01-01
---
Text.
-- content/guidance/other/introduction.md --
---
title: Other introduction
date: 2024-01-02
---
Text.
-- content/guidance/rpkg/_index.md --
---
title: RPKG
description: The record-keeping kit.
---
How to use the kit.
-- content/guidance/rpkg/introduction.md --
---
title: RPKG introduction
date: 2024-01-03
---
See [the setup](../setup/) and [the tools](tools/../../tools/x/).
-- content/guidance/rpkg/b.md --
---
title: RPKG b
date: 2024-01-04
---
Text.
-- content/guidance/rpkg/setup/index.md --
---
title: RPKG setup
date: 2024-01-05
---
![The diagram](diagram.png)
-- content/guidance/rpkg/setup/diagram.png --
PNG
-- content/guidance/rpkg/tools/_index.md --
---
title: Tools
---
-- content/guidance/rpkg/tools/x.md --
---
title: Tool X
date: 2024-01-06
---
Text.
-- content/news/2016-03-03-qgis-rooftop-aspect-analysis.md --
---
title: QGIS rooftop aspect analysis
---
Text.
-- content/news/regional/_index.md --
---
title: Regional news
---
-- content/news/regional/2016-03-10-north.md --
---
title: North
---
Text.
`

func TestNestedSections(t *testing.T) {
	files := build(t, nestedSite)
	crumbs := func(labels ...string) string {
		var b strings.Builder
		b.WriteString("<ol>\n")
		for i := 0; i < len(labels); i += 2 {
			b.WriteString(`<li><a href="` + labels[i+1] + `">` + labels[i] + "</a></li>\n")
		}
		return b.String() + "</ol>"
	}
	// The top section lists its sub-section above its own pages, and the
	// pages of a folder that is no section among them.
	has(t, files, "guidance/index.html",
		`<h2 class="item-title"><a href="/guidance/rpkg/">RPKG</a></h2>
<p class="meta">4 pages in 1 section</p>
<p class="item-summary">The record-keeping kit.</p>`,
		`<a href="/guidance/top/">Top note</a>`,
		`<a href="/guidance/other/introduction/">Other introduction</a>`,
		crumbs("Home", "/"))
	hasNot(t, files, "guidance/index.html", `<a href="/guidance/rpkg/introduction/">`, "Nothing has been published here yet.")
	// The sub-section's listing: its pages, paged like a section's, its
	// own sub-section, its trail.
	has(t, files, "guidance/rpkg/index.html",
		"<h1>RPKG (page 1 of 2)</h1>", "How to use the kit.",
		`<a href="/guidance/rpkg/tools/">Tools</a>`,
		`<a href="/guidance/rpkg/setup/">RPKG setup</a>`,
		crumbs("Home", "/", "Guidance", "/guidance/"),
		`href="/guidance/rpkg/feed.xml"`)
	has(t, files, "guidance/rpkg/page/2/index.html", `<a href="/guidance/rpkg/introduction/">RPKG introduction</a>`)
	hasNot(t, files, "guidance/rpkg/page/2/index.html", `<a href="/guidance/rpkg/tools/">`) // sub-sections on the first page only
	has(t, files, "guidance/rpkg/page/1/index.html", `https://lmc.example.org/guidance/rpkg/`)
	has(t, files, "guidance/rpkg/introduction/index.html",
		crumbs("Home", "/", "Guidance", "/guidance/", "RPKG", "/guidance/rpkg/"),
		`<a href="../setup/">the setup</a>`)
	has(t, files, "guidance/rpkg/tools/x/index.html",
		crumbs("Home", "/", "Guidance", "/guidance/", "RPKG", "/guidance/rpkg/", "Tools", "/guidance/rpkg/tools/"))
	has(t, files, "guidance/rpkg/tools/index.html", crumbs("Home", "/", "Guidance", "/guidance/", "RPKG", "/guidance/rpkg/"))
	// A folder without _index.md keeps its name in the address and the
	// page its section's trail.
	has(t, files, "guidance/other/introduction/index.html", crumbs("Home", "/", "Guidance", "/guidance/"))
	if _, ok := files["guidance/other/index.html"]; ok {
		t.Error("a folder without _index.md got a listing")
	}
	// A bundle in a sub-section, its file beside it.
	has(t, files, "guidance/rpkg/setup/index.html", `<img src="diagram.png" alt="The diagram">`)
	has(t, files, "guidance/rpkg/setup/diagram.png", "PNG")
	// Feeds carry the pages below them; the sub-section has its own.
	has(t, files, "guidance/feed.xml", "/guidance/rpkg/tools/x/", "/guidance/top/")
	has(t, files, "guidance/rpkg/feed.xml", "/guidance/rpkg/tools/x/", "/guidance/rpkg/introduction/")
	hasNot(t, files, "guidance/rpkg/feed.xml", "/guidance/top/")
	// Jekyll names: dated by the name, which leaves the address.
	has(t, files, "news/qgis-rooftop-aspect-analysis/index.html", `<time datetime="2016-03-03">3 Mar 2016</time>`)
	has(t, files, "news/regional/north/index.html", `<time datetime="2016-03-10">10 Mar 2016</time>`,
		crumbs("Home", "/", "News", "/news/", "Regional news", "/news/regional/"))
	// News in a sub-section is in the archives, the news feed and the
	// home page's latest news, but listed in its sub-section.
	has(t, files, "news/2016/03/index.html", "/news/regional/north/", "/news/qgis-rooftop-aspect-analysis/")
	has(t, files, "news/feed.xml", "/news/regional/north/")
	has(t, files, "index.html", `/news/regional/north/`)
	has(t, files, "news/index.html", `<a href="/news/regional/">Regional news</a>`, `<a href="/news/qgis-rooftop-aspect-analysis/">`)
	hasNot(t, files, "news/index.html", `<a href="/news/regional/north/">`)
	has(t, files, "sitemap.xml", "https://lmc.example.org/guidance/rpkg/", "https://lmc.example.org/guidance/rpkg/tools/x/")
}

// TestFolderIndex: Jekyll's docs/index.md above docs/*.md is the docs
// section's page, its text above the listing, not a page colliding with it.
func TestFolderIndex(t *testing.T) {
	files := build(t, `
-- content/docs/index.md --
---
title: Documentation
---
Start here.
-- content/docs/install.md --
---
title: Installation
---
Text.
`)
	has(t, files, "docs/index.html", "<h1>Documentation</h1>", "Start here.", `<a href="/docs/install/">Installation</a>`,
		"<p class=\"meta\">Documentation\n</p>")
	// An undated page (docs is no dated section) shows no date, rather
	// than an empty <time>, which is not valid HTML.
	hasNot(t, files, "docs/index.html", `datetime=""`)
	hasNot(t, files, "docs/install/index.html", `datetime=""`, "Published")
}

// TestNestedCollisions: a page at a sub-section's address, and two
// Jekyll posts with one slug, stop the build, each on its file.
func TestNestedCollisions(t *testing.T) {
	_, err := tryBuild(t, `
-- content/guidance/rpkg/_index.md --
---
title: RPKG
---
-- content/guidance/rpkg.md --
---
title: RPKG page
date: 2024-01-01
---
-- content/news/2016-03-03-flu.md --
---
title: Flu
---
-- content/news/2017-03-03-flu.md --
---
title: Flu again
---
`, content.Visibility{})
	if err == nil {
		t.Fatal("the build succeeded")
	}
	for _, want := range []string{
		"content/guidance/rpkg.md: address /guidance/rpkg/ is also used by content/guidance/rpkg/_index.md",
		"content/news/2017-03-03-flu.md: address /news/flu/ is also used by content/news/2016-03-03-flu.md",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("build errors lack %q:\n%v", want, err)
		}
	}
}

// TestIncrementalSubSections: the preview follows a sub-section as its
// _index.md comes, changes and goes, and as pages move in and out of it,
// equal after each step to a clean build.
func TestIncrementalSubSections(t *testing.T) {
	d := &diskSite{t: t, root: t.TempDir()}
	d.write("content/site.yaml", "title: Test LMC\nbaseURL: https://lmc.example.org/\npaginate: 2\n")
	d.write("content/guidance/_index.md", "---\ntitle: Guidance\n---\n")
	d.write("content/guidance/a.md", page("A", "2024-01-01", nil, "A.", ""))
	d.write("content/guidance/rpkg/b.md", page("B", "2024-01-02", nil, "B.", ""))
	d.write("content/guidance/rpkg/c.md", page("C", "2024-01-03", nil, "C.", ""))
	b := site.NewBuilder(d.options())
	if _, err := b.Rebuild(nil); err != nil {
		t.Fatal(err)
	}
	compare(t, "first build", b, d)
	remove := func(rel string) {
		if err := os.Remove(filepath.Join(d.root, rel)); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []struct {
		what string
		do   func()
		rel  string
	}{
		{"add the sub-section", func() { d.write("content/guidance/rpkg/_index.md", "---\ntitle: RPKG\n---\nKit.\n") }, "content/guidance/rpkg/_index.md"},
		{"retitle it", func() {
			d.write("content/guidance/rpkg/_index.md", "---\ntitle: Kit\ndescription: The kit.\n---\nKit.\n")
		}, "content/guidance/rpkg/_index.md"},
		{"a page joins it", func() { d.write("content/guidance/rpkg/d.md", page("D", "2024-01-04", nil, "D.", "")) }, "content/guidance/rpkg/d.md"},
		{"a page's text in it", func() { d.write("content/guidance/rpkg/d.md", page("D", "2024-01-04", nil, "D again.", "")) }, "content/guidance/rpkg/d.md"},
		{"a sub-section below it", func() { d.write("content/guidance/rpkg/deep/_index.md", "---\ntitle: Deep\n---\n") }, "content/guidance/rpkg/deep/_index.md"},
		{"a page in that", func() { d.write("content/guidance/rpkg/deep/e.md", page("E", "2024-01-05", nil, "E.", "")) }, "content/guidance/rpkg/deep/e.md"},
		{"remove the middle one", func() { remove("content/guidance/rpkg/_index.md") }, "content/guidance/rpkg/_index.md"},
		{"a page leaves", func() { remove("content/guidance/rpkg/b.md") }, "content/guidance/rpkg/b.md"},
		{"remove the deep one", func() { remove("content/guidance/rpkg/deep/_index.md") }, "content/guidance/rpkg/deep/_index.md"},
		{"a top folder's index.md, alone", func() { d.write("content/docs/index.md", "---\ntitle: Docs\n---\nStart.\n") }, "content/docs/index.md"},
		{"a page beside it: its section page", func() { d.write("content/docs/a.md", "---\ntitle: A\n---\n") }, "content/docs/a.md"},
		{"its text", func() { d.write("content/docs/index.md", "---\ntitle: Docs\n---\nStart again.\n") }, "content/docs/index.md"},
		{"the page's text", func() { d.write("content/docs/a.md", "---\ntitle: A\n---\nMore.\n") }, "content/docs/a.md"},
		{"the page goes: a bundle again", func() { remove("content/docs/a.md") }, "content/docs/a.md"},
	} {
		step.do()
		if _, err := b.Rebuild([]string{step.rel}); err != nil {
			t.Fatalf("%s: %v", step.what, err)
		}
		compare(t, step.what, b, d)
	}
}
