package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"strconv"
	"unicode/utf8"

	"lmcpress/internal/content"
)

// What a result shows of a page is in two files, so that a build writes a
// few hundred of them, not one a page (creating a file costs a fresh build
// more than writing its bytes), and a visitor still downloads little more
// than the results shown:
//
//   - d/B.bin, a bucket: the JSON array of the entries of pages
//     B×bucketSize to B×bucketSize+bucketSize-1 (address, title, section,
//     dates), gzipped as one;
//   - x/K.bin, a pack: the summaries and texts of pages K×packSize
//     onwards, each page's gzipped on its own (Huffman codes only, see
//     gzipHuffman), after a header of
//     little-endian uint32 offsets from the start of the file, one a page
//     and one for the end, so that the script reads one page's entry with
//     two HTTP range requests.
//
// Buckets are small because a page of results needs up to ten of them
// whole; packs can be large because only the bytes asked for are sent.
const (
	bucketSize = 16
	packSize   = 256
)

// pageRec is one page's share of the record files, and their fingerprints.
type pageRec struct {
	meta    []byte // its entry in its bucket, JSON
	text    []byte // its summary and text, JSON gzipped, in its pack
	metaSum uint64
	textSum uint64
}

// record makes a page's record; d.Updated is set. With a cache, a text
// compressed by an earlier build is taken from it.
func (w *worker) record(c Cache, d *Doc) pageRec {
	var r pageRec
	w.out2 = appendMeta(w.out2[:0], d)
	r.meta = slices.Clone(w.out2)
	r.metaSum = sum64(r.meta)
	w.out2 = appendText(w.out2[:0], d)
	var key [32]byte
	if c != nil {
		h := sha256.New()
		h.Write([]byte("lmcpress search text\x00"))
		h.Write(w.out2)
		h.Sum(key[:0])
		r.text, _ = c.Get(key)
	}
	if r.text == nil {
		w.zout = gzipHuffman(w.zout[:0], w.out2)
		r.text = bytes.Clone(w.zout)
		if c != nil {
			c.Put(key, r.text)
		}
	}
	r.textSum = sum64(r.text)
	return r
}

// Cache keeps compressed page texts between builds: compressing them is
// most of the work of indexing a page that has not changed since.
// internal/cache implements it. Keys are hashes of what made the data; Put
// must not keep data after it returns, and Get's data is the caller's.
type Cache interface {
	Get(key [32]byte) ([]byte, bool)
	Put(key [32]byte, data []byte)
}

// recFile is a bucket or a pack as the last build made it.
type recFile struct {
	sums []uint64 // its pages' metaSum (bucket) or textSum (pack)
	data []byte   // nil when a Stream has handed it out
	sum  uint64
}

// recordFiles lays out the buckets (kind "d/") or the packs ("x/") of n
// pages, adds them to files, and returns them for the next build: a file
// whose pages have the fingerprints they had in prev is kept as it was,
// and one whose pages a Stream has handed out already is left out.
func (ix *builder) recordFiles(files map[string][]byte, kind string, pages []pageInfo, prev []*recFile) []*recFile {
	size := bucketSize
	if kind == "x/" {
		size = packSize
	}
	n := len(pages)
	out := make([]*recFile, (n+size-1)/size)
	var todo []int
	for f := range out {
		lo, hi := f*size, min(n, (f+1)*size)
		sums := make([]uint64, hi-lo)
		handed := false
		for id := lo; id < hi; id++ {
			p := &pages[id]
			if kind == "x/" {
				sums[id-lo] = p.rec.textSum
				handed = handed || p.rec.text == nil
			} else {
				sums[id-lo] = p.rec.metaSum
				handed = handed || p.rec.meta == nil
			}
		}
		if f < len(prev) && slices.Equal(prev[f].sums, sums) {
			out[f] = prev[f]
			continue
		}
		out[f] = &recFile{sums: sums}
		if !handed {
			todo = append(todo, f)
		}
	}
	ix.parallel(len(todo), func(w *worker, j int) {
		f := todo[j]
		lo, hi := f*size, min(n, (f+1)*size)
		r := out[f]
		if kind == "x/" {
			r.data = packFile(pages[lo:hi])
		} else {
			r.data = w.bucketFile(pages[lo:hi])
		}
		r.sum = sum64(r.data)
	})
	for f, r := range out {
		if r.data != nil {
			files[recName(kind, f)] = r.data
		}
	}
	return out
}

func recName(kind string, f int) string { return Dir + kind + strconv.Itoa(f) + ".bin" }

// recSum is the fingerprint of a bucket or pack the last build made, by
// its name's rest after Dir ("d/3.bin").
func (ix *builder) recSum(rest string) (uint64, bool) {
	var files []*recFile
	switch rest[:2] {
	case "d/":
		files = ix.buckets
	case "x/":
		files = ix.packs
	default:
		return 0, false
	}
	f, err := strconv.Atoi(rest[2 : len(rest)-len(".bin")])
	if err != nil || f < 0 || f >= len(files) || recName(rest[:2], f) != Dir+rest || files[f].data == nil {
		return 0, false
	}
	return files[f].sum, true
}

// bucketFile is a d/ file: the JSON array of the pages' entries, gzipped.
func (w *worker) bucketFile(pages []pageInfo) []byte {
	b := append(w.out2[:0], '[')
	for i := range pages {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, pages[i].rec.meta...)
	}
	b = append(b, ']')
	w.out2 = b
	return w.compress(levelRecords, b)
}

// packFile is an x/ file: the header of offsets, then the pages' texts.
func packFile(pages []pageInfo) []byte {
	head := 4 * (len(pages) + 1)
	size := head
	for i := range pages {
		size += len(pages[i].rec.text)
	}
	b := make([]byte, head, size)
	at := uint32(head)
	for i := range pages {
		binary.LittleEndian.PutUint32(b[4*i:], at)
		at += uint32(len(pages[i].rec.text))
	}
	binary.LittleEndian.PutUint32(b[4*len(pages):], at)
	for i := range pages {
		b = append(b, pages[i].rec.text...)
	}
	return b
}

// appendMeta writes a page's entry in its bucket: {"u":url, "t":title,
// "s":section title, "d":date, "up":updated}.
func appendMeta(b []byte, d *Doc) []byte {
	b = append(b, `{"u":`...)
	b = appendJSONString(b, d.URL)
	b = append(b, `,"t":`...)
	b = appendJSONString(b, d.Title)
	if d.SectionTitle != "" {
		b = append(b, `,"s":`...)
		b = appendJSONString(b, d.SectionTitle)
	}
	if !d.Date.IsZero() {
		date := d.Date.In(content.London).Format("2006-01-02")
		b = append(b, `,"d":"`...)
		b = append(b, date...)
		b = append(b, '"')
		if u := d.Updated.In(content.London).Format("2006-01-02"); u != date {
			b = append(b, `,"up":"`...)
			b = append(b, u...)
			b = append(b, '"')
		}
	}
	return append(b, '}')
}

// appendText writes a page's entry in its pack: {"m":summary, "x":text}.
// The summary is there, not in the bucket, because it is shown only when
// the text has none of the words found, and buckets are downloaded whole.
func appendText(b []byte, d *Doc) []byte {
	b = append(b, '{')
	if d.Summary != "" {
		b = append(b, `"m":`...)
		b = appendJSONString(b, d.Summary)
		b = append(b, ',')
	}
	b = append(b, `"x":`...)
	b = appendJSONString(b, d.Text)
	return append(b, '}')
}

// appendJSONString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		i = plainWords(s, i)
		for i < len(s) && jsonPlain[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += n
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainWords is the end of the run of 8-byte words from s[i] on whose
// bytes jsonPlain holds all as they are. Page texts are mostly such bytes:
// taking them 8 at a time, with no lookup, took appendJSONString from 57.1
// to 26.1 million instructions a build on the 1,000-page corpus
// (BenchmarkStream1k under valgrind --tool=callgrind, GOMAXPROCS=1
// GOGC=off, 3 builds less 1, over 2). FuzzJSONString holds it to the
// comparisons.
func plainWords(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		// One little-endian load (the compiler merges the bytes').
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		// A byte below 0x20 borrows when 0x20 is taken from it, which sets
		// its high bit (a borrow from a lower byte means that one was below
		// 0x20); a byte of 0x80 or more has its high bit set already. A
		// quote or a backslash is a zero byte after the xor, the only bytes
		// whose high bit one taken from them sets and their complement has
		// (again but for a borrow from a lower zero byte).
		q, bs := x^'"'*ones, x^'\\'*ones
		if ((x-0x20*ones)|x|(q-ones)&^q|(bs-ones)&^bs)&highs != 0 {
			return i
		}
	}
	return i
}

// jsonPlain is true for the bytes a JSON string holds as they are: ASCII
// but for control characters, quotes and backslashes. Every page's text
// goes through appendJSONString: a loop of one lookup a byte over runs of
// them, instead of four comparisons a byte, took it from 84 to 57 million
// instructions on the 1,000-page corpus (BenchmarkRecord under valgrind
// --tool=callgrind). FuzzJSONString checks it against the comparisons.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()
