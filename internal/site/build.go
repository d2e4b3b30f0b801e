package site

import (
	"fmt"
	"html/template"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"unicode"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/render"
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
	// Progress, when set, is told how many of the pages have been rendered.
	// It is called from several goroutines.
	Progress func(done, total int)
}

// Result sums up a build.
type Result struct {
	Pages int // content pages published
	Files int // files written
}

// docInfo is what the plan and checks keep from a page's Markdown.
type docInfo struct {
	links  []markdown.Ref
	images []markdown.Ref
}

// Build runs the whole pipeline and writes the site to w. Every problem in
// content or templates is returned together; on error, w may hold part of a
// site and the caller discards it (DirWriter.Abort).
func Build(o Options, w Writer) (*Result, error) {
	cfg := o.Config
	tree, loadErr := content.Load(o.Content, cfg)
	tpl, tplErr := render.Parse(o.Templates, render.Options{BaseURL: cfg.BaseURL, HumanSize: content.HumanSize})
	if loadErr != nil || tplErr != nil {
		return nil, joinErrs(loadErr, tplErr)
	}
	md := markdown.New(markdown.Config{AllowRawHTML: cfg.AllowRawHTML})

	var pages []*content.Page
	var home *content.Page
	sectionPages := map[string]*content.Page{}
	for _, p := range tree.Pages {
		switch {
		case p.Kind == content.KindHome:
			home = p
		case p.Kind == content.KindSection:
			sectionPages[p.Section] = p
		case p.Published(o.Visibility):
			pages = append(pages, p)
		}
	}

	// Stage 2: Markdown, in parallel.
	items := make([]*Item, len(pages))
	parallel(len(pages), func(i int) {
		items[i] = convert(md, cfg, pages[i], o.Visibility)
	})
	var homeIntro template.HTML
	if home != nil {
		homeIntro = convert(md, cfg, home, o.Visibility).Content
	}
	intros := map[string]template.HTML{}
	for name, p := range sectionPages {
		intros[name] = convert(md, cfg, p, o.Visibility).Content
	}

	// Stage 3: the plan.
	pl, err := newPlan(cfg, items, sectionPages, intros, homeIntro, tree.Files, o.Visibility)
	if err != nil {
		return nil, err
	}
	pl.staticURLs, _ = listFiles(o.Static)
	if errs := pl.checkLinks(); len(errs) > 0 {
		return nil, errs.Sorted()
	}

	// Stages 4 and 5: render and write.
	n, err := pl.write(w, tpl, md, o)
	if err != nil {
		return nil, err
	}
	return &Result{Pages: len(items), Files: n}, nil
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

// convert runs the Markdown stage for one page.
func convert(md *markdown.Engine, cfg *content.Config, p *content.Page, v content.Visibility) *Item {
	doc, _ := md.Convert(p.Body, markdown.Options{PageURL: p.URL()})
	it := &Item{
		Page:      p,
		URL:       p.URL(),
		Permalink: strings.TrimSuffix(cfg.BaseURL, "/") + p.URL(),
		Content:   template.HTML(doc.HTML), // goldmark output; raw HTML escaped unless allowed
		Updated:   p.Updated(),
		Announced: p.Announced(),
		doc:       docInfo{links: doc.Links, images: doc.Images},
	}
	it.Summary = p.Summary
	if it.Summary == "" {
		it.Summary = Excerpt(doc.FirstParagraph, SummaryLength)
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
	return it
}

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
