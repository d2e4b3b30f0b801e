package check

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"lmcpress/internal/benchcorpus"
	"lmcpress/internal/content"
)

// BenchmarkCheck checks a generated 10,000-page corpus (the one
// internal/site's BenchmarkBuild10k builds, from ../shared/bench/gencorpus):
// "site" is all of `lmcpress check` but the output, "patient" the
// patient-data scanners alone over every page (what the build adds).
//
//	go test -run='^$' -bench=Check -benchtime=3x ./internal/check
func BenchmarkCheck(b *testing.B) {
	root := benchcorpus.Dir(b, 10000)
	cfs := os.DirFS(filepath.Join(root, "content"))
	o := Options{Content: cfs, Visibility: content.Visibility{Now: testNow}}
	b.Run("site", func(b *testing.B) {
		var rep *Report
		for b.Loop() {
			var err error
			if rep, err = Site(context.Background(), o); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(rep.Summary.Pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		b.ReportMetric(float64(rep.Summary.Errors), "errors")
		b.ReportMetric(float64(rep.Summary.Warnings), "warnings")
	})
	b.Run("patient", func(b *testing.B) {
		cfg, err := content.LoadConfig(cfs)
		if err != nil {
			b.Fatal(err)
		}
		tree, err := content.Load(cfs, cfg)
		if err != nil {
			b.Fatal(err)
		}
		n, size := 0, 0
		for _, p := range tree.Pages {
			size += len(p.Body)
		}
		b.SetBytes(int64(size))
		for b.Loop() {
			n = 0
			for _, p := range tree.Pages {
				n += len(PagePatientData(p))
			}
		}
		b.ReportMetric(float64(len(tree.Pages))*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		b.ReportMetric(float64(n), "findings")
	})
}

// BenchmarkScan runs the patient-data scanners over the sample site's text.
func BenchmarkScan(b *testing.B) {
	var text []byte
	files, _ := filepath.Glob("../../content/*/*.md")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		text = append(text, data...)
	}
	if len(text) == 0 {
		b.Skip("no sample content in ../../content")
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		scan(text)
	}
}

// BenchmarkVet runs the build's per-page patient-data guard (Vet) over 300
// pages of the generated corpus's news (about 5 KB of prose each) and the
// sample site's pages: what every `lmcpress build` pays per page.
//
//	go test -run='^$' -bench=Vet -benchmem ./internal/check
func BenchmarkVet(b *testing.B) {
	var pages []*content.Page
	load := func(fsys fs.FS, names []string) {
		for _, name := range names {
			if p, errs := content.LoadFile(fsys, name, nil); p != nil && len(errs) == 0 {
				pages = append(pages, p)
			}
		}
	}
	corpus := filepath.Join(os.TempDir(), "lmcpress-bench-corpus-n10000-seed1", "content")
	news, _ := fs.Glob(os.DirFS(corpus), "news/*.md") // sorted
	if len(news) == 0 {
		b.Skipf("benchmark corpus missing (%s): generate it with BenchmarkCheck, or cd ../shared/bench/gencorpus && go run . -n 10000 -out %s -seed 1", corpus, filepath.Dir(corpus))
	}
	load(os.DirFS(corpus), news[:min(300, len(news))])
	sample := os.DirFS("../../content")
	var own []string
	fs.WalkDir(sample, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".md" {
			own = append(own, path)
		}
		return nil
	})
	load(sample, own)
	size := 0
	for _, p := range pages {
		size += len(p.Body)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = 0
		for _, p := range pages {
			n += len(Vet(p, nil))
		}
	}
	b.ReportMetric(float64(len(pages)), "pages")
	b.ReportMetric(float64(n), "findings")
}
