package importer

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"lmcpress/internal/content"
)

// Options are what one import reads and where it writes.
type Options struct {
	// Export is the WordPress export, read twice: once for the addresses
	// of every item (so links between posts, nested pages and galleries can
	// be resolved), once to convert them, one item at a time.
	Export io.ReadSeeker
	// Site is the new site's folder: content/ is written below it (it must
	// be empty or absent), and beside it wordpress-redirects.txt.
	Site *os.Root
	// Uploads is a copy of the old site's wp-content/uploads, or nil: then
	// links to uploaded files keep pointing at the old site.
	Uploads *os.Root
	// Now dates a post whose export gives it no usable date (it is made a
	// draft, and the report says so).
	Now time.Time
	// Private brings private and password-protected items in, as drafts.
	// Without it they are left out, each named in the report: WordPress
	// kept their text from the public, and a site's folder is shared
	// (a repository, a laptop, a hosting account) where a draft is read.
	Private bool
}

// entry is what the first pass keeps of an item: never its text.
type entry struct {
	id       int
	typ      string
	status   string
	parent   int
	name     string
	title    string
	link     string
	dir      string // content-relative folder: "news", "" or a section's, "about/committee"
	slug     string
	index    bool // a section: written as dir/slug/_index.md
	secret   bool // password-protected
	children int  // pages under it
	aliases  []string
	leftOut  string // why it is not written ("private", "password-protected"), "" if it is
}

// sectionable reports whether the page may be a section, whose _index.md
// is always published.
func (e *entry) sectionable() bool {
	return e.typ == "page" && e.status == "publish" && !e.secret
}

func (e *entry) url() string {
	if e.dir == "" {
		return "/" + e.slug + "/"
	}
	return "/" + e.dir + "/" + e.slug + "/"
}

// importer holds one import's state between the two passes.
type importer struct {
	opt      Options
	ch       Channel
	hosts    map[string]bool // the old site's host names
	base     string          // the old site's address, for relative upload links
	entries  map[int]*entry
	order    []*entry
	oldPaths map[string]*entry // an old permalink's path → the item now there
	atts     map[int]attachment
	byParent map[int][]int     // a post's attachments, for [gallery] without ids
	alts     map[string]string // an uploaded image's alternative text, by uploadsKey
	topics   []content.Term
	topicSet map[string]bool
	report   Report
}

// Import writes the export's posts and pages as an lmcpress content
// folder, with a site.yaml listing the topics they use. A problem with one
// item is noted in the report and the item left out or made a draft; only
// an export that cannot be read, or a site folder that cannot be written,
// stops it.
func Import(opt Options) (*Report, error) {
	im := &importer{opt: opt, hosts: map[string]bool{}, entries: map[int]*entry{}, oldPaths: map[string]*entry{},
		atts: map[int]attachment{}, alts: map[string]string{}, byParent: map[int][]int{}, topicSet: map[string]bool{}, report: newReport()}
	if err := im.checkEmpty(); err != nil {
		return nil, err
	}
	err := Read(opt.Export, func(ch *Channel) error {
		im.ch = *ch
		for _, s := range []string{ch.Link, ch.BaseBlogURL} {
			if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.Host != "" {
				im.hosts[strings.ToLower(u.Host)] = true
				if im.base == "" {
					im.base = u.Scheme + "://" + u.Host
				}
			}
		}
		return nil
	}, im.index)
	if err != nil {
		return nil, fmt.Errorf("import: reading the export: %w", err)
	}
	im.place()
	if _, err := opt.Export.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("import: reading the export again: %w", err)
	}
	w, err := newWriter(im)
	if err != nil {
		return nil, err
	}
	var writeErr error // the site folder's, not the export's
	err = Read(opt.Export, func(*Channel) error { return nil }, func(it *Item) error {
		writeErr = w.item(it)
		return writeErr
	})
	if writeErr != nil {
		return nil, writeErr
	}
	if err != nil {
		return nil, fmt.Errorf("import: reading the export: %w", err)
	}
	if err := w.finish(); err != nil {
		return nil, err
	}
	return &im.report, nil
}

// checkEmpty refuses a site folder whose content/ holds anything: an
// import never overwrites or mixes with pages already written.
func (im *importer) checkEmpty() error {
	f, err := im.opt.Site.Open("content")
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if len(names) > 0 {
		return fmt.Errorf("import: %s already has files: import into a new folder (--root NEW), then move the pages you want across", path.Join(im.opt.Site.Name(), "content"))
	}
	if err != nil && err != io.EOF {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}

// index is the first pass: every item's type, status, place and permalink.
func (im *importer) index(it *Item) error {
	im.report.Items[orNone(it.Type)]++
	e := &entry{id: it.ID, typ: it.Type, status: it.Status, parent: it.Parent, name: it.Name, title: it.Title, link: it.Link,
		secret: strings.TrimSpace(it.Password) != ""}
	switch {
	case it.Type == "attachment":
		if it.ID > 0 && it.AttachmentURL != "" {
			a := attachment{URL: it.AttachmentURL, Title: plainText(it.Title), Alt: plainText(it.Alt), Parent: it.Parent}
			im.atts[it.ID] = a
			if a.Alt != "" {
				im.alts[uploadsKey(a.URL)] = a.Alt
			}
			im.byParent[it.Parent] = append(im.byParent[it.Parent], it.ID)
		}
		return nil
	case it.Type != "post" && it.Type != "page":
		im.report.Skipped[orNone(it.Type)]++
		return nil
	case it.Status == "trash" || it.Status == "auto-draft" || it.Status == "inherit":
		im.report.Skipped[it.Type+" in "+it.Status]++
		return nil
	}
	if it.Type == "post" {
		e.dir = "news"
	}
	if !im.opt.Private {
		// Still placed, so that pages under it go up as under a draft
		// and links to it are found; never written.
		switch {
		case it.Status == "private":
			e.leftOut = "private"
		case e.secret:
			e.leftOut = "password-protected"
		}
	}
	if it.ID > 0 {
		if _, dup := im.entries[it.ID]; dup {
			im.report.note(it.Line, "", "a second item with post_id %d: left out", it.ID)
			return nil
		}
		im.entries[it.ID] = e
	}
	im.order = append(im.order, e)
	return nil
}

// reserved are the names a post or page must not take: the sections and
// what the build writes at the top of the site.
var reserved = map[string]bool{"news": true, "advice": true, "guidance": true, "newsletters": true,
	"events": true, "topics": true, "search": true, "page": true, "feed": true, "css": true, "js": true,
	"images": true, "static": true, "404": true, "sitemap": true, "robots": true, "atom": true,
	// Names Windows refuses for a file, so that a site can be edited there.
	"con": true, "prn": true, "aux": true, "nul": true}

// place gives every imported item its file and address, and its old
// permalinks as aliases. A published page with pages under it becomes a
// section, SLUG/_index.md, and the pages under it are filed in its folder,
// so /about/committee/ stays /about/committee/. A draft, private or
// protected page cannot be a section (a section's _index.md is always
// published): the pages under it go up to the nearest published page
// above, their old nested address kept as an alias.
func (im *importer) place() {
	for _, e := range im.order {
		if p := im.entries[e.parent]; e.typ == "page" && p != nil && p != e && p.typ == "page" {
			p.children++
		}
	}
	taken := map[string]bool{} // dir/slug, lower-cased
	state := map[*entry]int{}  // 1 while placing, 2 once placed
	var assign func(e *entry)
	assign = func(e *entry) {
		if state[e] != 0 {
			return // placed, or a loop of parents (placed where the loop was entered)
		}
		state[e] = 1
		if p := im.entries[e.parent]; e.typ == "page" && p != nil && p.typ == "page" && p.sectionable() {
			assign(p)
			if state[p] == 2 && p.index && len(strings.Split(p.dir, "/")) < 16 {
				e.dir = path.Join(p.dir, p.slug)
			}
		}
		e.index = e.typ == "page" && e.children > 0 && e.sectionable()
		slug := safeSlug(e.name)
		if slug == "" {
			slug = safeSlug(plainText(e.title))
		}
		if slug == "" || reserved[slug] || (e.dir == "news" && isDigits(slug)) {
			// A number alone would take a news archive's address (/news/2016/).
			if slug == "" {
				slug = e.typ + "-" + strconv.Itoa(e.id)
			} else {
				slug = e.typ + "-" + slug
			}
		}
		base, n := slug, 1
		for taken[strings.ToLower(e.dir+"/"+slug)] {
			n++
			slug = base + "-" + strconv.Itoa(n)
		}
		taken[strings.ToLower(e.dir+"/"+slug)] = true
		e.slug = slug
		state[e] = 2
	}
	for _, e := range im.order {
		assign(e)
	}
	// Aliases: the old permalink's path, and the nested address of a page
	// (WordPress's own links say /parent/child/ when the site used them).
	seen := map[string]bool{}
	for _, e := range im.order {
		seen[strings.ToLower(e.url())] = true
	}
	for _, e := range im.order {
		for _, old := range im.oldAddresses(e) {
			im.oldPaths[old] = e
			if e.leftOut != "" || seen[strings.ToLower(old)] {
				continue
			}
			if why := content.CheckAlias(old); why != "" {
				im.report.Unaliased = append(im.report.Unaliased, old+" → "+e.url())
				continue
			}
			seen[strings.ToLower(old)] = true
			e.aliases = append(e.aliases, old)
		}
	}
}

// oldAddresses are the paths an item was reached at on the old site.
func (im *importer) oldAddresses(e *entry) []string {
	var out []string
	if p := im.oldPath(e.link); p != "" {
		out = append(out, p)
	}
	if e.typ == "page" && e.parent != 0 {
		// /parent/child/, built from the page's ancestors' slugs.
		parts := []string{e.name}
		seen := map[int]bool{e.id: true}
		for p := im.entries[e.parent]; p != nil && !seen[p.id] && len(parts) < 20; p = im.entries[p.parent] {
			seen[p.id] = true
			parts = append([]string{p.name}, parts...)
		}
		nested := "/" + strings.Join(parts, "/") + "/"
		if un, err := url.PathUnescape(nested); err == nil && nested != "//" {
			nested = un
		}
		if len(out) == 0 || out[0] != nested {
			out = append(out, nested)
		}
	}
	return out
}

// oldPath is a permalink's path on the old site, percent-escapes decoded
// and with a closing slash, or "" when it is not a path of that site.
func (im *importer) oldPath(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || (u.Host != "" && !im.hosts[strings.ToLower(u.Host)]) || u.Path == "" || u.Path == "/" {
		return ""
	}
	p := u.Path
	if !strings.HasSuffix(p, "/") && path.Ext(p) == "" {
		p += "/"
	}
	return p
}

// linked is the item a link to the old site points at, by an old
// permalink or a ?p=ID or ?page_id=ID address; nil if neither.
func (im *importer) linked(u *url.URL) *entry {
	q := u.Query()
	for _, k := range []string{"p", "page_id"} {
		if id, err := strconv.Atoi(q.Get(k)); err == nil {
			if e := im.entries[id]; e != nil && e.slug != "" {
				return e
			}
		}
	}
	p := u.Path
	if p == "" {
		return nil
	}
	if !strings.HasSuffix(p, "/") && path.Ext(p) == "" {
		p += "/"
	}
	return im.oldPaths[p]
}

// uploadsKey is an uploaded image's address without its query and size
// suffix: photo-300x200.jpg?w=150 and photo.jpg are one image.
func uploadsKey(u string) string {
	u, _, _ = strings.Cut(u, "?")
	u, _, _ = strings.Cut(u, "#")
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https:"), "http:")
	return sizeSuffix.ReplaceAllString(u, "$1")
}

// safeSlug makes an address part of a WordPress post_name, which may be
// percent-encoded, hostile or empty.
func safeSlug(name string) string {
	if un, err := url.PathUnescape(name); err == nil {
		name = un
	}
	s := content.Slugify(cleanText(name))
	if len(s) > 80 {
		cut := 80
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimRight(s[:cut], "-")
	}
	return s
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func orNone(s string) string {
	if s == "" {
		return "(no type)"
	}
	return s
}
