package site

import (
	"lmcpress/internal/markdown"
	"lmcpress/internal/search"
)

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
		d.SectionTitle = it.Section.Top().Title // search's facets are the top sections
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

// searchFeed is Build's search index, fed each item as soon as it is
// converted, so that the item's text can be let go of at once instead of
// being held until the end (see search.Stream). The preview keeps a
// search.Index instead, which needs every page at once to find what changed
// (see preview.go).
type searchFeed struct {
	s   *search.Stream
	ids map[*Item]int // the plan's items → their place in the stream's keys
	err error         // from search.NewStream
}

// startSearch starts the search index of the plan's items, before they are
// converted; the record files (search/index/d/ and x/) go to put as soon
// as their last page is added, from the goroutine that adds it.
func startSearch(pl *plan, c Cache, put func(name string, data []byte)) *searchFeed {
	keys := make([]search.Key, len(pl.items))
	f := &searchFeed{ids: make(map[*Item]int, len(pl.items))}
	for i, it := range pl.items {
		keys[i] = searchKey(it)
		f.ids[it] = i
	}
	f.s, f.err = search.NewStream(keys, put)
	if f.err == nil && c != nil {
		f.s.UseCache(c)
	}
	return f
}

// add indexes an item just converted, then drops its text and headings,
// which nothing else needs. An item that failed to convert is left out: the
// build fails anyway. Safe from several goroutines; errors are finish's.
func (f *searchFeed) add(it *Item) {
	if f.err != nil || len(it.cerr) > 0 {
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

func headingTexts(hs []markdown.Heading) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Text
	}
	return out
}
