package newsletter

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sampleDay is the day the reference builds were made: tests never read the
// machine's clock.
var sampleDay = time.Date(2026, 12, 1, 23, 40, 0, 0, time.UTC)

// sample builds an issue of the repository's sample site with the default
// templates.
func sample(t testing.TB, month, area string) (*Issue, error) {
	t.Helper()
	fsys := os.DirFS("../../content")
	cfg, err := content.LoadConfig(fsys)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := content.Load(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return Build(Options{Config: cfg, Pages: tree.Pages, Visibility: content.Visibility{Now: sampleDay},
		Templates: os.DirFS("../../templates/email"), Month: month, Area: area})
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/newsletter -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file: if the change is meant, run go test ./internal/newsletter -update and review the diff", p)
	}
}

func TestDecember2016(t *testing.T) {
	is, err := sample(t, "2016-12", "")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "2016-12.html", is.HTML)
	golden(t, "2016-12.txt", is.Text)
	if is.Subject != "December 2016 newsletter" || is.Month != "2016-12" {
		t.Errorf("subject %q, month %q", is.Subject, is.Month)
	}
	if len(is.Items) == 0 {
		t.Fatal("no items")
	}
	if len(is.HTML) > MaxHTML {
		t.Errorf("HTML part is %d bytes, over %d", len(is.HTML), MaxHTML)
	}
	// The standfirst from covering:, under the title in both parts.
	const standfirst = "Covering: GP funding assurance, lost records, patient engagement and sessional GPs"
	if !regexp.MustCompile(`</h1>\s*<p class="meta"[^>]*>` + standfirst + `</p>`).MatchString(is.HTML) {
		t.Errorf("HTML part lacks %q right under the title", standfirst)
	}
	if !strings.HasPrefix(is.Text, is.Subject+"\n"+strings.Repeat("=", len(is.Subject))+"\n\n"+standfirst[:60]) {
		t.Errorf("text part does not open with the title and %q:\n%.300s", standfirst, is.Text)
	}
	// Newest first, in the model and in the text part as read.
	at := -1
	for i, p := range is.Items {
		if i > 0 && p.Announced().After(is.Items[i-1].Announced()) {
			t.Errorf("item %d (%s) is newer than the one before it: want newest first", i, p.File)
		}
		head := p.Title + "\n" + strings.Repeat("-", len([]rune(p.Title)))
		if j := strings.Index(is.Text, head); j < 0 {
			t.Errorf("text part lacks the underlined heading %q", p.Title)
		} else if j < at {
			t.Errorf("text part shows %q before the item above it in the issue", p.Title)
		} else {
			at = j
		}
	}
	for _, p := range is.Items {
		link := "https://lmc.example.org" + p.URL()
		if !strings.Contains(strings.Join(strings.Fields(is.Text), " "), p.Title) {
			t.Errorf("text part lacks the title %q", p.Title)
		}
		if !strings.Contains(is.Text, "] "+link+"\n") {
			t.Errorf("text part lacks the numbered reference to %s", link)
		}
		if !strings.Contains(is.HTML, `href="`+link+`"`) {
			t.Errorf("HTML part lacks a link to %s", link)
		}
	}
	for _, l := range strings.Split(is.Text, "\n") {
		if n := len([]rune(l)); n > Width && !strings.Contains(l, "://") {
			t.Errorf("text line of %d characters: %q", n, l)
		}
	}
	// The email rules of issue 12, each a property of the HTML.
	for _, want := range []string{`<html lang="en-GB"`, "<!--[if mso]>", "Suite 4, Riverside House, 12 Mill Lane, Northfield, NF1 2AB",
		UnsubscribePlaceholder, `class="container" width="100%"`, `class="column" width="600"`, `<meta name="color-scheme" content="light"/>`} {
		if !strings.Contains(is.HTML, want) {
			t.Errorf("HTML part lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "@font-face", "@import", "fonts.googleapis", `href="/`, `src="/`, "display:flex", "display: flex", "grid", `<style type="text/css">`, "@media"} {
		if strings.Contains(is.HTML, bad) {
			t.Errorf("HTML part has %q", bad)
		}
	}
	if tables, roles := strings.Count(is.HTML, "<table"), strings.Count(is.HTML, `<table role="presentation"`); tables != roles {
		t.Errorf("%d tables, %d of them role=presentation", tables, roles)
	}
	for _, img := range regexp.MustCompile(`<img[^>]*>`).FindAllString(is.HTML, -1) {
		if !strings.Contains(img, " alt=") {
			t.Errorf("image without alt: %s", img)
		}
	}
	// The CSS is inlined: the first style sheet is gone, its rules on the elements.
	if strings.Contains(is.HTML, "border-collapse: collapse; }") || !strings.Contains(is.HTML, `<h1 style="`) {
		t.Error("the style sheet was not inlined")
	}
}

func TestMonths(t *testing.T) {
	_, err := sample(t, "2019-01", "")
	if !errors.Is(err, ErrUnknownMonth) || !strings.Contains(err.Error(), "2016-12, 2025-10, 2025-11, 2026-11") {
		t.Errorf("unknown month: %v, want the months that exist", err)
	}
	newest, err := sample(t, "", "")
	if err != nil || newest.Month != "2026-11" {
		t.Errorf("default month: %v, %v; want the newest, 2026-11", newest, err)
	}
}

func TestEmptyIssue(t *testing.T) {
	fsys := fstest.MapFS{
		"site.yaml":              {Data: []byte("title: T\nbaseURL: https://lmc.example.org/\n")},
		"newsletters/2020-01.md": {Data: []byte("---\ntitle: January 2020\ndate: 2020-01-10\n---\n")},
		"news/in-february.md":    {Data: []byte("---\ntitle: Feb\ndate: 2020-02-03\n---\nLater.\n")},
		"newsletters/2020-02.md": {Data: []byte("---\ntitle: February 2020\ndate: 2020-02-10\n---\n")},
		"news/for-eastbrook.md":  {Data: []byte("---\ntitle: East\ndate: 2020-02-04\nareas: [Eastbrook]\n---\nEast.\n")},
		"newsletters/_index.md":  {Data: []byte("---\ntitle: Newsletters\n---\n")},
	}
	cfg, err := content.LoadConfig(fsys)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Areas = []content.Term{{Name: "Eastbrook"}}
	tree, err := content.Load(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Config: cfg, Pages: tree.Pages, Visibility: content.Visibility{Now: sampleDay}, Templates: os.DirFS("../../templates/email")}
	o.Month = "2020-01"
	if _, err := Build(o); err == nil || !strings.Contains(err.Error(), "content/newsletters/2020-01.md has no editorial and the month has no news") {
		t.Errorf("empty month: %v", err)
	}
	o.Month = "2020-02"
	is, err := Build(o)
	if err != nil || len(is.Items) != 2 {
		t.Fatalf("February: %v, %v", is, err)
	}
	o.Area = "Kingsmere"
	if is, err := Build(o); err != nil || len(is.Items) != 1 || strings.Contains(is.Text, "East") {
		t.Errorf("February for Kingsmere: %v; want only the item for everyone", err)
	}
}

// TestHeldIssue: an issue is written before it goes out, as a draft or
// dated ahead. Asking for it says which file holds it back and which flag
// builds it, rather than that the month has no newsletter; the flag then
// builds it.
func TestHeldIssue(t *testing.T) {
	fsys := fstest.MapFS{
		"site.yaml":              {Data: []byte("title: T\nbaseURL: https://lmc.example.org/\n")},
		"newsletters/2020-01.md": {Data: []byte("---\ntitle: January 2020\ndate: 2020-01-10\n---\nOut.\n")},
		"newsletters/2020-02.md": {Data: []byte("---\ntitle: February 2020\ndate: 2020-02-10\ndraft: true\n---\nBeing written.\n")},
		"newsletters/2020-03.md": {Data: []byte("---\ntitle: March 2020\ndate: 2020-03-10\n---\nAhead.\n")},
	}
	cfg, err := content.LoadConfig(fsys)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := content.Load(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2020, 3, 1, 12, 0, 0, 0, time.UTC)
	o := Options{Config: cfg, Pages: tree.Pages, Visibility: content.Visibility{Now: now}, Templates: os.DirFS("../../templates/email")}
	for _, tt := range []struct{ month, want string }{
		{"2020-02", "content/newsletters/2020-02.md is a draft (draft: true): add --drafts"},
		{"2020-03", "content/newsletters/2020-03.md is not published yet (its date or publishDate is in the future): add --future"},
		{"2019-12", "the months with one are 2020-01"},
	} {
		o.Month = tt.month
		if _, err := Build(o); !errors.Is(err, ErrUnknownMonth) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want %q", tt.month, err, tt.want)
		}
	}
	o.Month, o.Visibility.Drafts = "2020-02", true
	if is, err := Build(o); err != nil || is.Month != "2020-02" {
		t.Errorf("2020-02 with drafts: %v, %v", is, err)
	}
}

// TestDatesForYourDiary: the December 2016 issue (dated 14 December) lists
// the events of the two months after it, soonest first, each with its
// "Add to calendar" link, in both parts; an area edition keeps those for
// its area and for everyone.
func TestDatesForYourDiary(t *testing.T) {
	is, err := sample(t, "2016-12", "")
	if err != nil {
		t.Fatal(err)
	}
	committee := "https://lmc.example.org/events/committee-meeting-2017-01/"
	sessional := "https://lmc.example.org/events/sessional-gp-evening-2017/"
	for _, part := range []string{is.HTML, is.Text} {
		i, j := strings.Index(part, "Dates for your diary"), strings.Index(part, committee)
		k := strings.Index(part, sessional)
		if i < 0 || j < i || k < j {
			t.Errorf("want Dates for your diary with the committee meeting, then the sessional GPs evening:\n%s", part)
		}
		for _, not := range []string{"sar-course-2016", "practice-nurse-training-days-2017"} {
			if strings.Contains(part, "/events/"+not+"/") {
				t.Errorf("%s is outside the two months after the issue", not)
			}
		}
	}
	if !strings.Contains(is.HTML, `<a href="`+committee+`event.ics"`) || !strings.Contains(is.Text, "[2] "+committee+"event.ics\n") {
		t.Error("no Add to calendar link to the committee meeting's calendar file")
	}
	if !strings.Contains(is.Text, "Tue 10 Jan 2017, 7:30pm to 9:30pm, Riverside House") {
		t.Error("text part lacks the committee meeting's time and place")
	}
	ash, err := sample(t, "2016-12", "Ashcombe")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ash.Text, sessional) || !strings.Contains(ash.Text, committee) {
		t.Error("the Ashcombe edition should have the committee meeting but not Northfield's sessional GPs evening")
	}
}

// TestDiaryJoiningLink: the committee meeting's joining link reaches the
// email's two parts only when site.yaml shares joining links.
func TestDiaryJoiningLink(t *testing.T) {
	const link = "https://meet.example.org/lmc-committee-2017-01"
	fsys := os.DirFS("../../content")
	for _, share := range []bool{false, true} {
		cfg, err := content.LoadConfig(fsys)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Events.JoinURLs = share
		tree, err := content.Load(fsys, cfg)
		if err != nil {
			t.Fatal(err)
		}
		is, err := Build(Options{Config: cfg, Pages: tree.Pages, Visibility: content.Visibility{Now: sampleDay},
			Templates: os.DirFS("../../templates/email"), Month: "2016-12"})
		if err != nil {
			t.Fatal(err)
		}
		for name, part := range map[string]string{"HTML": is.HTML, "text": is.Text} {
			if got := strings.Contains(part, link); got != share {
				t.Errorf("shareJoinUrls %v: the %s part has the joining link: %v", share, name, got)
			}
		}
	}
}

// noteShortcode is a site's shortcode, as site.PageShortcodes gives one.
type noteShortcode struct{}

func (noteShortcode) Has(name string) bool { return name == "note" }

func (noteShortcode) Render(c *markdown.Call) (string, bool, error) {
	if c.Name != "note" {
		return "", false, nil
	}
	return `<div class="note">` + c.Inner + `</div>`, true, nil
}

// TestIssueShortcodes: the editorial's shortcodes are worked out as on the
// site: a ref gives the item's absolute address, a site's own shortcode
// its HTML; neither is left as text in the HTML or the text part.
func TestIssueShortcodes(t *testing.T) {
	fsys := fstest.MapFS{
		"site.yaml":              {Data: []byte("title: T\nbaseURL: https://lmc.example.org/\n")},
		"newsletters/2020-02.md": {Data: []byte("---\ntitle: February 2020\ndate: 2020-02-10\n---\nRead [the flu news]({{< ref \"news/flu.md\" >}}).\n\n{{% note %}}Clinics **open**.{{% /note %}}\n")},
		"news/flu.md":            {Data: []byte("---\ntitle: Flu\ndate: 2020-02-03\nslug: flu-clinics\n---\nClinics.\n")},
	}
	cfg, err := content.LoadConfig(fsys)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := content.Load(fsys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	is, err := Build(Options{Config: cfg, Pages: tree.Pages, Visibility: content.Visibility{Now: sampleDay}, Templates: os.DirFS("../../templates/email"),
		Month: "2020-02", Shortcodes: func(*content.Page) markdown.Shortcodes { return noteShortcode{} }})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`href="https://lmc.example.org/news/flu-clinics/"`, `<div class="note"`, "<strong"} {
		if !strings.Contains(is.HTML, want) {
			t.Errorf("the HTML lacks %s:\n%s", want, is.HTML)
		}
	}
	for _, part := range []string{is.HTML, is.Text} {
		if strings.Contains(part, "{{") {
			t.Errorf("a shortcode is left as text:\n%s", part)
		}
	}
	if !strings.Contains(is.Text, "https://lmc.example.org/news/flu-clinics/") || !strings.Contains(is.Text, "Clinics open.") {
		t.Errorf("the text part lacks the link or the note:\n%s", is.Text)
	}
}
