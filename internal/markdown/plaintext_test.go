package markdown

import (
	"reflect"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// TestPlainTextSpaces pins how plain text treats white space: every run of
// unicode.IsSpace runes, multi-byte ones included, becomes one ASCII space,
// none is left at either end, and other bytes (invalid UTF-8 too) are kept
// as they are.
func TestPlainTextSpaces(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"plain words", "Flu clinics open", "Flu clinics open"},
		{"tab", "a\tb", "a b"},
		{"soft break", "a\nb", "a b"},
		{"hard break", "a  \nb", "a b"},
		{"backslash break", "a\\\nb", "a b"},
		{"CRLF", "a\r\nb", "a b"},
		{"NBSP", "£2.60\u00a0per patient", "£2.60 per patient"},
		{"NBSP run", "a \u00a0\u00a0 b", "a b"},
		{"leading NBSP", "\u00a0\u00a0lead", "lead"},
		{"trailing NBSP", "trail\u00a0", "trail"},
		{"NEL", "a\u0085b", "a b"},
		{"line separator", "a\u2028b", "a b"},
		{"paragraph separator", "a\u2029b", "a b"},
		{"ideographic space", "a\u3000b", "a b"},
		{"em space", "a\u2003b", "a b"},
		{"zero-width space is not space", "a\u200bb", "a\u200bb"},
		{"narrow NBSP", "10\u202fkg", "10 kg"},
		{"multi-byte letters", "Café naïve 日本語 ŵ", "Café naïve 日本語 ŵ"},
		{"invalid UTF-8 kept", "a\xffb \xc2 c", "a\xffb \xc2 c"},
		{"lone NBSP continuation byte", "a\xa0b", "a\xa0b"},
		{"emphasis", "a *b* c", "a b c"},
		{"emphasis inside a word", "a*b*c", "abc"},
		{"space inside emphasis", "a * b * c", "a * b * c"},
		{"code span", "a `x  y` b", "a x y b"},
		{"link", "see [the  ICO](https://ico.org.uk/) now", "see the ICO now"},
		{"autolink", "at <https://e.org/a> now", "at https://e.org/a now"},
		{"image alt is one word", "x![ alt ](i.png)y", "xalty"},
		{"image alt with spaces", "x ![a\u00a0 b](i.png) y", "x a b y"},
		{"empty image", "x ![](i.png) y", "x y"},
		{"typographer", "\"a\" -- b...", "“a” – b…"},
		{"NBSP between literal stars", "*\u00a0*", "* *"},
		// The text as the page shows it, not its Markdown.
		{"named entity", "costs &pound;5", "costs £5"},
		{"ampersand entity", "AT&amp;T", "AT&T"},
		{"numeric entities", "a &#8211; b &#x2014; c", "a – b — c"},
		{"unknown entity kept", "&nosuch; & co", "&nosuch; & co"},
		{"backslash escapes", "\\*not\\* \\<b> \\[x]", "*not* <b> [x]"},
		{"escaped ampersand", "\\&pound;", "&pound;"},
		{"backslash before a letter kept", "C:\\Users", "C:\\Users"},
		{"code span as written", "`&amp; \\*`", "&amp; \\*"},
		{"entity in link text", "[AT&amp;T](/x)", "AT&T"},
		{"entity in image alt", "![&pound;](i.png)", "£"},
	}
	e := New(Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := convert(t, e, tt.src, Options{})
			if d.FirstParagraph != tt.want {
				t.Errorf("FirstParagraph(%q) = %q, want %q", tt.src, d.FirstParagraph, tt.want)
			}
			if d.Text != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.src, d.Text, tt.want)
			}
		})
	}
}

// TestPlainTextRefs checks the plain text of headings, links and images,
// which are read on their own as well as within their paragraph.
func TestPlainTextRefs(t *testing.T) {
	src := "# \u00a0Fees\u2028and\tcharges\u00a0\n\n" +
		"Read [ the\u00a0\u00a0*new*\nrules ](/r/) and ![ chart\u3000one ](c.png).\n\n" +
		"[](/empty/) [\u00a0](/nbsp/)\n"
	d := convert(t, New(Config{}), src, Options{})
	if len(d.Headings) != 1 || d.Headings[0].Text != "Fees and charges" {
		t.Errorf("Headings = %+v", d.Headings)
	}
	want := []Ref{
		{Dest: "/r/", Text: "the new rules", Line: 3},
		{Dest: "/empty/", Text: "", Line: 6},
		{Dest: "/nbsp/", Text: "", Line: 6},
	}
	if len(d.Links) != len(want) {
		t.Fatalf("Links = %+v, want %+v", d.Links, want)
	}
	for i := range want {
		if d.Links[i] != want[i] {
			t.Errorf("Links[%d] = %+v, want %+v", i, d.Links[i], want[i])
		}
	}
	if len(d.Images) != 1 || d.Images[0] != (Ref{Dest: "c.png", Text: "chart one", Line: 4}) {
		t.Errorf("Images = %+v", d.Images)
	}
	if want := "Read the new rules and chart one."; d.FirstParagraph != want {
		t.Errorf("FirstParagraph = %q, want %q", d.FirstParagraph, want)
	}
	if want := "Fees and charges\n\nRead the new rules and chart one."; d.Text != want {
		t.Errorf("Text = %q, want %q", d.Text, want)
	}
}

var collectSeeds = []string{
	"Plain paragraph.\n\nOne with [a link](/a) and ![an image](/i.png \"t\").",
	"* item [l](/l)\n* item <https://auto.example/> and x@y.example\n* plain",
	"<a href=\"javascript:x\">raw</a> and <b onclick=x>b</b>\n\n<div>\n<a href=\"/h\">h</a>\n</div>",
	"> quoted [q](/q)\n\n| a | [c](/c) |\n| - | - |\n| ![i](/i) | x |",
	"# Heading [h](/h)\n\n[![alt [x](/y)](/img)](/outer) `code [n](/n)`",
	"Footnote[^1].\n\n[^1]: See [f](/f).",
}

// FuzzCollectSkips holds collect, which passes over the inline nodes of a
// paragraph with no link, image or raw HTML, to collectFrom visiting every
// inline node, raw HTML allowed and not.
func FuzzCollectSkips(f *testing.F) {
	for _, s := range collectSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, raw bool) {
		e := New(Config{AllowRawHTML: raw})
		src := []byte(s)
		parse := func() ast.Node {
			return e.parse(src, func() parser.Context {
				return parser.NewContext(parser.WithIDs(&headingIDs{used: map[string]int{}}))
			})
		}
		got, want := &Doc{}, &Doc{}
		collect(got, parse(), src, raw)
		collectFrom(want, parse(), src, raw, true)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q (raw HTML %v):\n got %#v\nwant %#v", s, raw, got, want)
		}
	})
}
