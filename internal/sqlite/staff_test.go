package sqlite

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"lmcpress/internal/subscriber"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func openStaff(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	if err := s.SetSecret(context.Background(), secret); err != nil {
		t.Fatal(err)
	}
	return s
}

func rec(line int, email string, status subscriber.Status, mods ...func(*subscriber.Record)) subscriber.Record {
	r := subscriber.Record{Subscriber: subscriber.Subscriber{Email: email, Status: status}, Line: line}
	if status == subscriber.Confirmed {
		r.ConsentAt, r.ConsentSource = time.Date(2019, 3, 21, 14, 22, 1, 0, time.UTC), "mailchimp CONFIRM_TIME"
	}
	for _, m := range mods {
		m(&r)
	}
	return r
}

func outcomes(outs []Outcome) string {
	var b strings.Builder
	for _, o := range outs {
		fmt.Fprintf(&b, "%d %s %s: %s\n", o.Line, o.Email, o.Action, o.Why)
	}
	return b.String()
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	s := openStaff(t)
	// Before: one person confirmed on the web, one who left, one pending,
	// one erased.
	web := signUp(t, s, "web@nhs.net", day)
	if err := s.Confirm(ctx, web.ID, web.Nonce, subscriber.Event{At: day}); err != nil {
		t.Fatal(err)
	}
	left := signUp(t, s, "left@nhs.net", day)
	if err := s.Unsubscribe(ctx, left.ID, subscriber.Event{At: day}); err != nil {
		t.Fatal(err)
	}
	signUp(t, s, "pending@nhs.net", day)
	if _, err := s.Add(ctx, rec(0, "gone@nhs.net", ""), subscriber.Event{At: day}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Erase(ctx, "gone@nhs.net", subscriber.Event{At: day}); err != nil {
		t.Fatal(err)
	}

	at := day.Add(time.Hour)
	recs := []subscriber.Record{
		rec(2, "new@nhs.net", subscriber.Confirmed, func(r *subscriber.Record) { r.Name, r.Areas = "New", []string{"Northfield"} }),
		rec(3, "WEB@nhs.net", subscriber.Confirmed, func(r *subscriber.Record) { r.Name = "Renamed" }),
		rec(4, "web@nhs.net", subscriber.Confirmed), // nothing new (case aside, a file's duplicates are the reader's job)
		rec(5, "Left@NHS.net", subscriber.Confirmed),
		rec(6, "gone@nhs.net", subscriber.Confirmed),
		rec(7, "pending@nhs.net", subscriber.Confirmed),
		rec(8, "bounced@nhs.net", "", func(r *subscriber.Record) {
			r.Suppress, r.SuppressAt = subscriber.Cleaned, time.Date(2022, 2, 3, 0, 0, 0, 0, time.UTC)
		}),
		rec(9, "new@nhs.net", "", func(r *subscriber.Record) { r.Suppress = subscriber.Left }),
		rec(10, "bounced@nhs.net", "", func(r *subscriber.Record) { r.Suppress = subscriber.Left }),
		rec(11, "bounced@nhs.net", subscriber.Confirmed),
		rec(12, "left@nhs.net", subscriber.Unsubscribed),
	}
	want := `2 new@nhs.net added: confirmed
3 WEB@nhs.net updated: name
4 web@nhs.net unchanged: 
5 Left@NHS.net rejected: suppressed (unsubscribed 2026-12-01): only they can sign up again, on the site's form
6 gone@nhs.net rejected: suppressed (erased 2026-12-01): only they can sign up again, on the site's form
7 pending@nhs.net updated: status
8 bounced@nhs.net suppressed: cleaned in the previous service on 2022-02-03; only a hash of the address is kept
9 new@nhs.net updated: now unsubscribed: unsubscribed in the previous service on 2026-12-01
10 bounced@nhs.net unchanged: already suppressed
11 bounced@nhs.net rejected: suppressed (cleaned 2022-02-03): only they can sign up again, on the site's form
12 left@nhs.net unchanged: already unsubscribed
`
	// A dry run reports the same and changes nothing.
	before, _ := s.Export(ctx, "")
	outs, err := s.Import(ctx, recs, ImportOptions{File: "list.csv", At: at, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(outs); got != want {
		t.Errorf("dry run:\n%s\nwant:\n%s", got, want)
	}
	if after, _ := s.Export(ctx, ""); !reflect.DeepEqual(before, after) {
		t.Errorf("a dry run changed the list:\n%+v\n%+v", before, after)
	}

	outs, err = s.Import(ctx, recs, ImportOptions{File: "list.csv", At: at})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomes(outs); got != want {
		t.Errorf("import:\n%s\nwant:\n%s", got, want)
	}
	got, err := s.Get(ctx, web.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != "web@nhs.net" || got.Name != "Renamed" || strings.Join(got.Areas, ",") != "north,south" || got.Status != subscriber.Confirmed {
		t.Errorf("web subscriber after import: %+v", got)
	}
	if e := got.Events[len(got.Events)-1]; e.Kind != subscriber.Imported || e.Source != subscriber.Import || !e.At.Equal(at) ||
		e.Detail != "list.csv line 3: changed name; consent 2019-03-21T14:22:01Z via mailchimp CONFIRM_TIME" {
		t.Errorf("event %+v", e)
	}
	exp, _ := s.Export(ctx, subscriber.Confirmed)
	var emails []string
	for _, r := range exp {
		emails = append(emails, r.Email+"/"+r.ConsentSource)
	}
	if strings.Join(emails, " ") != "pending@nhs.net/mailchimp CONFIRM_TIME web@nhs.net/web" {
		t.Errorf("confirmed after import: %v", emails)
	}
	c, err := s.Count(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Total != 4 || c.ByStatus[subscriber.Confirmed] != 2 || c.ByStatus[subscriber.Unsubscribed] != 2 ||
		c.Suppressed[subscriber.Cleaned] != 1 || c.Suppressed[subscriber.Erased] != 1 || c.ByArea["Northfield"] != 1 || c.ByArea["north"] != 3 {
		t.Errorf("counts %+v", c)
	}
	c, _ = s.Count(ctx, subscriber.Confirmed, "NORTH")
	if c.Total != 2 || c.ByArea["south"] != 2 {
		t.Errorf("confirmed in north: %+v", c)
	}
}

func TestImportNeedsSecret(t *testing.T) {
	s := openTest(t)
	if _, err := s.Import(context.Background(), nil, ImportOptions{At: day}); !errors.Is(err, ErrNoSecret) {
		t.Errorf("import without a secret: %v", err)
	}
	if _, err := s.Erase(context.Background(), "a@nhs.net", subscriber.Event{At: day}); !errors.Is(err, ErrNoSecret) {
		t.Errorf("erase without a secret: %v", err)
	}
}

func TestAddRemoveShow(t *testing.T) {
	ctx := context.Background()
	s := openStaff(t)
	ev := subscriber.Event{At: day, Wording: "Asked by phone to receive the newsletter", Version: "cli-1"}
	id, err := s.Add(ctx, rec(0, "pm@nhs.net", "", func(r *subscriber.Record) { r.Name, r.ODS = "Pat", "F84001" }), ev)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, rec(0, "PM@nhs.net", ""), ev); err == nil || !strings.Contains(err.Error(), "already on the list (confirmed)") {
		t.Errorf("adding again: %v", err)
	}
	r, sup, err := s.Show(ctx, "Pm@NHS.NET", subscriber.Event{At: day.Add(time.Minute)})
	if err != nil || sup != nil {
		t.Fatal(err, sup)
	}
	if r.ID != id || r.Name != "Pat" || r.Status != subscriber.Confirmed || !r.ConsentAt.Equal(day) || r.ConsentSource != "cli" ||
		len(r.Events) != 2 || r.Events[0].Wording != ev.Wording || r.Events[1].Kind != subscriber.Accessed {
		t.Errorf("show: %+v", r)
	}
	for range 2 {
		if err := s.Remove(ctx, "pm@nhs.net", subscriber.Event{At: day.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Get(ctx, id)
	if got.Status != subscriber.Unsubscribed || len(got.Events) != 3 || got.Events[2].Kind != subscriber.Left || got.Events[2].Source != subscriber.CommandLine {
		t.Errorf("after remove: %+v", got)
	}
	if _, err := s.Add(ctx, rec(0, "pm@nhs.net", ""), ev); !errors.Is(err, subscriber.ErrSuppressed) {
		t.Errorf("adding someone who left: %v", err)
	}
	if err := s.Remove(ctx, "nobody@nhs.net", subscriber.Event{At: day}); !errors.Is(err, subscriber.ErrNotFound) {
		t.Errorf("remove of nobody: %v", err)
	}
	// A sign-up in another case is the same person.
	res, err := s.SignUp(ctx, subscriber.Subscriber{Email: "PM@nhs.net"}, subscriber.Event{At: day.Add(2 * time.Hour)}, 3)
	if err != nil || res.ID != id {
		t.Errorf("sign-up as PM@: %+v %v", res, err)
	}
	// After an erasure, show finds only the suppression entry.
	if _, err := s.Erase(ctx, "pm@nhs.net", subscriber.Event{At: day.Add(3 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	_, sup, err = s.Show(ctx, "pm@nhs.net", subscriber.Event{At: day.Add(4 * time.Hour)})
	if !errors.Is(err, subscriber.ErrNotFound) || sup == nil || sup.Reason != subscriber.Erased || !sup.At.Equal(day.Add(3*time.Hour)) {
		t.Errorf("show after erase: %v %+v", err, sup)
	}
	if _, err := s.Get(ctx, id); !errors.Is(err, subscriber.ErrNotFound) {
		t.Errorf("get after erase: %v", err)
	}
	var n int
	s.read.QueryRow(`SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM subscriber_areas) + (SELECT count(*) FROM confirmation_emails)`).Scan(&n)
	if n != 0 {
		t.Errorf("%d rows left of the erased person", n)
	}
}
