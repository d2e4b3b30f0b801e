package feed

import "bytes"

// indentJSON appends to dst the compact JSON src (as json.Marshal writes
// it: no space outside strings) laid out as json.MarshalIndent(v, "", "  ")
// lays it out: each member and element on a line of its own, two spaces a
// level, "key": value, and {} and [] for empty ones. json.Indent reads
// every byte through its validating scanner, and in a feed with full
// text nearly every byte is in a string: that made the JSON feeds most of
// the cost of the feeds of a 1,000-page site, which are as many whatever
// its size. Here a string is copied to its closing quote at once.
func indentJSON(dst, src []byte) []byte {
	depth := 0
	open := false // just after { or [: the line break waits for what follows
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			depth++
			dst = newline(dst, depth)
		}
		switch c {
		case '"':
			// The string ends at the first quote after an even number of
			// backslashes. Looking for quotes alone is fast, and full
			// text's escaped quotes and "\u003c"s are too many for a
			// search that stops at each backslash.
			j := i + 1
			for {
				k := bytes.IndexByte(src[j:], '"')
				if k < 0 {
					j = len(src)
					break
				}
				j += k
				if backslashesBefore(src, j)%2 == 0 {
					break
				}
				j++
			}
			end := min(j+1, len(src))
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			open = true
			dst = append(dst, c)
		case ',':
			dst = newline(append(dst, c), depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if open {
				open = false
			} else {
				depth--
				dst = newline(dst, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// backslashesBefore counts the backslashes just before src[j].
func backslashesBefore(src []byte, j int) int {
	n := 0
	for j-n > 0 && src[j-n-1] == '\\' {
		n++
	}
	return n
}

func newline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for range depth {
		dst = append(dst, ' ', ' ')
	}
	return dst
}
