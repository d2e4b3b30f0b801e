package site

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/render"
	"lmcpress/internal/search"
)

// Builder keeps a site between builds, so that after a change only what
// depends on it is parsed, converted and rendered again: the preview's
// rebuild. Its output is kept in memory (see FS) and is byte-identical to
// what Build writes for the same files.
//
// How it knows what to redo: each Markdown file is re-read only when a
// changed path names it; the plan (listings, archives, topics) is always
// made afresh, which is cheap; and each output file remembers a fingerprint
// of everything its page shows (see fingerprint.go). A page whose
// fingerprint is unchanged is not rendered again. A change to templates
// re-renders every page; a change to content/site.yaml needs a new Builder,
// because the configuration is read by the caller.
type Builder struct {
	o    Options
	md   *markdown.Engine
	keep bool // keep outputs and fingerprints for the next build

	built   bool
	entries map[string]*entry // Markdown files by content path
	other   []string          // other content files
	fileV   map[string]uint64 // content and static files → hash of their bytes
	tpl     *render.Templates
	tplErr  error
	tplV    uint64

	search *search.Index     // kept between builds so a rebuild redoes only what changed
	plan   *plan             // the last good plan, reused when only text changed
	fps    map[string]uint64 // output → fingerprint of what it shows
	out    map[string][]byte // the site, when keep
	mu     sync.RWMutex      // guards view
	view   *memFS            // out as served; replaced whole by each rebuild

	ctx context.Context // the build running, for parallel
}

// parallel runs f(0..n-1) on every core, as the package's parallel does,
// but leaves the rest undone once the build's context is done; run checks
// the context after each stage and returns its error.
func (b *Builder) parallel(n int, f func(i int)) {
	ctx := b.ctx
	parallel(n, func(i int) {
		if ctx.Err() == nil {
			f(i)
		}
	})
}

// entry is one Markdown file as last read.
type entry struct {
	page *content.Page
	errs content.Errors
	item *Item // nil when not published or broken
	cerr []error
	home bool
}

// NewBuilder prepares incremental builds. Call Rebuild(nil) first.
func NewBuilder(o Options) *Builder { return newBuilder(o, true) }

// StopCaching makes later rebuilds leave Options.Cache alone: the preview
// takes its first build from the build cache, then keeps its own work in
// memory, and the cache is closed (and would only cost hashing). Call it
// between rebuilds, not during one.
func (b *Builder) StopCaching() {
	b.o.Cache = nil
	if b.search != nil {
		b.search.UseCache(nil)
	}
}

func newBuilder(o Options, keep bool) *Builder {
	return &Builder{
		o:       o,
		md:      markdown.New(markdown.Config{AllowRawHTML: o.Config.AllowRawHTML}),
		keep:    keep,
		entries: map[string]*entry{},
		fileV:   map[string]uint64{},
		fps:     map[string]uint64{},
		out:     map[string][]byte{},
	}
}

// Rebuild brings the site up to date. changed lists paths relative to the
// site folder ("content/news/a.md", "templates/base.html",
// "static/css/site.css"); nil means anything may have changed. On error the
// previous site stays as it was.
func (b *Builder) Rebuild(changed []string) (*Result, error) {
	mw := &memWriter{files: map[string][]byte{}}
	res, err := b.run(context.Background(), changed, mw)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	next := make(map[string][]byte, len(b.out)+len(mw.files))
	for k, v := range b.out {
		next[k] = v
	}
	for k, v := range mw.files {
		next[k] = v
	}
	for _, k := range res.Removed {
		delete(next, k)
		delete(b.fps, k)
	}
	b.out = next
	b.view = newMemFS(next)
	b.mu.Unlock()
	return res, nil
}

// FS is the site as last built; safe to use while a rebuild runs. Before
// the first successful build it is empty.
func (b *Builder) FS() fs.FS {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.view == nil {
		return newMemFS(nil)
	}
	return b.view
}

// memWriter collects one build's writes.
type memWriter struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memWriter) WriteFile(name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = append([]byte(nil), data...) // the caller reuses data
	return nil
}

// changes sorts changed paths by what they touch.
type changes struct {
	all       bool
	content   map[string]bool // content-relative
	templates bool
	static    map[string]bool // static-relative
	allStatic bool
}

func classify(changed []string) changes {
	c := changes{all: changed == nil, content: map[string]bool{}, static: map[string]bool{}}
	for _, p := range changed {
		p = path.Clean(strings.ReplaceAll(p, "\\", "/"))
		switch {
		case strings.HasPrefix(p, "content/"):
			c.content[strings.TrimPrefix(p, "content/")] = true
		case p == "content":
			c.all = true
		case strings.HasPrefix(p, "templates/") || p == "templates":
			c.templates = true
		case strings.HasPrefix(p, "static/"):
			c.static[strings.TrimPrefix(p, "static/")] = true
		case p == "static":
			c.allStatic = true
		}
	}
	return c
}

// run is one build: load what changed, convert, plan, render what changed.
func (b *Builder) run(ctx context.Context, changed []string, w Writer) (*Result, error) {
	b.ctx = ctx
	defer func() { b.ctx = nil }()
	o := b.o
	c := classify(changed)
	if !b.built {
		c.all = true
	}
	var errs content.Errors
	var stages []Stage
	var held atomic.Int64 // Markdown text loaded, for SourceBudget
	mark := time.Now()
	lap := func(name string) {
		now := time.Now()
		stages = append(stages, Stage{Name: name, Took: now.Sub(mark)})
		mark = now
	}

	// Stage 1: load the files that changed. An edit that leaves every
	// changed file's front matter as it was keeps the plan (listings,
	// archives, topics): only the items' text changes.
	prevPlan := b.plan
	b.plan = nil // set again only by a build that succeeds
	structural := c.all || prevPlan == nil
	if !c.all && len(c.content) > 0 && b.onlyKnownMarkdown(c.content) {
		todo := make([]string, 0, len(c.content))
		for name := range c.content {
			todo = append(todo, name)
		}
		sort.Strings(todo)
		loaded := make([]*entry, len(todo))
		b.parallel(len(todo), func(i int) {
			p, perrs := content.LoadFile(o.Content, todo[i])
			loaded[i] = &entry{page: p, errs: perrs}
		})
		if err := ctx.Err(); err != nil {
			return nil, err // some files were not loaded
		}
		for i, name := range todo {
			old, e := b.entries[name], loaded[i]
			if old.item != nil && e.page != nil && old.page != nil && e.errs == nil && old.errs == nil &&
				e.page.Kind == content.KindPage && frontFP(old.page) == frontFP(e.page) {
				old.item.reload(e.page)
				e.item = old.item
			} else {
				structural = true
			}
			b.entries[name] = e
		}
	} else if c.all || len(c.content) > 0 {
		structural = true
		mdFiles, other, scanErrs := content.Scan(o.Content)
		errs = append(errs, scanErrs...)
		var todo []string
		next := make(map[string]*entry, len(mdFiles))
		for _, name := range mdFiles {
			if e, ok := b.entries[name]; ok && !c.all && !c.content[name] {
				next[name] = e
				continue
			}
			todo = append(todo, name)
		}
		loaded := make([]*entry, len(todo))
		b.parallel(len(todo), func(i int) {
			p, perrs := content.LoadFile(o.Content, todo[i])
			if p != nil && !b.keep && held.Add(int64(len(p.Body))) > int64(SourceBudget) {
				p.ReleaseBody() // Item.convert reads it again
			}
			loaded[i] = &entry{page: p, errs: perrs}
		})
		if err := ctx.Err(); err != nil {
			return nil, err // some files were not loaded
		}
		for i, name := range todo {
			next[name] = loaded[i]
		}
		b.entries = next
		seen := map[string]bool{}
		for _, f := range other {
			seen[f] = true
			if _, ok := b.fileV["c:"+f]; !ok || c.all || c.content[f] {
				b.fileV["c:"+f] = fileVersion(o.Content, f)
			}
		}
		for k := range b.fileV {
			if strings.HasPrefix(k, "c:") && !seen[k[2:]] {
				delete(b.fileV, k)
			}
		}
		b.other = other
	}
	if c.all || c.templates {
		// Pages are rendered again only when a template really changed, not
		// when an editor merely touched the folder.
		if v := themeVersion(o.Templates); v != b.tplV || b.tpl == nil {
			b.tpl, b.tplErr = render.Parse(o.Templates, render.Options{BaseURL: o.Config.BaseURL, HumanSize: content.HumanSize})
			b.tplV = v
		}
	}
	if b.tpl != nil {
		b.tpl.Forget() // partials kept by the last build may show old content
	}
	_, static := listFiles(o.Static)
	for _, f := range static {
		if _, ok := b.fileV["s:"+f]; !ok || c.all || c.allStatic || c.static[f] {
			b.fileV["s:"+f] = fileVersion(o.Static, f)
		}
	}

	// Whole-tree checks and the Markdown stage for new entries.
	names := make([]string, 0, len(b.entries))
	for n := range b.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	tree := &content.Tree{Files: b.other}
	for _, n := range names {
		e := b.entries[n]
		errs = append(errs, e.errs...)
		if e.page != nil {
			tree.Pages = append(tree.Pages, e.page)
		}
	}
	errs = append(errs, content.CheckTree(o.Content, tree, o.Config)...)
	if b.tplErr != nil {
		errs = append(errs, b.tplErr)
	}
	if len(errs) > 0 {
		return nil, errs.Sorted()
	}
	// Items: what front matter decides. Home and section intros are
	// converted now, since the plan shows them.
	var items []*Item
	var homeIntro template.HTML
	sectionPages := map[string]*content.Page{}
	intros := map[string]template.HTML{}
	for _, n := range names {
		e := b.entries[n]
		p := e.page
		if p == nil || (p.Kind == content.KindPage && !p.Published(o.Visibility)) {
			continue
		}
		if e.item == nil {
			e.item = newItem(&o, p)
		}
		switch p.Kind {
		case content.KindHome, content.KindSection:
			if e.item.cerr == nil {
				e.item.convert(b.md, &o)
				if b.keep {
					e.item.srcFP = sourceFP(e.item)
				}
			}
			errs = append(errs, e.item.cerr...)
			if p.Kind == content.KindHome {
				homeIntro = e.item.Content
			} else {
				sectionPages[p.Section] = p
				intros[p.Section] = e.item.Content
			}
		default:
			items = append(items, e.item)
		}
	}
	if len(errs) > 0 {
		return nil, errs.Sorted()
	}
	if !b.keep && held.Load() > int64(SourceBudget) {
		for _, it := range items {
			it.Page.ReleaseBody() // those loaded before the budget ran out
		}
	}

	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lap("load")

	// Stage 3: the plan, made afresh unless only text changed.
	pl := prevPlan
	if structural {
		var err error
		if pl, err = newPlan(o.Config, items, sectionPages, intros, homeIntro, b.other, o.Visibility); err != nil {
			return nil, err
		}
	}
	pl.staticURLs, _ = listFiles(o.Static)

	lap("plan")

	// Stage 2, the Markdown, for the items not yet converted. A one-shot
	// build renders each item's page as soon as it is converted and then
	// lets go of its HTML and source, so memory does not grow with the site
	// (feeds keep the few they carry; newsletter pages wait for the
	// summaries of the items they list).
	em := b.emitter(w)
	em.feed = b.searchStart(pl, em.putSearch)
	var todo []*Item
	for _, it := range items {
		if it.cerr == nil {
			todo = append(todo, it)
		}
	}
	if b.keep && !structural && !c.templates && len(c.content) > 0 {
		em.only = map[*Item]bool{}
		for _, it := range todo {
			em.only[it] = true
		}
	}
	fpr := (*fingerprinter)(nil)
	b.parallel(len(todo), func(i int) {
		it := todo[i]
		it.convert(b.md, &o)
		em.feed.add(it)
		if b.keep {
			it.srcFP = sourceFP(it) // only a kept site compares fingerprints
			return
		}
		if len(it.cerr) > 0 {
			return
		}
		// The plan knows every address, so a one-shot build checks the
		// links now and need not keep them.
		if errs := pl.itemLinks(it); len(errs) > 0 {
			it.cerr = append(it.cerr, errs...)
			return
		}
		it.doc.links, it.doc.images = nil, nil
		if len(it.Issue) > 0 {
			return
		}
		if j, ok := pl.single[it]; ok {
			em.render(pl.jobs[j], fpr, len(todo))
		}
		it.Content = ""
		if !it.inFeed {
			it.Page.Body = nil
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err // items were left unconverted
	}
	for _, it := range items {
		errs = append(errs, it.cerr...)
	}
	if len(errs) > 0 {
		return nil, errs.Sorted()
	}
	lap("markdown and item pages")

	// Links: all of them when the plan (and so the set of addresses) is new,
	// else only those of the items just converted.
	check := items
	if !structural {
		check = todo
	}
	if errs := pl.checkLinks(check); len(errs) > 0 {
		return nil, errs.Sorted()
	}

	// Stages 4 and 5: render and write the rest.
	res, err := em.finish(pl, static, lap)
	if err != nil {
		return nil, err
	}
	res.Stages = stages
	res.Pages = len(items)
	b.built = true
	if b.keep {
		b.plan = pl
	}
	return res, nil
}

// onlyKnownMarkdown reports whether every changed content path is a
// Markdown file the builder already has and that still exists.
func (b *Builder) onlyKnownMarkdown(changed map[string]bool) bool {
	for name := range changed {
		e, ok := b.entries[name]
		if !ok || e.page == nil || !strings.HasSuffix(strings.ToLower(name), ".md") {
			return false
		}
		if st, err := fs.Stat(b.o.Content, name); err != nil || st.IsDir() {
			return false
		}
	}
	return true
}

// reload gives the item the newly read page (same front matter, new text)
// and forgets its conversion.
func (it *Item) reload(p *content.Page) {
	it.Page = p
	it.Content, it.Summary, it.doc, it.srcFP, it.cerr = "", "", docInfo{}, 0, nil
}

// fileVersion sums up a file's bytes, so that a file an editor touched but
// did not change is not copied again.
func fileVersion(fsys fs.FS, name string) uint64 {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return 0
	}
	return hashBytes(data)
}

// themeVersion sums up the template files, so that an unchanged theme is
// recognised as such.
func themeVersion(fsys fs.FS) uint64 {
	names, _ := fs.Glob(fsys, "*.html")
	sort.Strings(names)
	h := newHasher()
	for _, n := range names {
		data, _ := fs.ReadFile(fsys, n)
		h.str(n)
		h.u64(hashBytes(data))
	}
	return h.h
}

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
