package site_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"lmcpress/internal/check"
	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

// secret is written into everything the fuzzed site must not publish:
// letters only, so that slugging and the search index keep it whole.
const secret = "zqxvw"

// FuzzPublish builds a small site from fuzzed front matter and text, with
// the build's own checks, and holds it to "no output file contains text
// that the content did not publish": the fuzzed front matter and text go
// to a published page (front, body) and to pages that are not published
// (a draft, a future, a scheduled and an expired page, and a draft
// bundle with its files: secretFront), whose every field, file name and
// file holds the secret. If the build succeeds, no output file's name or
// bytes (gzip files unpacked: the search index) may hold the secret.
//
//	go test -run='^$' -fuzz=FuzzPublish -fuzztime=60s ./internal/site
//
// Findings are kept in testdata/fuzz/FuzzPublish and run with every go test:
// draft-bundle-attachment is the first, a draft bundle whose plan.txt and
// the file named for the secret were copied (any site showed it).
func FuzzPublish(f *testing.F) {
	for _, s := range [][3]string{
		{"", "", "Text."},
		{"areas: [North]\n", "lastmod: 2020-03-01\n", "A [link](/news/) and [another](/topics/)."},
		{"aliases: [/old/]\n", "place: Room 1\n", "## Heading\n\nText."},
		{"slug: live-news\n", "reviewDue: 2030-01-01\n", "![map](/news/map.png)"},
		{"changes:\n  - date: 2020-02-01\n    note: Updated\n", "", "| a | b |\n|---|---|\n| 1 | 2 |"},
		{"description: \"Says: x\"\n", "", "<!-- a comment -->\nText."},
		{"attachments: [../advice/hidden/index.md]\n", "", "Text."},
		{"attachments: [draft.md]\n", "", "Text."},
	} {
		f.Add(s[0], s[1], s[2], "A value: with \"quotes\" & <b>")
	}
	f.Fuzz(func(t *testing.T, front, secretFront, body, value string) {
		if strings.Contains(strings.ToLower(front+body+value), secret) {
			t.Skip("the published page may publish the secret")
		}
		page := func(head, front, body string) []byte {
			return []byte("---\n" + head + front + "\n---\n" + body + "\n")
		}
		hidden := func(kind string) string {
			k := secret + kind
			slug, _ := json.Marshal(value + "-" + k)
			return "slug: " + string(slug) + "\ntitle: Title " + k + "t\nsummary: " + k + "s\ndescription: " + k + "d\ntopics: [" + k + "topic]\nareas: [" + k + "area]\n" +
				"aliases: [/" + k + "alias/]\nchanges:\n  - date: 2020-02-01\n    note: " + k + "n\n"
		}
		// value, quoted, in the fields a raw mutation rarely writes well.
		q, _ := json.Marshal(value)
		front = "summary: " + string(q) + "\ntopics: [" + string(q) + "]\n" + front
		text := "Text " + secret + "body, [a link](/" + secret + "link/).\n\n" + body
		fsys := fstest.MapFS{
			"site.yaml":                            {Data: []byte("title: Test LMC\nbaseURL: https://lmc.example.org/\npaginate: 2\n")},
			"news/live.md":                         {Data: page("title: Live\ndate: 2020-01-01\n", front, body)},
			"news/draft.md":                        {Data: page(hidden("draft")+"date: 2020-01-01\ndraft: true\n", secretFront, text)},
			"news/future.md":                       {Data: page(hidden("future")+"date: 2099-01-01\n", secretFront, text)},
			"news/scheduled.md":                    {Data: page(hidden("scheduled")+"date: 2020-01-01\npublishDate: 2099-01-01\n", secretFront, text)},
			"news/expired.md":                      {Data: page(hidden("expired")+"date: 2020-01-01\nexpiryDate: 2021-01-01\n", secretFront, text)},
			"advice/hidden/index.md":               {Data: page(hidden("bundle")+"date: 2020-01-01\ndraft: true\nattachments: [{file: plan.txt, title: Plan "+secret+"p}]\n", secretFront, text)},
			"news/map.png":                         {Data: []byte("\x89PNG\r\n")},
			"advice/hidden/plan.txt":               {Data: []byte("Plan " + secret + "file\n")},
			"advice/hidden/" + secret + "name.pdf": {Data: []byte("%PDF-1.4\n")},
		}
		o := options(t, fsys, fstest.MapFS{}, fstest.MapFS{}, content.Visibility{Now: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)})
		o.Check, o.CheckFile = check.Vet, check.VetFile
		w := site.NewMemWriter()
		if _, err := site.Build(o, w); err != nil {
			return // refused: nothing is published
		}
		for name, data := range w.Files {
			if strings.Contains(strings.ToLower(name), secret) {
				t.Fatalf("output file %s is named for an unpublished page", name)
			}
			for _, d := range [][]byte{data, gunzip(data)} {
				if i := bytes.Index(bytes.ToLower(d), []byte(secret)); i >= 0 {
					t.Fatalf("%s holds text of an unpublished page: ...%s...", name, d[max(0, i-60):min(len(d), i+40)])
				}
			}
		}
	})
}

// gunzip unpacks a gzip file; anything else gives nil.
func gunzip(data []byte) []byte {
	if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		return nil
	}
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(io.LimitReader(r, 64<<20))
	return out
}
