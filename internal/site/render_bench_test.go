package site

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lmcpress"
	"lmcpress/internal/benchcorpus"
	"lmcpress/internal/content"
)

// BenchmarkRenderPages puts every page of a generated corpus through the
// default theme's templates, and nothing else: the corpus is loaded,
// converted and planned once, then each iteration forgets what
// partialCached kept and executes every page into a buffer, as the render
// stage of a fresh build does. It isolates the template work the whole-build
// benchmarks (bench_test.go) mix with Markdown and writes:
//
//	go test -run '^$' -bench RenderPages -count 5 ./internal/site
func BenchmarkRenderPages(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(itoa(n/1000)+"k", func(b *testing.B) { benchRender(b, n) })
	}
}

func benchRender(b *testing.B, n int) {
	root := benchcorpus.Dir(b, n)
	cfs := os.DirFS(filepath.Join(root, "content"))
	cfg, err := content.LoadConfig(cfs)
	if err != nil {
		b.Fatal(err)
	}
	tpl, _ := fs.Sub(lmcpress.Theme, "templates")
	static, _ := fs.Sub(lmcpress.Theme, "static")
	o := Options{Config: cfg, Content: cfs, Templates: tpl, Static: static,
		Visibility: content.Visibility{Now: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}}
	ctx := context.Background()
	md := newEngine(o.Config)
	src, err := load(ctx, md, &o)
	if err != nil {
		b.Fatal(err)
	}
	pub := publish(&o, src.pages)
	if err := convertItems(ctx, md, &o, pub.intros(), nil); err != nil {
		b.Fatal(err)
	}
	pl, err := planSite(&o, src, pub)
	if err != nil {
		b.Fatal(err)
	}
	if err := convertItems(ctx, md, &o, pl.items, nil); err != nil {
		b.Fatal(err)
	}
	jobs := append(append([]job(nil), pl.jobs...), pl.aliases...)
	var buf bytes.Buffer
	size := 0
	b.ReportAllocs()
	for b.Loop() {
		src.tpl.Forget()
		size = 0
		for _, j := range jobs {
			finish(j.view)
			buf.Reset()
			if err := src.tpl.Execute(&buf, j.template, j.view); err != nil {
				b.Fatal(err)
			}
			size += buf.Len()
		}
	}
	b.ReportMetric(float64(len(jobs)), "pages")
	b.ReportMetric(float64(size), "bytes")
}
