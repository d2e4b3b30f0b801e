package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A WordPress export as one literal: imported, then checked and built by
// the same program, as a new user would.
const wxrSite = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Northfield LMC</title>
<link>https://lmc.example.org</link>
<item>
<title>Flu clinics open</title>
<link>https://lmc.example.org/2016/12/19/flu-clinics/</link>
<content:encoded><![CDATA[Clinics open on Monday.

See <a href="https://lmc.example.org/?page_id=20">about us</a>.

<img src="https://lmc.example.org/wp-content/uploads/2016/12/clinic-300x200.png" alt="The clinic">

Braces as typed: {{ page.title }}, {% if x %}, {{< foo >}} and <code>{{ code }}</code>.
{: .note}]]></content:encoded>
<wp:post_id>10</wp:post_id>
<wp:post_date_gmt>2016-12-19 09:30:00</wp:post_date_gmt>
<wp:post_name>flu-clinics</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="flu"><![CDATA[Flu]]></category>
</item>
<item>
<title>Secret</title>
<link>https://lmc.example.org/?p=11</link>
<content:encoded><![CDATA[Not for the public. <img src="https://lmc.example.org/wp-content/uploads/2016/12/minutes.png" alt="Minutes">]]></content:encoded>
<wp:post_id>11</wp:post_id>
<wp:post_date_gmt>2016-12-20 09:30:00</wp:post_date_gmt>
<wp:post_name>secret</wp:post_name>
<wp:status>private</wp:status>
<wp:post_type>post</wp:post_type>
</item>
<item>
<title>About us</title>
<link>https://lmc.example.org/about-us/</link>
<content:encoded><![CDATA[We represent GPs.]]></content:encoded>
<wp:post_id>20</wp:post_id>
<wp:post_name>about-us</wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>page</wp:post_type>
</item>
</channel>
</rss>
`

func TestImportWordPressThenBuild(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export.xml")
	writeFile(t, export, wxrSite)
	site := filepath.Join(dir, "site")
	// A copy of wp-content/uploads, without the resized copies.
	png := "\x89PNG\r\n\x1a\n"
	writeFile(t, filepath.Join(dir, "uploads", "2016", "12", "clinic.png"), png)
	writeFile(t, filepath.Join(dir, "uploads", "2016", "12", "minutes.png"), png)
	out, _, err := runCLI(t, "import", "wordpress", export, "--root", site, "--uploads", filepath.Join(dir, "uploads"))
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, want := range []string{"Wrote 1 news post and 1 page (0 as drafts", "Left out, private or password-protected in WordPress", `post 11 "Secret", private in WordPress`, "lmcpress check --root " + site} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	if out, _, err := runCLI(t, "check", "--root", site); err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
	if out, _, err := runCLI(t, "build", "--root", site); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	pub := filepath.Join(site, "public")
	// Each post's files are beside it; the private post and its files are
	// left out of the new folder altogether.
	if _, err := os.Stat(filepath.Join(pub, "news", "flu-clinics", "clinic.png")); err != nil {
		t.Errorf("the image copied from uploads is not published beside its post: %v", err)
	}
	for _, f := range []string{"secret", "secret.md"} {
		if _, err := os.Stat(filepath.Join(site, "content", "news", f)); !os.IsNotExist(err) {
			t.Errorf("the private post was imported as content/news/%s: %v", f, err)
		}
	}
	page, err := os.ReadFile(filepath.Join(pub, "news", "flu-clinics", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `href="/about-us/"`) {
		t.Errorf("the link to ?page_id=20 should go to /about-us/")
	}
	// WordPress showed braces as typed; so does lmcpress, never as a
	// shortcode, Liquid or an attribute list.
	for _, want := range []string{"{{ page.title }}, {% if x %}, {{&lt; foo &gt;}} and <code>{{ code }}</code>", "{: .note}"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// The old permalink redirects; the private post is not published.
	if _, err := os.Stat(filepath.Join(pub, "2016", "12", "19", "flu-clinics", "index.html")); err != nil {
		t.Errorf("no redirect at the old permalink: %v", err)
	}
	if _, err := os.Stat(filepath.Join(pub, "news", "secret")); !os.IsNotExist(err) {
		t.Errorf("the private post was published: %v", err)
	}
	if _, err := os.Stat(filepath.Join(pub, "topics", "flu", "index.html")); err != nil {
		t.Errorf("no topic page for the category: %v", err)
	}

	// A second import into the same folder is refused, and changes nothing.
	if !strings.Contains(string(page), `src="clinic.png"`) && !strings.Contains(string(page), `src="/news/flu-clinics/clinic.png"`) {
		t.Errorf("the page does not show the copied image")
	}
	before, _ := os.ReadFile(filepath.Join(site, "content", "about-us.md"))
	if _, _, err := runCLI(t, "import", "wordpress", export, "--root", site); err == nil || !strings.Contains(err.Error(), "already has files") {
		t.Errorf("a second import: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(site, "content", "about-us.md"))
	if string(before) != string(after) {
		t.Errorf("a refused import changed a page")
	}
	if _, _, err := runCLI(t, "import", "hugo", export); err == nil || !strings.Contains(err.Error(), "want wordpress") {
		t.Errorf("import hugo: %v", err)
	}

	// --private brings the private post in as a draft, its image beside it,
	// and the build still does not publish it.
	site = filepath.Join(dir, "with-private")
	out, _, err = runCLI(t, "import", "wordpress", export, "--root", site, "--uploads", filepath.Join(dir, "uploads"), "--private")
	if err != nil || !strings.Contains(out, "Private in WordPress, imported as drafts") {
		t.Fatalf("import --private: %v\n%s", err, out)
	}
	if md, err := os.ReadFile(filepath.Join(site, "content", "news", "secret", "index.md")); err != nil || !strings.Contains(string(md), "draft: true") {
		t.Errorf("with --private, the private post should be a draft: %v\n%s", err, md)
	}
	if _, err := os.Stat(filepath.Join(site, "content", "news", "secret", "minutes.png")); err != nil {
		t.Errorf("with --private, the private post's image should be beside it: %v", err)
	}
	if out, _, err := runCLI(t, "build", "--root", site); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "news", "secret")); !os.IsNotExist(err) {
		t.Errorf("the private post was published: %v", err)
	}
}

// TestImportedPatientDataRefused: a WordPress post's patient data, as
// WordPress stores it (&nbsp; between the groups, <em> around the number,
// a paragraph that opens with the number, which the import escapes lest
// it be read as a numbered list: 9434765919\.), is found by check in the
// imported Markdown, and the build refuses it.
func TestImportedPatientDataRefused(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export.xml")
	writeFile(t, export, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>LMC</title><link>https://lmc.example.org</link>
<item><title>Case</title><link>https://lmc.example.org/?p=1</link>
<content:encoded><![CDATA[<p>9434765919. Seen at the surgery.</p>
<p>NHS&nbsp;number:&nbsp;401&nbsp;023&nbsp;2137 on the form.</p>
<p>And <em>4857773457</em> too.</p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt><wp:post_name>case</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel></rss>
`)
	site := filepath.Join(dir, "site")
	if out, _, err := runCLI(t, "import", "wordpress", export, "--root", site); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	md, _ := os.ReadFile(filepath.Join(site, "content", "news", "case.md"))
	if !strings.Contains(string(md), `9434765919\.`) {
		t.Logf("the import no longer escapes the paragraph's opening number:\n%s", md)
	}
	out, _, err := runCLI(t, "check", "--root", site)
	if err == nil {
		t.Fatalf("check passed a post with three NHS numbers:\n%s", out)
	}
	for _, want := range []string{"error nhs-number: 943*** ****", "error nhs-number: 401*** ****", "error nhs-number: 485*** ****"} {
		if !strings.Contains(out, want) {
			t.Errorf("check's report lacks %q:\n%s", want, out)
		}
	}
	if _, _, err := runCLI(t, "build", "--root", site); err == nil || !strings.Contains(err.Error(), "nhs-number") {
		t.Errorf("build: %v, want it refused for the NHS numbers", err)
	}
}
