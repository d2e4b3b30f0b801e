package site

import (
	"crypto/sha256"
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/render"
)

// shortcodes is what pages' shortcodes need from one build: the site's own
// shortcodes (templates/shortcodes/) and the pages ref and relref name.
// Only a page with "{{" in it asks, so a site without shortcodes pays for
// none of it.
type shortcodes struct {
	set  *render.Shortcodes
	refs func() *content.Refs
	key  func() [32]byte // what a conversion with shortcodes depends on besides its source, for the cache
}

func newShortcodes(tpl *render.Templates, book *content.Book, templates fs.FS) *shortcodes {
	sc := &shortcodes{}
	if tpl != nil {
		sc.set = tpl.Shortcodes()
	}
	sc.refs = sync.OnceValue(func() *content.Refs { return content.NewRefs(book) })
	sc.key = sync.OnceValue(func() [32]byte {
		h := sha256.New()
		fmt.Fprintf(h, "lmcpress shortcodes\x00%x\x00", sc.refs().Sum())
		for _, f := range shortcodeFiles(templates) {
			data, _ := fs.ReadFile(templates, f)
			fmt.Fprintf(h, "%q\x00%d\x00", f, len(data))
			h.Write(data)
		}
		var k [32]byte
		h.Sum(k[:0])
		return k
	})
	return sc
}

// shortcodeFiles lists templates/shortcodes/, sorted.
func shortcodeFiles(templates fs.FS) []string {
	if templates == nil {
		return nil
	}
	var out []string
	_ = fs.WalkDir(templates, render.ShortcodeDir, func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, name)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// options gives mo the page's shortcodes, when its source may have any,
// and returns what the conversion then depends on (zero when nothing).
func (sc *shortcodes) options(mo *markdown.Options, p *content.Page, src []byte) (key [32]byte) {
	if sc == nil || !markdown.MayHaveShortcodes(src) {
		return key
	}
	mo.Refs = sc.refs().For(p)
	if sc.set != nil {
		mo.Shortcodes = PageShortcodes(sc.set, p)
	}
	return sc.key()
}

// PageShortcodes are a site's own shortcodes, set, as the Markdown on page
// p calls them: each template is given a render.ShortcodeCall. check uses
// it too, so that both run the same templates.
func PageShortcodes(set *render.Shortcodes, p *content.Page) markdown.Shortcodes {
	return pageShortcodes{set: set, page: p}
}

type pageShortcodes struct {
	set  *render.Shortcodes
	page *content.Page
}

func (s pageShortcodes) Has(name string) bool { return s.set.Has(name) }

func (s pageShortcodes) Render(c *markdown.Call) (string, bool, error) {
	if !s.set.Has(c.Name) {
		return "", false, nil
	}
	h, err := s.set.Execute(&render.ShortcodeCall{
		Name: c.Name, Args: c.Args, Params: c.Params,
		Inner: template.HTML(c.Inner), InnerText: c.Raw, Markdown: c.Markdown,
		Page:     s.page,
		Position: fmt.Sprintf("content/%s:%d:%d", s.page.File, s.page.BodyLine+c.Line-1, c.Column),
	})
	return h, true, err
}

// ParseShortcodes parses a theme's shortcodes (templates/shortcodes/), for
// check; a build parses them with the page templates. cfg may be nil. The
// error is a content.Errors, one a template, each naming its file.
func ParseShortcodes(templates fs.FS, cfg *content.Config) (*render.Shortcodes, error) {
	if cfg == nil {
		cfg = &content.Config{}
	}
	set, err := render.ParseShortcodes(templates, renderOptions(cfg), markdownify(cfg))
	if err == nil {
		return set, nil
	}
	var errs content.Errors
	for _, line := range strings.Split(err.Error(), "\n") {
		file, msg, ok := strings.Cut(line, ": ")
		if !ok || !strings.HasPrefix(file, "templates/") {
			file, msg = "templates/"+render.ShortcodeDir, line
		}
		errs = append(errs, &content.Error{File: file, Msg: msg})
	}
	return nil, errs
}

// markdownify converts Markdown for shortcodes' templates, without
// shortcodes of its own.
func markdownify(cfg *content.Config) func(string) template.HTML {
	md := sync.OnceValue(func() *markdown.Engine { return newEngine(cfg) })
	return func(s string) template.HTML {
		d, _ := md().Convert([]byte(s), markdown.Options{})
		return template.HTML(d.HTML) // goldmark's output; raw HTML escaped unless allowed
	}
}

func renderOptions(cfg *content.Config) render.Options {
	return render.Options{BaseURL: cfg.BaseURL, HumanSize: content.HumanSize, Markdownify: markdownify(cfg)}
}
