package site_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

// feedDates finds every date a feed file states, in RSS, Atom or JSON Feed.
var feedDates = regexp.MustCompile(`<(?:pubDate|lastBuildDate|updated|published)>([^<]+)<|"date_(?:published|modified)": "([^"]+)"`)

// checkFeedDates fails for every feed file with a date after now: the W3C
// feed validator's "Implausible date", and an entry readers sort to the top.
func checkFeedDates(t *testing.T, files map[string][]byte, now time.Time) (feeds int) {
	t.Helper()
	for name, data := range files {
		if !strings.HasSuffix(name, "feed.xml") && !strings.HasSuffix(name, "atom.xml") && !strings.HasSuffix(name, "feed.json") {
			continue
		}
		feeds++
		for _, m := range feedDates.FindAllSubmatch(data, -1) {
			s := string(m[1]) + string(m[2])
			d, err := time.Parse(time.RFC1123Z, s)
			if err != nil {
				d, err = time.Parse(time.RFC3339, s)
			}
			if err != nil {
				t.Errorf("%s: cannot read date %q", name, s)
				continue
			}
			if d.After(now) {
				t.Errorf("%s: date %s is after the build's now (%s)", name, s, now.Format(time.RFC3339))
			}
		}
	}
	return feeds
}

// TestSampleFeedsHaveNoFutureDates builds the sample site, whose events run
// into 2027, and requires every feed's dates to be no later than --now.
func TestSampleFeedsHaveNoFutureDates(t *testing.T) {
	for _, at := range []time.Time{now, time.Date(2027, 6, 1, 9, 0, 0, 0, time.UTC)} {
		o := options(t, os.DirFS("../../content"), nil, nil, content.Visibility{Now: at})
		w := site.NewMemWriter()
		if _, err := site.Build(o, w); err != nil {
			t.Fatalf("sample site does not build:\n%v", err)
		}
		if n := checkFeedDates(t, w.Files, at); n < 20 {
			t.Errorf("only %d feed files checked", n)
		}
	}
}

// TestEventsFeedDatedWhenAnnounced: an event is in the feeds from the day
// it was announced (publishDate, else date), dated so, never by its start.
func TestEventsFeedDatedWhenAnnounced(t *testing.T) {
	files := build(t, `
-- content/events/conference.md --
---
title: Conference
date: 2026-10-01
start: 2027-03-10T13:00
topics: [CQC]
---
Next spring.
-- content/events/scheduled.md --
---
title: Scheduled
date: 2026-09-01
publishDate: 2026-11-02T09:00
start: 2027-05-10T13:00
---
Announced in November.
-- content/events/older.md --
---
title: Older form
date: 2027-01-12T19:00
topics: [CQC]
---
Date is the start: no announcement date.
`)
	checkFeedDates(t, files, now)
	has(t, files, "events/feed.xml", "<pubDate>Thu, 01 Oct 2026 00:00:00 +0100</pubDate>", "<pubDate>Mon, 02 Nov 2026 09:00:00 +0000</pubDate>")
	has(t, files, "feed.xml", "<title>Conference</title>", "<title>Scheduled</title>")
	has(t, files, "topics/cqc/feed.xml", "<title>Conference</title>")
	hasNot(t, files, "events/feed.xml", "Older form")
	hasNot(t, files, "topics/cqc/feed.xml", "Older form")
	rss := string(files["events/feed.xml"])
	if strings.Index(rss, "Scheduled") > strings.Index(rss, "Conference") {
		t.Error("the later announcement should come first")
	}
}

// TestEventsSplitByTheClock: the listing has upcoming events soonest first,
// then past ones newest first, split at the build's --now; an event ends
// when its end has passed, and a cancelled one stays listed, marked.
func TestEventsSplitByTheClock(t *testing.T) {
	mini := `
-- content/site.yaml --
title: Test LMC
baseURL: https://lmc.example.org/
-- content/events/_index.md --
---
title: Events
---
-- content/events/ended.md --
---
title: Ended
date: 2026-10-01
start: 2026-11-24T09:00
end: 2026-11-24T11:59
---
x
-- content/events/running.md --
---
title: Running
date: 2026-10-01
start: 2026-11-24T11:00
end: 2026-11-24T13:00
---
x
-- content/events/later.md --
---
title: Later
date: 2026-10-01
start: 2027-01-19T09:30
booking: office@example.org
---
x
-- content/events/days.md --
---
title: Days
date: 2026-10-01
start: 2026-12-06
end: 2026-12-08
allDay: true
---
x
-- content/events/dropped.md --
---
title: Dropped
date: 2026-10-01
start: 2026-12-01T19:00
cancelled: true
cancelledReason: The room flooded.
---
x
-- content/events/old.md --
---
title: Old
date: 2016-10-01
start: 2016-12-06T19:00
end: 2016-12-06T21:00
---
x
`
	files := build(t, mini)
	list := string(files["events/index.html"])
	order := []string{"Upcoming events", "Running", "Dropped", "Days", "Later", "Past events", "Ended", "Old"}
	last := -1
	for _, s := range order {
		i := strings.Index(list, ">"+s+"<")
		if i < last {
			t.Errorf("events/index.html: %q out of order (want %v)", s, order)
		}
		last = i
	}
	has(t, files, "events/dropped/index.html", "This event has been cancelled.", "The room flooded.")
	has(t, files, "events/index.html", `Cancelled</strong>`)
	has(t, files, "events/days/index.html", "Sun 6 to Tue 8 Dec 2026")
	has(t, files, "events/old/index.html", "This event has passed.", "Tue 6 Dec 2016, 7pm to 9pm")
	has(t, files, "events/ended/index.html", "This event has passed.")
	hasNot(t, files, "events/running/index.html", "This event has passed.")
	has(t, files, "events/later/index.html", `<a href="mailto:office@example.org">office@example.org</a>`)
	home := string(files["index.html"])
	for _, s := range []string{"Running", "Dropped", "Days"} {
		if !strings.Contains(home, ">"+s+"<") {
			t.Errorf("home page lacks %s among the next three", s)
		}
	}
	if strings.Contains(home, ">Later<") {
		t.Error("home page shows a fourth event")
	}

	// A day later, Running has ended too.
	files, err := tryBuild(t, mini, content.Visibility{Now: now.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	has(t, files, "events/running/index.html", "This event has passed.")
}

// TestEventCalendars: every event has its .ics behind an "Add to calendar"
// link, and the listing offers the calendars of upcoming events, all and
// one an area, which leave out past events and other areas' ones.
func TestEventCalendars(t *testing.T) {
	files := build(t, `
-- content/site.yaml --
title: Test LMC
baseURL: https://lmc.example.org/
areas: [{name: Kingsmere}, {name: Ashcombe}]
-- content/events/_index.md --
---
title: Events
---
-- content/events/kings.md --
---
title: Kingsmere evening
date: 2026-10-01
start: 2027-01-19T19:00
areas: [Kingsmere]
---
x
-- content/events/everyone.md --
---
title: For everyone
date: 2026-10-01
start: 2027-02-01
allDay: true
---
x
-- content/events/gone.md --
---
title: Gone
date: 2016-10-01
start: 2016-12-06T19:00
areas: [Kingsmere]
---
x
`)
	for _, slug := range []string{"kings", "everyone", "gone"} {
		has(t, files, "events/"+slug+"/event.ics", "BEGIN:VCALENDAR", "BEGIN:VEVENT", "TZID:Europe/London")
		has(t, files, "events/"+slug+"/index.html", `<a href="/events/`+slug+`/event.ics" download>Add to calendar`)
	}
	has(t, files, "events/kings/event.ics", "DTSTART;TZID=Europe/London:20270119T190000")
	has(t, files, "events/calendar.ics", "SUMMARY:Kingsmere evening", "SUMMARY:For everyone")
	hasNot(t, files, "events/calendar.ics", "SUMMARY:Gone")
	has(t, files, "events/areas/kingsmere/calendar.ics", "SUMMARY:Kingsmere evening", "SUMMARY:For everyone")
	has(t, files, "events/areas/ashcombe/calendar.ics", "SUMMARY:For everyone")
	hasNot(t, files, "events/areas/ashcombe/calendar.ics", "SUMMARY:Kingsmere evening")
	has(t, files, "events/index.html", `<a href="/events/calendar.ics">All events</a>`,
		`<a href="/events/areas/kingsmere/calendar.ics">Kingsmere</a>`, `<a href="/events/areas/ashcombe/calendar.ics">Ashcombe</a>`)
}
