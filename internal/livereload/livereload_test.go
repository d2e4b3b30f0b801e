package livereload

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// readEvent reads one "event:" and its "data:" line from an SSE stream.
func readEvent(t *testing.T, r *bufio.Reader) (string, string) {
	t.Helper()
	var typ string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended: %v", err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			typ = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && typ != "":
			return typ, strings.TrimPrefix(line, "data: ")
		}
	}
}

func connect(t *testing.T, b *Broker) *bufio.Reader {
	t.Helper()
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	deadline := time.Now().Add(2 * time.Second)
	for b.Clients() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	return bufio.NewReader(resp.Body)
}

func TestEventsReachEveryPage(t *testing.T) {
	b := New()
	r1, r2 := connect(t, b), connect(t, b)
	b.Notify(Event{Type: "reload"})
	for _, r := range []*bufio.Reader{r1, r2} {
		if typ, _ := readEvent(t, r); typ != "reload" {
			t.Errorf("got %q, want reload", typ)
		}
	}
}

func TestErrorIsSentToLateComers(t *testing.T) {
	b := New()
	b.Notify(ErrorEvent(Problem{Summary: "content/news/a.md line 3: bad date", Errors: []Detail{{File: "content/news/a.md", Line: 3, Message: "bad <date>"}}}))
	r := connect(t, b)
	typ, data := readEvent(t, r)
	if typ != "error" || !strings.Contains(data, `"line":3`) || strings.Contains(data, "\n") {
		t.Errorf("late page got %q %q", typ, data)
	}
	b.Notify(Event{Type: "ok"})
	if typ, _ := readEvent(t, r); typ != "ok" {
		t.Errorf("got %q, want ok", typ)
	}
	if connect(t, b) != nil && b.last != nil {
		t.Error("error still remembered after ok")
	}
}

func TestInject(t *testing.T) {
	got := string(Inject([]byte("<html><body><p>x</p></body></html>")))
	if !strings.HasSuffix(got, Script+"</body></html>") {
		t.Errorf("script not before </body>: %q", got)
	}
	if got := string(Inject([]byte("<p>no body</p>"))); !strings.HasSuffix(got, Script) {
		t.Error("script not appended when there is no </body>")
	}
}
