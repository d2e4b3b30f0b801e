package markdown

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"html"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// collector holds what one reading of the AST needs. Its buffers are
// reused from conversion to conversion (collectors), as every page needs
// the same few kilobytes again; what goes into the Doc is always a copy.
type collector struct {
	d   *Doc
	src []byte
	raw bool // raw HTML is passed through: its dangerous addresses are links

	everyInline bool // see collectFrom

	text  []byte  // Doc.Text so far
	plain textBuf // the plain text of the node being read
	part  []byte  // a table's or code block's text, put together

	// lineOff and line are the last offset asked about and its line:
	// line numbers are asked for mostly in source order, so counting on
	// from there reads the source about once in all, with no table of
	// where each line starts to build.
	lineOff, line int
}

var collectors = sync.Pool{New: func() any { return new(collector) }}

// maxPooled is the largest buffer kept for reuse; an unusually long page
// does not pin its memory after it is done.
const maxPooled = 64 << 10

// collect reads links, images, headings and text out of the AST.
func collect(d *Doc, doc ast.Node, src []byte, raw bool) { collectFrom(d, doc, src, raw, false) }

// collectFrom is collect; with everyInline, it also visits the inline
// nodes of a paragraph that has no link, image or raw HTML, which collect
// passes over, for a test to compare.
func collectFrom(d *Doc, doc ast.Node, src []byte, raw, everyInline bool) {
	c := collectors.Get().(*collector)
	c.d, c.src, c.raw, c.everyInline = d, src, raw, everyInline
	c.text, c.part = c.text[:0], c.part[:0]
	c.lineOff, c.line = 0, 1
	c.plain.literal = !needsResolve(src)
	_ = ast.Walk(doc, c.visit)
	d.Text = string(bytes.TrimSpace(c.text))
	c.d, c.src = nil, nil
	if cap(c.text) <= maxPooled && cap(c.part) <= maxPooled && cap(c.plain.b) <= maxPooled {
		collectors.Put(c)
	}
}

func (c *collector) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	d, src := c.d, c.src
	switch n := n.(type) {
	case *ast.Heading:
		t := c.plainOf(n)
		id, _ := n.AttributeString("id")
		idb, _ := id.([]byte)
		d.Headings = append(d.Headings, Heading{Level: n.Level, ID: string(idb), Text: string(t), Line: c.lineOf(n)})
		c.block(t)
		return ast.WalkSkipChildren, nil
	case *ast.Paragraph, *ast.TextBlock:
		t := c.plainOf(n)
		if d.FirstParagraph == "" && n.Kind() == ast.KindParagraph && len(t) > 0 {
			if _, inTable := n.Parent().(*east.TableCell); !inTable {
				d.FirstParagraph = string(t)
			}
		}
		c.block(t)
		if !c.plain.refs && !c.everyInline {
			// Nothing in it for Links or Images: most paragraphs, and
			// their inline nodes were most of this walk.
			return ast.WalkSkipChildren, nil
		}
	case *ast.Link:
		d.Links = append(d.Links, Ref{Dest: string(n.Destination), Text: string(c.plainOf(n)), Line: c.lineOf(n)})
	case *ast.AutoLink:
		dest := string(n.URL(src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
			dest = "mailto:" + dest
		}
		d.Links = append(d.Links, Ref{Dest: dest, Text: string(n.Label(src)), Line: c.lineOf(n)})
	case *ast.Image:
		d.Images = append(d.Images, Ref{Dest: string(n.Destination), Text: string(c.plainOf(n)), Line: c.lineOf(n)})
	case *ast.RawHTML:
		if c.raw {
			c.rawLinks(n.Segments)
		}
	case *ast.HTMLBlock:
		if c.raw {
			segs := n.Lines()
			if n.HasClosure() {
				all := text.NewSegments()
				for i := 0; i < segs.Len(); i++ {
					all.Append(segs.At(i))
				}
				all.Append(n.ClosureLine)
				segs = all
			}
			c.rawLinks(segs)
		}
	case *shortcodeBlock:
		c.block([]byte(n.r.text))
		return ast.WalkSkipChildren, nil
	case *east.Table:
		// One line a row, cells separated by " | ", so a table's text is not
		// lost from the plain-text email and the search index.
		c.part = c.part[:0]
		for r := n.FirstChild(); r != nil; r = r.NextSibling() {
			if r != n.FirstChild() {
				c.part = append(c.part, '\n')
			}
			for cell := r.FirstChild(); cell != nil; cell = cell.NextSibling() {
				if cell != r.FirstChild() {
					c.part = append(c.part, " | "...)
				}
				c.part = append(c.part, c.plainOf(cell)...)
			}
		}
		c.block(c.part)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		c.part = c.part[:0]
		for i := 0; i < n.Lines().Len(); i++ {
			s := n.Lines().At(i)
			c.part = append(c.part, s.Value(src)...)
		}
		c.block(bytes.TrimRight(c.part, "\n"))
		return ast.WalkSkipChildren, nil
	}
	return ast.WalkContinue, nil
}

// rawLinks adds the dangerous addresses of raw HTML (see rawURLs) to
// Doc.Links, each with its value as written for Text.
func (c *collector) rawLinks(segs *text.Segments) {
	var h []byte
	for i := 0; i < segs.Len(); i++ {
		s := segs.At(i)
		h = append(h, s.Value(c.src)...)
	}
	for _, u := range rawURLs(h) {
		// The source offset of u.start: find its segment.
		off, at := -1, 0
		for i := 0; i < segs.Len() && off < 0; i++ {
			s := segs.At(i)
			if u.start < at+s.Len() {
				off = s.Start + u.start - at
			}
			at += s.Len()
		}
		line := 0
		if off >= 0 {
			line = c.lineAt(off)
		}
		c.d.Links = append(c.d.Links, Ref{Dest: u.url, Text: string(h[u.start:u.end]), Line: line})
	}
}

// block adds a block's text to Doc.Text, a blank line after the one before.
func (c *collector) block(t []byte) {
	if len(t) == 0 {
		return
	}
	if len(c.text) > 0 {
		c.text = append(c.text, "\n\n"...)
	}
	c.text = append(c.text, t...)
}

// plainOf is the plain text of n's inline content, in c.plain until the
// next call.
func (c *collector) plainOf(n ast.Node) []byte {
	c.plain.b, c.plain.space, c.plain.refs = c.plain.b[:0], false, false
	c.plain.writeNode(n, c.src)
	return c.plain.b
}

// writeNode adds the text of n's inline content, with soft breaks as spaces.
func (t *textBuf) writeNode(n ast.Node, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(src)
			if !c.IsRaw() && !t.literal { // a code span's text is shown as written
				v = resolve(v)
			}
			t.write(v)
			if c.SoftLineBreak() || c.HardLineBreak() {
				t.space = true
			}
		case *ast.String:
			switch {
			case c.IsCode(): // written into the HTML as it is
				t.write([]byte(html.UnescapeString(string(c.Value))))
			case c.IsRaw():
				t.write(c.Value)
			default:
				t.write(resolve(c.Value))
			}
		case *ast.CodeSpan:
			t.writeNode(c, src)
		case *ast.Link:
			t.refs = true
			t.writeNode(c, src)
		case *ast.AutoLink:
			t.refs = true
			t.write(c.Label(src))
		case *shortcodeNode:
			t.write([]byte(c.r.text))
		case *ast.RawHTML:
			t.refs = true // markup is not text, but may hold a link
		case *east.FootnoteLink, *east.FootnoteBacklink:
		case *ast.Image:
			t.refs = true
			// The alt text is written as one piece, without its own leading
			// and trailing space: "x![ y ](i.png)" reads "xy".
			alt := textBuf{literal: t.literal}
			alt.writeNode(c, src)
			t.write(alt.b)
		default:
			t.writeNode(c, src)
		}
	}
}

// resolve is Markdown text as the page shows it: backslash escapes
// removed (\* is *) and entity and character references decoded (&pound; is
// £, AT&amp;T is AT&T), exactly as goldmark's HTML writer reads them, so a
// summary or a search result never shows Markdown source. Most text has
// neither a backslash nor an ampersand and is returned as it is. A NUL,
// which the HTML shows as U+FFFD, is resolved too, so that the text does
// not depend on where the parser happened to split it.
func resolve(v []byte) []byte {
	if !needsResolve(v) {
		return v
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	gmhtml.DefaultWriter.Write(w, v) // HTML: the text resolved, then escaped
	_ = w.Flush()
	return []byte(html.UnescapeString(b.String()))
}

// needsResolve reports whether v has anything for resolve to do.
func needsResolve(v []byte) bool {
	return bytes.IndexByte(v, '&') >= 0 || bytes.IndexByte(v, '\\') >= 0 || bytes.IndexByte(v, 0) >= 0
}

// textBuf collects text with every run of white space made one space and
// none at either end, without building the text twice.
type textBuf struct {
	b     []byte
	space bool // a space is owed before the next word
	// literal is set when the page's source has nothing for resolve to
	// do, so that its text runs need not be looked at one by one: most
	// pages have no '&' or '\' at all.
	literal bool
	// refs is set when the text had a link, image or raw HTML in it.
	refs bool
}

// write adds p. Text that is already as wanted, words (runs of runes that
// are not unicode.IsSpace) with one ASCII space between them, is copied in
// one piece: copying byte by byte, or even word by word, was most of the
// cost of reading a page's text.
func (t *textBuf) write(p []byte) {
	for i := 0; i < len(p); {
		if space, size := spaceAt(p[i:]); space {
			t.space = true
			i += size
			continue
		}
		end := i + wordsLen(p[i:])
		if t.space && len(t.b) > 0 {
			t.b = append(t.b, ' ')
		}
		t.space = false
		t.b = append(t.b, p[i:end]...)
		i = end
	}
}

// wordsLen is the length of the words at the start of p, which starts with
// one, up to white space other than a single ' ' between two words.
func wordsLen(p []byte) int {
	n := 0
	// Eight bytes at a time while they are printable ASCII with no two
	// spaces together, as nearly all text is: looking at each byte in
	// turn was the largest cost of reading a page's plain text.
	for n+8 <= len(p) && plainASCII(binary.LittleEndian.Uint64(p[n:])) && !(p[n] == ' ' && (n == 0 || p[n-1] == ' ')) {
		n += 8
	}
	end := n // where the last word ends
	if n > 0 && p[n-1] == ' ' {
		end = n - 1
	}
	for n < len(p) {
		c := p[n]
		switch {
		case ' ' < c && c < utf8.RuneSelf: // printable ASCII, most of any text
			n++
			end = n
		case c == ' ' && n > 0 && n == end: // the first space after a word
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

// plainASCII reports whether the eight bytes of x are all printable ASCII
// or spaces (DEL too, which is not white space), with no two spaces side
// by side. Each test looks at all eight bytes at once: a byte's top bit
// set is not ASCII; subtracting 0x20 from each byte borrows into a top
// bit only where some byte is below it; and a byte is a space when XOR
// with 0x20 leaves zero, which the next step turns into its top bit.
func plainASCII(x uint64) bool {
	const (
		ones = 0x0101010101010101
		tops = 0x80 * ones
		lows = 0x7f * ones
	)
	if x&tops != 0 || (x-0x20*ones)&^x&tops != 0 {
		return false
	}
	sp := x ^ 0x20*ones
	spaces := ^((sp&lows + lows) | sp | lows) // the top bit of each space
	return spaces&(spaces<<8) == 0
}

// spaceAt reports whether p starts with a unicode.IsSpace rune, and the
// length of that rune. Bytes that are not UTF-8 count as one-byte runes
// that are not space.
func spaceAt(p []byte) (space bool, size int) {
	if c := p[0]; c < utf8.RuneSelf {
		return c == ' ' || '\t' <= c && c <= '\r', 1
	}
	r, size := utf8.DecodeRune(p)
	return unicode.IsSpace(r), size
}

// lineOf finds the source line of a node from its first text segment.
func (c *collector) lineOf(n ast.Node) int {
	// The parser records where most nodes start; a link or image without
	// text, or an autolink, has no text segment to go by.
	if p := n.Pos(); p >= 0 && p < len(c.src) {
		return c.lineAt(p)
	}
	off := -1
	_ = ast.Walk(n, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || off >= 0 {
			return ast.WalkStop, nil
		}
		if t, ok := n.(*ast.Text); ok {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			off = n.Lines().At(0).Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off < 0 {
		if p := n.Parent(); p != nil && p.Type() != ast.TypeDocument {
			return c.lineOf(p)
		}
		return 0
	}
	return c.lineAt(off)
}

// lineAt is the 1-based line of byte offset off (the last line for an
// offset past the end): one more than the newlines before it.
func (c *collector) lineAt(off int) int {
	off = min(off, len(c.src))
	if off < c.lineOff {
		c.lineOff, c.line = 0, 1
	}
	c.line += bytes.Count(c.src[c.lineOff:off], []byte{'\n'})
	c.lineOff = off
	return c.line
}
