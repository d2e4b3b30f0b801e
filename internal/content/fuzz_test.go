package content

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/adrg/frontmatter"
)

// seeds are realistic files, good and bad, in the forms LMC staff and site
// exports produce: YAML, TOML, CRLF line ends, a byte-order mark.
var seeds = []string{
	"---\ntitle: Flu clinics\ndate: 2024-09-01\n---\nBook now.\n",
	"---\r\ntitle: Flu clinics\r\ndate: 2024-09-01\r\n---\r\nBook now.\r\n",
	"\ufeff---\ntitle: Flu clinics\ndate: 2024-09-01\n---\nBook now.\n",
	"+++\ntitle = \"Flu clinics\"\ndate = 2024-09-01T09:00:00\n+++\nBook now.\n",
	"+++\r\ntitle = \"x\"\r\n[[changes]]\r\ndate = 2024-01-01\r\nnote = \"n\"\r\n+++\r\n",
	"+++\ntitle = \"x\"\ndate = 2024-01-02\n[[attachments]]\nfile = \"a.pdf\"\ntitle = \"A\"\n[meta]\nx = 1\n+++\n",
	`---
title: "Subject access requests: a guide"
date: 2018-04-18
lastmod: 2019-01-10T09:00:00Z
topics: [GDPR, IT and Data]
areas: Northfield
draft: false
publishDate: 2018-04-18 09:00
expiryDate: 2030-01-01
reviewDue: 2025-04-18
slug: sars
aliases: [/old/sars.html]
attachments:
  - letter.pdf
  - {file: forms/request.docx, title: Request form}
changes:
  - date: 2018-06-01
    note: Added the fee rules
---
# Heading

Body with [a link](/news/x/).
`,
	"---\ntitle: \"Flu\ndate: 2024-01-02\n---\n",
	"---\ntitle: x\n  date: 2024-01-02\n---\n",
	"---\ntittle: x\nlastmodified: 2024-01-01\ndraft: maybe\n---\n",
	"---\ntitle: x\ndate: 19/12/2016\nchanges:\n  - date: 2024-02-30\n    notes: x\n---\n",
	"---\ntitle: x\ntitle: y\n---\n",
	"---\n- a\n- b\n---\n",
	"---\ntitle: &a x\nsummary: *a\nareas: *b\n---\n",
	"---\ntitle: x\n",
	"+++\ntitle = \"x\"\n",
	"\n\n---\ntitle: x\n---\n",
	"---\n---\n",
	"# No front matter\n",
	"",
	" \n\t\n",
	"\x00\x01\x02",
	"---\ntitle: caf\xe9\n---\n",
	"---\ntitle: x\nattachments: [../../etc/passwd, /abs.pdf, \"\"]\n---\n",
	"---\ntitle: x\ndate: !!binary aGVsbG8=\ntopics: !!map {a: b}\n---\n",
	"---\ntitle: x\ndate: 2024-01-02\n---\n---\nsecond: doc\n---\n",
	// Moved from Hugo and Jekyll: a theme's keys, other spellings, keys in
	// other cases, old addresses and taxonomies.
	"---\nTitle: Flu\nPublishDate: 2024-01-02\nexpirydate: 2030-01-01\nweight: 5\nparams: {listpages: true}\ntags: [Flu, flu, GDPR]\nurl: /old/flu.html\nauthors: [A, {name: B}]\n---\n",
	"---\nlayout: post\ntitle: x\ndate: 2016-03-03\npublished: false\ncategories: jekyll update\ncategory: News\npermalink: /:categories/:title/\nredirect_from: [/a/, b.html]\nlast_modified_at: 2016-04-01\n---\n",
	"+++\ntitle = \"x\"\ndate = 2024-01-02\npubdate = 2024-01-03\nunpublishdate = 2030-01-01\ntags = \"GP contract\"\nurl = \"/news/x/\"\n[params]\ntoc = true\n[[cascade]]\nx = 1\n+++\n",
	"---\ntitle: x\ndarft: true\nsumary: s\nalias: [/a/]\nTitle: y\n---\n",
}

func FuzzSplit(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fm, format, body, bodyLine := Split(src)
		// The same as the parser reading the whole file, as it does given
		// a plain reader.
		var raw rawFrontMatter
		wantFormat, wantOff := "", 0
		if rest, err := frontmatter.Parse(bytes.NewReader(src), &raw, yamlFormat, tomlFormat); err == nil && raw.format != "" {
			wantFormat, wantOff = raw.format, len(src)-len(rest)
		}
		if format != wantFormat || len(src)-len(body) != wantOff || (format != "" && !bytes.Equal(fm, raw.text)) {
			t.Fatalf("Split: %s front matter %q, body from %d; reading it all: %s %q, body from %d",
				format, fm, len(src)-len(body), wantFormat, raw.text, wantOff)
		}
		if len(fm)+len(body) > len(src) {
			t.Fatalf("front matter (%d) + body (%d) longer than input (%d)", len(fm), len(body), len(src))
		}
		if !bytes.HasSuffix(src, body) {
			t.Fatalf("body %q is not the end of the input", body)
		}
		if bodyLine < 1 || bodyLine > 1+bytes.Count(src, []byte("\n")) {
			t.Fatalf("bodyLine = %d for %d lines", bodyLine, 1+bytes.Count(src, []byte("\n")))
		}
		switch format {
		case "":
			if len(fm) != 0 || len(body) != len(src) {
				t.Fatalf("no format, but front matter %q and body %q", fm, body)
			}
		case "yaml", "toml":
			if !bytes.Contains(src, fm) {
				t.Fatalf("front matter %q is not in the input", fm)
			}
		default:
			t.Fatalf("format %q", format)
		}
	})
}

func FuzzParse(f *testing.F) {
	names := []string{"news/x.md", "advice/x/index.md", "_index.md", "news/_index.md", "about.md"}
	for i, s := range seeds {
		f.Add(names[i%len(names)], []byte(s))
	}
	f.Add("news/---.md", []byte(seeds[0]))
	f.Add("news/Café Über.md", []byte(seeds[0]))
	f.Fuzz(func(t *testing.T, name string, src []byte) {
		if !fs.ValidPath(name) || name == "." {
			return
		}
		p, errs := Parse(name, src)
		if p == nil && len(errs) == 0 {
			t.Fatal("no page and no error")
		}
		checkForeign(t, name, src, p)
		if p != nil && len(errs) > 0 {
			t.Fatalf("a page and errors: %v", errs)
		}
		lines := 1 + bytes.Count(src, []byte("\n"))
		for _, err := range errs {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not a *content.Error", err, err)
			}
			if e.File != "content/"+name {
				t.Fatalf("error names %q, want %q", e.File, "content/"+name)
			}
			if e.Line < 0 || e.Line > lines {
				t.Fatalf("error at line %d of a %d-line file: %v", e.Line, lines, e)
			}
			if e.Msg == "" {
				t.Fatal("empty message")
			}
		}
		if p != nil {
			if p.Title == "" || strings.TrimSpace(p.Title) != p.Title {
				t.Fatalf("title %q", p.Title)
			}
			if p.Kind == KindPage && p.Slug == "" {
				t.Fatal("page without a slug")
			}
			if u := p.URL(); !strings.HasPrefix(u, "/") || !strings.HasSuffix(u, "/") {
				t.Fatalf("URL %q", u)
			}
			if p.BodyLine < 1 {
				t.Fatalf("BodyLine %d", p.BodyLine)
			}
			for i := 1; i < len(p.Changes); i++ {
				if p.Changes[i].Date.After(p.Changes[i-1].Date) {
					t.Fatal("changes not newest first")
				}
			}
			for _, a := range p.Attachments {
				if strings.HasPrefix(a.File, "../") || strings.HasPrefix(a.File, "/") {
					t.Fatalf("attachment outside content: %q", a.File)
				}
			}
		}
	})
}

const fuzzSiteYAML = `title: Fuzz LMC
baseURL: https://lmc.example.org/
topics:
  - name: GDPR
  - name: Contracts
areas:
  - name: Northfield
`

func FuzzLoad(f *testing.F) {
	f.Add("news/a.md", []byte(seeds[0]), "news/A.md", []byte(seeds[1]), "advice/x/index.md", []byte(seeds[6]))
	f.Add("news/a.md", []byte("---\ntitle: a\ndate: 2024-01-02\ntopics: [GPDR]\nattachments: [a.pdf]\n---\n"), "news/a.pdf", []byte("%PDF"), "", []byte(nil))
	f.Add("advice/x.md", []byte(seeds[3]), "advice/x/index.md", []byte(seeds[4]), "advice/_index.md", []byte(seeds[5]))
	f.Add("about.md", []byte(seeds[7]), "about/index.md", []byte(seeds[9]), ".hidden.md", []byte(seeds[10]))
	f.Fuzz(func(t *testing.T, n1 string, d1 []byte, n2 string, d2 []byte, n3 string, d3 []byte) {
		cfg, err := ParseConfig([]byte(fuzzSiteYAML))
		if err != nil {
			t.Fatal(err)
		}
		fsys := fstest.MapFS{ConfigFile: {Data: []byte(fuzzSiteYAML)}}
		for _, f := range []struct {
			name string
			data []byte
		}{{n1, d1}, {n2, d2}, {n3, d3}} {
			if !fs.ValidPath(f.name) || f.name == "." || f.name == ConfigFile {
				continue
			}
			fsys[f.name] = &fstest.MapFile{Data: f.data}
		}
		tree, err := Load(fsys, cfg)
		if err != nil {
			if tree != nil {
				t.Fatal("a tree and an error")
			}
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %T %v is not content.Errors", err, err)
			}
			for _, e := range es {
				var ce *Error
				if !errors.As(e, &ce) || !strings.HasPrefix(ce.File, "content/") {
					t.Fatalf("error %v does not name a file", e)
				}
			}
			return
		}
		seen := map[string]bool{}
		for _, p := range tree.Pages {
			if seen[p.URL()] {
				t.Fatalf("two pages at %s", p.URL())
			}
			seen[p.URL()] = true
		}
	})
}

// fuzzListed is a site.yaml that lists its topics and wants lmcpress's
// keys only, for checkForeign.
var fuzzListed = &Config{Topics: []Term{{Name: "GDPR"}, {Name: "Flu"}}, FrontMatter: FrontMatterConfig{Topics: []string{"tags", "series"}}}

// checkForeign holds what reading other tools' keys promises, for the page
// Parse made of src (nil when it failed): unused keys are never
// lmcpress's own; topics are distinct; every alias is a plain path; under
// site.yaml's topics, only listed ones are kept from tags; under
// strictFrontMatter, a page with an unused key does not load.
func checkForeign(t *testing.T, name string, src []byte, p *Page) {
	t.Helper()
	if p != nil {
		for _, u := range p.Unused {
			if _, own := ownKeys[strings.ToLower(u.Key)]; own {
				t.Fatalf("own key %q reported unused", u.Key)
			}
		}
		seen := map[string]bool{}
		for _, tp := range p.Topics {
			if seen[Slugify(tp)] {
				t.Fatalf("topic %q twice in %q", tp, p.Topics)
			}
			seen[Slugify(tp)] = true
		}
		for _, a := range p.Aliases {
			if msg := CheckAlias(a); msg != "" {
				t.Fatalf("alias %q: %s", a, msg)
			}
		}
	}
	listed, _ := ParseWith(name, src, fuzzListed)
	if listed != nil {
		for _, tp := range listed.LeftOut {
			if Slugify(tp) == "gdpr" || Slugify(tp) == "flu" {
				t.Fatalf("listed topic %q left out", tp)
			}
		}
	}
	strict := *fuzzListed
	strict.StrictFrontMatter = true
	if sp, _ := ParseWith(name, src, &strict); sp != nil && len(sp.Unused) > 0 {
		t.Fatalf("strict front matter loaded a page with unused keys %v", sp.Unused)
	}
}
