package site_test

import (
	"io/fs"
	"os"
	"sort"
	"strings"
	"testing"

	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

// TestBuildWritesTheBook holds the build's plan and the book of addresses
// together: the files a build writes are exactly those content.NewBook
// says it writes (the search index aside, whose file names are its own).
// check reads only the book, so a listing, archive or alias the plan
// added without the book would be a link check reports broken, or a
// collision only the build sees.
func TestBuildWritesTheBook(t *testing.T) {
	mini := `
-- content/news/a.md --
---
title: A
date: 2024-01-05
topics: [GDPR, Contracts]
aliases: [/old-a/, /news/2023/a.html]
---
A.
-- content/news/b.md --
---
title: B
date: 2024-02-05
topics: [GDPR]
---
B.
-- content/news/c.md --
---
title: C
date: 2023-12-05
topics: [GDPR]
---
C.
-- content/advice/x/index.md --
---
title: X
date: 2022-03-01
---
See [the form](form.pdf).
-- content/advice/x/form.pdf --
%PDF
-- content/advice/_index.md --
---
title: Advice
---
Intro.
-- content/guidance/_index.md --
---
title: Guidance
---
Nothing yet.
-- content/about.md --
---
title: About
---
About.
-- content/files/map.png --
PNG
-- static/css/extra.css --
body{}
`
	for name, c := range map[string]func() (fs.FS, fs.FS, fs.FS){
		"mini-site": func() (fs.FS, fs.FS, fs.FS) { c, tpl, st := parseSite(t, mini); return c, tpl, st },
		"sample":    func() (fs.FS, fs.FS, fs.FS) { return os.DirFS("../../content"), nil, nil },
	} {
		t.Run(name, func(t *testing.T) {
			c, tpl, st := c()
			o := options(t, c, tpl, st, content.Visibility{})
			w := site.NewMemWriter()
			if _, err := site.Build(o, w); err != nil {
				t.Fatalf("build: %v", err)
			}
			var written []string
			for n := range w.Files {
				if !strings.HasPrefix(n, content.SearchDir) {
					written = append(written, n)
				}
			}
			sort.Strings(written)

			tree, err := content.Load(o.Content, o.Config)
			if err != nil {
				t.Fatal(err)
			}
			var static []string
			_ = fs.WalkDir(o.Static, ".", func(n string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					static = append(static, n)
				}
				return nil
			})
			book := content.NewBook(o.Config, tree.Pages, tree.Files, static, o.Visibility)
			if errs := book.Errors(); len(errs) > 0 {
				t.Fatalf("book: %v", errs)
			}
			if got, want := strings.Join(written, "\n"), strings.Join(book.Outputs(), "\n"); got != want {
				t.Errorf("the build wrote:\n%s\n\nthe book says:\n%s", got, want)
			}
		})
	}
}
