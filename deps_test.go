package lmcpress_test

// This test holds the import rules of ARCHITECTURE.md, as the Go tree's
// go/build/deps_test.go holds the standard library's: every package lists
// what it may import, and a new arrow fails the test until it is added here
// on purpose (and to ARCHITECTURE.md).

import (
	"bufio"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "lmcpress"

// allowed is what each package may import, besides the standard library
// (an import path whose first element has no dot, and which is not in this
// module: see isStd). A pattern ending in
// "/..." matches that path and everything below it.
var allowed = map[string][]string{
	"lmcpress": {}, // the embedded default theme: std only

	"lmcpress/internal/flock":      {},
	"lmcpress/internal/cache":      {"lmcpress/internal/flock"},
	"lmcpress/internal/parallel":   {},
	"lmcpress/internal/content":    {"lmcpress/internal/parallel", "github.com/adrg/frontmatter", "gopkg.in/yaml.v3", "github.com/BurntSushi/toml"},
	"lmcpress/internal/markdown":   {"github.com/yuin/goldmark/..."},
	"lmcpress/internal/render":     {},
	"lmcpress/internal/feed":       {"lmcpress/internal/content", "github.com/gorilla/feeds"},
	"lmcpress/internal/calendar":   {"lmcpress/internal/content", "github.com/arran4/golang-ical"},
	"lmcpress/internal/search":     {"lmcpress/internal/content", "lmcpress/internal/parallel"},
	"lmcpress/internal/site":       {"lmcpress/internal/content", "lmcpress/internal/parallel", "lmcpress/internal/markdown", "lmcpress/internal/render", "lmcpress/internal/feed", "lmcpress/internal/search", "lmcpress/internal/flock", "lmcpress/internal/calendar", "golang.org/x/sys/unix"}, // x/sys: renameat2, the swap in one step (swap.go)
	"lmcpress/internal/importer":   {"lmcpress/internal/content", "github.com/JohannesKaufmann/html-to-markdown/v2/...", "golang.org/x/net/html/..."},                                                                                                                                             // x/net/html: the nodes html-to-markdown converts, rewritten first (links, players, scripts)
	"lmcpress/internal/check":      {"lmcpress/internal/content", "lmcpress/internal/parallel", "lmcpress/internal/markdown"},
	"lmcpress/internal/subscriber": {},
	"lmcpress/internal/sqlite":     {"lmcpress/internal/subscriber", "modernc.org/sqlite/..."},
	"lmcpress/internal/email":      {"github.com/wneessen/go-mail/...", "github.com/emersion/go-msgauth/..."}, // go-msgauth: DKIM signing, and the verifier of the tests
	"lmcpress/internal/newsletter": {"lmcpress/internal/content", "lmcpress/internal/markdown", "lmcpress/internal/render", "lmcpress/internal/subscriber", "lmcpress/internal/email", "github.com/vanng822/go-premailer/..."},
	"lmcpress/internal/server":     {"lmcpress/internal/subscriber", "lmcpress/internal/livereload"},
	"lmcpress/internal/livereload": {},
	"lmcpress/internal/watch":      {"github.com/fsnotify/fsnotify"},

	// Chromium for the browser tests; imported only by _test.go files
	// (TestBrowserTestOnlyInTests).
	"lmcpress/internal/browsertest": {"github.com/chromedp/chromedp/..."},
	// A real Mailpit for the mail tests; imported only by _test.go files
	// (TestBrowserTestOnlyInTests).
	"lmcpress/internal/mailpittest": {},
	// An SMTP server in the test process, built on go-smtp, for the faults
	// no real server makes on cue (a connection cut mid-DATA) and for the
	// benchmark's discard-only sink; imported only by _test.go files
	// (TestBrowserTestOnlyInTests).
	"lmcpress/internal/smtptest": {"github.com/emersion/go-smtp/...", "github.com/emersion/go-sasl/..."},
	// The generated corpus for the benchmarks; imported only by _test.go
	// files (TestBrowserTestOnlyInTests).
	"lmcpress/internal/benchcorpus": {},

	// The one binary wires everything together. Its own third-party
	// imports are listed one by one.
	"lmcpress/cmd/lmcpress": {"lmcpress", "lmcpress/...", "github.com/schollz/progressbar/v3"},
}

// pkgImports maps a package to its imports and, for each, the first file
// that imports it.
type pkgImports map[string]map[string]string

// readImports parses every non-test .go file of the module's root, internal/
// and cmd/ (imports only).
func readImports(t *testing.T) pkgImports {
	t.Helper()
	pkgs := pkgImports{}
	fset := token.NewFileSet()
	add := func(file string) {
		f, err := parser.ParseFile(fset, file, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.ToSlash(filepath.Dir(file))
		pkg := module
		if dir != "." {
			pkg = path.Join(module, dir)
		}
		if pkgs[pkg] == nil {
			pkgs[pkg] = map[string]string{}
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if _, ok := pkgs[pkg][p]; !ok {
				pkgs[pkg][p] = filepath.ToSlash(file)
			}
		}
	}
	isGo := func(name string) bool { return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") }

	roots, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range roots {
		if !e.IsDir() && isGo(e.Name()) {
			add(e.Name())
		}
	}
	for _, root := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if b := d.Name(); name != root && (b == "testdata" || strings.HasPrefix(b, ".") || strings.HasPrefix(b, "_")) {
					return filepath.SkipDir
				}
				return nil
			}
			if isGo(d.Name()) {
				add(name)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return pkgs
}

func inModule(p string) bool { return p == module || strings.HasPrefix(p, module+"/") }

func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !inModule(p) && !strings.Contains(first, ".")
}

func match(pattern, p string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "/..."); ok {
		return p == prefix || strings.HasPrefix(p, prefix+"/")
	}
	return p == pattern
}

func TestDependencyRules(t *testing.T) {
	pkgs := readImports(t)
	if len(pkgs) < 5 {
		t.Fatalf("found only %d packages; is the test running in the module root?", len(pkgs))
	}
	for _, pkg := range sortedKeys(pkgs) {
		rules, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s is not in the allow-list of deps_test.go: add it there deliberately, with the imports ARCHITECTURE.md gives it (and add it to ARCHITECTURE.md's package table)", pkg)
			continue
		}
		for _, imp := range sortedKeys(pkgs[pkg]) {
			if isStd(imp) {
				continue
			}
			ok := false
			for _, r := range rules {
				if match(r, imp) {
					ok = true
					break
				}
			}
			if !ok {
				t.Errorf("%s imports %s (in %s), which ARCHITECTURE.md does not allow; %s may import std and %s. Change the design on purpose: update ARCHITECTURE.md and the allow-list in deps_test.go",
					pkg, imp, pkgs[pkg][imp], pkg, orNothing(rules))
			}
		}
	}
}

// TestServerNeverImportsSite checks the rule directly and through any chain of
// the module's packages: the production server serves a built site; it must
// not be able to build one.
func TestServerNeverImportsSite(t *testing.T) {
	pkgs := readImports(t)
	const server, site = "lmcpress/internal/server", "lmcpress/internal/site"
	seen := map[string]string{server: ""} // package → the package that led to it
	queue := []string{server}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for imp := range pkgs[p] {
			if _, ok := seen[imp]; ok || !inModule(imp) {
				continue
			}
			seen[imp] = p
			if imp == site {
				chain := []string{site}
				for q := p; q != ""; q = seen[q] {
					chain = append([]string{q}, chain...)
				}
				t.Fatalf("server imports site: %s", strings.Join(chain, " → "))
			}
			queue = append(queue, imp)
		}
	}
}

// TestBrowserTestOnlyInTests checks that the packages that start test
// servers (browsertest, with chromedp; mailpittest; smtptest) or generate the
// benchmarks' corpus (benchcorpus) never reach the binary.
func TestBrowserTestOnlyInTests(t *testing.T) {
	pkgs := readImports(t)
	for _, bt := range []string{"lmcpress/internal/browsertest", "lmcpress/internal/mailpittest", "lmcpress/internal/smtptest", "lmcpress/internal/benchcorpus"} {
		for _, pkg := range sortedKeys(pkgs) {
			if file, ok := pkgs[pkg][bt]; ok {
				t.Errorf("%s imports %s (in %s); only _test.go files may", pkg, bt, file)
			}
		}
	}
}

// TestThirdPartyModulesHaveOneOwner checks that each third-party module is
// imported by one package only (tests aside), so that a library's quirks and
// upgrades are met in one place, and that the root package imports only std.
func TestThirdPartyModulesHaveOneOwner(t *testing.T) {
	pkgs := readImports(t)
	mods := requiredModules(t)
	owners := map[string][]string{}
	for _, pkg := range sortedKeys(pkgs) {
		for _, imp := range sortedKeys(pkgs[pkg]) {
			if isStd(imp) || inModule(imp) {
				continue
			}
			mod := moduleOf(imp, mods)
			if mod == "" {
				t.Errorf("%s imports %s (in %s), which no module in go.mod provides", pkg, imp, pkgs[pkg][imp])
				continue
			}
			if o := owners[mod]; len(o) == 0 || o[len(o)-1] != pkg {
				owners[mod] = append(owners[mod], pkg)
			}
		}
	}
	for _, mod := range sortedKeys(owners) {
		if o := owners[mod]; len(o) != 1 {
			t.Errorf("module %s is imported by %d packages (%s); one package owns each third-party module: route the others through it",
				mod, len(o), strings.Join(o, ", "))
		}
	}
	for imp, file := range pkgs[module] {
		if !isStd(imp) {
			t.Errorf("the root package lmcpress imports %s (in %s); it holds the embedded theme and may import only the standard library", imp, file)
		}
	}
}

// requiredModules reads the module paths that go.mod requires.
func requiredModules(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var mods []string
	block := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		switch {
		case line == "require (":
			block = true
		case block && line == ")":
			block = false
		case block && line != "":
			mods = append(mods, strings.Fields(line)[0])
		case strings.HasPrefix(line, "require "):
			if fields := strings.Fields(line); len(fields) >= 3 {
				mods = append(mods, fields[1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return mods
}

// moduleOf returns the longest required module path that imp is in.
func moduleOf(imp string, mods []string) string {
	best := ""
	for _, m := range mods {
		if (imp == m || strings.HasPrefix(imp, m+"/")) && len(m) > len(best) {
			best = m
		}
	}
	return best
}

func TestDepsHelpers(t *testing.T) {
	for p, want := range map[string]bool{"fmt": true, "net/http": true, "lmcpress": false, "lmcpress/internal/site": false,
		"github.com/yuin/goldmark": false, "gopkg.in/yaml.v3": false, "modernc.org/sqlite": false} {
		if isStd(p) != want {
			t.Errorf("isStd(%q) = %v", p, !want)
		}
	}
	for _, c := range []struct {
		pattern, p string
		want       bool
	}{
		{"github.com/yuin/goldmark/...", "github.com/yuin/goldmark", true},
		{"github.com/yuin/goldmark/...", "github.com/yuin/goldmark/ast", true},
		{"github.com/yuin/goldmark/...", "github.com/yuin/goldmark-emoji", false},
		{"lmcpress/...", "lmcpress/internal/site", true},
		{"gopkg.in/yaml.v3", "gopkg.in/yaml.v3", true},
		{"gopkg.in/yaml.v3", "gopkg.in/yaml.v2", false},
	} {
		if got := match(c.pattern, c.p); got != c.want {
			t.Errorf("match(%q, %q) = %v", c.pattern, c.p, got)
		}
	}
	mods := []string{"github.com/yuin/goldmark", "github.com/yuin/goldmark-emoji", "github.com/a/b", "github.com/a/b/v2"}
	for imp, want := range map[string]string{
		"github.com/yuin/goldmark/ast": "github.com/yuin/goldmark", "github.com/yuin/goldmark-emoji": "github.com/yuin/goldmark-emoji",
		"github.com/a/b/v2/x": "github.com/a/b/v2", "github.com/a/b/c": "github.com/a/b", "github.com/other": "",
	} {
		if got := moduleOf(imp, mods); got != want {
			t.Errorf("moduleOf(%q) = %q, want %q", imp, got, want)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func orNothing(rules []string) string {
	if len(rules) == 0 {
		return "nothing else"
	}
	return strings.Join(rules, ", ")
}
