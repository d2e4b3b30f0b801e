package importer

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// newConverter is the one html-to-markdown configuration: CommonMark with
// GitHub's tables and strikethrough, as internal/markdown reads them.
func newConverter() *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		table.NewTablePlugin(),
		strikethrough.NewStrikethroughPlugin(),
	))
}

// linkKind says what a URL in a body is used for.
type linkKind int

const (
	linkHref  linkKind = iota // <a href>
	linkImage                 // <img src>
)

// rewriter decides where a body's link goes on the new site: "" drops it
// (the element's text stays), anything else replaces it.
type rewriter func(kind linkKind, u string) string

// body is what a conversion needs besides the HTML.
type body struct {
	rw  rewriter
	alt func(src string) string // the alternative text the export gives an image, or ""
}

// toMarkdown turns one WordPress body (shortcodes already expanded) into
// Markdown: paragraphs as wpautop would make them, code and trackers out
// (scripts, styles, forms; an embedded player becomes a plain link), links
// rewritten by rw, unsafe links dropped and counted in r.
func toMarkdown(conv *converter.Converter, text string, b body, r *Report) (string, error) {
	text = cleanText(text)
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(autop(text)), ctx)
	if err != nil {
		return "", fmt.Errorf("reading its HTML: %w", err)
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	clean(root, b, r)
	shiftHeadings(root)
	md, err := conv.ConvertNode(root)
	if err != nil {
		return "", fmt.Errorf("turning its HTML into Markdown: %w", err)
	}
	out := strings.TrimSpace(cleanText(string(bytes.TrimSpace(md))))
	return templateText(out, r) + "\n", nil
}

// templateText writes the first brace of {{ and {% as &#123; outside code,
// and of a line starting {:, so that text WordPress showed as typed (a
// post about templates, a price list in braces) is not read as a Hugo
// shortcode, Liquid or a kramdown attribute list; the page shows the same
// characters. In code spans and blocks lmcpress leaves them as text.
func templateText(md string, r *Report) string {
	if !strings.Contains(md, "{") {
		return md
	}
	lines := strings.Split(md, "\n")
	fence := ""
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		if strings.HasPrefix(strings.TrimLeft(t, "> "), "{:") {
			at := strings.Index(l, "{:")
			l = l[:at] + "&#123;" + l[at+1:]
			r.Braces++
		}
		lines[i] = outsideCode(l, func(s string) string {
			n := strings.Count(s, "{{") + strings.Count(s, "{%")
			if n == 0 {
				return s
			}
			r.Braces += n
			s = strings.ReplaceAll(s, "{{", "&#123;{")
			return strings.ReplaceAll(s, "{%", "&#123;%")
		})
	}
	return strings.Join(lines, "\n")
}

// outsideCode applies f to the parts of a line outside its code spans.
func outsideCode(l string, f func(string) string) string {
	if !strings.Contains(l, "`") {
		return f(l)
	}
	var b strings.Builder
	for l != "" {
		at := strings.IndexByte(l, '`')
		if at < 0 {
			b.WriteString(f(l))
			break
		}
		b.WriteString(f(l[:at]))
		run := len(l[at:]) - len(strings.TrimLeft(l[at:], "`"))
		ticks := l[at : at+run]
		end := strings.Index(l[at+run:], ticks)
		if end < 0 {
			b.WriteString(f(l[at:])) // an unclosed run of backticks is text
			break
		}
		b.WriteString(l[at : at+run+end+run])
		l = l[at+run+end+run:]
	}
	return b.String()
}

// clean rewrites a parsed body in place.
func clean(n *html.Node, b body, r *Report) {
	rw := b.rw
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Form, atom.Input, atom.Button, atom.Select, atom.Textarea, atom.Template, atom.Svg, atom.Math, atom.Head, atom.Link, atom.Meta, atom.Base:
				r.Removed["<"+c.Data+">"]++
				n.RemoveChild(c)
				c = next
				continue
			case atom.Iframe, atom.Embed, atom.Object, atom.Video, atom.Audio:
				src := getAttr(c, "src")
				if src == "" {
					src = getAttr(c, "data")
				}
				if src == "" && (c.DataAtom == atom.Video || c.DataAtom == atom.Audio) {
					for s := c.FirstChild; s != nil && src == ""; s = s.NextSibling {
						if s.DataAtom == atom.Source {
							src = getAttr(s, "src")
						}
					}
				}
				if u := rw(linkHref, src); src != "" && u != "" {
					// A player becomes a link to what it played: no trackers, no scripts.
					a := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A, Attr: []html.Attribute{{Key: "href", Val: u}}}
					a.AppendChild(&html.Node{Type: html.TextNode, Data: u})
					p := &html.Node{Type: html.ElementNode, Data: "p", DataAtom: atom.P}
					p.AppendChild(a)
					n.InsertBefore(p, c)
					r.Removed["<"+c.Data+"> (now a link)"]++
				} else {
					r.Removed["<"+c.Data+">"]++
				}
				n.RemoveChild(c)
				c = next
				continue
			case atom.A:
				if href, ok := hasAttr(c, "href"); ok {
					if u := rw(linkHref, href); u != "" {
						setAttr(c, "href", u)
					} else {
						// The link goes; its text stays, and is cleaned in turn.
						first := c.FirstChild
						for k := c.FirstChild; k != nil; k = c.FirstChild {
							c.RemoveChild(k)
							n.InsertBefore(k, c)
						}
						n.RemoveChild(c)
						if first != nil {
							next = first
						}
						c = next
						continue
					}
				}
			case atom.Img:
				src := getAttr(c, "src")
				u := rw(linkImage, src)
				if u == "" {
					if alt := getAttr(c, "alt"); alt != "" {
						n.InsertBefore(&html.Node{Type: html.TextNode, Data: alt}, c)
					}
					n.RemoveChild(c)
					c = next
					continue
				}
				if _, ok := hasAttr(c, "alt"); !ok || strings.TrimSpace(getAttr(c, "alt")) == "" {
					if alt := b.alt(src); alt != "" {
						setAttr(c, "alt", alt)
					}
				}
				setAttr(c, "src", u)
				dropAttr(c, "srcset")
				dropAttr(c, "sizes")
			}
			clean(c, b, r)
		}
		if c.Type == html.CommentNode {
			n.RemoveChild(c) // block editor markers, notes to the editor
		}
		c = next
	}
}

var headings = []atom.Atom{atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6}

// shiftHeadings moves every heading one level down when the body has a
// level-1 heading: on lmcpress's pages, as on most WordPress themes', the
// title is the one level-1 heading, so an <h1> in a body was meant as a
// first-level section.
func shiftHeadings(root *html.Node) {
	var all []*html.Node
	hasH1 := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				for i, h := range headings {
					if c.DataAtom == h {
						all = append(all, c)
						hasH1 = hasH1 || i == 0
					}
				}
				walk(c)
			}
		}
	}
	walk(root)
	if !hasH1 {
		return
	}
	for _, n := range all {
		for i, h := range headings {
			if n.DataAtom == h && i < 5 {
				n.DataAtom, n.Data = headings[i+1], headings[i+1].String()
				break
			}
		}
	}
}

// safeURL reports whether u may be a link on a page: a web or mail address
// or a path, never code (javascript:, data:, vbscript:).
func safeURL(u string) bool {
	u = strings.TrimSpace(u)
	if u == "" {
		return false
	}
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "", "http", "https", "mailto", "tel":
		return !strings.ContainsAny(u, "\x00\n\r\t")
	}
	return false
}

func getAttr(n *html.Node, key string) string {
	v, _ := hasAttr(n, key)
	return v
}

func hasAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func dropAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Namespace != "" || a.Key != key {
			out = append(out, a)
		}
	}
	n.Attr = out
}

// cleanText makes text safe to write: valid UTF-8, without NUL or other
// control characters (but tab and newline), which lmcpress refuses in a page.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' {
			return '\n'
		}
		if isControl(r) {
			return -1
		}
		return r
	}, strings.ReplaceAll(s, "\r\n", "\n"))
}

func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f || 0x80 <= r && r < 0xa0 || r == '\u2028' || r == '\u2029'
}

// plainText is an excerpt or title without its markup, on one line.
func plainText(s string) string {
	s = cleanText(s)
	doc, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.P || n.DataAtom == atom.Br) {
			b.WriteByte(' ')
		}
	}
	for _, n := range doc {
		walk(n)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
