package site

import (
	"context"
	"fmt"
	"io/fs"
	"time"

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
	// CheckLinks vets a published page's links and images against the
	// book of every address the build writes (check.VetLinks); any error
	// stops the build. Without it links are not checked.
	CheckLinks func(p *content.Page, links, images []markdown.Ref, book *content.Book) []error
	// CheckFile vets a file the build copies (check.VetFile), content's
	// and the theme's static files alike, drafts' attachments included;
	// any error stops the build. name is as the user knows it
	// ("content/advice/x/letter.txt", "static/docs/list.csv"); read gives
	// its bytes, for the checks that need them.
	CheckFile func(name string, read func() ([]byte, error)) []error
	// Progress, when set, is told how many of the pages have been rendered.
	// It is called from several goroutines.
	Progress func(done, total int)
	// Cache, when set, keeps work between builds: each page's converted
	// Markdown and its search record, filed under a hash of what made them.
	Cache Cache

	sc *shortcodes // set by the load stage, for each build
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
	// Notes sum up what the front matter says that lmcpress does not use
	// (content.UnusedNotes), for the build to print once.
	Notes []string
}

// Stage is one step of a build and its duration, for --timings.
type Stage struct {
	Name string
	Took time.Duration
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
//
// The stages, each in a file of its name: load reads and checks every file;
// the plan lays out the site from front matter and the converted intros;
// the Markdown of every item is converted (convert.go), its page rendered
// and written as soon as it is (render.go, write.go), then everything else
// the plan lists: listing pages, feeds, sitemap, search index, files.
func BuildContext(ctx context.Context, o Options, w Writer) (*Result, error) {
	t := newStopwatch()
	md := newEngine(o.Config)
	src, err := load(ctx, md, &o)
	if err != nil {
		return nil, err
	}
	w = &bookWriter{w: w, book: src.book, written: map[string]bool{}}
	pub := publish(&o, src.pages)
	if err := convertItems(ctx, md, &o, pub.intros(), nil); err != nil {
		return nil, err
	}
	if len(problems(pub.intros())) > 0 || len(hiddenProblems(&o, pub, nil)) > 0 {
		return nil, content.Errors(vetAll(ctx, md, &o, src, nil)).Sorted()
	}
	t.lap("load")
	pl, err := planSite(&o, src, pub)
	if err != nil {
		return nil, err
	}
	t.lap("plan")
	r := newRenderer(&o, md, src, pl, w)
	s := newStream(pl, r, o.Cache)
	if err := convertItems(ctx, md, &o, pl.items, s.item); err != nil {
		return nil, err
	}
	if errs := append(problems(pl.items), pl.linkErrs(pub.intros())...); len(errs) > 0 {
		return nil, errs.Sorted()
	}
	t.lap("markdown and item pages")
	res, err := r.rest(ctx, s.search.finish, t.lap)
	if err != nil {
		return nil, err
	}
	res.Pages, res.Stages = len(pl.items), t.stages
	res.Notes = content.UnusedNotes(src.pages)
	return res, nil
}

// stream is what Build does with each item as soon as it is converted, so
// that memory does not grow with the site: index it for search, check its
// links, render its page, then let go of its text, links and HTML (feeds
// keep the source of the few they carry). Holding every page's HTML and
// text until the end instead took the peak of a 10,000-page build from 292
// to 451 MB.
type stream struct {
	pl     *plan
	r      *renderer
	search *searchFeed
}

func newStream(pl *plan, r *renderer, c Cache) *stream {
	return &stream{pl: pl, r: r, search: startSearch(pl, c, r.putSearch)}
}

// item is called from several goroutines, once an item. Problems go with
// the item (cerr), for Build to report.
func (s *stream) item(it *Item) {
	s.search.add(it)
	it.cerr = append(it.cerr, s.pl.itemLinks(it)...)
	it.doc.links, it.doc.images = nil, nil
	if len(it.cerr) > 0 || len(it.Issue) > 0 {
		return // a newsletter's page waits for the summaries of the items it carries
	}
	s.r.itemPage(it)
	it.Content = ""
	if !it.inFeed {
		it.Page.Body = nil
	}
}

func newEngine(cfg *content.Config) *markdown.Engine {
	return markdown.New(markdown.Config{AllowRawHTML: cfg.AllowRawHTML})
}

// stopwatch times the stages, for --timings.
type stopwatch struct {
	mark   time.Time
	stages []Stage
}

func newStopwatch() *stopwatch { return &stopwatch{mark: time.Now()} }

func (t *stopwatch) lap(name string) {
	now := time.Now()
	t.stages = append(t.stages, Stage{Name: name, Took: now.Sub(t.mark)})
	t.mark = now
}

// errorf makes a content error for a page.
func errorf(p *content.Page, line int, format string, args ...any) error {
	return &content.Error{File: "content/" + p.File, Line: line, Msg: fmt.Sprintf(format, args...)}
}
