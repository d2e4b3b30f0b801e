package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The command line itself: help, mistakes in flags and commands, --now.

func TestHelpCommand(t *testing.T) {
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			help, stderr, err := runCLI(t, "help", name)
			if err != nil || stderr != "" {
				t.Fatalf("lmcpress help %s: %v, stderr %q", name, err, stderr)
			}
			dashH, _, err := runCLI(t, name, "-h")
			if err != nil || dashH != help {
				t.Errorf("lmcpress %s -h (err %v) differs from lmcpress help %s:\n%s\n---\n%s", name, err, name, dashH, help)
			}
			// It opens with a sentence saying what the command does, then
			// shows how to call it and every flag.
			first, _, _ := strings.Cut(help, "\n")
			verb := strings.ToUpper(name[:1]) + name[1:] + " "
			if !strings.HasPrefix(first, verb) || !strings.HasSuffix(first, ".") {
				t.Errorf("help opens with %q, want a sentence starting %q", first, verb)
			}
			for _, want := range []string{"Usage: lmcpress " + name, "-root", "-now"} {
				if !strings.Contains(help, want) {
					t.Errorf("help lacks %q:\n%s", want, help)
				}
			}
		})
	}
	usage, _, err := runCLI(t, "help")
	if err != nil || !strings.Contains(usage, "Commands:") || !strings.Contains(usage, "lmcpress help COMMAND") {
		t.Errorf("lmcpress help: %v\n%s", err, usage)
	}
	if _, _, err := runCLI(t, "help", "deploy"); err == nil || !strings.Contains(err.Error(), `unknown command "deploy"`) {
		t.Errorf("lmcpress help deploy: %v", err)
	}
}

func TestUnknownCommand(t *testing.T) {
	stdout, stderr, err := runCLI(t, "deploy")
	if err == nil || err.Error() != `unknown command "deploy": run 'lmcpress help' to see the commands` {
		t.Errorf("err = %v", err)
	}
	if stdout != "" || stderr != "" {
		t.Errorf("an unknown command printed more than its one error: stdout %q, stderr %q", stdout, stderr)
	}
	_, stderr, err = runCLI(t)
	if err == nil || !strings.Contains(stderr, "Commands:") {
		t.Errorf("no command: %v, stderr %q", err, stderr)
	}
}

// TestBadFlagReportedOnce: the flag package prints nothing of its own, so
// main's one line is all a user sees.
func TestBadFlagReportedOnce(t *testing.T) {
	for name := range commands {
		stdout, stderr, err := runCLI(t, name, "--nope")
		if err == nil {
			t.Errorf("%s --nope succeeded", name)
			continue
		}
		want := name + ": flag provided but not defined: -nope (run 'lmcpress help " + name + "' to see its flags)"
		if err.Error() != want {
			t.Errorf("%s --nope: %q, want %q", name, err, want)
		}
		if stdout != "" || stderr != "" {
			t.Errorf("%s --nope printed besides the error: stdout %q, stderr %q", name, stdout, stderr)
		}
	}
}

func TestParseNow(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"2027-02-01", time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)},   // GMT
		{"2027-07-01", time.Date(2027, 6, 30, 23, 0, 0, 0, time.UTC)}, // BST: midnight in the UK
		{"2027-02-01T09:30:00Z", time.Date(2027, 2, 1, 9, 30, 0, 0, time.UTC)},
		{"2027-02-01T09:30:00+01:00", time.Date(2027, 2, 1, 8, 30, 0, 0, time.UTC)},
	} {
		got, err := parseNow(tt.in)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseNow(%q) = %v, %v; want %v", tt.in, got.UTC(), err, tt.want)
		}
	}
	// A time without its offset would depend on the machine's zone.
	for _, bad := range []string{"", "tomorrow", "1/2/2027", "2027-02-01 09:30", "2027-02-01T09:30:00", "2027-13-01"} {
		if _, err := parseNow(bad); err == nil {
			t.Errorf("parseNow(%q) succeeded", bad)
		}
	}
	for _, name := range []string{"build", "check", "serve", "new"} {
		_, _, err := runCLI(t, name, "--root", t.TempDir(), "--now", "1/2/2027", "news", "T")
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "YYYY-MM-DD (midnight, UK time)") || !strings.Contains(err.Error(), "YYYY-MM-DDTHH:MM:SSZ") {
			t.Errorf("%s --now 1/2/2027: want one line saying the accepted forms, got %v", name, err)
		}
	}
}

// TestBuildOnAGivenDay: the environment's clock decides what is published,
// and --now overrides it.
func TestBuildOnAGivenDay(t *testing.T) {
	const future = "guidance/premises-cost-directions-2027/index.html" // publishDate 2027-01-11T09:00Z
	farFuture := func() time.Time { return time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		name      string
		clock     func() time.Time
		args      []string
		published bool
	}{
		{"clock before", testClock, nil, false},
		{"clock far in the future", farFuture, nil, true},
		{"--now the day before", farFuture, []string{"--now", "2027-01-10"}, false},
		{"--now an hour early", testClock, []string{"--now", "2027-01-11T08:00:00Z"}, false},
		{"--now on the hour, in BST terms", testClock, []string{"--now", "2027-01-11T10:00:00+01:00"}, true},
		{"--now the day after", testClock, []string{"--now", "2027-01-12"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			args := append([]string{"build", "--root", "../..", "--out", out}, tt.args...)
			if _, _, err := runAt(t, tt.clock, args...); err != nil {
				t.Fatal(err)
			}
			_, err := os.Stat(filepath.Join(out, future))
			if got := err == nil; got != tt.published {
				t.Errorf("%s published: %v, want %v", future, got, tt.published)
			}
		})
	}
}

func TestNewRefusesWhatItCannotStart(t *testing.T) {
	root := t.TempDir()
	// Not a site folder: nothing is created.
	_, _, err := runCLI(t, "new", "--root", root, "news", "Flu clinics open")
	if err == nil || !strings.Contains(err.Error(), "no content/ folder") || !strings.Contains(err.Error(), "site.yaml") {
		t.Errorf("no content/: %v", err)
	}
	if err := os.Mkdir(filepath.Join(root, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, "new", "--root", root, "news", "Flu clinics open")
	if err == nil || !strings.Contains(err.Error(), "no content/site.yaml") {
		t.Errorf("no site.yaml: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(root, "content")); len(entries) != 0 {
		t.Errorf("new made %d entries in a folder that is not a site", len(entries))
	}

	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	_, _, err = runCLI(t, "new", "--root", root, "newsletter", "December")
	if err == nil || !strings.Contains(err.Error(), `no section "newsletter"`) || !strings.Contains(err.Error(), "advice, guidance, news, newsletters, events, page") {
		t.Errorf("unknown section: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "content/newsletter")); err == nil {
		t.Error("new created the unknown section's folder")
	}
	if _, _, err := runCLI(t, "new", "--root", root, "news"); err == nil || !strings.Contains(err.Error(), "want a section and a title") {
		t.Errorf("no title: %v", err)
	}
}

func TestNewOnAGivenDay(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	// 23:30 UTC on 30 June is already 1 July in the UK.
	if _, _, err := runCLI(t, "new", "--root", root, "--now", "2027-06-30T23:30:00Z", "newsletters", "July"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "content/newsletters/2027-07.md"))
	if err != nil || !strings.Contains(string(data), "date: 2027-07-01\n") {
		t.Errorf("new newsletters with --now: %v\n%s", err, data)
	}
	if _, _, err := runCLI(t, "new", "--root", root, "--now", "2027-02-01", "advice", "Sick notes"); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(filepath.Join(root, "content/advice/sick-notes.md"))
	if !strings.Contains(string(data), "date: 2027-02-01\n") || !strings.Contains(string(data), "reviewDue: 2028-02-01\n") {
		t.Errorf("new advice with --now:\n%s", data)
	}
	// A new event is announced today and starts a month on; the draft builds.
	if _, _, err := runCLI(t, "new", "--root", root, "--now", "2027-02-01", "events", "Flu evening"); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(filepath.Join(root, "content/events/flu-evening.md"))
	if !strings.Contains(string(data), "date: 2027-02-01\nstart: 2027-03-01T18:30") {
		t.Errorf("new events with --now:\n%s", data)
	}
	if _, _, err := runCLI(t, "build", "--root", root, "--drafts", "--now", "2027-02-01", "--out", filepath.Join(root, "out")); err != nil {
		t.Errorf("the new event's draft does not build: %v", err)
	}
}

// TestCheckTakesTheSiteFlags: check judges the pages a build with the
// same flags would publish.
func TestCheckTakesTheSiteFlags(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: A\ndate: 2020-01-01\n---\n\nSee [later](/news/later/), [old](/news/old/) and [draft](/news/draft/).\n")
	writeFile(t, filepath.Join(root, "content/news/later.md"), "---\ntitle: Later\ndate: 2027-03-01\n---\nLater.\n")
	writeFile(t, filepath.Join(root, "content/news/old.md"), "---\ntitle: Old\ndate: 2020-01-01\nexpiryDate: 2026-06-01\n---\nOld.\n")
	writeFile(t, filepath.Join(root, "content/news/draft.md"), "---\ntitle: Draft\ndate: 2020-01-01\ndraft: true\n---\nDraft.\n")
	for _, tt := range []struct {
		args   []string
		errors string // "" for none
	}{
		{nil, "check found 3 errors"},
		{[]string{"--future", "--expired"}, "check found 1 error:"},
		{[]string{"--future", "--expired", "--drafts"}, ""},
		{[]string{"--expired", "--drafts", "--now", "2027-03-01"}, ""},
		{[]string{"--expired", "--drafts", "--now", "2027-02-28"}, "check found 1 error:"},
	} {
		args := append([]string{"check", "--root", root}, tt.args...)
		stdout, _, err := runCLI(t, args...)
		switch {
		case tt.errors == "" && err != nil:
			t.Errorf("%v: %v\n%s", tt.args, err, stdout)
		case tt.errors != "" && (err == nil || !strings.Contains(err.Error(), tt.errors)):
			t.Errorf("%v: %v, want %q\n%s", tt.args, err, tt.errors, stdout)
		}
	}
}

// TestServeOnAGivenDay: the preview publishes what the day given by --now
// publishes.
func TestServeOnAGivenDay(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/spring.md"), "---\ntitle: Spring\ndate: 2027-03-01\n---\nSpring news.\n")
	for _, tt := range []struct {
		now  string
		code int
	}{{"2027-02-28", 404}, {"2027-03-01", 200}} {
		base, _ := startServe(t, root, "--now", tt.now)
		if code, _ := fetch(t, base+"news/spring/"); code != tt.code {
			t.Errorf("serve --now %s: /news/spring/ is %d, want %d", tt.now, code, tt.code)
		}
	}
}
