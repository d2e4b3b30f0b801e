package content

import (
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestJekyllNames: a file named YYYY-MM-DD-slug.md is dated by its name
// when front matter gives no date, and its address drops the date
// whatever front matter says; `slug:` wins over both.
func TestJekyllNames(t *testing.T) {
	for _, tt := range []struct {
		name, front string
		date        time.Time
		url         string
	}{
		{"news/2016-03-03-qgis-rooftop-aspect-analysis.md", "title: QGIS", day(2016, time.March, 3), "/news/qgis-rooftop-aspect-analysis/"},
		{"news/2016-03-03-qgis.md", "title: QGIS\ndate: 2016-04-01", day(2016, time.April, 1), "/news/qgis/"},
		{"news/2016-03-03-qgis.md", "title: QGIS\nslug: rooftops", day(2016, time.March, 3), "/news/rooftops/"},
		{"news/2016-07-03-summer.md", "title: Summer", day(2016, time.July, 3), "/news/summer/"}, // BST: midnight UK time
		{"advice/2016-03-03-fees/index.md", "title: Fees", day(2016, time.March, 3), "/advice/fees/"},
		{"guidance/rpkg/2019-01-31-setup.md", "title: Setup", day(2019, time.January, 31), "/guidance/rpkg/setup/"},
		{"2016-03-03-about.md", "title: About", day(2016, time.March, 3), "/about/"},
		{"post/2015-7-1-report.markdown", "title: Report", day(2015, time.July, 1), "/post/report/"},
	} {
		p := mustParse(t, tt.name, "---\n"+tt.front+"\n---\nText.\n")
		if !p.Date.Equal(tt.date) || p.Date.Location() != London || p.URL() != tt.url {
			t.Errorf("%s with %q: date %v, URL %s; want %v, %s", tt.name, tt.front, p.Date, p.URL(), tt.date, tt.url)
		}
	}
	// A name that is no date is not one: the item still needs its date.
	_, errs := Parse("news/2016-02-30-flu.md", []byte("---\ntitle: Flu\n---\n"))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "date: missing") {
		t.Errorf("a name with 30 February: %v; want date missing", errs)
	}
	// Given but empty is still an error: the name does not hide it.
	_, errs = Parse("news/2016-03-03-flu.md", []byte("---\ntitle: Flu\ndate:\n---\n"))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "content/news/2016-03-03-flu.md:3: date:") {
		t.Errorf("an empty date: %v", errs)
	}
	if _, errs := Parse("news/__/flu.md", []byte("---\ntitle: Flu\ndate: 2016-01-01\n---\n")); len(errs) != 1 ||
		errs[0].Error() != `content/news/__/flu.md: the folder name "__" gives an empty address: rename it with letters or digits` {
		t.Errorf("a folder with no letters: %v", errs)
	}
}

// nestedSite is a Hugo-shaped tree: a sub-section (guidance/rpkg, with an
// _index.md) with a sub-section of its own and a bundle, a folder that is
// no section (guidance/other), two introduction.md, Jekyll names in news,
// and news in a sub-section of news.
var nestedSite = map[string]string{
	"guidance/_index.md":                   "---\ntitle: Guidance\n---\n",
	"guidance/top.md":                      item("Top", "2024-01-01"),
	"guidance/rpkg/_index.md":              "---\ntitle: RPKG\n---\nThe kit.\n",
	"guidance/rpkg/introduction.md":        item("Intro", "2024-01-02"),
	"guidance/rpkg/b.md":                   item("B", "2024-01-03"),
	"guidance/rpkg/c.md":                   item("C", "2024-01-04"),
	"guidance/rpkg/setup/index.md":         item("Setup", "2024-01-05"),
	"guidance/rpkg/setup/diagram.png":      "",
	"guidance/rpkg/tools/_index.md":        "---\ntitle: Tools\n---\n",
	"guidance/rpkg/tools/x.md":             item("X", "2024-01-06"),
	"guidance/other/introduction.md":       item("Other intro", "2024-01-07"),
	"news/2016-03-03-qgis-rooftop.md":      "---\ntitle: QGIS\n---\nText.\n",
	"news/regional/_index.md":              "---\ntitle: Regional news\n---\n",
	"news/regional/2016-04-01-north.md":    "---\ntitle: North\n---\nText.\n",
	"news/regional/2016-04-02-south.md":    "---\ntitle: South\n---\nText.\n",
	"news/regional/2016-04-03-east.md":     "---\ntitle: East\n---\nText.\n",
	"news/regional/2016-04-04-west.md":     "---\ntitle: West\n---\nText.\n",
	"news/regional/drafts/2016-05-01-x.md": "---\ntitle: X\ndraft: true\n---\nText.\n",
}

func TestBookNested(t *testing.T) {
	b := newTestBook(t, 2, nil, nestedSite)
	if errs := b.Errors(); len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	for _, tt := range []struct {
		addr string
		want bool
		why  string
	}{
		{"/guidance/rpkg/", true, "a sub-section's listing"},
		{"/guidance/rpkg/page/2/", true, "paged: three direct pages two a page (setup is a bundle, so four)"},
		{"/guidance/rpkg/page/3/", false, "tools/x is in the sub-section's own sub-section"},
		{"/guidance/rpkg/feed.xml", true, "a sub-section's feed"},
		{"/guidance/rpkg/tools/", true, "a sub-section of a sub-section"},
		{"/guidance/rpkg/tools/x/", true, "its page"},
		{"/guidance/rpkg/introduction/", true, "a page in a sub-section"},
		{"/guidance/other/introduction/", true, "the other introduction.md: its folder keeps it apart"},
		{"/guidance/other/", false, "a folder without _index.md has no listing"},
		{"/guidance/introduction/", false, "nothing is flattened"},
		{"/guidance/rpkg/setup/", true, "a bundle in a sub-section"},
		{"/guidance/rpkg/setup/diagram.png", true, "its file beside it"},
		{"/guidance/page/2/", false, "guidance lists top and other/introduction: one page"},
		{"/news/qgis-rooftop/", true, "a Jekyll name without its date"},
		{"/news/regional/north/", true, "a Jekyll name in a sub-section"},
		{"/news/regional/page/2/", true, "the sub-section's four items, two a page"},
		{"/news/2016/04/", true, "the news archives count news in sub-sections"},
		{"/news/2016/04/page/2/", true, "all four of them"},
		{"/news/regional/drafts/x/", false, "a draft"},
	} {
		if got := b.Has(tt.addr); got != tt.want {
			t.Errorf("Has(%s) = %v; want %v (%s)", tt.addr, got, tt.want, tt.why)
		}
	}
	for file, want := range map[string]string{
		"guidance/top.md":                   "guidance",
		"guidance/other/introduction.md":    "guidance",
		"guidance/rpkg/introduction.md":     "guidance/rpkg",
		"guidance/rpkg/setup/index.md":      "guidance/rpkg",
		"guidance/rpkg/tools/x.md":          "guidance/rpkg/tools",
		"guidance/rpkg/tools/_index.md":     "guidance/rpkg",
		"guidance/rpkg/_index.md":           "guidance",
		"guidance/_index.md":                "",
		"news/regional/2016-04-01-north.md": "news/regional",
	} {
		var p *Page
		for _, u := range []string{"/guidance/top/", "/guidance/other/introduction/", "/guidance/rpkg/introduction/", "/guidance/rpkg/setup/",
			"/guidance/rpkg/tools/x/", "/guidance/rpkg/tools/", "/guidance/rpkg/", "/guidance/", "/news/regional/north/"} {
			if q := b.PageAt(u); q != nil && q.File == file {
				p = q
			}
		}
		if p == nil {
			t.Errorf("no page from %s", file)
		} else if got := b.ListingOf(p); got != want {
			t.Errorf("ListingOf(%s) = %q; want %q", file, got, want)
		}
	}
	// Relative links resolve against the nested address, as a browser does.
	from := b.PageAt("/guidance/rpkg/introduction/")
	for dest, want := range map[string]string{"../b/": "", "../tools/x/": "", "../../other/introduction/": "",
		"../bb/": "did you mean /guidance/rpkg/b/?", "/guidance/rpkg/tool/": "did you mean /guidance/rpkg/tools/?"} {
		l := b.Resolve(from, dest, false)
		got := ""
		if l.Problem != nil {
			got = l.Problem.Hint
		}
		if want == "" && got != "" || !strings.HasPrefix(got, want) {
			t.Errorf("Resolve(%q) from /guidance/rpkg/introduction/: %q; want %q", dest, got, want)
		}
	}
}

// TestBookNestedCollisions: a sub-section's listing at the address of a
// page, a page on its pagination, two Jekyll names with one slug: each an
// address error, on the file that can be changed.
func TestBookNestedCollisions(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"sub-section onto a news archive", map[string]string{
			"news/2024/_index.md": "---\ntitle: 2024\n---\n", "news/a.md": item("A", "2024-01-01")},
			"content/news/2024/_index.md: the section listing /news/2024/ would replace the news archive for 2024: rename the folder"},
		{"page onto a sub-section's second page", map[string]string{
			"guidance/rpkg/_index.md": "---\ntitle: RPKG\n---\n", "guidance/rpkg/a.md": item("A", "2024-01-01"),
			"guidance/rpkg/b.md": item("B", "2024-01-01"), "guidance/rpkg/page/c.md": item("C", "2024-01-01", "slug: \"2\"")},
			"content/guidance/rpkg/page/c.md:4: address /guidance/rpkg/page/2/ is also the address of the listing /guidance/rpkg/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newTestBook(t, 1, nil, tt.files)
			errs := b.Errors()
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) {
				t.Fatalf("errors:\n%v\nwant one with %q", errs, tt.want)
			}
		})
	}
}

// TestCheckTreeNested: two posts of different days with one slug share an
// address, as do a page and a sub-section's _index.md; the tree check
// reports both, drafts included, and the book neither, so each is
// reported once.
func TestCheckTreeNested(t *testing.T) {
	files := map[string]string{
		"news/2016-03-03-flu.md":  "---\ntitle: Flu\n---\n",
		"news/2017-03-03-flu.md":  "---\ntitle: Flu again\ndraft: true\n---\n",
		"guidance/rpkg/_index.md": "---\ntitle: RPKG\n---\n",
		"guidance/x.md":           item("X", "2024-01-01", "slug: rpkg"),
	}
	var pages []*Page
	for _, name := range []string{"guidance/rpkg/_index.md", "guidance/x.md", "news/2016-03-03-flu.md", "news/2017-03-03-flu.md"} {
		pages = append(pages, mustParse(t, name, files[name]))
	}
	errs := CheckTree(nil, &Tree{Pages: pages}, nil)
	want := "content/guidance/x.md:4: address /guidance/rpkg/ is also used by content/guidance/rpkg/_index.md: rename one file or set a different `slug:`\n" +
		"content/news/2017-03-03-flu.md: address /news/flu/ is also used by content/news/2016-03-03-flu.md: rename one file or set a different `slug:`"
	if got := errs.Sorted().Error(); got != want {
		t.Errorf("errors:\n%s\nwant\n%s", got, want)
	}
	if errs := newTestBook(t, 20, nil, files).Errors(); len(errs) != 0 {
		t.Errorf("the book reports them again: %v", errs)
	}
}

// TestIssueItemsByFile: a newsletter's `items:` may name a Jekyll post by
// its file, date and all, or by its address.
func TestIssueItemsByFile(t *testing.T) {
	post := mustParse(t, "news/2016-12-03-flu.md", "---\ntitle: Flu\n---\n")
	nested := mustParse(t, "news/regional/north.md", "---\ntitle: North\ndate: 2016-12-04\n---\n")
	ix := NewIssueIndex([]*Page{post, nested})
	issue := &Page{File: "newsletters/2016-12.md", Section: "newsletters", Dir: "newsletters", Slug: "2016-12",
		Items: []string{"news/2016-12-03-flu", "news/flu", "news/regional/north.md", "news/north"}, Lines: map[string]int{"items": 3}}
	got, errs := ix.Items(issue, "")
	if len(got) != 3 || got[0] != post || got[1] != post || got[2] != nested {
		t.Errorf("items: %v", got)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `"news/north" is not a published page`) {
		t.Errorf("errors: %v", errs)
	}
}

// TestMarkdownExtensions: Hugo's and Jekyll's other names for Markdown
// files are pages, with the same addresses as .md; a link to one is told
// to link to the page's address.
func TestMarkdownExtensions(t *testing.T) {
	for _, name := range []string{"news/2013-05-06-jekyll-1-0-0-released.markdown", "news/a.MARKDOWN", "news/b.mdown", "news/c.mkdn", "news/d.mkd", "news/e.mkdown", "news/f.markdn"} {
		if !IsPage(name) {
			t.Errorf("IsPage(%q) = false", name)
		}
	}
	for _, name := range []string{"news/a.html", "news/a.txt", "news/md", "news/a.md.bak"} {
		if IsPage(name) {
			t.Errorf("IsPage(%q) = true", name)
		}
	}
	b := newTestBook(t, 20, nil, map[string]string{
		"news/2013-05-06-jekyll-1-0-0-released.markdown": "---\ntitle: Jekyll 1.0\n---\nSee [b](b.mdown).\n",
		"news/b.mdown": item("B", "2024-01-01"),
	})
	from := b.PageAt("/news/jekyll-1-0-0-released/")
	if from == nil || !from.Date.Equal(day(2013, time.May, 6)) {
		t.Fatalf("no page dated by its .markdown name: %+v", from)
	}
	if l := b.Resolve(from, "b.mdown", false); l.Problem == nil || l.Problem.Hint != "link to /news/b/" {
		t.Errorf("a link to a .mdown file: %+v", l.Problem)
	}
	fsys := fstest.MapFS{
		"news/a.markdown": {Data: []byte("---\ntitle: A\ndate: 2024-01-01\n---\n")},
		"news/a.md":       {Data: []byte("---\ntitle: A again\ndate: 2024-01-01\n---\n")},
		"news/page.html":  {Data: []byte("---\ntitle: HTML\n---\n<p>x</p>\n")},
	}
	_, err := Load(fsys, nil)
	for _, want := range []string{
		"content/news/a.md: address /news/a/ is also used by content/news/a.markdown",
		"content/news/page.html: a .html file is not published from content/: a page written in HTML",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Load: %v; want %q", err, want)
		}
	}
}

// TestFolderIndex: a top folder's index.md is its section page when the
// folder holds other pages and no _index.md (Jekyll's docs/index.md), and
// a page bundle again once it holds none; a draft one stays a page, and
// its address is taken.
func TestFolderIndex(t *testing.T) {
	index := mustParse(t, "docs/index.md", "---\ntitle: Docs\n---\nAll the docs.\n")
	about := mustParse(t, "about/index.md", "---\ntitle: About\n---\n")
	page := mustParse(t, "docs/install.md", "---\ntitle: Install\n---\n")
	tree := &Tree{Pages: []*Page{about, index, page}}
	if errs := CheckTree(nil, tree, nil); len(errs) != 0 {
		t.Fatal(errs)
	}
	if index.Kind != KindSection || index.Section != "docs" || index.URL() != "/docs/" {
		t.Errorf("docs/index.md: kind %v section %q URL %s; want the section page of /docs/", index.Kind, index.Section, index.URL())
	}
	if about.Kind != KindPage || !about.Bundle || about.URL() != "/about/" {
		t.Errorf("about/index.md alone in its folder: %+v; want a page bundle", about)
	}
	b := NewBook(nil, tree.Pages, nil, nil, Visibility{})
	if errs := b.Errors(); len(errs) != 0 || b.PageAt("/docs/") != index || b.ListingOf(page) != "docs" {
		t.Errorf("book: %v, /docs/ is %v", errs, b.PageAt("/docs/"))
	}
	// The folder's other page goes: a bundle again, as loaded.
	tree.Pages = []*Page{about, index}
	CheckTree(nil, tree, nil)
	if index.Kind != KindPage || !index.Bundle || index.Section != "" || index.URL() != "/docs/" {
		t.Errorf("docs/index.md alone again: kind %v bundle %v section %q", index.Kind, index.Bundle, index.Section)
	}
	// With an _index.md, or as a draft, it stays a page, at the listing's address.
	for _, other := range []*Page{mustParse(t, "docs/_index.md", "---\ntitle: Docs\n---\n"), nil} {
		idx := mustParse(t, "docs/index.md", "---\ntitle: Docs\n---\n")
		if other == nil {
			idx = mustParse(t, "docs/index.md", "---\ntitle: Docs\ndraft: true\n---\n")
		}
		pages := []*Page{idx, page}
		if other != nil {
			pages = append(pages, other)
		}
		errs := CheckTree(nil, &Tree{Pages: pages}, nil)
		if other != nil && (len(errs) != 1 || !strings.Contains(errs[0].Error(), "address /docs/ is also used by content/docs/index.md")) {
			t.Errorf("beside an _index.md: %v", errs)
		}
		if idx.Kind != KindPage {
			t.Errorf("draft %v: made a section page", idx.Draft)
		}
	}
}

// TestSuggestBySlug: a link to a moved site's address finds the one page
// with its slug; two such pages make no suggestion (a guess would be a
// coin toss).
func TestSuggestBySlug(t *testing.T) {
	b := newTestBook(t, 20, nil, map[string]string{
		"news/2016-04-19-jekyll-3-0-4-released.md": "---\ntitle: 3.0.4\n---\n",
		"post/2019-11-20-how-le-runs-ct-logs.md":   "---\ntitle: CT logs\n---\n",
		"news/twin.md":                             item("Twin", "2024-01-01"),
		"advice/twin.md":                           item("Twin", "2024-01-01"),
	})
	for p, want := range map[string]string{
		"/news/2016/04/19/jekyll-3-0-4-released/": "/news/jekyll-3-0-4-released/",
		"/2019/11/20/how-le-runs-ct-logs.html":    "/post/how-le-runs-ct-logs/",
		"/2019/11/20/How-LE-runs-CT-logs":         "/post/how-le-runs-ct-logs/",
		"/old/twin/":                              "",
		"/news/2016/nothing-like-it/":             "",
	} {
		if got := b.Suggest(p); got != want {
			t.Errorf("Suggest(%s) = %q; want %q", p, got, want)
		}
	}
}

// TestPermalinks: site.yaml's permalinks: give each page of a section a
// redirect at its old address, which links then reach; a page's own
// redirect_from to the same address, in any case, is not a collision.
func TestPermalinks(t *testing.T) {
	cfg, err := ParseConfig([]byte("title: T\nbaseURL: https://example.org/\npermalinks:\n  news: /:year/:month/:day/:slug/\n  post: [/:year/:i_month/:i_day/:title:output_ext, /:year/:slug/]\n"))
	if err != nil {
		t.Fatal(err)
	}
	var pages []*Page
	for name, src := range map[string]string{
		"news/2016-03-03-flu.md":        "---\ntitle: Flu\naliases: [/2016/03/03/FLU/, /2016/03/03/flu/]\n---\n",
		"post/2015-7-1-report.markdown": "---\ntitle: Legal Report\n---\n",
		"news/undated/_index.md":        "---\ntitle: Undated\n---\n",
		"about.md":                      "---\ntitle: About\n---\n",
	} {
		pages = append(pages, mustParse(t, name, src))
	}
	b := NewBook(cfg, pages, nil, nil, Visibility{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if errs := b.Errors(); len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
	var got []string
	for _, a := range b.Aliases() {
		got = append(got, a.Out+" → "+a.Page.File)
	}
	sort.Strings(got)
	want := "2015/7/1/legal-report.html → post/2015-7-1-report.markdown, 2015/report/index.html → post/2015-7-1-report.markdown, 2016/03/03/FLU/index.html → news/2016-03-03-flu.md"
	if strings.Join(got, ", ") != want {
		t.Errorf("aliases:\n%s\nwant\n%s", strings.Join(got, ", "), want)
	}
	flu := b.PageAt("/news/flu/")
	if l := b.Resolve(flu, "/2015/7/1/legal-report.html", false); l.Problem != nil {
		t.Errorf("a link to an old address: %v", l.Problem)
	}
	// A pattern two pages share is reported on the second.
	cfg.Permalinks = map[string]Patterns{"news": {"/:year/:slug/"}}
	twins := []*Page{mustParse(t, "news/2016-03-03-flu.md", "---\ntitle: Flu\n---\n"), mustParse(t, "news/2016-04-03-flu-b.md", "---\ntitle: Flu\nslug: flu\n---\n")}
	errs := NewBook(cfg, twins, nil, nil, Visibility{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}).Errors()
	if len(errs) == 0 || !strings.Contains(errs.Error(), "/2016/flu/, its old address by site.yaml's permalinks: for news/, is also the address of an alias of content/news/2016-03-03-flu.md") {
		t.Errorf("twins: %v", errs)
	}
	for _, tt := range []struct{ yaml, want string }{
		{"news: :year/:slug/", `permalinks: news: ":year/:slug/" must start with /`},
		{"news: /:year/:categories/:slug/", "permalinks: news: \"/:year/:categories/:slug/\": :categories is not a part lmcpress knows"},
		{"News: /:slug/", `permalinks: "News" is not a top folder of content/ as addresses name it: write it as "news"`},
		{"news: /a b/:slug/", `permalinks: news: "/a b/:slug/" cannot be an address`},
		{"news: [/:slug/, x]", `permalinks: news: "x" must start with /`},
		{"news: {a: b}", "permalinks: want an address pattern or a list of them"},
	} {
		_, err := ParseConfig([]byte("title: T\nbaseURL: https://example.org/\npermalinks:\n  " + tt.yaml + "\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want %q", tt.yaml, err, tt.want)
		}
	}
}
