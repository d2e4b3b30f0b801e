package markdown

import (
	"reflect"
	"testing"

	gmhtml "github.com/yuin/goldmark/renderer/html"
)

var dangerousSeeds = []string{
	"", "javascript:alert(1)", "JaVaScRiPt:x", "vbscript:x", "VBSCRIPT:", "file:///etc", "FILE:", "data:,x", "DATA:text/html,x",
	"data:image/png;base64,x", "DATA:IMAGE/PNG;x", "data:image/gif;", "data:image/jpeg;", "data:image/webp;", "data:image/svg+xml;x",
	"data:image/", "data:image", "https://x.example/", "/news/", "java\u0130cript:", "javascr\u0130pt:", "\u212Aile:", "fil\xc3:",
	"javascript", "jav\x00script:",
}

// TestDangerousURL holds dangerousURL to goldmark's IsDangerousURL.
func TestDangerousURL(t *testing.T) {
	for _, s := range dangerousSeeds {
		if got, want := dangerousURL([]byte(s)), gmhtml.IsDangerousURL([]byte(s)); got != want {
			t.Errorf("%q: dangerous %v, goldmark says %v", s, got, want)
		}
	}
}

func FuzzDangerousURL(f *testing.F) {
	for _, s := range dangerousSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		if got, want := dangerousURL(s), gmhtml.IsDangerousURL(s); got != want {
			t.Errorf("%q: dangerous %v, goldmark says %v", s, got, want)
		}
	})
}

var linkHTMLSeeds = []string{
	"[a](/x) [b](https://x.example/?q=1&r=<2> \"title & <t>\") [c](<a b> 't') [d]()",
	"[e](javascript:alert(1)) [f](DATA:image/png;x) [g](data:text/html,x) [h](vbscript:x)",
	"[i](/a%20b \"q\\\"uote\") [j](/é) [k](/a\\)b) [*em* `code`](/l) [![img](/i.png)](/m)",
	"[ref][r] and <https://auto.example/>\n\n[r]: /ref \"Ref &amp; title\"",
	"{{< ref \"x\" >}} [n](/n){: .cls}",
}

// FuzzLinkHTML holds the engine, which writes links with linkHTML, to the
// same engine writing them with goldmark's renderer, raw HTML allowed or
// not.
func FuzzLinkHTML(f *testing.F) {
	for _, s := range linkHTMLSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	var ours, theirs [2]*Engine
	for i, raw := range []bool{false, true} {
		ours[i], theirs[i] = New(Config{AllowRawHTML: raw}), newEngine(Config{AllowRawHTML: raw}, true)
	}
	o := Options{PageURL: "/news/x/", AlsoBaseURL: "https://lmc.example.org/"}
	f.Fuzz(func(t *testing.T, s string, raw bool) {
		i := 0
		if raw {
			i = 1
		}
		got, _ := ours[i].Convert([]byte(s), o)
		want, _ := theirs[i].Convert([]byte(s), o)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q (raw HTML %v):\n got %#v\nwant %#v", s, raw, got, want)
		}
	})
}
