package site

import (
	"context"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/parallel"
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

// parallel runs f(0..n-1) on every core, but leaves the rest undone once
// the build's context is done; run checks the context after each stage and
// returns its error.
func (b *Builder) parallel(n int, f func(i int)) {
	_ = parallel.DoContext(b.ctx, n, f)
}

// entry is one Markdown file as last read.
type entry struct {
	page *content.Page
	errs content.Errors
	item *Item   // nil when not published or broken
	cerr []error // an unpublished page's problems (vetUnpublished); nil until vetted
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
