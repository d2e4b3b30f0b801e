package markdown

import (
	"reflect"
	"strings"
	"testing"

	gmhtml "github.com/yuin/goldmark/renderer/html"
)

var dangerousSeeds = []string{
	"", " ", "\x00", "\u00a0", "/x ", "\x01/y", "javascript:alert(1)", "JaVaScRiPt:x", "vbscript:x", "VBSCRIPT:", "file:///etc", "FILE:", "data:,x", "DATA:text/html,x",
	"data:image/png;base64,x", "DATA:IMAGE/PNG;x", "data:image/gif;", "data:image/jpeg;", "data:image/webp;", "data:image/svg+xml;x",
	"data:image/", "data:image", "https://x.example/", "/news/", "java\u0130cript:", "javascr\u0130pt:", "\u212Aile:", "fil\xc3:",
	"javascript", "jav\x00script:",
}

// TestDangerousURL holds dangerousURL, of bytes and of a string, and
// IsDangerousURL to goldmark's IsDangerousURL.
func TestDangerousURL(t *testing.T) {
	for _, s := range dangerousSeeds {
		sameAsGoldmark(t, []byte(s))
		sameAsGoldmark(t, []byte(" \t"+s+"\n"))
	}
}

// go test -run='^$' -fuzz=FuzzDangerousURL -fuzztime=60s ./internal/markdown
func FuzzDangerousURL(f *testing.F) {
	for _, s := range dangerousSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(" java\tscript:x"))
	f.Add([]byte("\x01data:\nimage/png;x "))
	f.Fuzz(sameAsGoldmark)
}

func sameAsGoldmark(t *testing.T, s []byte) {
	want := gmhtml.IsDangerousURL(s)
	if got := dangerousURL(s); got != want {
		t.Errorf("%q: dangerous %v, goldmark says %v", s, got, want)
	}
	if got := dangerousURL(string(s)); got != want {
		t.Errorf("%q as a string: dangerous %v, goldmark says %v", s, got, want)
	}
	// browserURL trims only when an end byte is a space or a control
	// character: the same as trimming every time.
	trimmed := strings.TrimFunc(string(s), func(r rune) bool { return r <= ' ' })
	if got, want := browserURL(string(s)), strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(trimmed); got != want {
		t.Errorf("browserURL(%q) = %q, want %q", s, got, want)
	}
	// IsDangerousURL was goldmark's, after browserURL.
	if got, want := IsDangerousURL(string(s)), gmhtml.IsDangerousURL([]byte(browserURL(string(s)))); got != want {
		t.Errorf("IsDangerousURL(%q) = %v, goldmark says %v", s, got, want)
	}
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
