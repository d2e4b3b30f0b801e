package site

import (
	"html/template"
	"time"

	"lmcpress/internal/content"
)

// The types below are what templates see. Their fields are the template
// API: renaming one breaks themes, so add rather than rename.

// View is the data of one output page.
type View struct {
	Site        *Info
	Kind        string // home, section, archive, topic, topics, item, search, 404, alias
	Title       string
	Description string
	URL         string // site-relative
	Permalink   string // absolute
	Breadcrumbs []Link // ancestors of this page, home first
	Item        *Item
	Section     *Section
	Term        *Term
	Intro       template.HTML
	List        []*Item // this page of a listing
	Pager       *Pager
	Archive     []*ArchiveYear // news: years and months with items
	// ArchiveKey names Archive's marking: the URL of the year this page
	// is the first page of (the one the archive's list marks as
	// current), "" on every other page with an Archive. Pages with the
	// same key show the same list, so a theme can make it once a key
	// with partialCached, as MenuKey does for the menu.
	ArchiveKey  string
	Feeds       *FeedLinks // this page's feeds, nil when it has none
	Latest      []*Item    // home: latest news
	Upcoming    []*Item    // home: events to come
	LatestIssue *Item      // home: the newest newsletter
	Calendars   []Link     // events listing: the subscribable calendars, all events first
	Target      string     // alias: where the page now lives (absolute)
	Empty       string     // what to say when List is empty
	Menu        []MenuLink // the site menu as seen from this page
	// MenuKey names Menu's marking (which entries are Current or Active):
	// pages with the same key show the same menu, so a theme can make its
	// header once a key with partialCached.
	MenuKey string
}

// MenuLink is a menu entry marked for the page it is shown on: Current on
// the page itself, Active on pages below it.
type MenuLink struct {
	Label   string
	URL     string
	Current bool
	Active  bool
}

// Dates is a date written the ways pages show it, in UK time: ISO for
// <time datetime>, Short as on the seed ("18 Apr 2018"), Long ("18 April
// 2018"). Made once an item, since a page lists many items.
type Dates struct {
	ISO   string
	Short string
	Long  string
}

func datesOf(t time.Time) Dates {
	if t.IsZero() {
		return Dates{}
	}
	t = t.In(content.London)
	return Dates{ISO: t.Format("2006-01-02"), Short: t.Format("2 Jan 2006"), Long: t.Format("2 January 2006")}
}

// Info is site-wide and computed once a build.
type Info struct {
	Title        string
	BaseURL      string
	Language     string
	Description  string
	Organisation content.Organisation
	Menu         []content.MenuItem
	Topics       []*Term // every topic with published items, by name
	Areas        []*Term
	Sections     []*Section
	Feeds        *FeedLinks
	Year         int // the newest content year, for the footer
	// Signup is what the newsletter sign-up form asks and says;
	// SignupAreas the areas it offers (every area in site.yaml).
	Signup      content.Signup
	SignupAreas []string
}

// Link is a labelled address.
type Link struct {
	Label string
	URL   string
}

// FeedLinks are a scope's three feeds, site-relative.
type FeedLinks struct {
	Title string // e.g. "News"
	RSS   string
	Atom  string
	JSON  string
}

// Pager is the GOV.UK pagination pattern: previous, numbered pages with
// ellipses, next.
type Pager struct {
	Number int
	Total  int
	Prev   string
	Next   string
	Links  []PagerLink
}

// PagerLink is one entry in a Pager; Ellipsis entries have no URL.
type PagerLink struct {
	Number   int
	URL      string
	Current  bool
	Ellipsis bool
}

// Item is a published page with everything derived from it.
type Item struct {
	*content.Page
	// Title is Page.Title, held here too because templates read it on
	// every page and in every list: text/template looks a field up by
	// name on each use, and one promoted from the embedded Page was found
	// only after a scan of every field of Item and a search of its
	// embedded structs (reflect's FieldByNameFunc, which allocates).
	Title string
	// Made once an item for templates (see Dates), and first among the
	// fields: text/template finds a field by comparing names from the
	// first, on every use.
	DateText      Dates  // first published
	UpdatedText   Dates  // "Last updated"
	AnnouncedText Dates  // last announced
	ScheduledText Dates  // Scheduled; empty when it is zero
	ExpiredText   Dates  // Expired; empty when it is zero
	ReviewDueText Dates  // Page.ReviewDue; empty when it has none
	WasUpdated    bool   // "Last updated" is a later day than first published
	Reannounced   bool   // a change note announced it again on a later day
	Event         bool   // in events/
	SectionLabel  string // the section's title in mixed lists; "" for news

	URL           string
	Permalink     string
	Content       template.HTML
	Summary       string // front-matter summary, or the first paragraph cut short
	Topics        []*Term
	Areas         []*Term
	Section       *Section
	Attachments   []File
	Updated       time.Time // "Last updated"
	Announced     time.Time // date of first publication or of the latest change note
	ReviewOverdue bool
	Issue         []*Item   // newsletters: the items the issue carries
	Upcoming      bool      // events: not yet started
	Scheduled     time.Time // when a page built with --future will be published; zero when it is
	Expired       time.Time // when a page built with --expired stopped being published; zero when live

	doc      docInfo
	srcFP    uint64  // see sourceFP
	cerr     []error // problems found converting it; nil until converted
	inFeed   bool    // some feed carries its full text
	feedHTML string  // that text, if converted with the page (see convertItems)
}

// File is a download beside a page.
type File struct {
	URL   string
	Title string
	Type  string // "PDF"
	Size  string // "312 KB"
}

// Section is a top-level content folder, or a sub-section: a folder below
// one with an _index.md, as in Hugo.
type Section struct {
	Name        string // the top folder, e.g. "news"; a sub-section's is its top section's, whose kind it has
	Title       string
	Description string // from its _index.md, for the parent's list of sub-sections
	URL         string
	Intro       template.HTML
	Items       []*Item    // the pages its listing shows, newest first: those not in a sub-section
	Sections    []*Section // its sub-sections, by title
	Parent      *Section   // nil for a top section
	page        *content.Page
	all         []*Item // Items and those of every sub-section below, newest first: feeds, archives, the home page
}

// Count is the number of published pages in the section and its
// sub-sections.
func (s *Section) Count() int { return len(s.all) }

// Top is the top section a sub-section is in; a top section's is itself.
func (s *Section) Top() *Section {
	for s.Parent != nil {
		s = s.Parent
	}
	return s
}

// Term is a topic or an area.
type Term struct {
	Slug        string
	Name        string
	Description string
	URL         string // "" for areas, which have no pages yet
	Items       []*Item
}

// Count is the number of published items with the term.
func (t *Term) Count() int { return len(t.Items) }

// ArchiveYear is a year of news with its months.
type ArchiveYear struct {
	Year   int
	URL    string
	Count  int
	Months []*ArchiveMonth
}

// ArchiveMonth is a month of news.
type ArchiveMonth struct {
	Label string // "December 2016"
	Month time.Month
	URL   string
	Count int
}
