package check

// The patient-data scanners.
//
// The LMC's website and newsletter must never carry patient-identifiable
// data. LMC text is full of dates, phone numbers, years, money and
// addresses, so each scanner needs more than one signal before it reports
// (the rules are below).
//
// Each scanner reads the text twice: as written, and folded to what its
// reader sees (fold.go: character references decoded, every space and dash
// made a space or a hyphen, invisible characters dropped, other scripts'
// digits made ASCII, Markdown's emphasis and code marks and escaping
// backslashes next to digits dropped). A finding from either reading is
// reported, so folding never hides one.
//
// nhs-number: ten digits, written together (9434765919) or grouped 3-3-4
// with one kind of separator, a space (or a paragraph's line break) or a
// hyphen (943 476 5919, 943-476-5919), or after "NHS number" or "NHS no"
// grouped in any way (943 4765 919, 943.476.5919), whose tenth digit is the NHS number's
// Modulus 11 check digit (weights 10 down to 2 on the first nine digits;
// check = 11 - sum mod 11; 11 gives 0; 10 means no valid number). A random
// ten-digit number passes about one time in eleven, so these are not
// flagged: numbers failing the check; numbers that are part of a longer run
// (more digits, or another group of digits with the same separator); numbers
// in addresses and identifiers (after a letter or one of / _ = ? & % + ~ @,
// or between letters and hyphens), unless the web address names a patient
// or an NHS number just before them (…/Patient/9434765919,
// ?nhsNumber=9434765919, FHIR's …/Id/nhs-number|9434765919), as a link
// copied from a clinical system or a form does; decimals and money (after £ $ € or a
// digit and a point or comma); repeated digits (1111111111 passes the check
// and is a placeholder); a number after "ISBN" (an ISBN-10 passes the same
// check); and numbers starting with 0 unless "NHS" or "CHI" comes just
// before them: UK phone numbers start with 0, NHS numbers never do (Scottish
// CHI numbers may, and are flagged when named).
//
// date-of-birth: "DOB", "D.O.B.", "date of birth", "birth date" or "born",
// followed by a full date (12/03/1985, 12-03-85, 1985-03-12, 12 March 1985,
// 12th of Mar 1985, 12 Mar 85, 12-Mar-1985 as clinic letters often print it,
// March 12, 1985) with nothing between them but
// punctuation, table bars and "on", "is" or "was" (or such a date followed
// by "(DOB)"), with a person's name within 120 characters in the same
// paragraph. A name is an honorific and a capitalised word (Mrs Smith,
// Dr. Jones), a label (Name:, Patient:) and a capitalised word, an initial
// and a surname (J Smith), or two capitalised words that are not common
// words (John Smith, but not "Riverside House" or "Monday March"). After
// "born", which LMC text uses of things too ("the NHS was born on 5 July
// 1948"), only an honorific, a label or a common first name counts. A table
// whose header names a date-of-birth column is read row by row: a full date
// in a row with a name, or with a filled name column, is flagged. A date of
// birth without a name is not flagged, nor is "born in 1948".
//
// postcode: a UK postcode (NF1 2AB, SW1A 1AA, M1 1AE) with, within 100
// characters in the same paragraph, a date-of-birth keyword or a name that
// marks a private person: Mr, Mrs, Ms, Miss, Mx or Master and a capitalised
// word; Name: or Patient: and a capitalised word; or a common first name and
// a capitalised surname (Jane Smith). Doctors' titles do not count, since
// LMC pages list GPs at their practice addresses; nor does a name next to a
// workplace or a job (Surgery, Medical Centre, Practice Manager, LMC) unless
// "patient" is there too. A postcode on its own, like the LMC's own
// address, is never flagged.
//
// hospital-number: a hospital or medical record identifier after its label:
// MRN, medical record number, hospital number/no/ID, patient ID/identifier/
// number/no, unit number, case note number; then up to six characters of
// punctuation (: # - =), then an optional "is"/"was", then an identifier of
// up to four letters, six to ten digits and an optional letter (1234567,
// A123456, RTH1234567). Fewer than six digits (patient number 3, patient ID
// 2024) is not flagged.
//
// A finding's message never repeats the whole identifier: the report may be
// read in a CI log, another channel patient data must not reach.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
)

// The patient-data rules. Their findings are errors, and the build refuses a
// page with one.
const (
	RuleNHSNumber      = "nhs-number"
	RuleDateOfBirth    = "date-of-birth"
	RulePostcode       = "postcode"
	RuleHospitalNumber = "hospital-number"
)

// PatientRules lists the patient-data rules.
var PatientRules = []string{RuleNHSNumber, RuleDateOfBirth, RulePostcode, RuleHospitalNumber}

// PatientData scans text that is about to be published for patient-
// identifiable data. name is the file as the user knows it
// ("content/news/x.md"), body the text, and firstLine the file line on which
// body starts (content.Page.BodyLine). A finding on a line that carries an
// allowance for its rule (<!-- lmcpress:allow nhs-number -->) is left out.
func PatientData(name string, body []byte, firstLine int) []Finding {
	s := newSheet(name, body, firstLine)
	s.patient()
	return s.findings
}

// PagePatientData is PatientData for a page: its body, and the front-matter
// text that is published with it (every string: title, summary, topics,
// aliases, attachments, ...) and the addresses it gives (see published.go).
// Front-matter findings carry the key's line and column 0.
func PagePatientData(p *content.Page) []Finding {
	s := pageSheet(p)
	s.patient()
	s.frontMatterPatient(p)
	sortFindings(s.findings)
	return s.findings
}

// Vet is the build's check of a page about to be published
// (site.Options.Check): the page rules whose findings stop publishing
// (patient data in the text and the published front matter, images
// without alt text), as errors that read as check prints them. Findings
// allowed by lmcpress:allow markers are skipped, as check skips them.
func Vet(p *content.Page, doc *markdown.Doc) []error {
	s := pageSheet(p)
	s.patient()
	s.frontMatterPatient(p)
	if doc != nil {
		checkAlt(s, doc.Images)
		s.shortcodeProblems(doc.Problems)
	}
	return stopping(s.findings)
}

// VetLinks is the build's check of a page's links and images against
// every address the build writes (site.Options.CheckLinks): broken links,
// missing files and images, in check's words. Anchors and external links
// only ever warn, so they are left to check.
func VetLinks(p *content.Page, links, images []markdown.Ref, book *content.Book) []error {
	s := pageSheet(p)
	lk := &linker{book: book}
	lk.checkLinks(&pageCheck{page: p, sheet: s, published: true, links: links, images: images})
	return stopping(s.findings)
}

// stopping returns the findings that stop a build, sorted, as errors.
func stopping(fs []Finding) []error {
	var errs []error
	sortFindings(fs)
	for _, f := range fs {
		if f.Severity == Error {
			errs = append(errs, f)
		}
	}
	return errs
}

const patientHint = "remove it: patient-identifiable data must never be published on the website or in the newsletter"

// patient runs the scanners over the sheet's body.
func (s *sheet) patient() {
	for _, m := range scan(s.body) {
		line, col := s.pos(m.start)
		s.add(Finding{File: s.file(), Line: line, Column: col, Rule: m.rule, Message: m.msg,
			Hint: patientHint + "; if it is not about a patient, add <!-- lmcpress:allow " + m.rule + " --> at the end of the line (in a code block, alone on the line before its opening fence)"})
	}
}

// match is one scanner hit: the rule, the bytes it covers and what to say.
type match struct {
	rule       string
	start, end int
	msg        string
	found      []byte // what it covers, folded (fold.go): what masks are made from
}

// scan runs every scanner over src and over src folded as its reader sees
// it (see fold.go), and returns the hits of both, placed in src, in order.
// The text as written is scanned too because folding can also hide a
// number: "`id`=`9000000009`" reads as an identifier, id=9000000009, once
// its code marks are dropped, and a finding is never lost to folding.
//
// Every build scans every page, so scan is written to cost little on
// ordinary prose: text with nothing to fold is neither copied nor scanned
// twice, the scanners match their keywords without a lower-case copy of
// the text (hasPrefixFold), and the ones that need digits start from the
// text's runs of digits, found once, instead of trying every byte.
func scan(src []byte) []match {
	var buf [64]digitRun // enough for most pages, without an allocation
	runs := digitRuns(src, buf[:0])
	ms := scanFolded(src, runs)
	for i := range ms {
		ms[i].found = src[ms[i].start:ms[i].end]
	}
	chars := foldChars(src)
	t := chars.text
	if chars.marks != nil {
		runs = digitRuns(t, runs[:0])
		ms = union(ms, scanFolded(t, runs), t, &chars, nil)
	}
	if marks, ok := foldMarks(t, runs); ok {
		ms = union(ms, scanFolded(marks.text, digitRuns(marks.text, nil)), marks.text, &chars, &marks)
	}
	return ms
}

// union adds to ms, hits in src, the hits in text (folded from src by
// chars and then, unless nil, by marks) that are not there already: the
// same rule over some of the same bytes.
func union(ms, more []match, text []byte, chars, marks *folded) []match {
	added := false
next:
	for _, m := range more {
		m.found = text[m.start:m.end]
		if marks != nil {
			m.start, m.end = marks.source(m.start, false), marks.source(m.end, true)
		}
		m.start, m.end = chars.source(m.start, false), chars.source(m.end, true)
		for _, o := range ms {
			if o.rule == m.rule && o.start < m.end && m.start < o.end {
				continue next
			}
		}
		ms, added = append(ms, m), true
	}
	if added {
		sortMatches(ms)
	}
	return ms
}

// scanFolded runs every scanner over text, as written or folded, whose
// runs of digits are runs.
func scanFolded(text []byte, runs []digitRun) []match {
	if len(runs) == 0 {
		// Every rule needs a digit: an NHS or hospital number, a postcode's
		// outward and inward codes, a date of birth's day and year.
		return nil
	}
	var ms []match
	ms = scanNHS(text, runs, ms)
	ms = scanHospital(text, runs, ms)
	kws := dobKeywords(text)
	ms = scanDOB(text, kws, ms)
	ms = scanPostcodes(text, runs, kws, ms)
	if len(ms) < 2 {
		return ms
	}
	sortMatches(ms)
	// One finding per rule and place (a date can be found from a keyword
	// and from a table header).
	out := ms[:0]
	for i, m := range ms {
		if i > 0 && m.start == ms[i-1].start && m.rule == ms[i-1].rule {
			continue
		}
		out = append(out, m)
	}
	return out
}

// sortMatches puts hits in text order, and hits at one place by rule.
func sortMatches(ms []match) {
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].start != ms[j].start {
			return ms[i].start < ms[j].start
		}
		return ms[i].rule < ms[j].rule
	})
}

// asciiLower lower-cases ASCII letters only, so offsets stay the same.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// lowerASCII lower-cases an ASCII letter and leaves every other byte alone,
// as asciiLower does.
func lowerASCII(c byte) byte {
	if isUpper(c) {
		c += 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether b begins with prefix, which is in lower
// case, ignoring the case of ASCII letters: bytes.HasPrefix(asciiLower(b),
// prefix) without the copy.
func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(b[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// equalFold reports whether b is word (in lower case), ignoring the case of
// ASCII letters.
func equalFold(b []byte, word string) bool { return len(b) == len(word) && hasPrefixFold(b, word) }

// lastIndexFold is bytes.LastIndex(asciiLower(b), word) for a non-empty
// word in lower case.
func lastIndexFold(b []byte, word string) int {
	for i := len(b) - len(word); i >= 0; i-- {
		if hasPrefixFold(b[i:], word) {
			return i
		}
	}
	return -1
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isUpper(c byte) bool  { return 'A' <= c && c <= 'Z' }
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// digits counts the ASCII digits starting at i.
func digits(t []byte, i int) int {
	n := 0
	for i+n < len(t) && isDigit(t[i+n]) {
		n++
	}
	return n
}

// sepAt returns the length of an NHS-number group separator at i: a
// space, a hyphen, a no-break space, or a line break within a paragraph
// (which the page shows as a space); 0 if there is none. Folded text
// (fold.go) has every other space and dash made one of those; the text as
// written is scanned too, where a no-break space stays one of its own
// kind, as it always was.
func sepAt(t []byte, i int) int {
	switch {
	case i >= len(t):
		return 0
	case t[i] == ' ' || t[i] == '-' || t[i] == '\n':
		return 1
	case t[i] == 0xC2 && i+1 < len(t) && t[i+1] == 0xA0:
		return 2
	}
	return 0
}

// sameSep reports whether separators a and b (as sepAt finds them) are
// of one kind: the same, or a space and a line break, as a number in a
// wrapped paragraph has them (943 476\n5919 is shown as 943 476 5919).
func sameSep(a, b []byte) bool {
	blank := func(s []byte) bool { return len(s) == 1 && (s[0] == ' ' || s[0] == '\n') }
	return bytes.Equal(a, b) || blank(a) && blank(b)
}

// groupSep reports whether s, the bytes before or after a grouped
// number, are its own separator sep again, which makes the digits beyond
// another group of one longer number. A line break never does: digits on
// the next line are not part of the number.
func groupSep(s, sep []byte) bool { return bytes.Equal(s, sep) && !bytes.Equal(s, []byte("\n")) }

// digitRun is a longest run of ASCII digits, t[start:end].
type digitRun struct{ start, end int }

// digitRuns appends the text's runs of digits to runs, in text order. The
// NHS-number, hospital-number and postcode scanners work from them: each
// of their patterns holds a run of digits at a known place, and prose has
// few, so they look only there instead of at every byte.
//
// Every build passes over every page's text here, and most of it has no
// digit, so the text is read eight bytes at a time (digits8); looking at
// each byte was 1.5% of the instructions of a fresh build (callgrind,
// 1,000-page corpus). FuzzDigitRuns holds it to the byte-by-byte loop.
func digitRuns(t []byte, runs []digitRun) []digitRun {
	for i := 0; i < len(t); {
		if i+8 <= len(t) {
			m := digits8(binary.LittleEndian.Uint64(t[i:]))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) / 8 // the first digit of the eight
		} else if !isDigit(t[i]) {
			i++
			continue
		}
		n := digits(t, i)
		runs = append(runs, digitRun{i, i + n})
		i += n
	}
	return runs
}

// digits8 marks the ASCII digits ('0' to '9', 0x30 to 0x39) among the
// eight bytes of x, read little-endian: the top bit of each byte that is
// one is set, and every other bit is clear. It is the "has a byte between
// m and n" test of Bit Twiddling Hacks. For each byte b, with v = b&0x7f:
// 0xb9-v has its top bit set when v <= 0x39, v+0x50 when v >= 0x30, and
// ^b when b < 0x80; no byte's sum or difference reaches into the next
// byte, so the three top bits are all set exactly when b is a digit.
func digits8(x uint64) uint64 {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	v := x &^ tops
	return (ones*0xb9 - v) & (v + ones*0x50) &^ x & tops
}

// ---- nhs-number ----

// scanNHS tries each run of digits as the start of a number: ten digits,
// or the first group of three of 3-3-4. A number found is passed over.
func scanNHS(t []byte, runs []digitRun, ms []match) []match {
	next := 0 // where the last number found ends
	for _, r := range runs {
		i := r.start
		if i < next {
			continue
		}
		run := r.end - r.start
		end, sep := -1, 0
		var num [10]byte
		switch run {
		case 10:
			copy(num[:], t[i:i+10])
			end = i + 10
		case 3:
			// 3-3-4, the same separator twice.
			j := i + 3
			if sep = sepAt(t, j); sep > 0 && digits(t, j+sep) == 3 {
				k := j + sep + 3
				if sepAt(t, k) == sep && sameSep(t[j:j+sep], t[k:k+sep]) && digits(t, k+sep) == 4 {
					copy(num[:3], t[i:i+3])
					copy(num[3:6], t[j+sep:j+sep+3])
					copy(num[6:], t[k+sep:k+sep+4])
					end = k + sep + 4
				}
			}
		}
		if end < 0 && run < 10 && grouped(t, r.end) {
			num, end = namedNHS(t, i)
			sep = 0 // its groups are checked there
		}
		if end > 0 && nhsAlone(t, i, end, sep) && validNHS(num) && !repdigit(num) &&
			(num[0] != '0' || labelled(t, i, "nhs", "chi")) && !labelled(t, i, "isbn") {
			ms = append(ms, match{rule: RuleNHSNumber, start: i, end: end,
				msg: fmt.Sprintf("%s*** **** looks like an NHS number: its last digit is the NHS number check digit", t[i:i+3])})
			next = end
		} else if run == 10 && inAddress(t, i, end) && validNHS(num) && !repdigit(num) {
			ms = append(ms, match{rule: RuleNHSNumber, start: i, end: end,
				msg: fmt.Sprintf("%s*** **** in a web address, after %q, looks like an NHS number: its last digit is the NHS number check digit", t[i:i+3], addressLabel(t, i))})
			next = end
		}
	}
	return ms
}

// namedNHS reads ten digits at i grouped in any other way (943 4765 919,
// 94 34 76 59 19, 943.476.5919), where the text names them an NHS
// number just before: two to five groups, one space, hyphen, point or
// slash between each two. Where nothing names them, such groups are as
// often a phone number or a reference, so they are read only so. It
// returns the digits and where they end; end is -1 when there are none.
func namedNHS(t []byte, i int) (num [10]byte, end int) {
	if t[i] == '0' {
		return num, -1
	}
	// The groups first, the label last: labelled reads back along the line.
	n, groups := 0, 0
	for j := i; ; {
		g := digits(t, j)
		if g == 0 || n+g > 10 {
			return num, -1
		}
		copy(num[n:], t[j:j+g])
		n, groups, j = n+g, groups+1, j+g
		if n == 10 {
			if grouped(t, j) || groups < 2 || groups > 5 || !labelled(t, i, "nhs number", "nhs no", "nhs #") {
				return num, -1 // a longer number, not grouped, or not named
			}
			return num, j
		}
		if !grouped(t, j) {
			return num, -1
		}
		j++
	}
}

// grouped reports whether another group of digits follows at j: a space,
// hyphen, point or slash, then a digit. Most runs of digits in text (a
// year, a count, a price) have none, and namedNHS is asked only when one
// does.
func grouped(t []byte, j int) bool {
	if j+1 >= len(t) || !isDigit(t[j+1]) {
		return false
	}
	c := t[j]
	return c == ' ' || c == '-' || c == '.' || c == '/'
}

// nhsAlone reports whether t[i:end] stands alone: not part of a longer
// number, an address, an identifier or an amount. sep is the group
// separator's length, 0 for ten digits together. Digits on the line before
// or after are not another group: a number at a line's end is found.
func nhsAlone(t []byte, i, end, sep int) bool {
	if i > 0 {
		r, n := utf8.DecodeLastRune(t[:i])
		before := t[:i-n]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return false
		case r == '/' || r == '_' || r == '=' || r == '?' || r == '&' || r == '%' || r == '+' || r == '~' || r == '@' || r == '\\' ||
			r == '£' || r == '$' || r == '€':
			return false
		case (r == '.' || r == ',') && len(before) > 0 && isDigit(before[len(before)-1]):
			return false
		case r == '-' && len(before) > 0:
			if c, _ := utf8.DecodeLastRune(before); unicode.IsLetter(c) || unicode.IsDigit(c) {
				return false
			}
		}
		if sep > 0 && i >= sep+1 && groupSep(t[i-sep:i], t[end-4-sep:end-4]) && isDigit(t[i-sep-1]) {
			return false // another group before: 0800 943 476 5919
		}
	}
	if end < len(t) {
		r, _ := utf8.DecodeRune(t[end:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return false
		case r == '/' || r == '_' || r == '=' || r == '&' || r == '%' || r == '@' || r == '\\':
			return false
		case (r == '.' || r == ',' || r == '-') && end+1 < len(t) && (isDigit(t[end+1]) || r == '-' && isLetter(t[end+1])):
			return false
		}
		if sep > 0 && end+sep < len(t) && groupSep(t[end:end+sep], t[end-4-sep:end-4]) && isDigit(t[end+sep]) {
			return false // another group after
		}
	}
	return true
}

// addressLabels name a patient or an NHS number in a web address's
// parameter or folder, lower-cased with - and _ dropped: ?nhsNumber=,
// /patients/, FHIR's identifier=https://fhir.nhs.uk/Id/nhs-number|.
var addressLabels = map[string]bool{"nhs": true, "nhsno": true, "nhsnum": true, "nhsnumber": true, "nhsid": true,
	"patient": true, "patients": true, "patientid": true, "patientnhs": true, "patientnhsnumber": true}

// inAddress reports whether the ten digits at t[i:end], which nhsAlone
// passed over as part of an address or identifier, are a whole part of a
// web address named for a patient or an NHS number: a link from a clinical
// system or a form (…/Patient/9434765919, ?nhsNumber=9434765919) carries
// the number as surely as the text. Other numbers in addresses (a
// document's, a video's) pass the check digit one time in eleven, and are
// not flagged.
func inAddress(t []byte, i, end int) bool {
	if i == 0 || (end < len(t) && (isLetter(t[end]) || isDigit(t[end]) || t[end] == '_')) {
		return false
	}
	return addressLabels[addressLabel(t, i)]
}

// addressLabel is the address's part just before the digits at i, after
// one of / = | :, as addressLabels holds it; "" if there is none.
func addressLabel(t []byte, i int) string {
	if i == 0 {
		return ""
	}
	if c := t[i-1]; c != '/' && c != '=' && c != '|' && c != ':' {
		return ""
	}
	var b []byte
	for j := i - 2; j >= 0 && i-j <= 24; j-- {
		c := t[j]
		switch {
		case isLetter(c):
			b = append(b, lowerASCII(c))
			continue
		case c == '-' || c == '_':
			continue
		}
		break
	}
	slices.Reverse(b)
	return string(b)
}

// validNHS applies the NHS number's Modulus 11 check.
func validNHS(d [10]byte) bool {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(d[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	if check == 11 {
		check = 0
	}
	return check != 10 && check == int(d[9]-'0')
}

func repdigit(d [10]byte) bool {
	for _, c := range d[1:] {
		if c != d[0] {
			return false
		}
	}
	return true
}

// labelled reports whether one of words (lower case, matched in any case)
// ends within 24 bytes before i on the same line; only the last of a word's
// occurrences there counts.
func labelled(t []byte, i int, words ...string) bool {
	lo := max(0, i-24)
	if nl := bytes.LastIndexByte(t[lo:i], '\n'); nl >= 0 {
		lo += nl + 1
	}
	for _, w := range words {
		if j := lastIndexFold(t[lo:i], w); j >= 0 && (lo+j == 0 || !isLetter(t[lo+j-1])) {
			return true
		}
	}
	return false
}

// ---- hospital-number ----

// hospitalCues are cheap lower-case prefixes of hospitalRe's labels, by
// first letter.
var hospitalCues = func() (t [256][]string) {
	for _, c := range []string{"mrn", "m.r.n", "medical record", "hosp", "patient id", "patient n", "unit n", "case note", "casenote"} {
		t[c[0]] = append(t[c[0]], c)
	}
	return t
}()

// hospitalReach is how far past a label's start hospitalRe looks, and
// hospitalDigits the fewest digits its identifier has.
const hospitalReach, hospitalDigits = 80, 6

var hospitalRe = regexp.MustCompile(`^(?i:mrn|m\.r\.n\.?|medical records? (?:number|no\.?)|hospital (?:number|no\.?|id)|hosp\.? no\.?|patient (?:id|identifier|number|no\.?)|unit (?:number|no\.?)|case ?notes? (?:number|no\.?))` +
	`([\s:#=(.–-]{0,6})(?i:(?:is|was)\s+)?([A-Za-z]{0,4}[0-9]{6,10}[A-Za-z]?)`)

// scanHospital looks for a label at word starts. An identifier has at
// least hospitalDigits digits in a row, all within hospitalReach bytes of
// its label's start, so a label is only looked for in the stretch before
// and along such a run of digits: on most pages there is none.
func scanHospital(t []byte, runs []digitRun, ms []match) []match {
	i := 0
	for _, r := range runs {
		if r.end-r.start < hospitalDigits {
			continue
		}
		// A label at i can reach these digits if hospitalDigits of them lie
		// in t[i:i+hospitalReach] and none before i.
		i = max(i, r.start+hospitalDigits-hospitalReach)
		for ; i <= r.end-hospitalDigits; i++ {
			if m, ok := hospitalAt(t, i); ok {
				ms = append(ms, m)
				i = m.end - 1
			}
		}
	}
	return ms
}

// hospitalAt matches a hospital-number label at i (which must start a
// word) and its identifier; the match covers the identifier.
func hospitalAt(t []byte, i int) (match, bool) {
	cues := hospitalCues[lowerASCII(t[i])]
	if cues == nil || i > 0 && isLetter(t[i-1]) {
		return match{}, false
	}
	cued := false
	for _, cue := range cues {
		if hasPrefixFold(t[i:], cue) {
			cued = true
			break
		}
	}
	if !cued {
		return match{}, false
	}
	m := hospitalRe.FindSubmatchIndex(t[i:min(len(t), i+hospitalReach)])
	if m == nil {
		return match{}, false
	}
	sepLen, idStart, idEnd := m[3]-m[2], i+m[4], i+m[5]
	if sepLen == 0 && isLetter(t[idStart]) {
		return match{}, false // "patient notes123456": not a label
	}
	if idEnd < len(t) {
		c := t[idEnd]
		if isLetter(c) || isDigit(c) || (c == '.' || c == ',' || c == '/') && idEnd+1 < len(t) && isDigit(t[idEnd+1]) {
			return match{}, false
		}
	}
	return match{rule: RuleHospitalNumber, start: idStart, end: idEnd,
		msg: fmt.Sprintf("%q followed by %s looks like a hospital or medical record number", t[i:i+m[2]], mask(t[idStart:idEnd], 2))}, true
}

// mask keeps the first keep bytes of an identifier and stars every letter
// and digit after them, keeping separators: the same length, so a masked
// line keeps its columns.
func mask(id []byte, keep int) string {
	out := []byte(string(id))
	for i := keep; i < len(out); i++ {
		if isDigit(out[i]) || isLetter(out[i]) {
			out[i] = '*'
		}
	}
	return string(out)
}

// maskKeep is how many bytes of what each rule finds its message shows.
var maskKeep = map[string]int{RuleNHSNumber: 3, RuleHospitalNumber: 2, RulePostcode: 2, RuleDateOfBirth: 0}

// Mask is text with everything the patient-data rules find in it starred
// out, as their findings show it (943 476 5919 becomes 943 *** ****),
// lmcpress:allow markers or not: for text shown somewhere the findings'
// reader did not choose, such as the preview's overlay, which any script,
// extension or screen share of the editor's browser sees.
func Mask(text string) string {
	ms := scan([]byte(text))
	if len(ms) == 0 {
		return text
	}
	var b strings.Builder
	at := 0 // text[:at] is written
	for _, m := range ms {
		switch {
		case m.start >= at:
			b.WriteString(text[at:m.start])
			b.WriteString(mask(m.found, maskKeep[m.rule]))
		case m.end > at: // overlaps the last: star the rest as it stands
			b.WriteString(mask([]byte(text[at:m.end]), 0))
		default:
			continue
		}
		at = m.end
	}
	b.WriteString(text[at:])
	return b.String()
}

// ---- date-of-birth ----

type span struct{ start, end int }

// dobKeywords finds "dob", "d.o.b", "date of birth", "birth date",
// "birthdate" and "born" as whole words in any case, in text order.
//
// Each keyword holds a b, and b is a rare letter, so they are looked for
// around the b's of the text (found with bytes.IndexByte) rather than one
// keyword at a time.
func dobKeywords(t []byte) []span {
	var out []span
	add := func(s, e int) {
		if (s == 0 || !isLetter(t[s-1])) && (e >= len(t) || !isLetter(t[e])) {
			out = append(out, span{s, e})
		}
	}
	for _, b := range []byte{'b', 'B'} {
		for off := 0; off < len(t); {
			i := bytes.IndexByte(t[off:], b)
			if i < 0 {
				break
			}
			i += off
			off = i + 1
			// One b may end one keyword and start another ("d.o.born").
			if i >= 2 && hasPrefixFold(t[i-2:], "dob") {
				add(i-2, i+1)
			}
			if i >= 4 && hasPrefixFold(t[i-4:], "d.o.b") {
				e := i + 1
				if e < len(t) && t[e] == '.' {
					e++
				}
				add(i-4, e)
			}
			if hasPrefixFold(t[i:], "born") {
				add(i, i+4)
			}
			if hasPrefixFold(t[i:], "birth") {
				birth(t, i, add)
			}
		}
	}
	// Keywords start at different places, so the order is the text's.
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// birth adds "birth date", "birthdate" or "date of birth" around the
// "birth" at i.
func birth(t []byte, i int, add func(s, e int)) {
	e := i + 5
	// "birth date", "birthdate"
	if j := skipSpace(t, e); hasPrefixFold(t[j:], "date") {
		add(i, j+4)
		return
	}
	// "date of birth", with any spacing (a soft line break).
	j := i
	for j > 0 && isSpace(t[j-1]) {
		j--
	}
	if j == i || j < 2 || !equalFold(t[j-2:j], "of") {
		return
	}
	k := j - 2
	for k > 0 && isSpace(t[k-1]) {
		k--
	}
	if k < j-2 && k >= 4 && equalFold(t[k-4:k], "date") {
		add(k-4, e)
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(t []byte, i int) int {
	for i < len(t) && isSpace(t[i]) {
		i++
	}
	return i
}

// skipFiller passes punctuation, emphasis, table bars and the words on, is
// and was between a keyword and its date, at most 16 bytes.
func skipFiller(t []byte, i int) int {
	limit := min(len(t), i+16)
	for i < limit {
		switch c := t[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == '-' || c == '(' || c == ',' || c == '=' || c == '*' || c == '_' || c == '|':
			i++
		case bytes.HasPrefix(t[i:], []byte("–")):
			i += len("–")
		case hasPrefixFold(t[i:], "on "), hasPrefixFold(t[i:], "is "):
			i += 3
		case hasPrefixFold(t[i:], "was "):
			i += 4
		default:
			return i
		}
	}
	return i
}

var dateRe = regexp.MustCompile(`^(?:` +
	`(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4}|\d{2})` + // 12/03/1985, 12.03.85
	`|(\d{4})-(\d{1,2})-(\d{1,2})` + // 1985-03-12
	`|(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?(?:\s+|[-/])([A-Za-z]{3,9})\.?,?(?:\s+|[-/])(\d{4}|\d{2})` + // 12 March 1985, 12-Mar-1985, 12 Mar 85
	`|([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})` + // March 12, 1985
	`)`)

var months = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
	"september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

// dateAt returns the end of a full date (day, month and year) starting at i.
func dateAt(t []byte, i int) (int, bool) {
	if i >= len(t) || !(isDigit(t[i]) || isLetter(t[i])) {
		return 0, false
	}
	if i > 0 && (isDigit(t[i-1]) || isLetter(t[i-1])) {
		return 0, false
	}
	m := dateRe.FindSubmatchIndex(t[i:min(len(t), i+40)])
	if m == nil {
		return 0, false
	}
	g := func(n int) string {
		if m[2*n] < 0 {
			return ""
		}
		return string(t[i+m[2*n] : i+m[2*n+1]])
	}
	num := func(n int) int { v, _ := strconv.Atoi(g(n)); return v }
	var day, month, year int
	switch {
	case g(1) != "":
		if g(2) != g(4) {
			return 0, false
		}
		day, month, year = num(1), num(3), num(5)
		if len(g(5)) == 2 {
			year += 1900
		}
	case g(6) != "":
		year, month, day = num(6), num(7), num(8)
	case g(9) != "":
		day, month, year = num(9), months[string(asciiLower([]byte(g(10))))], num(11)
		if len(g(11)) == 2 {
			year += 1900
		}
	default:
		month, day, year = months[string(asciiLower([]byte(g(12))))], num(13), num(14)
	}
	if day < 1 || day > 31 || month < 1 || month > 12 || year < 1880 || year > 2100 {
		return 0, false
	}
	end := i + m[1]
	if end < len(t) && (isDigit(t[end]) || isLetter(t[end])) {
		return 0, false
	}
	return end, true
}

func scanDOB(t []byte, kws []span, ms []match) []match {
	add := func(ds, de int) {
		ms = append(ms, match{rule: RuleDateOfBirth, start: ds, end: de,
			msg: "a date of birth next to a name identifies a person"})
	}
	for _, k := range kws {
		mode := nameLoose
		if equalFold(t[k.start:k.end], "born") {
			mode = nameStrict
		}
		// keyword, then the date: "DOB: 12/03/1985"
		ds := skipFiller(t, k.end)
		if de, ok := dateAt(t, ds); ok {
			if lo, hi := paragraph(t, k.start, de, 120); hasName(t, lo, hi, mode) {
				add(ds, de)
			}
			continue
		}
		// the date, then the keyword: "12/03/1985 (DOB)"
		for s := max(0, k.start-24); s < k.start; s++ {
			de, ok := dateAt(t, s)
			if !ok || de > k.start || len(bytes.Trim(t[de:k.start], " ()-,:")) > 0 {
				continue
			}
			if lo, hi := paragraph(t, s, k.end, 120); hasName(t, lo, hi, mode) {
				add(s, de)
			}
			break
		}
	}
	scanDOBTables(t, kws, add)
	return ms
}

// scanDOBTables reads tables whose header row names a date-of-birth column.
func scanDOBTables(t []byte, kws []span, add func(ds, de int)) {
	lastHeader := -1
	for _, k := range kws {
		ls, le := lineAt(t, k.start)
		if ls == lastHeader || bytes.IndexByte(t[ls:le], '|') < 0 {
			continue
		}
		lastHeader = ls
		next := le + 1
		if next >= len(t) {
			continue
		}
		ds, de := lineAt(t, next)
		if !delimiterRow(t[ds:de]) {
			continue
		}
		nameCol := -1
		for i, c := range cells(asciiLower(t[ls:le])) {
			c = bytes.TrimSpace(bytes.Trim(c, "*_"))
			if bytes.Equal(c, []byte("name")) || bytes.Equal(c, []byte("patient")) || bytes.Contains(c, []byte("surname")) ||
				bytes.Contains(c, []byte("forename")) || bytes.Equal(c, []byte("patient name")) || bytes.Equal(c, []byte("full name")) {
				nameCol = i
			}
		}
		for next := de + 1; next < len(t); {
			rs, re := lineAt(t, next)
			row := t[rs:re]
			if bytes.IndexByte(row, '|') < 0 || len(bytes.TrimSpace(row)) == 0 {
				break
			}
			cs := cells(row)
			named := hasName(t, rs, re, nameLoose)
			if nameCol >= 0 && nameCol < len(cs) && bytes.IndexFunc(cs[nameCol], unicode.IsLetter) >= 0 {
				named = true
			}
			if named {
				off := rs
				for _, c := range cs {
					start := off + len(c) - len(bytes.TrimLeft(c, " \t*_"))
					if de, ok := dateAt(t, start); ok {
						add(start, de)
					}
					off += len(c) + 1
				}
			}
			next = re + 1
		}
	}
}

// lineAt returns the start and end (before the newline) of the line holding i.
func lineAt(t []byte, i int) (int, int) {
	s := bytes.LastIndexByte(t[:i], '\n') + 1
	e := bytes.IndexByte(t[i:], '\n')
	if e < 0 {
		return s, len(t)
	}
	return s, i + e
}

// cells splits a table row on its bars; a leading bar gives an empty first
// cell, so cell indexes line up between rows written the same way.
func cells(row []byte) [][]byte { return bytes.Split(row, []byte("|")) }

// delimiterRow reports whether a line is a table's |---|:--:| row.
func delimiterRow(l []byte) bool {
	l = bytes.TrimSpace(l)
	if len(l) == 0 || bytes.IndexByte(l, '-') < 0 {
		return false
	}
	for _, c := range l {
		if c != '|' && c != '-' && c != ':' && c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// paragraph widens [s, e) by up to n bytes each side without crossing a
// blank line.
func paragraph(t []byte, s, e, n int) (int, int) {
	lo, hi := max(0, s-n), min(len(t), e+n)
	if b := bytes.LastIndex(t[lo:s], []byte("\n\n")); b >= 0 {
		lo += b + 2
	}
	if b := bytes.LastIndex(t[lo:s], []byte("\n\r\n")); b >= 0 {
		lo += b + 3
	}
	if b := bytes.Index(t[e:hi], []byte("\n\n")); b >= 0 {
		hi = e + b
	}
	if b := bytes.Index(t[e:hi], []byte("\n\r\n")); b >= 0 {
		hi = e + b
	}
	return lo, hi
}

// ---- postcode ----

// scanPostcodes tries the places a postcode can start: a postcode's
// outward code is one or two capitals and then a run of digits, so it starts
// one or two bytes before a run of digits. A postcode found is passed over,
// reported or not.
func scanPostcodes(t []byte, runs []digitRun, kws []span, ms []match) []match {
	next := 0 // where the last postcode found ends
	for _, r := range runs {
		for i := max(r.start-2, next); i < r.start && i+4 < len(t); i++ {
			if !isUpper(t[i]) || i > 0 && (isLetter(t[i-1]) || isDigit(t[i-1])) {
				continue
			}
			end, ok := postcodeAt(t, i)
			if !ok {
				continue
			}
			next = end
			lo, hi := paragraph(t, i, end, 100)
			near := false
			for _, k := range kws {
				if k.start >= lo && k.end <= hi {
					near = true
					break
				}
			}
			if near || hasName(t, lo, hi, namePrivate) && !workAddress(t, lo, hi) {
				ms = append(ms, match{rule: RulePostcode, start: i, end: end,
					msg: fmt.Sprintf("postcode %s*** next to a person's name or date of birth looks like a patient's address", t[i:i+2])})
			}
			break // end is past this run's start
		}
	}
	return ms
}

// workAddress reports whether t[lo:hi] reads as someone's work address: it
// names a workplace or a job (Surgery, Medical Centre, Practice Manager)
// and does not say "patient".
func workAddress(t []byte, lo, hi int) bool {
	work := false
	for _, w := range words(t, lo, hi) {
		word := string(t[w.start:w.end])
		if workWords[word] {
			work = true
		}
		if l := strings.ToLower(word); l == "patient" || l == "patients" || l == "patient's" || l == "patient’s" {
			return false
		}
	}
	return work
}

var workWords = set("Surgery", "Practice", "Medical", "Health", "Centre", "Clinic", "Hospital", "Pharmacy", "LMC",
	"Committee", "Trust", "Council", "ICB", "PCN", "Manager", "Partner", "Secretary", "Chair", "Ltd", "Limited", "Office")

// postcodeAt matches a UK postcode at i: outward code (A9, A99, A9A, AA9,
// AA99, AA9A), an optional space, inward code (9AA, without C I K M O V).
func postcodeAt(t []byte, i int) (int, bool) {
	j := i
	letters := 0
	for j < len(t) && isUpper(t[j]) && letters < 2 {
		j++
		letters++
	}
	if j >= len(t) || !isDigit(t[j]) {
		return 0, false
	}
	j++
	// The outward code may end here or take one more digit or letter.
	for _, extra := range []bool{true, false} {
		k := j
		if extra {
			if k >= len(t) || !(isDigit(t[k]) || isUpper(t[k])) {
				continue
			}
			k++
		}
		if k < len(t) && t[k] == ' ' {
			k++
		}
		if k+3 <= len(t) && isDigit(t[k]) && inward(t[k+1]) && inward(t[k+2]) &&
			(k+3 == len(t) || !(isLetter(t[k+3]) || isDigit(t[k+3]))) {
			return k + 3, true
		}
	}
	return 0, false
}

func inward(c byte) bool {
	return isUpper(c) && c != 'C' && c != 'I' && c != 'K' && c != 'M' && c != 'O' && c != 'V'
}

// ---- names ----

// word is a run of letters (with inner ' ’ -) in the text.
type word struct{ start, end int }

func words(t []byte, lo, hi int) []word {
	var ws []word
	i := lo
	for i < hi {
		r, n := utf8.DecodeRune(t[i:hi])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		s := i
		for i < hi {
			r, n := utf8.DecodeRune(t[i:hi])
			if unicode.IsLetter(r) {
				i += n
				continue
			}
			if r == '\'' || r == '’' || r == '-' {
				if r2, _ := utf8.DecodeRune(t[i+n : hi]); i+n < hi && unicode.IsLetter(r2) {
					i += n
					continue
				}
			}
			break
		}
		ws = append(ws, word{s, i})
	}
	return ws
}

// titleCase: a capital, then at least one small letter (Smith, McDonald, O'Brien).
func titleCase(w []byte) bool {
	r, n := utf8.DecodeRune(w)
	if !unicode.IsUpper(r) || n == len(w) {
		return false
	}
	return bytes.IndexFunc(w[n:], unicode.IsLower) >= 0
}

// initial: one capital letter other than A and I (which are words).
func initial(w []byte) bool { return len(w) == 1 && isUpper(w[0]) && w[0] != 'A' && w[0] != 'I' }

// nameMode says how sure hasName must be that words are a person's name.
type nameMode int

const (
	// nameLoose: any honorific and a capitalised word, a label, an initial
	// and a surname, or two capitalised words that are not stop words.
	nameLoose nameMode = iota
	// nameStrict: any honorific, a label, or a common first name and a
	// capitalised word ("born" is common: "the NHS was born in ...").
	nameStrict
	// namePrivate: nameStrict without doctors' and other professional
	// titles, whose work addresses LMC pages list.
	namePrivate
)

// hasName reports whether t[lo:hi] holds a person's name (see the comment
// at the top of this file).
func hasName(t []byte, lo, hi int, mode nameMode) bool {
	ws := words(t, lo, hi)
	for i := 0; i+1 < len(ws); i++ {
		w, next := t[ws[i].start:ws[i].end], t[ws[i+1].start:ws[i+1].end]
		gap := t[ws[i].end:ws[i+1].start]
		spaced := onlySpace(gap, false)
		nextName := titleCase(next) && !stopWords[string(next)]
		switch {
		case (personalTitles[string(w)] || mode != namePrivate && professionalTitles[string(w)]) && onlySpace(gap, true) && (titleCase(next) || initial(next)):
			return true
		case nameLabels[string(asciiLower(w))] && bytes.IndexByte(gap, ':') >= 0 && len(bytes.Trim(gap, " \t:*_")) == 0 && nextName:
			return true
		case firstNames[string(w)] && spaced && nextName:
			return true
		case mode != nameLoose:
		case titleCase(w) && !stopWords[string(w)] && spaced && nextName:
			return true
		case initial(w) && onlySpace(gap, true) && nextName:
			return true
		}
	}
	return false
}

// onlySpace: spaces and at most one line break; with dot, a full stop may
// come first ("Dr. Jones", "J. Smith").
func onlySpace(gap []byte, dot bool) bool {
	if dot && len(gap) > 0 && gap[0] == '.' {
		gap = gap[1:]
	}
	if len(gap) == 0 {
		return false
	}
	nl := 0
	for _, c := range gap {
		switch c {
		case ' ', '\t':
		case '\n':
			nl++
		default:
			return false
		}
	}
	return nl <= 1
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var (
	personalTitles     = set("Mr", "Mrs", "Ms", "Miss", "Mx", "Master")
	professionalTitles = set("Dr", "Prof", "Professor", "Sir", "Dame", "Lady", "Lord", "Rev", "Revd")
	nameLabels         = set("name", "patient", "surname", "forename", "forenames")

	// firstNames are common first names in the UK, for "Jane Smith" next
	// to a postcode. Names that are also common words (Grace, May, Hope)
	// are left out.
	firstNames = set(
		"Adam", "Ahmed", "Aisha", "Alan", "Alexander", "Ali", "Alice", "Alison", "Amanda", "Amelia", "Amit", "Amy",
		"Andrew", "Angela", "Ann", "Anna", "Anne", "Anthony", "Archie", "Arthur", "Ava", "Barbara", "Barry", "Ben",
		"Benjamin", "Brian", "Carol", "Catherine", "Charles", "Charlie", "Charlotte", "Chloe", "Chris", "Christine",
		"Christopher", "Claire", "Colin", "Craig", "Daniel", "Darren", "David", "Dean", "Deborah", "Denise", "Derek",
		"Diane", "Donna", "Dorothy", "Edward", "Elaine", "Eleanor", "Elizabeth", "Ella", "Emily", "Emma", "Ethan",
		"Fatima", "Freddie", "Freya", "Gary", "Gemma", "George", "Gillian", "Graham", "Hannah", "Harry", "Hayley",
		"Helen", "Henry", "Holly", "Ian", "Isabella", "Isla", "Jack", "Jacob", "Jade", "James", "Jane", "Janet",
		"Jason", "Jean", "Jennifer", "Jessica", "Joan", "Joanne", "John", "Jonathan", "Joseph", "Joshua", "Julia",
		"Julie", "Karen", "Kate", "Katherine", "Keith", "Kelly", "Kenneth", "Kevin", "Laura", "Leanne", "Leo",
		"Linda", "Lisa", "Liam", "Lorraine", "Louise", "Lucas", "Lucy", "Margaret", "Martin", "Mary", "Matthew",
		"Megan", "Mia", "Michael", "Michelle", "Mohammed", "Muhammad", "Natalie", "Neil", "Nicholas", "Nicola",
		"Nigel", "Noah", "Oliver", "Olivia", "Oscar", "Pamela", "Patricia", "Patrick", "Paul", "Peter", "Philip",
		"Priya", "Rachel", "Raj", "Ravi", "Rebecca", "Richard", "Robert", "Ruth", "Ryan", "Samantha", "Samuel",
		"Sandra", "Sanjay", "Sarah", "Scott", "Sharon", "Simon", "Sophie", "Stephen", "Steven", "Stuart", "Sunita",
		"Susan", "Theo", "Thomas", "Timothy", "Tracey", "Tracy", "Trevor", "Valerie", "Victoria", "Wayne", "Wendy",
		"William", "Zoe",
	)

	// stopWords are capitalised words that do not make a name: sentence
	// openers, months and days, and the words of organisations, places and
	// documents that LMC pages are full of.
	stopWords = set(
		// sentence openers
		"A", "An", "And", "As", "At", "But", "By", "For", "From", "He", "Her", "His", "If", "In", "It", "Its", "My",
		"No", "Not", "Of", "On", "Or", "Our", "She", "So", "That", "The", "Their", "Then", "There", "These", "They",
		"This", "Those", "To", "We", "What", "When", "Where", "Which", "Who", "With", "You", "Your", "Please", "Dear",
		"Yes", "All", "Any", "Each", "Every", "New", "Old", "Next", "Last", "First", "See", "Read", "More", "Note",
		"Also", "How", "Why", "Is", "Are", "Was", "Were", "Be", "Do", "Does", "Did", "Can", "May", "Will", "Should",
		// dates
		"January", "February", "March", "April", "June", "July", "August", "September", "October", "November",
		"December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
		"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Date", "Birth", "Born",
		"Day", "Week", "Month", "Year", "Today", "Tomorrow", "Yesterday", "Spring", "Summer", "Autumn", "Winter",
		// people in general
		"Patient", "Patients", "Name", "Names", "Doctor", "Doctors", "Nurse", "Nurses", "Partner", "Partners",
		"Manager", "Managers", "Chair", "Secretary", "Treasurer", "Member", "Members", "Staff", "Team", "Reception",
		"Receptionist", "Practitioner", "Practitioners", "Pharmacist", "Locum", "Locums", "Salaried", "Sessional",
		"Clinical", "Director", "Officer", "Lead", "Contact", "Details", "Address", "Postcode", "Telephone", "Phone",
		"Email", "Mobile", "Tel", "Fax", "Website",
		// organisations, places and buildings
		"Practice", "Practices", "Surgery", "Medical", "Centre", "Center", "Health", "Healthcare", "Hospital",
		"Clinic", "Group", "House", "Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Place", "Court",
		"Square", "Park", "Hall", "Hotel", "Inn", "Suite", "Floor", "Building", "Room", "Unit", "Trust",
		"Foundation", "Council", "Committee", "Board", "Service", "Services", "Care", "Quality", "Commission",
		"General", "Local", "District", "Royal", "College", "University", "School", "Primary", "Secondary",
		"Network", "Networks", "Integrated", "System", "Office", "Club", "Church", "Library", "Station", "Village",
		"Town", "City", "County", "Borough", "North", "South", "East", "West", "Northern", "Southern", "Eastern",
		"Western", "Upper", "Lower", "Great", "Little", "Green", "Hill", "Bridge", "Gardens", "Terrace", "Crescent",
		"Grove", "Row", "Mews", "Manor", "Lodge", "Farm", "Cottage", "Works", "Mill", "Business",
		"England", "Scotland", "Wales", "Ireland", "Britain", "British", "United", "Kingdom", "London",
		"Government", "Department", "Ministry", "Agency", "Authority", "Association", "Society", "Federation",
		"Alliance", "Partnership", "Company", "Limited", "Ltd", "Union", "Conference", "Meeting", "Event",
		"Events", "Venue", "Forum", "Annual", "Training", "Course", "Workshop", "Session",
		// documents and subjects
		"Act", "Regulation", "Regulations", "Data", "Protection", "Information", "Governance", "Records", "Record",
		"Access", "Request", "Requests", "Subject", "Contract", "Contracts", "Agreement", "Policy", "Guidance",
		"Advice", "News", "Newsletter", "Update", "Updates", "Notice", "Privacy", "Statement", "Support",
		"Funding", "Payment", "Payments", "Pension", "Pensions", "Scheme", "Standards", "Framework", "Plan",
		"Review", "Report", "Survey", "Form", "Letter", "Model", "Template", "Summary", "Appendix", "Section",
		"Part", "Table", "Figure", "Page", "Version", "Issue", "Edition", "Online", "Digital", "Direct",
		"Participation", "Engagement", "Safeguarding", "Vaccination", "Vaccinations", "Immunisation", "Flu",
		"Covid", "Emergency", "Urgent", "Out", "Hours", "Help", "Helpline", "Line", "Number", "Reference", "Ref",
		"Test", "Example", "Sample",
	)
)
