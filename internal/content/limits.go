package content

import (
	"bytes"
	"fmt"
)

// OverLimit is the rule of a page over one of the limits below that are
// not a front-matter key's: its size, its nesting, its links.
const OverLimit = "limit"

// Limits no real page reaches, so that one file, by mistake or on purpose,
// cannot make a build run for minutes or fill the disk: each is reported
// on the page's file and line, in well under a second, with what to do.
// The README lists them.
const (
	// MaxTerms bounds a page's topics and its areas: each topic is a page
	// and three feeds, and every feed entry lists the item's topics, so
	// the output grows with the square of their number (8,000 topics on
	// one page wrote 1.2 GB).
	MaxTerms = 50
	// MaxAliases bounds a page's old addresses, each a redirect page.
	MaxAliases = 100
	// MaxDepth bounds how deep lists and block quotes nest. Goldmark's
	// parser takes time with the square of the depth (a list 1,400 deep
	// by indentation took 15 s, one 20,000 deep on one line 7.8 s), so
	// the depth is found by a scan of the source before it parses.
	MaxDepth = 32
	// MaxLinks bounds a page's links and images. Each is checked, and the
	// check of broken links grows with the square of their number (40,000
	// took 3.4 s of CPU); brackets nested as deep slow the parser alike.
	MaxLinks = 5000
	// MaxPageOutput bounds one rendered HTML page. The limits above keep a
	// page's output to a small multiple of its 4 MB source; this is the
	// last line: a template or a listing that grows past it is reported
	// on the page rather than written (the largest page of the 10,000-page
	// benchmark corpus is under 100 KB).
	MaxPageOutput = 32 << 20
)

// checkBody scans a page's Markdown, before it is parsed, for what would
// make the parse or the checks run for minutes: lists or quotes nested
// deeper than MaxDepth, and more than MaxLinks links. bodyLine is the
// file line the body starts on. It returns the problem and its line, or
// "" when there is none; the scan reads each byte once, and is cheap next
// to the parse.
func checkBody(body []byte, bodyLine int) (int, string) {
	// Every link is an inline or reference link or an image (each has a
	// "]"), an autolink (<...>), or a bare address or email the GFM
	// linkifier finds (://, www., @): their sum bounds the links.
	// Single bytes are counted fast; ':' and a third of 'w' bound the
	// rest, so the two-byte kinds are counted only on a page near the limit.
	n := bytes.Count(body, []byte("]")) + bytes.Count(body, []byte("<")) + bytes.Count(body, []byte("@"))
	if n+bytes.Count(body, []byte(":"))+bytes.Count(body, []byte("w"))/3 > MaxLinks {
		n += bytes.Count(body, []byte("://")) + bytes.Count(body, []byte("www."))
	}
	if n > MaxLinks {
		return bodyLine + bytes.Count(body[:nthLink(body, MaxLinks)], []byte("\n")), fmt.Sprintf(
			"over %d links on the page (counting each ], <, @, www. and ://, which may start one): a page may have at most %d: split it into several pages", MaxLinks, MaxLinks)
	}
	for line := bodyLine; len(body) > 0; line++ {
		l, rest, _ := bytes.Cut(body, []byte("\n"))
		// A line deeper than MaxDepth is longer than MaxDepth bytes and
		// starts with a space, a tab or a marker.
		if len(l) > MaxDepth && (l[0] <= ' ' || l[0] == '>' || l[0] == '-' || l[0] == '*' || l[0] == '+' || '0' <= l[0] && l[0] <= '9') {
			if d := depth(l); d > MaxDepth {
				return line, fmt.Sprintf("lists or quotes nested %d deep (or more); a page may nest them at most %d deep: flatten the list, or split it under headings", d, MaxDepth)
			}
		}
		body = rest
	}
	return 0, ""
}

// nthLink returns the offset just past the n-th byte that may start a
// link, as checkBody counts them (the two-byte kinds by their first).
func nthLink(body []byte, n int) int {
	for i := range body {
		switch {
		case body[i] == ']' || body[i] == '<' || body[i] == '@',
			bytes.HasPrefix(body[i:], []byte("://")), bytes.HasPrefix(body[i:], []byte("www.")):
			if n--; n <= 0 {
				return i + 1
			}
		}
	}
	return len(body)
}

// depth estimates how deep line l opens lists and block quotes: one for
// each > and list marker (-, +, *, 1. or 1)) at its start, and one for
// each two columns of indentation before the first marker, the least
// that nests a list item inside another. A line with no marker is 0:
// indented text or code does not open a container.
func depth(l []byte) int {
	indent := 0
	for len(l) > 0 && (l[0] == ' ' || l[0] == '\t') {
		if l[0] == '\t' {
			indent += 4
		} else {
			indent++
		}
		l = l[1:]
	}
	markers := 0
	for len(l) > 0 {
		switch c := l[0]; {
		case c == '>':
			l = l[1:]
		case (c == '-' || c == '+' || c == '*') && (len(l) == 1 || l[1] == ' ' || l[1] == '\t'):
			l = l[1:]
		case '0' <= c && c <= '9':
			i := 0
			for i < len(l) && i < 10 && '0' <= l[i] && l[i] <= '9' {
				i++
			}
			if i == len(l) || l[i] != '.' && l[i] != ')' || i+1 < len(l) && l[i+1] != ' ' && l[i+1] != '\t' {
				return depthOf(markers, indent)
			}
			l = l[i+1:]
		default:
			return depthOf(markers, indent)
		}
		markers++
		for len(l) > 0 && (l[0] == ' ' || l[0] == '\t') {
			l = l[1:]
		}
	}
	return depthOf(markers, indent)
}

func depthOf(markers, indent int) int {
	if markers == 0 {
		return 0
	}
	return markers + indent/2
}
