package site

import (
	"context"
	"crypto/sha256"
	"fmt"
	"html/template"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
)

// Options is everything a build reads.
type Options struct {
	Config  *content.Config
	Content fs.FS // the content folder
	// Templates and Static are the theme: the site's own folders layered over
	// the embedded default (see Overlay).
	Templates fs.FS
	Static    fs.FS
	// Visibility says whether drafts, future and expired pages are built, and
	// what "now" is for them and for review dates.
	Visibility content.Visibility
	// Check vets one published page before it is written; any error stops
	// the build. The page's Markdown has been converted into doc.
	Check func(p *content.Page, doc *markdown.Doc) []error
	// Progress, when set, is told how many of the pages have been rendered.
	// It is called from several goroutines.
	Progress func(done, total int)
	// Cache, when set, keeps work between builds: each page's converted
	// Markdown and its search record, filed under a hash of what made them.
	Cache Cache
}

// Cache keeps results between builds; internal/cache implements it on disk.
// A key is a SHA-256 hash of everything that made the data, so a hit is
// exactly what the work would give again. Get and Put are called from
// several goroutines; a Put that fails only means the work is done again.
// Put must not keep data after it returns (the build reuses the buffer);
// the data Get returns belongs to the caller.
type Cache interface {
	Get(key [32]byte) ([]byte, bool)
	Put(key [32]byte, data []byte)
}

// Result sums up a build.
type Result struct {
	Pages    int           // content pages published
	Files    int           // files written
	Written  []string      // files written this time (Builder only), sorted
	Removed  []string      // files no longer in the site (Builder only), sorted
	Rendered int           // pages rendered rather than reused
	Stages   []Stage       // how long each stage took
	Swap     time.Duration // set by the caller: replacing the output folder
}

// Stage is one step of a build and its duration, for --timings.
type Stage struct {
	Name string
	Took time.Duration
}

// docInfo is what the plan and checks keep from a page's Markdown.
type docInfo struct {
	links  []markdown.Ref
	images []markdown.Ref
	// For the search index: the body as plain text, and its headings.
	text     string
	headings []string
}

// Build runs the whole pipeline once and writes the site to w. Every problem
// in content or templates is returned together; on error, w may hold part of
// a site and the caller discards it (DirWriter.Abort).
func Build(o Options, w Writer) (*Result, error) {
	return BuildContext(context.Background(), o, w)
}

// BuildContext is Build, stopped early when ctx is done (an interrupted
// build): it then returns ctx's error, and the caller discards w as for any
// failed build.
func BuildContext(ctx context.Context, o Options, w Writer) (*Result, error) {
	b := newBuilder(o, false)
	return b.run(ctx, nil, w)
}

func joinErrs(errs ...error) error {
	var all content.Errors
	for _, e := range errs {
		if e == nil {
			continue
		}
		if es, ok := e.(content.Errors); ok {
			all = append(all, es...)
		} else {
			all = append(all, e)
		}
	}
	return all
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

// parallel runs f(0..n-1) on every core.
func parallel(n int, f func(i int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > n {
		workers = n
	}
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// errorf makes a content error for a page.
func errorf(p *content.Page, line int, format string, args ...any) error {
	return &content.Error{File: "content/" + p.File, Line: line, Msg: fmt.Sprintf(format, args...)}
}
