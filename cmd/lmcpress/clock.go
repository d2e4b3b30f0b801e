package main

import (
	"fmt"
	"strings"
	"time"

	"lmcpress/internal/content"
)

// nowFlag is --now: the moment a command treats as now, so that a site can
// be built (or checked, previewed, a page started) as it will look on a
// given day. Unset, the command asks its environment's clock.
type nowFlag struct {
	t   time.Time
	set bool
}

// nowForms is what --now accepts, for the help and the error.
const nowForms = "a date, YYYY-MM-DD (midnight, UK time), or a full time, YYYY-MM-DDTHH:MM:SSZ or with an offset such as +01:00"

func (f *nowFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.t.Format(time.RFC3339)
}

func (f *nowFlag) Set(s string) error {
	t, err := parseNow(s)
	if err != nil {
		return err
	}
	f.t, f.set = t, true
	return nil
}

// parseNow reads --now's value: 2027-02-01 is the start of that day in the
// UK, as a page dated 2027-02-01 is; anything else must be RFC 3339, offset
// included, so that no machine's time zone decides what day it is.
func parseNow(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", s, content.London); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a time: give %s", s, nowForms)
}

// registerNow adds --now to a command's flags.
func registerNow(fs *flagSet, f *nowFlag) {
	fs.Var(f, "now", "work as if it were `DATE`: "+nowForms+" (default: the real time)")
}

// at is the moment a command works with: --now when given, else the
// environment's clock.
func (f *nowFlag) at(e *env) time.Time {
	if f.set {
		return f.t
	}
	return e.now()
}
