package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lmcpress/internal/browsertest"
	"lmcpress/internal/content"
	"lmcpress/internal/server"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
)

type captureMailer struct {
	mu   sync.Mutex
	sent []server.Confirmation
}

func (m *captureMailer) SendConfirmation(_ context.Context, c server.Confirmation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, c)
	return nil
}

// signUpPages walks the sample site's sign-up journey in-process and
// writes every kind of page it meets, and the confirmation email's HTML,
// to a folder; it returns the folder and the built site.
func signUpPages(t *testing.T) (dir, public string) {
	t.Helper()
	public = buildSample(t)
	folders, err := openSite(sampleRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	defer folders.Close()
	cfg, err := content.LoadConfig(folders.content)
	if err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "lmcpress.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	signer, _ := subscriber.NewSigner([]byte(serverSecret))
	mailer := &captureMailer{}
	sc := signUpConfig(cfg, folders, "http://127.0.0.1:1/")
	sc.Store, sc.Mailer, sc.Signer, sc.Now, sc.Logger = store, mailer, signer, testClock, slog.New(slog.DiscardHandler)
	su, err := server.NewSignUp(sc)
	if err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Options{Site: func() fs.FS { return os.DirFS(public) }, SignUp: su})
	dir = t.TempDir()
	do := func(name, method, target string, form url.Values) string {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req := httptest.NewRequest(method, target, body)
		req.Host = "127.0.0.1:1"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Header().Get("Content-Type"))
		}
		if err := os.WriteFile(filepath.Join(dir, name+".html"), rec.Body.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return rec.Body.String()
	}
	do("check-email", "POST", "/subscribe", url.Values{"email": {"pm@example.org"}, "name": {"Sam"}, "role": {"partner"}, "areas": {"Eastbrook"}})
	do("signup-problems", "POST", "/subscribe", url.Values{"email": {"not an address"}, "role": {"king"}, "areas": {"Kingsmere"}})
	if err := su.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(mailer.sent) != 1 {
		t.Fatalf("%d emails", len(mailer.sent))
	}
	c := mailer.sent[0]
	if err := os.WriteFile(filepath.Join(dir, "confirm-email.html"), []byte(c.HTML), 0o644); err != nil {
		t.Fatal(err)
	}
	confirm := strings.TrimPrefix(c.Link, "http://127.0.0.1:1")
	do("confirm", "GET", confirm, nil)
	confirmed := do("confirmed", "POST", confirm, url.Values{})
	links := regexp.MustCompile(`href="(/(?:manage|unsubscribe)/[^"]+)"`).FindAllStringSubmatch(confirmed, -1)
	if len(links) != 2 {
		t.Fatalf("confirmed page links: %v", links)
	}
	manage, unsub := links[0][1], links[1][1]
	do("manage", "GET", manage, nil)
	do("manage-saved", "POST", manage, url.Values{"areas": {"Northfield"}})
	do("unsubscribe", "GET", unsub, nil)
	do("unsubscribed", "POST", unsub, url.Values{})
	do("not-subscribed", "GET", manage, nil)
	do("stale", "POST", confirm, url.Values{})
	do("bad-link", "GET", "/confirm/nonsense", nil)
	req := httptest.NewRequest("POST", "/subscribe", strings.NewReader("email=a@example.org"))
	req.Host = "127.0.0.1:1"
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("cross-site: %d", rec.Code)
	}
	if err := os.WriteFile(filepath.Join(dir, "cross-site.html"), rec.Body.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, public
}

// TestSignUpPagesValidHTML runs every sign-up page, and the confirmation
// email, through the W3C Nu checker: no error, no warning.
func TestSignUpPagesValidHTML(t *testing.T) {
	java, jar := vnuChecker(t, "the sign-up pages")
	dir, _ := signUpPages(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, "-jar", jar, "--format", "json", "--also-check-css", "--skip-non-html", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var res struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(stderr.Bytes()), &res); err != nil {
		t.Fatalf("vnu gave no JSON report (%v, exit %v):\n%s%s", err, runErr, stdout.String(), stderr.String())
	}
	for _, m := range res.Messages {
		t.Errorf("%s line %d: %s: %s\n\t%q", filepath.Base(m.URL), m.LastLine, m.Type, m.Message, m.Extract)
	}
}

// TestSignUpPagesAccessible runs axe (WCAG 2.2 A and AA, as for the site's
// pages) over every sign-up page with the site's stylesheet, at desktop and
// phone width.
func TestSignUpPagesAccessible(t *testing.T) {
	browserCtx := browsertest.Start(t, "check the sign-up pages' accessibility with axe-core in Chromium")
	axeSrc := browsertest.RequireAxe(t)
	dir, public := signUpPages(t)
	mux := http.NewServeMux()
	mux.Handle("/_pages/", http.StripPrefix("/_pages/", http.FileServer(http.Dir(dir))))
	mux.Handle("/", http.FileServer(http.Dir(public)))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	names, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	if len(names) < 12 {
		t.Fatalf("only %d pages", len(names))
	}
	for _, width := range []int64{1280, 375} {
		for _, name := range names {
			ctx, cancel := context.WithTimeout(browserCtx, 90*time.Second)
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
				cancel()
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/_pages/"+filepath.Base(name))); err != nil {
				cancel()
				t.Fatal(err)
			}
			violations, err := browsertest.Axe(ctx, axeSrc, "")
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range violations {
				t.Errorf("%s at %dpx: %v", filepath.Base(name), width, v)
			}
		}
	}
}
