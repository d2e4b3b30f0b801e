package search

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestGzipHuffman checks that what gzipHuffman writes inflates to its input,
// for inputs that need few codes, all of them, and codes too deep for
// deflate's 15 bits before they are flattened.
func TestGzipHuffman(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	inputs := [][]byte{nil, {0}, {7, 7, 7}, []byte("hello, hello, hello"), bytes.Repeat([]byte{1, 2}, 1000)}
	for _, n := range []int{10, 1000, 100000} {
		b := make([]byte, n)
		rnd.Read(b)
		inputs = append(inputs, b)
		skew := make([]byte, n)
		for i := range skew {
			skew[i] = byte(min(rnd.ExpFloat64()*3, 255))
		}
		inputs = append(inputs, skew)
	}
	// Fibonacci frequencies make the deepest Huffman codes.
	var fib []byte
	a, b := 1, 1
	for s := 0; s < 30; s++ {
		fib = append(fib, bytes.Repeat([]byte{byte(s)}, a)...)
		a, b = b, a+b
	}
	inputs = append(inputs, fib)
	for i, in := range inputs {
		z := gzipHuffman(nil, in)
		r, err := gzip.NewReader(bytes.NewReader(z))
		if err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("input %d (%d bytes): %v", i, len(in), err)
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("input %d (%d bytes): inflates to something else", i, len(in))
		}
		if len(in) >= 1000 && len(z) > len(in)+300 {
			t.Errorf("input %d: %d bytes give %d", i, len(in), len(z))
		}
	}
}

// TestCountBytes holds countBytes to a plain loop, for every length up to
// a few steps past a multiple of four and for runs of one byte.
func TestCountBytes(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	inputs := [][]byte{nil, bytes.Repeat([]byte{'e'}, 1001), bytes.Repeat([]byte{0, 255}, 37)}
	for n := range 20 {
		b := make([]byte, n)
		rnd.Read(b)
		inputs = append(inputs, b)
	}
	for _, in := range inputs {
		var got, want [257]int
		got[3], want[3] = 5, 5 // added to, not set
		countBytes(&got, in)
		for _, c := range in {
			want[c]++
		}
		if got != want {
			t.Fatalf("%x: counts %v, want %v", in, got, want)
		}
	}
}

// TestSortLeaves holds sortLeaves to slices.Sort, for leaves as huffmanTry
// makes them (in symbol order) with frequencies of one to four bytes, equal
// ones, and every count of leaves.
func TestSortLeaves(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	for n := 0; n <= maxSymbols; n++ {
		for _, top := range []int{1, 3, 255, 256, 70000, 1 << 30} {
			leaves := make([]uint64, 0, n)
			syms := rnd.Perm(maxSymbols)[:n]
			slices.Sort(syms)
			for _, s := range syms {
				leaves = append(leaves, uint64(1+rnd.Intn(top))<<16|uint64(s))
			}
			want := slices.Clone(leaves)
			slices.Sort(want)
			sortLeaves(leaves)
			if !slices.Equal(leaves, want) {
				t.Fatalf("%d leaves, frequencies up to %d: %x, want %x", n, top, leaves, want)
			}
		}
	}
}

// BenchmarkShardCompression compresses the term and position shards of a
// built index (LMCPRESS_SEARCH_INDEX names its search/index folder, e.g. of
// the 10,000-page corpus) with gzipHuffman and with compress/flate's
// HuffmanOnly, as the worker would (one writer, Reset for each file), and
// reports the bytes each gives: the figures behind gzipHuffman's comment.
//
//	LMCPRESS_SEARCH_INDEX=/tmp/site/search/index \
//	  go test ./internal/search -run '^$' -bench ShardCompression -benchtime 20x
func BenchmarkShardCompression(b *testing.B) {
	dir := os.Getenv("LMCPRESS_SEARCH_INDEX")
	if dir == "" {
		b.Skip("LMCPRESS_SEARCH_INDEX not set: it names a built site's search/index folder")
	}
	var shards [][]byte
	raw, terms := 0, 0 // terms: how many of shards are t/ files, the first
	for _, sub := range []string{"t", "p"} {
		names, err := filepath.Glob(filepath.Join(dir, sub, "*.bin"))
		if err != nil || len(names) == 0 {
			b.Fatalf("%s/%s: no shards (%v)", dir, sub, err)
		}
		for _, name := range names {
			z, err := os.ReadFile(name)
			if err != nil {
				b.Fatal(err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(z))
			if err != nil {
				b.Fatalf("%s: %v", name, err)
			}
			data, err := io.ReadAll(zr)
			if err != nil {
				b.Fatalf("%s: %v", name, err)
			}
			shards = append(shards, data)
			raw += len(data)
		}
		if sub == "t" {
			terms = len(shards)
		}
	}
	b.Run("gzipHuffman", func(b *testing.B) {
		var out []byte
		size, tsize := 0, 0
		for b.Loop() {
			size = 0
			for i, s := range shards {
				out = gzipHuffman(out[:0], s)
				size += len(out)
				if i+1 == terms {
					tsize = size
				}
			}
		}
		b.ReportMetric(float64(size), "bytes")
		b.ReportMetric(float64(tsize)/float64(terms), "bytes/term-shard")
		b.ReportMetric(float64(raw), "raw-bytes")
		b.ReportMetric(float64(len(shards)), "files")
	})
	b.Run("flate.HuffmanOnly", func(b *testing.B) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.HuffmanOnly)
		size, tsize := 0, 0
		for b.Loop() {
			size = 0
			for i, s := range shards {
				buf.Reset()
				zw.Reset(&buf)
				zw.Write(s)
				zw.Close()
				size += buf.Len()
				if i+1 == terms {
					tsize = size
				}
			}
		}
		b.ReportMetric(float64(size), "bytes")
		b.ReportMetric(float64(tsize)/float64(terms), "bytes/term-shard")
		b.ReportMetric(float64(raw), "raw-bytes")
		b.ReportMetric(float64(len(shards)), "files")
	})
}

// BenchmarkTextCompression compresses the page texts of a built index's
// packs (x/*.bin under LMCPRESS_SEARCH_INDEX, as for ShardCompression),
// one gzip member a page as the packs hold them, with gzipHuffman (what
// the packs use) and with compress/flate's BestSpeed (what they used),
// and reports the bytes each gives: the figures behind the package
// documentation's "Records".
//
//	LMCPRESS_SEARCH_INDEX=/tmp/site/search/index \
//	  go test ./internal/search -run '^$' -bench TextCompression -benchtime 5x
func BenchmarkTextCompression(b *testing.B) {
	dir := os.Getenv("LMCPRESS_SEARCH_INDEX")
	if dir == "" {
		b.Skip("LMCPRESS_SEARCH_INDEX not set: it names a built site's search/index folder")
	}
	names, err := filepath.Glob(filepath.Join(dir, "x", "*.bin"))
	if err != nil || len(names) == 0 {
		b.Fatalf("%s/x: no packs (%v)", dir, err)
	}
	var texts [][]byte
	raw := 0
	for _, name := range names {
		pack, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		n := int(binary.LittleEndian.Uint32(pack))/4 - 1
		for j := range n {
			lo, hi := binary.LittleEndian.Uint32(pack[4*j:]), binary.LittleEndian.Uint32(pack[4*j+4:])
			zr, err := gzip.NewReader(bytes.NewReader(pack[lo:hi]))
			if err != nil {
				b.Fatalf("%s, page %d: %v", name, j, err)
			}
			data, err := io.ReadAll(zr)
			if err != nil {
				b.Fatalf("%s, page %d: %v", name, j, err)
			}
			texts = append(texts, data)
			raw += len(data)
		}
	}
	report := func(b *testing.B, size int) {
		b.ReportMetric(float64(size), "bytes")
		b.ReportMetric(float64(size)/float64(len(texts)), "bytes/page")
		b.ReportMetric(float64(raw), "raw-bytes")
	}
	b.Run("gzipHuffman", func(b *testing.B) {
		var out []byte
		size := 0
		for b.Loop() {
			size = 0
			for _, t := range texts {
				out = gzipHuffman(out[:0], t)
				size += len(out)
			}
		}
		report(b, size)
	})
	b.Run("flate.BestSpeed", func(b *testing.B) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		size := 0
		for b.Loop() {
			size = 0
			for _, t := range texts {
				buf.Reset()
				zw.Reset(&buf)
				zw.Write(t)
				zw.Close()
				size += buf.Len()
			}
		}
		report(b, size)
	})
}

// FuzzLiterals checks bitWriter.literals, which writes several codes
// between flushes, against writing each code on its own, after any number
// of bits already written.
func FuzzLiterals(f *testing.F) {
	f.Add([]byte("hello, hello, hello"), uint16(0), uint8(0))
	f.Add([]byte{}, uint16(0x155), uint8(9))
	f.Add(bytes.Repeat([]byte{0, 1, 2, 3, 250}, 100), uint16(0x7fff), uint8(31))
	f.Add(fibonacci(20), uint16(0x5555), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, before uint16, nbefore uint8) {
		checkLiterals(t, data, before, nbefore)
	})
}

// TestLiteralsDeepCodes checks literals with codes of 15 bits, which it
// writes three, not four, between flushes.
func TestLiteralsDeepCodes(t *testing.T) {
	for nbefore := range uint8(12) {
		if got := checkLiterals(t, fibonacci(30), 0xabcd, nbefore); got != 15 {
			t.Fatalf("the longest code is %d bits, want 15", got)
		}
	}
}

// fibonacci is n symbols with Fibonacci frequencies, which make the
// deepest Huffman codes.
func fibonacci(n int) []byte {
	var b []byte
	x, y := 1, 1
	for s := range n {
		b = append(b, bytes.Repeat([]byte{byte(s)}, x)...)
		x, y = y, x+y
	}
	return b
}

// checkLiterals compares literals with writing code by code, and returns
// the length of the longest code.
func checkLiterals(t *testing.T, data []byte, before uint16, nbefore uint8) uint8 {
	t.Helper()
	var freq [257]int
	for _, c := range data {
		freq[c]++
	}
	freq[256] = 1
	freq[data0(data)^1]++ // two symbols at least
	var length [257]uint8
	huffmanLengths(freq[:], length[:], 15)
	var code [257]uint16
	canonicalCodes(length[:], code[:])

	// nbefore bits written before, as the block's header leaves them.
	head := func() *bitWriter {
		w := &bitWriter{b: []byte{0xaa}}
		for k := range int(nbefore) {
			w.write(uint64(before>>(k%16)&1), 1)
		}
		return w
	}
	got := head().literals(data, &code, &length)
	plain := head()
	for _, c := range data {
		plain.write(uint64(code[c]), uint(length[c]))
	}
	plain.write(uint64(code[256]), uint(length[256]))
	if want := plain.flush(); !bytes.Equal(got, want) {
		t.Errorf("%d bytes after %d bits: literals writes %x, code by code %x", len(data), nbefore, got, want)
	}
	return slices.Max(length[:])
}

func data0(data []byte) byte {
	if len(data) == 0 {
		return 0
	}
	return data[0]
}
