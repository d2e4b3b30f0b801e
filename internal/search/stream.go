package search

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Key is what fixes a page's id before its text is known: its address and
// dates, as its Doc will have them.
type Key struct {
	URL     string
	Date    time.Time
	Updated time.Time // zero means Date
}

// Stream builds the index files of a set of pages known in advance, taking
// each page's text as soon as it is ready, from any number of goroutines,
// so that a one-shot build need not hold every page's text until the end:
// a page's words go straight into posting lists (those of the worker that
// adds it, see termList), its entry and its compressed text are kept until
// the last page of their bucket and pack has come, then handed to emit in
// those files (or kept for Finish), and nothing else of its text is kept. Page ids depend only on the pages'
// Keys, so they are fixed from the start.
// The files are byte for byte those [Build] gives for the same pages.
//
// A Stream is for one build; an [Index] is what keeps its work for the
// next.
type Stream struct {
	ix      *builder
	keys    []Key
	ids     []uint32      // keys[i]'s page id
	pages   []streamPage  // by id
	added   []atomic.Bool // by i
	pending atomic.Int64  // pages not yet added
	emit    func(name string, data []byte)
	// left counts the pages not yet added of each bucket, then of each
	// pack (from nb on), when there is an emit.
	left []atomic.Int32
	nb   int

	mu     sync.Mutex // guards what follows
	free   []*worker
	err    error
	done   bool
	facets []pageInfo        // the distinct sections and topics of pages
	facet  map[string]uint32 // their key (see add) → index in facets
}

// streamPage is what a Stream keeps of a page: what meta.bin and
// filters.bin need, and its record until its files are handed out.
type streamPage struct {
	rec   pageRec // meta and text dropped once their files are handed out
	facet uint32  // its section and topics, in Stream.facets
}

// NewStream starts the index of the pages keys lists. If emit is not nil,
// each bucket (d/B.bin) and pack (x/K.bin) is given to it as soon as its
// last page is added, from the goroutine that added that page, and is not
// kept; emit must be safe to call from several goroutines at once, and may
// keep data.
func NewStream(keys []Key, emit func(name string, data []byte)) (*Stream, error) {
	s := &Stream{
		ix:    &builder{byURL: map[string]*docEntry{}, vocab: map[string]uint32{}, shards: map[uint32]*shardOut{}},
		keys:  keys,
		ids:   make([]uint32, len(keys)),
		pages: make([]streamPage, len(keys)),
		added: make([]atomic.Bool, len(keys)),
		emit:  emit,
		facet: map[string]uint32{},
	}
	s.pending.Store(int64(len(keys)))

	// Page ids as Build numbers them: oldest first by the date last
	// announced, then by address.
	order := make([]int, len(keys))
	upd := make([]time.Time, len(keys))
	seen := make(map[string]bool, len(keys))
	for i, k := range keys {
		if seen[k.URL] {
			return nil, fmt.Errorf("search: two pages at %s", k.URL)
		}
		seen[k.URL] = true
		order[i] = i
		upd[i] = k.Updated
		if upd[i].IsZero() {
			upd[i] = k.Date
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := upd[a].Compare(upd[b]); c != 0 {
			return c
		}
		return strings.Compare(keys[a].URL, keys[b].URL)
	})
	for id, i := range order {
		s.ids[i] = uint32(id)
	}
	if emit != nil {
		n := len(keys)
		s.nb = (n + bucketSize - 1) / bucketSize
		s.left = make([]atomic.Int32, s.nb+(n+packSize-1)/packSize)
		for b := range s.nb {
			s.left[b].Store(int32(min(n, (b+1)*bucketSize) - b*bucketSize))
		}
		for k := range len(s.left) - s.nb {
			s.left[s.nb+k].Store(int32(min(n, (k+1)*packSize) - k*packSize))
		}
	}
	return s, nil
}

// handOut gives emit bucket or pack f (kind "d/" or "x/"), every page of
// which has been added, and lets go of what the file holds.
func (s *Stream) handOut(w *worker, kind string, f int) {
	size := bucketSize
	if kind == "x/" {
		size = packSize
	}
	lo, hi := f*size, min(len(s.pages), (f+1)*size)
	pages := make([]pageInfo, hi-lo)
	var data []byte
	// Only the field of the kind is read: the other may be being let go
	// of by another goroutine.
	if kind == "x/" {
		for id := lo; id < hi; id++ {
			pages[id-lo].rec.text = s.pages[id].rec.text
		}
		data = packFile(pages)
	} else {
		for id := lo; id < hi; id++ {
			pages[id-lo].rec.meta = s.pages[id].rec.meta
		}
		data = w.bucketFile(pages)
	}
	s.emit(recName(kind, f), data)
	for id := lo; id < hi; id++ {
		if kind == "x/" {
			s.pages[id].rec.text = nil
		} else {
			s.pages[id].rec.meta = nil
		}
	}
}

// UseCache makes s take compressed page texts from c, and put there those
// it makes. Call it before the first Add.
func (s *Stream) UseCache(c Cache) { s.ix.cache = c }

// Add indexes page i of the Keys given to NewStream. d's address and dates
// must be those of its Key. Add may be called from several goroutines at
// once, each page once. An error is also reported by Finish.
func (s *Stream) Add(i int, d Doc) error {
	if err := s.add(i, &d); err != nil {
		s.mu.Lock()
		if s.err == nil {
			s.err = err
		}
		s.mu.Unlock()
		return err
	}
	return nil
}

func (s *Stream) add(i int, d *Doc) error {
	if i < 0 || i >= len(s.keys) {
		return fmt.Errorf("search: page %d added, but there are %d", i, len(s.keys))
	}
	if d.Updated.IsZero() {
		d.Updated = d.Date
	}
	k := s.keys[i]
	if k.Updated.IsZero() {
		k.Updated = k.Date
	}
	if d.URL != k.URL || !d.Date.Equal(k.Date) || !d.Updated.Equal(k.Updated) {
		return fmt.Errorf("search: page %d: %s, dated %v, updated %v, was announced as %s, %v, %v",
			i, d.URL, d.Date, d.Updated, k.URL, k.Date, k.Updated)
	}
	w := s.worker()
	if w == nil {
		return fmt.Errorf("search: %s added after Finish", d.URL)
	}
	defer s.release(w)
	if s.added[i].Swap(true) {
		return fmt.Errorf("search: %s added twice", d.URL)
	}
	id := s.ids[i]
	ix := s.ix
	ix.scan(w, d)

	// The page's entry in each term's list, in this worker's lists (see
	// termList).
	top := uint32(0)
	for _, a := range w.acc {
		top = max(top, a.id)
	}
	if n := int(top) + 1; len(w.lists) < n {
		w.lists = append(w.lists, make([]termList, n-len(w.lists)+n/4)...)
	}
	size := 0
	for l := range w.acc {
		a := &w.acc[l]
		tl := &w.lists[a.id]
		// Appended to a copy of the slice, stored once: each store of a
		// slice to the heap is a write barrier while the collector runs.
		raw := tl.raw
		before := len(raw)
		delta := int64(id) - int64(tl.last)
		raw = binary.AppendUvarint(raw, uint64(delta<<1^delta>>63)) // zigzag
		raw = append(raw, a.code|a.tf<<tfShift)
		raw = w.appendPos(raw, l)
		tl.raw = raw
		tl.last = id
		tl.n++
		size += len(raw) - before
	}
	if size >= 1<<30 {
		return fmt.Errorf("search: %s: too long", d.URL)
	}

	// What filters.bin and meta.bin need of the page, and its record.
	p := &s.pages[id]
	p.facet = s.facetOf(w, d)
	p.rec = w.record(s.ix.cache, d)
	if s.emit != nil {
		// The last page of a bucket or pack to come hands its file out.
		if b := id / bucketSize; s.left[b].Add(-1) == 0 {
			s.handOut(w, "d/", int(b))
		}
		if k := id / packSize; s.left[s.nb+int(k)].Add(-1) == 0 {
			s.handOut(w, "x/", int(k))
		}
	}
	s.pending.Add(-1)
	return nil
}

// facetOf is the index in s.facets of the page's section and topics, which
// many pages share.
func (s *Stream) facetOf(w *worker, d *Doc) uint32 {
	key := append(append(append(w.buf[:0], d.Section...), 0), d.SectionTitle...)
	for _, t := range d.Topics {
		key = append(append(key, 0), t...)
	}
	w.buf = key
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.facet[string(key)]; ok {
		return f
	}
	f := uint32(len(s.facets))
	s.facet[string(key)] = f
	s.facets = append(s.facets, pageInfo{section: d.Section, sectionTitle: d.SectionTitle,
		topics: slices.Clone(d.Topics), slugs: topicSlugs(d.Topics)})
	return f
}

// Finish returns the index files not yet handed to emit: the shards,
// filters.bin, meta.bin, and the buckets and packs if there was no emit.
// Call it once every Add has returned. It fails if an Add failed or a page was
// never added. The Stream cannot be used afterwards.
func (s *Stream) Finish() (map[string][]byte, error) {
	s.mu.Lock()
	err, done := s.err, s.done
	s.done = true
	s.mu.Unlock()
	switch {
	case done:
		return nil, fmt.Errorf("search: Finish called twice")
	case err != nil:
		return nil, err
	case s.pending.Load() != 0:
		for i := range s.added {
			if !s.added[i].Load() {
				return nil, fmt.Errorf("search: %s never added", s.keys[i].URL)
			}
		}
	}
	ix := s.ix
	ix.workers, ix.lists = s.free, s.free

	// Every term is new; each is unpacked (see unpack) only when its shard
	// is written, and let go of after.
	ix.dropLists = true
	for _, w := range s.free {
		for t := range w.lists {
			if n := w.lists[t].n; n > 0 {
				ix.terms[t].n += n
			}
		}
	}
	for t, ts := range ix.terms {
		if ts.n > 0 {
			ix.markDirty(uint32(t), dirtyPages|dirtyPos)
			ts.wasLive = false
		}
	}
	files := ix.output(len(s.pages), func(id int) pageInfo {
		p := &s.pages[id]
		info := s.facets[p.facet]
		info.rec = p.rec
		return info
	}, true)
	s.ix, s.pages = nil, nil
	return files, nil
}

// worker takes a worker for one page; nil once Finish has begun.
func (s *Stream) worker() *worker {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return nil
	}
	if n := len(s.free); n > 0 {
		w := s.free[n-1]
		s.free = s.free[:n-1]
		return w
	}
	return newWorker()
}

func (s *Stream) release(w *worker) {
	s.mu.Lock()
	s.free = append(s.free, w)
	s.mu.Unlock()
}

// sortRun sorts one worker's pages of a term. A site adds its pages
// newest first (internal/site/plan.go), so a worker's pages mostly come
// in falling id order: reversed, they need little or no sorting.
func sortRun(keys []uint64) {
	if len(keys) > 1 && keys[0] > keys[len(keys)-1] {
		slices.Reverse(keys)
	}
	if !slices.IsSorted(keys) {
		slices.Sort(keys)
	}
}

// mergeRuns merges keys, sorted runs each ending where the next run's
// first key is smaller than the key before, into one sorted slice, using
// scratch; it returns the sorted slice and the other, for scratch next
// time. Sorting each worker's pages of a term, then merging, is cheaper
// than sorting them all at once: slices.Sort sees two nearly sorted runs
// as no pattern at all. On the 1,000-page corpus fed newest first to two
// workers (BenchmarkStream1k under valgrind --tool=callgrind, GOGC=off
// GOMAXPROCS=2, 3 builds less 1, over 2), unpack and its sorting took
// 80.4 million instructions a build with one slices.Sort of every list
// together, and 63.8 million so. TestMergeRuns holds it to slices.Sort.
func mergeRuns(keys, scratch []uint64) (sorted, spare []uint64) {
	for {
		// One pass: merge each pair of runs from the start into scratch.
		scratch = scratch[:0]
		out := 0 // runs in scratch
		for i := 0; i < len(keys); {
			out++
			a := runEnd(keys, i)
			if a == len(keys) {
				scratch = append(scratch, keys[i:]...)
				break
			}
			b := runEnd(keys, a)
			scratch = mergeTwo(scratch, keys[i:a], keys[a:b])
			i = b
		}
		keys, scratch = scratch, keys
		if out <= 1 {
			return keys, scratch
		}
	}
}

// runEnd is the end of the sorted run of keys that starts at i.
func runEnd(keys []uint64, i int) int {
	for i++; i < len(keys) && keys[i-1] < keys[i]; i++ {
	}
	return i
}

// mergeTwo appends to dst the keys of sorted a and b, in order.
func mergeTwo(dst, a, b []uint64) []uint64 {
	for len(a) > 0 && len(b) > 0 {
		if a[0] < b[0] {
			dst = append(dst, a[0])
			a = a[1:]
		} else {
			dst = append(dst, b[0])
			b = b[1:]
		}
	}
	dst = append(dst, a...)
	return append(dst, b...)
}

// termList is a term's pages in the order a worker of a Stream added them,
// each as its id less the one before (zigzag-coded: pages come in any
// order), the code byte and its positions as appendPos writes them. Each
// worker keeps its own list of every term, so that adding a page takes no
// lock and writes nothing another core is writing, for 32 bytes a term per
// goroutine adding pages at once. With one list a term under a lock, and
// each term's pages unpacked into slices of their own,
// BenchmarkIndex10k took 0.86-1.02 CPU-seconds and allocated 176 MB a
// build on two cores; with these lists, unpacked into scratch space,
// 0.72-0.81 and 146 MB.
type termList struct {
	raw  []byte
	last uint32 // the id of the page added last
	n    int32  // pages in raw
}

// unpack lays out a term of a Stream as an Index keeps it: its pages in id
// order, with their positions, from the lists of every worker, in w's
// scratch space (w.posts and w.pos, until the next shard), and lets go of
// the lists.
func (ix *builder) unpack(w *worker, t uint32) {
	// keys: page id << 32 | index in ends; ends: for each page, its list,
	// where its code is there, and where its positions end.
	w.keys, w.ends = w.keys[:0], w.ends[:0]
	size := 0
	runs := 0 // lists with pages
	for k, lw := range ix.lists {
		if int(t) >= len(lw.lists) {
			continue
		}
		raw := lw.lists[t].raw
		if len(raw) > 0 {
			runs++
		}
		from := len(w.keys)
		doc := int64(0)
		for off := 0; off < len(raw); {
			zz, n := binary.Uvarint(raw[off:])
			off += n
			doc += int64(zz>>1) ^ -int64(zz&1)
			w.keys = append(w.keys, uint64(doc)<<32|uint64(len(w.keys)))
			code := off
			off++
			count, n := binary.Uvarint(raw[off:])
			off += n
			for range count {
				for raw[off] >= 0x80 {
					off++
				}
				off++
			}
			w.ends = append(w.ends, uint32(k), uint32(code), uint32(off))
			size += off - code - 1
		}
		sortRun(w.keys[from:])
	}
	if runs > 1 {
		w.keys, w.keys2 = mergeRuns(w.keys, w.keys2[:0])
	}
	ts := ix.terms[t]
	p0, q0 := len(w.posts), len(w.pos)
	w.posts = slices.Grow(w.posts, len(w.keys))
	w.pos = slices.Grow(w.pos, size)
	for _, key := range w.keys {
		j := 3 * uint32(key)
		raw := ix.lists[w.ends[j]].lists[t].raw
		code, end := w.ends[j+1], w.ends[j+2]
		w.pos = append(w.pos, raw[code+1:end]...)
		w.posts = append(w.posts, post{doc: uint32(key >> 32), end: uint32(len(w.pos) - q0), code: raw[code]})
	}
	ts.posts, ts.pos = w.posts[p0:len(w.posts):len(w.posts)], w.pos[q0:len(w.pos):len(w.pos)]
	ts.n = 0
	for _, lw := range ix.lists {
		if int(t) < len(lw.lists) {
			lw.lists[t] = termList{}
		}
	}
}
