package watch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func start(t *testing.T, roots ...string) (*Watcher, context.CancelFunc) {
	t.Helper()
	w, err := New(roots, 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go w.Run(ctx)
	t.Cleanup(cancel)
	return w, cancel
}

// next waits for a batch that holds every wanted path (earlier batches
// from setup are skipped).
func next(t *testing.T, w *Watcher, want ...string) []string {
	t.Helper()
	deadline := time.After(5 * time.Second)
	var seen []string
	for {
		select {
		case b := <-w.Batches():
			seen = append(seen, b...)
			ok := true
			for _, p := range want {
				if !slices.Contains(seen, p) {
					ok = false
				}
			}
			if ok {
				return seen
			}
		case <-deadline:
			t.Fatalf("no batch with %v; saw %v", want, seen)
		}
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWriteInPlace(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a.md")
	write(t, f, "one")
	w, _ := start(t, dir)
	write(t, f, "two")
	next(t, w, f)
}

func TestSaveByRename(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a.md")
	write(t, f, "one")
	w, _ := start(t, dir)
	tmp := filepath.Join(dir, ".a.md.tmp123")
	write(t, tmp, "two")
	if err := os.Rename(tmp, f); err != nil {
		t.Fatal(err)
	}
	next(t, w, f)
}

func TestBurstIsOneBatch(t *testing.T) {
	dir := t.TempDir()
	w, _ := start(t, dir)
	var want []string
	for i := 0; i < 50; i++ {
		p := filepath.Join(dir, "f"+string(rune('a'+i%26))+string(rune('a'+i/26))+".md")
		want = append(want, p)
		write(t, p, "x")
	}
	got := next(t, w, want...)
	if len(got) < 50 {
		t.Errorf("batch has %d paths, want 50", len(got))
	}
}

func TestNewFolderIsWatched(t *testing.T) {
	dir := t.TempDir()
	w, _ := start(t, dir)
	sub := filepath.Join(dir, "news", "bundle")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	inner := filepath.Join(sub, "index.md")
	write(t, inner, "x")
	next(t, w, inner)
	// A file written later in the new folder is seen too.
	later := filepath.Join(sub, "letter.pdf")
	write(t, later, "pdf")
	next(t, w, later)
}

func TestDeleteAndRenameFolder(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "old")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(sub, "a.md")
	write(t, f, "x")
	w, _ := start(t, dir)
	if err := os.Rename(sub, filepath.Join(dir, "new")); err != nil {
		t.Fatal(err)
	}
	next(t, w, sub, filepath.Join(dir, "new", "a.md"))
	if err := os.Remove(filepath.Join(dir, "new", "a.md")); err != nil {
		t.Fatal(err)
	}
	next(t, w, filepath.Join(dir, "new", "a.md"))
}

func TestEditorScratchFilesIgnored(t *testing.T) {
	for _, p := range []string{"a.md~", ".a.md.swp", ".#a.md", "#a.md#", "4913"} {
		if !Ignored(p) {
			t.Errorf("Ignored(%q) = false", p)
		}
	}
	for _, p := range []string{"a.md", "site.yaml", "x.swap.md"} {
		if Ignored(p) {
			t.Errorf("Ignored(%q) = true", p)
		}
	}
}

func TestRootCreatedLater(t *testing.T) {
	dir := t.TempDir()
	static := filepath.Join(dir, "static")
	w, _ := start(t, filepath.Join(dir, "content"), static)
	write(t, filepath.Join(dir, "README.md"), "not watched")
	if err := os.MkdirAll(filepath.Join(static, "css"), 0o755); err != nil {
		t.Fatal(err)
	}
	css := filepath.Join(static, "css", "site.css")
	write(t, css, "body{}")
	got := next(t, w, css)
	if slices.Contains(got, filepath.Join(dir, "README.md")) {
		t.Errorf("a path outside the roots was reported: %v", got)
	}
}
