package site

import (
	"context"
	"io/fs"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/parallel"
	"lmcpress/internal/render"
)

// source is what the load stage hands on: every Markdown file read and
// checked, the content folder's other files, the theme's static files and
// parsed templates, and the book of every address the build will write.
type source struct {
	pages  []*content.Page // every Markdown file, drafts included, by file name
	files  []string        // other content files (PDFs, images), to copy
	static []string        // the theme's static files, to copy
	tpl    *render.Templates
	book   *content.Book
}

// load is the first stage: it reads every content file, checks it alone
// and against the others (front matter, topics, attachments, addresses),
// and parses the templates. Every problem is returned at once, with those
// the page and link checks find (see vetAll), so that one run shows them
// all.
func load(ctx context.Context, md *markdown.Engine, o *Options) (*source, error) {
	names, files, errs := content.Scan(o.Content)
	pages, perrs := loadPages(ctx, o, names)
	if err := ctx.Err(); err != nil {
		return nil, err // some files were not loaded
	}
	for _, e := range perrs {
		errs = append(errs, e...)
	}
	tpl, err := parseTemplates(o)
	src, errs := checkSource(o, names, pages, files, errs, tpl, err)
	if len(errs) > 0 {
		return nil, append(errs, vetAll(ctx, md, o, src, nil)...).Sorted()
	}
	return src, nil
}

// loadPages reads the named Markdown files on every core. A file that
// cannot be read or parsed has a nil page and its errors.
func loadPages(ctx context.Context, o *Options, names []string) ([]*content.Page, []content.Errors) {
	pages := make([]*content.Page, len(names))
	errs := make([]content.Errors, len(names))
	_ = parallel.DoContext(ctx, len(names), func(i int) {
		pages[i], errs[i] = content.LoadFile(o.Content, names[i], o.Config)
	})
	return pages, errs
}

func parseTemplates(o *Options) (*render.Templates, error) {
	return render.Parse(o.Templates, renderOptions(o.Config))
}

// checkSource ends the load stage: the checks across files and the book of
// addresses, made from the pages that loaded, so that a collision is
// reported together with the files that did not. pages is by file name
// (names) and may hold nils, the files that failed to load: their text is
// still vetted as a copied file's is (Options.CheckFile), so patient data
// in a page with broken front matter is reported in the same run, as
// check reports it. errs are the problems found so far, and tplErr the
// templates'. The source is returned even with problems, for vetAll.
func checkSource(o *Options, names []string, pages []*content.Page, files []string, errs content.Errors, tpl *render.Templates, tplErr error) (*source, content.Errors) {
	src := &source{files: files, tpl: tpl}
	var unparsed []string
	for i, p := range pages {
		if p != nil {
			src.pages = append(src.pages, p)
		} else {
			unparsed = append(unparsed, names[i])
		}
	}
	if o.CheckFile != nil {
		for _, name := range unparsed {
			errs = append(errs, o.CheckFile("content/"+name, func() ([]byte, error) { return fs.ReadFile(o.Content, name) })...)
		}
	}
	errs = append(errs, content.CheckTree(o.Content, &content.Tree{Pages: src.pages, Files: files}, o.Config)...)
	static, serrs := listFiles(o.Static)
	src.static = static
	errs = append(errs, serrs...)
	// A template that is a link out of templates/ is named here; parsing
	// it fails for the same reason, in fewer words.
	if _, terrs := content.ListFiles(o.Templates, "templates/"); len(terrs) > 0 {
		errs, tplErr = append(errs, terrs...), nil
	}
	errs = append(errs, checkFiles(o, files, src.static)...)
	src.book = content.NewBook(o.Config, src.pages, files, src.static, o.Visibility)
	errs = append(errs, src.book.Errors()...)
	o.sc = newShortcodes(tpl, src.book, o.Templates)
	if tplErr != nil {
		errs = append(errs, tplErr)
	}
	return src, errs
}

// checkFiles runs Options.CheckFile over the content and static files,
// content/site.yaml and the templates, on every core.
func checkFiles(o *Options, files, static []string) []error {
	if o.CheckFile == nil {
		return nil
	}
	type file struct {
		fsys      fs.FS
		dir, name string
	}
	all := make([]file, 0, len(files)+len(static))
	for _, f := range files {
		all = append(all, file{o.Content, "content/", f})
	}
	for _, f := range static {
		all = append(all, file{o.Static, "static/", f})
	}
	// Not copied, but published all the same: the site's settings (its
	// title, menu and topic names) and the templates' text are on every page.
	all = append(all, file{o.Content, "content/", content.ConfigFile})
	templates, _ := content.ListFiles(o.Templates, "templates/") // its links are refused where the templates are read
	for _, f := range templates {
		all = append(all, file{o.Templates, "templates/", f})
	}
	found := make([][]error, len(all))
	parallel.Do(len(all), func(i int) {
		f := all[i]
		found[i] = o.CheckFile(f.dir+f.name, func() ([]byte, error) { return fs.ReadFile(f.fsys, f.name) })
	})
	var errs []error
	for _, e := range found {
		errs = append(errs, e...)
	}
	return errs
}

// kept is what the preview keeps of each page's checks, so that vetAll
// need not do them again; Build has none (nil).
type kept interface {
	conversion(p *content.Page) *conversion // nil when there is none
	hidden(p *content.Page) []error         // hiddenCheck, done once a file
}

// hiddenProblems is hiddenCheck of each page the build does not publish.
func hiddenProblems(o *Options, pub *published, k kept) []error {
	var errs []error
	for _, p := range pub.hidden {
		if k != nil {
			errs = append(errs, k.hidden(p)...)
		} else {
			errs = append(errs, hiddenCheck(o, p)...)
		}
	}
	return errs
}

// vetAll runs the page and link checks (Options.Check, CheckLinks) over
// every page, for a build that has failed before its Markdown stage (a
// file that did not load, two things at one address, a home or section
// page's check, patient data in a draft), so that one run reports every
// problem, as check does, and not only the first stage's. Pages the build
// does not publish get the page check alone (see hiddenCheck).
func vetAll(ctx context.Context, md *markdown.Engine, o *Options, src *source, k kept) []error {
	if o.Check == nil && o.CheckLinks == nil {
		return nil
	}
	pub := publish(o, src.pages)
	errs := hiddenProblems(o, pub, k)
	var todo []*content.Page
	for _, p := range src.pages {
		if p.Kind != content.KindPage || p.Published(o.Visibility) {
			todo = append(todo, p)
		}
	}
	found := make([][]error, len(todo))
	_ = parallel.DoContext(ctx, len(todo), func(i int) {
		p := todo[i]
		var c *conversion
		if k != nil {
			c = k.conversion(p)
		}
		if c == nil {
			c = convertPage(md, o, p, p.URL())
		}
		found[i] = append(found[i], c.errs...)
		if o.CheckLinks != nil {
			found[i] = append(found[i], o.CheckLinks(p, c.doc.links, c.doc.images, src.book)...)
		}
	})
	for _, f := range found {
		errs = append(errs, f...)
	}
	return errs
}
