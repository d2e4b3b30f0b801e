package email

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// The headers a bulk sender must carry, built here so that their syntax is
// decided in one place: Gmail and Yahoo refuse or bin bulk mail without a
// working one-click unsubscribe (RFC 8058), and a Message-ID made from the
// issue and the subscriber lets a receiver, and the LMC, recognise a
// duplicate.

// MessageID is the Message-ID (without angle brackets) of one issue sent to
// one subscriber: "ISSUE.SUBSCRIBER@DOMAIN", e.g.
// "2016-12.42@northfieldlmc.org.uk". The same parts always give the same ID,
// so a message sent twice (a resumed send, a relay's retry) is the same
// message to every receiver that dedupes by Message-ID. issue is a month or
// an edition such as "2016-12-northfield": letters, digits, '-' and '.'.
func MessageID(issue string, subscriber int64, domain string) (string, error) {
	if issue == "" || strings.Trim(issue, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") != "" ||
		strings.HasPrefix(issue, ".") || strings.HasSuffix(issue, ".") || strings.Contains(issue, "..") {
		return "", fmt.Errorf("email: Message-ID: issue %q may hold only letters, digits, '-' and inner '.'", issue)
	}
	if subscriber <= 0 {
		return "", fmt.Errorf("email: Message-ID: subscriber %d is not a stored subscriber's ID", subscriber)
	}
	if !isDomain(domain) {
		return "", fmt.Errorf("email: Message-ID: %q is not a domain name: set site.yaml newsletter.domain (or from:) to the LMC's domain", domain)
	}
	return issue + "." + strconv.FormatInt(subscriber, 10) + "@" + strings.ToLower(domain), nil
}

// ListHeaders are List-Id (RFC 2919), List-Unsubscribe with both an https
// and a mailto address, and List-Unsubscribe-Post: List-Unsubscribe=One-Click
// (RFC 8058), which tells a mail program that a POST to the https address
// unsubscribes at once. name describes the list ("Northfield LMC
// newsletter"); id is its identifier, a domain-like name such as
// "newsletter.northfieldlmc.org.uk". unsubscribe must be https (RFC 8058
// allows no other); mailto is a mailto: URL.
func ListHeaders(name, id, unsubscribe, mailto string) ([]Header, error) {
	var errs []string
	if !isDomain(id) {
		errs = append(errs, fmt.Sprintf("list id %q is not of the form newsletter.example.org", id))
	}
	if u, err := url.Parse(unsubscribe); err != nil || u.Scheme != "https" || u.Host == "" || strings.ContainsAny(unsubscribe, "<>, \t\r\n") {
		errs = append(errs, fmt.Sprintf("unsubscribe address %q is not an https URL (one-click unsubscribe needs https; check site.yaml baseURL)", unsubscribe))
	}
	if u, err := url.Parse(mailto); err != nil || u.Scheme != "mailto" || u.Opaque == "" || strings.ContainsAny(mailto, "<>, \t\r\n") {
		errs = append(errs, fmt.Sprintf("unsubscribe address %q is not a mailto: URL", mailto))
	}
	if strings.ContainsAny(name, "\r\n") {
		errs = append(errs, "list name has a line break")
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("email: list headers: %s", strings.Join(errs, "; "))
	}
	listID := "<" + strings.ToLower(id) + ">"
	if name = strings.TrimSpace(name); name != "" {
		listID = phrase(name) + " " + listID
	}
	return []Header{
		{"List-Id", listID},
		{"List-Unsubscribe", "<" + unsubscribe + ">, <" + mailto + ">"},
		{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
	}, nil
}

// phrase quotes s as an RFC 5322 phrase if it has a character that an
// unquoted one may not (a comma, a bracket, a dot...).
func phrase(s string) string {
	for _, r := range s {
		if !(r == ' ' || r >= 0x80 || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r) ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
		}
	}
	return s
}

// isDomain reports whether s looks like a domain name: dot-separated
// labels of letters, digits and '-', at least two of them.
func isDomain(s string) bool {
	labels := strings.Split(s, ".")
	if len(s) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' ||
			strings.Trim(l, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			return false
		}
	}
	return true
}
