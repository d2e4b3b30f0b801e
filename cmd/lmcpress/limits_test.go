package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// limitSite writes a one-page site with front matter front and text body
// in content/news/flu.md, and returns its root.
func limitSite(t *testing.T, front, body string) string {
	t.Helper()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/flu.md"), "---\ntitle: Flu clinics\ndate: 2020-01-02\n"+front+"---\n\n"+body+"\n")
	return root
}

// refused builds root, which must fail with want (and check report it),
// leaving public/ as it was: the theme's stylesheet and search intact.
func refused(t *testing.T, root, want string) {
	t.Helper()
	css := filepath.Join(root, "public/css/site.css")
	before, _ := os.ReadFile(css)
	_, _, err := runCLI(t, "build", "--root", root)
	if err == nil {
		t.Fatalf("the build succeeded; want %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("build: want %q in\n%v", want, err)
	}
	if after, _ := os.ReadFile(css); !bytes.Equal(before, after) {
		t.Error("public/css/site.css changed")
	}
	stdout, _, err := runCLI(t, "check", "--root", root)
	if err == nil || !strings.Contains(stdout, want) {
		t.Errorf("check: %v, want %q in\n%s", err, want, stdout)
	}
}

// TestAliasesAreSitePaths (issue 11, findings 6 and 9): an alias is a
// redirect page written under public/, so one that is another site's
// address, a scheme, a name with characters HTML or a file system reads
// specially, or one differing only in case from another output was
// written as given (or failed in the writer, naming no content file).
// Each is now refused on the page's line, by build and check alike.
func TestAliasesAreSitePaths(t *testing.T) {
	const at = "content/news/flu.md:4: error "
	for _, tt := range []struct{ alias, want string }{
		{"/css/site.css", "address: aliases: /css/site.css is also the address of static/css/site.css"},
		{"/js/search.js", "address: aliases: /js/search.js is also the address of static/js/search.js"},
		{"/search/index/meta.bin", "address: aliases: /search/index/meta.bin is also the address of the search index"},
		{"/CSS/site.css", "address: aliases: /CSS/site.css is also the address of static/css/site.css (as /css/site.css, which differs only in case)"},
		{"/News/Flu/", "address: aliases: /News/Flu/ is also the address of content/news/flu.md"},
		{"/Feed.XML", "address: aliases: /Feed.XML is also the address of the feed /feed.xml"},
		{"//evil.example/x", `front-matter: aliases: "//evil.example/x" is another site's address`},
		{"/javascript:alert(1)", `front-matter: aliases: "/javascript:alert(1)": no scheme`},
		{`/a\"b`, `front-matter: aliases: "/a\"b": the character " is not allowed`},
		{"/a<b>", `front-matter: aliases: "/a<b>": the character < is not allowed`},
		{"/x%00y", `front-matter: aliases: "/x%00y": percent-escapes`},
		{"/../../up/", `front-matter: aliases: "/../../up/": . and .. parts`},
	} {
		t.Run(tt.alias, func(t *testing.T) {
			root := limitSite(t, "", "Text.")
			if _, _, err := runCLI(t, "build", "--root", root); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(root, "content/news/flu.md"), "---\ntitle: Flu clinics\ndate: 2020-01-02\naliases: [\""+tt.alias+"\"]\n---\n\nText.\n")
			refused(t, root, at+tt.want)
		})
	}
}

// TestLongSlugNamesItsPage (issue 11, finding 9): a 300-character slug
// failed in the writer ("file name too long"), naming no content file.
func TestLongSlugNamesItsPage(t *testing.T) {
	long := strings.Repeat("a", 300)
	for key, want := range map[string]string{
		"slug":   "content/news/flu.md:4: error front-matter: slug: gives an address part of 300 bytes",
		"topics": "content/news/flu.md:4: error front-matter: topics: \"" + long + "\" gives an address part of 300 bytes",
	} {
		t.Run(key, func(t *testing.T) {
			value := long
			if key == "topics" {
				value = "[" + long + "]"
			}
			refused(t, limitSite(t, key+": "+value+"\n", "Text."), want)
		})
	}
}

// TestPagesOverTheLimits (issue 11, finding 7): one page could make a
// build run for minutes or fill the disk. Each input here took minutes,
// or would, without its limit (100,000 topics: past 60 s and 842 MB
// written; a list 100,000 deep: quadratic in the parser; 500,000 links:
// each checked, quadratically when broken); with it, the page is refused
// on its line before it is parsed. The build runs under a deadline, so a
// limit that stops working fails the test instead of hanging it for good.
func TestPagesOverTheLimits(t *testing.T) {
	var topics strings.Builder
	topics.WriteString("topics: [")
	for i := range 100_000 {
		fmt.Fprintf(&topics, "t%d, ", i)
	}
	topics.WriteString("last]\n")
	var indented strings.Builder
	for i := range 2_000 {
		indented.WriteString(strings.Repeat("  ", i) + "- x\n")
	}
	for _, tt := range []struct {
		name, front, body, want string
	}{
		{"100,000 topics", topics.String(), "Text.", "content/news/flu.md:4: error front-matter: topics: 100001 topics; a page may have at most 50"},
		{"100,000 areas", strings.Replace(topics.String(), "topics:", "areas:", 1), "Text.", "content/news/flu.md:4: error front-matter: areas: 100001 areas; a page may have at most 50"},
		{"a list 100,000 deep on one line", "", strings.Repeat("- ", 100_000) + "x", "content/news/flu.md:6: error limit: lists or quotes nested 100000 deep"},
		{"quotes 100,000 deep", "", strings.Repeat(">", 100_000) + " x", "content/news/flu.md:6: error limit: lists or quotes nested 100000 deep"},
		{"a list 2,000 deep by indentation", "", indented.String(), "content/news/flu.md:38: error limit: lists or quotes nested 33 deep"},
		{"500,000 links", "", strings.Repeat("[a](b) ", 500_000), "content/news/flu.md:6: error limit: over 5000 links on the page"},
		{"brackets 200,000 deep", "", strings.Repeat("[", 200_000) + "x" + strings.Repeat("]", 200_000), "content/news/flu.md:6: error limit: over 5000 links on the page"},
		{"5 MB of text", "", strings.Repeat("All work and no play. ", 5<<20/22), "content/news/flu.md: error limit: file is 5.2 MB; a Markdown page must be under 4.2 MB"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := limitSite(t, tt.front, tt.body)
			for _, cmd := range []string{"build", "check"} {
				var out, errOut strings.Builder
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				err := run(ctx, []string{cmd, "--root", root}, func(string) string { return "" }, testClock, strings.NewReader(""), &out, &errOut)
				cancel()
				if err == nil {
					t.Fatalf("%s succeeded; want %q", cmd, tt.want)
				}
				if got := out.String() + err.Error(); !strings.Contains(got, tt.want) {
					t.Errorf("%s: want %q in\n%.2000s", cmd, tt.want, got)
				}
			}
			if _, err := os.Stat(filepath.Join(root, "public")); err == nil {
				t.Error("public/ was written")
			}
		})
	}
}

// TestOutputPerPageIsBounded (issue 11, finding 7): with feeds carrying
// full text, a page is copied into up to 156 feed files (three formats,
// the site's, its section's and each of 50 topics'): one 2.7 MB page
// wrote 512 MB. A page whose HTML is over 256 KB is in feeds by its
// summary; a shorter one still in full.
func TestOutputPerPageIsBounded(t *testing.T) {
	var body strings.Builder
	for i := range 6_000 {
		fmt.Fprintf(&body, "All work and no play makes a dull page, paragraph %d.\n\n", i)
	}
	var topics []string
	for i := range 50 {
		topics = append(topics, fmt.Sprintf("t%d", i))
	}
	root := limitSite(t, "topics: ["+strings.Join(topics, ", ")+"]\n", body.String())
	writeFile(t, filepath.Join(root, "content/news/short.md"), "---\ntitle: Short\ndate: 2020-01-03\ntopics: [t0]\n---\n\nShort and sweet.\n")
	if _, _, err := runCLI(t, "build", "--root", root); err != nil {
		t.Fatal(err)
	}
	total := int64(0)
	_ = filepath.Walk(filepath.Join(root, "public"), func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return nil
	})
	if limit := int64(20 * body.Len()); total > limit {
		t.Errorf("a %d-byte page made %d bytes of site; want under %d", body.Len(), total, limit)
	}
	feed, err := os.ReadFile(filepath.Join(root, "public/topics/t0/feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(feed, []byte("paragraph 5999.")) {
		t.Error("the long page's whole text is in the topic's feed")
	}
	if !bytes.Contains(feed, []byte("Short and sweet.</p>")) {
		t.Errorf("the short page's text is not in the feed:\n%.3000s", feed)
	}
}

// TestRenderedPageOverTheLimit: whatever a site's own templates do with a
// page, a page of more than content.MaxPageOutput is reported on its file
// and not written. Here a template shows the page's text 20 times over,
// which a 2 MB page (under the source limit) turns into 40 MB.
func TestRenderedPageOverTheLimit(t *testing.T) {
	var body strings.Builder
	for body.Len() < 2<<20 {
		body.WriteString("All work and no play makes a dull page, paragraph after paragraph.\n\n")
	}
	root := limitSite(t, "", body.String())
	writeFile(t, filepath.Join(root, "templates/single.html"),
		`{{template "base.html" .}}{{define "main"}}{{range 20}}{{$.Item.Content}}{{end}}{{end}}`)
	_, _, err := runCLI(t, "build", "--root", root)
	if err == nil || !strings.Contains(err.Error(), "content/news/flu.md: error limit: its page would be") {
		t.Fatalf("build: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "public")); err == nil {
		t.Error("public/ was written")
	}
}
