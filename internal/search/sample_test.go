package search_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
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

// record is a page's entry in the index, d/ID.bin: what a result shows.
type record struct {
	URL   string `json:"u"`
	Title string `json:"t"`
	Text  string `json:"x"`
}

// records reads every page's record from an index's files, by id.
func records(t testing.TB, files map[string][]byte) []record {
	t.Helper()
	var out []record
	for id := 0; ; id++ {
		data, ok := files[fmt.Sprintf("%sd/%d.bin", search.Dir, id)]
		if !ok {
			return out
		}
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("d/%d.bin: %v", id, err)
		}
		var r record
		if err := json.NewDecoder(zr).Decode(&r); err != nil {
			t.Fatalf("d/%d.bin: %v", id, err)
		}
		out = append(out, r)
	}
}
