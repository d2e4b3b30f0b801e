package markdown

import (
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// htmlWriter is goldmark's text writer with a short way for text that it
// would copy unchanged. goldmark's writer looks at every byte of a page's
// text in turn for an escape, a reference or a character to escape, and
// then copies the text a run at a time; that was a seventh of converting a
// page (BenchmarkConvert), yet most text runs have none of those bytes.
// Text with any of them goes to goldmark's writer as before, so the HTML
// is the same byte for byte (TestHTMLWriter).
type htmlWriter struct{ gmhtml.Writer }

// special marks the bytes that goldmark's writer does anything with: NUL
// (written as U+FFFD), the four it escapes, and the backslash and
// ampersand that start an escape or a reference. RawWrite acts on fewer,
// so text without any of these is unchanged by both.
var special = [256]bool{0: true, '"': true, '&': true, '<': true, '>': true, '\\': true}

// unchanged reports whether goldmark's writer would copy p as it is.
func unchanged(p []byte) bool {
	for _, c := range p {
		if special[c] {
			return false
		}
	}
	return true
}

func (w htmlWriter) Write(out util.BufWriter, p []byte) {
	if unchanged(p) {
		_, _ = out.Write(p)
		return
	}
	w.Writer.Write(out, p)
}

func (w htmlWriter) RawWrite(out util.BufWriter, p []byte) {
	if unchanged(p) {
		_, _ = out.Write(p)
		return
	}
	w.Writer.RawWrite(out, p)
}
