package calendar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ical "github.com/arran4/golang-ical"

	"lmcpress/internal/content"
)

func utf8Valid(b []byte) bool { return utf8.Valid(b) }

// written is one file the tests make, with the pages it holds and whether
// joining links are in.
type written struct {
	name  string
	data  []byte
	pages []*content.Page
	join  bool
	now   time.Time
}

// allFiles is every case's own file, and the feed with and without
// joining links.
func allFiles(t *testing.T) []written {
	t.Helper()
	var out []written
	for _, c := range cases {
		b, err := Event(c.page, base, Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, written{c.name, b, []*content.Page{c.page}, false, now})
	}
	for _, join := range []bool{false, true} {
		clock := at(2016, 12, 1, 9, 0)
		b, err := Feed("Example LMC events, all areas", feedPages(), base, Options{Now: clock, JoinURLs: join})
		if err != nil {
			t.Fatal(err)
		}
		pages := feedPages()
		pages = pages[:len(pages)-1] // the past one is left out
		out = append(out, written{fmt.Sprintf("feed-join-%v", join), b, pages, join, clock})
	}
	return out
}

// want is what a parser should read back for page: the text as it went in
// (before escaping and folding) and the times as instants.
func want(p *content.Page, join bool) (summary, desc, loc, url string) {
	url = base + p.URL()
	summary = p.Title
	if p.Event.Cancelled {
		summary = "Cancelled: " + summary
	}
	return summary, description(p, url, join), location(p, join), url
}

// TestParseBack reads every file with golang-ical itself: what it parses
// is what went in.
func TestParseBack(t *testing.T) {
	for _, f := range allFiles(t) {
		cal, err := ical.ParseCalendar(bytes.NewReader(f.data))
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		evs := cal.Events()
		if len(evs) != len(f.pages) {
			t.Fatalf("%s: %d events, want %d", f.name, len(evs), len(f.pages))
		}
		byUID := map[string]*ical.VEvent{}
		for _, e := range evs {
			byUID[e.Id()] = e
		}
		for _, p := range f.pages {
			e := byUID[UID(p, mustBase())]
			if e == nil {
				t.Errorf("%s: no event %s", f.name, UID(p, mustBase()))
				continue
			}
			summary, desc, loc, url := want(p, f.join)
			for prop, w := range map[ical.ComponentProperty]string{
				ical.ComponentPropertySummary: summary, ical.ComponentPropertyDescription: desc,
				ical.ComponentPropertyLocation: loc, ical.ComponentPropertyUrl: url,
				ical.ComponentPropertySequence: fmt.Sprint(Sequence(p)),
			} {
				got := ""
				if v := e.GetProperty(prop); v != nil {
					got = v.Value
				}
				if got != w {
					t.Errorf("%s: %s %s is %q, want %q", f.name, p.File, prop, got, w)
				}
			}
			if p.Event.AllDay {
				continue
			}
			start, err := e.GetStartAt()
			if err != nil || !start.Equal(p.Event.Start) {
				t.Errorf("%s: %s DTSTART %v (%v), want %v", f.name, p.File, start, err, p.Event.Start)
			}
		}
	}
}

func mustBase() *url.URL { u, _ := parseBase(base); return u }

// TestFolding writes text with 2-, 3- and 4-octet characters at every
// offset from the fold, with and without spaces to fold at, and checks
// every line and that the text reads back whole.
func TestFolding(t *testing.T) {
	for k := 0; k < 80; k++ {
		for _, body := range []string{
			strings.Repeat("ŵ", 70) + strings.Repeat("€", 50) + strings.Repeat("𝄞", 40),
			strings.Repeat("Pwyllgor ŵyn, café; dŵr ", 12),
		} {
			p := event("fold", "Fold", content.Event{Start: at(2027, 1, 1, 10, 0), End: at(2027, 1, 1, 11, 0)})
			p.Summary = strings.Repeat("a", k) + body
			b, err := Event(p, base, Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			checkLines(t, b)
			cal, err := ical.ParseCalendar(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			got := cal.Events()[0].GetProperty(ical.ComponentPropertyDescription).Value
			if !strings.HasPrefix(got, strings.TrimSpace(p.Summary)+"\n\n") {
				t.Fatalf("offset %d: description read back as %q", k, got)
			}
		}
	}
}

// TestZoneMatchesTZData: the VTIMEZONE's two rules give exactly the
// transitions of Go's tz database for Europe/London, every year from 1996
// to 2037 (the last Sunday of March and of October, at 01:00 UTC).
func TestZoneMatchesTZData(t *testing.T) {
	rules := map[time.Month]int{} // month -> offset after, in seconds
	for _, c := range london().Components {
		var b *ical.ComponentBase
		switch c := c.(type) {
		case *ical.Daylight:
			b = &c.ComponentBase
		case *ical.Standard:
			b = &c.ComponentBase
		}
		rrule := b.GetProperty(ical.ComponentPropertyRrule).Value
		var month int
		if _, err := fmt.Sscanf(rrule, "FREQ=YEARLY;BYMONTH=%d;BYDAY=-1SU", &month); err != nil {
			t.Fatalf("rule %q: %v", rrule, err)
		}
		to := b.GetProperty(ical.ComponentProperty(ical.PropertyTzoffsetto)).Value
		from := b.GetProperty(ical.ComponentProperty(ical.PropertyTzoffsetfrom)).Value
		start, err := time.Parse("20060102T150405-0700", b.GetProperty(ical.ComponentPropertyDtStart).Value+from)
		if err != nil {
			t.Fatal(err)
		}
		if start.UTC().Hour() != 1 {
			t.Errorf("rule for month %d starts at %s, not 01:00 UTC", month, start.UTC())
		}
		off, _ := time.Parse("-0700", to)
		_, secs := off.Zone()
		rules[time.Month(month)] = secs
	}
	// Walk Go's transitions and compare each with the rule for its month.
	// Go's table of transitions (and pytz's) ends in 2037; the rules go on.
	tt := time.Date(1996, 1, 1, 0, 0, 0, 0, content.London)
	changes := 0
	for tt.Year() < 2038 {
		_, end := tt.ZoneBounds()
		if !end.After(tt) {
			t.Fatalf("tz database: no transition after %v", tt)
		}
		u := end.UTC()
		_, offset := end.Zone()
		if _, before := tt.Zone(); offset == before {
			tt = end // the end of Go's table (2038), not a change of offset
			continue
		}
		want, ok := rules[u.Month()]
		last := time.Date(u.Year(), u.Month()+1, 1, 1, 0, 0, 0, time.UTC)
		for last.Weekday() != time.Sunday || last.Month() != u.Month() {
			last = last.AddDate(0, 0, -1)
		}
		if !ok || offset != want || !u.Equal(last) {
			t.Fatalf("tz database changes to %+d s at %v; the VTIMEZONE's rules say %v to %+d s", offset, u, last, want)
		}
		changes++
		tt = end
	}
	if want := 2 * (2038 - 1996); changes != want {
		t.Errorf("%d changes of offset 1996-2037, want %d", changes, want)
	}
}

// python3 is Debian's interpreter with python3-icalendar, or "" and why not.
func python3() (string, string) {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if out, err := exec.Command(py, "-c", "import icalendar").CombinedOutput(); err == nil {
			return py, ""
		} else if py == "python3" {
			return "", fmt.Sprintf("%v: %s", err, bytes.TrimSpace(out))
		}
	}
	return "", ""
}

// parsed is what testdata/check.py prints for one file.
type parsed struct {
	File      string
	Errors    []string
	Method    string
	Version   string
	Calname   *string
	Timezones []string
	Events    []parsedEvent
}

type parsedEvent struct {
	UID, Status, Summary, Description, Location, URL string
	Sequence                                         int
	Dtstamp, Start, End                              *when
}

type when struct{ TZID, Local, UTC, Date string }

// TestIndependentParser reads every file with python3-icalendar, which
// unfolds, unescapes and applies the file's own VTIMEZONE by code written
// apart from golang-ical. LMCPRESS_ICALENDAR_TESTS=1 (.ci/run sets it)
// makes a missing parser a failure rather than a skip.
func TestIndependentParser(t *testing.T) {
	py, why := python3()
	if py == "" {
		msg := "python3 -c 'import icalendar' failed (" + why + "): apt-get install python3-icalendar, or run bash .ci/run"
		if os.Getenv("LMCPRESS_ICALENDAR_TESTS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	files := allFiles(t)
	args := []string{filepath.Join("testdata", "check.py")}
	for _, f := range files {
		name := filepath.Join(dir, f.name+".ics")
		if err := os.WriteFile(name, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, name)
	}
	cmd := exec.Command(py, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s check.py: %v\n%s", py, err, stderr.String())
	}
	var got []parsed
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("check.py's output: %v\n%s", err, out)
	}
	if len(got) != len(files) {
		t.Fatalf("check.py read %d files of %d", len(got), len(files))
	}
	for i, f := range files {
		g := got[i]
		if len(g.Errors) > 0 {
			t.Errorf("%s: python3-icalendar: %v", f.name, g.Errors)
		}
		if g.Method != "PUBLISH" || g.Version != "2.0" || strings.Join(g.Timezones, ",") != "Europe/London" {
			t.Errorf("%s: METHOD %q VERSION %q zones %v", f.name, g.Method, g.Version, g.Timezones)
		}
		if strings.HasPrefix(f.name, "feed") != (g.Calname != nil) {
			t.Errorf("%s: X-WR-CALNAME %v", f.name, g.Calname)
		}
		if len(g.Events) != len(f.pages) {
			t.Fatalf("%s: python3-icalendar read %d events, want %d", f.name, len(g.Events), len(f.pages))
		}
		for j, p := range f.pages {
			if strings.HasPrefix(f.name, "feed") {
				p = findPage(f.pages, g.Events[j].UID)
				if p == nil {
					t.Errorf("%s: unknown UID %q", f.name, g.Events[j].UID)
					continue
				}
			}
			e := g.Events[j]
			summary, desc, loc, url := want(p, f.join)
			status := "CONFIRMED"
			if p.Event.Cancelled {
				status = "CANCELLED"
			}
			for _, c := range [][3]string{
				{"UID", e.UID, UID(p, mustBase())}, {"SUMMARY", e.Summary, summary}, {"DESCRIPTION", e.Description, desc},
				{"LOCATION", e.Location, loc}, {"URL", e.URL, url}, {"STATUS", e.Status, status},
				{"SEQUENCE", fmt.Sprint(e.Sequence), fmt.Sprint(Sequence(p))},
				{"DTSTAMP", e.Dtstamp.UTC, f.now.UTC().Format(time.RFC3339)},
			} {
				if c[1] != c[2] {
					t.Errorf("%s: %s: %s read as %q, want %q", f.name, p.File, c[0], c[1], c[2])
				}
			}
			checkWhen(t, f.name+": "+p.File+" DTSTART", e.Start, p.Event.Start, p.Event.AllDay)
			if p.Event.AllDay || p.Event.End.After(p.Event.Start) {
				checkWhen(t, f.name+": "+p.File+" DTEND", e.End, p.Event.End, p.Event.AllDay)
			}
		}
	}
	// The text with every character to escape, and the clock changes,
	// spelt out rather than recomputed.
	for _, c := range []struct{ file, what, got, want string }{
		{"welsh", "DESCRIPTION", eventOf(got, "welsh").Description, welsh},
		{"march-clock-change", "DTSTART", eventOf(got, "march-clock-change").Start.UTC, "2027-03-28T17:30:00Z"},
		{"october-clock-change", "DTSTART", eventOf(got, "october-clock-change").Start.UTC, "2027-10-31T18:30:00Z"},
		{"overnight-clock-change", "DTEND", eventOf(got, "overnight-clock-change").End.UTC, "2027-03-28T02:30:00Z"},
		{"multi-day", "DTEND", eventOf(got, "multi-day").End.Date, "2017-03-09"},
		{"cancelled", "DESCRIPTION", eventOf(got, "cancelled").Description, "The speaker is unwell; we will rearrange it, in the spring."},
	} {
		if !strings.Contains(c.got, c.want) {
			t.Errorf("%s: %s read as %q, want %q in it", c.file, c.what, c.got, c.want)
		}
	}
}

func eventOf(got []parsed, name string) parsedEvent {
	for _, g := range got {
		if filepath.Base(g.File) == name+".ics" && len(g.Events) == 1 {
			return g.Events[0]
		}
	}
	panic("no file " + name)
}

func findPage(pages []*content.Page, uid string) *content.Page {
	for _, p := range pages {
		if UID(p, mustBase()) == uid {
			return p
		}
	}
	return nil
}

func checkWhen(t *testing.T, what string, got *when, want time.Time, allDay bool) {
	t.Helper()
	if got == nil {
		t.Errorf("%s missing", what)
		return
	}
	if allDay {
		if w := want.In(content.London).Format(time.DateOnly); got.Date != w {
			t.Errorf("%s read as %+v, want the day %s", what, *got, w)
		}
		return
	}
	if got.TZID != "Europe/London" || got.Local != want.In(content.London).Format("2006-01-02T15:04:05") ||
		got.UTC != want.UTC().Format(time.RFC3339) {
		t.Errorf("%s read as %+v, want %s London, %s", what, *got, want.In(content.London), want.UTC())
	}
}
