package content

import (
	"strconv"
	"time"
)

// When is the event's time written the UK way, in London time, as GOV.UK's
// style has it: "Tue 6 Dec 2016, 7pm to 9pm", "Tue 6 Dec 2016, 7:30pm",
// "Mon 6 Mar 2017" (all day), "Mon 6 to Wed 8 Mar 2017" (several days),
// "Fri 10 Mar 2017, 6pm to Sat 11 Mar 2017, 1pm".
func (e *Event) When() string {
	s, end := e.Start.In(London), e.End.In(London)
	if e.AllDay {
		last := time.Date(end.Year(), end.Month(), end.Day()-1, 0, 0, 0, 0, London)
		switch {
		case !last.After(s):
			return s.Format("Mon 2 Jan 2006")
		case last.Year() != s.Year():
			return s.Format("Mon 2 Jan 2006") + " to " + last.Format("Mon 2 Jan 2006")
		case last.Month() != s.Month():
			return s.Format("Mon 2 Jan") + " to " + last.Format("Mon 2 Jan 2006")
		default:
			return s.Format("Mon 2") + " to " + last.Format("Mon 2 Jan 2006")
		}
	}
	day := s.Format("Mon 2 Jan 2006")
	switch {
	case !end.After(s):
		return day + ", " + clock(s)
	case sameDay(s, end):
		return day + ", " + clock(s) + " to " + clock(end)
	default:
		return day + ", " + clock(s) + " to " + end.Format("Mon 2 Jan 2006") + ", " + clock(end)
	}
}

// StartISO is the start for a <time datetime>: the day of an all-day event,
// else the London time with its offset.
func (e *Event) StartISO() string {
	if e.AllDay {
		return e.Start.In(London).Format("2006-01-02")
	}
	return e.Start.In(London).Format("2006-01-02T15:04-07:00")
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// clock writes a time of day as "7pm", "7:30pm", "midday" or "midnight".
func clock(t time.Time) string {
	h, m := t.Hour(), t.Minute()
	switch {
	case h == 12 && m == 0:
		return "midday"
	case h == 0 && m == 0:
		return "midnight"
	}
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	if h = h % 12; h == 0 {
		h = 12
	}
	s := strconv.Itoa(h)
	if m != 0 {
		s += ":" + twoDigits(m)
	}
	return s + suffix
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
