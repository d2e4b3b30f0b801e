package calendar

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ical "github.com/arran4/golang-ical"

	"lmcpress/internal/content"
)

var update = flag.Bool("update", false, "rewrite the golden .ics files in testdata/")

const base = "https://www.example-lmc.org.uk"

// now is the build's clock for every test: a pinned moment, never the wall
// clock (clock_test.go holds that).
var now = time.Date(2026, 12, 1, 23, 40, 0, 0, time.UTC)

// at is a London wall time, as front matter is read.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, content.London)
}

// day is 00:00 London on a day, as content.Event's all-day bounds are.
func day(y int, m time.Month, d int) time.Time { return at(y, m, d, 0, 0) }

func event(slug, title string, e content.Event, changes ...content.Change) *content.Page {
	return &content.Page{
		File: "events/" + slug + ".md", Section: "events", Dir: "events", Slug: slug, Title: title,
		Date: day(2016, 11, 1), Event: &e, Changes: changes,
		Summary: "An evening for sessional GPs: contracts, indemnity and appraisal.",
	}
}

// welsh is long text with accents, Welsh circumflexes, commas, semicolons,
// a backslash and a line break: everything a TEXT value must escape, and
// multi-byte characters wherever the 75-octet folds fall.
const welsh = "Cyfarfod Pwyllgor Meddygol Lleol; croeso i bawb: meddygon teulu, rheolwyr practis, nyrsys. " +
	"Bydd te a choffi, bara brith a chacennau cri ar gael — ŵy, ŷd, ŵyn, tŷ, dŵr, café, naïve, résumé, Zoë, Ågård. " +
	"Trafodwn y contract\\cytundeb newydd,\nadolygiad 2027; ac etholiadau'r LMC."

// cases are the golden files: one event's file each, named for the case.
var cases = []struct {
	name string
	page *content.Page
}{
	{"evening", event("sessional-gp-evening-2016", "Sessional GPs evening: Ealing, Harrow, Hammersmith and Fulham", content.Event{
		Start: at(2016, 12, 6, 19, 0), End: at(2016, 12, 6, 21, 0),
		Location: content.Location{Name: "Ealing Town Hall", Address: "14 New Broadway, London W5 2BY"},
		Audience: "Sessional GPs", Booking: "events@example-lmc.org.uk", Capacity: 60,
	})},
	// The last Sunday of March 2027 (28th): clocks go forward at 01:00.
	// 18:30 that evening is BST, 17:30 UTC.
	{"march-clock-change", event("committee-march-2027", "LMC committee meeting", content.Event{
		Start: at(2027, 3, 28, 18, 30), End: at(2027, 3, 28, 20, 30),
		Location: content.Location{Name: "LMC offices", Address: "1 High Street, Northfield"},
		Booking:  "https://www.example-lmc.org.uk/book/committee",
	})},
	// Across the change itself: 00:30 GMT to 03:30 BST is two hours.
	{"overnight-clock-change", event("night-rota-2027", "Out-of-hours rota handover", content.Event{
		Start: at(2027, 3, 28, 0, 30), End: at(2027, 3, 28, 3, 30),
		Location: content.Location{Online: true, JoinURL: "https://meet.example.org/rota?pwd=a,b;c"},
	})},
	// The last Sunday of October 2027 (31st): clocks go back at 02:00.
	// 18:30 that evening is GMT, 18:30 UTC.
	{"october-clock-change", event("practice-managers-october-2027", "Practice managers' forum", content.Event{
		Start: at(2027, 10, 31, 18, 30), End: at(2027, 10, 31, 20, 0),
		Location: content.Location{Name: "The Mill Conference Centre", Address: "3 Wharf Road, Northfield", Online: true,
			JoinURL: "https://meet.example.org/pm-forum"},
	})},
	{"all-day", event("election-close-2027", "LMC election: nominations close", content.Event{
		AllDay: true, Start: day(2027, 2, 1), End: day(2027, 2, 2),
	})},
	// Mon 6 to Wed 8 March 2017: DTEND is the exclusive Thursday.
	{"multi-day", event("practice-managers-course-2017", "Practice managers' course", content.Event{
		AllDay: true, Start: day(2017, 3, 6), End: day(2017, 3, 9),
		Location: content.Location{Name: "Northfield Postgraduate Centre"}, Capacity: 24,
	})},
	// Cancelled, with a change note saying so: SEQUENCE 2×1+1 = 3.
	{"cancelled", event("flu-update-2027", "Flu vaccination update", content.Event{
		Start: at(2027, 1, 12, 12, 30), End: at(2027, 1, 12, 13, 30),
		Location:  content.Location{Name: "LMC offices"},
		Booking:   "https://www.example-lmc.org.uk/book/flu",
		Cancelled: true, CancelledReason: "The speaker is unwell; we will rearrange it, in the spring.",
	}, content.Change{Date: day(2027, 1, 5), Note: "Cancelled: the speaker is unwell."})},
	// Moved twice: SEQUENCE 4.
	{"changed", event("appraisal-workshop-2027", "Appraisal workshop", content.Event{
		Start: at(2027, 2, 16, 18, 0), End: at(2027, 2, 16, 20, 0),
		Location: content.Location{Name: "Harrow Civic Centre"},
	}, content.Change{Date: day(2027, 1, 20), Note: "Moved to Harrow Civic Centre."},
		content.Change{Date: day(2027, 1, 10), Note: "Moved from 9 February to 16 February."})},
	{"welsh", func() *content.Page {
		p := event("cyfarfod-2027", "Cyfarfod blynyddol: Pwyllgor Meddygol Lleol, Caerdydd", content.Event{
			Start: at(2027, 6, 3, 18, 0), End: at(2027, 6, 3, 21, 0),
			Location: content.Location{Name: "Neuadd y Ddinas, Caerdydd", Address: "Plas y Neuadd, Caerdydd CF10 3ND"},
			Audience: "Meddygon teulu; rheolwyr practis, nyrsys",
		})
		p.Summary = welsh
		return p
	}()},
}

// goldenEvent writes or compares the golden file of one case.
func golden(t *testing.T, name string, got []byte) string {
	t.Helper()
	file := filepath.Join("testdata", name+".ics")
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what Event writes now (go test -update rewrites it after review):\n--- got\n%s", file, got)
	}
	return file
}

func TestEventGolden(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Event(c.page, base, Options{Now: now})
			if err != nil {
				t.Fatal(err)
			}
			checkLines(t, got)
			golden(t, c.name, got)
		})
	}
}

// feedPages are every case's page plus one event already over at now.
func feedPages() []*content.Page {
	var pages []*content.Page
	for i := len(cases) - 1; i >= 0; i-- { // reversed: Feed sorts them
		pages = append(pages, cases[i].page)
	}
	return append(pages, event("past-2016", "A past event", content.Event{
		Start: at(2016, 11, 1, 19, 0), End: at(2016, 11, 1, 21, 0)}))
}

func TestFeedGolden(t *testing.T) {
	clock := at(2016, 12, 6, 20, 0) // during the evening: it stays in, the past one goes
	got, err := Feed("Example LMC events", feedPages(), base, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, got)
	golden(t, "feed", got)
	for _, want := range []string{"\r\nX-WR-CALNAME:Example LMC events\r\n", "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n",
		"\r\nMETHOD:PUBLISH\r\n", "\r\nDTSTAMP:20161206T200000Z\r\n"} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("feed lacks %q", want)
		}
	}
	cal, err := ical.ParseCalendar(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	var uids []string
	for _, e := range cal.Events() {
		uids = append(uids, e.Id())
	}
	want := []string{
		"events/sessional-gp-evening-2016@www.example-lmc.org.uk",
		"events/practice-managers-course-2017@www.example-lmc.org.uk",
		"events/flu-update-2027@www.example-lmc.org.uk",
		"events/election-close-2027@www.example-lmc.org.uk",
		"events/appraisal-workshop-2027@www.example-lmc.org.uk",
		"events/night-rota-2027@www.example-lmc.org.uk",
		"events/committee-march-2027@www.example-lmc.org.uk",
		"events/cyfarfod-2027@www.example-lmc.org.uk",
		"events/practice-managers-october-2027@www.example-lmc.org.uk",
	}
	if strings.Join(uids, "\n") != strings.Join(want, "\n") {
		t.Errorf("feed's events, soonest first without the past one:\n%s\nwant\n%s", strings.Join(uids, "\n"), strings.Join(want, "\n"))
	}
}

// TestJoinURL: a joining link is in no file, the event's own or a
// subscribable calendar, unless site.yaml allows: every one is published.
func TestJoinURL(t *testing.T) {
	p := cases[3].page // october-clock-change: a room and on line
	link := "https://meet.example.org/pm-forum"
	for _, allow := range []bool{false, true} {
		o := Options{Now: now, JoinURLs: allow}
		one, err := Event(p, base, o)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := Feed("Events", []*content.Page{p}, base, o)
		if err != nil {
			t.Fatal(err)
		}
		for name, file := range map[string][]byte{"the event's own file": one, "the feed": feed} {
			if got := bytes.Contains(unfold(file), []byte(link)); got != allow {
				t.Errorf("JoinURLs %v: %s has the joining link: %v", allow, name, got)
			}
			if !allow && !bytes.Contains(unfold(file), []byte("joining link")) {
				t.Errorf("JoinURLs false: %s does not say how to get the joining link:\n%s", name, unfold(file))
			}
		}
	}
}

// TestSequence: each step an editor takes raises SEQUENCE, so a calendar
// that holds the event updates it.
func TestSequence(t *testing.T) {
	p := event("s", "S", content.Event{Start: at(2027, 1, 1, 10, 0), End: at(2027, 1, 1, 11, 0)})
	last := Sequence(p)
	note := func(n string) {
		p.Changes = append([]content.Change{{Date: day(2027, 1, len(p.Changes)+2), Note: n}}, p.Changes...)
	}
	steps := []struct {
		what string
		do   func()
	}{
		{"moved, with a note", func() { p.Event.Start = p.Event.Start.Add(time.Hour); note("Moved an hour later.") }},
		{"cancelled without a note", func() { p.Event.Cancelled = true }},
		{"a note added to the cancellation", func() { note("Cancelled.") }},
		{"reinstated, with a note", func() { p.Event.Cancelled = false; note("Reinstated.") }},
		{"cancelled with a note", func() { p.Event.Cancelled = true; note("Cancelled again.") }},
	}
	for _, s := range steps {
		s.do()
		got := Sequence(p)
		if got <= last {
			t.Errorf("%s: SEQUENCE %d, not above %d", s.what, got, last)
		}
		last = got
	}
}

func TestErrors(t *testing.T) {
	p := cases[0].page
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"relative base", func() error { _, err := Event(p, "/", Options{Now: now}); return err }, "baseURL"},
		{"no clock", func() error { _, err := Event(p, base, Options{}); return err }, "clock"},
		{"not an event", func() error {
			_, err := Feed("x", []*content.Page{{File: "news/a.md", Section: "news", Dir: "news", Slug: "a"}}, base, Options{Now: now})
			return err
		}, "content/news/a.md"},
		{"ends first", func() error {
			q := event("q", "Q", content.Event{Start: at(2027, 1, 1, 10, 0), End: at(2027, 1, 1, 9, 0)})
			_, err := Event(q, base, Options{Now: now})
			return err
		}, "content/events/q.md"},
	} {
		err := tc.err()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", tc.name, err, tc.want)
		}
	}
}

// checkLines holds a file to RFC 5545's lexical rules: CRLF line ends only,
// no line over 75 octets, every line valid UTF-8 on its own (a fold never
// splits a character), and no control character inside a value.
func checkLines(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("file does not end in CRLF")
	}
	lines := bytes.Split(bytes.TrimSuffix(b, []byte("\r\n")), []byte("\r\n"))
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8Valid(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, l)
		}
		for _, c := range l {
			if c < 0x20 && c != '\t' || c == 0x7f {
				t.Errorf("line %d has control byte %#x: %q", i+1, c, l)
			}
		}
	}
}

// unfold undoes line folding (RFC 5545 3.1).
func unfold(b []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n "), nil), []byte("\r\n\t"), nil)
}

// TestControlCharacters: golang-ical passes CR and other control
// characters into a value raw; text() turns line ends into LF (escaped as
// \n) and drops the rest.
func TestControlCharacters(t *testing.T) {
	p := event("cr", "Title\r\nwith a CR\x07", content.Event{Start: at(2027, 1, 1, 10, 0), End: at(2027, 1, 1, 11, 0)})
	p.Summary = "line one\r\nline two\rthree\x00"
	b, err := Event(p, base, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, b)
	cal, err := ical.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	e := cal.Events()[0]
	if got := e.GetProperty(ical.ComponentPropertySummary).Value; got != "Title\nwith a CR" {
		t.Errorf("SUMMARY read back as %q", got)
	}
	if got := e.GetProperty(ical.ComponentPropertyDescription).Value; !strings.HasPrefix(got, "line one\nline two\nthree\n\n") {
		t.Errorf("DESCRIPTION read back as %q", got)
	}
}

// BenchmarkEvent is one "Add to calendar" file, the file each event page
// adds to a build.
func BenchmarkEvent(b *testing.B) {
	p := cases[len(cases)-1].page // the longest: Welsh text, folded
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Event(p, base, Options{Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFeed is a subscribable calendar of 500 upcoming events.
func BenchmarkFeed(b *testing.B) {
	var pages []*content.Page
	for i := range 500 {
		c := cases[i%len(cases)]
		p := *c.page
		p.Slug = fmt.Sprintf("%s-%d", c.page.Slug, i)
		pages = append(pages, &p)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Feed("Events", pages, base, Options{Now: now}); err != nil {
			b.Fatal(err)
		}
	}
}
