package markdown

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// A Doc's binary form is how a build cache keeps it between builds
// (internal/cache): a format byte, then each field in the order Doc
// declares them, every string and byte slice as its length (an unsigned
// varint) and its bytes, every number and list length as a varint. It is
// read back by UnmarshalBinary, which trusts none of it: the cache is a
// folder on disk like any other.
const docFormat = 2

// AppendBinary appends d's binary form to b (encoding.BinaryAppender).
func (d *Doc) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, docFormat)
	b = appendBytes(b, d.HTML)
	b = appendString(b, d.Text)
	b = appendString(b, d.FirstParagraph)
	for _, refs := range [][]Ref{d.Links, d.Images} {
		b = binary.AppendUvarint(b, uint64(len(refs)))
		for _, r := range refs {
			b = appendString(b, r.Dest)
			b = appendString(b, r.Text)
			b = binary.AppendUvarint(b, uint64(r.Line))
			b = appendString(b, r.Via)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(d.Headings)))
	for _, h := range d.Headings {
		b = binary.AppendUvarint(b, uint64(h.Level))
		b = appendString(b, h.ID)
		b = appendString(b, h.Text)
		b = binary.AppendUvarint(b, uint64(h.Line))
	}
	b = binary.AppendUvarint(b, uint64(len(d.Problems)))
	for _, p := range d.Problems {
		b = appendString(b, p.Rule)
		b = binary.AppendUvarint(b, uint64(p.Line))
		b = binary.AppendUvarint(b, uint64(p.Column))
		b = appendString(b, p.Msg)
		b = appendString(b, p.Hint)
	}
	return b, nil
}

func appendBytes(b, s []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errBinary = errors.New("markdown: not a Doc in binary form")

// UnmarshalBinary sets d from data, which AppendBinary made. Any other
// input is an error, never a panic; d is then left unchanged. d keeps no
// reference to data.
func (d *Doc) UnmarshalBinary(data []byte) error {
	r := binReader{b: data}
	if r.byte() != docFormat {
		return fmt.Errorf("%w (format)", errBinary)
	}
	var n Doc
	if html := r.bytes(); len(html) > 0 {
		n.HTML = append([]byte(nil), html...)
	}
	n.Text = string(r.bytes())
	n.FirstParagraph = string(r.bytes())
	refs := func() []Ref {
		c := r.count(4) // a Ref takes at least 4 bytes
		if c == 0 {
			return nil
		}
		out := make([]Ref, c)
		for i := range out {
			out[i] = Ref{Dest: string(r.bytes()), Text: string(r.bytes()), Line: r.int(), Via: string(r.bytes())}
		}
		return out
	}
	n.Links = refs()
	n.Images = refs()
	if c := r.count(4); c > 0 {
		n.Headings = make([]Heading, c)
		for i := range n.Headings {
			n.Headings[i] = Heading{Level: r.int(), ID: string(r.bytes()), Text: string(r.bytes()), Line: r.int()}
		}
	}
	if c := r.count(5); c > 0 {
		n.Problems = make([]Problem, c)
		for i := range n.Problems {
			n.Problems[i] = Problem{Rule: string(r.bytes()), Line: r.int(), Column: r.int(), Msg: string(r.bytes()), Hint: string(r.bytes())}
		}
	}
	if r.bad || len(r.b) != 0 {
		return errBinary
	}
	*d = n
	return nil
}

// binReader reads the binary form; once anything is wrong it sets bad and
// gives zero values from then on.
type binReader struct {
	b   []byte
	bad bool
}

func (r *binReader) byte() byte {
	if r.bad || len(r.b) == 0 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *binReader) uvarint() uint64 {
	if r.bad {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

// int reads a number that must fit an int of 32 bits (lines, levels).
func (r *binReader) int() int {
	v := r.uvarint()
	if v > 1<<31-1 {
		r.bad = true
		return 0
	}
	return int(v)
}

// count reads a list's length, which cannot be more than the bytes left
// allow at min bytes an element: a damaged length must not make a huge
// allocation.
func (r *binReader) count(min int) int {
	v := r.uvarint()
	if v > uint64(len(r.b)/min) {
		r.bad = true
		return 0
	}
	return int(v)
}

func (r *binReader) bytes() []byte {
	v := r.uvarint()
	if v > uint64(len(r.b)) {
		r.bad = true
		return nil
	}
	s := r.b[:v]
	r.b = r.b[v:]
	return s
}
