package search

import (
	"encoding/binary"
	"hash/crc32"
	"math/bits"
	"slices"
)

// gzipHuffman appends to dst a gzip file holding data, compressed with
// Huffman codes only (no matches), in one deflate block. For the index's
// term and position files, lists of small numbers in which long repeats
// are rare, that loses almost nothing to compress/flate's BestSpeed and
// takes a fraction of its time on small files, where compress/flate spends
// most of it building codes. The header carries no name and no time, so the
// same data gives the same bytes.
//
// Against compress/flate's HuffmanOnly (BenchmarkShardCompression, on the
// 1,444 term and position shards of the 10,000-page corpus, 13.0 MB
// inflated): the same size (8,782,893 bytes against 8,791,590; a term
// shard, what a one-word first query downloads after meta.bin, 2,151 bytes
// on average against 2,156) in 120-160 ms of CPU against 170-290 ms, so
// about 0.05-0.13 s less of a fresh build's 9-16 CPU-seconds. That is
// under 1%: the stronger reason to keep it is that its bytes name every
// shard, and HuffmanOnly's different (equally valid) codes would change
// every file of a published index once. If this code ever needs work,
// replacing it with HuffmanOnly is cheap.
func gzipHuffman(dst, data []byte) []byte {
	dst = append(dst, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255)
	if len(data) == 0 {
		dst = append(dst, 0x03, 0x00) // a final block of fixed codes: just the end
	} else {
		dst = deflateHuffman(dst, data)
	}
	dst = binary.LittleEndian.AppendUint32(dst, crc32.ChecksumIEEE(data))
	return binary.LittleEndian.AppendUint32(dst, uint32(len(data)))
}

// countBytes adds to freq how many times each byte value is in data.
//
// Eight bytes a step, counted in four tables summed after: the loop tests
// its end an eighth as often, and a byte equal to one just before does not
// wait for that one's count to be stored. Every page text is counted so:
// on the 1,000-page corpus (BenchmarkStream1k under valgrind
// --tool=callgrind, GOMAXPROCS=1 GOGC=off, 3 builds less 1, over 2)
// counting took 36.9 million instructions a build with one table and one
// byte a step, and 24.6 million with this. TestCountBytes holds it to the
// plain loop.
func countBytes(freq *[257]int, data []byte) {
	var t [4][256]int
	for ; len(data) >= 8; data = data[8:] {
		b := (*[8]byte)(data)
		t[0][b[0]]++
		t[1][b[1]]++
		t[2][b[2]]++
		t[3][b[3]]++
		t[0][b[4]]++
		t[1][b[5]]++
		t[2][b[6]]++
		t[3][b[7]]++
	}
	for _, c := range data {
		t[0][c]++
	}
	for c := range 256 {
		freq[c] += t[0][c] + t[1][c] + t[2][c] + t[3][c]
	}
}

// codeOrder is the order code length codes are sent in (RFC 1951, 3.2.7).
var codeOrder = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// deflateHuffman appends data as one final dynamic-Huffman deflate block of
// literals.
func deflateHuffman(dst, data []byte) []byte {
	var freq [257]int
	countBytes(&freq, data)
	freq[256] = 1 // end of block
	var litLen [257]uint8
	huffmanLengths(freq[:], litLen[:], 15)
	var litCode [257]uint16
	canonicalCodes(litLen[:], litCode[:])
	nlit := 257

	// The code lengths of the literal/length code, then of a distance code
	// of one symbol of one bit (none is used), run-length coded.
	var lensBuf [258]uint8
	lens := append(append(lensBuf[:0], litLen[:nlit]...), 1)
	type rl struct{ sym, extra uint8 }
	var runBuf [258]rl
	runs := runBuf[:0]
	for i := 0; i < len(lens); {
		l := lens[i]
		n := 1
		for i+n < len(lens) && lens[i+n] == l {
			n++
		}
		i += n
		if l == 0 {
			for n >= 11 {
				k := min(n, 138)
				runs = append(runs, rl{18, uint8(k - 11)})
				n -= k
			}
			if n >= 3 {
				runs = append(runs, rl{17, uint8(n - 3)})
				n = 0
			}
		} else {
			runs = append(runs, rl{l, 0})
			n--
			for n >= 3 {
				k := min(n, 6)
				runs = append(runs, rl{16, uint8(k - 3)})
				n -= k
			}
		}
		for ; n > 0; n-- {
			runs = append(runs, rl{l, 0})
		}
	}
	var cfreq [19]int
	for _, r := range runs {
		cfreq[r.sym]++
	}
	var cLen [19]uint8
	huffmanLengths(cfreq[:], cLen[:], 7)
	var cCode [19]uint16
	canonicalCodes(cLen[:], cCode[:])
	hclen := 19
	for hclen > 4 && cLen[codeOrder[hclen-1]] == 0 {
		hclen--
	}

	w := bitWriter{b: dst}
	w.write(1, 1) // final block
	w.write(2, 2) // dynamic Huffman codes
	w.write(uint64(nlit-257), 5)
	w.write(0, 5) // one distance code
	w.write(uint64(hclen-4), 4)
	for _, s := range codeOrder[:hclen] {
		w.write(uint64(cLen[s]), 3)
	}
	for _, r := range runs {
		w.write(uint64(cCode[r.sym]), uint(cLen[r.sym]))
		switch r.sym {
		case 16:
			w.write(uint64(r.extra), 2)
		case 17:
			w.write(uint64(r.extra), 3)
		case 18:
			w.write(uint64(r.extra), 7)
		}
	}
	return w.literals(data, &litCode, &litLen)
}

// literals writes data with the code, then the end of the block, and
// returns the output.
//
// Four codes of at most 14 bits (three if the longest has 15) go into the
// 64-bit accumulator, which holds fewer than 8 bits after each flush, then
// every whole byte of it goes out with one 8-byte store (the bytes after
// them are written again later); shifts are masked to 63 so that the
// compiler need not handle larger ones. On the texts of the 1,000-page
// corpus, whose codes are rarely longer than 14 bits, that took 38% fewer
// instructions than two codes between 32-bit flushes (BenchmarkRecord
// under valgrind --tool=callgrind: 113 to 70 million); the bits are the
// same (FuzzLiterals, TestLiteralsDeepCodes).
func (w *bitWriter) literals(data []byte, code *[257]uint16, length *[257]uint8) []byte {
	// The 8 bytes a store may write past the last whole byte, besides at
	// most 15 bits a byte of data.
	n := len(w.b)
	out := slices.Grow(w.b, len(data)*2+16)
	out = out[:cap(out)]
	// Whole bytes out first, so that fewer than 8 bits are left.
	acc, nacc := w.acc, w.nacc
	for nacc >= 8 {
		out[n] = byte(acc)
		n++
		acc >>= 8
		nacc -= 8
	}
	flush := func() {
		binary.LittleEndian.PutUint64(out[n:n+8], acc)
		k := nacc >> 3
		n += int(k)
		acc >>= (8 * k) & 63
		nacc &= 7
	}
	maxLen := slices.Max(length[:])
	if maxLen <= 14 {
		// Four codes of at most 14 bits fit after fewer than 8 bits.
		// By index, not by reslicing data each step, which cost the
		// loop 14 instructions a step: 94.5 million instructions a build
		// of the 1,000-page corpus so, 88.4 million this way
		// (BenchmarkStream1k under valgrind --tool=callgrind, GOMAXPROCS=1
		// GOGC=off, 3 builds less 1, over 2).
		for i := 0; i+4 <= len(data); i += 4 {
			b := data[i : i+4 : i+4]
			c0, c1, c2, c3 := b[0], b[1], b[2], b[3]
			acc |= uint64(code[c0]) << (nacc & 63)
			nacc += uint(length[c0])
			acc |= uint64(code[c1]) << (nacc & 63)
			nacc += uint(length[c1])
			acc |= uint64(code[c2]) << (nacc & 63)
			nacc += uint(length[c2])
			acc |= uint64(code[c3]) << (nacc & 63)
			nacc += uint(length[c3])
			flush()
		}
		data = data[len(data)&^3:]
	}
	for ; len(data) >= 3; data = data[3:] {
		c0, c1, c2 := data[0], data[1], data[2]
		acc |= uint64(code[c0]) << (nacc & 63)
		nacc += uint(length[c0])
		acc |= uint64(code[c1]) << (nacc & 63)
		nacc += uint(length[c1])
		acc |= uint64(code[c2]) << (nacc & 63)
		nacc += uint(length[c2])
		flush()
	}
	w.b, w.acc, w.nacc = out[:n], acc, nacc
	for _, c := range data {
		w.write(uint64(code[c]), uint(length[c]))
	}
	w.write(uint64(code[256]), uint(length[256]))
	return w.flush()
}

// bitWriter writes bits from the least significant up, as deflate does.
type bitWriter struct {
	b    []byte
	acc  uint64
	nacc uint
}

func (w *bitWriter) write(v uint64, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	if w.nacc >= 32 {
		w.b = binary.LittleEndian.AppendUint32(w.b, uint32(w.acc))
		w.acc >>= 32
		w.nacc -= 32
	}
}

func (w *bitWriter) flush() []byte {
	for w.nacc > 0 {
		w.b = append(w.b, byte(w.acc))
		w.acc >>= 8
		w.nacc -= min(w.nacc, 8)
	}
	return w.b
}

// huffmanLengths sets the code length of each symbol with a non-zero
// frequency, none longer than limit. There must be at least two. When the
// best code is too deep, frequencies are flattened and it is tried again.
func huffmanLengths(freq []int, lengths []uint8, limit int) {
	if huffmanTry(freq, lengths, limit) {
		return
	}
	f := slices.Clone(freq)
	for {
		for i, x := range f {
			if x > 0 {
				f[i] = x>>1 | 1
			}
		}
		if huffmanTry(f, lengths, limit) {
			return
		}
	}
}

// huffmanTry builds a Huffman code (two queues over the leaves sorted by
// frequency, ties by symbol) and reports whether it fits in limit bits.
func huffmanTry(freq []int, lengths []uint8, limit int) bool {
	var leafBuf [maxSymbols]uint64
	leaves := leafBuf[:0]
	clear(lengths)
	for s, x := range freq {
		if x > 0 {
			leaves = append(leaves, uint64(x)<<16|uint64(s))
		}
	}
	sortLeaves(leaves)
	n := len(leaves)
	if n == 1 {
		lengths[leaves[0]&0xffff] = 1
		return true
	}
	// Nodes: the leaves, then the internal nodes in the order made; parents
	// come after their children.
	var weight [2 * maxSymbols]uint64
	var parent [2 * maxSymbols]int16
	for i, l := range leaves {
		weight[i] = l >> 16
	}
	made := n
	li, ii := 0, n // the next leaf, the next internal node not yet joined
	pick := func() int {
		if li < n && (ii >= made || weight[li] <= weight[ii]) {
			li++
			return li - 1
		}
		ii++
		return ii - 1
	}
	for made < 2*n-1 {
		a, b := pick(), pick()
		weight[made] = weight[a] + weight[b]
		parent[a], parent[b] = int16(made), int16(made)
		made++
	}
	var depth [2 * maxSymbols]uint8
	for i := made - 2; i >= 0; i-- {
		d := depth[parent[i]] + 1
		if int(d) > limit {
			return false
		}
		depth[i] = d
	}
	for i, l := range leaves {
		lengths[l&0xffff] = depth[i]
	}
	return true
}

const maxSymbols = 257

// sortLeaves sorts leaves, each a frequency << 16 | its symbol and made in
// symbol order, as slices.Sort does: by frequency, then symbol.
//
// Many leaves (a page text has some 80 byte values) are sorted by their
// frequencies' bytes, lowest first, as many as the largest frequency has,
// each pass stable so that equal frequencies stay in symbol order: about
// 4,700 instructions a page text's code where slices.Sort took 9,600.
// Every page text and shard builds a code: on the 1,000-page corpus
// (BenchmarkStream1k under valgrind --tool=callgrind, GOMAXPROCS=1
// GOGC=off, 3 builds less 1, over 2) sorting leaves took 20.1 million
// instructions a build with slices.Sort and 12.3 million with this.
// TestSortLeaves holds it to slices.Sort.
func sortLeaves(leaves []uint64) {
	n := len(leaves)
	if n < 32 {
		slices.Sort(leaves) // the code length code's 19, and tiny inputs
		return
	}
	top := uint64(0)
	for _, l := range leaves {
		top = max(top, l)
	}
	var tmpBuf [maxSymbols]uint64
	from, to := leaves, tmpBuf[:n]
	for shift := uint(16); top>>shift != 0; shift += 8 {
		var count [256]int32
		for _, l := range from {
			count[byte(l>>shift)]++
		}
		if count[byte(from[0]>>shift)] == int32(n) {
			continue // every leaf has this byte: already in order
		}
		// Only the digits up to the largest frequency's, in its last byte.
		digits := count[:]
		if top>>shift < 256 {
			digits = count[:top>>shift+1]
		}
		at := int32(0)
		for d, c := range digits {
			digits[d] = at
			at += c
		}
		for _, l := range from {
			d := byte(l >> shift)
			to[count[d]] = l
			count[d]++
		}
		from, to = to, from
	}
	if &from[0] != &leaves[0] {
		copy(leaves, from)
	}
}

// canonicalCodes sets the canonical code of each symbol (RFC 1951, 3.2.2),
// bit-reversed for writing least significant bit first.
func canonicalCodes(lengths []uint8, codes []uint16) {
	var count [16]int
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	var next [16]int
	code := 0
	for bits := 1; bits < 16; bits++ {
		code = (code + count[bits-1]) << 1
		next[bits] = code
	}
	for s, l := range lengths {
		if l == 0 {
			continue
		}
		codes[s] = bits.Reverse16(uint16(next[l])) >> (16 - l)
		next[l]++
	}
}
