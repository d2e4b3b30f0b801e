package sqlite

import (
	"context"
	"errors"
	"testing"

	"lmcpress/internal/subscriber"
)

func TestPurgePending(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	stranger := signUp(t, s, "typed-by-someone@nhs.net", day)
	recent := signUp(t, s, "recent@nhs.net", day.Add(20*24*PendingKept/30))
	// Confirmed, left, then signed up again without confirming.
	back := signUp(t, s, "back@nhs.net", day)
	if err := s.Confirm(ctx, back.ID, back.Nonce, subscriber.Event{At: day, Wording: "Confirm"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Unsubscribe(ctx, back.ID, subscriber.Event{At: day}); err != nil {
		t.Fatal(err)
	}
	signUp(t, s, "back@nhs.net", day)

	n, err := s.PurgePending(ctx, day.Add(PendingKept))
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("purged %d, want 1", n)
	}
	if _, err := s.Get(ctx, stranger.ID); !errors.Is(err, subscriber.ErrNotFound) {
		t.Errorf("unconfirmed sign-up of 30 days ago: %v, want ErrNotFound", err)
	}
	for _, id := range []int64{recent.ID, back.ID} {
		got, err := s.Get(ctx, id)
		if err != nil {
			t.Fatalf("id %d: %v", id, err)
		}
		if got.Status != subscriber.Pending {
			t.Errorf("%s: status %s", got.Email, got.Status)
		}
	}
	if n, err := s.PurgePending(ctx, day.Add(PendingKept)); err != nil || n != 0 {
		t.Errorf("second purge: %d, %v", n, err)
	}
}
