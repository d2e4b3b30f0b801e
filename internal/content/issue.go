package content

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// IssueIndex answers which pages a newsletter issue carries. The site's web
// page for an issue and the email made from it (internal/newsletter) both
// ask it, so the two can never disagree about what the month's issue holds.
// Made once a build from the published pages, it is then safe to read from
// several goroutines.
type IssueIndex struct {
	byURL   map[string]*Page
	byFile  map[string]*Page // "news/2016-03-03-flu", for a page whose address is not its path
	byMonth map[int][]*Page  // year*12+month in UK time → news, advice and guidance announced then
}

// NewIssueIndex indexes the published pages (as the build will show them)
// by address and by the month they were last announced in.
func NewIssueIndex(published []*Page) *IssueIndex {
	ix := &IssueIndex{byURL: make(map[string]*Page, len(published)), byFile: map[string]*Page{}, byMonth: map[int][]*Page{}}
	for _, p := range published {
		ix.byURL[p.URL()] = p
		if f := strings.ToLower(TrimPageExt(p.File)); "/"+f+"/" != p.URL() {
			ix.byFile[f] = p
		}
		switch p.Section {
		case "news", "advice", "guidance":
			// News of the month, and advice first published or changed
			// with a note that month.
			y, m, _ := p.Announced().In(London).Date()
			ix.byMonth[y*12+int(m)] = append(ix.byMonth[y*12+int(m)], p)
		}
	}
	return ix
}

// Items returns the pages the issue carries, in the order it shows them:
// those of its `items:` list in that order, or else the month's news and
// the advice and guidance announced that month, newest first (as readers
// of a news page expect, and as the site's news list shows them); pages
// announced at the same moment keep the order they were given in. A
// non-empty area keeps only the pages for everyone (no `areas:`) and those
// naming that area. An `items:` entry that is no published page is an
// error at its line.
func (ix *IssueIndex) Items(issue *Page, area string) ([]*Page, Errors) {
	var out []*Page
	var errs Errors
	if len(issue.Items) > 0 {
		for _, ref := range issue.Items {
			f := strings.Trim(TrimPageExt(strings.TrimSpace(ref)), "/")
			p, ok := ix.byURL[strings.ToLower("/"+f+"/")]
			if !ok {
				p, ok = ix.byFile[strings.ToLower(f)] // news/2016-03-03-flu, as the file is named
			}
			if !ok {
				errs = append(errs, &Error{File: "content/" + issue.File, Line: issue.Lines["items"],
					Msg: "items: " + strconv.Quote(ref) + " is not a published page: give its path in content/ without .md, e.g. news/flu-clinics"})
				continue
			}
			out = append(out, p)
		}
	} else {
		y, m, _ := issue.Date.In(London).Date()
		out = append(out, ix.byMonth[y*12+int(m)]...)
		sort.SliceStable(out, func(i, j int) bool { return out[i].Announced().After(out[j].Announced()) })
	}
	if area != "" {
		kept := out[:0:0]
		for _, p := range out {
			if ForArea(p, area) {
				kept = append(kept, p)
			}
		}
		out = kept
	}
	return out, errs
}

// ForArea reports whether a page is for readers in area: it names no area
// (it is for everyone) or names that one, in any case.
func ForArea(p *Page, area string) bool {
	if len(p.Areas) == 0 {
		return true
	}
	for _, a := range p.Areas {
		if strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(area)) {
			return true
		}
	}
	return false
}

// DiaryMonths is how far ahead a newsletter's "Dates for your diary" looks.
const DiaryMonths = 2

// Diary returns the events of published that start in the DiaryMonths
// after from (a newsletter issue's date), soonest first, cancelled ones
// included (readers who noted them need to know). A non-empty area keeps
// the events for everyone and those naming that area, as Items does.
func Diary(published []*Page, from time.Time, area string) []*Page {
	until := from.In(London).AddDate(0, DiaryMonths, 0)
	var out []*Page
	for _, p := range published {
		e := p.Event
		if e == nil || e.Start.Before(from) || !e.Start.Before(until) || (area != "" && !ForArea(p, area)) {
			continue
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Event.Start, out[j].Event.Start
		return a.Before(b) || a.Equal(b) && out[i].URL() < out[j].URL()
	})
	return out
}
