package main

import (
	"context"
	"errors"
	"fmt"
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
	"lmcpress/internal/newsletter"
	"lmcpress/internal/site"
)

func init() {
	commands["newsletter"] = command{"build or preview a month's newsletter email: lmcpress newsletter build 2016-12", runNewsletter}
}

func runNewsletter(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := flags(e, "newsletter",
		"Newsletter checks and renders a month's issue: the editorial in content/newsletters/, the month's news and the advice and guidance changed that month, as an HTML email and a text part; preview also writes them, with an .eml, to a folder.",
		"newsletter build [MONTH] | newsletter preview MONTH [--out DIR]  (MONTH is 2016-12; build's default is the newest issue)")
	sf.register(fl)
	area := fl.String("area", "", "build the issue for one area (items for everyone and for that area)")
	out := fl.String("out", "", "preview: the folder to write the files to (default newsletter-MONTH in the site folder)")
	pos, err := parse(fl, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || pos[0] != "build" && pos[0] != "preview" {
		return fmt.Errorf("newsletter: say build or preview, e.g. lmcpress newsletter build 2016-12")
	}
	verb := pos[0]
	if len(pos) > 2 {
		return fmt.Errorf("newsletter %s: one month at most, got %s", verb, strings.Join(pos[1:], " "))
	}
	month := ""
	if len(pos) == 2 {
		month = pos[1]
	}
	if verb == "preview" && month == "" {
		return fmt.Errorf("newsletter preview: say which month, e.g. lmcpress newsletter preview 2016-12")
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
	from, err := mail.ParseAddress(cfg.Newsletter.From)
	if err != nil {
		return "", fmt.Errorf("content/site.yaml: newsletter: from: %q: %w: give a name and address, e.g. \"Northfield LMC <news@example.org>\"", cfg.Newsletter.From, err)
	}
	domain := cfg.Newsletter.Domain
	if domain == "" {
		domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	}
	var b strings.Builder
	err = email.WriteEML(&b, email.Message{
		From: *from, To: []mail.Address{*from}, Subject: is.Subject, Date: date,
		MessageID: is.Month + ".preview@" + domain, Text: is.Text, HTML: is.HTML,
	})
	if err != nil {
		return "", fmt.Errorf("newsletter preview: %w", err)
	}
	return b.String(), nil
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
	cfg, err := content.LoadConfig(folders.content)
	if err != nil {
		return nil, nil, err
	}
	tree, err := content.Load(folders.content, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("newsletter: load content/: %w", err)
	}
	v := sf.visibility(sf.now.at(e))
	themeTpl, _ := fs.Sub(lmcpress.Theme, "templates/email")
	siteTpl, _ := fs.Sub(folders.templates, "email")
	is, err := newsletter.Build(newsletter.Options{
		Config: cfg, Pages: tree.Pages, Visibility: v, Month: month, Area: area,
		Templates: site.Overlay{siteTpl, themeTpl},
	})
	if err != nil {
		return nil, nil, err
	}
	tpl, _ := fs.Sub(lmcpress.Theme, "templates")
	static, _ := fs.Sub(lmcpress.Theme, "static")
	rep, err := check.Site(ctx, check.Options{
		Content: folders.content, Config: cfg,
		Templates:  site.Overlay{folders.templates, tpl},
		Static:     site.Overlay{folders.static, static},
		Visibility: v,
	})
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
			fmt.Fprintln(e.stdout, f.Error())
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
