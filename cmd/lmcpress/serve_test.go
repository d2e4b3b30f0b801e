package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"lmcpress/internal/browsertest"
	"lmcpress/internal/livereload"
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
	go func() {
		done <- run(ctx, args, func(string) string { return "" }, testClock, strings.NewReader(""), out, out)
	}()
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
	connected := make(chan struct{})
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
			if line == ": connected" {
				close(connected)
			} else if v, ok := strings.CutPrefix(line, "event: "); ok {
				typ = v
			} else if v, ok := strings.CutPrefix(line, "data: "); ok && typ != "" {
				s.events <- [2]string{typ, v}
				typ = ""
			}
		}
	}()
	// The broker counts the page in before it writes this line.
	select {
	case <-connected:
	case <-time.After(10 * time.Second):
		t.Fatal("the event stream never said it was connected")
	}
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

// drain drops the events received so far.
func (s *sse) drain() {
	for {
		select {
		case <-s.events:
		default:
			return
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

// waitWarnings waits for a "warnings" event for which ok holds, skipping
// others (an editor's save may reach the watcher as two batches).
func (s *sse) waitWarnings(t testing.TB, ok func(livereload.Warnings) bool) livereload.Warnings {
	t.Helper()
	deadline := time.After(10 * time.Second)
	var last string
	for {
		select {
		case e := <-s.events:
			if e[0] != "warnings" {
				continue
			}
			last = e[1]
			var w livereload.Warnings
			if err := json.Unmarshal([]byte(e[1]), &w); err != nil {
				t.Fatalf("warnings event is not JSON: %v\n%s", err, e[1])
			}
			if ok(w) {
				return w
			}
		case <-deadline:
			t.Fatalf("no such warnings event; last one: %s", last)
		}
	}
}

func hasHeadingWarning(w livereload.Warnings) bool {
	for _, f := range w.Findings {
		if f.File == "content/news/a.md" && f.Rule == "heading-level" && f.Line == 5 && f.Severity == "warning" && f.Message != "" && f.Hint != "" {
			return true
		}
	}
	return false
}

func TestServeContentWarnings(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\n#### Too deep\n\nBody.\n")
	base, _ := startServe(t, root)

	// The check runs after the first build: a page open now gets its
	// findings, live or remembered.
	ev := openEvents(t, base)
	w := ev.waitWarnings(t, func(w livereload.Warnings) bool { return w.Count > 0 })
	if !hasHeadingWarning(w) || w.Count != len(w.Findings) || w.More != 0 || w.Errors != 0 {
		t.Errorf("want one heading-level warning for content/news/a.md line 5, got %+v", w)
	}
	// A page opened later (every reload is one) gets them too.
	late := openEvents(t, base)
	if w := late.waitWarnings(t, func(livereload.Warnings) bool { return true }); !hasHeadingWarning(w) {
		t.Errorf("late page got %+v", w)
	}

	// Fixing the heading: the reload comes first, then the empty list.
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\n## Right level\n\nBody.\n")
	ev.wait(t, "reload")
	ev.waitWarnings(t, func(w livereload.Warnings) bool { return w.Count == 0 && len(w.Findings) == 0 })
	late2 := openEvents(t, base)
	late2.waitWarnings(t, func(w livereload.Warnings) bool {
		if w.Count != 0 {
			t.Errorf("late page got stale warnings: %+v", w)
		}
		return true
	})

	// A build error does not lose the warnings: late pages get the overlay
	// and the warnings both.
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\n#### Too deep again\n")
	ev.wait(t, "reload")
	ev.waitWarnings(t, hasHeadingWarning)
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: Flu clinics\ndate: 2020-13-01\n---\n#### Too deep again\n")
	ev.wait(t, "error")
	late3 := openEvents(t, base)
	late3.wait(t, "error")
	late3.waitWarnings(t, hasHeadingWarning)
}

// TestServeChecksCoalesce: builds in quick succession cost one check, and a
// check overtaken by a failed build reports nothing.
func TestServeChecksCoalesce(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\n#### Too deep\n")
	var sf siteFlags
	sf.root = root
	folders, err := openSite(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(folders.Close)
	o, err := sf.options(testNow, folders)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pv := &preview{sf: sf, folders: folders, broker: livereload.New(), ctx: ctx, opts: o, checkDelay: 100 * time.Millisecond}
	t.Cleanup(func() { cancel(); pv.checks.Wait() })
	srv := httptest.NewServer(pv.broker)
	t.Cleanup(srv.Close)
	ev := openEvents(t, srv.URL+"/")
	// quiet waits for the check loop to stop (its events are sent before
	// it does), then sends an event of its own: anything the page gets
	// before that one came from a check.
	quiet := func(what string) {
		t.Helper()
		stopped := make(chan struct{})
		go func() { pv.checks.Wait(); close(stopped) }()
		select {
		case <-stopped:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the check loop did not stop", what)
		}
		pv.broker.Notify(livereload.Event{Type: "marker"})
		for {
			select {
			case e := <-ev.events:
				if e[0] == "marker" {
					return
				}
				t.Errorf("%s: unexpected %s event %s", what, e[0], e[1])
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: the marker event never came", what)
			}
		}
	}

	pv.check(true)
	// Once the check is under way (waiting out checkDelay), a failed
	// build drops it.
	for deadline := time.Now().Add(10 * time.Second); ; {
		pv.mu.Lock()
		started := pv.stopCheck != nil
		pv.mu.Unlock()
		if started {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the check never started")
		}
		runtime.Gosched()
	}
	pv.check(false)
	quiet("check dropped by a failed build")

	for range 5 {
		pv.check(true)
	}
	ev.waitWarnings(t, hasHeadingWarning)
	quiet("after five builds in a row")
}

// TestServeWarningsPanelInBrowser opens a preview page in Chromium and works
// the warnings panel with the keyboard: it must be a labelled region, start
// collapsed, open with Enter, close with Escape, show a focus outline, pass
// axe-core, stay dismissed across reloads, and go away once the findings do.
func TestServeWarningsPanelInBrowser(t *testing.T) {
	browserCtx := browsertest.Start(t, "try the warnings panel in Chromium")
	root := t.TempDir()
	page := filepath.Join(root, "content/news/a.md")
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, page, "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\n#### Too deep\n\nBody <b>one</b>.\n")
	base, _ := startServe(t, root)
	// The test listens to the preview's events too, to know when the
	// check after a rebuild has reported.
	ev := openEvents(t, base)

	ctx, cancel := context.WithTimeout(browserCtx, 90*time.Second)
	defer cancel()

	type panelState struct {
		Present  bool   `json:"present"`
		Role     string `json:"role"`
		Label    string `json:"label"`
		Toggle   string `json:"toggle"`
		Expanded string `json:"expanded"`
		Hidden   bool   `json:"hidden"`
		List     string `json:"list"`
		Focus    string `json:"focus"`
		Outline  string `json:"outline"`
		Height   int    `json:"height"`
		Body     string `json:"body"`
	}
	read := func() (panelState, error) {
		return chromedp.Run(ctx, chromedp.Evaluate[panelState](`(() => {
			const p = document.getElementById('lmcpress-warnings');
			const main = (document.querySelector('main') || document.body || {}).textContent || '';
			if (!p) return {present: false, body: main};
			const tg = document.getElementById('lmcpress-warnings-toggle');
			const l = document.getElementById('lmcpress-warnings-list');
			const a = document.activeElement;
			return {present: true, role: p.getAttribute('role'), label: p.getAttribute('aria-label'),
				toggle: tg.textContent, expanded: tg.getAttribute('aria-expanded'), hidden: l.hidden,
				list: l.textContent, focus: a ? a.id : '', outline: a ? getComputedStyle(a).outlineStyle : '',
				height: Math.round(p.getBoundingClientRect().height), body: main};
		})()`))
	}
	state := func() panelState {
		t.Helper()
		st, err := read()
		if err != nil {
			t.Fatalf("reading the panel: %v", err)
		}
		return st
	}
	waitFor := func(what string, ok func(panelState) bool) panelState {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			st, err := read() // fails while the page reloads
			if err == nil && ok(st) {
				return st
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: panel is %+v", what, st)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	// checked waits until the check that follows a save's rebuild has sent
	// its findings (the page gets them when this stream does), then gives
	// the page's handler a moment and fails if the panel shows: what must
	// not happen can only be watched for, here for 400 ms.
	checked := func(what string) {
		t.Helper()
		ev.wait(t, "reload")
		ev.wait(t, "warnings")
		for i := 0; i < 8; i++ {
			if st, err := read(); err == nil && st.Present {
				t.Errorf("%s: %+v", what, st)
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	key := func(k string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
			t.Fatal(err)
		}
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"news/a/")); err != nil {
		t.Fatal(err)
	}
	st := waitFor("the panel never appeared", func(s panelState) bool { return s.Present })
	if st.Role != "region" || !strings.Contains(st.Label, "1 content warning") || !strings.Contains(st.Toggle, "1 content warning") ||
		st.Expanded != "false" || !st.Hidden || st.Height > 80 {
		t.Errorf("collapsed panel: %+v", st)
	}

	// Keyboard: Tab from the last link of the page reaches the toggle (the
	// panel is last in the document); Enter opens it.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const a = document.querySelectorAll('a, button, [tabindex]'); let last = null; a.forEach(e => { if (!e.closest('#lmcpress-warnings')) last = e; }); last.focus(); })()`)); err != nil {
		t.Fatal(err)
	}
	key(kb.Tab)
	if st := state(); st.Focus != "lmcpress-warnings-toggle" || st.Outline == "none" || st.Outline == "" {
		t.Errorf("Tab after the page's last control: focus on %q, outline %q; want the toggle, outlined", st.Focus, st.Outline)
	}
	key(kb.Enter)
	st = state()
	if st.Expanded != "true" || st.Hidden || !strings.Contains(st.List, "content/news/a.md:5") || !strings.Contains(st.List, "heading-level") || !strings.Contains(st.List, "What to do:") {
		t.Errorf("after Enter: %+v", st)
	}
	if axeSrc := browsertest.AxeScript(t); axeSrc != nil {
		violations, err := browsertest.Axe(ctx, axeSrc, "#lmcpress-warnings")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range violations {
			t.Errorf("warnings panel: %v", v)
		}
	}
	key(kb.Escape)
	if st := state(); st.Expanded != "false" || !st.Hidden || st.Focus != "lmcpress-warnings-toggle" {
		t.Errorf("after Escape: %+v", st)
	}

	// Dismissed, it stays away when the page reloads with the same findings.
	key(kb.Tab)
	key(kb.Enter)
	if st := state(); st.Present {
		t.Errorf("Dismiss did not remove the panel: %+v", st)
	}
	writeFile(t, page, "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\n#### Too deep\n\nBody <b>two</b>.\n")
	waitFor("the page did not reload", func(s panelState) bool { return strings.Contains(s.Body, "two") })
	checked("dismissed panel came back for the same findings")

	// New findings bring it back; none take it away. (An error would stop
	// the build, and the overlay would show it: the panel holds warnings.)
	writeFile(t, page, "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\n#### Too deep\n\nSee [the top](/news/a/#nowhere).\n")
	st = waitFor("the panel did not come back for new findings", func(s panelState) bool { return s.Present })
	if !strings.Contains(st.Toggle, "2 content warnings") {
		t.Errorf("with a second warning, the toggle says %q", st.Toggle)
	}
	ev.drain() // the events of the saves above
	writeFile(t, page, "---\ntitle: Flu clinics\ndate: 2020-01-01\n---\n## Right level\n\nBody three.\n")
	// The reloaded page first gets the findings last known; the check that
	// follows the rebuild clears them.
	// So the page may show the old panel for a moment after it reloads:
	// wait for the check's event, then for the page to take it, and then
	// the panel must stay away.
	ev.wait(t, "reload")
	ev.wait(t, "warnings")
	waitFor("the panel stayed after the fix", func(s panelState) bool { return strings.Contains(s.Body, "three") && !s.Present })
	for i := 0; i < 8; i++ {
		if st, err := read(); err == nil && st.Present {
			t.Errorf("panel back after the fix: %+v", st)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestServeBeforeTheFirstGoodBuild: when the site cannot be built at all,
// every address serves a page saying so, which carries the overlay and
// reloads once the site builds; then the site is served.
func TestServeBeforeTheFirstGoodBuild(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: First\ndate: 2020-13-01\n---\nFirst body.\n")
	base, _ := startServe(t, root)
	for _, p := range []string{"", "news/a/", "no/such/page/"} {
		code, body := fetch(t, base+p)
		if code != http.StatusNotFound || !strings.Contains(body, "<h1>The site could not be built yet</h1>") || !strings.Contains(body, "lmcpress-livereload") {
			t.Fatalf("GET /%s: %d\n%s", p, code, body)
		}
	}
	ev := openEvents(t, base)
	if data := ev.wait(t, "error"); !strings.Contains(data, `"file":"content/news/a.md"`) || !strings.Contains(data, "month out of range") {
		t.Errorf("the overlay does not say what is wrong: %s", data)
	}
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: First\ndate: 2020-12-01\n---\nFirst body.\n")
	ev.wait(t, "reload")
	if code, body := fetch(t, base+"news/a/"); code != 200 || !strings.Contains(body, "First body.") {
		t.Errorf("after the fix: %d\n%s", code, body)
	}
}
