package search_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
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

// record is a page's entry in the index, in its d/ bucket, with its text
// from its x/ pack: what a result shows.
type record struct {
	URL     string `json:"u"`
	Title   string `json:"t"`
	Summary string `json:"-"`
	Text    string `json:"-"`
}

// records reads every page's record from an index's files, by id.
func records(t testing.TB, files map[string][]byte) []record {
	t.Helper()
	var m struct{ Docs, Bucket, Pack int }
	if err := json.Unmarshal(gunzip(t, "meta.bin", files[search.Dir+"meta.bin"]), &m); err != nil {
		t.Fatalf("meta.bin: %v", err)
	}
	out := make([]record, 0, m.Docs)
	for b := 0; len(out) < m.Docs; b++ {
		name := fmt.Sprintf("d/%d.bin", b)
		var list []record
		if err := json.Unmarshal(gunzip(t, name, files[search.Dir+name]), &list); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(list) != min(m.Bucket, m.Docs-len(out)) {
			t.Fatalf("%s holds %d pages", name, len(list))
		}
		out = append(out, list...)
	}
	for id := range out {
		name := fmt.Sprintf("x/%d.bin", id/m.Pack)
		pack, j := files[search.Dir+name], id%m.Pack
		if len(pack) < 4*j+8 {
			t.Fatalf("%s: too short for page %d", name, id)
		}
		from, to := binary.LittleEndian.Uint32(pack[4*j:]), binary.LittleEndian.Uint32(pack[4*j+4:])
		if from > to || int(to) > len(pack) {
			t.Fatalf("%s: page %d at %d-%d of %d bytes", name, id, from, to, len(pack))
		}
		var entry struct {
			Summary string `json:"m"`
			Text    string `json:"x"`
		}
		if err := json.Unmarshal(gunzip(t, name, pack[from:to]), &entry); err != nil {
			t.Fatalf("%s, page %d: %v", name, id, err)
		}
		out[id].Summary, out[id].Text = entry.Summary, entry.Text
	}
	return out
}

func gunzip(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}
