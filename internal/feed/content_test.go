package feed

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// marshalled is the feed as encoding/xml and gorilla/feeds write it with
// the full texts in the documents: what RSS, Atom and JSON, which write
// the texts in after, must give byte for byte.
func marshalled(t *testing.T, f *Feed) (rss, atom, js []byte) {
	t.Helper()
	rss, err := marshalXML(f.rssDoc(), 0)
	if err != nil {
		t.Fatal(err)
	}
	atom, err = marshalXML(f.atomDoc(), 0)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.jsonFeed().ToJSON()
	if err != nil {
		t.Fatal(err)
	}
	return rss, atom, []byte(s + "\n")
}

// checkFilled checks f's documents, each escaping its own full texts and
// with the texts' escaped forms shared, twice, as a build's feeds share
// them.
func checkFilled(t *testing.T, f *Feed) {
	t.Helper()
	want := [3][]byte{}
	want[0], want[1], want[2] = marshalled(t, f)
	shared := &Texts{}
	for _, texts := range []*Texts{nil, shared, shared} {
		f.Texts = texts
		for i, render := range []func() ([]byte, error){f.RSS, f.Atom, f.JSON} {
			got, err := render()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want[i]) {
				t.Errorf("%s (shared texts: %v) differs from the documents marshalled whole:\n got %q\nwant %q",
					[]string{"RSS", "Atom", "JSON"}[i], texts != nil, got, want[i])
			}
		}
	}
}

// contentSeeds are full texts with what the XML escapes, CDATA's end
// marker, characters XML does not allow, and markup that looks like the
// element the text goes into.
var contentSeeds = []string{
	`<p>Order <a href="https://x.example/">vaccines</a> &amp; book.</p>` + "\n<p>Two</p>\n",
	"tab\tcr\r\nnul\x00ctl\x01\x1f del\x7f",
	"cdata ]]> and ]]]]> and ]]",
	"bad utf-8 \xff\xc2 \xed\xa0\x80 ok é €\ufffd \uFFFE\uFFFF 𝄞",
	`</content><content type="html"></content> <content:encoded></content:encoded>`,
	`quotes "double" 'single'`,
	"\x00", `"content_html": "\u0000" \u0000 \" \\`,
	"json escapes \u2028 \u2029 <>& \\ \"",
}

func TestFilledEqualsMarshalled(t *testing.T) {
	checkFilled(t, sample())
	for _, s := range contentSeeds {
		f := sample()
		f.Items = append(f.Items, f.Items...)
		f.Items[0].Content, f.Items[2].Content = s, s+s
		f.Items[1].Summary = s
		checkFilled(t, f)
	}
	f := sample()
	f.Items[0].Content = ""
	checkFilled(t, f) // no full text at all
}

// FuzzFilledEqualsMarshalled holds RSS's and Atom's way of writing the full
// texts in to encoding/xml's marshalling of the whole document.
func FuzzFilledEqualsMarshalled(f *testing.F) {
	for _, s := range contentSeeds {
		f.Add(s, "")
	}
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		fd := sample()
		fd.Items = append(fd.Items, fd.Items[0])
		fd.Items[0].Content, fd.Items[1].Content, fd.Items[2].Content = a, b, a+b
		fd.Items[1].Title = b
		checkFilled(t, fd)
	})
}

// TestAppendEscaped compares with encoding/xml's EscapeText every byte
// alone and between two letters, and every rune class around U+FFFD.
func TestAppendEscaped(t *testing.T) {
	var inputs []string
	for c := range 256 {
		inputs = append(inputs, string([]byte{byte(c)}), "a"+string([]byte{byte(c)})+"b")
	}
	inputs = append(inputs, "\ufffd", "\ufffe", "\uffff", "\U00010000", "\U0010FFFF", "\ud7ff", "\ue000", strings.Repeat("é<", 3))
	for _, s := range inputs {
		var want bytes.Buffer
		if err := xml.EscapeText(&want, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if got := appendEscaped(nil, s); string(got) != want.String() {
			t.Errorf("%q: got %q, want %q", s, got, want.String())
		}
	}
}
