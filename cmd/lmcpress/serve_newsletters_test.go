package main

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// newsletterSite writes a small site with one issue, 2016-12, carrying one
// news item.
func newsletterSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\nnewsletter:\n  from: \"Test LMC <news@example.org>\"\n")
	writeFile(t, filepath.Join(root, "content/newsletters/2016-12.md"), "---\ntitle: December 2016 newsletter\ndate: 2016-12-14\n---\nThe editorial.\n")
	writeFile(t, filepath.Join(root, "content/news/flu.md"), "---\ntitle: Flu clinics open\ndate: 2016-12-05\n---\nBook now.\n")
	return root
}

// TestServeNewsletterPreview: the preview lists the issues, shows one at
// both widths beside its text part, shows a save on the next reload, and
// answers an unknown month with the list.
func TestServeNewsletterPreview(t *testing.T) {
	root := newsletterSite(t)
	base, _ := startServe(t, root)

	code, body := fetch(t, base+"_preview/newsletters/")
	if code != 200 || !strings.Contains(body, `href="/_preview/newsletters/2016-12/"`) || !strings.Contains(body, "lmcpress-livereload") {
		t.Fatalf("GET /_preview/newsletters/: %d\n%s", code, body)
	}

	month := base + "_preview/newsletters/2016-12/"
	code, body = fetch(t, month)
	if code != 200 {
		t.Fatalf("GET %s: %d\n%s", month, code, body)
	}
	for _, want := range []string{`class="w600"`, `class="w375"`, "width: 600px", "width: 375px", "<pre>", "lmcpress-livereload"} {
		if !strings.Contains(body, want) {
			t.Errorf("the month page lacks %q:\n%s", want, body)
		}
	}
	pre := body[strings.Index(body, "<pre>"):]
	if !strings.Contains(pre, "Flu clinics open") {
		t.Errorf("the text part lacks the item's title:\n%s", pre)
	}
	if srcdoc := body[strings.Index(body, "srcdoc="):]; !strings.Contains(srcdoc, "Flu clinics open") {
		t.Errorf("the HTML part lacks the item's title:\n%s", body)
	}

	ev := openEvents(t, base)
	writeFile(t, filepath.Join(root, "content/news/flu.md"), "---\ntitle: Flu clinics full\ndate: 2016-12-05\n---\nBook now.\n")
	ev.wait(t, "reload")
	if _, body := fetch(t, month); !strings.Contains(body, "Flu clinics full") || strings.Contains(body, "Flu clinics open") {
		t.Errorf("the month page does not show the saved title:\n%s", body)
	}

	// The redirect names a path only.
	resp, err := http.DefaultTransport.RoundTrip(mustRequest(t, base+"_preview/newsletters/2016-12"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/_preview/newsletters/2016-12/" {
		t.Errorf("/_preview/newsletters/2016-12: %d %q, want a redirect to the slash", resp.StatusCode, resp.Header.Get("Location"))
	}

	for _, path := range []string{"2019-01/", "2016-12/extra", "nonsense"} {
		code, body := fetch(t, base+"_preview/newsletters/"+path)
		if code != http.StatusNotFound || !strings.Contains(body, "No such newsletter") || !strings.Contains(body, `href="/_preview/newsletters/2016-12/"`) {
			t.Errorf("%s: %d, want 404 with the list:\n%s", path, code, body)
		}
	}
}

func mustRequest(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestServeNewsletterPreviewStops: patient data in an item stops the issue;
// the page shows why, starred out, instead of the email.
func TestServeNewsletterPreviewStops(t *testing.T) {
	root := newsletterSite(t)
	base, _ := startServe(t, root)
	ev := openEvents(t, base)
	writeFile(t, filepath.Join(root, "content/news/flu.md"), "---\ntitle: Flu clinics open\ndate: 2016-12-05\n---\nSeen: NHS 943 476 5919, Mrs Jane Smith, DOB 12/03/1985.\n")
	ev.wait(t, "error")
	code, body := fetch(t, base+"_preview/newsletters/2016-12/")
	if code != 200 || !strings.Contains(body, "cannot be sent yet") || strings.Contains(body, "<iframe") {
		t.Errorf("the month page with patient data: %d, want the problem instead of the email:\n%s", code, body)
	}
	if !strings.Contains(body, "news/flu.md") {
		t.Errorf("the problem does not name the file:\n%s", body)
	}
	for _, secret := range []string{"476 5919", "12/03/1985"} {
		if strings.Contains(body, secret) {
			t.Errorf("the page carries %q:\n%s", secret, body)
		}
	}
}

// TestServeNewsletterPreviewHost: the newsletter pages are refused to a
// Host that is not this computer, like every other page.
func TestServeNewsletterPreviewHost(t *testing.T) {
	base, _ := startServe(t, newsletterSite(t))
	for _, path := range []string{"_preview/newsletters/", "_preview/newsletters/2016-12/"} {
		if code, _, body := hostGet(t, base, "attacker.example", "", path); code != http.StatusMisdirectedRequest || strings.Contains(body, "Flu") {
			t.Errorf("Host attacker.example, /%s: %d %q, want 421", path, code, body)
		}
	}
}
