package sqlite

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"lmcpress/internal/subscriber"
)

func signUp(t *testing.T, s *Store, email string, at time.Time) subscriber.SignUpResult {
	t.Helper()
	res, err := s.SignUp(context.Background(), subscriber.Subscriber{Email: email, Name: "Pat", Role: subscriber.PracticeManager,
		Practice: "Riverside Surgery", ODS: "F84001", Areas: []string{"south", "north", "south"}},
		subscriber.Event{At: at, Wording: "Send me the newsletter.", Version: "form-1"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSignUpThenConfirm(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	res := signUp(t, s, "pm@nhs.net", day)
	if !res.Send || res.ID == 0 || len(res.Nonce) < 20 {
		t.Fatalf("sign-up: %+v", res)
	}
	got, err := s.Get(ctx, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != subscriber.Pending || got.Email != "pm@nhs.net" || got.ODS != "F84001" || got.Role != subscriber.PracticeManager ||
		strings.Join(got.Areas, ",") != "north,south" || !got.Created.Equal(day) {
		t.Errorf("after sign-up: %+v", got)
	}
	if len(got.Events) != 1 || got.Events[0].Kind != subscriber.SignedUp || got.Events[0].Source != subscriber.Web ||
		got.Events[0].Wording != "Send me the newsletter." || got.Events[0].Version != "form-1" || !got.Events[0].At.Equal(day) {
		t.Errorf("consent log: %+v", got.Events)
	}

	at := day.Add(time.Hour)
	if err := s.Confirm(ctx, res.ID, res.Nonce, subscriber.Event{At: at, Wording: "Confirm", Version: "confirm-1"}); err != nil {
		t.Fatal(err)
	}
	// The same link again (a second click) is fine and records nothing.
	if err := s.Confirm(ctx, res.ID, res.Nonce, subscriber.Event{At: at.Add(time.Minute)}); err != nil {
		t.Errorf("second confirm: %v", err)
	}
	got, _ = s.Get(ctx, res.ID)
	if got.Status != subscriber.Confirmed || len(got.Events) != 2 || got.Events[1].Kind != subscriber.ConfirmedKind || !got.Updated.Equal(at) {
		t.Errorf("after confirm: %+v", got)
	}
	// A confirmed address signs up again: nothing changes, no email.
	again, err := s.SignUp(ctx, subscriber.Subscriber{Email: "pm@nhs.net", Name: "Someone Else"}, subscriber.Event{At: at}, 3)
	if err != nil || again.Send || again.ID != res.ID || again.Nonce != "" {
		t.Errorf("sign-up of a confirmed address: %+v, %v", again, err)
	}
	got, _ = s.Get(ctx, res.ID)
	if got.Name != "Pat" || len(got.Events) != 2 {
		t.Errorf("a sign-up of a confirmed address changed it: %+v", got)
	}
}

func TestConfirmErrors(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	first := signUp(t, s, "a@nhs.net", day)
	second := signUp(t, s, "a@nhs.net", day.Add(time.Minute)) // a new link replaces the first
	if second.ID != first.ID || second.Nonce == first.Nonce || !second.Send {
		t.Fatalf("second sign-up: %+v after %+v", second, first)
	}
	left := signUp(t, s, "left@nhs.net", day)
	if err := s.Unsubscribe(ctx, left.ID, subscriber.Event{At: day.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		id    int64
		nonce string
		want  error
	}{
		{"replaced nonce", first.ID, first.Nonce, subscriber.ErrStale},
		{"empty nonce", first.ID, "", subscriber.ErrStale},
		{"wrong nonce", first.ID, "AAAAAAAAAAAAAAAAAAAAAAAAAA", subscriber.ErrStale},
		{"left since", left.ID, left.Nonce, subscriber.ErrStale},
		{"no row", 9999, first.Nonce, subscriber.ErrNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := s.Confirm(ctx, c.id, c.nonce, subscriber.Event{At: day.Add(time.Hour)}); !errors.Is(err, c.want) {
				t.Errorf("Confirm = %v, want %v", err, c.want)
			}
		})
	}
	if err := s.Confirm(ctx, second.ID, second.Nonce, subscriber.Event{At: day.Add(time.Hour)}); err != nil {
		t.Errorf("the newest link: %v", err)
	}
	// A zero time is refused: the store never reads the clock.
	if err := s.Confirm(ctx, second.ID, second.Nonce, subscriber.Event{}); !errors.Is(err, subscriber.ErrInvalid) {
		t.Errorf("event without a time: %v", err)
	}
}

func TestSignUpCap(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	var sends []bool
	at := []time.Time{day, day.Add(time.Hour), day.Add(2 * time.Hour), day.Add(3 * time.Hour), day.Add(24*time.Hour + time.Minute)}
	var last subscriber.SignUpResult
	for _, t0 := range at {
		res, err := s.SignUp(ctx, subscriber.Subscriber{Email: "busy@nhs.net"}, subscriber.Event{At: t0}, 3)
		if err != nil {
			t.Fatal(err)
		}
		sends = append(sends, res.Send)
		if res.Send {
			last = res
		}
	}
	// Three in 24 hours, the fourth refused; a day after the first, one more.
	if want := []bool{true, true, true, false, true}; fmtBools(sends) != fmtBools(want) {
		t.Errorf("sends %v, want %v", sends, want)
	}
	// Only the last day's emails are kept: the fifth sign-up dropped the first.
	var kept int
	if err := s.read.QueryRow(`SELECT count(*) FROM confirmation_emails`).Scan(&kept); err != nil || kept != 3 {
		t.Errorf("%d confirmation emails kept (%v), want 3", kept, err)
	}
	// The refused one left the third link working... until the fifth replaced it.
	if err := s.Confirm(ctx, last.ID, last.Nonce, subscriber.Event{At: at[4]}); err != nil {
		t.Errorf("confirm with the newest link: %v", err)
	}
	// The cap is in the database: a reopened store still counts.
	s.Close()
	s2, err := Open(s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	res, err := s2.SignUp(ctx, subscriber.Subscriber{Email: "other@nhs.net"}, subscriber.Event{At: day}, 1)
	if err != nil || !res.Send {
		t.Fatal(res, err)
	}
	s2.Close()
	s3, err := Open(s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	if res, err := s3.SignUp(ctx, subscriber.Subscriber{Email: "other@nhs.net"}, subscriber.Event{At: day.Add(time.Hour)}, 1); err != nil || res.Send {
		t.Errorf("after a restart, the cap of 1 allowed another email: %+v %v", res, err)
	}
}

func fmtBools(b []bool) string {
	s := make([]string, len(b))
	for i, v := range b {
		if v {
			s[i] = "true"
		} else {
			s[i] = "false"
		}
	}
	return "[" + strings.Join(s, ",") + "]"
}

func TestUnsubscribeAndComeBack(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	res := signUp(t, s, "pm@nhs.net", day)
	if err := s.Confirm(ctx, res.ID, res.Nonce, subscriber.Event{At: day}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // idempotent
		if err := s.Unsubscribe(ctx, res.ID, subscriber.Event{At: day.Add(time.Hour), Source: subscriber.OneClick}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Get(ctx, res.ID)
	if got.Status != subscriber.Unsubscribed || len(got.Events) != 3 || got.Events[2].Kind != subscriber.Left || got.Events[2].Source != subscriber.OneClick {
		t.Errorf("after unsubscribing twice: %+v", got)
	}
	if err := s.Unsubscribe(ctx, 4242, subscriber.Event{At: day}); !errors.Is(err, subscriber.ErrNotFound) {
		t.Errorf("unsubscribe of no row: %v", err)
	}
	// The person signs up again: their own new consent, pending again.
	back := signUp(t, s, "pm@nhs.net", day.Add(48*time.Hour))
	got, _ = s.Get(ctx, res.ID)
	if back.ID != res.ID || !back.Send || got.Status != subscriber.Pending || len(got.Events) != 4 {
		t.Errorf("signing up again: %+v %+v", back, got)
	}
}

func TestSetAreas(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	res := signUp(t, s, "pm@nhs.net", day)
	for _, c := range []struct {
		areas  []string
		want   string
		events int
	}{
		{[]string{"west", " east ", ""}, "east,west", 2},
		{[]string{"east", "west"}, "east,west", 2}, // no change, no event
		{nil, "", 3},
	} {
		if err := s.SetAreas(ctx, res.ID, c.areas, subscriber.Event{At: day.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Get(ctx, res.ID)
		if strings.Join(got.Areas, ",") != c.want || len(got.Events) != c.events {
			t.Errorf("SetAreas(%q): areas %q, %d events, want %q, %d", c.areas, got.Areas, len(got.Events), c.want, c.events)
		}
	}
	got, _ := s.Get(ctx, res.ID)
	if e := got.Events[len(got.Events)-1]; e.Kind != subscriber.Changed || e.Detail != "areas: none" {
		t.Errorf("last event %+v", e)
	}
	if err := s.SetAreas(ctx, 999, []string{"x"}, subscriber.Event{At: day}); !errors.Is(err, subscriber.ErrNotFound) {
		t.Errorf("SetAreas of no row: %v", err)
	}
	if _, err := s.Get(ctx, 999); !errors.Is(err, subscriber.ErrNotFound) {
		t.Errorf("Get of no row: %v", err)
	}
}

func TestWordingVersionCannotChange(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	signUp(t, s, "a@nhs.net", day)
	_, err := s.SignUp(ctx, subscriber.Subscriber{Email: "b@nhs.net"}, subscriber.Event{At: day, Wording: "Other words", Version: "form-1"}, 3)
	if !errors.Is(err, subscriber.ErrInvalid) {
		t.Errorf("a second wording under form-1: %v", err)
	}
	// Nothing of that sign-up was kept.
	var n int
	s.read.QueryRow(`SELECT count(*) FROM subscribers`).Scan(&n)
	if n != 1 {
		t.Errorf("%d rows", n)
	}
}

func TestSignUpRefusesUnnormalised(t *testing.T) {
	s := openTest(t)
	for _, e := range []string{"", " a@nhs.net"} {
		if _, err := s.SignUp(context.Background(), subscriber.Subscriber{Email: e}, subscriber.Event{At: day}, 3); !errors.Is(err, subscriber.ErrInvalid) {
			t.Errorf("SignUp(%q): %v", e, err)
		}
	}
}
