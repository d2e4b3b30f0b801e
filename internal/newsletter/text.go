package newsletter

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Width is the plain-text part's line length: what every mail reader shows
// without wrapping again.
const Width = 72

// renderText writes the text/plain part from the Markdown's own text (not
// from the HTML): headings underlined, paragraphs wrapped at Width, each
// item's links as numbered references after it, and the footer the HTML
// part has.
func renderText(v *view) string {
	var b strings.Builder
	heading(&b, v.Title, '=')
	if v.Covering != "" {
		para(&b, v.Covering)
	}
	headings := map[string]bool{}
	for _, h := range v.editorial.Headings {
		headings[h.Text] = true
	}
	for _, block := range strings.Split(v.editorial.Text, "\n\n") {
		if headings[block] {
			heading(&b, block, '-')
		} else if block != "" {
			para(&b, block)
		}
	}
	refs := []string{v.Permalink}
	for _, l := range v.editorial.Links {
		refs = append(refs, absolute(v.Permalink, l.Dest))
	}
	references(&b, "Read this issue on the website", refs)
	for _, s := range v.Sections {
		if len(s.Items) == 0 {
			continue
		}
		heading(&b, s.Title, '=')
		for _, it := range s.Items {
			heading(&b, it.Title, '-')
			date := it.Date
			if it.Note != "" {
				date += ": " + it.Note
			}
			para(&b, date)
			if it.Summary != "" {
				para(&b, it.Summary)
			}
			references(&b, "Read more", []string{it.Permalink})
		}
	}
	if len(v.Diary) > 0 {
		heading(&b, "Dates for your diary", '=')
		for _, d := range v.Diary {
			title := d.Title
			if d.Cancelled {
				title = "Cancelled: " + title
			}
			heading(&b, title, '-')
			when := d.When
			if d.Where != "" {
				when += ", " + d.Where
			}
			para(&b, when)
			if d.Join != "" {
				para(&b, "Details [1]; add to calendar [2]; join online [3]")
				fmt.Fprintf(&b, "[1] %s\n[2] %s\n[3] %s\n\n", d.Permalink, d.Calendar, d.Join)
				continue
			}
			para(&b, "Details [1]; add to calendar [2]")
			fmt.Fprintf(&b, "[1] %s\n[2] %s\n\n", d.Permalink, d.Calendar)
		}
	}
	b.WriteString(strings.Repeat("-", Width) + "\n")
	para(&b, v.Organisation.Name+", "+v.Organisation.PostalAddress)
	para(&b, "You receive this newsletter because you subscribed at "+v.SiteURL+". Unsubscribe: "+v.Unsubscribe)
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func heading(b *strings.Builder, title string, under rune) {
	for _, l := range wrap(title, Width) {
		b.WriteString(l + "\n")
	}
	n := utf8.RuneCountInString(title)
	if n > Width {
		n = Width
	}
	b.WriteString(strings.Repeat(string(under), n) + "\n\n")
}

func para(b *strings.Builder, s string) {
	for _, l := range wrap(s, Width) {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
}

// references writes "label [1]" then the numbered addresses.
func references(b *strings.Builder, label string, refs []string) {
	para(b, label+" [1]")
	for i, r := range refs {
		fmt.Fprintf(b, "[%d] %s\n", i+1, r)
	}
	b.WriteString("\n")
}

// wrap breaks s into lines of at most width characters at spaces; a word
// longer than width (an address) has a line of its own.
func wrap(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		wl := utf8.RuneCountInString(w)
		if n > 0 && n+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte(' ')
			n++
		}
		cur.WriteString(w)
		n += wl
	}
	if n > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// absolute resolves a link of the page at base: the text part has no
// page to be relative to.
func absolute(base, dest string) string {
	b, err := url.Parse(base)
	if err != nil {
		return dest
	}
	d, err := url.Parse(dest)
	if err != nil {
		return dest
	}
	return b.ResolveReference(d).String()
}
