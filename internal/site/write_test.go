package site_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sync"
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
	build := func(files map[string]string) { t.Helper(); dirBuild(t, out, files) }
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
	// A fixed moment well before any build, so a kept file is told from a
	// rewritten one by its time alone, whatever today's date.
	old := time.Date(2020, 3, 4, 5, 6, 7, 0, time.UTC)
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

// TestDirWriterFileAndFolderSwapPlaces: a name that was a file in the
// build before last is a folder now, and the other way round (a static
// file replaced by a folder of the same name). The kept build must give
// way instead of failing every build from then on.
func TestDirWriterFileAndFolderSwapPlaces(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	build := func(files map[string]string) { t.Helper(); dirBuild(t, out, files) }
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

// TestDirWriterPrunesWhileWriting: the folder is listed while the build
// writes into it. Many names change from file to folder and back, and many
// files go, so that the listing and the writes overlap; the output must be
// exactly the new build's files, whatever the timing.
func TestDirWriterPrunesWhileWriting(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	build := func(files map[string]string) { t.Helper(); dirBuild(t, out, files) }
	first, want := map[string]string{}, map[string]string{}
	for i := range 400 {
		switch i % 4 {
		case 0: // a folder, then a file
			first[fmt.Sprintf("d%d/a/index.html", i)] = "deep"
			first[fmt.Sprintf("d%d/b.html", i)] = "b"
			want[fmt.Sprintf("d%d", i)] = "now a file"
		case 1: // a file, then a folder
			first[fmt.Sprintf("f%d", i)] = "a file"
			want[fmt.Sprintf("f%d/index.html", i)] = "now a folder"
		case 2: // gone
			first[fmt.Sprintf("g%d/index.html", i)] = "gone"
		case 3: // kept, one changed
			first[fmt.Sprintf("k%d/index.html", i)] = "kept"
			want[fmt.Sprintf("k%d/index.html", i)] = "kept"
			want[fmt.Sprintf("k%d/new.html", i)] = "new"
		}
	}
	for round := range 3 {
		build(first)
		build(map[string]string{"between.html": "x"})
		build(want) // into the first build's folder
		got := map[string]string{}
		err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(out, p)
			got[filepath.ToSlash(rel)] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, want) {
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("round %d: %s left in the output", round, name)
				}
			}
			for name, data := range want {
				if got[name] != data {
					t.Errorf("round %d: %s holds %q, want %q", round, name, got[name], data)
				}
			}
		}
	}
}

// TestBuildInterrupted cancels builds of the sample site at every stage a
// build can be at (after 0, 1, 10 and 40 pages rendered): each must return
// the context's error, without a panic, and leave the output folder as the
// last whole build left it.
func TestBuildInterrupted(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	o := options(t, os.DirFS("../../content"), nil, nil, content.Visibility{})
	w, err := site.NewDirWriter(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(o, w); err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, after := range []int{0, 1, 10, 40} {
		ctx, cancel := context.WithCancel(context.Background())
		oc := o
		oc.Progress = func(done, total int) {
			if done >= after {
				cancel()
			}
		}
		if after == 0 {
			cancel()
		}
		w, err := site.NewDirWriter(out)
		if err != nil {
			t.Fatal(err)
		}
		_, err = site.BuildContext(ctx, oc, w)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %d pages: err = %v, want context.Canceled", after, err)
		}
		w.Abort()
		cancel()
		now, err := os.ReadFile(filepath.Join(out, "index.html"))
		if err != nil || !bytes.Equal(now, before) {
			t.Errorf("cancelled after %d pages: the output changed (%v)", after, err)
		}
	}
	names, _ := filepath.Glob(filepath.Join(dir, ".*"))
	for _, n := range names {
		if base := filepath.Base(n); base != ".public.previous" {
			t.Errorf("left beside the output: %s", base)
		}
	}
}

// dirBuild writes files through a DirWriter into out from four goroutines,
// as a build does, and commits.
func dirBuild(t *testing.T, out string, files map[string]string) {
	t.Helper()
	w, err := site.NewDirWriter(out)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	names := make(chan string)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range names {
				if err := w.WriteFile(name, []byte(files[name])); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	for name := range files {
		names <- name
	}
	close(names)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestDirWriterIntoEmptyFolder: the first build (no build before last to
// write into) creates every file new. A name written twice must end up
// with the second bytes, shorter or longer, and files are readable by the
// web server like any other (0644 before the umask).
func TestDirWriterIntoEmptyFolder(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	w, err := site.NewDirWriter(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ name, data string }{
		{"a/index.html", "first, and longer"},
		{"a/index.html", "second"},
		{"b.html", "x"},
		{"b.html", "then much longer"},
		{"empty.txt", ""},
	} {
		if err := w.WriteFile(f.name, []byte(f.data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"a/index.html": "second", "b.html": "then much longer", "empty.txt": ""} {
		p := filepath.Join(out, name)
		got, err := os.ReadFile(p)
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
		if st, err := os.Stat(p); err != nil || st.Mode().Perm()&0o444 != 0o444 || st.Mode().Perm()&0o111 != 0 {
			t.Errorf("%s: mode %v, %v; want readable by all, executable by none", name, st.Mode(), err)
		}
	}
}
