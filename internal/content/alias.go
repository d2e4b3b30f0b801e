package content

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxAddressPart bounds one part of an address (a slug, a topic's slug, a
// folder or file name of an alias), in bytes. File systems refuse a name
// over 255 bytes, and the build would then fail on a file name that says
// nothing of the page that gave it; no real address comes near.
const MaxAddressPart = 200

// CheckAlias says why a, an old address given under `aliases:`, cannot be
// the address of a redirect page on this site, or "" when it can. The
// problem is a sentence ending in what to do; the caller adds file and line.
//
// An alias is written as a file under public/, so it must be a plain path
// of this site: from the root, no other site (//host), no scheme, query or
// fragment, no percent-escapes or characters that HTML, a shell or a file
// system reads specially (" < > ' \ ` and control characters), no . or ..
// parts, no empty or hidden parts (.well-known excepted), each part at most
// MaxAddressPart bytes. Case is checked against the other addresses by
// [NewBook].
func CheckAlias(a string) string {
	q := fmt.Sprintf("%q", a)
	switch {
	case !strings.HasPrefix(a, "/"):
		return q + ": write old addresses from the site root, e.g. /news/old-page.html"
	case strings.HasPrefix(a, "//"):
		return q + " is another site's address: an alias is an old address of this site, e.g. /news/old-page.html"
	case !utf8.ValidString(a):
		return q + " is not valid text: retype it"
	}
	for _, r := range a {
		if r == '/' || aliasRune(r) {
			continue
		}
		what := string(r)
		switch {
		case r == '%':
			return q + ": percent-escapes (%20, %00) are not allowed: write the character itself, or leave the alias out"
		case r == '?' || r == '#':
			return q + ": a redirect page answers one address; the part from " + what + " on is not part of it: leave that part out"
		case r == ':':
			return q + ": no scheme (javascript:, https:) and no colon: an alias is a path on this site, e.g. /news/old-page.html"
		case unicode.IsSpace(r):
			return q + ": spaces are not allowed in an address: use hyphens"
		case unicode.IsControl(r) || !unicode.IsPrint(r):
			what = fmt.Sprintf("%U", r)
		}
		return q + ": the character " + what + " is not allowed in an address: use letters, digits, hyphens and slashes"
	}
	parts := strings.Split(strings.TrimSuffix(a[1:], "/"), "/")
	for i, p := range parts {
		switch {
		case p == "" && i == 0 && len(parts) == 1:
			// "/": NewBook says it would replace the home page.
		case p == "":
			return q + ": an empty part (//): write one slash"
		case p == "." || p == "..":
			return q + ": . and .. parts are not allowed: write the address as the browser shows it"
		case strings.HasPrefix(p, ".") && p != ".well-known":
			return q + ": a part starting with a dot is a hidden file, which web servers often refuse: rename it"
		case len(p) > MaxAddressPart:
			return fmt.Sprintf("%s: a part of %d bytes is longer than an address part may be (%d): shorten it", q, len(p), MaxAddressPart)
		}
	}
	return ""
}

// aliasRune reports whether r may appear in an alias as it is: letters and
// digits of any script, and the punctuation RFC 3986 allows in a path
// without escaping, less those that end or escape a path (? # %), the
// colon (a scheme; not allowed in file names on Windows) and the quote.
func aliasRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
			strings.ContainsRune("-._~!$&()*+,;=@", r)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// checkSlug says why slug, a page's or a term's address part, cannot be
// written as a folder, or "".
func checkSlug(slug string) string {
	if len(slug) > MaxAddressPart {
		return fmt.Sprintf("gives an address part of %d bytes, longer than an address part may be (%d): shorten it", len(slug), MaxAddressPart)
	}
	return ""
}
