package check

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"lmcpress/internal/content"
)

// TestExternal checks links against a server on 127.0.0.1 only.
func TestExternal(t *testing.T) {
	var inFlight, most atomic.Int32
	var heads atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		if r.Method == http.MethodHead {
			heads.Add(1)
		}
		switch r.URL.Path {
		case "/ok":
		case "/missing":
			http.NotFound(w, r)
		case "/broken":
			http.Error(w, "oops", http.StatusInternalServerError)
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
		case "/temp":
			http.Redirect(w, r, "/ok", http.StatusFound)
		case "/nohead":
			if r.Method == http.MethodHead {
				w.WriteHeader(http.StatusMethodNotAllowed)
			}
		case "/slow":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		default:
			time.Sleep(20 * time.Millisecond) // /wait/N: to see how many run at once
		}
	}))
	defer srv.Close()
	defer close(release)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("test server is not on loopback: %s", srv.URL)
	}
	var page strings.Builder
	page.WriteString("---\ntitle: Links\n---\n\n")
	for _, p := range []string{"ok", "missing", "broken", "moved", "temp", "nohead", "slow"} {
		fmt.Fprintf(&page, "[%s](%s/%s)\n\n", p, srv.URL, p)
	}
	fmt.Fprintf(&page, "[again](%s/missing#section) <!-- lmcpress:allow external-link -->\n\n", srv.URL)
	for i := range 8 {
		fmt.Fprintf(&page, "[wait](%s/wait/%d)\n\n", srv.URL, i)
	}
	o := Options{
		Content: fstest.MapFS{
			"site.yaml": file("title: T\nbaseURL: https://x.example/\n"),
			"links.md":  file(page.String()),
		},
		Visibility:      content.Visibility{Now: testNow},
		External:        true,
		ExternalWorkers: 3,
		ExternalTimeout: 300 * time.Millisecond,
	}
	rep, err := Site(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, fmt.Sprintf("%d %s %s: %s", f.Line, f.Severity, f.Rule, strings.ReplaceAll(f.Message, srv.URL, "")))
	}
	want := []string{
		"7 warning external-link: link to /missing: the site answers 404 Not Found",
		"9 warning external-link: link to /broken: the site answers 500 Internal Server Error",
		"11 warning external-redirect: link to /moved: moved permanently to /ok",
		"13 info external-redirect: link to /temp: redirects (302) to /ok",
		"17 warning external-link: link to /slow: could not be reached: no answer within 300ms",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.Summary.Allowed != 1 || !rep.Summary.ExternalChecked || rep.Summary.External != 15 {
		t.Errorf("summary %+v", rep.Summary)
	}
	if m := most.Load(); m > 3 {
		t.Errorf("%d requests at once, want at most 3", m)
	}
	for _, l := range rep.External {
		if !l.Checked {
			t.Errorf("%s not checked", l.URL)
		}
		if strings.HasSuffix(l.URL, "/nohead") && l.Status != 200 {
			t.Errorf("/nohead: status %d, want 200 from the GET after HEAD was refused", l.Status)
		}
		if strings.HasSuffix(l.URL, "/missing") && len(l.Links) != 2 {
			t.Errorf("/missing: %d links, want 2 (the fragment is not part of the address)", len(l.Links))
		}
	}
	if heads.Load() < 15 {
		t.Errorf("%d HEAD requests, want one per address first", heads.Load())
	}
}

func TestExternalNotRequestedWithoutFlag(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	rep, err := Site(context.Background(), Options{
		Content: fstest.MapFS{
			"site.yaml": file("title: T\nbaseURL: https://x.example/\n"),
			"links.md":  file("---\ntitle: Links\n---\n\n[x](" + srv.URL + "/x)\n"),
		},
		Visibility: content.Visibility{Now: testNow},
	})
	if err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 0 || len(rep.External) != 1 || rep.External[0].Checked {
		t.Errorf("without External, links are listed, not requested: %d requests, %+v", hits.Load(), rep.External)
	}
}
