// Package browsertest starts the headless Chromium that the browser tests
// share (the search script, the sample site's accessibility, the preview's
// warnings panel), and runs axe-core in it, so that each test says what it
// checks rather than how a browser is started. It is imported only by
// _test.go files, and is the only importer of chromedp.
//
// The tests run only when LMCPRESS_BROWSER_TESTS=1; LMCPRESS_CHROMIUM names
// the browser (default /usr/bin/chromium) and LMCPRESS_AXE_JS axe.min.js.
// `bash .ci/run` installs them and sets the variables.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Start starts Chromium for t and returns the context of its first tab,
// closed when t ends; or skips t, saying that running .ci/run would go on
// to do what ("check the search script in Chromium"), when
// LMCPRESS_BROWSER_TESTS is not 1. A browser that does not start, or does
// not answer within 90 s, fails t with its output.
func Start(t testing.TB, what string) context.Context {
	t.Helper()
	if os.Getenv("LMCPRESS_BROWSER_TESTS") != "1" {
		t.Skip("LMCPRESS_BROWSER_TESTS not 1: run bash .ci/run to " + what)
	}
	chromium := os.Getenv("LMCPRESS_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("LMCPRESS_CHROMIUM: %v", err)
	}
	var log lockedBuffer // Chromium's stdout and stderr, for failures
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1024),
		chromedp.CombinedOutput(&log),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancel)

	// Start the browser with a deadline on a separate watchdog: a timeout on
	// the first Run's own context would stop the whole browser later.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx, chromedp.Navigate("about:blank")) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("starting %s: %v\nbrowser output:\n%s", chromium, err, log.String())
		}
	case <-time.After(90 * time.Second):
		cancel()
		t.Fatalf("starting %s: no answer in 90s\nbrowser output:\n%s", chromium, log.String())
	}
	return ctx
}

// Violation is one rule axe-core found broken.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// String gives the rule, where to read about it, and every element that
// breaks it, one a line.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "axe %s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t  at %s", formatTarget(n.Target))
		if s := strings.TrimSpace(n.FailureSummary); s != "" {
			fmt.Fprintf(&b, "\n\t     %s", strings.ReplaceAll(s, "\n", "\n\t     "))
		}
	}
	return b.String()
}

// AxeScript is axe.min.js as LMCPRESS_AXE_JS names it, or nil when the
// variable is not set; a file that cannot be read fails t.
func AxeScript(t testing.TB) []byte {
	t.Helper()
	name := os.Getenv("LMCPRESS_AXE_JS")
	if name == "" {
		return nil
	}
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("LMCPRESS_AXE_JS: %v", err)
	}
	return src
}

// RequireAxe is AxeScript for a test that has started Chromium
// (LMCPRESS_BROWSER_TESTS=1) and so must check accessibility: without
// LMCPRESS_AXE_JS it fails t rather than passing unchecked.
func RequireAxe(t testing.TB) []byte {
	t.Helper()
	src := AxeScript(t)
	if src == nil {
		t.Fatal("LMCPRESS_BROWSER_TESTS=1 needs LMCPRESS_AXE_JS (the path of axe.min.js)")
	}
	return src
}

// Axe runs axe-core (its source, from AxeScript) on the page open in ctx
// against WCAG 2.2 A and AA, over the elements that the CSS selector
// include matches, or the whole document when include is "".
func Axe(ctx context.Context, axeSrc []byte, include string) ([]Violation, error) {
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axeSrc))); err != nil {
		return nil, fmt.Errorf("injecting axe-core: %w", err)
	}
	scope := "document"
	if include != "" {
		q, _ := json.Marshal(include)
		scope = "{include: [" + string(q) + "]}"
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](`axe.run(`+scope+`, {
	runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
	resultTypes: ['violations']
}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("running axe-core: %w", err)
	}
	return v, nil
}

func formatTarget(target []any) string {
	var parts []string
	for _, x := range target {
		switch x := x.(type) {
		case string:
			parts = append(parts, x)
		default: // iframe or shadow DOM paths are nested arrays
			b, _ := json.Marshal(x)
			parts = append(parts, string(b))
		}
	}
	return strings.Join(parts, " ")
}

// lockedBuffer is a bytes.Buffer that the browser's output goroutine and the
// test can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
