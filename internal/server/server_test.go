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
	req.Host = "127.0.0.1:1313"
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
	for target, want := range map[string]string{
		"/news": "/news/", "/news?page=2": "/news/?page=2",
		// absolute form: the host is not this server's to redirect to
		"http://evil.example/news": "/news/", "http://127.0.0.1:1313/news?x=1": "/news/?x=1",
	} {
		res, _ := get(t, New(Options{Site: func() fs.FS { return site }, Hosts: AnyHost}), "GET", target)
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("%s: %s to %q, want a redirect to %s", target, res.Status, res.Header.Get("Location"), want)
		}
	}
	res, _ := get(t, h, "POST", "/")
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

func TestHosts(t *testing.T) {
	cases := []struct {
		host                string
		loopback, addresses bool
	}{
		{"127.0.0.1:1313", true, true},
		{"127.0.0.1", true, true},
		{"127.9.9.9:80", true, true},
		{"[::1]:1313", true, true},
		{"[::1]", true, true},
		{"[::ffff:127.0.0.1]:1313", true, true},
		{"localhost:1313", true, true},
		{"LOCALHOST", true, true},
		{"localhost.:1313", true, true},
		{"lmc.localhost:1313", true, true},
		{"localhost:", true, true},
		{"192.168.1.20:1313", false, true},
		{"[fe80::1]:1313", false, true},
		{"[fe80::1%25eth0]:1313", false, false},
		{"[::ffff:8.8.8.8]", false, true},
		{"attacker.example:1313", false, false},
		{"localhost.attacker.example", false, false},
		{"127.0.0.1.nip.io:1313", false, false},
		{"localhost:1313@evil.example", false, false},
		{"localhost:http", false, false},
		{"a_b.localhost", false, false},
		{"0x7f.0.0.1", false, false},
		{"2130706433", false, false},
		{"", false, false},
	}
	for _, c := range cases {
		if got := Loopback.allows(c.host); got != c.loopback {
			t.Errorf("Loopback.allows(%q) = %v", c.host, got)
		}
		if got := Addresses.allows(c.host); got != c.addresses {
			t.Errorf("Addresses.allows(%q) = %v", c.host, got)
		}
		if !AnyHost.allows(c.host) {
			t.Errorf("AnyHost.allows(%q) = false", c.host)
		}
	}
}

// TestRefusesOtherNames: a request for another name gets 421 and a page
// saying where the server is, and nothing of the site; the event stream
// takes only its own pages' requests.
func TestRefusesOtherNames(t *testing.T) {
	h := New(Options{Site: func() fs.FS { return site }, Reload: livereload.New()})
	req := httptest.NewRequest("GET", "/news/", nil)
	req.Host = "attacker.example:1313"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMisdirectedRequest || strings.Contains(rec.Body.String(), "news") || strings.Contains(rec.Body.String(), "attacker") {
		t.Errorf("Host attacker.example: %d %q", rec.Code, rec.Body.String())
	}
	req = httptest.NewRequest("GET", livereload.Path, nil)
	req.Host = "127.0.0.1:1313"
	req.Header.Set("Origin", "http://attacker.example")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || rec.Header().Get("Content-Type") == "text/event-stream" {
		t.Errorf("Origin attacker.example: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}
