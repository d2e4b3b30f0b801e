package importer

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"lmcpress/internal/content"
)

// hostile is a small export with what a damaged or malicious one holds:
// slugs that climb out of the folder or are absolute, NUL bytes, a script
// and javascript: links, an enormous title, two posts with one slug, dates
// that are not dates, a private and a password-protected post, a nested
// page, shortcodes known and unknown, and items of every skipped kind.
var hostile = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Northfield &amp; District LMC</title>
<link>https://lmc.example.org</link>
<description>GP news</description>
<wp:base_blog_url>https://lmc.example.org</wp:base_blog_url>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>contracts</wp:category_nicename><wp:cat_name><![CDATA[GP Contracts]]></wp:cat_name><wp:category_description><![CDATA[The GMS contract.]]></wp:category_description></wp:category>
<item>
<title>Flu &amp; you</title>
<link>https://lmc.example.org/2016/12/19/flu/</link>
<content:encoded><![CDATA[First paragraph, with <a href="javascript:alert(1)">a trap</a>.

Second paragraph
with a break, and <a href="https://lmc.example.org/about/">our about page</a> and <a href="/?p=11">the other post</a>.
<script>alert("x")</script>
[caption id="attachment_5" align="alignleft" width="300"]<img src="https://lmc.example.org/wp-content/uploads/2016/12/clinic-300x200.jpg" alt="The clinic" /> The new clinic[/caption]

[contact-form to="x@example.org"]
[sic] stays text.
<iframe src="https://www.youtube.com/embed/abc"></iframe>
<img src="data:image/png;base64,AAAA" alt="pixel">]]></content:encoded>
<excerpt:encoded><![CDATA[<p>Clinics <b>open</b> on Monday.</p>]]></excerpt:encoded>
<wp:post_id>10</wp:post_id>
<wp:post_date>2016-12-19 09:30:00</wp:post_date>
<wp:post_date_gmt>2016-12-19 09:30:00</wp:post_date_gmt>
<wp:post_modified_gmt>2017-01-05 10:00:00</wp:post_modified_gmt>
<wp:post_name>../../etc/passwd</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="contracts"><![CDATA[GP Contracts]]></category>
<category domain="category" nicename="uncategorized"><![CDATA[Uncategorized]]></category>
<category domain="post_tag" nicename="flu"><![CDATA[Flu]]></category>
<wp:comment><wp:comment_content>Nice</wp:comment_content></wp:comment>
</item>
<item>
<title>` + "Flu\x01 again" + `</title>
<link>https://lmc.example.org/?p=11</link>
<content:encoded><![CDATA[Same slug as the first, once made safe.]]></content:encoded>
<wp:post_id>11</wp:post_id>
<wp:post_date>not a date</wp:post_date>
<wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>
<wp:post_name>/etc/passwd</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>` + strings.Repeat("Very long title ", 2000) + `</title>
<link>https://lmc.example.org/2017/01/02/long/</link>
<content:encoded><![CDATA[x]]></content:encoded>
<wp:post_id>12</wp:post_id>
<wp:post_date_gmt>2017-01-02 12:00:00</wp:post_date_gmt>
<wp:post_name>%E2%80%AE%00news</wp:post_name>
<wp:status>private</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>Members only</title>
<link>https://lmc.example.org/2017/01/03/members/</link>
<content:encoded><![CDATA[Secret.]]></content:encoded>
<wp:post_id>13</wp:post_id>
<wp:post_date_gmt>2017-01-03 12:00:00</wp:post_date_gmt>
<wp:post_name>2017</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_password>hunter2</wp:post_password>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>About us</title>
<link>https://lmc.example.org/about/</link>
<content:encoded><![CDATA[<h1>Who we are</h1>
We represent GPs.
<h2>Officers</h2>
<ul><li>Chair</li></ul>]]></content:encoded>
<wp:post_id>20</wp:post_id>
<wp:post_name>about</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>page</wp:post_type>
</item>
<item>
<title>Committee</title>
<link>https://lmc.example.org/about/committee/</link>
<content:encoded><![CDATA[[gallery ids="30"]]]></content:encoded>
<wp:post_id>21</wp:post_id>
<wp:post_name>committee</wp:post_name>
<wp:status>draft</wp:status>
<wp:post_parent>20</wp:post_parent>
<wp:post_type>page</wp:post_type>
</item>
<item>
<title>news</title>
<link>https://lmc.example.org/news/</link>
<content:encoded><![CDATA[A page called news would take the section's address.]]></content:encoded>
<wp:post_id>22</wp:post_id>
<wp:post_name>news</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>page</wp:post_type>
</item>
<item>
<title>Chair</title>
<wp:post_id>30</wp:post_id>
<wp:post_type>attachment</wp:post_type>
<wp:status>inherit</wp:status>
<wp:post_parent>21</wp:post_parent>
<wp:attachment_url>https://lmc.example.org/wp-content/uploads/2016/11/chair.jpg</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[Dr Jones, our chair]]></wp:meta_value></wp:postmeta>
</item>
<item><title>Old</title><wp:post_id>40</wp:post_id><wp:post_type>post</wp:post_type><wp:status>trash</wp:status></item>
<item><title>Rev</title><wp:post_id>41</wp:post_id><wp:post_type>revision</wp:post_type><wp:status>inherit</wp:status></item>
<item><title>Menu</title><wp:post_id>42</wp:post_id><wp:post_type>nav_menu_item</wp:post_type><wp:status>publish</wp:status></item>
<item><title>Product</title><wp:post_id>43</wp:post_id><wp:post_type>product</wp:post_type><wp:status>publish</wp:status></item>
<item><title>Auto</title><wp:post_id>44</wp:post_id><wp:post_type>post</wp:post_type><wp:status>auto-draft</wp:status></item>
</channel>
</rss>
`

var testNow = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

// importInto imports export into a new folder, with uploads (a map of
// uploads-relative paths to contents) when not nil.
func importInto(t *testing.T, export string, uploads map[string]string) (string, *Report) {
	t.Helper()
	return importWith(t, export, uploads, false)
}

// importWith is importInto, bringing private and password-protected items
// in as drafts when private is true (Options.Private).
func importWith(t *testing.T, export string, uploads map[string]string, private bool) (string, *Report) {
	t.Helper()
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	if err := os.Mkdir(site, 0o755); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(site)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	xml := filepath.Join(dir, "export.xml")
	if err := os.WriteFile(xml, []byte(export), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(xml)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opt := Options{Export: f, Site: root, Now: testNow, Private: private}
	if uploads != nil {
		up := filepath.Join(dir, "uploads")
		for name, data := range uploads {
			p := filepath.Join(up, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		ur, err := os.OpenRoot(up)
		if err != nil {
			t.Fatal(err)
		}
		defer ur.Close()
		opt.Uploads = ur
	}
	rep, err := Import(opt)
	if err != nil {
		t.Fatal(err)
	}
	return site, rep
}

// tree lists every file under dir, slash-separated.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportHostile brings the private and protected posts in (as
// drafts), so that their hostile slugs and titles are tried too;
// TestImportLeavesOutPrivate is the default.
func TestImportHostile(t *testing.T) {
	site, rep := importWith(t, hostile, map[string]string{"2016/12/clinic.jpg": "JPEG", "2016/11/chair.jpg": "JPEG2"}, true)

	want := []string{
		"content/about/_index.md",
		"content/about/committee/chair.jpg",
		"content/about/committee/index.md",
		"content/news/etc-passwd-2.md",
		"content/news/etc-passwd/clinic.jpg",
		"content/news/etc-passwd/index.md",
		"content/news/post-2017.md",
		"content/news/post-news.md",
		"content/page-news.md",
		"content/site.yaml",
		RedirectsFile,
	}
	if got := tree(t, site); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := tree(t, filepath.Dir(site)); len(got) != len(want)+1+2 { // + export.xml, two uploads
		t.Errorf("files outside the site folder: %q", got)
	}

	// The whole result loads as lmcpress content, with the site.yaml written.
	fsys := os.DirFS(filepath.Join(site, "content"))
	cfg, err := content.LoadConfig(fsys)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := content.Load(fsys, cfg)
	if err != nil {
		t.Fatalf("the imported content does not load:\n%v", err)
	}
	pages := map[string]*content.Page{}
	for _, p := range tr.Pages {
		pages[p.File] = p
	}

	flu := pages["news/etc-passwd/index.md"]
	if flu == nil {
		t.Fatal("no news/etc-passwd/index.md")
	}
	if flu.Title != "Flu & you" || flu.Draft || flu.Summary != "Clinics open on Monday." {
		t.Errorf("title %q, draft %v, summary %q", flu.Title, flu.Draft, flu.Summary)
	}
	if got := flu.Date.Format(time.RFC3339); got != "2016-12-19T09:30:00Z" {
		t.Errorf("date %s", got)
	}
	if got := flu.Lastmod.Format(time.RFC3339); got != "2017-01-05T10:00:00Z" {
		t.Errorf("lastmod %s", got)
	}
	if strings.Join(flu.Topics, ",") != "GP Contracts,Flu" {
		t.Errorf("topics %q (Uncategorized says nothing, and is left out)", flu.Topics)
	}
	if strings.Join(flu.Aliases, ",") != "/2016/12/19/flu/" {
		t.Errorf("aliases %q", flu.Aliases)
	}
	body := string(flu.Body)
	for _, want := range []string{
		"First paragraph, with a trap.\n\nSecond paragraph  \nwith a break", // autop: paragraphs and a line break
		"[our about page](/about/)",                                         // a link to an imported page, made local
		"[the other post](/news/etc-passwd-2/)",                             // ?p=11
		"![The clinic](clinic.jpg)",                                         // the size copy's original, copied beside it
		"The new clinic",                                                    // the caption
		`\[contact-form to="x@example.org"]`,                                // left visible
		`\[sic] stays text`,
		"[https://www.youtube.com/embed/abc](https://www.youtube.com/embed/abc)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	for _, bad := range []string{"javascript", "script", "alert", "data:", "iframe"} {
		if strings.Contains(strings.ToLower(body), bad) {
			t.Errorf("body holds %q:\n%s", bad, body)
		}
	}

	again := pages["news/etc-passwd-2.md"]
	if again == nil || again.Title != "Flu again" || !again.Draft || !again.Date.Equal(testNow) {
		t.Errorf("a post without a date: %+v", again)
	}
	long := pages["news/post-news.md"]
	if long == nil || !long.Draft || len([]rune(long.Title)) != maxTitle+3 {
		t.Errorf("the private post with the long title: %+v", long)
	}
	if p := pages["news/post-2017.md"]; p == nil || !p.Draft {
		t.Errorf("the password-protected post must be a draft: %+v", p)
	}
	about := pages["about/_index.md"]
	if about == nil || !strings.Contains(string(about.Body), "## Who we are") || !strings.Contains(string(about.Body), "### Officers") {
		t.Errorf("about: the body's h1 should become ##, and h2 ###:\n%s", about.Body)
	}
	// A published page with a page under it is a section, and the page
	// under it keeps its nested address.
	committee := pages["about/committee/index.md"]
	if committee == nil || !committee.Draft || len(committee.Aliases) != 0 ||
		!strings.Contains(string(committee.Body), "![Dr Jones, our chair](chair.jpg)") {
		t.Errorf("the nested draft page: %+v\n%s", committee, committee.Body)
	}

	if rep.Posts != 4 || rep.Pages != 3 || rep.Drafts != 4 || rep.Copied != 2 || rep.Comments != 1 {
		t.Errorf("report: %d posts, %d pages, %d drafts, %d copied, %d comments", rep.Posts, rep.Pages, rep.Drafts, rep.Copied, rep.Comments)
	}
	if rep.Unsafe != 2 || rep.Shortcodes["caption"] != 1 || rep.Shortcodes["gallery"] != 1 || rep.ShortcodesLeft["contact-form"] != 1 || rep.ShortcodesLeft["sic"] != 0 {
		t.Errorf("report: %d unsafe, shortcodes %v, left %v", rep.Unsafe, rep.Shortcodes, rep.ShortcodesLeft)
	}
	skipped := map[string]int{"nav_menu_item": 1, "product": 1, "revision": 1, "post in trash": 1, "post in auto-draft": 1}
	for k, n := range skipped {
		if rep.Skipped[k] != n {
			t.Errorf("skipped %v, want %v", rep.Skipped, skipped)
			break
		}
	}
	if len(rep.Private) != 1 || len(rep.Protected) != 1 || len(rep.LeftOut) != 0 {
		t.Errorf("private %q, protected %q, left out %q", rep.Private, rep.Protected, rep.LeftOut)
	}
	yaml := read(t, filepath.Join(site, "content", "site.yaml"))
	for _, want := range []string{`title: "Northfield & District LMC"`, `baseURL: "https://lmc.example.org/"`, `{name: "GP Contracts", description: "The GMS contract."}`, `{name: "Flu"}`} {
		if !strings.Contains(yaml, want) {
			t.Errorf("site.yaml lacks %q:\n%s", want, yaml)
		}
	}
	redirects := read(t, filepath.Join(site, RedirectsFile))
	if !strings.Contains(redirects, "/?p=10 /news/etc-passwd/\n") || !strings.Contains(redirects, "/?page_id=20 /about/\n") {
		t.Errorf("redirects:\n%s", redirects)
	}
	var out strings.Builder
	rep.Print(&out)
	for _, want := range []string{"Wrote 4 news posts and 3 pages (4 as drafts", "Private in WordPress", "content/news/post-news.md", "left in the text"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the printed report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestImportWithoutUploadsKeepsLinks(t *testing.T) {
	site, rep := importInto(t, hostile, nil)
	body := read(t, filepath.Join(site, "content", "news", "etc-passwd.md"))
	if !strings.Contains(body, "(https://lmc.example.org/wp-content/uploads/2016/12/clinic-300x200.jpg)") {
		t.Errorf("the upload link should stay on the old site:\n%s", body)
	}
	if rep.UploadsKept != 2 || rep.Copied != 0 {
		t.Errorf("kept %d, copied %d", rep.UploadsKept, rep.Copied)
	}
}

func TestImportRefusesAContentFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "about.md"), []byte("---\ntitle: Mine\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	_, err = Import(Options{Export: strings.NewReader(hostile), Site: root, Now: testNow})
	if err == nil || !strings.Contains(err.Error(), "already has files") {
		t.Fatalf("err = %v", err)
	}
	if got := read(t, filepath.Join(dir, "content", "about.md")); got != "---\ntitle: Mine\n---\n" {
		t.Errorf("the page already there was changed: %q", got)
	}
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"html", "<html><body>hi</body></html>", "not a WordPress export"},
		{"cut short", hostile[:len(hostile)/2], "line "},
		{"not xml", "hello", "not a WordPress export"},
		{"encoding", `<?xml version="1.0" encoding="EBCDIC"?><rss/>`, "encoding"},
		{"huge field", "<rss><channel><item><title>" + strings.Repeat("x", MaxField+1) + "</title></item></channel></rss>", "longer than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Read(strings.NewReader(tc.in), func(*Channel) error { return nil }, func(*Item) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestReadLatin1(t *testing.T) {
	in := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>Caf\xe9</title><item><title>\xa3 rise</title></item></channel></rss>"
	var ch Channel
	var titles []string
	err := Read(strings.NewReader(in), func(c *Channel) error { ch = *c; return nil }, func(it *Item) error { titles = append(titles, it.Title); return nil })
	if err != nil || ch.Title != "Café" || len(titles) != 1 || titles[0] != "£ rise" {
		t.Errorf("err %v, channel %q, items %q", err, ch.Title, titles)
	}
}

// pageItem is one page of an export, for the nesting tests.
func pageItem(id, parent int, name, status string) string {
	return "<item><title>" + name + "</title><link>https://x.org/" + name + "/</link><content:encoded>Text of " + name +
		"</content:encoded><wp:post_id>" + itoa(id) + "</wp:post_id><wp:post_parent>" + itoa(parent) + "</wp:post_parent><wp:post_name>" + name +
		"</wp:post_name><wp:status>" + status + "</wp:status><wp:post_type>page</wp:post_type></item>\n"
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestImportNestedPages(t *testing.T) {
	export := `<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>X</title><link>https://x.org</link>` +
		pageItem(1, 0, "about", "publish") +
		pageItem(2, 1, "team", "publish") +
		pageItem(3, 2, "chair", "publish") +
		pageItem(4, 0, "members", "draft") + // a draft cannot be a section: its pages go up
		pageItem(5, 4, "minutes", "publish") +
		pageItem(6, 7, "loop-a", "publish") + // parents in a loop
		pageItem(7, 6, "loop-b", "publish") +
		pageItem(8, 99, "orphan", "publish") + // a parent not in the export
		`</channel></rss>`
	site, _ := importInto(t, export, nil)
	want := []string{
		"content/about/_index.md",
		"content/about/team/_index.md",
		"content/about/team/chair.md",
		"content/loop-b/_index.md", // the loop is cut where it was entered
		"content/loop-b/loop-a/_index.md",
		"content/members.md",
		"content/minutes.md",
		"content/orphan.md",
		"content/site.yaml",
		RedirectsFile,
	}
	if got := tree(t, site); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := read(t, filepath.Join(site, "content", "minutes.md")); !strings.Contains(got, `aliases: ["/members/minutes/"]`) {
		t.Errorf("minutes.md should keep its nested address as an alias:\n%s", got)
	}
	fsys := os.DirFS(filepath.Join(site, "content"))
	cfg, err := content.LoadConfig(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := content.Load(fsys, cfg); err != nil {
		t.Fatalf("the imported content does not load:\n%v", err)
	}
}

// restricted is an export whose private and password-protected items hold
// text and files WordPress kept from the public, linked from a public post.
const restricted = `<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>X</title><link>https://x.org</link>
<item><title>Public</title><link>https://x.org/2016/12/public/</link>
<content:encoded><![CDATA[See <a href="https://x.org/2016/12/complaint/">the complaint</a>, <a href="https://x.org/?page_id=3#item-2">the minutes</a> and <a href="https://x.org/about/">us</a>.]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2016-12-19 09:30:00</wp:post_date_gmt><wp:post_name>public</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category></item>
<item><title>Complaint about Dr Jones</title><link>https://x.org/2016/12/complaint/</link>
<content:encoded><![CDATA[PRIVATE-TEXT about a patient. <img src="https://x.org/wp-content/uploads/2016/12/letter.png" alt="The letter">]]></content:encoded>
<wp:post_id>2</wp:post_id><wp:post_date_gmt>2016-12-20 09:30:00</wp:post_date_gmt><wp:post_name>complaint</wp:post_name><wp:status>private</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="complaints"><![CDATA[PRIVATE-TOPIC]]></category></item>
<item><title>Members' minutes</title><link>https://x.org/members/</link>
<content:encoded><![CDATA[PROTECTED-TEXT of the meeting.]]></content:encoded>
<wp:post_id>3</wp:post_id><wp:post_name>members</wp:post_name><wp:status>publish</wp:status><wp:post_password>enter</wp:post_password><wp:post_type>page</wp:post_type></item>
<item><title>Agenda</title><link>https://x.org/members/agenda/</link>
<content:encoded><![CDATA[The agenda is public.]]></content:encoded>
<wp:post_id>4</wp:post_id><wp:post_parent>3</wp:post_parent><wp:post_name>agenda</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
<item><title>About</title><link>https://x.org/about/</link><content:encoded><![CDATA[We represent GPs.]]></content:encoded>
<wp:post_id>5</wp:post_id><wp:post_name>about</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
</channel></rss>`

// TestImportLeavesOutPrivate: by default, nothing of a private or
// password-protected item reaches the new folder (its text, its files,
// a topic only it used, its old addresses), the report names each, and a
// public link to one is counted and left for check to name; Private brings
// them in as drafts.
func TestImportLeavesOutPrivate(t *testing.T) {
	uploads := map[string]string{"2016/12/letter.png": "PNG"}
	site, rep := importInto(t, restricted, uploads)
	want := []string{
		"content/about.md",
		"content/agenda.md", // its parent cannot be a section: it goes up, as under a draft
		"content/news/public.md",
		"content/site.yaml",
		RedirectsFile,
	}
	if got := tree(t, site); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range tree(t, site) {
		text := read(t, filepath.Join(site, filepath.FromSlash(f)))
		for _, secret := range []string{"PRIVATE-TEXT", "PROTECTED-TEXT", "PRIVATE-TOPIC", "Dr Jones", "2016/12/complaint", "/members/\n", "page_id=3 "} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds %q, from an item left out:\n%s", f, secret, text)
			}
		}
	}
	public := read(t, filepath.Join(site, "content", "news", "public.md"))
	for _, link := range []string{"[the complaint](/news/complaint/)", "[the minutes](/members/#item-2)", "[us](/about/)"} {
		if !strings.Contains(public, link) {
			t.Errorf("public.md lacks %s:\n%s", link, public)
		}
	}
	if agenda := read(t, filepath.Join(site, "content", "agenda.md")); !strings.Contains(agenda, `aliases: ["/members/agenda/"]`) {
		t.Errorf("agenda.md should keep its nested address:\n%s", agenda)
	}
	wantOut := []string{
		`export:6: post 2 "Complaint about Dr Jones", private in WordPress (it would have been content/news/complaint.md)`,
		`export:10: page 3 "Members' minutes", password-protected in WordPress (it would have been content/members.md)`,
	}
	if strings.Join(rep.LeftOut, "\n") != strings.Join(wantOut, "\n") {
		t.Errorf("left out:\n%s\nwant:\n%s", strings.Join(rep.LeftOut, "\n"), strings.Join(wantOut, "\n"))
	}
	if rep.LinksToLeftOut != 2 || rep.Posts != 1 || rep.Pages != 2 || rep.Copied != 0 || len(rep.Private)+len(rep.Protected) != 0 {
		t.Errorf("report: %d links to left out, %d posts, %d pages, %d copied, private %q, protected %q",
			rep.LinksToLeftOut, rep.Posts, rep.Pages, rep.Copied, rep.Private, rep.Protected)
	}
	var out strings.Builder
	rep.Print(&out)
	for _, want := range []string{"Left out, private or password-protected in WordPress (--private brings them in, as drafts):\n  " + wantOut[0],
		"2 links on imported pages point at items left out: lmcpress check lists each"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the printed report lacks %q:\n%s", want, out.String())
		}
	}

	// Asked for, they come in as drafts, with their files.
	site, rep = importWith(t, restricted, uploads, true)
	for _, f := range []string{"content/news/complaint/index.md", "content/news/complaint/letter.png", "content/members.md"} {
		if _, err := os.Stat(filepath.Join(site, filepath.FromSlash(f))); err != nil {
			t.Errorf("with Private: %v", err)
		}
	}
	if len(rep.LeftOut) != 0 || rep.LinksToLeftOut != 0 || len(rep.Private) != 1 || len(rep.Protected) != 1 || rep.Drafts != 2 {
		t.Errorf("with Private, report: left out %q, %d links, private %q, protected %q, %d drafts", rep.LeftOut, rep.LinksToLeftOut, rep.Private, rep.Protected, rep.Drafts)
	}
}
