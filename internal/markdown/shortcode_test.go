package markdown

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadTag(t *testing.T) {
	tests := []struct {
		src  string
		want scTag // start is 0; end is checked against len(src) unless err
		err  string
	}{
		{src: `{{< figure >}}`, want: scTag{name: "figure"}},
		{src: `{{<figure>}}`, want: scTag{name: "figure"}},
		{src: `{{% note %}}`, want: scTag{name: "note", markdown: true}},
		{src: `{{< /note >}}`, want: scTag{name: "note", closing: true}},
		{src: `{{< br />}}`, want: scTag{name: "br", selfClose: true}},
		{src: `{{< youtube w7Ft2ymGmfc >}}`, want: scTag{name: "youtube", args: []string{"w7Ft2ymGmfc"}}},
		{src: `{{< a "one two" ` + "`raw \"x\"`" + ` bare >}}`, want: scTag{name: "a", args: []string{"one two", `raw "x"`, "bare"}}},
		{src: `{{< a "say \"hi\" \\ ok" >}}`, want: scTag{name: "a", args: []string{`say "hi" \ ok`}}},
		{src: `{{< figure src="/a b.png" alt = "Map" width=300 >}}`,
			want: scTag{name: "figure", params: map[string]string{"src": "/a b.png", "alt": "Map", "width": "300"}, keys: []string{"src", "alt", "width"}}},
		{src: "{{< figure\n  src=\"x.png\"\n  alt=\"y\"\n>}}", want: scTag{name: "figure", params: map[string]string{"src": "x.png", "alt": "y"}, keys: []string{"src", "alt"}}},
		{src: `{{< a k=v k=w >}}`, want: scTag{name: "a", params: map[string]string{"k": "w"}, keys: []string{"k"}}},
		{src: `{{< gallery/item 1 >}}`, want: scTag{name: "gallery/item", args: []string{"1"}}},
		{src: `{{< x a/>}}`, want: scTag{name: "x", args: []string{"a"}, selfClose: true}},
		{src: `{{</* figure src="x" */>}}`, want: scTag{comment: true, literal: `{{< figure src="x" >}}`}},
		{src: `{{%/* note */%}}`, want: scTag{comment: true, literal: `{{% note %}}`, markdown: true}},
		{src: `{{< /* a */ b */>}}`, want: scTag{comment: true, literal: `{{< a */ b >}}`}},

		{src: `{{< >}}`, err: "{{< with no shortcode name"},
		{src: `{{< "x" >}}`, err: "{{< with no shortcode name"},
		{src: `{{< figure src="x.png"`, err: "{{< figure is never closed with >}}"},
		{src: `{{< figure src="x.png >}}`, err: `{{< figure: a quoted argument is never closed with "`},
		{src: `{{< figure src=x.png`, err: "{{< figure is never closed with >}}"},
		{src: "{{< a `raw", err: "{{< a: a raw argument is never closed with `"},
		{src: `{{< note %}}`, err: "{{< note is closed with %}}: close it with >}}"},
		{src: `{{< a x k=v >}}`, err: "{{< a: named argument k after positional ones: use one kind or the other"},
		{src: `{{< a k=v x >}}`, err: "{{< a: a positional argument after named ones: use one kind or the other"},
		{src: `{{< /a x >}}`, err: "{{< /a: a closing tag takes no arguments"},
		{src: `{{< /a />}}`, err: "{{< /a: a closing tag cannot also close itself"},
		{src: `{{< a = >}}`, err: `{{< a: "=" with no name before it`},
		{src: `{{</* never closed`, err: "the comment {{</* is never closed with */>}}"},
	}
	for _, tt := range tests {
		got := readTag([]byte(tt.src), 0)
		if tt.err != "" {
			if got.err != tt.err {
				t.Errorf("%s: err %q, want %q", tt.src, got.err, tt.err)
			}
			if got.end < 3 || got.end > len(tt.src) {
				t.Errorf("%s: end %d outside the tag", tt.src, got.end)
			}
			continue
		}
		if got.err != "" {
			t.Errorf("%s: unexpected error %q", tt.src, got.err)
			continue
		}
		want := tt.want
		want.end = len(tt.src)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.src, got, want)
		}
	}
}

func TestScanTagsSkipsCode(t *testing.T) {
	src := "a {{< x >}} `{{< y >}}` {{</* z */>}} {{ not }} {{<w>}}"
	code := span{strings.Index(src, "`") + 1, strings.LastIndex(src, "`")}
	tags := scanTags([]byte(src), codeRegions{code}.contains)
	var names []string
	for _, t := range tags {
		names = append(names, t.name+t.literal)
	}
	if want := []string{"x", "{{< z >}}", "w"}; !reflect.DeepEqual(names, want) {
		t.Errorf("tags %q, want %q", names, want)
	}
}

func TestPairTags(t *testing.T) {
	tests := []struct {
		src   string
		top   []string // name, "+" for a pair
		stray int
	}{
		{src: "{{< a >}}", top: []string{"a"}},
		{src: "{{< a >}}x{{< /a >}}", top: []string{"a+"}},
		{src: "{{< a >}}{{< b >}}{{< /b >}}{{< /a >}}{{< c >}}", top: []string{"a+", "c"}},
		// b inside a is left open: it stands alone, inside a.
		{src: "{{< a >}}{{< b >}}{{< /a >}}", top: []string{"a+"}},
		// Nested pairs of one name close innermost first.
		{src: "{{< a >}}{{< a >}}{{< /a >}}{{< /a >}}", top: []string{"a+"}},
		// An a that stands alone before a pair.
		{src: "{{< a >}} {{< a >}}x{{< /a >}}", top: []string{"a", "a+"}},
		{src: "{{< /a >}}{{< b />}}", top: []string{"a", "b"}, stray: 1},
	}
	for _, tt := range tests {
		top, stray := pairTags(scanTags([]byte(tt.src), nil))
		var got []string
		for _, n := range top {
			s := n.open.name
			if n.close != nil {
				s += "+"
			}
			got = append(got, s)
		}
		if !reflect.DeepEqual(got, tt.top) || len(stray) != tt.stray {
			t.Errorf("%s: top %q stray %d, want %q %d", tt.src, got, len(stray), tt.top, tt.stray)
		}
	}
}

// refsFor resolves ref targets from a fixed list.
type refsFor map[string]string

func (r refsFor) Ref(t string) (string, error) {
	if u, ok := r[t]; ok {
		return u, nil
	}
	return "", fmt.Errorf("no published page comes from content/%s", t)
}

// siteShortcodes is a site with a "note" shortcode.
type siteShortcodes struct{}

func (siteShortcodes) Has(name string) bool {
	_, ok, _ := siteShortcodes{}.Render(&Call{Name: name, Args: []string{""}})
	return ok
}

func (siteShortcodes) Render(c *Call) (string, bool, error) {
	switch c.Name {
	case "note":
		return `<div class="note">` + c.Params["title"] + c.Inner + `</div>`, true, nil
	case "figure": // a site's own comes before the built-in
		return `<span>my figure ` + c.Params["src"] + `</span>`, true, nil
	case "photo": // gives an address, for a link's destination
		return "/img/" + c.Args[0] + ".png", true, nil
	case "broken":
		return "", true, fmt.Errorf("template: broken:1: no such thing")
	}
	return "", false, nil
}

func TestShortcodesConvert(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		site     bool
		want     []string // substrings of the HTML
		never    []string
		text     string // Doc.Text, when set
		problems []string
		images   []Ref
		links    []Ref
	}{
		{name: "figure", src: "Intro.\n\n{{< figure src=\"/img/map.png\" alt=\"Map\" caption=\"The *area*\" title=\"Boundaries\" link=\"/guidance/\" class=\"wide\" width=\"300\" >}}\n",
			want:   []string{`<p>Intro.</p>` + "\n" + `<figure class="wide"><a href="/guidance/"><img src="/img/map.png" alt="Map" width="300"></a><figcaption><p class="figure-title"><strong>Boundaries</strong></p><p>The <em>area</em></p></figcaption></figure>`},
			never:  []string{"<p><figure"},
			text:   "Intro.\n\nBoundaries The area",
			images: []Ref{{Dest: "/img/map.png", Text: "Map", Line: 3, Via: "figure"}},
			links:  []Ref{{Dest: "/guidance/", Text: "Map", Line: 3, Via: "figure"}}},
		{name: "figure alt from caption, in a paragraph", src: "Before\n{{< figure src=\"a.png\" caption=\"A map\" >}}\nafter",
			want:   []string{"<p>Before</p>\n<figure><img src=\"a.png\" alt=\"A map\">", "</figure>\n<p>after</p>"},
			images: []Ref{{Dest: "a.png", Text: "A map", Line: 2, Via: "figure"}}},
		{name: "figure without src", src: `{{< figure alt="x" >}}`,
			problems: []string{`1:1 shortcode {{< figure >}} has no image`}},
		{name: "figure javascript", src: `{{< figure src="javascript:alert(1)" alt="x" >}}`, want: []string{`<img src="" alt="x">`}},
		{name: "ref", src: "See [the page]({{< ref \"guidance/foo.md\" >}}) and {{< relref \"foo#part\" >}}.",
			want:  []string{`<a href="/guidance/foo/">the page</a> and /guidance/foo/#part.`},
			links: []Ref{{Dest: "/guidance/foo/", Text: "the page", Line: 1}}},
		{name: "ref unknown", src: "x\n\n[a]({{< ref \"nowhere\" >}})",
			problems: []string{`3:5 broken-link {{< ref "nowhere" >}}: no published page comes from content/nowhere`}},
		{name: "ref with no target", src: `{{< ref >}}`, problems: []string{`1:1 shortcode {{< ref >}} names no page`}},
		{name: "highlight", src: "{{< highlight go \"linenos=table\" >}}\nfmt.Println(\"<hi>\")\n{{< /highlight >}}\n",
			want: []string{"<pre><code class=\"language-go\">fmt.Println(&quot;&lt;hi&gt;&quot;)\n</code></pre>"},
			text: `fmt.Println("<hi>")`},
		{name: "highlight with a fence inside", src: "{{< highlight md >}}\n```\nx\n```\n{{< /highlight >}}",
			want: []string{"<pre><code class=\"language-md\">```\nx\n```\n</code></pre>"}},
		{name: "highlight of a template", src: "{{< highlight go-html-template >}}\n{{ .Title }}\n{{< /highlight >}}",
			want: []string{"<pre><code class=\"language-go-html-template\">{{ .Title }}\n</code></pre>"}},
		{name: "unknown with content", src: "{{< tabs >}}\n{{ .Title }} {{< nope >}}\n{{< /tabs >}}",
			problems: []string{`1:1 shortcode unknown shortcode "tabs"`}},
		{name: "highlight unclosed", src: "{{< highlight go >}}", problems: []string{"1:1 shortcode {{< highlight >}} has no code and closing tag"}},
		{name: "details", src: "{{% details summary=\"More *here*\" open=true %}}\n\nSee [x](/x/).\n\n{{% /details %}}\n",
			want:  []string{"<details open><summary>More <em>here</em></summary>\n<p>See <a href=\"/x/\">x</a>.</p>\n</details>"},
			never: []string{"<p></p>"},
			text:  "More here\n\nSee x.",
			links: []Ref{{Dest: "/x/", Text: "x", Line: 3}}},
		{name: "nested", src: "{{< details >}}\n{{< details summary=\"Inner\" >}}\n![A map](/m.png)\n{{< /details >}}\n{{< /details >}}",
			want:   []string{"<details><summary>Details</summary>\n<details><summary>Inner</summary>\n<p><img src=\"/m.png\" alt=\"A map\"></p>\n</details>\n</details>"},
			images: []Ref{{Dest: "/m.png", Text: "A map", Line: 3}}},
		{name: "youtube", src: `{{< youtube id="w7Ft2ymGmfc" title="Flu clinics" >}}`,
			want:  []string{`<p><a href="https://www.youtube.com/watch?v=w7Ft2ymGmfc">Flu clinics</a></p>`},
			never: []string{"iframe"}},
		{name: "vimeo, x, gist, instagram", src: "{{< vimeo 55073825 >}} {{< x user=\"nhsengland\" id=\"1\" >}} {{< tweet 2 >}} {{< gist spf13 7896402 >}} {{< instagram BWNjjyYFxVx >}}",
			want: []string{`<a href="https://vimeo.com/55073825">`, `<a href="https://x.com/nhsengland/status/1">`, `<a href="https://x.com/i/status/2">`,
				`<a href="https://gist.github.com/spf13/7896402">`, `<a href="https://www.instagram.com/p/BWNjjyYFxVx/">`}},
		{name: "comment shortcode", src: "a {{% comment %}}not for readers{{% /comment %}} b", want: []string{"<p>a  b</p>"}, never: []string{"readers"}},
		{name: "unknown", src: "Para.\n\n  {{< tabs \"x\" >}}\n\nText {{% mine %}} here.",
			want:     []string{"<p>Para.</p>\n<p>Text  here.</p>"},
			never:    []string{"<p></p>", "tabs", "mine"},
			problems: []string{`3:3 shortcode unknown shortcode "tabs" ({{< tabs >}})`, `5:6 shortcode unknown shortcode "mine" ({{% mine %}})`}},
		{name: "stray closing tag", src: "x {{< /note >}} y", want: []string{"<p>x  y</p>"},
			problems: []string{"1:3 shortcode {{< /note >}} closes no {{< note >}}"}},
		{name: "unclosed quote", src: "x {{< note \"y >}} z", want: []string{"<p>x </p>"},
			problems: []string{`1:3 shortcode {{< note: a quoted argument is never closed with "`}},
		{name: "comments", src: "{{</* figure src=\"x\" */>}}\n\n`{{</* b */>}}`\n\n```\n{{%/* c */%}}\n```",
			want: []string{"<p>{{&lt; figure src=&#34;x&#34; &gt;}}</p>", "<code>{{&lt; b &gt;}}</code>", "<pre><code>{{% c %}}\n</code></pre>"},
			text: "{{< figure src=\"x\" >}}\n\n{{< b >}}\n\n{{% c %}}"},
		{name: "code stays as written", src: "`{{< x >}}`\n\n    {{< y >}}\n\n~~~\n{{% z %}}\n~~~\n",
			want: []string{"<code>{{&lt; x &gt;}}</code>", "<pre><code>{{&lt; y &gt;}}\n</code></pre>", "<pre><code>{{% z %}}\n</code></pre>"}},
		{name: "no typographer on arguments", src: `{{< youtube id="a" title="It's \"quoted\"" >}}`,
			want: []string{`>It&#39;s &#34;quoted&#34;</a>`}},
		{name: "site's own", site: true, src: "{{% note title=\"T\" %}}\n**b**\n{{% /note %}}\n\n{{< figure src=\"a.png\" >}}",
			want: []string{`<div class="note">T<p><strong>b</strong></p>` + "\n</div>", "<span>my figure a.png</span>"}},
		{name: "site's own fails", site: true, src: "x\n{{< broken >}}", problems: []string{"2:1 shortcode {{< broken >}}: template: broken:1: no such thing"}},
		{name: "heading with a shortcode", src: "## Call {{< youtube abc >}}\n",
			want: []string{`<h2 id="call">Call <a href="https://www.youtube.com/watch?v=abc">Video on YouTube</a></h2>`}},
		{name: "too deep", src: strings.Repeat("{{< details >}}", 20) + "x" + strings.Repeat("{{< /details >}}", 20),
			problems: []string{"1:241 shortcode {{< details >}} is inside 16 other shortcodes"}},
		{name: "a placeholder written by hand", src: "{{< youtube a >}} {\uE0009\uE001", want: []string{"{\uE0009\uE001"}},
	}
	e := New(Config{})
	for _, tt := range tests {
		o := Options{Refs: refsFor{"guidance/foo.md": "/guidance/foo/", "foo#part": "/guidance/foo/#part"}}
		if tt.site {
			o.Shortcodes = siteShortcodes{}
		}
		d := convert(t, e, tt.src, o)
		h := string(d.HTML)
		for _, w := range tt.want {
			if !strings.Contains(h, w) {
				t.Errorf("%s: HTML lacks %q:\n%s", tt.name, w, h)
			}
		}
		for _, n := range append(tt.never, "{{<", "{{%", "\uE000") {
			if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(h, "<code>{{", ""), "{{&lt;", ""), n) && tt.name != "a placeholder written by hand" && tt.name != "code stays as written" && tt.name != "comments" {
				t.Errorf("%s: HTML has %q:\n%s", tt.name, n, h)
			}
		}
		if tt.text != "" && d.Text != tt.text {
			t.Errorf("%s: text %q, want %q", tt.name, d.Text, tt.text)
		}
		var probs []string
		for _, p := range d.Problems {
			probs = append(probs, fmt.Sprintf("%d:%d %s %s", p.Line, p.Column, p.Rule, p.Msg))
		}
		if len(probs) != len(tt.problems) {
			t.Errorf("%s: problems %q, want %q", tt.name, probs, tt.problems)
		} else {
			for i := range probs {
				if !strings.HasPrefix(probs[i], tt.problems[i]) {
					t.Errorf("%s: problem %q, want %q", tt.name, probs[i], tt.problems[i])
				}
			}
		}
		if tt.images != nil && !reflect.DeepEqual(d.Images, tt.images) {
			t.Errorf("%s: images %+v, want %+v", tt.name, d.Images, tt.images)
		}
		if tt.links != nil && !reflect.DeepEqual(d.Links, tt.links) {
			t.Errorf("%s: links %+v, want %+v", tt.name, d.Links, tt.links)
		}
	}
}

// TestShortcodesAbsolute: in feeds and email a figure's image and link are
// absolute, like a Markdown image's.
func TestShortcodesAbsolute(t *testing.T) {
	d := convert(t, New(Config{}), `{{< figure src="map.png" alt="Map" link="/guidance/" >}}`, Options{BaseURL: "https://lmc.example.org/", PageURL: "/news/x/"})
	for _, w := range []string{`href="https://lmc.example.org/guidance/"`, `src="https://lmc.example.org/news/x/map.png"`} {
		if !bytes.Contains(d.HTML, []byte(w)) {
			t.Errorf("HTML lacks %s:\n%s", w, d.HTML)
		}
	}
}

func TestKramdownAttributes(t *testing.T) {
	tests := []struct{ src, want string }{
		{"A paragraph.\n{: .note}\n\nNext.", "<p>A paragraph.</p>\n<p>Next.</p>\n"},
		{"{: #intro .lead}\nText.", "<p>Text.</p>\n"},
		{"## Heading\n{: #custom-id}\n", "<h2 id=\"custom-id\">Heading</h2>\n"},
		{"## Fees  \n{: .no_toc #fees-2024 target=\"x\"}\n\n## Fees\n", "<h2 class=\"no_toc\" id=\"fees-2024\">Fees</h2>\n<h2 id=\"fees\">Fees</h2>\n"},
		{"## Custom id\n{: #same}\n\n## Same\n", "<h2 id=\"same\">Custom id</h2>\n<h2 id=\"same-1\">Same</h2>\n"},
		{"## Already {#x}\n{: #y}\n", "<h2 id=\"x\">Already</h2>\n"},
		{"## Fees {#fees-2024}\n\nText {#not-a-heading}", "<h2 id=\"fees-2024\">Fees</h2>\n<p>Text {#not-a-heading}</p>\n"},
		{"* TOC\n{:toc}\n\n## A\n", "<h2 id=\"a\">A</h2>\n"},
		{"- item\n{: .list}\n", "<ul>\n<li>item</li>\n</ul>\n"},
		{"[Form](/f.pdf){:target=\"_blank\"} and *this*{: .x}.", "<p><a href=\"/f.pdf\">Form</a> and <em>this</em>.</p>\n"},
		{"Trailing text {: .x}\nmore", "<p>Trailing text\nmore</p>\n"},
		{"`{: .x}`\n\n```\n{: .y}\n```\n", "<p><code>{: .x}</code></p>\n<pre><code>{: .y}\n</code></pre>\n"},
		{"A set {: a, b } is not an attribute list: {:, ok}", "<p>A set {: a, b } is not an attribute list: {:, ok}</p>\n"},
	}
	e := New(Config{})
	for _, tt := range tests {
		d := convert(t, e, tt.src, Options{})
		if string(d.HTML) != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.src, d.HTML, tt.want)
		}
	}
	// Lines are as in the source.
	d := convert(t, e, "x\n{: .a}\n\n* TOC\n{:toc}\n\n[l](/l/)", Options{})
	if len(d.Links) != 1 || d.Links[0].Line != 7 {
		t.Errorf("links %+v, want one on line 7", d.Links)
	}
}

// FuzzShortcodes converts what a page from another site might hold: it
// never panics, never leaves a placeholder or a tag it read in the HTML,
// and every line it reports is in the source.
func FuzzShortcodes(f *testing.F) {
	for _, s := range []string{
		`{{< figure src="a.png" alt="x" caption="*c*" >}}`,
		"{{% details summary=\"s\" %}}\n\nx\n\n{{% /details %}}",
		`{{< a "x >}}`, "{{< a `b", `{{</* x */>}}`, "`{{< x >}}`", "{{< highlight go >}}\n```\n{{< /highlight >}}",
		"{{< a >}}{{< b >}}{{< /a >}}{{< /b >}}", "x\n{: .y}\n", "* TOC\n{:toc}", "[a]({{< ref \"x\" >}})",
		"> {{< details >}}\n> in\n> {{< /details >}}", "{% raw %}{{ x }}{% endraw %}", "{% highlight go %}\nx\n{% endhighlight %}",
		"[a]({% link x %}) {% post_url x %} {{ site.baseurl }} {{ 'a' | relative_url }} {% if x %}{% endif %}", "```\n{% raw %}\n```\n{% endraw %}", "- {{< figure src=x >}}\n- b", "{{< x k=v k2=`r` >}}{\uE0000\uE001",
	} {
		f.Add([]byte(s))
	}
	e := New(Config{})
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := e.Convert(src, Options{Refs: refsFor{"x": "/x/"}, Shortcodes: siteShortcodes{}})
		if err != nil {
			t.Fatal(err)
		}
		lines := 1 + bytes.Count(src, []byte{'\n'})
		for _, p := range d.Problems {
			if p.Line < 1 || p.Line > lines || p.Column < 1 {
				t.Fatalf("problem at %d:%d of %d lines: %+v", p.Line, p.Column, lines, p)
			}
		}
		for _, r := range append(d.Links, d.Images...) {
			if r.Line < 0 || r.Line > lines {
				t.Fatalf("ref on line %d of %d: %+v", r.Line, lines, r)
			}
		}
		if !utf8.Valid(src) {
			return
		}
		if n, m := bytes.Count(d.HTML, []byte("\uE000")), bytes.Count(src, []byte("\uE000")); n > m {
			t.Fatalf("a placeholder is left in the HTML:\n%s", d.HTML)
		}
	})
}

func TestLiquid(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		want     []string
		never    []string
		problems []string
		site     bool
	}{
		{name: "raw", src: "{% raw %}{{ page.title }} and {{< x >}}{% endraw %}",
			want: []string{"<p>{{ page.title }} and {{&lt; x &gt;}}</p>"}, never: []string{"raw"}},
		{name: "raw in code", src: "```liquid\n{% raw %}{{ page.title }}{% endraw %}\n```\n",
			want: []string{"<pre><code class=\"language-liquid\">{{ page.title }}\n</code></pre>"}, never: []string{"raw"}},
		{name: "raw unclosed", src: "x\n{% raw %}{{ a }}", want: []string{"{{ a }}"}, problems: []string{"2:1 shortcode {% raw %} has no {% endraw %}"}},
		{name: "highlight", src: "{% highlight ruby linenos %}\nputs \"{{ x }}\"\n{% endhighlight %}\n",
			want: []string{"<pre><code class=\"language-ruby\">puts &quot;{{ x }}&quot;\n</code></pre>"}},
		{name: "link and post_url", src: "[Install]({% link _docs/installation.md %}) and [post]({% post_url 2016-03-03-qgis %}).",
			want: []string{`<a href="/docs/installation/">Install</a> and <a href="/news/qgis/">post</a>`}},
		{name: "link to nowhere", src: "[x]({% link docs/nowhere.md %})",
			problems: []string{"1:5 broken-link {% link docs/nowhere.md %}: no published page comes from content//docs/nowhere.md"}},
		{name: "baseurl", src: "![Logo]({{ site.baseurl }}/img/logo.png) [a]({{ \"/about/\" | relative_url }}) {{site.url}}{{ site.baseurl }}/x",
			want: []string{`<img src="/img/logo.png" alt="Logo">`, `<a href="/about/">a</a> /x`}},
		{name: "comment", src: "a {% comment %}for editors {{ page.x }}{% endcomment %}b", want: []string{"<p>a b</p>"}, never: []string{"editors"}},
		{name: "unknown tags", src: "{% include note.html %}\n\n{% if page.x %}A{% else %}B{% endif %}\n\n{{ page.title }} {{ \"x\" | upcase }}",
			want:  []string{"<p>AB</p>"},
			never: []string{"include", "page.", "{%"},
			problems: []string{"1:1 shortcode Liquid tag {% include note.html %}: lmcpress does not run Jekyll's Liquid",
				"3:1 shortcode Liquid tag {% if page.x %}", "5:1 shortcode Liquid output {{ page.title }}", `5:18 shortcode Liquid output {{ "x" | upcase }}: lmcpress does not run Liquid's filter "upcase"`}},
		{name: "other templates", src: "Hugo writes {{ .Title }} and { % x } and {{ }}", want: []string{"<p>Hugo writes  and { % x } and </p>"},
			problems: []string{"1:13 shortcode template output {{ .Title }}: lmcpress does not run templates in pages", "1:42 shortcode template output"}},
		{name: "a site's own for a filter", src: "[x]({{ \"a\" | photo }}) {{ \"b\" | nope: 1 }}", site: true,
			want:     []string{`<a href="/img/a.png">x</a>`},
			problems: []string{`1:24 shortcode Liquid output {{ "b" | nope: 1 }}: lmcpress does not run Liquid's filter "nope" (define templates/shortcodes/nope.html`}},
		{name: "in code", src: "`{% include x %}` and `{{ page.x }}`", want: []string{"<code>{% include x %}</code> and <code>{{ page.x }}</code>"}},
		{name: "one message for a link", src: "[#744]({{ site.repository }}/issues/744)",
			want: []string{`<a href="/issues/744">#744</a>`}, problems: []string{"1:8 shortcode Liquid output {{ site.repository }}"}},
		{name: "a site's own for a tag", src: "{% note \"a\" title: \"T\" %}", site: true,
			want: []string{`<div class="note">T</div>`}},
		{name: "url filter", src: "[a]({{ '/x/' | url }})", want: []string{`<a href="/x/">a</a>`}},
		{name: "unclosed tag", src: "x {% include", problems: []string{"1:3 shortcode a Liquid tag {% is never closed with %}"}},
	}
	e := New(Config{})
	refs := refsFor{"/_docs/installation.md": "", "installation": "/docs/installation/", "2016-03-03-qgis": "/news/qgis/"}
	delete(refs, "/_docs/installation.md")
	for _, tt := range tests {
		o := Options{Refs: refs}
		if tt.site {
			o.Shortcodes = siteShortcodes{}
		}
		d := convert(t, e, tt.src, o)
		if tt.name == "one message for a link" && len(d.Links) != 0 {
			t.Errorf("%s: links %+v, want none to check", tt.name, d.Links)
		}
		h := string(d.HTML)
		for _, w := range tt.want {
			if !strings.Contains(h, w) {
				t.Errorf("%s: HTML lacks %q:\n%s", tt.name, w, h)
			}
		}
		for _, n := range tt.never {
			if strings.Contains(h, n) {
				t.Errorf("%s: HTML has %q:\n%s", tt.name, n, h)
			}
		}
		var probs []string
		for _, p := range d.Problems {
			probs = append(probs, fmt.Sprintf("%d:%d %s %s", p.Line, p.Column, p.Rule, p.Msg))
		}
		ok := len(probs) == len(tt.problems)
		for i := 0; ok && i < len(probs); i++ {
			ok = strings.HasPrefix(probs[i], tt.problems[i])
		}
		if !ok {
			t.Errorf("%s: problems\n%q\nwant\n%q", tt.name, probs, tt.problems)
		}
	}
}
