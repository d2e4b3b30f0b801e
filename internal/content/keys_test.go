package content

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestTypoOf: a key is taken for a typo of one of lmcpress's own only
// when it plausibly is one. The keys are from real Hugo and Jekyll sites
// and the mistakes people make in lmcpress's own.
func TestTypoOf(t *testing.T) {
	for key, want := range map[string]string{
		// Typos of keys that decide what is published: errors.
		"darft": "draft", "drafts": "draft", "publishdat": "publishDate", "pubishdate": "publishDate",
		"publish": "publishDate", "expiry": "expiryDate", "expirydat": "expiryDate", "expiridate": "expiryDate",
		"publised": "published", "unpublishdat": "unpublishdate",
		// Typos of the rest of lmcpress's keys.
		"sumary": "summary", "summery": "summary", "tittle": "title", "titel": "title", "descripton": "description",
		"alias": "aliases", "aliasses": "aliases", "topic": "topics", "topcis": "topics", "area": "areas",
		"reviewdate": "reviewDue", "review": "reviewDue", "attachment": "attachments", "atachments": "attachments",
		"dtae": "date", "lastmd": "lastmod", "cancelled_reason": "cancelledReason", "permalnk": "permalink",
		// Hugo's and Jekyll's documented keys, however close to one of ours.
		"params": "", "type": "", "weight": "", "layout": "", "linktitle": "", "images": "", "image": "",
		"keywords": "", "series": "", "menu": "", "menus": "", "outputs": "",
		"toc": "", "comments": "", "excerpt_separator": "", "sitemap": "", "markup": "",
		"tags": "", "categories": "", "category": "", "lang": "", "translationkey": "", "resources": "",
		// A theme's own keys: not typos.
		"name": "", "dateend": "", "cover": "", "subtitle": "", "listpages": "", "showtoc": "", "hidemeta": "",
		"bookflatsection": "", "no_list": "", "featured": "", "thumbnail": "", "summaryimage": "", "enddate": "",
		"lastmodified": "", "updated": "", "datepublished": "", "icon": "", "banner": "", "id": "", "to": "",
	} {
		if got := typoOf(key); got != want {
			t.Errorf("typoOf(%q) = %q, want %q", key, got, want)
		}
	}
}

func mustParseWith(t *testing.T, name, src string, cfg *Config) *Page {
	t.Helper()
	p, errs := ParseWith(name, []byte(src), cfg)
	if len(errs) > 0 {
		t.Fatalf("%s: %v", name, errs)
	}
	return p
}

// TestHugoFrontMatter reads a page as Hugo writes it: keys in any case,
// Hugo's other date spellings, a theme's keys, tags and categories, url.
func TestHugoFrontMatter(t *testing.T) {
	p := mustParseWith(t, "guidance/flu.md", `---
Title: Flu vaccination
date: 2024-01-02
PublishDate: 2024-01-03
expirydate: 2030-01-01
modified: 2024-02-01
Summary: Who is eligible.
weight: 10
linkTitle: Flu
params:
  listpages: true
tags: [Flu, vaccination]
categories: [Clinical, flu]
url: /clinical/flu-vaccination.html
author: Dr A Smith
keywords: [flu]
---
Body.
`, nil)
	day := func(s string) time.Time { d, _ := ParseDate(s); return d }
	if p.Title != "Flu vaccination" || p.Summary != "Who is eligible." {
		t.Errorf("title %q, summary %q", p.Title, p.Summary)
	}
	if !p.PublishDate.Equal(day("2024-01-03")) || !p.ExpiryDate.Equal(day("2030-01-01")) || !p.Lastmod.Equal(day("2024-02-01")) {
		t.Errorf("publishDate %v, expiryDate %v, lastmod %v", p.PublishDate, p.ExpiryDate, p.Lastmod)
	}
	if want := []string{"Flu", "vaccination", "Clinical"}; !reflect.DeepEqual(p.Topics, want) {
		t.Errorf("topics %q, want %q", p.Topics, want)
	}
	if want := []string{"/clinical/flu-vaccination.html"}; !reflect.DeepEqual(p.Aliases, want) {
		t.Errorf("aliases %q, want %q", p.Aliases, want)
	}
	if want := []string{"Dr A Smith"}; !reflect.DeepEqual(p.Authors, want) {
		t.Errorf("authors %q, want %q", p.Authors, want)
	}
	if want := []UnusedKey{{"weight", 8}, {"linkTitle", 9}, {"params", 10}, {"keywords", 16}}; !reflect.DeepEqual(p.Unused, want) {
		t.Errorf("unused %v, want %v", p.Unused, want)
	}
	if p.Lines["publishDate"] != 4 || p.Lines["topics"] != 12 || p.Lines["aliases"] != 14 || p.Lines["summary"] != 7 {
		t.Errorf("lines %v", p.Lines)
	}
}

// TestJekyllFrontMatter reads a post as Jekyll writes it.
func TestJekyllFrontMatter(t *testing.T) {
	p := mustParseWith(t, "news/rooftops.md", `---
layout: post
title: "QGIS: rooftop aspect analysis"
date: 2016-03-03 10:00:00 +0000
categories: jekyll update
category: GIS
tags: [qgis]
published: false
permalink: /news/rooftops/
redirect_from:
  - /2016/03/03/rooftops.html
last_modified_at: 2016-04-01
excerpt: Which roofs face south.
author:
  name: Jo Bloggs
  twitter: jo
excerpt_separator: <!--more-->
---
Body.
`, nil)
	if !p.Draft {
		t.Error("published: false is not a draft")
	}
	if want := []string{"jekyll", "update", "GIS", "qgis"}; !reflect.DeepEqual(p.Topics, want) {
		t.Errorf("topics %q, want %q", p.Topics, want)
	}
	// permalink is the page's own address: no redirect to itself.
	if want := []string{"/2016/03/03/rooftops.html"}; !reflect.DeepEqual(p.Aliases, want) {
		t.Errorf("aliases %q, want %q", p.Aliases, want)
	}
	if p.Summary != "Which roofs face south." || p.Lastmod.IsZero() || !reflect.DeepEqual(p.Authors, []string{"Jo Bloggs"}) {
		t.Errorf("summary %q, lastmod %v, authors %q", p.Summary, p.Lastmod, p.Authors)
	}
	if len(p.Unused) != 2 || p.Unused[0].Key != "layout" || p.Unused[1].Key != "excerpt_separator" {
		t.Errorf("unused %v", p.Unused)
	}
}

// TestOtherSpellings: lmcpress's own key wins over another tool's
// spelling of it wherever it comes, and hidden wins over shown.
func TestOtherSpellings(t *testing.T) {
	p := mustParseWith(t, "news/x.md", "---\ntitle: x\ndate: 2019-01-01\npubdate: 2020-01-01\npublishDate: 2021-01-01\nsummary: own\nexcerpt: other\ndraft: false\npublished: false\n---\n", nil)
	if p.PublishDate.Year() != 2021 || p.Summary != "own" || !p.Draft {
		t.Errorf("publishDate %v, summary %q, draft %v", p.PublishDate, p.Summary, p.Draft)
	}
	p = mustParseWith(t, "news/x.md", "---\ntitle: x\ndate: 2020-01-01\npublished: 2022-05-01\n---\n", nil)
	if p.PublishDate.Year() != 2022 || p.Draft {
		t.Errorf("Hugo's published: publishDate %v, draft %v", p.PublishDate, p.Draft)
	}
	// A Hugo file's single value is one term; Jekyll's YAML splits it.
	p = mustParseWith(t, "news/x.md", "+++\ntitle = \"x\"\ndate = 2020-01-01\ntags = \"GP contract\"\n+++\n", nil)
	if !reflect.DeepEqual(p.Topics, []string{"GP contract"}) {
		t.Errorf("TOML tags %q", p.Topics)
	}
}

// TestForeignFrontMatterErrors: what stays an error when other tools'
// keys are read.
func TestForeignFrontMatterErrors(t *testing.T) {
	strict := &Config{StrictFrontMatter: true}
	tests := []struct {
		name, file, src string
		cfg             *Config
		line            int
		want            string
	}{
		{"darft", "news/x.md", "---\ntitle: x\ndate: 2024-01-02\ndarft: true\n---\n", nil, 4, `unknown key "darft": did you mean "draft"?`},
		{"publishdat", "news/x.md", "---\ntitle: x\ndate: 2024-01-02\npublishdat: 2030-01-01\n---\n", nil, 4, `did you mean "publishDate"?`},
		{"alias", "news/x.md", "---\ntitle: x\ndate: 2024-01-02\nalias: [/old/]\n---\n", nil, 4, `did you mean "aliases"?`},
		{"case twice", "news/x.md", "---\ntitle: x\ndate: 2024-01-02\nsummary: a\nSummary: b\n---\n", nil, 5, `Summary: also given as "summary" on line 4`},
		{"strict", "news/x.md", "---\ntitle: x\ndate: 2024-01-02\nweight: 3\n---\n", strict, 4, `unknown key "weight": known keys: title, date`},
		{"strict says why", "news/x.md", "---\ntitle: x\ndate: 2024-01-02\nlayout: post\n---\n", strict, 4, "strictFrontMatter: true"},
		{"permalink pattern", "news/x.md", "---\ntitle: x\ndate: 2024-01-02\npermalink: /:year/:title/\n---\n", nil, 4, `permalink: "/:year/:title/" is a pattern`},
		{"url another site", "news/x.md", "---\ntitle: x\ndate: 2024-01-02\nurl: https://old.example.org/x\n---\n", nil, 4, "url: "},
		{"published false on a section", "news/_index.md", "---\ntitle: News\npublished: false\n---\n", nil, 3, "draft: has no effect here"},
		{"published not a date", "news/x.md", "---\ntitle: x\ndate: 2024-01-02\npublished: maybe\n---\n", nil, 4, `published: cannot parse "maybe"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, errs := ParseWith(tc.file, []byte(tc.src), tc.cfg)
			if p != nil || len(errs) == 0 {
				t.Fatalf("no error; page %+v", p)
			}
			e := errs[0].(*Error)
			if e.Line != tc.line || !strings.Contains(e.Msg, tc.want) {
				t.Errorf("got %v, want line %d with %q", e, tc.line, tc.want)
			}
		})
	}
}

// TestFrontMatterTopics: site.yaml decides which keys feed topics, and
// when it lists the topics, terms it does not list are left out, not
// errors (a Hugo site has hundreds of tags), and summed up once.
func TestFrontMatterTopics(t *testing.T) {
	cfg, err := ParseConfig([]byte("title: T\nbaseURL: https://x.example/\ntopics: [{name: GDPR}, {name: Flu}]\nfrontMatter: {topics: [tags, series]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	src := "---\ntitle: x\ndate: 2024-01-02\ntopics: [GDPR]\ntags: [gdpr, flu, covid, masks]\nseries: [Flu]\ncategories: [Clinical]\n---\n"
	p := mustParseWith(t, "news/x.md", src, cfg)
	if want := []string{"GDPR", "flu"}; !reflect.DeepEqual(p.Topics, want) {
		t.Errorf("topics %q, want %q", p.Topics, want)
	}
	if want := []string{"covid", "masks"}; !reflect.DeepEqual(p.LeftOut, want) {
		t.Errorf("left out %q, want %q", p.LeftOut, want)
	}
	if len(p.Unused) != 1 || p.Unused[0].Key != "categories" {
		t.Errorf("unused %v: categories is not mapped here", p.Unused)
	}
	q := mustParseWith(t, "news/y.md", "---\ntitle: y\ndate: 2024-01-02\ntags: [covid]\ncategories: [a]\nWeight: 1\n---\n", cfg)
	got := UnusedNotes([]*Page{p, q})
	want := []string{
		"not used by lmcpress: `categories` in 2 files, `Weight` in 1 file (accepted; strictFrontMatter: true in content/site.yaml makes them errors)",
		"tags and categories left out, not among content/site.yaml's topics: `covid` in 2 files, `masks` in 1 file (add the ones readers should find under Topics to topics: in content/site.yaml)",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	none, err := ParseConfig([]byte("title: T\nbaseURL: https://x.example/\nfrontMatter: {topics: []}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p := mustParseWith(t, "news/x.md", src, none); !reflect.DeepEqual(p.Topics, []string{"GDPR"}) || len(p.Unused) != 3 {
		t.Errorf("frontMatter: {topics: []}: topics %q, unused %v", p.Topics, p.Unused)
	}
	if _, err := ParseConfig([]byte("title: T\nbaseURL: https://x.example/\nfrontMatter: {topics: [draft]}\n")); err == nil || !strings.Contains(err.Error(), `frontMatter: topics: "draft" already means something else`) {
		t.Errorf("frontMatter: {topics: [draft]}: %v", err)
	}
}

func TestUnusedNotesCapped(t *testing.T) {
	p := &Page{}
	for _, k := range strings.Fields("a b c d e f g h i j k l") {
		p.Unused = append(p.Unused, UnusedKey{Key: k})
	}
	got := UnusedNotes([]*Page{p})
	if len(got) != 1 || !strings.Contains(got[0], "`j` in 1 file and 2 more keys (") {
		t.Errorf("notes %q", got)
	}
	if UnusedNotes([]*Page{{}}) != nil {
		t.Error("notes for a page with nothing unused")
	}
}

// TestUntitled: a page without title: is named, as Hugo and Jekyll
// allow, from a leading heading (then not shown twice) or its file name,
// and summed up once; under strictFrontMatter it is an error again.
func TestUntitled(t *testing.T) {
	p := mustParseWith(t, "docs/rendering.md", "---\nlayout: docs\n---\n\n# Rendering process\n\nText.\n", nil)
	if p.Title != "Rendering process" || p.TitleFrom != "heading" || string(p.Body) != "\nText.\n" || p.BodyLine != 6 {
		t.Errorf("title %q from %q, body %q at line %d", p.Title, p.TitleFrom, p.Body, p.BodyLine)
	}
	q := mustParseWith(t, "news/2016-03-03-qgis-rooftop_aspect.md", "---\ndate: 2016-03-03\n---\nText with no heading.\n", nil)
	if q.Title != "Qgis rooftop aspect" || q.TitleFrom != "file name" {
		t.Errorf("title %q from %q", q.Title, q.TitleFrom)
	}
	b := mustParseWith(t, "advice/model-letters/index.md", "---\ndate: 2016-03-03\n---\n## Not a title\n", nil)
	if b.Title != "Model letters" || !strings.HasPrefix(string(b.Body), "## Not a title") {
		t.Errorf("bundle: title %q, body %q", b.Title, b.Body)
	}
	got := UnusedNotes([]*Page{p, q, b, {File: "x.md", Title: "X"}})
	want := "3 pages have no title: in the front matter, so named from the first heading or the file name: content/advice/model-letters/index.md, content/docs/rendering.md, content/news/2016-03-03-qgis-rooftop_aspect.md (give each a title:)"
	if len(got) != 2 || got[0] != want {
		t.Errorf("notes %q,\nwant first %q", got, want)
	}
	if _, errs := ParseWith("docs/x.md", []byte("---\ndate: 2024-01-01\n---\n# X\n"), &Config{StrictFrontMatter: true}); len(errs) == 0 || !strings.Contains(errs[0].Error(), "title: missing") {
		t.Errorf("strict: %v", errs)
	}
}

// TestHeadless: Hugo's headless pages are never published, whatever the
// flags; on a listing's _index.md the keys are unused.
func TestHeadless(t *testing.T) {
	all := Visibility{Drafts: true, Future: true, Expired: true, Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	for _, src := range []string{
		"---\ntitle: x\nheadless: true\n---\n",
		"---\ntitle: x\nbuild: {render: never, list: never}\n---\n",
		"+++\ntitle = \"x\"\n[build]\nrender = \"link\"\n+++\n",
		"---\ntitle: x\nBuild:\n  render: false\n---\n",
	} {
		if p := mustParseWith(t, "docs/x.md", src, nil); !p.Headless || p.Published(all) {
			t.Errorf("%q: headless %v", src, p.Headless)
		}
	}
	if p := mustParseWith(t, "docs/x.md", "---\ntitle: x\nbuild: {render: always}\n---\n", nil); p.Headless || !p.Published(all) {
		t.Error("build: {render: always} is not published")
	}
	if p := mustParseWith(t, "docs/_index.md", "---\ntitle: x\nbuild: {render: never}\n---\n", nil); p.Headless || len(p.Unused) != 1 {
		t.Errorf("section: headless %v, unused %v", p.Headless, p.Unused)
	}
}

// TestOldAddresses: permalink, url and redirect_from keep a page's old
// addresses once each, never its own; Eleventy's permalink: false is a
// page never published.
func TestOldAddresses(t *testing.T) {
	p := mustParseWith(t, "news/tock.md", "---\ntitle: x\ndate: 2015-05-21\npermalink: /2015/05/21/TockingTime/\nredirect_from: [/2015/05/21/tockingtime/, /news/tock/]\naliases: [/news/tock]\n---\n", nil)
	if want := []string{"/2015/05/21/TockingTime/"}; !reflect.DeepEqual(p.Aliases, want) {
		t.Errorf("aliases %q, want %q", p.Aliases, want)
	}
	if p := mustParseWith(t, "news/x.md", "---\ntitle: x\ndate: 2015-05-21\npermalink: false\n---\n", nil); !p.Headless || len(p.Aliases) != 0 {
		t.Errorf("permalink: false: headless %v, aliases %q", p.Headless, p.Aliases)
	}
}

// TestCascadeHeadless: Hugo's docs keep snippets for other pages under a
// section whose cascade: says build: {render: never}; they are never
// published, and named without a title: they are not listed for it.
func TestCascadeHeadless(t *testing.T) {
	cfg := &Config{Title: "T", BaseURL: "https://x.example/", Paginate: 20}
	fsys := fstest.MapFS{
		"_common/_index.md":       {Data: []byte("---\ncascade:\n  build:\n    list: never\n    render: never\n---\n")},
		"_common/snippet.md":      {Data: []byte("---\n---\nA snippet.\n")},
		"_common/deeper/other.md": {Data: []byte("---\ntitle: Other\n---\nx\n")},
		"glossary/_index.md":      {Data: []byte("---\ntitle: Glossary\ncascade: [{build: {render: never}, _target: {kind: page}}]\n---\n")},
		"glossary/term.md":        {Data: []byte("---\ntitle: Term\n---\nx\n")},
		"docs/_index.md":          {Data: []byte("---\ntitle: Docs\ncascade: {type: docs}\n---\n")},
		"docs/page.md":            {Data: []byte("---\ntitle: Page\n---\nx\n")},
	}
	tree, err := Load(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	headless := map[string]bool{}
	for _, p := range tree.Pages {
		headless[p.File] = p.Headless
	}
	if want := map[string]bool{"_common/_index.md": false, "_common/snippet.md": true, "_common/deeper/other.md": true,
		"glossary/_index.md": false, "glossary/term.md": false, "docs/_index.md": false, "docs/page.md": false}; !reflect.DeepEqual(headless, want) {
		t.Errorf("headless %v, want %v", headless, want)
	}
	notes := strings.Join(UnusedNotes(tree.Pages), "\n")
	if strings.Contains(notes, "snippet") || !strings.Contains(notes, "`cascade` in 2 files") {
		t.Errorf("notes:\n%s", notes)
	}
}

// BenchmarkParseMoved parses a page as a Hugo theme writes it: eight keys
// lmcpress does not use, each looked at as a possible typo.
func BenchmarkParseMoved(b *testing.B) {
	src := []byte("---\ntitle: Flu\ndate: 2024-01-02\nweight: 10\nlinkTitle: Flu\nkeywords: [flu]\nparams: {toc: true}\nlayout: single\nshowToc: true\nhero: flu.jpg\nimage_alt: A clinic\ntags: [Flu]\n---\nBody.\n")
	for b.Loop() {
		if _, errs := Parse("news/flu.md", src); errs != nil {
			b.Fatal(errs)
		}
	}
}

func BenchmarkTypoOf(b *testing.B) {
	keys := []string{"weight", "linktitle", "keywords", "params", "layout", "showtoc", "hero", "image_alt"}
	for b.Loop() {
		for _, k := range keys {
			typoOf(k)
		}
	}
}
