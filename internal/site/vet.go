package site

import (
	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
)

// vetRest runs the page and link checks (Options.Check, CheckLinks) over
// the published pages among pages when the build has already failed (a
// file that did not load, two things at one address), so that one run
// reports every problem, as check does, and not only the first stage's.
// book may be nil (a preview rebuild that kept its addresses): it is then
// made from pages. A page converted by an earlier build of the preview is
// not converted again: its page check's errors were kept with its item.
func (b *Builder) vetRest(pages []*content.Page, book *content.Book, static []string) []error {
	o := b.o
	if o.Check == nil && o.CheckLinks == nil {
		return nil
	}
	if book == nil {
		book = content.NewBook(o.Config, pages, b.other, static, o.Visibility)
	}
	done := map[*content.Page]*Item{}
	for _, e := range b.entries {
		if e.item != nil && e.item.Page == e.page && e.item.cerr != nil {
			done[e.page] = e.item
		}
	}
	var todo []*content.Page
	var errs []error
	for _, p := range pages {
		if p.Kind != content.KindPage || p.Published(o.Visibility) {
			todo = append(todo, p)
		} else if e := b.entries[p.File]; e != nil && e.page == p {
			errs = append(errs, b.vetUnpublished(e)...)
		}
	}
	found := make([][]error, len(todo))
	b.parallel(len(todo), func(i int) {
		p := todo[i]
		var links, images []markdown.Ref
		if it := done[p]; it != nil {
			found[i] = append(found[i], it.cerr...)
			links, images = it.doc.links, it.doc.images
		} else {
			if err := p.ReloadBody(o.Content); err != nil {
				found[i] = []error{err}
				return
			}
			doc := convert(b.md, o.Cache, p.Body, markdown.Options{PageURL: p.URL()})
			if o.Check != nil {
				found[i] = o.Check(p, doc)
			}
			links, images = doc.Links, doc.Images
		}
		if o.CheckLinks != nil {
			found[i] = append(found[i], o.CheckLinks(p, links, images, book)...)
		}
	})
	for _, f := range found {
		errs = append(errs, f...)
	}
	return errs
}

// vetUnpublished runs the page check (Options.Check, without Markdown) on a
// page the build does not publish: a draft, or a page waiting for its
// publishDate, is in the repository already and may publish itself on its
// date, so patient data in it stops the build as it makes check fail. The
// result is kept with the entry until the file changes.
func (b *Builder) vetUnpublished(e *entry) []error {
	if b.o.Check == nil {
		return nil
	}
	if e.cerr == nil {
		if err := e.page.ReloadBody(b.o.Content); err != nil {
			e.cerr = []error{err}
		} else {
			e.cerr = append([]error{}, b.o.Check(e.page, nil)...)
		}
		if !b.keep {
			e.page.ReleaseBody()
		}
	}
	return e.cerr
}
