// Package calendar writes the iCalendar (RFC 5545) files of the events
// section: one event's file, behind each page's "Add to calendar" link, and
// the subscribable calendars of upcoming events (the whole site's and one per
// area) that practices add to Outlook once and that then follow every change.
//
// It is the only importer of github.com/arran4/golang-ical, which builds,
// escapes and folds the lines; this package decides what goes in them. Times
// are written as London wall time with TZID=Europe/London and a VTIMEZONE
// holding the UK's rules (zone.go), so an event at 18:30 on the day the
// clocks change is at 18:30 in every client, whatever zone it runs in.
//
// # Updates: UID, SEQUENCE and DTSTAMP
//
// A client that already holds an event replaces it, rather than adding a
// second copy, when a file brings the same UID with a SEQUENCE at least as
// high (Outlook asks for a higher one before it moves a meeting). So:
//
//   - UID is the page's address and the site's host,
//     "events/sessional-gp-evening-2017@www.example-lmc.org.uk": stable from
//     build to build, and the same in the event's own file and in every
//     calendar that carries it. Renaming the page (its slug) makes a new UID.
//   - SEQUENCE comes from the page's change history: twice the number of
//     `changes:` entries, plus one while the event is cancelled (see
//     Sequence). An editor who moves an event, changes its place or cancels
//     or reinstates it adds a change note saying so, as for any page; the
//     number then only ever grows as long as notes are added and never
//     deleted. Cancelling without a note still raises it by one.
//   - DTSTAMP is the build's clock (--now), handed in as Options.Now, never
//     the wall clock: the same content and clock give the same bytes.
package calendar

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"

	"lmcpress/internal/content"
)

// Refresh is how often a subscribed client should fetch a calendar again
// (REFRESH-INTERVAL, and Outlook's X-PUBLISHED-TTL). The site is rebuilt
// when content changes; twice a day brings a cancellation in time.
const Refresh = 12 * time.Hour

// Options are what a calendar file needs besides its events.
type Options struct {
	// Now is the build's clock: every DTSTAMP, and in Feed the line between
	// upcoming events (kept) and past ones (left out).
	Now time.Time
	// JoinURLs puts online events' joining links in the files (site.yaml
	// decides). Every file this package makes is published on the site,
	// the event's own as much as a subscribable calendar, so without it a
	// file says only that the link goes to those who book.
	JoinURLs bool
}

// Event returns the .ics file of one event page, for its "Add to calendar"
// link. baseURL is the site's absolute address (site.yaml's baseURL): the
// event's URL and its UID come from it.
func Event(page *content.Page, baseURL string, o Options) ([]byte, error) {
	site, err := parseBase(baseURL)
	if err != nil {
		return nil, err
	}
	cal := newCalendar()
	if err := addEvent(cal, page, site, o.Now, o.JoinURLs); err != nil {
		return nil, err
	}
	return serialize(cal), nil
}

// Feed returns a subscribable calendar named title of the pages' events that
// have not ended by o.Now, soonest first. The caller chooses the pages (all
// events, or one area's); past events drop out, so a subscriber's calendar
// keeps what it already holds of them and is not filled with years of
// history on first subscription.
func Feed(title string, pages []*content.Page, baseURL string, o Options) ([]byte, error) {
	site, err := parseBase(baseURL)
	if err != nil {
		return nil, err
	}
	var upcoming []*content.Page
	for _, p := range pages {
		if p.Event == nil {
			return nil, fmt.Errorf("calendar %q: content/%s is not an event (no start)", title, p.File)
		}
		if !p.Event.Past(o.Now) {
			upcoming = append(upcoming, p)
		}
	}
	sort.SliceStable(upcoming, func(i, j int) bool {
		a, b := upcoming[i].Event, upcoming[j].Event
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return upcoming[i].URL() < upcoming[j].URL()
	})

	cal := newCalendar()
	cal.SetName(title)
	cal.SetXWRCalName(title)
	cal.SetXWRTimezone(content.London.String())
	cal.SetRefreshInterval(duration(Refresh))
	cal.SetXPublishedTTL(duration(Refresh))
	for _, p := range upcoming {
		if err := addEvent(cal, p, site, o.Now, o.JoinURLs); err != nil {
			return nil, fmt.Errorf("calendar %q: %w", title, err)
		}
	}
	return serialize(cal), nil
}

// UID is the event's identity in every calendar: its page's address on the
// site's host (see the package comment).
func UID(page *content.Page, site *url.URL) string {
	return strings.Trim(strings.TrimSuffix(site.Path, "/")+page.URL(), "/") + "@" + site.Hostname()
}

// Sequence is the event's revision number: 2 × its change notes, + 1 while
// cancelled. The doubling keeps every step an editor can take upward:
// cancelling (with or without a note) raises it, and so does reinstating a
// cancelled event with a note, which a plain "notes + cancelled" count would
// leave where it was.
func Sequence(page *content.Page) int {
	n := 2 * len(page.Changes)
	if page.Event != nil && page.Event.Cancelled {
		n++
	}
	return n
}

// site is the site's absolute address, parsed once per file.
func parseBase(baseURL string) (*url.URL, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("calendar: baseURL %q is not an absolute web address: set site.yaml's baseURL to e.g. https://www.example-lmc.org.uk", baseURL)
	}
	return u, nil
}

func newCalendar() *ical.Calendar {
	cal := ical.NewCalendarFor("lmcpress")
	cal.SetProductId("-//lmcpress//Events//EN")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ical.MethodPublish)
	cal.AddVTimezone(london())
	return cal
}

// serialize writes the calendar with CRLF line ends, lines folded at 75
// octets (golang-ical folds between UTF-8 characters, never inside one:
// TestFolding holds it to that).
func serialize(cal *ical.Calendar) []byte {
	return []byte(cal.Serialize(ical.WithNewLine("\r\n"), ical.WithLineLength(75)))
}

// Date-time forms: local time with a TZID, a day, and UTC.
const (
	localForm = "20060102T150405"
	dayForm   = "20060102"
)

// addEvent adds page's VEVENT to cal; join says whether an online event's
// joining link goes in.
func addEvent(cal *ical.Calendar, page *content.Page, site *url.URL, now time.Time, join bool) error {
	e := page.Event
	if e == nil {
		return fmt.Errorf("calendar: content/%s is not an event: give it a `start:`", page.File)
	}
	if e.Start.IsZero() {
		return fmt.Errorf("calendar: content/%s: the event has no start", page.File)
	}
	if e.End.Before(e.Start) {
		return fmt.Errorf("calendar: content/%s: the event ends (%s) before it starts (%s)", page.File,
			e.End.In(content.London).Format(time.DateTime), e.Start.In(content.London).Format(time.DateTime))
	}
	if now.IsZero() {
		return fmt.Errorf("calendar: content/%s: no build clock for DTSTAMP", page.File)
	}

	ev := cal.AddEvent(UID(page, site))
	ev.SetDtStampTime(now)
	ev.SetSequence(Sequence(page))
	tzid := ical.WithTZID(content.London.String())
	if e.AllDay {
		// DTEND is exclusive: the day after the last, which is what
		// content.Event's End already is. A day without an end is one day.
		end := e.End
		if !end.After(e.Start) {
			end = e.Start.In(content.London).AddDate(0, 0, 1)
		}
		ev.SetProperty(ical.ComponentPropertyDtStart, e.Start.In(content.London).Format(dayForm), ical.WithValue(string(ical.ValueDataTypeDate)))
		ev.SetProperty(ical.ComponentPropertyDtEnd, end.In(content.London).Format(dayForm), ical.WithValue(string(ical.ValueDataTypeDate)))
	} else {
		ev.SetProperty(ical.ComponentPropertyDtStart, e.Start.In(content.London).Format(localForm), tzid)
		// No end given (End == Start): no DTEND, an event at a moment.
		if e.End.After(e.Start) {
			ev.SetProperty(ical.ComponentPropertyDtEnd, e.End.In(content.London).Format(localForm), tzid)
		}
	}
	if u := page.Updated(); !u.IsZero() {
		ev.SetModifiedAt(u)
	}

	title := text(page.Title)
	if e.Cancelled {
		// Clients that show a cancelled event at all (Outlook keeps it in
		// the grid) rarely mark it: the title says so too.
		title = "Cancelled: " + title
	}
	ev.SetSummary(title)
	if loc := location(page, join); loc != "" {
		ev.SetLocation(loc)
	}
	pageURL := strings.TrimSuffix(site.String(), "/") + page.URL()
	ev.SetURL(pageURL)
	ev.SetDescription(description(page, pageURL, join))
	if e.Cancelled {
		ev.SetStatus(ical.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ical.ObjectStatusConfirmed)
	}
	return nil
}

// location is the LOCATION line: "Name, address", or "Online" (with the
// joining link when join allows, which Outlook and Teams turn into a
// button), or both for a meeting held in a room and on line.
func location(page *content.Page, join bool) string {
	l := page.Event.Location
	var parts []string
	for _, s := range []string{l.Name, l.Address} {
		if s = text(s); s != "" {
			parts = append(parts, s)
		}
	}
	if l.Online {
		online := "Online"
		if join && l.JoinURL != "" && !page.Event.Cancelled {
			online += ": " + l.JoinURL
		}
		parts = append(parts, online)
	}
	return strings.Join(parts, ", ")
}

// description is the DESCRIPTION text: the cancellation and its reason
// first, then the page's summary, who it is for, how to book, the joining
// link where allowed, and the page's address for everything else.
func description(page *content.Page, pageURL string, join bool) string {
	e := page.Event
	var paras []string
	if e.Cancelled {
		s := "CANCELLED."
		if r := text(e.CancelledReason); r != "" {
			s += " " + r
		}
		paras = append(paras, s)
	}
	summary := page.Summary
	if summary == "" {
		summary = page.Description
	}
	if s := text(summary); s != "" {
		paras = append(paras, s)
	}
	var facts []string
	if s := text(e.Audience); s != "" {
		facts = append(facts, "For: "+s)
	}
	if e.Booking != "" && !e.Cancelled {
		if e.BookingEmail() {
			facts = append(facts, "Book by email: "+e.Booking)
		} else {
			facts = append(facts, "Book: "+e.Booking)
		}
	}
	if e.Capacity > 0 {
		facts = append(facts, fmt.Sprintf("Places: %d", e.Capacity))
	}
	if e.Location.Online && e.Location.JoinURL != "" && !e.Cancelled {
		if join {
			facts = append(facts, "Join online: "+e.Location.JoinURL)
		} else if e.Booking != "" {
			facts = append(facts, "The joining link is sent to those who book.")
		} else {
			facts = append(facts, "Ask the organisers for the joining link.")
		}
	}
	if len(facts) > 0 {
		paras = append(paras, strings.Join(facts, "\n"))
	}
	paras = append(paras, "Details: "+pageURL)
	return strings.Join(paras, "\n\n")
}

// text makes front-matter text fit a TEXT value. golang-ical escapes
// backslash, semicolon, comma and LF, but passes CR and other control
// characters through raw, which RFC 5545 forbids in a value (a CR ends the
// line for some parsers): CRLF and lone CR become LF, the rest go, and the
// ends are trimmed.
func text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// duration is d as an RFC 5545 DURATION in whole hours ("PT12H").
func duration(d time.Duration) string {
	return fmt.Sprintf("PT%dH", int(d/time.Hour))
}
