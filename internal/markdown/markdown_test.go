package markdown

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func convert(t *testing.T, e *Engine, src string, o Options) *Doc {
	t.Helper()
	d, err := e.Convert([]byte(src), o)
	if err != nil {
		t.Fatalf("Convert(%q): %v", src, err)
	}
	return d
}

func TestConvertHTML(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		raw   bool
		want  []string // substrings of the HTML
		never []string // must not appear
	}{
		{name: "table", src: "| Role | Pay |\n|:--|--:|\n| GP | £10 |\n",
			want: []string{"<table>", "<th style=\"text-align:left\">Role</th>", "<td style=\"text-align:right\">£10</td>", "</table>"}},
		{name: "strikethrough", src: "~~old~~ new", want: []string{"<p><del>old</del> new</p>"}},
		{name: "autolink url", src: "See https://www.nhs.uk/conditions/ today.",
			want: []string{`<a href="https://www.nhs.uk/conditions/">https://www.nhs.uk/conditions/</a> today.`}},
		{name: "autolink www", src: "See www.nhs.uk.", want: []string{`<a href="http://www.nhs.uk">www.nhs.uk</a>.`}},
		{name: "autolink email", src: "Email office@example.org now", want: []string{`<a href="mailto:office@example.org">office@example.org</a>`}},
		{name: "angle autolink", src: "<https://example.org/a>", want: []string{`<a href="https://example.org/a">https://example.org/a</a>`}},
		{name: "task list", src: "- [ ] Book flu clinic\n- [x] Order vaccine\n",
			want: []string{`<li><input disabled="" type="checkbox"> Book flu clinic</li>`, `<li><input checked="" disabled="" type="checkbox"> Order vaccine</li>`}},
		{name: "footnote", src: "Fees apply.[^1]\n\n[^1]: Under the 2018 rules.\n",
			want: []string{`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`, `<li id="fn:1">`, "Under the 2018 rules."}},
		{name: "heading ids", src: "# Flu Clinics 2024\n\n## Flu Clinics 2024\n\n## What's new?\n",
			want: []string{`<h1 id="flu-clinics-2024">Flu Clinics 2024</h1>`, `<h2 id="flu-clinics-2024-1">`, `<h2 id="whats-new">What’s new?</h2>`}},
		{name: "double quotes", src: `The "new" contract`, want: []string{"The “new” contract"}},
		{name: "single quotes", src: `The 'new' contract`, want: []string{"The ‘new’ contract"}},
		{name: "single quotes before t e n l", src: "the 'new' rules, 'the' end, 'extra' hours and 'locum' rates",
			want: []string{"the ‘new’ rules, ‘the’ end, ‘extra’ hours and ‘locum’ rates"}},
		{name: "single quotes at the end", src: "the partners' meeting's 'notes'.", want: []string{"the partners’ meeting’s ‘notes’."}},
		{name: "apostrophes", src: "The LMC's view, GPs' pay, don't", want: []string{"The LMC’s view, GPs’ pay, don’t"}},
		{name: "apostrophe at the end", src: "It's the GP's", want: []string{"It’s the GP’s</p>"}},
		{name: "decade", src: "since the '90s, in 2024's budget", want: []string{"since the ’90s, in 2024’s budget"}},
		{name: "quote and apostrophe", src: "I'm 'late', they'd say", want: []string{"I’m ‘late’, they’d say"}},
		{name: "en dash", src: "2024--25 and 9--5", want: []string{"2024–25 and 9–5"}},
		{name: "em dash", src: "a---b", want: []string{"a—b"}},
		{name: "ellipsis", src: "and so on...", want: []string{"and so on…"}},
		{name: "no typography in code", src: "`\"x\" -- y`", want: []string{"<code>&quot;x&quot; -- y</code>"}},
		{name: "inline html escaped", src: "a <b>bold</b> c", want: []string{"<p>a &lt;b&gt;bold&lt;/b&gt; c</p>"}, never: []string{"<b>"}},
		{name: "block html escaped", src: "<div class=\"x\" onclick=\"alert(1)\">\nhi\n</div>\n",
			want: []string{"<p>&lt;div class=&#34;x&#34; onclick=&#34;alert(1)&#34;&gt;<br>\nhi<br>\n&lt;/div&gt;</p>"}, never: []string{"<div"}},
		{name: "script escaped", src: "<script>alert(1)</script>\n", never: []string{"<script>"}, want: []string{"&lt;script&gt;"}},
		{name: "comment block dropped", src: "<!-- note -->\n", never: []string{"note", "&lt;!--"}},
		{name: "inline comment dropped", src: "Text 943 476 5919 <!-- lmcpress:allow nhs-number -->\n", want: []string{"<p>Text 943 476 5919 </p>"}, never: []string{"allow"}},
		{name: "comment kept when raw HTML allowed", raw: true, src: "<!-- note -->\n", want: []string{"<!-- note -->"}},
		{name: "heading id keeps accents, drops comments", src: "## Café rules <!-- lmcpress:allow heading-level -->\n\n## Café rules\n", want: []string{`<h2 id="café-rules">`, `<h2 id="café-rules-1">`}},
		{name: "inline html allowed", raw: true, src: "a <b>bold</b> c", want: []string{"<p>a <b>bold</b> c</p>"}},
		{name: "block html allowed", raw: true, src: "<div class=\"x\">\nhi\n</div>\n", want: []string{"<div class=\"x\">\nhi\n</div>"}},
		{name: "javascript link dropped", src: "[x](javascript:alert(1))", never: []string{"javascript:"}},
		{name: "plain paragraph", src: "Hello & welcome", want: []string{"<p>Hello &amp; welcome</p>\n"}},
		{name: "relative links kept without base", src: "[n](/news/x/) ![i](img.png)", want: []string{`href="/news/x/"`, `src="img.png"`}},
	}
	safe, unsafe := New(Config{}), New(Config{AllowRawHTML: true})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := safe
			if tt.raw {
				e = unsafe
			}
			html := string(convert(t, e, tt.src, Options{}).HTML)
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("HTML does not contain %q:\n%s", w, html)
				}
			}
			for _, n := range tt.never {
				if strings.Contains(html, n) {
					t.Errorf("HTML contains %q:\n%s", n, html)
				}
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	src := "[news](/news/x/) ![img](img.png) [frag](#frag) [up](../other/) [q](?page=2)\n" +
		"[abs](https://www.nhs.uk/) [mail](mailto:office@example.org) [proto](//cdn.example.org/a.js) [tel](tel:01632960000)\n\n" +
		"[ref][r]\n\n[r]: /advice/y/\n"
	tests := []struct {
		base, page string
		want       []string
	}{
		{"https://lmc.example.org/", "/news/flu/", []string{
			"https://lmc.example.org/news/x/", "https://lmc.example.org/news/flu/img.png", "https://lmc.example.org/news/flu/#frag",
			"https://lmc.example.org/news/other/", "https://lmc.example.org/news/flu/?page=2",
			"https://www.nhs.uk/", "mailto:office@example.org", "//cdn.example.org/a.js", "tel:01632960000",
			"https://lmc.example.org/advice/y/"}},
		{"https://lmc.example.org", "", []string{
			"https://lmc.example.org/news/x/", "https://lmc.example.org/img.png", "https://lmc.example.org/#frag",
			"https://lmc.example.org/other/", "https://lmc.example.org/?page=2",
			"https://www.nhs.uk/", "mailto:office@example.org", "//cdn.example.org/a.js", "tel:01632960000",
			"https://lmc.example.org/advice/y/"}},
		// A site served from a folder keeps it, as its permalinks do.
		{"https://example.org/lmc/", "/news/flu/", []string{
			"https://example.org/lmc/news/x/", "https://example.org/lmc/news/flu/img.png", "https://example.org/lmc/news/flu/#frag",
			"https://example.org/lmc/news/other/", "https://example.org/lmc/news/flu/?page=2",
			"https://www.nhs.uk/", "mailto:office@example.org", "//cdn.example.org/a.js", "tel:01632960000",
			"https://example.org/lmc/advice/y/"}},
	}
	e := New(Config{})
	for _, tt := range tests {
		d := convert(t, e, src, Options{BaseURL: tt.base, PageURL: tt.page})
		var got []string
		for _, l := range d.Links {
			got = append(got, l.Dest)
		}
		got = append(got[:1], append([]string{d.Images[0].Dest}, got[1:]...)...)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("base %s page %s:\n got %q\nwant %q", tt.base, tt.page, got, tt.want)
		}
		sameAsTwoConversions(t, e, []byte(src), tt.base, tt.page, d)
		html := string(d.HTML)
		for _, w := range tt.want {
			if !strings.Contains(html, `"`+w+`"`) {
				t.Errorf("base %s: HTML lacks %q:\n%s", tt.base, w, html)
			}
		}
	}
}

func TestCollect(t *testing.T) {
	src := `# Subject access requests

Patients may ask for their records.
See [the ICO](https://ico.org.uk/) and
[our letter](letter.pdf "Model letter").

![Flow chart of a request](flow.png)
![](decorative.png)

## What’s *new* in 2024

- item with <https://example.org/auto>
- [empty]()

| Form | Link |
|---|---|
| SAR | [form](/advice/form/) |

> quoted [q](/q/)

Setext heading
--------------

` + "```\ncode [not a link](/x/)\n```\n"
	d := convert(t, New(Config{}), src, Options{})
	wantLinks := []Ref{
		{Dest: "https://ico.org.uk/", Text: "the ICO", Line: 4},
		{Dest: "letter.pdf", Text: "our letter", Line: 5},
		{Dest: "https://example.org/auto", Text: "https://example.org/auto", Line: 12},
		{Dest: "", Text: "empty", Line: 13},
		{Dest: "/advice/form/", Text: "form", Line: 17},
		{Dest: "/q/", Text: "q", Line: 19},
	}
	if !reflect.DeepEqual(d.Links, wantLinks) {
		t.Errorf("Links:\n got %+v\nwant %+v", d.Links, wantLinks)
	}
	wantImages := []Ref{
		{Dest: "flow.png", Text: "Flow chart of a request", Line: 7},
		{Dest: "decorative.png", Text: "", Line: 8},
	}
	if !reflect.DeepEqual(d.Images, wantImages) {
		t.Errorf("Images:\n got %+v\nwant %+v", d.Images, wantImages)
	}
	wantHeadings := []Heading{
		{Level: 1, ID: "subject-access-requests", Text: "Subject access requests", Line: 1},
		{Level: 2, ID: "whats-new-in-2024", Text: "What’s new in 2024", Line: 10},
		{Level: 2, ID: "setext-heading", Text: "Setext heading", Line: 21},
	}
	if !reflect.DeepEqual(d.Headings, wantHeadings) {
		t.Errorf("Headings:\n got %+v\nwant %+v", d.Headings, wantHeadings)
	}
	if want := "Patients may ask for their records. See the ICO and our letter."; d.FirstParagraph != want {
		t.Errorf("FirstParagraph = %q, want %q", d.FirstParagraph, want)
	}
	wantText := "Subject access requests\n\n" +
		"Patients may ask for their records. See the ICO and our letter.\n\n" +
		"Flow chart of a request\n\n" +
		"What’s new in 2024\n\n" +
		"item with https://example.org/auto\n\nempty\n\n" +
		"Form | Link\nSAR | form\n\n" +
		"quoted q\n\n" +
		"Setext heading\n\n" +
		"code [not a link](/x/)"
	if d.Text != wantText {
		t.Errorf("Text:\n got %q\nwant %q", d.Text, wantText)
	}
}

func TestFirstParagraph(t *testing.T) {
	tests := []struct{ src, want string }{
		{"# Title\n\n## Sub\n\nThe first words.\n\nMore.", "The first words."},
		{"Setext\n===\n\nBody *text* with `code`.", "Body text with code."},
		{"| a |\n|---|\n| cell |\n\nAfter the table.", "After the table."},
		{"- list item\n\nParagraph.", "Paragraph."},
		{"> quoted\n\nParagraph.", "quoted"},
		{"Line one\nline two  \nline three", "Line one line two line three"},
		{"Note[^1] here.\n\n[^1]: Foot.", "Note here."},
		{"<div>\nraw\n</div>\n\nText.", "Text."},
		{"a <b>b</b> c", "a b c"},
		{"# Only a heading", ""},
		{"", ""},
	}
	e := New(Config{})
	for _, tt := range tests {
		if got := convert(t, e, tt.src, Options{}).FirstParagraph; got != tt.want {
			t.Errorf("FirstParagraph(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ src, want string }{
		{"Hello *world*.\n\nSecond   paragraph\nwrapped.", "Hello world.\n\nSecond paragraph wrapped."},
		{"1. one\n2. two", "one\n\ntwo"},
		{"```go\nfmt.Println(1)\n\nx := 2\n```", "fmt.Println(1)\n\nx := 2"},
		{"    indented code", "indented code"},
		{"a <span>b</span> c\n\n<div>\nblock\n</div>", "a b c"},
		{"\"Quoted\" -- it's", "“Quoted” – it’s"},
		{"| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | |", "a | b\n1 | 2\n3 |"},
	}
	e := New(Config{})
	for _, tt := range tests {
		if got := convert(t, e, tt.src, Options{}).Text; got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestConcurrent checks the engine is safe to share, as the build does.
func TestConcurrent(t *testing.T) {
	e := New(Config{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				d, err := e.Convert([]byte("# Heading\n\n## Heading\n\n[x](y)"), Options{BaseURL: "https://a.org/", PageURL: "/p/"})
				if err != nil || len(d.Headings) != 2 || d.Headings[1].ID != "heading-1" || d.Links[0].Dest != "https://a.org/p/y" {
					t.Errorf("goroutine %d: %+v %v", i, d, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"# Title\n\nText with [link](/news/x/) and ![img](a.png).\n",
		"| a | b |\n|---|---|\n| [x](y) | ![](z) |\n",
		"| a | b | c |\n|:--|:-:|--:|\n| [x](y) | ![](z) | 1 |\n| 2 |\n",
		"- [ ] task\n- [x] done\n\n~~del~~ www.nhs.uk\n",
		"Note[^1]\n\n[^1]: Foot [l](#f).\n",
		"<div>\n<b>raw</b>\n</div>\n\n<!-- c -->\n\n<script>x</script>\n",
		"\"q\" 'q' -- --- ... <<a>>\n",
		"Setext\n===\n\n> [q][r]\n\n[r]: /x/ \"t\"\n",
		"```\n[not](/x/)\n```\n\n    code\n",
		"[a](%zz) [b](javascript:x) [c](//h/p) [d](</a b>) [e](\x00)\n",
		"\r\n# CRLF\r\n\r\ntext\r\n",
		"\ufeff# BOM\n",
		"*a **b _c_ b** a*\n\n1. x\n   - y\n     > z\n",
	} {
		f.Add([]byte(s), false, "https://lmc.example.org/", "/news/flu/")
		f.Add([]byte(s), true, "", "")
	}
	safe, unsafe := New(Config{}), New(Config{AllowRawHTML: true})
	f.Fuzz(func(t *testing.T, src []byte, raw bool, base, page string) {
		e := safe
		if raw {
			e = unsafe
		}
		d, err := e.Convert(src, Options{BaseURL: base, PageURL: page})
		if err != nil {
			t.Fatalf("Convert: %v", err)
		}
		lines := 1 + strings.Count(string(src), "\n")
		for _, r := range append(append([]Ref(nil), d.Links...), d.Images...) {
			if r.Line < 0 || r.Line > lines {
				t.Fatalf("ref %+v outside the %d-line source", r, lines)
			}
		}
		for _, h := range d.Headings {
			if h.Line < 0 || h.Line > lines || h.Level < 1 || h.Level > 6 {
				t.Fatalf("heading %+v", h)
			}
		}
		if !raw && utf8.Valid(src) {
			// Markdown cannot produce these tags; only raw HTML could.
			for _, tag := range []string{"<script", "<iframe", "<style", "<b>", "<span", "<div>"} {
				if strings.Contains(string(d.HTML), tag) {
					t.Fatalf("raw HTML %s passed through with AllowRawHTML=false:\n%s", tag, d.HTML)
				}
			}
		}
		if strings.TrimSpace(d.FirstParagraph) != d.FirstParagraph || strings.TrimSpace(d.Text) != d.Text {
			t.Fatalf("untrimmed text %q / %q", d.FirstParagraph, d.Text)
		}
		roundTrip(t, d) // what the build cache keeps gives the same Doc
		if base != "" {
			sameAsTwoConversions(t, e, src, base, page, d)
		}
	})
}

// sameAsTwoConversions checks that one conversion with AlsoBaseURL gives
// the HTML of a conversion without a base and, as AbsHTML, that of abs,
// the conversion with BaseURL: base (unless src may have shortcodes).
func sameAsTwoConversions(t *testing.T, e *Engine, src []byte, base, page string, abs *Doc) {
	t.Helper()
	rel, err := e.Convert(src, Options{PageURL: page})
	if err != nil {
		t.Fatal(err)
	}
	both, err := e.Convert(src, Options{PageURL: page, AlsoBaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	if string(both.HTML) != string(rel.HTML) {
		t.Fatalf("with AlsoBaseURL %q, HTML:\n%s\nwithout:\n%s", base, both.HTML, rel.HTML)
	}
	if both.AbsHTML == nil && mayExtend(src) {
		return // shortcodes and attribute lists: the feed converts on its own
	}
	if string(both.AbsHTML) != string(abs.HTML) {
		t.Fatalf("AbsHTML with AlsoBaseURL %q:\n%s\nwith BaseURL:\n%s", base, both.AbsHTML, abs.HTML)
	}
	if !reflect.DeepEqual(both.Links, rel.Links) || !reflect.DeepEqual(both.Images, rel.Images) {
		t.Fatalf("with AlsoBaseURL %q, links %v %v; without %v %v", base, both.Links, both.Images, rel.Links, rel.Images)
	}
}
