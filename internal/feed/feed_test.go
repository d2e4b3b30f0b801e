package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/ with the feeds as they are now")

// sample is a section feed of two items, newest first: one re-announced
// (its ID has a fragment), with characters to escape in every field that
// can hold them, and one summary-only.
func sample() *Feed {
	summer := time.FixedZone("BST", 3600)
	return &Feed{
		Title:       "News & views <Northfield LMC>",
		Description: "What the LMC says & does",
		Language:    "en-GB",
		Link:        "https://lmc.example.org/news/",
		Self:        "https://lmc.example.org/news/",
		Author:      "Northfield & District LMC",
		Updated:     time.Date(2026, 7, 2, 8, 30, 0, 0, time.UTC),
		Items: []Item{{
			Title:     `Flu clinics: "book now" & <don't wait>`,
			Link:      "https://lmc.example.org/news/flu-clinics/",
			ID:        "https://lmc.example.org/news/flu-clinics/#2026-07-02",
			Summary:   "Practices should order vaccines by 1 August; fees < £10 & rising.",
			Content:   `<p>Order <a href="https://lmc.example.org/advice/vaccines/">vaccines</a> &amp; book clinics.</p>`,
			Published: time.Date(2026, 7, 2, 9, 30, 0, 0, summer),
			Updated:   time.Date(2026, 7, 2, 9, 30, 0, 0, summer),
			Topics:    []string{"Vaccination", "Fees & charges"},
		}, {
			Title:     "Premises costs directions",
			Link:      "https://lmc.example.org/news/premises/",
			ID:        "https://lmc.example.org/news/premises/",
			Summary:   "The 2026 directions are out.",
			Published: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
			Updated:   time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		}},
	}
}

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test ./internal/feed -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from testdata/%s (if the change is meant, go test ./internal/feed -update):\n%s", name, name, got)
	}
}

func TestRSS(t *testing.T) {
	out, err := sample().RSS()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "news.rss", out)
	var doc struct {
		Channel struct {
			Title       string `xml:"title"`
			Description string `xml:"description"`
			Language    string `xml:"language"`
			Self        []struct {
				Href string `xml:"href,attr"`
				Rel  string `xml:"rel,attr"`
			} `xml:"http://www.w3.org/2005/Atom link"`
			Items []struct {
				Title   string `xml:"title"`
				PubDate string `xml:"pubDate"`
				GUID    struct {
					Value     string `xml:",chardata"`
					PermaLink string `xml:"isPermaLink,attr"`
				} `xml:"guid"`
				Description string `xml:"description"`
				Content     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("the RSS does not parse: %v", err)
	}
	ch := doc.Channel
	if ch.Title != "News & views <Northfield LMC>" || ch.Language != "en-gb" {
		t.Errorf("channel title %q, language %q", ch.Title, ch.Language)
	}
	if len(ch.Self) != 1 || ch.Self[0].Href != "https://lmc.example.org/news/feed.xml" || ch.Self[0].Rel != "self" {
		t.Errorf("atom:link self: %+v", ch.Self)
	}
	if len(ch.Items) != 2 {
		t.Fatalf("%d items, want 2", len(ch.Items))
	}
	first, second := ch.Items[0], ch.Items[1]
	if first.Title != `Flu clinics: "book now" & <don't wait>` || second.Title != "Premises costs directions" {
		t.Errorf("items out of order or mangled: %q, %q", first.Title, second.Title)
	}
	// RFC 1123Z, in the time's own zone.
	if first.PubDate != "Thu, 02 Jul 2026 09:30:00 +0100" || second.PubDate != "Thu, 15 Jan 2026 00:00:00 +0000" {
		t.Errorf("pubDates %q, %q", first.PubDate, second.PubDate)
	}
	if first.GUID.PermaLink != "false" || second.GUID.PermaLink == "false" {
		t.Errorf("isPermaLink %q (a re-announcement: want false), %q (the page's address: want it not false)", first.GUID.PermaLink, second.GUID.PermaLink)
	}
	if !strings.Contains(first.Content, `<a href="https://lmc.example.org/advice/vaccines/">`) || second.Content != "" {
		t.Errorf("content:encoded %q, %q", first.Content, second.Content)
	}
	// A description is HTML to a reader: the summary's text, escaped once
	// more than the XML escapes it.
	if first.Description != "Practices should order vaccines by 1 August; fees &lt; £10 &amp; rising." {
		t.Errorf("description %q", first.Description)
	}
	if ch.Description != "What the LMC says &amp; does" {
		t.Errorf("channel description %q", ch.Description)
	}
}

// TestSummaryIsNeverMarkup reads each summary as a feed reader does, after
// one XML unescape and as HTML where the format says HTML: it must show the
// summary's text and hold no element.
func TestSummaryIsNeverMarkup(t *testing.T) {
	summaries := []string{`<script>alert(1)</script>`, `<img src=x onerror=alert(1)>`, `AT&T &amp; "quotes" 'too' > less`}
	f := sample()
	f.Items = f.Items[:1]
	for _, sum := range summaries {
		f.Items[0].Summary = sum
		rss, err := f.RSS()
		if err != nil {
			t.Fatal(err)
		}
		atom, err := f.Atom()
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Description string `xml:"channel>item>description"`
		}
		var a struct {
			Summary struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"entry>summary"`
		}
		if err := xml.Unmarshal(rss, &r); err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(atom, &a); err != nil {
			t.Fatal(err)
		}
		if a.Summary.Type != "html" {
			t.Fatalf("Atom summary type %q: this test reads it as HTML", a.Summary.Type)
		}
		for format, got := range map[string]string{"RSS description": r.Description, "Atom summary": a.Summary.Text} {
			if strings.ContainsAny(got, "<>") || html.UnescapeString(got) != sum {
				t.Errorf("%s of %q is %q: a reader shows %q", format, sum, got, html.UnescapeString(got))
			}
		}
		js, err := f.JSON()
		if err != nil {
			t.Fatal(err)
		}
		var j struct {
			Items []struct {
				Summary string `json:"summary"`
			} `json:"items"`
		}
		if err := json.Unmarshal(js, &j); err != nil {
			t.Fatal(err)
		}
		if j.Items[0].Summary != sum { // plain text by JSON Feed's spec
			t.Errorf("JSON summary of %q is %q", sum, j.Items[0].Summary)
		}
	}
}

func TestAtom(t *testing.T) {
	out, err := sample().Atom()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "news.atom", out)
	var doc struct {
		ID    string `xml:"id"`
		Links []struct {
			Href string `xml:"href,attr"`
			Rel  string `xml:"rel,attr"`
		} `xml:"link"`
		Entries []struct {
			Title     string `xml:"title"`
			ID        string `xml:"id"`
			Published string `xml:"published"`
			Updated   string `xml:"updated"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("the Atom does not parse: %v", err)
	}
	// gorilla/feeds makes the feed's id the page it follows (Feed.Link), a
	// permanent address as Atom wants.
	if doc.ID != "https://lmc.example.org/news/" {
		t.Errorf("feed id %q, want the section's address", doc.ID)
	}
	if len(doc.Links) != 2 || doc.Links[0].Rel != "self" || doc.Links[0].Href != "https://lmc.example.org/news/atom.xml" ||
		doc.Links[1].Rel != "alternate" || doc.Links[1].Href != "https://lmc.example.org/news/" {
		t.Errorf("feed links %+v, want self then alternate", doc.Links)
	}
	if len(doc.Entries) != 2 {
		t.Fatalf("%d entries, want 2", len(doc.Entries))
	}
	e := doc.Entries
	if e[0].Title != `Flu clinics: "book now" & <don't wait>` || e[0].ID != "https://lmc.example.org/news/flu-clinics/#2026-07-02" {
		t.Errorf("first entry %+v", e[0])
	}
	// RFC 3339, in the time's own zone.
	if e[0].Published != "2026-07-02T09:30:00+01:00" || e[1].Published != "2026-01-15T00:00:00Z" || e[1].Updated != "2026-03-01T12:00:00Z" {
		t.Errorf("dates %q, %q, %q", e[0].Published, e[1].Published, e[1].Updated)
	}
}

func TestJSON(t *testing.T) {
	out, err := sample().JSON()
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "news.json", out)
	var doc struct {
		Version string `json:"version"`
		FeedURL string `json:"feed_url"`
		Items   []struct {
			ID          string   `json:"id"`
			Title       string   `json:"title"`
			Summary     string   `json:"summary"`
			ContentHTML string   `json:"content_html"`
			ContentText string   `json:"content_text"`
			Published   string   `json:"date_published"`
			Tags        []string `json:"tags"`
		} `json:"items"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("the JSON feed does not parse: %v", err)
	}
	if doc.Version != "https://jsonfeed.org/version/1.1" || doc.FeedURL != "https://lmc.example.org/news/feed.json" {
		t.Errorf("version %q, feed_url %q", doc.Version, doc.FeedURL)
	}
	if len(doc.Items) != 2 {
		t.Fatalf("%d items, want 2", len(doc.Items))
	}
	a, b := doc.Items[0], doc.Items[1]
	if a.Title != `Flu clinics: "book now" & <don't wait>` || a.ContentHTML == "" || a.ContentText != "" ||
		strings.Join(a.Tags, "|") != "Vaccination|Fees & charges" || a.Published != "2026-07-02T09:30:00+01:00" {
		t.Errorf("first item %+v", a)
	}
	// A summary-only item still has content, as JSON Feed requires.
	if b.ContentHTML != "" || b.ContentText != "The 2026 directions are out." || b.Summary != b.ContentText || b.Tags != nil {
		t.Errorf("second item %+v", b)
	}
	if !bytes.HasSuffix(out, []byte("}\n")) {
		t.Error("the JSON feed does not end with a newline")
	}
}

// TestEmpty: a feed with no items is still a valid document of each kind.
func TestEmpty(t *testing.T) {
	f := sample()
	f.Items = nil
	for name, render := range map[string]func() ([]byte, error){"rss": f.RSS, "atom": f.Atom, "json": f.JSON} {
		out, err := render()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var v any
		if name == "json" {
			err = json.Unmarshal(out, &v)
		} else {
			err = xml.Unmarshal(out, new(struct{}))
		}
		if err != nil || bytes.Contains(out, []byte("<item>")) || bytes.Contains(out, []byte("<entry>")) {
			t.Errorf("%s with no items: %v\n%s", name, err, out)
		}
	}
}
