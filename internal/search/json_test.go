package search

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzJSONString checks appendJSONString against the same rules written
// with a comparison a byte, and that what it writes is JSON that decodes
// to s (with U+FFFD for invalid UTF-8).
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote \" and \\ back", "tab\tnl\ncr\r\x00\x1f\x7f", "café ’ \u2028", "bad \xff\xc3 end",
		// Runs of 8 plain bytes (see plainWords), then each kind of byte that is not.
		"eight by", "plain text, then a \"quote\"", "0123456789abcdef\\", "0123456789abc\x01def", "long plain run then\x7f and \u00e9t\u00e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := appendJSONString([]byte("x"), s)
		if want := appendJSONStringPlain([]byte("x"), s); !bytes.Equal(got, want) {
			t.Fatalf("%q: %s, want %s", s, got, want)
		}
		var back string
		if err := json.Unmarshal(got[1:], &back); err != nil {
			t.Fatalf("%q: %s: %v", s, got, err)
		}
		if want := string(bytes.ToValidUTF8([]byte(s), []byte("\uFFFD"))); back != want && utf8.ValidString(s) {
			t.Fatalf("%q: decodes to %q", s, back)
		}
	})
}

// appendJSONStringPlain is appendJSONString as it was before jsonPlain.
func appendJSONStringPlain(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += n
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
