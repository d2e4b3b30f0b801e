package livereload

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
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
	// Every test here is over in well under a second: a stream still open
	// after ten is closed, so that a missing event fails the read.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
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
	// The broker counts the page in before it writes ": connected".
	r := bufio.NewReader(resp.Body)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("stream ended before it said it was connected: %v", err)
		}
		if line == ": connected\n" {
			return r
		}
	}
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

func TestWarningsAreRememberedApartFromErrors(t *testing.T) {
	b := New()
	w := Warnings{Count: 2, Findings: []Warning{
		{File: "content/news/a.md", Line: 5, Column: 1, Severity: "warning", Rule: "heading-level", Message: "a <h4> after the title", Hint: "use ##"},
		{File: "content/advice/b.md", Line: 0, Severity: "warning", Rule: "review-stale", Message: "not reviewed"},
	}}
	b.Notify(WarningsEvent(w))
	// A reload (every save) does not forget the warnings: the reloaded page
	// needs them again.
	b.Notify(Event{Type: "reload"})
	r := connect(t, b)
	typ, data := readEvent(t, r)
	if typ != "warnings" || !strings.Contains(data, `"rule":"heading-level"`) || !strings.Contains(data, `"count":2`) || strings.Contains(data, "\n") {
		t.Fatalf("late page got %q %q", typ, data)
	}

	// An error and the warnings are both sent to a page that connects
	// while the build is broken, the error first.
	b.Notify(ErrorEvent(Problem{Summary: "bad date", Errors: []Detail{{File: "content/news/a.md", Line: 3, Message: "bad date"}}}))
	if typ, _ := readEvent(t, r); typ != "error" {
		t.Fatalf("got %q, want error", typ)
	}
	r2 := connect(t, b)
	if typ, _ := readEvent(t, r2); typ != "error" {
		t.Errorf("late page: got %q first, want error", typ)
	}
	if typ, data := readEvent(t, r2); typ != "warnings" || !strings.Contains(data, "heading-level") {
		t.Errorf("late page: got %q %q second, want the warnings", typ, data)
	}
	// A new warnings event does not clear the error, and replaces the old
	// warnings.
	b.Notify(WarningsEvent(Warnings{}))
	r3 := connect(t, b)
	if typ, _ := readEvent(t, r3); typ != "error" {
		t.Errorf("error forgotten after a warnings event: got %q", typ)
	}
	if typ, data := readEvent(t, r3); typ != "warnings" || data != `{"count":0,"errors":0,"findings":[],"more":0}` {
		t.Errorf("got %q %q, want the empty warnings", typ, data)
	}
	// "ok" clears the error only.
	b.Notify(Event{Type: "ok"})
	r4 := connect(t, b)
	if typ, data := readEvent(t, r4); typ != "warnings" || !strings.Contains(data, `"count":0`) {
		t.Errorf("after ok: got %q %q, want only the warnings", typ, data)
	}
}

func TestWarningsEventCapsTheList(t *testing.T) {
	w := Warnings{Count: MaxWarnings + 7}
	for range MaxWarnings + 7 {
		w.Findings = append(w.Findings, Warning{File: "content/x.md", Rule: "image-alt", Message: "no alt"})
	}
	var got Warnings
	if err := json.Unmarshal([]byte(WarningsEvent(w).Data), &got); err != nil {
		t.Fatal(err)
	}
	if got.Count != MaxWarnings+7 || len(got.Findings) != MaxWarnings || got.More != 7 {
		t.Errorf("count %d, %d listed, %d more; want %d, %d, 7", got.Count, len(got.Findings), got.More, MaxWarnings+7, MaxWarnings)
	}
}

func TestScriptBuildsNoMarkup(t *testing.T) {
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"} {
		if strings.Contains(Script, bad) {
			t.Errorf("the script uses %s: messages must go in with textContent", bad)
		}
	}
	for _, want := range []string{`"warnings"`, `"role", "region"`, "aria-label", "aria-expanded", "aria-controls", "focus-visible", "Escape"} {
		if !strings.Contains(Script, want) {
			t.Errorf("the warnings panel lacks %s", want)
		}
	}
}

// TestStuckPageIsDropped: a page that stops reading the stream is dropped
// once a write has waited WriteWait, rather than holding its connection
// for as long as the server runs.
func TestStuckPageIsDropped(t *testing.T) {
	b := New()
	b.WriteWait = 200 * time.Millisecond
	srv := httptest.NewServer(b)
	t.Cleanup(srv.Close)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetReadBuffer(4 << 10) // fills sooner
	}
	// Asks for the stream, then never reads a byte.
	if _, err := conn.Write([]byte("GET / HTTP/1.1\r\nHost: " + srv.Listener.Addr().String() + "\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); b.Clients() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the page never connected")
		}
		time.Sleep(10 * time.Millisecond)
	}
	big := Event{Type: "error", Data: strings.Repeat("x", 256<<10)}
	for deadline := time.Now().Add(10 * time.Second); b.Clients() > 0; {
		if time.Now().After(deadline) {
			t.Fatal("a page that reads nothing is still connected after 10 s")
		}
		b.Notify(big)
		time.Sleep(20 * time.Millisecond)
	}
}
