package subscriber

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits of what a person or a file may give. An address is at most
// 254 characters (RFC 5321's path limit less the angle brackets) with a
// local part of at most 64; names and practice names are cut nowhere but
// refused past MaxText, so that a form or a file cannot fill the database.
const (
	MaxEmail     = 254
	MaxLocalPart = 64
	MaxText      = 200 // name, practice
	MaxAreas     = 50
)

// NormalizeEmail trims an address, lower-cases its domain and checks it:
// one @, a local part of RFC 5322 dot-atom characters (no quoted local
// parts, which no NHS or practice mailbox uses and which mail systems
// mishandle), and a domain of at least two labels of letters, digits and
// hyphens (an internationalised domain in its xn-- form). The local part
// keeps its case, as the person wrote it, but stores and files compare
// addresses ignoring case (a practice mailbox that told John@ from john@
// would be a curiosity; re-adding someone who left as John@ would be a
// breach). The error wraps ErrInvalid and
// says what is wrong in words a person can act on.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	bad := func(why string) (string, error) {
		return "", invalidf("email %q: %s", clip(s), why)
	}
	switch {
	case s == "":
		return bad("empty")
	case !utf8.ValidString(s):
		return bad("not valid UTF-8 text")
	case len(s) > MaxEmail:
		return bad(fmt.Sprintf("longer than %d characters", MaxEmail))
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return bad("no @")
	}
	local, domain := s[:at], strings.ToLower(s[at+1:])
	switch {
	case local == "":
		return bad("nothing before the @")
	case len(local) > MaxLocalPart:
		return bad(fmt.Sprintf("more than %d characters before the @", MaxLocalPart))
	case strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, ".."):
		return bad("a dot at the start or end of the part before the @, or two dots together")
	}
	for _, r := range local {
		if !isAtext(r) && r != '.' {
			if r == '@' {
				return bad("more than one @")
			}
			return bad(fmt.Sprintf("the character %q is not allowed before the @", r))
		}
	}
	if domain == "" {
		return bad("nothing after the @")
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return bad("the part after the @ needs a dot, as in nhs.net")
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return bad("the part after the @ has an empty or over-long piece between dots")
		}
		if l[0] == '-' || l[len(l)-1] == '-' {
			return bad("a piece of the part after the @ starts or ends with a hyphen")
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return bad(fmt.Sprintf("the character %q is not allowed after the @", r))
			}
		}
	}
	if tld := labels[len(labels)-1]; !strings.HasPrefix(tld, "xn--") && strings.Trim(tld, "abcdefghijklmnopqrstuvwxyz") != "" {
		return bad("the last part of the domain must be letters, as in .net or .uk")
	}
	return local + "@" + domain, nil
}

// isAtext is RFC 5322's atext: the characters of a dot-atom.
func isAtext(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}

// ValidODS checks a GP practice's ODS code and returns it in capitals. A
// practice code, as the NHS Business Services Authority issues them and
// the Organisation Data Service publishes them, is one letter and five
// digits: F84001, A81001, Y02345 (the letter was once the commissioning
// region; new practices get Y). An empty code is allowed: it is optional.
func ValidODS(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "" {
		return "", nil
	}
	ok := len(s) == 6 && s[0] >= 'A' && s[0] <= 'Z'
	for i := 1; ok && i < 6; i++ {
		ok = s[i] >= '0' && s[i] <= '9'
	}
	if !ok {
		return "", invalidf("ODS code %q: a practice code is one letter and five digits, such as F84001", clip(s))
	}
	return s, nil
}

// Roles are the roles a subscriber may give, in the order forms list them.
var Roles = []Role{Partner, SalariedGP, LocumGP, PracticeManager, OtherRole}

// ParseRole reads a role as a form or a spreadsheet writes it:
// "salaried-gp", "Salaried GP", "salaried_gp" are all SalariedGP; "locum"
// is LocumGP, "GP partner" is Partner. An empty string is NoRole.
func ParseRole(s string) (Role, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer(" ", "-", "_", "-").Replace(k)
	switch k {
	case "":
		return NoRole, nil
	case "partner", "gp-partner":
		return Partner, nil
	case "salaried-gp", "salaried":
		return SalariedGP, nil
	case "locum-gp", "locum":
		return LocumGP, nil
	case "practice-manager", "manager":
		return PracticeManager, nil
	case "other":
		return OtherRole, nil
	}
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return NoRole, invalidf("role %q: say one of %s, or leave it empty", clip(s), strings.Join(names, ", "))
}

// CleanText trims a name or practice name and refuses what does not belong
// in one: invalid UTF-8, control characters (a newline in a name would
// break an email header) and more than MaxText characters. field names it
// in the error.
func CleanText(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", invalidf("%s: not valid UTF-8 text; save the file as UTF-8", field)
	}
	if n := utf8.RuneCountInString(s); n > MaxText {
		return "", invalidf("%s: %d characters, more than the %d allowed", field, n, MaxText)
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return "", invalidf("%s %q: contains a control character or line break", field, clip(s))
		}
	}
	return s, nil
}

// MatchAreas finds each of given in known (site.yaml's areas), ignoring
// case, spaces and hyphens, and returns known's spelling, each once. The
// error names the first unknown area and the known ones.
func MatchAreas(given, known []string) ([]string, error) {
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' || r == '_' {
				return -1
			}
			return unicode.ToLower(r)
		}, s)
	}
	byKey := map[string]string{}
	for _, k := range known {
		byKey[key(k)] = k
	}
	var out []string
	seen := map[string]bool{}
	for _, g := range given {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		k, ok := byKey[key(g)]
		if !ok {
			if len(known) == 0 {
				return nil, invalidf("area %q: content/site.yaml lists no areas", clip(g))
			}
			return nil, invalidf("unknown area %q; content/site.yaml's areas are %s", clip(g), strings.Join(known, ", "))
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	if len(out) > MaxAreas {
		return nil, invalidf("%d areas, more than %d", len(out), MaxAreas)
	}
	return out, nil
}

// clip shortens what an error quotes, so that a 10 MB field does not
// become a 10 MB message.
func clip(s string) string {
	const max = 60
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// invalidError is a message about bad input that errors.Is reports as
// ErrInvalid, without ErrInvalid's words in front of every line of an
// import report.
type invalidError struct{ msg string }

func (e *invalidError) Error() string        { return e.msg }
func (e *invalidError) Is(target error) bool { return target == ErrInvalid }

func invalidf(format string, args ...any) error {
	return &invalidError{msg: fmt.Sprintf(format, args...)}
}
