package email

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-msgauth/dkim"
)

// EnvDKIMKey is the environment variable that holds the DKIM private key
// (PEM); the command reads it and hands its value to ParseDKIMKey.
const EnvDKIMKey = "LMCPRESS_DKIM_KEY"

// dkimKeyForms is the end of every key error: what ParseDKIMKey takes.
const dkimKeyForms = "give a PEM private key: RSA of 2048 bits (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----) or Ed25519 (-----BEGIN PRIVATE KEY-----), e.g. made by openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048"

// minRSABits is the smallest RSA key accepted. Mailbox providers ask for
// 2048 bits and ignore or distrust signatures from smaller keys; 1024 is the
// floor RFC 8301 sets for verifiers.
const minRSABits = 1024

// coveredHeaders are the header fields a signature covers. From is
// required by DKIM; the List-Unsubscribe pair must be covered for one-click
// unsubscribe to count (RFC 8058 §3); To, Subject, Date and Message-ID are
// what a reader sees and what marks a duplicate.
var coveredHeaders = []string{
	"From", "Reply-To", "To", "Subject", "Date", "Message-ID",
	"List-Id", "List-Unsubscribe", "List-Unsubscribe-Post",
	"MIME-Version", "Content-Type",
}

// signedHeaders is h=: each covered name twice. A verifier matches the
// names of h= to the message's fields from the bottom up, so a name listed
// once lets anybody add a second field of that name above the signed one
// (a second From, or a Reply-To on a message without one) and still pass;
// listed once more than the message has, the extra instance is signed as
// absent, and any such addition breaks the signature (RFC 6376 §8.15,
// "oversigning").
var signedHeaders = func() []string {
	var h []string
	for _, k := range coveredHeaders {
		h = append(h, k, k)
	}
	return h
}()

// DKIM signs messages for one domain with one key.
//
// It signs the bytes that are sent, after WriteEML has produced them, with
// emersion/go-msgauth rather than go-mail's own signer: go-mail v0.8.1
// folds the DKIM-Signature header anywhere, even inside a header name of
// h=, and once the signed-header list is long enough to fold (ours is)
// relaxed canonicalisation hashes something else and every verifier fails
// it.
type DKIM struct {
	// Domain is the d= of the signature: the domain whose DNS publishes the
	// public key at Selector._domainkey.Domain. It should be the domain of
	// the From address (DMARC alignment).
	Domain string
	// Selector is the s= of the signature.
	Selector string
	// Key is an *rsa.PrivateKey or an ed25519.PrivateKey (ParseDKIMKey).
	Key crypto.Signer
}

// ParseDKIMKey reads a PEM private key, RSA (PKCS#1 or PKCS#8) or Ed25519
// (PKCS#8), as given in LMCPRESS_DKIM_KEY. Errors are one line naming
// LMCPRESS_DKIM_KEY and never show the key.
func ParseDKIMKey(pemText []byte) (crypto.Signer, error) {
	fail := func(what string) (crypto.Signer, error) {
		return nil, fmt.Errorf("email: %s: %s: %s", EnvDKIMKey, what, dkimKeyForms)
	}
	block, rest := pem.Decode(bytes.TrimSpace(pemText))
	if block == nil {
		return fail("no PEM block found")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return fail("more than one PEM block: give only the private key")
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "ENCRYPTED PRIVATE KEY":
		return fail("the key is encrypted: decrypt it (openssl pkey -in KEY -out PLAIN)")
	default:
		return fail(fmt.Sprintf("a %q block is not a private key", block.Type))
	}
	if err != nil {
		// x509's message names the format, never the key's bytes.
		return fail(fmt.Sprintf("unreadable %s (%v)", block.Type, err))
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if bits := k.N.BitLen(); bits < minRSABits {
			return fail(fmt.Sprintf("an RSA key of %d bits is too short for DKIM (%d at least, 2048 recommended)", bits, minRSABits))
		}
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	default:
		return fail(fmt.Sprintf("a %T key cannot sign DKIM", key))
	}
}

// check says what is missing in d, naming the site.yaml keys.
func (d *DKIM) check() error {
	var errs []string
	if d.Domain == "" || strings.ContainsAny(d.Domain, " \t\r\n;@") {
		errs = append(errs, fmt.Sprintf("domain %q is not a domain name (site.yaml newsletter.dkim.domain)", d.Domain))
	}
	if d.Selector == "" || strings.ContainsAny(d.Selector, " \t\r\n;@") {
		errs = append(errs, fmt.Sprintf("selector %q is not a DNS label (site.yaml newsletter.dkim.selector)", d.Selector))
	}
	if d.Key == nil {
		errs = append(errs, "no key ("+EnvDKIMKey+")")
	}
	if len(errs) > 0 {
		return fmt.Errorf("email: DKIM: %s", strings.Join(errs, "; "))
	}
	return nil
}

// Signature computes the DKIM-Signature header field for raw, a whole
// message as WriteEML writes it, and returns it with its trailing CRLF:
// the bytes to send are the signature followed by raw, unchanged.
// Canonicalisation is relaxed for both header and body, so a relay that
// refolds a header or trims trailing spaces does not break it. The
// signature's t= is go-msgauth's: the moment of signing by the machine's
// clock, which is what t= means; nothing the site shows depends on it.
func (d *DKIM) Signature(raw []byte) (string, error) {
	if err := d.check(); err != nil {
		return "", err
	}
	s, err := dkim.NewSigner(&dkim.SignOptions{
		Domain:                 d.Domain,
		Selector:               d.Selector,
		Signer:                 d.Key,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed,
		BodyCanonicalization:   dkim.CanonicalizationRelaxed,
		HeaderKeys:             signedHeaders,
	})
	if err != nil {
		return "", fmt.Errorf("email: DKIM for %s: %w", d.Domain, err)
	}
	if _, err := s.Write(raw); err != nil {
		s.Close()
		return "", fmt.Errorf("email: DKIM for %s: %w", d.Domain, err)
	}
	if err := s.Close(); err != nil {
		return "", fmt.Errorf("email: DKIM for %s: %w", d.Domain, err)
	}
	return s.Signature(), nil
}

// WriteSigned writes msg to w as WriteEML does, with a DKIM-Signature
// header first when d is not nil: the exact bytes the pool sends.
func WriteSigned(w io.Writer, msg Message, d *DKIM) error {
	var buf bytes.Buffer
	if err := WriteEML(&buf, msg); err != nil {
		return err
	}
	if d != nil {
		sig, err := d.Signature(buf.Bytes())
		if err != nil {
			return err // the same for every message: no Message-ID in it
		}
		if _, err := io.WriteString(w, sig); err != nil {
			return fmt.Errorf("email: write message %s: %w", msg.MessageID, err)
		}
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("email: write message %s: %w", msg.MessageID, err)
	}
	return nil
}
