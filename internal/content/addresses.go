package content

import (
	"fmt"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Book is the one book of addresses: every file a build writes, who writes
// it, and where a link from a page goes. The build's plan and check both
// read it, so a link one accepts the other accepts, and a collision one
// refuses the other reports.
//
// What is published where (Paginate pages a listing; N from 2 on):
//
//	/                                   the home page (content/_index.md)
//	/SECTION/, /SECTION/page/N/         a section listing; /SECTION/page/1/ redirects to /SECTION/
//	/SECTION/SUB/, /SECTION/SUB/page/N/ a sub-section's (content/SECTION/SUB/_index.md), any depth
//	/DIR/SLUG/, /SLUG/                  a page (content/DIR/SLUG.md, or DIR/SLUG/index.md: a bundle;
//	                                    DIR is every folder, see classify)
//	/news/YYYY/, /news/YYYY/MM/         news archives by year and month, paged alike
//	/topics/, /topics/TOPIC/            the topic index and each topic's listing, paged alike
//	feed.xml, atom.xml, feed.json       at the root, in each section and sub-section and in each
//	                                    topic folder
//	/events/SLUG/event.ics              each published event's calendar file
//	/events/calendar.ics                the calendar of upcoming events, and one an area:
//	/events/areas/AREA/calendar.ics     (CalendarAreas), when there is any event
//	/search/, /search/index/...         the search page and its index
//	/404.html, /sitemap.xml, /robots.txt
//	each alias                          a redirect page (aliases: /old/ → old/index.html)
//	each other file in content/         at the same path; in a bundle, beside its page (not
//	                                    the files of a page not published: see heldBack)
//	each static file                    at the same path
type Book struct {
	owner   map[string]string   // output file ("news/x/index.html") → who writes it
	folded  map[string]string   // each output file in lower case → the file, for claimFile
	urls    map[string]bool     // every address: "/news/x/" and "/news/x/index.html"
	pages   map[string]*Page    // address → the page there: published pages, sections, home
	files   map[string]string   // a published page's file ("news/x.md") → its address
	bundles map[string]string   // page bundle folder → its page's address
	dirs    map[string][]string // folder address → the addresses in it, for suggestions
	subs    map[string]bool     // the address folders of sub-sections: "guidance/rpkg"
	slugs   map[string][]string // a published page's slug → the addresses ending in it, for suggestions
	aliases []Alias
	shipped []string // the content files published (see withheld)
	errs    Errors
}

// Alias is a redirect page at an old address of a page.
type Alias struct {
	Out  string // the file written, e.g. "old/path/index.html"
	Page *Page
}

// SearchDir is the folder of the search index (see internal/search).
const SearchDir = "search/index/"

// NewBook works out every address a build of pages writes: the published
// ones among pages (v decides), the other content files, and the theme's
// static files (site-relative names, "css/site.css"). cfg may be nil (a
// site.yaml that did not load): listings are then paged by 20. Pages may
// be a partial list when some files did not load; the book then reports
// what it can, so that one run shows every problem.
func NewBook(cfg *Config, pages []*Page, files, static []string, v Visibility) *Book {
	// The maps are made about the size they will be (a page claims its
	// address and, paged listings and feeds aside, one output file): this
	// runs with the other core idle, and growing them from nothing made it
	// take 38 ms instead of 32 for 10,000 pages.
	n := len(pages)
	b := &Book{owner: make(map[string]string, 2*n), folded: make(map[string]string, 2*n), urls: make(map[string]bool, 2*n), pages: make(map[string]*Page, n),
		files: make(map[string]string, n), bundles: map[string]string{}, dirs: map[string][]string{}, subs: map[string]bool{}, slugs: make(map[string][]string, n)}
	per := 20
	if cfg != nil && cfg.Paginate > 0 {
		per = cfg.Paginate
	}
	var items []*Page
	sections := map[string]int{}   // address folder of each listing → its items
	indexes := map[string]string{} // a sub-section's address folder → its _index.md
	indexAt := map[string]bool{}   // the address of each section with an _index.md
	held := heldBack{bundles: map[string]bool{}, attached: map[string]bool{}}
	for _, p := range pages {
		held.note(p, p.Kind != KindPage || p.Published(v))
		switch {
		case p.Kind == KindHome:
			b.pages["/"] = p
		case p.Kind == KindSection:
			sections[p.Section] += 0
			sections[p.Dir] += 0
			indexAt[p.URL()] = true
			if strings.Contains(p.Dir, "/") {
				b.subs[p.Dir] = true
				indexes[p.Dir] = "content/" + p.File
			}
			b.pages[p.URL()] = p
		case p.Published(v):
			items = append(items, p)
			b.pages[p.URL()] = p
			b.slugs[p.Slug] = append(b.slugs[p.Slug], p.URL())
			b.files[p.File] = p.URL()
			if p.Bundle {
				b.bundles[path.Dir(p.File)] = p.URL()
			}
		}
	}

	// What lmcpress makes: claimed first, so that a collision is reported
	// on the content file that can be changed.
	b.claimURL("/", "the home page")
	b.claimURL("/search/", "the search page")
	b.claimURL("/topics/", "the topic index")
	for _, n := range []string{"404.html", "sitemap.xml", "robots.txt"} {
		b.claim(n, "lmcpress's /"+n)
	}
	b.feeds("/")
	type month struct {
		y int
		m time.Month
	}
	topics := map[string]int{}
	years, months := map[int]int{}, map[month]int{}
	for _, p := range items {
		if p.Section != "" {
			sections[p.Section] += 0 // a top folder is a section, whether or not it has pages of its own
			sections[b.ListingOf(p)]++
		}
		seen := map[string]bool{}
		for _, t := range p.Topics {
			if slug := Slugify(t); !seen[slug] {
				seen[slug] = true
				topics[slug]++
			}
		}
		if p.Section == "news" {
			y, m, _ := p.Date.In(London).Date()
			years[y]++
			months[month{y, m}]++
		}
	}
	listing := func(s string) {
		if prev := b.owner[outFile("/"+s+"/")]; prev != "" {
			file := indexes[s]
			if file == "" {
				file = "content/" + s
			}
			b.errs = append(b.errs, &Error{File: file, Msg: fmt.Sprintf("the section listing /%s/ would replace %s: rename the folder", s, prev)})
			return
		}
		b.paged("/"+s+"/", sections[s], per, "the listing /"+s+"/")
		b.feeds("/" + s + "/")
	}
	for _, s := range sortedKeys(sections) {
		if !strings.Contains(s, "/") {
			listing(s)
		}
	}
	for _, t := range sortedKeys(topics) {
		b.paged("/topics/"+t+"/", topics[t], per, "the topic page /topics/"+t+"/")
		b.feeds("/topics/" + t + "/")
	}
	for y, n := range years {
		b.paged(fmt.Sprintf("/news/%d/", y), n, per, fmt.Sprintf("the news archive for %d", y))
	}
	for m, n := range months {
		b.paged(fmt.Sprintf("/news/%d/%02d/", m.y, m.m), n, per, fmt.Sprintf("the news archive for %s %d", m.m, m.y))
	}
	// Sub-sections after what lmcpress makes below their top section (the
	// news archives), so that a collision is reported on their _index.md.
	for _, s := range sortedKeys(sections) {
		if strings.Contains(s, "/") {
			listing(s)
		}
	}

	var events []*Page
	for _, p := range items {
		if p.Event != nil {
			events = append(events, p)
		}
	}
	if len(events) > 0 {
		b.claim(strings.TrimPrefix(EventsCalendarURL, "/"), "the events calendar")
		for _, a := range CalendarAreas(cfg, events) {
			b.claim(strings.TrimPrefix(AreaCalendarURL(a), "/"), "the events calendar for "+a)
		}
	}

	// Then what the LMC writes, each reported where it can be changed.
	for _, p := range items {
		if prev, ok := b.owner[outFile(p.URL())]; ok && !strings.HasPrefix(prev, "content/") {
			if indexAt[p.URL()] {
				// A page at the address of a section with an _index.md:
				// two pages at one address, which CheckTree reports.
				continue
			}
			b.errs = append(b.errs, &Error{File: "content/" + p.File, Line: p.Lines["slug"],
				Msg: fmt.Sprintf("address %s is also the address of %s: rename the file or set a different `slug:`", p.URL(), prev)})
			continue
		}
		// Two pages at one address are reported by CheckTree, drafts included.
		b.claimURL(p.URL(), "content/"+p.File)
		if p.Event != nil {
			b.claim(strings.TrimPrefix(p.CalendarURL(), "/"), "the calendar file of content/"+p.File)
		}
	}
	// Sorted here, whatever order the files were found in, so that of two
	// names differing only in case the same one is always reported.
	files = append(append([]string(nil), static...), files...)
	sort.Strings(files[:len(static)])
	sort.Strings(files[len(static):])
	for i, f := range files {
		who, out := "content/"+f, strings.TrimPrefix(b.FileURL(f), "/")
		if i < len(static) {
			who, out = "static/"+f, f
		} else if held.withheld(f) {
			continue
		} else {
			b.shipped = append(b.shipped, f)
		}
		if prev, ok := b.claimFile(out, who); !ok {
			b.errs = append(b.errs, &Error{File: who, Msg: fmt.Sprintf("/%s is also written by %s: rename or move one of them", out, prev)})
		}
	}
	for _, p := range items {
		aliases := p.Aliases
		// The old addresses site.yaml's permalinks: give it, after its own.
		if cfg != nil && p.Kind == KindPage {
			for _, pattern := range cfg.Permalinks[p.Section] {
				if old := expandPermalink(pattern, p); old != "" {
					aliases = append(aliases[:len(aliases):len(aliases)], old)
				}
			}
		}
		for i, a := range aliases {
			e := &Error{File: "content/" + p.File, Line: p.Lines["aliases"]}
			what := "aliases: " + a
			if i >= len(p.Aliases) {
				e.Line, what = 0, fmt.Sprintf("%s, its old address by site.yaml's permalinks: for %s/,", a, p.Section)
			}
			out, msg := AliasOut(a)
			if msg == "" && out == outFile(p.URL()) {
				// The page's own address (Hugo sites list /x/hassuffix for
				// HasSuffix.md, whose address is lower case already): there
				// is nothing to redirect.
				continue
			}
			if msg == "" {
				who := "an alias of content/" + p.File
				prev, ok := b.claimFile(out, who)
				if ok {
					b.aliases = append(b.aliases, Alias{Out: out, Page: p})
					continue
				}
				if prev == who || strings.HasPrefix(prev, who+" (as ") {
					// The same page's redirect already, or one differing
					// only in case (Jekyll's permalink and redirect_from
					// often both give it): one is enough.
					continue
				}
				msg = fmt.Sprintf("%s is also the address of %s: remove the alias or change the other address", what, prev)
			}
			e.Msg = msg
			b.errs = append(b.errs, e)
		}
	}
	for _, us := range b.dirs {
		sort.Strings(us)
	}
	return b
}

// heldBack is what pages that are not published (drafts, future and
// expired pages) keep out of the site: every file of their page bundle,
// and every attachment they list, unless a published page lists it too.
// The files ship with the page, on the build that publishes it.
type heldBack struct {
	bundles  map[string]bool // bundle folder → whether its page is published
	attached map[string]bool // attachment → whether a published page lists it
}

func (h heldBack) note(p *Page, published bool) {
	if p.Kind == KindPage && p.Bundle {
		h.bundles[path.Dir(p.File)] = published
	}
	for _, a := range p.Attachments {
		h.attached[a.File] = h.attached[a.File] || published
	}
}

// withheld reports whether the content file f stays out of the site: it
// is listed only by pages not published, or it is not listed by a
// published page and the nearest bundle it is in is not published.
func (h heldBack) withheld(f string) bool {
	if pub, ok := h.attached[f]; ok {
		return !pub
	}
	for d := path.Dir(f); d != "." && d != "/"; d = path.Dir(d) {
		if pub, ok := h.bundles[d]; ok {
			return !pub
		}
	}
	return false
}

// ListingOf is the section whose listing shows the page p, by its address
// folder ("guidance", or "guidance/rpkg" for a sub-section): the nearest
// folder above p with an _index.md, or else its top folder; "" for a plain
// page, the home page and a top section. A sub-section's listing is its
// parent's, which shows it among its sections. Listings show these direct
// pages; feeds and the news archives carry every page below them.
func (b *Book) ListingOf(p *Page) string { return listingOf(p, b.subs) }

// Files lists the content files (besides pages) the build publishes, in
// the order NewBook was given them: every one but those withheld by pages
// not published.
func (b *Book) Files() []string { return b.shipped }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// outFile is the file an address is written to: "/news/x/" → "news/x/index.html".
func outFile(u string) string {
	u = strings.TrimPrefix(u, "/")
	if u == "" || strings.HasSuffix(u, "/") {
		return u + "index.html"
	}
	return u
}

// AliasOut is the file a redirect at alias a is written to, or why a
// cannot be an alias.
func AliasOut(a string) (out, problem string) {
	u, err := url.Parse(a)
	if err != nil || u.Path == "" {
		return "", fmt.Sprintf("aliases: %q is not a valid address", a)
	}
	out = strings.TrimPrefix(path.Clean(u.Path), "/")
	if strings.HasSuffix(u.Path, "/") || path.Ext(out) == "" {
		out = path.Join(out, "index.html")
	}
	if out == "index.html" {
		return "", fmt.Sprintf("aliases: %q would replace the home page", a)
	}
	return out, ""
}

// claimURL records the page at address u.
func (b *Book) claimURL(u, who string) bool { return b.claim(outFile(u), who) }

// claim records out as written by who, unless it is taken.
func (b *Book) claim(out, who string) bool {
	if _, ok := b.owner[out]; ok {
		return false
	}
	b.owner[out] = who
	if l := strings.ToLower(out); b.folded[l] == "" {
		b.folded[l] = out
	}
	b.add("/" + out)
	if d, ok := strings.CutSuffix(out, "index.html"); ok && (d == "" || strings.HasSuffix(d, "/")) {
		b.add("/" + d)
	}
	return true
}

// claimFile claims out for who, or returns what already has it: the same
// file, the search index's folder, or a file whose name differs only in
// case, which a server that ignores case (macOS, Windows, some hosts)
// would write over the other.
func (b *Book) claimFile(out, who string) (prev string, ok bool) {
	prev, taken := b.owner[out]
	if l := strings.ToLower(out); !taken && strings.HasPrefix(l, SearchDir) {
		prev, taken = "the search index", true
	} else if o := b.folded[l]; !taken && o != "" {
		prev, taken = fmt.Sprintf("%s (as /%s, which differs only in case)", b.owner[o], o), true
	}
	if taken {
		return prev, false
	}
	return "", b.claim(out, who)
}

func (b *Book) add(u string) {
	if b.urls[u] {
		return
	}
	b.urls[u] = true
	if !strings.HasSuffix(u, "index.html") {
		dir := path.Dir(strings.TrimSuffix(u, "/"))
		b.dirs[dir] = append(b.dirs[dir], u)
	}
}

// paged claims a listing of n items: base, base/page/2/, ..., and the
// redirect at base/page/1/ when there is more than one page.
func (b *Book) paged(base string, n, per int, who string) {
	b.claimURL(base, who)
	if total := (n + per - 1) / per; total > 1 {
		for k := 1; k <= total; k++ {
			b.claimURL(base+"page/"+strconv.Itoa(k)+"/", who)
		}
	}
}

func (b *Book) feeds(dir string) {
	for _, n := range []string{"feed.xml", "atom.xml", "feed.json"} {
		b.claim(strings.TrimPrefix(dir, "/")+n, "the feed "+dir+n)
	}
}

// Errors is what stops the addresses being published: two things at one
// address (a page and a listing, an alias and a page, two aliases, a file
// and a static file, anything under the search index), and aliases that are
// no address. Sorted by file and line.
func (b *Book) Errors() Errors {
	for _, e := range b.errs {
		e.(*Error).Rule = AddressTaken
	}
	return b.errs.Sorted()
}

// Aliases lists the redirect pages to write, page by page in the order
// pages were given.
func (b *Book) Aliases() []Alias { return b.aliases }

// Has reports whether the build writes address p ("/news/x/", "/news/x",
// "/news/x/index.html", "/css/site.css").
func (b *Book) Has(p string) bool {
	return b.urls[p] || b.urls[p+"/"] || b.urls[strings.TrimSuffix(p, "/")]
}

// Owner is who writes the output file name ("news/x/index.html",
// "css/site.css"), as the collision messages name it, or "" when the book
// has no such file; the search index's files are "the search index".
func (b *Book) Owner(name string) string {
	if who := b.owner[name]; who != "" {
		return who
	}
	if strings.HasPrefix(name, SearchDir) {
		return "the search index"
	}
	return ""
}

// Outputs lists every file claimed, sorted (the search index excepted: its
// files are named by the index itself).
func (b *Book) Outputs() []string { return sortedKeys(b.owner) }

// PageAt returns the content page at address p, if any.
func (b *Book) PageAt(p string) *Page {
	for _, c := range []string{p, p + "/", strings.TrimSuffix(p, "index.html")} {
		if pg := b.pages[c]; pg != nil {
			return pg
		}
	}
	return nil
}

// FileURL is where a file in content/ is published: beside its page inside
// a page bundle, else at the same path.
func (b *Book) FileURL(file string) string {
	for d := path.Dir(file); d != "." && d != "/"; d = path.Dir(d) {
		if u, ok := b.bundles[d]; ok {
			return u + strings.TrimPrefix(file, d+"/")
		}
	}
	return "/" + file
}

// Link is where a link or image in a page goes.
type Link struct {
	External string // another site's address, with https for "//" and no fragment
	Path     string // the address on this site, resolved against the page
	Fragment string
	Page     *Page    // the content page at Path (the linking page for "#x"); nil for a file
	Problem  *Problem // why nothing is published there; nil when something is
}

// Problem is what is wrong with a link. Kind is the rule check reports it
// under: BrokenLink, MissingImage or MissingAttachment.
type Problem struct {
	Kind string
	Msg  string // "link to /x/: no page has this address"
	Hint string // what to do; may suggest the nearest address
}

// The kinds of [Problem], and the rule of the book's own [Error]s; each
// is the id of the rule internal/check reports it under.
const (
	BrokenLink        = "broken-link"
	MissingImage      = "missing-image"
	MissingAttachment = "missing-attachment"
	AddressTaken      = "address" // two things at one address, or an alias that is no address
)

// Resolve works out where dest, a link (or with image, an image) in from,
// goes. Relative addresses resolve against from's address, as a browser
// does.
func (b *Book) Resolve(from *Page, dest string, image bool) Link {
	dest = strings.TrimSpace(dest)
	// Most links are plain site addresses: decide without parsing.
	if strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//") && !strings.ContainsAny(dest, "?#%\\ ") && b.Has(dest) {
		return Link{Path: dest, Page: b.PageAt(dest)}
	}
	what := "link to"
	if image {
		what = "image"
	}
	u, err := url.Parse(dest)
	if err != nil {
		return Link{Problem: &Problem{Kind: BrokenLink, Msg: fmt.Sprintf("%s %q: not a valid address", what, dest),
			Hint: "check for spaces or stray characters; write spaces in an address as %20"}}
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "" && strings.HasPrefix(dest, "//"):
		if u.Host == "" {
			return Link{Problem: &Problem{Kind: BrokenLink, Msg: fmt.Sprintf("%s %s: the address has no site name", what, dest),
				Hint: "write the whole address, e.g. https://www.example.org/page"}}
		}
		if u.Scheme == "" {
			u.Scheme = "https"
		}
		frag := u.Fragment
		u.Fragment, u.RawFragment = "", ""
		return Link{External: u.String(), Fragment: frag}
	case u.Scheme != "":
		return Link{} // mailto:, tel:
	case u.Path == "":
		return Link{Page: from, Fragment: u.Fragment}
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir(from.URL()+"x"), p)
		if strings.HasSuffix(u.Path, "/") {
			p += "/"
		}
	}
	if !b.Has(p) {
		kind, msg, hint := b.missing(from, u.Path, p, image)
		return Link{Path: p, Fragment: u.Fragment, Problem: &Problem{Kind: kind, Msg: fmt.Sprintf("%s %s: %s", what, dest, msg), Hint: hint}}
	}
	return Link{Path: p, Fragment: u.Fragment, Page: b.PageAt(p)}
}

// missing explains a link to an address nothing is written at.
func (b *Book) missing(from *Page, raw, p string, image bool) (kind, msg, hint string) {
	ext := strings.ToLower(path.Ext(p))
	if IsPage(p) {
		// A link to the Markdown file rather than the page's address. Try the
		// path as the editor resolves it (from the file) and as the browser
		// does (from the address).
		for _, f := range []string{path.Join(path.Dir(from.File), raw), strings.TrimPrefix(p, "/")} {
			if u, ok := b.files[strings.TrimPrefix(f, "/")]; ok {
				return BrokenLink, "links go to a page's address, not its file", "link to " + u
			}
		}
		return BrokenLink, "no published page comes from this file", "link to the page's address, e.g. /news/flu-clinics/, and check the page is not a draft"
	}
	suggest := func(h string) string {
		if s := b.Suggest(p); s != "" {
			return fmt.Sprintf("did you mean %s? %s", s, h)
		}
		return h
	}
	switch {
	case image:
		return MissingImage, "no image has this address",
			suggest("put the image in content/ (beside the page, in a page bundle) or static/, or fix the name")
	case ext != "" && ext != ".html" && ext != ".htm":
		return MissingAttachment, "no file has this address",
			suggest("put the file beside the page (content/SECTION/PAGE/index.md with the file next to it, listed under attachments:), or fix the name")
	}
	return BrokenLink, "no page has this address",
		suggest("link to the page's current address; if the page moved, give it the old address under aliases:")
}

// Suggest finds the published address nearest to p, an address nothing is
// written at: the same in lower case, else the closest by edit distance in
// the same folder, if any is close enough to be a slip of the keyboard,
// else the one page whose address ends in the same slug. The last is how
// a moved site's links are found again: Jekyll's /2016/04/19/x.html and
// /news/2016/04/19/x/ are /news/x/ here.
func (b *Book) Suggest(p string) string {
	if l := strings.ToLower(p); l != p && b.Has(l) {
		return l
	}
	trimmed := strings.TrimSuffix(p, "/")
	base := path.Base(trimmed)
	best, bestD := "", max(2, len(base)/3)+1
	for _, u := range b.dirs[path.Dir(trimmed)] {
		if d := Distance(base, path.Base(strings.TrimSuffix(u, "/")), bestD); d < bestD {
			best, bestD = u, d
		}
	}
	if best == "" {
		if ext := path.Ext(base); strings.EqualFold(ext, ".html") || strings.EqualFold(ext, ".htm") {
			base = strings.TrimSuffix(base, ext)
		}
		if us := b.slugs[Slugify(base)]; len(us) == 1 {
			best = us[0]
		}
	}
	return best
}

// Distance is the Levenshtein distance between a and b, in characters, or
// limit when it is at least limit (which lets a search for the nearest of
// many stop early). The one edit distance of the module: nearest-address
// suggestions, "did you mean" for front-matter keys and terms, anchors.
func Distance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}
