package search_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/parallel"
	"lmcpress/internal/search"
	"lmcpress/internal/site"
)

// The index benchmarks build the search index of the generated corpora that
// internal/site's benchmarks use (they make and cache them under
// os.TempDir(): run go test -run '^$' -bench Build ./internal/site first).
//
//	go test -run '^$' -bench Index -benchmem ./internal/search
//
// Index1k and Index10k build from scratch; IndexEdit* build once, then
// measure the next build after one page's text changes, IndexAdd10k after
// a new page (the newest) is added.

func BenchmarkIndex1k(b *testing.B)  { benchIndex(b, 1000) }
func BenchmarkIndex10k(b *testing.B) { benchIndex(b, 10000) }

// Stream1k and Stream10k build as a site build does (internal/site/search.go):
// a Stream whose record files go to emit as their last page comes, fed the
// pages newest first, as the site converts them, from every core.
func BenchmarkStream1k(b *testing.B)  { benchStream(b, 1000) }
func BenchmarkStream10k(b *testing.B) { benchStream(b, 10000) }

func BenchmarkIndexEdit1k(b *testing.B)  { benchIndexEdit(b, 1000, false) }
func BenchmarkIndexEdit10k(b *testing.B) { benchIndexEdit(b, 10000, false) }
func BenchmarkIndexAdd10k(b *testing.B)  { benchIndexEdit(b, 10000, true) }

var corpora = map[int][]search.Doc{}

func benchDocs(b *testing.B, n int) []search.Doc {
	if docs, ok := corpora[n]; ok {
		return docs
	}
	root := filepath.Join(os.TempDir(), fmt.Sprintf("lmcpress-bench-corpus-n%d-seed1", n), "content")
	if _, err := os.Stat(filepath.Join(root, "site.yaml")); err != nil {
		b.Skipf("no corpus at %s: run go test -run '^$' -bench Build ./internal/site first", root)
	}
	corpora[n] = contentDocs(b, root)
	return corpora[n]
}

func benchIndex(b *testing.B, n int) {
	docs := benchDocs(b, n)
	var files map[string][]byte
	cpu := cpuTime()
	for b.Loop() {
		var err error
		if files, err = search.Build(docs); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time as well as the wall clock's: a build runs on every core,
	// and the CPU time is less affected by whatever else the machine runs.
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	report(b, docs, files)
}

func benchStream(b *testing.B, n int) {
	docs := benchDocs(b, n)
	keys := make([]search.Key, len(docs))
	for i, d := range docs {
		keys[i] = search.Key{URL: d.URL, Date: d.Date, Updated: d.Updated}
	}
	// The site's order (internal/site/plan.go, newer): newest first by the
	// date last announced, then by address.
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	announced := func(d search.Doc) time.Time {
		if d.Updated.IsZero() {
			return d.Date
		}
		return d.Updated
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := announced(docs[b]).Compare(announced(docs[a])); c != 0 {
			return c
		}
		return strings.Compare(docs[a].URL, docs[b].URL)
	})
	var files map[string][]byte
	cpu := cpuTime()
	for b.Loop() {
		var mu sync.Mutex
		emitted := map[string][]byte{}
		s, err := search.NewStream(keys, func(name string, data []byte) {
			mu.Lock()
			emitted[name] = data
			mu.Unlock()
		})
		if err != nil {
			b.Fatal(err)
		}
		parallel.Do(len(docs), func(k int) { s.Add(order[k], docs[order[k]]) })
		if files, err = s.Finish(); err != nil {
			b.Fatal(err)
		}
		maps.Copy(files, emitted)
	}
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	report(b, docs, files)
}

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchIndexEdit(b *testing.B, n int, add bool) {
	docs := append([]search.Doc(nil), benchDocs(b, n)...)
	ix := search.NewIndex()
	if _, err := ix.Build(docs); err != nil {
		b.Fatal(err)
	}
	// The page edited: the one in the middle of the list.
	k := len(docs) / 2
	orig := docs[k]
	newest := time.Time{}
	for _, d := range docs {
		if d.Date.After(newest) {
			newest = d.Date
		}
	}
	var files map[string][]byte
	i := 0
	for b.Loop() {
		i++
		if add {
			// Add a page, newer than all, or take it away again.
			if i%2 == 1 {
				d := orig
				d.URL = "/news/added-page/"
				d.Date, d.Updated = newest.Add(time.Hour), time.Time{}
				docs = append(docs, d)
			} else {
				docs = docs[:len(docs)-1]
			}
		} else if i%2 == 1 {
			// A sentence more in the middle of the text, or taken out again:
			// every word after it moves.
			d := orig
			mid := strings.LastIndex(orig.Text[:len(orig.Text)/2], " ") + 1
			d.Text = orig.Text[:mid] + "Practices should review the revised guidance before April. " + orig.Text[mid:]
			docs[k] = d
		} else {
			docs[k] = orig
		}
		var err error
		if files, err = ix.Build(docs); err != nil {
			b.Fatal(err)
		}
	}
	report(b, docs, files)
}

func report(b *testing.B, docs []search.Doc, files map[string][]byte) {
	size := 0
	for _, d := range files {
		size += len(d)
	}
	b.ReportMetric(float64(len(docs)), "pages")
	b.ReportMetric(float64(len(files)), "files")
	b.ReportMetric(float64(size), "bytes")
}

// contentDocs reads a content folder into search documents as the site
// build does (internal/site/search.go).
func contentDocs(b testing.TB, root string) []search.Doc {
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
	v := content.Visibility{Now: now}
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

// BenchmarkScan and BenchmarkRecord time two parts of indexing a page,
// one core, on the 10,000-page corpus (the 1,000-page one with
// LMCPRESS_BENCH_PAGES=1000, e.g. to count instructions under valgrind):
// reading its words into terms, and making its record (its entry and its
// compressed text).
func BenchmarkScan(b *testing.B) {
	docs := benchDocs(b, partPages())
	for b.Loop() {
		search.ScanDocs(docs)
	}
}

func BenchmarkRecord(b *testing.B) {
	docs := benchDocs(b, partPages())
	for b.Loop() {
		search.RecordDocs(docs)
	}
}

func partPages() int {
	if os.Getenv("LMCPRESS_BENCH_PAGES") == "1000" {
		return 1000
	}
	return 10000
}
