package content

import (
	"strings"
	"unicode"
)

// Slugify lower-cases s and turns every run of characters other than letters
// and digits into one hyphen: "Sessional GPs" → "sessional-gps",
// "GP contract 2024/25" → "gp-contract-2024-25". Letters outside ASCII are
// kept ("café" stays "café"), so names in any language give readable URLs.
func Slugify(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		if r == '\'' || r == '’' {
			continue // "LMC's" → "lmcs", as people expect
		}
		dash = true
	}
	return b.String()
}
