package server

import (
	"context"
	"log/slog"
	"net/netip"
	"testing"
	"time"
)

// TestRateLimit: a client gets PerIP sign-ups a window; X-Forwarded-For
// counts only from a trusted proxy.
func TestRateLimit(t *testing.T) {
	h := newHarness(t, harnessOpts{perIP: 3, proxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	for i := range 4 {
		code, _ := h.do("POST", "/subscribe", signupForm("a@example.org"), "X-Forwarded-For", "203.0.113.7")
		if want := map[bool]int{true: 200, false: 429}[i < 3]; code != want {
			t.Errorf("sign-up %d from 203.0.113.7: %d, want %d", i+1, code, want)
		}
	}
	// Another client behind the proxy, and the first one spoofing a hop
	// to the left of what the proxy appended.
	if code, _ := h.do("POST", "/subscribe", signupForm("b@example.org"), "X-Forwarded-For", "198.51.100.1"); code != 200 {
		t.Errorf("another client: %d", code)
	}
	if code, _ := h.do("POST", "/subscribe", signupForm("c@example.org"), "X-Forwarded-For", "192.0.2.99, 203.0.113.7"); code != 429 {
		t.Errorf("a spoofed left hop: %d, want 429", code)
	}
	h.clock.add(10 * time.Minute)
	if code, _ := h.do("POST", "/subscribe", signupForm("a@example.org"), "X-Forwarded-For", "203.0.113.7"); code != 200 {
		t.Errorf("after the window: %d", code)
	}

	untrusted := newHarness(t, harnessOpts{perIP: 2})
	for i := range 3 {
		code, _ := untrusted.do("POST", "/subscribe", signupForm("a@example.org"), "X-Forwarded-For", "198.51.100."+string(rune('1'+i)))
		if want := map[bool]int{true: 200, false: 429}[i < 2]; code != want {
			t.Errorf("untrusted X-Forwarded-For, sign-up %d: %d, want %d (the header must be ignored)", i+1, code, want)
		}
	}
}

func TestLimiterIsBounded(t *testing.T) {
	l := newLimiter(2, time.Minute, 100)
	for i := range 1000 {
		l.allow(netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)}), 32), t0)
	}
	if len(l.counts) != 100 {
		t.Errorf("%d clients in the table, want at most 100", len(l.counts))
	}
	if l.allow(netip.MustParsePrefix("192.0.2.1/32"), t0) {
		t.Error("past the table's size and the overflow's share, a new client was allowed")
	}
	if !l.allow(netip.MustParsePrefix("192.0.2.1/32"), t0.Add(time.Minute)) {
		t.Error("a new window did not start afresh")
	}
}

// TestOutboxAfterClose: a sign-up still running when the server stops
// (the preview does not wait for its requests) drops its email, logged,
// rather than panic.
func TestOutboxAfterClose(t *testing.T) {
	rec := &recorder{}
	o := newOutbox(rec, slogDiscard, 4, 1)
	o.enqueue(Confirmation{ID: 1})
	if err := o.close(context.Background()); err != nil {
		t.Fatal(err)
	}
	o.enqueue(Confirmation{ID: 2})
	if err := o.close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := rec.all(); len(got) != 1 || got[0].ID != 1 || o.dropped.Load() != 1 {
		t.Errorf("sent %+v, dropped %d", got, o.dropped.Load())
	}
}

var slogDiscard = slog.New(slog.DiscardHandler)
