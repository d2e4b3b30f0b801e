package site

import (
	"lmcpress/internal/markdown"
	"lmcpress/internal/search"
)

// searchIndex builds the files of the search page's index (internal/search)
// from every published page. A Builder keeping its site between builds
// keeps a search.Index too, so that a rebuild redoes only the pages and
// shards that changed.
func (b *Builder) searchIndex(pl *plan) (map[string][]byte, error) {
	docs := make([]search.Doc, 0, len(pl.items))
	for _, it := range pl.items {
		docs = append(docs, searchDoc(it))
	}
	if !b.keep {
		return search.Build(docs)
	}
	return b.searchIndexer().Build(docs)
}

// searchDoc is an item as the index sees it. Its text, headings and summary
// are known once the item is converted; its address and dates (see
// searchKey) before.
func searchDoc(it *Item) search.Doc {
	k := searchKey(it)
	d := search.Doc{
		URL:      k.URL,
		Date:     k.Date,
		Updated:  k.Updated,
		Title:    it.Title,
		Section:  it.Page.Section,
		Summary:  it.Summary,
		Headings: it.doc.headings,
		Text:     it.doc.text,
	}
	if it.Section != nil {
		d.SectionTitle = it.Section.Title
	}
	for _, t := range it.Topics {
		d.Topics = append(d.Topics, t.Name)
	}
	return d
}

// searchKey is what fixes an item's page id in the index: its address, and
// its dates if it is in a section (a plain page is undated).
func searchKey(it *Item) search.Key {
	k := search.Key{URL: it.URL}
	if it.Section != nil {
		k.Date, k.Updated = it.Date, it.Announced
	}
	return k
}

// searchFeed is a one-shot build's search index, fed each item as soon as
// it is converted, so that the item's text can be let go of at once
// instead of being held until the end (see search.Stream). Its methods do
// nothing on a nil feed, which is what a Builder that keeps its site gets:
// its search.Index needs every page at once to find what changed.
type searchFeed struct {
	s   *search.Stream
	ids map[*Item]int // the plan's items → their place in the stream's keys
	err error         // from search.NewStream
}

// searchStart starts the search index of the plan's items, before they are
// converted; the records of the pages (search/index/d/) go to put as soon
// as they are made, from the goroutine that adds the page. It returns nil
// when the Builder keeps its site between builds.
func (b *Builder) searchStart(pl *plan, put func(name string, data []byte)) *searchFeed {
	if b.keep {
		return nil
	}
	keys := make([]search.Key, len(pl.items))
	f := &searchFeed{ids: make(map[*Item]int, len(pl.items))}
	for i, it := range pl.items {
		keys[i] = searchKey(it)
		f.ids[it] = i
	}
	f.s, f.err = search.NewStream(keys, put)
	if f.err == nil && b.o.Cache != nil {
		f.s.UseCache(b.o.Cache)
	}
	return f
}

// add indexes an item just converted, then drops its text and headings,
// which nothing else needs. An item that failed to convert is left out: the
// build fails anyway. Safe from several goroutines; errors are finish's.
func (f *searchFeed) add(it *Item) {
	if f == nil || f.err != nil || len(it.cerr) > 0 {
		return
	}
	i, ok := f.ids[it]
	if !ok {
		return // not one of the plan's items, so not a page of the index
	}
	f.s.Add(i, searchDoc(it))
	it.doc.text, it.doc.headings = "", nil
}

// finish returns the index files the feed has not yet put.
func (f *searchFeed) finish() (map[string][]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	return f.s.Finish()
}

// searchFiles returns the search index files still to write: with a feed
// (a one-shot build), those its stream has not yet put; without, all of
// them, from searchIndex.
func (b *Builder) searchFiles(pl *plan, f *searchFeed) (map[string][]byte, error) {
	if f != nil {
		return f.finish()
	}
	return b.searchIndex(pl)
}

// putSearch writes an index file as soon as the search feed makes it.
func (e *emitter) putSearch(name string, data []byte) {
	if !e.skip(name, 0) {
		e.put(name, data)
	}
}

// searchSum is the fingerprint of an index file from the last searchIndex:
// the index knows it without reading the file again. Fingerprints are only
// compared when the site is kept between builds.
func (b *Builder) searchSum(name string, data []byte) uint64 {
	if !b.keep {
		return 0
	}
	if sum, ok := b.searchIndexer().Sum(name); ok {
		return sum
	}
	return hashBytes(data)
}

func (b *Builder) searchIndexer() *search.Index {
	if b.search == nil {
		b.search = search.NewIndex()
		if b.o.Cache != nil {
			b.search.UseCache(b.o.Cache)
		}
	}
	return b.search
}

func headingTexts(hs []markdown.Heading) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Text
	}
	return out
}
