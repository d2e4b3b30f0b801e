package main

import (
	"encoding/json"
	"encoding/xml"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSummariesAreText builds a site whose summaries hold markup and
// Markdown escapes, and reads them back as a feed reader and a browser
// would: a summary is text everywhere, never live HTML, and the text a
// derived summary shows is the page's rendered text, not its Markdown.
func TestSummariesAreText(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"),
		"---\ntitle: Given\ndate: 2020-01-02\nsummary: \"<script>alert(1)</script> & more\"\n---\nBody.\n")
	writeFile(t, filepath.Join(root, "content/news/b.md"),
		"---\ntitle: Derived\ndate: 2020-01-01\n---\n\\<img src=x onerror=alert(2)> costs &pound;5 at AT&amp;T, \\*not\\* bold &#8211; `&amp;` stays.\n")
	out := filepath.Join(t.TempDir(), "public")
	if _, _, err := runCLI(t, "build", "--root", root, "--out", out); err != nil {
		t.Fatal(err)
	}
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := map[string]string{ // by title
		"Given":   "<script>alert(1)</script> & more",
		"Derived": "<img src=x onerror=alert(2)> costs £5 at AT&T, *not* bold – &amp; stays.",
	}
	// asHTML is what a reader shows of text it was told is HTML: it must
	// hold no element, and read as the summary.
	asHTML := func(where, title, got string) {
		t.Helper()
		if strings.ContainsAny(got, "<>") {
			t.Errorf("%s: %q's summary is live HTML: %q", where, title, got)
		}
		if txt := html.UnescapeString(got); txt != want[title] {
			t.Errorf("%s: %q's summary reads %q, want %q", where, title, txt, want[title])
		}
	}

	var atom struct {
		Entries []struct {
			Title   string `xml:"title"`
			Summary struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"summary"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(read("news/atom.xml"), &atom); err != nil {
		t.Fatal(err)
	}
	var rss struct {
		Items []struct {
			Title       string `xml:"title"`
			Description string `xml:"description"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(read("news/feed.xml"), &rss); err != nil {
		t.Fatal(err)
	}
	var jf struct {
		Items []struct {
			Title       string `json:"title"`
			Summary     string `json:"summary"`
			ContentHTML string `json:"content_html"`
		} `json:"items"`
	}
	if err := json.Unmarshal(read("news/feed.json"), &jf); err != nil {
		t.Fatal(err)
	}
	if len(atom.Entries) != 2 || len(rss.Items) != 2 || len(jf.Items) != 2 {
		t.Fatalf("feeds have %d, %d and %d items, want 2", len(atom.Entries), len(rss.Items), len(jf.Items))
	}
	for i := range 2 {
		e := atom.Entries[i]
		if e.Summary.Type == "html" {
			asHTML("atom.xml", e.Title, e.Summary.Text)
		} else if e.Summary.Text != want[e.Title] {
			t.Errorf("atom.xml: %q's summary %q, want %q", e.Title, e.Summary.Text, want[e.Title])
		}
		asHTML("feed.xml", rss.Items[i].Title, rss.Items[i].Description) // RSS descriptions are HTML
		// JSON Feed's summary is plain text by its spec.
		if it := jf.Items[i]; it.Summary != want[it.Title] {
			t.Errorf("feed.json: %q's summary %q, want %q", it.Title, it.Summary, want[it.Title])
		}
	}

	// The listing and the meta description: the same text, escaped once.
	listing := read("news/index.html")
	summaries := regexp.MustCompile(`<p class="item-summary">([^<]*)</p>`).FindAllSubmatch(listing, -1)
	if len(summaries) != 2 {
		t.Fatalf("listing has %d summaries, want 2:\n%s", len(summaries), listing)
	}
	asHTML("news/index.html", "Given", string(summaries[0][1]))
	asHTML("news/index.html", "Derived", string(summaries[1][1]))
	meta := regexp.MustCompile(`<meta name="description" content="([^"]*)">`)
	for slug, title := range map[string]string{"a": "Given", "b": "Derived"} {
		m := meta.FindSubmatch(read("news/" + slug + "/index.html"))
		if m == nil {
			t.Fatalf("news/%s/ has no meta description", slug)
		}
		asHTML("news/"+slug+"/index.html meta description", title, string(m[1]))
	}
}
