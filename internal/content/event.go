package content

import (
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Event is what an item in content/events/ says about the occasion itself,
// as against when it was announced (the page's Date). Every time is an
// instant; front matter without an offset is London wall time, so an event
// at 18:30 on the day the clocks change is at 18:30 local.
//
// Front matter:
//
//	date: 2026-11-20            # when the event was first announced (feeds date it so)
//	start: 2027-03-28T18:30     # London time; for allDay, a date: 2027-05-10
//	end: 2027-03-28T21:00       # optional; for allDay, the last day (inclusive)
//	allDay: true                # optional
//	location:
//	  name: The Mill Conference Centre
//	  address: 3 Wharf Road, Northfield
//	  online: true              # optional: a meeting on line, with or without a room
//	  joinUrl: https://…        # the joining link: in the calendar file only
//	audience: Sessional GPs
//	booking: events@example-lmc.org.uk   # a URL or an email address
//	capacity: 60
//	cancelled: true
//	cancelledReason: The speaker is unwell; we will rearrange in the spring.
//
// Files written before `start` existed keep working: `date` is then the
// start, `end` the end and `place` the location ("Name, address").
type Event struct {
	// Start and End are instants. For AllDay, Start is 00:00 London on the
	// first day and End 00:00 London on the day after the last, as
	// iCalendar's exclusive DTEND has it. A timed event without `end` has
	// End equal to Start.
	Start, End      time.Time
	AllDay          bool
	Location        Location
	Audience        string
	Booking         string // a URL (http or https) or an email address, as written
	Capacity        int    // 0 when not given
	Cancelled       bool
	CancelledReason string
}

// Location is where an event happens: a place with an address, on line, or both.
type Location struct {
	Name, Address string
	Online        bool
	// JoinURL is the joining link of an online event. It goes in the
	// calendar file (and to subscribers if site.yaml says so), never on
	// the public page: a meeting link posted on the web gets gatecrashed.
	JoinURL string
}

// Text is the location in one line, as a listing shows it: "Name, address",
// or "Online" for an event with no place.
func (l Location) Text() string {
	parts := []string{}
	for _, s := range []string{l.Name, l.Address} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 && l.Online {
		return "Online"
	}
	return strings.Join(parts, ", ")
}

// BookingEmail reports whether Booking is an email address rather than a URL.
func (e *Event) BookingEmail() bool {
	return e.Booking != "" && !strings.Contains(e.Booking, "://")
}

// Past reports whether the event is over at now: its end (its start, if it
// has no end) has gone by.
func (e *Event) Past(now time.Time) bool {
	return e.End.Before(now)
}

// eventDraft holds an event's raw values until the whole front matter is
// read: whether `end` is a day or a time depends on `allDay`, wherever in
// the file it comes.
type eventDraft struct {
	start, end       *yaml.Node
	allDay           bool
	location         Location
	audience         string
	booking          string
	capacity         int
	cancelled        bool
	cancelledReason  string
	cancelledReasonN *yaml.Node
}

// setEvent decodes one of the EventFields onto the draft.
func (p *Page) setEvent(d *decoder, f field) {
	v := f.val
	if p.Section != "events" || p.Kind != KindPage {
		d.fail(v, f.key, "only an event in content/events/ has this: remove it, or move the page to content/events/")
		return
	}
	ev := d.eventDraft()
	switch f.key {
	case "start":
		ev.start = v
	case "allDay":
		ev.allDay = d.bool(v, f.key)
	case "location":
		ev.location = d.location(v)
	case "audience":
		ev.audience = strings.TrimSpace(d.str(v, f.key))
	case "booking":
		ev.booking = strings.TrimSpace(d.str(v, f.key))
		if msg := checkBooking(ev.booking); msg != "" {
			d.fail(v, f.key, "%s", msg)
		}
	case "capacity":
		s := d.str(v, f.key)
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			d.fail(v, f.key, "want the number of places, e.g. `capacity: 40`, got %q", s)
		}
		ev.capacity = n
	case "cancelled":
		ev.cancelled = d.bool(v, f.key)
	case "cancelledReason":
		ev.cancelledReason = strings.TrimSpace(d.str(v, f.key))
		ev.cancelledReasonN = v
	}
}

func (d *decoder) eventDraft() *eventDraft {
	if d.event == nil {
		d.event = &eventDraft{}
	}
	return d.event
}

// location reads `location:` as a mapping, or a single line of text taken
// as the place's name.
func (d *decoder) location(n *yaml.Node) Location {
	var l Location
	if n.Kind == yaml.ScalarNode {
		l.Name = strings.TrimSpace(d.str(n, "location"))
		return l
	}
	d.object(n, "location", []string{"name", "address", "online", "joinUrl"}, func(k string, v *yaml.Node) {
		switch k {
		case "name":
			l.Name = strings.TrimSpace(d.str(v, "location: name"))
		case "address":
			l.Address = strings.TrimSpace(d.str(v, "location: address"))
		case "online":
			l.Online = d.bool(v, "location: online")
		case "joinUrl":
			l.JoinURL = strings.TrimSpace(d.str(v, "location: joinUrl"))
			if u, err := url.Parse(l.JoinURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				d.fail(v, "location: joinUrl", "want the meeting's https:// link, got %q", l.JoinURL)
			}
		}
	})
	if n.Kind == yaml.MappingNode && l.Name == "" && l.Address == "" && !l.Online {
		d.fail(n, "location", "give the place's name and address, or `online: true` for a meeting on line")
	}
	return l
}

// checkBooking says what is wrong with a booking address, or "".
func checkBooking(s string) string {
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Sprintf("%q is not a web address: write the booking page as https://…, or an email address", s)
		}
		return ""
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return fmt.Sprintf("%q is neither a web address (https://…) nor an email address (events@example.org)", s)
	}
	return ""
}

// finishEvent makes p.Event of an item in content/events/ from the draft,
// or from the older `date`/`end`/`place`.
func (p *Page) finishEvent(d *decoder) {
	ev := d.event
	if p.Section != "events" || p.Kind != KindPage {
		return
	}
	if ev == nil {
		ev = &eventDraft{}
	}
	e := &Event{AllDay: ev.allDay, Location: ev.location, Audience: ev.audience, Booking: ev.booking,
		Capacity: ev.capacity, Cancelled: ev.cancelled, CancelledReason: ev.cancelledReason}
	endLine := p.Lines["end"]
	if ev.start != nil {
		e.Start = d.date(ev.start, "start")
		if e.Start.IsZero() && !d.failedAt(ev.start.Line) {
			d.fail(ev.start, "start", "empty: give the event's start, e.g. `start: 2027-03-28T18:30`")
		}
	} else {
		// The older form: `date` is when the event starts.
		e.Start = p.Date
	}
	if p.Place != "" && e.Location == (Location{}) {
		name, addr, _ := strings.Cut(p.Place, ",")
		e.Location = Location{Name: strings.TrimSpace(name), Address: strings.TrimSpace(addr)}
	}
	e.End = p.End
	if e.AllDay {
		startLine := p.Lines["start"]
		if startLine == 0 {
			startLine = p.Lines["date"]
		}
		if !isMidnight(e.Start) {
			d.errs = append(d.errs, &lineError{startLine, "start: an all-day event starts on a day: write the date alone, e.g. `start: 2027-05-10`, or drop `allDay`"})
		}
		if !e.End.IsZero() && !isMidnight(e.End) {
			d.errs = append(d.errs, &lineError{endLine, "end: an all-day event ends on a day: write its last day alone, e.g. `end: 2027-05-12`"})
		}
		last := e.End
		if last.IsZero() {
			last = e.Start
		}
		y, m, dd := last.In(London).Date()
		e.End = time.Date(y, m, dd+1, 0, 0, 0, 0, London)
	} else if e.End.IsZero() {
		e.End = e.Start
	}
	if !e.Start.IsZero() && e.End.Before(e.Start) {
		d.errs = append(d.errs, &lineError{max(endLine, 1), fmt.Sprintf("end: %s is before the start (%s): an event ends after it begins",
			p.End.In(London).Format("2 Jan 2006 15:04"), e.Start.In(London).Format("2 Jan 2006 15:04"))})
	}
	if ev.cancelledReason != "" && !ev.cancelled {
		d.fail(ev.cancelledReasonN, "cancelledReason", "is given but the event is not cancelled: add `cancelled: true`, or remove the reason")
	}
	p.Event = e
}

func isMidnight(t time.Time) bool {
	h, m, s := t.In(London).Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}

// CalendarURL is the address of an event's calendar file ("Add to
// calendar"), "/events/SLUG/event.ics"; "" for a page that is no event.
func (p *Page) CalendarURL() string {
	if p.Event == nil {
		return ""
	}
	return p.URL() + "event.ics"
}

// EventsCalendarURL is the subscribable calendar of every upcoming event.
const EventsCalendarURL = "/events/calendar.ics"

// AreaCalendarURL is the subscribable calendar of an area's upcoming
// events (and those for everyone): "/events/areas/kingsmere/calendar.ics".
func AreaCalendarURL(area string) string {
	return "/events/areas/" + Slugify(area) + "/calendar.ics"
}

// CalendarAreas are the areas that have a calendar: those site.yaml lists
// and those published events name, by slug, in site.yaml's order then the
// events' order of first mention, each with the name first given.
func CalendarAreas(cfg *Config, events []*Page) []string {
	var out []string
	seen := map[string]bool{}
	add := func(a string) {
		if s := Slugify(a); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, a)
		}
	}
	if cfg != nil {
		for _, t := range cfg.Areas {
			add(t.Name)
		}
	}
	for _, p := range events {
		if p.Event != nil {
			for _, a := range p.Areas {
				add(a)
			}
		}
	}
	return out
}
