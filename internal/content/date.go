package content

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London must load on machines without a zoneinfo database
)

// London is the zone dates without an offset are read in.
var London = mustLoad("Europe/London")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // cannot happen: time/tzdata is embedded
	}
	return loc
}

var dateLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.RFC3339Nano, true},
	{"2006-01-02T15:04:05Z0700", true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04:05 -0700", true},
	{"2006-01-02 15:04:05 -0700 MST", true},
	{"2006-01-02T15:04:05", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02 15:04:05", false},
	{"2006-01-02 15:04", false},
	{"2006-01-02", false},
}

// shortOffset is a date and time with the offset in hours ("-4", "+05",
// "-4:30"), where the layouts above want "-0400".
var shortOffset = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}:\d{2}) ?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// ParseDate reads a front-matter date: 2024-01-31, 2024-01-31T09:30:00Z,
// 2024-01-31 09:30 and the other forms Hugo accepts. A date without an offset
// is UK local time. The error says what form to use.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty date: write dates as YYYY-MM-DD, e.g. 2024-01-31")
	}
	var firstErr error
	for _, l := range dateLayouts {
		var t time.Time
		var err error
		if l.zoned {
			t, err = time.Parse(l.layout, s)
		} else {
			t, err = time.ParseInLocation(l.layout, s, London)
		}
		if err == nil {
			return t, nil
		}
		if firstErr == nil || (len(s) == len(l.layout) && strings.Contains(err.Error(), "range")) {
			firstErr = err
		}
	}
	if m := shortOffset.FindStringSubmatch(s); m != nil {
		// Jekyll's sites write the offset in hours, as Ruby reads it:
		// "2015-03-17 14:00:00 -4", "2016-03-23 9:00:00 -4".
		hours, mins := m[3], m[4]
		if len(hours) == 1 {
			hours = "0" + hours
		}
		if mins == "" {
			mins = "00"
		}
		if t, err := time.Parse("2006-01-02 15:04:05 -07:00", strings.Replace(m[1], "T", " ", 1)+" "+m[2]+hours+":"+mins); err == nil {
			return t, nil
		}
	}
	// Say what is wrong in words when the shape is right but a number is not.
	if _, err := time.Parse("2006-01-02", s[:min(len(s), 10)]); err != nil && len(s) >= 10 {
		if pe, ok := err.(*time.ParseError); ok && pe.Message != "" {
			msg := strings.TrimPrefix(pe.Message, ": ")
			return time.Time{}, fmt.Errorf("cannot parse %q: %s; write dates as YYYY-MM-DD, e.g. 2024-01-31", s, msg)
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse %q as a date; write dates as YYYY-MM-DD (e.g. 2024-01-31) or YYYY-MM-DDTHH:MM:SSZ", s)
}
