package markdown

// Links that run code or read the reader's own files.
//
// A javascript:, vbscript:, file: or data: address (data: images in PNG,
// GIF, JPEG or WebP excepted) is never a link an LMC page means to give:
// pasted from an old CMS it is a dead button (javascript:void(0)), and at
// worst it runs a script on the site's own address. goldmark writes such a
// Markdown link as href="" (IsDangerousURL decides); lmcpress check and the
// build refuse the page (check's unsafe-link rule), so the reader never
// sees the dead link either.
//
// With AllowRawHTML, HTML written in the Markdown is passed through, and a
// browser reads its attributes more leniently than goldmark reads a
// Markdown link: entities are decoded (jav&#x61;script:), tabs and line
// breaks inside the address dropped, spaces around it ignored, case
// ignored. rawURLs reads a tag's URL attributes the way a browser does, so
// that Doc.Links carries each dangerous one (check refuses the page), and
// passRawHTML writes it as "" (neutralised, should a build run without the
// check). The rest of the raw HTML is the site's own choice, scripts
// included: allowRawHTML trusts the people who write the site.

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// IsDangerousURL reports whether a link to dest runs code or opens a local
// file: javascript:, vbscript:, file:, or data: other than a PNG, GIF,
// JPEG or WebP image. It is goldmark's own test, after what a browser
// ignores in an address (spaces and control characters around it, tabs
// and line breaks in it).
//
// It asks dangerousURL, which TestDangerousURL and FuzzDangerousURL hold
// to goldmark's: goldmark's lower-cases a copy of the address's start for
// each scheme it compares, and was nearly 1% of the instructions of a
// fresh build of a 1,000-page site, through lmcpress check's link rules
// (valgrind --tool=callgrind).
func IsDangerousURL(dest string) bool {
	return dangerousURL(browserURL(dest))
}

// browserURL is dest as a browser's URL parser sees it: without leading
// and trailing spaces and control characters, and without tabs and line
// breaks anywhere.
//
// Both change only an address with a byte at or below ' ' (no byte above
// it is part of a rune at or below it), and most addresses have none: one
// look at the bytes settles those, where trimming rune by rune and
// looking for "\t\n\r" was most of IsDangerousURL's cost.
func browserURL(dest string) string {
	for i := 0; i < len(dest); i++ {
		if dest[i] <= ' ' {
			dest = strings.TrimFunc(dest, func(r rune) bool { return r <= ' ' })
			if strings.ContainsAny(dest, "\t\n\r") {
				dest = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(dest)
			}
			return dest
		}
	}
	return dest
}

// urlAttrs are the attributes whose value a browser follows or loads.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true, "data": true,
	"poster": true, "cite": true, "background": true, "srcset": true, "ping": true, "manifest": true,
	"codebase": true, "longdesc": true, "usemap": true, "icon": true, "lowsrc": true, "dynsrc": true,
	"archive": true, "classid": true, "profile": true,
}

// rawURL is one dangerous address in raw HTML: where its value is written
// (start, end: the bytes between the quotes, or of an unquoted value) and
// the address decoded.
type rawURL struct {
	start, end int
	url        string
}

// rawURLs finds the dangerous addresses in the URL attributes of the tags
// in h. Comments are skipped; everything else is read as tags and text.
func rawURLs(h []byte) []rawURL {
	var out []rawURL
	for i := 0; i < len(h); i++ {
		if h[i] != '<' {
			continue
		}
		if bytes.HasPrefix(h[i:], []byte("<!--")) {
			e := bytes.Index(h[i+4:], []byte("-->"))
			if e < 0 {
				return out
			}
			i += 4 + e + 2
			continue
		}
		if i+1 >= len(h) || !isASCIILetter(h[i+1]) {
			continue
		}
		i = tagURLs(h, i+1, &out) - 1
	}
	return out
}

// tagURLs reads a start tag's name and attributes from i (just after the
// "<"), as the HTML tokenizer does, adds its dangerous URL attributes to
// out, and returns where the tag ends.
func tagURLs(h []byte, i int, out *[]rawURL) int {
	_, end := tagAttrs(h, i, func(name string, vs, ve int) {
		if !urlAttrs[name] {
			return
		}
		val := html.UnescapeString(string(h[vs:ve]))
		bad := ""
		if IsDangerousURL(val) {
			bad = browserURL(val)
		} else if name == "srcset" || name == "ping" || name == "archive" {
			// Lists of addresses.
			for _, part := range strings.FieldsFunc(val, func(r rune) bool { return r == ',' || isHTMLSpace(byte(r)) }) {
				if IsDangerousURL(part) {
					bad = browserURL(part)
					break
				}
			}
		}
		if bad != "" {
			*out = append(*out, rawURL{start: vs, end: ve, url: bad})
		}
	})
	return end
}

// tagAttrs reads a start tag's name and attributes from i (just after the
// "<"), as the HTML tokenizer does, calls each with every attribute that
// has a value (its name in lower case, and where the value is written:
// the bytes between the quotes, or of an unquoted value), and returns the
// tag's name in lower case and where the tag ends.
func tagAttrs(h []byte, i int, each func(name string, vs, ve int)) (tag string, end int) {
	ts := i
	for i < len(h) && !isHTMLSpace(h[i]) && h[i] != '/' && h[i] != '>' {
		i++
	}
	tag = strings.ToLower(string(h[ts:i]))
	for i < len(h) {
		for i < len(h) && (isHTMLSpace(h[i]) || h[i] == '/') {
			i++
		}
		if i >= len(h) || h[i] == '>' {
			return tag, i + 1
		}
		ns := i
		i++ // a name may start with '='
		for i < len(h) && !isHTMLSpace(h[i]) && h[i] != '/' && h[i] != '>' && h[i] != '=' {
			i++
		}
		name := strings.ToLower(string(h[ns:i]))
		j := i
		for j < len(h) && isHTMLSpace(h[j]) {
			j++
		}
		if j >= len(h) || h[j] != '=' {
			continue // no value
		}
		j++
		for j < len(h) && isHTMLSpace(h[j]) {
			j++
		}
		vs, ve := j, j
		if j < len(h) && (h[j] == '"' || h[j] == '\'') {
			vs = j + 1
			e := bytes.IndexByte(h[vs:], h[j])
			if e < 0 {
				ve, i = len(h), len(h)
			} else {
				ve, i = vs+e, vs+e+1
			}
		} else {
			for ve < len(h) && !isHTMLSpace(h[ve]) && h[ve] != '>' {
				ve++
			}
			i = ve
		}
		each(name, vs, ve)
	}
	return tag, i
}

// htmlRefs lists the links (<a href>) and images (<img src>, with their
// alt text) that a piece of HTML gives, so that what a site's own
// shortcode template writes is checked as Markdown's links and images
// are. Comments are skipped.
func htmlRefs(h []byte, line int, via string) (links, images []Ref) {
	for i := 0; i < len(h); i++ {
		if h[i] != '<' {
			continue
		}
		if bytes.HasPrefix(h[i:], []byte("<!--")) {
			e := bytes.Index(h[i+4:], []byte("-->"))
			if e < 0 {
				return links, images
			}
			i += 4 + e + 2
			continue
		}
		if i+1 >= len(h) || !isASCIILetter(h[i+1]) {
			continue
		}
		var href, src, alt string
		hasSrc := false
		tag, end := tagAttrs(h, i+1, func(name string, vs, ve int) {
			v := html.UnescapeString(string(h[vs:ve]))
			switch name {
			case "href":
				href = v
			case "src":
				src, hasSrc = v, true
			case "alt":
				alt = v
			}
		})
		switch {
		case tag == "a" && href != "":
			links = append(links, Ref{Dest: href, Text: href, Line: line, Via: via})
		case tag == "img" && hasSrc:
			images = append(images, Ref{Dest: src, Text: alt, Line: line, Via: via})
		}
		i = end - 1
	}
	return links, images
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// neutralise writes h with the value of each dangerous URL attribute
// emptied (href="javascript:..." → href=""), as goldmark writes a
// dangerous Markdown link.
func neutralise(w util.BufWriter, h []byte) {
	urls := rawURLs(h)
	at := 0
	for _, u := range urls {
		_, _ = w.Write(h[at:u.start])
		at = u.end
	}
	_, _ = w.Write(h[at:])
}

// passRawHTML writes raw HTML through, as goldmark's WithUnsafe does, but
// with dangerous addresses emptied; and leaves goldmark's own safety on,
// so a Markdown link to javascript: is href="" whether or not raw HTML is
// allowed.
type passRawHTML struct{}

func (passRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			neutralise(w, rawHTMLText(n, src))
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			// goldmark writes a block's NULs as U+FFFD (SecureWrite).
			neutralise(w, bytes.ReplaceAll(rawHTMLText(n, src), []byte{0}, []byte("\ufffd")))
		}
		return ast.WalkSkipChildren, nil
	})
}

// rawHTMLText is the source of a raw HTML node: an inline tag's segments,
// or an HTML block's lines and closing line.
func rawHTMLText(n ast.Node, src []byte) []byte {
	var b []byte
	switch n := n.(type) {
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			s := n.Segments.At(i)
			b = append(b, s.Value(src)...)
		}
	case *ast.HTMLBlock:
		for i := 0; i < n.Lines().Len(); i++ {
			s := n.Lines().At(i)
			b = append(b, s.Value(src)...)
		}
		if n.HasClosure() {
			b = append(b, n.ClosureLine.Value(src)...)
		}
	}
	return b
}
