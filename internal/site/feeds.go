package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"lmcpress/internal/feed"
	"lmcpress/internal/markdown"
)

// feedFiles are the files of a feed folder.
var feedFiles = []string{feed.RSSFile, feed.AtomFile, feed.JSONFile}

// feedContent renders full text with absolute links, once a page, however
// many feeds (site, section, topics) carry it at once.
type feedContent struct {
	md    *markdown.Engine
	store Cache // the build cache, if any
	base  string
	sc    *shortcodes
	cache sync.Map   // URL → func() string, from sync.OnceValue
	texts feed.Texts // the full texts' escaped forms, shared by every feed
}

func (fc *feedContent) html(it *Item) string {
	if it.feedHTML != "" {
		return it.feedHTML // converted with the page (convertItems)
	}
	f, ok := fc.cache.Load(it.URL)
	if !ok {
		f, _ = fc.cache.LoadOrStore(it.URL, sync.OnceValue(func() string {
			mo := markdown.Options{BaseURL: fc.base, PageURL: it.URL}
			key := fc.sc.options(&mo, it.Page, it.Page.Body)
			doc := convert(fc.md, fc.store, it.Page.Body, mo, key)
			return string(doc.HTML)
		}))
	}
	return f.(func() string)()
}

// maxFeedContent bounds the HTML a feed entry carries in full (feeds:
// fullContent); a longer page's entry has its summary and link only. An
// item is in up to 3 × (2 + 50 topics) feed files, so without it one
// 2.7 MB page wrote 512 MB of feeds; feed readers cut such entries anyway.
const maxFeedContent = 256 << 10

// renderFeed makes one of the three documents of a feed folder (name is
// one of feedFiles); a failure is passed to fail.
func (pl *plan) renderFeed(fj feedJob, fc *feedContent, name string, fail func(error)) ([]byte, bool) {
	base := strings.TrimSuffix(pl.cfg.BaseURL, "/")
	f := &feed.Feed{
		Title:       fj.title,
		Description: fj.desc,
		Language:    pl.cfg.Language,
		Link:        base + fj.link,
		Self:        base + fj.dir,
		Author:      pl.cfg.Organisation.Name,
		Texts:       &fc.texts,
	}
	if f.Author == "" {
		f.Author = pl.cfg.Title
	}
	if f.Description == "" {
		f.Description = fj.title
	}
	for _, it := range firstN(fj.items, pl.cfg.Feeds.Limit) {
		fi := feed.Item{
			Title:     it.Title,
			Link:      it.Permalink,
			ID:        it.Permalink,
			Summary:   it.Summary,
			Published: it.Announced,
			Updated:   it.Announced,
		}
		// GOV.UK's rule: a change with a note announces the page again, as a
		// new entry that says what changed.
		if !it.Announced.Equal(it.Page.FirstAnnounced()) && len(it.Page.Changes) > 0 {
			c := it.Page.Changes[0]
			fi.ID = it.Permalink + "#updated-" + c.Date.Format("2006-01-02")
			fi.Title = it.Title + " (updated)"
			fi.Summary = "Updated " + c.Date.Format("2 Jan 2006") + ": " + c.Note + " " + it.Summary
		}
		if pl.cfg.FullContent() {
			if h := fc.html(it); len(h) <= maxFeedContent {
				fi.Content = h
			}
		}
		for _, t := range it.Topics {
			fi.Topics = append(fi.Topics, t.Name)
		}
		f.Items = append(f.Items, fi)
		if fi.Published.After(f.Updated) {
			f.Updated = fi.Published
		}
	}
	if f.Updated.IsZero() {
		f.Updated = time.Date(pl.info.Year, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	mk := map[string]func() ([]byte, error){feed.RSSFile: f.RSS, feed.AtomFile: f.Atom, feed.JSONFile: f.JSON}[name]
	data, err := mk()
	if err != nil {
		fail(fmt.Errorf("feed %s%s: %w", fj.dir, name, err))
		return nil, false
	}
	return data, true
}

// sitemap lists every HTML page but the 404 page and redirects, with each
// item's "Last updated" date. Written by hand rather than with encoding/xml:
// the preview makes it on every rebuild, and addresses need only escaping.
func (pl *plan) sitemap() []byte {
	if pl.sitemapXML == nil {
		pl.sitemapXML = pl.makeSitemap()
	}
	return pl.sitemapXML
}

func (pl *plan) makeSitemap() []byte {
	type entry struct{ loc, lastmod string }
	urls := make([]entry, 0, len(pl.jobs))
	for _, j := range pl.jobs {
		if j.view.Kind == "404" || j.view.Kind == "search" {
			continue
		}
		e := entry{loc: j.view.Permalink}
		if j.view.Item != nil {
			e.lastmod = j.view.Item.Updated.Format("2006-01-02")
		}
		urls = append(urls, e)
	}
	sort.Slice(urls, func(i, j int) bool { return urls[i].loc < urls[j].loc })
	var b bytes.Buffer
	b.Grow(len(urls) * 96)
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, u := range urls {
		b.WriteString("  <url>\n    <loc>")
		_ = xml.EscapeText(&b, []byte(u.loc))
		b.WriteString("</loc>\n")
		if u.lastmod != "" {
			b.WriteString("    <lastmod>" + u.lastmod + "</lastmod>\n")
		}
		b.WriteString("  </url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}
