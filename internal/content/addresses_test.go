package content

import (
	"strings"
	"testing"
	"time"
)

// book makes a book from files written as name → front matter and text;
// names that are not pages' (IsPage) are other content files.
func newTestBook(t *testing.T, paginate int, static []string, files map[string]string) *Book {
	t.Helper()
	var pages []*Page
	var other []string
	for name, src := range files {
		if !IsPage(name) {
			other = append(other, name)
			continue
		}
		p, errs := Parse(name, []byte(src))
		if len(errs) > 0 {
			t.Fatalf("%s: %v", name, errs)
		}
		pages = append(pages, p)
	}
	// Pages arrive sorted by file, as Load gives them.
	for i := range pages {
		for j := i + 1; j < len(pages); j++ {
			if pages[j].File < pages[i].File {
				pages[i], pages[j] = pages[j], pages[i]
			}
		}
	}
	return NewBook(&Config{Paginate: paginate}, pages, other, static, Visibility{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
}

func item(title, date string, extra ...string) string {
	return "---\ntitle: " + title + "\ndate: " + date + "\n" + strings.Join(extra, "\n") + "\n---\nText.\n"
}

var addressSite = map[string]string{
	"_index.md":              "---\ntitle: Home\n---\nHi.\n",
	"news/a.md":              item("A", "2024-01-05", "topics: [GDPR, Sessional GPs]", "aliases: [/old-a/, /news/2023/a.html, /news/a]"),
	"news/b.md":              item("B", "2024-01-20", "topics: [GDPR]"),
	"news/c.md":              item("C", "2023-12-05"),
	"news/draft.md":          item("Draft", "2024-02-01", "draft: true"),
	"advice/model/index.md":  item("Model letters", "2022-03-01"),
	"advice/model/form.pdf":  "",
	"advice/model/img/x.png": "",
	"guidance/_index.md":     "---\ntitle: Guidance\n---\nNone yet.\n",
	"about.md":               "---\ntitle: About\n---\nAbout.\n",
	"files/map.png":          "",
}

func TestBookAddresses(t *testing.T) {
	b := newTestBook(t, 2, []string{"css/site.css"}, addressSite)
	if errs := b.Errors(); len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
	for _, tt := range []struct {
		addr string
		want bool
		why  string
	}{
		{"/", true, "the home page"},
		{"/news/a/", true, "an item"},
		{"/news/a", true, "an item without its slash"},
		{"/news/a/index.html", true, "an item's file"},
		{"/news/draft/", false, "a draft is not published"},
		{"/about/", true, "a plain page"},
		{"/advice/model/", true, "a page bundle"},
		{"/advice/model/form.pdf", true, "a bundle's file ships beside its page"},
		{"/advice/model/img/x.png", true, "a bundle's file in a folder of its own"},
		{"/files/map.png", true, "another content file keeps its path"},
		{"/css/site.css", true, "a static file"},
		{"/news/", true, "a section listing"},
		{"/news/page/2/", true, "the second page of three items two a page"},
		{"/news/page/1/", true, "page 1 redirects to the listing"},
		{"/news/page/3/", false, "three items make two pages"},
		{"/guidance/", true, "a section with an _index.md and no items"},
		{"/advice/page/2/", false, "one item makes one page"},
		{"/news/2024/", true, "a year's archive"},
		{"/news/2024/01/", true, "a month's archive"},
		{"/news/2023/12/", true, "another month's archive"},
		{"/news/2024/02/", false, "only the draft is from February"},
		{"/topics/", true, "the topic index"},
		{"/topics/gdpr/", true, "a topic"},
		{"/topics/sessional-gps/", true, "a topic's slug"},
		{"/topics/gdpr/feed.xml", true, "a topic's feed"},
		{"/news/atom.xml", true, "a section's feed"},
		{"/feed.json", true, "the site's feed"},
		{"/guidance/feed.xml", true, "an empty section's feed"},
		{"/search/", true, "the search page"},
		{"/404.html", true, "the not-found page"},
		{"/sitemap.xml", true, "the sitemap"},
		{"/robots.txt", true, "robots.txt"},
		{"/old-a/", true, "an alias"},
		{"/news/2023/a.html", true, "an alias with an extension is that file"},
	} {
		if got := b.Has(tt.addr); got != tt.want {
			t.Errorf("Has(%s) = %v; want %v (%s)", tt.addr, got, tt.want, tt.why)
		}
	}
	if got := b.FileURL("advice/model/form.pdf"); got != "/advice/model/form.pdf" {
		t.Errorf("FileURL = %s", got)
	}
	var aliases []string
	for _, a := range b.Aliases() {
		aliases = append(aliases, a.Out+" → "+a.Page.File)
	}
	if got, want := strings.Join(aliases, ", "), "old-a/index.html → news/a.md, news/2023/a.html → news/a.md"; got != want {
		t.Errorf("aliases: %s; want %s", got, want)
	}
}

// TestBookCollisions: every way two things can claim one address is an
// error on the file that can be changed.
func TestBookCollisions(t *testing.T) {
	for _, tt := range []struct {
		name   string
		static []string
		files  map[string]string
		want   string
	}{
		{"alias onto a page", nil, map[string]string{"news/a.md": item("A", "2024-01-01", "aliases: [/news/b/]"), "news/b.md": item("B", "2024-01-01")},
			"content/news/a.md:4: aliases: /news/b/ is also the address of content/news/b.md"},
		{"alias onto an alias", nil, map[string]string{"news/a.md": item("A", "2024-01-01", "aliases: [/old/]"), "news/b.md": item("B", "2024-01-01", "aliases: [/old]")},
			"content/news/b.md:4: aliases: /old is also the address of an alias of content/news/a.md"},
		{"alias onto a feed", nil, map[string]string{"news/a.md": item("A", "2024-01-01", "aliases: [/news/feed.xml]")},
			"content/news/a.md:4: aliases: /news/feed.xml is also the address of the feed /news/feed.xml"},
		{"alias onto the sitemap", nil, map[string]string{"news/a.md": item("A", "2024-01-01", "aliases: [/sitemap.xml]")},
			"aliases: /sitemap.xml is also the address of lmcpress's /sitemap.xml"},
		{"alias onto a static file", []string{"css/site.css"}, map[string]string{"news/a.md": item("A", "2024-01-01", "aliases: [/css/site.css]")},
			"aliases: /css/site.css is also the address of static/css/site.css"},
		{"alias into the search index", nil, map[string]string{"news/a.md": item("A", "2024-01-01", "aliases: [/search/index/meta.bin]")},
			"aliases: /search/index/meta.bin is also the address of the search index"},
		{"alias onto an archive", nil, map[string]string{"news/a.md": item("A", "2024-01-01", "aliases: [/news/2024/]")},
			"aliases: /news/2024/ is also the address of the news archive for 2024"},
		{"alias onto the home page", nil, map[string]string{"news/a.md": item("A", "2024-01-01", "aliases: [/]")},
			`content/news/a.md:4: aliases: "/" would replace the home page`},
		{"page onto the topic index", nil, map[string]string{"topics.md": "---\ntitle: Topics\n---\nx\n"},
			"content/topics.md: address /topics/ is also the address of the topic index: rename the file or set a different `slug:`"},
		{"page onto a news archive", nil, map[string]string{"news/a.md": item("A", "2024-01-01"), "news/b.md": item("B", "2024-01-01", "slug: \"2024\"")},
			"content/news/b.md:4: address /news/2024/ is also the address of the news archive for 2024"},
		{"section onto the search page", nil, map[string]string{"search/a.md": item("A", "2024-01-01")},
			"content/search: the section listing /search/ would replace the search page"},
		{"file onto a static file", []string{"css/site.css"}, map[string]string{"css/site.css": ""},
			"content/css/site.css: /css/site.css is also written by static/css/site.css: rename or move one of them"},
		{"file onto a page", nil, map[string]string{"news/a.md": item("A", "2024-01-01"), "news/a/index.html": ""},
			"content/news/a/index.html: /news/a/index.html is also written by content/news/a.md"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			errs := newTestBook(t, 20, tt.static, tt.files).Errors()
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) {
				t.Fatalf("errors:\n%v\nwant one with %q", errs, tt.want)
			}
			if r := errs[0].(*Error).Rule; r != AddressTaken {
				t.Errorf("rule %q", r)
			}
		})
	}
}

func TestBookResolve(t *testing.T) {
	b := newTestBook(t, 2, []string{"css/site.css"}, addressSite)
	from := b.PageAt("/news/a/")
	if from == nil {
		t.Fatal("no page at /news/a/")
	}
	for _, tt := range []struct {
		dest  string
		image bool
		want  string // "" for a good link, else the problem's kind and words
	}{
		{"/news/b/", false, ""},
		{"../b/", false, ""},
		{"/advice/model/form.pdf", false, ""},
		{"/css/site.css", false, ""},
		{"https://www.bma.org.uk/", false, ""},
		{"mailto:office@example.org", false, ""},
		{"#part", false, ""},
		{"/news/b/#part", false, ""},
		{"/news/bb/", false, "broken-link: link to /news/bb/: no page has this address | did you mean /news/b/?"},
		{"/News/B/", false, "broken-link: link to /News/B/: no page has this address | did you mean /news/b/?"},
		{"/news/draft/", false, "broken-link: link to /news/draft/: no page has this address | link to the page's current address"},
		{"/news/something-else/", false, "broken-link: link to /news/something-else/: no page has this address | link to the page's current address"},
		{"b.md", false, "broken-link: link to b.md: links go to a page's address, not its file | link to /news/b/"},
		{"draft.md", false, "broken-link: link to draft.md: no published page comes from this file"},
		{"/advice/model/from.pdf", false, "missing-attachment: link to /advice/model/from.pdf: no file has this address | did you mean /advice/model/form.pdf?"},
		{"/files/nap.png", true, "missing-image: image /files/nap.png: no image has this address | did you mean /files/map.png?"},
		{"https://", false, "broken-link: link to https://: the address has no site name"},
		{"http://[::1", false, `broken-link: link to "http://[::1": not a valid address`},
	} {
		l := b.Resolve(from, tt.dest, tt.image)
		got := ""
		if l.Problem != nil {
			got = l.Problem.Kind + ": " + l.Problem.Msg + " | " + l.Problem.Hint
		}
		if tt.want == "" && got != "" || tt.want != "" && !strings.HasPrefix(got, tt.want) {
			t.Errorf("Resolve(%q) = %q; want %q", tt.dest, got, tt.want)
		}
	}
	if l := b.Resolve(from, "/news/b/#part", false); l.Page == nil || l.Page.File != "news/b.md" || l.Fragment != "part" {
		t.Errorf("anchor link: %+v", l)
	}
	if l := b.Resolve(from, "#part", false); l.Page != from {
		t.Errorf("a fragment alone is on the linking page: %+v", l)
	}
	if l := b.Resolve(from, "//www.bma.org.uk/x#y", false); l.External != "https://www.bma.org.uk/x" {
		t.Errorf("external: %+v", l)
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 10, 0},
		{"abc", "abc", 10, 0},
		{"practice-boundary", "practice-boundaries", 10, 3},
		{"kitten", "sitting", 10, 3},
		{"kitten", "sitting", 2, 2}, // stops at the limit
		{"a", "abcdef", 3, 3},       // lengths alone exceed it
		{"café", "cafe", 10, 1},     // characters, not bytes
	} {
		if got := Distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("Distance(%q, %q, %d) = %d; want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}
