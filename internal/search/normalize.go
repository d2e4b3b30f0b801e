package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word of a text: its normalised form (see [Normalize]) and its
// position, counted in words, with gaps where a line or block breaks so that
// a phrase never spans two paragraphs. Stop words and one-letter words keep
// their place in the count but are marked, and are not indexed.
type Token struct {
	Term string
	Pos  int
	Skip bool // a stop word or one character: counted, not indexed
}

// lineGap is how far a line break moves the position, so that "flu" at the
// end of one paragraph and "vaccine" at the start of the next are not a
// phrase.
const lineGap = 4

// Tokenize splits text into words and normalises each. Letters and digits
// make words; apostrophes inside a word are dropped ("practice’s" is one
// word); everything else separates words. The same rules run in the
// browser (static/js/search.js, tokenize).
func Tokenize(text string, pos int) []Token {
	var toks []Token
	s := wordScanner{text: text, pos: pos}
	for {
		w, p, ok := s.next()
		if !ok {
			return toks
		}
		t, skip := normalizeFolded(string(w))
		toks = append(toks, Token{Term: t, Pos: p, Skip: skip})
	}
}

// wordScanner reads the words of a text one at a time, folded (see
// appendFold), with their positions: the first is pos, each word moves it
// by one and a line break by lineGap more.
//
// It is a loop the caller drives rather than a function calling back for
// each word, so that the caller's work on a word needs no closure.
type wordScanner struct {
	text string
	i    int // the next byte to read
	pos  int // the next word's position
	buf  []byte
}

// next returns the next word, valid until the next call, and its position;
// ok is false at the end of the text. ASCII takes a fast path that neither
// decodes runes nor allocates.
func (s *wordScanner) next() (word []byte, pos int, ok bool) {
	text, i, w := s.text, s.i, s.buf[:0]
	for i < len(text) {
		c := text[i]
		i++
		k := byteKind[c]
		if k >= '0' { // a letter or digit, folded
			w = append(w, k)
			// The rest of its ASCII letters and digits, in a loop of their
			// own: most bytes are these, and the compiler keeps this one
			// tighter than the one over every kind. On the 1,000-page
			// corpus (BenchmarkStream1k under valgrind --tool=callgrind,
			// GOMAXPROCS=1 GOGC=off, 3 builds less 1, over 2) next took
			// 95.7 million instructions a build so, 107.4 million without.
			for i < len(text) {
				k = byteKind[text[i]]
				if k < '0' {
					break
				}
				w = append(w, k)
				i++
			}
			continue
		}
		gap := 0
		switch k {
		case kindApostrophe:
			continue // inside a word: dropped; elsewhere: nothing
		case kindMultibyte:
			r, n := utf8.DecodeRuneInString(text[i-1:])
			i += n - 1
			if r == '’' || r == 'ʼ' {
				continue
			}
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				w = appendFold(w, r)
				continue
			}
		case kindNewline:
			gap = lineGap
		}
		// A separator: the end of the word, if there is one.
		if len(w) > 0 {
			pos = s.pos
			s.pos += 1 + gap
			s.i, s.buf = i, w
			return w, pos, true
		}
		s.pos += gap
	}
	s.i, s.buf = i, w
	if len(w) > 0 {
		pos = s.pos
		s.pos++
		return w, pos, true
	}
	return nil, 0, false
}

// byteKind is, for each byte of UTF-8 text, an ASCII letter or digit
// folded (lower case, >= '0'), or what else it is: one table lookup and
// one test for the bytes of a word.
var byteKind = func() (t [256]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = c, c
	}
	t['\''] = kindApostrophe
	t['\n'] = kindNewline
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = kindMultibyte
	}
	return t
}()

// What a byte is, when not part of a word's ASCII letters and digits: a
// separator (0), or one of these.
const (
	kindApostrophe = 1 + iota
	kindNewline
	kindMultibyte // the start or rest of a multi-byte rune
)

// Normalize returns the form a word is indexed and searched under:
// lower case, accents removed, a plural "s" dropped, British spelling for
// the American pairs in [Spellings], and "-ize" written "-ise". It returns
// "" for a stop word. Both the index and the query go through it, so
// "Organizations", "organisation" and "ORGANISATIONS" are one term.
func Normalize(word string) string {
	var b []byte
	for _, r := range word {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = appendFold(b, r)
		}
	}
	t, skip := normalizeFolded(string(b))
	if skip {
		return ""
	}
	return t
}

// normalizeFolded normalises a folded word; skip is true for a stop word or
// a single character.
func normalizeFolded(w string) (string, bool) {
	if stopWords[w] || utf8.RuneCountInString(w) < 2 {
		return w, true
	}
	if s, ok := Spellings[w]; ok {
		return s, false
	}
	w = stem(w)
	if s, ok := Spellings[w]; ok {
		return s, false
	}
	return izeToIse(w), false
}

// stem drops a plural ending: "policies" → "policy", "classes" → "class",
// "practices" → "practice", "GPs" → "gp". Words ending in -ss, -us or -is
// keep their "s" (access, status, analysis).
func stem(w string) string {
	n := len(w)
	switch {
	case n >= 5 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n >= 5 && strings.HasSuffix(w, "sses"):
		return w[:n-2]
	case n >= 3 && w[n-1] == 's' && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// izeToIse writes American "-iz-" as British "-is-" where it is a suffix:
// "iz" after at least three letters and before e, a, i or the end
// (organize, organization, realizing, organiz...), and "lyz" as "lys"
// (analyze, paralyzed). Short words (size, prize, seize) are left alone.
func izeToIse(w string) string {
	if !strings.Contains(w, "z") {
		return w
	}
	b := []byte(w)
	for i := 3; i+1 < len(b); i++ {
		if b[i+1] != 'z' || (b[i] != 'i' && !(b[i] == 'y' && b[i-1] == 'l')) {
			continue
		}
		if i+2 == len(b) || b[i+2] == 'e' || b[i+2] == 'a' || b[i+2] == 'i' {
			b[i+1] = 's'
		}
	}
	return string(b)
}

// appendFold appends r, folded, to b.
func appendFold(b []byte, r rune) []byte {
	r = unicode.ToLower(r)
	if r < utf8.RuneSelf {
		return append(b, byte(r))
	}
	if s, ok := foldTable[r]; ok {
		return append(b, s...)
	}
	return utf8.AppendRune(b, r)
}

var foldTable = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ð': "d", 'ø': "o", 'đ': "d", 'ħ': "h", 'ł': "l", 'ŀ': "l", 'ı': "i", 'ŉ': "n", 'ŧ': "t"}
	for base, accented := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥ",
		"i": "ìíîïĩīĭį", "j": "ĵ", "k": "ķ", "l": "ĺļľ", "n": "ñńņň", "o": "òóôõöōŏő",
		"r": "ŕŗř", "s": "śŝşš", "t": "ţť", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// stopWords are too common to find anything by; they are not indexed, and a
// query made only of them finds nothing. They still count in phrases:
// "access to records" finds "access" two words before "records".
var stopWords = map[string]bool{}

// StopWords lists the stop words, sorted; the index's meta.bin carries them
// to the browser.
var StopWords = strings.Fields(`a about after all also an and any are as at be been being but by can could
do does for from had has have he her his how if in into is it its more of on or our she so such than that
the their them then there these they this those to too us was we were what when where which while who
will with would you your`)

func init() {
	for _, w := range StopWords {
		stopWords[w] = true
	}
}

// Spellings maps a word (after a plural "s" is dropped) to the form it is
// indexed under: American spellings of common words to British ones, and a
// few words whose final "s" is not a plural. The "-ize"/"-ise" pairs need no
// entry (see izeToIse). meta.bin carries the list to the browser.
var Spellings = map[string]string{
	// -or / -our
	"color": "colour", "behavior": "behaviour", "behavioral": "behavioural", "favor": "favour",
	"favorite": "favourite", "honor": "honour", "labor": "labour", "neighbor": "neighbour",
	"neighborhood": "neighbourhood", "harbor": "harbour", "humor": "humour", "rumor": "rumour",
	"flavor": "flavour", "endeavor": "endeavour", "odor": "odour", "tumor": "tumour", "vapor": "vapour",
	// -er / -re, -se / -ce, -m / -mme
	"center": "centre", "theater": "theatre", "fiber": "fibre", "liter": "litre",
	"license": "licence", "defense": "defence", "offense": "offence", "practise": "practice",
	"program": "programme",
	// medical ae / oe
	"pediatric": "paediatric", "pediatrician": "paediatrician", "anemia": "anaemia",
	"anesthetic": "anaesthetic", "anesthesia": "anaesthesia", "anesthetist": "anaesthetist",
	"hematology": "haematology", "hemorrhage": "haemorrhage", "gynecology": "gynaecology",
	"orthopedic": "orthopaedic", "estrogen": "oestrogen", "edema": "oedema", "diarrhea": "diarrhoea",
	"leukemia": "leukaemia", "esophagus": "oesophagus", "fetus": "foetus", "fetal": "foetal",
	"maneuver": "manoeuvre",
	// doubled and dropped letters
	"aging": "ageing", "judgment": "judgement", "enroll": "enrol", "enrollment": "enrolment",
	"fulfill": "fulfil", "fulfillment": "fulfilment", "installment": "instalment", "skillful": "skilful",
	"traveling": "travelling", "traveled": "travelled", "canceled": "cancelled", "canceling": "cancelling",
	"labeled": "labelled", "labeling": "labelling", "modeling": "modelling", "counseling": "counselling",
	"counselor": "counsellor", "catalog": "catalogue", "dialog": "dialogue", "gray": "grey", "mold": "mould",
	// words whose "s" is not a plural
	"news": "news", "series": "series", "species": "species", "diabetes": "diabetes", "herpes": "herpes",
	"rabies": "rabies", "scabies": "scabies", "measles": "measles", "mumps": "mumps", "premises": "premises",
	"lens": "lens", "always": "always", "perhaps": "perhaps", "whereas": "whereas", "nhs": "nhs", "sms": "sms",
	"ops": "ops", "sars": "sars", "mers": "mers", "gms": "gms", "pms": "pms", "apms": "apms",
}
