package search_test

import (
	"io/fs"
	"os"
	"sync"
	"testing"
	"time"

	"lmcpress"
	"lmcpress/internal/content"
	"lmcpress/internal/search"
	"lmcpress/internal/site"
)

// The sample site (../../content) built once for every test that needs it.
var sample struct {
	once  sync.Once
	files map[string][]byte
	err   error
}

// now is the fixed "today" of the sample build, as in internal/site's tests.
var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func sampleSite(t testing.TB) map[string][]byte {
	t.Helper()
	sample.once.Do(func() {
		c := os.DirFS("../../content")
		cfg, err := content.LoadConfig(c)
		if err != nil {
			sample.err = err
			return
		}
		tpl, _ := fs.Sub(lmcpress.Theme, "templates")
		static, _ := fs.Sub(lmcpress.Theme, "static")
		w := site.NewMemWriter()
		_, sample.err = site.Build(site.Options{Config: cfg, Content: c, Templates: tpl, Static: static,
			Visibility: content.Visibility{Now: now}}, w)
		sample.files = w.Files
	})
	if sample.err != nil {
		t.Fatalf("sample site does not build:\n%v", sample.err)
	}
	return sample.files
}

// sampleIndex opens the sample site's index, with a map from page id to URL.
func sampleIndex(t testing.TB) (*search.Searcher, map[int]string) {
	t.Helper()
	files := sampleSite(t)
	ix, err := search.OpenFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	urls := map[int]string{}
	for id := 0; id < ix.Docs(); id++ {
		r, err := ix.Record(id)
		if err != nil {
			t.Fatal(err)
		}
		urls[id] = r.URL
	}
	return ix, urls
}
