package render_test

import (
	"strings"
	"testing"
	"time"

	"lmcpress/internal/render"
)

// exec runs one page template, src, on data with opts.
func exec(t *testing.T, o render.Options, src string, data any) (string, error) {
	t.Helper()
	tpl, err := render.Parse(theme(map[string]string{"page.html": src}), o)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	b, err := tpl.ExecuteBytes("page.html", data)
	return string(b), err
}

// TestFuncs runs every function the package documentation lists, with its
// example and the cases a theme relies on.
func TestFuncs(t *testing.T) {
	type data struct {
		Date, Late, Winter, Zero time.Time
		Names                    []string
		URL                      string
		Number                   int
	}
	d := data{
		Date:   time.Date(2018, 4, 18, 10, 0, 0, 0, time.UTC),
		Late:   time.Date(2018, 7, 31, 23, 30, 0, 0, time.UTC),  // 1 August, 00:30 in London
		Winter: time.Date(2016, 12, 31, 23, 30, 0, 0, time.UTC), // still 2016 in London (GMT)
		Names:  []string{"GDPR", "Contracts"},
		URL:    "/news/flu/",
		Number: 41,
	}
	o := render.Options{BaseURL: "https://lmc.example.org/", HumanSize: func(n int64) string { return "<" + strings.Repeat("k", int(n/100000)) + ">" }}
	for _, c := range []struct{ src, want string }{
		{`{{date .Date}}`, "18 Apr 2018"},
		{`{{longDate .Date}}`, "18 April 2018"},
		{`{{isoDate .Date}}`, "2018-04-18"},
		{`{{monthYear .Date}}`, "April 2018"},
		{`{{year .Date}}`, "2018"},
		// UK time: 23:30 UTC in summer is the next day there, in winter not.
		{`{{date .Late}}|{{longDate .Late}}|{{isoDate .Late}}|{{monthYear .Late}}|{{year .Late}}`, "1 Aug 2018|1 August 2018|2018-08-01|August 2018|2018"},
		{`{{date .Winter}}|{{year .Winter}}`, "31 Dec 2016|2016"},
		{`{{isZero .Zero}} {{isZero .Date}}`, "true false"},
		{`{{absURL "/news/"}}`, "https://lmc.example.org/news/"},
		{`{{absURL "news/x"}}`, "https://lmc.example.org/news/x"},
		{`{{absURL "/"}}`, "https://lmc.example.org/"},
		{`{{absURL "/news/../advice//x/"}}`, "https://lmc.example.org/advice/x/"},
		{`{{absURL "https://www.bma.org.uk/"}}`, "https://www.bma.org.uk/"},
		{`{{hasPrefix .URL "/news/"}} {{hasPrefix .URL "/advice/"}}`, "true false"},
		{`{{humanSize 319488}}`, "&lt;kkk&gt;"}, // the site's formatter, escaped like any text
		{`{{join .Names ", "}}`, "GDPR, Contracts"},
		{`{{add .Number 1}}`, "42"},
		{`{{plural 3 "item" "items"}}|{{plural 1 "item" "items"}}|{{plural 0 "item" "items"}}`, "3 items|1 item|0 items"},
	} {
		got, err := exec(t, o, c.src, d)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s = %q, want %q", c.src, got, c.want)
		}
	}
	// Without a formatter from the site, humanSize still says something.
	if got, _ := exec(t, render.Options{}, `{{humanSize 2048}}`, nil); got != "2048 bytes" {
		t.Errorf("humanSize with no formatter: %q", got)
	}
	// Without a base address, absURL gives a site-relative one.
	if got, _ := exec(t, render.Options{}, `{{absURL "news/"}}`, nil); got != "/news/" {
		t.Errorf("absURL with no base: %q", got)
	}
}

// TestMissingKeyAndTemplate: a misspelt field, or a page template the theme
// lacks, fails with the template's name instead of printing nothing.
func TestMissingKeyAndTemplate(t *testing.T) {
	_, err := exec(t, render.Options{}, "a\n{{.Titel}}", map[string]string{"Title": "x"})
	if err == nil || !strings.Contains(err.Error(), "page.html:2") || !strings.Contains(err.Error(), "Titel") {
		t.Errorf("missing key: %v, want page.html:2 and the key", err)
	}
	tpl, err := render.Parse(theme(map[string]string{"page.html": "x"}), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tpl.ExecuteBytes("list.html", nil); err == nil || !strings.Contains(err.Error(), "templates/list.html: missing") {
		t.Errorf("missing template: %v", err)
	}
	if _, err := render.Parse(theme(map[string]string{"page.html": "{{nosuch .}}"}), render.Options{}); err == nil ||
		!strings.Contains(err.Error(), "templates/page.html") || !strings.Contains(err.Error(), "function list") {
		t.Errorf("unknown function: %v", err)
	}
	if _, err := render.Parse(theme(map[string]string{"base.html": "x"}), render.Options{}); err == nil {
		t.Error("a theme with no page template parsed")
	}
}
