package server

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"lmcpress/internal/livereload"
)

type fakeNewsletters struct{ err error }

func (fakeNewsletters) Months() []string { return []string{"2016-12"} }

func (f fakeNewsletters) Preview(month string) ([]byte, []byte, error) {
	return []byte(`<p>Issue "` + month + `"</p>`), []byte("Text <part>"), f.err
}

// TestNewslettersOnlyInPreview: a published site (no Reload) has no
// newsletter pages, even with Newsletters set: its 404 page answers.
func TestNewslettersOnlyInPreview(t *testing.T) {
	h := New(Options{Site: func() fs.FS { return site }, Newsletters: fakeNewsletters{}})
	for _, target := range []string{"/_preview/newsletters/", "/_preview/newsletters/2016-12/"} {
		if res, body := get(t, h, "GET", target); res.StatusCode != 404 || !strings.Contains(body, "not found") {
			t.Errorf("%s without the preview: %d %q, want the site's 404", target, res.StatusCode, body)
		}
	}
}

// TestNewslettersPage: the issue is escaped into srcdoc, the text part into
// <pre>, and a Preview error is shown escaped instead of the email.
func TestNewslettersPage(t *testing.T) {
	h := New(Options{Site: func() fs.FS { return site }, Reload: livereload.New(), Newsletters: fakeNewsletters{}})
	res, body := get(t, h, "GET", "/_preview/newsletters/2016-12/")
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("%d %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	for _, want := range []string{`srcdoc="&lt;p&gt;Issue &#34;2016-12&#34;&lt;/p&gt;"`, "<pre>Text &lt;part&gt;</pre>", "lmcpress-livereload"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %s:\n%s", want, body)
		}
	}

	h = New(Options{Site: func() fs.FS { return site }, Reload: livereload.New(), Newsletters: fakeNewsletters{err: errors.New("news/a.md:3: <b>bad</b>")}})
	_, body = get(t, h, "GET", "/_preview/newsletters/2016-12/")
	if !strings.Contains(body, "news/a.md:3: &lt;b&gt;bad&lt;/b&gt;") || strings.Contains(body, "<iframe") {
		t.Errorf("the error is not shown, escaped, instead of the email:\n%s", body)
	}
}
