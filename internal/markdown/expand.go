package markdown

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Shortcodes and kramdown attribute lists (see shortcode.go, builtins.go
// and kramdown.go) are read before the Markdown, as Hugo and Jekyll read
// them: each call outside code is worked out into its HTML, its plain text
// and the links and images the checks need, and stands in the Markdown as
// a placeholder that the parser turns into a node of its own. A call alone
// in its paragraph is a block (a figure is not put inside a <p>). Pages
// without "{{" or "{:" never come here (Convert).

// Shortcodes is what a site defines itself: templates/shortcodes/NAME.html,
// for one page. Declared here, where it is used, so that this package does
// not depend on the templates.
type Shortcodes interface {
	// Has reports whether the site has a shortcode called name.
	Has(name string) bool
	// Render runs the site's own shortcode for c. ok is false when the
	// site has no shortcode of that name (a built-in, or an error).
	Render(c *Call) (html string, ok bool, err error)
}

// Refs resolves what the ref and relref shortcodes name, for one page.
type Refs interface {
	// Ref is the address of the published page that target names: a
	// content file with or without ".md" ("guidance/foo.md", "foo",
	// "/news/flu"), with any "#fragment" kept. The error says what is
	// wrong, in words for the editor.
	Ref(target string) (string, error)
}

// Call is one shortcode call, as a site's own shortcode is given it.
type Call struct {
	Name     string
	Args     []string          // positional arguments
	Params   map[string]string // named arguments
	Inner    string            // HTML: the content between a pair's tags, converted as Markdown
	Raw      string            // that content as written
	Markdown bool              // written {{% %}} rather than {{< >}}
	Line     int               // of the opening tag, in the converted source
	Column   int
}

// Problem is a mistake in a page's shortcodes: an unknown or malformed
// shortcode (rule "shortcode") or a ref to no page ("broken-link"). Line
// is within the converted source, as Ref's.
type Problem struct {
	Rule   string
	Line   int
	Column int
	Msg    string
	Hint   string
}

// The rules of [Problem]s.
const (
	RuleShortcode  = "shortcode"
	RuleBrokenLink = "broken-link"
)

// maxNesting is how deep shortcodes may sit inside each other's content.
const maxNesting = 16

// MayHaveShortcodes reports whether src may hold shortcodes (or kramdown
// attribute lists): only then does a conversion read Options.Shortcodes
// and Refs.
func MayHaveShortcodes(src []byte) bool { return mayExtend(src) }

// mayExtend reports whether src has "{{", "{%", "{:" or "{#" anywhere:
// only such a page can hold a shortcode, a Liquid tag, an attribute list
// or a heading's id ("## Fees {#fees}", as kramdown and Hugo write it).
// One pass over the page.
func mayExtend(src []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '{')
		if j < 0 || i+j+1 >= len(src) {
			return false
		}
		i += j + 1
		if c := src[i]; c == '{' || c == ':' || c == '%' || c == '#' {
			return true
		}
	}
}

// scResult is what one call comes to.
type scResult struct {
	html     []byte
	text     string // plain text, for summaries, search and the text email
	block    bool   // a block of its own (a figure, details), not inside a paragraph
	links    []Ref
	images   []Ref
	headings []Heading
	failed   bool // reported as a problem: a link whose address holds it is not checked again
}

// expansion is the reading of one source's shortcodes.
type expansion struct {
	e       *Engine
	o       Options
	src     []byte
	depth   int
	code    codeRegions
	results []*scResult
	doc     *Doc // links, images, headings and problems of the calls
	lines   lineCounter
	ends    map[string][3]int // Liquid's closing tags found: see closing
}

// convertExtended converts a source that may hold shortcodes or attribute
// lists; depth is how deep inside other shortcodes' content it is.
func (e *Engine) convertExtended(src []byte, o Options, depth int) *Doc {
	code := e.codeRegions(src)
	x := &expansion{e: e, o: o, src: src, depth: depth, code: code, doc: &Doc{}, lines: lineCounter{src: src}}
	edits, literal := x.liquid()
	tags := scanTags(src, literal.contains)
	ials, heads := findIALs(src, literal)
	for _, h := range heads {
		edits = append(edits, edit{start: h.at, end: h.at, write: func(out []byte) []byte {
			out = bytes.TrimRight(out, " \t\r")
			return append(out, h.attr...)
		}})
	}
	if len(tags) == 0 && len(ials) == 0 && len(edits) == 0 && len(x.doc.Problems) == 0 && !bytes.Contains(src, []byte("{#")) {
		return e.convertPlain(src, o)
	}
	out := x.expand(tags, ials, edits)

	pc := parser.NewContext(parser.WithIDs(&placeholderIDs{headingIDs{used: map[string]int{}}}))
	if lb, ok := newLinkBase(o); ok {
		pc.Set(baseKey, lb)
	}
	pc.Set(resultsKey, x.results)
	doc := e.ext.Parser().Parse(text.NewReader(out), parser.WithContext(pc))
	var buf htmlBuf
	buf.Grow(len(out) + len(out)/4)
	_ = e.ext.Renderer().Render(&buf, out, doc)
	d := &Doc{HTML: x.fill(buf.Bytes(), true)}
	collect(d, doc, out, e.config.AllowRawHTML)
	d.Links, d.Images = x.unfailed(d.Links), x.unfailed(d.Images)
	d.Text = string(x.fill([]byte(d.Text), false))
	d.FirstParagraph = string(x.fill([]byte(d.FirstParagraph), false))
	for _, refs := range [][]Ref{d.Links, d.Images} {
		for i := range refs {
			refs[i].Dest = string(x.fill([]byte(refs[i].Dest), false))
			refs[i].Text = string(x.fill([]byte(refs[i].Text), false))
		}
	}
	for i := range d.Headings {
		d.Headings[i].Text = string(x.fill([]byte(d.Headings[i].Text), false))
	}
	d.Links = append(d.Links, x.doc.Links...)
	d.Images = append(d.Images, x.doc.Images...)
	d.Headings = append(d.Headings, x.doc.Headings...)
	d.Problems = x.doc.Problems
	sort.SliceStable(d.Links, func(i, j int) bool { return d.Links[i].Line < d.Links[j].Line })
	sort.SliceStable(d.Images, func(i, j int) bool { return d.Images[i].Line < d.Images[j].Line })
	sort.SliceStable(d.Headings, func(i, j int) bool { return d.Headings[i].Line < d.Headings[j].Line })
	return d
}

// edit is a part of the source replaced in what the parser reads: a
// shortcode call, an attribute list, a Liquid tag. write appends what
// stands for it.
type edit struct {
	start, end int
	write      func(out []byte) []byte
}

// expand writes the source the Markdown parser reads: each call outside
// code replaced by a placeholder (or, for ref and relref, by the address),
// each attribute list left out, Liquid's tags worked out (liquid.go), and
// every newline kept, so that lines are as in src.
func (x *expansion) expand(tags []scTag, ials []span, edits []edit) []byte {
	top, stray := pairTags(tags)
	for _, t := range stray {
		x.problem(t.start, RuleShortcode, fmt.Sprintf("%s /%s%s closes no %s %s%s", opener(t), t.name, closer(t), opener(t), t.name, closer(t)),
			"remove it, or add the opening tag before it")
	}
	for _, s := range ials {
		edits = append(edits, edit{start: s.start, end: s.end})
	}
	for _, n := range top {
		edits = append(edits, edit{start: n.open.start, end: n.end(), write: func(out []byte) []byte { return x.call(out, n) }})
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	src := x.src
	out := make([]byte, 0, len(src)+64)
	pos := 0
	for _, ed := range edits {
		if ed.start < pos {
			continue // inside one before it
		}
		out = append(out, src[pos:ed.start]...)
		pos = ed.end
		if ed.write != nil {
			out = ed.write(out)
		}
		for range bytes.Count(src[ed.start:ed.end], []byte{'\n'}) {
			out = append(out, '\n')
		}
	}
	return append(out, src[pos:]...)
}

// call writes what stands for one call.
func (x *expansion) call(out []byte, n scNode) []byte {
	t := n.open
	switch {
	case t.comment && x.code.contains(t.start):
		return append(out, strings.ReplaceAll(t.literal, "\n", " ")...)
	case t.comment:
		return x.placeholder(out, &scResult{html: []byte(html.EscapeString(t.literal)), text: t.literal})
	case t.closing:
		return out // closes nothing: reported by expand
	case t.err != "":
		x.problem(t.start, RuleShortcode, t.err, "write it as {{< name arg >}} or {{< name key=\"value\" >}}, as Hugo does, or remove it")
		return x.placeholder(out, &scResult{failed: true})
	case t.name == "ref" || t.name == "relref":
		return append(out, x.ref(n)...)
	}
	if x.depth >= maxNesting {
		x.problem(t.start, RuleShortcode, fmt.Sprintf("%s %s%s is inside %d other shortcodes", opener(t), t.name, closer(t), x.depth),
			"take it out of the shortcodes around it")
		return out
	}
	return x.placeholder(out, x.run(n))
}

func (x *expansion) placeholder(out []byte, r *scResult) []byte {
	out = append(out, placeholderOpen...)
	out = strconv.AppendInt(out, int64(len(x.results)), 10)
	out = append(out, placeholderClose...)
	x.results = append(x.results, r)
	return out
}

// The placeholder is "{", U+E000, the call's number, U+E001: characters
// of Unicode's private use area, which no Markdown rule and no typographer
// touches, after punctuation that no other inline parser starts on (the
// parser calls inline parsers only at punctuation).
const (
	placeholderOpen  = "{\uE000"
	placeholderClose = "\uE001"
)

// run works out a call other than ref: the site's own shortcode of its
// name if there is one, else a built-in.
func (x *expansion) run(n scNode) *scResult {
	t := n.open
	line, col := x.lines.pos(t.start)
	c := &Call{Name: t.name, Args: t.args, Params: t.params, Markdown: t.markdown, Line: line, Column: col}
	own := x.o.Shortcodes != nil && x.o.Shortcodes.Has(t.name)
	b, builtin := builtins[t.name]
	var inner *Doc
	if n.close != nil {
		raw := n.inner(x.src)
		c.Raw = string(raw)
		// The content is Markdown, unless it is code (highlight) or a
		// note (comment); an unknown shortcode's is not read: what it
		// would make of it is unknown.
		if own || builtin && !rawInner[t.name] {
			inner = x.nested(raw, t.end)
			c.Inner = string(inner.HTML)
		}
	}
	r := &scResult{}
	if inner != nil {
		r.links, r.images, r.headings = inner.Links, inner.Images, inner.Headings
	}
	if own {
		h, ok, err := x.o.Shortcodes.Render(c)
		if ok {
			if err != nil {
				x.problem(t.start, RuleShortcode, fmt.Sprintf("%s %s%s: %v", opener(t), t.name, closer(t), err),
					"fix templates/shortcodes/"+t.name+".html or the shortcode's arguments")
				r.failed = true
			}
			r.html = []byte(h)
			r.block = isBlockHTML(r.html)
			r.text = htmlText(r.html)
			// What the template wrote is checked too: a link or image
			// it makes from the arguments can be broken, or unsafe.
			// The inner content's links and images are in that HTML
			// again; they are kept with their own lines, once.
			links, images := htmlRefs(r.html, line, t.name)
			r.links = append(r.links, without(links, r.links)...)
			r.images = append(r.images, without(images, r.images)...)
			x.keep(r)
			return r
		}
	}
	if !builtin {
		x.problem(t.start, RuleShortcode, fmt.Sprintf("unknown shortcode %q (%s %s%s)", t.name, opener(t), t.name, closer(t)),
			"define templates/shortcodes/"+t.name+".html or remove it")
		return &scResult{failed: true}
	}
	b(x, c, n, inner, r)
	x.keep(r)
	return r
}

// without is refs less one of each address in known.
func without(refs, known []Ref) []Ref {
	left := map[string]int{}
	for _, k := range known {
		left[k.Dest]++
	}
	var out []Ref
	for _, r := range refs {
		if left[r.Dest] > 0 {
			left[r.Dest]--
			continue
		}
		out = append(out, r)
	}
	return out
}

// keep adds a call's links, images and headings to the page's.
func (x *expansion) keep(r *scResult) {
	x.doc.Links = append(x.doc.Links, r.links...)
	x.doc.Images = append(x.doc.Images, r.images...)
	x.doc.Headings = append(x.doc.Headings, r.headings...)
}

// nested converts content inside a call (a pair's inner content, a
// caption) that starts at offset off of the source, as Markdown with its
// own shortcodes, its lines counted from where it starts.
func (x *expansion) nested(src []byte, off int) *Doc {
	var d *Doc
	if mayExtend(src) {
		d = x.e.convertExtended(src, x.o, x.depth+1)
	} else {
		d = x.e.convertPlain(src, x.o)
	}
	line, col := x.lines.pos(off)
	shift := func(l int) int {
		if l <= 0 {
			return line
		}
		return l + line - 1
	}
	for _, refs := range [][]Ref{d.Links, d.Images} {
		for i := range refs {
			refs[i].Line = shift(refs[i].Line)
		}
	}
	for i := range d.Headings {
		d.Headings[i].Line = shift(d.Headings[i].Line)
	}
	for _, p := range d.Problems {
		if p.Line == 1 {
			p.Column += col - 1
		}
		p.Line = shift(p.Line)
		x.doc.Problems = append(x.doc.Problems, p)
	}
	d.Problems = nil
	return d
}

// ref is what a ref or relref call is replaced by: the page's address,
// written into the Markdown (it is most often a link's destination), or
// nothing when there is no such page.
func (x *expansion) ref(n scNode) string {
	t := n.open
	target := t.arg(0, "path")
	if target == "" {
		x.problem(t.start, RuleShortcode, fmt.Sprintf("%s %s%s names no page", opener(t), t.name, closer(t)),
			fmt.Sprintf("write the page's file: %s %s \"guidance/page.md\" %s", opener(t), t.name, closer(t)))
		return ""
	}
	if x.o.Refs == nil {
		x.problem(t.start, RuleBrokenLink, fmt.Sprintf("%s %s %q%s: pages cannot be looked up here", opener(t), t.name, target, closer(t)),
			"link to the page's address instead")
		return ""
	}
	u, err := x.o.Refs.Ref(target)
	if err != nil {
		x.problem(t.start, RuleBrokenLink, fmt.Sprintf("%s %s %q%s: %v", opener(t), t.name, target, closer(t), err),
			"name the page's file in content/, e.g. \"guidance/page.md\", or link to its address")
		return ""
	}
	return u
}

// arg is positional argument i, or else the named argument key.
func (t *scTag) arg(i int, key string) string {
	if i < len(t.args) {
		return t.args[i]
	}
	return t.params[key]
}

func (x *expansion) problem(off int, rule, msg, hint string) {
	line, col := x.lines.pos(off)
	x.doc.Problems = append(x.doc.Problems, Problem{Rule: rule, Line: line, Column: col, Msg: msg, Hint: hint})
}

func opener(t *scTag) string {
	if t.markdown {
		return "{{%"
	}
	return "{{<"
}

func closer(t *scTag) string {
	if t.markdown {
		return " %}}"
	}
	return " >}}"
}

// lineCounter gives the line and column of offsets asked for mostly in
// order, counting on from the last one; an offset asked for again (a
// call's start, for its caption) is remembered. So a page of a thousand
// shortcodes on one line is read about once, not once a shortcode.
type lineCounter struct {
	src            []byte
	off, line, col int // the last offset asked for, and its place
	seen           map[int][2]int
}

func (l *lineCounter) pos(off int) (line, col int) {
	off = min(off, len(l.src))
	if p, ok := l.seen[off]; ok {
		return p[0], p[1]
	}
	if l.line == 0 || off < l.off {
		l.off, l.line, l.col = 0, 1, 1
	}
	for {
		i := bytes.IndexByte(l.src[l.off:off], '\n')
		if i < 0 {
			break
		}
		l.line++
		l.off += i + 1
		l.col = 1
	}
	l.col += utf8.RuneCount(l.src[l.off:off])
	l.off = off
	if l.seen == nil {
		l.seen = map[int][2]int{}
	}
	l.seen[off] = [2]int{l.line, l.col}
	return l.line, l.col
}

// codeRegions are the byte ranges of a source's code blocks and code
// spans, sorted, in which shortcodes and attribute lists stay as written.
type codeRegions []span

type span struct{ start, end int }

func (c codeRegions) contains(off int) bool {
	i := sort.Search(len(c), func(i int) bool { return c[i].end > off })
	return i < len(c) && c[i].start <= off
}

// codeRegions parses src as plain Markdown to find its code.
func (e *Engine) codeRegions(src []byte) codeRegions {
	doc := e.md.Parser().Parse(text.NewReader(src))
	var out codeRegions
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if l := n.Lines(); l.Len() > 0 {
				out = append(out, span{l.At(0).Start, l.At(l.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			s := span{-1, -1}
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					if s.start < 0 {
						s.start = t.Segment.Start
					}
					s.end = t.Segment.Stop
				}
			}
			if s.start >= 0 {
				out = append(out, s)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// placeholderAny is a placeholder as written, or inside an address, where
// it is percent-encoded.
var placeholderAny = regexp.MustCompile("\\{\uE000([0-9]+)\uE001|(?:%7B|\\{)%EE%80%80([0-9]+)%EE%80%81")

// fill replaces the placeholders that the parser did not read as calls:
// those in raw HTML (an HTML block around a shortcode, as Hugo allows),
// in an image's alt text or in an address. In HTML text a call's HTML goes
// in; inside a tag, in an address, or in plain text (asHTML false), its
// text. Most output has none.
func (x *expansion) fill(b []byte, asHTML bool) []byte {
	if !bytes.Contains(b, []byte("\uE000")) && !bytes.Contains(b, []byte("%EE%80%80")) {
		return b
	}
	var out []byte
	last := 0
	for _, m := range placeholderAny.FindAllSubmatchIndex(b, -1) {
		out = append(out, b[last:m[0]]...)
		last = m[1]
		num := m[2:4]
		if num[0] < 0 {
			num = m[4:6]
		}
		i, err := strconv.Atoi(string(b[num[0]:num[1]]))
		if err != nil || i >= len(x.results) {
			out = append(out, b[m[0]:m[1]]...) // not one of ours
			continue
		}
		r := x.results[i]
		switch {
		case m[2] < 0: // in an address: its text (a site's shortcode that gives one)
			out = append(out, html.EscapeString(r.text)...)
		case !asHTML:
			out = append(out, r.text...)
		case bytes.LastIndexByte(b[:m[0]], '<') > bytes.LastIndexByte(b[:m[0]], '>'): // inside a tag
			out = append(out, html.EscapeString(r.text)...)
		default:
			out = append(out, r.html...)
		}
	}
	return append(out, b[last:]...)
}

// unfailed leaves out the links and images whose address holds a call
// already reported ([x]({{ site.repository }}/issues/1)): one mistake, one
// message.
func (x *expansion) unfailed(refs []Ref) []Ref {
	out := refs[:0]
	for _, r := range refs {
		bad := false
		for _, m := range placeholderAny.FindAllStringSubmatch(r.Dest, -1) {
			num := m[1]
			if num == "" {
				num = m[2]
			}
			if i, err := strconv.Atoi(num); err == nil && i < len(x.results) && x.results[i].failed {
				bad = true
			}
		}
		if !bad {
			out = append(out, r)
		}
	}
	return out
}
