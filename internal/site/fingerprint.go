package site

import (
	"encoding/binary"
	"hash/fnv"
	"sort"
	"time"

	"lmcpress/internal/content"
)

// A fingerprint sums up everything an output shows, so the Builder can tell
// whether it must be rendered again. It must cover every value a template can
// reach from the View, except the items of .Site.Sections and .Site.Topics,
// which are covered by their counts: a template that lists a section's items
// from .Site rather than from .List would not be redrawn when one of them is
// edited. The default theme never does that.

type hasher struct{ h uint64 }

const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

func newHasher() *hasher { return &hasher{h: fnvOffset} }

func (h *hasher) str(s string) {
	for i := 0; i < len(s); i++ {
		h.h ^= uint64(s[i])
		h.h *= fnvPrime
	}
	h.h ^= 0xff // separator: "ab","c" differs from "a","bc"
	h.h *= fnvPrime
}

func (h *hasher) u64(v uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	h.str(string(b[:]))
}

func (h *hasher) int(v int)        { h.u64(uint64(v)) }
func (h *hasher) time(t time.Time) { h.u64(uint64(t.UnixNano())); h.str(t.Location().String()) }
func (h *hasher) bool(b bool) {
	if b {
		h.int(1)
	} else {
		h.int(0)
	}
}

func hashBytes(b []byte) uint64 {
	h := fnv.New64a()
	_, _ = h.Write(b)
	return h.Sum64()
}

// frontFP sums up everything of a page but its text: when it is unchanged,
// so is the plan.
func frontFP(p *content.Page) uint64 {
	h := newHasher()
	for _, s := range []string{p.File, p.Section, p.Dir, p.Slug, p.Title, p.Description, p.Summary, p.Place} {
		h.str(s)
	}
	for _, t := range []time.Time{p.Date, p.Lastmod, p.PublishDate, p.ExpiryDate, p.ReviewDue, p.End} {
		h.time(t)
	}
	h.int(int(p.Kind))
	h.int(p.BodyLine)
	h.bool(p.Draft)
	h.bool(p.Headless)
	h.bool(p.Bundle)
	for _, list := range [][]string{p.Topics, p.Areas, p.Aliases, p.Items, p.Covering, p.Authors} {
		h.int(len(list))
		for _, s := range list {
			h.str(s)
		}
	}
	for _, c := range p.Changes {
		h.time(c.Date)
		h.str(c.Note)
	}
	for _, a := range p.Attachments {
		h.str(a.File)
		h.str(a.Title)
	}
	if e := p.Event; e != nil {
		h.time(e.Start)
		h.time(e.End)
		h.bool(e.AllDay)
		l := e.Location
		for _, s := range []string{l.Name, l.Address, l.JoinURL, e.Audience, e.Booking, e.CancelledReason} {
			h.str(s)
		}
		h.bool(l.Online)
		h.int(e.Capacity)
		h.bool(e.Cancelled)
	}
	keys := make([]string, 0, len(p.Lines))
	for k := range p.Lines {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h.str(k)
		h.int(p.Lines[k])
	}
	return h.h
}

// sourceFP sums up a converted item: its page's front matter (front, from
// frontFP), its HTML (html, the hash of it.Content, made once a conversion,
// since hashing every page's HTML on every rebuild would cost more than
// rendering) and what newItem derived from them.
func sourceFP(it *Item, front, html uint64) uint64 {
	h := newHasher()
	h.u64(front)
	h.u64(html)
	for _, s := range []string{it.Summary, it.URL, it.Permalink} {
		h.str(s)
	}
	for _, t := range []time.Time{it.Updated, it.Announced, it.Scheduled, it.Expired} {
		h.time(t)
	}
	h.bool(it.ReviewOverdue)
	h.bool(it.Upcoming)
	return h.h
}

type fingerprinter struct {
	tplV  uint64
	info  uint64
	items map[*Item]uint64
}

func newFingerprinter(pl *plan, tplV uint64) *fingerprinter {
	f := &fingerprinter{tplV: tplV, items: make(map[*Item]uint64, len(pl.items))}
	for _, it := range pl.items {
		f.items[it] = f.item(it, true)
	}
	h := newHasher()
	in := pl.info
	for _, s := range []string{in.Title, in.BaseURL, in.Language, in.Description, in.Organisation.Name, in.Organisation.PostalAddress, in.Organisation.Phone, in.Organisation.Email} {
		h.str(s)
	}
	h.int(in.Year)
	for _, m := range in.Menu {
		h.str(m.Label)
		h.str(m.URL)
	}
	for _, list := range [][]*Term{in.Topics, in.Areas} {
		h.int(len(list))
		for _, t := range list {
			term(h, t)
		}
	}
	for _, s := range in.Sections {
		section(h, s)
	}
	feeds(h, in.Feeds)
	f.info = h.h
	return f
}

func term(h *hasher, t *Term) {
	if t == nil {
		h.str("")
		return
	}
	h.str(t.Slug)
	h.str(t.Name)
	h.str(t.Description)
	h.str(t.URL)
	h.int(len(t.Items))
}

func section(h *hasher, s *Section) {
	if s == nil {
		h.str("")
		return
	}
	h.str(s.Name)
	h.str(s.Title)
	h.str(s.Description)
	h.str(s.URL)
	h.str(string(s.Intro))
	h.int(len(s.Items))
	h.int(len(s.all))
	// Its sub-sections, as the listing shows them, and the trail above it.
	h.int(len(s.Sections))
	for _, sub := range s.Sections {
		section(h, sub)
	}
	for p := s.Parent; p != nil; p = p.Parent {
		h.str(p.Title)
		h.str(p.URL)
	}
}

func feeds(h *hasher, f *FeedLinks) {
	if f == nil {
		h.str("")
		return
	}
	h.str(f.Title)
	h.str(f.RSS)
	h.str(f.Atom)
	h.str(f.JSON)
}

// item sums up an item with what the plan derived for it; the items of a
// newsletter issue count too, one level deep.
func (f *fingerprinter) item(it *Item, deep bool) uint64 {
	if it == nil {
		return 0
	}
	if v, ok := f.items[it]; ok && deep {
		return v
	}
	h := newHasher()
	h.u64(it.srcFP)
	for _, list := range [][]*Term{it.Topics, it.Areas} {
		h.int(len(list))
		for _, t := range list {
			h.str(t.Name)
			h.str(t.URL)
		}
	}
	for s := it.Section; s != nil; s = s.Parent {
		h.str(s.Name)
		h.str(s.Title)
		h.str(s.URL)
	}
	for _, a := range it.Attachments {
		h.str(a.URL)
		h.str(a.Title)
		h.str(a.Type)
		h.str(a.Size)
	}
	h.int(len(it.Issue))
	if deep {
		for _, sub := range it.Issue {
			h.u64(f.item(sub, false))
		}
	}
	return h.h
}

func (f *fingerprinter) list(h *hasher, items []*Item) {
	h.int(len(items))
	for _, it := range items {
		h.u64(f.items[it])
	}
}

// view sums up one HTML page.
func (f *fingerprinter) view(j job) uint64 {
	h := newHasher()
	v := j.view
	h.u64(f.tplV)
	h.u64(f.info)
	h.str(j.template)
	h.str(j.out)
	for _, s := range []string{v.Kind, v.Title, v.Description, v.URL, v.Permalink, string(v.Intro), v.Target, v.Empty, v.ArchiveKey} {
		h.str(s)
	}
	h.int(len(v.Breadcrumbs))
	for _, b := range v.Breadcrumbs {
		h.str(b.Label)
		h.str(b.URL)
	}
	h.u64(f.items[v.Item])
	section(h, v.Section)
	term(h, v.Term)
	f.list(h, v.List)
	f.list(h, v.Latest)
	f.list(h, v.Upcoming)
	h.u64(f.items[v.LatestIssue])
	h.int(len(v.Calendars))
	for _, c := range v.Calendars {
		h.str(c.Label)
		h.str(c.URL)
	}
	feeds(h, v.Feeds)
	if p := v.Pager; p != nil {
		h.int(p.Number)
		h.int(p.Total)
		h.str(p.Prev)
		h.str(p.Next)
		for _, l := range p.Links {
			h.int(l.Number)
			h.str(l.URL)
			h.bool(l.Current)
			h.bool(l.Ellipsis)
		}
	}
	h.int(len(v.Archive))
	for _, y := range v.Archive {
		h.int(y.Year)
		h.str(y.URL)
		h.int(y.Count)
		for _, m := range y.Months {
			h.str(m.Label)
			h.str(m.URL)
			h.int(m.Count)
		}
	}
	return h.h
}

// feed sums up one feed folder.
func (f *fingerprinter) feed(fj feedJob) uint64 {
	h := newHasher()
	h.u64(f.info)
	h.str(fj.dir)
	h.str(fj.title)
	h.str(fj.desc)
	h.str(fj.link)
	f.list(h, fj.items)
	return h.h
}
