package search

import (
	"fmt"
	"testing"
	"unicode"
)

// scanPlain is the tokenizing rule written as plainly as possible, rune by
// rune, without wordScanner's table: FuzzWordScanner checks that the two
// agree.
func scanPlain(text string, pos int) []string {
	var out []string
	var w []byte
	flush := func() {
		if len(w) > 0 {
			out = append(out, fmt.Sprintf("%s@%d", w, pos))
			pos++
			w = w[:0]
		}
	}
	for _, r := range text {
		switch {
		case r == '\'' || r == '’' || r == 'ʼ':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			w = appendFold(w, r)
		default:
			flush()
			if r == '\n' {
				pos += lineGap
			}
		}
	}
	flush()
	return out
}

func scanFast(text string, pos int) []string {
	var out []string
	s := wordScanner{text: text, pos: pos}
	for {
		w, p, ok := s.next()
		if !ok {
			return out
		}
		out = append(out, fmt.Sprintf("%s@%d", w, p))
	}
}

func FuzzWordScanner(f *testing.F) {
	for _, s := range []string{"", "Access to the records\nof GPs", "practice’s GP's 'quoted'", "Café ÆSIR straße",
		"a\n\n\nb", "x\xffy", "İstanbul ǅ ﬁ", "12,500 £3.20 COVID-19", "tab\tand\r\nCRLF", "\u00a0nbsp\u2028line",
		"Eight888 NINECHARS abcdefghijklmnopqrstuvwxyz0123456789", "@AZ[`az{/09:_^]~\x7f", "ABCDEFGH’IJ caf\u00e9s1234567"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, text string, pos int) {
		want, got := scanPlain(text, pos), scanFast(text, pos)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: wordScanner gives %v, the plain rule %v", text, got, want)
		}
	})
}

// TestTermTable checks worker.term's table of recent words against the
// map it stands in front of, for words of every length around its 8- and
// 16-byte limits, many sharing a start, read from one buffer as the
// scanner leaves them, and for many more words than it has slots, so that
// two and three share a pair of slots.
func TestTermTable(t *testing.T) {
	ix := &builder{vocab: map[string]uint32{}}
	w := newWorker()
	var words []string
	for n := 1; n <= 20; n++ {
		words = append(words, "abcdefghijklmnopqrst"[:n], "zyxwvutsrqponmlkjihg"[:n], "é"+"abcdefghijklmnopqrst"[:n])
	}
	for i := range 3 * len(w.recent) {
		words = append(words, fmt.Sprintf("w%dx", i))
	}
	want := map[string]int32{}
	for round := range 3 {
		for _, word := range words {
			w.buf = append(append(w.buf[:0], word...), "leftover bytes from a longer word"...)
			got := w.term(ix, w.buf[:len(word)])
			if t0, skip := normalizeFolded(word); skip {
				if got != -1 {
					t.Errorf("round %d: %q (a stop word or one letter) has term %d", round, word, got)
				}
			} else if id, ok := ix.vocab[t0]; !ok || int32(id) != got {
				t.Errorf("round %d: %q has term %d, want %d (%q)", round, word, got, id, t0)
			}
			if prev, ok := want[word]; ok && prev != got {
				t.Errorf("round %d: %q has term %d, earlier %d", round, word, got, prev)
			}
			want[word] = got
		}
	}
}
