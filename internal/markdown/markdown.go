// Package markdown owns the one goldmark configuration lmcpress uses and what
// is read out of a page's Markdown: its HTML, its plain text, its first
// paragraph, and the links, images and headings that checks need.
//
// The engine is built once ([New]) and is safe for concurrent use. It speaks
// GitHub-flavoured Markdown (tables, strikethrough, autolinks, task lists),
// footnotes, heading IDs, and a typographer set for British text (curly
// quotes and apostrophes, en dashes for "--", ellipses). Raw HTML in the
// Markdown is shown as text unless the site allows it, so a pasted snippet
// from an old CMS cannot break a page's layout or accessibility.
//
// Hugo's shortcodes and kramdown's attribute lists are worked out before
// the Markdown is parsed (expand.go), on the few pages that have "{{" or
// "{:"; the site's own shortcodes come in through [Shortcodes], ref's
// addresses through [Refs], and mistakes go out as [Doc.Problems].
//
// For feeds and email, [Options.BaseURL] turns every relative link and image
// into an absolute one in the AST, before rendering, so nothing downstream
// has to rewrite HTML. [Options.AlsoBaseURL] gives both from one parse: the
// page's HTML and, in [Doc.AbsHTML], its feeds'.
package markdown

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Engine converts Markdown. Build one with New and share it.
type Engine struct {
	md     goldmark.Markdown
	bare   goldmark.Markdown // md without linkify, for pages it would find nothing in (linkify.go)
	ext    goldmark.Markdown // md with shortcodes' placeholders (expand.go)
	config Config
}

// Config is the configuration the engine was built with: with the source
// and Options, all that decides a conversion (a build cache keys by it).
func (e *Engine) Config() Config { return e.config }

// Config is fixed for a build.
type Config struct {
	// AllowRawHTML passes HTML written in the Markdown through unchanged.
	AllowRawHTML bool
}

// New builds the engine.
func New(c Config) *Engine { return newEngine(c, false) }

// newEngine builds the engine; with goldmarkOwn, with goldmark's own link
// reference transformer and link renderer in place of linkRefs
// (linkref.go) and linkHTML (linkhtml.go), for tests to compare.
func newEngine(c Config, goldmarkOwn bool) *Engine {
	// Every node renderer writes text through htmlWriter (htmlwriter.go).
	writer := htmlWriter{gmhtml.DefaultWriter}
	rendererOpts := []renderer.Option{gmhtml.WithWriter(writer)}
	var refs parser.ParagraphTransformer = linkRefs{}
	if goldmarkOwn {
		refs = parser.LinkReferenceParagraphTransformer
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(linkHTML{writer}, 100)))
	}
	if c.AllowRawHTML {
		// Not goldmark's WithUnsafe, which would also pass Markdown links
		// to javascript: through (see rawhtml.go).
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(passRawHTML{}, 100)))
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(escapeRawHTML{}, 100)))
	}
	// GitHub-flavoured Markdown is extension.GFM; its linkify is added
	// apart, so that bare can leave it out.
	exts := []goldmark.Extender{
		extension.Table,
		extension.Strikethrough,
		extension.TaskList,
		extension.Footnote,
		extension.NewTypographer(extension.WithTypographicSubstitutions(map[extension.TypographicPunctuation][]byte{
			extension.LeftSingleQuote:  []byte("‘"),
			extension.RightSingleQuote: []byte("’"),
			extension.LeftDoubleQuote:  []byte("“"),
			extension.RightDoubleQuote: []byte("”"),
			extension.EnDash:           []byte("–"),
			extension.EmDash:           []byte("—"),
			extension.Ellipsis:         []byte("…"),
			// Off: see apostrophe.
			extension.Apostrophe:      nil,
			extension.LeftAngleQuote:  []byte("«"),
			extension.RightAngleQuote: []byte("»"),
		})),
	}
	parserOpts := []parser.Option{
		parser.WithAutoHeadingID(),
		parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 100)),
		parser.WithInlineParsers(util.Prioritized(apostrophe{}, 9000)), // before the typographer (9999)
	}
	bare := goldmark.New(
		goldmark.WithParser(newParser(refs)),
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parserOpts...),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	exts = append(exts, extension.Linkify)
	md := goldmark.New(
		goldmark.WithParser(newParser(refs)),
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(parserOpts...),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	// The same, with shortcodes' placeholders: a second engine, so that a
	// page without shortcodes is parsed exactly as before, at no cost.
	ext := goldmark.New(
		goldmark.WithParser(newParser(refs)),
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(append(parserOpts,
			parser.WithAttribute(), // headings' attributes, from kramdown's lists (kramdown.go)
			parser.WithInlineParsers(util.Prioritized(placeholderParser{}, 100)),
			parser.WithASTTransformers(util.Prioritized(blockCalls{}, 200)))...),
		goldmark.WithRendererOptions(append(rendererOpts,
			renderer.WithNodeRenderers(util.Prioritized(placeholderRenderer{}, 100)))...),
	)
	return &Engine{md: md, bare: bare, ext: ext, config: c}
}

// Options are per conversion.
type Options struct {
	// BaseURL, when set, makes links and images absolute: relative ones are
	// resolved against BaseURL joined with PageURL. For feeds and email.
	BaseURL string
	// PageURL is the page's site-relative address, e.g. "/news/flu/".
	PageURL string
	// Shortcodes are the site's own shortcodes, and Refs resolves ref
	// and relref, for this page; either may be nil (a site shortcode is
	// then unknown, a ref a broken link).
	Shortcodes Shortcodes
	Refs       Refs
	// AlsoBaseURL, when set (and BaseURL is not), makes Doc.AbsHTML too:
	// the HTML that BaseURL: AlsoBaseURL would give, from the same parse,
	// for a page whose text goes in feeds as well as on its page. Only a
	// page without shortcodes or attribute lists gets it.
	AlsoBaseURL string
}

// Doc is what a conversion yields.
type Doc struct {
	HTML           []byte
	AbsHTML        []byte // with Options.AlsoBaseURL: HTML with absolute links
	Text           string // plain text, paragraphs separated by blank lines
	FirstParagraph string // plain text of the first paragraph, for summaries
	Links          []Ref  // Markdown links and autolinks; with AllowRawHTML, also raw HTML's dangerous addresses (rawhtml.go)
	Images         []Ref
	Headings       []Heading
	Problems       []Problem // mistakes in shortcodes, for check and build to report
}

// Ref is a link or image in the source.
type Ref struct {
	Dest string
	Text string // link text or image alt text
	Line int    // 1-based line within the converted source
	Via  string // the shortcode that wrote it ("figure"); "" for Markdown's own
}

// Heading is a heading with its generated id.
type Heading struct {
	Level int
	ID    string
	Text  string
	Line  int
}

var baseKey = parser.NewContextKey()

type linkBase struct {
	root *url.URL // BaseURL: what a link starting with "/" is relative to
	base *url.URL // BaseURL joined with PageURL
}

// Convert renders src. It never fails on Markdown (all text is valid
// Markdown); the error is only for writer failures, which cannot happen here.
// Mistakes in shortcodes are in Doc.Problems.
func (e *Engine) Convert(src []byte, o Options) (*Doc, error) {
	if mayExtend(src) {
		o.AlsoBaseURL = "" // no AbsHTML: a shortcode may write links as it likes
		return e.convertExtended(src, o, 0), nil
	}
	return e.convertPlain(src, o), nil
}

// convertPlain converts Markdown without shortcodes or attribute lists.
func (e *Engine) convertPlain(src []byte, o Options) *Doc {
	lb, hasBase := newLinkBase(o)
	doc := e.parse(src, func() parser.Context {
		pc := parser.NewContext(parser.WithIDs(&headingIDs{used: map[string]int{}}))
		if hasBase {
			pc.Set(baseKey, lb)
		}
		return pc
	})
	twice := o.AlsoBaseURL != "" && o.BaseURL == ""
	var cells []cellAttrs
	if twice {
		cells = tableCells(doc)
	}
	d := &Doc{HTML: e.render(src, doc)}
	collect(d, doc, src, e.config.AllowRawHTML)
	if twice {
		// What linkTransformer would have done during the parse: no other
		// transformer reads or makes links, so afterwards is the same.
		// Parsing is most of a conversion's cost.
		d.AbsHTML = d.HTML
		if lb, ok := newLinkBase(Options{BaseURL: o.AlsoBaseURL, PageURL: o.PageURL}); ok {
			lb.apply(doc)
			for _, c := range cells {
				c.restore()
			}
			d.AbsHTML = e.render(src, doc)
		}
	}
	return d
}

func (e *Engine) render(src []byte, doc ast.Node) []byte {
	var buf htmlBuf
	buf.Grow(len(src) + len(src)/4)
	_ = e.md.Renderer().Render(&buf, src, doc) // writes into memory: cannot fail
	return buf.Bytes()
}

// cellAttrs is a table cell's attributes before rendering: goldmark's
// table renderer adds the cell's alignment to its style attribute as it
// writes it, so a second rendering of the same tree would say it twice.
type cellAttrs struct {
	n     ast.Node
	attrs []ast.Attribute
}

func tableCells(doc ast.Node) []cellAttrs {
	var cells []cellAttrs
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == east.KindTableCell {
			cells = append(cells, cellAttrs{n: n, attrs: slices.Clone(n.Attributes())})
		}
		return ast.WalkContinue, nil
	})
	return cells
}

func (c cellAttrs) restore() {
	c.n.RemoveAttributes()
	for _, a := range c.attrs {
		c.n.SetAttribute(a.Name, a.Value)
	}
}

// newLinkBase is what links are made absolute against, when o.BaseURL is set.
func newLinkBase(o Options) (linkBase, bool) {
	if o.BaseURL == "" {
		return linkBase{}, false
	}
	root, err := url.Parse(strings.TrimSuffix(o.BaseURL, "/") + "/")
	if err != nil {
		return linkBase{}, false
	}
	b := root
	if o.PageURL != "" {
		if p, err := url.Parse(strings.TrimPrefix(o.PageURL, "/")); err == nil {
			b = root.ResolveReference(p)
		}
	}
	return linkBase{root: root, base: b}, true
}

// htmlBuf is a bytes.Buffer that goldmark's renderer writes into directly.
// Given a plain io.Writer, the renderer puts a new 4 KB bufio.Writer in
// front of it for every page, which only adds a copy.
type htmlBuf struct{ bytes.Buffer }

// Buffered is 0: nothing is held back from the buffer.
func (*htmlBuf) Buffered() int { return 0 }

// Flush has nothing to do.
func (*htmlBuf) Flush() error { return nil }

var _ util.BufWriter = (*htmlBuf)(nil)

// linkTransformer makes relative destinations absolute when a base is set.
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if lb, ok := pc.Get(baseKey).(linkBase); ok {
		lb.apply(doc)
	}
}

// apply makes the links and images of doc absolute.
func (lb linkBase) apply(doc ast.Node) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = lb.absolute(n.Destination)
		case *ast.Image:
			n.Destination = lb.absolute(n.Destination)
		}
		return ast.WalkContinue, nil
	})
}

// absolute resolves dest against the page; a path from the site root
// ("/news/x/") is resolved against BaseURL, so a site served from a folder
// (https://example.org/lmc/) keeps its folder, as permalinks do.
func (lb linkBase) absolute(dest []byte) []byte {
	u, err := url.Parse(string(dest))
	if err != nil || u.IsAbs() || strings.HasPrefix(string(dest), "//") {
		return dest
	}
	if strings.HasPrefix(u.Path, "/") {
		u.Path = strings.TrimPrefix(u.Path, "/")
		u.RawPath = strings.TrimPrefix(u.RawPath, "/")
		return []byte(lb.root.ResolveReference(u).String())
	}
	return []byte(lb.base.ResolveReference(u).String())
}

// escapeRawHTML shows raw HTML as text instead of passing it through.
type escapeRawHTML struct{}

func (escapeRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			if segs.Len() > 0 && isComment(segs, src) {
				return ast.WalkSkipChildren, nil // a comment: for editors and lmcpress check, not readers
			}
			for i := 0; i < segs.Len(); i++ {
				s := segs.At(i)
				_, _ = w.WriteString(html.EscapeString(string(s.Value(src))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		b := n.(*ast.HTMLBlock)
		if b.HTMLBlockType == ast.HTMLBlockType2 {
			return ast.WalkSkipChildren, nil // a comment block
		}
		_, _ = w.WriteString("<p>")
		lines := b.Lines()
		for i := 0; i < lines.Len(); i++ {
			s := lines.At(i)
			if i > 0 {
				_, _ = w.WriteString("<br>\n")
			}
			_, _ = w.WriteString(html.EscapeString(strings.TrimRight(string(s.Value(src)), "\n")))
		}
		if b.HasClosure() {
			_, _ = w.WriteString("<br>\n" + html.EscapeString(strings.TrimRight(string(b.ClosureLine.Value(src)), "\n")))
		}
		_, _ = w.WriteString("</p>\n")
		return ast.WalkSkipChildren, nil
	})
}

// apostrophe makes ' between a letter or digit and a letter (don't, GP's,
// 2024's) and before a decade ('90s) a ’. It stands in for goldmark's
// apostrophe rules, which are off because they take a quote opening before
// t, e, n or l for an apostrophe ('twas, 'em): British single quotes came
// out as ’new’ and ’the’, and the closing quote was left straight.
type apostrophe struct{}

func (apostrophe) Trigger() []byte { return []byte{'\''} }

func (apostrophe) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) < 2 {
		return nil
	}
	before, next := block.PrecendingCharacter(), util.ToRune(line, 1)
	word := (unicode.IsLetter(before) || unicode.IsDigit(before)) && unicode.IsLetter(next)
	decade := !unicode.IsLetter(before) && !unicode.IsDigit(before) && len(line) > 3 &&
		util.IsNumeric(line[1]) && util.IsNumeric(line[2]) && line[3] == 's' &&
		(len(line) == 4 || !unicode.IsLetter(util.ToRune(line, 4)))
	if !word && !decade {
		return nil
	}
	block.Advance(1)
	n := ast.NewString([]byte("’"))
	n.SetCode(true)
	return n
}

// headingIDs makes heading ids from the heading's words: lower-cased,
// letters and digits of any script kept (so "Café" gives "café", as page
// slugs do), HTML comments left out, a number added to repeats.
type headingIDs struct {
	used map[string]int
}

var htmlComment = regexp.MustCompile(`(?s)<!--.*?-->`)

func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	if bytes.Contains(value, []byte("<!--")) { // the regexp costs more than the look
		value = htmlComment.ReplaceAll(value, nil)
	}
	// Built straight into the []byte the parser keeps, rune by rune, each
	// lower-cased with unicode.ToLower as strings.ToLower does; a byte that
	// is not UTF-8 reads as U+FFFD, which is not a letter. ASCII, most of
	// any heading, is sorted without the Unicode tables, to the same end.
	id := make([]byte, 0, len(value))
	dash := false
	for i := 0; i < len(value); {
		if c := value[i]; c < utf8.RuneSelf {
			i++
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				if dash && len(id) > 0 {
					id = append(id, '-')
				}
				dash = false
				id = append(id, c)
			case c == '\'':
			default:
				dash = true
			}
			continue
		}
		r, size := utf8.DecodeRune(value[i:])
		i += size
		r = unicode.ToLower(r)
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && len(id) > 0 {
				id = append(id, '-')
			}
			dash = false
			id = utf8.AppendRune(id, r)
		case r == '\'' || r == '’':
		default:
			dash = true
		}
	}
	if len(id) == 0 {
		id = []byte("heading")
		if kind != ast.KindHeading {
			id = []byte("id")
		}
	}
	base := string(id)
	if _, taken := h.used[base]; !taken { // the first time, as nearly every id is
		h.used[base] = 1
		return id
	}
	for n := h.used[base]; ; n++ {
		name := base
		if n > 0 {
			name = base + "-" + strconv.Itoa(n)
		}
		if _, taken := h.used[name]; !taken {
			h.used[base] = n + 1
			h.used[name] = max(h.used[name], 1)
			if n == 0 {
				return id
			}
			return []byte(name)
		}
	}
}

func (h *headingIDs) Put(value []byte) {
	if _, ok := h.used[string(value)]; !ok {
		h.used[string(value)] = 1
	}
}

func isComment(segs *text.Segments, src []byte) bool {
	first := segs.At(0)
	return bytes.HasPrefix(first.Value(src), []byte("<!--"))
}
