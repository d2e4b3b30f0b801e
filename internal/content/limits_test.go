package content

import (
	"strings"
	"testing"
)

// TestDepth: the scan before the parse counts each > and list marker at
// a line's start, and two columns of indentation before the first, as
// one level; other lines open nothing.
func TestDepth(t *testing.T) {
	for _, tt := range []struct {
		line string
		want int
	}{
		{"Text.", 0},
		{"", 0},
		{"- item", 1},
		{"* item", 1},
		{"+ item", 1},
		{"1. item", 1},
		{"12) item", 1},
		{"2024. was a year", 1},
		{"-not a list", 0},
		{"*emphasis*", 0},
		{"1.5 million", 0},
		{"> quote", 1},
		{">> quote", 2},
		{"> - quote of a list", 2},
		{"- - - x", 3},
		{"1. 2. 3. x", 3},
		{"  - nested", 2},
		{"    - nested twice", 3},
		{"\t- nested by a tab", 3},
		{"                                        indented text", 0},
		{"---", 0},
		{"- ", 1},
		{"-", 1},
	} {
		if got := depth([]byte(tt.line)); got != tt.want {
			t.Errorf("depth(%q) = %d, want %d", tt.line, got, tt.want)
		}
	}
}

func TestCheckBody(t *testing.T) {
	deep := strings.Repeat("- ", MaxDepth) + "x"
	for _, tt := range []struct {
		name, body string
		line       int
		want       string
	}{
		{"prose", "Some text.\n\n- a\n  - b\n    - c\n\n> quote\n", 0, ""},
		{"as deep as allowed", deep + "\n", 0, ""},
		{"one deeper", "Text.\n\n" + "- " + deep + "\n", 12, "nested 33 deep"},
		{"links as allowed", strings.Repeat("[a](/b/) ", MaxLinks), 0, ""},
		{"one link more", "x\n" + strings.Repeat("[a](/b/)\n", MaxLinks+1), 10 + MaxLinks, "over 5000 links"},
		{"autolinks", strings.Repeat("<https://a.example/> ", MaxLinks/2+1), 10, "over 5000 links"},
		{"bare addresses", strings.Repeat("www.a.example ", MaxLinks+1), 10, "over 5000 links"},
		{"emails", strings.Repeat("a@b.example ", MaxLinks+1), 10, "over 5000 links"},
	} {
		line, msg := checkBody([]byte(tt.body), 10)
		switch {
		case tt.want == "" && msg != "":
			t.Errorf("%s: refused at %d: %s", tt.name, line, msg)
		case tt.want != "" && (!strings.Contains(msg, tt.want) || line != tt.line):
			t.Errorf("%s: got line %d %q, want line %d %q", tt.name, line, msg, tt.line, tt.want)
		}
	}
}

// BenchmarkCheckBody: the scan runs on every page of every build.
func BenchmarkCheckBody(b *testing.B) {
	body := []byte(strings.Repeat("Some text with a [link](/news/x/) and *emphasis*.\n\n- a list item\n  - nested\n\n> a quote\n\n", 200))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		checkBody(body, 1)
	}
}
