// Package server is lmcpress's HTTP handler: the built site, the preview's
// live reload, and the newsletter's sign-up endpoints (signup.go: double
// opt-in, signed links that only a POST acts on, RFC 8058 one-click
// unsubscribe). routes.go lists every route.
//
// Visitors get friendly pages (the site's own 404.html); details go to the
// log, never to the visitor. Unless told otherwise (Options.Hosts), the
// handler answers only requests addressed to this computer, and the live
// reload stream only the server's own pages (hosts.go): the preview holds
// drafts, and another site's page must not be able to read them. Redirects
// name a path, never a host.
package server

import (
	"bytes"
	"errors"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"lmcpress/internal/livereload"
)

// Options configure the handler.
type Options struct {
	// Site returns the built site to serve. It is a function so that the
	// preview can swap in each new build.
	Site func() fs.FS
	// Reload, when set, makes this a preview server: pages get the live
	// reload script and nothing is cached.
	Reload *livereload.Broker
	// Newsletters, on a preview server (Reload set), shows each month's
	// newsletter issue at PreviewNewsletters.
	Newsletters Newsletters
	// SignUp, when set, answers the newsletter sign-up form and the
	// signed links of its emails (signup.go, links.go).
	SignUp *SignUp
	// Hosts is which Host names are answered; the zero value, Loopback,
	// only this computer's.
	Hosts  Hosts
	Logger *slog.Logger
}

type server struct {
	o   Options
	log *slog.Logger
}

// New returns the handler.
func New(o Options) http.Handler {
	s := &server{o: o, log: o.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s.routes()
}

// security sets the headers every response carries.
func (s *server) security(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		if s.o.Reload == nil {
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		}
		next.ServeHTTP(w, r)
	})
}

// files serves the built site: "/news/" is news/index.html, "/news" redirects
// to "/news/", and anything missing gets 404.html with a 404 status.
func (s *server) files(w http.ResponseWriter, r *http.Request) {
	site := s.o.Site()
	p := path.Clean("/" + r.URL.Path)
	name := strings.TrimPrefix(p, "/")
	if strings.HasSuffix(r.URL.Path, "/") || name == "" {
		name = path.Join(name, "index.html")
	} else if st, err := fs.Stat(site, name); err == nil && st.IsDir() {
		if _, err := fs.Stat(site, path.Join(name, "index.html")); err == nil {
			// The path and query only: a request in absolute form
			// (GET http://other.example/news) names a host the
			// redirect must not send the browser to.
			u := url.URL{Path: p + "/", RawQuery: r.URL.RawQuery}
			http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
			return
		}
	}
	data, err := fs.ReadFile(site, name)
	status := http.StatusOK
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrInvalid) {
			s.log.Error("serve", "path", r.URL.Path, "err", err)
		}
		status = http.StatusNotFound
		name = "404.html"
		if data, err = fs.ReadFile(site, name); err != nil {
			http.NotFound(w, r)
			return
		}
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	w.Header().Set("Content-Type", ctype)
	if s.o.Reload != nil {
		w.Header().Set("Cache-Control", "no-store")
		if strings.HasPrefix(ctype, "text/html") {
			data = livereload.Inject(data)
		}
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(data)
		}
		return
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}
