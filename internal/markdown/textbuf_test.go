package markdown

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// writeByRune is textBuf.write as first written, one rune at a time: the
// reference the faster write must match byte for byte.
func writeByRune(b *strings.Builder, space *bool, p []byte) {
	for i := 0; i < len(p); {
		r, size := rune(p[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(p[i:])
		}
		if unicode.IsSpace(r) {
			*space = true
		} else {
			if *space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			*space = false
			b.Write(p[i : i+size])
		}
		i += size
	}
}

func checkWrite(t *testing.T, parts []string) {
	t.Helper()
	var got textBuf
	var want strings.Builder
	var space bool
	for _, p := range parts {
		got.write([]byte(p))
		writeByRune(&want, &space, []byte(p))
		if string(got.b) != want.String() || got.space != space {
			t.Fatalf("write(%q): got %q (space owed %v), want %q (%v)", parts, got.b, got.space, want.String(), space)
		}
	}
}

func TestTextBufWrite(t *testing.T) {
	for _, parts := range [][]string{
		{},
		{""},
		{"word"},
		{"two words"},
		{"  lead", "trail  "},
		{"a  b\tc\nd\re\vf\fg"},
		{"a \u00a0 b", "\u00a0c\u00a0"},
		{"x\u2028y\u2029z\u3000w\u0085v\u1680u\u202ft"},
		{"zero\u200bwidth", "\ufeffbom"},
		{"Café naïve 日本語", " ŵ"},
		{"bad\xffutf8 \xc2 \xe2\x80 end"},
		{"split\xc2", "\xa0rune"},
		{"ctrl\x00\x01\x1f\x7f chars"},
		{"one ", " two", "three", " ", "", "four"},
		{"a b  c   d", " e f"},
		{" ", " ", "x"},
		{"ends in space ", "next"},
		{"no space", "joined"},
	} {
		checkWrite(t, parts)
	}
}

func FuzzTextBufWrite(f *testing.F) {
	f.Add("a b  c\u00a0d\te", "\u2028 f ")
	f.Add("bad\xff \xc2", "\xa0x")
	f.Fuzz(func(t *testing.T, a, b string) {
		checkWrite(t, []string{a, b})
	})
}

// TestHeadingIDRunes checks heading ids are lower-cased rune by rune as
// strings.ToLower does, bytes that are not UTF-8 included.
func TestHeadingIDRunes(t *testing.T) {
	tests := []struct{ src, want string }{
		{"# İstanbul Ärzte", "istanbul-ärzte"},
		{"# ΣΟΦΙΑ", "σοφια"},
		{"# Ünïcödé 2024–25", "ünïcödé-2024-25"},
		{"# a\xffb", "a-b"},
		{"# \u00a0NBSP\u00a0here", "nbsp-here"},
		{"# GP’s 'view'", "gps-view"},
		{"# ---", "heading"},
		{"# Notes <!-- x --> more", "notes-more"},
	}
	e := New(Config{})
	for _, tt := range tests {
		d := convert(t, e, tt.src, Options{})
		if len(d.Headings) != 1 || d.Headings[0].ID != tt.want {
			t.Errorf("%q: headings %+v, want id %q", tt.src, d.Headings, tt.want)
		}
	}
}

// wordsLenByByte is wordsLen a byte at a time, as it was first written:
// the reference for its eight bytes at a time.
func wordsLenByByte(p []byte) int {
	end := 0
	for n := 0; n < len(p); {
		c := p[n]
		switch {
		case ' ' < c && c < utf8.RuneSelf:
			n++
			end = n
		case c == ' ' && n > 0 && n == end:
			n++
		default:
			space, size := spaceAt(p[n:])
			if space {
				return end
			}
			n += size
			end = n
		}
	}
	return end
}

func TestWordsLen(t *testing.T) {
	for _, s := range []string{
		" leading space is no word", "a", "words with single spaces only, long enough for eight", "two  spaces at 2", "abcdefg  hij", "abcdefgh  ij",
		"abcdefghijklmnop ", "abcdefghijklmno  ", "tab\there", "ends in space ", "café au lait", "x\x7fdel\x7f y",
		"ctrl\x01char\x1f", "a b c d e f g h i j k l m n o p", "abcdefg \u00a0b", strings.Repeat("wörd ", 9),
	} {
		if got, want := wordsLen([]byte(s)), wordsLenByByte([]byte(s)); got != want {
			t.Errorf("wordsLen(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzWordsLen(f *testing.F) {
	f.Add([]byte("abcdefg  hij klmnopq r"))
	f.Fuzz(func(t *testing.T, p []byte) {
		if got, want := wordsLen(p), wordsLenByByte(p); got != want {
			t.Errorf("wordsLen(%q) = %d, want %d", p, got, want)
		}
	})
}

// headingIDsByRune is headingIDs.Generate as first written, rune by rune
// through the Unicode tables and every id through the loop: the reference
// for its ASCII and first-time short cuts.
type headingIDsByRune struct{ used map[string]int }

func (h *headingIDsByRune) Generate(value []byte, kind ast.NodeKind) []byte {
	if bytes.Contains(value, []byte("<!--")) {
		value = htmlComment.ReplaceAll(value, nil)
	}
	id := make([]byte, 0, len(value))
	dash := false
	for i := 0; i < len(value); {
		r, size := utf8.DecodeRune(value[i:])
		i += size
		r = unicode.ToLower(r)
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && len(id) > 0 {
				id = append(id, '-')
			}
			dash = false
			id = utf8.AppendRune(id, r)
		case r == '\'' || r == '’':
		default:
			dash = true
		}
	}
	if len(id) == 0 {
		id = []byte("heading")
		if kind != ast.KindHeading {
			id = []byte("id")
		}
	}
	base := string(id)
	for n := h.used[base]; ; n++ {
		name := base
		if n > 0 {
			name = base + "-" + strconv.Itoa(n)
		}
		if _, taken := h.used[name]; !taken {
			h.used[base] = n + 1
			h.used[name] = max(h.used[name], 1)
			if n == 0 {
				return id
			}
			return []byte(name)
		}
	}
}

// FuzzHeadingIDs gives the same headings, and ids already taken, to
// headingIDs and to the rune-by-rune original, and wants the same ids.
func FuzzHeadingIDs(f *testing.F) {
	f.Add("Next steps", "Next Steps", "next-steps-1", "A\xffb İ Ω 2024–25 it's")
	f.Add("", "---", "heading", "heading-1")
	f.Fuzz(func(t *testing.T, a, b, taken, c string) {
		got, want := &headingIDs{used: map[string]int{}}, &headingIDsByRune{used: map[string]int{}}
		got.Put([]byte(taken))
		if _, ok := want.used[taken]; !ok {
			want.used[taken] = 1
		}
		for _, v := range []string{a, b, a, c, b, taken, a + "-1"} {
			if g, w := got.Generate([]byte(v), ast.KindHeading), want.Generate([]byte(v), ast.KindHeading); string(g) != string(w) {
				t.Fatalf("id of %q: got %q, want %q", v, g, w)
			}
		}
	})
}
