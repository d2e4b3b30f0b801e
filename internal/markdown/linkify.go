package markdown

import (
	"bytes"
	"slices"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// GitHub-flavoured Markdown makes a bare address or email in the text a
// link (goldmark's linkify). Its parser is asked at every space of every
// paragraph whether a link starts there, and that question was a third of
// the time goldmark took to parse a page (BenchmarkParse in bench_test.go):
// yet most pages have no bare address at all, only Markdown links, whose
// addresses linkify never sees.
//
// So a page is parsed first without linkify, and again with it only when
// the first parse left something linkify could have taken: text that holds
// "://", "www." or "@". Linkify only ever starts
// a link at such a place, and until the first place it does, the two
// parses agree; a place where it could start is plain text in the parse
// without it (the address's first character is a letter or digit, which no
// other inline parser claims). So when no text holds one, the parse without
// linkify is the parse with it. FuzzLinkifyOnlyWhenNeeded holds the two
// ways to the same HTML.

// linkifyMarks are what every link linkify finds holds: "://" (after
// http, https or ftp), "www." or, in an email, "@". Its own first
// character would do as well, but "h" is in most words; in the parse
// without linkify these are plain text wherever the link's start is.
var linkifyMarks = [][]byte{[]byte("://"), []byte("www."), []byte("@")}

// parse parses src with the engine's parser, leaving linkify out when it
// would find nothing; context makes a new parser context (one cannot be
// used twice: it holds the heading ids given out).
func (e *Engine) parse(src []byte, context func() parser.Context) ast.Node {
	if blankEnds(src) {
		return e.md.Parser().Parse(text.NewReader(src), parser.WithContext(context()))
	}
	marks := markOffsets(src)
	if len(marks) == 0 {
		return e.bare.Parser().Parse(text.NewReader(src), parser.WithContext(context()))
	}
	doc := e.bare.Parser().Parse(text.NewReader(src), parser.WithContext(context()))
	if !marksInText(doc, marks) {
		return doc
	}
	return e.md.Parser().Parse(text.NewReader(src), parser.WithContext(context()))
}

// blankEnds reports whether a line of src ends in two or more bytes of
// white space (as goldmark trims it: spaces, tabs, \r, \v, \f) other than
// a hard line break's two spaces. Linkify splits a line's text at every
// space, and goldmark trims only the last piece's end, so with it such a
// line keeps white space before its end that without it is trimmed: the
// same page, but not the same bytes. "0\r \n" is such a line too.
func blankEnds(src []byte) bool {
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		// The white space at the line's end, counted in a loop: most lines
		// have none, and bytes.TrimRight set up its cutset for every line.
		n := 0
		for n < len(line) && isBlank(line[len(line)-1-n]) {
			n++
		}
		if n >= 2 && !(n == 2 && line[len(line)-1] == ' ' && line[len(line)-2] == ' ') {
			return true
		}
	}
	return false
}

// isBlank reports whether goldmark trims c from a line's end: white space
// but the newline.
func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// markOffsets lists where in src a linkify mark starts, sorted.
func markOffsets(src []byte) []int {
	var offs []int
	for _, m := range linkifyMarks {
		for i := 0; ; {
			j := bytes.Index(src[i:], m)
			if j < 0 {
				break
			}
			offs = append(offs, i+j)
			i += j + len(m)
		}
	}
	slices.Sort(offs)
	return offs
}

// marksInText reports whether any offset (sorted) lies in the text of n.
// A block whose lines hold no mark is passed over without looking at its
// inline nodes, whose text is all from those lines: most paragraphs have
// none, and this walk ran over every node of every page that had an
// address anywhere, in a link's destination as often as not.
func marksInText(n ast.Node, marks []int) bool {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			if anyIn(marks, t.Segment.Start, t.Segment.Stop) {
				return true
			}
			continue
		}
		if c.Kind() == ast.KindCodeSpan {
			continue // its text is code: linkify never looks inside
		}
		if c.Type() == ast.TypeBlock {
			if lines := c.Lines(); lines.Len() > 0 && !anyIn(marks, lines.At(0).Start, lines.At(lines.Len()-1).Stop) {
				continue
			}
		}
		if marksInText(c, marks) {
			return true
		}
	}
	return false
}

// anyIn reports whether any of marks (sorted) is in [start, stop).
func anyIn(marks []int, start, stop int) bool {
	i, _ := slices.BinarySearch(marks, start)
	return i < len(marks) && marks[i] < stop
}
