package markdown

import (
	"bytes"
	"regexp"
)

// Jekyll's Markdown, kramdown, gives a block or a span attributes with an
// attribute list in braces: a line of its own after a paragraph, heading or
// list ("{: .note}", "{: #intro}"), or just after a span
// ("[Form](form.pdf){:target="_blank"}"). "{:toc}" after a one-item list
// stands for a table of contents. lmcpress does not apply them (the theme
// styles the page); they are left out, so that they do not show as text,
// and a "* TOC" line before "{:toc}" goes with it. In code they stay as
// written.

// ialRE matches one attribute list: "{:" then classes (.x), ids (#x),
// key=value pairs and reference names, then "}".
var ialRE = regexp.MustCompile(`\{:[ \t]*(?:(?:[.#]?[\w-]+(?:=(?:"[^"\n]*"|'[^'\n]*'|[^\s}"']+))?)[ \t]*)*\}`)

// tocItemRE is the list item a "{:toc}" replaces.
var tocItemRE = regexp.MustCompile(`^[ \t]*(?:[*+-]|1[.)])[ \t]+\S.*$`)

// findIALs returns the byte ranges to leave out of src: each attribute
// list outside code, with the rest of its line when that is only spaces,
// and the list item of a table of contents.
func findIALs(src []byte, code codeRegions) []span {
	if !bytes.Contains(src, []byte("{:")) {
		return nil
	}
	var out []span
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
	return merged
}
