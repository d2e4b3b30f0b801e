package importer

import (
	"strings"
	"testing"
)

// FuzzRead feeds the WXR reader anything: it must return an error or
// items, never panic, and never hand back a field longer than MaxField.
func FuzzRead(f *testing.F) {
	f.Add(hostile)
	f.Add(`<rss><channel><item><title>a</title><wp:post_id xmlns:wp="http://wordpress.org/export/1.2/">1</wp:post_id></item></channel></rss>`)
	f.Add(`<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item></item>`)
	f.Add("<rss><channel><item><title><![CDATA[\x00]]></title></item></channel></rss>")
	f.Fuzz(func(t *testing.T, in string) {
		_ = Read(strings.NewReader(in), func(*Channel) error { return nil }, func(it *Item) error {
			if len(it.Content) > MaxField || len(it.Title) > MaxField {
				t.Fatalf("a field of %d bytes", len(it.Content))
			}
			return nil
		})
	})
}

// FuzzBody turns any body into Markdown: no panic, and nothing that runs
// code survives into the text as a link.
func FuzzBody(f *testing.F) {
	f.Add("a\n\nb<script>x</script>[caption]<img src=x>c[/caption]")
	f.Add(`<a href="javascript:alert(1)">x</a><pre>` + "a\n\nb</pre>[gallery][[embed]]")
	f.Add("[a x=1][b y=2][/a][/b]<p><a href=' JaVaScRiPt:x'>y</a>")
	conv := newConverter()
	f.Fuzz(func(t *testing.T, in string) {
		r := newReport()
		text := shortcodes(in, func([]int) []attachment { return nil }, &r)
		md, err := toMarkdown(conv, text, body{
			rw: func(_ linkKind, u string) string {
				if !safeURL(u) {
					return ""
				}
				return u
			},
			alt: func(string) string { return "" },
		}, &r)
		if err != nil {
			return
		}
		low := strings.ToLower(md)
		if strings.Contains(low, "](javascript:") || strings.Contains(low, "<script") {
			t.Fatalf("code survived: %q → %q", in, md)
		}
	})
}
