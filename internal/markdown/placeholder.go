package markdown

import (
	"bytes"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The goldmark side of the extended engine (expand.go): the parser that
// turns each placeholder back into a node, the nodes, the transformer that
// lifts a call alone in its paragraph out to a block, and their HTML.

var resultsKey = parser.NewContextKey()

var (
	kindShortcode      = ast.NewNodeKind("Shortcode")
	kindShortcodeBlock = ast.NewNodeKind("ShortcodeBlock")
)

// shortcodeNode is a call inside a paragraph.
type shortcodeNode struct {
	ast.BaseInline
	r *scResult
}

func (n *shortcodeNode) Kind() ast.NodeKind         { return kindShortcode }
func (n *shortcodeNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// shortcodeBlock is a call that is a block of its own.
type shortcodeBlock struct {
	ast.BaseBlock
	r *scResult
}

func (n *shortcodeBlock) Kind() ast.NodeKind         { return kindShortcodeBlock }
func (n *shortcodeBlock) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// placeholderParser reads a placeholder into the call's node.
type placeholderParser struct{}

func (placeholderParser) Trigger() []byte { return []byte{placeholderOpen[0]} }

func (placeholderParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	results, _ := pc.Get(resultsKey).([]*scResult)
	line, _ := block.PeekLine()
	if !bytes.HasPrefix(line, []byte(placeholderOpen)) {
		return nil
	}
	rest := line[len(placeholderOpen):]
	n := 0
	for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' && n < 9 {
		n++
	}
	if n == 0 || !bytes.HasPrefix(rest[n:], []byte(placeholderClose)) {
		return nil
	}
	i, _ := strconv.Atoi(string(rest[:n]))
	if i >= len(results) {
		return nil // written by hand, not a placeholder
	}
	block.Advance(len(placeholderOpen) + n + len(placeholderClose))
	return &shortcodeNode{r: results[i]}
}

// placeholderRenderer writes a call's HTML.
type placeholderRenderer struct{}

func (placeholderRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindShortcode, renderPlaceholder)
	reg.Register(kindShortcodeBlock, renderPlaceholder)
}

func renderPlaceholder(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	switch n := n.(type) {
	case *shortcodeNode:
		_, _ = w.Write(n.r.html)
	case *shortcodeBlock:
		_, _ = w.Write(n.r.html)
		if len(n.r.html) > 0 && n.r.html[len(n.r.html)-1] != '\n' {
			_ = w.WriteByte('\n')
		}
	}
	return ast.WalkSkipChildren, nil
}

// blockCalls takes the calls that are blocks out of their paragraphs:
// the paragraph's text before and after stays a paragraph each.
type blockCalls struct{}

func (blockCalls) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if pc.Get(resultsKey) == nil {
		return
	}
	var paras, empty []*ast.Paragraph
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if p, ok := n.(*ast.Paragraph); ok && entering {
			calls, blocks, other := 0, 0, false
			for c := p.FirstChild(); c != nil; c = c.NextSibling() {
				switch c := c.(type) {
				case *shortcodeNode:
					if c.r.block {
						blocks++
					} else if len(c.r.html) > 0 {
						other = true
					}
					calls++
				case *ast.Text:
					other = other || len(bytes.TrimSpace(c.Segment.Value(src))) > 0
				default:
					other = true
				}
			}
			switch {
			case blocks > 0:
				paras = append(paras, p)
			case calls > 0 && !other:
				empty = append(empty, p) // calls that came to nothing: no empty <p>
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, p := range empty {
		p.Parent().RemoveChild(p.Parent(), p)
	}
	for _, p := range paras {
		parent := p.Parent()
		cur := ast.NewParagraph()
		flush := func() {
			if hasText(cur, reader.Source()) {
				parent.InsertBefore(parent, p, cur)
			}
			cur = ast.NewParagraph()
		}
		for c := p.FirstChild(); c != nil; {
			next := c.NextSibling()
			p.RemoveChild(p, c)
			if s, ok := c.(*shortcodeNode); ok && s.r.block {
				// The text before ends the paragraph: no line break or
				// space at its end.
				if t, ok := cur.LastChild().(*ast.Text); ok {
					t.Segment = t.Segment.TrimRightSpace(src)
					t.SetSoftLineBreak(false)
					t.SetHardLineBreak(false)
				}
				flush()
				parent.InsertBefore(parent, p, &shortcodeBlock{r: s.r})
			} else if t, ok := c.(*ast.Text); ok && cur.ChildCount() == 0 && len(bytes.TrimSpace(t.Segment.Value(src))) == 0 {
				// the rest of the call's line: nothing to start a paragraph with
			} else {
				if t, ok := c.(*ast.Text); ok && cur.ChildCount() == 0 {
					t.Segment = t.Segment.TrimLeftSpace(src)
				}
				cur.AppendChild(cur, c)
			}
			c = next
		}
		flush()
		parent.RemoveChild(parent, p)
	}
}

// hasText reports whether a paragraph made from the pieces of another
// holds anything but white space and comments (an lmcpress:allow marker
// after a figure is no paragraph of its own).
func hasText(p *ast.Paragraph, src []byte) bool {
	for c := p.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			if len(bytes.TrimSpace(c.Segment.Value(src))) > 0 {
				return true
			}
		case *ast.RawHTML:
			if c.Segments.Len() == 0 || !isComment(c.Segments, src) {
				return true
			}
		default:
			return true
		}
	}
	return false
}

// placeholderIDs makes heading ids as headingIDs does, without the
// placeholders' characters and numbers.
type placeholderIDs struct{ headingIDs }

var placeholderRE = regexp.MustCompile("\\{\uE000[0-9]*\uE001")

func (p *placeholderIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	return p.headingIDs.Generate(placeholderRE.ReplaceAll(value, nil), kind)
}

// isBlockHTML reports whether h starts with an element that is a block of
// its own (and so cannot sit inside a <p>).
func isBlockHTML(h []byte) bool {
	h = bytes.TrimLeft(h, " \t\r\n")
	if len(h) < 2 || h[0] != '<' {
		return false
	}
	end := 1
	for end < len(h) && (h[end] >= 'a' && h[end] <= 'z' || h[end] >= 'A' && h[end] <= 'Z' || h[end] >= '0' && h[end] <= '9') {
		end++
	}
	switch strings.ToLower(string(h[1:end])) {
	case "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset", "figure",
		"footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
		"section", "table", "ul", "video", "audio", "iframe", "picture", "canvas", "svg", "style", "script":
		return true
	}
	return false
}

var (
	tagRE      = regexp.MustCompile(`(?s)<!--.*?-->|<[^>]*>`)
	blockTagRE = regexp.MustCompile(`(?i)^</?(?:address|article|aside|blockquote|br|dd|details|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|table|td|th|tr|ul)\b`)
)

// htmlText is the text a reader sees in h, for search and summaries: an
// element that is a block of its own ends a word, others do not
// ("<strong>open</strong>." is "open.").
func htmlText(h []byte) string {
	var t textBuf
	text := tagRE.ReplaceAllFunc(h, func(tag []byte) []byte {
		if blockTagRE.Match(tag) {
			return []byte(" ")
		}
		return nil
	})
	t.write([]byte(html.UnescapeString(string(text))))
	return string(t.b)
}
