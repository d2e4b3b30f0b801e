package markdown

import (
	"testing"

	gmhtml "github.com/yuin/goldmark/renderer/html"
)

var htmlWriterSeeds = []string{
	"",
	"plain words, with punctuation.",
	"a \\* b", "AT&amp;T &pound; &#35; &#x22; & x",
	"<b> \"q\" 'a'", "nul\x00here", "trailing \\",
	"café – £2.60 ‘x’",
}

// writeBoth writes p with htmlWriter and with goldmark's own writer, both
// ways (Write and RawWrite).
func writeBoth(p []byte) (got, want [2]string) {
	ours, theirs := htmlWriter{gmhtml.DefaultWriter}, gmhtml.DefaultWriter
	var b [4]htmlBuf
	ours.Write(&b[0], p)
	theirs.Write(&b[1], p)
	ours.RawWrite(&b[2], p)
	theirs.RawWrite(&b[3], p)
	return [2]string{b[0].String(), b[2].String()}, [2]string{b[1].String(), b[3].String()}
}

func TestHTMLWriter(t *testing.T) {
	for _, s := range htmlWriterSeeds {
		if got, want := writeBoth([]byte(s)); got != want {
			t.Errorf("%q: got %q, want %q", s, got, want)
		}
	}
	// Every single byte, and every byte between two letters.
	for c := range 256 {
		for _, p := range [][]byte{{byte(c)}, {'a', byte(c), 'b'}} {
			if got, want := writeBoth(p); got != want {
				t.Errorf("%q: got %q, want %q", p, got, want)
			}
		}
	}
}

// FuzzHTMLWriter holds htmlWriter's short way to what goldmark's writer
// writes for the same bytes.
func FuzzHTMLWriter(f *testing.F) {
	for _, s := range htmlWriterSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		if got, want := writeBoth(p); got != want {
			t.Errorf("%q: got %q, want %q", p, got, want)
		}
	})
}
