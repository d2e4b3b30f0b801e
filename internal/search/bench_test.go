package search_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/search"
	"lmcpress/internal/site"
)

// The index benchmarks build the search index of the generated corpora that
// internal/site's benchmarks use (they make and cache them under
// os.TempDir(): run go test -run '^$' -bench Build ./internal/site first).
//
//	go test -run '^$' -bench Index -benchtime 5x ./internal/search

func BenchmarkIndex1k(b *testing.B)  { benchIndex(b, 1000) }
func BenchmarkIndex10k(b *testing.B) { benchIndex(b, 10000) }

func benchIndex(b *testing.B, n int) {
	root := filepath.Join(os.TempDir(), fmt.Sprintf("lmcpress-bench-corpus-n%d-seed1", n), "content")
	if _, err := os.Stat(filepath.Join(root, "site.yaml")); err != nil {
		b.Skipf("no corpus at %s: run go test -run '^$' -bench Build ./internal/site first", root)
	}
	docs := corpusDocs(b, root)
	b.ResetTimer()
	var files map[string][]byte
	for b.Loop() {
		var err error
		if files, err = search.Build(docs); err != nil {
			b.Fatal(err)
		}
	}
	size := 0
	for _, d := range files {
		size += len(d)
	}
	b.ReportMetric(float64(len(docs)), "pages")
	b.ReportMetric(float64(len(files)), "files")
	b.ReportMetric(float64(size), "bytes")
}

// corpusDocs reads a content folder into search documents as the site
// build does (internal/site/search.go).
func corpusDocs(b *testing.B, root string) []search.Doc {
	fsys := os.DirFS(root)
	cfg, err := content.LoadConfig(fsys)
	if err != nil {
		b.Fatal(err)
	}
	tree, err := content.Load(fsys, cfg)
	if err != nil {
		b.Fatal(err)
	}
	md := markdown.New(markdown.Config{})
	v := content.Visibility{Now: time.Now()}
	var docs []search.Doc
	for _, p := range tree.Pages {
		if p.Kind != content.KindPage || !p.Published(v) {
			continue
		}
		doc, _ := md.Convert(p.Body, markdown.Options{PageURL: p.URL()})
		d := search.Doc{URL: p.URL(), Title: p.Title, Section: p.Section, SectionTitle: p.Section, Date: p.Date,
			Updated: p.Announced(), Summary: p.Summary, Text: doc.Text, Topics: p.Topics}
		if d.Summary == "" {
			d.Summary = site.Excerpt(doc.FirstParagraph, site.SummaryLength)
		}
		for _, h := range doc.Headings {
			d.Headings = append(d.Headings, h.Text)
		}
		docs = append(docs, d)
	}
	return docs
}
