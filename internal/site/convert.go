package site

import (
	"crypto/sha256"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"unicode"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
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
// alone decides. The Markdown is converted later (convert), after the plan.
func newItem(o *Options, p *content.Page) *Item {
	v := o.Visibility
	it := &Item{
		Page:      p,
		URL:       p.URL(),
		Permalink: strings.TrimSuffix(o.Config.BaseURL, "/") + p.URL(),
		Updated:   p.Updated(),
		Announced: p.Announced(),
	}
	if p.Section == "advice" || p.Section == "guidance" {
		it.ReviewOverdue = p.ReviewOverdue(v.Now)
	}
	if p.Section == "events" {
		end := p.End
		if end.IsZero() {
			end = p.Date
		}
		it.Upcoming = !end.Before(v.Now)
	}
	if p.PublishDate.After(v.Now) {
		it.Scheduled = p.PublishDate
	} else if p.Kind == content.KindPage && p.Section != "events" && p.Date.After(v.Now) {
		it.Scheduled = p.Date
	}
	if !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(v.Now) {
		it.Expired = p.ExpiryDate
	}
	it.DateText, it.UpdatedText, it.AnnouncedText = datesOf(p.Date), datesOf(it.Updated), datesOf(it.Announced)
	it.WasUpdated = it.UpdatedText.ISO != it.DateText.ISO
	it.Reannounced = it.AnnouncedText.ISO != it.DateText.ISO
	it.Event = p.Section == "events"
	return it
}

// convert runs the Markdown stage for one item, and the page check if any.
// Its problems are kept with the item, so a cached item reports them again.
func (it *Item) convert(md *markdown.Engine, o *Options) {
	p := it.Page
	if err := p.ReloadBody(o.Content); err != nil {
		it.cerr = []error{err}
		return
	}
	doc := convert(md, o.Cache, p.Body, markdown.Options{PageURL: it.URL})
	it.cerr = []error{}
	if o.Check != nil {
		it.cerr = append(it.cerr, o.Check(p, doc)...)
	}
	it.Content = template.HTML(doc.HTML) // goldmark output; raw HTML escaped unless allowed
	it.doc = docInfo{links: doc.Links, images: doc.Images, text: doc.Text, headings: headingTexts(doc.Headings)}
	it.Summary = p.Summary
	if it.Summary == "" {
		it.Summary = Excerpt(doc.FirstParagraph, SummaryLength)
	}
}

// convert is md.Convert, through the cache when there is one. The key
// covers everything a conversion reads: the engine's configuration, the
// options and the source. (The cache itself keys by the program's version
// as well, so a new lmcpress never takes an old one's output.)
func convert(md *markdown.Engine, c Cache, src []byte, mo markdown.Options) *markdown.Doc {
	if c == nil {
		doc, _ := md.Convert(src, mo)
		return doc
	}
	h := sha256.New()
	fmt.Fprintf(h, "lmcpress markdown\x00%+v\x00%q\x00%q\x00", md.Config(), mo.BaseURL, mo.PageURL)
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

// SourceBudget is how much Markdown text a one-shot build holds from
// loading to conversion. A real LMC site has a few megabytes and keeps it
// all; above this each page's text is let go once its front matter is read
// and read again when the page is converted, which costs a second read of
// every file but keeps a 50,000-page build's memory from growing with the
// text of the whole site. A variable so that tests can take both ways.
var SourceBudget = 64 << 20

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
