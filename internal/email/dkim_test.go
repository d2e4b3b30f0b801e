package email

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-msgauth/dkim"
)

// testKeys are made once per test binary: an RSA-2048 key takes a while.
var testKeys = sync.OnceValues(func() (*rsa.PrivateKey, ed25519.PrivateKey) {
	r, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	_, e, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return r, e
})

// testDKIM signs for northfieldlmc.org.uk with the test RSA key, selector
// "lmc2016".
func testDKIM(t testing.TB) *DKIM {
	t.Helper()
	r, _ := testKeys()
	return &DKIM{Domain: "northfieldlmc.org.uk", Selector: "lmc2016", Key: r}
}

// dnsFor serves the TXT record of each DKIM's public key, as the LMC's DNS
// would, so that dkim.Verify checks signatures without a network.
func dnsFor(t testing.TB, keys ...*DKIM) func(string) ([]string, error) {
	t.Helper()
	records := map[string]string{}
	for _, d := range keys {
		var rec string
		switch pub := d.Key.Public().(type) {
		case *rsa.PublicKey:
			der, err := x509.MarshalPKIXPublicKey(pub)
			if err != nil {
				t.Fatal(err)
			}
			rec = "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
		case ed25519.PublicKey:
			rec = "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)
		}
		records[d.Selector+"._domainkey."+d.Domain] = rec
	}
	return func(name string) ([]string, error) {
		if rec, ok := records[name]; ok {
			return []string{rec}, nil
		}
		return nil, fmt.Errorf("no TXT record for %s", name)
	}
}

// verifyDKIM checks that raw carries exactly one signature, by d's domain,
// that go-msgauth verifies, and that it covers the headers of
// signedHeaders. It returns the verification.
func verifyDKIM(t testing.TB, raw []byte, lookup func(string) ([]string, error)) *dkim.Verification {
	t.Helper()
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{LookupTXT: lookup})
	if err != nil {
		t.Fatalf("dkim.Verify: %v", err)
	}
	if len(vs) != 1 {
		t.Fatalf("%d DKIM signatures, want 1", len(vs))
	}
	v := vs[0]
	if v.Err != nil {
		t.Fatalf("DKIM signature does not verify: %v\n%s", v.Err, headerOf(raw))
	}
	covered := map[string]bool{}
	for _, k := range v.HeaderKeys {
		covered[strings.ToLower(k)] = true
	}
	for _, k := range []string{"From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post"} {
		if !covered[strings.ToLower(k)] {
			t.Errorf("the signature does not cover %s (h=%v)", k, v.HeaderKeys)
		}
	}
	return v
}

func headerOf(raw []byte) []byte {
	h, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	return h
}

// longHeaders is sample() with every header long enough to fold: a long
// encoded Subject, many recipients with long names, and long list headers.
func longHeaders() Message {
	msg := sample()
	msg.Subject = strings.Repeat("December 2016 newsletter – flu clinics, premises funding, the LMC’s AGM and ", 4)
	msg.To = nil
	for i := range 12 {
		msg.To = append(msg.To, mail.Address{Name: fmt.Sprintf("Dr Practice Manager Number %d of the Northfield Medical Group", i), Address: fmt.Sprintf("practice.manager.%d@northfield-medical-group.nhs.example", i)})
	}
	token := strings.Repeat("tok42AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-", 4)
	msg.Headers = []Header{
		{"List-Id", "Northfield and District Local Medical Committee monthly newsletter for general practice <newsletter.northfieldlmc.org.uk>"},
		{"List-Unsubscribe", "<https://northfieldlmc.org.uk/unsubscribe/" + token + ">, <mailto:unsubscribe@northfieldlmc.org.uk?subject=unsubscribe%20" + token + ">"},
		{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
		{"List-Archive", "<https://northfieldlmc.org.uk/newsletters/2016-12/>"},
	}
	return msg
}

func TestDKIMSignatureVerifies(t *testing.T) {
	rk, ek := testKeys()
	keys := []*DKIM{
		{Domain: "northfieldlmc.org.uk", Selector: "rsa2048", Key: rk},
		{Domain: "northfieldlmc.org.uk", Selector: "ed", Key: ek},
	}
	lookup := dnsFor(t, keys...)
	for _, d := range keys {
		for name, msg := range map[string]Message{"sample": sample(), "long headers": longHeaders()} {
			t.Run(d.Selector+"/"+name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := WriteSigned(&buf, msg, d); err != nil {
					t.Fatal(err)
				}
				raw := buf.Bytes()
				v := verifyDKIM(t, raw, lookup)
				if v.Domain != d.Domain {
					t.Errorf("d= %q, want %q", v.Domain, d.Domain)
				}
				// The signature is prepended; the rest is WriteEML's bytes.
				var eml bytes.Buffer
				if err := WriteEML(&eml, msg); err != nil {
					t.Fatal(err)
				}
				if !bytes.HasPrefix(raw, []byte("DKIM-Signature: ")) || !bytes.HasSuffix(raw, eml.Bytes()) {
					t.Error("WriteSigned is not a DKIM-Signature followed by WriteEML's bytes")
				}
				for _, line := range strings.Split(string(headerOf(raw)), "\r\n") {
					if len(line) > 998 {
						t.Errorf("a header line is %d bytes long (998 at most)", len(line))
					}
				}
				if name == "long headers" && !bytes.Contains(headerOf(eml.Bytes()), []byte("\r\n ")) {
					t.Error("no header was folded: the test does not exercise folding")
				}
				checkParsed(t, raw, msg)
			})
		}
	}
}

// TestDKIMSignatureBreaksOnTampering changes each covered header, and the
// body, after signing: every change must fail verification, or the header
// was not really covered.
func TestDKIMSignatureBreaksOnTampering(t *testing.T) {
	d := testDKIM(t)
	lookup := dnsFor(t, d)
	var buf bytes.Buffer
	if err := WriteSigned(&buf, longHeaders(), d); err != nil {
		t.Fatal(err)
	}
	signed := buf.String()
	for name, edit := range map[string]func(string) string{
		"List-Unsubscribe": func(s string) string { return strings.Replace(s, "/unsubscribe/tok42", "/unsubscribe/evil1", 1) },
		"List-Unsubscribe-Post": func(s string) string {
			return strings.Replace(s, "List-Unsubscribe=One-Click", "List-Unsubscribe=Two-Click", 1)
		},
		"List-Id":    func(s string) string { return strings.Replace(s, "<newsletter.northfieldlmc", "<newsletter.evil", 1) },
		"Message-ID": func(s string) string { return strings.Replace(s, "2016-12.42@", "2016-12.43@", 1) },
		"Date":       func(s string) string { return strings.Replace(s, "01 Dec 2016", "02 Dec 2016", 1) },
		"added Reply-To": func(s string) string {
			return strings.Replace(s, "\r\nDate:", "\r\nReply-To: evil@example.com\r\nDate:", 1)
		},
		"added From": func(s string) string {
			return strings.Replace(s, "\r\nDate:", "\r\nFrom: evil@example.com\r\nDate:", 1)
		},
		"added List-Unsubscribe": func(s string) string {
			return strings.Replace(s, "\r\nDate:", "\r\nList-Unsubscribe: <https://evil.example/>\r\nDate:", 1)
		},
		"body": func(s string) string { return strings.Replace(s, "Flu clinics open", "Flu clinics shut", 1) },
	} {
		tampered := edit(signed)
		if tampered == signed {
			t.Errorf("%s: the edit changed nothing", name)
			continue
		}
		vs, err := dkim.VerifyWithOptions(strings.NewReader(tampered), &dkim.VerifyOptions{LookupTXT: lookup})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(vs) != 1 || vs[0].Err == nil {
			t.Errorf("%s changed after signing, and the signature still verifies", name)
		}
	}
}

func TestParseDKIMKey(t *testing.T) {
	rk, ek := testKeys()
	pkcs8 := func(k any) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rk)})
	for name, c := range map[string]struct {
		pem  []byte
		want crypto.PublicKey
	}{
		"rsa pkcs8":    {pkcs8(rk), rk.Public()},
		"rsa pkcs1":    {append([]byte("\n  "), pkcs1...), rk.Public()},
		"ed25519":      {pkcs8(ek), ek.Public()},
		"trailing eol": {append(pkcs8(ek), "\n\n"...), ek.Public()},
	} {
		k, err := ParseDKIMKey(c.pem)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if eq, ok := k.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !eq.Equal(c.want) {
			t.Errorf("%s: parsed a different key", name)
		}
	}

	small := smallRSAKey(t)
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("x")})
	secret := pkcs8(ek)
	for name, c := range map[string]struct {
		pem  []byte
		want string
	}{
		"empty":       {nil, "no PEM block"},
		"not pem":     {[]byte("selector._domainkey"), "no PEM block"},
		"certificate": {cert, `"CERTIFICATE" block is not a private key`},
		"encrypted":   {pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte("x")}), "encrypted"},
		"garbage":     {pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("not der")}), "unreadable PRIVATE KEY"},
		"short rsa":   {pkcs8(small), "512 bits is too short"},
		"two blocks":  {append(append([]byte{}, secret...), cert...), "more than one PEM block"},
	} {
		_, err := ParseDKIMKey(c.pem)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, c.want) || !strings.Contains(msg, EnvDKIMKey) || strings.Contains(msg, "\n") {
			t.Errorf("%s: error = %q, want one line naming %s and %q", name, msg, EnvDKIMKey, c.want)
		}
		if block, _ := pem.Decode(secret); strings.Contains(msg, base64.StdEncoding.EncodeToString(block.Bytes)[:16]) {
			t.Errorf("%s: the error shows the key", name)
		}
	}
}

// smallRSAKey builds a 512-bit RSA key by hand: crypto/rsa no longer
// generates one, but such keys exist and ParseDKIMKey must refuse them.
func smallRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	for {
		p, err := rand.Prime(rand.Reader, 256)
		if err != nil {
			t.Fatal(err)
		}
		q, err := rand.Prime(rand.Reader, 256)
		if err != nil {
			t.Fatal(err)
		}
		one := big.NewInt(1)
		phi := new(big.Int).Mul(new(big.Int).Sub(p, one), new(big.Int).Sub(q, one))
		d := new(big.Int).ModInverse(big.NewInt(65537), phi)
		if d == nil || p.Cmp(q) == 0 {
			continue
		}
		return &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: new(big.Int).Mul(p, q), E: 65537}, D: d, Primes: []*big.Int{p, q}}
	}
}

func TestDKIMRefusesIncompleteSettings(t *testing.T) {
	d := testDKIM(t)
	for name, c := range map[string]struct {
		edit func(*DKIM)
		want string
	}{
		"no selector": {func(d *DKIM) { d.Selector = "" }, "newsletter.dkim.selector"},
		"no domain":   {func(d *DKIM) { d.Domain = "" }, "newsletter.dkim.domain"},
		"bad domain":  {func(d *DKIM) { d.Domain = "lmc.org; x=1" }, "newsletter.dkim.domain"},
		"no key":      {func(d *DKIM) { d.Key = nil }, EnvDKIMKey},
	} {
		dd := *d
		c.edit(&dd)
		err := WriteSigned(&bytes.Buffer{}, sample(), &dd)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v, want one line naming %s", name, err, c.want)
		}
	}
}

// TestDKIMRelaxedSurvivesRelays signs bodies that relaxed canonicalisation
// changes (spaces and tabs in runs and at line ends, blank lines at the
// end, a lone LF), then makes the changes relays make (refolding a header,
// trimming or adding spaces at line ends, adding blank lines at the end):
// go-msgauth verifies every one.
func TestDKIMRelaxedSurvivesRelays(t *testing.T) {
	d := testDKIM(t)
	lookup := dnsFor(t, d)
	head := "From: LMC <news@northfieldlmc.org.uk>\r\nTo: reader@nhs.example\r\nSubject: a subject\r\n that is folded\r\nDate: Thu, 01 Dec 2016 09:30:00 +0000\r\nMessage-ID: <2016-12.1@northfieldlmc.org.uk>\r\n" +
		"List-Unsubscribe: <https://northfieldlmc.org.uk/unsubscribe/t>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nList-Id: <newsletter.northfieldlmc.org.uk>\r\n\r\n"
	relays := map[string]func(string) string{
		"as signed": func(s string) string { return s },
		"header refolded": func(s string) string {
			return strings.Replace(s, "Subject: a subject\r\n that", "Subject:   a\r\n\tsubject that", 1)
		},
		"trailing spaces":     func(s string) string { return strings.ReplaceAll(s, "line\r\n", "line \t \r\n") },
		"blank lines added":   func(s string) string { return s + "\r\n\r\n" },
		"space runs doubled":  func(s string) string { return strings.ReplaceAll(s, "two words", "two  \t words") },
		"lone LF made CRLF":   func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n") },
		"header name recased": func(s string) string { return strings.Replace(s, "\r\nSubject:", "\r\nSUBJECT :", 1) },
	}
	for _, body := range []string{
		"a line\r\ntwo words\r\n",
		"  leading, then  two  words\t\tand tabs \t\r\nline   \r\n\r\n\r\n",
		"no final line end, two words",
		"lone LF\nline\r\n\r\n \r\n\t\r\n",
		"",
		"\r\n\r\n",
	} {
		raw := head + body
		sig, err := d.Signature([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		for name, relay := range relays {
			got := relay(sig + raw)
			vs, err := dkim.VerifyWithOptions(strings.NewReader(got), &dkim.VerifyOptions{LookupTXT: lookup})
			if err != nil || len(vs) != 1 || vs[0].Err != nil {
				t.Errorf("body %q, %s: does not verify: %v %v", body, name, err, vs)
			}
		}
	}
}

// FuzzDKIMSignature: whatever the body, go-msgauth verifies the signature.
func FuzzDKIMSignature(f *testing.F) {
	for _, s := range []string{"", "x", "a  b \r\n\r\n", "\t\n\n.\r\n", "=E2=80=99 soft=\r\nbreak\r\n", "\r", " \r\n x\r\n"} {
		f.Add(s)
	}
	_, ek := testKeys()
	d := &DKIM{Domain: "northfieldlmc.org.uk", Selector: "ed", Key: ek} // the canonicalisation is the same, and Ed25519 signs faster
	lookup := dnsFor(f, d)
	head := "From: news@northfieldlmc.org.uk\r\nTo: reader@nhs.example\r\nSubject: s\r\nDate: Thu, 01 Dec 2016 09:30:00 +0000\r\n\r\n"
	f.Fuzz(func(t *testing.T, body string) {
		// go-msgauth reads lone CRs as line ends where the sender's
		// canonicaliser cannot know; the message bytes the pool sends
		// never hold one (WriteEML ends every line with CRLF, and
		// quoted-printable encodes every other CR).
		if strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\r") {
			t.Skip()
		}
		raw := head + body
		sig, err := d.Signature([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		vs, err := dkim.VerifyWithOptions(strings.NewReader(sig+raw), &dkim.VerifyOptions{LookupTXT: lookup})
		if err != nil || len(vs) != 1 || vs[0].Err != nil {
			t.Fatalf("body %q: does not verify: %v %v", body, err, vs)
		}
	})
}
