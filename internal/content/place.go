package content

import (
	"path"
	"strings"
	"time"
)

// MarkdownExts are the extensions of pages: Hugo's (.md, .markdown,
// .mdown) and Jekyll's (.mkdown, .mkdn, .mkd), and .markdn, seen in the
// wild; a site moved from either keeps its file names. Any case.
var MarkdownExts = []string{".md", ".markdown", ".mdown", ".mkdown", ".mkdn", ".mkd", ".markdn"}

// IsPage reports whether the file name is a page's: Markdown, by its
// extension (see MarkdownExts).
func IsPage(name string) bool {
	ext := path.Ext(name)
	for _, e := range MarkdownExts {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	return false
}

// TrimPageExt is a page's file name without its Markdown extension
// ("news/flu.markdown" → "news/flu"), and any other name as it is.
func TrimPageExt(name string) string {
	if IsPage(name) {
		return strings.TrimSuffix(name, path.Ext(name))
	}
	return name
}

// place is where a file's path puts a page, before its front matter is
// read: what [Page.URL] is made of, and a Jekyll-style name's date.
type place struct {
	kind    Kind
	section string // the top folder, slugged: the page's kind of section
	dir     string // the address folder, each folder slugged: "guidance/rpkg"
	slug    string
	bundle  bool
	date    time.Time // from a name YYYY-MM-DD-slug.md; zero otherwise
	empty   string    // a folder whose name gives an empty address; "" when none
}

// classify derives a page's place from its content-relative path. Every
// folder stays in the address, as in Hugo: content/guidance/rpkg/intro.md
// is /guidance/rpkg/intro/ whether or not the folder has an _index.md
// (which makes it a sub-section with a listing of its own, see
// [Book.ListingOf]), so two intro.md in two folders have two addresses,
// and adding or removing an _index.md never moves a page.
//
//	_index.md                    the home page
//	SECTION/_index.md            a section (any depth: guidance/rpkg/_index.md is a sub-section)
//	DIR/SLUG/index.md            a page bundle at /DIR/SLUG/; files beside it ship with it
//	DIR/SLUG.md                  a page at /DIR/SLUG/
//	DIR/2016-03-03-SLUG.md       a page at /DIR/SLUG/ dated 3 March 2016, as Jekyll names posts
func classify(name string) place {
	dir, base := path.Split(name)
	dir = strings.TrimSuffix(dir, "/")
	stem := strings.TrimSuffix(base, path.Ext(base))
	var parts []string
	var pl place
	if dir != "" {
		for _, f := range strings.Split(dir, "/") {
			s := Slugify(f)
			if s == "" && pl.empty == "" {
				pl.empty = f
			}
			parts = append(parts, s)
		}
	}
	if len(parts) > 0 {
		pl.section = parts[0]
	}
	switch {
	case stem == "_index" && len(parts) == 0:
		pl.kind = KindHome
	case stem == "_index":
		pl.kind = KindSection
		pl.dir, pl.slug = strings.Join(parts, "/"), parts[len(parts)-1]
	case stem == "index" && len(parts) > 0:
		// A page bundle: DIR/SLUG/index.md, or SLUG/index.md for a plain page.
		folders := strings.Split(dir, "/")
		pl.bundle = true
		pl.dir = strings.Join(parts[:len(parts)-1], "/")
		if len(parts) == 1 {
			pl.section = ""
		}
		pl.date, pl.slug = datedName(folders[len(folders)-1])
	default:
		pl.dir = strings.Join(parts, "/")
		pl.date, pl.slug = datedName(stem)
	}
	return pl
}

// datedName splits a Jekyll post's name, "2016-03-03-qgis-rooftop" (or,
// as Jekyll also reads it, "2015-7-1-report"), into its date (midnight UK
// time) and slug; any other name is its slug, with no date. A name whose
// date is no real day, or with nothing after the date, keeps it all in
// its slug.
func datedName(stem string) (time.Time, string) {
	parts := strings.SplitN(stem, "-", 4)
	if len(parts) == 4 && len(parts[0]) == 4 && len(parts[1]) <= 2 && len(parts[2]) <= 2 && allDigits(parts[0]+parts[1]+parts[2]) {
		if t, err := time.ParseInLocation("2006-1-2", strings.Join(parts[:3], "-"), London); err == nil {
			if slug := Slugify(parts[3]); slug != "" {
				return t, slug
			}
		}
	}
	return time.Time{}, Slugify(stem)
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// ListingOf is the section (its address folder, "guidance" or
// "guidance/rpkg") whose listing shows the page: the nearest folder above
// it that is a section, given the address folders of the sub-sections
// (folders below the top with an _index.md); "" for a plain page. A
// section's own listing is its parent's, and a top section's is "".
func listingOf(p *Page, subs map[string]bool) string {
	d := p.Dir
	if p.Kind == KindSection {
		d = parentDir(d)
	}
	for ; strings.Contains(d, "/"); d = parentDir(d) {
		if subs[d] {
			return d
		}
	}
	return d
}

func parentDir(d string) string {
	if i := strings.LastIndexByte(d, '/'); i >= 0 {
		return d[:i]
	}
	return ""
}

// sectionIndexes makes a top folder's index.md its section page, as its
// _index.md would be, when the folder holds other pages and no _index.md:
// Jekyll's docs/index.md is the page at /docs/, above docs/*.md, and as a
// page bundle it would collide with the folder's listing. A draft, or one
// waiting for its publishDate or gone by its expiryDate, stays a page (and
// the collision is reported): a section page is always published. Run on
// the whole tree each load; a page made a section page that no longer
// should be is made a bundle again, so that a page kept from an earlier
// load (the preview's) follows the tree.
func sectionIndexes(pages []*Page) {
	listed := map[string]bool{} // top folders holding other pages or sections
	index := map[string]bool{}  // top folders with an _index.md
	for _, p := range pages {
		switch {
		case p.folderIndex:
		case p.Kind == KindSection && !strings.Contains(p.Dir, "/"):
			index[p.Dir] = true
		case p.Section != "":
			listed[p.Section] = true
		}
	}
	for _, p := range pages {
		leaf := p.Kind == KindPage && p.Bundle && p.Dir == ""
		if !leaf && !p.folderIndex {
			continue
		}
		folder := p.Slug
		hidden := p.Draft || p.Lines["draft"] > 0 || p.Lines["publishDate"] > 0 || p.Lines["expiryDate"] > 0
		want := listed[folder] && !index[folder] && !hidden
		switch {
		case want && leaf:
			p.Kind, p.Section, p.Dir, p.Bundle, p.folderIndex = KindSection, folder, folder, false, true
		case !want && p.folderIndex:
			p.Kind, p.Section, p.Dir, p.Bundle, p.folderIndex = KindPage, "", "", true, false
		}
	}
}
