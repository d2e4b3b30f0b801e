package feed

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// An item's full text is most of a feed's bytes. encoding/xml copies it
// into a new []byte and then escapes it a rune at a time through its
// buffered writer into ours, which made the Atom documents nearly half
// the cost of a site's feeds. So RSS and Atom are marshalled with every
// entry's full text left out (an empty element), and each text is then
// written into its element in one pass, escaped exactly as encoding/xml
// would have escaped it (appendEscaped, appendCDATA).
//
// The empty elements are found by their markup: encoding/xml escapes "<"
// in every text and attribute value, so "<content" in its output can only
// be the start of an element. TestFilledEqualsMarshalled and
// FuzzFilledEqualsMarshalled hold the result to encoding/xml's own.

// An empty content element as encoding/xml writes it, and where the text
// goes in it.
type emptyElement struct {
	markup string
	at     int // offset of the closing tag
}

var (
	atomContent = emptyElement{`<content type="html"></content>`, len(`<content type="html">`)}
	rssContent  = emptyElement{`<content:encoded></content:encoded>`, len(`<content:encoded>`)}
)

// fill writes each of texts, in order, into the next empty element of
// data, with write; size is about the length of the result.
func fill(data []byte, el emptyElement, texts []string, size int, write func([]byte, string) []byte) ([]byte, error) {
	if len(texts) == 0 {
		return data, nil
	}
	out := make([]byte, 0, max(size, len(data)))
	for _, s := range texts {
		i := bytes.Index(data, []byte(el.markup))
		if i < 0 {
			// Cannot happen: each text was taken from an element marshalled.
			return nil, fmt.Errorf("feed: no %s element left for an entry's text", el.markup)
		}
		out = write(append(out, data[:i+el.at]...), s)
		data = data[i+el.at:]
	}
	return append(out, data...), nil
}

// xmlEscapes is what encoding/xml's EscapeText writes for each ASCII byte,
// or "" when it writes the byte as it is: a control character other than
// tab, newline and carriage return is not allowed in XML and becomes
// U+FFFD.
var xmlEscapes = func() (t [utf8.RuneSelf]string) {
	for c := range byte(' ') {
		t[c] = "\uFFFD"
	}
	t['\t'], t['\n'], t['\r'] = "&#x9;", "&#xA;", "&#xD;"
	t['"'], t['\''], t['&'], t['<'], t['>'] = "&#34;", "&#39;", "&amp;", "&lt;", "&gt;"
	return t
}()

// appendEscaped appends s as encoding/xml's EscapeText writes it.
func appendEscaped(dst []byte, s string) []byte {
	last := 0 // s[last:] is not yet written
	for i := 0; i < len(s); {
		start := i
		var esc string
		if c := s[i]; c < utf8.RuneSelf {
			i++
			esc = xmlEscapes[c]
		} else {
			r, width := utf8.DecodeRuneInString(s[i:])
			i += width
			if !inCharacterRange(r) || r == utf8.RuneError && width == 1 {
				esc = "\uFFFD"
			}
		}
		if esc != "" {
			dst = append(append(dst, s[last:start]...), esc...)
			last = i
		}
	}
	return append(dst, s[last:]...)
}

// inCharacterRange is XML's Char production, as encoding/xml reads it.
func inCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// appendCDATA appends s as encoding/xml writes a ",cdata" field that is
// not empty: in one CDATA section, with each "]]>" in s split across two.
func appendCDATA(dst []byte, s string) []byte {
	dst = append(dst, "<![CDATA["...)
	dst = append(dst, strings.ReplaceAll(s, "]]>", "]]]]><![CDATA[>")...)
	return append(dst, "]]>"...)
}
