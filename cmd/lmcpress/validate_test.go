package main

// Whole-site validation of the bundled sample site (the repository root, ../..):
//
//   - TestSampleSiteValidHTML runs the W3C Nu HTML checker (vnu.jar) over every
//     HTML file the build writes. Needs Java and LMCPRESS_VNU_JAR.
//   - TestSampleSiteAccessible serves the built site on loopback and runs axe-core
//     in Debian's Chromium (through chromedp) on the main page types, and checks
//     that the first Tab reaches the skip link. Needs LMCPRESS_BROWSER_TESTS=1,
//     LMCPRESS_AXE_JS and LMCPRESS_CHROMIUM.
//   - TestSampleSiteFeeds parses every RSS, Atom and JSON feed with a real feed
//     parser (gofeed). Needs only Go; never skipped.
//
// `bash .ci/run` installs the tools and sets the variables; see that script.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/mmcdole/gofeed"

	"lmcpress/internal/browsertest"
)

// sampleRoot is the folder of the bundled sample site: the repository root.
func sampleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "content", "site.yaml")); err != nil {
		t.Fatalf("sample site not found: %v", err)
	}
	return root
}

// buildSample builds the sample site with run() into a fresh temporary folder
// and returns that folder. Each test builds its own copy, so that no test can
// see another's leftovers; the sample is small and builds fast.
func buildSample(t *testing.T) string {
	t.Helper()
	root := sampleRoot(t)
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	noEnv := func(string) string { return "" }
	err := run(ctx, []string{"build", "--root", root, "--out", out}, noEnv, testClock,
		strings.NewReader(""), &stdout, &stderr)
	if err != nil {
		t.Fatalf("lmcpress build --root %s --out %s: %v\nstdout:\n%s\nstderr:\n%s",
			root, out, err, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Fatalf("build wrote no index.html: %v\nstdout:\n%s\nstderr:\n%s",
			err, stdout.String(), stderr.String())
	}
	return out
}

// sampleBaseURL reads `baseURL:` from the sample's content/site.yaml with a
// plain line scan (no YAML dependency), and returns it parsed, with a path
// ending in "/".
func sampleBaseURL(t *testing.T) *url.URL {
	t.Helper()
	f, err := os.Open(filepath.Join(sampleRoot(t), "content", "site.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		v, ok := strings.CutPrefix(line, "baseURL:")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if strings.HasPrefix(v, `"`) || strings.HasPrefix(v, `'`) {
			q := v[:1]
			if end := strings.Index(v[1:], q); end >= 0 {
				v = v[1 : 1+end]
			}
		} else if i := strings.Index(v, " #"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("content/site.yaml: baseURL %q is not an absolute http(s) URL", v)
		}
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		return u
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatal("content/site.yaml has no baseURL: line")
	return nil
}

// ---------------------------------------------------------------------------
// HTML validity: the W3C Nu checker over the whole output tree.

type vnuMessage struct {
	Type      string `json:"type"`
	SubType   string `json:"subType"`
	URL       string `json:"url"`
	FirstLine int    `json:"firstLine"`
	LastLine  int    `json:"lastLine"`
	LastCol   int    `json:"lastColumn"`
	Message   string `json:"message"`
	Extract   string `json:"extract"`
}

// vnuChecker is java and the W3C Nu checker's jar, as LMCPRESS_VNU_JAR
// names it; without it the test skips, saying it would check what.
func vnuChecker(t *testing.T, what string) (java, jar string) {
	t.Helper()
	jar = os.Getenv("LMCPRESS_VNU_JAR")
	if jar == "" {
		t.Skipf("LMCPRESS_VNU_JAR not set: run bash .ci/run to check %s with the W3C Nu checker", what)
	}
	java, err := exec.LookPath("java")
	if err != nil {
		t.Fatalf("LMCPRESS_VNU_JAR is set but java is not on PATH: %v", err)
	}
	if _, err := os.Stat(jar); err != nil {
		t.Fatalf("LMCPRESS_VNU_JAR: %v", err)
	}
	return java, jar
}

func TestSampleSiteValidHTML(t *testing.T) {
	java, jar := vnuChecker(t, "HTML")
	validHTML(t, java, jar, buildSample(t))
}

// validHTML runs the W3C Nu checker over every HTML file of the built site
// in out, and fails the test on each error it reports.
func validHTML(t *testing.T, java, jar, out string) {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".htm")) {
			pages = append(pages, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("the build wrote no HTML files")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, java, "-jar", jar,
		"--errors-only", "--format", "json", "--skip-non-html", out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // exits 1 when it found errors: judge by its report
	// vnu writes its report to stderr; look at stdout too in case that changes.
	report := bytes.TrimSpace(stderr.Bytes())
	if len(report) == 0 || report[0] != '{' {
		report = bytes.TrimSpace(stdout.Bytes())
	}
	var res struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(report, &res); err != nil {
		t.Fatalf("vnu gave no JSON report (%v, exit: %v)\nstdout:\n%s\nstderr:\n%s",
			err, runErr, stdout.String(), stderr.String())
	}
	if runErr != nil && len(res.Messages) == 0 {
		t.Fatalf("vnu failed without reporting a message: %v\nstderr:\n%s", runErr, stderr.String())
	}

	var errs []string
	for _, m := range res.Messages {
		file := m.URL
		if u, err := url.Parse(m.URL); err == nil && u.Scheme == "file" {
			file = u.Path
		}
		if rel, err := filepath.Rel(out, file); err == nil && !strings.HasPrefix(rel, "..") {
			file = "/" + filepath.ToSlash(rel)
		}
		line := m.LastLine
		if m.FirstLine != 0 {
			line = m.FirstLine
		}
		e := fmt.Sprintf("%s:%d:%d: %s: %s", file, line, m.LastCol, m.Type, m.Message)
		if ex := strings.TrimSpace(m.Extract); ex != "" {
			e += fmt.Sprintf("\n\t\t%q", ex)
		}
		errs = append(errs, e)
	}
	if len(errs) > 0 {
		t.Errorf("W3C Nu checker found %d error(s) in the built site:\n\t%s",
			len(errs), strings.Join(errs, "\n\t"))
	}
	t.Logf("checked %d HTML files with %s", len(pages), filepath.Base(jar))
}

// ---------------------------------------------------------------------------
// Accessibility: axe-core in Chromium over the main page types.

// siteHandler serves the built site as a static host would: files and folder
// index.html, and 404.html with status 404 for anything missing.
func siteHandler(out string) http.Handler {
	files := http.FileServer(http.Dir(out))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := path.Clean("/" + r.URL.Path)
		fp := filepath.Join(out, filepath.FromSlash(p))
		fi, err := os.Stat(fp)
		if err == nil && fi.IsDir() {
			_, err = os.Stat(filepath.Join(fp, "index.html"))
		}
		if err != nil {
			body, rerr := os.ReadFile(filepath.Join(out, "404.html"))
			if rerr != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(body)
			return
		}
		files.ServeHTTP(w, r)
	})
}

// stylesheetsJS lists the stylesheets that did not load from the site itself:
// axe's colour and target-size checks mean little on an unstyled page, so a
// page whose CSS is missing, or comes from another host (an absolute URL on the
// live host, say, which this closed network cannot reach), fails here rather
// than passing on the wrong rendering. Chromium gives even a failed link an
// empty sheet, so count its rules.
const stylesheetsJS = `Array.from(document.querySelectorAll('link[rel~="stylesheet"]')).filter(l => {
	if (new URL(l.href, location.href).origin !== location.origin) return true;
	try { return !l.sheet || l.sheet.cssRules.length === 0; } catch (e) { return true; }
}).map(l => l.getAttribute('href'))`

// skipLinkJS reports whether the page has the skip link and its target.
const skipLinkJS = `[!!document.querySelector('a[href="#maincontent"]'), !!document.getElementById('maincontent')]`

func TestSampleSiteAccessible(t *testing.T) {
	browserCtx := browsertest.Start(t, "check accessibility with axe-core in Chromium")
	axeSrc := browsertest.RequireAxe(t)

	out := buildSample(t)
	srv := httptest.NewServer(siteHandler(out))
	defer srv.Close()

	// The server answers a missing page with the 404 page and status 404.
	if resp, err := http.Get(srv.URL + "/nonexistent"); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("/nonexistent: status %d, want 404", resp.StatusCode)
		}
	}

	pages := []string{"/", "/news/", "/advice/systmone-instant-messaging/", "/topics/gdpr/", "/search/", "/404.html",
		"/events/", "/events/premises-workshop-2027/", "/events/lmc-elections-2017/"}
	axePages(t, browserCtx, axeSrc, srv.URL, pages)

	t.Run("skip_link_first_tab", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(browserCtx, 60*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
			t.Fatalf("loading /: %v", err)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatalf("pressing Tab: %v", err)
		}
		type focus struct {
			Tag    string `json:"tag"`
			Href   string `json:"href"`
			Text   string `json:"text"`
			Target bool   `json:"target"`
		}
		f, err := chromedp.Run(ctx, chromedp.Evaluate[focus](`(() => {
			const a = document.activeElement;
			return {
				tag: a ? a.tagName.toLowerCase() : '',
				href: (a && a.getAttribute('href')) || '',
				text: a ? (a.textContent || '').trim() : '',
				target: !!document.getElementById('maincontent'),
			};
		})()`))
		if err != nil {
			t.Fatalf("reading the focused element: %v", err)
		}
		if f.Href != "#maincontent" {
			t.Errorf("after one Tab on /, focus is on <%s href=%q> %q; want the skip link, href=\"#maincontent\"", f.Tag, f.Href, f.Text)
		}
		if !f.Target {
			t.Errorf("/ has no element with id=\"maincontent\" for the skip link to reach")
		}
	})
}

// axePages checks each of pages (site-relative) of the site served at
// base in Chromium: status 200, its stylesheets loaded from the site
// itself, the skip link and its target, and no axe-core violation.
func axePages(t *testing.T, browserCtx context.Context, axeSrc []byte, base string, pages []string) {
	t.Helper()
	for _, p := range pages {
		name := strings.Trim(strings.ReplaceAll(p, "/", "_"), "_")
		if name == "" {
			name = "home"
		}
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(browserCtx, 90*time.Second)
			defer cancel()
			resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+p))
			if err != nil {
				t.Fatalf("loading %s: %v", p, err)
			}
			if resp != nil && resp.Status != http.StatusOK {
				t.Fatalf("%s: status %d, want 200", p, resp.Status)
			}
			missing, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](stylesheetsJS))
			if err != nil {
				t.Fatalf("%s: listing stylesheets: %v", p, err)
			}
			for _, href := range missing {
				t.Errorf("%s: stylesheet %q did not load from the site itself (missing, empty, or on another host)", p, href)
			}
			skip, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](skipLinkJS))
			if err != nil {
				t.Fatalf("%s: looking for the skip link: %v", p, err)
			}
			if !skip[0] {
				t.Errorf(`%s: no skip link (<a href="#maincontent">)`, p)
			}
			if !skip[1] {
				t.Errorf(`%s: no element with id="maincontent" for the skip link to reach`, p)
			}
			violations, err := browsertest.Axe(ctx, axeSrc, "")
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			for _, v := range violations {
				t.Errorf("%s: %v", p, v)
			}
		})
	}
}

// ---------------------------------------------------------------------------
// Feeds: every RSS, Atom and JSON feed parses and is well formed.

var feedNames = map[string]string{"feed.xml": "rss", "atom.xml": "atom", "feed.json": "json"}

func TestSampleSiteFeeds(t *testing.T) {
	out := buildSample(t)
	base := sampleBaseURL(t)

	// dir (slash path relative to out, "" for the root) -> feed names present
	dirs := map[string]map[string]bool{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if _, ok := feedNames[d.Name()]; ok {
			rel, err := filepath.Rel(out, filepath.Dir(p))
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			if rel == "." {
				rel = ""
			}
			if dirs[rel] == nil {
				dirs[rel] = map[string]bool{}
			}
			dirs[rel][d.Name()] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Where the contract says feeds must be, and in every folder that has
	// one, all three formats.
	for _, dir := range []string{"", "news", "advice", "topics/gdpr"} {
		if dirs[dir] == nil {
			t.Errorf("no feeds in /%s", strings.TrimPrefix(dir+"/", "/"))
		}
	}
	var dirList []string
	for d := range dirs {
		dirList = append(dirList, d)
	}
	sort.Strings(dirList)
	for _, d := range dirList {
		for name := range feedNames {
			if !dirs[d][name] {
				t.Errorf("/%s has %v but no %s", strings.TrimPrefix(d+"/", "/"), keys(dirs[d]), name)
			}
		}
	}

	n := 0
	for _, d := range dirList {
		for _, name := range []string{"feed.xml", "atom.xml", "feed.json"} {
			if !dirs[d][name] {
				continue
			}
			rel := strings.TrimPrefix(d+"/"+name, "/")
			t.Run(rel, func(t *testing.T) {
				checkFeed(t, filepath.Join(out, filepath.FromSlash(rel)), rel, feedNames[name], base)
			})
			n++
		}
	}
	t.Logf("checked %d feeds in %d folders", n, len(dirList))
}

func keys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func checkFeed(t *testing.T, file, rel, kind string, base *url.URL) {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	self := base.ResolveReference(&url.URL{Path: rel}).String()

	feed, err := gofeed.NewParser().Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("/%s does not parse as a feed: %v", rel, err)
	}
	if feed.FeedType != kind {
		t.Errorf("/%s parses as %q, want %q", rel, feed.FeedType, kind)
	}
	if feed.Title == "" {
		t.Errorf("/%s has no title", rel)
	}
	checkLink := func(what, link string) {
		u, err := url.Parse(link)
		switch {
		case link == "":
			t.Errorf("/%s: %s has no link", rel, what)
		case err != nil:
			t.Errorf("/%s: %s link %q: %v", rel, what, link, err)
		case u.Scheme != "http" && u.Scheme != "https":
			t.Errorf("/%s: %s link %q is not an absolute http(s) URL", rel, what, link)
		case u.Host != base.Host:
			t.Errorf("/%s: %s link %q is not on the site's host %s", rel, what, link, base.Host)
		}
	}
	checkLink("the feed", feed.Link)

	guids := map[string]int{}
	for i, it := range feed.Items {
		what := fmt.Sprintf("item %d (%q)", i+1, it.Title)
		checkLink(what, it.Link)
		if it.PublishedParsed == nil {
			t.Errorf("/%s: %s has no published date (got %q)", rel, what, it.Published)
		}
		if it.GUID == "" {
			t.Errorf("/%s: %s has no GUID/id", rel, what)
		} else if j, dup := guids[it.GUID]; dup {
			t.Errorf("/%s: %s has the same GUID/id %q as item %d", rel, what, it.GUID, j)
		} else {
			guids[it.GUID] = i + 1
		}
	}

	switch kind {
	case "rss":
		dates, selfLinks, err := scanXMLFeed(raw, "channel")
		if err != nil {
			t.Fatalf("/%s: %v", rel, err)
		}
		for _, d := range dates {
			if _, err := time.Parse(time.RFC1123Z, d); err != nil {
				t.Errorf("/%s: pubDate %q is not RFC 1123 with a numeric zone (time.RFC1123Z): %v", rel, d, err)
			}
		}
		checkSelf(t, rel, self, `<atom:link rel="self">`, selfLinks)
	case "atom":
		_, selfLinks, err := scanXMLFeed(raw, "feed")
		if err != nil {
			t.Fatalf("/%s: %v", rel, err)
		}
		checkSelf(t, rel, self, `<link rel="self">`, selfLinks)
	case "json":
		var jf struct {
			FeedURL string `json:"feed_url"`
		}
		if err := json.Unmarshal(raw, &jf); err != nil {
			t.Fatalf("/%s: %v", rel, err)
		}
		if jf.FeedURL != "" && jf.FeedURL != self {
			t.Errorf("/%s: feed_url is %q, want %q", rel, jf.FeedURL, self)
		}
	}
}

func checkSelf(t *testing.T, rel, self, what string, got []string) {
	t.Helper()
	for _, h := range got {
		if h == self {
			return
		}
	}
	if len(got) == 0 {
		t.Errorf("/%s has no %s; want one pointing at %s", rel, what, self)
	} else {
		t.Errorf("/%s: %s points at %q; want %s", rel, what, got, self)
	}
}

const atomNS = "http://www.w3.org/2005/Atom"

// scanXMLFeed reads a raw RSS or Atom document and returns the text of every
// RSS item's <pubDate> and the href of every Atom-namespace <link rel="self">
// that is a direct child of the element named container (RSS <channel>, Atom
// <feed>).
func scanXMLFeed(raw []byte, container string) (pubDates, selfLinks []string, err error) {
	dec := xml.NewDecoder(bytes.NewReader(raw))
	var stack []xml.Name
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return pubDates, selfLinks, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("XML: %w", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1].Local
			}
			if el.Name.Local == "link" && el.Name.Space == atomNS && parent == container {
				var rel, href string
				for _, a := range el.Attr {
					switch a.Name.Local {
					case "rel":
						rel = a.Value
					case "href":
						href = a.Value
					}
				}
				if rel == "self" {
					selfLinks = append(selfLinks, href)
				}
			}
			if el.Name.Local == "pubDate" && el.Name.Space == "" && parent == "item" {
				var s string
				if err := dec.DecodeElement(&s, &el); err != nil {
					return nil, nil, fmt.Errorf("XML: %w", err)
				}
				pubDates = append(pubDates, strings.TrimSpace(s))
				continue // DecodeElement consumed the end tag
			}
			stack = append(stack, el.Name)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}
