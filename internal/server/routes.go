package server

import (
	"net/http"

	"lmcpress/internal/livereload"
)

// routes lists every route the server answers.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	if s.o.Reload != nil {
		mux.Handle("GET "+livereload.Path, sameOrigin(s.o.Reload))
		if s.o.Newsletters != nil {
			// The list of months, each month's issue (newsletters.go).
			mux.HandleFunc("GET "+PreviewNewsletters, s.newsletters)
		}
	}
	if s.o.SignUp != nil {
		// POST /subscribe, GET and POST /confirm/{token},
		// /unsubscribe/{token} and /manage/{token} (signup.go).
		s.o.SignUp.routes(mux)
	}
	mux.HandleFunc("GET /", s.files)
	return s.security(s.checkHost(mux))
}
