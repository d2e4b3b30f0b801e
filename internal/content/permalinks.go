package content

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// permalinkTokens are what a site.yaml `permalinks:` pattern may hold,
// Hugo's and Jekyll's names for the parts of a page's old address.
var permalinkTokens = map[string]func(p *Page) string{
	"year":       func(p *Page) string { return p.Date.In(London).Format("2006") },
	"short_year": func(p *Page) string { return p.Date.In(London).Format("06") },
	"month":      func(p *Page) string { return p.Date.In(London).Format("01") },
	"i_month":    func(p *Page) string { return p.Date.In(London).Format("1") },
	"day":        func(p *Page) string { return p.Date.In(London).Format("02") },
	"i_day":      func(p *Page) string { return p.Date.In(London).Format("2") },
	"slug":       func(p *Page) string { return p.Slug },
	"title":      func(p *Page) string { return Slugify(p.Title) },
	"filename":   func(p *Page) string { return Slugify(path.Base(strings.TrimSuffix(TrimPageExt(p.File), "/index"))) },
	"section":    func(p *Page) string { return p.Section },
	"sections":   func(p *Page) string { return p.Dir },
	"output_ext": func(p *Page) string { return ".html" },
}

// dated tokens need the page's date: a page without one has no old
// address by such a pattern.
var datedTokens = map[string]bool{"year": true, "short_year": true, "month": true, "i_month": true, "day": true, "i_day": true}

// expandPermalink is the address pattern (site.yaml's `permalinks:`, e.g.
// "/:year/:month/:day/:slug/") gives page p, or "" when it needs a date p
// does not have. checkPermalink has accepted the pattern.
func expandPermalink(pattern string, p *Page) string {
	var b strings.Builder
	for i := 0; i < len(pattern); {
		if pattern[i] != ':' {
			b.WriteByte(pattern[i])
			i++
			continue
		}
		j := i + 1
		for j < len(pattern) && (pattern[j] == '_' || pattern[j] >= 'a' && pattern[j] <= 'z') {
			j++
		}
		name := pattern[i+1 : j]
		if datedTokens[name] && p.Date.IsZero() {
			return ""
		}
		b.WriteString(permalinkTokens[name](p))
		i = j
	}
	return b.String()
}

// checkPermalink says what is wrong with an address pattern, or "".
func checkPermalink(pattern string) string {
	if !strings.HasPrefix(pattern, "/") {
		return fmt.Sprintf("%q must start with /, e.g. /:year/:month/:day/:slug/", pattern)
	}
	sample := &Page{Slug: "x", Title: "x", File: "news/x.md", Section: "news", Dir: "news", Date: time.Date(2016, 3, 3, 0, 0, 0, 0, London)}
	for i := 0; i < len(pattern); i++ {
		if pattern[i] != ':' {
			continue
		}
		j := i + 1
		for j < len(pattern) && (pattern[j] == '_' || pattern[j] >= 'a' && pattern[j] <= 'z') {
			j++
		}
		if name := pattern[i+1 : j]; permalinkTokens[name] == nil {
			return fmt.Sprintf("%q: :%s is not a part lmcpress knows: use :year, :month, :day, :i_month, :i_day, :short_year, :slug, :title, :filename, :section, :sections or :output_ext", pattern, name)
		}
	}
	if msg := CheckAlias(expandPermalink(pattern, sample)); msg != "" {
		return fmt.Sprintf("%q cannot be an address: %s", pattern, msg)
	}
	return ""
}
