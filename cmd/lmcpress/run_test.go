package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testNow is the moment the tests run the program at, whatever the real
// date and the machine's time zone: the sample site as it was when its
// reference build was made (the 2027 premises guidance not yet published).
var testNow = time.Date(2026, 12, 1, 23, 40, 0, 0, time.UTC)

func testClock() time.Time { return testNow }

// runCLI runs the real program in-process, as a user would from a shell,
// on testNow.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runAt(t, testClock, args...)
}

// runAt runs the program with the clock now.
func runAt(t *testing.T, now func() time.Time, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = run(ctx, args, func(string) string { return "" }, now, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

func writeFile(t testing.TB, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBuildSampleSite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	stdout, _, err := runCLI(t, "build", "--root", "../..", "--out", out)
	if err != nil {
		t.Fatalf("build of the sample site failed:\n%v", err)
	}
	if !strings.Contains(stdout, "Built ") {
		t.Errorf("build printed %q", stdout)
	}
	for _, name := range []string{
		"index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml", "atom.xml", "feed.json",
		"advice/systmone-instant-messaging/index.html", "news/index.html", "news/page/2/index.html",
		"news/2016/index.html", "news/2016/12/index.html", "topics/index.html", "topics/gdpr/index.html",
		"topics/gdpr/feed.xml", "news/feed.xml", "newsletters/2016-12/index.html", "gp-support/index.html",
		"accessibility/index.html", "privacy/index.html", "css/site.css",
		"advice/2018/systmone-im.html", // an alias
	} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("sample site lacks %s", name)
		}
	}
	advice, _ := os.ReadFile(filepath.Join(out, "advice/systmone-instant-messaging/index.html"))
	for _, want := range []string{"Last updated", "18 Apr 2018", "GDPR implications", "medico-legal"} {
		if !bytes.Contains(advice, []byte(want)) {
			t.Errorf("the SystmOne advice note lacks %q", want)
		}
	}
	issue, _ := os.ReadFile(filepath.Join(out, "newsletters/2016-12/index.html"))
	for _, want := range []string{"December 2016 newsletter", "/news/standing-up-for-sessional-gps/", "/news/sbs-lost-records-repatriation/"} {
		if !bytes.Contains(issue, []byte(want)) {
			t.Errorf("the December 2016 newsletter lacks %q", want)
		}
	}
	for _, hidden := range []string{"news/draft-network-dsa-review/index.html", "guidance/premises-cost-directions-2027/index.html"} {
		if _, err := os.Stat(filepath.Join(out, hidden)); err == nil {
			t.Errorf("%s was published: drafts and future pages must not be", hidden)
		}
	}
}

// TestBadInput feeds the build every kind of bad input the issue lists and
// checks each gives a clear error naming the file (and line where there is
// one), no panic, and leaves the previous site as it was.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name  string
		file  string
		data  string
		wants []string
	}{
		{"broken YAML", "content/news/bad.md", "---\ntitle: \"unclosed\ndate: 2020-01-01\n---\nx\n", []string{"content/news/bad.md:", "not valid YAML"}},
		{"wrong date format", "content/news/bad.md", "---\ntitle: T\ndate: 19/12/2016\n---\nx\n", []string{"content/news/bad.md:3: error front-matter: date:", "YYYY-MM-DD"}},
		{"month 13", "content/news/bad.md", "---\ntitle: T\ndate: 2024-13-01\n---\nx\n", []string{"content/news/bad.md:3: error front-matter: date:", "month out of range"}},
		{"missing title", "content/_index.md", "---\ndescription: x\n---\nx\n", []string{"content/_index.md:1: error front-matter: title: missing"}},
		{"duplicate URL", "content/news/Good.md", "---\ntitle: T\ndate: 2020-01-01\n---\nx\n", []string{"/news/good/", "content/news/good.md"}},
		{"link to nothing", "content/news/bad.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\nSee [this](/news/nothing-here/).\n", []string{"content/news/bad.md:6:12: error broken-link: link to /news/nothing-here/: no page has this address"}},
		{"patient data in a draft", "content/news/bad.md", "---\ntitle: T\ndate: 2020-01-01\ndraft: true\n---\nPatient 943 476 5919 rang.\n", []string{"content/news/bad.md:6:9: error nhs-number: 943*** **** looks like an NHS number"}},
		{"unknown template field", "templates/single.html", "{{template \"base.html\" .}}\n{{define \"main\"}}{{.Item.Colour}}{{end}}\n", []string{"single.html:2", "Colour"}},
		{"empty file", "content/news/bad.md", "", []string{"content/news/bad.md: error front-matter: empty file"}},
		{"binary file", "content/news/bad.md", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", []string{"content/news/bad.md: error front-matter: not a text file"}},
		{"unknown key", "content/news/bad.md", "---\ntitle: T\ndate: 2020-01-01\nsumary: x\n---\nx\n", []string{"content/news/bad.md:4: error front-matter: unknown key \"sumary\": did you mean \"summary\"?"}},
		{"bad site.yaml", "content/site.yaml", "title: T\nbaseURL: https://x.example/\npagniate: 10\n", []string{"content/site.yaml:3: error config: unknown key \"pagniate\": did you mean \"paginate\"?"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
			writeFile(t, filepath.Join(root, "content/news/good.md"), "---\ntitle: Good\ndate: 2020-01-01\n---\nGood.\n")
			out := filepath.Join(root, "public")
			if _, _, err := runCLI(t, "build", "--root", root); err != nil {
				t.Fatalf("first build: %v", err)
			}
			before, _ := os.ReadFile(filepath.Join(out, "news/good/index.html"))
			writeFile(t, filepath.Join(root, c.file), c.data)
			_, _, err := runCLI(t, "build", "--root", root)
			if err == nil {
				t.Fatal("build succeeded; want an error")
			}
			msg := err.Error()
			for _, w := range c.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("error lacks %q:\n%s", w, msg)
				}
			}
			for _, bad := range []string{"panic", "goroutine", ".go:"} {
				if strings.Contains(msg, bad) {
					t.Errorf("error shows internals (%q):\n%s", bad, msg)
				}
			}
			after, _ := os.ReadFile(filepath.Join(out, "news/good/index.html"))
			if len(before) == 0 || !bytes.Equal(before, after) {
				t.Error("the previous public/ was changed by a failed build")
			}
		})
	}
}

func TestHugeFileIsRefused(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	big := "---\ntitle: Big\ndate: 2020-01-01\n---\n" + strings.Repeat("All work and no play. ", 50<<20/22)
	writeFile(t, filepath.Join(root, "content/news/big.md"), big)
	_, _, err := runCLI(t, "build", "--root", root)
	if err == nil || !strings.Contains(err.Error(), "content/news/big.md: error limit: file is 52.4 MB") {
		t.Fatalf("want a size error naming the file, got %v", err)
	}
}

func TestSpacesAndNonASCIIPaths(t *testing.T) {
	root := filepath.Join(t.TempDir(), "my site ü")
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/GP Contract 2024.md"), "---\ntitle: Contract\ndate: 2024-01-01\n---\nSee [the café note](/news/café/).\n")
	writeFile(t, filepath.Join(root, "content/news/café.md"), "---\ntitle: Café\ndate: 2024-01-02\n---\nCafé.\n")
	if _, _, err := runCLI(t, "build", "--root", root); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"news/gp-contract-2024/index.html", "news/café/index.html"} {
		if _, err := os.Stat(filepath.Join(root, "public", name)); err != nil {
			t.Errorf("%s not written", name)
		}
	}
}

func TestNewThenBuild(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	stdout, _, err := runCLI(t, "new", "--root", root, "news", "Flu clinics open")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(root, "content/news/flu-clinics-open.md")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("new did not write %s (said %q)", file, stdout)
	}
	if !strings.Contains(string(data), "date: 2026-12-01\n") || !strings.Contains(string(data), `title: "Flu clinics open"`) {
		t.Errorf("new wrote:\n%s", data)
	}
	if _, _, err := runCLI(t, "new", "--root", root, "news", "Flu clinics open"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second new should refuse to overwrite, got %v", err)
	}
	if _, _, err := runCLI(t, "build", "--root", root, "--drafts"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "public/news/flu-clinics-open/index.html")); err != nil {
		t.Error("the new draft is not built with --drafts")
	}
}

func TestThemeOverrideFileByFile(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: A\ndate: 2020-01-01\n---\nA.\n")
	writeFile(t, filepath.Join(root, "static/css/site.css"), "/* our own */\n")
	writeFile(t, filepath.Join(root, "templates/404.html"), "{{template \"base.html\" .}}{{define \"main\"}}<h1>Lost</h1>{{end}}\n")
	if _, _, err := runCLI(t, "build", "--root", root); err != nil {
		t.Fatal(err)
	}
	css, _ := os.ReadFile(filepath.Join(root, "public/css/site.css"))
	if string(css) != "/* our own */\n" {
		t.Errorf("site's static/ did not override the default: %q", css)
	}
	if _, err := os.Stat(filepath.Join(root, "public/css/print.css")); err != nil {
		t.Error("default static files not copied beside the override")
	}
	page, _ := os.ReadFile(filepath.Join(root, "public/404.html"))
	if !bytes.Contains(page, []byte("<h1>Lost</h1>")) || !bytes.Contains(page, []byte("skip-link")) {
		t.Error("site template did not override the default one file by file")
	}
}

func TestGeneratedCorpusBuilds(t *testing.T) {
	gen := "../../../shared/bench/gencorpus"
	if _, err := os.Stat(gen); err != nil {
		t.Skip("../shared/bench/gencorpus not found beside the repository: cannot generate the benchmark corpus")
	}
	if testing.Short() {
		t.Skip("-short: skipping the generated-corpus build")
	}
	root := t.TempDir()
	cmd := exec.Command("go", "run", ".", "-n", "400", "-out", root, "-seed", "1")
	cmd.Dir = gen
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gencorpus: %v\n%s", err, out)
	}
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Example Local Medical Committee\nbaseURL: https://lmc.example.org/\n")
	contact, err := os.ReadFile("../../../shared/bench/hugo-site/content/contact.md")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "content/contact.md"), string(contact))
	if _, _, err := runCLI(t, "build", "--root", root); err != nil {
		t.Fatalf("the generated corpus does not build:\n%v", err)
	}
}

// TestBuildCache: a second build of the sample site takes every page from
// the cache kept beside the output folder, and writes the same site;
// LMCPRESS_CACHE=off keeps none.
func TestBuildCache(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	build := func(env map[string]string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), []string{"build", "--root", "../..", "--out", out, "--timings"},
			func(k string) string { return env[k] }, testClock, strings.NewReader(""), &stdout, &stderr)
		if err != nil {
			t.Fatalf("build: %v\n%s", err, stderr.String())
		}
		if stderr.Len() > 0 {
			t.Errorf("build wrote to stderr: %s", stderr.String())
		}
		return stdout.String()
	}
	snapshot := func() map[string]string {
		t.Helper()
		files := map[string]string{}
		err := filepath.Walk(out, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			files[p] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	cacheLine := func(stdout string) string {
		for _, l := range strings.Split(stdout, "\n") {
			if f := strings.Fields(l); len(f) > 0 && f[0] == "cache" {
				return strings.Join(f[1:], " ")
			}
		}
		return ""
	}

	first := build(nil)
	if got := cacheLine(first); !strings.HasPrefix(got, "0 hits") {
		t.Errorf("first build's cache line: %q, want 0 hits", got)
	}
	cacheFile := filepath.Join(dir, ".public.cache")
	if _, err := os.Stat(cacheFile); err != nil {
		t.Fatalf("no cache beside the output folder: %v", err)
	}
	before := snapshot()
	second := build(nil)
	if got := cacheLine(second); !strings.Contains(got, " 0 misses, 0 written") || strings.HasPrefix(got, "0 hits") {
		t.Errorf("second build's cache line: %q, want hits only", got)
	}
	after := snapshot()
	if len(after) != len(before) {
		t.Fatalf("%d files, then %d", len(before), len(after))
	}
	for p, data := range before {
		if after[p] != data {
			t.Errorf("%s differs when built from the cache", p)
		}
	}

	os.Remove(cacheFile)
	if got := cacheLine(build(map[string]string{"LMCPRESS_CACHE": "off"})); got != "" {
		t.Errorf("LMCPRESS_CACHE=off: cache line %q", got)
	}
	if _, err := os.Stat(cacheFile); err == nil {
		t.Error("LMCPRESS_CACHE=off made a cache file")
	}
	elsewhere := filepath.Join(dir, "elsewhere", "c")
	build(map[string]string{"LMCPRESS_CACHE": elsewhere})
	if _, err := os.Stat(elsewhere); err != nil {
		t.Errorf("LMCPRESS_CACHE=%s: %v", elsewhere, err)
	}
}

// TestBuildInterruptedByUser: Ctrl+C (the context main cancels on SIGINT
// and SIGTERM) stops a build with a plain message and leaves the last
// site where it was.
func TestBuildInterruptedByUser(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if _, _, err := runCLI(t, "build", "--root", "../..", "--out", out); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(out, "index.html"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"build", "--root", "../..", "--out", out}, func(string) string { return "" }, testClock, strings.NewReader(""), &stdout, &stderr)
	if err == nil || !strings.HasPrefix(err.Error(), "interrupted: the site was not built") {
		t.Fatalf("err = %v, want it to say the build was interrupted", err)
	}
	if after, _ := os.ReadFile(filepath.Join(out, "index.html")); !bytes.Equal(after, before) || len(before) == 0 {
		t.Error("an interrupted build changed the output")
	}
}
