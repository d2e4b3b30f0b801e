package check

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unicode/utf8"

	"lmcpress/internal/content"
)

// FuzzScan runs the patient-data scanners on arbitrary text: they must not
// panic, must report places inside the text in order, and an NHS-number hit
// must be ten digits that pass the check.
//
//	go test -run='^$' -fuzz=FuzzScan -fuzztime=60s ./internal/check
func FuzzScan(f *testing.F) {
	for _, s := range []string{
		"NHS number 943 476 5919", "9434765919", "943-476-5919", "943\u00a0476\u00a05919", "01632 960000",
		"Mrs Jane Smith, DOB 12/03/1985, NF1 2AB", "| Name | DOB |\n|---|---|\n| Jane Smith | 12/03/1985 |",
		"MRN: 1234567", "Hospital No: A123456", "born on 3 March 1985, John Smith", "date of\nbirth 1 Jan 1950 Mr X",
		"12/03/1985 (DOB) Dr Who", "Allowed 943 476 5919 <!-- lmcpress:allow nhs-number -->", "ü 943 476 5919", "\xff\xfe 9434765919",
		"|DOB|\n|-|\n|1/1/2000 Mrs A|", "d.o.b.", "birth", "date of birth", "SW1A 1AA Mr Smith", "GIR 0AA",
	} {
		f.Add([]byte(s), 1)
	}
	f.Fuzz(func(t *testing.T, text []byte, firstLine int) {
		firstLine = 1 + (firstLine&0xffff)%1000
		ms := scan(text)
		prev := -1
		for _, m := range ms {
			if m.start < 0 || m.end > len(text) || m.start >= m.end || m.start < prev {
				t.Fatalf("bad span %d..%d (prev %d) in %d bytes", m.start, m.end, prev, len(text))
			}
			prev = m.start
			if m.rule == RuleNHSNumber {
				var d [10]byte
				n := 0
				for _, c := range text[m.start:m.end] {
					if isDigit(c) {
						if n == 10 {
							t.Fatalf("more than ten digits in %q", text[m.start:m.end])
						}
						d[n] = c
						n++
					}
				}
				if n != 10 || !validNHS(d) {
					t.Fatalf("nhs-number hit %q fails the check", text[m.start:m.end])
				}
			}
		}
		again := scan(append([]byte(nil), text...))
		if len(again) != len(ms) {
			t.Fatalf("scan is not deterministic: %d then %d hits", len(ms), len(again))
		}
		lines := bytes.Count(text, []byte("\n")) + 1
		for _, f := range PatientData("content/x.md", text, firstLine) {
			if f.Line < firstLine || f.Line >= firstLine+lines || f.Column < 1 || f.Column > utf8.RuneCount(text)+1 {
				t.Fatalf("finding %s outside the text (%d lines from %d)", f, lines, firstLine)
			}
		}
	})
}

// FuzzDigitFreeValue holds scanValue's shortcut: a value that cannot hold
// a digit (mayHoldDigit) gives no finding, as text or as an address, nor
// as a file name. (Digits of other scripts are found: TestFolded.)
//
//	go test -run='^$' -fuzz=FuzzDigitFreeValue -fuzztime=60s ./internal/check
func FuzzDigitFreeValue(f *testing.F) {
	for _, s := range []string{
		"", "Flu clinics", "NHS number", "Mrs Jane Smith, DOB", "NF SW1A", "date of birth", "Mr X, NF AB",
		"MRN: RTH", "NHS number _ * ~ ` ", "no-break\tspace\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if mayHoldDigit(s) {
			return
		}
		if ms := scan([]byte(s)); len(ms) > 0 {
			t.Fatalf("scan(%q) found %v", s, ms)
		}
		if ms := scanAddress(s); len(ms) > 0 {
			t.Fatalf("scanAddress(%q) found %v", s, ms)
		}
		if m := maskName(s); m != s {
			t.Fatalf("maskName(%q) = %q", s, m)
		}
		if sl := content.Slugify(s); mayHoldDigit(sl) {
			t.Fatalf("Slugify(%q) = %q has an ASCII digit", s, sl)
		}
	})
}

// FuzzDigitRuns holds digitRuns, which reads eight bytes at a time, to
// looking at every byte.
//
//	go test -run='^$' -fuzz=FuzzDigitRuns -fuzztime=60s ./internal/check
func FuzzDigitRuns(f *testing.F) {
	for _, s := range []string{"", "1", "abcdefgh", "abcdefg9", "9bcdefgh", "abc/:def0123456789", "\xb0\xb9\xba\xaf/:09",
		"NHS 943 476 5919, 12/03/1985", "\x00\x7f\x80\xff01234567x89", "no digits in this line at all, none"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		var want []digitRun
		for i := 0; i < len(text); i++ {
			if '0' <= text[i] && text[i] <= '9' {
				j := i
				for j < len(text) && '0' <= text[j] && text[j] <= '9' {
					j++
				}
				want = append(want, digitRun{i, j})
				i = j
			}
		}
		got := digitRuns(text, nil)
		if len(got) != len(want) {
			t.Fatalf("digitRuns(%q) = %v, want %v", text, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("digitRuns(%q) = %v, want %v", text, got, want)
			}
		}
	})
}

// TestDigits8 tries every byte value at every place of the word, among
// other bytes.
func TestDigits8(t *testing.T) {
	for c := 0; c < 256; c++ {
		for at := 0; at < 8; at++ {
			for _, fill := range []byte{'a', 0x00, 0xff, '/', ':', 0xb0, '5'} {
				var b [8]byte
				for i := range b {
					b[i] = fill
				}
				b[at] = byte(c)
				var want uint64
				for i, x := range b {
					if isDigit(x) {
						want |= 0x80 << (8 * i)
					}
				}
				if got := digits8(binary.LittleEndian.Uint64(b[:])); got != want {
					t.Errorf("digits8(%q) = %#x, want %#x", b, got, want)
				}
			}
		}
	}
}
