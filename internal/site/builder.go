package site

import (
	"context"
	"html/template"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/render"
)

// run is one build: load what changed, convert, plan, render what changed.
func (b *Builder) run(ctx context.Context, changed []string, w Writer) (*Result, error) {
	b.ctx = ctx
	defer func() { b.ctx = nil }()
	o := b.o
	c := classify(changed)
	if !b.built {
		c.all = true
	}
	var errs content.Errors
	var stages []Stage
	var held atomic.Int64 // Markdown text loaded, for SourceBudget
	mark := time.Now()
	lap := func(name string) {
		now := time.Now()
		stages = append(stages, Stage{Name: name, Took: now.Sub(mark)})
		mark = now
	}

	// Stage 1: load the files that changed. An edit that leaves every
	// changed file's front matter as it was keeps the plan (listings,
	// archives, topics): only the items' text changes.
	prevPlan := b.plan
	b.plan = nil // set again only by a build that succeeds
	structural := c.all || prevPlan == nil
	if !c.all && len(c.content) > 0 && b.onlyKnownMarkdown(c.content) {
		todo := make([]string, 0, len(c.content))
		for name := range c.content {
			todo = append(todo, name)
		}
		sort.Strings(todo)
		loaded := make([]*entry, len(todo))
		b.parallel(len(todo), func(i int) {
			p, perrs := content.LoadFile(o.Content, todo[i])
			loaded[i] = &entry{page: p, errs: perrs}
		})
		if err := ctx.Err(); err != nil {
			return nil, err // some files were not loaded
		}
		for i, name := range todo {
			old, e := b.entries[name], loaded[i]
			if old.item != nil && e.page != nil && old.page != nil && e.errs == nil && old.errs == nil &&
				e.page.Kind == content.KindPage && frontFP(old.page) == frontFP(e.page) {
				old.item.reload(e.page)
				e.item = old.item
			} else {
				structural = true
			}
			b.entries[name] = e
		}
	} else if c.all || len(c.content) > 0 {
		structural = true
		mdFiles, other, scanErrs := content.Scan(o.Content)
		errs = append(errs, scanErrs...)
		var todo []string
		next := make(map[string]*entry, len(mdFiles))
		for _, name := range mdFiles {
			if e, ok := b.entries[name]; ok && !c.all && !c.content[name] {
				next[name] = e
				continue
			}
			todo = append(todo, name)
		}
		loaded := make([]*entry, len(todo))
		b.parallel(len(todo), func(i int) {
			p, perrs := content.LoadFile(o.Content, todo[i])
			if p != nil && !b.keep && held.Add(int64(len(p.Body))) > int64(SourceBudget) {
				p.ReleaseBody() // Item.convert reads it again
			}
			loaded[i] = &entry{page: p, errs: perrs}
		})
		if err := ctx.Err(); err != nil {
			return nil, err // some files were not loaded
		}
		for i, name := range todo {
			next[name] = loaded[i]
		}
		b.entries = next
		seen := map[string]bool{}
		for _, f := range other {
			seen[f] = true
			if _, ok := b.fileV["c:"+f]; !ok || c.all || c.content[f] {
				b.fileV["c:"+f] = fileVersion(o.Content, f)
			}
		}
		for k := range b.fileV {
			if strings.HasPrefix(k, "c:") && !seen[k[2:]] {
				delete(b.fileV, k)
			}
		}
		b.other = other
	}
	if c.all || c.templates {
		// Pages are rendered again only when a template really changed, not
		// when an editor merely touched the folder.
		if v := themeVersion(o.Templates); v != b.tplV || b.tpl == nil {
			b.tpl, b.tplErr = render.Parse(o.Templates, render.Options{BaseURL: o.Config.BaseURL, HumanSize: content.HumanSize})
			b.tplV = v
		}
	}
	if b.tpl != nil {
		b.tpl.Forget() // partials kept by the last build may show old content
	}
	_, static := listFiles(o.Static)
	for _, f := range static {
		if _, ok := b.fileV["s:"+f]; !ok || c.all || c.allStatic || c.static[f] {
			b.fileV["s:"+f] = fileVersion(o.Static, f)
		}
	}

	// Whole-tree checks and the Markdown stage for new entries.
	names := make([]string, 0, len(b.entries))
	for n := range b.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	tree := &content.Tree{Files: b.other}
	for _, n := range names {
		e := b.entries[n]
		errs = append(errs, e.errs...)
		if e.page != nil {
			tree.Pages = append(tree.Pages, e.page)
		}
	}
	errs = append(errs, content.CheckTree(o.Content, tree, o.Config)...)
	// The addresses, from the pages that loaded: a collision is reported
	// together with the files that did not load.
	var book *content.Book
	if structural || c.allStatic || len(c.static) > 0 {
		book = content.NewBook(o.Config, tree.Pages, b.other, static, o.Visibility)
		errs = append(errs, book.Errors()...)
	}
	if b.tplErr != nil {
		errs = append(errs, b.tplErr)
	}
	if len(errs) > 0 {
		return nil, append(errs, b.vetRest(tree.Pages, book, static)...).Sorted()
	}
	// Items: what front matter decides. Home and section intros are
	// converted now, since the plan shows them.
	var items, intro []*Item
	var homeIntro template.HTML
	sectionPages := map[string]*content.Page{}
	intros := map[string]template.HTML{}
	for _, n := range names {
		e := b.entries[n]
		p := e.page
		if p == nil {
			continue
		}
		if p.Kind == content.KindPage && !p.Published(o.Visibility) {
			errs = append(errs, b.vetUnpublished(e)...)
			continue
		}
		if e.item == nil {
			e.item = newItem(&o, p)
		}
		switch p.Kind {
		case content.KindHome, content.KindSection:
			if e.item.cerr == nil {
				e.item.convert(b.md, &o)
				if b.keep {
					e.item.srcFP = sourceFP(e.item)
				}
			}
			errs = append(errs, e.item.cerr...)
			intro = append(intro, e.item)
			if p.Kind == content.KindHome {
				homeIntro = e.item.Content
			} else {
				sectionPages[p.Section] = p
				intros[p.Section] = e.item.Content
			}
		default:
			items = append(items, e.item)
		}
	}
	if len(errs) > 0 { // only the intros' page checks: vetRest has them too
		return nil, content.Errors(b.vetRest(tree.Pages, book, static)).Sorted()
	}
	if !b.keep && held.Load() > int64(SourceBudget) {
		for _, it := range items {
			it.Page.ReleaseBody() // those loaded before the budget ran out
		}
	}

	if err := ctx.Err(); err != nil {
		return nil, err
	}
	lap("load")

	// Stage 3: the plan, made afresh unless only text changed.
	pl := prevPlan
	if structural {
		var err error
		if pl, err = newPlan(o.Config, items, sectionPages, intros, homeIntro, b.other, o.Visibility, book); err != nil {
			return nil, err
		}
	} else if book != nil {
		pl.book = book // a static file came or went
	}
	pl.checkLinks = o.CheckLinks

	lap("plan")

	// Stage 2, the Markdown, for the items not yet converted. A one-shot
	// build renders each item's page as soon as it is converted and then
	// lets go of its HTML and source, so memory does not grow with the site
	// (feeds keep the few they carry; newsletter pages wait for the
	// summaries of the items they list).
	em := b.emitter(w)
	em.feed = b.searchStart(pl, em.putSearch)
	var todo []*Item
	for _, it := range items {
		if it.cerr == nil {
			todo = append(todo, it)
		}
	}
	if b.keep && !structural && !c.templates && len(c.content) > 0 {
		em.only = map[*Item]bool{}
		for _, it := range todo {
			em.only[it] = true
		}
	}
	fpr := (*fingerprinter)(nil)
	b.parallel(len(todo), func(i int) {
		it := todo[i]
		it.convert(b.md, &o)
		em.feed.add(it)
		if b.keep {
			it.srcFP = sourceFP(it) // only a kept site compares fingerprints
			return
		}
		// The plan knows every address, so a one-shot build checks the
		// links now and need not keep them.
		it.cerr = append(it.cerr, pl.itemLinks(it)...)
		it.doc.links, it.doc.images = nil, nil
		if len(it.cerr) > 0 || len(it.Issue) > 0 {
			return
		}
		if j, ok := pl.single[it]; ok {
			em.render(pl.jobs[j], fpr, len(todo))
		}
		it.Content = ""
		if !it.inFeed {
			it.Page.Body = nil
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err // items were left unconverted
	}
	for _, it := range items {
		errs = append(errs, it.cerr...)
	}
	// Links not yet checked: all of them when the plan (and so the set of
	// addresses) is new, else only those of the items just converted; the
	// home page's and sections' intros too. A one-shot build has checked
	// its items' already, and let go of them.
	check := items
	if !structural {
		check = todo
	}
	if structural {
		errs = append(errs, pl.linkErrs(intro)...)
	}
	errs = append(errs, pl.linkErrs(check)...)
	if len(errs) > 0 {
		return nil, errs.Sorted()
	}
	lap("markdown and item pages")

	// Stages 4 and 5: render and write the rest.
	res, err := em.finish(pl, static, lap)
	if err != nil {
		return nil, err
	}
	res.Stages = stages
	res.Pages = len(items)
	b.built = true
	if b.keep {
		b.plan = pl
	}
	return res, nil
}
