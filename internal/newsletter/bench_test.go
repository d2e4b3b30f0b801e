package newsletter

import (
	"os"
	"path/filepath"
	"testing"

	"lmcpress/internal/benchcorpus"
	"lmcpress/internal/content"
)

// BenchmarkIssue10k builds one issue (the newest, for everyone) from the
// generated 10,000-page corpus the site's build benchmarks use: what
// `lmcpress newsletter build` pays once the content is loaded. Loading and
// parsing the corpus happen before the timer starts.
//
//	LMCPRESS_BENCH_SHARED=/work/shared/bench go test -run='^$' -bench=Issue10k -benchmem ./internal/newsletter
func BenchmarkIssue10k(b *testing.B) {
	root := benchcorpus.Dir(b, 10000)
	fsys := os.DirFS(filepath.Join(root, "content"))
	cfg, err := content.LoadConfig(fsys)
	if err != nil {
		b.Fatal(err)
	}
	tree, err := content.Load(fsys, cfg)
	if err != nil {
		b.Fatal(err)
	}
	o := Options{Config: cfg, Pages: tree.Pages, Visibility: content.Visibility{Now: sampleDay},
		Templates: os.DirFS("../../templates/email")}
	is, err := Build(o)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Build(o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(tree.Pages)), "pages")
	b.ReportMetric(float64(len(is.Items)), "items")
}
