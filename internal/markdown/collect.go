package markdown

import (
	"bytes"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// collect reads links, images, headings and text out of the AST.
func collect(d *Doc, doc ast.Node, src []byte) {
	lines := lineStarts(src)
	var txt strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			t := plain(n, src)
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			d.Headings = append(d.Headings, Heading{Level: n.Level, ID: string(idb), Text: t, Line: lineOf(lines, n, src)})
			block(&txt, t)
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.TextBlock:
			t := plain(n, src)
			if d.FirstParagraph == "" && n.Kind() == ast.KindParagraph && t != "" {
				if _, inTable := n.Parent().(*east.TableCell); !inTable {
					d.FirstParagraph = t
				}
			}
			block(&txt, t)
		case *ast.Link:
			d.Links = append(d.Links, Ref{Dest: string(n.Destination), Text: plain(n, src), Line: lineOf(lines, n, src)})
		case *ast.AutoLink:
			dest := string(n.URL(src))
			if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(dest), "mailto:") {
				dest = "mailto:" + dest
			}
			d.Links = append(d.Links, Ref{Dest: dest, Text: string(n.Label(src)), Line: lineOf(lines, n, src)})
		case *ast.Image:
			d.Images = append(d.Images, Ref{Dest: string(n.Destination), Text: plain(n, src), Line: lineOf(lines, n, src)})
		case *east.Table:
			// One line a row, cells separated by " | ", so a table's text is not
			// lost from the plain-text email and the search index.
			var rows []string
			for r := n.FirstChild(); r != nil; r = r.NextSibling() {
				var cells []string
				for c := r.FirstChild(); c != nil; c = c.NextSibling() {
					cells = append(cells, plain(c, src))
				}
				rows = append(rows, strings.Join(cells, " | "))
			}
			block(&txt, strings.Join(rows, "\n"))
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			var b bytes.Buffer
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				b.Write(s.Value(src))
			}
			block(&txt, strings.TrimRight(b.String(), "\n"))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	d.Text = strings.TrimSpace(txt.String())
}

func block(b *strings.Builder, t string) {
	if t == "" {
		return
	}
	if b.Len() > 0 {
		b.WriteString("\n\n")
	}
	b.WriteString(t)
}

// plain is the text of n's inline content, with soft breaks as spaces.
func plain(n ast.Node, src []byte) string {
	var t textBuf
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				t.write(c.Segment.Value(src))
				if c.SoftLineBreak() || c.HardLineBreak() {
					t.space = true
				}
			case *ast.String:
				t.write(c.Value)
			case *ast.CodeSpan:
				walk(c)
			case *ast.AutoLink:
				t.write(c.Label(src))
			case *ast.RawHTML:
				// markup is not text
			case *east.FootnoteLink, *east.FootnoteBacklink:
			case *ast.Image:
				t.write([]byte(plain(c, src)))
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return t.b.String()
}

// textBuf collects text with every run of white space made one space and
// none at either end, without building the text twice.
type textBuf struct {
	b     strings.Builder
	space bool // a space is owed before the next word
}

func (t *textBuf) write(p []byte) {
	for i := 0; i < len(p); {
		r, size := rune(p[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(p[i:])
		}
		if unicode.IsSpace(r) {
			t.space = true
		} else {
			if t.space && t.b.Len() > 0 {
				t.b.WriteByte(' ')
			}
			t.space = false
			t.b.Write(p[i : i+size])
		}
		i += size
	}
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf finds the source line of a node from its first text segment.
func lineOf(starts []int, n ast.Node, src []byte) int {
	// The parser records where most nodes start; a link or image without
	// text, or an autolink, has no text segment to go by.
	if p := n.Pos(); p >= 0 && p < len(src) {
		return sort.SearchInts(starts, p+1)
	}
	off := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || off >= 0 {
			return ast.WalkStop, nil
		}
		if t, ok := c.(*ast.Text); ok {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			off = c.Lines().At(0).Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off < 0 {
		if p := n.Parent(); p != nil && p.Type() != ast.TypeDocument {
			return lineOf(starts, p, src)
		}
		return 0
	}
	return sort.SearchInts(starts, off+1)
}
