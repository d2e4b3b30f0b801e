package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"lmcpress"
	"lmcpress/internal/cache"
	"lmcpress/internal/check"
	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

// siteFlags are the flags every building command shares.
type siteFlags struct {
	root                    string
	drafts, future, expired bool
	now                     nowFlag
}

func (s *siteFlags) register(fs *flagSet) {
	fs.StringVar(&s.root, "root", ".", "the site folder (holds content/, and optionally templates/ and static/)")
	fs.BoolVar(&s.drafts, "drafts", false, "include pages marked draft: true")
	fs.BoolVar(&s.future, "future", false, "include pages whose date or publishDate is in the future")
	fs.BoolVar(&s.expired, "expired", false, "include pages whose expiryDate has passed")
	registerNow(fs, &s.now)
}

// visibility is which pages the flags publish, at the moment now.
func (s *siteFlags) visibility(now time.Time) content.Visibility {
	return content.Visibility{Drafts: s.drafts, Future: s.future, Expired: s.expired, Now: now}
}

// options reads the site folder's configuration and layers its theme over
// the embedded default. Every file is read from f (see siteFolders).
func (s *siteFlags) options(now time.Time, f *siteFolders) (site.Options, error) {
	cfg, err := content.LoadConfig(f.content)
	if err != nil {
		return site.Options{}, check.Explain(err) // as check reports it
	}
	tpl, _ := fs.Sub(lmcpress.Theme, "templates")
	static, _ := fs.Sub(lmcpress.Theme, "static")
	return site.Options{
		Config:  cfg,
		Content: f.content,
		// A site's own folders may appear later (while serve runs): a missing
		// folder is simply an empty layer.
		Templates:  site.Overlay{f.templates, tpl},
		Static:     site.Overlay{f.static, static},
		Visibility: s.visibility(now),
		// What stops publishing, in check's words (see check.SeverityOf).
		Check:      check.Vet,
		CheckLinks: check.VetLinks,
		CheckFile:  check.VetFile,
	}, nil
}

// progress shows a progress bar on a terminal for builds big enough to wait
// for; piped output (CI, logs) stays quiet.
func progress(e *env) func(done, total int) {
	f, ok := e.stderr.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	var bar *progressbar.ProgressBar
	var mu sync.Mutex
	return func(done, total int) {
		if total < 2000 {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("rendering"),
				progressbar.OptionShowCount(), progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
		}
		_ = bar.Set(done)
	}
}

func runBuild(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := flags(e, "build",
		"Build turns the site folder's Markdown into the website, in ROOT/public (or --out). It refuses to publish a page with patient data or a broken link, and replaces the output folder only when the whole site built.",
		"build [--root DIR] [--out DIR] [--drafts] [--future] [--expired] [--now DATE] [--timings]")
	sf.register(fl)
	out := fl.String("out", "", "output folder (default ROOT/public)")
	timings := fl.Bool("timings", false, "print how long each stage of the build took")
	if _, err := parse(fl, args); err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(sf.root, "public")
	}
	defer tuneGC(e.getenv)()
	start := time.Now()
	c := openCache(e, *out)
	res, err := buildSite(ctx, &sf, *out, sf.now.at(e), progress(e), c)
	var st cache.Stats
	if c != nil {
		st = c.Stats()
	}
	closeCache(e, c) // what a failed build converted is kept too
	if err != nil {
		return err
	}
	if *timings {
		for _, s := range res.Stages {
			fmt.Fprintf(e.stdout, "  %-26s %s\n", s.Name, s.Took.Round(time.Millisecond))
		}
		fmt.Fprintf(e.stdout, "  %-26s %s\n", "swap into place", res.Swap.Round(time.Millisecond))
		if c != nil {
			fmt.Fprintf(e.stdout, "  %-26s %d hits, %d misses, %d written, %d failed to write\n", "cache", st.Hits, st.Misses, st.Puts, st.Failed)
		}
	}
	fmt.Fprintf(e.stdout, "Built %d pages (%d files) into %s in %s\n", res.Pages, res.Files, *out, time.Since(start).Round(time.Millisecond))
	for _, n := range res.Notes { // in check's words, patient data starred out
		fmt.Fprintf(e.stdout, "info: %s\n", check.Mask(n))
	}
	return nil
}

// Garbage collection during a build, unless GOGC or GOMEMLIMIT says
// otherwise. A build allocates far more than it keeps (each page's parse
// tree, HTML and text are garbage once the page is written), so collecting
// half as often saves a tenth of its time; the soft limit keeps the price
// bounded on a very large site, where the collector works harder instead.
// Measured with ../shared/bench/compare.sh and /usr/bin/time on 50,000
// pages; see the README's figures.
const (
	buildGCPercent   = 200
	buildMemoryLimit = 800 << 20
)

// tuneGC applies the build's collector settings and returns a function
// that puts back the previous ones (run is also called in tests).
func tuneGC(getenv func(string) string) (restore func()) {
	pct, limit := -2, int64(-1)
	if getenv("GOGC") == "" {
		pct = debug.SetGCPercent(buildGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		limit = debug.SetMemoryLimit(buildMemoryLimit)
	}
	return func() {
		if pct != -2 {
			debug.SetGCPercent(pct)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}

// buildSite builds into a temporary folder and swaps it in only on success.
func buildSite(ctx context.Context, sf *siteFlags, out string, now time.Time, progress func(done, total int), c *cache.File) (*site.Result, error) {
	folders, err := openSite(sf.root)
	if err != nil {
		return nil, err
	}
	defer folders.Close()
	o, err := sf.options(now, folders)
	if err != nil {
		return nil, err
	}
	o.Progress = progress
	if c != nil {
		o.Cache = c
		o.CheckFile = cachedVetFile(c, o.CheckFile)
	}
	w, err := site.NewDirWriter(out)
	if err != nil {
		return nil, err
	}
	res, err := site.BuildContext(ctx, o, w)
	if err != nil {
		w.Abort()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("interrupted: the site was not built (%s left as it was)", out)
		}
		var es content.Errors
		if errors.As(err, &es) {
			explained := check.Explain(err)
			if d := check.DigestErrors(explained); d != nil { // many: what explains them, as check ends too
				return nil, fmt.Errorf("the site was not built (%s left as it was):\n%w\n%s", out, explained, strings.Join(d, "\n"))
			}
			return nil, fmt.Errorf("the site was not built (%s left as it was):\n%w", out, explained)
		}
		return nil, fmt.Errorf("the site was not built (%s left as it was): %w", out, err)
	}
	swap := time.Now()
	if err := w.Commit(); err != nil {
		return nil, err
	}
	res.Swap = time.Since(swap)
	return res, nil
}
