package site

import (
	"strings"
	"sync"
)

// vetted keeps, for the preview, what Options.CheckFile said of each
// content and static file, with the version of the file it said it of
// (Builder.fileV, the hash of its bytes the preview keeps to copy only
// what changed). A rebuild that loads the site again vets again only the
// files that changed since: the others' findings are given as they were.
//
// Measured before it was written: reading an office document for patient
// data cost about 6 ms of CPU (a real two-page Word letter, with header,
// footers and comments; about 3 ms since check reads XML with xmlScan), so
// a site with 200 of them spent over a second on every rebuild that
// changed front matter or added a file, to find again what it had found
// (BenchmarkRebuildWithDocuments: 1,095 ms, 8.5 ms with this).
type vetted struct {
	b    *Builder
	next func(name string, read func() ([]byte, error)) []error

	mu   sync.Mutex
	seen map[string]vetting
}

type vetting struct {
	version uint64
	errs    []error
}

// vetFilesOnce wraps b's CheckFile, if it has one, in a vetted.
func vetFilesOnce(b *Builder) {
	if b.o.CheckFile == nil {
		return
	}
	v := &vetted{b: b, next: b.o.CheckFile, seen: map[string]vetting{}}
	b.o.CheckFile = v.check
}

// check is CheckFile, given the last findings when the file is the same.
// Files without a version (content/site.yaml, the templates, a page that
// failed to load) are vetted every time, as in a build. It runs on every
// core at once (checkFiles), while fileV is only read.
func (v *vetted) check(name string, read func() ([]byte, error)) []error {
	var key string
	if rest, ok := strings.CutPrefix(name, "content/"); ok {
		key = "c:" + rest
	} else if rest, ok := strings.CutPrefix(name, "static/"); ok {
		key = "s:" + rest
	}
	version := v.b.fileV[key]
	if key == "" || version == 0 {
		return v.next(name, read)
	}
	v.mu.Lock()
	last, ok := v.seen[key]
	v.mu.Unlock()
	if ok && last.version == version {
		return last.errs
	}
	errs := v.next(name, read)
	v.mu.Lock()
	v.seen[key] = vetting{version, errs}
	v.mu.Unlock()
	return errs
}
