package server

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/mail"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"lmcpress/internal/subscriber"
)

// Store is what the sign-up endpoints need of the subscriber list
// (*sqlite.Store is one). Every method takes its time from the event, so
// the server's clock is the only one.
type Store interface {
	// SignUp stores s as pending and says whether to send a confirmation
	// email (subscriber.SignUpResult); a confirmed address is left alone,
	// and an address that had capPerDay emails in the last day gets none.
	SignUp(ctx context.Context, s subscriber.Subscriber, ev subscriber.Event, capPerDay int) (subscriber.SignUpResult, error)
	// Confirm makes a pending subscriber with that nonce confirmed:
	// subscriber.ErrStale for a link used up or replaced since,
	// subscriber.ErrNotFound for nobody.
	Confirm(ctx context.Context, id int64, nonce string, ev subscriber.Event) error
	Unsubscribe(ctx context.Context, id int64, ev subscriber.Event) error
	Get(ctx context.Context, id int64) (subscriber.Subscriber, error)
	SetAreas(ctx context.Context, id int64, areas []string, ev subscriber.Event) error
}

// Confirmation is one confirmation email, written; the Mailer adds the
// newsletter's sender identity and sends it.
type Confirmation struct {
	To      mail.Address
	Link    string // the confirm link, also in both bodies
	Subject string
	Text    string
	HTML    string
	Date    time.Time
	ID      int64 // the subscriber's, for a Message-ID
}

// Mailer sends confirmation emails. lmcpress server's goes through
// LMCPRESS_SMTP_URL; the preview's prints the link in the terminal.
type Mailer interface {
	SendConfirmation(ctx context.Context, c Confirmation) error
}

// SignUpConfig configures the sign-up endpoints.
type SignUpConfig struct {
	Store  Store
	Mailer Mailer
	Signer *subscriber.Signer
	// Now is the server's clock: every event and every link's expiry is
	// read from it.
	Now func() time.Time
	// Links is the public address the links in emails start with, e.g.
	// https://lmc.example.org/ (site.yaml's baseURL behind a proxy, the
	// preview's own address in lmcpress serve).
	Links string
	// Site is what the pages show of the site: its title, menu and
	// contact details.
	Site SitePage
	// Consent and ConsentVersion are the form's statement, recorded with
	// each sign-up; Ask the optional questions it asks (role, practice,
	// areas); Areas the areas a subscriber may choose.
	Consent, ConsentVersion string
	Ask                     []string
	Areas                   []string
	// Templates holds page.html, confirm-email.txt and
	// confirm-email.html (the theme's templates/server, under the site's).
	Templates fs.FS
	// CapPerDay is how many confirmation emails one address may be sent
	// in 24 hours (default 3); PerIP how many sign-ups one client address
	// may post in RateWindow (default 10 in 10 minutes).
	CapPerDay  int
	PerIP      int
	RateWindow time.Duration
	// MinReply is the least time a good sign-up's reply takes (default
	// 50ms), so that its timing says nothing of the address; tests that
	// post many sign-ups set it lower.
	MinReply time.Duration
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed for the rate limit (limit.go); empty: none is.
	TrustedProxies []netip.Prefix
	Logger         *slog.Logger
}

// SitePage is the site as the server's pages show it.
type SitePage struct {
	Title, Language string
	Menu            []MenuLink
	Organisation    struct{ Name, PostalAddress, Phone, Email string }
}

// MenuLink is one link of the site's main menu.
type MenuLink struct{ Label, URL string }

// SignUp is the prepared sign-up endpoints: templates parsed, the rate
// limit's table and the queue of confirmation emails. Close it after the
// HTTP server has shut down, so that the emails of the last sign-ups go.
type SignUp struct {
	c      SignUpConfig
	log    *slog.Logger
	pages  *template.Template
	mails  *mailTemplates
	limit  *limiter
	out    *outbox
	cop    *http.CrossOriginProtection
	expiry time.Duration
}

const (
	// maxBody bounds a posted form; the fields' own limits are package
	// subscriber's (NormalizeEmail, CleanText).
	maxBody = 16 << 10
	// confirmFor is how long a confirmation link works.
	confirmFor = 7 * 24 * time.Hour
)

// NewSignUp checks c and prepares the endpoints. The email queue starts
// at once.
func NewSignUp(c SignUpConfig) (*SignUp, error) {
	if c.Store == nil || c.Mailer == nil || c.Signer == nil || c.Now == nil || c.Templates == nil {
		return nil, errors.New("server: sign-up needs a Store, Mailer, Signer, Now and Templates")
	}
	if u, err := url.Parse(c.Links); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server: the links' address %q is not an absolute http(s) address", c.Links)
	}
	if !strings.HasSuffix(c.Links, "/") {
		c.Links += "/"
	}
	if c.CapPerDay <= 0 {
		c.CapPerDay = 3
	}
	if c.PerIP <= 0 {
		c.PerIP = 10
	}
	if c.RateWindow <= 0 {
		c.RateWindow = 10 * time.Minute
	}
	if c.MinReply == 0 {
		c.MinReply = 50 * time.Millisecond
	}
	s := &SignUp{c: c, log: c.Logger, expiry: confirmFor}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if s.pages, err = parsePages(c.Templates); err != nil {
		return nil, err
	}
	if s.mails, err = parseMails(c.Templates); err != nil {
		return nil, err
	}
	s.cop = http.NewCrossOriginProtection()
	// Behind a proxy the browser's Origin is the public address.
	u, _ := url.Parse(c.Links)
	if err := s.cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
		return nil, fmt.Errorf("server: the links' address %q: %w", c.Links, err)
	}
	s.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("refused a form posted from another site", "route", r.Pattern, "origin", r.Header.Get("Origin"), "sec-fetch-site", r.Header.Get("Sec-Fetch-Site"))
		s.page(w, r, http.StatusForbidden, view{Page: "cross-site", Title: "This form was sent from another site"})
	}))
	s.limit = newLimiter(c.PerIP, c.RateWindow, maxClients)
	s.out = newOutbox(c.Mailer, s.log, outboxSize, outboxWorkers)
	return s, nil
}

// Close waits, until ctx ends, for the confirmation emails still queued to
// be sent; it says how many were not.
func (s *SignUp) Close(ctx context.Context) error { return s.out.close(ctx) }

// routes adds the sign-up endpoints to mux.
func (s *SignUp) routes(mux *http.ServeMux) {
	mux.Handle("POST /subscribe", s.cop.Handler(http.HandlerFunc(s.subscribe)))
	mux.HandleFunc("GET /confirm/{token}", s.confirmPage)
	mux.Handle("POST /confirm/{token}", s.cop.Handler(http.HandlerFunc(s.confirm)))
	mux.HandleFunc("GET /unsubscribe/{token}", s.unsubscribePage)
	// RFC 8058 one-click comes from a mail provider, or from webmail in a
	// browser with that site's Origin: unsubscribe checks the origin
	// itself, for a form that is not one-click.
	mux.HandleFunc("POST /unsubscribe/{token}", s.unsubscribe)
	mux.HandleFunc("GET /manage/{token}", s.managePage)
	mux.Handle("POST /manage/{token}", s.cop.Handler(http.HandlerFunc(s.manage)))
}

// form is what a sign-up posted, as typed: shown again with the problems.
type form struct {
	Email, Name, Role, Practice string
	Areas                       []string
}

// subscribe answers the sign-up form. Whatever the address (new, pending,
// confirmed, over its day's cap), a valid form gets the same page; the
// email goes out from the queue, off the request, so neither page nor
// timing says whether the address was known.
func (s *SignUp) subscribe(w http.ResponseWriter, r *http.Request) {
	if !s.limit.allow(s.clientKey(r), s.c.Now()) {
		s.log.Warn("sign-up refused: too many from one address", "client", s.clientKey(r).String())
		w.Header().Set("Retry-After", fmt.Sprint(int(s.c.RateWindow.Seconds())))
		s.page(w, r, http.StatusTooManyRequests, view{Page: "too-many", Title: "Too many sign-ups from here"})
		return
	}
	// The reply to a good sign-up goes no sooner than MinReply after the
	// request came in, whatever the store did: storing a new address
	// takes longer than finding a confirmed one (about 1 ms against
	// 0.3 ms on loopback), and that difference, measured over many tries,
	// would say who is on the list.
	floor := time.NewTimer(s.c.MinReply)
	defer floor.Stop()
	if !s.parseForm(w, r) {
		return
	}
	f := form{
		Email:    strings.TrimSpace(r.PostForm.Get("email")),
		Name:     strings.TrimSpace(r.PostForm.Get("name")),
		Role:     strings.TrimSpace(r.PostForm.Get("role")),
		Practice: strings.TrimSpace(r.PostForm.Get("practice")),
		Areas:    r.PostForm["areas"],
	}
	if r.PostForm.Get("website") != "" {
		// A person cannot see the field: a robot filled it. It gets the
		// page a person gets, and nothing is stored or sent.
		s.log.Info("sign-up dropped: the hidden field was filled", "client", s.clientKey(r).String())
		s.checkEmail(w, r, floor)
		return
	}
	sub, problems := s.validate(f)
	if len(problems) > 0 {
		s.page(w, r, http.StatusUnprocessableEntity, view{Page: "signup-problems", Title: "Check the form", Problems: problems, Form: f})
		return
	}
	now := s.c.Now()
	ev := subscriber.Event{Kind: subscriber.SignedUp, At: now, Source: subscriber.Web, Wording: s.c.Consent, Version: s.c.ConsentVersion}
	res, err := s.c.Store.SignUp(r.Context(), sub, ev, s.c.CapPerDay)
	if err != nil {
		if errors.Is(err, subscriber.ErrInvalid) {
			s.page(w, r, http.StatusUnprocessableEntity, view{Page: "signup-problems", Title: "Check the form", Problems: []string{"Check the email address: it does not look like one we can send to."}, Form: f})
			return
		}
		s.fail(w, r, "sign-up: store", err)
		return
	}
	if res.Send {
		c, err := s.confirmation(sub, res, now)
		if err != nil {
			s.fail(w, r, "sign-up: write the confirmation email", err)
			return
		}
		s.out.enqueue(c)
	}
	s.checkEmail(w, r, floor)
}

// checkEmail is the one reply to every good sign-up, sent once floor has
// fired (or the client has gone).
func (s *SignUp) checkEmail(w http.ResponseWriter, r *http.Request, floor *time.Timer) {
	select {
	case <-floor.C:
	case <-r.Context().Done():
	}
	s.page(w, r, http.StatusOK, view{Page: "check-email", Title: "Check your email"})
}

// parseForm reads a posted form of at most maxBody bytes, or answers with
// a friendly page and returns false.
func (s *SignUp) parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var err error
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/form-data") {
		err = r.ParseMultipartForm(maxBody)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		status := http.StatusBadRequest
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			status = http.StatusRequestEntityTooLarge
		}
		s.log.Info("form refused", "route", r.Pattern, "err", err)
		s.page(w, r, status, view{Page: "bad-form", Title: "The form could not be read"})
		return false
	}
	return true
}

// validate checks the form and makes the subscriber; problems are
// sentences for the visitor.
func (s *SignUp) validate(f form) (subscriber.Subscriber, []string) {
	var problems []string
	sub := subscriber.Subscriber{Status: subscriber.Pending}
	email, err := subscriber.NormalizeEmail(f.Email)
	switch {
	case f.Email == "":
		problems = append(problems, "Enter your email address.")
	case err != nil:
		problems = append(problems, "Enter an email address in the form name@example.nhs.net.")
	default:
		sub.Email = email
	}
	if sub.Name, err = subscriber.CleanText("name", f.Name); err != nil {
		problems = append(problems, fmt.Sprintf("Your name must be at most %d characters, without line breaks.", subscriber.MaxText))
	}
	if s.asks("role") {
		if sub.Role, err = subscriber.ParseRole(f.Role); err != nil {
			problems = append(problems, "Choose your role from the list.")
		}
	}
	if s.asks("practice") {
		if sub.Practice, err = subscriber.CleanText("practice", f.Practice); err != nil {
			problems = append(problems, fmt.Sprintf("The practice name must be at most %d characters, without line breaks.", subscriber.MaxText))
		}
	}
	if s.asks("areas") {
		areas, ok := s.areas(f.Areas)
		if !ok {
			problems = append(problems, "Choose areas from the list.")
		}
		sub.Areas = areas
	}
	return sub, problems
}

func (s *SignUp) asks(q string) bool { return slices.Contains(s.c.Ask, q) }

// areas checks chosen areas against the site's, each once, in the site's
// order.
func (s *SignUp) areas(chosen []string) ([]string, bool) {
	if len(chosen) > len(s.c.Areas) {
		return nil, false
	}
	var out []string
	for _, a := range s.c.Areas {
		if slices.Contains(chosen, a) {
			out = append(out, a)
		}
	}
	return out, len(out) == len(chosen) && !hasDuplicates(chosen)
}

func hasDuplicates(list []string) bool {
	seen := map[string]bool{}
	for _, v := range list {
		if seen[v] {
			return true
		}
		seen[v] = true
	}
	return false
}

// confirmation writes the confirmation email for a sign-up.
func (s *SignUp) confirmation(sub subscriber.Subscriber, res subscriber.SignUpResult, now time.Time) (Confirmation, error) {
	link := s.c.Links + "confirm/" + s.c.Signer.Sign(subscriber.PurposeConfirm, res.ID, res.Nonce, now.Add(s.expiry))
	c := Confirmation{To: mail.Address{Name: sub.Name, Address: sub.Email}, Link: link, Date: now, ID: res.ID,
		Subject: "Confirm your subscription to the " + s.c.Site.Title + " newsletter"}
	v := mailView{Site: s.c.Site, Name: sub.Name, Link: link, Expires: longDate(now.Add(s.expiry)), Consent: s.c.Consent}
	var err error
	if c.Text, c.HTML, err = s.mails.render(v); err != nil {
		return Confirmation{}, err
	}
	return c, nil
}

// fail logs err with where it happened and shows the visitor a friendly
// page that says nothing of it.
func (s *SignUp) fail(w http.ResponseWriter, r *http.Request, stage string, err error) {
	s.log.Error(stage, "route", r.Pattern, "err", err)
	s.page(w, r, http.StatusInternalServerError, view{Page: "error", Title: "Something went wrong"})
}
