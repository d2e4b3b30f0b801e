package check

import (
	"bytes"
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
)

// index is every address the build writes, worked out from the content as
// internal/site's plan does (see its doc.go): pages, section listings and
// their pages, /topics/ and each topic, news archives by year and month,
// feeds at the root and in each section and topic folder, aliases, files in
// content/ (a page bundle's beside its page), the theme's static files,
// /sitemap.xml, /robots.txt, /404.html and /search/.
type index struct {
	urls     map[string]bool
	pages    map[string]*pageCheck // content pages by address, for anchors
	files    map[string]string     // content file (news/x.md) → its page's address
	themeIDs map[string]bool       // ids every page has, from the templates
	dirs     map[string][]string   // folder address → the addresses in it, for suggestions
}

func newIndex(cfg *content.Config, checks []*pageCheck, files []string, static, templates fs.FS) *index {
	x := &index{urls: map[string]bool{}, pages: map[string]*pageCheck{}, files: map[string]string{}, dirs: map[string][]string{}}
	per := 20
	if cfg != nil && cfg.Paginate > 0 {
		per = cfg.Paginate
	}
	add := func(u string) {
		if x.urls[u] {
			return
		}
		x.urls[u] = true
		if strings.HasSuffix(u, "/") {
			x.urls[u+"index.html"] = true
		}
		dir := path.Dir(strings.TrimSuffix(u, "/"))
		x.dirs[dir] = append(x.dirs[dir], u)
	}
	feeds := func(dir string) {
		add(dir + "feed.xml")
		add(dir + "atom.xml")
		add(dir + "feed.json")
	}
	paged := func(base string, n int) {
		add(base)
		if total := (n + per - 1) / per; total > 1 {
			for k := 1; k <= total; k++ { // page/1/ redirects to base
				add(fmt.Sprintf("%spage/%d/", base, k))
			}
		}
	}
	for _, u := range []string{"/", "/404.html", "/sitemap.xml", "/robots.txt", "/search/", "/topics/"} {
		add(u)
	}
	feeds("/")

	sections := map[string]int{}
	topics := map[string]int{}
	type month struct {
		y int
		m time.Month
	}
	years, months := map[int]int{}, map[month]int{}
	bundles := map[string]string{}
	for _, pc := range checks {
		p := pc.page
		switch {
		case p.Kind == content.KindHome:
			x.pages["/"] = pc
			continue
		case p.Kind == content.KindSection:
			sections[p.Section] += 0
			x.pages[p.URL()] = pc
			continue
		case !pc.published:
			continue
		}
		u := p.URL()
		add(u)
		x.pages[u] = pc
		x.files[p.File] = u
		if p.Bundle {
			bundles[path.Dir(p.File)] = u
		}
		if p.Section != "" {
			sections[p.Section]++
		}
		seen := map[string]bool{}
		for _, t := range p.Topics {
			if slug := content.Slugify(t); !seen[slug] {
				seen[slug] = true
				topics[slug]++
			}
		}
		if p.Section == "news" {
			y, m, _ := p.Date.In(content.London).Date()
			years[y]++
			months[month{y, m}]++
		}
		for _, a := range p.Aliases {
			au, err := url.Parse(a)
			if err != nil || au.Path == "" {
				continue
			}
			out := strings.TrimPrefix(path.Clean(au.Path), "/")
			if strings.HasSuffix(au.Path, "/") || path.Ext(out) == "" {
				out = path.Join(out, "index.html")
			}
			add("/" + out)
			if d, ok := strings.CutSuffix(out, "index.html"); ok {
				add("/" + d)
			}
		}
	}
	for s, n := range sections {
		paged("/"+s+"/", n)
		feeds("/" + s + "/")
	}
	for t, n := range topics {
		paged("/topics/"+t+"/", n)
		feeds("/topics/" + t + "/")
	}
	for y, n := range years {
		paged(fmt.Sprintf("/news/%d/", y), n)
	}
	for m, n := range months {
		paged(fmt.Sprintf("/news/%d/%02d/", m.y, m.m), n)
	}
	for _, f := range files {
		add(fileURL(f, bundles))
	}
	if static != nil {
		_ = fs.WalkDir(static, ".", func(name string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				add("/" + name)
			}
			return nil
		})
	}
	x.themeIDs = templateIDs(templates)
	for _, us := range x.dirs {
		sort.Strings(us)
	}
	return x
}

// fileURL is where a file in content/ is published: beside its page inside
// a page bundle, else at the same path.
func fileURL(file string, bundles map[string]string) string {
	for d := path.Dir(file); d != "." && d != "/"; d = path.Dir(d) {
		if u, ok := bundles[d]; ok {
			return u + strings.TrimPrefix(file, d+"/")
		}
	}
	return "/" + file
}

var templateIDRe = regexp.MustCompile(`\bid="([A-Za-z][A-Za-z0-9_:.-]*)"`)

// templateIDs collects the literal ids in the theme's templates.
func templateIDs(templates fs.FS) map[string]bool {
	ids := map[string]bool{}
	if templates == nil {
		return ids
	}
	_ = fs.WalkDir(templates, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if data, err := fs.ReadFile(templates, name); err == nil {
			for _, m := range templateIDRe.FindAllSubmatch(data, -1) {
				ids[string(m[1])] = true
			}
		}
		return nil
	})
	return ids
}

// htmlIDs collects the id attributes of a page's converted HTML: heading
// ids, footnotes, and ids in raw HTML where the site allows it.
func htmlIDs(h []byte) map[string]bool {
	ids := map[string]bool{}
	for off := 0; ; {
		i := bytes.Index(h[off:], []byte(` id="`))
		if i < 0 {
			return ids
		}
		s := off + i + len(` id="`)
		e := bytes.IndexByte(h[s:], '"')
		if e < 0 {
			return ids
		}
		id := string(h[s : s+e])
		if strings.IndexByte(id, '&') >= 0 {
			id = html.UnescapeString(id)
		}
		ids[id] = true
		off = s + e
	}
}

// has reports whether the build writes address p.
func (x *index) has(p string) bool {
	return x.urls[p] || x.urls[p+"/"] || x.urls[strings.TrimSuffix(p, "/")]
}

// page finds the content page at address p.
func (x *index) page(p string) *pageCheck {
	for _, c := range []string{p, p + "/", strings.TrimSuffix(p, "index.html")} {
		if pc := x.pages[c]; pc != nil {
			return pc
		}
	}
	return nil
}

// extUse is one link to an external address.
type extUse struct {
	url string
	pos Position
	pc  *pageCheck
}

// checkLinks checks a published page's links and images.
func (x *index) checkLinks(pc *pageCheck, ext map[string]*ExternalLink, uses []extUse) []extUse {
	for _, r := range pc.links {
		uses = x.checkRef(pc, r, false, ext, uses)
	}
	for _, r := range pc.images {
		uses = x.checkRef(pc, r, true, ext, uses)
	}
	return uses
}

func (x *index) checkRef(pc *pageCheck, r markdown.Ref, image bool, ext map[string]*ExternalLink, uses []extUse) []extUse {
	s := pc.sheet
	dest := strings.TrimSpace(r.Dest)
	line := s.fileLine(r.Line)
	col := s.col(line, dest, r.Text)
	what := "link to"
	if image {
		what = "image"
	}
	report := func(rule, msg, hint string) {
		s.add(Finding{File: s.file, Line: line, Column: col, Severity: Error, Rule: rule, Message: msg, Hint: hint})
	}
	u, err := url.Parse(dest)
	if err != nil {
		report(RuleBrokenLink, fmt.Sprintf("%s %q: not a valid address", what, dest), "check for spaces or stray characters; write spaces in an address as %20")
		return uses
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "" && strings.HasPrefix(dest, "//"):
		if u.Host == "" {
			report(RuleBrokenLink, fmt.Sprintf("%s %s: the address has no site name", what, dest), "write the whole address, e.g. https://www.example.org/page")
			return uses
		}
		if u.Scheme == "" {
			u.Scheme = "https"
		}
		u.Fragment, u.RawFragment = "", ""
		key := u.String()
		e := ext[key]
		if e == nil {
			e = &ExternalLink{URL: key}
			ext[key] = e
		}
		pos := Position{File: s.file, Line: line, Column: col}
		e.Links = append(e.Links, pos)
		return append(uses, extUse{url: key, pos: pos, pc: pc})
	case u.Scheme != "":
		return uses // mailto:, tel:
	case u.Path == "" && u.Fragment == "":
		return uses
	}
	target := pc
	if u.Path != "" {
		p := u.Path
		if !strings.HasPrefix(p, "/") {
			p = path.Join(path.Dir(pc.page.URL()+"x"), p)
			if strings.HasSuffix(u.Path, "/") {
				p += "/"
			}
		}
		if !x.has(p) {
			rule, msg, hint := x.missing(pc, u.Path, p, image)
			report(rule, fmt.Sprintf("%s %s: %s", what, dest, msg), hint)
			return uses
		}
		target = x.page(p)
	}
	if u.Fragment != "" && target != nil && target.ids != nil && !target.ids[u.Fragment] && !x.themeIDs[u.Fragment] {
		where := "this page has"
		if target != pc {
			where = "content/" + target.page.File + " has"
		}
		report(RuleBrokenAnchor, fmt.Sprintf("%s %s: %s no heading or anchor #%s", what, dest, where, u.Fragment), anchorHint(target, u.Fragment))
	}
	return uses
}

// missing explains a link to an address nothing is written at.
func (x *index) missing(pc *pageCheck, raw, p string, image bool) (rule, msg, hint string) {
	ext := strings.ToLower(path.Ext(p))
	if ext == ".md" {
		// A link to the Markdown file rather than the page's address. Try the
		// path as the editor resolves it (from the file) and as the browser
		// does (from the address).
		for _, f := range []string{path.Join(path.Dir(pc.page.File), raw), strings.TrimPrefix(p, "/")} {
			if u, ok := x.files[strings.TrimPrefix(f, "/")]; ok {
				return RuleBrokenLink, "links go to a page's address, not its file", "link to " + u
			}
		}
		return RuleBrokenLink, "no published page comes from this file", "link to the page's address, e.g. /news/flu-clinics/, and check the page is not a draft"
	}
	suggest := func(h string) string {
		if s := x.suggest(p); s != "" {
			return fmt.Sprintf("did you mean %s? %s", s, h)
		}
		return h
	}
	switch {
	case image:
		return RuleMissingImage, "no image has this address",
			suggest("put the image in content/ (beside the page, in a page bundle) or static/, or fix the name")
	case ext != "" && ext != ".html" && ext != ".htm":
		return RuleMissingFile, "no file has this address",
			suggest("put the file beside the page (content/SECTION/PAGE/index.md with the file next to it, listed under attachments:), or fix the name")
	}
	return RuleBrokenLink, "no page has this address",
		suggest("link to the page's current address; if the page moved, give it the old address under aliases:")
}

// suggest finds a published address close to p: the same in lower case, or
// the nearest in the same folder.
func (x *index) suggest(p string) string {
	if l := strings.ToLower(p); l != p && x.has(l) {
		return l
	}
	trimmed := strings.TrimSuffix(p, "/")
	base := path.Base(trimmed)
	best, bestD := "", max(2, len(base)/3)+1
	for _, u := range x.dirs[path.Dir(trimmed)] {
		if strings.HasSuffix(u, "index.html") {
			continue
		}
		if d := distance(base, path.Base(strings.TrimSuffix(u, "/")), bestD); d < bestD {
			best, bestD = u, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, or limit when it
// is at least limit.
func distance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
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
	return min(prev[len(b)], limit)
}

// anchorHint lists the target's heading ids, nearest first.
func anchorHint(target *pageCheck, frag string) string {
	var ids []string
	for id := range target.ids {
		if !strings.HasPrefix(id, "fn") {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return "the page has no headings to link to: link to the page itself"
	}
	sort.Slice(ids, func(i, j int) bool {
		di, dj := distance(frag, ids[i], 1<<20), distance(frag, ids[j], 1<<20)
		return di < dj || di == dj && ids[i] < ids[j]
	})
	if len(ids) > 5 {
		ids = ids[:5]
	}
	return "anchors there include #" + strings.Join(ids, ", #")
}
