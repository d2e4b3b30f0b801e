package search

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/parallel"
)

// Doc is one published page as the index sees it.
type Doc struct {
	URL          string // site-relative, "/advice/x/"
	Title        string
	Section      string    // folder name, "advice"; "" for a plain page
	SectionTitle string    // "Advice"
	Date         time.Time // first published; zero for an undated page
	// Updated is when the page was last announced (a change with a note);
	// newer pages rank first among equals. Zero means Date.
	Updated  time.Time
	Summary  string
	Headings []string // heading texts, also part of Text
	Text     string   // the body as plain text, paragraphs separated by blank lines
	Topics   []string // topic names, "IT and Data"
}

// Dir is the folder the index is written to, under the output root.
const Dir = "search/index/"

// Field bits of a posting's code; the count of the word in the body (at most
// 7) is in bits 5 to 7.
const (
	fieldTitle   = 1
	fieldHeading = 2
	fieldTopic   = 4
	fieldSummary = 8
	fieldBody    = 16
	tfShift      = 5
	maxTF        = 7
)

// fieldGap separates title, summary and body in the position count, so a
// phrase never runs from one into the next.
const fieldGap = 8

// Formats: meta.bin's "format", and the first byte of each inflated part
// of a shard.
const (
	metaFormat = 4
	binFormat  = 1
)

// Shards. A term's size is estimated as the JSON it used to take,
// len(term) + 8 + 6 × its pages. A shard starts at a term whose hash is a
// multiple of a power of two chosen so that runs of terms smaller than
// shardTarget would hold about twice shardTarget (see chunkTerms), and,
// within such a run, wherever the shard would pass shardTarget. So
// boundaries depend on the terms near them alone: a longer posting list
// moves at most those up to the next multiple.
const shardTarget = 6 << 10

// Compression levels, measured on the 10,000-page corpus (see the package
// documentation). Term and position files are compressed with Huffman
// codes only (gzipHuffman), and so are page texts, once per change of the
// page; buckets (see records.go) at levelRecords, once per change of one of
// their pages.
const (
	levelRecords = flate.BestSpeed
	levelSmall   = flate.DefaultCompression // meta.bin
)

// Index builds the index files, and keeps what it worked out between builds
// so that the next build of mostly the same pages redoes only what changed:
// each page's words (kept as long as the page is unchanged), the posting
// lists, and the files of shards none of whose terms changed. Whatever it
// has seen before, Build gives exactly the files a new Index would. Builds
// from several goroutines run one at a time.
type Index struct {
	mu    sync.Mutex
	b     *builder
	cache Cache
}

// UseCache makes later builds take compressed page texts from c, and put
// there those they make.
func (x *Index) UseCache(c Cache) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.cache = c
	if x.b != nil {
		x.b.cache = c
	}
}

type builder struct {
	gen   uint64 // builds so far
	cache Cache  // of compressed page texts; nil for none

	byURL map[string]*docEntry
	order []*docEntry // by page id
	input []*docEntry // in the order the last build was given them

	vocab    map[string]uint32 // term → id; ids are internal, never written
	termsMu  sync.Mutex        // guards vocab and terms while pages are read
	terms    []*termState      // by id
	live     int               // terms with at least one page
	sorted   []uint32          // the live terms' ids, in term order
	touched  []uint32          // terms changed in this build
	shards   map[uint32]*shardOut
	workers  []*worker
	sections []section
	filters  []byte // filters.bin
	fRaw     []byte // its JSON
	fSum     uint64
	metaSum  uint64
	buckets  []*recFile           // the last build's d/ files
	packs    []*recFile           // and x/ files
	byName   map[string]*shardOut // the last build's shards by file name
	// dropLists, for a Stream, lets go of each term's pages once its
	// shard is written; lists are the workers holding its pages as they
	// were added (see termList).
	dropLists bool
	lists     []*worker
}

// docEntry is one page as indexed: its terms, sorted by id, with a code and
// the positions of each, and its record.
type docEntry struct {
	doc    Doc       // as given, Updated set
	seen   uint64    // the last build that had its address
	next   *docEntry // in that build, the entry for its address
	slugs  []string  // topic slugs
	terms  []uint32
	codes  []uint8
	posEnd []uint32 // end of each term's positions in pos
	pos    []byte   // per term: count, then positions delta-coded, as uvarints
	rec    pageRec
}

func (e *docEntry) posOf(k int) []byte {
	start := uint32(0)
	if k > 0 {
		start = e.posEnd[k-1]
	}
	return e.pos[start:e.posEnd[k]]
}

// post is one page in a posting list: its id, the term's code there, and
// where its positions end in the term's pos.
type post struct {
	doc  uint32
	end  uint32
	code uint8
}

type termState struct {
	term    string
	hash    uint32
	posts   []post // by page id
	pos     []byte // each page's positions, as in docEntry.pos
	touched bool   // in builder.touched
	wasLive bool   // had pages before this build
	dirty   uint8  // what changed in this build: dirtyPages, dirtyPos

	n int32 // a Stream's pages not yet unpacked (see unpack)
}

// size is the term's estimated share of a shard.
func (ts *termState) size() int { return len(ts.term) + 8 + 6*ts.pages() }

// pages is the number of the term's pages.
func (ts *termState) pages() int { return len(ts.posts) + int(ts.n) }

// shardOut is a shard's file, s/HASH.bin: its terms (once called t/),
// then their positions (p/), each a gzip member of its own.
type shardOut struct {
	terms []uint32
	sum   []byte // sha256 of the file
	name  string // HASH
	path  string // Dir + "s/HASH.bin"
	file  []byte
	tLen  int // the length of the terms' member
}

type section struct{ name, title string }

// NewIndex returns an empty Index.
func NewIndex() *Index { return &Index{} }

// Build makes the index files of docs: name (under the output root, e.g.
// "search/index/meta.bin") → contents. The same docs give byte-identical
// files. The format is in the package documentation. It keeps nothing for
// a next build (see [Index]), so it runs as a [Stream] does.
func Build(docs []Doc) (map[string][]byte, error) {
	keys := make([]Key, len(docs))
	for i, d := range docs {
		keys[i] = Key{URL: d.URL, Date: d.Date, Updated: d.Updated}
	}
	s, err := NewStream(keys, nil)
	if err != nil {
		return nil, err
	}
	// Pages in id order, so that the term lists come (nearly) sorted.
	byID := make([]int, len(docs))
	for i, id := range s.ids {
		byID[id] = i
	}
	parallel.Do(len(docs), func(k int) {
		i := byID[k]
		s.Add(i, docs[i]) // an error is Finish's too
	})
	return s.Finish()
}

// Build makes the index files of docs, as the package function Build does,
// reusing what earlier builds worked out for unchanged pages and shards.
// The map returned, and the slices in it, are not changed by later builds.
func (x *Index) Build(docs []Doc) (map[string][]byte, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.b == nil || x.b.bloated() {
		x.b = &builder{byURL: map[string]*docEntry{}, vocab: map[string]uint32{}, shards: map[uint32]*shardOut{}, cache: x.cache}
	}
	return x.b.build(docs)
}

func (ix *builder) build(docs []Doc) (map[string][]byte, error) {
	ix.gen++
	gen := ix.gen

	// Which pages are new or changed. Nothing is changed before every
	// address is known to be unique.
	entries := make([]*docEntry, len(docs))
	var fresh []int
	var newURLs map[string]bool
	for i := range docs {
		d := &docs[i]
		var e *docEntry
		if i < len(ix.input) && ix.input[i].doc.URL == d.URL {
			e = ix.input[i] // pages usually come in the same order
		} else {
			e = ix.byURL[d.URL]
		}
		if e != nil {
			if e.seen == gen {
				return nil, fmt.Errorf("search: two pages at %s", d.URL)
			}
			e.seen = gen
			if sameDoc(&e.doc, d) {
				entries[i], e.next = e, e
				continue
			}
		} else {
			if newURLs == nil {
				newURLs = map[string]bool{}
			}
			if newURLs[d.URL] {
				return nil, fmt.Errorf("search: two pages at %s", d.URL)
			}
			newURLs[d.URL] = true
		}
		fresh = append(fresh, i)
	}
	ix.parallel(len(fresh), func(w *worker, j int) {
		i := fresh[j]
		entries[i] = ix.indexDoc(w, &docs[i])
		entries[i].seen = gen
	})
	for _, i := range fresh {
		if len(entries[i].pos) >= 1<<30 {
			return nil, fmt.Errorf("search: %s: too long", docs[i].URL)
		}
		if e := ix.byURL[docs[i].URL]; e != nil {
			e.next = entries[i]
		}
	}

	// Page ids: oldest first (by the date last announced, then address), so
	// that a new page takes the next id and an edit moves nothing. Usually
	// the last build's order, with changed pages in their places and new
	// ones at the end, is still in order.
	old := ix.order
	byDate := func(a, b *docEntry) int {
		if c := a.doc.Updated.Compare(b.doc.Updated); c != 0 {
			return c
		}
		return strings.Compare(a.doc.URL, b.doc.URL)
	}
	order := make([]*docEntry, 0, len(entries))
	for _, o := range old {
		if o.seen != gen {
			order = nil // a page has gone
			break
		}
		order = append(order, o.next)
	}
	if order != nil {
		for _, i := range fresh {
			if newURLs[docs[i].URL] {
				order = append(order, entries[i])
			}
		}
	}
	if len(order) != len(entries) || !slices.IsSortedFunc(order, byDate) {
		order = append(order[:0], entries...)
		slices.SortFunc(order, byDate)
	}
	p := 0
	for p < len(old) && p < len(order) && old[p].doc.URL == order[p].doc.URL {
		p++
	}

	// Posting lists: the pages before p keep their ids, and only those that
	// changed are replaced; from p on, every list is cut and refilled.
	filtersChanged := p < len(old) || p < len(order) || ix.filters == nil
	for i := 0; i < p; i++ {
		if a, b := old[i], order[i]; a != b {
			ix.replace(a, b, uint32(i))
			if a.doc.Section != b.doc.Section || a.doc.SectionTitle != b.doc.SectionTitle ||
				!slices.Equal(a.doc.Topics, b.doc.Topics) {
				filtersChanged = true
			}
		}
	}
	for _, e := range old[p:] {
		for _, t := range e.terms {
			ts := ix.terms[t]
			ix.markDirty(t, dirtyPages|dirtyPos)
			cut, _ := slices.BinarySearchFunc(ts.posts, uint32(p), func(x post, id uint32) int { return cmpU32(x.doc, id) })
			ts.posts = ts.posts[:cut]
			ts.pos = ts.pos[:ts.posStart(cut)]
		}
	}
	if p < len(order) {
		// Make room first, then fill the lists, each core its share of the
		// terms.
		count := make([]int32, len(ix.terms))
		size := make([]int, len(ix.terms))
		for _, e := range order[p:] {
			for k, t := range e.terms {
				count[t]++
				size[t] += len(e.posOf(k))
			}
		}
		for t, n := range count {
			if n > 0 {
				ix.markDirty(uint32(t), dirtyPages|dirtyPos)
				ts := ix.terms[t]
				ts.posts = slices.Grow(ts.posts, int(n))
				ts.pos = slices.Grow(ts.pos, size[t])
			}
		}
		parts := 1
		if len(order)-p >= 1000 {
			parts = parallel.Workers(len(order) - p)
		}
		ix.parallel(parts, func(_ *worker, part int) {
			for i := p; i < len(order); i++ {
				e := order[i]
				for k, t := range e.terms {
					if int(t)%parts != part {
						continue
					}
					ts := ix.terms[t]
					ts.pos = append(ts.pos, e.posOf(k)...)
					ts.posts = append(ts.posts, post{doc: uint32(i), end: uint32(len(ts.pos)), code: e.codes[k]})
				}
			}
		})
	}
	files := ix.output(len(order), func(id int) pageInfo {
		e := order[id]
		return pageInfo{rec: e.rec, section: e.doc.Section, sectionTitle: e.doc.SectionTitle,
			topics: e.doc.Topics, slugs: e.slugs}
	}, filtersChanged)

	// Done: forget what this build changed, and the pages that are gone.
	for _, t := range ix.touched {
		ts := ix.terms[t]
		ts.touched, ts.dirty = false, 0
		if len(ts.posts) == 0 {
			ts.posts, ts.pos = nil, nil
		}
	}
	ix.touched = ix.touched[:0]
	for _, e := range old {
		if e.seen != gen && ix.byURL[e.doc.URL] == e {
			delete(ix.byURL, e.doc.URL)
		}
	}
	for _, i := range fresh {
		ix.byURL[docs[i].URL] = entries[i]
	}
	ix.order, ix.input = order, entries
	return files, nil
}

// pageInfo is what the files besides the shards need of a page.
type pageInfo struct {
	rec           pageRec // its meta or text nil once a Stream has handed out its file
	section       string
	sectionTitle  string
	topics, slugs []string
}

// output makes the files of a build of n pages whose posting lists are in
// place: the shards whose terms changed (the others' files are kept),
// filters.bin when filtersChanged, the buckets and packs not handed out
// yet (those whose pages did not change are kept), and meta.bin.
func (ix *builder) output(n int, page func(id int) pageInfo, filtersChanged bool) map[string][]byte {
	ix.updateVocabulary()

	// Shards, and their files where a term changed.
	type cut struct{ a, b int }
	var cuts []cut
	small, nsmall := 0, 0
	for _, id := range ix.sorted {
		if sz := ix.terms[id].size(); sz < shardTarget {
			small += sz
			nsmall++
		}
	}
	k := chunkTerms(small, nsmall)
	size := 0
	for i, id := range ix.sorted {
		ts := ix.terms[id]
		sz := ts.size()
		if i == 0 || ts.hash&(k-1) == 0 || size > 0 && size+sz > shardTarget {
			cuts = append(cuts, cut{a: i})
			size = 0
		}
		cuts[len(cuts)-1].b = i + 1
		size += sz
	}
	outs := make([]*shardOut, len(cuts))
	var todo []int
	for i, c := range cuts {
		terms := ix.sorted[c.a:c.b]
		prev := ix.shards[terms[0]]
		if prev != nil && !slices.Equal(prev.terms, terms) {
			prev = nil
		}
		if prev != nil && ix.dirty(terms) == 0 {
			outs[i] = prev
			continue
		}
		todo = append(todo, i)
		outs[i] = prev
	}
	ix.parallel(len(todo), func(w *worker, j int) {
		c := cuts[todo[j]]
		outs[todo[j]] = ix.encodeShard(w, slices.Clone(ix.sorted[c.a:c.b]), outs[todo[j]])
	})
	shards := make(map[uint32]*shardOut, len(outs))
	byName := make(map[string]*shardOut, len(outs))
	for _, s := range outs {
		shards[s.terms[0]] = s
		byName[s.path] = s
	}
	ix.shards, ix.byName = shards, byName

	// Filters, and the sections and topics meta.bin lists.
	if filtersChanged {
		ix.buildFilters(n, page)
	}

	files := make(map[string][]byte, len(outs)+n/bucketSize+n/packSize+4)
	m := meta{Format: metaFormat, Docs: n, Bucket: bucketSize, Pack: packSize, First: make([]string, len(outs)),
		Shards: make([]string, len(outs)), TLen: make([]int, len(outs)),
		Sections: [][2]string{}, Topics: [][2]string{}, Stop: StopWords, Spell: Spellings}
	h := sha256.New()
	var num [8]byte
	binary.LittleEndian.PutUint64(num[:], uint64(n))
	h.Write(num[:])
	for i, s := range outs {
		files[s.path] = s.file
		m.Shards[i] = s.name
		m.TLen[i] = s.tLen
		if i > 0 {
			m.First[i] = ix.terms[s.terms[0]].term
		}
		h.Write([]byte(s.name))
	}
	pages := make([]pageInfo, n)
	for id := range n {
		pages[id] = page(id)
		binary.LittleEndian.PutUint64(num[:], pages[id].rec.metaSum)
		h.Write(num[:])
		binary.LittleEndian.PutUint64(num[:], pages[id].rec.textSum)
		h.Write(num[:])
	}
	ix.buckets = ix.recordFiles(files, "d/", pages, ix.buckets)
	ix.packs = ix.recordFiles(files, "x/", pages, ix.packs)
	files[Dir+"filters.bin"] = ix.filters
	h.Write(ix.fRaw)
	for _, s := range ix.sections {
		if s.name[0] == 's' {
			m.Sections = append(m.Sections, [2]string{s.name[1:], s.title})
		} else {
			m.Topics = append(m.Topics, [2]string{s.name[1:], s.title})
		}
	}
	// The version names this build of the pages and filters, whose names do
	// not change between builds; shard names are their contents' hashes.
	m.Version = hex.EncodeToString(h.Sum(nil))[:12]
	metaZ := compressOnce(levelSmall, mustJSON(m))
	files[Dir+"meta.bin"] = metaZ
	ix.metaSum = sum64(metaZ)
	return files
}

// Sum returns a fingerprint of a file the last Build returned, without
// reading it again: files of one name have equal fingerprints only if
// their contents are equal (but for 64-bit hash collisions). It returns
// false for a name that build did not return.
func (x *Index) Sum(name string) (uint64, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	ix := x.b
	if ix == nil || !strings.HasPrefix(name, Dir) {
		return 0, false
	}
	switch rest := name[len(Dir):]; {
	case rest == "meta.bin":
		return ix.metaSum, true
	case rest == "filters.bin":
		return ix.fSum, true
	case (strings.HasPrefix(rest, "d/") || strings.HasPrefix(rest, "x/")) && strings.HasSuffix(rest, ".bin"):
		return ix.recSum(rest)
	}
	if s := ix.byName[name]; s != nil {
		return binary.LittleEndian.Uint64(s.sum[8:]), true
	}
	return 0, false
}

func sum64(data []byte) uint64 {
	h := sha256.Sum256(data)
	return binary.LittleEndian.Uint64(h[:])
}

// bloated reports whether words no page has any more have piled up, so
// that starting afresh is better than keeping them.
func (ix *builder) bloated() bool {
	dead := len(ix.terms) - ix.live
	return dead > 20000 && dead > ix.live
}

func sameDoc(a, b *Doc) bool {
	upd := b.Updated
	if upd.IsZero() {
		upd = b.Date
	}
	return a.URL == b.URL && a.Title == b.Title && a.Section == b.Section && a.SectionTitle == b.SectionTitle &&
		a.Date.Equal(b.Date) && a.Updated.Equal(upd) && a.Summary == b.Summary && a.Text == b.Text &&
		slices.Equal(a.Headings, b.Headings) && slices.Equal(a.Topics, b.Topics)
}

func cmpU32(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// What changed in a term: its pages or their codes, or positions.
const (
	dirtyPages = 1
	dirtyPos   = 2
)

func (ix *builder) markDirty(t uint32, what uint8) {
	ts := ix.terms[t]
	if !ts.touched {
		ts.touched = true
		ts.wasLive = len(ts.posts) > 0
		ix.touched = append(ix.touched, t)
	}
	ts.dirty |= what
}

// dirty is what changed in any of terms.
func (ix *builder) dirty(terms []uint32) uint8 {
	d := uint8(0)
	for _, t := range terms {
		d |= ix.terms[t].dirty
	}
	return d
}

// posStart is where the positions of the term's i-th page start in ts.pos.
func (ts *termState) posStart(i int) int {
	if i == 0 {
		return 0
	}
	return int(ts.posts[i-1].end)
}

// setPos puts pos as the positions of the term's i-th page, moving those of
// the pages after it.
func (ts *termState) setPos(i int, pos []byte) {
	start, end := ts.posStart(i), int(ts.posts[i].end)
	if d := len(pos) - (end - start); d != 0 {
		ts.pos = slices.Replace(ts.pos, start, end, pos...)
		for j := i; j < len(ts.posts); j++ {
			ts.posts[j].end = uint32(int(ts.posts[j].end) + d)
		}
	} else {
		copy(ts.pos[start:end], pos)
	}
}

// replace puts page b where a was, under the same id.
func (ix *builder) replace(a, b *docEntry, id uint32) {
	find := func(ts *termState) (int, bool) {
		return slices.BinarySearchFunc(ts.posts, id, func(x post, id uint32) int { return cmpU32(x.doc, id) })
	}
	i, j := 0, 0
	for i < len(a.terms) || j < len(b.terms) {
		switch {
		case j == len(b.terms) || i < len(a.terms) && a.terms[i] < b.terms[j]:
			ts := ix.terms[a.terms[i]]
			ix.markDirty(a.terms[i], dirtyPages|dirtyPos) // before the change: it notes whether the term had pages
			if at, ok := find(ts); ok {
				ts.setPos(at, nil)
				ts.posts = slices.Delete(ts.posts, at, at+1)
			}
			i++
		case i == len(a.terms) || b.terms[j] < a.terms[i]:
			ts := ix.terms[b.terms[j]]
			ix.markDirty(b.terms[j], dirtyPages|dirtyPos)
			at, _ := find(ts)
			start := ts.posStart(at)
			ts.posts = slices.Insert(ts.posts, at, post{doc: id, end: uint32(start), code: b.codes[j]})
			ts.setPos(at, b.posOf(j))
			j++
		default:
			ts := ix.terms[b.terms[j]]
			at, _ := find(ts)
			if ts.posts[at].code != b.codes[j] {
				ts.posts[at].code = b.codes[j]
				ix.markDirty(b.terms[j], dirtyPages)
			}
			if pos := b.posOf(j); !bytes.Equal(ts.pos[ts.posStart(at):ts.posts[at].end], pos) {
				ts.setPos(at, pos)
				ix.markDirty(b.terms[j], dirtyPos)
			}
			i++
			j++
		}
	}
}

// updateVocabulary keeps ix.sorted, the live terms in order, up to date
// with the terms that gained their first page or lost their last.
func (ix *builder) updateVocabulary() {
	var born, died []uint32
	for _, t := range ix.touched {
		ts := ix.terms[t]
		if live := ts.pages() > 0; live != ts.wasLive {
			if live {
				born = append(born, t)
			} else {
				died = append(died, t)
			}
		}
	}
	ix.live += len(born) - len(died)
	byTerm := func(a, b uint32) int { return strings.Compare(ix.terms[a].term, ix.terms[b].term) }
	if len(born)+len(died) > 64 {
		ix.sorted = ix.sorted[:0]
		for t, ts := range ix.terms {
			if ts.pages() > 0 {
				ix.sorted = append(ix.sorted, uint32(t))
			}
		}
		slices.SortFunc(ix.sorted, byTerm)
		return
	}
	for _, t := range died {
		if at, ok := slices.BinarySearchFunc(ix.sorted, t, byTerm); ok {
			ix.sorted = slices.Delete(ix.sorted, at, at+1)
		}
	}
	for _, t := range born {
		at, _ := slices.BinarySearchFunc(ix.sorted, t, byTerm)
		ix.sorted = slices.Insert(ix.sorted, at, t)
	}
}

// chunkTerms is the power of two whose multiples, as term hashes, start
// shards: about twice the number of terms of the given total size that
// make shardTarget (a run is cut where it would pass shardTarget anyway).
func chunkTerms(total, terms int) uint32 {
	if total == 0 || terms == 0 {
		return 1
	}
	e := math.Ceil(math.Log2(float64(shardTarget)*float64(terms)/float64(total))) + 1
	return 1 << uint(min(max(e, 0), 16))
}

// intern returns the id of term t.
func (ix *builder) intern(t string) uint32 {
	ix.termsMu.Lock()
	defer ix.termsMu.Unlock()
	if id, ok := ix.vocab[t]; ok {
		return id
	}
	id := uint32(len(ix.terms))
	ix.vocab[t] = id
	ix.terms = append(ix.terms, &termState{term: t, hash: termHash(t)})
	return id
}

// termHash is FNV-1a, mixed so that its low bits are even.
func termHash(t string) uint32 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(t); i++ {
		h ^= uint64(t[i])
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return uint32(h)
}

// worker holds one goroutine's scratch space, kept between builds.
type worker struct {
	words  map[string]int32 // folded word → term id, -1 when not indexed
	recent [4096]recentWord // see term
	slot   []int32          // term id → 1 + its index in acc, for the page being read
	acc    []accum
	toks   []uint64 // index in acc << 32 | position, in order
	keys   []uint64
	keys2  []uint64 // scratch for unpack's merge
	start  []int32
	plist  []uint32
	buf    []byte
	out    []byte
	out2   []byte
	zout   []byte
	zbuf   bytes.Buffer
	zw     map[int]*gzip.Writer

	// A Stream's: its lists of pages (see termList), by term id; and
	// unpack's scratch space.
	lists []termList
	ends  []uint32
	posts []post
	pos   []byte
}

func newWorker() *worker {
	// buf's capacity is at least what term reads of a word.
	return &worker{words: map[string]int32{}, buf: make([]byte, 0, 64), zw: map[int]*gzip.Writer{}}
}

type accum struct {
	id   uint32
	code uint8
	tf   uint8
	npos int32
}

// parallel runs f(w, 0..n-1) on every core, each goroutine with its
// worker, kept between builds.
func (ix *builder) parallel(n int, f func(w *worker, i int)) {
	for len(ix.workers) < parallel.Workers(n) {
		ix.workers = append(ix.workers, newWorker())
	}
	parallel.DoWorker(n, func(w, i int) { f(ix.workers[w], i) })
}

// term is the id of the term a folded word is indexed under, or -1.
//
// Most words recur, and most are short: a small table answers a word of
// up to 16 bytes by comparing two machine words, without hashing its bytes
// one at a time or following a pointer to them, and the map the others
// (on the 1,000-page corpus, 3% of its 785,000 words). With the scanner
// below, that took reading the words from 300 to 222 million instructions
// there (BenchmarkScan under valgrind --tool=callgrind), against a table
// of pointers indexed by FNV-1a. The word must be the start of a buffer of
// at least 16 bytes (wordScanner's, see newWorker); what follows it there
// is masked off.
func (w *worker) term(ix *builder, word []byte) int32 {
	n := len(word)
	if n > 16 || cap(word) < 16 {
		return w.lookup(ix, word)
	}
	b := word[:16]
	// Masks without branches (a shift by 64 or more gives 0): the first
	// min(n, 8) bytes, then n-8 of the next 8 (none for n <= 8).
	k0 := binary.LittleEndian.Uint64(b) & (1<<(8*uint(n)) - 1)
	k1 := binary.LittleEndian.Uint64(b[8:]) & (^uint64(0) >> (128 - 8*uint(n)))
	// No word has a zero byte, so k0 and k1 are the word and an empty slot
	// (k0 zero) matches none.
	// Two slots a word, side by side: a word new to them takes the first
	// and moves the one there to the second, so two common words whose
	// hashes meet both stay (with one slot each, pairs such as "change"
	// and "changed" took turns: 23,800 words a build of the 1,000-page
	// corpus went to the map, against 1,000 different words).
	pair := (k0 ^ k1*0x9e3779b97f4a7c15) * 0xff51afd7ed558ccd >> (64 - 12) &^ 1
	first, second := &w.recent[pair], &w.recent[pair+1]
	if first.k0 == k0 && first.k1 == k1 {
		return first.id
	}
	if second.k0 == k0 && second.k1 == k1 {
		return second.id
	}
	id := w.lookup(ix, word)
	*second = *first
	*first = recentWord{k0: k0, k1: k1, id: id}
	return id
}

// recentWord is a word of up to 16 bytes, little-endian, zero-padded, and
// its term (see term).
type recentWord struct {
	k0, k1 uint64
	id     int32
}

// lookup is term's answer without the table.
func (w *worker) lookup(ix *builder, word []byte) int32 {
	if id, ok := w.words[string(word)]; ok {
		return id
	}
	id := int32(-1)
	if t, skip := normalizeFolded(string(word)); !skip {
		id = int32(ix.intern(t))
	}
	w.words[string(word)] = id
	return id
}

// local is the index in w.acc of term id, added if need be.
func (w *worker) local(id int32) int {
	if int(id) >= len(w.slot) {
		w.slot = append(w.slot, make([]int32, int(id)+1-len(w.slot)+len(w.slot)/2+64)...)
	}
	s := w.slot[id]
	if s == 0 {
		w.acc = append(w.acc, accum{id: uint32(id)})
		s = int32(len(w.acc))
		w.slot[id] = s
	}
	return int(s - 1)
}

// indexDoc reads a page for an Index: its terms, sorted by id, each with
// its code and positions, and its record. The entry keeps a copy of the
// page to compare with the next build's.
func (ix *builder) indexDoc(w *worker, d *Doc) *docEntry {
	e := &docEntry{doc: *d}
	e.doc.Headings, e.doc.Topics = slices.Clone(d.Headings), slices.Clone(d.Topics)
	if e.doc.Updated.IsZero() {
		e.doc.Updated = e.doc.Date
	}
	ix.scan(w, d)
	e.slugs = topicSlugs(d.Topics)

	// The terms by id.
	n := len(w.acc)
	w.keys = w.keys[:0]
	for l, a := range w.acc {
		w.keys = append(w.keys, uint64(a.id)<<32|uint64(l))
	}
	slices.Sort(w.keys)
	e.terms = make([]uint32, n)
	e.codes = make([]uint8, n)
	e.posEnd = make([]uint32, n)
	b := w.out[:0]
	for i, key := range w.keys {
		l := int(uint32(key))
		a := &w.acc[l]
		e.terms[i] = a.id
		e.codes[i] = a.code | a.tf<<tfShift
		b = w.appendPos(b, l)
		e.posEnd[i] = uint32(len(b))
	}
	e.pos = bytes.Clone(b)
	w.out = b
	e.rec = w.record(ix.cache, &e.doc)
	return e
}

// scan reads a page's words into w.acc, one entry a term with its fields,
// body count and number of positions, and w.plist, the positions grouped by
// term (see appendPos).
func (ix *builder) scan(w *worker, d *Doc) {
	w.acc, w.toks = w.acc[:0], w.toks[:0]
	pos := 0
	for _, f := range [...]struct {
		text  string
		field uint8
	}{{d.Title, fieldTitle}, {d.Summary, fieldSummary}, {d.Text, fieldBody}} {
		s := wordScanner{text: f.text, pos: pos, buf: w.buf}
		last := -1
		for {
			word, p, ok := s.next()
			if !ok {
				break
			}
			last = p
			id := w.term(ix, word)
			if id < 0 {
				continue
			}
			l := w.local(id)
			a := &w.acc[l]
			a.code |= f.field
			if f.field == fieldBody && a.tf < maxTF {
				a.tf++
			}
			a.npos++
			w.toks = append(w.toks, uint64(l)<<32|uint64(uint32(p)))
		}
		w.buf = s.buf
		if last >= 0 {
			pos = last + fieldGap
		}
	}
	// Headings and topics mark their words' fields, with no positions.
	for _, f := range [...]struct {
		texts []string
		field uint8
	}{{d.Headings, fieldHeading}, {d.Topics, fieldTopic}} {
		for _, text := range f.texts {
			s := wordScanner{text: text, buf: w.buf}
			for {
				word, _, ok := s.next()
				if !ok {
					break
				}
				if id := w.term(ix, word); id >= 0 {
					w.acc[w.local(id)].code |= f.field
				}
			}
			w.buf = s.buf
		}
	}

	// Group the positions by term (they come in order).
	n := len(w.acc)
	w.start = slices.Grow(w.start[:0], n+1)[:n+1]
	at := int32(0)
	for l := range w.acc {
		w.start[l] = at
		at += w.acc[l].npos
		w.slot[w.acc[l].id] = 0 // ready for the next page
	}
	w.start[n] = at
	w.plist = slices.Grow(w.plist[:0], int(at))[:at]
	for l := range w.acc {
		w.acc[l].npos = 0
	}
	for _, tk := range w.toks {
		l := tk >> 32
		a := &w.acc[l]
		w.plist[w.start[l]+a.npos] = uint32(tk)
		a.npos++
	}
}

// appendPos appends the positions of w.acc[l] as the index stores them:
// their count, then the positions delta-coded, as uvarints.
func (w *worker) appendPos(b []byte, l int) []byte {
	ps := w.plist[w.start[l]:w.start[l+1]]
	b = binary.AppendUvarint(b, uint64(len(ps)))
	prev := uint32(0)
	for _, x := range ps {
		b = binary.AppendUvarint(b, uint64(x-prev))
		prev = x
	}
	return b
}

func topicSlugs(topics []string) []string {
	if len(topics) == 0 {
		return nil
	}
	slugs := make([]string, len(topics))
	for i, t := range topics {
		slugs[i] = content.Slugify(t)
	}
	return slugs
}

// encodeShard writes a shard's file, s/HASH.bin, two gzip members, each
// re-encoded only if what it holds changed:
//
//	terms: binFormat, count of terms, then for each term: its length and
//	bytes, its number of pages, the pages' ids delta-coded, then one code
//	byte a page;
//	positions: binFormat, count of terms, each term's length in bytes,
//	then for each term, for each of its pages: the count of positions and
//	the positions delta-coded.
//
// Every number is an unsigned varint. HASH is of the whole file.
func (ix *builder) encodeShard(w *worker, terms []uint32, prev *shardOut) *shardOut {
	s := &shardOut{terms: terms}
	w.posts, w.pos = w.posts[:0], w.pos[:0]
	for _, id := range terms {
		if ix.terms[id].n > 0 {
			ix.unpack(w, id)
		}
	}
	if ix.dropLists {
		defer func() {
			for _, id := range terms {
				ix.terms[id].posts, ix.terms[id].pos = nil, nil
			}
		}()
	}
	what := uint8(dirtyPages | dirtyPos)
	var file []byte
	if prev != nil {
		what = ix.dirty(terms)
		file = make([]byte, 0, len(prev.file)+len(prev.file)/8)
	}
	if what&dirtyPages == 0 {
		file = append(file, prev.file[:prev.tLen]...)
	} else {
		t := append(w.out[:0], binFormat)
		t = binary.AppendUvarint(t, uint64(len(terms)))
		for _, id := range terms {
			ts := ix.terms[id]
			t = binary.AppendUvarint(t, uint64(len(ts.term)))
			t = append(t, ts.term...)
			t = binary.AppendUvarint(t, uint64(len(ts.posts)))
			prev := uint32(0)
			for _, x := range ts.posts {
				t = binary.AppendUvarint(t, uint64(x.doc-prev))
				prev = x.doc
			}
			for _, x := range ts.posts {
				t = append(t, x.code)
			}
		}
		w.out = t
		w.zout = gzipHuffman(w.zout[:0], t)
		file = append(file, w.zout...)
	}
	s.tLen = len(file)
	if what&dirtyPos == 0 {
		file = append(file, prev.file[prev.tLen:]...)
	} else {
		p := append(w.out2[:0], binFormat)
		p = binary.AppendUvarint(p, uint64(len(terms)))
		for _, id := range terms {
			p = binary.AppendUvarint(p, uint64(len(ix.terms[id].pos)))
		}
		for _, id := range terms {
			p = append(p, ix.terms[id].pos...)
		}
		w.out2 = p
		w.zout = gzipHuffman(w.zout[:0], p)
		file = append(file, w.zout...)
	}
	if prev == nil {
		file = slices.Clip(file)
	}
	s.file = file
	sum := sha256.Sum256(file)
	s.sum = sum[:]
	s.name = hex.EncodeToString(s.sum[:5])
	s.path = Dir + "s/" + s.name + ".bin"
	return s
}

// buildFilters makes filters.bin, and the sections and topics for meta.bin
// (each named as on its newest page).
func (ix *builder) buildFilters(n int, page func(id int) pageInfo) {
	type list struct {
		key   string // "s" + section name or "t" + topic slug
		title string
		ids   []byte // JSON: the ids, delta-coded
		last  int
	}
	lists := map[string]*list{}
	add := func(kind byte, name, title string, id int) {
		l := lists[string(kind)+name]
		if l == nil {
			l = &list{key: string(kind) + name, last: 0}
			lists[l.key] = l
		} else if l.last == id && len(l.ids) > 0 {
			return // a topic named twice on one page
		} else {
			l.ids = append(l.ids, ',')
		}
		l.title = title
		l.ids = strconv.AppendInt(l.ids, int64(id-l.last), 10)
		l.last = id
	}
	for id := range n {
		p := page(id)
		if p.section != "" {
			add('s', p.section, p.sectionTitle, id)
		}
		for k, slug := range p.slugs {
			add('t', slug, p.topics[k], id)
		}
	}
	all := make([]*list, 0, len(lists))
	for _, l := range lists {
		all = append(all, l)
	}
	slices.SortFunc(all, func(a, b *list) int { return strings.Compare(a.key, b.key) })
	ix.sections = ix.sections[:0]
	raw := []byte(`{"sections":{`)
	kind := byte('s')
	first := true
	for _, l := range all {
		if l.key[0] != kind {
			raw = append(raw, `},"topics":{`...)
			kind, first = l.key[0], true
		}
		if !first {
			raw = append(raw, ',')
		}
		first = false
		raw = appendJSONString(raw, l.key[1:])
		raw = append(raw, ":["...)
		raw = append(raw, l.ids...)
		raw = append(raw, ']')
		ix.sections = append(ix.sections, section{l.key, l.title})
	}
	if kind == 's' {
		raw = append(raw, `},"topics":{`...)
	}
	raw = append(raw, "}}"...)
	if !bytes.Equal(raw, ix.fRaw) {
		ix.fRaw = raw
		ix.filters = bytes.Clone(gzipHuffman(nil, raw))
		ix.fSum = sum64(ix.filters)
	}
}

type meta struct {
	Format   int               `json:"format"`
	Version  string            `json:"version"`
	Docs     int               `json:"docs"`
	Bucket   int               `json:"bucket"`
	Pack     int               `json:"pack"`
	First    []string          `json:"first"`
	Shards   []string          `json:"shards"`
	TLen     []int             `json:"tlen"`
	Sections [][2]string       `json:"sections"`
	Topics   [][2]string       `json:"topics"`
	Stop     []string          `json:"stop"`
	Spell    map[string]string `json:"spell"`
}

func mustJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only plain values are encoded
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

// compress gzips data at level into a new slice. The header carries no
// name and no time, so the same data gives the same bytes.
func (w *worker) compress(level int, data []byte) []byte {
	zw := w.zw[level]
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(nil, level)
		w.zw[level] = zw
	}
	w.zbuf.Reset()
	zw.Reset(&w.zbuf)
	zw.Write(data)
	zw.Close()
	return bytes.Clone(w.zbuf.Bytes())
}

func compressOnce(level int, data []byte) []byte {
	w := worker{zw: map[int]*gzip.Writer{}}
	return w.compress(level, data)
}
