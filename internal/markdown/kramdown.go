package markdown

import (
	"bytes"
	"regexp"
)

// Jekyll's Markdown, kramdown, gives a block or a span attributes with an
// attribute list in braces: a line of its own after a paragraph, heading or
// list ("{: .note}", "{: #intro}"), or just after a span
// ("[Form](form.pdf){:target="_blank"}"). "{:toc}" after a one-item list
// stands for a table of contents. They are left out, so that they do not
// show as text, and a "* TOC" line before "{:toc}" goes with it; a
// heading's ids and classes ("## Fees\n{: #fees-2024}") are kept, as
// Hugo's heading attributes ("## Fees {#fees-2024}"), so that links to the
// part still find it. In code they stay as written.

// ialRE matches one attribute list: "{:" then classes (.x), ids (#x),
// key=value pairs and reference names, then "}".
var ialRE = regexp.MustCompile(`\{:[ \t]*(?:(?:[.#]?[\w-]+(?:=(?:"[^"\n]*"|'[^'\n]*'|[^\s}"']+))?)[ \t]*)*\}`)

// tocItemRE is the list item a "{:toc}" replaces.
var tocItemRE = regexp.MustCompile(`^[ \t]*(?:[*+-]|1[.)])[ \t]+\S.*$`)

// headingAttr is a heading's attributes: " {#id .class}" to write at the
// end of its line.
type headingAttr struct {
	at   int
	attr string
}

// atxHeading is a heading line; ialToken one id or class of a list.
var (
	atxHeading = regexp.MustCompile(`^ {0,3}#{1,6}[ \t]+\S`)
	ialToken   = regexp.MustCompile(`[.#][\w-]+`)
)

// findIALs returns the byte ranges to leave out of src: each attribute
// list outside code, with the rest of its line when that is only spaces,
// and the list item of a table of contents; and the attributes of the
// headings just above a list.
func findIALs(src []byte, code codeRegions) ([]span, []headingAttr) {
	if !bytes.Contains(src, []byte("{:")) {
		return nil, nil
	}
	var out []span
	var heads []headingAttr
	for _, m := range ialRE.FindAllIndex(src, -1) {
		if code.contains(m[0]) {
			continue
		}
		ls := bytes.LastIndexByte(src[:m[0]], '\n') + 1
		le := len(src)
		if i := bytes.IndexByte(src[m[1]:], '\n'); i >= 0 {
			le = m[1] + i
		}
		whole := len(bytes.TrimSpace(src[ls:m[0]])) == 0 && len(bytes.TrimSpace(src[m[1]:le])) == 0
		if !whole {
			out = append(out, span{m[0], m[1]})
			continue
		}
		if ls > 0 {
			ps := bytes.LastIndexByte(src[:ls-1], '\n') + 1
			if prev := src[ps : ls-1]; atxHeading.Match(prev) && !code.contains(ps) && !bytes.HasSuffix(bytes.TrimSpace(prev), []byte("}")) {
				if toks := ialToken.FindAll(src[m[0]:m[1]], -1); len(toks) > 0 {
					heads = append(heads, headingAttr{at: ls - 1, attr: " {" + string(bytes.Join(toks, []byte(" "))) + "}"})
				}
			}
		}
		if toc := bytes.ReplaceAll(src[m[0]:m[1]], []byte(" "), nil); string(toc) == "{:toc}" && ls > 0 {
			ps := bytes.LastIndexByte(src[:ls-1], '\n') + 1
			if tocItemRE.Match(src[ps : ls-1]) {
				ls = ps
				out = append(out, span{ps, ps}) // marker only; merged below
			}
		}
		out = append(out, span{ls, le})
	}
	// Merge and sort: a table of contents takes its item's line too.
	var merged []span
	for _, s := range out {
		if s.start == s.end {
			continue
		}
		if n := len(merged); n > 0 && s.start < merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged, heads
}
