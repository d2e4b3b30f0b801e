package search

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand"
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
