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
		d := search.Doc{
			URL:      it.URL,
			Title:    it.Title,
			Section:  it.Page.Section,
			Summary:  it.Summary,
			Headings: it.doc.headings,
			Text:     it.doc.text,
		}
		if it.Section != nil {
			d.SectionTitle = it.Section.Title
			d.Date = it.Date
			d.Updated = it.Announced
		}
		for _, t := range it.Topics {
			d.Topics = append(d.Topics, t.Name)
		}
		docs = append(docs, d)
	}
	if !b.keep {
		return search.Build(docs)
	}
	return b.searchIndexer().Build(docs)
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
