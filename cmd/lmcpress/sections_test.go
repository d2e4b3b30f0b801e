package main

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"lmcpress/internal/browsertest"
)

// TestNestedSitesBuildAndCheckAgree: what nested folders and Jekyll names
// can get wrong (a page at a sub-section's address, two posts with one
// slug, a broken relative link from a sub-section, a draft twin) is
// reported by build and check alike, in the same words.
func TestNestedSitesBuildAndCheckAgree(t *testing.T) {
	root := t.TempDir()
	for name, data := range map[string]string{
		"content/site.yaml":                      "title: Test LMC\nbaseURL: https://lmc.example.org/\n",
		"content/guidance/rpkg/_index.md":        "---\ntitle: RPKG\n---\n",
		"content/guidance/rpkg/introduction.md":  "---\ntitle: Intro\ndate: 2024-01-01\n---\nSee [setup](../setup/) and [the other](../../other/introduction/).\n",
		"content/guidance/rpkg/setup.md":         "---\ntitle: Setup\ndate: 2024-01-01\n---\nText.\n",
		"content/guidance/other/introduction.md": "---\ntitle: Other\ndate: 2024-01-01\n---\nSee [setup](../../rpkg/setpu/).\n",
		"content/guidance/rpkg.md":               "---\ntitle: RPKG page\ndate: 2024-01-01\n---\nText.\n",
		"content/news/2016-03-03-flu.md":         "---\ntitle: Flu\n---\nText.\n",
		"content/news/2017-03-03-flu.md":         "---\ntitle: Flu again\n---\nText.\n",
		"content/news/2018-03-03-flu.md":         "---\ntitle: Flu draft\ndraft: true\n---\nText.\n",
	} {
		writeFile(t, filepath.Join(root, name), data)
	}
	built, _, _ := buildAndCheck(t, root)
	for _, want := range []string{
		"content/guidance/rpkg.md: error address: address /guidance/rpkg/ is also used by content/guidance/rpkg/_index.md",
		"content/news/2017-03-03-flu.md: error address: address /news/flu/ is also used by content/news/2016-03-03-flu.md",
		"content/news/2018-03-03-flu.md: error address: address /news/flu/ is also used by content/news/2016-03-03-flu.md",
		"content/guidance/other/introduction.md:5:13: error broken-link: link to ../../rpkg/setpu/: no page has this address (hint: did you mean /guidance/rpkg/setup/?",
	} {
		if !strings.Contains(strings.Join(built, "\n"), want) {
			t.Errorf("build's report lacks %q:\n%s", want, strings.Join(built, "\n"))
		}
	}
	if strings.Contains(strings.Join(built, "\n"), "introduction.md: error broken-link: link to ../setup/") {
		t.Errorf("a good relative link from a sub-section is reported:\n%s", strings.Join(built, "\n"))
	}
}

// nestedSite is a small site shaped as Hugo and Jekyll sites are: a
// sub-section with one of its own and a bundle, a folder without an
// _index.md, a docs/index.md above docs/*.md, and Jekyll-named news in a
// sub-section, so that the browser tests see the listings and trails
// these make. Paged by 2, so a sub-section's listing has a second page.
var nestedSite = map[string]string{
	"content/site.yaml":                           "title: Test LMC\nbaseURL: https://lmc.example.org/\npaginate: 2\n",
	"content/_index.md":                           "---\ntitle: Home\n---\nWelcome.\n",
	"content/guidance/_index.md":                  "---\ntitle: Guidance\n---\nAll our guidance.\n",
	"content/guidance/top.md":                     "---\ntitle: Top note\ndate: 2024-01-01\nreviewDue: 2030-01-01\n---\nText.\n",
	"content/guidance/other/introduction.md":      "---\ntitle: Other introduction\ndate: 2024-01-02\nreviewDue: 2030-01-01\n---\nText.\n",
	"content/guidance/premises/_index.md":         "---\ntitle: Premises\ndescription: Leases, rent reviews and service charges.\n---\nWhat practices need to know about their buildings.\n",
	"content/guidance/premises/introduction.md":   "---\ntitle: Premises introduction\ndate: 2024-01-03\nreviewDue: 2030-01-01\n---\nSee [rent reviews](../rent-reviews/).\n",
	"content/guidance/premises/rent-reviews.md":   "---\ntitle: Rent reviews\ndate: 2024-01-04\nreviewDue: 2030-01-01\n---\nText.\n",
	"content/guidance/premises/leases/index.md":   "---\ntitle: Leases\ndate: 2024-01-05\nreviewDue: 2030-01-01\n---\n![A plan of a practice](plan.png)\n",
	"content/guidance/premises/leases/plan.png":   "PNG",
	"content/guidance/premises/charges/_index.md": "---\ntitle: Service charges\n---\n",
	"content/guidance/premises/charges/nhsps.md":  "---\ntitle: NHS Property Services charges\ndate: 2024-01-06\nreviewDue: 2030-01-01\n---\nText.\n",
	"content/docs/index.md":                       "---\ntitle: Documentation\n---\nStart here.\n",
	"content/docs/install.md":                     "---\ntitle: Installation\n---\nText.\n",
	"content/news/2016-03-03-flu-clinics.md":      "---\ntitle: Flu clinics\n---\nText.\n",
	"content/news/regional/_index.md":             "---\ntitle: Regional news\n---\n",
	"content/news/regional/2016-03-10-north.md":   "---\ntitle: North\n---\nText.\n",
}

// buildNested builds nestedSite into a temporary folder and returns the
// folder of the built site.
func buildNested(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range nestedSite {
		writeFile(t, filepath.Join(root, name), data)
	}
	out := filepath.Join(root, "public")
	if _, _, err := runCLI(t, "build", "--root", root, "--out", out); err != nil {
		t.Fatalf("the nested site does not build: %v", err)
	}
	if stdout, _, err := runCLI(t, "check", "--root", root); err != nil || strings.Contains(stdout, ": warning ") {
		t.Fatalf("check on the nested site: %v\n%s", err, stdout)
	}
	return out
}

// TestNestedSiteValidHTML: the listings and trails of sub-sections are
// valid HTML (the W3C Nu checker, as for the sample site).
func TestNestedSiteValidHTML(t *testing.T) {
	java, jar := vnuChecker(t, "HTML")
	validHTML(t, java, jar, buildNested(t))
}

// TestNestedSiteAccessible: the same pages pass axe-core in Chromium.
func TestNestedSiteAccessible(t *testing.T) {
	browserCtx := browsertest.Start(t, "check accessibility with axe-core in Chromium")
	axeSrc := browsertest.RequireAxe(t)
	srv := httptest.NewServer(siteHandler(buildNested(t)))
	defer srv.Close()
	axePages(t, browserCtx, axeSrc, srv.URL, []string{"/guidance/", "/guidance/premises/", "/guidance/premises/page/2/",
		"/guidance/premises/charges/nhsps/", "/guidance/premises/leases/", "/docs/", "/news/", "/news/regional/north/"})
}
