package markdown

import (
	"reflect"
	"testing"
)

var linkRefSeeds = []string{
	"[nhs]: https://www.nhs.uk/\n\nSee [the NHS][nhs].",
	"Text first\n[nhs]: https://www.nhs.uk/\n\n[nhs]",
	"   [a]: /a 'title'\n[b]:\n  /b\n\n[a] [b]",
	"\t[c]: /c\n\n[c]",
	"    [code]: /not-a-ref\n\n[code]",
	"> [q]: /q\n\n[q]",
	"- [l]: /l\n\n[l]",
	"[not a ref] text\n\n[x](/x)",
	"| a |\n| - |\n| [t]: /t |",
	"\n\n  \n[late]: /late\n\n[late]",
	"[foo]: /url \"title\" trailing\n\n[foo]",
	"{{< figure src=\"x.png\" >}}\n\n[s]: /s\n\n[s]",
	"[foo]\n: /url\n\n[foo]", "[foo]\r\n: /url\n\n[foo]", "> [foo]\n> : /url\n\n> [foo]",
	"[foo\nbar]: /url\n\n[foo bar]", "[a\\]]: /a\n\n[a\\]]", "[x](/x) and [y]: /y",
	"- [Guide: July](/guidance/x/)\n- [NHS](https://www.nhs.uk/)",
}

// FuzzLinkRefs holds the engine, which asks goldmark's link reference
// transformer only about paragraphs that start with "[", to what it gives
// with goldmark's transformer asked about every paragraph.
func FuzzLinkRefs(f *testing.F) {
	for _, s := range linkRefSeeds {
		f.Add(s)
	}
	ours, theirs := New(Config{}), newEngine(Config{}, true)
	o := Options{PageURL: "/news/x/", AlsoBaseURL: "https://lmc.example.org/"}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ours.Convert([]byte(s), o)
		if err != nil {
			t.Fatal(err)
		}
		want, err := theirs.Convert([]byte(s), o)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %#v\nwant %#v", s, got, want)
		}
	})
}
