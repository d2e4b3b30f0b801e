package site_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

// TestDirWriterRewritesOnlyWhatChanged builds three times through
// DirWriter. The third build writes into the first's folder (kept as
// .public.previous), so each file there is either already right (and must
// keep its modification time) or must end up exactly as the new build says:
// longer, shorter, or the same length with other bytes.
func TestDirWriterRewritesOnlyWhatChanged(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	build := func(files map[string]string) {
		t.Helper()
		w, err := site.NewDirWriter(out)
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range files {
			if err := w.WriteFile(name, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	big := string(make([]byte, 100<<10)) // spans several comparison pieces
	first := map[string]string{
		"same.html":   "unchanged",
		"grow.html":   "short",
		"shrink.html": "a much longer text",
		"swap.html":   "abcdef",
		"big.bin":     big + "x",
		"gone.html":   "removed later",
		"sub/in.html": "nested",
	}
	build(first)
	old := time.Now().Add(-time.Hour)
	prev := filepath.Join(filepath.Dir(out), ".public.previous")
	build(map[string]string{"other.html": "second build"}) // out becomes .previous
	for name := range first {
		if err := os.Chtimes(filepath.Join(prev, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"same.html":   "unchanged",
		"grow.html":   "a longer text than before",
		"shrink.html": "tiny",
		"swap.html":   "abcxyz",
		"big.bin":     big + "y",
		"sub/in.html": "nested",
	}
	build(want)
	for name, data := range want {
		p := filepath.Join(out, name)
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != data {
			t.Errorf("%s holds %.20q, want %.20q", name, got, data)
		}
		st, _ := os.Stat(p)
		kept := st.ModTime().Equal(old)
		if unchanged := first[name] == data; kept != unchanged {
			t.Errorf("%s: modification time kept = %v, want %v", name, kept, unchanged)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "gone.html")); err == nil {
		t.Error("gone.html is still in the output")
	}
}

// TestSourceBudget builds the sample site twice, holding all of its text
// and then none of it between loading and conversion (as a site larger than
// SourceBudget is built): the outputs must be the same, byte for byte.
func TestSourceBudget(t *testing.T) {
	build := func() map[string][]byte {
		t.Helper()
		o := options(t, os.DirFS("../../content"), nil, nil, content.Visibility{})
		w := site.NewMemWriter()
		if _, err := site.Build(o, w); err != nil {
			t.Fatal(err)
		}
		return w.Files
	}
	held := build()
	defer func(b int) { site.SourceBudget = b }(site.SourceBudget)
	site.SourceBudget = 0
	reread := build()
	if len(held) != len(reread) {
		t.Fatalf("%d files holding the text, %d reading it again", len(held), len(reread))
	}
	for name, data := range held {
		if !bytes.Equal(data, reread[name]) {
			t.Errorf("%s differs when the text is read again", name)
		}
	}
}

// TestDirWriterFileAndFolderSwapPlaces: a name that was a file in the
// build before last is a folder now, and the other way round (a static
// file replaced by a folder of the same name). The kept build must give
// way instead of failing every build from then on.
func TestDirWriterFileAndFolderSwapPlaces(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	build := func(files map[string]string) {
		t.Helper()
		w, err := site.NewDirWriter(out)
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range files {
			if err := w.WriteFile(name, []byte(data)); err != nil {
				t.Fatalf("a build after the swap: %v", err)
			}
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	build(map[string]string{"downloads": "a file", "old/index.html": "a folder"})
	build(map[string]string{"other.html": "in between"})
	want := map[string]string{"downloads/form.pdf": "now a folder", "old": "now a file"}
	build(want) // writes into the first build's folder
	for name, data := range want {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || string(got) != data {
			t.Errorf("%s: %q, %v; want %q", name, got, err, data)
		}
	}
}
