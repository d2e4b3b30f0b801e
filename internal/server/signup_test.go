package server

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"lmcpress"
	"lmcpress/internal/email"
	"lmcpress/internal/mailpittest"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
)

// t0 is the pinned clock of every sign-up test.
var t0 = time.Date(2026, 12, 1, 23, 40, 0, 0, time.UTC)

var testSecret = []byte("test secret of at least thirty-two bytes!")

const consent = "Get the monthly newsletter by email. We ask you to confirm, and every email has a one-click unsubscribe."

// clock is a test's settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// recorder is a Mailer that keeps what it is given.
type recorder struct {
	mu   sync.Mutex
	sent []Confirmation
}

func (r *recorder) SendConfirmation(_ context.Context, c Confirmation) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, c)
	return nil
}

func (r *recorder) all() []Confirmation {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Confirmation(nil), r.sent...)
}

// mailpitMailer sends through a real Mailpit with the email package.
type mailpitMailer struct{ cfg email.Config }

func (m mailpitMailer) SendConfirmation(ctx context.Context, c Confirmation) error {
	cl, err := email.Dial(ctx, m.cfg)
	if err != nil {
		return err
	}
	defer cl.Close()
	return cl.Send(ctx, email.Message{
		From: mail.Address{Name: "Northfield LMC", Address: "news@example.org"}, To: []mail.Address{c.To}, Subject: c.Subject,
		Date: c.Date, MessageID: "confirm." + c.Link[len(c.Link)-12:] + "@example.org", Text: c.Text, HTML: c.HTML,
	})
}

// harness is a real server on 127.0.0.1:0 with a real SQLite store.
type harness struct {
	t       testing.TB
	srv     *httptest.Server
	store   *sqlite.Store
	su      *SignUp
	clock   *clock
	signer  *subscriber.Signer
	client  *http.Client
	handler http.Handler
}

type harnessOpts struct {
	mailer   Mailer
	minReply time.Duration
	perIP    int
	proxies  []netip.Prefix
}

var testSite = fstest.MapFS{
	"index.html":   {Data: []byte("<!DOCTYPE html><title>home</title><p>home</p>")},
	"404.html":     {Data: []byte("<!DOCTYPE html><title>404</title><p>not found</p>")},
	"css/site.css": {Data: []byte("body{}")},
}

func newHarness(t testing.TB, o harnessOpts) *harness {
	t.Helper()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "data", "lmcpress.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.SetSecret(context.Background(), testSecret); err != nil {
		t.Fatal(err)
	}
	signer, err := subscriber.NewSigner(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, store: store, clock: &clock{t: t0}, signer: signer}
	var handler http.Handler
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(h.srv.Close)
	if o.mailer == nil {
		o.mailer = &recorder{}
	}
	tpl, _ := fs.Sub(lmcpress.Theme, "templates/server")
	site := SitePage{Title: "Northfield LMC", Language: "en-GB", Menu: []MenuLink{{"News", "/news/"}}}
	site.Organisation.Email = "office@example.org"
	h.su, err = NewSignUp(SignUpConfig{
		Store: store, Mailer: o.mailer, Signer: signer, Now: h.clock.now, Links: h.srv.URL + "/",
		Site: site, Consent: consent, ConsentVersion: "v-test", Ask: []string{"role", "practice", "areas"},
		Areas: []string{"Northfield", "Eastbrook"}, Templates: tpl, PerIP: o.perIP, TrustedProxies: o.proxies, MinReply: o.minReply,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.su.Close(context.Background()) })
	handler = New(Options{Site: func() fs.FS { return testSite }, SignUp: h.su})
	h.handler = handler
	h.client = &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return h
}

// do sends one request as a browser on the site's own page would
// (Origin and Sec-Fetch-Site same-origin) unless headers say otherwise.
func (h *harness) do(method, path string, form url.Values, headers ...string) (int, string) {
	h.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method == http.MethodPost {
		req.Header.Set("Origin", h.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	res, err := h.client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	checkHeaders(h.t, method+" "+path, res)
	return res.StatusCode, string(b)
}

// checkHeaders: every response carries the security headers.
func checkHeaders(t testing.TB, what string, res *http.Response) {
	t.Helper()
	for name, want := range map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"Content-Security-Policy": "frame-ancestors 'none'",
	} {
		if !strings.Contains(res.Header.Get(name), want) {
			t.Errorf("%s: %s is %q, want %q", what, name, res.Header.Get(name), want)
		}
	}
}

func (h *harness) get(id int64) subscriber.Subscriber {
	h.t.Helper()
	s, err := h.store.Get(context.Background(), id)
	if err != nil {
		h.t.Fatalf("Get(%d): %v", id, err)
	}
	return s
}

func signupForm(addr string) url.Values {
	return url.Values{"email": {addr}, "name": {"Pat Jones"}, "role": {"practice-manager"}, "practice": {"Riverside Surgery"}, "areas": {"Eastbrook"}}
}

var linkRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+/confirm/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`)

// path is the path of an absolute link.
func pathOf(t testing.TB, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

func (h *harness) id(link string) int64 {
	h.t.Helper()
	p := pathOf(h.t, link)
	purpose := map[string]subscriber.Purpose{"confirm": subscriber.PurposeConfirm, "unsubscribe": subscriber.PurposeUnsubscribe, "manage": subscriber.PurposeManage}[strings.Split(p, "/")[1]]
	c, err := h.signer.Verify(purpose, p[strings.LastIndexByte(p, '/')+1:], h.clock.now())
	if err != nil {
		h.t.Fatalf("%s: %v", link, err)
	}
	return c.ID
}

var hrefRE = regexp.MustCompile(`href="(/(?:manage|unsubscribe)/[^"]+)"`)

// TestJourney is the whole journey as one script of requests against a
// real server, a real SQLite file and a real Mailpit: sign up, read the
// email, open the link (nothing changes), confirm, change areas, leave by
// the form, replay the old link (nothing changes), come back, and leave by
// RFC 8058 one-click.
func TestJourney(t *testing.T) {
	mp := mailpittest.Start(t, mailpittest.Options{})
	cfg, err := email.ParseURL("smtp://" + mp.SMTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, harnessOpts{mailer: mailpitMailer{cfg}})

	if code, body := h.do("GET", "/", nil); code != 200 || !strings.Contains(body, "home") {
		t.Fatalf("GET /: %d %q", code, body)
	}
	code, body := h.do("POST", "/subscribe", signupForm("Pat.Jones@Riverside.NHS.net"))
	if code != 200 || !strings.Contains(body, "Check your email") {
		t.Fatalf("sign-up: %d\n%s", code, body)
	}
	msg := waitForMail(t, mp, 1)[0]
	if msg.Subject != "Confirm your subscription to the Northfield LMC newsletter" || len(msg.To) != 1 || msg.To[0].Address != "Pat.Jones@riverside.nhs.net" {
		t.Errorf("email: subject %q to %+v", msg.Subject, msg.To)
	}
	link := linkRE.FindString(msg.Text)
	if link == "" || !strings.Contains(msg.HTML, link) || !strings.Contains(msg.Text, "8 December 2026") {
		t.Fatalf("the email lacks the link (in both parts) or its expiry:\n%s\n%s", msg.Text, msg.HTML)
	}
	id := h.id(link)
	s := h.get(id)
	if s.Status != subscriber.Pending || s.Name != "Pat Jones" || s.Role != subscriber.PracticeManager || s.Practice != "Riverside Surgery" || strings.Join(s.Areas, ",") != "Eastbrook" {
		t.Fatalf("after sign-up: %+v", s)
	}
	if len(s.Events) != 1 || s.Events[0].Wording != consent || s.Events[0].Version != "v-test" || !s.Events[0].At.Equal(t0) {
		t.Errorf("sign-up event: %+v", s.Events)
	}

	// A gateway opens the link: nothing changes.
	for _, m := range []string{"GET", "HEAD"} {
		if code, body := h.do(m, pathOf(t, link), nil); code != 200 || m == "GET" && !strings.Contains(body, `action="`+pathOf(t, link)+`"`) {
			t.Fatalf("%s confirm link: %d\n%s", m, code, body)
		}
	}
	if s := h.get(id); s.Status != subscriber.Pending {
		t.Fatalf("GET of the confirm link changed the status to %s", s.Status)
	}
	h.clock.add(time.Hour)
	code, body = h.do("POST", pathOf(t, link), url.Values{})
	if code != 200 || !strings.Contains(body, "You are subscribed") {
		t.Fatalf("POST confirm: %d\n%s", code, body)
	}
	if s := h.get(id); s.Status != subscriber.Confirmed || len(s.Events) != 2 || s.Events[1].Kind != subscriber.ConfirmedKind || !s.Events[1].At.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after confirm: %+v", s)
	}
	if code, _ := h.do("POST", pathOf(t, link), url.Values{}); code != 200 {
		t.Errorf("pressing confirm twice: %d, want 200", code)
	}
	links := map[string]string{}
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		links[strings.Split(m[1], "/")[1]] = m[1]
	}
	if links["manage"] == "" || links["unsubscribe"] == "" {
		t.Fatalf("the confirmed page lacks manage and unsubscribe links:\n%s", body)
	}

	// Manage: change the areas.
	if code, body := h.do("GET", links["manage"], nil); code != 200 || !strings.Contains(body, `value="Eastbrook" checked`) {
		t.Fatalf("GET manage: %d\n%s", code, body)
	}
	if code, body := h.do("POST", links["manage"], url.Values{"areas": {"Northfield", "Eastbrook"}}); code != 200 || !strings.Contains(body, "saved") {
		t.Fatalf("POST manage: %d\n%s", code, body)
	}
	if s := h.get(id); strings.Join(s.Areas, ",") != "Eastbrook,Northfield" || s.Status != subscriber.Confirmed {
		t.Fatalf("after manage: %+v", s)
	}
	if code, _ := h.do("POST", links["manage"], url.Values{"areas": {"Atlantis"}}); code != 422 {
		t.Errorf("an unknown area: %d, want 422", code)
	}

	// Unsubscribe with the page's button.
	if code, _ := h.do("GET", links["unsubscribe"], nil); code != 200 || h.get(id).Status != subscriber.Confirmed {
		t.Fatalf("GET unsubscribe: %d, status %s", code, h.get(id).Status)
	}
	if code, body := h.do("POST", links["unsubscribe"], url.Values{}); code != 200 || !strings.Contains(body, "You have unsubscribed") {
		t.Fatalf("POST unsubscribe: %d\n%s", code, body)
	}
	if s := h.get(id); s.Status != subscriber.Unsubscribed {
		t.Fatalf("after unsubscribe: %s", s.Status)
	}
	// The old confirm link again: it must not re-subscribe.
	if code, body := h.do("POST", pathOf(t, link), url.Values{}); code != http.StatusConflict || !strings.Contains(body, "already been used") {
		t.Errorf("replayed confirm after unsubscribing: %d\n%s", code, body)
	}
	if code, _ := h.do("GET", links["manage"], nil); code != 200 || h.get(id).Status != subscriber.Unsubscribed {
		t.Errorf("manage after leaving: %d, status %s", code, h.get(id).Status)
	}

	// Come back, and leave by one-click, as a mail provider posts it: no
	// Origin, no Sec-Fetch-Site, no cookie; then as webmail in a browser
	// would, from its own origin.
	h.clock.add(time.Hour)
	if code, _ := h.do("POST", "/subscribe", signupForm("  Pat.Jones@RIVERSIDE.nhs.net ")); code != 200 {
		t.Fatalf("signing up again: %d", code)
	}
	msgs := waitForMail(t, mp, 2)
	link2 := linkRE.FindString(msgs[0].Text) // newest first
	if link2 == "" || link2 == link || h.id(link2) != id {
		t.Fatalf("second email's link %q (first %q)", link2, link)
	}
	if code, _ := h.do("POST", pathOf(t, link2), url.Values{}); code != 200 || h.get(id).Status != subscriber.Confirmed {
		t.Fatalf("confirming again: %d %s", code, h.get(id).Status)
	}
	oneClick := url.Values{"List-Unsubscribe": {"One-Click"}}
	if code, body := h.do("POST", links["unsubscribe"], oneClick, "Origin", "", "Sec-Fetch-Site", ""); code != 200 {
		t.Fatalf("one-click: %d\n%s", code, body)
	}
	s = h.get(id)
	if last := s.Events[len(s.Events)-1]; s.Status != subscriber.Unsubscribed || last.Source != subscriber.OneClick {
		t.Fatalf("after one-click: %s, last event %+v", s.Status, last)
	}
	if code, _ := h.do("POST", links["unsubscribe"], oneClick, "Origin", "https://mail.example.com", "Sec-Fetch-Site", "cross-site"); code != 200 {
		t.Errorf("one-click from webmail's origin: %d, want 200", code)
	}
}

func waitForMail(t *testing.T, mp *mailpittest.Server, n int) []mailpittest.Message {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		list := mp.Messages(t)
		if len(list) >= n {
			var out []mailpittest.Message
			for _, m := range list {
				out = append(out, mp.Message(t, m.ID))
			}
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d emails arrived in 15s, want %d", len(list), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSameAnswerWhateverTheAddress: a new, a pending, a confirmed and an
// over-the-cap address get byte-identical pages, so the form tells a
// stranger nothing of who is on the list.
func TestSameAnswerWhateverTheAddress(t *testing.T) {
	rec := &recorder{}
	h := newHarness(t, harnessOpts{mailer: rec, perIP: 1000})
	first := func(addr string) (int, string) { return h.do("POST", "/subscribe", signupForm(addr)) }
	// Confirmed: sign up and confirm.
	first("confirmed@example.org")
	h.su.Close(context.Background())
	h.su.out = newOutbox(rec, h.su.log, outboxSize, outboxWorkers)
	c := rec.all()[0]
	if code, _ := h.do("POST", pathOf(t, c.Link), url.Values{}); code != 200 {
		t.Fatal("confirm")
	}
	first("pending@example.org")
	for range 3 {
		first("capped@example.org")
	}
	want := ""
	for _, addr := range []string{"new@example.org", "pending@example.org", "confirmed@example.org", "capped@example.org"} {
		code, body := first(addr)
		if code != 200 {
			t.Errorf("%s: %d", addr, code)
		}
		if want == "" {
			want = body
		} else if body != want {
			t.Errorf("%s: the page differs from a new address's", addr)
		}
	}
	h.su.Close(context.Background())
	got := map[string]int{}
	for _, c := range rec.all() {
		got[c.To.Address]++
	}
	// capped: 3 a day. confirmed: only its first.
	if got["capped@example.org"] != 3 || got["confirmed@example.org"] != 1 || got["pending@example.org"] != 2 || got["new@example.org"] != 1 {
		t.Errorf("emails sent: %v", got)
	}
}

// snapshot is what a subscriber's row and log say, for "nothing changed".
func (h *harness) snapshot(id int64) string {
	s := h.get(id)
	return fmt.Sprintf("%s|%s|%d events|%s", s.Status, strings.Join(s.Areas, ","), len(s.Events), s.Updated)
}

// TestBadLinks: forged, altered, other-purpose and expired tokens get a
// friendly 4xx page and change nothing, on GET and POST.
func TestBadLinks(t *testing.T) {
	rec := &recorder{}
	h := newHarness(t, harnessOpts{mailer: rec})
	h.do("POST", "/subscribe", signupForm("pat@example.org"))
	h.su.Close(context.Background())
	link := pathOf(t, rec.all()[0].Link)
	tok := link[len("/confirm/"):]
	id := h.id(rec.all()[0].Link)
	forger, _ := subscriber.NewSigner([]byte(strings.Repeat("k", 32)))
	altered := []byte(tok)
	altered[3] ^= 1
	cases := map[string]string{
		"forged":            "/confirm/" + forger.Sign(subscriber.PurposeConfirm, id, "x", t0.Add(time.Hour)),
		"altered":           "/confirm/" + string(altered),
		"cut short":         link[:len(link)-4],
		"confirm as unsub":  "/unsubscribe/" + tok,
		"confirm as manage": "/manage/" + tok,
		"garbage":           "/confirm/%00%ff",
		"other id":          "/unsubscribe/" + forger.Sign(subscriber.PurposeUnsubscribe, id, "", time.Time{}),
		"nobody":            "/unsubscribe/" + h.signer.Sign(subscriber.PurposeUnsubscribe, 999, "", time.Time{}),
		"wrong nonce":       "/confirm/" + h.signer.Sign(subscriber.PurposeConfirm, id, "guessed", t0.Add(time.Hour)),
	}
	before := h.snapshot(id)
	for name, p := range cases {
		for _, m := range []string{"GET", "POST"} {
			code, body := h.do(m, p, url.Values{})
			if m == "GET" && (name == "nobody" || name == "wrong nonce") {
				continue // a GET checks only the signature; the POST below refuses it
			}
			if code < 400 || code > 499 || !strings.Contains(body, "Nothing has changed") {
				t.Errorf("%s %s: %d, want a friendly 4xx page\n%s", m, name, code, body)
			}
		}
	}
	// Expired: 7 days after it was sent.
	h.clock.add(7 * 24 * time.Hour)
	for _, m := range []string{"GET", "POST"} {
		if code, body := h.do(m, link, url.Values{}); code != http.StatusGone || !strings.Contains(body, "expired") {
			t.Errorf("%s expired link: %d\n%s", m, code, body)
		}
	}
	if after := h.snapshot(id); after != before {
		t.Errorf("bad links changed the subscriber: %s, was %s", after, before)
	}
}

// TestGetNeverChanges: every GET and HEAD of every signed link, valid or
// not, leaves the store as it was.
func TestGetNeverChanges(t *testing.T) {
	rec := &recorder{}
	h := newHarness(t, harnessOpts{mailer: rec})
	h.do("POST", "/subscribe", signupForm("pat@example.org"))
	h.su.Close(context.Background())
	c := rec.all()[0]
	id := h.id(c.Link)
	paths := []string{pathOf(t, c.Link), h.su.link(subscriber.PurposeUnsubscribe, id), h.su.link(subscriber.PurposeManage, id)}
	check := func(state subscriber.Status) {
		before := h.snapshot(id)
		for _, p := range paths {
			for _, m := range []string{"GET", "HEAD"} {
				h.do(m, p, nil)
				h.do(m, p+"?List-Unsubscribe=One-Click", nil)
			}
		}
		if after := h.snapshot(id); after != before || h.get(id).Status != state {
			t.Errorf("GETs changed a %s subscriber: %s, was %s", state, after, before)
		}
	}
	check(subscriber.Pending)
	h.do("POST", pathOf(t, c.Link), url.Values{})
	check(subscriber.Confirmed)
	h.do("POST", paths[1], url.Values{})
	check(subscriber.Unsubscribed)
}

// TestFormDefences: the honeypot, a foreign origin, a body too big and bad
// input store nothing and send nothing.
func TestFormDefences(t *testing.T) {
	rec := &recorder{}
	h := newHarness(t, harnessOpts{mailer: rec, perIP: 1000})
	f := signupForm("robot@example.org")
	f.Set("website", "http://spam.example")
	if code, body := h.do("POST", "/subscribe", f); code != 200 || !strings.Contains(body, "Check your email") {
		t.Errorf("honeypot: %d, want the ordinary page", code)
	}
	for name, hdr := range map[string][]string{
		"Origin elsewhere":          {"Origin", "https://evil.example", "Sec-Fetch-Site", ""},
		"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site", "cross-site", "Origin", ""},
	} {
		if code, _ := h.do("POST", "/subscribe", signupForm("csrf@example.org"), hdr...); code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, code)
		}
	}
	big := signupForm("big@example.org")
	big.Set("name", strings.Repeat("x", 20<<10))
	if code, _ := h.do("POST", "/subscribe", big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("20 KiB form: %d, want 413", code)
	}
	for name, f := range map[string]url.Values{
		"no email":      {"name": {"x"}},
		"not an email":  {"email": {"pat at example.org"}},
		"two addresses": {"email": {"a@example.org, b@example.org"}},
		"long name":     {"email": {"ok@example.org"}, "name": {strings.Repeat("n", 201)}},
		"line break":    {"email": {"ok@example.org"}, "name": {"Pat\r\nBcc: x@example.org"}},
		"unknown role":  {"email": {"ok@example.org"}, "role": {"king"}},
		"unknown area":  {"email": {"ok@example.org"}, "areas": {"Atlantis"}},
		"area twice":    {"email": {"ok@example.org"}, "areas": {"Eastbrook", "Eastbrook"}},
	} {
		code, body := h.do("POST", "/subscribe", f)
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "There is a problem") || !strings.Contains(body, `action="/subscribe"`) {
			t.Errorf("%s: %d, want 422 with the form again\n%s", name, code, body)
		}
	}
	h.su.Close(context.Background())
	if got := rec.all(); len(got) != 0 {
		t.Errorf("emails sent: %+v", got)
	}
}

func TestNewSignUpChecks(t *testing.T) {
	if _, err := NewSignUp(SignUpConfig{}); err == nil {
		t.Error("an empty config was accepted")
	}
}

// TestReplyTimeHidesTheAddress: a confirmed address and a new one take the
// same time to answer. Storing a new address is slower (about 1 ms
// against 0.3 ms without the floor: medians 3.5 times apart), which many
// tries would measure.
func TestReplyTimeHidesTheAddress(t *testing.T) {
	rec := &recorder{}
	// The floor is longer here than the server's 50 ms so that a busy
	// machine's scheduling (tens of milliseconds with both cores loaded)
	// cannot pass for a difference between the two kinds of address.
	const floor = 200 * time.Millisecond
	h := newHarness(t, harnessOpts{mailer: rec, perIP: 1 << 30, minReply: floor})
	h.do("POST", "/subscribe", signupForm("known@example.org"))
	h.su.Close(context.Background())
	h.su.out = newOutbox(rec, h.su.log, outboxSize, outboxWorkers)
	h.do("POST", pathOf(t, rec.all()[0].Link), url.Values{})
	var known, unknown []time.Duration
	for i := range 30 {
		addr := "known@example.org"
		if i%2 == 1 {
			addr = fmt.Sprintf("new%d@example.org", i)
		}
		start := time.Now()
		if code, _ := h.do("POST", "/subscribe", signupForm(addr)); code != 200 {
			t.Fatalf("%s: %d", addr, code)
		}
		if took := time.Since(start); i%2 == 1 {
			unknown = append(unknown, took)
		} else {
			known = append(known, took)
		}
	}
	slices.Sort(known)
	slices.Sort(unknown)
	k, u := known[len(known)/2], unknown[len(unknown)/2]
	t.Logf("median reply: confirmed address %s, new address %s", k, u)
	if k < floor || u < floor || float64(u) > 1.2*float64(k) || float64(k) > 1.2*float64(u) {
		t.Errorf("median reply for a confirmed address %s, for a new one %s: want both at least %s and within 20%%", k, u, floor)
	}
}
