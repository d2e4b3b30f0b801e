package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealBlogMovesIn checks 40 real posts of a government blog, copied in
// unchanged from an Eleventy site with Jekyll-style files (testdata/real-18f,
// public domain): what lmcpress makes of real front matter, dated file
// names, old dated addresses and template tags, as a team moving in would
// meet it. check's whole report is the golden file
// (testdata/real-18f.check.golden; go test ./cmd/lmcpress -run RealBlog
// -update rewrites it), so any change in how real content is read shows up
// in review. Beside it, what must hold whatever the golden says: every
// date and key is read, every post has its own address, links to the old
// dated addresses resolve through site.yaml's permalinks:, and no template
// tag passes unreported.
func TestRealBlogMovesIn(t *testing.T) {
	root := filepath.Join("testdata", "real-18f")
	stdout, _, err := runCLI(t, "check", "--root", root)
	if err == nil {
		t.Fatal("check passed: the posts' plugin tags and missing images should stop it")
	}
	golden := filepath.Join("testdata", "real-18f.check.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if stdout != string(want) {
		t.Errorf("check's report on the real posts changed (go test ./cmd/lmcpress -run RealBlog -update, then review the diff):\n%s", stdout)
	}
	for _, line := range strings.Split(stdout, "\n") {
		for _, bad := range []string{
			"error front-matter", // every key and date of the real files is read
			"error address",      // dated file names give each post its own address
			"link to /2014/",     // old dated addresses are aliases (permalinks:)
		} {
			if strings.Contains(line, bad) {
				t.Errorf("%s", line)
			}
		}
	}
	// The plugin's tags are named, with their words, not published as text.
	if !strings.Contains(stdout, `{% image "assets/blog/foia/in-hand.jpg"`) || !strings.Contains(stdout, "error shortcode") {
		t.Errorf("the posts' {%% image %%} tags are not reported:\n%s", stdout)
	}
}
