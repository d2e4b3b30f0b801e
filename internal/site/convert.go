package site

import (
	"context"
	"crypto/sha256"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"unicode"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/parallel"
)

// docInfo is what the plan and checks keep from a page's Markdown.
type docInfo struct {
	links  []markdown.Ref
	images []markdown.Ref
	// For the search index: the body as plain text, and its headings.
	text     string
	headings []string
}

// newItem makes the item of a published page: everything that front matter
// alone decides. The Markdown stage fills in the rest (take).
func newItem(o *Options, p *content.Page) *Item {
	v := o.Visibility
	it := &Item{
		Page:      p,
		Title:     p.Title,
		URL:       p.URL(),
		Permalink: strings.TrimSuffix(o.Config.BaseURL, "/") + p.URL(),
		Updated:   p.Updated(),
		Announced: p.Announced(),
	}
	if p.Section == "advice" || p.Section == "guidance" {
		it.ReviewOverdue = p.ReviewOverdue(v.Now)
	}
	if p.Event != nil {
		it.Upcoming = !p.Event.Past(v.Now)
	}
	if p.PublishDate.After(v.Now) {
		it.Scheduled = p.PublishDate
	} else if p.Kind == content.KindPage && p.DateIsPublication() && p.Date.After(v.Now) {
		it.Scheduled = p.Date
	}
	if !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(v.Now) {
		it.Expired = p.ExpiryDate
	}
	it.DateText, it.UpdatedText, it.AnnouncedText = datesOf(p.Date), datesOf(it.Updated), datesOf(it.Announced)
	it.ScheduledText, it.ExpiredText, it.ReviewDueText = datesOf(it.Scheduled), datesOf(it.Expired), datesOf(p.ReviewDue)
	it.WasUpdated = it.UpdatedText.ISO != it.DateText.ISO
	it.Reannounced = it.AnnouncedText.ISO != it.DateText.ISO
	it.Event = p.Section == "events"
	return it
}

// published is the plan's input, made from the loaded pages: a fresh item
// for every published page, and the home and section pages, whose own text
// the listing pages show. Fresh each build, so that nothing the plan
// derives (topics, sections, issues) survives into the next.
type published struct {
	items    []*Item          // content pages
	home     *Item            // content/_index.md, or nil
	sections map[string]*Item // section's address folder ("news", "guidance/rpkg") → its _index.md
	hidden   []*content.Page  // pages not published: drafts, future, expired
}

func publish(o *Options, pages []*content.Page) *published {
	pub := &published{sections: map[string]*Item{}}
	for _, p := range pages {
		if p.Kind == content.KindPage && !p.Published(o.Visibility) {
			pub.hidden = append(pub.hidden, p)
			continue
		}
		it := newItem(o, p)
		switch p.Kind {
		case content.KindHome:
			pub.home = it
		case content.KindSection:
			pub.sections[p.Dir] = it
		default:
			pub.items = append(pub.items, it)
		}
	}
	return pub
}

// intros are the home and section pages, which are converted before the
// plan: it shows their text.
func (pub *published) intros() []*Item {
	var out []*Item
	if pub.home != nil {
		out = append(out, pub.home)
	}
	for _, it := range pub.sections {
		out = append(out, it)
	}
	return out
}

// hiddenCheck runs the page check (Options.Check, without Markdown) on a
// page the build does not publish: a draft, or a page waiting for its
// publishDate, is in the repository already and may publish itself on its
// date, so patient data in it stops the build as it makes check fail. The
// result is never nil, so the preview can keep it.
func hiddenCheck(o *Options, p *content.Page) []error {
	if o.Check == nil {
		return []error{}
	}
	return append([]error{}, o.Check(p, nil)...)
}

// conversion is what the Markdown stage makes of one page: its HTML, its
// summary, what the link checks and search need, and the page check's
// findings (kept with it, so a page converted once reports them each build).
type conversion struct {
	html     template.HTML
	feedHTML string // see convertPageFeed
	summary  string
	doc      docInfo
	errs     []error
	sum      uint64   // hash of html; set only by the preview, see sourceFP
	scKey    [32]byte // what its shortcodes depended on (shortcodes.options); zero for a page without
}

// convertPage is the Markdown stage for one page, and the page check if
// any.
func convertPage(md *markdown.Engine, o *Options, p *content.Page, url string) *conversion {
	return convertPageFeed(md, o, p, url, "")
}

// convertPageFeed is convertPage that also makes, when feedBase is set, the
// page's HTML for feeds (links absolute against feedBase) from the same
// parse, if the page has no shortcodes (markdown.Options.AlsoBaseURL).
func convertPageFeed(md *markdown.Engine, o *Options, p *content.Page, url, feedBase string) *conversion {
	mo := markdown.Options{PageURL: url, AlsoBaseURL: feedBase}
	key := o.sc.options(&mo, p, p.Body)
	doc := convert(md, o.Cache, p.Body, mo, key)
	c := &conversion{
		scKey:    key,
		html:     template.HTML(doc.HTML), // goldmark output; raw HTML escaped unless allowed
		feedHTML: string(doc.AbsHTML),
		doc:      docInfo{links: doc.Links, images: doc.Images, text: doc.Text, headings: headingTexts(doc.Headings)},
	}
	if o.Check != nil {
		c.errs = o.Check(p, doc)
	}
	c.summary = p.Summary
	if c.summary == "" {
		c.summary = Excerpt(doc.FirstParagraph, SummaryLength)
	}
	return c
}

// take gives the item a page's conversion.
func (it *Item) take(c *conversion) {
	it.Content, it.Summary, it.doc, it.cerr = c.html, c.summary, c.doc, c.errs
	it.feedHTML = c.feedHTML
}

// convertItems runs the Markdown stage for items on every core, calling
// done with each as soon as it is converted (from the goroutine that
// converted it). It stops early when ctx is done and returns its error;
// what the page checks found stays with each item (see problems).
//
// An item whose full text a feed carries (inFeed, set by the plan) is
// converted for the feeds too from the same parse, unless a build cache
// keeps conversions (feedContent then takes the feeds' from it): the
// feeds are as many on a small site as on a large one, and converting
// their items again was a twentieth of a 1,000-page build.
func convertItems(ctx context.Context, md *markdown.Engine, o *Options, items []*Item, done func(*Item)) error {
	feedBase := ""
	if o.Cache == nil && o.Config.FullContent() {
		feedBase = o.Config.BaseURL
	}
	return parallel.DoContext(ctx, len(items), func(i int) {
		it := items[i]
		if it.inFeed {
			it.take(convertPageFeed(md, o, it.Page, it.URL, feedBase))
		} else {
			it.take(convertPage(md, o, it.Page, it.URL))
		}
		if done != nil {
			done(it)
		}
	})
}

// problems gathers what the checks found on converted items.
func problems(items []*Item) content.Errors {
	var errs content.Errors
	for _, it := range items {
		errs = append(errs, it.cerr...)
	}
	return errs
}

// convert is md.Convert, through the cache when there is one. The key
// covers everything a conversion reads: the engine's configuration, the
// options, the source, and for a page with shortcodes scKey, what they
// read (the site's shortcodes and the addresses ref gives). (The cache
// itself keys by the program's version as well, so a new lmcpress never
// takes an old one's output.)
func convert(md *markdown.Engine, c Cache, src []byte, mo markdown.Options, scKey [32]byte) *markdown.Doc {
	if c == nil {
		doc, _ := md.Convert(src, mo)
		return doc
	}
	h := sha256.New()
	fmt.Fprintf(h, "lmcpress markdown\x00%+v\x00%q\x00%q\x00%x\x00", md.Config(), mo.BaseURL, mo.PageURL, scKey)
	h.Write(src)
	var key [32]byte
	h.Sum(key[:0])
	if data, ok := c.Get(key); ok {
		var doc markdown.Doc
		if doc.UnmarshalBinary(data) == nil {
			return &doc
		}
	}
	doc, _ := md.Convert(src, mo)
	buf := binBufs.Get().(*[]byte)
	if data, err := doc.AppendBinary((*buf)[:0]); err == nil {
		c.Put(key, data)
		*buf = data
	}
	binBufs.Put(buf)
	return doc
}

// binBufs holds buffers for Docs' binary form on their way to the cache.
var binBufs = sync.Pool{New: func() any { return new([]byte) }}

// SummaryLength is how many characters an automatic summary keeps at most.
const SummaryLength = 200

// Excerpt cuts text at a word boundary no later than max characters and adds
// "..." when it cut, as the LMC's listings always have.
func Excerpt(text string, max int) string {
	r := []rune(text)
	if len(r) <= max {
		return text
	}
	cut := max
	for cut > 0 && !unicode.IsSpace(r[cut]) {
		cut--
	}
	if cut == 0 {
		cut = max
	}
	s := strings.TrimRightFunc(string(r[:cut]), func(c rune) bool {
		return unicode.IsSpace(c) || unicode.IsPunct(c) && c != ')' && c != '’' && c != '”'
	})
	return s + "..."
}
