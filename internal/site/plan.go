package site

import (
	"fmt"
	"html/template"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"lmcpress/internal/content"
)

// plan is the whole site before rendering: every output page and its data.
type plan struct {
	cfg        *content.Config
	info       *Info
	items      []*Item
	byURL      map[string]*Item
	sections   map[string]*Section
	topics     map[string]*Term
	jobs       []job      // HTML pages to render
	feeds      []feedJob  // feed folders
	files      []fileCopy // content files to copy
	aliases    []job
	urls       map[string]bool   // every address the build writes, for link checks
	bundles    map[string]string // page bundle folder → its page's address
	single     map[*Item]int     // item → index of its page in jobs
	staticURLs map[string]bool
	sitemapXML []byte                // made once a plan
	menus      map[string][]MenuLink // by marking; see menu
	now        time.Time
}

type job struct {
	out      string // output file path
	template string
	view     *View
}

type fileCopy struct {
	src, out string
}

type feedJob struct {
	dir   string // site-relative folder, "/" or "/news/"
	title string
	desc  string
	link  string // HTML page the feed follows, site-relative
	items []*Item
}

// sectionOrder puts the known sections first, in the order readers expect.
var sectionOrder = []string{"advice", "guidance", "news", "newsletters", "events"}

func newPlan(cfg *content.Config, items []*Item, sectionPages map[string]*content.Page, intros map[string]template.HTML, homeIntro template.HTML, files []string, v content.Visibility) (*plan, error) {
	pl := &plan{
		cfg:      cfg,
		items:    items,
		byURL:    map[string]*Item{},
		sections: map[string]*Section{},
		topics:   map[string]*Term{},
		urls:     map[string]bool{},
		bundles:  map[string]string{},
		single:   map[*Item]int{},
		now:      v.Now,
	}
	// Items may come from an earlier build (Builder): clear what the plan derives.
	for _, it := range items {
		it.Topics, it.Areas, it.Attachments, it.Issue, it.Section, it.inFeed = nil, nil, nil, nil, nil, false
	}
	sort.SliceStable(items, func(i, j int) bool { return newer(items[i], items[j]) })
	pl.info = &Info{
		Title:        cfg.Title,
		BaseURL:      cfg.BaseURL,
		Language:     cfg.Language,
		Description:  cfg.Description,
		Organisation: cfg.Organisation,
		Menu:         cfg.Menu,
		Feeds:        feedLinks("/", cfg.Title),
	}
	var errs content.Errors

	// Sections and terms.
	for name, p := range sectionPages {
		pl.section(name).page = p
		pl.section(name).Title = p.Title
		pl.section(name).Intro = intros[name]
	}
	knownTopics := termIndex(cfg.Topics)
	knownAreas := termIndex(cfg.Areas)
	areas := map[string]*Term{}
	for _, it := range items {
		if it.Page.Bundle {
			pl.bundles[path.Dir(it.Page.File)] = it.URL
		}
	}
	for _, it := range items {
		pl.byURL[it.URL] = it
		if it.Date.Year() > pl.info.Year {
			pl.info.Year = it.Date.Year()
		}
		if it.Page.Section != "" {
			s := pl.section(it.Page.Section)
			it.Section = s
			it.SectionLabel = ""
			if s.Name != "news" {
				it.SectionLabel = s.Title
			}
			s.Items = append(s.Items, it)
		}
		for _, name := range it.Page.Topics {
			t := pl.term(pl.topics, knownTopics, name, "/topics/")
			if len(t.Items) == 0 || t.Items[len(t.Items)-1] != it {
				t.Items = append(t.Items, it)
				it.Topics = append(it.Topics, t)
			}
		}
		for _, name := range it.Page.Areas {
			t := pl.term(areas, knownAreas, name, "")
			t.Items = append(t.Items, it)
			it.Areas = append(it.Areas, t)
		}
		for _, a := range it.Page.Attachments {
			u := pl.fileURL(it.Page, a.File)
			it.Attachments = append(it.Attachments, File{URL: u, Title: a.Title, Type: content.FileType(a.File), Size: content.HumanSize(a.Size)})
		}
	}
	pl.info.Topics = sortedTerms(pl.topics)
	pl.info.Areas = sortedTerms(areas)
	names := make([]string, 0, len(pl.sections))
	for n := range pl.sections {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		return sectionRank(names[i]) < sectionRank(names[j]) || sectionRank(names[i]) == sectionRank(names[j]) && names[i] < names[j]
	})
	for _, n := range names {
		pl.info.Sections = append(pl.info.Sections, pl.sections[n])
	}
	if len(pl.info.Menu) == 0 {
		// No menu in site.yaml: offer every section, then the topics.
		for _, s := range pl.info.Sections {
			pl.info.Menu = append(pl.info.Menu, content.MenuItem{Label: s.Title, URL: s.URL})
		}
		pl.info.Menu = append(pl.info.Menu, content.MenuItem{Label: "Topics", URL: "/topics/"})
	}
	if s := pl.sections["events"]; s != nil {
		sortEvents(s.Items)
	}

	// Newsletter issues gather their month's news and changed advice.
	if s := pl.sections["newsletters"]; s != nil {
		byMonth := map[int][]*Item{} // year*12+month → items, newest first
		for _, it := range pl.items {
			switch it.Page.Section {
			case "news", "advice", "guidance":
				// News of the month, and advice first published or changed
				// with a note that month.
				y, m, _ := it.Announced.In(content.London).Date()
				byMonth[y*12+int(m)] = append(byMonth[y*12+int(m)], it)
			}
		}
		for _, it := range s.Items {
			errs = append(errs, pl.gather(it, byMonth)...)
		}
	}

	// Files in content/ other than Markdown ship at the same path; a bundle's
	// files ship beside its page.
	for _, f := range files {
		out := strings.TrimPrefix(pl.fileURL(nil, f), "/")
		pl.files = append(pl.files, fileCopy{src: f, out: out})
	}

	pl.planPages(homeIntro)
	pl.planFeeds()
	errs = append(errs, pl.planAliases()...)
	errs = append(errs, pl.claimURLs()...)
	if len(errs) > 0 {
		return nil, errs.Sorted()
	}
	return pl, nil
}

// newer orders items newest first by the date they were last announced,
// then by address so equal dates keep a stable order.
func newer(a, b *Item) bool {
	if !a.Announced.Equal(b.Announced) {
		return a.Announced.After(b.Announced)
	}
	return a.URL < b.URL
}

// sortEvents lists events to come soonest first, then past ones newest first.
func sortEvents(items []*Item) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Upcoming != b.Upcoming {
			return a.Upcoming
		}
		if a.Upcoming {
			return a.Date.Before(b.Date) || a.Date.Equal(b.Date) && a.URL < b.URL
		}
		return a.Date.After(b.Date) || a.Date.Equal(b.Date) && a.URL < b.URL
	})
}

func sectionRank(name string) int {
	for i, s := range sectionOrder {
		if s == name {
			return i
		}
	}
	return len(sectionOrder)
}

func (pl *plan) section(name string) *Section {
	s := pl.sections[name]
	if s == nil {
		title := name
		if title != "" {
			title = strings.ToUpper(title[:1]) + title[1:]
		}
		s = &Section{Name: name, Title: title, URL: "/" + name + "/"}
		pl.sections[name] = s
	}
	return s
}

func termIndex(list []content.Term) map[string]content.Term {
	m := map[string]content.Term{}
	for _, t := range list {
		m[content.Slugify(t.Name)] = t
	}
	return m
}

// term finds or makes a term. A known term keeps site.yaml's spelling; a free
// term keeps the spelling of the first page (newest first) that used it.
func (pl *plan) term(m map[string]*Term, known map[string]content.Term, name, base string) *Term {
	slug := content.Slugify(name)
	t := m[slug]
	if t == nil {
		t = &Term{Slug: slug, Name: name}
		if k, ok := known[slug]; ok {
			t.Name, t.Description = k.Name, k.Description
		}
		if base != "" {
			t.URL = base + slug + "/"
		}
		m[slug] = t
	}
	return t
}

func sortedTerms(m map[string]*Term) []*Term {
	out := make([]*Term, 0, len(m))
	for _, t := range m {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name)
		return a < b || a == b && out[i].Slug < out[j].Slug
	})
	return out
}

// fileURL maps a content file to its address. Inside a page bundle the
// folder maps to the page's address; elsewhere the path is kept.
func (pl *plan) fileURL(_ *content.Page, file string) string {
	dir := path.Dir(file)
	for d := dir; d != "." && d != "/"; d = path.Dir(d) {
		if it, ok := pl.bundleAt(d); ok {
			rest := strings.TrimPrefix(file, d+"/")
			return it + rest
		}
	}
	return "/" + file
}

// bundleAt reports the address of the page bundle whose folder is dir.
func (pl *plan) bundleAt(dir string) (string, bool) {
	u, ok := pl.bundles[dir]
	return u, ok
}

// gather fills a newsletter issue with its items.
func (pl *plan) gather(issue *Item, byMonth map[int][]*Item) content.Errors {
	var errs content.Errors
	if len(issue.Page.Items) > 0 {
		for _, ref := range issue.Page.Items {
			u := "/" + strings.Trim(strings.TrimSuffix(strings.TrimSpace(ref), ".md"), "/") + "/"
			it, ok := pl.byURL[strings.ToLower(u)]
			if !ok {
				errs = append(errs, errorf(issue.Page, issue.Page.Lines["items"], "items: %q is not a published page: give its path in content/ without .md, e.g. news/flu-clinics", ref))
				continue
			}
			issue.Issue = append(issue.Issue, it)
		}
		return errs
	}
	y, m, _ := issue.Date.In(content.London).Date()
	issue.Issue = append([]*Item(nil), byMonth[y*12+int(m)]...)
	// Oldest first reads as the month's story.
	sort.SliceStable(issue.Issue, func(i, j int) bool { return issue.Issue[i].Announced.Before(issue.Issue[j].Announced) })
	return errs
}

// planAliases adds a redirect page at each old address.
func (pl *plan) planAliases() content.Errors {
	var errs content.Errors
	for _, it := range pl.items {
		for _, a := range it.Page.Aliases {
			u, err := url.Parse(a)
			if err != nil || u.Path == "" {
				errs = append(errs, errorf(it.Page, it.Page.Lines["aliases"], "aliases: %q is not a valid address", a))
				continue
			}
			out := strings.TrimPrefix(path.Clean(u.Path), "/")
			if strings.HasSuffix(u.Path, "/") || path.Ext(out) == "" {
				out = path.Join(out, "index.html")
			}
			if out == "index.html" {
				errs = append(errs, errorf(it.Page, it.Page.Lines["aliases"], "aliases: %q would replace the home page", a))
				continue
			}
			pl.aliases = append(pl.aliases, job{out: out, template: "alias.html", view: &View{
				Site: pl.info, Kind: "alias", Title: it.Title, URL: it.URL, Permalink: it.Permalink, Target: it.Permalink, Item: it,
			}})
		}
	}
	return errs
}

// claimURLs records every output and reports two things at one address.
func (pl *plan) claimURLs() content.Errors {
	var errs content.Errors
	owner := map[string]string{}
	claim := func(out, who string) {
		if prev, ok := owner[out]; ok {
			errs = append(errs, &content.Error{File: who, Msg: fmt.Sprintf("/%s is also written by %s: change one address (slug or alias)", out, prev)})
			return
		}
		owner[out] = who
		pl.urls["/"+out] = true
		if strings.HasSuffix(out, "/index.html") || out == "index.html" {
			pl.urls["/"+strings.TrimSuffix(out, "index.html")] = true
		}
	}
	for _, j := range pl.jobs {
		who := "the " + j.view.Kind + " page " + j.view.URL
		if j.view.Item != nil {
			who = "content/" + j.view.Item.Page.File
		}
		claim(j.out, who)
	}
	for _, j := range pl.aliases {
		who := "the redirect to " + j.view.URL
		if j.view.Item != nil {
			who = "content/" + j.view.Item.Page.File + " (aliases)"
		}
		claim(j.out, who)
	}
	for _, f := range pl.files {
		claim(f.out, "content/"+f.src)
	}
	for _, f := range pl.feeds {
		d := strings.TrimPrefix(f.dir, "/")
		for _, n := range []string{"feed.xml", "atom.xml", "feed.json"} {
			claim(d+n, "the feed "+f.dir)
		}
	}
	for _, n := range []string{"sitemap.xml", "robots.txt"} {
		claim(n, "lmcpress")
	}
	return errs
}

// checkLinks reports links and images to addresses the build does not write.
func (pl *plan) checkLinks(items []*Item) content.Errors {
	var errs content.Errors
	for _, it := range items {
		errs = append(errs, pl.itemLinks(it)...)
	}
	return errs
}

// itemLinks reports one item's broken links and images; safe from several
// goroutines.
func (pl *plan) itemLinks(it *Item) content.Errors {
	var errs content.Errors
	for _, l := range it.doc.links {
		if msg := pl.brokenLink(it, l.Dest); msg != "" {
			errs = append(errs, errorf(it.Page, it.Page.BodyLine+l.Line-1, "%s", msg))
		}
	}
	for _, l := range it.doc.images {
		if msg := pl.brokenLink(it, l.Dest); msg != "" {
			errs = append(errs, errorf(it.Page, it.Page.BodyLine+l.Line-1, "image %s", msg))
		}
	}
	return errs
}

func (pl *plan) brokenLink(it *Item, dest string) string {
	// Most links are plain site addresses or outside addresses: decide
	// without parsing.
	if strings.HasPrefix(dest, "https://") || strings.HasPrefix(dest, "http://") || strings.HasPrefix(dest, "mailto:") {
		return ""
	}
	if strings.HasPrefix(dest, "/") && !strings.HasPrefix(dest, "//") && !strings.ContainsAny(dest, "?#%\\ ") && (pl.urls[dest] || pl.urls[dest+"/"]) {
		return ""
	}
	u, err := url.Parse(dest)
	if err != nil {
		return fmt.Sprintf("link %q is not a valid address: %v", dest, err)
	}
	if u.Scheme != "" || u.Host != "" || strings.HasPrefix(dest, "//") || u.Path == "" {
		return "" // external, mail, or a fragment on this page
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") {
		p = path.Join(path.Dir(it.URL+"x"), p)
		if strings.HasSuffix(u.Path, "/") {
			p += "/"
		}
	}
	if pl.urls[p] || pl.urls[p+"/"] || pl.urls[strings.TrimSuffix(p, "/")] {
		return ""
	}
	if pl.static(p) {
		return ""
	}
	hint := "check the address, or link to the page's current address"
	if s := pl.suggest(p); s != "" {
		hint = fmt.Sprintf("did you mean %s?", s)
	}
	return fmt.Sprintf("link to %s: no page or file has this address; %s", dest, hint)
}

// static reports whether p is one of the theme's static files.
func (pl *plan) static(p string) bool { return pl.staticURLs[p] }

// suggest finds a published address in the same folder that is close.
func (pl *plan) suggest(p string) string {
	dir := path.Dir(strings.TrimSuffix(p, "/"))
	best, bestScore := "", 0
	base := path.Base(strings.TrimSuffix(p, "/"))
	for u := range pl.byURL {
		if path.Dir(strings.TrimSuffix(u, "/")) != dir {
			continue
		}
		score := commonPrefix(base, path.Base(strings.TrimSuffix(u, "/")))
		if score > bestScore || score == bestScore && u < best {
			best, bestScore = u, score
		}
	}
	if bestScore < 4 {
		return ""
	}
	return best
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func itoa(n int) string { return strconv.Itoa(n) }
