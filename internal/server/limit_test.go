package server

import (
	"context"
	"log/slog"
	"net/http"
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

func TestClientKey(t *testing.T) {
	s := &SignUp{c: SignUpConfig{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}}}
	cases := []struct{ remote, xff, want string }{
		{"203.0.113.5:4000", "", "203.0.113.5/32"},
		{"203.0.113.5:4000", "198.51.100.1", "203.0.113.5/32"}, // not a proxy: the header is the client's own
		{"10.1.2.3:4000", "198.51.100.1", "198.51.100.1/32"},
		{"10.1.2.3:4000", "192.0.2.66, 198.51.100.1, 10.9.9.9", "198.51.100.1/32"},
		{"10.1.2.3:4000", "", "10.1.2.3/32"},
		{"10.1.2.3:4000", "garbage", "10.1.2.3/32"},
		{"[::1]:4000", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"[2001:db8:aa:bb::1]:4000", "", "2001:db8:aa:bb::/64"},
		{"[::ffff:203.0.113.9]:4000", "", "203.0.113.9/32"},
	}
	for _, c := range cases {
		r, _ := http.NewRequest("POST", "/subscribe", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientKey(r).String(); got != c.want {
			t.Errorf("from %s, X-Forwarded-For %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}
