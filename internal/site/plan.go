package site

import (
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
)

// plan is the whole site before rendering: every output page and its data.
type plan struct {
	cfg        *content.Config
	info       *Info
	items      []*Item
	byURL      map[string]*Item
	sections   map[string]*Section // by address folder: "news", "guidance/rpkg"
	topics     map[string]*Term
	jobs       []job      // HTML pages to render
	feeds      []feedJob  // feed folders
	files      []fileCopy // content files to copy
	aliases    []job
	book       *content.Book // every address the build writes; see content.NewBook
	single     map[*Item]int // item → index of its page in jobs
	checkLinks func(p *content.Page, links, images []markdown.Ref, book *content.Book) []error
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

// planSite is the plan stage: it lays out the whole site from the published
// items (fresh ones each build: the plan fills in what it derives for them,
// such as their topics, section and a newsletter's items), the converted
// text of the home and section pages, the files to copy and the book of
// addresses the load stage made.
func planSite(o *Options, src *source, pub *published) (*plan, error) {
	sectionPages := map[string]*content.Page{}
	intros := map[string]template.HTML{}
	for name, it := range pub.sections {
		sectionPages[name] = it.Page
		intros[name] = it.Content
	}
	var homeIntro template.HTML
	if pub.home != nil {
		homeIntro = pub.home.Content
	}
	pl, err := newPlan(o.Config, pub.items, sectionPages, intros, homeIntro, o.Visibility, src.book)
	if err != nil {
		return nil, err
	}
	pl.checkLinks = o.CheckLinks
	return pl, nil
}

// newPlan lays out the site. The book holds the addresses (made from the
// same pages by content.NewBook, its collisions already reported): the
// plan takes file and alias addresses from it, and checks links against it.
func newPlan(cfg *content.Config, items []*Item, sectionPages map[string]*content.Page, intros map[string]template.HTML, homeIntro template.HTML, v content.Visibility, book *content.Book) (*plan, error) {
	pl := &plan{
		cfg:      cfg,
		items:    items,
		byURL:    map[string]*Item{},
		sections: map[string]*Section{},
		topics:   map[string]*Term{},
		book:     book,
		single:   map[*Item]int{},
		now:      v.Now,
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
		Signup:       cfg.Newsletter.Signup,
	}
	for _, a := range cfg.Areas {
		pl.info.SignupAreas = append(pl.info.SignupAreas, a.Name)
	}
	var errs content.Errors

	// Sections and terms. A sub-section hangs below the section whose
	// listing shows it (content.Book.ListingOf), and its pages count in
	// every section above it (Section.all).
	for name, p := range sectionPages {
		s := pl.section(name)
		s.page, s.Title, s.Description, s.Intro = p, p.Title, p.Description, intros[name]
		if strings.Contains(name, "/") {
			s.Parent = pl.section(book.ListingOf(p))
			s.Parent.Sections = append(s.Parent.Sections, s)
		}
	}
	knownTopics := termIndex(cfg.Topics)
	knownAreas := termIndex(cfg.Areas)
	areas := map[string]*Term{}
	for _, it := range items {
		pl.byURL[it.URL] = it
		if it.Date.Year() > pl.info.Year {
			pl.info.Year = it.Date.Year()
		}
		if it.Page.Section != "" {
			s := pl.section(book.ListingOf(it.Page))
			it.Section = s
			it.SectionLabel = ""
			if top := s.Top(); top.Name != "news" {
				it.SectionLabel = top.Title
			}
			s.Items = append(s.Items, it)
			for a := s; a != nil; a = a.Parent {
				a.all = append(a.all, it)
			}
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
			u := pl.book.FileURL(a.File)
			it.Attachments = append(it.Attachments, File{URL: u, Title: a.Title, Type: content.FileType(a.File), Size: content.HumanSize(a.Size)})
		}
	}
	pl.info.Topics = sortedTerms(pl.topics)
	pl.info.Areas = sortedTerms(areas)
	names := make([]string, 0, len(pl.sections))
	for n, s := range pl.sections {
		if s.Parent == nil {
			names = append(names, n)
		}
		sort.Slice(s.Sections, func(i, j int) bool {
			a, b := strings.ToLower(s.Sections[i].Title), strings.ToLower(s.Sections[j].Title)
			return a < b || a == b && s.Sections[i].URL < s.Sections[j].URL
		})
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
	for _, s := range pl.sections {
		if s.Name == "events" {
			sortEvents(s.Items)
			sortEvents(s.all)
		}
	}

	// Newsletter issues gather their month's news and changed advice, as
	// the email does (content.IssueIndex).
	if s := pl.sections["newsletters"]; s != nil {
		published := make([]*content.Page, len(pl.items))
		for i, it := range pl.items {
			published[i] = it.Page
		}
		ix := content.NewIssueIndex(published)
		for _, it := range s.all {
			errs = append(errs, pl.gather(it, ix)...)
		}
	}

	// Files in content/ other than Markdown ship at the same path; a bundle's
	// files ship beside its page. The book leaves out those of pages not
	// published.
	for _, f := range pl.book.Files() {
		out := strings.TrimPrefix(pl.book.FileURL(f), "/")
		pl.files = append(pl.files, fileCopy{src: f, out: out})
	}

	pl.planPages(homeIntro)
	pl.planFeeds()
	pl.planAliases()
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
		as, bs := a.Page.Event.Start, b.Page.Event.Start
		if a.Upcoming {
			return as.Before(bs) || as.Equal(bs) && a.URL < b.URL
		}
		return as.After(bs) || as.Equal(bs) && a.URL < b.URL
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

// section finds or makes the section whose address folder is name
// ("news", "guidance/rpkg"). A top folder without an _index.md is titled
// by its name.
func (pl *plan) section(name string) *Section {
	s := pl.sections[name]
	if s == nil {
		top, _, _ := strings.Cut(name, "/")
		title := top
		if title != "" {
			title = strings.ToUpper(title[:1]) + title[1:]
		}
		s = &Section{Name: top, Title: title, URL: "/" + name + "/"}
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

// gather fills a newsletter issue with its items.
func (pl *plan) gather(issue *Item, ix *content.IssueIndex) content.Errors {
	pages, errs := ix.Items(issue.Page, "")
	for _, p := range pages {
		issue.Issue = append(issue.Issue, pl.byURL[p.URL()])
	}
	return errs
}

// planAliases adds a redirect page at each old address the book gives.
func (pl *plan) planAliases() {
	for _, a := range pl.book.Aliases() {
		it := pl.byURL[a.Page.URL()]
		if it == nil {
			continue // cannot happen: the book's aliases are the items'
		}
		pl.aliases = append(pl.aliases, job{out: a.Out, template: "alias.html", view: &View{
			Site: pl.info, Kind: "alias", Title: it.Title, URL: it.URL, Permalink: it.Permalink, Target: it.Permalink, Item: it,
		}})
	}
}

// linkErrs reports links and images to addresses the build does not write,
// through Options.CheckLinks (check.VetLinks): nothing without it.
func (pl *plan) linkErrs(items []*Item) content.Errors {
	var errs content.Errors
	for _, it := range items {
		errs = append(errs, pl.itemLinks(it)...)
	}
	return errs
}

// itemLinks reports one item's broken links and images; safe from several
// goroutines.
func (pl *plan) itemLinks(it *Item) content.Errors {
	if pl.checkLinks == nil || len(it.doc.links) == 0 && len(it.doc.images) == 0 {
		return nil
	}
	return pl.checkLinks(it.Page, it.doc.links, it.doc.images, pl.book)
}

func itoa(n int) string { return strconv.Itoa(n) }
