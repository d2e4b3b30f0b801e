package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lmcpress/internal/subscriber"
)

// listOf imports n confirmed people, every third in Northfield, and
// returns their ids in order.
func listOf(t *testing.T, s *Store, n int) []int64 {
	t.Helper()
	var recs []subscriber.Record
	for i := range n {
		recs = append(recs, rec(i+1, fmt.Sprintf("p%05d@practice.example.org", i), subscriber.Confirmed, func(r *subscriber.Record) {
			if i%3 == 0 {
				r.Areas = []string{"Northfield"}
			}
		}))
	}
	if _, err := s.Import(context.Background(), recs, ImportOptions{File: "list.csv", At: day}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for sub, err := range s.Confirmed(context.Background(), "") {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sub.ID)
	}
	return ids
}

// TestConfirmedPages reads more than one page, in id order, and only the
// area's people for an area.
func TestConfirmedPages(t *testing.T) {
	s := openStaff(t)
	ids := listOf(t, s, recipientPage*2+7)
	if len(ids) != recipientPage*2+7 {
		t.Fatalf("%d recipients, want %d", len(ids), recipientPage*2+7)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("ids out of order at %d: %d after %d", i, ids[i], ids[i-1])
		}
	}
	n := 0
	for _, err := range s.Confirmed(context.Background(), "northfield") {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if want := (len(ids) + 2) / 3; n != want {
		t.Errorf("%d in Northfield, want %d", n, want)
	}
}

// TestClaimRecord walks messages through the journal: claimed once, not
// again after it was sent, again after a deferral; an unsubscribed person
// is not claimed; counts and pending follow.
func TestClaimRecord(t *testing.T) {
	ctx := context.Background()
	s := openStaff(t)
	ids := listOf(t, s, 4)
	at := day.Add(time.Hour)
	claim := func(id int64) bool {
		t.Helper()
		_, ok, err := s.Claim(ctx, "2016-12", id, "", at)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	record := func(id int64, st subscriber.SendState, reply string) {
		t.Helper()
		if _, err := s.Record(ctx, subscriber.Delivery{Issue: "2016-12", Subscriber: id, State: st, Reply: reply, Attempts: 1, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		if !claim(id) {
			t.Fatalf("%d not claimed", id)
		}
	}
	if c, _ := s.SendCounts(ctx, "2016-12"); c.InFlight != 4 {
		t.Errorf("counts %+v, want 4 in flight", c)
	}
	record(ids[0], subscriber.Sent, "250 ok")
	record(ids[1], subscriber.FailedPermanent, "550 5.1.1 no such user")
	record(ids[2], subscriber.FailedTemporary, "451 try later")
	if claim(ids[0]) || claim(ids[1]) {
		t.Error("a sent or refused message was claimed again")
	}
	if !claim(ids[2]) || !claim(ids[3]) {
		t.Error("a deferred or in-flight message was not claimed again")
	}
	if err := s.Release(ctx, "2016-12", []int64{ids[2], ids[3]}); err != nil {
		t.Fatal(err)
	}
	c, err := s.SendCounts(ctx, "2016-12")
	if err != nil {
		t.Fatal(err)
	}
	if c != (subscriber.SendCounts{Sent: 1, FailedPermanent: 1}) {
		t.Errorf("counts %+v", c)
	}
	if n, _ := s.Pending(ctx, "2016-12", ""); n != 2 {
		t.Errorf("pending %d, want 2", n)
	}
	if err := s.Unsubscribe(ctx, ids[2], subscriber.Event{At: at}); err != nil {
		t.Fatal(err)
	}
	if claim(ids[2]) {
		t.Error("an unsubscribed person was claimed")
	}
	if n, _ := s.Pending(ctx, "2016-12", ""); n != 1 {
		t.Errorf("pending %d after an unsubscribe, want 1", n)
	}
	if _, ok, _ := s.Claim(ctx, "2016-12-northfield", ids[1], "Northfield", at); ok {
		t.Error("someone outside the area was claimed for its edition")
	}
	fails, err := s.Deliveries(ctx, "2016-12", subscriber.FailedPermanent)
	if err != nil || len(fails) != 1 || fails[0].Reply != "550 5.1.1 no such user" || fails[0].Email != "p00001@practice.example.org" {
		t.Errorf("failures %+v, %v", fails, err)
	}
}

// TestTwoRefusalsSuppress: a refusal after a sent issue changes nothing;
// a second refusal in a row unsubscribes and suppresses the address.
func TestTwoRefusalsSuppress(t *testing.T) {
	ctx := context.Background()
	s := openStaff(t)
	id := listOf(t, s, 1)[0]
	send := func(issue string, at time.Time, st subscriber.SendState) bool {
		t.Helper()
		if _, ok, err := s.Claim(ctx, issue, id, "", at); err != nil || !ok {
			t.Fatalf("claim %s: %v %v", issue, ok, err)
		}
		sup, err := s.Record(ctx, subscriber.Delivery{Issue: issue, Subscriber: id, State: st, Reply: "550 5.1.1 gone", Attempts: 1, At: at})
		if err != nil {
			t.Fatal(err)
		}
		return sup
	}
	if send("2016-10", day, subscriber.FailedPermanent) {
		t.Error("suppressed after one refusal")
	}
	if send("2016-11", day.Add(24*time.Hour), subscriber.Sent) {
		t.Error("suppressed after a success")
	}
	if send("2016-12", day.Add(48*time.Hour), subscriber.FailedPermanent) {
		t.Error("suppressed after refusal, success, refusal")
	}
	if !send("2017-01", day.Add(72*time.Hour), subscriber.FailedPermanent) {
		t.Fatal("not suppressed after two refusals in a row")
	}
	sub, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Status != subscriber.Unsubscribed || sub.Events[len(sub.Events)-1].Kind != subscriber.Bounced {
		t.Errorf("status %s, last event %+v", sub.Status, sub.Events[len(sub.Events)-1])
	}
	if sup, err := s.suppression(ctx, s.read, sub.Email); err != nil || sup == nil || sup.Reason != subscriber.Bounced {
		t.Errorf("suppression %+v, %v", sup, err)
	}
	if _, ok, _ := s.Claim(ctx, "2017-02", id, "", day.Add(96*time.Hour)); ok {
		t.Error("a suppressed address was claimed")
	}
}
