package site_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"lmcpress"
	"lmcpress/internal/benchcorpus"
	"lmcpress/internal/cache"
	"lmcpress/internal/content"
	"lmcpress/internal/site"
	"strings"
	"testing/fstest"
)

// The whole-build benchmarks run the real pipeline (the same Options as
// `lmcpress build`, see cmd/lmcpress/build.go) on a corpus written by
// ../shared/bench/gencorpus, the generator compare.sh uses against Hugo.
//
//	go test -run='^$' -bench=Build -benchtime=3x ./internal/site
//
// Sub-benchmarks: "dir" writes into a DirWriter and commits (as the CLI does
// with LMCPRESS_CACHE=off), "dir+cache" does too with the build cache filled
// by an earlier build (as the CLI does by default), "fresh" into a new, empty
// folder each time (a deploy from a clean checkout), "mem" into a MemWriter
// (no disk, no cache). Corpora are cached under os.TempDir(),
// keyed by size and seed, so only the first run pays for generating them.

func BenchmarkBuild1k(b *testing.B)  { benchBuild(b, 1000) }
func BenchmarkBuild10k(b *testing.B) { benchBuild(b, 10000) }

// benchOptions assembles site.Options as cmd/lmcpress does for a folder with
// only content/ (the embedded theme alone).
func benchOptions(b *testing.B, root string) site.Options {
	b.Helper()
	cfs := os.DirFS(filepath.Join(root, "content"))
	cfg, err := content.LoadConfig(cfs)
	if err != nil {
		b.Fatal(err)
	}
	tpl, _ := fs.Sub(lmcpress.Theme, "templates")
	static, _ := fs.Sub(lmcpress.Theme, "static")
	return site.Options{
		Config:     cfg,
		Content:    cfs,
		Templates:  tpl,
		Static:     static,
		Visibility: content.Visibility{Now: now},
	}
}

func benchBuild(b *testing.B, n int) {
	root := benchcorpus.Dir(b, n)
	o := benchOptions(b, root)
	report := func(b *testing.B, pages, files int) {
		s := b.Elapsed().Seconds()
		if s > 0 {
			b.ReportMetric(float64(pages)*float64(b.N)/s, "pages/s")
		}
		b.ReportMetric(float64(pages), "pages")
		b.ReportMetric(float64(files), "files")
	}
	b.Run("dir", func(b *testing.B) {
		out := filepath.Join(b.TempDir(), "public")
		var res *site.Result
		b.ReportAllocs()
		for b.Loop() {
			w, err := site.NewDirWriter(out)
			if err != nil {
				b.Fatal(err)
			}
			res, err = site.Build(o, w)
			if err != nil {
				w.Abort()
				b.Fatal(err)
			}
			if err := w.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		report(b, res.Pages, res.Files)
	})
	// "fresh" is the build of a deploy from a clean checkout (as
	// LMCPRESS_CACHE=off lmcpress build into a new folder): each iteration
	// writes into a new, empty folder, so every folder and file is created.
	// It reports the CPU time the process spent in the kernel apart, as
	// most of what a fresh build costs beyond a rebuild is there (creating
	// inodes): profile it with -cpuprofile, or perf, not with "mem".
	b.Run("fresh", func(b *testing.B) {
		dir := b.TempDir()
		var res *site.Result
		b.ReportAllocs()
		user0, sys0 := cpuTimes()
		n := 0
		for b.Loop() {
			n++
			w, err := site.NewDirWriter(filepath.Join(dir, fmt.Sprint(n), "public"))
			if err != nil {
				b.Fatal(err)
			}
			if res, err = site.Build(o, w); err != nil {
				w.Abort()
				b.Fatal(err)
			}
			if err := w.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		user1, sys1 := cpuTimes()
		if user1 > 0 {
			b.ReportMetric((user1-user0).Seconds()/float64(b.N), "user-s/op")
			b.ReportMetric((sys1-sys0).Seconds()/float64(b.N), "sys-s/op")
		}
		report(b, res.Pages, res.Files)
	})
	// "dir+cache" is "dir" with the build cache filled by a first build, as
	// every rebuild after the first sees it (each iteration opens and
	// closes it, as the CLI does).
	b.Run("dir+cache", func(b *testing.B) {
		dir := b.TempDir()
		out, cachePath := filepath.Join(dir, "public"), filepath.Join(dir, ".public.cache")
		var res *site.Result
		build := func() {
			c, err := cache.Open(cachePath, []byte("bench"))
			if err != nil {
				b.Fatal(err)
			}
			oc := o
			oc.Cache = c
			w, err := site.NewDirWriter(out)
			if err != nil {
				b.Fatal(err)
			}
			if res, err = site.Build(oc, w); err != nil {
				w.Abort()
				b.Fatal(err)
			}
			if err := w.Commit(); err != nil {
				b.Fatal(err)
			}
			if err := c.Close(); err != nil {
				b.Fatal(err)
			}
		}
		build() // fills the cache and the output
		b.ReportAllocs()
		for b.Loop() {
			build()
		}
		report(b, res.Pages, res.Files)
	})
	b.Run("mem", func(b *testing.B) {
		var res *site.Result
		b.ReportAllocs()
		for b.Loop() {
			w := site.NewMemWriter()
			var err error
			res, err = site.Build(o, w)
			if err != nil {
				b.Fatal(err)
			}
		}
		report(b, res.Pages, res.Files)
	})
}

// BenchmarkRebuildOneEdit10k measures the preview's rebuild after one news
// item's body changes, on the 10,000-page corpus:
//
//	go test -run '^$' -bench RebuildOneEdit -benchtime 20x ./internal/site
func BenchmarkRebuildOneEdit10k(b *testing.B) {
	root := benchcorpus.Dir(b, 10000)
	// The builder reads through an overlay that serves one news file from
	// memory, so the corpus on disk is never changed.
	o := benchOptions(b, root)
	entries, err := fs.ReadDir(o.Content, "news")
	if err != nil {
		b.Fatal(err)
	}
	var name string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".md") && e.Name() != "_index.md" {
			name = "news/" + e.Name()
			break
		}
	}
	orig, err := fs.ReadFile(o.Content, name)
	if err != nil {
		b.Fatal(err)
	}
	edited := fstest.MapFS{name: &fstest.MapFile{Data: orig}}
	o.Content = site.Overlay{edited, o.Content}
	bl := site.NewBuilder(o)
	if _, err := bl.Rebuild(nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		edited[name] = &fstest.MapFile{Data: append(append([]byte(nil), orig...), fmt.Sprintf("\n\nEdit %d.\n", i)...)}
		res, err := bl.Rebuild([]string{"content/" + name})
		if err != nil {
			b.Fatal(err)
		}
		if res.Rendered == 0 {
			b.Fatal("nothing rendered")
		}
	}
}
