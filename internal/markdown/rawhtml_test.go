package markdown

import (
	"strings"
	"testing"
)

// TestDangerousLinksNeutralised: with raw HTML allowed, a javascript:
// address in raw HTML (however a browser would still read it) is written
// as "" and listed in Links for check to refuse; a Markdown link to one
// stays href="", as without raw HTML. Before, both reached the page.
func TestDangerousLinksNeutralised(t *testing.T) {
	src := "[md](javascript:alert(1))\n\n" +
		"<a href=\"jav&#x61;script:alert(2)\">a</a> <a href=' JAVASCRIPT:alert(3)'>b</a> <a title=x href=\"java\tscript:alert(4)\">c</a>\n\n" +
		"<div>\n<img src=\"vbscript:x\" alt=\"v\"> <img srcset=\"ok.png 1x, data:text/html,x 2x\" alt=\"s\">\n</div>\n\n" +
		"<a href=\"https://ok.example/\">ok</a> <img src=\"data:image/png;base64,AAAA\" alt=\"png\"> <!-- <a href=\"javascript:comment\"> -->\n"
	d, err := New(Config{AllowRawHTML: true}).Convert([]byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := string(d.HTML)
	for _, bad := range []string{"alert(", "script:", "vbscript", "data:text"} {
		if strings.Contains(strings.ToLower(strings.ReplaceAll(h, "javascript:comment", "")), bad) {
			t.Errorf("%q reached the page:\n%s", bad, h)
		}
	}
	for _, good := range []string{`<a href="">md</a>`, `<a href="">a</a>`, `<a href=''>b</a>`, `<a title=x href="">c</a>`, `href="https://ok.example/"`, `src="data:image/png;base64,AAAA"`, `<!-- <a href="javascript:comment"> -->`} {
		if !strings.Contains(h, good) {
			t.Errorf("page lacks %q:\n%s", good, h)
		}
	}
	var got []string
	for _, l := range d.Links {
		if IsDangerousURL(l.Dest) {
			got = append(got, l.Dest)
		}
	}
	want := "javascript:alert(1) javascript:alert(2) JAVASCRIPT:alert(3) javascript:alert(4) vbscript:x data:text/html"
	if strings.Join(got, " ") != want {
		t.Errorf("dangerous links %q, want %q", strings.Join(got, " "), want)
	}
}
