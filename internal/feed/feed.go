// Package feed writes RSS 2.0, Atom and JSON Feed documents for a list of
// items, with gorilla/feeds doing the formats.
//
// Validators are stricter than readers, so every feed here has absolute
// links, RFC 1123Z dates in RSS and RFC 3339 in Atom, GUIDs that are absolute
// URLs or marked isPermaLink="false", and names itself with
// atom:link rel="self". Each item carries the summary as its description
// (plain text, escaped as HTML where the format reads HTML) and, when asked,
// the full text as its content: feed readers want the one, and RSS-to-email
// tools the other.
package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/gorilla/feeds"
)

// Feed describes one feed and its items, newest first.
type Feed struct {
	Title       string
	Description string
	Language    string
	Link        string // absolute address of the HTML page the feed follows
	Self        string // absolute address of the feed folder, ending in "/"
	Author      string // the organisation
	Updated     time.Time
	Items       []Item
	// Texts, when set, is shared by the feeds of a build, so that an
	// item's full text is escaped once however many feeds carry it.
	Texts *Texts
}

// Item is one entry.
type Item struct {
	Title     string
	Link      string // absolute
	ID        string // absolute URL; a fragment marks a re-announcement
	Summary   string // plain text: escaped as HTML where a format reads HTML
	Content   string // HTML with absolute links; empty for summary-only feeds
	Published time.Time
	Updated   time.Time
	Topics    []string
}

// File names of the three formats within a feed folder.
const (
	RSSFile  = "feed.xml"
	AtomFile = "atom.xml"
	JSONFile = "feed.json"
)

func (f *Feed) gorilla() *feeds.Feed {
	g := &feeds.Feed{
		Title:       f.Title,
		Link:        &feeds.Link{Href: f.Link},
		Description: f.Description,
		Updated:     f.Updated,
		Created:     f.Updated,
		Id:          f.Self + AtomFile,
	}
	if f.Author != "" {
		g.Author = &feeds.Author{Name: f.Author}
	}
	for _, it := range f.Items {
		gi := &feeds.Item{
			Title:       it.Title,
			Link:        &feeds.Link{Href: it.Link},
			Description: it.Summary,
			Id:          it.ID,
			Created:     it.Published,
			Updated:     it.Updated,
			Content:     it.Content,
		}
		if it.ID != it.Link {
			gi.IsPermaLink = "false"
		}
		g.Items = append(g.Items, gi)
	}
	return g
}

type atomLink struct {
	XMLName xml.Name `xml:"atom:link"`
	Href    string   `xml:"href,attr"`
	Rel     string   `xml:"rel,attr"`
	Type    string   `xml:"type,attr"`
}

type rssChannel struct {
	XMLName  xml.Name `xml:"channel"`
	AtomLink atomLink
	*feeds.RssFeed
}

type rssDoc struct {
	XMLName   xml.Name `xml:"rss"`
	Version   string   `xml:"version,attr"`
	ContentNS string   `xml:"xmlns:content,attr"`
	AtomNS    string   `xml:"xmlns:atom,attr"`
	Channel   rssChannel
}

// RSS renders the RSS 2.0 document.
func (f *Feed) RSS() ([]byte, error) {
	doc := f.rssDoc()
	var texts []string // full texts, written in after (content.go)
	for _, it := range doc.Channel.Items {
		if it.Content != nil {
			texts = append(texts, it.Content.Content)
			it.Content.Content = ""
		}
	}
	markup, all := f.sizeHint()
	data, err := marshalXML(doc, markup)
	if err != nil {
		return nil, err
	}
	return fill(data, rssContent, texts, all, appendCDATA)
}

func (f *Feed) rssDoc() rssDoc {
	ch := (&feeds.Rss{Feed: f.gorilla()}).RssFeed()
	ch.Language = strings.ToLower(f.Language)
	ch.Generator = "lmcpress"
	ch.PubDate = ""
	ch.ManagingEditor = "" // RSS wants an email address here; the author is in the title
	ch.Description = textAsHTML(ch.Description)
	for i, it := range ch.Items {
		it.Description = textAsHTML(f.Items[i].Summary)
	}
	return rssDoc{
		Version:   "2.0",
		ContentNS: "http://purl.org/rss/1.0/modules/content/",
		AtomNS:    "http://www.w3.org/2005/Atom",
		Channel: rssChannel{
			AtomLink: atomLink{Href: f.Self + RSSFile, Rel: "self", Type: "application/rss+xml"},
			RssFeed:  ch,
		},
	}
}

type atomDoc struct {
	XMLName xml.Name `xml:"feed"`
	Links   []atomSelf
	*feeds.AtomFeed
}

type atomSelf struct {
	XMLName xml.Name `xml:"link"`
	Href    string   `xml:"href,attr"`
	Rel     string   `xml:"rel,attr"`
	Type    string   `xml:"type,attr"`
}

// Atom renders the Atom 1.0 document.
func (f *Feed) Atom() ([]byte, error) {
	doc := f.atomDoc()
	var texts []string // full texts, escaped and written in after (content.go)
	for _, e := range doc.Entries {
		if e.Content != nil {
			texts = append(texts, e.Content.Content)
			e.Content.Content = ""
		}
	}
	markup, all := f.sizeHint()
	data, err := marshalXML(doc, markup)
	if err != nil {
		return nil, err
	}
	return fill(data, atomContent, texts, all, f.atomText)
}

func (f *Feed) atomDoc() atomDoc {
	af := (&feeds.Atom{Feed: f.gorilla()}).AtomFeed()
	af.Link = nil // replaced by the pair below: gorilla/feeds writes only one
	for i, e := range af.Entries {
		for j := range e.Links {
			e.Links[j].Type = "text/html"
		}
		e.Published = f.Items[i].Published.Format(time.RFC3339)
		if e.Summary != nil {
			e.Summary.Content = textAsHTML(f.Items[i].Summary)
		}
	}
	return atomDoc{Links: []atomSelf{
		{Href: f.Self + AtomFile, Rel: "self", Type: "application/atom+xml"},
		{Href: f.Link, Rel: "alternate", Type: "text/html"},
	}, AtomFeed: af}
}

// JSON renders the JSON Feed 1.1 document.
func (f *Feed) JSON() ([]byte, error) {
	jf := f.jsonFeed()
	var texts []string // full texts, escaped and written in after (content.go)
	for _, it := range jf.Items {
		if it.ContentHTML != "" {
			texts = append(texts, it.ContentHTML)
			it.ContentHTML = jsonPlaceholder
		}
	}
	// What jf.ToJSON writes (json.MarshalIndent), laid out faster.
	data, err := json.Marshal(jf)
	if err != nil {
		return nil, fmt.Errorf("feed %s: %w", f.Self+JSONFile, err)
	}
	out := indentJSON(make([]byte, 0, len(data)+len(data)/8+256), data)
	_, all := f.sizeHint()
	out, err = fill(out, jsonContent, texts, all, f.jsonText)
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

func (f *Feed) jsonFeed() *feeds.JSONFeed {
	jf := (&feeds.JSON{Feed: f.gorilla()}).JSONFeed()
	jf.Version = "https://jsonfeed.org/version/1.1"
	jf.FeedUrl = f.Self + JSONFile
	for i, it := range jf.Items {
		it.Summary = f.Items[i].Summary
		if it.ContentHTML == "" {
			it.ContentText = f.Items[i].Summary
		}
		it.Tags = f.Items[i].Topics
	}
	return jf
}

// htmlText escapes the characters that make text markup.
var htmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// textAsHTML is plain text as HTML that shows it. RSS descriptions are HTML
// by custom, and gorilla/feeds declares the Atom summary type="html": a
// summary of "<script>" written as it is would become markup in a feed
// reader once the XML is read. Quotes need no escaping outside attributes,
// so a summary with none of & < > is written as before.
func textAsHTML(s string) string { return htmlText.Replace(s) }

// marshalXML is xml.MarshalIndent after the XML declaration, into a
// buffer made about the document's size (size): grown from nothing by
// doubling, and copied once more to put the declaration first, the buffers
// of a feed carrying full text were a fifth of what a 1,000-page build
// allocated (go test -bench Build1k/fresh -memprofile, alloc_space).
func marshalXML(v any, size int) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// sizeHint is about the size of the feed as XML, without the items' full
// text (markup) and with it (all): full text grows by about a fifth when
// escaped (each < is &lt;), and each entry has its addresses, dates and
// markup around it.
func (f *Feed) sizeHint() (markup, all int) {
	markup = 1024 + len(f.Title) + len(f.Description)
	content := 0
	for _, it := range f.Items {
		markup += 512 + 2*(len(it.Title)+len(it.Link)+len(it.ID)) + 5*len(it.Summary)/4
		content += 5 * len(it.Content) / 4
	}
	return markup, markup + content
}
