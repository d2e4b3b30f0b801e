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
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lineWriter hands each line the program prints to a channel.
type lineWriter struct {
	mu    sync.Mutex
	buf   strings.Builder
	lines chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		s := w.buf.String()
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return len(p), nil
		}
		select {
		case w.lines <- s[:i]:
		default:
		}
		w.buf.Reset()
		w.buf.WriteString(s[i+1:])
	}
}

// startServe runs "lmcpress serve" on a free port and returns its address.
func startServe(t testing.TB, root string, extra ...string) (string, *lineWriter) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lineWriter{lines: make(chan string, 1000)}
	done := make(chan error, 1)
	args := append([]string{"serve", "--root", root, "--addr", "127.0.0.1:0"}, extra...)
	go func() { done <- run(ctx, args, func(string) string { return "" }, strings.NewReader(""), out, out) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("serve did not stop")
		}
	})
	re := regexp.MustCompile(`Previewing at (http://127\.0\.0\.1:\d+/)`)
	deadline := time.After(20 * time.Second)
	for {
		select {
		case l := <-out.lines:
			if m := re.FindStringSubmatch(l); m != nil {
				return m[1], out
			}
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		case <-deadline:
			t.Fatal("serve did not start")
		}
	}
}

type sse struct {
	events chan [2]string
}

func openEvents(t testing.TB, base string) *sse {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"_lmcpress/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	s := &sse{events: make(chan [2]string, 100)}
	go func() {
		defer resp.Body.Close()
		r := bufio.NewReader(resp.Body)
		var typ string
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			if v, ok := strings.CutPrefix(line, "event: "); ok {
				typ = v
			} else if v, ok := strings.CutPrefix(line, "data: "); ok && typ != "" {
				s.events <- [2]string{typ, v}
				typ = ""
			}
		}
	}()
	time.Sleep(50 * time.Millisecond) // let the stream register
	return s
}

func (s *sse) wait(t testing.TB, typ string) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case e := <-s.events:
			if e[0] == typ {
				return e[1]
			}
		case <-deadline:
			t.Fatalf("no %q event", typ)
		}
	}
}

func fetch(t testing.TB, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeLiveReload(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: First title\ndate: 2020-01-01\n---\nFirst body.\n")
	writeFile(t, filepath.Join(root, "content/news/draft.md"), "---\ntitle: Not yet\ndate: 2020-01-01\ndraft: true\n---\nDraft body.\n")
	base, out := startServe(t, root, "--drafts")

	code, body := fetch(t, base+"news/a/")
	if code != 200 || !strings.Contains(body, "First body.") || !strings.Contains(body, "lmcpress-livereload") {
		t.Fatalf("GET /news/a/: %d\n%s", code, body)
	}
	if _, body := fetch(t, base+"news/draft/"); !strings.Contains(body, "Draft: not published") {
		t.Error("the draft is not shown with its banner under --drafts")
	}
	if _, err := os.Stat(filepath.Join(root, "public")); err == nil {
		t.Error("serve wrote public/: the preview must not touch the published output")
	}

	ev := openEvents(t, base)
	start := time.Now()
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: Second title\ndate: 2020-01-01\n---\nSecond body.\n")
	ev.wait(t, "reload")
	t.Logf("save → reload event: %s", time.Since(start))
	if _, body := fetch(t, base+"news/a/"); !strings.Contains(body, "Second body.") {
		t.Errorf("page not updated after reload:\n%s", body)
	}
	if _, body := fetch(t, base+"news/"); !strings.Contains(body, "Second title") {
		t.Error("listing not updated")
	}

	// A mistake: the overlay event names the file and line; the last good
	// site stays served.
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: Third\ndate: 2020-13-01\n---\nThird body.\n")
	data := ev.wait(t, "error")
	for _, want := range []string{`"file":"content/news/a.md"`, `"line":3`, "month out of range", `"bad":true`, `"text":"date: 2020-13-01"`} {
		if !strings.Contains(data, want) {
			t.Errorf("error event lacks %s: %s", want, data)
		}
	}
	if _, body := fetch(t, base+"news/a/"); !strings.Contains(body, "Second body.") {
		t.Error("the last good page is not served while the build is broken")
	}
	// A page opened now still gets the overlay.
	late := openEvents(t, base)
	late.wait(t, "error")

	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: Fourth\ndate: 2020-01-01\n---\nFourth body.\n")
	ev.wait(t, "reload")
	if _, body := fetch(t, base+"news/a/"); !strings.Contains(body, "Fourth body.") {
		t.Error("page not updated after the fix")
	}

	// A stylesheet alone refreshes styles in place.
	writeFile(t, filepath.Join(root, "static/css/site.css"), "body{color:#111}\n")
	ev.wait(t, "css")

	// New and deleted files.
	writeFile(t, filepath.Join(root, "content/news/b/index.md"), "---\ntitle: Bundle\ndate: 2020-02-01\n---\nNew bundle.\n")
	ev.wait(t, "reload")
	if code, _ := fetch(t, base+"news/b/"); code != 200 {
		t.Errorf("new page bundle: %d", code)
	}
	if err := os.RemoveAll(filepath.Join(root, "content/news/b")); err != nil {
		t.Fatal(err)
	}
	ev.wait(t, "reload")
	if code, _ := fetch(t, base+"news/b/"); code != 404 {
		t.Errorf("deleted page still served: %d", code)
	}

	// site.yaml rebuilds everything.
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Renamed LMC\nbaseURL: https://lmc.example.org/\n")
	ev.wait(t, "reload")
	if _, body := fetch(t, base); !strings.Contains(body, "Renamed LMC") {
		t.Error("site.yaml change not applied")
	}
	_ = out
}

func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	_, _, err = runCLI(t, "serve", "--root", root, "--addr", ln.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "--addr 127.0.0.1:") {
		t.Errorf("want a clear port-in-use error suggesting another port, got %v", err)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		t.Errorf("raw network error leaked: %v", err)
	}
}
