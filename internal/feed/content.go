package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// An item's full text is most of a feed's bytes. encoding/xml copies it
// into a new []byte and then escapes it a rune at a time through its
// buffered writer into ours, which made the Atom documents nearly half
// the cost of a site's feeds; encoding/json escapes it for HTML a byte at
// a time. And an item is in several feeds at once: its section's, the
// site's and each of its topics'. So the feeds are marshalled with every
// entry's full text left out (an empty element, or a placeholder in JSON),
// and each text is then written into its place, escaped exactly as
// encoding/xml or encoding/json would have escaped it (appendEscaped,
// appendCDATA, jsonString), the escaping done once a build (Texts).
//
// The places are found by their markup: encoding/xml escapes "<" in every
// text and attribute value, so "<content" in its output can only be the
// start of an element; in JSON, a quote within a string is always
// escaped, so `"content_html": "` can only be the key and the value's
// opening quote. TestFilledEqualsMarshalled and FuzzFilledEqualsMarshalled
// hold the result to encoding/xml's and gorilla/feeds' own.

// Texts keeps each full text's escaped forms for all the feeds of a build
// that carry it. Safe for concurrent use; the zero value is ready.
type Texts struct {
	m sync.Map // text → *escapedText
}

type escapedText struct {
	atom, json func() []byte // from sync.OnceValue
}

func (t *Texts) get(s string) *escapedText {
	if e, ok := t.m.Load(s); ok {
		return e.(*escapedText)
	}
	e, _ := t.m.LoadOrStore(s, &escapedText{
		atom: sync.OnceValue(func() []byte { return appendEscaped(nil, s) }),
		json: sync.OnceValue(func() []byte { return jsonString(nil, s) }),
	})
	return e.(*escapedText)
}

// atomText appends s escaped for Atom's content element.
func (f *Feed) atomText(dst []byte, s string) []byte {
	if f.Texts == nil {
		return appendEscaped(dst, s)
	}
	return append(dst, f.Texts.get(s).atom()...)
}

// jsonText appends s as the inside of a JSON string.
func (f *Feed) jsonText(dst []byte, s string) []byte {
	if f.Texts == nil {
		return jsonString(dst, s)
	}
	return append(dst, f.Texts.get(s).json()...)
}

// A slot is where a full text goes, as the marshalled document has it:
// the text replaces markup[at:end].
type slot struct {
	markup  string
	at, end int
}

var (
	atomContent = slot{`<content type="html"></content>`, len(`<content type="html">`), len(`<content type="html">`)}
	rssContent  = slot{`<content:encoded></content:encoded>`, len(`<content:encoded>`), len(`<content:encoded>`)}
	// jsonPlaceholder is what JSON's content_html holds until filled:
	// empty, the member would be left out.
	jsonPlaceholder = "\x00"
	jsonContent     = slot{`"content_html": "\u0000"`, len(`"content_html": "`), len(`"content_html": "\u0000`)}
)

// fill writes each of texts, in order, into the next slot of data, with
// write; size is about the length of the result.
func fill(data []byte, sl slot, texts []string, size int, write func([]byte, string) []byte) ([]byte, error) {
	if len(texts) == 0 {
		return data, nil
	}
	out := make([]byte, 0, max(size, len(data)))
	for _, s := range texts {
		i := bytes.Index(data, []byte(sl.markup))
		if i < 0 {
			// Cannot happen: each text was taken from a slot marshalled.
			return nil, fmt.Errorf("feed: no %s left for an entry's text", sl.markup)
		}
		out = write(append(out, data[:i+sl.at]...), s)
		data = data[i+sl.end:]
	}
	return append(out, data...), nil
}

// jsonString appends s as json.Marshal writes a string, HTML characters
// escaped, without the quotes.
func jsonString(dst []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return append(dst, b[1:len(b)-1]...)
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
