package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets a test run this test binary as the lmcpress program itself
// (with LMCPRESS_TEST_AS_MAIN=1 in its environment), for a test that must
// kill a real process: the binary is the same, so the build cache made in
// the test is valid for it too.
func TestMain(m *testing.M) {
	if os.Getenv("LMCPRESS_TEST_AS_MAIN") == "1" {
		if d, err := time.ParseDuration(os.Getenv(envTestMinReply)); err == nil {
			signupMinReply = d
		}
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestKilledBuildLeavesNothingBehind kills a real build with SIGKILL while
// it writes the site: the output stays as it was, and the next build
// removes the killed build's folder and takes up the build cache it held
// (on main before this, the folder stayed for good and the next build
// started with an empty cache).
func TestKilledBuildLeavesNothingBehind(t *testing.T) {
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "content"), os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	// Enough pages that the build is still writing when it is killed.
	for i := range 500 {
		writeFile(t, filepath.Join(root, "content/news", fmt.Sprintf("generated-%04d.md", i)),
			fmt.Sprintf("---\ntitle: Generated news item %d\ndate: 2024-01-%02d\n---\n\n%s\n", i, 1+i%28,
				strings.Repeat(fmt.Sprintf("Paragraph of item %d about practice funding and premises. ", i), 5)))
	}
	out := filepath.Join(root, "public")
	args := []string{"build", "--root", root, "--now", testNow.Format(time.RFC3339), "--timings"}
	if _, _, err := runCLI(t, args...); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(out, "news/generated-0499/index.html"))
	if err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "LMCPRESS_TEST_AS_MAIN=1", "LMCPRESS_CACHE=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// Kill it once its folder holds some of the new site.
	deadline := time.Now().Add(time.Minute)
	for killed := false; !killed; {
		select {
		case err := <-exited:
			t.Fatalf("the build ended before it could be killed (%v): a bigger site is needed", err)
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no build folder with pages in it appeared within a minute")
		}
		dirs, _ := filepath.Glob(filepath.Join(root, ".public.building-*", "news", "generated-*"))
		if len(dirs) > 0 {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
		time.Sleep(time.Millisecond)
	}
	if err := <-exited; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("the build was not killed: %v", err)
	}
	if now, err := os.ReadFile(filepath.Join(out, "news/generated-0499/index.html")); err != nil || string(now) != string(before) {
		t.Fatalf("after the kill the output is not as it was (%v)", err)
	}

	stdout, _, err := runCLI(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`cache +(\d+) hits`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("--timings printed no cache line:\n%s", stdout)
	}
	if hits, _ := strconv.Atoi(m[1]); hits == 0 {
		t.Errorf("the build after the kill started with an empty cache:\n%s", stdout)
	}
	if now, err := os.ReadFile(filepath.Join(out, "news/generated-0499/index.html")); err != nil || string(now) != string(before) {
		t.Errorf("the build after the kill changed the output (%v)", err)
	}
	left, _ := filepath.Glob(filepath.Join(root, ".public.*"))
	for i, name := range left {
		left[i] = filepath.Base(name)
	}
	if strings.Join(left, " ") != ".public.cache .public.previous" {
		t.Errorf("beside the output after the next build: %v, want the cache and the build before last", left)
	}
}
