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

// errorf makes a content error for a page.
func errorf(p *content.Page, line int, format string, args ...any) error {
	return &content.Error{File: "content/" + p.File, Line: line, Msg: fmt.Sprintf(format, args...)}
}
