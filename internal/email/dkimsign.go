package email

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// This file makes DKIM signatures (RFC 6376; Ed25519 by RFC 8463):
// relaxed/relaxed canonicalisation, SHA-256, the header fields of
// signedHeaders. It is its own signer rather than go-msgauth's for two
// reasons, both measured or required: go-msgauth stamps t= from the
// machine's clock, which a send's injected clock cannot set, and its
// signer streams each message through a pipe, a goroutine and a
// byte-at-a-time canonicaliser, a fifth of a millisecond of CPU for a
// 40 KB issue on top of the RSA signature itself, paid for every reader.
// go-msgauth's dkim.Verify checks every signature this makes in the tests
// (dkim_test.go), as an independent verifier: long folded headers,
// oversigned names, both kinds of key and tampering with each header.

// sign returns the DKIM-Signature field for raw, a whole message with
// CRLF line ends, timestamped at (t=), ending in CRLF.
func (d *DKIM) sign(raw []byte, at time.Time) (string, error) {
	var algo string
	hash := crypto.SHA256
	switch d.Key.Public().(type) {
	case *rsa.PublicKey:
		algo = "rsa-sha256"
	case ed25519.PublicKey:
		algo = "ed25519-sha256"
		hash = crypto.Hash(0) // Ed25519 signs the SHA-256 digest itself (RFC 8463 §3)
	default:
		return "", fmt.Errorf("email: DKIM for %s: a %T key cannot sign", d.Domain, d.Key.Public())
	}
	head, body := splitMessage(raw)

	h := sha256.New()
	relaxedBody(h, body)
	bh := base64.StdEncoding.EncodeToString(h.Sum(nil))

	var sig strings.Builder
	sig.Grow(800)
	sig.WriteString("DKIM-Signature: v=1; a=" + algo + "; c=relaxed/relaxed; d=" + d.Domain + ";\r\n s=" + d.Selector +
		"; t=" + strconv.FormatInt(at.Unix(), 10) + ";\r\n h=")
	col := 3
	for i, k := range signedHeaders {
		if i > 0 {
			sig.WriteByte(':')
			col++
		}
		if col+len(k) > 76 {
			sig.WriteString("\r\n ")
			col = 1
		}
		sig.WriteString(k)
		col += len(k)
	}
	sig.WriteString(";\r\n bh=" + bh + ";\r\n b=")
	unsigned := sig.String()

	// The header fields of h=, each taken from the bottom up (a name
	// listed again takes the next one up; none left, it counts as empty),
	// then the signature's own field with b= empty and no final CRLF.
	h.Reset()
	fields := headerFields(head)
	used := make(map[string]int, len(coveredHeaders))
	for _, k := range signedHeaders {
		if f := pick(fields, k, used); f != "" {
			h.Write([]byte(relaxedHeader(f)))
		}
	}
	h.Write([]byte(strings.TrimSuffix(relaxedHeader(unsigned), "\r\n")))
	b, err := d.Key.Sign(rand.Reader, h.Sum(nil), hash)
	if err != nil {
		return "", fmt.Errorf("email: DKIM for %s: %w", d.Domain, err)
	}
	enc := base64.StdEncoding.EncodeToString(b)
	// b= folded every 72 characters: whitespace in it is ignored
	// (RFC 6376 §3.5).
	for len(enc) > 72 {
		sig.WriteString(enc[:72] + "\r\n ")
		enc = enc[72:]
	}
	sig.WriteString(enc + "\r\n")
	return sig.String(), nil
}

// splitMessage cuts raw at the blank line that ends its header.
func splitMessage(raw []byte) (head, body []byte) {
	if bytes.HasPrefix(raw, []byte("\r\n")) {
		return nil, raw[2:]
	}
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		return raw[:i+2], raw[i+4:]
	}
	return raw, nil
}

// headerFields splits a header into its fields, each with its folding and
// without its final CRLF.
func headerFields(head []byte) []string {
	var fields []string
	for len(head) > 0 {
		line, rest, _ := bytes.Cut(head, []byte("\n"))
		head = rest
		if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1] += "\n" + string(line)
			continue
		}
		fields = append(fields, string(line))
	}
	for i, f := range fields {
		fields[i] = strings.TrimSuffix(f, "\r")
	}
	return fields
}

// pick returns the field named k that h= means by its next mention of k:
// the last such field not yet used, or "" when none is left.
func pick(fields []string, k string, used map[string]int) string {
	key := strings.ToLower(k)
	skip := used[key]
	for i := len(fields) - 1; i >= 0; i-- {
		name, _, ok := strings.Cut(fields[i], ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), k) {
			continue
		}
		if skip == 0 {
			used[key]++
			return fields[i]
		}
		skip--
	}
	return ""
}

// relaxedHeader is a field's relaxed form (RFC 6376 §3.4.2): name in
// lower case, the folding undone, each run of whitespace one space, none
// around the colon or at the end, then CRLF.
func relaxedHeader(f string) string {
	name, value, ok := strings.Cut(f, ":")
	if !ok {
		return strings.ToLower(strings.TrimSpace(f)) + ":\r\n"
	}
	return strings.ToLower(strings.TrimSpace(name)) + ":" + strings.Join(strings.FieldsFunc(value, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\r' || r == '\n'
	}), " ") + "\r\n"
}

// relaxedBody writes body's relaxed form (RFC 6376 §3.4.4) to w: each
// line without whitespace at its end and each run of whitespace in it one
// space, the empty lines at the end dropped, every line ended by CRLF (a
// lone LF counts as one). A line with nothing to change, nearly every
// line of quoted-printable, is written as it is.
func relaxedBody(w io.Writer, body []byte) {
	crlf := []byte("\r\n")
	blank := 0 // empty lines held back: only written if a line follows
	var buf []byte
	for len(body) > 0 {
		line, rest, found := bytes.Cut(body, []byte("\n"))
		body = rest
		if found {
			line = bytes.TrimSuffix(line, []byte("\r"))
		}
		if n := len(line); n > 0 && (line[n-1] == ' ' || line[n-1] == '\t') || bytes.IndexByte(line, '\t') >= 0 || bytes.Contains(line, []byte("  ")) {
			buf = buf[:0]
			space := false
			for _, c := range line {
				if c == ' ' || c == '\t' {
					space = true
					continue
				}
				if space {
					buf = append(buf, ' ')
					space = false
				}
				buf = append(buf, c)
			}
			line = buf
		}
		if len(line) == 0 {
			blank++
			continue
		}
		for ; blank > 0; blank-- {
			w.Write(crlf)
		}
		w.Write(line)
		w.Write(crlf)
	}
}
