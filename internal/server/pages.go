package server

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/http"
	"slices"
	texttemplate "text/template"
	"time"
)

// The sign-up pages and the confirmation email are templates in the
// theme's templates/server (a site may override each in its own
// templates/server). page.html is every page: the site's header, menu and
// footer around the part .Page names, with the site's stylesheet.

var zeroTime time.Time

// pageCSP is the sign-up pages' Content-Security-Policy: the site's own
// stylesheet and nothing else, forms only to this site, never in a frame.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// roleChoices are the sign-up form's roles: the value (subscriber.Role)
// and what the list shows. templates/_chrome.html lists the same.
var roleChoices = [][2]string{
	{"partner", "GP partner"}, {"salaried-gp", "Salaried GP"}, {"locum-gp", "Locum GP"},
	{"practice-manager", "Practice manager"}, {"other", "Other"},
}

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London") // time/tzdata is in the binary (package content)
	if err != nil {
		return time.UTC
	}
	return l
}()

// longDate is "8 December 2026", in UK time.
func longDate(t time.Time) string { return t.In(london).Format("2 January 2006") }

// view is what page.html is given.
type view struct {
	Site        SitePage
	Page, Title string
	Action      string // the form's own address, for a page with a button
	Wording     string // the words next to the button, recorded with the change
	Problems    []string
	Form        form // a sign-up shown again with its problems
	Consent     string
	AskRole     bool
	AskPractice bool
	Areas       []areaChoice // a sign-up's or the manage page's
	Chosen      []string
	Saved       bool
	Manage      string
	Unsubscribe string
}

type areaChoice struct {
	Name    string
	ID      string
	Checked bool
}

func parsePages(fsys fs.FS) (*htmltemplate.Template, error) {
	t, err := htmltemplate.New("page.html").Funcs(htmltemplate.FuncMap{"roles": func() [][2]string { return roleChoices }}).ParseFS(fsys, "page.html")
	if err != nil {
		return nil, fmt.Errorf("templates/server/page.html: %w", err)
	}
	return t, nil
}

// page renders v with status. A template that fails is a bug in a
// template: logged, and the visitor gets a plain page.
func (s *SignUp) page(w http.ResponseWriter, r *http.Request, status int, v view) {
	v.Site = s.c.Site
	v.Consent = s.c.Consent
	v.AskRole, v.AskPractice = s.asks("role"), s.asks("practice")
	if s.asks("areas") || v.Page == "manage" {
		chosen := v.Chosen
		if v.Page == "signup-problems" {
			chosen = v.Form.Areas
		}
		for i, a := range s.c.Areas {
			v.Areas = append(v.Areas, areaChoice{Name: a, ID: fmt.Sprintf("area-%d", i), Checked: slices.Contains(chosen, a)})
		}
	}
	var b bytes.Buffer
	h := w.Header()
	// Personal pages: not kept by the browser or a proxy. The policy is
	// stricter than the site's, and set in the preview too (which sets
	// none for its live-reload script, not injected here).
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pageCSP)
	if err := s.pages.Execute(&b, v); err != nil {
		s.log.Error("sign-up page", "page", v.Page, "err", err)
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("Sorry, something went wrong on our side. Please try again later.\n"))
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b.Bytes())
	}
}

// mailView is what the confirmation email's templates are given.
type mailView struct {
	Site    SitePage
	Name    string
	Link    string
	Expires string
	Consent string
}

type mailTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

func parseMails(fsys fs.FS) (*mailTemplates, error) {
	text, err := texttemplate.New("confirm-email.txt").ParseFS(fsys, "confirm-email.txt")
	if err != nil {
		return nil, fmt.Errorf("templates/server/confirm-email.txt: %w", err)
	}
	html, err := htmltemplate.New("confirm-email.html").ParseFS(fsys, "confirm-email.html")
	if err != nil {
		return nil, fmt.Errorf("templates/server/confirm-email.html: %w", err)
	}
	return &mailTemplates{text: text, html: html}, nil
}

func (m *mailTemplates) render(v mailView) (text, html string, err error) {
	var t, h bytes.Buffer
	if err := m.text.Execute(&t, v); err != nil {
		return "", "", fmt.Errorf("templates/server/confirm-email.txt: %w", err)
	}
	if err := m.html.Execute(&h, v); err != nil {
		return "", "", fmt.Errorf("templates/server/confirm-email.html: %w", err)
	}
	return t.String(), h.String(), nil
}
