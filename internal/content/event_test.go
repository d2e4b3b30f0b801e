package content

import (
	"strings"
	"testing"
	"time"
)

func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

// TestEventTimes reads starts and ends as London wall time, right on the
// days the clocks change: 18:30 on the last Sunday of March (28 March 2027,
// BST from 01:00 GMT) is 17:30 UTC, and on the last Sunday of October
// (31 October 2027, GMT again from 02:00 BST) is 18:30 UTC.
func TestEventTimes(t *testing.T) {
	tests := []struct {
		name       string
		fm         string
		start, end time.Time
		allDay     bool
	}{
		{"last Sunday of March", "start: 2027-03-28T18:30\nend: 2027-03-28T21:00", at(2027, 3, 28, 17, 30), at(2027, 3, 28, 20, 0), false},
		{"last Sunday of October", "start: 2027-10-31T18:30\nend: 2027-10-31T21:00", at(2027, 10, 31, 18, 30), at(2027, 10, 31, 21, 0), false},
		{"the night the clocks go back", "start: 2027-10-30T22:00\nend: 2027-10-31T03:00", at(2027, 10, 30, 21, 0), at(2027, 10, 31, 3, 0), false},
		{"the Saturday before March's change", "start: 2027-03-27T18:30", at(2027, 3, 27, 18, 30), at(2027, 3, 27, 18, 30), false},
		{"with an offset", "start: 2027-03-28T18:30:00+01:00", at(2027, 3, 28, 17, 30), at(2027, 3, 28, 17, 30), false},
		{"in UTC", "start: 2016-12-06T19:00:00Z\nend: 2016-12-06T21:00:00Z", at(2016, 12, 6, 19, 0), at(2016, 12, 6, 21, 0), false},
		{"all day", "start: 2017-03-06\nallDay: true", at(2017, 3, 6, 0, 0), at(2017, 3, 7, 0, 0), true},
		{"all day over several days", "allDay: true\nstart: 2017-03-06\nend: 2017-03-08", at(2017, 3, 6, 0, 0), at(2017, 3, 9, 0, 0), true},
		{"all day across the March change", "allDay: true\nstart: 2027-03-27\nend: 2027-03-29", at(2027, 3, 27, 0, 0), at(2027, 3, 29, 23, 0), true},
		{"the older form: date is the start", "end: 2017-02-08T21:00:00Z", at(2017, 2, 8, 18, 30), at(2017, 2, 8, 21, 0), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			date := "2016-11-01"
			if !strings.Contains(tc.fm, "start:") {
				date = "2017-02-08T18:30:00Z"
			}
			src := "---\ntitle: An evening\ndate: " + date + "\n" + tc.fm + "\n---\nBody\n"
			p, errs := Parse("events/x.md", []byte(src))
			if errs != nil {
				t.Fatal(errs)
			}
			e := p.Event
			if e == nil {
				t.Fatal("no Event")
			}
			if !e.Start.Equal(tc.start) || !e.End.Equal(tc.end) || e.AllDay != tc.allDay {
				t.Errorf("start %v end %v allDay %v; want %v, %v, %v", e.Start.UTC(), e.End.UTC(), e.AllDay, tc.start, tc.end, tc.allDay)
			}
			if e.Start.Location() != London && !strings.Contains(tc.fm, "+01:00") && !strings.Contains(tc.fm, "Z") {
				t.Errorf("start in %v, want Europe/London", e.Start.Location())
			}
		})
	}
}

func TestEventFields(t *testing.T) {
	src := `---
title: Practice managers' course
date: 2026-11-20
start: 2027-01-19T09:30
end: 2027-01-19T16:00
location:
  name: The Mill Conference Centre
  address: 3 Wharf Road, Northfield
  online: true
  joinUrl: https://meet.example.org/j/123
audience: Practice managers
booking: https://example-lmc.org.uk/book/course
capacity: 40
cancelled: true
cancelledReason: The trainer is unwell.
---
`
	p, errs := Parse("events/course.md", []byte(src))
	if errs != nil {
		t.Fatal(errs)
	}
	want := Event{Start: at(2027, 1, 19, 9, 30), End: at(2027, 1, 19, 16, 0),
		Location: Location{Name: "The Mill Conference Centre", Address: "3 Wharf Road, Northfield", Online: true, JoinURL: "https://meet.example.org/j/123"},
		Audience: "Practice managers", Booking: "https://example-lmc.org.uk/book/course", Capacity: 40, Cancelled: true, CancelledReason: "The trainer is unwell."}
	got := *p.Event
	if !got.Start.Equal(want.Start) || !got.End.Equal(want.End) {
		t.Errorf("times %v–%v", got.Start, got.End)
	}
	got.Start, got.End, want.Start, want.End = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if !p.Date.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, London)) {
		t.Errorf("Date = %v, want the day it was announced", p.Date)
	}
	if got.BookingEmail() {
		t.Error("a URL taken for an email address")
	}
	if l := (Location{Name: "The Mill", Address: "3 Wharf Road"}).Text(); l != "The Mill, 3 Wharf Road" {
		t.Errorf("Text = %q", l)
	}
	if l := (Location{Online: true}).Text(); l != "Online" {
		t.Errorf("Text = %q", l)
	}

	old := "---\ntitle: x\ndate: 2017-02-08T18:30:00Z\nplace: \"The Mill, 3 Wharf Road, Northfield\"\nbooking: events@example-lmc.org.uk\n---\n"
	p, errs = Parse("events/old.md", []byte(old))
	if errs != nil {
		t.Fatal(errs)
	}
	if l := p.Event.Location; l.Name != "The Mill" || l.Address != "3 Wharf Road, Northfield" {
		t.Errorf("place read as %+v", l)
	}
	if !p.Event.BookingEmail() {
		t.Error("an email address taken for a URL")
	}
	if p, _ := Parse("news/x.md", []byte("---\ntitle: x\ndate: 2024-01-01\n---\n")); p.Event != nil {
		t.Error("a news item has an Event")
	}
}

// TestEventErrors: each bad value is reported on its own line, saying what to write.
func TestEventErrors(t *testing.T) {
	tests := []struct {
		name, fm string
		file     string
		line     int // of the first error, counting "---" as line 1
		want     string
	}{
		{"end before start", "start: 2027-03-28T18:30\nend: 2027-03-28T17:00", "", 5, "before the start"},
		{"end before start, older form", "place: x\nend: 2017-01-01", "", 5, "before the start"},
		{"booking neither URL nor email", "start: 2027-01-01T10:00\nbooking: ring the office", "", 5, "neither a web address"},
		{"booking not http", "start: 2027-01-01T10:00\nbooking: ftp://example.org/book", "", 5, "not a web address"},
		{"booking with a name", "start: 2027-01-01T10:00\nbooking: LMC <events@example.org>", "", 5, "neither"},
		{"capacity not a number", "start: 2027-01-01T10:00\ncapacity: forty", "", 5, "number of places"},
		{"capacity zero", "start: 2027-01-01T10:00\ncapacity: 0", "", 5, "number of places"},
		{"start not a date", "start: next Tuesday", "", 4, "start: cannot parse"},
		{"allDay with a time", "start: 2027-01-01T10:00\nallDay: true", "", 4, "all-day event starts on a day"},
		{"allDay not a bool", "start: 2027-01-01\nallDay: sometimes", "", 5, "true or false"},
		{"reason without cancelled", "start: 2027-01-01T10:00\ncancelledReason: ill", "", 5, "not cancelled"},
		{"unknown location key", "start: 2027-01-01T10:00\nlocation:\n  room: 4", "", 6, `unknown key "room"`},
		{"empty location", "start: 2027-01-01T10:00\nlocation: {online: false}", "", 5, "name and address"},
		{"bad join link", "start: 2027-01-01T10:00\nlocation: {online: true, joinUrl: teams}", "", 5, "https://"},
		{"event field outside events", "start: 2027-01-01T10:00", "news/x.md", 4, "only an event"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file
			if file == "" {
				file = "events/x.md"
			}
			src := "---\ntitle: x\ndate: 2017-02-08T18:30:00Z\n" + tc.fm + "\n---\n"
			_, errs := Parse(file, []byte(src))
			if len(errs) == 0 {
				t.Fatalf("no error for\n%s", src)
			}
			e := errs[0].(*Error)
			if e.Line != tc.line || !strings.Contains(e.Msg, tc.want) || e.File != "content/"+file {
				t.Errorf("got %s:%d: %s\nwant line %d with %q", e.File, e.Line, e.Msg, tc.line, tc.want)
			}
		})
	}
}

func TestEventWhen(t *testing.T) {
	lon := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, London) }
	tests := []struct {
		e    Event
		want string
	}{
		{Event{Start: lon(2016, 12, 6, 19, 0), End: lon(2016, 12, 6, 21, 0)}, "Tue 6 Dec 2016, 7pm to 9pm"},
		{Event{Start: lon(2016, 12, 6, 19, 30), End: lon(2016, 12, 6, 19, 30)}, "Tue 6 Dec 2016, 7:30pm"},
		{Event{Start: lon(2017, 1, 10, 9, 5), End: lon(2017, 1, 10, 12, 0)}, "Tue 10 Jan 2017, 9:05am to midday"},
		{Event{Start: lon(2027, 3, 28, 18, 30), End: lon(2027, 3, 28, 21, 0)}, "Sun 28 Mar 2027, 6:30pm to 9pm"},
		{Event{Start: lon(2027, 10, 31, 18, 30), End: lon(2027, 10, 31, 21, 0)}, "Sun 31 Oct 2027, 6:30pm to 9pm"},
		{Event{Start: lon(2017, 3, 10, 18, 0), End: lon(2017, 3, 11, 13, 0)}, "Fri 10 Mar 2017, 6pm to Sat 11 Mar 2017, 1pm"},
		{Event{AllDay: true, Start: lon(2017, 3, 6, 0, 0), End: lon(2017, 3, 7, 0, 0)}, "Mon 6 Mar 2017"},
		{Event{AllDay: true, Start: lon(2017, 3, 6, 0, 0), End: lon(2017, 3, 9, 0, 0)}, "Mon 6 to Wed 8 Mar 2017"},
		{Event{AllDay: true, Start: lon(2017, 2, 28, 0, 0), End: lon(2017, 3, 3, 0, 0)}, "Tue 28 Feb to Thu 2 Mar 2017"},
		{Event{AllDay: true, Start: lon(2016, 12, 30, 0, 0), End: lon(2017, 1, 3, 0, 0)}, "Fri 30 Dec 2016 to Mon 2 Jan 2017"},
		{Event{AllDay: true, Start: lon(2027, 3, 27, 0, 0), End: lon(2027, 3, 30, 0, 0)}, "Sat 27 to Mon 29 Mar 2027"},
	}
	for _, tc := range tests {
		if got := tc.e.When(); got != tc.want {
			t.Errorf("When() = %q, want %q", got, tc.want)
		}
	}
	e := Event{Start: lon(2027, 3, 28, 18, 30)}
	if got := e.StartISO(); got != "2027-03-28T18:30+01:00" {
		t.Errorf("StartISO = %q", got)
	}
}

// TestEventPublished: with `start`, an event's date is when it is
// announced, so a later one holds it back as it does a news item; in the
// older form the date is the start, and the event is listed before it.
func TestEventPublished(t *testing.T) {
	v := Visibility{Now: time.Date(2026, 12, 1, 12, 0, 0, 0, London)}
	p, errs := Parse("events/a.md", []byte("---\ntitle: a\ndate: 2026-12-05\nstart: 2027-01-10T19:00\n---\n"))
	if errs != nil {
		t.Fatal(errs)
	}
	if p.Published(v) {
		t.Error("an event announced on 5 Dec is published on 1 Dec")
	}
	p, errs = Parse("events/b.md", []byte("---\ntitle: b\ndate: 2027-01-10T19:00\n---\n"))
	if errs != nil {
		t.Fatal(errs)
	}
	if !p.Published(v) {
		t.Error("an event in the older form is held back until it starts")
	}
}
