package search_test

// The browser tests run static/js/search.js in Debian's Chromium (through
// chromedp) on the built sample site. Needs LMCPRESS_BROWSER_TESTS=1 and
// LMCPRESS_CHROMIUM; with LMCPRESS_AXE_JS, axe-core also checks the page
// showing results. `bash .ci/run` sets them.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lmcpress/internal/browsertest"
	"lmcpress/internal/search"
)

// siteServer serves a built site from memory as a static host would, and
// counts the bytes of each response.
type siteServer struct {
	files map[string][]byte
	mu    sync.Mutex
	sent  map[string]int // path → bytes, summed
}

func (s *siteServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
	if strings.HasSuffix(r.URL.Path, "/") {
		name = strings.TrimPrefix(name+"/index.html", "/")
	}
	data, ok := s.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(name) {
	case ".html":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	case ".css":
		w.Header().Set("Content-Type", "text/css")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript")
	default:
		w.Header().Set("Content-Type", "application/octet-stream")
	}
	w.Header().Set("Cache-Control", "no-cache")
	s.mu.Lock()
	s.sent[name] += len(data)
	s.mu.Unlock()
	w.Write(data)
}

func (s *siteServer) reset() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.sent
	s.sent = map[string]int{}
	return old
}

func serveSample(t *testing.T) (*siteServer, string) {
	s := &siteServer{files: sampleSite(t), sent: map[string]int{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// js evaluates expr in the page, awaiting a promise, and decodes the result.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func poll(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(20*time.Second))
}

// TestScriptMatchesGo runs every sample query, and more that exercise each
// rule, through the script and through Index.Search: the pages, their order
// and their scores must be the same.
func TestScriptMatchesGo(t *testing.T) {
	ctx := browsertest.Start(t, "test the search script in Chromium")
	_, base := serveSample(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	do(t, ctx, chromedp.Navigate(base+"/search/"), poll(`window.lmcSearch !== undefined`))

	type query struct {
		q string
		f search.Filter
	}
	queries := []query{
		{q: "vacc "}, {q: "pensoins"}, {q: "organisations"}, {q: "ORGANIZATIONS"}, {q: "Café"},
		{q: `"subject access" letter`}, {q: `"access to records"`}, {q: "gp contract 2025/26"},
		{q: "access", f: search.Filter{Section: "news"}}, {q: "practice", f: search.Filter{Topic: "gdpr"}},
		{q: "practice", f: search.Filter{Section: "advice", Topic: "contracts"}}, {q: "the of and"}, {q: ""},
		{q: "sessional gps pensions invoicing"}, {q: "xyzzyplugh"}, {q: "pr"}, {q: "pra"}, {q: "behaviour behavior"},
	}
	for _, c := range sampleQueries {
		queries = append(queries, query{q: c.q})
	}
	ix, _ := sampleIndex(t)
	for _, q := range queries {
		got := js[[][2]int](t, ctx, fmt.Sprintf(`lmcSearch.search(%q, {section: %q, topic: %q}).then(r => r.hits)`, q.q, q.f.Section, q.f.Topic))
		res, err := ix.Search(q.q, q.f)
		if err != nil {
			t.Fatal(err)
		}
		want := [][2]int{}
		for _, h := range res.Hits {
			want = append(want, [2]int{h.Doc, h.Score})
		}
		if got == nil {
			got = [][2]int{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q %+v: the script finds %v, Go %v", q.q, q.f, got, want)
		}
	}

	// idf, the one number worked out with a logarithm, for every df at a
	// few sizes of site.
	for _, n := range []int{1, 7, 100, 986, 9895, 30000} {
		got := js[[]int](t, ctx, fmt.Sprintf(`Array.from({length: %d}, (_, i) => lmcSearch.idf(%d, i + 1))`, n, n))
		for df := 1; df <= n; df++ {
			if want := search.IDF(n, df); got[df-1] != want {
				t.Errorf("idf(%d, %d): the script says %d, Go %d", n, df, got[df-1], want)
			}
		}
	}

	// Words: the script's tokenizer against Go's.
	text := "Organizations’ Behaviour, CAFÉ naïve Straße pediatrics licences GPs NHS news policies analyzed yours " +
		"realize size 2025/26 practice's the x\n\nSØREN łódź İstanbul Ærø"
	got := js[[]search.Token](t, ctx, fmt.Sprintf(
		`lmcSearch.meta().then(() => lmcSearch.tokenize(%q, 0).map(t => ({Term: t.term, Pos: t.pos, Skip: t.skip})))`, text))
	if want := search.Tokenize(text, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("tokens differ:\nscript %v\nGo     %v", got, want)
	}
}

// TestTypingAQuery types on the built sample site's search page as a person
// would and checks what they see and hear.
func TestTypingAQuery(t *testing.T) {
	ctx := browsertest.Start(t, "test the search script in Chromium")
	_, base := serveSample(t)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	first := `document.querySelector('#search-results .search-result a').getAttribute('href')`
	status := `document.querySelector('#search-status').textContent`

	do(t, ctx,
		chromedp.Navigate(base+"/search/"),
		chromedp.WaitVisible(`#search-filters`), // the script has shown the filters
		chromedp.Click(`#search-q`),
		chromedp.SendKeys(`#search-q`, "subject access"),
		poll(status+`.includes('results')`))
	if href := js[string](t, ctx, first); href != "/advice/subject-access-requests/" {
		t.Errorf("first result after typing %q: %s, want /advice/subject-access-requests/", "subject access", href)
	}
	if s := js[string](t, ctx, status); !strings.Contains(s, "results for ‘subject access’") {
		t.Errorf("live region says %q", s)
	}
	marks := strings.ToLower(js[string](t, ctx, `Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent).join(',')`))
	if !strings.Contains(marks, "subject") || !strings.Contains(marks, "access") {
		t.Errorf("marked words: %q, want subject and access", marks)
	}
	if ex := js[string](t, ctx, `document.querySelector('#search-results .search-excerpt').textContent`); ex == "" {
		t.Error("the first result has no excerpt")
	}
	if u := js[string](t, ctx, `location.pathname + location.search`); u != "/search/?q=subject+access" {
		t.Errorf("address after typing: %s, want it to carry the query", u)
	}
	// Keyboard: Tab from the box reaches the button, then the filters.
	do(t, ctx, chromedp.KeyEvent("\t"))
	if f := js[string](t, ctx, `document.activeElement.textContent`); f != "Search" {
		t.Errorf("Tab from the search box reaches %q, want the Search button", f)
	}

	// Accessibility of the page showing results.
	if axeSrc := browsertest.AxeScript(t); axeSrc != nil {
		violations, err := browsertest.Axe(ctx, axeSrc, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range violations {
			t.Errorf("search results page: %v", v)
		}
	}

	// A filter narrows the results, and the live region says so.
	do(t, ctx,
		chromedp.SetValue(`#search-section`, "news"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#search-section').dispatchEvent(new Event('change'))`),
		poll(status+`.includes('in News')`))
	if href := js[string](t, ctx, first); href != "/news/sar-model-letter-published/" {
		t.Errorf("first news result: %s", href)
	}

	// Nothing found: say so, and offer the topics.
	do(t, ctx, chromedp.Navigate(base+"/search/?q=xyzzyplugh"), poll(status+`.includes('No results')`))
	if !js[bool](t, ctx, `!!document.querySelector('.search-none a[href="/topics/"]')`) {
		t.Error("no link to the topics when nothing is found")
	}

	// From the header's box on another page: the query in the address runs at once.
	do(t, ctx, chromedp.Navigate(base+"/news/"), chromedp.SendKeys(`#site-search-q`, "practice boundaries\r"))
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		// The page changes under us: ask again until the search page answers.
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`location.pathname === '/search/' && !!document.querySelector('#search-results .search-result a')`))
		if err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the header's search box did not lead to results on /search/ (%v)", err)
		}
	}
	if href := js[string](t, ctx, first); href != "/advice/practice-boundaries/" {
		t.Errorf("first result from the header's search box: %s", href)
	}
}
