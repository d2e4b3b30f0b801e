package main

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
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
	_, _, buildErr := runCLI(t, "build", "--root", root)
	if buildErr == nil {
		t.Fatal("build succeeded")
	}
	checkOut, _, checkErr := runCLI(t, "check", "--root", root)
	if checkErr == nil {
		t.Fatal("check found no error")
	}
	var built, checked []string
	for _, l := range strings.Split(buildErr.Error(), "\n")[1:] {
		if strings.HasPrefix(l, "content/") {
			built = append(built, l)
		}
	}
	for _, l := range strings.Split(checkOut, "\n") {
		if strings.Contains(l, ": error ") {
			checked = append(checked, l)
		}
	}
	sort.Strings(built)
	sort.Strings(checked)
	if strings.Join(built, "\n") != strings.Join(checked, "\n") {
		t.Errorf("build and check disagree.\nbuild:\n%s\n\ncheck's errors:\n%s", strings.Join(built, "\n"), strings.Join(checked, "\n"))
	}
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
