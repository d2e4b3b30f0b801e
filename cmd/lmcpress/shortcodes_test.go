package main

import (
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"lmcpress/internal/browsertest"
)

// shortcodeSite is a page moved in from Hugo and Jekyll with the shortcodes
// and attribute lists such sites use: built-ins, a site's own, a ref, and
// code that shows shortcodes as written.
var shortcodeSite = fstest.MapFS{
	"content/site.yaml": {Data: []byte("title: Test LMC\nbaseURL: https://lmc.example.org/\n")},
	"content/guidance/boundaries.md": {Data: []byte(`---
title: Practice boundaries
date: 2024-01-10
reviewDue: 2030-01-01
---
## Who is inside

Text.
`)},
	"content/news/moved.md": {Data: []byte(`---
title: Moved from Hugo
date: 2024-02-01
---
{{< figure src="/files/map.png" alt="Map of the practice boundaries" caption="The *new* boundaries" >}}

Read [the guidance]({{< ref "guidance/boundaries.md" >}}) and [again]({{< relref "boundaries" >}}).
{: .lead}

{{% note title="Remember" %}}
Bring **both** forms.
{{% /note %}}

{{< details summary="Who to call" >}}
Ring the LMC office.
{{< /details >}}

{{< youtube w7Ft2ymGmfc >}}

` + "```" + `
{{</* figure src="x.png" */>}} and {{< left-alone >}}
` + "```" + `
`)},
	"content/news/2016-03-03-from-jekyll.md": {Data: []byte(`---
title: Moved from Jekyll
---
See [the guidance]({% link guidance/boundaries.md %}) and [the Hugo page]({% post_url moved %}).

![Map]({{ site.baseurl }}/files/map.png)
{: .wide}

{% highlight yaml %}
title: {{ page.title }}
{% endhighlight %}

` + "```" + `
{% raw %}{{ page.title }}{% endraw %}
` + "```" + `
`)},
	"content/files/map.png":             {Data: []byte("PNG")},
	"templates/shortcodes/note.html":    {Data: []byte(`<aside class="note"><h2>{{.Get "title"}}</h2>{{.Inner}}<p>{{.Page.Title}}</p></aside>`)},
	"templates/shortcodes/unused.html":  {Data: []byte(`<b>{{.Get 0}}</b>`)},
	"templates/shortcodes/inline2.html": {Data: []byte(`<span>{{.Get 0}}</span>`)},
}

func writeMapFS(t *testing.T, site fstest.MapFS) string {
	t.Helper()
	root := t.TempDir()
	for name, f := range site {
		writeFile(t, filepath.Join(root, name), string(f.Data))
	}
	return root
}

// TestShortcodesBuild: the page builds, check finds nothing, and no
// shortcode is left as text anywhere the site publishes it: the page, its
// summary in listings, the feeds and the search index.
func TestShortcodesBuild(t *testing.T) {
	root := writeMapFS(t, shortcodeSite)
	out := filepath.Join(t.TempDir(), "public")
	if _, _, err := runCLI(t, "build", "--root", root, "--out", out); err != nil {
		t.Fatal(err)
	}
	if stdout, _, err := runCLI(t, "check", "--root", root); err != nil || strings.Contains(stdout, "shortcode") {
		t.Fatalf("check: %v\n%s", err, stdout)
	}
	page, err := os.ReadFile(filepath.Join(out, "news/moved/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<figure><img src="/files/map.png" alt="Map of the practice boundaries"><figcaption><p>The <em>new</em> boundaries</p></figcaption></figure>`,
		`<a href="/guidance/boundaries/">the guidance</a> and <a href="/guidance/boundaries/">again</a>`,
		`<aside class="note"><h2>Remember</h2><p>Bring <strong>both</strong> forms.</p>`,
		`<p>Moved from Hugo</p></aside>`,
		"<details><summary>Who to call</summary>\n<p>Ring the LMC office.</p>\n</details>",
		`<a href="https://www.youtube.com/watch?v=w7Ft2ymGmfc">Video on YouTube</a>`,
		"{{&lt; figure src=&quot;x.png&quot; &gt;}} and {{&lt; left-alone &gt;}}",
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(string(page), "{: .lead}") || strings.Contains(string(page), "<p></p>") {
		t.Errorf("an attribute list or an empty paragraph is on the page:\n%s", page)
	}
	jekyll, err := os.ReadFile(filepath.Join(out, "news/from-jekyll/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<a href="/guidance/boundaries/">the guidance</a> and <a href="/news/moved/">the Hugo page</a>`,
		`<img src="/files/map.png" alt="Map">`,
		"<pre><code class=\"language-yaml\">title: {{ page.title }}\n</code></pre>",
		"<pre><code>{{ page.title }}\n</code></pre>",
	} {
		if !strings.Contains(string(jekyll), want) {
			t.Errorf("the Jekyll page lacks %q:\n%s", want, jekyll)
		}
	}
	for _, never := range []string{"{%", "{: .wide}", "site.baseurl"} {
		if strings.Contains(string(jekyll), never) {
			t.Errorf("the Jekyll page has %q", never)
		}
	}
	// Outside the code sample, nothing of a shortcode is left anywhere.
	_ = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		s := strings.ReplaceAll(string(data), "{{&lt; figure src=&quot;x.png&quot; &gt;}} and {{&lt; left-alone &gt;}}", "")
		s = strings.ReplaceAll(s, "{{ page.title }}", "")
		for _, bad := range []string{"{{&lt;", "{{<", "{{%", "\\u003c", "{: .lead}", "\uE000", "{%", "{{ "} {
			if bad == "\\u003c" {
				bad = `{{\u003c`
			}
			if strings.Contains(s, bad) {
				t.Errorf("%s has %q", p, bad)
			}
		}
		return nil
	})
}

// brokenShortcodes has one of each shortcode mistake: build refuses the
// site, and check reports the same errors in the same words.
var brokenShortcodes = fstest.MapFS{
	"content/site.yaml":     {Data: []byte("title: Test LMC\nbaseURL: https://lmc.example.org/\n")},
	"content/files/map.png": {Data: []byte("PNG")},
	"content/news/bad.md": {Data: []byte(`---
title: Bad
date: 2024-02-01
---
{{< figure src="/files/nomap.png" alt="A map" >}}

{{< figure src="/files/map.png" >}}

See [the page]({{< ref "guidance/nowhere.md" >}}).

Text {{< tabs >}} more.

{{< note "unterminated >}}

{{< /details >}}
`)},
	"content/news/jekyll.md": {Data: []byte(`---
title: Jekyll
date: 2024-02-02
---
Text {% include signup.html %} and {{ page.title }}.
`)},
	"content/news/own.md": {Data: []byte(`---
title: Own
date: 2024-02-03
---
{{< card link="/advice/gone/" img="/files/gone.png" >}}

{{% card link="/news/own/" img="/files/map.png" %}}See [the map](/advice/lost/).{{% /card %}}
`)},
	"templates/shortcodes/note.html": {Data: []byte(`<div>{{.Get 0}}</div>`)},
	"templates/shortcodes/card.html": {Data: []byte(`<div class="card"><img src="{{.Get "img"}}" alt=""><a href="{{.Get "link"}}">More</a>{{.Inner}}</div>`)},
}

func TestShortcodesBuildAndCheckAgree(t *testing.T) {
	root := writeMapFS(t, brokenShortcodes)
	built, _, _ := buildAndCheck(t, root)
	for _, want := range []string{
		"content/news/bad.md:5:17: error missing-image: image /files/nomap.png: no image has this address",
		`content/news/bad.md:7:17: error image-alt: image /files/map.png has no alt text: screen reader users are told nothing about it (hint: describe what the image shows in the figure's alt: {{< figure src="/files/map.png" alt="Map of the practice boundaries" >}})`,
		`content/news/bad.md:9:16: error broken-link: {{< ref "guidance/nowhere.md" >}}: no published page comes from content/news/guidance/nowhere.md or content/guidance/nowhere.md (is it a draft, not yet due, or headless?)`,
		`content/news/bad.md:11:6: error shortcode: unknown shortcode "tabs" ({{< tabs >}}) (hint: define templates/shortcodes/tabs.html or remove it)`,
		`content/news/bad.md:13:1: error shortcode: {{< note: a quoted argument is never closed with "`,
		`content/news/jekyll.md:5:6: error shortcode: Liquid tag {% include signup.html %}: lmcpress does not run Jekyll's Liquid (hint: write what it makes into the page as Markdown, define templates/shortcodes/include.html, or remove it)`,
		`content/news/jekyll.md:5:36: error shortcode: Liquid output {{ page.title }}: lmcpress does not run Jekyll's Liquid`,
		// What a site's own shortcode writes is checked as Markdown is;
		// the link in its inner content is reported once, on its line.
		"content/news/own.md:5:16: error broken-link: link to /advice/gone/: no page has this address",
		"content/news/own.md:5:36: error missing-image: image /files/gone.png: no image has this address",
		"content/news/own.md:5:36: error image-alt: image /files/gone.png has no alt text",
		"content/news/own.md:7:66: error broken-link: link to /advice/lost/: no page has this address",
	} {
		if !strings.Contains(strings.Join(built, "\n"), want) {
			t.Errorf("build's report lacks %q:\n%s", want, strings.Join(built, "\n"))
		}
	}
	if n := strings.Count(strings.Join(built, "\n"), "/advice/lost/"); n != 1 {
		t.Errorf("the inner content's broken link is reported %d times, want once", n)
	}
}

// buildShortcodes builds shortcodeSite and returns the built site's folder.
func buildShortcodes(t *testing.T) string {
	t.Helper()
	root := writeMapFS(t, shortcodeSite)
	out := filepath.Join(root, "public")
	if _, _, err := runCLI(t, "build", "--root", root, "--out", out); err != nil {
		t.Fatalf("the shortcode site does not build: %v", err)
	}
	return out
}

// TestShortcodeSiteValidHTML: what the built-in shortcodes make (figure,
// details, code blocks, links) is valid HTML (the W3C Nu checker).
func TestShortcodeSiteValidHTML(t *testing.T) {
	java, jar := vnuChecker(t, "HTML")
	validHTML(t, java, jar, buildShortcodes(t))
}

// TestShortcodeSiteAccessible: the same pages pass axe-core in Chromium.
func TestShortcodeSiteAccessible(t *testing.T) {
	browserCtx := browsertest.Start(t, "check accessibility with axe-core in Chromium")
	axeSrc := browsertest.RequireAxe(t)
	srv := httptest.NewServer(siteHandler(buildShortcodes(t)))
	defer srv.Close()
	axePages(t, browserCtx, axeSrc, srv.URL, []string{"/news/moved/", "/news/from-jekyll/", "/news/"})
}

// TestShortcodePatientData: patient data in a shortcode's arguments or
// content is found by build and check alike, and an allow marker on the
// line accepts it, as anywhere in a page.
func TestShortcodePatientData(t *testing.T) {
	site := fstest.MapFS{
		"content/site.yaml":     {Data: []byte("title: Test LMC\nbaseURL: https://lmc.example.org/\n")},
		"content/files/map.png": {Data: []byte("PNG")},
		"content/news/p.md": {Data: []byte(`---
title: P
date: 2024-02-01
---
{{< figure src="/files/map.png" alt="Map" caption="Patient 943 476 5919" >}}

{{< details summary="More" >}}
Referral for NHS 943 476 5919.
{{< /details >}}
`)},
	}
	root := writeMapFS(t, site)
	_, _, buildErr := runCLI(t, "build", "--root", root)
	checkOut, _, _ := runCLI(t, "check", "--root", root)
	for _, want := range []string{"content/news/p.md:5:60: error nhs-number:", "content/news/p.md:8:18: error nhs-number:"} {
		if buildErr == nil || !strings.Contains(buildErr.Error(), want) {
			t.Errorf("build does not report %q: %v", want, buildErr)
		}
		if !strings.Contains(checkOut, want) {
			t.Errorf("check does not report %q:\n%s", want, checkOut)
		}
	}
	allowed := string(site["content/news/p.md"].Data)
	allowed = strings.Replace(allowed, `5919" >}}`, `5919" >}} <!-- lmcpress:allow nhs-number -->`, 1)
	allowed = strings.Replace(allowed, "5919.\n", "5919. <!-- lmcpress:allow nhs-number -->\n", 1)
	writeFile(t, filepath.Join(root, "content/news/p.md"), allowed)
	out := filepath.Join(t.TempDir(), "public")
	if _, _, err := runCLI(t, "build", "--root", root, "--out", out); err != nil {
		t.Fatalf("with the markers: %v", err)
	}
	if stdout, _, err := runCLI(t, "check", "--root", root); err != nil {
		t.Fatalf("check with the markers: %v\n%s", err, stdout)
	}
	page, _ := os.ReadFile(filepath.Join(out, "news/p/index.html"))
	if strings.Contains(string(page), "<p></p>") || !strings.Contains(string(page), "<figcaption>") {
		t.Errorf("the page:\n%s", page)
	}
}
