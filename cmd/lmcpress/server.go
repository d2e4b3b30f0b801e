package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/mail"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lmcpress"
	"lmcpress/internal/content"
	"lmcpress/internal/email"
	"lmcpress/internal/server"
	"lmcpress/internal/site"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
)

func init() {
	commands["server"] = command{"serve the built site and the newsletter sign-up on http://127.0.0.1:8080", runServer}
}

// EnvSecret holds the key of the signed links (and of the store's
// suppression hashes).
const EnvSecret = "LMCPRESS_SECRET"

// The public server's timeouts: a client must send its request, and read
// the answer, within these, so slow clients cannot hold connections open.
const (
	serverHeaderTimeout = 10 * time.Second
	serverReadTimeout   = 30 * time.Second
	serverWriteTimeout  = 30 * time.Second
	serverIdleTimeout   = 2 * time.Minute
	// shutdownGrace is how long requests in flight get to finish on
	// SIGTERM, and then the queued confirmation emails.
	shutdownGrace = 20 * time.Second
)

func runServer(ctx context.Context, e *env, args []string) error {
	fl := flags(e, "server",
		"Server serves the built site (ROOT/public, made by lmcpress build) and answers its newsletter sign-up form: double opt-in by a confirmation email sent through "+email.EnvURL+", signed confirm, unsubscribe (RFC 8058 one-click too) and manage links, the list kept in DATA/lmcpress.db. "+EnvSecret+" must hold at least 32 bytes (make one with: openssl rand -base64 48). On SIGTERM or Ctrl+C it finishes the requests in flight, then stops.",
		"server [--root DIR] [--data DIR] [--addr 127.0.0.1:8080] [--links URL] [--trust-proxy ADDR,...]")
	root := fl.String("root", ".", "the site folder: content/site.yaml and public/ (built by lmcpress build)")
	data := fl.String("data", "", "the folder of the subscriber database (default ROOT/data)")
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on; 127.0.0.1 keeps it on this computer, for a reverse proxy in front")
	links := fl.String("links", "", "the public address the links in emails start with (default site.yaml's baseURL)")
	trust := fl.String("trust-proxy", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For gives the client's address for the rate limit (default none: the connection's address is used)")
	var now nowFlag
	registerNow(fl, &now)
	if _, err := parse(fl, args); err != nil {
		return err
	}
	secret := []byte(e.getenv(EnvSecret))
	signer, err := subscriber.NewSigner(secret)
	if err != nil {
		return fmt.Errorf("server: %s: %w; set it in the server's environment and keep it: links in emails already sent need the same one", EnvSecret, err)
	}
	proxies, err := parseProxies(*trust)
	if err != nil {
		return err
	}
	smtpCfg, err := email.ParseURL(e.getenv(email.EnvURL))
	if err != nil {
		return fmt.Errorf("server: the confirmation emails need an SMTP server: %w", err)
	}
	folders, err := openSite(*root)
	if err != nil {
		return err
	}
	defer folders.Close()
	cfg, err := content.LoadConfig(folders.content)
	if err != nil {
		return err
	}
	// Signed as the newsletter is, where site.yaml and LMCPRESS_DKIM_KEY
	// say so: a domain that publishes a DKIM record expects all its mail
	// signed.
	dkim, err := newsletterDKIM(cfg, e.getenv)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	public, err := os.OpenRoot(filepath.Join(*root, "public"))
	if err == nil {
		_, err = public.Stat("index.html")
	}
	if err != nil {
		return fmt.Errorf("server: %s has no built site: run lmcpress build --root %s first", filepath.Join(*root, "public"), *root)
	}
	defer public.Close()
	if *data == "" {
		*data = filepath.Join(*root, "data")
	}
	store, err := sqlite.Open(filepath.Join(*data, "lmcpress.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.SetSecret(ctx, secret); err != nil {
		return err
	}
	clock := func() time.Time { return now.at(e) }
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	sc := signUpConfig(cfg, folders, *links)
	sc.Store, sc.Mailer, sc.Signer, sc.Now, sc.TrustedProxies, sc.Logger = store, smtpMailer{cfg: smtpCfg, site: cfg, dkim: dkim}, signer, clock, proxies, log
	su, err := server.NewSignUp(sc)
	if err != nil {
		return err
	}
	siteFS := public.FS()
	// AnyHost: behind a reverse proxy the Host is the public name; the
	// public site holds no drafts for another page to read.
	h := server.New(server.Options{Site: func() fs.FS { return siteFS }, SignUp: su, Hosts: server.AnyHost, Logger: log})
	ln, err := listen(*addr)
	if err != nil {
		su.Close(context.Background())
		return err
	}
	fmt.Fprintf(e.stdout, "Serving %s and the sign-up form at http://%s/ (Ctrl+C stops)\n", filepath.Join(*root, "public"), ln.Addr())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: serverHeaderTimeout, ReadTimeout: serverReadTimeout,
		WriteTimeout: serverWriteTimeout, IdleTimeout: serverIdleTimeout, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	purgeCtx, stopPurge := context.WithCancel(ctx)
	defer stopPurge() // before the store closes
	go purgePending(purgeCtx, store, clock, log)
	select {
	case err := <-served:
		su.Close(context.Background())
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(e.stdout, "Stopping: finishing the requests in flight")
	shut, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	errShut := srv.Shutdown(shut)
	if errShut != nil {
		errShut = fmt.Errorf("server: requests still running after %s: %w", shutdownGrace, errShut)
	}
	return errors.Join(errShut, su.Close(shut))
}

// signUpConfig is what the site decides of the sign-up endpoints: its
// title, menu and contact details on the pages, the form's consent and
// questions, the pages' templates from templates/server (the site's over
// the theme's), and links starting with links (default baseURL). The
// caller adds the store, mailer, signer and clock.
func signUpConfig(cfg *content.Config, folders *siteFolders, links string) server.SignUpConfig {
	if links == "" {
		links = cfg.BaseURL
	}
	themeTpl, _ := fs.Sub(lmcpress.Theme, "templates/server")
	siteTpl, _ := fs.Sub(folders.templates, "server")
	page := server.SitePage{Title: cfg.Title, Language: cfg.Language}
	for _, m := range cfg.Menu {
		page.Menu = append(page.Menu, server.MenuLink{Label: m.Label, URL: m.URL})
	}
	o := cfg.Organisation
	page.Organisation.Name, page.Organisation.PostalAddress, page.Organisation.Phone, page.Organisation.Email = o.Name, o.PostalAddress, o.Phone, o.Email
	var areas []string
	for _, a := range cfg.Areas {
		areas = append(areas, a.Name)
	}
	su := cfg.Newsletter.Signup
	return server.SignUpConfig{
		Links: links, Site: page,
		Consent: su.Consent, ConsentVersion: su.ConsentVersion(), Ask: su.Ask, Areas: areas,
		Templates: site.Overlay{siteTpl, themeTpl},
		MinReply:  signupMinReply,
	}
}

// signupMinReply is the sign-up reply's floor (server.SignUpConfig's
// MinReply); zero leaves the server's own 50 ms. Only a test that stops a
// server with sign-ups in flight lengthens it (TestMain reads
// LMCPRESS_TEST_MIN_REPLY when the test binary runs as lmcpress), so that
// on a busy machine every request has been read before any is answered.
var signupMinReply time.Duration

// parseProxies reads --trust-proxy: addresses or CIDR ranges, by commas.
func parseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("server: --trust-proxy %q: not an address or CIDR range, e.g. 127.0.0.1 or 10.0.0.0/8", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// smtpMailer sends each confirmation email through the server in
// LMCPRESS_SMTP_URL, from the newsletter's identity in site.yaml, with
// email.Pool's retries: a server that answers "try again later" (421, a
// greylisting 451) gets the email again a few seconds on, rather than the
// person never hearing from us.
type smtpMailer struct {
	cfg  email.Config
	site *content.Config
	dkim *email.DKIM // nil: unsigned
}

// confirmationTries is how often one confirmation email is tried, 2s,
// then 4s apart: within the minute the queue gives each email.
const confirmationTries = 3

func (m smtpMailer) SendConfirmation(ctx context.Context, c server.Confirmation) error {
	msg, err := confirmationMessage(m.site, c)
	if err != nil {
		return err
	}
	pool := email.Pool{Server: m.cfg, Connections: 1, Attempts: confirmationTries, Backoff: 2 * time.Second, MaxBackoff: 10 * time.Second, MaxFailures: confirmationTries, DKIM: m.dkim}
	var res email.Result
	_, err = pool.Send(ctx, func(yield func(email.Message) bool) { yield(msg) }, func(r email.Result) error {
		res = r
		return nil
	})
	switch {
	case err != nil:
		return err
	case res.Outcome != email.Accepted:
		return fmt.Errorf("confirmation email %s %s after %d tries: %w", msg.MessageID, res.Outcome, res.Attempts, res.Err)
	}
	return nil
}

// confirmationMessage is c as an email from the newsletter's sender.
func confirmationMessage(cfg *content.Config, c server.Confirmation) (email.Message, error) {
	msg, err := issueMessage(cfg, c.Date, fmt.Sprintf(".%d.%d", c.ID, c.Date.UnixNano()))
	if err != nil {
		return email.Message{}, err
	}
	msg.MessageID = "confirm" + msg.MessageID
	msg.To = []mail.Address{c.To}
	msg.Subject, msg.Text, msg.HTML = c.Subject, c.Text, c.HTML
	return msg, nil
}

// printMailer is the preview's: it sends nothing and prints the link, so
// staff can try the whole journey on their own computer.
type printMailer struct{ out io.Writer }

func (m printMailer) SendConfirmation(_ context.Context, c server.Confirmation) error {
	_, err := fmt.Fprintf(m.out, "Sign-up of %s: the confirmation email is not sent by the preview; open %s\n", c.To.Address, c.Link)
	return err
}

// purgePending deletes, at start and then every hour, the sign-ups nobody
// confirmed within sqlite.PendingKept: addresses anyone could have typed,
// held with no consent. The hour is a schedule, not a date that decides
// anything; which sign-ups go is decided by the run's clock.
func purgePending(ctx context.Context, store *sqlite.Store, now func() time.Time, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		n, err := store.PurgePending(ctx, now().Add(-sqlite.PendingKept))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("purge unconfirmed sign-ups", "err", err)
		case n > 0:
			log.Info("purged unconfirmed sign-ups", "count", n, "older than", sqlite.PendingKept)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
