package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What a build publishes, and what it never does (the README's "What a
// build publishes"): each test builds a site with real files, and real
// symbolic links, in a temporary folder.

// symlink makes link point at target, or skips where links cannot be made.
func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
}

// publishedFiles lists every file under dir, slash-separated, relative.
func publishedFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			data, _ := os.ReadFile(p)
			got[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	return got
}

// TestSymlinksOutOfTheirFolderAreRefused: a link committed to the
// repository must not publish what the build machine holds (its
// environment, its password file, the checkout's credentials in
// .git/config). build, check and serve name each link and read nothing
// through it; a link to a file in the same folder is followed.
func TestSymlinksOutOfTheirFolderAreRefused(t *testing.T) {
	root := t.TempDir()
	secret := filepath.Join(t.TempDir(), "environ")
	writeFile(t, secret, "DEPLOY_TOKEN=s3cret-token\n")
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/advice/bun/index.md"), "---\ntitle: Bun\ndate: 2026-01-01\n---\nSee [the letter](letter.pdf).\n")
	writeFile(t, filepath.Join(root, "content/shared/letter.pdf"), "%PDF-1.4 letter\n")
	writeFile(t, filepath.Join(root, ".git/config"), "[http]\n\textraheader = AUTHORIZATION: basic s3cret-token\n")
	// Followed: a link to a file in content/ itself.
	symlink(t, "../../shared/letter.pdf", filepath.Join(root, "content/advice/bun/letter.pdf"))
	// Refused: each of these publishes a file from outside content/ on a
	// build that does not check (and static/leak.css from outside static/).
	links := map[string]string{
		"content/env.txt":               secret,           // absolute, outside the site folder
		"content/advice/bun/passwd.txt": "/etc/passwd",    // absolute
		"content/git.txt":               "../.git/config", // in the site folder, but not in content/
		"static/leak.css":               secret,           // the theme's folders too
		"templates/_leak.html":          "../../" + filepath.Base(filepath.Dir(secret)) + "/environ",
	}
	for link, target := range links {
		symlink(t, target, filepath.Join(root, link))
	}
	out := filepath.Join(t.TempDir(), "public")
	wantNamed := func(what, msg string) {
		t.Helper()
		for link := range links {
			if !strings.Contains(msg, link+": error symlink: a symbolic link") {
				t.Errorf("%s does not name %s as a symbolic link:\n%s", what, link, msg)
			}
		}
		if strings.Contains(msg, "s3cret") {
			t.Errorf("%s shows what a link leads to:\n%s", what, msg)
		}
	}
	_, _, err := runCLI(t, "build", "--root", root, "--out", out)
	if err == nil {
		t.Fatalf("build succeeded; published:\n%v", publishedFiles(t, out))
	}
	wantNamed("build", err.Error())
	for _, want := range []string{
		"content/env.txt: error symlink: a symbolic link to a file outside content/: " + secret + "; replace it with the file itself",
		"content/git.txt: error symlink: a symbolic link to a file outside content/: ../.git/config; replace it with the file itself",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("build's error lacks %q:\n%s", want, err)
		}
	}
	if _, serr := os.Stat(out); serr == nil {
		t.Errorf("build wrote %s", out)
	}

	stdout, _, err := runCLI(t, "check", "--root", root)
	if err == nil {
		t.Errorf("check passed")
	}
	wantNamed("check", stdout)

	base, _ := startServe(t, root)
	for _, p := range []string{"env.txt", "advice/bun/passwd.txt", "git.txt", "leak.css"} {
		if _, body := fetch(t, base+p); strings.Contains(body, "s3cret") || strings.Contains(body, "root:") {
			t.Errorf("serve shows /%s: %q", p, body)
		}
	}

	// A link to nothing, or to a folder, is named too.
	symlink(t, "nothing-here.pdf", filepath.Join(root, "content/gone.pdf"))
	symlink(t, "../shared", filepath.Join(root, "content/advice/sub"))
	links["content/gone.pdf"], links["content/advice/sub"] = "", ""
	_, _, err = runCLI(t, "build", "--root", root, "--out", out)
	if err == nil {
		t.Fatal("build succeeded")
	}
	wantNamed("build", err.Error())

	// With the bad links gone, the link inside content/ is followed.
	for link := range links {
		if err := os.Remove(filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := runCLI(t, "build", "--root", root, "--out", out); err != nil {
		t.Fatalf("build with only a link inside content/: %v", err)
	}
	if got := publishedFiles(t, out)["advice/bun/letter.pdf"]; got != "%PDF-1.4 letter\n" {
		t.Errorf("advice/bun/letter.pdf = %q, want the linked file", got)
	}

	// The settings too: site.yaml read from elsewhere is refused.
	outside := filepath.Join(t.TempDir(), "site.yaml")
	writeFile(t, outside, "title: Elsewhere\nbaseURL: https://elsewhere.example/\n")
	if err := os.Remove(filepath.Join(root, "content/site.yaml")); err != nil {
		t.Fatal(err)
	}
	symlink(t, outside, filepath.Join(root, "content/site.yaml"))
	want := "content/site.yaml: error symlink: a symbolic link to a file outside content/: " + outside
	if _, _, err := runCLI(t, "build", "--root", root, "--out", out); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("build with site.yaml from elsewhere: %v", err)
	}
	if stdout, _, err := runCLI(t, "check", "--root", root); err == nil || strings.Count(stdout, want) != 1 {
		t.Errorf("check with site.yaml from elsewhere (%v) does not report it once:\n%s", err, stdout)
	}
}

// TestOnlyPublishedFilesShip: a draft bundle keeps its attachment, editor
// and backup copies of an embargoed page stay out, and a file of a type
// content/ does not publish is an error naming it.
func TestOnlyPublishedFilesShip(t *testing.T) {
	root := t.TempDir()
	embargoed := "---\ntitle: Contract offer\ndate: 2027-06-01\n---\nThe embargoed offer: 4.2%.\n"
	files := map[string]string{
		"content/site.yaml":                     "title: Test LMC\nbaseURL: https://lmc.example.org/\n",
		"content/advice/secret-bundle/index.md": "---\ntitle: Secret\ndate: 2026-01-01\ndraft: true\n---\nSee [the plan](plan.pdf).\n",
		"content/advice/secret-bundle/plan.pdf": "%PDF secret plan\n",
		"content/advice/open/index.md":          "---\ntitle: Open\ndate: 2026-01-01\nattachments: [{file: letter.pdf, title: Letter}]\n---\nOpen.\n",
		"content/advice/open/letter.pdf":        "%PDF open letter\n",
		"content/news/minutes.md":               "---\ntitle: Minutes\ndate: 2026-01-01\ndraft: true\nattachments: [{file: minutes.pdf, title: Minutes}]\n---\nDraft.\n",
		"content/news/minutes.pdf":              "%PDF draft minutes\n",
		"content/news/future.md":                embargoed,
		"content/news/future.md.bak":            embargoed,
		"content/news/#future.md#":              embargoed,
		"content/news/future.md~":               embargoed,
		"content/news/future.md.orig":           embargoed,
		"content/news/.future.md.swp":           embargoed,
		"content/news/future.md.swx":            embargoed,
		"content/news/future.md.tmp":            embargoed,
		"content/news/~$future.docx":            embargoed,
		"content/news/.DS_Store":                embargoed,
		"content/news/Thumbs.db":                embargoed,
		"content/images/logo.png":               "PNG logo",
		"content/news/.hidden/notes.txt":        embargoed,
	}
	for name, data := range files {
		writeFile(t, filepath.Join(root, name), data)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, _, err := runCLI(t, "build", "--root", root, "--out", out); err != nil {
		t.Fatal(err)
	}
	got := publishedFiles(t, out)
	for name, data := range got {
		if strings.Contains(data, "secret plan") || strings.Contains(data, "draft minutes") || strings.Contains(data, "4.2%") {
			t.Errorf("published %s, which holds unpublished text: %q", name, data)
		}
	}
	for _, want := range []string{"advice/open/letter.pdf", "images/logo.png"} {
		if _, ok := got[want]; !ok {
			t.Errorf("%s was not published", want)
		}
	}
	// Once its page is published, so is the attachment.
	if _, _, err := runCLI(t, "build", "--root", root, "--out", out, "--drafts"); err != nil {
		t.Fatal(err)
	}
	got = publishedFiles(t, out)
	for _, want := range []string{"advice/secret-bundle/plan.pdf", "news/minutes.pdf"} {
		if _, ok := got[want]; !ok {
			t.Errorf("with --drafts, %s was not published", want)
		}
	}

	// A file that is neither a page nor of a published type stops build
	// and check, named.
	for _, name := range []string{"content/news/export.json", "content/advice/open/page.html", "content/README"} {
		writeFile(t, filepath.Join(root, name), "{}")
	}
	_, _, err := runCLI(t, "build", "--root", root, "--out", out)
	stdout, _, cerr := runCLI(t, "check", "--root", root)
	if err == nil || cerr == nil {
		t.Fatalf("build (%v) or check (%v) accepted files of other types", err, cerr)
	}
	for _, want := range []string{
		"content/news/export.json: error file-type: a .json file is not published from content/",
		"content/advice/open/page.html: error file-type: a .html file is not published from content/: a page written in HTML (with front matter, as Hugo and Jekyll read them) must become Markdown: rename it to .md",
		"content/README: error file-type: a file without a type is not published from content/",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("build's error lacks %q:\n%s", want, err)
		}
		if !strings.Contains(stdout, want) {
			t.Errorf("check lacks %q:\n%s", want, stdout)
		}
	}
}
