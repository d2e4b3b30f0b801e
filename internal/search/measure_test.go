package search_test

// TestMeasure measures the search page of a built site in Chromium, beside
// Pagefind's default UI when the site also has a pagefind/ folder: bytes
// sent for the first query and for three more, and the time from the input
// event to results on screen. Not a pass/fail test: it runs only when
// LMCPRESS_SEARCH_MEASURE names a built site (and LMCPRESS_BROWSER_TESTS=1).
//
//	go run ./cmd/lmcpress build --root CORPUS --out /tmp/site
//	npx pagefind --site /tmp/site            # optional: the comparison
//	LMCPRESS_BROWSER_TESTS=1 LMCPRESS_SEARCH_MEASURE=/tmp/site \
//	  go test ./internal/search -run Measure -v

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lmcpress/internal/browsertest"
)

type countingWriter struct {
	http.ResponseWriter
	n *int
}

func (w countingWriter) Write(p []byte) (int, error) {
	*w.n += len(p)
	return w.ResponseWriter.Write(p)
}

type meter struct {
	mu    sync.Mutex
	bytes map[string]int
}

func (m *meter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := 0
		h.ServeHTTP(countingWriter{w, &n}, r)
		m.mu.Lock()
		m.bytes[r.URL.Path] += n
		m.mu.Unlock()
	})
}

func (m *meter) take() (total int, files int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range m.bytes {
		total += n
		files++
	}
	m.bytes = map[string]int{}
	return
}

// The page for Pagefind's default UI, as its documentation sets it up.
const pagefindPage = `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Pagefind</title>
<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div><script>window.addEventListener('DOMContentLoaded', () => { new PagefindUI({ element: "#search", showSubResults: false }); });</script></body></html>`

func TestMeasure(t *testing.T) {
	dir := os.Getenv("LMCPRESS_SEARCH_MEASURE")
	if dir == "" {
		t.Skip("LMCPRESS_SEARCH_MEASURE not set: it names a built site to measure search on")
	}
	ctx := browsertest.Start(t, "measure search in Chromium")
	m := &meter{bytes: map[string]int{}}
	files := http.FileServer(http.Dir(dir))
	mux := http.NewServeMux()
	mux.Handle("/", files)
	mux.HandleFunc("/pagefind-test/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, pagefindPage)
	})
	srv := httptest.NewServer(m.wrap(mux))
	defer srv.Close()
	queries := []string{"telephony", "online consultation", "cyber security", "pensions"}

	type engine struct {
		name, page, input, done string
		assets                  []string // loaded with the page, used only by search
	}
	engines := []engine{{
		name: "lmcpress", page: "/search/", input: "#search-q",
		done:   `document.querySelector('#search-status').textContent.includes('for ‘%s’') && document.querySelectorAll('#search-results .search-result').length > 0`,
		assets: []string{"/js/search.js"},
	}}
	if _, err := os.Stat(filepath.Join(dir, "pagefind", "pagefind-ui.js")); err == nil {
		engines = append(engines, engine{
			name: "pagefind", page: "/pagefind-test/", input: ".pagefind-ui__search-input",
			done:   `(document.querySelector('.pagefind-ui__message') || {}).textContent?.includes('%s') && document.querySelectorAll('.pagefind-ui__result-link').length > 0`,
			assets: []string{"/pagefind/pagefind-ui.js", "/pagefind/pagefind-ui.css"},
		})
	}
	for _, e := range engines {
		tab, cancel := chromedp.NewContext(ctx)
		tctx, cancel2 := context.WithTimeout(tab, 3*time.Minute)
		do(t, tctx, chromedp.Navigate(srv.URL+e.page), chromedp.WaitVisible(e.input))
		time.Sleep(300 * time.Millisecond)
		m.mu.Lock()
		assets := 0
		for _, a := range e.assets {
			assets += m.bytes[a]
		}
		m.mu.Unlock()
		m.take()
		run := func(q string) time.Duration {
			// One input event with the whole query, as the last keystroke of
			// typing it; time until the results are on screen.
			js[bool](t, tctx, fmt.Sprintf(`(() => { const i = document.querySelector(%q); i.value = %q;
				window.__t0 = performance.now(); i.dispatchEvent(new Event('input', {bubbles: true})); return true })()`, e.input, q))
			do(t, tctx, chromedp.Poll[chromedp.Void](fmt.Sprintf(e.done, q), chromedp.WithPollingTimeout(60*time.Second)))
			ms := js[float64](t, tctx, `performance.now() - window.__t0`)
			return time.Duration(ms * float64(time.Millisecond))
		}
		first := run(queries[0])
		b1, f1 := m.take()
		var more []string
		for _, q := range queries[1:] {
			more = append(more, run(q).Round(time.Millisecond).String())
		}
		b3, f3 := m.take()
		// Again, with everything cached in the page.
		cached := run(queries[0])
		t.Logf("%-9s first query %q: %d bytes in %d files (+%d bytes of search script loaded with the page = %d), %s to results",
			e.name, queries[0], b1, f1, assets, b1+assets, first.Round(time.Millisecond))
		t.Logf("%-9s three more queries %q: %d bytes in %d files, %s; repeat of the first: %s",
			e.name, strings.Join(queries[1:], `", "`), b3, f3, strings.Join(more, ", "), cached.Round(time.Millisecond))
		cancel2()
		cancel()
	}
}
