package check

// The text the patient-data scanners read is folded first to what a reader
// of the published page sees, as far as numbers go. The scanners match
// ASCII: an NHS number is ten ASCII digits, grouped by a space, a no-break
// space or a hyphen. Yet the same number reaches the page, and the reader,
// written in ways the source holds other bytes for:
//
//   - an HTML character reference, which Markdown passes through and
//     WordPress exports are full of: 943&nbsp;476&nbsp;5919;
//   - another space or dash: a thin or narrow no-break space, an en dash,
//     a non-breaking hyphen, a minus sign (word processors and PDFs
//     insert them);
//   - characters nobody sees: a soft hyphen, a zero-width space, a word
//     joiner, a byte-order mark or a direction mark, pasted in with the
//     number from a web page or a document;
//   - digits of another script (full-width ９４３, Arabic-Indic ٩٤٣), and
//     full-width letters in a postcode or hospital number;
//   - Markdown emphasis, strikethrough or code marks next to the digits,
//     which the page does not show: _9434765919_, 943 **476** 5919.
//
// Before this folding each of those was published without a finding.
// fold does not change what is built, only what is scanned; a finding's
// place is given in the source's lines and columns (folded.source).

import (
	"bytes"
	"encoding/binary"
	"html"
	"sort"
	"unicode"
	"unicode/utf8"
)

// folded is text as the scanners read it, with the way back to the
// offsets of the source it was folded from.
type folded struct {
	text []byte
	// marks are where text and the source stop lining up: from each
	// mark's out in text (and its in in the source) the bytes are the same
	// up to the next. None when text is the source itself.
	marks []mark
}

type mark struct{ out, in int }

// Each change folding makes is marked twice, where it starts and where it
// ends, so that both ends of a match can be taken back (source).

// source is the source offset of off, an offset in text: the start of a
// match when end is false, its end (just past its last byte) when true.
// A start where folding dropped something lies after what was dropped; an
// end, before it; and either end of a character folding replaced lies at
// that end of the source's character or reference.
func (f *folded) source(off int, end bool) int {
	if end {
		j := sort.Search(len(f.marks), func(i int) bool { return f.marks[i].out >= off })
		if j < len(f.marks) && f.marks[j].out == off {
			return f.marks[j].in
		}
	}
	i := sort.Search(len(f.marks), func(i int) bool { return f.marks[i].out > off }) - 1
	if i < 0 {
		return off
	}
	return f.marks[i].in + off - f.marks[i].out
}

// foldChars folds character references, spaces, dashes, invisible
// characters and other scripts' digits (see the top of this file). Most
// text holds none of them, and then src itself is returned, uncopied:
// every page of every build comes here, and ASCII text without '&' or
// '\r' is passed over thirty-two bytes at a time.
func foldChars(src []byte) folded {
	i := firstFoldable(src)
	if i < 0 {
		return folded{text: src}
	}
	var out []byte // made at the first change: most non-ASCII text has none to make
	var marks []mark
	last := 0 // src[last:i] is still to be copied
	for i < len(src) {
		j := firstFoldable(src[i:])
		if j < 0 {
			break
		}
		i += j
		c := src[i]
		var repl []byte
		var n int
		switch {
		case c == '\r':
			// A line ending's \r: the scanners read a line as ending at \n,
			// and a number broken over two lines by \r\n, as by \n, is one.
			if i+1 >= len(src) || src[i+1] != '\n' {
				i++
				continue
			}
			n = 1
		case c == '&':
			r, size := charRef(src[i:])
			if size == 0 {
				i++
				continue
			}
			repl, n = foldRune(r), size
			if repl == nil {
				repl = utf8.AppendRune(nil, r)
			}
		default:
			r, size := utf8.DecodeRune(src[i:])
			repl = foldRune(r)
			if repl == nil {
				i += size
				continue
			}
			n = size
		}
		if out == nil {
			out = make([]byte, 0, len(src))
		}
		out = append(out, src[last:i]...)
		marks = append(marks, mark{out: len(out), in: i})
		out = append(out, repl...)
		i += n
		last = i
		marks = append(marks, mark{out: len(out), in: i})
	}
	if marks == nil {
		return folded{text: src}
	}
	return folded{text: append(out, src[last:]...), marks: marks}
}

// firstFoldable is the offset of the first byte foldChars may change (a
// byte of a non-ASCII character, '&' or '\r'), or -1.
func firstFoldable(src []byte) int {
	// Thirty-two bytes at a time, then eight: a page's text is mostly
	// ASCII, and this was most of what folding cost a build.
	const tops = 0x8080808080808080
	le := binary.LittleEndian
	i := 0
	for ; i+32 <= len(src); i += 32 {
		if (le.Uint64(src[i:])|le.Uint64(src[i+8:])|le.Uint64(src[i+16:])|le.Uint64(src[i+24:]))&tops != 0 {
			break
		}
	}
	for ; i+8 <= len(src); i += 8 {
		if le.Uint64(src[i:])&tops != 0 {
			break
		}
	}
	first := -1
	for j := i; j < len(src); j++ {
		if src[j] >= utf8.RuneSelf {
			first = j
			break
		}
	}
	// '&' and '\r' are rare enough in prose for IndexByte, which is quick.
	for _, c := range []byte{'&', '\r'} {
		end := len(src)
		if first >= 0 {
			end = first
		}
		if k := bytes.IndexByte(src[:end], c); k >= 0 {
			first = k
		}
	}
	return first
}

// charRef decodes the character reference at the start of b (&nbsp;,
// &#160;, &#xA0;, any of HTML's named ones), as a browser shows it: the
// character and the reference's length, or 0 when b does not start with
// one that stands for a single character. Only references ended by ';'
// are read.
func charRef(b []byte) (rune, int) {
	const longest = 33 // &CounterClockwiseContourIntegral; and a little
	end := bytes.IndexByte(b[1:min(len(b), longest)], ';')
	if end < 1 {
		return 0, 0
	}
	ref := string(b[:end+2])
	s := html.UnescapeString(ref)
	if s == ref {
		return 0, 0
	}
	r, size := utf8.DecodeRuneInString(s)
	if size != len(s) {
		return 0, 0 // two characters (a few named references are), or part of ref left as it was
	}
	return r, len(ref)
}

var (
	space  = []byte(" ")
	hyphen = []byte("-")
	none   = []byte{}
)

// foldRune is what r is folded to: nil when it is left as it is, empty
// when it is dropped.
func foldRune(r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		return nil
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII: ９, Ｎ, －
		return []byte{byte(r - 0xFF01 + '!')}
	case unicode.Is(unicode.Zs, r): // no-break, thin, narrow no-break, ... spaces
		return space
	case unicode.Is(unicode.Pd, r) || r == '\u2212': // dashes, the minus sign
		return hyphen
	case unicode.Is(unicode.Cf, r): // soft hyphen, zero-width space, word joiner, BOM, ...
		return none
	case unicode.Is(unicode.Nd, r):
		return []byte{'0' + digitValue(r)}
	}
	return nil
}

// digitValue is the value of r, a decimal digit (unicode.Nd). Unicode
// gives each script's digits as a run of ten, zero first, and every range
// of unicode.Nd is one or more such runs (TestDigitRanges).
func digitValue(r rune) byte {
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return byte((r - rune(rg.Lo)) % 10)
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return byte((r - rune(rg.Lo)) % 10)
		}
	}
	return 0
}

// foldMarks drops the Markdown marks the page does not show next to a
// run of digits (runs, of t): emphasis and strikethrough (*, _, ~) and
// code spans' backticks, up to three of a kind on each side, and the
// backslash of an escaped punctuation character (9434765919\. is shown
// as 9434765919., and the WordPress import writes a paragraph's opening
// "9434765919." so, lest it be taken for a numbered list). An underscore
// is dropped only between the digits and a space, punctuation or the
// text's end, as Markdown reads it as emphasis only there:
// file_9434765919 is an identifier and stays one. It returns false when
// there is nothing to drop.
func foldMarks(t []byte, runs []digitRun) (folded, bool) {
	var drop []digitRun // spans of t to leave out, in order
	add := func(s, e int) {
		if s < e && (len(drop) == 0 || drop[len(drop)-1].end <= s) {
			drop = append(drop, digitRun{s, e})
		}
	}
	for _, r := range runs {
		if escaped(t, r.start-2) {
			add(r.start-2, r.start-1) // the character before the digits is shown as it is
		} else {
			add(marksBefore(t, r.start), r.start)
		}
		if escaped(t, r.end) {
			add(r.end, r.end+1)
		} else {
			add(r.end, marksAfter(t, r.end))
		}
	}
	if drop == nil {
		return folded{}, false
	}
	out := make([]byte, 0, len(t))
	marks := make([]mark, 0, 2*len(drop))
	last := 0
	for _, d := range drop {
		if d.start < last {
			continue
		}
		out = append(out, t[last:d.start]...)
		last = d.end
		marks = append(marks, mark{out: len(out), in: d.start}, mark{out: len(out), in: last})
	}
	return folded{text: append(out, t[last:]...), marks: marks}, true
}

// escaped reports whether t[i] is a backslash escaping the ASCII
// punctuation character after it, as Markdown reads one.
func escaped(t []byte, i int) bool {
	return i >= 0 && i+1 < len(t) && t[i] == '\\' && asciiPunct[t[i+1]]
}

// asciiPunct is what CommonMark lets a backslash escape.
var asciiPunct = func() (set [256]bool) {
	for _, c := range []byte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") {
		set[c] = true
	}
	return set
}()

// isMark reports whether c is one of the marks foldMarks drops.
func isMark(c byte) bool { return c == '*' || c == '_' || c == '~' || c == '`' }

// marksBefore is where a run of one mark ending at i starts (i when there
// is none to drop).
func marksBefore(t []byte, i int) int {
	if i == 0 || !isMark(t[i-1]) {
		return i
	}
	c, s := t[i-1], i-1
	for s > 0 && t[s-1] == c && i-s < 3 {
		s--
	}
	if s > 0 && t[s-1] == c || c == '_' && s > 0 && wordByte(t[s-1]) {
		return i
	}
	return s
}

// marksAfter is where a run of one mark starting at i ends (i when there
// is none to drop).
func marksAfter(t []byte, i int) int {
	if i >= len(t) || !isMark(t[i]) {
		return i
	}
	c, e := t[i], i+1
	for e < len(t) && t[e] == c && e-i < 3 {
		e++
	}
	if e < len(t) && t[e] == c || c == '_' && e < len(t) && wordByte(t[e]) {
		return i
	}
	return e
}

// wordByte reports whether c is part of a word for an underscore's sake:
// a letter, a digit or a byte of a non-ASCII character.
func wordByte(c byte) bool { return isLetter(c) || isDigit(c) || c >= utf8.RuneSelf }
