package server

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"lmcpress/internal/livereload"
)

var site = fstest.MapFS{
	"index.html":         {Data: []byte("<html><body>home</body></html>")},
	"news/index.html":    {Data: []byte("<html><body>news</body></html>")},
	"404.html":           {Data: []byte("<html><body>not found</body></html>")},
	"css/site.css":       {Data: []byte("body{}")},
	"advice/x/model.pdf": {Data: []byte("%PDF-1.4")},
}

func get(t *testing.T, h http.Handler, method, target string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func TestServesTheSite(t *testing.T) {
	h := New(Options{Site: func() fs.FS { return site }})
	cases := []struct {
		target, status, ctype, body string
	}{
		{"/", "200", "text/html", "home"},
		{"/news/", "200", "text/html", "news"},
		{"/css/site.css", "200", "text/css", "body{}"},
		{"/advice/x/model.pdf", "200", "application/pdf", "%PDF"},
		{"/nope/", "404", "text/html", "not found"},
		{"/etc/passwd", "404", "text/html", "not found"},
		{"/healthz", "200", "text/plain", "ok"},
	}
	for _, c := range cases {
		res, body := get(t, h, "GET", c.target)
		if got := res.Status[:3]; got != c.status {
			t.Errorf("%s: status %s, want %s", c.target, got, c.status)
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), c.ctype) {
			t.Errorf("%s: Content-Type %q, want %s", c.target, res.Header.Get("Content-Type"), c.ctype)
		}
		if !strings.Contains(body, c.body) {
			t.Errorf("%s: body %q lacks %q", c.target, body, c.body)
		}
		if strings.Contains(body, "lmcpress-livereload") {
			t.Errorf("%s: production page has the live reload script", c.target)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: security headers missing", c.target)
		}
	}
	res, _ := get(t, h, "GET", "/news")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/news/" {
		t.Errorf("/news: %s to %q, want a redirect to /news/", res.Status, res.Header.Get("Location"))
	}
	res, _ = get(t, h, "POST", "/")
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %s", res.Status)
	}
}

func TestPreviewInjectsLiveReload(t *testing.T) {
	h := New(Options{Site: func() fs.FS { return site }, Reload: livereload.New()})
	res, body := get(t, h, "GET", "/news/")
	if !strings.Contains(body, `id="lmcpress-livereload"`) || !strings.Contains(body, "news") {
		t.Errorf("preview page lacks the script: %q", body)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Error("preview pages must not be cached")
	}
	_, css := get(t, h, "GET", "/css/site.css")
	if css != "body{}" {
		t.Errorf("CSS changed: %q", css)
	}
	_, notFound := get(t, h, "GET", "/missing/")
	if !strings.Contains(notFound, "lmcpress-livereload") {
		t.Error("the preview's 404 page should reload too")
	}
}
