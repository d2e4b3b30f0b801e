package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lmcpress/internal/subscriber"
)

// FuzzSubscribe posts arbitrary bodies to the form handler: it must answer
// with a page (never a 5xx, never a panic), carry the security headers,
// and never echo markup it was sent.
func FuzzSubscribe(f *testing.F) {
	h := newHarness(f, harnessOpts{perIP: 1 << 30, minReply: time.Nanosecond})
	for _, seed := range []string{
		signupForm("pat@example.org").Encode(),
		"email=a%40b.co&areas=Eastbrook&areas=Eastbrook",
		"email=%3Cscript%3E%40x.org&name=%3Cb%3E",
		"email=x@y.z&website=1",
		"email=" + strings.Repeat("a", 300) + "@example.org",
		"%zz=1&email",
		"email=%C0%AF@example.org&name=%ff%fe",
		"role=partner&practice=A%0D%0AB&email=q@example.org",
	} {
		f.Add(seed)
	}
	post := func(body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/subscribe", strings.NewReader(body))
		req.Host = "127.0.0.1:1"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		rec := httptest.NewRecorder()
		h.handler.ServeHTTP(rec, req)
		return rec
	}
	// What the page holds whatever was posted: markup of the page itself
	// is no echo.
	plain := post("email=x").Body.String()
	f.Fuzz(func(t *testing.T, body string) {
		rec := post(body)
		switch rec.Code {
		case 200, 400, 413, 422:
		default:
			t.Fatalf("status %d for %q:\n%s", rec.Code, body, rec.Body.String())
		}
		checkHeaders(t, "fuzz", rec.Result())
		if v, err := url.ParseQuery(body); err == nil {
			for _, vs := range v {
				for _, x := range vs {
					if strings.Contains(x, "<") && strings.Contains(rec.Body.String(), x) && !strings.Contains(plain, x) {
						t.Fatalf("the page echoes %q unescaped", x)
					}
				}
			}
		}
	})
}

// TestLoad signs up loadN people at once on loopback, each from its own
// client address behind a trusted proxy: every sign-up is answered 2xx
// within the time limit, every one is in the store, and every one gets
// its email. It reports p50 and p99 latency.
func TestLoad(t *testing.T) {
	const loadN = 300
	rec := &recorder{}
	h := newHarness(t, harnessOpts{mailer: rec, proxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	h.client.Transport = &http.Transport{MaxIdleConnsPerHost: loadN, MaxConnsPerHost: loadN}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	lat := make([]time.Duration, loadN)
	codes := make([]int, loadN)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range loadN {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := signupForm(fmt.Sprintf("load%03d@example.org", i)).Encode()
			req, _ := http.NewRequestWithContext(ctx, "POST", h.srv.URL+"/subscribe", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d, 203.0.%d.%d", i%250, i/250, i%250))
			<-start
			t0 := time.Now()
			res, err := h.client.Do(req)
			lat[i] = time.Since(t0)
			if err != nil {
				t.Errorf("sign-up %d: %v", i, err)
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	took := time.Since(began)
	for i, c := range codes {
		if c != 200 {
			t.Errorf("sign-up %d: status %d", i, c)
		}
	}
	slices.Sort(lat)
	t.Logf("%d concurrent sign-ups in %s: p50 %s, p99 %s, max %s", loadN, took.Round(time.Millisecond),
		lat[loadN/2].Round(time.Microsecond), lat[loadN*99/100].Round(time.Microsecond), lat[loadN-1].Round(time.Microsecond))
	if err := h.su.Close(ctx); err != nil {
		t.Fatal(err)
	}
	sent := rec.all()
	if len(sent) != loadN {
		t.Fatalf("%d confirmation emails, want %d", len(sent), loadN)
	}
	seen := map[string]bool{}
	for _, c := range sent {
		s := h.get(h.id(c.Link))
		if s.Email != c.To.Address || s.Status != subscriber.Pending || seen[s.Email] {
			t.Errorf("email to %s: store has %+v", c.To.Address, s)
		}
		seen[s.Email] = true
	}
}
