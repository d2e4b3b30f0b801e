package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// linkHTML writes a Markdown link as goldmark's HTML renderer does, but
// asks whether its address is dangerous without allocating: goldmark's
// IsDangerousURL lower-cases a copy of the address's start for each of the
// five schemes it compares, which was 2.6% of converting a page
// (BenchmarkConvert), nearly all of it allocation. FuzzLinkHTML holds the
// HTML to goldmark's renderer.
type linkHTML struct{ w gmhtml.Writer }

func (l linkHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, l.render)
}

// render is goldmark's renderLink for a renderer that is not Unsafe.
func (l linkHTML) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	dest := util.URLEscape(n.Destination, true)
	if !dangerousURL(dest) {
		_, _ = w.Write(util.EscapeHTML(dest))
	}
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		l.w.Write(w, n.Title)
		_ = w.WriteByte('"')
	}
	if n.Attributes() != nil {
		gmhtml.RenderAttributes(w, n, gmhtml.LinkAttributeFilter)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// dangerousURL is goldmark's IsDangerousURL: a javascript:, vbscript:,
// file: or data: address, but for data: images in PNG, GIF, JPEG or WebP.
// It takes a string too, for IsDangerousURL, so that asking costs no
// copy.
func dangerousURL[T string | []byte](url T) bool {
	if hasPrefixFold(url, "data:image/") {
		v := url[len("data:image/"):]
		return !(hasPrefixFold(v, "png;") || hasPrefixFold(v, "gif;") ||
			hasPrefixFold(v, "jpeg;") || hasPrefixFold(v, "webp;"))
	}
	return hasPrefixFold(url, "javascript:") || hasPrefixFold(url, "vbscript:") ||
		hasPrefixFold(url, "file:") || hasPrefixFold(url, "data:")
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix,
// letters in either case. goldmark compares bytes.ToLower of the same
// number of bytes, which is the same thing: the only runes that lower-case
// to ASCII are ASCII but for İ and K (Kelvin), which shrink as they do and
// so cannot give as many bytes, and a rune cut at the end is not ASCII.
func hasPrefixFold[T string | []byte](s T, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := range len(prefix) {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}
