package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emersion/go-msgauth/dkim"

	"lmcpress/internal/mailpittest"
)

// TestNewsletterTestSendSigned sends a test copy with LMCPRESS_DKIM_KEY
// (as PEM text, then as a file's path) and site.yaml's newsletter: dkim:
// selector: Mailpit gets it signed for the newsletter's domain, and
// go-msgauth verifies the signature against the public key as the LMC's
// DNS would publish it.
func TestNewsletterTestSendSigned(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\nnewsletter:\n  from: \"Test LMC <news@lmc.example.org>\"\n  dkim: {selector: lmc2020}\n")
	writeFile(t, filepath.Join(root, "content/newsletters/2020-01.md"), "---\ntitle: January 2020\ndate: 2020-01-10\n---\nHello.\n")
	keyFile := filepath.Join(root, "dkim.pem")
	writeFile(t, keyFile, keyPEM)
	lookup := func(name string) ([]string, error) {
		if name != "lmc2020._domainkey.lmc.example.org" {
			return nil, fmt.Errorf("no TXT record %s", name)
		}
		return []string{"v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)}, nil
	}
	for name, value := range map[string]string{"pem text": keyPEM, "key file": keyFile} {
		t.Run(name, func(t *testing.T) {
			mp := mailpittest.Start(t, mailpittest.Options{})
			env := map[string]string{"LMCPRESS_SMTP_URL": "smtp://" + mp.SMTPAddr(), "LMCPRESS_DKIM_KEY": value}
			stdout, err := runWithEnv(t, env, "newsletter", "test", "2020-01", "--to", "pm@example.org", "--root", root)
			if err != nil {
				t.Fatalf("%v\n%s", err, stdout)
			}
			if !strings.Contains(stdout, "signed with DKIM for lmc.example.org: receivers check it against the TXT record of lmc2020._domainkey.lmc.example.org") {
				t.Errorf("stdout:\n%s", stdout)
			}
			msgs := mp.Messages(t)
			if len(msgs) != 1 {
				t.Fatalf("Mailpit holds %d messages, want 1", len(msgs))
			}
			vs, err := dkim.VerifyWithOptions(bytes.NewReader(mp.Raw(t, msgs[0].ID)), &dkim.VerifyOptions{LookupTXT: lookup})
			if err != nil || len(vs) != 1 || vs[0].Err != nil || vs[0].Domain != "lmc.example.org" {
				t.Fatalf("verifications %+v, %v; want one valid signature for lmc.example.org", vs, err)
			}
		})
	}

	mp := mailpittest.Start(t, mailpittest.Options{})
	for name, c := range map[string]struct {
		siteDKIM, key, want string
	}{
		"key without selector": {"", keyPEM, "names no DKIM selector"},
		"selector without key": {"  dkim: {selector: lmc2020}\n", "", "LMCPRESS_DKIM_KEY is not"},
		"missing key file":     {"  dkim: {selector: lmc2020}\n", filepath.Join(root, "nope.pem"), "nope.pem"},
		"not a key":            {"  dkim: {selector: lmc2020}\n", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "not a private key"},
	} {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\nnewsletter:\n  from: \"Test LMC <news@lmc.example.org>\"\n"+c.siteDKIM)
		writeFile(t, filepath.Join(dir, "content/newsletters/2020-01.md"), "---\ntitle: January 2020\ndate: 2020-01-10\n---\nHello.\n")
		env := map[string]string{"LMCPRESS_SMTP_URL": "smtp://" + mp.SMTPAddr(), "LMCPRESS_DKIM_KEY": c.key}
		_, err := runWithEnv(t, env, "newsletter", "test", "2020-01", "--to", "pm@example.org", "--root", dir)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "LMCPRESS_DKIM_KEY") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v, want one line naming LMCPRESS_DKIM_KEY and %q", name, err, c.want)
		}
	}
	if n := len(mp.Messages(t)); n != 0 {
		t.Errorf("Mailpit holds %d messages after refused settings, want none", n)
	}
}
