package markdown

import (
	"reflect"
	"testing"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// withLinkify converts src as convertPlain does, but always parsing with
// linkify: the plain way that Engine.parse must agree with.
func withLinkify(e *Engine, src []byte) *Doc {
	pc := parser.NewContext(parser.WithIDs(&headingIDs{used: map[string]int{}}))
	doc := e.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	d := &Doc{HTML: e.render(src, doc)}
	collect(d, doc, src, e.config.AllowRawHTML)
	return d
}

var linkifySeeds = []string{
	"See https://www.nhs.uk/ for more.",
	"See www.nhs.uk.",
	"Email enquiries@lmc.example.org today.",
	"foo_bar@example.com and *https://x.example/*",
	"(www.example.com) ~http://x.example~ _ftp://x.example/_",
	"[https://in.label.example](/x) and [text](https://dest.example/)",
	"`https://code.example` and <https://auto.example>",
	"```\nhttps://fenced.example\n```",
	"| a | b |\n| - | - |\n| https://cell.example | www.x.example |",
	"# Heading www.example.com\n\nhttp://",
	"[ref]\n\n[ref]: https://def.example/ \"t\"",
	"A@B a@b @ x@y.z. www. https:// ftp://a",
	"line\nhttps://start.example\n* www.list.example",
	"<a href=\"https://raw.example\">x</a> https://after.example",
	"0\r \n0", "a \v\nb\f \nc\r\r\nd  \r\n",
}

func TestLinkifyOnlyWhenNeeded(t *testing.T) {
	e := New(Config{})
	for _, s := range linkifySeeds {
		got, want := e.convertPlain([]byte(s), Options{}), withLinkify(e, []byte(s))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %#v\nwant %#v", s, got, want)
		}
	}
}

// FuzzLinkifyOnlyWhenNeeded holds Engine.parse, which leaves linkify out
// of a page it would find nothing in, to the same result as parsing every
// page with it.
func FuzzLinkifyOnlyWhenNeeded(f *testing.F) {
	for _, s := range linkifySeeds {
		f.Add(s)
	}
	e := New(Config{})
	f.Fuzz(func(t *testing.T, s string) {
		got, want := e.convertPlain([]byte(s), Options{}), withLinkify(e, []byte(s))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %#v\nwant %#v", s, got, want)
		}
	})
}
