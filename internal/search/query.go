package search

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Searcher answers queries from the index files, loading only the shards a
// query needs, exactly as static/js/search.js does in the browser. It is the
// reference for the script's ranking: the browser test checks that both give
// the same pages in the same order with the same scores.
type Searcher struct {
	read    func(name string) ([]byte, error)
	meta    meta
	shards  map[int]*termShard
	pos     map[int]*posShard
	filters *filters
	// Loaded lists the files read so far (names under Dir), in order.
	Loaded []string
}

type termShard struct {
	terms []string
	idf   []int
	posts [][]int // per term: doc, code, doc, code, ... (absolute doc ids)
	at    map[string]int
}

type posShard struct {
	data []byte
	at   []int // where each term's positions start in data
}

// idf is round(100 × ln(1 + N/df)), computed by the script in the same way.
func idf(n, df int) int {
	return int(math.Round(100 * math.Log(1+float64(n)/float64(df))))
}

// Open reads the index's meta.bin through read, which is given names under
// Dir ("meta.bin", "t/0a1b2c.bin").
func Open(read func(name string) ([]byte, error)) (*Searcher, error) {
	ix := &Searcher{read: read, shards: map[int]*termShard{}, pos: map[int]*posShard{}}
	if err := ix.load("meta.bin", &ix.meta); err != nil {
		return nil, err
	}
	if ix.meta.Format != metaFormat {
		return nil, fmt.Errorf("search: meta.bin: format %d, want %d", ix.meta.Format, metaFormat)
	}
	return ix, nil
}

// OpenFiles opens the index from the map Build returns.
func OpenFiles(files map[string][]byte) (*Searcher, error) {
	return Open(func(name string) ([]byte, error) {
		data, ok := files[Dir+name]
		if !ok {
			return nil, fmt.Errorf("search: %s%s: no such file", Dir, name)
		}
		return data, nil
	})
}

// loadBytes reads a file and inflates it.
func (ix *Searcher) loadBytes(name string) ([]byte, error) {
	data, err := ix.read(name)
	if err != nil {
		return nil, err
	}
	ix.Loaded = append(ix.Loaded, name)
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("search: %s: %w", name, err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("search: %s: %w", name, err)
	}
	return plain, nil
}

func (ix *Searcher) load(name string, v any) error {
	plain, err := ix.loadBytes(name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("search: %s: %w", name, err)
	}
	return nil
}

// Docs is the number of pages in the index.
func (ix *Searcher) Docs() int { return ix.meta.Docs }

// Filter narrows a search to a section (folder name) and a topic (slug).
type Filter struct {
	Section string
	Topic   string
}

// Hit is one matching page.
type Hit struct {
	Doc   int // the page's id: its record is d/ID.bin
	Score int
}

// Result is the answer to a query: every matching page, best first.
type Result struct {
	Hits []Hit
	// Words are the query's searchable words, normalised; empty when the
	// query has none (only stop words or punctuation).
	Words []string
	// Matched are the index terms each word matched (exact, prefix or one
	// typo away), for marking them in titles and excerpts.
	Matched []string
}

// Scoring. Integers only, so Go and JavaScript agree to the last point.
const (
	factorExact  = 6
	factorPrefix = 2
	factorTypo   = 3
	minPrefix    = 3 // a word of 3 letters or more also finds longer words it starts
	minTypo      = 5 // a word of 5 letters or more also finds words one typo away
	maxPrefix    = 4 // shards a prefix may load
	maxTypo      = 3 // shards a typo may load
	// The words side by side as typed: all of them, two of them, none.
	multPhrase = 10
	multPair   = 9
	multNone   = 8
)

var tfWeight = [8]int{0, 10, 14, 17, 19, 21, 22, 23}

func fieldScore(code int) int {
	s := 0
	if code&fieldTitle != 0 {
		s += 100
	}
	if code&fieldHeading != 0 {
		s += 40
	}
	if code&fieldTopic != 0 {
		s += 30
	}
	if code&fieldSummary != 0 {
		s += 20
	}
	if code&fieldBody != 0 {
		s += tfWeight[code>>tfShift]
	}
	return s
}

type qword struct {
	term   string
	pre    string // what longer words must start with: the term, or the word as typed
	rel    int    // position in its group
	exact  bool   // in quotes: no prefix, no typo
	prefix bool   // the word being typed: also finds longer words it starts
}

// parseQuery splits a query into loose words and quoted phrases. Curly
// quotes count as quotes; an unclosed quote is ignored. The last word, when
// the query ends in it (no space or quote after it), is the word being
// typed: it also matches as a prefix.
func parseQuery(q string) (loose []qword, phrases [][]qword) {
	q = strings.NewReplacer("“", `"`, "”", `"`, "„", `"`).Replace(q)
	parts := strings.Split(q, `"`)
	var outside []string
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			var ph []qword
			for _, t := range Tokenize(p, 0) {
				if !t.Skip {
					ph = append(ph, qword{term: t.Term, rel: t.Pos, exact: true})
				}
			}
			if len(ph) > 0 {
				phrases = append(phrases, ph)
			}
			continue
		}
		outside = append(outside, p)
	}
	seen := map[string]bool{}
	for _, ph := range phrases {
		for _, w := range ph {
			seen[w.term] = true
		}
	}
	toks := Tokenize(strings.Join(outside, "\n"), 0)
	for i, t := range toks {
		if !t.Skip && !seen[t.Term] {
			seen[t.Term] = true
			typing := i == len(toks)-1 && len(parts)%2 == 1 && endsInWord(q)
			pre := t.Term
			if typing {
				pre = typedPrefix(q, t.Term)
			}
			loose = append(loose, qword{term: t.Term, pre: pre, rel: t.Pos, prefix: typing})
		}
	}
	return loose, phrases
}

// typedPrefix is the query's last word as typed, folded, when it is longer
// than its term: "pens" (term "pen") should find "pension", and "ins"
// (term "in") "inspection".
func typedPrefix(q, term string) string {
	start := len(q)
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(q[:start])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' && r != 'ʼ' {
			break
		}
		start -= n
	}
	var b strings.Builder
	for _, r := range q[start:] {
		if r != '\'' && r != '’' && r != 'ʼ' {
			b.WriteString(fold(r))
		}
	}
	raw := izeToIse(b.String())
	if strings.HasPrefix(raw, term) {
		return raw
	}
	return term
}

func endsInWord(q string) bool {
	r, _ := utf8.DecodeLastRuneInString(q)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// Search runs a query as the browser does and returns every match, best
// first: the highest score, then the newest page (the highest id).
func (ix *Searcher) Search(q string, f Filter) (*Result, error) {
	loose, phrases := parseQuery(q)
	words := append([]qword(nil), loose...)
	for _, ph := range phrases {
		words = append(words, ph...)
	}
	res := &Result{}
	if len(words) == 0 {
		return res, nil
	}
	type wordMatch struct {
		best  map[int]int
		terms []matchedTerm
	}
	matches := make([]wordMatch, len(words))
	for i, w := range words {
		res.Words = append(res.Words, w.term)
		terms, err := ix.match(w)
		if err != nil {
			return nil, err
		}
		best := map[int]int{}
		for _, mt := range terms {
			res.Matched = append(res.Matched, mt.term)
			posts := mt.shard.posts[mt.k]
			idf := mt.shard.idf[mt.k]
			for j := 0; j < len(posts); j += 2 {
				s := mt.factor * fieldScore(posts[j+1]) * idf
				if s > best[posts[j]] {
					best[posts[j]] = s
				}
			}
		}
		matches[i] = wordMatch{best: best, terms: terms}
	}

	// Pages with every word, within the filters.
	var cands []int
	for d := range matches[0].best {
		ok := true
		for _, m := range matches[1:] {
			if _, has := m.best[d]; !has {
				ok = false
				break
			}
		}
		if ok {
			cands = append(cands, d)
		}
	}
	sort.Ints(cands)
	if f.Section != "" || f.Topic != "" {
		if ix.filters == nil {
			ix.filters = &filters{}
			if err := ix.load("filters.bin", ix.filters); err != nil {
				return nil, err
			}
		}
		keep := func(list []int) map[int]bool {
			set, id := map[int]bool{}, 0
			for _, d := range list {
				id += d
				set[id] = true
			}
			return set
		}
		var sec, top map[int]bool
		if f.Section != "" {
			sec = keep(ix.filters.Sections[f.Section])
		}
		if f.Topic != "" {
			top = keep(ix.filters.Topics[f.Topic])
		}
		kept := cands[:0]
		for _, d := range cands {
			if (sec == nil || sec[d]) && (top == nil || top[d]) {
				kept = append(kept, d)
			}
		}
		cands = kept
	}

	// Positions, for phrases and for loose words found side by side.
	needPos := len(loose) >= 2 || len(phrases) > 0
	posOf := make([]map[int][]int, len(words)) // word → doc → sorted positions
	if needPos && len(cands) > 0 {
		for i := range words {
			posOf[i] = map[int][]int{}
			for _, mt := range matches[i].terms {
				tp, err := ix.termPositions(mt)
				if err != nil {
					return nil, err
				}
				for _, d := range cands {
					if p, ok := tp[d]; ok {
						posOf[i][d] = append(posOf[i][d], p...)
					}
				}
			}
			for d, p := range posOf[i] {
				sort.Ints(p)
				posOf[i][d] = p
			}
		}
	}
	for _, d := range cands {
		// Quoted phrases must be there, word for word.
		wi, ok := len(loose), true
		for _, ph := range phrases {
			if len(ph) > 1 && !phraseAt(posOf[wi:wi+len(ph)], ph, d) {
				ok = false
				break
			}
			wi += len(ph)
		}
		if !ok {
			continue
		}
		sum := 0
		for _, m := range matches {
			sum += m.best[d]
		}
		mult := multNone
		if len(loose) >= 2 {
			if phraseAt(posOf[:len(loose)], loose, d) {
				mult = multPhrase
			} else if len(loose) >= 3 {
				for k := 0; k+1 < len(loose); k++ {
					if phraseAt(posOf[k:k+2], loose[k:k+2], d) {
						mult = multPair
						break
					}
				}
			}
		}
		res.Hits = append(res.Hits, Hit{Doc: d, Score: sum * mult})
	}
	sort.Slice(res.Hits, func(i, j int) bool {
		a, b := res.Hits[i], res.Hits[j]
		return a.Score > b.Score || a.Score == b.Score && a.Doc > b.Doc
	})
	sort.Strings(res.Matched)
	return res, nil
}

// phraseAt reports whether doc d has the words at their relative places.
func phraseAt(pos []map[int][]int, ws []qword, d int) bool {
	first := pos[0][d]
	for _, p := range first {
		all := true
		for k := 1; k < len(ws); k++ {
			want := p + ws[k].rel - ws[0].rel
			l := pos[k][d]
			j := sort.SearchInts(l, want)
			if j == len(l) || l[j] != want {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

type matchedTerm struct {
	term   string
	factor int
	shard  *termShard
	si, k  int // shard number, term number in it
}

// match finds the terms a query word stands for.
func (ix *Searcher) match(w qword) ([]matchedTerm, error) {
	first := ix.meta.First
	if len(first) == 0 {
		return nil, nil
	}
	var out []matchedTerm
	sE := shardOf(first, w.term)
	pre := w.pre
	if pre == "" {
		pre = w.term
	}
	// The word being typed, or a word not in the index, may be the start of
	// longer words.
	prefix := !w.exact && utf8.RuneCountInString(pre) >= minPrefix
	if prefix && !w.prefix {
		sh, err := ix.shard(sE)
		if err != nil {
			return nil, err
		}
		_, found := sh.at[w.term]
		prefix = !found
	}
	want := []int{sE}
	if prefix {
		lo := shardOf(first, pre)
		hi := min(prefixEnd(first, lo, pre), lo+maxPrefix-1)
		for si := lo; si <= hi; si++ {
			if si != sE {
				want = append(want, si)
			}
		}
	}
	for _, si := range want {
		sh, err := ix.shard(si)
		if err != nil {
			return nil, err
		}
		for k, t := range sh.terms {
			switch {
			case t == w.term:
				out = append(out, matchedTerm{t, factorExact, sh, si, k})
			case prefix && strings.HasPrefix(t, pre):
				out = append(out, matchedTerm{t, factorPrefix, sh, si, k})
			}
		}
	}
	if len(out) > 0 || w.exact || utf8.RuneCountInString(w.term) < minTypo {
		return out, nil
	}
	lo, hi := typoRange(first, w.term)
	for si := lo; si <= hi; si++ {
		sh, err := ix.shard(si)
		if err != nil {
			return nil, err
		}
		for k, t := range sh.terms {
			if oneEdit(t, w.term) {
				out = append(out, matchedTerm{t, factorTypo, sh, si, k})
			}
		}
	}
	return out, nil
}

// shardOf is the shard whose range holds term t.
func shardOf(first []string, t string) int {
	return sort.Search(len(first), func(i int) bool { return first[i] > t }) - 1
}

// prefixEnd is the last shard that may hold a word starting with p, s0
// being the shard of p itself.
func prefixEnd(first []string, s0 int, p string) int {
	hi := s0
	for hi+1 < len(first) && strings.HasPrefix(first[hi+1], p) {
		hi++
	}
	return hi
}

// typoRange is the shards searched for words one typo away from w: those
// holding words that start with w's first two letters if there are at most
// maxTypo, else its first three, else the shards around w's own among those.
func typoRange(first []string, w string) (int, int) {
	r := []rune(w)
	var lo, hi int
	for _, n := range []int{2, 3} {
		p := string(r[:n])
		lo = shardOf(first, p)
		hi = prefixEnd(first, lo, p)
		if hi-lo+1 <= maxTypo {
			return lo, hi
		}
	}
	s0 := shardOf(first, w)
	return max(lo, s0-1), min(hi, s0+1)
}

// oneEdit reports whether a and b differ by exactly one insertion, deletion,
// substitution or swap of two neighbouring letters.
func oneEdit(a, b string) bool {
	x, y := []rune(a), []rune(b)
	if len(x) < len(y) {
		x, y = y, x
	}
	switch len(x) - len(y) {
	case 0:
		i := 0
		for i < len(x) && x[i] == y[i] {
			i++
		}
		if i == len(x) {
			return false
		}
		if string(x[i+1:]) == string(y[i+1:]) {
			return true // substitution
		}
		return i+1 < len(x) && x[i] == y[i+1] && x[i+1] == y[i] && string(x[i+2:]) == string(y[i+2:])
	case 1:
		i := 0
		for i < len(y) && x[i] == y[i] {
			i++
		}
		return string(x[i+1:]) == string(y[i:])
	}
	return false
}

func (ix *Searcher) shard(si int) (*termShard, error) {
	if sh := ix.shards[si]; sh != nil {
		return sh, nil
	}
	name := "t/" + ix.meta.Shards[si] + ".bin"
	data, err := ix.loadBytes(name)
	if err != nil {
		return nil, err
	}
	r := &binReader{data: data}
	if r.byte() != binFormat {
		return nil, fmt.Errorf("search: %s: not format %d", name, binFormat)
	}
	sh := &termShard{at: map[string]int{}}
	n := r.uvarint()
	for k := 0; k < n && r.err == nil; k++ {
		t := string(r.bytes(r.uvarint()))
		df := r.uvarint()
		ps := make([]int, 2*df)
		doc := 0
		for j := 0; j < df; j++ {
			doc += r.uvarint()
			ps[2*j] = doc
		}
		for j, c := range r.bytes(df) {
			ps[2*j+1] = int(c)
		}
		sh.terms = append(sh.terms, t)
		sh.idf = append(sh.idf, idf(ix.meta.Docs, max(df, 1)))
		sh.posts = append(sh.posts, ps)
		sh.at[t] = k
	}
	if r.err != nil {
		return nil, fmt.Errorf("search: %s: %w", name, r.err)
	}
	ix.shards[si] = sh
	return sh, nil
}

// binReader reads the numbers and bytes of a t/ or p/ file.
type binReader struct {
	data []byte
	i    int
	err  error
}

func (r *binReader) byte() byte {
	if r.i >= len(r.data) {
		r.err = io.ErrUnexpectedEOF
		return 0
	}
	r.i++
	return r.data[r.i-1]
}

func (r *binReader) uvarint() int {
	x, n := binary.Uvarint(r.data[min(r.i, len(r.data)):])
	if n <= 0 || x > math.MaxInt32 {
		if r.err == nil {
			r.err = fmt.Errorf("bad number at byte %d", r.i)
		}
		r.i = len(r.data)
		return 0
	}
	r.i += n
	return int(x)
}

func (r *binReader) bytes(n int) []byte {
	if r.i+n > len(r.data) {
		r.err = io.ErrUnexpectedEOF
		r.i = len(r.data)
		return nil
	}
	r.i += n
	return r.data[r.i-n : r.i]
}

// termPositions reads where a matched term occurs in each page.
func (ix *Searcher) termPositions(mt matchedTerm) (map[int][]int, error) {
	name := "p/" + ix.meta.Shards[mt.si] + ".bin"
	ps := ix.pos[mt.si]
	if ps == nil {
		data, err := ix.loadBytes(name)
		if err != nil {
			return nil, err
		}
		r := &binReader{data: data}
		if r.byte() != binFormat {
			return nil, fmt.Errorf("search: %s: not format %d", name, binFormat)
		}
		n := r.uvarint()
		ps = &posShard{data: data, at: make([]int, n)}
		lens := make([]int, n)
		for k := range lens {
			lens[k] = r.uvarint()
		}
		at := r.i
		for k, l := range lens {
			ps.at[k] = at
			at += l
		}
		if r.err != nil || at != len(data) {
			return nil, fmt.Errorf("search: %s: damaged", name)
		}
		ix.pos[mt.si] = ps
	}
	r := &binReader{data: ps.data, i: ps.at[mt.k]}
	out := map[int][]int{}
	posts := mt.shard.posts[mt.k]
	for pi := 0; pi < len(posts); pi += 2 {
		n := r.uvarint()
		p := 0
		list := make([]int, n)
		for x := 0; x < n; x++ {
			p += r.uvarint()
			list[x] = p
		}
		out[posts[pi]] = list
	}
	if r.err != nil {
		return nil, fmt.Errorf("search: %s: %w", name, r.err)
	}
	return out, nil
}

// Record is what a result shows, read from d/ID.bin.
type Record struct {
	URL     string `json:"u"`
	Title   string `json:"t"`
	Section string `json:"s"`
	Date    string `json:"d"`
	Updated string `json:"up"`
	Summary string `json:"m"`
	Text    string `json:"x"`
}

// Record reads a page's record.
func (ix *Searcher) Record(doc int) (*Record, error) {
	var r Record
	if err := ix.load(fmt.Sprintf("d/%d.bin", doc), &r); err != nil {
		return nil, err
	}
	return &r, nil
}
