package server

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"lmcpress/internal/livereload"
)

// Newsletters is what the preview's newsletter pages need: the months that
// have an issue, and one issue built from the files as they are now. The
// server does not build issues itself (it knows nothing of content), so
// cmd/lmcpress supplies this.
type Newsletters interface {
	// Months lists the months with an issue, "2016-12", oldest first.
	Months() []string
	// Preview builds the month's issue: its HTML part and its text part.
	// err's text is shown on the page in place of the email, so it must
	// be fit to show there (patient data starred out).
	Preview(month string) (html, text []byte, err error)
}

// PreviewNewsletters is where the preview shows the newsletter issues.
const PreviewNewsletters = "/_preview/newsletters/"

// newsletters answers PreviewNewsletters (the list of months),
// PreviewNewsletters+"MONTH/" (one issue) and, for a month without its
// slash, a redirect to it. Anything else is a 404 with the list.
func (s *server) newsletters(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, PreviewNewsletters)
	months := s.o.Newsletters.Months()
	v := nlView{Months: months, Base: PreviewNewsletters}
	status := http.StatusOK
	month, tail, slash := strings.Cut(rest, "/")
	known := slices.Contains(months, month)
	switch {
	case rest == "":
		v.Title = "Newsletter previews"
	case known && !slash:
		// The path only: see files.
		u := url.URL{Path: PreviewNewsletters + month + "/", RawQuery: r.URL.RawQuery}
		http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
		return
	case known && tail == "":
		v.Title = "Newsletter " + month
		v.Month = month
		html, text, err := s.o.Newsletters.Preview(month)
		if err != nil {
			v.Err = err.Error()
		} else {
			v.HTML, v.Text = string(html), string(text)
		}
	default:
		status = http.StatusNotFound
		v.Title = "No such newsletter"
		v.Missing = rest
	}
	var b bytes.Buffer
	if err := nlPage.Execute(&b, v); err != nil {
		s.log.Error("newsletter preview", "path", r.URL.Path, "err", err)
		http.Error(w, "the newsletter preview page could not be made", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(livereload.Inject(b.Bytes()))
}

type nlView struct {
	Title, Base     string
	Months          []string
	Month, Missing  string
	HTML, Text, Err string
}

// nlPage shows the email at 600px, the width it is designed for, and at
// 375px, a phone's, side by side, then the text part. The email goes in
// srcdoc so that the page and what it shows come from one build, and in a
// sandbox so that nothing in it runs.
var nlPage = template.Must(template.New("newsletters").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1rem; color: #1a1a1a; }
.widths { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; }
iframe { border: 1px solid #888; height: 80vh; background: #fff; }
.w600 { width: 600px; } .w375 { width: 375px; }
pre { white-space: pre-wrap; max-width: 80ch; border: 1px solid #888; padding: 1rem; background: #f6f6f6; }
.problem { border: 2px solid #b00020; padding: 1rem; white-space: pre-wrap; }
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
{{- if .Missing}}
<p>There is no newsletter issue at {{.Missing}}. The months with one are listed below.</p>
{{- end}}
{{- if .Month}}
<p><a href="{{.Base}}">All months</a></p>
{{- if .Err}}
<h2>This issue cannot be sent yet</h2>
<div class="problem" role="alert">{{.Err}}</div>
{{- else}}
<h2>HTML part</h2>
<div class="widths">
<figure><figcaption>600px (desktop)</figcaption><iframe class="w600" title="The email at 600px" sandbox srcdoc="{{.HTML}}"></iframe></figure>
<figure><figcaption>375px (phone)</figcaption><iframe class="w375" title="The email at 375px" sandbox srcdoc="{{.HTML}}"></iframe></figure>
</div>
<h2>Text part</h2>
<pre>{{.Text}}</pre>
{{- end}}
{{- else}}
{{- if .Months}}
<ul>
{{- range .Months}}
<li><a href="{{$.Base}}{{.}}/">{{.}}</a></li>
{{- end}}
</ul>
{{- else}}
<p>There are no published issues in content/newsletters/ yet.</p>
{{- end}}
{{- end}}
</main>
</body>
</html>
`))
