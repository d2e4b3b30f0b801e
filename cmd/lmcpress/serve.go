package main

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"lmcpress/internal/cache"
	"lmcpress/internal/check"
	"lmcpress/internal/content"
	"lmcpress/internal/livereload"
	"lmcpress/internal/server"
	"lmcpress/internal/site"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
	"lmcpress/internal/watch"
)

func runServe(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := flags(e, "serve",
		"Serve builds the site in memory and serves it for preview on this computer; every save rebuilds what it touches and reloads the open pages, and a mistake is shown on them. ROOT/public is not touched.",
		"serve [--root DIR] [--addr 127.0.0.1:1313] [--drafts] [--future] [--expired] [--now DATE]")
	sf.register(fl)
	addr := fl.String("addr", "127.0.0.1:1313", "address to listen on; 127.0.0.1 keeps the preview on this computer")
	if _, err := parse(fl, args); err != nil {
		return err
	}
	folders, err := openSite(sf.root)
	if err != nil {
		return err
	}
	defer folders.Close() // after the checks below have stopped
	ctx, cancel := context.WithCancel(ctx)
	pv := &preview{sf: sf, folders: folders, out: e.stdout, broker: livereload.New(), ctx: ctx, checkDelay: 750 * time.Millisecond,
		now: func() time.Time { return sf.now.at(e) }}
	// The first build of each reset takes what it can from the cache that
	// lmcpress build keeps for ROOT/public, and leaves what it made there.
	pv.openCache = func() (*cache.File, func()) {
		c := openCache(e, filepath.Join(sf.root, "public"))
		return c, func() { closeCache(e, c) }
	}
	// A rebuild in progress when serve stops is waited for: it reads the
	// folders closed below and writes the build cache into ROOT.
	var rebuilding sync.WaitGroup
	defer func() {
		cancel()
		rebuilding.Wait()
		pv.checks.Wait() // a check in progress stops at its next step
	}()
	if err := pv.reset(); err != nil {
		return err // no site.yaml or no content/: nothing to preview
	}

	ln, err := listen(*addr)
	if err != nil {
		return err
	}
	where := "http://" + ln.Addr().String() + "/"
	hosts := server.Loopback // names a page elsewhere cannot take: see server.Hosts
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); host == "127.0.0.1" || host == "::1" {
		fmt.Fprintf(e.stdout, "Previewing at %s (only on this computer; press Ctrl+C to stop)\n", where)
	} else {
		hosts = server.Addresses
		fmt.Fprintf(e.stdout, "Previewing at %s: other computers on the network can see it too, by this computer's address (press Ctrl+C to stop)\n", where)
	}

	roots := []string{filepath.Join(sf.root, "content"), filepath.Join(sf.root, "templates"), filepath.Join(sf.root, "static")}
	w, err := watch.New(roots, 15*time.Millisecond)
	if err != nil {
		return fmt.Errorf("watch %s: %w", sf.root, err)
	}
	go w.Run(ctx)
	rebuilding.Add(1)
	go func() {
		defer rebuilding.Done()
		for {
			select {
			case batch, ok := <-w.Batches():
				if !ok {
					return
				}
				pv.rebuild(batch)
			case err := <-w.Errors():
				fmt.Fprintf(e.stderr, "watching: %v (changes may be missed; restart lmcpress serve)\n", err)
			case <-ctx.Done():
				return
			}
		}
	}()

	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	su, closeSignUp, err := previewSignUp(folders, pv.now, where, log, e.stdout)
	if err != nil {
		ln.Close()
		return err
	}
	defer closeSignUp()
	h := server.New(server.Options{Site: pv.siteFS, Reload: pv.broker, Newsletters: previewNewsletters{pv}, SignUp: su, Hosts: hosts, Logger: log})
	// No WriteTimeout: the event stream is one response as long as the
	// page is open (the broker gives each of its writes a deadline).
	srv := &http.Server{Handler: h, ReadHeaderTimeout: previewHeaderTimeout, IdleTimeout: previewIdleTimeout}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// A request's headers must arrive within previewHeaderTimeout, and a
// connection kept alive with no request is closed after previewIdleTimeout,
// so a tab or a script holding connections open cannot pile them up.
var previewHeaderTimeout, previewIdleTimeout = 10 * time.Second, 60 * time.Second

// listen opens addr, or says which nearby port is free when it is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	if !errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	host, port, _ := net.SplitHostPort(addr)
	n, _ := strconv.Atoi(port)
	for p := n + 1; p > 1 && p < n+20 && p < 65536; p++ {
		try := net.JoinHostPort(host, strconv.Itoa(p))
		if l, err := net.Listen("tcp", try); err == nil {
			l.Close()
			return nil, fmt.Errorf("%s is already in use (is another lmcpress serve running?): stop it, or use the next free port with --addr %s", addr, try)
		}
	}
	return nil, fmt.Errorf("%s is already in use (is another lmcpress serve running?): stop it, or choose another port with --addr", addr)
}

// preview is the live site: a Builder, rebuilt on every batch of changes.
// After each good build the content checks run in the background and their
// findings go to the open pages as a "warnings" event.
type preview struct {
	sf      siteFlags
	folders *siteFolders     // every file is read from these
	now     func() time.Time // what is published is decided at each reset
	out     interface{ Write([]byte) (int, error) }
	broker  *livereload.Broker
	ctx     context.Context // the server's: cancelled when it stops
	// checkDelay is how long a check waits after a build before it starts,
	// so that the reloading pages are served first and a burst of saves
	// costs one check.
	checkDelay time.Duration
	checks     sync.WaitGroup
	// openCache opens the build cache for a full build, or returns nil;
	// the function returned puts it back. Nil: no cache.
	openCache func() (*cache.File, func())

	mu      sync.Mutex
	b       *site.Builder
	opts    site.Options // b's
	failing bool
	good    bool // a build has succeeded: b serves a site (see siteFS)
	// The content check: gen counts builds, so a check started for an
	// older one is dropped; stopCheck cancels the one running; checkWanted
	// asks the running loop for one more.
	gen          uint64
	checkRunning bool
	checkWanted  bool
	stopCheck    context.CancelFunc
}

// siteFS is what the preview serves: the site as last built, or, until a
// build has succeeded, a page saying so on every address, which carries
// the overlay listing what stopped the build and reloads once it is
// fixed (a bare "404 page not found" said nothing of either).
func (pv *preview) siteFS() fs.FS {
	pv.mu.Lock()
	defer pv.mu.Unlock()
	if !pv.good {
		return notBuilt
	}
	return pv.b.FS()
}

//go:embed notbuilt/404.html
var notBuiltFiles embed.FS

// notBuilt serves notbuilt/404.html for every address, as 404.html.
var notBuilt = func() fs.FS {
	sub, err := fs.Sub(notBuiltFiles, "notbuilt")
	if err != nil {
		panic(err) // the embedded folder is always there
	}
	return sub
}()

func (pv *preview) current() *site.Builder {
	pv.mu.Lock()
	defer pv.mu.Unlock()
	return pv.b
}

// reset reads site.yaml again and builds everything with a new Builder.
func (pv *preview) reset() error {
	start := time.Now()
	o, err := pv.sf.options(pv.now(), pv.folders)
	if err != nil {
		pv.fail(err, start)
		return err
	}
	bo := o
	if pv.openCache != nil {
		// The full build takes what it can from the build cache; later
		// rebuilds keep their work in memory (StopCaching).
		c, done := pv.openCache()
		defer done()
		if c != nil {
			bo.Cache = c
		}
	}
	b := site.NewBuilder(bo)
	pv.mu.Lock()
	old, oldOpts := pv.b, pv.opts
	pv.b, pv.opts = b, o
	pv.mu.Unlock()
	res, err := b.Rebuild(nil)
	b.StopCaching()
	if err != nil {
		if old != nil {
			pv.mu.Lock()
			pv.b, pv.opts = old, oldOpts // keep serving the last good site
			pv.mu.Unlock()
		}
		pv.fail(err, start)
		return nil
	}
	pv.succeed(res, start, true)
	return nil
}

// rebuild handles a batch of changed paths from the watcher.
func (pv *preview) rebuild(batch []string) {
	start := time.Now()
	var rel []string
	for _, p := range batch {
		r, err := filepath.Rel(pv.sf.root, p)
		if err != nil {
			continue
		}
		r = filepath.ToSlash(r)
		if r == "content/"+content.ConfigFile {
			_ = pv.reset()
			return
		}
		rel = append(rel, r)
	}
	pv.mu.Lock()
	b := pv.b
	pv.mu.Unlock()
	res, err := b.Rebuild(rel)
	if err != nil {
		pv.fail(err, start)
		return
	}
	pv.succeed(res, start, false)
}

func (pv *preview) succeed(res *site.Result, start time.Time, full bool) {
	took := time.Since(start).Round(time.Millisecond)
	pv.mu.Lock()
	wasFailing, hadGood := pv.failing, pv.good
	pv.failing, pv.good = false, true
	pv.mu.Unlock()

	if full {
		fmt.Fprintf(pv.out, "Built %d pages in %s\n", res.Pages, took)
		for _, n := range res.Notes { // as build says them, once a full build
			fmt.Fprintf(pv.out, "info: %s\n", check.Mask(n))
		}
	} else if len(res.Written)+len(res.Removed) > 0 || wasFailing {
		fmt.Fprintf(pv.out, "Rebuilt in %s: %d pages rendered, %d files changed\n", took, res.Rendered, len(res.Written)+len(res.Removed))
	}
	switch {
	case !hadGood:
		// Open pages show notBuilt, whatever the build wrote: reload them.
		pv.broker.Notify(livereload.Event{Type: "reload"})
	case len(res.Written)+len(res.Removed) == 0:
		if wasFailing {
			pv.broker.Notify(livereload.Event{Type: "ok"})
		}
	case cssOnly(res):
		pv.broker.Notify(livereload.Event{Type: "css"})
	default:
		pv.broker.Notify(livereload.Event{Type: "reload"})
	}
	pv.check(true)
}

func cssOnly(res *site.Result) bool {
	if len(res.Removed) > 0 {
		return false
	}
	for _, w := range res.Written {
		if !livereload.IsCSS(w) {
			return false
		}
	}
	return true
}

// fail shows a build error in the terminal and on every open page.
func (pv *preview) fail(err error, start time.Time) {
	pv.mu.Lock()
	pv.failing = true
	pv.mu.Unlock()
	pv.check(false) // what a running check finds is about files now broken
	err = check.Explain(err)
	fmt.Fprintf(pv.out, "The site could not be rebuilt; the last good version is still served:\n%v\n", err)
	pv.broker.Notify(livereload.ErrorEvent(problem(pv.sf.root, err)))
}

// problem turns build errors (in check's words: see check.Explain) into
// what the overlay shows: each error with its file, line, column and the
// lines around it.
func problem(root string, err error) livereload.Problem {
	list := content.Each(err)
	p := livereload.Problem{}
	for i, e := range list {
		if i == content.MaxReported {
			p.Errors = append(p.Errors, livereload.Detail{Message: fmt.Sprintf("... and %d more errors", len(list)-i)})
			break
		}
		var ce *content.Error
		if errors.As(e, &ce) {
			d := livereload.Detail{File: check.Mask(ce.File), Line: ce.Line, Column: ce.Column, Message: check.Mask(ce.Msg)}
			d.Source = excerpt(root, ce.File, ce.Line)
			p.Errors = append(p.Errors, d)
			continue
		}
		p.Errors = append(p.Errors, livereload.Detail{Message: check.Mask(e.Error())})
	}
	switch n := len(list); {
	case n == 1 && p.Errors[0].File != "":
		p.Summary = fmt.Sprintf("There is a problem in %s.", p.Errors[0].File) // masked above
	case n == 1:
		p.Summary = "There is a problem in the site."
	default:
		p.Summary = fmt.Sprintf("There are %d problems in the site.", n)
	}
	return p
}

// excerpt reads the lines around line from file (as the error names it,
// relative to root), patient data masked as the terminal's messages mask
// it: the overlay is remembered and sent to every page that opens, and a
// browser is another place it may be seen. The whole file is masked, not
// the lines alone, since a date of birth is one only with a name in the
// same paragraph. The file is read through an os.Root of the site's
// folder, as the build reads it, so an excerpt never shows a file outside.
func excerpt(root, file string, line int) []livereload.Source {
	if line <= 0 {
		return nil
	}
	site, err := os.OpenRoot(root)
	if err != nil {
		return nil
	}
	defer site.Close()
	data, err := site.ReadFile(filepath.FromSlash(file))
	if err != nil || len(data) > content.MaxFileSize {
		return nil
	}
	lines := strings.Split(check.Mask(string(data)), "\n")
	var out []livereload.Source
	for n := max(1, line-2); n <= min(len(lines), line+2); n++ {
		out = append(out, livereload.Source{Number: n, Text: strings.TrimRight(lines[n-1], "\r"), Bad: n == line})
	}
	return out
}

// check starts the content checks of the site as just built, in the
// background, after the build's own events have gone out; want false only
// drops the check in progress. One check runs at a time: a build while one
// runs cancels it and another runs after it, for the newest build only.
func (pv *preview) check(want bool) {
	pv.mu.Lock()
	defer pv.mu.Unlock()
	pv.gen++
	if pv.stopCheck != nil {
		pv.stopCheck()
	}
	pv.checkWanted = want
	if !want || pv.checkRunning {
		return
	}
	pv.checkRunning = true
	pv.checks.Add(1)
	go pv.runChecks()
}

func (pv *preview) runChecks() {
	defer pv.checks.Done()
	for {
		pv.mu.Lock()
		if !pv.checkWanted || pv.ctx.Err() != nil {
			pv.checkRunning = false
			pv.mu.Unlock()
			return
		}
		pv.checkWanted = false
		gen, o := pv.gen, pv.opts
		ctx, cancel := context.WithCancel(pv.ctx)
		pv.stopCheck = cancel
		pv.mu.Unlock()

		ev, ok := pv.runCheck(ctx, o)
		cancel()
		pv.mu.Lock()
		if ok && gen == pv.gen {
			pv.broker.Notify(ev) // under mu: no newer build can slip in between
		}
		pv.mu.Unlock()
	}
}

// runCheck waits checkDelay, then checks the site as o builds it (without
// requesting external links) and makes the "warnings" event; ok is false
// when ctx was cancelled first.
func (pv *preview) runCheck(ctx context.Context, o site.Options) (ev livereload.Event, ok bool) {
	t := time.NewTimer(pv.checkDelay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return ev, false
	}
	rep, err := check.Site(ctx, withShortcodes(check.Options{
		Content:    o.Content,
		Config:     o.Config,
		Templates:  o.Templates,
		Static:     o.Static,
		Visibility: o.Visibility,
	}))
	if err != nil || ctx.Err() != nil {
		return ev, false
	}
	return warningsEvent(rep), true
}

// warningsEvent turns a check report into what the warnings panel shows,
// patient data quoted in a finding (a heading's text, say) masked.
func warningsEvent(rep *check.Report) livereload.Event {
	w := livereload.Warnings{Count: len(rep.Findings), Errors: rep.Summary.Errors}
	for i, f := range rep.Findings {
		if i == livereload.MaxWarnings {
			break
		}
		w.Findings = append(w.Findings, livereload.Warning{
			File: check.Mask(f.File), Line: f.Line, Column: f.Column, Severity: string(f.Severity),
			Rule: f.Rule, Message: check.Mask(f.Message), Hint: check.Mask(f.Hint),
		})
	}
	return livereload.WarningsEvent(w)
}

// previewSignUps is the preview's rate limit: sign-ups from one client in
// ten minutes.
const previewSignUps = 1000

// previewSignUp makes the sign-up form work in the preview: against a
// throwaway database in a temporary folder (removed by the function
// returned) and a random secret, with the confirmation link printed in
// the terminal instead of emailed. Nil, with a note, when site.yaml does
// not load: the preview shows that error itself.
func previewSignUp(folders *siteFolders, now func() time.Time, where string, log *slog.Logger, out io.Writer) (*server.SignUp, func(), error) {
	cfg, err := content.LoadConfig(folders.content)
	if err != nil {
		return nil, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "lmcpress-preview-subscribers-")
	if err != nil {
		return nil, nil, fmt.Errorf("serve: a folder for the preview's sign-ups: %w", err)
	}
	store, err := sqlite.Open(filepath.Join(dir, "lmcpress.db"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("serve: the preview's sign-ups: %w", err)
	}
	secret := []byte(rand.Text() + rand.Text())
	signer, err := subscriber.NewSigner(secret)
	if err == nil {
		err = store.SetSecret(context.Background(), secret)
	}
	var su *server.SignUp
	if err == nil {
		sc := signUpConfig(cfg, folders, where)
		sc.Store, sc.Mailer, sc.Signer, sc.Now, sc.Logger = store, printMailer{out}, signer, now, log
		// Staff trying the form over and over are one client.
		sc.PerIP = previewSignUps
		su, err = server.NewSignUp(sc)
	}
	if err != nil {
		store.Close()
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("serve: the preview's sign-ups: %w", err)
	}
	fmt.Fprintln(out, "The sign-up form works here: the confirmation link is printed below instead of emailed, and the list is thrown away when the preview stops.")
	return su, func() {
		if err := su.Close(context.Background()); err != nil {
			log.Error("preview sign-ups", "err", err)
		}
		store.Close()
		os.RemoveAll(dir)
	}, nil
}
