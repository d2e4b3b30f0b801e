package lmcpress_test

// This test holds the rule that one clock decides what a site looks like:
// the command's (main passes time.Now to run, and --now overrides it),
// handed down in content.Visibility. Anywhere else, reading the wall clock
// must only measure how long something took, or how old a file on disk
// is; a test must pin the moment it builds at, so no test depends on
// today's date or on the machine's time zone.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// wallClock lists, by package and function, the code that may read the
// real time (time.Now, time.Since, time.Until), with why it decides no
// content. A function literal counts as part of the function it is in.
var wallClock = map[string]string{
	"lmcpress/cmd/lmcpress main":                    "passes the real clock to run, which hands it to the commands",
	"lmcpress/cmd/lmcpress runBuild":                "how long the build took",
	"lmcpress/cmd/lmcpress buildSite":               "how long the swap into place took",
	"lmcpress/cmd/lmcpress preview.reset":           "how long a preview build took",
	"lmcpress/cmd/lmcpress preview.rebuild":         "how long a preview rebuild took",
	"lmcpress/cmd/lmcpress preview.succeed":         "how long a preview rebuild took",
	"lmcpress/cmd/lmcpress runSend":                 "how long the send took, for its summary's rate",
	"lmcpress/cmd/lmcpress runImport":               "how long the import took, for its report",
	"lmcpress/cmd/lmcpress newSendProgress":         "when the send started, for the progress lines' rate",
	"lmcpress/cmd/lmcpress sendProgress.update":     "the progress lines' rate and time left",
	"lmcpress/internal/cache olderThanAnHour":       "the age of a private cache copy that no lock tells about",
	"lmcpress/internal/email bucket.wait":           "the rate limit: how far apart messages go to the SMTP server",
	"lmcpress/internal/livereload Broker.ServeHTTP": "the deadline of one write to a page",
	"lmcpress/internal/mailpittest start":           "how long to wait for the test's Mailpit to answer (tests only)",
	"lmcpress/internal/site abandoned":              "a killed build's folder's age, where no locks tell it from a running build's",
	"lmcpress/internal/site newStopwatch":           "each stage's time, for --timings",
	"lmcpress/internal/site stopwatch.lap":          "each stage's time, for --timings",
}

// wallClockFuncs are the time package's functions that read the clock.
var wallClockFuncs = map[string]bool{"Now": true, "Since": true, "Until": true}

// dateMethods are time.Time's methods that tell what day or hour it is:
// called on time.Now() in a test, they make it depend on the date.
var dateMethods = map[string]bool{
	"Format": true, "AppendFormat": true, "Year": true, "Month": true, "Day": true, "Date": true,
	"Hour": true, "YearDay": true, "Weekday": true, "ISOWeek": true, "In": true, "Local": true,
	"AddDate": true, "Truncate": true, "Round": true, "Clock": true,
}

type clockUse struct {
	pos  token.Position
	key  string // package and function
	what string // e.g. time.Now
	test bool
	bad  string // for a test file: why this use depends on the date
}

// clockUses parses every .go file of the module and returns each read of
// the wall clock.
func clockUses(t *testing.T) []clockUse {
	t.Helper()
	var uses []clockUse
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		timeName := ""
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "time" {
				timeName = "time"
				if imp.Name != nil {
					timeName = imp.Name.Name
				}
			}
		}
		if timeName == "" || timeName == "_" {
			return nil
		}
		pkg := module
		if dir := filepath.ToSlash(filepath.Dir(p)); dir != "." {
			pkg += "/" + dir
		}
		test := strings.HasSuffix(p, "_test.go")
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok {
				ast.Inspect(decl, func(n ast.Node) bool {
					if sel, ok := n.(*ast.SelectorExpr); ok && isTime(sel, timeName) && (wallClockFuncs[sel.Sel.Name] || sel.Sel.Name == "Local") {
						uses = append(uses, clockUse{pos: fset.Position(sel.Pos()), key: pkg + " (package level)", what: "time." + sel.Sel.Name, test: test, bad: "read at package level"})
					}
					return true
				})
				continue
			}
			key := pkg + " " + funcName(fn)
			uses = append(uses, inspectFunc(fset, fn, key, timeName, test)...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return uses
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	typ := fn.Recv.List[0].Type
	if st, ok := typ.(*ast.StarExpr); ok {
		typ = st.X
	}
	if ix, ok := typ.(*ast.IndexExpr); ok {
		typ = ix.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name + "." + fn.Name.Name
	}
	return fn.Name.Name
}

func isTime(sel *ast.SelectorExpr, timeName string) bool {
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == timeName
}

// inspectFunc finds the clock reads in one function. In a test file it
// also says why a use makes the test depend on the date: the real clock
// passed on as a clock (time.Now uncalled), put in a Visibility or other
// Now field, asked what day it is, or the machine's zone (time.Local).
func inspectFunc(fset *token.FileSet, fn *ast.FuncDecl, key, timeName string, test bool) []clockUse {
	var uses []clockUse
	called := map[*ast.SelectorExpr]bool{}    // time.Now in time.Now()
	nowField := map[*ast.SelectorExpr]bool{}  // time.Now() as the value of a Now: field
	dateAsked := map[*ast.SelectorExpr]bool{} // time.Now().Format(...) and the like
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
				if isTime(sel, timeName) {
					called[sel] = true
				} else if inner, ok := sel.X.(*ast.CallExpr); ok && dateMethods[sel.Sel.Name] {
					if now, ok := inner.Fun.(*ast.SelectorExpr); ok && isTime(now, timeName) && now.Sel.Name == "Now" {
						dateAsked[now] = true
					}
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Now" {
				if call, ok := n.Value.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && isTime(sel, timeName) {
						nowField[sel] = true
					}
				}
			}
		case *ast.SelectorExpr:
			if !isTime(n, timeName) || (!wallClockFuncs[n.Sel.Name] && n.Sel.Name != "Local") {
				return true
			}
			u := clockUse{pos: fset.Position(n.Pos()), key: key, what: "time." + n.Sel.Name, test: test}
			switch {
			case n.Sel.Name == "Local":
				u.bad = "depends on the machine's time zone: name the zone (content.London, time.UTC)"
			case n.Sel.Name == "Now" && !called[n]:
				u.bad = "passes the real clock on: give a fixed one"
			case nowField[n]:
				u.bad = "builds at the real time: pin Now to a fixed moment"
			case dateAsked[n]:
				u.bad = "asks the real clock what day or hour it is: use a fixed time.Date"
			}
			uses = append(uses, u)
		}
		return true
	})
	return uses
}

func TestOneClock(t *testing.T) {
	seen := map[string]bool{}
	for _, u := range clockUses(t) {
		if u.test {
			// Deadlines and timeouts may use the real clock; content may not.
			if u.bad != "" {
				t.Errorf("%s: %s in a test %s", u.pos, u.what, u.bad)
			}
			continue
		}
		if _, ok := wallClock[u.key]; ok && u.what != "time.Local" {
			seen[u.key] = true
			continue
		}
		t.Errorf("%s: %s in %s: what is published, upcoming or due for review is decided by the clock the command passes down (content.Visibility.Now, from run's now or --now). If this only measures how long something takes, add %q to wallClock in clock_test.go, saying so.",
			u.pos, u.what, u.key, u.key)
	}
	var stale []string
	for k := range wallClock {
		if !seen[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	for _, k := range stale {
		t.Errorf("wallClock lists %q, which no longer reads the clock: remove it", k)
	}
}

// TestOneClockFindsUses: the scan sees the uses it must refuse.
func TestOneClockFindsUses(t *testing.T) {
	const src = `package p

import clock "time"

var v = struct{ Now clock.Time }{Now: clock.Now()}

func build() {
	_ = struct{ Now clock.Time }{Now: clock.Now()}
	_ = clock.Now().Format("2006-01-02")
	_ = clock.Local
	run(clock.Now)
	deadline := clock.Now().Add(clock.Second)
	_ = clock.Since(deadline)
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p_test.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var bad, fine []string
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok {
			for _, u := range inspectFunc(fset, fn, "p "+funcName(fn), "clock", true) {
				if u.bad != "" {
					bad = append(bad, strconv.Itoa(u.pos.Line)+" "+u.bad)
				} else {
					fine = append(fine, strconv.Itoa(u.pos.Line)+" "+u.what)
				}
			}
		}
	}
	wantBad := []string{
		"8 builds at the real time: pin Now to a fixed moment",
		"9 asks the real clock what day or hour it is: use a fixed time.Date",
		"10 depends on the machine's time zone: name the zone (content.London, time.UTC)",
		"11 passes the real clock on: give a fixed one",
	}
	wantFine := []string{"12 time.Now", "13 time.Since"}
	if strings.Join(bad, "\n") != strings.Join(wantBad, "\n") || strings.Join(fine, "\n") != strings.Join(wantFine, "\n") {
		t.Errorf("refused:\n%s\nallowed:\n%s\nwant refused:\n%s\nallowed:\n%s",
			strings.Join(bad, "\n"), strings.Join(fine, "\n"), strings.Join(wantBad, "\n"), strings.Join(wantFine, "\n"))
	}
}
