package render_test

import (
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"lmcpress/internal/render"
)

func theme(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for n, s := range files {
		fsys[n] = &fstest.MapFile{Data: []byte(s)}
	}
	return fsys
}

type page struct {
	Title string
	Key   string
	Count int
}

// TestPartialCached runs a page whose partial shows a field that is not in
// the key: the first page with a key decides what every later page with
// that key shows, a new key makes it again, and Forget starts afresh.
func TestPartialCached(t *testing.T) {
	tpl, err := render.Parse(theme(map[string]string{
		"_parts.html": `{{define "box"}}<b>{{.Title}} &amp; co</b>{{end}}`,
		"page.html":   `{{partialCached "box" . .Key .Count}}|{{.Title}}`,
	}), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := func(p page) string {
		t.Helper()
		b, err := tpl.ExecuteBytes("page.html", p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, c := range []struct {
		in   page
		want string
	}{
		{page{"One<", "a", 1}, "<b>One&lt; &amp; co</b>|One&lt;"}, // escaped as HTML text
		{page{"Two", "a", 1}, "<b>One&lt; &amp; co</b>|Two"},      // same keys: kept
		{page{"Two", "b", 1}, "<b>Two &amp; co</b>|Two"},
		{page{"Three", "a", 2}, "<b>Three &amp; co</b>|Three"},
		{page{"Four", "a\x001", 0}, "<b>Four &amp; co</b>|Four"}, // not mistaken for ("a", 1)
	} {
		if got := run(c.in); got != c.want {
			t.Errorf("%+v: got %q, want %q", c.in, got, c.want)
		}
	}
	tpl.Forget()
	if got, want := run(page{"Five", "a", 1}), "<b>Five &amp; co</b>|Five"; got != want {
		t.Errorf("after Forget: got %q, want %q", got, want)
	}
}

func TestPartialCachedConcurrent(t *testing.T) {
	tpl, err := render.Parse(theme(map[string]string{
		"_parts.html": `{{define "box"}}[{{.Title}}]{{end}}`,
		"page.html":   `{{partialCached "box" . .Key}}`,
	}), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([]string, 64)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := string(rune('a' + i%4))
			b, err := tpl.ExecuteBytes("page.html", page{Title: k, Key: k})
			if err != nil {
				t.Error(err)
			}
			got[i] = string(b)
		}()
	}
	wg.Wait()
	for i, g := range got {
		if want := "[" + string(rune('a'+i%4)) + "]"; g != want {
			t.Errorf("run %d: %q, want %q", i, g, want)
		}
	}
}

func TestPartialCachedErrors(t *testing.T) {
	tpl, err := render.Parse(theme(map[string]string{
		"_parts.html": `{{define "box"}}{{.Missing}}{{end}}`,
		"page.html":   `{{partialCached "nothing" .}}`,
		"bad.html":    `{{partialCached "box" .}}`,
	}), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"page.html": `no template "nothing"`,
		"bad.html":  "Missing",
	} {
		_, err := tpl.ExecuteBytes(name, page{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one mentioning %q", name, err, want)
		}
	}
}

// TestPartialCachedEach lists pages through a partial: each element's HTML
// is made once (the element is the key, so an edit to a page seen again
// shows what was made first), the list's is those joined, and errors name
// what to give it.
func TestPartialCachedEach(t *testing.T) {
	tpl, err := render.Parse(theme(map[string]string{
		"_parts.html":  `{{define "row"}}<li>{{.Title}}</li>{{end}}`,
		"page.html":    `<ol>{{partialCachedEach "row" .}}</ol>`,
		"missing.html": `{{partialCachedEach "nothing" .}}`,
		"sep.html":     `{{partialCachedEach "row" . "<,>"}}`,
		"seps.html":    `{{partialCachedEach "row" . "," ","}}`,
	}), render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := func(name string, data any) (string, error) {
		t.Helper()
		b, err := tpl.ExecuteBytes(name, data)
		return string(b), err
	}
	a, b := &page{Title: "A<"}, &page{Title: "B"}
	for _, c := range []struct {
		data any
		want string
	}{
		{[]*page{a, b, a}, "<ol><li>A&lt;</li><li>B</li><li>A&lt;</li></ol>"},
		{[]*page{}, "<ol></ol>"},
		{[]*page(nil), "<ol></ol>"},
		{nil, "<ol></ol>"},
		{[]string{"x"}, "ERR"}, // a string has no .Title
	} {
		got, err := run("page.html", c.data)
		if c.want == "ERR" {
			if err == nil {
				t.Errorf("%v: no error", c.data)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%v: got %q, %v; want %q", c.data, got, err, c.want)
		}
	}
	a.Title = "A2"
	if got, _ := run("page.html", []*page{a}); got != "<ol><li>A&lt;</li></ol>" {
		t.Errorf("kept row: got %q", got)
	}
	tpl.Forget()
	if got, _ := run("page.html", []*page{a}); got != "<ol><li>A2</li></ol>" {
		t.Errorf("after Forget: got %q", got)
	}
	if got, err := run("sep.html", []*page{a, b}); got != "<li>A2</li>&lt;,&gt;<li>B</li>" || err != nil {
		t.Errorf("separator, escaped: got %q, %v", got, err)
	}
	if got, err := run("sep.html", []*page{b}); got != "<li>B</li>" || err != nil {
		t.Errorf("separator, one element: got %q, %v", got, err)
	}
	for _, c := range []struct {
		name string
		data any
		want string
	}{
		{"missing.html", []*page{a}, `no template "nothing"`},
		{"page.html", page{}, "is not a list"},
		{"page.html", [][]string{{"x"}}, "cannot be a key"},
		{"seps.html", []*page{a}, "at most one separator"},
	} {
		if _, err := run(c.name, c.data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s on %T: error %v, want one mentioning %q", c.name, c.data, err, c.want)
		}
	}
}
