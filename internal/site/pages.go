package site

import (
	"html/template"
	"sort"
	"strings"
	"time"

	"lmcpress/internal/content"
)

// outPath is the file an address is written to.
func outPath(u string) string {
	return strings.TrimPrefix(u, "/") + "index.html"
}

func feedLinks(dir, title string) *FeedLinks {
	return &FeedLinks{Title: title, RSS: dir + "feed.xml", Atom: dir + "atom.xml", JSON: dir + "feed.json"}
}

func (pl *plan) add(u, tpl string, v *View) {
	v.Site = pl.info
	v.URL = u
	v.Menu, v.MenuKey = pl.menu(u)
	v.Permalink = strings.TrimSuffix(pl.cfg.BaseURL, "/") + u
	if v.Kind == "item" {
		pl.single[v.Item] = len(pl.jobs)
	}
	pl.jobs = append(pl.jobs, job{out: outPath(u), template: tpl, view: v})
}

// menu marks the site menu for the page at u, and names the marking: one
// letter an entry, c for Current, a for Active, - for neither. Pages that
// mark it alike share one slice, so a site has a handful of menus, not one
// a page, and templates can make the header once a marking (partialCached).
func (pl *plan) menu(u string) ([]MenuLink, string) {
	key := make([]byte, len(pl.info.Menu))
	for i, m := range pl.info.Menu {
		switch {
		case m.URL == u:
			key[i] = 'c'
		case m.URL != "/" && strings.HasPrefix(u, m.URL):
			key[i] = 'a'
		default:
			key[i] = '-'
		}
	}
	if out, ok := pl.menus[string(key)]; ok {
		return out, string(key)
	}
	out := make([]MenuLink, len(pl.info.Menu))
	for i, m := range pl.info.Menu {
		out[i] = MenuLink{Label: m.Label, URL: m.URL, Current: key[i] == 'c', Active: key[i] == 'a'}
	}
	if pl.menus == nil {
		pl.menus = map[string][]MenuLink{}
	}
	pl.menus[string(key)] = out
	return out, string(key)
}

// finish fills in what a view could not know when planned: an item page's
// description is its summary, known only once its Markdown is converted.
// The view may be reused by the next build, so it is recomputed each time.
func finish(v *View) {
	if v.Kind == "item" && v.Item != nil {
		v.Description = v.Item.Page.Description
		if v.Description == "" {
			v.Description = v.Item.Summary
		}
	}
}

var homeCrumb = Link{Label: "Home", URL: "/"}

// planPages lays out every HTML page.
func (pl *plan) planPages(homeIntro template.HTML) {
	home := &View{Kind: "home", Title: pl.cfg.Title, Description: pl.cfg.Description, Intro: homeIntro, Feeds: pl.info.Feeds}
	if s := pl.sections["news"]; s != nil {
		home.Latest = firstN(s.all, 5)
	}
	if s := pl.sections["events"]; s != nil {
		for _, it := range s.all {
			if it.Upcoming && len(home.Upcoming) < 3 {
				home.Upcoming = append(home.Upcoming, it)
			}
		}
	}
	if s := pl.sections["newsletters"]; s != nil && len(s.all) > 0 {
		home.LatestIssue = s.all[0]
	}
	pl.add("/", "home.html", home)

	for _, s := range pl.allSections() {
		var archive []*ArchiveYear
		if s.Name == "news" && s.Parent == nil {
			archive = pl.planArchives(s)
		}
		crumbs := crumbsTo(s.Parent)
		calendars := pl.calendarLinks(s)
		pl.paginate(s.URL, s.Items, func(n int) *View {
			return &View{Kind: "section", Title: s.Title, Section: s, Intro: s.Intro, Breadcrumbs: crumbs,
				Archive: archive, Feeds: feedLinks(s.URL, s.Title), Calendars: calendars, Empty: "Nothing has been published here yet."}
		})
		itemCrumbs := crumbsTo(s)
		for _, it := range s.Items {
			pl.add(it.URL, "single.html", &View{Kind: "item", Title: it.Title, Item: it, Section: s,
				Breadcrumbs: itemCrumbs})
		}
	}
	for _, it := range pl.items {
		if it.Page.Section == "" {
			pl.add(it.URL, "single.html", &View{Kind: "item", Title: it.Title, Item: it,
				Breadcrumbs: []Link{homeCrumb}})
		}
	}

	topicsCrumbs := []Link{homeCrumb}
	pl.add("/topics/", "topics.html", &View{Kind: "topics", Title: "Topics", Breadcrumbs: topicsCrumbs,
		Description: "Advice, guidance and news from " + pl.cfg.Title + " by topic."})
	for _, t := range pl.info.Topics {
		t := t
		pl.paginate(t.URL, t.Items, func(n int) *View {
			return &View{Kind: "topic", Title: t.Name, Description: t.Description, Term: t,
				Breadcrumbs: []Link{homeCrumb, {Label: "Topics", URL: "/topics/"}}, Feeds: feedLinks(t.URL, t.Name)}
		})
	}
	pl.add("/search/", "search.html", &View{Kind: "search", Title: "Search", Breadcrumbs: []Link{homeCrumb},
		Description: "Search the advice, guidance, news and newsletters of " + pl.cfg.Title + "."})
	notFound := &View{Site: pl.info, Kind: "404",
		Title: "Page not found", URL: "/404.html", Permalink: strings.TrimSuffix(pl.cfg.BaseURL, "/") + "/404.html"}
	notFound.Menu, notFound.MenuKey = pl.menu("/404.html")
	pl.jobs = append(pl.jobs, job{out: "404.html", template: "404.html", view: notFound})
}

// allSections lists every section: each top section (in the menu's
// order) followed by its sub-sections, depth first.
func (pl *plan) allSections() []*Section {
	var out []*Section
	var walk func(s *Section)
	walk = func(s *Section) {
		out = append(out, s)
		for _, sub := range s.Sections {
			walk(sub)
		}
	}
	for _, s := range pl.info.Sections {
		walk(s)
	}
	return out
}

// crumbsTo is the breadcrumb trail down to s, home first: every section
// above s, then s itself (none for a nil s). A page's trail ends at the
// section it is in, a listing's at the one above it: a trail names the
// page's ancestors, and its own title is its heading, as on GOV.UK.
func crumbsTo(s *Section) []Link {
	n := 1
	for a := s; a != nil; a = a.Parent {
		n++
	}
	out := make([]Link, n)
	out[0] = homeCrumb
	for a := s; a != nil; a = a.Parent {
		n--
		out[n] = Link{Label: a.Title, URL: a.URL}
	}
	return out
}

func firstN(items []*Item, n int) []*Item {
	if len(items) > n {
		return items[:n]
	}
	return items
}

// paginate adds the pages of a listing: base, base/page/2/, ...
func (pl *plan) paginate(base string, items []*Item, mk func(n int) *View) {
	per := pl.cfg.Paginate
	total := (len(items) + per - 1) / per
	if total == 0 {
		total = 1
	}
	pageURL := func(n int) string {
		if n == 1 {
			return base
		}
		return base + "page/" + itoa(n) + "/"
	}
	for n := 1; n <= total; n++ {
		v := mk(n)
		lo, hi := (n-1)*per, min(n*per, len(items))
		v.List = items[lo:hi]
		if total > 1 {
			v.Pager = pager(n, total, pageURL)
			v.Title += " (page " + itoa(n) + " of " + itoa(total) + ")"
		}
		pl.add(pageURL(n), "list.html", v)
	}
	if total > 1 {
		// Hugo writes /page/1/ as a redirect to the first page; so do we, so
		// hand-made links to it keep working.
		pl.aliases = append(pl.aliases, job{out: outPath(base + "page/1/"), template: "alias.html", view: &View{
			Site: pl.info, Kind: "alias", Title: mk(1).Title, URL: base,
			Permalink: strings.TrimSuffix(pl.cfg.BaseURL, "/") + base, Target: strings.TrimSuffix(pl.cfg.BaseURL, "/") + base}})
	}
}

// pager builds the GOV.UK pattern: first, last, and two either side of the
// current page, with ellipses between.
func pager(n, total int, url func(int) string) *Pager {
	p := &Pager{Number: n, Total: total}
	if n > 1 {
		p.Prev = url(n - 1)
	}
	if n < total {
		p.Next = url(n + 1)
	}
	gap := false
	for i := 1; i <= total; i++ {
		if i == 1 || i == total || (i >= n-2 && i <= n+2) {
			p.Links = append(p.Links, PagerLink{Number: i, URL: url(i), Current: i == n})
			gap = false
		} else if !gap {
			p.Links = append(p.Links, PagerLink{Ellipsis: true})
			gap = true
		}
	}
	return p
}

// planArchives adds /news/YYYY/ and /news/YYYY/MM/ listings.
func (pl *plan) planArchives(s *Section) []*ArchiveYear {
	type key struct {
		y int
		m time.Month
	}
	byYear := map[int][]*Item{}
	byMonth := map[key][]*Item{}
	for _, it := range s.all {
		y, m, _ := it.Date.In(content.London).Date()
		byYear[y] = append(byYear[y], it)
		byMonth[key{y, m}] = append(byMonth[key{y, m}], it)
	}
	var years []*ArchiveYear
	for y := range byYear {
		years = append(years, &ArchiveYear{Year: y, URL: s.URL + itoa(y) + "/", Count: len(byYear[y])})
	}
	sort.Slice(years, func(i, j int) bool { return years[i].Year > years[j].Year })
	for _, ay := range years {
		for m := time.December; m >= time.January; m-- {
			items := byMonth[key{ay.Year, m}]
			if len(items) == 0 {
				continue
			}
			am := &ArchiveMonth{Label: m.String() + " " + itoa(ay.Year), Month: m, URL: ay.URL + twoDigits(int(m)) + "/", Count: len(items)}
			ay.Months = append(ay.Months, am)
		}
	}
	for _, ay := range years {
		ay := ay
		pl.paginate(ay.URL, byYear[ay.Year], func(n int) *View {
			v := &View{Kind: "archive", Title: s.Title + " from " + itoa(ay.Year), Section: s, Archive: years,
				Breadcrumbs: []Link{homeCrumb, {Label: s.Title, URL: s.URL}}, Empty: "No news that year."}
			if n == 1 {
				v.ArchiveKey = ay.URL
			}
			return v
		})
		for _, am := range ay.Months {
			am := am
			pl.paginate(am.URL, byMonth[key{ay.Year, am.Month}], func(n int) *View {
				return &View{Kind: "archive", Title: s.Title + " from " + am.Label, Section: s, Archive: years,
					Breadcrumbs: []Link{homeCrumb, {Label: s.Title, URL: s.URL}, {Label: itoa(ay.Year), URL: ay.URL}}, Empty: "No news that month."}
			})
		}
	}
	return years
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

// announced reports whether an item may be in a feed at the build's clock.
// Only an event can be announced later than now while published: one in
// the older form, whose `date` is its start, and which says nothing of
// when it was announced; it joins the feeds once that date has passed.
func (pl *plan) announced(it *Item) bool {
	return it.Page.Event == nil || !it.Announced.After(pl.now)
}

// announcedEvents is items less the events not yet announced (announced),
// items itself when there is none.
func (pl *plan) announcedEvents(items []*Item) []*Item {
	for i, it := range items {
		if !pl.announced(it) {
			out := append([]*Item(nil), items[:i]...)
			for _, it := range items[i+1:] {
				if pl.announced(it) {
					out = append(out, it)
				}
			}
			return out
		}
	}
	return items
}

// planFeeds lays out the site, section and topic feeds.
func (pl *plan) planFeeds() {
	// Feeds carry what was announced, dated when it was (Item.Announced):
	// an event is news the day it is announced, not the day it happens.
	var all []*Item
	for _, it := range pl.items {
		if it.Page.Section != "" && pl.announced(it) {
			all = append(all, it)
		}
	}
	pl.feeds = append(pl.feeds, feedJob{dir: "/", title: pl.cfg.Title, desc: pl.cfg.Description, link: "/", items: all})
	for _, s := range pl.allSections() {
		items := s.all // a section's feed carries its sub-sections' pages too
		if s.Name == "events" {
			items = append([]*Item(nil), pl.announcedEvents(items)...)
			sort.SliceStable(items, func(i, j int) bool { return newer(items[i], items[j]) })
		}
		pl.feeds = append(pl.feeds, feedJob{dir: s.URL, title: s.Title + " – " + pl.cfg.Title, desc: s.Title + " from " + pl.cfg.Title, link: s.URL, items: items})
	}
	for _, t := range pl.info.Topics {
		desc := t.Description
		if desc == "" {
			desc = t.Name + " from " + pl.cfg.Title
		}
		pl.feeds = append(pl.feeds, feedJob{dir: t.URL, title: t.Name + " – " + pl.cfg.Title, desc: desc, link: t.URL, items: pl.announcedEvents(t.Items)})
	}
	for _, fj := range pl.feeds {
		for _, it := range firstN(fj.items, pl.cfg.Feeds.Limit) {
			it.inFeed = true
		}
	}
}
