package search_test

// BenchmarkSearchPage measures the search page of a built site in Chromium,
// beside Pagefind's default UI when the site also has a pagefind/ folder:
// bytes sent for the first query and for three more, and the time from the
// input event to results on screen. Each iteration opens the page in a new
// browser context, with nothing cached. It runs only when
// LMCPRESS_SEARCH_MEASURE names a built site (and LMCPRESS_BROWSER_TESTS=1).
//
//	go run ./cmd/lmcpress build --root CORPUS --out /tmp/site
//	npx pagefind --site /tmp/site            # optional: the comparison
//	LMCPRESS_BROWSER_TESTS=1 LMCPRESS_SEARCH_MEASURE=/tmp/site \
//	  go test ./internal/search -run '^$' -bench SearchPage -benchtime 3x
//
// Metrics, per iteration: first-B and first-files (what the first query
// downloads, beyond the page), page-B (the search script and styles loaded
// with the page), first-ms (input to results), more-B and more-ms (three
// further queries, summed), repeat-ms (the first query again, all cached).

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
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

func BenchmarkSearchPage(b *testing.B) {
	dir := os.Getenv("LMCPRESS_SEARCH_MEASURE")
	if dir == "" {
		b.Skip("LMCPRESS_SEARCH_MEASURE not set: it names a built site to measure search on")
	}
	ctx := browsertest.Start(b, "measure search in Chromium")
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
		b.Run(e.name, func(b *testing.B) {
			var sum struct {
				pageB, firstB, firstFiles, moreB int
				first, more, repeat              time.Duration
			}
			n := 0
			for b.Loop() {
				// A new browser context: nothing cached from the last iteration.
				tab, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
				tctx, cancel2 := context.WithTimeout(tab, 3*time.Minute)
				do(b, tctx, chromedp.Navigate(srv.URL+e.page), chromedp.WaitVisible(e.input),
					chromedp.Poll[chromedp.Void](`document.readyState === 'complete'`, chromedp.WithPollingTimeout(60*time.Second)))
				m.mu.Lock()
				for _, a := range e.assets {
					sum.pageB += m.bytes[a]
				}
				m.mu.Unlock()
				m.take()
				run := func(q string) time.Duration {
					// One input event with the whole query, as the last keystroke of
					// typing it; time until the results are on screen.
					js[bool](b, tctx, fmt.Sprintf(`(() => { const i = document.querySelector(%q); i.value = %q;
						window.__t0 = performance.now(); i.dispatchEvent(new Event('input', {bubbles: true})); return true })()`, e.input, q))
					do(b, tctx, chromedp.Poll[chromedp.Void](fmt.Sprintf(e.done, q), chromedp.WithPollingTimeout(60*time.Second)))
					ms := js[float64](b, tctx, `performance.now() - window.__t0`)
					return time.Duration(ms * float64(time.Millisecond))
				}
				sum.first += run(queries[0])
				bytes, files := m.take()
				sum.firstB += bytes
				sum.firstFiles += files
				for _, q := range queries[1:] {
					sum.more += run(q)
				}
				bytes, _ = m.take()
				sum.moreB += bytes
				sum.repeat += run(queries[0]) // again, with everything cached in the page
				cancel2()
				cancel()
				n++
			}
			per := func(v int) float64 { return float64(v) / float64(n) }
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(n) }
			b.ReportMetric(per(sum.pageB), "page-B")
			b.ReportMetric(per(sum.firstB), "first-B")
			b.ReportMetric(per(sum.firstFiles), "first-files")
			b.ReportMetric(ms(sum.first), "first-ms")
			b.ReportMetric(per(sum.moreB), "more-B")
			b.ReportMetric(ms(sum.more), "more-ms")
			b.ReportMetric(ms(sum.repeat), "repeat-ms")
		})
	}
}
