package check

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"lmcpress/internal/content"
)

// TestFolded holds the patient-data scanners to text written as a reader
// does not see it: each number below is shown on the page as 943 476 5919
// (or a postcode, or a hospital number), and each was published without a
// finding before fold.go. The excerpt is the source's own bytes.
func TestFolded(t *testing.T) {
	runScanCases(t, []scanCase{
		// Character references, as Markdown passes them through.
		{"NHS number 943&nbsp;476&nbsp;5919 on file", "nhs-number@943&nbsp;476&nbsp;5919"},
		{"NHS number 943&#160;476&#xA0;5919", "nhs-number@943&#160;476&#xA0;5919"},
		{"number &#57;434765919 here", "nhs-number@&#57;434765919"},
		{"943&ndash;476&ndash;5919", "nhs-number@943&ndash;476&ndash;5919"},
		// Other spaces and dashes.
		{"943\u2009476\u20095919", "nhs-number@943\u2009476\u20095919"},
		{"943\u202f476\u202f5919", "nhs-number@943\u202f476\u202f5919"},
		{"943\u2013476\u20135919", "nhs-number@943\u2013476\u20135919"},
		{"943\u2011476\u20115919", "nhs-number@943\u2011476\u20115919"},
		{"943\u2212476\u22125919", "nhs-number@943\u2212476\u22125919"},
		{"mixed 943 476\u00a05919", "nhs-number@943 476\u00a05919"}, // a space and a no-break space are one kind
		// Characters nobody sees.
		{"943\u00ad4765919", "nhs-number@943\u00ad4765919"},
		{"943\u200b476\u200b5919", "nhs-number@943\u200b476\u200b5919"},
		{"\ufeff9434765919", "nhs-number@9434765919"},
		{"943&shy;4765919", "nhs-number@943&shy;4765919"},
		// Other scripts' digits.
		{"NHS ９４３４７６５９１９", "nhs-number@９４３４７６５９１９"},
		{"\u0669\u0664\u0663 \u0664\u0667\u0666 \u0665\u0669\u0661\u0669", "nhs-number@\u0669\u0664\u0663 \u0664\u0667\u0666 \u0665\u0669\u0661\u0669"},
		{"Mrs Jane Smith, ＮＦ１ ２ＡＢ", "postcode@ＮＦ１ ２ＡＢ"},
		// Markdown marks the page does not show.
		{"NHS number _9434765919_", "nhs-number@9434765919"},
		{"the number _943 476 5919_ here", "nhs-number@943 476 5919"},
		{"number ~~9434765919~~ here", "nhs-number@9434765919"},
		{"number 943 **476** 5919 here", "nhs-number@943 **476** 5919"},
		{"number ***9434765919*** here", "nhs-number@9434765919"},
		// A backslash escape, as the WordPress import writes a paragraph's
		// opening "9434765919." lest it be taken for a numbered list.
		{"9434765919\\. Seen at the surgery", "nhs-number@9434765919"},
		{"seen \\(9434765919\\)", "nhs-number@9434765919"},
		// A number broken over two lines of a paragraph.
		{"seen, NHS number 943 476\n5919, today", "nhs-number@943 476\n5919"},
		{"seen, NHS number 943\n476 5919", "nhs-number@943\n476 5919"},
		{"seen, NHS number 943 476\r\n5919", "nhs-number@943 476\r\n5919"},
		// A number at a line's end, whatever the next line starts with.
		{"- NHS 943 476 5919\n2. next", "nhs-number@943 476 5919"},
		{"2024\n943 476 5919", "nhs-number@943 476 5919"},

		// Still not flagged: identifiers, and what was never a number.
		{"file_9434765919 and 943_476_5919 and x_9434765919_y", ""},
		{"ref \\_9434765919 and C:\\files\\9434765919", ""}, // an escaped underscore is shown; a path's backslash is not an escape
		{"see ?id=1&amp;x=9434765919 and &amp;x", ""},
		// What the text as written shows is found even where folding would
		// hide it (scan reads both): &amp; is read as '&', and a number
		// after one is an address's.
		{"see &amp;9434765919 and `id`=`9000000009`", "nhs-number@9434765919 | nhs-number@9000000009"},
		// As written, a no-break space is a separator of its own kind, so
		// the space-separated groups around these are not the number's;
		// folded to spaces, they would be.
		{"Freephone 0800 943\u00a0476\u00a05919 today", "nhs-number@943\u00a0476\u00a05919"},
		{"ring 943\u00a0476\u00a05919 12", "nhs-number@943\u00a0476\u00a05919"},
		{"943 476\n\n5919", ""},              // two paragraphs
		{"943 476\u2013 5919", ""},           // not a group of digits between
		{"&nbsp;&#x;&#;&;&unknown; 123", ""}, // references that are not, or hold no number
		{"caf\u00e9 \u201cquoted\u201d \u2018x\u2019 \u00a35", ""},
	})
}

// TestFoldedPlaces gives a folded finding's line and column in the
// source, as the editor shows the file.
func TestFoldedPlaces(t *testing.T) {
	body := "Intro \u2013 caf\u00e9 &amp; more.\n\nThe patient, NHS&nbsp;number ９４３４７６５９１９, was seen.\r\nDOB: _943 476 5919_\n"
	var got []string
	for _, f := range PatientData("content/news/x.md", []byte(body), 5) {
		got = append(got, fmt.Sprintf("%d:%d %s %s", f.Line, f.Column, f.Rule, f.Message[:3]))
	}
	want := []string{"7:30 nhs-number 943", "8:7 nhs-number 943"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
}

// TestMaskFolded: Mask stars a number written in any of fold's ways and
// leaves the text around it as it was.
func TestMaskFolded(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"NHS ９４３４７６５９１９ \u2013 seen", "NHS 943******* \u2013 seen"},
		{"NHS 943&nbsp;476&nbsp;5919.", "NHS 943 *** ****."},
		{"x _9434765919_ y", "x _943*******_ y"},
		{"seen: \u0669\u0664\u0663 \u0664\u0667\u0666 \u0665\u0669\u0661\u0669.", "seen: 943 *** ****."},
	} {
		if got := Mask(c.in); got != c.want {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"content/advice/\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19.md", "content/advice/943*** ****.md"},
		{"content/advice/Jane \u0669\u0664\u0663 \u0664\u0667\u0666 \u0665\u0669\u0661\u0669.txt", "content/advice/Jane 943*** ****.txt"},
	} {
		if got := maskName(c.in); got != c.want {
			t.Errorf("maskName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFrontMatterFolded: a front-matter value is folded too, so a title
// in full-width digits is found.
func TestFrontMatterFolded(t *testing.T) {
	s := &sheet{name: "content/news/x.md"}
	s.scanValue(&content.Page{Lines: map[string]int{"title": 2}}, "title", "Review of ９４３ ４７６ ５９１９", false)
	if len(s.findings) != 1 || s.findings[0].Rule != RuleNHSNumber || s.findings[0].Line != 2 {
		t.Errorf("findings %v, want one nhs-number on line 2", s.findings)
	}
}

// TestDigitRanges holds digitValue's reading of unicode.Nd: every range
// is runs of ten, each from its zero, so a digit's value is its distance
// from its range's start, modulo ten.
func TestDigitRanges(t *testing.T) {
	check := func(lo, hi, stride uint32) {
		if stride != 1 || (hi-lo+1)%10 != 0 {
			t.Errorf("unicode.Nd range %U-%U (stride %d) is not runs of ten", lo, hi, stride)
		}
	}
	for _, r := range unicode.Nd.R16 {
		check(uint32(r.Lo), uint32(r.Hi), uint32(r.Stride))
	}
	for _, r := range unicode.Nd.R32 {
		check(r.Lo, r.Hi, r.Stride)
	}
	for r, want := range map[rune]byte{'7': 7, '９': 9, '٩': 9, '۴': 4, '९': 9, '০': 0, '𝟗': 9, '𝟘': 0, '๓': 3} {
		if got := digitValue(r); got != want {
			t.Errorf("digitValue(%q) = %d, want %d", r, got, want)
		}
	}
}

// FuzzFold holds folding to what scan relies on: text with nothing to
// fold is the source itself; the marks never go back; every offset of the
// folded text, taken back, lies in the source, a match's start before its
// end; and what a match found is its folded text.
//
//	go test -run='^$' -fuzz=FuzzFold -fuzztime=60s ./internal/check
func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "plain 9434765919", "943&nbsp;476&nbsp;5919", "９４３ ４７６ ５９１９", "_943 476 5919_",
		"a\r\nb\rc", "&#x110000; &#0; &amp &notit; &#57;", "**1**2__3__", "\u00ad\u200b\ufeff", "\xff\xfe&", "943 476\r\n5919"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		c := foldChars(src)
		if firstFoldable(src) < 0 && (len(c.marks) != 0 || !bytes.Equal(c.text, src)) {
			t.Fatalf("foldChars changed %q, which has nothing to fold", src)
		}
		ordered(t, c.marks, len(c.text), len(src))
		runs := digitRuns(c.text, nil)
		if m, ok := foldMarks(c.text, runs); ok {
			ordered(t, m.marks, len(m.text), len(c.text))
			if len(m.text) >= len(c.text) {
				t.Fatalf("foldMarks of %q dropped nothing", c.text)
			}
		}
		for _, m := range scan(src) {
			if m.start < 0 || m.start >= m.end || m.end > len(src) {
				t.Fatalf("scan(%q): match at %d:%d", src, m.start, m.end)
			}
			if len(m.found) == 0 || !utf8.Valid(m.found) && utf8.Valid(src) {
				t.Fatalf("scan(%q): found %q", src, m.found)
			}
		}
		Mask(string(src))
	})
}

// ordered checks marks from a folding of a source of n bytes into one of
// out bytes.
func ordered(t *testing.T, marks []mark, out, n int) {
	t.Helper()
	f := folded{marks: marks}
	for i, m := range marks {
		if m.out < 0 || m.out > out || m.in < 0 || m.in > n {
			t.Fatalf("mark %v outside %d and %d bytes", m, out, n)
		}
		if i > 0 && (m.out < marks[i-1].out || m.in < marks[i-1].in) {
			t.Fatalf("marks go back: %v then %v", marks[i-1], m)
		}
	}
	for off := 0; off <= out; off++ {
		s, e := f.source(off, false), f.source(off, true)
		if s < 0 || s > n || e < 0 || e > n || e > s {
			t.Fatalf("offset %d of %d goes back to %d (start) and %d (end) of %d", off, out, s, e, n)
		}
	}
}
