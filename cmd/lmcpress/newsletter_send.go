package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"lmcpress/internal/content"
	"lmcpress/internal/email"
	"lmcpress/internal/flock"
	"lmcpress/internal/newsletter"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
)

// sendFlags are the flags of newsletter send and status.
type sendFlags struct {
	dryRun, yes bool
	rate        string
	connections int
	data        string
	links       string
}

func (f *sendFlags) register(fl *flagSet) {
	fl.BoolVar(&f.dryRun, "dry-run", false, "send: say what would be sent, and to whom first, and send nothing")
	fl.BoolVar(&f.yes, "yes", false, "send: do not ask for confirmation")
	fl.StringVar(&f.rate, "rate", "10/s", "send: at most `N/s` messages a second (or N/min, N/h; 0 for no limit): relays meter senders")
	fl.IntVar(&f.connections, "connections", 4, "send: how many SMTP connections at once, each reused for many messages")
	fl.StringVar(&f.data, "data", "", "send, status: the folder of the subscriber database (default ROOT/data)")
	fl.StringVar(&f.links, "links", "", "send: the public address of lmcpress server, which the unsubscribe links start with, as its own --links (default site.yaml's baseURL)")
}

var rateForm = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:/\s*(s|sec|second|m|min|minute|h|hour))?\s*$`)

// parseRate reads --rate: messages a second.
func parseRate(s string) (float64, error) {
	m := rateForm.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("newsletter send: --rate %q: give messages per second, minute or hour, e.g. --rate 10/s or --rate 300/min", s)
	}
	n, _ := strconv.ParseFloat(m[1], 64)
	switch m[2] {
	case "m", "min", "minute":
		n /= 60
	case "h", "hour":
		n /= 3600
	}
	return n, nil
}

var monthForm = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// dataDir is --data, by default ROOT/data.
func (f *sendFlags) dataDir(root string) string {
	if f.data == "" {
		return filepath.Join(root, "data")
	}
	return f.data
}

// openJournal opens the database that holds the list and the journal.
func openJournal(root string, f *sendFlags) (*sqlite.Store, error) {
	return sqlite.Open(filepath.Join(f.dataDir(root), "lmcpress.db"))
}

// lockSend makes sure no other send runs on the same database: two would
// each take the other's messages in flight for ones a killed send left,
// and send them again. The kernel drops the lock of a process that dies,
// so a killed send never blocks the next. The caller closes the file to
// let go.
func lockSend(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("newsletter send: %w", err)
	}
	name := filepath.Join(dir, "send.lock")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("newsletter send: %w", err)
	}
	ok, err := flock.Try(f)
	if err == nil && !ok {
		err = fmt.Errorf("another lmcpress newsletter send is running on %s (it holds %s): let it finish, or stop it, then run this again", filepath.Join(dir, "lmcpress.db"), name)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("newsletter send: %w", err)
	}
	return f, nil
}

// siteArea checks --area against site.yaml's areas and returns its name as
// site.yaml spells it.
func siteArea(cfg *content.Config, area string) (string, error) {
	if area == "" {
		return "", nil
	}
	var names []string
	for _, a := range cfg.Areas {
		if strings.EqualFold(a.Name, area) {
			return a.Name, nil
		}
		names = append(names, a.Name)
	}
	if len(names) == 0 {
		return "", fmt.Errorf("newsletter: --area %s: content/site.yaml lists no areas", area)
	}
	return "", fmt.Errorf("newsletter: --area %s is not one of content/site.yaml's areas: %s", area, strings.Join(names, ", "))
}

// runSend is lmcpress newsletter send MONTH.
func runSend(ctx context.Context, e *env, sf *siteFlags, f *sendFlags, month, area string) error {
	// What a typo would waste a build on is checked first.
	smtpCfg, err := email.ParseURL(e.getenv(email.EnvURL))
	if err != nil && !f.dryRun {
		return err
	}
	rate, err := parseRate(f.rate)
	if err != nil {
		return err
	}
	if f.connections < 1 || f.connections > 32 {
		return fmt.Errorf("newsletter send: --connections %d: give 1 to 32 (relays allow a client a few)", f.connections)
	}
	// A dry run sends nothing, so it needs none of the secrets: someone
	// checking the plan need not hold the server's secret, the relay's
	// password or the DKIM key. Those given are still checked.
	secret := e.getenv(EnvSecret)
	if secret == "" && !f.dryRun {
		return fmt.Errorf("newsletter send: set %s to the server's secret: each reader's unsubscribe link is signed with it, and lmcpress server checks it", EnvSecret)
	}
	var signer *subscriber.Signer
	if secret != "" {
		if signer, err = subscriber.NewSigner([]byte(secret)); err != nil {
			return fmt.Errorf("newsletter send: %s: %w", EnvSecret, err)
		}
	}
	// The content checks run here: patient data or a broken link in the
	// issue stops it before anyone is mailed.
	is, cfg, err := buildIssue(ctx, e, sf, month, area)
	if err != nil {
		return err
	}
	if area, err = siteArea(cfg, area); err != nil {
		return err
	}
	ident, err := issueMessage(cfg, e.now(), ".send")
	if err != nil {
		return err
	}
	dkimLater := f.dryRun && cfg.Newsletter.DKIM.Selector != "" && strings.TrimSpace(e.getenv(email.EnvDKIMKey)) == ""
	var dkim *email.DKIM
	if !dkimLater {
		if dkim, err = newsletterDKIM(cfg, e.getenv); err != nil {
			return fmt.Errorf("newsletter send: %w", err)
		}
	}
	if !f.dryRun {
		lock, err := lockSend(f.dataDir(sf.root))
		if err != nil {
			return err
		}
		defer lock.Close()
	}
	store, err := openJournal(sf.root, f)
	if err != nil {
		return err
	}
	defer store.Close()
	if secret != "" {
		if err := store.SetSecret(ctx, []byte(secret)); err != nil {
			return fmt.Errorf("newsletter send: %s: %w", EnvSecret, err)
		}
	}
	edition := newsletter.Edition(is.Month, area)
	counts, err := store.Count(ctx, subscriber.Confirmed, area)
	if err != nil {
		return err
	}
	confirmed := counts.ByStatus[subscriber.Confirmed]
	pending, err := store.Pending(ctx, edition, area)
	if err != nil {
		return err
	}
	before, err := store.SendCounts(ctx, edition)
	if err != nil {
		return err
	}
	where := "all areas"
	if area != "" {
		where = area + " edition"
	}
	if confirmed == 0 && before.Sent+before.FailedPermanent == 0 {
		fmt.Fprintf(e.stdout, "%s (%s): nothing to send: the list has no confirmed subscribers%s\n", is.Subject, where, map[bool]string{true: " in " + area, false: ""}[area != ""])
		return nil
	}
	if pending == 0 {
		fmt.Fprintf(e.stdout, "%s (%s): nothing to send: it has already gone to every confirmed subscriber (%s sent, %s refused for good; lmcpress newsletter status %s lists them)\n",
			is.Subject, where, thousands(before.Sent), thousands(before.FailedPermanent), is.Month)
		return nil
	}
	fmt.Fprintf(e.stdout, "%s to %s confirmed %s, %s\n", is.Subject, thousands(confirmed), pluralWord(confirmed, "subscriber"), where)
	if done := before.Sent + before.FailedPermanent; done > 0 {
		fmt.Fprintf(e.stdout, "resuming: %s already sent or refused, %s to go\n", thousands(done), thousands(pending))
	}
	if before.InFlight > 0 {
		fmt.Fprintf(e.stdout, "%s in flight when the last send was stopped: sent again now, though the server may already have accepted them (at most one per connection), so those readers may get two copies with the same Message-ID\n",
			plural(before.InFlight, "message"))
	}
	signed := "unsigned (no DKIM key)"
	if dkim != nil {
		signed = "DKIM-signed for " + dkim.Domain
	}
	if dkimLater {
		signed = fmt.Sprintf("DKIM-signed with selector %s once %s is set (a send needs it, a dry run does not)", cfg.Newsletter.DKIM.Selector, email.EnvDKIMKey)
	}
	limit := "no rate limit"
	if rate > 0 {
		limit = fmt.Sprintf("at most %s a second", strconv.FormatFloat(rate, 'f', -1, 64))
	}
	via := "(" + email.EnvURL + " not set)"
	if smtpCfg.Host != "" {
		via = smtpCfg.String()
	}
	fmt.Fprintf(e.stdout, "from %s, via %s, %d %s, %s, %s\n", ident.From.String(), via, f.connections, pluralWord(f.connections, "connection"), limit, signed)
	if f.dryRun {
		first, err := store.NextRecipients(ctx, edition, area, 10)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "first recipients:")
		for _, s := range first {
			fmt.Fprintf(e.stdout, "  %s (subscriber %d)\n", s.Email, s.ID)
		}
		fmt.Fprintln(e.stdout, "dry run: nothing sent")
		return nil
	}
	if !f.yes {
		fmt.Fprintf(e.stdout, "Send it to %s now? Type yes to send: ", thousands(pending))
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "yes" && a != "y" {
			fmt.Fprintln(e.stdout, "not sent")
			return nil
		}
	}
	pool := email.Pool{Server: smtpCfg, Connections: f.connections, Rate: rate, DKIM: dkim}
	m := &newsletter.Mailing{
		Issue: is, Area: area, From: ident.From, ReplyTo: ident.ReplyTo,
		Domain:   ident.MessageID[strings.LastIndexByte(ident.MessageID, '@')+1:],
		BaseURL:  cmp.Or(f.links, cfg.BaseURL),
		ListName: strings.TrimSpace(cfg.Organisation.Name + " newsletter"),
		Signer:   signer, Now: e.now,
		Sender: pool, Journal: store, Recipients: store,
	}
	progress := newSendProgress(e, pending)
	m.Progress = progress.update
	start := time.Now()
	rep, sendErr := m.Run(ctx)
	progress.finish()
	elapsed := time.Since(start)
	// Counted even when interrupted: the summary is what the person at
	// the keyboard needs then.
	ctx, interrupted := context.WithoutCancel(ctx), ctx.Err() != nil
	after, err := store.SendCounts(ctx, edition)
	if err != nil {
		return errors.Join(sendErr, err)
	}
	left, err := store.Pending(ctx, edition, area)
	if err != nil {
		return errors.Join(sendErr, err)
	}
	tried := rep.Sent + rep.Refused + rep.Deferred
	speed := ""
	if s := elapsed.Seconds(); s > 0 && tried > 0 {
		speed = fmt.Sprintf(", %.0f messages a second", float64(tried)/s)
	}
	fmt.Fprintf(e.stdout, "summary: %s sent, %s refused for good, %s deferred; %s skipped (already sent, or no longer confirmed); %s in %s%s\n",
		thousands(rep.Sent), thousands(rep.Refused), thousands(rep.Deferred), thousands(rep.Skipped),
		plural(rep.Email.Connections, "connection"), elapsed.Round(time.Millisecond), speed)
	if before.InFlight > 0 {
		fmt.Fprintf(e.stdout, "possible duplicates: %s from the stopped send\n", plural(before.InFlight, "message in flight"))
	}
	if rep.Suppressed > 0 {
		fmt.Fprintf(e.stdout, "suppressed: %s refused for good on this send and the one before, now unsubscribed\n", thousands(rep.Suppressed)+" "+map[bool]string{true: "address", false: "addresses"}[rep.Suppressed == 1])
	}
	fmt.Fprintf(e.stdout, "%s: %s sent, %s pending, %s refused for good\n", edition, thousands(after.Sent), thousands(left), thousands(after.FailedPermanent))
	var stopped *email.StoppedError
	switch {
	case errors.As(sendErr, &stopped):
		return fmt.Errorf("newsletter send paused itself: %w", sendErr)
	case sendErr != nil && interrupted:
		return fmt.Errorf("newsletter send interrupted: %s still to go; run it again to finish: %w", thousands(left), sendErr)
	case sendErr != nil:
		return sendErr
	case left > 0:
		fmt.Fprintf(e.stdout, "%s still to go (deferred by the server): run send again later to finish\n", thousands(left))
	default:
		fmt.Fprintln(e.stdout, "done: every confirmed subscriber has been sent the issue")
	}
	return nil
}

// runStatus is lmcpress newsletter status MONTH.
func runStatus(ctx context.Context, e *env, sf *siteFlags, f *sendFlags, month, area string) error {
	if !monthForm.MatchString(month) {
		return fmt.Errorf("newsletter status: %q is not a month: give YYYY-MM, e.g. 2016-12", month)
	}
	if area != "" {
		folders, err := openSite(sf.root)
		if err != nil {
			return err
		}
		cfg, err := content.LoadConfig(folders.content)
		folders.Close()
		if err != nil {
			return err
		}
		if area, err = siteArea(cfg, area); err != nil {
			return err
		}
	}
	store, err := openJournal(sf.root, f)
	if err != nil {
		return err
	}
	defer store.Close()
	edition := newsletter.Edition(month, area)
	c, err := store.SendCounts(ctx, edition)
	if err != nil {
		return err
	}
	pending, err := store.Pending(ctx, edition, area)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s sent, %s pending, %s failed (%s refused for good, %s deferred)\n", edition,
		thousands(c.Sent), thousands(pending), thousands(c.FailedPermanent+c.FailedTemporary), thousands(c.FailedPermanent), thousands(c.FailedTemporary))
	if c.InFlight > 0 {
		fmt.Fprintf(e.stdout, "%s in flight: a send is running, or was killed (its messages may have gone; the next send sends them again)\n", plural(c.InFlight, "message"))
	}
	fails, err := store.Deliveries(ctx, edition, subscriber.FailedPermanent, subscriber.FailedTemporary)
	if err != nil {
		return err
	}
	for _, d := range fails {
		who := d.Email
		if who == "" {
			who = "(erased)"
		}
		fmt.Fprintf(e.stdout, "  %s (subscriber %d): %s after %s: %s\n", who, d.Subscriber, d.State, plural(d.Attempts, "attempt"), oneLineReply(d.Reply))
	}
	return nil
}

func oneLineReply(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// sendProgress shows a send's progress: a bar with rate and time left on
// a terminal, else a line every tenth of the way (at most every 1,000).
type sendProgress struct {
	mu    sync.Mutex
	total int
	bar   *progressbar.ProgressBar
	out   io.Writer
	next  int
	step  int
	start time.Time
}

func newSendProgress(e *env, total int) *sendProgress {
	p := &sendProgress{total: total, out: e.stdout, start: time.Now()}
	if f, ok := e.stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("sending"),
				progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("msg"),
				progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish())
			return p
		}
	}
	p.step = min(max(total/10, 1), 1000)
	p.next = p.step
	return p
}

func (p *sendProgress) update(r newsletter.Report) {
	p.mu.Lock()
	defer p.mu.Unlock()
	done := r.Sent + r.Refused + r.Deferred
	if p.bar != nil {
		_ = p.bar.Set(min(done, p.total))
		return
	}
	if done < p.next {
		return
	}
	p.next = done + p.step
	rate := float64(done) / max(time.Since(p.start).Seconds(), 1e-3)
	eta := ""
	if left := float64(p.total-done) / rate; rate > 0 && left >= 1 {
		eta = fmt.Sprintf(", about %s left", (time.Duration(left * float64(time.Second))).Round(time.Second))
	}
	fmt.Fprintf(p.out, "%s of %s done (%d%%), %.0f a second%s\n", thousands(done), thousands(p.total), done*100/max(p.total, 1), rate, eta)
}

func (p *sendProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// thousands writes n with commas: 1,234.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func pluralWord(n int, one string) string {
	if n == 1 {
		return one
	}
	return one + "s"
}
