package site

import (
	"fmt"
	"strings"

	"lmcpress/internal/calendar"
	"lmcpress/internal/content"
)

// calendars makes the iCalendar files of the events section, at the
// addresses the book gives (content.Page.CalendarURL, EventsCalendarURL,
// AreaCalendarURL): each event's own file, behind its "Add to calendar"
// link, and the subscribable calendars of upcoming events, the whole
// site's and one an area. Dated by the build's clock, so a pinned --now
// gives the same bytes.
func (pl *plan) calendars(fail func(error)) map[string][]byte {
	s := pl.sections["events"]
	if s == nil || len(s.all) == 0 {
		return nil
	}
	o := calendar.Options{Now: pl.now, JoinURLs: pl.cfg.Events.JoinURLs}
	out := map[string][]byte{}
	var all []*content.Page
	for _, it := range s.all {
		p := it.Page
		if p.Event == nil {
			continue
		}
		all = append(all, p)
		data, err := calendar.Event(p, pl.cfg.BaseURL, o)
		if err != nil {
			fail(fmt.Errorf("calendar of content/%s: %w", p.File, err))
			continue
		}
		out[strings.TrimPrefix(p.CalendarURL(), "/")] = data
	}
	add := func(name, title string, pages []*content.Page) {
		data, err := calendar.Feed(title, pages, pl.cfg.BaseURL, o)
		if err != nil {
			fail(fmt.Errorf("%s: %w", name, err))
			return
		}
		out[strings.TrimPrefix(name, "/")] = data
	}
	add(content.EventsCalendarURL, "Events – "+pl.cfg.Title, all)
	for _, a := range content.CalendarAreas(pl.cfg, all) {
		var mine []*content.Page
		for _, p := range all {
			if content.ForArea(p, a) {
				mine = append(mine, p)
			}
		}
		add(content.AreaCalendarURL(a), "Events in "+a+" – "+pl.cfg.Title, mine)
	}
	return out
}

// calendarLinks are the subscribable calendars the events listing offers:
// every upcoming event's, then each area's; none for another section.
func (pl *plan) calendarLinks(s *Section) []Link {
	if s.Name != "events" {
		return nil
	}
	all := s.Top().all // the calendars are the whole section's, in a sub-section too
	if len(all) == 0 {
		return nil
	}
	links := []Link{{Label: "All events", URL: content.EventsCalendarURL}}
	pages := make([]*content.Page, len(all))
	for i, it := range all {
		pages[i] = it.Page
	}
	for _, a := range content.CalendarAreas(pl.cfg, pages) {
		links = append(links, Link{Label: a, URL: content.AreaCalendarURL(a)})
	}
	return links
}
