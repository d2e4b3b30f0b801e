package site

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/parallel"
	"lmcpress/internal/render"
)

// renderer is the render stage: it puts each planned page through its
// template, makes the feeds, the sitemap and the search index from the
// plan, and copies the static and content files. Each file goes to the
// Writer as soon as it is made, which is the write stage (see DirWriter):
// a site's pages never sit in memory all at once.
type renderer struct {
	o   *Options
	md  *markdown.Engine // feeds convert full text with absolute links
	tpl *render.Templates
	pl  *plan
	src *source
	w   Writer
	// prev, in the preview, is what the last build made: an output it
	// holds unchanged is not made again (see preview.go). Nil in Build.
	prev *previous

	mu       sync.Mutex
	res      Result
	errs     content.Errors
	made     map[string]bool     // outputs made (or kept) so far
	failedOn map[string][]string // template error → pages it failed on
	done     int                 // pages rendered, for Progress
}

func newRenderer(o *Options, md *markdown.Engine, src *source, pl *plan, w Writer) *renderer {
	return &renderer{o: o, md: md, tpl: src.tpl, pl: pl, src: src, w: w, made: map[string]bool{}, failedOn: map[string][]string{}}
}

// claim reports whether out is still to be made in this build, and from
// now on counts it as made.
func (r *renderer) claim(out string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.made[out] {
		return false
	}
	r.made[out] = true
	return true
}

func (r *renderer) fail(err error) {
	r.mu.Lock()
	r.errs = append(r.errs, err)
	r.mu.Unlock()
}

// put hands a file to the Writer, which copies or writes out the bytes
// before returning, so the caller may reuse data.
func (r *renderer) put(name string, data []byte) {
	if err := r.w.WriteFile(name, data); err != nil {
		r.fail(err)
		return
	}
	r.mu.Lock()
	r.res.Files++
	r.res.Written = append(r.res.Written, name)
	r.mu.Unlock()
}

// page renders one HTML page, once a build.
func (r *renderer) page(j job) {
	if !r.claim(j.out) {
		return
	}
	finish(j.view)
	if r.o.Progress != nil {
		r.mu.Lock()
		r.done++
		n := r.done
		r.mu.Unlock()
		r.o.Progress(n, len(r.pl.jobs)+len(r.pl.aliases))
	}
	if r.prev.unchangedPage(j) {
		return
	}
	buf := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(buf)
	buf.Reset()
	if err := r.tpl.Execute(buf, j.template, j.view); err != nil {
		where := j.view.URL
		if j.view.Item != nil {
			where = "content/" + j.view.Item.Page.File
		}
		r.mu.Lock()
		r.failedOn[err.Error()] = append(r.failedOn[err.Error()], where)
		r.mu.Unlock()
		return
	}
	if buf.Len() > content.MaxPageOutput {
		if j.view.Item != nil {
			r.fail(&content.Error{File: "content/" + j.view.Item.Page.File, Rule: content.OverLimit,
				Msg: fmt.Sprintf("its page would be %s of HTML; a page may be at most %s: split it into several pages", content.HumanSize(int64(buf.Len())), content.HumanSize(content.MaxPageOutput))})
		} else {
			r.fail(fmt.Errorf("render %s: the page would be %s of HTML; a page may be at most %s (a listing this long means paginate in content/site.yaml is too high)", j.out, content.HumanSize(int64(buf.Len())), content.HumanSize(content.MaxPageOutput)))
		}
		return
	}
	r.mu.Lock()
	r.res.Rendered++
	r.mu.Unlock()
	r.put(j.out, buf.Bytes())
}

// itemPage renders an item's own page, as soon as the item is converted.
func (r *renderer) itemPage(it *Item) {
	if j, ok := r.pl.single[it]; ok {
		r.page(r.pl.jobs[j])
	}
}

var bufPool = sync.Pool{New: func() any { b := new(bytes.Buffer); b.Grow(32 << 10); return b }}

// templateErrors reports each template mistake once, with the first page it
// failed on and how many others.
func (r *renderer) templateErrors() error {
	if len(r.failedOn) == 0 {
		return nil
	}
	for msg, where := range r.failedOn {
		sort.Strings(where)
		others := ""
		if len(where) > 1 {
			others = fmt.Sprintf(" (and %d other pages)", len(where)-1)
		}
		r.errs = append(r.errs, fmt.Errorf("render %s%s: %s", where[0], others, msg))
	}
	return capped(r.errs)
}

// rest makes everything not yet made: the pages (those of items already
// rendered are skipped), the feeds, the sitemap, the search index (index
// gives its files) and the copies of files. lap marks the end of each part.
func (r *renderer) rest(ctx context.Context, index func() (map[string][]byte, error), lap func(string)) (*Result, error) {
	if err := r.templateErrors(); err != nil {
		return nil, err
	}
	pl := r.pl
	// The search index is finished, and its files written, while the
	// listing pages and feeds are made: its last shards are few and uneven,
	// and on their own left a core idle for most of the 90 ms they took on
	// 10,000 pages; its files written after the feeds, one at a time, were
	// the last 25 ms of a 1,000-page build on one core. The book keeps
	// search/index/ for the index, so no page can claim its names first.
	indexed := make(chan struct{})
	go func() {
		defer close(indexed)
		files, err := index()
		if err != nil {
			r.fail(fmt.Errorf("search index: %w", err))
			return
		}
		names := slices.Collect(maps.Keys(files))
		parallel.Do(len(names), func(i int) {
			name, data := names[i], files[names[i]]
			if r.claim(name) && !r.prev.unchangedSearch(name, data) {
				r.put(name, data)
			}
		})
	}()
	defer func() { <-indexed }() // returned early: index must not outlive the build
	jobs := append(append([]job(nil), pl.jobs...), pl.aliases...)
	_ = parallel.DoContext(ctx, len(jobs), func(i int) { r.page(jobs[i]) })
	if err := r.templateErrors(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lap("listing pages")

	fc := &feedContent{md: r.md, store: r.o.Cache, base: pl.cfg.BaseURL, sc: r.o.sc}
	var feeds []feedJob
	for _, fj := range pl.feeds {
		if !r.prev.unchangedFeed(fj) {
			feeds = append(feeds, fj)
		}
	}
	// A document at a time: the site's and the news feeds are much larger
	// than a topic's, and a folder's three made in turn left a core idle
	// at the end.
	_ = parallel.DoContext(ctx, len(feeds)*len(feedFiles), func(i int) {
		fj, name := feeds[i/len(feedFiles)], feedFiles[i%len(feedFiles)]
		if data, ok := pl.renderFeed(fj, fc, name, r.fail); ok {
			r.put(strings.TrimPrefix(fj.dir, "/")+name, data)
		}
	})
	lap("feeds")

	for name, data := range pl.calendars(r.fail) {
		if r.claim(name) && !r.prev.unchanged(name, hashBytes(data)) {
			r.put(name, data)
		}
	}
	for name, data := range map[string][]byte{
		"sitemap.xml": pl.sitemap(),
		"robots.txt":  []byte("User-agent: *\nAllow: /\n\nSitemap: " + pl.cfg.BaseURL + "sitemap.xml\n"),
	} {
		if r.claim(name) && !r.prev.unchanged(name, hashBytes(data)) {
			r.put(name, data)
		}
	}
	<-indexed
	lap("sitemap and search index")

	r.copy(ctx, r.o.Static, "static/", r.src.static, r.src.static, "s:")
	outs := make([]string, len(pl.files))
	srcs := make([]string, len(pl.files))
	for i, f := range pl.files {
		outs[i], srcs[i] = f.out, f.src
	}
	r.copy(ctx, r.o.Content, "content/", srcs, outs, "c:")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(r.errs) > 0 {
		return nil, capped(r.errs)
	}
	lap("files")
	sort.Strings(r.res.Written)
	return &r.res, nil
}

// copy copies fsys's files srcs to outs; dir names fsys in errors, and
// kind tells the preview which of its file versions to compare.
func (r *renderer) copy(ctx context.Context, fsys fs.FS, dir string, srcs, outs []string, kind string) {
	_ = parallel.DoContext(ctx, len(srcs), func(i int) {
		if !r.claim(outs[i]) || r.prev.unchangedFile(outs[i], kind+srcs[i]) {
			return
		}
		data, err := fs.ReadFile(fsys, srcs[i])
		if err != nil {
			r.fail(fmt.Errorf("%s%s: %w", dir, srcs[i], err))
			return
		}
		r.put(outs[i], data)
	})
}

// putSearch writes a search record as soon as the search stream makes it.
func (r *renderer) putSearch(name string, data []byte) {
	if r.claim(name) {
		r.put(name, data)
	}
}

// capped sorts errors so the report is stable whatever the scheduling.
func capped(errs content.Errors) error {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errs
}

// listFiles returns the name of every static file in fsys, sorted, and
// the symbolic links it refuses (see content.ListFiles).
func listFiles(fsys fs.FS) ([]string, content.Errors) {
	names, errs := content.ListFiles(fsys, "static/")
	sort.Strings(names)
	return names, errs
}
