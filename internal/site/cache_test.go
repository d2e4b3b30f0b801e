package site_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"testing/fstest"

	"lmcpress/internal/cache"
	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

// TestCacheGivesTheSameSite builds the sample site, and edits of it, with a
// build cache on disk (cold, then warm) and without one: every build must
// give the same files as a build without a cache, and a warm build must
// take every page from the cache.
func TestCacheGivesTheSameSite(t *testing.T) {
	src := fstest.MapFS{}
	if err := addDir(src, "../../content"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), ".public.cache")
	build := func(c fstest.MapFS, withCache bool) (map[string][]byte, cache.Stats) {
		t.Helper()
		o := options(t, c, nil, nil, content.Visibility{})
		var f *cache.File
		if withCache {
			var err error
			if f, err = cache.Open(path, []byte("test")); err != nil {
				t.Fatal(err)
			}
			o.Cache = f
		}
		w := site.NewMemWriter()
		_, err := site.Build(o, w)
		var st cache.Stats
		if f != nil {
			st = f.Stats()
			if cerr := f.Close(); cerr != nil {
				t.Fatal(cerr)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		return w.Files, st
	}
	same := func(step string, got, want map[string][]byte) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d files, want %d", step, len(got), len(want))
		}
		var diff []string
		for name, data := range want {
			if !bytes.Equal(got[name], data) {
				diff = append(diff, name)
			}
		}
		sort.Strings(diff)
		if len(diff) > 0 {
			t.Errorf("%s: %d files differ from a build without the cache, e.g. %v", step, len(diff), diff[:min(5, len(diff))])
		}
	}

	want, _ := build(src, false)
	cold, st := build(src, true)
	same("cold cache", cold, want)
	if st.Puts == 0 || st.Hits != 0 || st.Misses != st.Puts {
		t.Errorf("cold cache: %+v, want each lookup a miss and written once", st)
	}
	warm, st2 := build(src, true)
	same("warm cache", warm, want)
	if st2.Misses != 0 || st2.Puts != 0 || st2.Hits != st.Puts || st2.Entries != int(st.Puts) {
		t.Errorf("warm cache: %+v, want all %d entries read once, no miss, nothing written", st2, st.Puts)
	}

	// An edit to one page's text: that page's Markdown and record are made
	// again, the rest read.
	edited := clone(src)
	name := "advice/systmone-instant-messaging.md"
	if edited[name] == nil {
		t.Fatalf("the sample site has no %s", name)
	}
	edited[name].Data = bytes.Replace(edited[name].Data, []byte("\n\n"), []byte("\n\nA sentence added for the test, with <b>raw HTML</b>.\n\n"), 1)
	want, _ = build(edited, false)
	got, st3 := build(edited, true)
	same("one page edited", got, want)
	if st3.Misses == 0 || st3.Misses > 4 || st3.Hits == 0 {
		t.Errorf("one page edited: %+v, want a few misses (the page and its record, perhaps its feed entry) and the rest hits", st3)
	}

	// The Markdown configuration is part of the key: allowing raw HTML
	// must not take the escaped conversions of the last build.
	raw := clone(edited)
	raw["site.yaml"] = &fstest.MapFile{Data: bytes.Replace(raw["site.yaml"].Data, []byte("allowRawHTML: false"), []byte("allowRawHTML: true"), 1)}
	want, _ = build(raw, false)
	got, _ = build(raw, true)
	same("raw HTML allowed", got, want)
	if !bytes.Contains(got["advice/systmone-instant-messaging/index.html"], []byte("<b>raw HTML</b>")) {
		t.Error("with allowRawHTML the page does not carry the raw HTML: the cached conversion was used")
	}

	// A page whose ref names another page is converted again when that
	// page's address changes, though its own text did not.
	refs := clone(edited)
	refs["news/ref-test.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Ref\ndate: 2016-01-01\n---\nSee [it]({{< ref \"ref-target.md\" >}}).\n")}
	refs["news/ref-target.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Target\ndate: 2016-01-02\n---\nText.\n")}
	build(refs, true)
	refs["news/ref-target.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Target\ndate: 2016-01-02\nslug: moved-for-the-test\n---\nText.\n")}
	want, _ = build(refs, false)
	got, _ = build(refs, true)
	same("the ref's page moved", got, want)
	if !bytes.Contains(got["news/ref-test/index.html"], []byte(`href="/news/moved-for-the-test/"`)) {
		t.Error("the page with the ref links to the old address: the cached conversion was used")
	}
}

func clone(m fstest.MapFS) fstest.MapFS {
	c := fstest.MapFS{}
	for k, v := range m {
		f := *v
		c[k] = &f
	}
	return c
}

// addDir copies a folder into m.
func addDir(m fstest.MapFS, dir string) error {
	return filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: b, Mode: 0o644}
		return nil
	})
}

// TestBuilderStopCaching: the preview's Builder takes its first build from
// the cache, and after StopCaching its rebuilds neither read nor write it
// (the cache is closed by then), while still giving a clean build's site.
func TestBuilderStopCaching(t *testing.T) {
	d := &diskSite{t: t, root: t.TempDir()}
	d.write("content/site.yaml", "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	d.write("content/news/a.md", page("A", "2024-01-02", nil, "First text.", ""))
	d.write("content/news/b.md", page("B", "2024-01-03", nil, "Second text.", ""))
	c, err := cache.Open(filepath.Join(t.TempDir(), "c"), []byte("test"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	o := d.options()
	o.Cache = c
	b := site.NewBuilder(o)
	if _, err := b.Rebuild(nil); err != nil {
		t.Fatal(err)
	}
	first := c.Stats()
	if first.Puts == 0 {
		t.Fatalf("the first build wrote nothing to the cache: %+v", first)
	}
	b.StopCaching()
	d.write("content/news/a.md", page("A", "2024-01-02", nil, "Edited text.", ""))
	if _, err := b.Rebuild([]string{"content/news/a.md"}); err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st != first {
		t.Errorf("a rebuild after StopCaching used the cache: %+v, then %+v", first, st)
	}
	compare(t, "after StopCaching", b, d)
}
