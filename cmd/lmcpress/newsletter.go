package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lmcpress"
	"lmcpress/internal/check"
	"lmcpress/internal/content"
	"lmcpress/internal/email"
	"lmcpress/internal/markdown"
	"lmcpress/internal/newsletter"
	"lmcpress/internal/site"
)

func init() {
	commands["newsletter"] = command{"build, preview or test-send a month's newsletter email: lmcpress newsletter build 2016-12", runNewsletter}
}

func runNewsletter(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := flags(e, "newsletter",
		"Newsletter checks and renders a month's issue: the editorial in content/newsletters/, the month's news and the advice and guidance changed that month, as an HTML email and a text part; preview also writes them, with an .eml, to a folder; test sends one copy, its subject starting \"[TEST] \", to one address through the SMTP server in "+email.EnvURL+" (smtp://user:pass@host:587, STARTTLS required; smtps:// for implicit TLS). A test copy's unsubscribe link is the site's home page (baseURL), not a working unsubscribe address. send mails the issue to every confirmed subscriber (an area's only, with --area), each with their own unsubscribe link, recording each message in the send journal in DATA/lmcpress.db: a send stopped at any point and run again finishes the rest and mails nobody twice but the few messages in flight when it was stopped; it needs "+EnvSecret+" (the server's, which signs the unsubscribe links). status shows the journal: sent, pending and failed, with the server's replies.",
		"newsletter build [MONTH] | newsletter preview MONTH [--out DIR] | newsletter test MONTH --to ADDRESS | newsletter send MONTH [--area X] [--dry-run] [--rate 10/s] [--connections 4] [--yes] | newsletter status MONTH [--area X]  (MONTH is 2016-12; build's default is the newest issue)")
	sf.register(fl)
	var sendf sendFlags
	sendf.register(fl)
	area := fl.String("area", "", "build the issue for one area (items for everyone and for that area)")
	out := fl.String("out", "", "preview: the folder to write the files to (default newsletter-MONTH in the site folder)")
	to := fl.String("to", "", "test: the one `ADDRESS` to send the test copy to, e.g. someone@example.org")
	pos, err := parse(fl, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || pos[0] != "build" && pos[0] != "preview" && pos[0] != "test" && pos[0] != "send" && pos[0] != "status" {
		return fmt.Errorf("newsletter: say build, preview, test, send or status, e.g. lmcpress newsletter build 2016-12")
	}
	verb := pos[0]
	if len(pos) > 2 {
		return fmt.Errorf("newsletter %s: one month at most, got %s", verb, strings.Join(pos[1:], " "))
	}
	month := ""
	if len(pos) == 2 {
		month = pos[1]
	}
	if verb != "build" && month == "" {
		return fmt.Errorf("newsletter %s: say which month, e.g. lmcpress newsletter %s 2016-12", verb, verb)
	}
	switch verb {
	case "send":
		return runSend(ctx, e, &sf, &sendf, month, *area)
	case "status":
		return runStatus(ctx, e, &sf, &sendf, month, *area)
	}
	var rcpt *mail.Address
	var smtpCfg email.Config
	if verb == "test" {
		// Both are checked before anything is built, so a typo costs
		// nothing. email's errors already name the setting to fix.
		if rcpt, err = testRecipient(*to); err != nil {
			return err
		}
		if smtpCfg, err = email.ParseURL(e.getenv(email.EnvURL)); err != nil {
			return err
		}
	}
	is, cfg, err := buildIssue(ctx, e, &sf, month, *area)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s (%s)\n", is.Month, is.Subject, plural(len(is.Items), "item"))
	for _, p := range is.Items {
		fmt.Fprintf(e.stdout, "  content/%s: %s\n", p.File, p.Title)
	}
	fmt.Fprintf(e.stdout, "HTML part: %s (limit %s); text part: %s\n", content.HumanSize(int64(len(is.HTML))), content.HumanSize(newsletter.MaxHTML), content.HumanSize(int64(len(is.Text))))
	if verb == "build" {
		return nil
	}
	if verb == "test" {
		d, err := newsletterDKIM(cfg, e.getenv)
		if err != nil {
			return fmt.Errorf("newsletter test: %w", err)
		}
		return sendTest(ctx, e, smtpCfg, d, is, cfg, *rcpt, sf.now.at(e))
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join(sf.root, "newsletter-"+is.Month)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("newsletter preview: %w", err)
	}
	eml, err := previewEML(is, cfg, sf.now.at(e))
	if err != nil {
		return err
	}
	for _, f := range []struct{ name, body string }{{is.Month + ".eml", eml}, {is.Month + ".html", is.HTML}, {is.Month + ".txt", is.Text}} {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte(f.body), 0o644); err != nil {
			return fmt.Errorf("newsletter preview: %w", err)
		}
		fmt.Fprintln(e.stdout, p)
	}
	return nil
}

// previewEML is the issue as one message from the newsletter's sender to
// itself, dated at the build's clock; the footer keeps its unsubscribe
// placeholder, which sending fills in per recipient.
func previewEML(is *newsletter.Issue, cfg *content.Config, date time.Time) (string, error) {
	msg, err := issueMessage(cfg, date, ".preview")
	if err != nil {
		return "", err
	}
	msg.To = []mail.Address{msg.From}
	msg.Subject, msg.Text, msg.HTML = is.Subject, is.Text, is.HTML
	msg.MessageID = is.Month + msg.MessageID
	var b strings.Builder
	if err := email.WriteEML(&b, msg); err != nil {
		return "", fmt.Errorf("newsletter preview: %w", err)
	}
	return b.String(), nil
}

// issueMessage is the part of every copy of an issue that site.yaml's
// newsletter: settings decide: From, Reply-To, and a Message-ID on the
// LMC's domain (newsletter: domain:, else From's), whose local part is tag
// for the caller to prefix with the month.
func issueMessage(cfg *content.Config, date time.Time, tag string) (email.Message, error) {
	from, err := mail.ParseAddress(cfg.Newsletter.From)
	if err != nil {
		return email.Message{}, fmt.Errorf("content/site.yaml: newsletter: from: %q: %w: give a name and address, e.g. \"Northfield LMC <news@example.org>\"", cfg.Newsletter.From, err)
	}
	msg := email.Message{From: *from, Date: date}
	if cfg.Newsletter.ReplyTo != "" {
		if msg.ReplyTo, err = mail.ParseAddress(cfg.Newsletter.ReplyTo); err != nil {
			return email.Message{}, fmt.Errorf("content/site.yaml: newsletter: replyTo: %q: %w: give one address, e.g. office@example.org", cfg.Newsletter.ReplyTo, err)
		}
	}
	domain := cfg.Newsletter.Domain
	if domain == "" {
		domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	}
	msg.MessageID = tag + "@" + domain
	return msg, nil
}

// testRecipient reads --to: exactly one address.
func testRecipient(to string) (*mail.Address, error) {
	if strings.TrimSpace(to) == "" {
		return nil, fmt.Errorf("newsletter test: say who gets the test copy, e.g. --to someone@example.org")
	}
	a, err := mail.ParseAddress(to)
	if err != nil {
		return nil, fmt.Errorf("newsletter test: --to %q: %w: give one address, e.g. --to someone@example.org", to, err)
	}
	return a, nil
}

// sendTest sends one copy of the issue to rcpt through the server in
// LMCPRESS_SMTP_URL (smtpCfg), its subject starting "[TEST] " so nobody mistakes it
// for the real issue. Its unsubscribe link is the site's home page: a test
// copy has no subscriber to unsubscribe, and the placeholder would be a
// broken link in the reader's mail program. The email package's errors
// already name the server and the setting to fix, so they pass through.
func sendTest(ctx context.Context, e *env, smtpCfg email.Config, d *email.DKIM, is *newsletter.Issue, cfg *content.Config, rcpt mail.Address, date time.Time) error {
	msg, err := issueMessage(cfg, date, ".test."+date.UTC().Format("20060102T150405.000000000Z"))
	if err != nil {
		return err
	}
	msg.To = []mail.Address{rcpt}
	msg.Subject = "[TEST] " + is.Subject
	msg.MessageID = is.Month + msg.MessageID
	msg.Text = strings.ReplaceAll(is.Text, newsletter.UnsubscribePlaceholder, cfg.BaseURL)
	msg.HTML = strings.ReplaceAll(is.HTML, newsletter.UnsubscribePlaceholder, cfg.BaseURL)
	c, err := email.Dial(ctx, smtpCfg)
	if err != nil {
		return err
	}
	if err := c.SendSigned(ctx, msg, d); err != nil {
		c.Close()
		return err
	}
	if err := c.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "sent %q to %s via %s\n", msg.Subject, rcpt.String(), smtpCfg.Addr())
	if d != nil {
		fmt.Fprintf(e.stdout, "signed with DKIM for %s: receivers check it against the TXT record of %s._domainkey.%s\n", d.Domain, d.Selector, d.Domain)
	}
	return nil
}

// buildIssue runs the content checks, then builds the issue. A finding that
// stops a build (patient data, a broken link) in the issue's file or in one
// of its items stops the newsletter too.
func buildIssue(ctx context.Context, e *env, sf *siteFlags, month, area string) (*newsletter.Issue, *content.Config, error) {
	folders, err := openSite(sf.root)
	if err != nil {
		return nil, nil, err
	}
	defer folders.Close()
	return issueIn(ctx, folders, sf.visibility(sf.now.at(e)), month, area, e.stdout)
}

// issueIn is buildIssue on folders already open (serve's), with what is
// published decided by v; warnings in the issue's files go to warn.
func issueIn(ctx context.Context, folders *siteFolders, v content.Visibility, month, area string, warn io.Writer) (*newsletter.Issue, *content.Config, error) {
	cfg, err := content.LoadConfig(folders.content)
	if err != nil {
		return nil, nil, err
	}
	tree, err := content.Load(folders.content, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("newsletter: load content/: %w", err)
	}
	themeTpl, _ := fs.Sub(lmcpress.Theme, "templates/email")
	siteTpl, _ := fs.Sub(folders.templates, "email")
	pageTpl, _ := fs.Sub(lmcpress.Theme, "templates")
	var shortcodes func(*content.Page) markdown.Shortcodes
	if set, err := site.ParseShortcodes(site.Overlay{folders.templates, pageTpl}, cfg); err == nil && set != nil {
		shortcodes = func(p *content.Page) markdown.Shortcodes { return site.PageShortcodes(set, p) }
	} // else check, below, reports the templates' mistakes
	is, err := newsletter.Build(newsletter.Options{
		Config: cfg, Pages: tree.Pages, Visibility: v, Month: month, Area: area,
		Templates:  site.Overlay{siteTpl, themeTpl},
		Shortcodes: shortcodes,
	})
	if err != nil {
		return nil, nil, err
	}
	tpl, _ := fs.Sub(lmcpress.Theme, "templates")
	static, _ := fs.Sub(lmcpress.Theme, "static")
	rep, err := check.Site(ctx, withShortcodes(check.Options{
		Content: folders.content, Config: cfg,
		Templates:  site.Overlay{folders.templates, tpl},
		Static:     site.Overlay{folders.static, static},
		Visibility: v,
	}))
	if err != nil {
		return nil, nil, err
	}
	files := map[string]bool{"content/" + is.Page.File: true}
	for _, p := range is.Items {
		files["content/"+p.File] = true
	}
	var stops []error
	for _, f := range rep.Findings {
		if !files[f.File] {
			continue
		}
		if f.Severity == check.Error {
			stops = append(stops, f)
		} else {
			fmt.Fprintln(warn, f.Error())
		}
	}
	if len(stops) > 0 {
		return nil, nil, fmt.Errorf("newsletter %s: %s in the issue stop it: fix them first:\n%w", is.Month, plural(len(stops), "problem"), errors.Join(stops...))
	}
	return is, cfg, nil
}

func plural(n int, one string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %ss", n, one)
}
