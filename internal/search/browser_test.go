package search_test

// The browser tests run static/js/search.js in Debian's Chromium (through
// chromedp) on the built sample site. Needs LMCPRESS_BROWSER_TESTS=1 and
// LMCPRESS_CHROMIUM; with LMCPRESS_AXE_JS, axe-core also checks the page
// showing results. `bash .ci/run` sets them.

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lmcpress"
	"lmcpress/internal/browsertest"
	"lmcpress/internal/search"
)

// siteServer serves a built site from memory as a static host would, range
// requests included unless whole is set, and counts the bytes of each
// response.
type siteServer struct {
	files map[string][]byte
	whole bool // ignore Range headers, as some servers do
	mu    sync.Mutex
	sent  map[string]int // path, and " bytes=..." if a range, → bytes, summed
	asked map[string]int // the same → requests
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
	key := name
	if s.whole {
		r.Header.Del("Range")
	} else if rng := r.Header.Get("Range"); rng != "" {
		key += " " + rng
	}
	n := 0
	http.ServeContent(countingWriter{w, &n}, r, name, time.Time{}, bytes.NewReader(data))
	s.mu.Lock()
	s.sent[key] += n
	s.asked[key]++
	s.mu.Unlock()
}

func (s *siteServer) reset() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.sent
	s.sent, s.asked = map[string]int{}, map[string]int{}
	return old
}

func serveSample(t *testing.T) (*siteServer, string) {
	s := &siteServer{files: sampleSite(t), sent: map[string]int{}, asked: map[string]int{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv.URL
}

// js evaluates expr in the page, awaiting a promise, and decodes the result.
func js[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func poll(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(20*time.Second))
}

// filter narrows a search, as the script's search(q, {section, topic}) takes it.
type filter struct{ section, topic string }

// scriptPage is a site's search index served with static/js/search.js, open
// in a browser tab, so that tests ask the script itself.
type scriptPage struct {
	ctx  context.Context
	srv  *siteServer
	page string   // the page that loads the script
	urls []string // page id → address, from its d/ bucket
}

// openScript serves files (a built site, or only an index from
// search.Build, to which the script and a page that loads it are added)
// and opens the page in ctx.
func openScript(t *testing.T, ctx context.Context, files map[string][]byte) *scriptPage {
	t.Helper()
	site := map[string][]byte{}
	for name, data := range files {
		site[name] = data
	}
	page := "/search/"
	if _, ok := site["js/search.js"]; !ok {
		page = "/"
		js, err := fs.ReadFile(lmcpress.Theme, "static/js/search.js")
		if err != nil {
			t.Fatal(err)
		}
		site["js/search.js"] = js
		site["index.html"] = []byte(`<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>search</title></head>` +
			`<body><script src="/js/search.js"></script></body></html>`)
	}
	p := &scriptPage{ctx: ctx, srv: &siteServer{files: site, sent: map[string]int{}, asked: map[string]int{}}}
	srv := httptest.NewServer(p.srv)
	t.Cleanup(srv.Close)
	p.page = srv.URL + page
	for _, r := range records(t, files) {
		p.urls = append(p.urls, r.URL)
	}
	p.reload(t)
	return p
}

// reload opens the page again, so that the script starts with nothing
// loaded, and forgets what was sent so far.
func (p *scriptPage) reload(t *testing.T) {
	t.Helper()
	do(t, p.ctx, chromedp.Navigate(p.page), poll(`window.lmcSearch !== undefined`))
	p.srv.reset()
}

// hits is the script's answer to q: [page id, score], best first.
func (p *scriptPage) hits(t *testing.T, q string, f filter) [][2]int {
	t.Helper()
	got := js[[][2]int](t, p.ctx, fmt.Sprintf(`lmcSearch.search(%q, {section: %q, topic: %q}).then(r => r.hits)`, q, f.section, f.topic))
	if got == nil {
		got = [][2]int{}
	}
	return got
}

// top is the addresses of the script's first n results for q.
func (p *scriptPage) top(t *testing.T, q string, f filter, n int) []string {
	t.Helper()
	var out []string
	for i, h := range p.hits(t, q, f) {
		if i == n {
			break
		}
		out = append(out, p.urls[h[0]])
	}
	return out
}

// TestSearchScript is the judge of static/js/search.js, the only code that
// answers a query: its ranking rules on a small fixed corpus, the sample
// site's queries, what a query downloads, and its words and numbers
// against the index builder's. One browser serves every part.
func TestSearchScript(t *testing.T) {
	browser := browsertest.Start(t, "test the search script in Chromium")
	ctx, cancel := context.WithTimeout(browser, 4*time.Minute)
	defer cancel()
	t.Run("ranking", func(t *testing.T) { testRanking(t, ctx) })
	t.Run("sample_queries", func(t *testing.T) { testSampleQueries(t, ctx) })
	t.Run("shards_on_demand", func(t *testing.T) { testShardsOnDemand(t, ctx) })
	t.Run("words", func(t *testing.T) { testWords(t, ctx) })
}

// testRanking pins each ranking rule on corpus.
func testRanking(t *testing.T, ctx context.Context) {
	files, err := search.Build(corpus)
	if err != nil {
		t.Fatal(err)
	}
	p := openScript(t, ctx, files)
	for _, c := range []struct {
		why, q string
		f      filter
		want   []string
	}{
		{"title above body, then phrase above scattered words", "subject access", filter{},
			[]string{"/advice/sar/", "/news/access-phrase/", "/news/access-scattered/"}},
		{"a quoted phrase must be there word for word", `"subject access"`, filter{},
			[]string{"/advice/sar/", "/news/access-phrase/"}},
		{"stop words keep their place in a phrase", `"copy of their record"`, filter{}, []string{"/advice/sar/"}},
		{"a phrase is not found across paragraphs", `"allowed fees"`, filter{}, nil},
		{"newer above older when equal", "flu vaccine", filter{}, []string{"/news/flu-2018/", "/news/flu-2017/"}},
		{"the word being typed matches longer words", "vacc", filter{}, []string{"/news/flu-2018/", "/news/flu-2017/"}},
		{"a finished word matches only itself...", "record ", filter{}, []string{"/news/access-scattered/", "/advice/sar/"}},
		{"...unless nothing has it", "commit ", filter{}, []string{"/about/"}},
		{"one typo in a long word", "vacines", filter{}, []string{"/news/flu-2018/", "/news/flu-2017/"}},
		{"swapped letters", "ordreing", filter{}, []string{"/news/flu-2018/", "/news/flu-2017/"}},
		{"no typos in short words", "flew", filter{}, nil},
		{"American spelling", "organization behavior", filter{}, []string{"/guidance/organisations/"}},
		{"accents and case", "CAFE", filter{}, []string{"/guidance/organisations/"}},
		{"topic names are indexed", "workforce", filter{}, []string{"/guidance/organisations/"}},
		{"every word must be there", "flu organisations", filter{}, nil},
		{"section filter", "access", filter{section: "news"}, []string{"/news/access-scattered/", "/news/access-phrase/"}},
		{"topic filter", "access", filter{topic: "gdpr"}, []string{"/advice/sar/", "/news/access-phrase/"}},
		{"both filters", "access", filter{section: "news", topic: "gdpr"}, []string{"/news/access-phrase/"}},
		{"only stop words", "the and of", filter{}, nil},
		{"nothing typed", "", filter{}, nil},
		{"curly quotes", "“subject access”", filter{}, []string{"/advice/sar/", "/news/access-phrase/"}},
		{"an unclosed quote is ignored", `"subject access`, filter{},
			[]string{"/advice/sar/", "/news/access-phrase/", "/news/access-scattered/"}},
	} {
		if got := p.top(t, c.q, c.f, 10); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %q %+v gives %q, want %q", c.why, c.q, c.f, got, c.want)
		}
	}

	empty, err := search.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := openScript(t, ctx, empty).hits(t, "anything", filter{}); len(got) != 0 {
		t.Errorf("an empty index finds %v", got)
	}
}

// testSampleQueries runs sampleQueries on the sample site, and checks that
// rules the fixed corpus cannot show hold on real pages.
func testSampleQueries(t *testing.T, ctx context.Context) {
	p := openScript(t, ctx, sampleSite(t))
	var dump strings.Builder
	for _, c := range sampleQueries {
		got := p.top(t, c.q, filter{}, 5)
		dump.WriteString("\t{" + quoteGo(c.q) + ", []string{")
		for i, u := range got {
			if i > 0 {
				dump.WriteString(", ")
			}
			dump.WriteString(quoteGo(u))
		}
		dump.WriteString("}},\n")
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: top 5\n\tgot  %q\n\twant %q", c.q, got, c.want)
		}
	}
	if os.Getenv("LMCPRESS_DUMP_QUERIES") != "" {
		t.Log("\n" + dump.String())
	}

	// Spelling, case and accents change nothing, scores included.
	for _, pair := range [][2]string{{"organisations", "ORGANIZATIONS"}, {"practise", "Practice"}, {"organization", "Organisation"}} {
		a, b := p.hits(t, pair[0], filter{}), p.hits(t, pair[1], filter{})
		if len(a) == 0 || !reflect.DeepEqual(a, b) {
			t.Errorf("%q finds %v, %q %v: want the same, and something", pair[0], a, pair[1], b)
		}
	}
	// A typo, or a word being typed, still finds every page the word does.
	for _, c := range [][2]string{{"pensoins", "pensions"}, {"pra", "practice"}, {"vacc", "vaccination"}} {
		found := map[int]bool{}
		for _, h := range p.hits(t, c[0], filter{}) {
			found[h[0]] = true
		}
		word := p.hits(t, c[1]+" ", filter{})
		for _, h := range word {
			if !found[h[0]] {
				t.Errorf("%q misses %s, which %q finds", c[0], p.urls[h[0]], c[1])
			}
		}
		if len(word) == 0 {
			t.Errorf("%q finds nothing on the sample site", c[1])
		}
	}
	// A quoted phrase only narrows: its pages are some of the unquoted
	// words' pages (none, for "access to records").
	for _, c := range [][2]string{{`"subject access" letter`, "subject access letter"}, {`"access to records"`, "access to records"}} {
		narrow, wide := p.hits(t, c[0], filter{}), p.hits(t, c[1], filter{})
		in := map[int]bool{}
		for _, h := range wide {
			in[h[0]] = true
		}
		for _, h := range narrow {
			if !in[h[0]] {
				t.Errorf("%q finds %s, which %q does not", c[0], p.urls[h[0]], c[1])
			}
		}
		if len(wide) == 0 {
			t.Errorf("%q finds nothing on the sample site", c[1])
		}
	}
	// A filter only narrows too, and changes no score: its results are
	// some of the unfiltered ones, in the same order, with the same scores.
	for _, c := range []struct {
		q string
		f filter
	}{
		{"access", filter{section: "news"}},
		{"practice", filter{topic: "gdpr"}},
		{"practice", filter{section: "advice", topic: "contracts"}},
	} {
		narrow, wide := p.hits(t, c.q, c.f), p.hits(t, c.q, filter{})
		if len(narrow) == 0 || len(narrow) >= len(wide) || !inOrder(narrow, wide) {
			t.Errorf("%q %+v finds %v; want fewer than, in the order and with the scores of, the unfiltered %v", c.q, c.f, narrow, wide)
		}
		for _, h := range narrow {
			if c.f.section != "" && !strings.HasPrefix(p.urls[h[0]], "/"+c.f.section+"/") {
				t.Errorf("%q in section %s finds %s", c.q, c.f.section, p.urls[h[0]])
			}
		}
	}
	for _, q := range []string{"the of and", "", "xyzzyplugh"} {
		if got := p.hits(t, q, filter{}); len(got) != 0 {
			t.Errorf("%q finds %v, want nothing", q, got)
		}
	}
}

// inOrder reports whether every hit of sub is in all, with the same score,
// in the same order.
func inOrder(sub, all [][2]int) bool {
	i := 0
	for _, h := range sub {
		for i < len(all) && all[i] != h {
			i++
		}
		if i == len(all) {
			return false
		}
		i++
	}
	return true
}

// testShardsOnDemand checks that a query reads only what it needs, on a
// corpus big enough for many shards.
func testShardsOnDemand(t *testing.T, ctx context.Context) {
	files, err := search.Build(synthetic(2000))
	if err != nil {
		t.Fatal(err)
	}
	shards := 0
	for name := range files {
		if strings.HasPrefix(name, search.Dir+"s/") {
			shards++
		}
	}
	if shards < 20 {
		t.Fatalf("only %d shards for 2000 pages", shards)
	}
	// count counts the files, or parts of files, sent whose names start
	// with prefix; "t/" and "p/" count a shard's terms and positions.
	count := func(sent map[string]int, prefix string) int {
		n := 0
		for key := range sent {
			name := strings.TrimPrefix(key, search.Dir)
			if rest, ok := strings.CutPrefix(name, "s/"); ok { // its terms are the part from byte 0
				if strings.Contains(rest, " bytes=0-") {
					name = "t/" + rest
				} else {
					name = "p/" + rest
				}
			}
			if strings.HasPrefix(name, prefix) {
				n++
			}
		}
		return n
	}
	p := openScript(t, ctx, files)
	if len(p.hits(t, "wibble7 ", filter{})) == 0 {
		t.Fatal("wibble7: nothing found")
	}
	if sent := p.srv.reset(); count(sent, "meta.bin") != 1 || count(sent, "t/") != 1 || count(sent, "p/") != 0 || count(sent, "d/") != 0 {
		t.Errorf("a one-word query loaded %v; want meta.bin and one term shard", sent)
	}
	p.reload(t)
	if len(p.hits(t, "wibble7 zork3", filter{section: "news"})) == 0 {
		t.Fatal("wibble7 zork3 in news: nothing found")
	}
	if sent := p.srv.reset(); count(sent, "t/") != 2 || count(sent, "p/") != 2 || count(sent, "filters") != 1 {
		t.Errorf("a two-word filtered query loaded %v; want two term shards, their positions and filters.bin", sent)
	}

	// A page of ten results: each page's entry from its bucket, its text
	// from its pack, two range requests a page.
	p.reload(t)
	recs := records(t, files)
	const q = "wibble7 "
	total := func(sent map[string]int) (n int) {
		for _, b := range sent {
			n += b
		}
		return n
	}
	if n := len(p.hits(t, q, filter{})); n < 10 {
		t.Fatalf("%q: %d results, want at least 10 for a page of them", q, n)
	}
	first := total(p.srv.reset())
	type shown struct {
		Doc                int
		URL, Summary, Text string
	}
	got := js[[]shown](t, p.ctx, fmt.Sprintf(`lmcSearch.meta().then(m => lmcSearch.search(%q).then(r =>
		Promise.all(r.hits.slice(0, 10).map(h => Promise.all([lmcSearch.record(m, h[0]), lmcSearch.text(m, h[0])])
			.then(([rec, text]) => ({Doc: h[0], URL: rec.u, Summary: text.m || '', Text: text.x}))))))`, q))
	for _, r := range got {
		if r.URL != recs[r.Doc].URL || r.Text != recs[r.Doc].Text || r.Summary != recs[r.Doc].Summary {
			t.Errorf("page %d shows %s with %d bytes of text; want %s with %d", r.Doc, r.URL, len(r.Text), recs[r.Doc].URL, len(recs[r.Doc].Text))
		}
	}
	p.srv.mu.Lock()
	asked := p.srv.asked
	p.srv.mu.Unlock()
	ranged := 0
	for name, n := range asked {
		if strings.HasPrefix(name, search.Dir+"x/") {
			ranged += n
		}
	}
	sent := p.srv.reset()
	if len(got) != 10 || count(sent, "d/") > 10 || ranged != 20 || count(sent, "t/")+count(sent, "meta") != 0 {
		t.Errorf("a page of %d results loaded %v with %d range requests; want at most 10 buckets and 20 ranges", len(got), sent, ranged)
	}
	t.Logf("on %d pages, %q downloads %d bytes of index (the first query), and a page of 10 results %d more", len(recs), q, first, total(sent))

	// A server that ignores range requests: the same results, from whole
	// shard files, each fetched once; results show their titles only.
	const q2 = "wibble7 zork3"
	want := p.hits(t, q2, filter{})
	p.srv.whole = true
	p.reload(t)
	if got := p.hits(t, q2, filter{}); !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Errorf("%q from a server without ranges: %v, want %v", q2, got, want)
	}
	p.srv.mu.Lock()
	for name, n := range p.srv.asked {
		if strings.HasPrefix(name, search.Dir+"s/") && n != 1 {
			t.Errorf("%s fetched %d times from a server without ranges", name, n)
		}
	}
	p.srv.mu.Unlock()
	texts := js[[]string](t, p.ctx, fmt.Sprintf(`lmcSearch.meta().then(m => lmcSearch.search(%q).then(r =>
		Promise.all(r.hits.slice(0, 3).map(h => Promise.all([lmcSearch.record(m, h[0]), lmcSearch.text(m, h[0])]).then(([rec, text]) => rec.u + JSON.stringify(text))))))`, q))
	for i, s := range texts {
		if !strings.HasPrefix(s, "/") || !strings.HasSuffix(s, "/{}") {
			t.Errorf("result %d from a server without ranges: %q, want its address and no text", i, s)
		}
	}
	p.srv.whole = false
}

// testWords checks the script's words and its one logarithm against the
// index builder's.
func testWords(t *testing.T, ctx context.Context) {
	p := openScript(t, ctx, sampleSite(t))
	// idf, round(100 × ln(1 + N/df)) as the package documentation gives
	// it, for every df at a few sizes of site.
	for _, n := range []int{1, 7, 100, 986, 9895, 30000} {
		got := js[[]int](t, p.ctx, fmt.Sprintf(`Array.from({length: %d}, (_, i) => lmcSearch.idf(%d, i + 1))`, n, n))
		for df := 1; df <= n; df++ {
			if want := int(math.Round(100 * math.Log(1+float64(n)/float64(df)))); got[df-1] != want {
				t.Errorf("idf(%d, %d): the script says %d, want %d", n, df, got[df-1], want)
			}
		}
	}
	text := "Organizations’ Behaviour, CAFÉ naïve Straße pediatrics licences GPs NHS news policies analyzed yours " +
		"realize size 2025/26 practice's the x\n\nSØREN łódź İstanbul Ærø"
	got := js[[]search.Token](t, p.ctx, fmt.Sprintf(
		`lmcSearch.meta().then(() => lmcSearch.tokenize(%q, 0).map(t => ({Term: t.term, Pos: t.pos, Skip: t.skip})))`, text))
	if want := search.Tokenize(text, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("tokens differ:\nscript %v\nGo     %v", got, want)
	}
}

// TestTypingAQuery types on the built sample site's search page as a person
// would and checks what they see and hear.
func TestTypingAQuery(t *testing.T) {
	ctx := browsertest.Start(t, "test the search page in Chromium")
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
		// The keys go in one at a time and the script searches as they
		// arrive, so wait for the whole query's results, not the first
		// partial query's status line.
		poll(status+`.includes('results for ‘subject access’') && document.querySelector('#search-results .search-result a') !== null`))
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
		poll(status+`.includes('in News') && document.querySelector('#search-results .search-result a') !== null`))
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
