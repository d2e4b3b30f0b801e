package subscriber

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var (
	secret = []byte("0123456789abcdef0123456789abcdef")
	t0     = time.Date(2026, 12, 1, 23, 40, 0, 0, time.UTC)
)

func signer(t *testing.T, secret []byte) *Signer {
	t.Helper()
	s, err := NewSigner(secret)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewSignerRefusesShortSecret(t *testing.T) {
	_, err := NewSigner(secret[:31])
	if err == nil || !strings.Contains(err.Error(), "openssl rand -base64 48") {
		t.Fatalf("31-byte secret: %v", err)
	}
}

func TestTokenRoundTrip(t *testing.T) {
	s := signer(t, secret)
	exp := t0.Add(7 * 24 * time.Hour)
	tok := s.Sign(PurposeConfirm, 42, "n0nce-XYZ", exp)
	if strings.ContainsAny(tok, "+/=?&#%") {
		t.Errorf("token %q is not URL-safe", tok)
	}
	c, err := s.Verify(PurposeConfirm, tok, t0)
	if err != nil || c.ID != 42 || c.Nonce != "n0nce-XYZ" || !c.Expires.Equal(exp) || c.Purpose != PurposeConfirm {
		t.Fatalf("Verify = %+v, %v", c, err)
	}
	if _, err := s.Verify(PurposeConfirm, tok, exp.Add(-time.Second)); err != nil {
		t.Errorf("a second before expiry: %v", err)
	}
	if _, err := s.Verify(PurposeConfirm, tok, exp); !errors.Is(err, ErrExpired) {
		t.Errorf("at expiry: %v, want ErrExpired", err)
	}
	never := s.Sign(PurposeUnsubscribe, 7, "", time.Time{})
	if c, err := s.Verify(PurposeUnsubscribe, never, t0.AddDate(30, 0, 0)); err != nil || c.ID != 7 || !c.Expires.IsZero() {
		t.Errorf("unsubscribe token 30 years on: %+v, %v", c, err)
	}
}

func TestTokenRefusesForgeries(t *testing.T) {
	s := signer(t, secret)
	tok := s.Sign(PurposeConfirm, 42, "nonce", t0.Add(time.Hour))
	other := signer(t, []byte(strings.Repeat("x", 32)))
	cases := map[string]string{
		"empty":             "",
		"no dot":            strings.ReplaceAll(tok, ".", ""),
		"two dots":          tok + ".",
		"cut short":         tok[:len(tok)-2],
		"payload only":      tok[:strings.IndexByte(tok, '.')+1],
		"other secret":      other.Sign(PurposeConfirm, 42, "nonce", t0.Add(time.Hour)),
		"not base64":        "!!!!." + tok[strings.IndexByte(tok, '.')+1:],
		"line break":        tok[:5] + "\n" + tok[5:],
		"very long":         strings.Repeat("A", 10000) + "." + strings.Repeat("A", 43),
		"other id, old mac": s.Sign(PurposeConfirm, 43, "nonce", t0.Add(time.Hour))[:strings.IndexByte(tok, '.')] + tok[strings.IndexByte(tok, '.'):],
	}
	// Every single-character change of the token.
	for i := range tok {
		b := []byte(tok)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		cases[fmt.Sprintf("character %d changed", i)] = string(b)
	}
	for name, bad := range cases {
		if _, err := s.Verify(PurposeConfirm, bad, t0); !errors.Is(err, ErrBadToken) {
			t.Errorf("%s: Verify(%q) = %v, want ErrBadToken", name, bad, err)
		}
	}
	// The purpose is inside the MAC.
	for _, p := range []Purpose{PurposeUnsubscribe, PurposeManage} {
		if _, err := s.Verify(p, tok, t0); !errors.Is(err, ErrBadToken) {
			t.Errorf("a confirm token verified as %s: %v", p, err)
		}
	}
}

func FuzzVerify(f *testing.F) {
	s, _ := NewSigner(secret)
	f.Add(s.Sign(PurposeManage, 1, "abc", time.Time{}))
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := s.Verify(PurposeManage, tok, t0)
		// Only the one spelling Sign makes verifies.
		if err == nil && s.Sign(PurposeManage, c.ID, c.Nonce, c.Expires) != tok {
			t.Fatalf("%q verified but is not what Sign makes of %+v", tok, c)
		}
	})
}
