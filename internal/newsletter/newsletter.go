// Package newsletter builds a month's newsletter issue: one model, made once
// from content, rendered as an HTML email (tables, CSS inlined, for Outlook
// on Windows first) and as plain text made from the Markdown. The items an
// issue carries come from content.IssueIndex, as the site's web page for the
// issue does, so the two never disagree. send.go sends it to the list
// through the interfaces it declares (Sender, Journal, Recipients).
package newsletter

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/vanng822/go-premailer/premailer"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/render"
)

// MaxHTML is the largest HTML part Build accepts: Gmail clips a message
// whose HTML is over about 102 KB, hiding the footer and its unsubscribe
// link, and quoted-printable encoding adds bytes on the wire.
const MaxHTML = 100 * 1024

// UnsubscribePlaceholder stands in the footer for the recipient's own
// unsubscribe address, which the sender fills in per recipient. Letters
// and hyphens only, so that no escaping (HTML, URL, quoted-printable)
// changes it.
const UnsubscribePlaceholder = "LMCPRESS-UNSUBSCRIBE-URL"

// Options say which issue to build, and from what.
type Options struct {
	Config *content.Config
	// Pages are the site's pages, as content.Load gives them (drafts
	// included: Visibility decides what is published).
	Pages      []*content.Page
	Visibility content.Visibility
	// Templates holds email.html: the site's templates/email over the
	// default theme's, file by file.
	Templates fs.FS
	Month     string // "2016-12"; "" is the newest issue
	Area      string // "" is the issue for everyone
	// Shortcodes are the site's own shortcodes as a page calls them
	// (site.PageShortcodes); nil when it has none. ref and relref resolve
	// against Pages.
	Shortcodes func(p *content.Page) markdown.Shortcodes
}

// Issue is one month's newsletter, rendered.
type Issue struct {
	Month     string // "2016-12"
	Subject   string // "December 2016 newsletter"
	Preheader string // the line inboxes show after the subject
	HTML      string
	Text      string
	Page      *content.Page   // the month's file in content/newsletters/
	Items     []*content.Page // what it carries, in the order it shows them
}

// ErrUnknownMonth is wrapped by Build's error for a month with no issue.
var ErrUnknownMonth = errors.New("no newsletter for that month")

// Months lists the months that have a published issue, oldest first.
func Months(pages []*content.Page, v content.Visibility) []string {
	var out []string
	for _, p := range issues(pages, v) {
		out = append(out, monthOf(p))
	}
	return out
}

func issues(pages []*content.Page, v content.Visibility) []*content.Page {
	var out []*content.Page
	for _, p := range pages {
		if p.Section == "newsletters" && p.Kind != content.KindSection && p.Published(v) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// held explains why month's issue (the newest, when month is "") is not
// there when its file is, but held back: a draft, not yet published or
// expired. An issue is prepared before it goes out, so this is the usual
// case, and the flag that shows it is what the editor needs to know.
func held(pages []*content.Page, month string, v content.Visibility) string {
	var p *content.Page
	for _, q := range pages {
		if q.Section == "newsletters" && q.Kind != content.KindSection && (month == "" || monthOf(q) == month) &&
			(p == nil || q.Date.After(p.Date)) {
			p = q
		}
	}
	if p == nil || p.Published(v) {
		return ""
	}
	file := "content/" + p.File
	switch {
	case p.Draft && !v.Drafts:
		return file + " is a draft (draft: true): add --drafts to build it before it is published"
	case !v.Expired && !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(v.Now):
		return file + " expired on " + p.ExpiryDate.In(content.London).Format("2 Jan 2006") + ": add --expired to build it"
	default:
		return file + " is not published yet (its date or publishDate is in the future): add --future to build it"
	}
}

func monthOf(p *content.Page) string { return p.Date.In(content.London).Format("2006-01") }

// Build gathers and renders the issue of o.Month.
func Build(o Options) (*Issue, error) {
	all := issues(o.Pages, o.Visibility)
	if len(all) == 0 {
		if hint := held(o.Pages, o.Month, o.Visibility); hint != "" {
			return nil, fmt.Errorf("newsletter: %w: %s", ErrUnknownMonth, hint)
		}
		return nil, fmt.Errorf("newsletter: %w: content/newsletters/ has no published issue", ErrUnknownMonth)
	}
	var page *content.Page
	if o.Month == "" {
		page = all[len(all)-1]
	}
	for _, p := range all {
		if monthOf(p) == o.Month {
			page = p
		}
	}
	if page == nil {
		if hint := held(o.Pages, o.Month, o.Visibility); hint != "" {
			return nil, fmt.Errorf("newsletter %s: %w: %s", o.Month, ErrUnknownMonth, hint)
		}
		return nil, fmt.Errorf("newsletter %s: %w: the months with one are %s", o.Month, ErrUnknownMonth, strings.Join(Months(o.Pages, o.Visibility), ", "))
	}
	var published []*content.Page
	for _, p := range o.Pages {
		if p.Published(o.Visibility) {
			published = append(published, p)
		}
	}
	items, errs := content.NewIssueIndex(published).Items(page, o.Area)
	if len(errs) > 0 {
		return nil, fmt.Errorf("newsletter %s: %w", monthOf(page), errs)
	}
	if len(items) == 0 && len(bytes.TrimSpace(page.Body)) == 0 {
		return nil, fmt.Errorf("newsletter %s: content/%s has no editorial and the month has no news or changed advice: write the editorial or pick another month", monthOf(page), page.File)
	}
	m, err := model(o, page, items)
	if err != nil {
		return nil, err
	}
	m.Diary = diary(o, content.Diary(published, page.Date, o.Area))
	is := &Issue{Month: monthOf(page), Subject: m.Subject, Preheader: m.Preheader, Page: page, Items: items}
	if is.HTML, err = renderHTML(o, m); err != nil {
		return nil, fmt.Errorf("newsletter %s: %w", is.Month, err)
	}
	if len(is.HTML) > MaxHTML {
		return nil, fmt.Errorf("newsletter %s: the HTML part is %d bytes, over the %d Gmail shows before clipping: carry fewer items or shorten the editorial", is.Month, len(is.HTML), MaxHTML)
	}
	is.Text = renderText(m)
	return is, nil
}

var outlook = map[string]template.HTML{
	"Head":  `<!--[if mso]><noscript><xml><o:OfficeDocumentSettings><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml></noscript><style>.preheader { display: none !important; mso-hide: all; }</style><![endif]-->`,
	"Open":  `<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" align="center"><tr><td><![endif]-->`,
	"Close": `<!--[if mso]></td></tr></table><![endif]-->`,
}

// view is what templates/email/email.html sees.
type view struct {
	Subject, Preheader, Title, Covering string
	Permalink, SiteURL, Unsubscribe     string
	Organisation                        content.Organisation
	Editorial                           template.HTML
	// Outlook holds Outlook for Windows' conditional comments, which a
	// template cannot write itself (html/template drops comments): Head
	// (96 dpi, so widths are not rescaled; the preheader hidden, which
	// Word does only with its own mso-hide, a property no validator
	// knows), Open and Close (a fixed
	// 600px table around the column, as the cell's width attribute is
	// the one width every version of Word keeps).
	Outlook   map[string]template.HTML
	Sections  []section
	Diary     []diaryItem // "Dates for your diary"
	editorial *markdown.Doc
}

// diaryItem is an event in "Dates for your diary".
type diaryItem struct {
	Title, Permalink, When, Where, Calendar string
	Join                                    string // an online event's joining link, where site.yaml shares them
	Cancelled                               bool
}

// diary lists the events of "Dates for your diary", each with its "Add to
// calendar" link (the event's .ics file on the site).
func diary(o Options, events []*content.Page) []diaryItem {
	base := strings.TrimSuffix(o.Config.BaseURL, "/")
	out := make([]diaryItem, 0, len(events))
	for _, p := range events {
		d := diaryItem{Title: p.Title, Permalink: base + p.URL(), When: p.Event.When(),
			Where: p.Event.Location.Text(), Calendar: base + p.CalendarURL(), Cancelled: p.Event.Cancelled}
		if l := p.Event.Location; o.Config.Events.JoinURLs && l.Online && !d.Cancelled {
			d.Join = l.JoinURL
		}
		out = append(out, d)
	}
	return out
}

type section struct {
	Title string
	Items []item
}

type item struct {
	Title, Permalink, Date, Note, Summary string
}

func model(o Options, page *content.Page, items []*content.Page) (*view, error) {
	base := strings.TrimSuffix(o.Config.BaseURL, "/")
	eng := markdown.New(markdown.Config{AllowRawHTML: o.Config.AllowRawHTML})
	refs := sync.OnceValue(func() *content.Refs {
		return content.NewRefs(content.NewBook(o.Config, o.Pages, nil, nil, o.Visibility))
	})
	opts := func(p *content.Page) markdown.Options {
		mo := markdown.Options{BaseURL: o.Config.BaseURL, PageURL: p.URL()}
		if markdown.MayHaveShortcodes(p.Body) { // as the site's pages have them
			mo.Refs = refs().For(p)
			if o.Shortcodes != nil {
				mo.Shortcodes = o.Shortcodes(p)
			}
		}
		return mo
	}
	doc, err := eng.Convert(page.Body, opts(page))
	if err != nil {
		return nil, fmt.Errorf("newsletter: convert content/%s: %w", page.File, err)
	}
	month := page.Date.In(content.London).Format("January 2006")
	v := &view{
		Subject:      month + " newsletter",
		Title:        page.Title,
		Covering:     page.Standfirst(),
		Permalink:    base + page.URL(),
		SiteURL:      base + "/",
		Unsubscribe:  UnsubscribePlaceholder,
		Organisation: o.Config.Organisation,
		Editorial:    template.HTML(doc.HTML),
		editorial:    doc,
		Outlook:      outlook,
	}
	if v.Title == "" {
		v.Title = v.Subject
	}
	v.Preheader = preheader(doc.FirstParagraph)
	news := section{Title: "News"}
	changed := section{Title: "Advice and guidance updated this month"}
	for _, p := range items {
		it := item{Title: p.Title, Permalink: base + p.URL(), Date: p.Announced().In(content.London).Format("2 January 2006"), Summary: p.Summary}
		if len(p.Changes) > 0 && p.Changes[0].Date.Equal(p.Announced()) && p.Announced().After(p.Date) {
			it.Note = p.Changes[0].Note
		}
		if it.Summary == "" {
			d, err := eng.Convert(p.Body, opts(p))
			if err != nil {
				return nil, fmt.Errorf("newsletter: convert content/%s: %w", p.File, err)
			}
			it.Summary = d.FirstParagraph
		}
		if p.Section == "advice" || p.Section == "guidance" {
			changed.Items = append(changed.Items, it)
		} else {
			news.Items = append(news.Items, it)
		}
	}
	if v.Preheader == "" && len(items) > 0 {
		v.Preheader = preheader("In this issue: " + items[0].Title)
	}
	v.Sections = []section{news, changed}
	return v, nil
}

// renderHTML runs email.html and inlines its first style sheet with
// premailer: Outlook for Windows and Gmail ignore much of a <style>.
func renderHTML(o Options, v *view) (string, error) {
	t, err := render.Parse(o.Templates, render.Options{BaseURL: o.Config.BaseURL, HumanSize: content.HumanSize})
	if err != nil {
		return "", fmt.Errorf("templates/email: %w", err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, "email.html", v); err != nil {
		return "", fmt.Errorf("render templates/email/email.html: %w", err)
	}
	// The HTML parser under premailer drops comments, and with them
	// Outlook's conditional comments: they wait out the inlining as
	// placeholder elements that parser leaves where they are, head or body.
	src, kept := keepComments(b.String())
	opts := premailer.NewOptions()
	opts.CssToAttributes = false // the template writes the attributes Outlook needs itself
	pm, err := premailer.NewPremailerFromString(src, opts)
	if err != nil {
		return "", fmt.Errorf("inline the CSS of templates/email/email.html: %w", err)
	}
	out, err := pm.Transform()
	if err != nil {
		return "", fmt.Errorf("inline the CSS of templates/email/email.html: %w", err)
	}
	for i, c := range kept {
		ph := fmt.Sprintf(`<meta name="lmcpress-keep" content="%d"/>`, i)
		if !strings.Contains(out, ph) {
			return "", fmt.Errorf("inline the CSS of templates/email/email.html: a conditional comment was lost: %.40q", c)
		}
		out = strings.Replace(out, ph, c, 1)
	}
	return out, nil
}

// keepComments swaps each <!--[if ...]>...<![endif]--> for a placeholder.
func keepComments(s string) (string, []string) {
	var kept []string
	var b strings.Builder
	for {
		i := strings.Index(s, "<!--[if")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "<![endif]-->")
		if j < 0 {
			break
		}
		j += i + len("<![endif]-->")
		b.WriteString(s[:i])
		fmt.Fprintf(&b, `<meta name="lmcpress-keep" content="%d">`, len(kept))
		kept = append(kept, s[i:j])
		s = s[j:]
	}
	b.WriteString(s)
	return b.String(), kept
}

// preheader cuts s to the 150 or so characters inboxes show after the
// subject, at a word.
func preheader(s string) string {
	const max = 150
	if len([]rune(s)) <= max {
		return s
	}
	r := []rune(s)[:max]
	if i := strings.LastIndexByte(string(r), ' '); i > 0 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}
