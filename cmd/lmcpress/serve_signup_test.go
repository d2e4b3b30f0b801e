package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeSignUp: in the preview the form works against a throwaway
// list: the confirmation link is printed, not emailed; it confirms; and
// the list's folder is gone once the preview stops.
func TestServeSignUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lineWriter{lines: make(chan string, 1000)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--root", root, "--addr", "127.0.0.1:0"}, func(string) string { return "" }, testClock, strings.NewReader(""), out, out)
	}()
	base := ""
	link := ""
	previewing := regexp.MustCompile(`Previewing at (http://127\.0\.0\.1:\d+/)`)
	printed := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+/confirm/\S+)`)
	deadline := time.After(30 * time.Second)
	post := func(target string, form url.Values) (int, string) {
		req, _ := http.NewRequest("POST", target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", strings.TrimSuffix(base, "/"))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for link == "" {
		select {
		case l := <-out.lines:
			if m := previewing.FindStringSubmatch(l); m != nil {
				base = m[1]
				if code, body := post(base+"subscribe", url.Values{"email": {"pm@example.org"}, "areas": {"Eastbrook"}}); code != 200 {
					t.Fatalf("sign-up in the preview: %d\n%s", code, body)
				}
			}
			if m := printed.FindStringSubmatch(l); m != nil {
				link = m[1]
			}
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		case <-deadline:
			t.Fatal("no confirmation link printed within 30s")
		}
	}
	res, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("GET %s: %s, Content-Security-Policy %q", link, res.Status, res.Header.Get("Content-Security-Policy"))
	}
	if code, body := post(link, url.Values{}); code != 200 || !strings.Contains(body, "You are subscribed") {
		t.Fatalf("POST %s: %d\n%s", link, code, body)
	}
	// Staff trying the form again and again are not held to the public
	// server's 10 in 10 minutes.
	for i := range 12 {
		if code, _ := post(base+"subscribe", url.Values{"email": {fmt.Sprintf("try%d@example.org", i)}}); code != 200 {
			t.Fatalf("sign-up %d more in the preview: %d", i+1, code)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "lmcpress-preview-subscribers-*")); len(left) != 1 {
		t.Fatalf("while serving, the throwaway list's folders: %v", left)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "lmcpress-preview-subscribers-*")); len(left) != 0 {
		t.Errorf("after the preview stopped, left behind: %v", left)
	}
}
