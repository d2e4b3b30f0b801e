package calendar

import ical "github.com/arran4/golang-ical"

// london is the VTIMEZONE for Europe/London that every file carries, so that
// a client which does not know the zone by name (or, as older Outlooks do,
// reads only the file's rules) still puts 18:30 on the day the clocks change
// at 18:30 local.
//
// The rules are the UK's since 1996, when it took the EU's dates: British
// Summer Time (+0100) from 01:00 GMT on the last Sunday of March, GMT (+0000)
// from 02:00 BST (01:00 GMT) on the last Sunday of October. Each rule's
// DTSTART is the first change under it, in the local time before the change,
// as RFC 5545 3.6.5 asks. The site's events are all after 1996;
// TestZoneMatchesTZData checks the rules against Go's tz database year by
// year, so a change in the law shows up as a failing test.
func london() *ical.VTimezone {
	tz := ical.NewTimezone("Europe/London")
	rule := func(c *ical.ComponentBase, name, from, to, start, month string) {
		c.AddProperty(ical.ComponentProperty(ical.PropertyTzname), name)
		c.AddProperty(ical.ComponentProperty(ical.PropertyTzoffsetfrom), from)
		c.AddProperty(ical.ComponentProperty(ical.PropertyTzoffsetto), to)
		c.AddProperty(ical.ComponentPropertyDtStart, start)
		c.AddProperty(ical.ComponentPropertyRrule, "FREQ=YEARLY;BYMONTH="+month+";BYDAY=-1SU")
	}
	summer := &ical.Daylight{}
	rule(&summer.ComponentBase, "BST", "+0000", "+0100", "19960331T010000", "3")
	winter := ical.NewStandard()
	rule(&winter.ComponentBase, "GMT", "+0100", "+0000", "19961027T020000", "10")
	tz.Components = append(tz.Components, summer, winter)
	return tz
}
