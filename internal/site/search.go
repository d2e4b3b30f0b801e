package site

import (
	"lmcpress/internal/markdown"
	"lmcpress/internal/search"
)

// searchIndex builds the files of the search page's index (internal/search)
// from every published page.
func (pl *plan) searchIndex() (map[string][]byte, error) {
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
	return search.Build(docs)
}

func headingTexts(hs []markdown.Heading) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Text
	}
	return out
}
