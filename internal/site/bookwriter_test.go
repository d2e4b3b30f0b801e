package site

import (
	"strings"
	"testing"
	"time"

	"lmcpress/internal/content"
)

// TestBookWriter: Build writes only what the book lists, each file once,
// so an output the collision checks never saw cannot replace another.
func TestBookWriter(t *testing.T) {
	p, errs := content.Parse("news/a.md", []byte("---\ntitle: A\ndate: 2024-01-05\n---\nA.\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	book := content.NewBook(nil, []*content.Page{p}, nil, []string{"css/site.css"}, content.Visibility{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	mw := NewMemWriter()
	w := &bookWriter{w: mw, book: book, written: map[string]bool{}}
	for _, name := range []string{"news/a/index.html", "css/site.css", "search/index/meta.bin", "feed.xml"} {
		if err := w.WriteFile(name, []byte("x")); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, want := range map[string]string{
		"css/site.css":      "written twice, by static/css/site.css",
		"news/b/index.html": "not in the book of addresses",
		"news/a":            "not in the book of addresses",
	} {
		if err := w.WriteFile(name, []byte("y")); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
	if string(mw.Files["css/site.css"]) != "x" {
		t.Error("the second write went through")
	}
}
