package site_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
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

// frontMatter is a page's front matter, a YAML value a key.
type frontMatter map[string]string

func (fm frontMatter) text(body string) string {
	keys := make([]string, 0, len(fm))
	for k := range fm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("---\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, fm[k])
	}
	b.WriteString("---\n\n" + body + "\n")
	return b.String()
}

// TestIncrementalEqualsFull edits a small site at random, a step at a
// time, and after each step compares the Builder's site with a clean
// build's, byte for byte. Edits change the text, the whole front matter, or
// one front-matter field at a time, every field in turn, so that a value
// the preview's fingerprints miss shows up as a stale page.
func TestIncrementalEqualsFull(t *testing.T) {
	d := &diskSite{t: t, root: t.TempDir()}
	d.write("content/site.yaml", "title: Test LMC\nbaseURL: https://lmc.example.org/\npaginate: 3\n")
	d.write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
	d.write("content/news/_index.md", "---\ntitle: News\n---\nThe news.\n")
	d.write("templates/_extra.html", "{{define \"extra\"}}{{end}}\n")
	d.write("static/css/extra.css", "a{}\n")
	// Pages attach ../files/letter.pdf: from a sub-section, its section's.
	letters := []string{"content/files/letter.pdf", "content/guidance/files/letter.pdf", "content/news/files/letter.pdf"}
	for _, l := range letters {
		d.write(l, "%PDF letter")
	}
	// A page that is never edited, for newsletters to carry by name.
	d.write("content/news/fixed.md", page("Fixed", "2020-05-05", nil, "Always here.", ""))
	topics := []string{"gdpr", "contracts", "workforce", "cqc"}
	areas := []string{"North", "south", "East Side"}
	// Pages go in the top sections and in two folders below them, which
	// become sub-sections and plain folders again as their _index.md comes
	// and goes (see op 6).
	sections := []string{"news", "advice", "guidance", "newsletters", "events", "guidance/rpkg", "news/regional"}
	subIndex := map[string]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	serial := 0 // keeps slugs and aliases unique
	someDate := func() string {
		return fmt.Sprintf("20%02d-%02d-%02d", 16+rng.IntN(12), 1+rng.IntN(12), 1+rng.IntN(28))
	}
	// fields makes a random value for each front-matter key a section's
	// pages may have.
	fields := map[string]func() string{
		"title": func() string { return fmt.Sprintf("%q", fmt.Sprintf("Page %d", rng.IntN(50))) },
		"date":  someDate,
		"topics": func() string {
			var ts []string
			for _, tp := range topics {
				if rng.IntN(3) == 0 {
					ts = append(ts, tp)
				}
			}
			return "[" + strings.Join(ts, ", ") + "]"
		},
		"changes": func() string {
			return fmt.Sprintf("[{date: %s, note: Change %d}]", someDate(), rng.IntN(100))
		},
		"draft":       func() string { return fmt.Sprint(rng.IntN(2) == 0) },
		"slug":        func() string { serial++; return fmt.Sprintf("slug-%d", serial) },
		"aliases":     func() string { serial++; return fmt.Sprintf("[/old/%d/, /older/%d.html]", serial, serial) },
		"summary":     func() string { return fmt.Sprintf("Summary %d", rng.IntN(100)) },
		"description": func() string { return fmt.Sprintf("Description %d", rng.IntN(100)) },
		"lastmod":     someDate,
		"areas":       func() string { return "[" + areas[rng.IntN(len(areas))] + "]" },
		"attachments": func() string { return fmt.Sprintf("[{file: ../files/letter.pdf, title: Letter %d}]", rng.IntN(10)) },
		"publishDate": someDate, // after the test's today, it hides the page
		"expiryDate":  someDate, // before it, likewise
		"reviewDue":   someDate,
		"items":       func() string { return "[news/fixed]" },
		"place":       func() string { return fmt.Sprintf("Hall %d", rng.IntN(10)) },
		// After every someDate, so never before the event's start.
		"end":      func() string { return fmt.Sprintf("2029-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28)) },
		"start":    someDate,
		"audience": func() string { return fmt.Sprintf("Audience %d", rng.IntN(5)) },
	}
	keysOf := func(section string) []string {
		section, _, _ = strings.Cut(section, "/") // a sub-section has its top section's keys
		keys := []string{"title", "date", "topics", "changes", "draft", "slug", "aliases", "summary",
			"description", "lastmod", "areas", "attachments", "publishDate", "expiryDate"}
		switch section {
		case "advice", "guidance":
			keys = append(keys, "reviewDue")
		case "newsletters":
			keys = append(keys, "items")
		case "events":
			keys = append(keys, "place", "end", "start", "audience")
		}
		return keys
	}
	// Rarely set: each hides the page or moves its address.
	odds := map[string]int{"draft": 8, "publishDate": 8, "expiryDate": 8, "slug": 5, "aliases": 5}
	randomFront := func(section string) frontMatter {
		fm := frontMatter{}
		for _, k := range keysOf(section) {
			n := odds[k]
			if n == 0 {
				n = 3
			}
			if k == "title" || k == "date" || rng.IntN(n) == 0 {
				fm[k] = fields[k]()
			}
		}
		return fm
	}
	randomBody := func(section string) string {
		text := fmt.Sprintf("Paragraph of %s with words %d.\n\n## Heading\n\nMore text %d.", section, rng.IntN(1000), rng.IntN(1000))
		if rng.IntN(3) == 0 {
			// Link only to pages that cannot become drafts: the home page.
			text += "\n\n[Home](/)"
		}
		return text
	}
	type pg struct {
		rel, section string
		fm           frontMatter
		body         string
	}
	var pages []*pg
	save := func(p *pg) { d.write(p.rel, p.fm.text(p.body)) }
	for i := 0; i < 15; i++ {
		s := sections[i%len(sections)]
		p := &pg{rel: fmt.Sprintf("content/%s/p%d.md", s, i), section: s, fm: randomFront(s), body: randomBody(s)}
		pages = append(pages, p)
		save(p)
	}
	b := site.NewBuilder(d.options())
	if _, err := b.Rebuild(nil); err != nil {
		t.Fatal(err)
	}
	compare(t, "first build", b, d)

	var allKeys []string
	for k := range fields {
		allKeys = append(allKeys, k)
	}
	sort.Strings(allKeys)
	turn := 0
	next := 100
	for step := 0; step < 200; step++ {
		var changed []string
		var what string
		switch op := rng.IntN(16); {
		case op >= 9: // one front-matter field changes, or goes: each in turn
			k := allKeys[turn%len(allKeys)]
			turn++
			var some []*pg
			for _, p := range pages {
				if slices.Contains(keysOf(p.section), k) {
					some = append(some, p)
				}
			}
			if len(some) == 0 { // every page of the sections with the key was deleted
				k, some = "title", pages
			}
			p := some[rng.IntN(len(some))]
			if _, ok := p.fm[k]; ok && k != "title" && k != "date" && rng.IntN(3) == 0 {
				delete(p.fm, k)
				what = "remove " + k + " from " + p.rel
			} else {
				p.fm[k] = fields[k]()
				what = k + " of " + p.rel + " to " + p.fm[k]
			}
			save(p)
			changed = []string{p.rel}
		case op >= 7: // only the text changes
			p := pages[rng.IntN(len(pages))]
			p.body = randomBody(p.section)
			save(p)
			changed, what = []string{p.rel}, "text of "+p.rel
		case op < 2: // the whole page changes
			p := pages[rng.IntN(len(pages))]
			p.fm, p.body = randomFront(p.section), randomBody(p.section)
			save(p)
			changed, what = []string{p.rel}, "edit "+p.rel
		case op == 2: // add a page
			s := sections[rng.IntN(len(sections))]
			p := &pg{rel: fmt.Sprintf("content/%s/new%d.md", s, next), section: s, fm: randomFront(s), body: randomBody(s)}
			next++
			pages = append(pages, p)
			save(p)
			changed, what = []string{p.rel}, "add "+p.rel
		case op == 3 && len(pages) > 3: // delete a page
			i := rng.IntN(len(pages))
			p := pages[i]
			pages = append(pages[:i], pages[i+1:]...)
			if err := os.Remove(filepath.Join(d.root, p.rel)); err != nil {
				t.Fatal(err)
			}
			changed, what = []string{p.rel}, "delete "+p.rel
		case op == 4: // a template edit
			d.write("templates/_extra.html", fmt.Sprintf("{{define \"extra\"}}<!-- %d -->{{end}}\n", rng.IntN(1000)))
			d.write("templates/404.html", fmt.Sprintf("{{template \"base.html\" .}}{{define \"main\"}}<h1>Lost %d</h1>{{end}}\n", rng.IntN(1000)))
			changed, what = []string{"templates/_extra.html", "templates/404.html"}, "templates"
		case op == 5: // a stylesheet
			d.write("static/css/extra.css", fmt.Sprintf("a{color:#%03d}\n", rng.IntN(1000)))
			changed, what = []string{"static/css/extra.css"}, "css"
		case op == 6 && rng.IntN(2) == 0: // a section intro
			d.write("content/news/_index.md", fmt.Sprintf("---\ntitle: News %d\n---\nThe news, %d.\n", rng.IntN(3), rng.IntN(1000)))
			changed, what = []string{"content/news/_index.md"}, "section intro"
		case op == 6: // a sub-section comes, changes or goes
			sub := sections[5+rng.IntN(2)]
			rel := "content/" + sub + "/_index.md"
			switch {
			case subIndex[sub] && rng.IntN(2) == 0:
				if err := os.Remove(filepath.Join(d.root, rel)); err != nil {
					t.Fatal(err)
				}
				delete(subIndex, sub)
				what = "remove " + rel
			default:
				d.write(rel, fmt.Sprintf("---\ntitle: Part %d\ndescription: About part %d\n---\nIntro %d.\n", rng.IntN(3), rng.IntN(3), rng.IntN(1000)))
				subIndex[sub] = true
				what = "write " + rel
			}
			changed = []string{rel}
		default: // the file pages attach: its size shows on them
			l := letters[rng.IntN(len(letters))]
			d.write(l, strings.Repeat("x", rng.IntN(5000)))
			changed, what = []string{l}, "attachment file "+l
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

// TestPreviewKeepsFolderErrors: a file content/ does not publish stops
// every preview build until it goes, not only the one that listed the
// folder; an edit of a page alone does not list it again.
func TestPreviewKeepsFolderErrors(t *testing.T) {
	d := &diskSite{t: t, root: t.TempDir()}
	d.write("content/site.yaml", "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	d.write("content/news/a.md", page("A", "2020-01-01", nil, "Body.", ""))
	b := site.NewBuilder(d.options())
	if _, err := b.Rebuild(nil); err != nil {
		t.Fatal(err)
	}
	d.write("content/news/export.json", "{}")
	if _, err := b.Rebuild([]string{"content/news/export.json"}); err == nil || !strings.Contains(err.Error(), "content/news/export.json: ") {
		t.Fatalf("with the file: %v", err)
	}
	d.write("content/news/a.md", page("A", "2020-01-01", nil, "New body.", ""))
	if _, err := b.Rebuild([]string{"content/news/a.md"}); err == nil || !strings.Contains(err.Error(), "content/news/export.json: ") {
		t.Fatalf("after an edit of a page: %v", err)
	}
	if err := os.Remove(filepath.Join(d.root, "content/news/export.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rebuild([]string{"content/news/export.json"}); err != nil {
		t.Fatalf("once the file went: %v", err)
	}
}

// TestPreviewVetsChangedFilesOnly: a rebuild that loads the site again
// vets again only the content and static files that changed, and still
// reports what the others were found to hold.
func TestPreviewVetsChangedFilesOnly(t *testing.T) {
	d := &diskSite{t: t, root: t.TempDir()}
	d.write("content/site.yaml", "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	d.write("content/news/a/index.md", page("A", "2020-01-01", nil, "See [the letter](letter.docx).", ""))
	d.write("content/news/a/letter.docx", "secret")
	d.write("content/news/a/clean.txt", "fine")
	d.write("static/docs/list.xlsx", "fine")
	o := d.options()
	var mu sync.Mutex
	vetted := map[string]int{}
	o.CheckFile = func(name string, read func() ([]byte, error)) []error {
		data, err := read()
		mu.Lock()
		vetted[name]++
		mu.Unlock()
		if err == nil && string(data) == "secret" {
			return []error{fmt.Errorf("%s: error nhs-number: 943*** ****", name)}
		}
		return nil
	}
	b := site.NewBuilder(o)
	count := func(step string, want map[string]int) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		for name, n := range want {
			if vetted[name] != n {
				t.Errorf("%s: %s vetted %d times, want %d (all: %v)", step, name, vetted[name], n, vetted)
			}
		}
	}
	if _, err := b.Rebuild(nil); err == nil || !strings.Contains(err.Error(), "content/news/a/letter.docx: error nhs-number") {
		t.Fatalf("first build: %v", err)
	}
	count("first build", map[string]int{"content/news/a/letter.docx": 1, "content/news/a/clean.txt": 1, "static/docs/list.xlsx": 1, "content/site.yaml": 1})

	// A front-matter edit loads the site again: the letter is not read
	// again, and its finding still stops the build.
	d.write("content/news/a/index.md", page("A changed", "2020-01-01", nil, "See [the letter](letter.docx).", ""))
	if _, err := b.Rebuild([]string{"content/news/a/index.md"}); err == nil || !strings.Contains(err.Error(), "content/news/a/letter.docx: error nhs-number") {
		t.Fatalf("after a title edit: %v", err)
	}
	count("after a title edit", map[string]int{"content/news/a/letter.docx": 1, "content/news/a/clean.txt": 1, "static/docs/list.xlsx": 1, "content/site.yaml": 2})

	// The letter mended: read again, and the build goes through.
	d.write("content/news/a/letter.docx", "mended")
	if _, err := b.Rebuild([]string{"content/news/a/letter.docx"}); err != nil {
		t.Fatalf("once the letter was mended: %v", err)
	}
	count("after the letter", map[string]int{"content/news/a/letter.docx": 2, "content/news/a/clean.txt": 1})

	// A static file changed is read again; the content files are not.
	d.write("static/docs/list.xlsx", "secret")
	if _, err := b.Rebuild([]string{"static/docs/list.xlsx"}); err == nil || !strings.Contains(err.Error(), "static/docs/list.xlsx: error nhs-number") {
		t.Fatalf("after the list: %v", err)
	}
	count("after the list", map[string]int{"static/docs/list.xlsx": 2, "content/news/a/letter.docx": 2, "content/news/a/clean.txt": 1})
}
