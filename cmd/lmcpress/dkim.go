package main

import (
	"fmt"
	"net/mail"
	"os"
	"strings"

	"lmcpress/internal/content"
	"lmcpress/internal/email"
)

// newsletterDKIM is the newsletter's DKIM signer, from site.yaml's
// newsletter: dkim: (the selector, and the domain, by default the
// newsletter's) and the private key in LMCPRESS_DKIM_KEY: the PEM text
// itself, or the path of a file holding it (a multi-line secret is awkward
// in most service managers' environment files). nil when neither is set.
//
// One without the other is an error rather than an unsigned send: an LMC
// that published a DKIM record expects every issue signed, and a receiver
// that sees its domain's mail arrive unsigned may junk it.
func newsletterDKIM(cfg *content.Config, getenv func(string) string) (*email.DKIM, error) {
	sel := cfg.Newsletter.DKIM.Selector
	val := strings.TrimSpace(getenv(email.EnvDKIMKey))
	switch {
	case sel == "" && val == "":
		return nil, nil
	case sel == "":
		return nil, fmt.Errorf("%s is set but content/site.yaml names no DKIM selector: add newsletter: dkim: {selector: NAME} (the NAME of the NAME._domainkey TXT record), or unset %s to send unsigned", email.EnvDKIMKey, email.EnvDKIMKey)
	case val == "":
		return nil, fmt.Errorf("content/site.yaml: newsletter: dkim: selector %q is set but %s is not: set it to the private key (its PEM text or the path of its file), or remove dkim: from site.yaml to send unsigned", sel, email.EnvDKIMKey)
	}
	pemText := []byte(val)
	if !strings.HasPrefix(val, "-----BEGIN") {
		b, err := os.ReadFile(val)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: give the private key's PEM text or the path of its file", email.EnvDKIMKey, err)
		}
		pemText = b
	}
	key, err := email.ParseDKIMKey(pemText)
	if err != nil {
		return nil, err
	}
	domain := cfg.Newsletter.DKIM.Domain
	if domain == "" {
		domain = cfg.Newsletter.Domain
	}
	if domain == "" {
		// From's domain; a From that does not parse is issueMessage's
		// error to report.
		if a, err := mail.ParseAddress(cfg.Newsletter.From); err == nil {
			domain = a.Address[strings.LastIndexByte(a.Address, '@')+1:]
		}
	}
	return &email.DKIM{Domain: domain, Selector: sel, Key: key}, nil
}
