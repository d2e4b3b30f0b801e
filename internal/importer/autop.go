package importer

import (
	"regexp"
	"strconv"
	"strings"
)

// WordPress keeps a classic-editor post as its author typed it: paragraphs
// are blank lines, and the <p> and <br> tags are added only when the page
// is shown, by wpautop (wp-includes/formatting.php). autop does the same
// before the HTML is turned into Markdown, or every post would come out as
// one paragraph. Posts from the block editor (<!-- wp:paragraph -->) already
// hold their <p> tags, and WordPress leaves them alone; so does autop.

const autopBlocks = `table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|script|object|video|audio|source|track`

var (
	autopPre        = regexp.MustCompile(`(?is)<pre[\s>].*?</pre>`)
	autopBrBr       = regexp.MustCompile(`(?i)<br\s*/?>\s*<br\s*/?>`)
	autopOpen       = regexp.MustCompile(`(?i)(<(?:` + autopBlocks + `)[\s/>])`)
	autopClose      = regexp.MustCompile(`(?i)(</(?:` + autopBlocks + `)>)`)
	autopHr         = regexp.MustCompile(`(?i)<hr\s*?/?>`)
	autopManyNL     = regexp.MustCompile(`\n\n+`)
	autopParas      = regexp.MustCompile(`\n\s*\n`)
	autopEmptyP     = regexp.MustCompile(`<p>\s*</p>`)
	autopPAroundBlk = regexp.MustCompile(`(?i)<p>\s*(</?(?:` + autopBlocks + `)[^>]*>)\s*</p>`)
	autopPBeforeBlk = regexp.MustCompile(`(?i)<p>\s*(</?(?:` + autopBlocks + `)[^>]*>)`)
	autopPAfterBlk  = regexp.MustCompile(`(?i)(</?(?:` + autopBlocks + `)[^>]*>)\s*</p>`)
	autopBrAfterBlk = regexp.MustCompile(`(?i)(</?(?:` + autopBlocks + `)[^>]*>)\s*<br />`)
	autopBrBefore   = regexp.MustCompile(`(?i)<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
	autopTagNL      = regexp.MustCompile(`<[^>]*>`)
	autopLi         = regexp.MustCompile(`(?i)<p>(<li.+?)</p>`)
	autopBqOpen     = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
)

// autop adds the paragraphs and line breaks WordPress would show.
func autop(s string) string {
	if strings.TrimSpace(s) == "" || strings.Contains(s, "<!-- wp:") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	// Keep <pre> blocks out of it, as WordPress does.
	var pres []string
	s = autopPre.ReplaceAllStringFunc(s, func(m string) string {
		pres = append(pres, m)
		return "<pre wp-pre-tag-" + strconv.Itoa(len(pres)-1) + "></pre>"
	})
	// A newline inside a tag (between attributes) is not a line break.
	s = autopTagNL.ReplaceAllStringFunc(s, func(m string) string {
		return strings.ReplaceAll(m, "\n", " ")
	})
	s += "\n"
	s = autopBrBr.ReplaceAllString(s, "\n\n")
	s = autopOpen.ReplaceAllString(s, "\n\n$1")
	s = autopClose.ReplaceAllString(s, "$1\n\n")
	s = autopHr.ReplaceAllString(s, "<hr />\n\n")
	s = autopManyNL.ReplaceAllString(s, "\n\n")
	var b strings.Builder
	for _, para := range autopParas.Split(s, -1) {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		// Single newlines inside a paragraph are line breaks.
		para = strings.ReplaceAll(para, "\n", "<br />\n")
		b.WriteString("<p>" + para + "</p>\n")
	}
	s = b.String()
	s = autopEmptyP.ReplaceAllString(s, "")
	s = autopPAroundBlk.ReplaceAllString(s, "$1")
	s = autopLi.ReplaceAllString(s, "$1")
	s = autopBqOpen.ReplaceAllString(s, "<blockquote$1><p>")
	s = strings.ReplaceAll(s, "</blockquote></p>", "</p></blockquote>")
	s = autopPBeforeBlk.ReplaceAllString(s, "$1")
	s = autopPAfterBlk.ReplaceAllString(s, "$1")
	s = autopBrAfterBlk.ReplaceAllString(s, "$1")
	s = autopBrBefore.ReplaceAllString(s, "$1")
	for i, p := range pres {
		s = strings.Replace(s, "<pre wp-pre-tag-"+strconv.Itoa(i)+"></pre>", p, 1)
	}
	return s
}
