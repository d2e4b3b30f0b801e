package site

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"lmcpress/internal/flock"
)

// The swap and what killed builds leave (swap.go). A crash is a build
// stopped between two steps of its swap (crashAfter) whose lock then dies
// with it (Commit releases it as the kernel would); a killed build is one
// that lets go of its lock without Commit or Abort.

// writeSite writes a two-file site saying text into w.
func writeSite(t *testing.T, w *DirWriter, text string) {
	t.Helper()
	for _, name := range []string{"index.html", "news/a/index.html"} {
		if err := w.WriteFile(name, []byte(text)); err != nil {
			t.Fatal(err)
		}
	}
}

func newWriter(t *testing.T, out string) *DirWriter {
	t.Helper()
	w, err := NewDirWriter(out)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// build builds the site text into out and commits it.
func build(t *testing.T, out, text string) {
	t.Helper()
	w := newWriter(t, out)
	writeSite(t, w, text)
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// says reports what the site in dir says, or why it cannot be read.
func says(dir string) string {
	a, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		return "unreadable: " + err.Error()
	}
	b, err := os.ReadFile(filepath.Join(dir, "news/a/index.html"))
	if err != nil || string(a) != string(b) {
		return "half-made"
	}
	return string(a)
}

// beside lists the names beside the output, sorted, each building or ready
// folder by its kind alone.
func beside(t *testing.T, out string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		for _, kind := range []string{".public.building-", ".public.ready-"} {
			if strings.HasPrefix(n, kind) {
				n = kind + "*"
			}
		}
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func wantBeside(t *testing.T, out string, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := beside(t, out); !slices.Equal(got, want) {
		t.Errorf("beside the output: %v, want %v", got, want)
	}
}

// TestSwapIsOneStep: where names can be exchanged, the output is replaced
// in one step, so a crash anywhere in the swap finds it whole; what the
// crash left is the build before last for the next build.
func TestSwapIsOneStep(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := errors.Join(os.Mkdir(a, 0o755), os.Mkdir(b, 0o755)); err != nil {
		t.Fatal(err)
	}
	if err := exchange(a, b); errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("names cannot be exchanged here (%v): the swap is two renames (TestFallbackSwapSurvivesACrash)", err)
	} else if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	build(t, out, "one")
	w := newWriter(t, out)
	writeSite(t, w, "two")
	var steps []string
	w.crashAfter = func(step string) bool {
		steps = append(steps, step)
		if got := says(out); got != "two" {
			t.Errorf("after %s the output says %q", step, got)
		}
		return true
	}
	if err := w.Commit(); err == nil {
		t.Error("the swap ran past the crash")
	}
	if !slices.Equal(steps, []string{"exchanged"}) {
		t.Fatalf("the swap's steps: %v, want one exchange", steps)
	}
	wantBeside(t, out, "a", "b", "public", ".public.building-*") // the old site, its build dead

	next := newWriter(t, out)
	wantBeside(t, out, "a", "b", "public", ".public.building-*") // next's own
	if next.tmp == w.tmp {
		t.Errorf("the next build did not take the dead build's folder up (%s)", next.tmp)
	}
	if got := says(next.tmp); got != "one" {
		t.Errorf("the next build writes into a folder that says %q, want the build before last", got)
	}
	next.Abort()
	if got := says(out); got != "two" {
		t.Errorf("the output says %q", got)
	}
	wantBeside(t, out, "a", "b", "public", ".public.previous")
}

// TestFallbackSwapSurvivesACrash: where the swap is two renames, a crash
// after either leaves the next build a whole site to publish, and that
// build leaves nothing else behind, whether it fails or succeeds.
func TestFallbackSwapSurvivesACrash(t *testing.T) {
	for _, tc := range []struct {
		step, want string // the step crashed after, and the site then published
	}{
		{"", "two"},
		{"ready", "one"},
		{"moved aside", "two"},
	} {
		t.Run("crash after "+tc.step, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			build(t, out, "one")
			w := newWriter(t, out)
			w.noExchange = true
			writeSite(t, w, "two")
			w.crashAfter = func(step string) bool { return step == tc.step }
			err := w.Commit()
			if tc.step == "" {
				if err != nil {
					t.Fatal(err)
				}
				wantBeside(t, out, "public", ".public.previous")
				if got := says(filepath.Join(filepath.Dir(out), ".public.previous")); got != "one" {
					t.Errorf("the build before last says %q", got)
				}
			} else if err == nil {
				t.Fatalf("the swap ran past %q", tc.step)
			}
			if tc.step == "moved aside" {
				// The problem: no output at all until the next build.
				wantBeside(t, out, ".public.previous", ".public.ready-*")
			}

			next := newWriter(t, out)
			if got := says(out); got != tc.want {
				t.Errorf("when the next build starts, the output says %q, want %q", got, tc.want)
			}
			next.Abort() // a build that failed
			if got := says(out); got != tc.want {
				t.Errorf("after a failed build, the output says %q, want %q", got, tc.want)
			}
			wantBeside(t, out, "public", ".public.previous")

			last := newWriter(t, out)
			last.noExchange = true
			writeSite(t, last, "three")
			if err := last.Commit(); err != nil {
				t.Fatal(err)
			}
			if got := says(out); got != "three" {
				t.Errorf("the build after says %q", got)
			}
			wantBeside(t, out, "public", ".public.previous")
		})
	}
}

// TestKilledBuildsFoldersRemoved: a build removes or reuses the folders of
// killed builds, and never a running build's.
func TestKilledBuildsFoldersRemoved(t *testing.T) {
	if !flock.Works {
		t.Skip("no flock here: a folder is taken for dead by its age")
	}
	out := filepath.Join(t.TempDir(), "public")
	build(t, out, "one")
	build(t, out, "two") // so that there is a build before last

	running := newWriter(t, out) // takes the build before last
	writeSite(t, running, "running")
	killed := newWriter(t, out)
	writeSite(t, killed, "killed")
	<-killed.old.done
	killed.release() // kill -9: the folder stays, its lock goes
	stray := filepath.Join(filepath.Dir(out), ".public.building-stray")
	if err := os.MkdirAll(filepath.Join(stray, "news"), 0o755); err != nil {
		t.Fatal(err)
	}

	next := newWriter(t, out)
	for _, dir := range []string{killed.tmp, stray} {
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("%s, a killed build's, is still there", filepath.Base(dir))
		}
	}
	if got := says(running.tmp); got != "running" {
		t.Errorf("the running build's folder says %q", got)
	}
	if got := says(next.tmp); got != "killed" {
		t.Errorf("the next build writes into a folder that says %q, want the killed build's (there was no other)", got)
	}
	if err := running.Commit(); err != nil {
		t.Fatal(err)
	}
	writeSite(t, next, "next")
	if err := next.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := says(out); got != "next" {
		t.Errorf("the output says %q", got)
	}
	wantBeside(t, out, "public", ".public.previous")
}
