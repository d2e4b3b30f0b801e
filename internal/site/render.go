package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"lmcpress/internal/content"
)

// emitter renders and writes one build's outputs. With keep, an output
// whose fingerprint is unchanged since the last build is skipped.
type emitter struct {
	b        *Builder
	w        Writer
	mu       sync.Mutex
	res      *Result
	errs     content.Errors
	produced map[string]bool
	newFP    map[string]uint64
	failedOn map[string][]string // template error → pages it failed on
	done     int
	// only, when set, is the items whose text alone changed (the plan was
	// kept): outputs that show none of them are kept without even being
	// fingerprinted. Everything else a fingerprint covers comes from the
	// plan, which did not change.
	only map[*Item]bool
	// feed, in a one-shot build, indexes each item for search as soon as
	// it is converted (see searchStart); nil when the Builder keeps its site.
	feed *searchFeed
}

// keepOld records out as unchanged from the last build, if it has one.
func (e *emitter) keepOld(out string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	fp, ok := e.b.fps[out]
	if !ok || e.produced[out] {
		return false
	}
	e.produced[out] = true
	e.newFP[out] = fp
	return true
}

// shows reports whether a page shows any of the items.
func shows(v *View, only map[*Item]bool) bool {
	if only[v.Item] || only[v.LatestIssue] {
		return true
	}
	if v.Item != nil {
		for _, it := range v.Item.Issue {
			if only[it] {
				return true
			}
		}
	}
	for _, list := range [][]*Item{v.List, v.Latest, v.Upcoming} {
		for _, it := range list {
			if only[it] {
				return true
			}
		}
	}
	return false
}

func (b *Builder) emitter(w Writer) *emitter {
	return &emitter{b: b, w: w, res: &Result{}, produced: map[string]bool{}, newFP: map[string]uint64{}, failedOn: map[string][]string{}}
}

func (e *emitter) fail(err error) {
	e.mu.Lock()
	e.errs = append(e.errs, err)
	e.mu.Unlock()
}

// skip reports whether out needs no writing, and records it as produced.
func (e *emitter) skip(out string, fp uint64) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.produced[out] {
		return true // written earlier in this build
	}
	e.produced[out] = true
	if !e.b.keep {
		return false
	}
	e.newFP[out] = fp
	old, ok := e.b.fps[out]
	return ok && old == fp
}

func (e *emitter) put(name string, data []byte) {
	if err := e.w.WriteFile(name, data); err != nil {
		e.fail(err)
		return
	}
	e.mu.Lock()
	e.res.Files++
	e.res.Written = append(e.res.Written, name)
	e.mu.Unlock()
}

// render renders one page unless its fingerprint says it is unchanged. fpr
// is nil in one-shot builds, which render everything.
func (e *emitter) render(j job, fpr *fingerprinter, total int) {
	finish(j.view)
	if o := e.b.o; o.Progress != nil {
		e.mu.Lock()
		e.done++
		n := e.done
		e.mu.Unlock()
		o.Progress(n, total)
	}
	if e.only != nil && !shows(j.view, e.only) && e.keepOld(j.out) {
		return
	}
	var fp uint64
	if fpr != nil {
		fp = fpr.view(j)
	}
	if e.skip(j.out, fp) {
		return
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if err := e.b.tpl.Execute(buf, j.template, j.view); err != nil {
		where := j.view.URL
		if j.view.Item != nil {
			where = "content/" + j.view.Item.Page.File
		}
		e.mu.Lock()
		e.failedOn[err.Error()] = append(e.failedOn[err.Error()], where)
		e.mu.Unlock()
		return
	}
	e.mu.Lock()
	e.res.Rendered++
	e.mu.Unlock()
	// Writers copy or write out the bytes before returning, so the buffer
	// can be reused.
	e.put(j.out, buf.Bytes())
}

var bufPool = sync.Pool{New: func() any { b := new(bytes.Buffer); b.Grow(32 << 10); return b }}

// templateErrors reports each template mistake once, with the first page it
// failed on and how many others.
func (e *emitter) templateErrors() error {
	if len(e.failedOn) == 0 {
		return nil
	}
	for msg, where := range e.failedOn {
		sort.Strings(where)
		others := ""
		if len(where) > 1 {
			others = fmt.Sprintf(" (and %d other pages)", len(where)-1)
		}
		e.errs = append(e.errs, fmt.Errorf("render %s%s: %s", where[0], others, msg))
	}
	return capped(e.errs)
}

// finish renders the pages not yet rendered, the feeds, sitemap, search
// index and files.
func (e *emitter) finish(pl *plan, static []string, lap func(string)) (*Result, error) {
	b, o := e.b, e.b.o
	if err := e.templateErrors(); err != nil {
		return nil, err
	}
	var fpr *fingerprinter
	if b.keep {
		fpr = newFingerprinter(pl, b.tplV)
	}
	jobs := append(append([]job(nil), pl.jobs...), pl.aliases...)
	e.b.parallel(len(jobs), func(i int) { e.render(jobs[i], fpr, len(jobs)) })
	if err := e.templateErrors(); err != nil {
		return nil, err
	}
	if err := b.ctx.Err(); err != nil {
		return nil, err
	}
	lap("listing pages")

	fc := &feedContent{md: b.md, store: b.o.Cache, base: pl.cfg.BaseURL}
	e.b.parallel(len(pl.feeds), func(i int) {
		fj := pl.feeds[i]
		dir := strings.TrimPrefix(fj.dir, "/")
		if e.only != nil && !shows(&View{List: firstN(fj.items, pl.cfg.Feeds.Limit)}, e.only) {
			kept := true
			for _, n := range []string{"feed.xml", "atom.xml", "feed.json"} {
				kept = e.keepOld(dir+n) && kept
			}
			if kept {
				return
			}
		}
		var fp uint64
		if fpr != nil {
			fp = fpr.feed(fj)
		}
		skipAll := true
		for _, n := range []string{"feed.xml", "atom.xml", "feed.json"} {
			if !e.skip(dir+n, fp) {
				skipAll = false
			}
		}
		if skipAll {
			return
		}
		for name, data := range pl.renderFeed(fj, fc, e.fail) {
			e.put(name, data)
		}
	})

	lap("feeds")
	for name, data := range map[string][]byte{
		"sitemap.xml": pl.sitemap(),
		"robots.txt":  []byte("User-agent: *\nAllow: /\n\nSitemap: " + pl.cfg.BaseURL + "sitemap.xml\n"),
	} {
		if !e.skip(name, hashBytes(data)) {
			e.put(name, data)
		}
	}
	if idx, err := b.searchFiles(pl, e.feed); err != nil {
		e.fail(fmt.Errorf("search index: %w", err))
	} else {
		for name, data := range idx {
			if !e.skip(name, b.searchSum(name, data)) {
				e.put(name, data)
			}
		}
	}

	lap("sitemap and search index")
	e.b.parallel(len(static), func(i int) {
		if e.skip(static[i], b.fileV["s:"+static[i]]) {
			return
		}
		data, err := fs.ReadFile(o.Static, static[i])
		if err != nil {
			e.fail(fmt.Errorf("static/%s: %w", static[i], err))
			return
		}
		e.put(static[i], data)
	})
	e.b.parallel(len(pl.files), func(i int) {
		f := pl.files[i]
		if e.skip(f.out, b.fileV["c:"+f.src]) {
			return
		}
		data, err := fs.ReadFile(o.Content, f.src)
		if err != nil {
			e.fail(fmt.Errorf("content/%s: %w", f.src, err))
			return
		}
		e.put(f.out, data)
	})
	if err := b.ctx.Err(); err != nil {
		return nil, err
	}
	if len(e.errs) > 0 {
		return nil, capped(e.errs)
	}
	lap("files")
	res := e.res
	if b.keep {
		for out := range b.fps {
			if !e.produced[out] {
				res.Removed = append(res.Removed, out)
			}
		}
		b.fps = e.newFP
	}
	sort.Strings(res.Written)
	sort.Strings(res.Removed)
	return res, nil
}
