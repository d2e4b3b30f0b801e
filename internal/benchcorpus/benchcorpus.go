// Package benchcorpus gives benchmarks the generated site they measure: n
// pages written by ../shared/bench/gencorpus, the generator compare.sh uses
// against Hugo, shaped as compare.sh prepares it for lmcpress. Tests only:
// nothing in the binary imports it (deps_test.go holds that rule).
//
// The shared bench folder sits beside the repository only in the project
// workspace; $LMCPRESS_BENCH_SHARED names it from elsewhere (a second work
// tree, say). Without it the benchmark is skipped and says why.
package benchcorpus

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Env names the shared bench folder when it is not ../shared/bench beside
// the repository.
const Env = "LMCPRESS_BENCH_SHARED"

// Dir returns a site folder (holding content/) of n generated pages, seed 1.
// Corpora are cached under os.TempDir(), keyed by size and seed, so only the
// first run pays for generating them.
func Dir(tb testing.TB, n int) string {
	tb.Helper()
	shared := sharedDir(tb)
	gen := filepath.Join(shared, "gencorpus")
	contact := filepath.Join(shared, "hugo-site", "content", "contact.md")
	for _, p := range []string{filepath.Join(gen, "main.go"), contact} {
		if _, err := os.Stat(p); err != nil {
			tb.Skipf("benchmark corpus generator not available (%s missing): ../shared/bench sits beside the repository only in the project workspace; set %s to its path", p, Env)
		}
	}
	if _, err := exec.LookPath("go"); err != nil {
		tb.Skip("go command not on PATH: needed to run the corpus generator")
	}
	root := filepath.Join(os.TempDir(), fmt.Sprintf("lmcpress-bench-corpus-n%d-seed1", n))
	if _, err := os.Stat(filepath.Join(root, "content", "site.yaml")); err == nil {
		return root // site.yaml is written last: its presence marks a complete corpus
	}
	tmp, err := os.MkdirTemp(os.TempDir(), "lmcpress-bench-corpus-*")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	absGen, err := filepath.Abs(gen)
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("go", "run", ".", "-n", fmt.Sprint(n), "-out", tmp, "-seed", "1")
	cmd.Dir = absGen
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("gencorpus: %v\n%s", err, out)
	}
	data, err := os.ReadFile(contact)
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "content", "contact.md"), data, 0o644); err != nil {
		tb.Fatal(err)
	}
	cfg := "title: Example Local Medical Committee\nbaseURL: https://lmc.example.org/\n"
	if err := os.WriteFile(filepath.Join(tmp, "content", "site.yaml"), []byte(cfg), 0o644); err != nil {
		tb.Fatal(err)
	}
	os.RemoveAll(root) // a stale, incomplete corpus
	if err := os.Rename(tmp, root); err != nil {
		if _, statErr := os.Stat(filepath.Join(root, "content", "site.yaml")); statErr == nil {
			return root // another process finished first
		}
		tb.Fatal(err)
	}
	return root
}

// sharedDir is $LMCPRESS_BENCH_SHARED, or shared/bench beside the folder
// holding the module's go.mod (found upward from the test's directory).
func sharedDir(tb testing.TB) string {
	if d := os.Getenv(Env); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", "bench")
		}
		up := filepath.Dir(dir)
		if up == dir {
			return filepath.Join("..", "shared", "bench")
		}
		dir = up
	}
}
