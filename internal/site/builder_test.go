package site_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

// diskSite is a mini-site in a temporary folder, so a Builder sees edits.
type diskSite struct {
	t    *testing.T
	root string
}

func (d *diskSite) write(rel, data string) {
	d.t.Helper()
	p := filepath.Join(d.root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		d.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		d.t.Fatal(err)
	}
}

func (d *diskSite) options() site.Options {
	c := os.DirFS(filepath.Join(d.root, "content"))
	return options(d.t, c, os.DirFS(filepath.Join(d.root, "templates")), os.DirFS(filepath.Join(d.root, "static")), content.Visibility{})
}

func page(title, date string, topics []string, body string, extra string) string {
	return fmt.Sprintf("---\ntitle: %q\ndate: %s\ntopics: [%s]\n%s---\n\n%s\n", title, date, strings.Join(topics, ", "), extra, body)
}

// compare fails unless the Builder's site equals a clean build's.
func compare(t *testing.T, step string, b *site.Builder, d *diskSite) {
	t.Helper()
	full := site.NewMemWriter()
	_, fullErr := site.Build(d.options(), full)
	if fullErr != nil {
		t.Fatalf("%s: the clean build failed: %v", step, fullErr)
	}
	got := map[string][]byte{}
	_ = fs.WalkDir(b.FS(), ".", func(p string, e fs.DirEntry, err error) error { return nil })
	for _, name := range full.Names() {
		data, err := fs.ReadFile(b.FS(), name)
		if err != nil {
			t.Fatalf("%s: incremental site lacks %s", step, name)
		}
		got[name] = data
		if !bytes.Equal(data, full.Files[name]) {
			t.Fatalf("%s: %s differs from a clean build (%s)", step, name, firstDiff(data, full.Files[name]))
		}
	}
	if n := countFiles(b.FS()); n != len(full.Files) {
		t.Fatalf("%s: incremental site has %d files, clean build %d", step, n, len(full.Files))
	}
}

func countFiles(fsys fs.FS) int {
	n := 0
	_ = fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func TestIncrementalEqualsFull(t *testing.T) {
	d := &diskSite{t: t, root: t.TempDir()}
	d.write("content/site.yaml", "title: Test LMC\nbaseURL: https://lmc.example.org/\npaginate: 3\n")
	d.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
	d.write("content/news/_index.md", "---\ntitle: News\n---\nThe news.\n")
	d.write("templates/_extra.html", "{{define \"extra\"}}{{end}}\n")
	d.write("static/css/extra.css", "a{}\n")
	topics := []string{"gdpr", "contracts", "workforce", "cqc"}
	sections := []string{"news", "advice", "guidance", "newsletters"}
	type pg struct{ rel, section string }
	var pages []pg
	rng := rand.New(rand.NewPCG(1, 2))
	randomPage := func(i int, section string) string {
		date := fmt.Sprintf("20%02d-%02d-%02d", 16+rng.IntN(9), 1+rng.IntN(12), 1+rng.IntN(28))
		var ts []string
		for _, tp := range topics {
			if rng.IntN(3) == 0 {
				ts = append(ts, tp)
			}
		}
		extra := ""
		if rng.IntN(4) == 0 {
			extra = fmt.Sprintf("changes:\n  - {date: 2025-0%d-01, note: Change %d}\n", 1+rng.IntN(9), rng.IntN(100))
		}
		if rng.IntN(8) == 0 {
			extra += "draft: true\n"
		}
		body := fmt.Sprintf("Paragraph %d of %s with words %d.\n\n## Heading\n\nMore text %d.", i, section, rng.IntN(1000), rng.IntN(1000))
		if len(pages) > 0 && rng.IntN(3) == 0 {
			// Link only to pages that cannot become drafts: the home page.
			body += "\n\n[Home](/)"
		}
		return page(fmt.Sprintf("Page %d %d", i, rng.IntN(100)), date, ts, body, extra)
	}
	for i := 0; i < 14; i++ {
		s := sections[i%len(sections)]
		rel := fmt.Sprintf("content/%s/p%d.md", s, i)
		pages = append(pages, pg{rel, s})
		d.write(rel, randomPage(i, s))
	}
	b := site.NewBuilder(d.options())
	if _, err := b.Rebuild(nil); err != nil {
		t.Fatal(err)
	}
	compare(t, "first build", b, d)

	next := 100
	for step := 0; step < 120; step++ {
		var changed []string
		var what string
		switch op := rng.IntN(13); {
		case op >= 10: // only the text changes: the plan is kept
			p := pages[rng.IntN(len(pages))]
			data, err := os.ReadFile(filepath.Join(d.root, p.rel))
			if err != nil {
				t.Fatal(err)
			}
			fm, _, _ := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
			d.write(p.rel, fmt.Sprintf("---\n%s\n---\n\nNew text %d.\n\n## Part\n\nMore %d.\n", fm, rng.IntN(1000), rng.IntN(1000)))
			changed, what = []string{p.rel}, "text of "+p.rel
		case op < 4: // edit a page: body, title, date, topics, notes, drafts
			p := pages[rng.IntN(len(pages))]
			d.write(p.rel, randomPage(rng.IntN(1000), p.section))
			changed, what = []string{p.rel}, "edit "+p.rel
		case op == 4: // add a page
			s := sections[rng.IntN(len(sections))]
			rel := fmt.Sprintf("content/%s/new%d.md", s, next)
			next++
			pages = append(pages, pg{rel, s})
			d.write(rel, randomPage(next, s))
			changed, what = []string{rel}, "add "+rel
		case op == 5 && len(pages) > 3: // delete a page
			i := rng.IntN(len(pages))
			p := pages[i]
			pages = append(pages[:i], pages[i+1:]...)
			if err := os.Remove(filepath.Join(d.root, p.rel)); err != nil {
				t.Fatal(err)
			}
			changed, what = []string{p.rel}, "delete "+p.rel
		case op == 6: // a template edit
			d.write("templates/_extra.html", fmt.Sprintf("{{define \"extra\"}}<!-- %d -->{{end}}\n", rng.IntN(1000)))
			d.write("templates/404.html", fmt.Sprintf("{{template \"base.html\" .}}{{define \"main\"}}<h1>Lost %d</h1>{{end}}\n", rng.IntN(1000)))
			changed, what = []string{"templates/_extra.html", "templates/404.html"}, "templates"
		case op == 7: // a stylesheet
			d.write("static/css/extra.css", fmt.Sprintf("a{color:#%03d}\n", rng.IntN(1000)))
			changed, what = []string{"static/css/extra.css"}, "css"
		case op == 8: // a section intro
			d.write("content/news/_index.md", fmt.Sprintf("---\ntitle: News %d\n---\nThe news, %d.\n", rng.IntN(3), rng.IntN(1000)))
			changed, what = []string{"content/news/_index.md"}, "section intro"
		default: // a file beside the pages
			d.write("content/files/letter.pdf", strings.Repeat("x", rng.IntN(5000)))
			changed, what = []string{"content/files/letter.pdf"}, "attachment file"
		}
		if _, err := b.Rebuild(changed); err != nil {
			t.Fatalf("step %d (%s): %v", step, what, err)
		}
		compare(t, fmt.Sprintf("step %d (%s)", step, what), b, d)
	}
}

func TestIncrementalRendersOnlyWhatChanged(t *testing.T) {
	d := &diskSite{t: t, root: t.TempDir()}
	d.write("content/site.yaml", "title: Test LMC\nbaseURL: https://lmc.example.org/\npaginate: 5\n")
	for i := 0; i < 30; i++ {
		d.write(fmt.Sprintf("content/news/n%02d.md", i), page(fmt.Sprintf("News %d", i), fmt.Sprintf("2020-01-%02d", i+1), []string{"gdpr"}, "Body.", ""))
		d.write(fmt.Sprintf("content/guidance/g%02d.md", i), page(fmt.Sprintf("Guidance %d", i), fmt.Sprintf("2019-02-%02d", i%28+1), []string{"cqc"}, "Body.", ""))
	}
	b := site.NewBuilder(d.options())
	first, err := b.Rebuild(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Edit the body of an old guidance note: its page, and the feeds that
	// carry it, change; the listing that shows its title and summary too.
	d.write("content/guidance/g00.md", page("Guidance 0", "2019-02-01", []string{"cqc"}, "A new body.", ""))
	res, err := b.Rebuild([]string{"content/guidance/g00.md"})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(res.Written)
	t.Logf("first build rendered %d pages; after one edit %d: %v", first.Rendered, res.Rendered, res.Written)
	if res.Rendered > 5 || first.Rendered < 60 {
		t.Errorf("one edit rendered %d pages (first build %d)", res.Rendered, first.Rendered)
	}
	for _, want := range []string{"guidance/g00/index.html", "guidance/page/6/index.html", "topics/cqc/page/6/index.html"} {
		found := false
		for _, w := range res.Written {
			found = found || w == want
		}
		if !found {
			t.Errorf("%s not rewritten: %v", want, res.Written)
		}
	}
	compare(t, "after the edit", b, d)
}
