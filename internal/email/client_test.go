package email

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"lmcpress/internal/mailpittest"
)

// TestSendThroughMailpit logs in to a real Mailpit on 127.0.0.1 (plain text
// is allowed on loopback), sends three messages over one connection, and
// reads each back: the bytes parse to the same headers and both parts, and
// Mailpit's own parse agrees.
func TestSendThroughMailpit(t *testing.T) {
	t.Parallel() // each test has its own Mailpit
	mp := mailpittest.Start(t, mailpittest.Options{Users: map[string]string{"alice": "s3cret"}})
	cfg, err := ParseURL(fmt.Sprintf("smtp://alice:s3cret@%s", mp.SMTPAddr()))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 10 * time.Second
	ctx := context.Background()
	c, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]Message{}
	for i := range 3 {
		msg := sample()
		msg.To = []mail.Address{{Name: fmt.Sprintf("Reader %d", i), Address: fmt.Sprintf("reader%d@nhs.example", i)}}
		msg.MessageID = fmt.Sprintf("2016-12.%d@northfieldlmc.org.uk", i)
		msg.Text += fmt.Sprintf("\nReader %d\n", i)
		if err := c.Send(ctx, msg); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		sent[msg.MessageID] = msg
	}
	if err := c.Close(); err != nil {
		t.Error(err)
	}

	list := mp.Messages(t)
	if len(list) != len(sent) {
		t.Fatalf("Mailpit holds %d messages, want %d", len(list), len(sent))
	}
	for _, s := range list {
		want, ok := sent[s.MessageID]
		if !ok {
			t.Errorf("Mailpit holds an unknown message %q", s.MessageID)
			continue
		}
		checkParsed(t, mp.Raw(t, s.ID), want)
		got := mp.Message(t, s.ID)
		if got.Subject != want.Subject || got.From.Address != want.From.Address ||
			len(got.To) != 1 || got.To[0].Address != want.To[0].Address ||
			len(got.ReplyTo) != 1 || got.ReplyTo[0].Address != want.ReplyTo.Address {
			t.Errorf("Mailpit read %s as %+v", s.MessageID, got)
		}
		if strings.ReplaceAll(got.Text, "\r\n", "\n") != want.Text {
			t.Errorf("%s: Mailpit's text part = %q, want %q", s.MessageID, got.Text, want.Text)
		}
		if !strings.Contains(got.HTML, `<table role="presentation" width="600">`) {
			t.Errorf("%s: Mailpit's HTML part = %q", s.MessageID, got.HTML)
		}
		h := mp.Headers(t, s.ID)
		if v := h["List-Unsubscribe-Post"]; len(v) != 1 || v[0] != "List-Unsubscribe=One-Click" {
			t.Errorf("%s: List-Unsubscribe-Post = %q", s.MessageID, v)
		}
	}
}

func TestDialWrongPasswordIsMasked(t *testing.T) {
	t.Parallel() // each test has its own Mailpit
	mp := mailpittest.Start(t, mailpittest.Options{Users: map[string]string{"alice": "right-one"}})
	cfg := Config{Host: mp.SMTPHost, Port: mp.SMTPPort, Username: "alice", Password: "wr0ng-pass", Security: LoopbackOptional, Timeout: 10 * time.Second}
	c, err := Dial(context.Background(), cfg)
	if err == nil {
		c.Close()
		t.Fatal("Dial with a wrong password succeeded")
	}
	msg := err.Error()
	t.Log(msg)
	if !strings.Contains(msg, mp.SMTPAddr()) || !strings.Contains(msg, "LMCPRESS_SMTP_URL") || strings.Contains(msg, "\n") {
		t.Errorf("error = %q, want one line naming %s and LMCPRESS_SMTP_URL", msg, mp.SMTPAddr())
	}
	if !strings.Contains(msg, "535") {
		t.Errorf("error = %q, want the server's refusal of the login (535)", msg)
	}
	if strings.Contains(msg, "wr0ng-pass") {
		t.Errorf("error shows the password: %s", msg)
	}
}

func TestDialUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().(*net.TCPAddr)
	l.Close() // nothing listens there now
	cfg := Config{Host: "127.0.0.1", Port: addr.Port, Username: "u", Password: "s3cret", Security: LoopbackOptional, Timeout: 5 * time.Second}
	_, err = Dial(context.Background(), cfg)
	if err == nil {
		t.Fatal("Dial to a closed port succeeded")
	}
	msg := err.Error()
	t.Log(msg)
	if want := "127.0.0.1:" + strconv.Itoa(addr.Port); !strings.Contains(msg, want) || !strings.Contains(msg, "cannot reach") || !strings.Contains(msg, "check LMCPRESS_SMTP_URL") || strings.Contains(msg, "\n") || strings.Contains(msg, "s3cret") {
		t.Errorf("error = %q, want one line naming %s and LMCPRESS_SMTP_URL, without the password", msg, want)
	}
}

// TestStartTLS runs Mailpit with a certificate made here and STARTTLS
// required: a client that trusts the certificate sends; one that does not
// is refused at the handshake, and a StartTLS config against a server with
// no STARTTLS is refused rather than sending in plain text.
func TestStartTLS(t *testing.T) {
	t.Parallel() // each test has its own Mailpit
	certFile, keyFile, pool := makeCert(t)
	mp := mailpittest.Start(t, mailpittest.Options{TLSCert: certFile, TLSKey: keyFile, RequireSTARTTLS: true})
	cfg := Config{Host: mp.SMTPHost, Port: mp.SMTPPort, Username: "any", Password: "s3cret", Security: StartTLS, RootCAs: pool, Timeout: 10 * time.Second}
	ctx := context.Background()
	c, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Send(ctx, sample()); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if n := len(mp.Messages(t)); n != 1 {
		t.Errorf("Mailpit holds %d messages, want 1", n)
	}

	untrusted := cfg
	untrusted.RootCAs = x509.NewCertPool()
	if c, err := Dial(ctx, untrusted); err == nil {
		c.Close()
		t.Error("Dial succeeded with a certificate the client does not trust")
	} else if t.Log(err); !strings.Contains(err.Error(), "certificate") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("untrusted certificate: error = %q", err)
	}

	plain := mailpittest.Start(t, mailpittest.Options{})
	noTLS := Config{Host: plain.SMTPHost, Port: plain.SMTPPort, Security: StartTLS, Timeout: 10 * time.Second}
	if c, err := Dial(ctx, noTLS); err == nil {
		c.Close()
		t.Error("Dial with STARTTLS required succeeded against a server without STARTTLS")
	} else if t.Log(err); !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("no STARTTLS: error = %q", err)
	}
}

// TestImplicitTLS sends through Mailpit speaking TLS from the first byte,
// as an smtps:// URL asks.
func TestImplicitTLS(t *testing.T) {
	t.Parallel() // each test has its own Mailpit
	certFile, keyFile, pool := makeCert(t)
	mp := mailpittest.Start(t, mailpittest.Options{TLSCert: certFile, TLSKey: keyFile, ImplicitTLS: true})
	cfg, err := ParseURL(fmt.Sprintf("smtps://bob:pw@%s", mp.SMTPAddr()))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RootCAs, cfg.Timeout = pool, 10*time.Second
	c, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Send(context.Background(), sample()); err != nil {
		t.Fatal(err)
	}
	c.Close()
	if n := len(mp.Messages(t)); n != 1 {
		t.Errorf("Mailpit holds %d messages, want 1", n)
	}
	// The same server is refused by a client that would start in plain text.
	plain := cfg
	plain.Security = StartTLS
	plain.Timeout = time.Second // it waits for a greeting that never comes
	if c, err := Dial(context.Background(), plain); err == nil {
		c.Close()
		t.Error("a plain-text client was served by an implicit-TLS server")
	}
}

// makeCert writes a self-signed certificate for 127.0.0.1 and its key, and
// returns a pool that trusts it.
func makeCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	// Validity fixed far around any test run: not read from the clock.
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "lmcpress test"},
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestMaskHidesPasswordAndUnwraps(t *testing.T) {
	cause := fmt.Errorf("server said: bad login alice/s3cret")
	cfg := Config{Password: "s3cret"}
	err := cfg.mask(fmt.Errorf("email: dial: %w", cause))
	if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "alice/xxxxx") {
		t.Errorf("masked = %q", err)
	}
	if !errors.Is(err, cause) {
		t.Error("masked error does not unwrap to its cause")
	}
}
