package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// previewSite writes a small site with a draft, the preview's secret.
func previewSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\nBody.\n")
	writeFile(t, filepath.Join(root, "content/news/plan.md"), "---\ntitle: Secret plan\ndate: 2020-01-01\ndraft: true\n---\nNot yet public.\n")
	return root
}

// hostGet requests path from the preview at base with the Host header
// host (and Origin, when not empty), as a browser on a page elsewhere
// would; the body is read up to its first kilobyte, so an event stream
// does not hang the test.
func hostGet(t *testing.T, base, host, origin, path string) (int, http.Header, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
	req.Host = host
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatalf("GET %s (Host %s): %v", path, host, err)
	}
	defer resp.Body.Close()
	var body []byte
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		body, _ = bufio.NewReader(resp.Body).ReadBytes('\n') // the stream stays open
	} else {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	}
	return resp.StatusCode, resp.Header, string(body)
}

// TestServeAnswersOnlyThisComputer: a web page whose own name is pointed
// at 127.0.0.1 (DNS rebinding) sends its own name as Host, and a page
// elsewhere sends its Origin: neither may read the drafts or the event
// stream.
func TestServeAnswersOnlyThisComputer(t *testing.T) {
	base, _ := startServe(t, previewSite(t), "--drafts")
	port := strings.TrimSuffix(strings.TrimPrefix(base, "http://127.0.0.1:"), "/")

	for _, host := range []string{"127.0.0.1:" + port, "127.0.0.1", "127.5.6.7:" + port, "localhost:" + port, "LocalHost", "[::1]:" + port, "lmc.localhost:" + port} {
		if code, _, body := hostGet(t, base, host, "", "news/plan/"); code != 200 || !strings.Contains(body, "Secret plan") {
			t.Errorf("Host %s: %d, want the draft", host, code)
		}
	}
	for _, host := range []string{"attacker.example:" + port, "attacker.example", "localhost.attacker.example:" + port,
		"127.0.0.1.nip.io:" + port, "192.168.1.20:" + port, "[::ffff:8.8.8.8]:" + port, "localhost:" + port + "@evil.example"} {
		for _, path := range []string{"news/plan/", "_lmcpress/events", "healthz"} {
			code, h, body := hostGet(t, base, host, "", path)
			if code != http.StatusMisdirectedRequest || strings.Contains(body, "Secret") || h.Get("Content-Type") == "text/event-stream" {
				t.Errorf("Host %q, /%s: %d %q %q; want 421 and nothing of the site", host, path, code, h.Get("Content-Type"), body)
			}
			if path == "news/plan/" && !strings.Contains(body, "http://127.0.0.1:"+port+"/") {
				t.Errorf("Host %q: the refusal does not say where the preview is: %q", host, body)
			}
		}
	}

	// The event stream: no Origin (the preview's own pages send none) or
	// its own.
	self := "127.0.0.1:" + port
	for _, origin := range []string{"", "http://" + self} {
		if code, h, _ := hostGet(t, base, self, origin, "_lmcpress/events"); code != 200 || h.Get("Content-Type") != "text/event-stream" {
			t.Errorf("Origin %q: %d %s, want the stream", origin, code, h.Get("Content-Type"))
		}
	}
	for _, origin := range []string{"http://attacker.example", "http://localhost:" + port, "https://" + self, "http://" + self + ".evil.example", "null"} {
		if code, h, _ := hostGet(t, base, self, origin, "_lmcpress/events"); code != http.StatusForbidden || h.Get("Content-Type") == "text/event-stream" {
			t.Errorf("Origin %q: %d %s, want 403", origin, code, h.Get("Content-Type"))
		}
	}
}

// rawRequest sends a request as written and returns the response.
func rawRequest(t *testing.T, base, request string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// TestServeRedirectsStayHere: a request in absolute form (GET http://host/x)
// is redirected by path, never to the host it named.
func TestServeRedirectsStayHere(t *testing.T) {
	base, _ := startServe(t, previewSite(t))
	self := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
	resp := rawRequest(t, base, "GET http://evil.example/news HTTP/1.1\r\nHost: "+self+"\r\nConnection: close\r\n\r\n")
	if loc := resp.Header.Get("Location"); strings.Contains(loc, "evil") {
		t.Errorf("GET http://evil.example/news: %s to %q", resp.Status, loc)
	}
	resp = rawRequest(t, base, "GET http://"+self+"/news?page=2 HTTP/1.1\r\nHost: "+self+"\r\nConnection: close\r\n\r\n")
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusMovedPermanently || loc != "/news/?page=2" {
		t.Errorf("GET http://%s/news?page=2: %s to %q, want /news/?page=2", self, resp.Status, loc)
	}
}

// TestServeTimesOutIdleConnections: a connection that sends no request, or
// only half of one, is closed, and the event stream, which is one long
// response, is not.
func TestServeTimesOutIdleConnections(t *testing.T) {
	defer func(h, i time.Duration) { previewHeaderTimeout, previewIdleTimeout = h, i }(previewHeaderTimeout, previewIdleTimeout)
	previewHeaderTimeout, previewIdleTimeout = 300*time.Millisecond, 300*time.Millisecond
	root := previewSite(t)
	base, _ := startServe(t, root)
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")

	closed := func(what string, conn net.Conn) {
		t.Helper()
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, err := io.Copy(io.Discard, conn)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s: still open after 5 s", what)
		}
	}
	// Kept alive after one request, then nothing.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	closed("an idle kept-alive connection", conn)

	// Half a request.
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	io.WriteString(slow, "GET / HTTP/1.1\r\nHost: "+addr+"\r\n")
	closed("a request whose headers never end", slow)

	// The stream outlives both timeouts.
	ev := openEvents(t, base)
	time.Sleep(3 * previewIdleTimeout)
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\nNew body.\n")
	ev.wait(t, "reload")
	if err := os.Remove(filepath.Join(root, "content/news/a.md")); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "reload")
}

// TestServeMasksPatientData: what the preview sends to the browser (the
// overlay's source lines, remembered for every page that opens later, and
// the warnings panel) shows patient data starred out, as the terminal does.
func TestServeMasksPatientData(t *testing.T) {
	root := previewSite(t)
	page := filepath.Join(root, "content/news/a.md")
	base, _ := startServe(t, root)
	ev := openEvents(t, base)

	writeFile(t, page, "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\nSeen: NHS 943 476 5919, Mrs Jane Smith, DOB 12/03/1985.\n")
	leaks := func(what, data string) {
		t.Helper()
		for _, secret := range []string{"476 5919", "4765919", "12/03/1985", "03/1985"} {
			if strings.Contains(data, secret) {
				t.Errorf("%s carries %q: %s", what, secret, data)
			}
		}
	}
	data := ev.wait(t, "error")
	leaks("the error event", data)
	if !strings.Contains(data, `"text":"Seen: NHS 943 *** ****, Mrs Jane Smith, DOB **/**/****."`) || !strings.Contains(data, `"bad":true`) {
		t.Errorf("the error event lacks the masked line: %s", data)
	}
	late := openEvents(t, base)
	leaks("the error event a page opened later gets", late.wait(t, "error"))

	// Allowed, the number builds, and a warning quotes the heading.
	writeFile(t, page, "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\n#### Test patient 943 476 5919 <!-- lmcpress:allow nhs-number -->\n\nBody.\n")
	ev.wait(t, "reload")
	data = ev.wait(t, "warnings")
	leaks("the warnings event", data)
	if !strings.Contains(data, "Test patient 943 *** ****") {
		t.Errorf("the warnings event lacks the masked heading: %s", data)
	}
}

// TestExcerptStaysInTheSite: the overlay's source lines come only from
// files inside the site's folder, whatever an error names.
func TestExcerptStaysInTheSite(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.txt"), "DEPLOY_TOKEN=hunter2\n")
	writeFile(t, filepath.Join(root, "content/news/b.md"), "---\ntitle: B\n---\nBody.\n")
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(root, "content/news/a.md")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	for _, file := range []string{"content/news/a.md", "../" + filepath.Base(outside) + "/secret.txt"} {
		if got := excerpt(root, file, 1); got != nil {
			t.Errorf("excerpt of %s: %+v", file, got)
		}
	}
	if got := excerpt(root, "content/news/b.md", 2); len(got) != 4 || got[1].Text != "title: B" || !got[1].Bad {
		t.Errorf("excerpt of a file in the site: %+v", got)
	}
}
