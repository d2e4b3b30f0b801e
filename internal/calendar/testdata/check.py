"""Reads .ics files with Debian's python3-icalendar, a parser written
independently of the one that wrote them, and prints what it understood as
JSON, for calendar_test.go to compare with what went in.

Each DTSTART/DTEND with a TZID is turned into UTC through the file's own
VTIMEZONE (Timezone.to_tz), not the system's zone database: that is what
tests the file's BST/GMT rules.

Usage: python3 check.py FILE...
"""
import json
import sys
from datetime import date, datetime, timezone

import icalendar


def when(prop, zones):
    if prop is None:
        return None
    dt = prop.dt
    if isinstance(dt, datetime):
        tzid = prop.params.get("TZID")
        if tzid is None:
            if dt.tzinfo is None:
                raise ValueError("floating time %s" % prop.to_ical())
            return {"utc": dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
        local = dt.replace(tzinfo=None)
        utc = zones[str(tzid)].localize(local).astimezone(timezone.utc)
        return {"tzid": str(tzid), "local": local.strftime("%Y-%m-%dT%H:%M:%S"),
                "utc": utc.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if isinstance(dt, date):
        return {"date": dt.strftime("%Y-%m-%d")}
    raise ValueError("unexpected value %r" % (dt,))


def text(c, name):
    v = c.get(name)
    return None if v is None else str(v)


def check(path):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    errors = []
    for c in cal.walk():
        for e in c.errors:
            errors.append("%s: %s" % (c.name, e))
    zones = {str(z["TZID"]): z.to_tz() for z in cal.walk("VTIMEZONE")}
    events = []
    for e in cal.walk("VEVENT"):
        for req in ("UID", "DTSTAMP", "DTSTART"):
            if req not in e:
                errors.append("VEVENT without %s" % req)
        events.append({
            "uid": text(e, "UID"),
            "dtstamp": when(e.get("DTSTAMP"), zones),
            "sequence": int(e.get("SEQUENCE", -1)),
            "status": text(e, "STATUS"),
            "summary": text(e, "SUMMARY"),
            "description": text(e, "DESCRIPTION"),
            "location": text(e, "LOCATION"),
            "url": text(e, "URL"),
            "start": when(e.get("DTSTART"), zones),
            "end": when(e.get("DTEND"), zones),
        })
    return {
        "file": path,
        "errors": errors,
        "method": text(cal, "METHOD"),
        "version": text(cal, "VERSION"),
        "calname": text(cal, "X-WR-CALNAME"),
        "timezones": sorted(zones),
        "events": events,
    }


print(json.dumps([check(p) for p in sys.argv[1:]], indent=1))
