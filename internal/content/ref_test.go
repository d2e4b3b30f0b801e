package content

import (
	"strings"
	"testing"
)

func TestRefsResolve(t *testing.T) {
	b := newTestBook(t, 20, nil, map[string]string{
		"_index.md":                    "---\ntitle: Home\n---\n",
		"guidance/_index.md":           "---\ntitle: Guidance\n---\n",
		"guidance/boundaries.md":       item("Boundaries", "2024-01-01"),
		"guidance/letters/index.md":    item("Letters", "2024-01-01"),
		"news/flu.md":                  item("Flu", "2024-01-01"),
		"news/intro.md":                item("Intro", "2024-01-01"),
		"advice/intro.md":              item("Intro", "2024-01-01"),
		"news/draft.md":                item("Draft", "2024-01-01", "draft: true"),
		"news/2016-01-01-old-style.md": item("Old", "2016-01-01"),
	})
	r := NewRefs(b)
	var from *Page
	for _, p := range b.pages {
		if p.File == "news/flu.md" {
			from = p
		}
	}
	flu := b.files["news/flu.md"]
	tests := []struct{ target, want, err string }{
		{"guidance/boundaries.md", "/guidance/boundaries/", ""},
		{"/guidance/boundaries", "/guidance/boundaries/", ""},
		{"Guidance/Boundaries.md", "/guidance/boundaries/", ""},
		{"boundaries", "/guidance/boundaries/", ""}, // the only page of that name
		{"boundaries#who", "/guidance/boundaries/#who", ""},
		{"guidance/letters", "/guidance/letters/", ""}, // a bundle by its folder
		{"guidance/letters/index.md", "/guidance/letters/", ""},
		{"guidance", "/guidance/", ""}, // a section
		{"guidance/_index.md", "/guidance/", ""},
		{"flu.md", flu, ""}, // beside the page
		{"../guidance/boundaries.md", "/guidance/boundaries/", ""},
		{"/", "/", ""},
		{"#part", "#part", ""},
		{"intro.md", flu[:len("/news/")] + "intro/", ""}, // beside the page comes first
		{"/nowhere.md", "", "no published page comes from content/nowhere.md"},
		{"news/draft.md", "", "no published page comes from content/news/news/draft.md or content/news/draft.md (is it a draft, not yet due, or headless?)"},
		{"https://example.org/", "", "is another site's address"},
		{"", "", "names no page"},
	}
	for _, tt := range tests {
		got, err := r.Resolve(from, tt.target)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q: error %v, want %q", tt.target, err, tt.err)
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("%q: %q, %v; want %q", tt.target, got, err, tt.want)
		}
	}
	// From elsewhere, a name two pages have is not enough.
	if _, err := r.Resolve(nil, "intro"); err == nil || !strings.Contains(err.Error(), `more than one page is called "intro" (advice/intro, news/intro)`) {
		t.Errorf("intro from nowhere: %v", err)
	}
	if r.Sum() != NewRefs(b).Sum() {
		t.Error("Sum differs for the same book")
	}
}
