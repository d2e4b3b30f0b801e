package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"lmcpress/internal/mailpittest"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
)

const sendSecret = "send-test-secret-0123456789abcdef0123456789"

// sendSite writes a small site with one issue (January 2020), two areas
// and a DKIM selector, and returns its folder.
func sendSite(t *testing.T, editorial string) string {
	t.Helper()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), `title: Test LMC
baseURL: https://lmc.example.org/
organisation: {name: Test LMC}
areas:
  - {name: Northfield, description: "The town."}
  - {name: Eastbrook, description: "The borough."}
newsletter:
  from: "Test LMC <news@lmc.example.org>"
  replyTo: office@lmc.example.org
  domain: lmc.example.org
  dkim: {selector: lmc2020}
`)
	writeFile(t, filepath.Join(root, "content/newsletters/2020-01.md"), "---\ntitle: January 2020\ndate: 2020-01-10\n---\n"+editorial+"\n")
	return root
}

// dkimKey makes an Ed25519 key: its PEM for LMCPRESS_DKIM_KEY, and the
// TXT lookup its DNS record would answer.
func dkimKey(t *testing.T) (string, func(string) ([]string, error)) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), func(name string) ([]string, error) {
		if name != "lmc2020._domainkey.lmc.example.org" {
			return nil, fmt.Errorf("no TXT record %s", name)
		}
		return []string{"v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)}, nil
	}
}

// seedList puts n confirmed people (every third in Northfield) and one
// pending and one unsubscribed on the list in data, with the real store.
func seedList(t *testing.T, data string, n int) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(filepath.Join(data, "lmcpress.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetSecret(ctx, []byte(sendSecret)); err != nil {
		t.Fatal(err)
	}
	var recs []subscriber.Record
	for i := range n {
		r := subscriber.Record{Subscriber: subscriber.Subscriber{Email: fmt.Sprintf("gp%04d@practice.example.org", i), Status: subscriber.Confirmed},
			ConsentAt: testNow.AddDate(-1, 0, 0), ConsentSource: "test"}
		if i%3 == 0 {
			r.Areas = []string{"Northfield"}
		}
		recs = append(recs, r)
	}
	recs = append(recs,
		subscriber.Record{Subscriber: subscriber.Subscriber{Email: "pending@practice.example.org", Status: subscriber.Pending}},
		subscriber.Record{Subscriber: subscriber.Subscriber{Email: "left@practice.example.org", Status: subscriber.Unsubscribed}})
	if _, err := s.Import(ctx, recs, sqlite.ImportOptions{File: "list.csv", At: testNow.AddDate(0, -1, 0)}); err != nil {
		t.Fatal(err)
	}
}

// sendCert writes a self-signed certificate for 127.0.0.1 and its key.
// Its validity is fixed far around any test run, not read from the clock.
func sendCert(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "lmcpress send test"},
		NotBefore:   time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:    time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeFile(t, certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, keyFile, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})))
	return certFile, keyFile
}

// sendProcess starts this test binary as lmcpress with env added to the
// environment, its output in out.
func sendProcess(t *testing.T, env map[string]string, out *bytes.Buffer, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "LMCPRESS_TEST_AS_MAIN=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// runSendCLI runs the program at the test clock with env and stdin.
func runSendCLI(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := run(ctx, args, func(k string) string { return env[k] }, testClock, strings.NewReader(stdin), &out, &errOut)
	return out.String(), err
}

// received counts what Mailpit holds, by recipient.
func received(t *testing.T, mp *mailpittest.Server) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, m := range mp.Messages(t) {
		for _, to := range m.To {
			n[to.Address]++
		}
	}
	return n
}

// TestNewsletterSendMailpit sends an issue to a list through a real
// Mailpit: the plan and a confirmation first, each confirmed subscriber
// exactly one DKIM-signed copy (every signature checked by go-msgauth),
// nobody pending or unsubscribed, and a second send sends nothing.
func TestNewsletterSendMailpit(t *testing.T) {
	root := sendSite(t, "Hello, practices.")
	data := filepath.Join(t.TempDir(), "data")
	seedList(t, data, 40)
	keyPEM, lookup := dkimKey(t)
	mp := mailpittest.Start(t, mailpittest.Options{})
	env := map[string]string{"LMCPRESS_SMTP_URL": "smtp://" + mp.SMTPAddr(), "LMCPRESS_SECRET": sendSecret, "LMCPRESS_DKIM_KEY": keyPEM}
	args := []string{"newsletter", "send", "2020-01", "--root", root, "--data", data, "--rate", "0", "--links", "https://news.lmc.example.org/"}

	out, err := runSendCLI(t, env, "no\n", args...)
	if err != nil || !strings.Contains(out, "January 2020 newsletter to 40 confirmed subscribers, all areas") || !strings.Contains(out, "not sent") {
		t.Fatalf("answered no: %v\n%s", err, out)
	}
	out, err = runSendCLI(t, env, "", append(args, "--dry-run", "--area", "northfield")...)
	if err != nil || !strings.Contains(out, "January 2020 newsletter to 14 confirmed subscribers, Northfield edition") ||
		!strings.Contains(out, "first recipients:\n  gp0000@practice.example.org") || !strings.Contains(out, "dry run: nothing sent") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if n := len(mp.Messages(t)); n != 0 {
		t.Fatalf("Mailpit holds %d messages before the send", n)
	}

	out, err = runSendCLI(t, env, "yes\n", args...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	t.Logf("send:\n%s", out)
	if !strings.Contains(out, "summary: 40 sent, 0 refused for good, 0 deferred") || !strings.Contains(out, "done: every confirmed subscriber") ||
		!strings.Contains(out, "DKIM-signed for lmc.example.org") {
		t.Errorf("stdout:\n%s", out)
	}
	got := received(t, mp)
	for i := range 40 {
		if addr := fmt.Sprintf("gp%04d@practice.example.org", i); got[addr] != 1 {
			t.Errorf("%s got %d copies, want 1", addr, got[addr])
		}
	}
	if len(got) != 40 {
		t.Errorf("Mailpit holds mail for %d addresses, want 40 (nobody pending or unsubscribed)", len(got))
	}
	for _, m := range mp.Messages(t) {
		raw := mp.Raw(t, m.ID)
		vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{LookupTXT: lookup})
		if err != nil || len(vs) != 1 || vs[0].Err != nil || vs[0].Domain != "lmc.example.org" {
			t.Fatalf("%s: verifications %+v, %v; want one valid signature", m.To[0].Address, vs, err)
		}
		head := string(raw[:bytes.Index(raw, []byte("\r\n\r\n"))])
		sig := head[strings.Index(head, "DKIM-Signature:"):]
		sig = sig[:strings.Index(sig, "\r\nFrom:")]
		for _, h := range []string{"List-Unsubscribe", "List-Unsubscribe-Post", "List-Id"} {
			if !strings.Contains(strings.Join(strings.Fields(sig), ""), h+":") {
				t.Errorf("the signature does not cover %s: %s", h, sig)
				break
			}
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if lu := msg.Header.Get("List-Unsubscribe"); !strings.HasPrefix(lu, "<https://news.lmc.example.org/unsubscribe/") || !strings.HasSuffix(lu, ", <mailto:office@lmc.example.org?subject=unsubscribe>") {
			t.Errorf("List-Unsubscribe %q, want the --links address and the reply-to mailto", lu)
		}
		if !strings.HasPrefix(m.MessageID, "2020-01.") || !strings.HasSuffix(m.MessageID, "@lmc.example.org") {
			t.Errorf("Message-ID %q", m.MessageID)
		}
	}

	out, err = runSendCLI(t, env, "", append(args, "--yes")...)
	if err != nil || !strings.Contains(out, "nothing to send: it has already gone to every confirmed subscriber (40 sent") {
		t.Errorf("second send: %v\n%s", err, out)
	}
	if n := len(mp.Messages(t)); n != 40 {
		t.Errorf("Mailpit holds %d messages after a second send, want 40", n)
	}
	out, err = runSendCLI(t, env, "", "newsletter", "status", "2020-01", "--root", root, "--data", data)
	if err != nil || !strings.Contains(out, "2020-01: 40 sent, 0 pending, 0 failed") {
		t.Errorf("status: %v\n%s", err, out)
	}
}

// TestNewsletterSendPausesAndStatus: a relay refusing every recipient
// (Mailpit's chaos) pauses the send after the pool's ten failures in a
// row, and status lists the failures with the server's reply.
func TestNewsletterSendPausesAndStatus(t *testing.T) {
	root := sendSite(t, "Hello.")
	data := filepath.Join(t.TempDir(), "data")
	seedList(t, data, 15)
	mp := mailpittest.Start(t, mailpittest.Options{Chaos: true})
	mp.SetChaos(t, mailpittest.Chaos{Recipient: mailpittest.ChaosTrigger{ErrorCode: 550, Probability: 100}})
	keyPEM, _ := dkimKey(t)
	env := map[string]string{"LMCPRESS_SMTP_URL": "smtp://" + mp.SMTPAddr(), "LMCPRESS_SECRET": sendSecret, "LMCPRESS_DKIM_KEY": keyPEM}
	out, err := runSendCLI(t, env, "", "newsletter", "send", "2020-01", "--root", root, "--data", data, "--rate", "0", "--yes", "--connections", "1")
	if err == nil || !strings.Contains(err.Error(), "paused itself") || !strings.Contains(err.Error(), "failures in a row") {
		t.Fatalf("err %v, want a pause\n%s", err, out)
	}
	if !strings.Contains(out, "summary: 0 sent, 10 refused for good") {
		t.Errorf("stdout:\n%s", out)
	}
	out, err = runSendCLI(t, env, "", "newsletter", "status", "2020-01", "--root", root, "--data", data)
	if err != nil || !strings.Contains(out, "2020-01: 0 sent, 5 pending, 10 failed (10 refused for good, 0 deferred)") ||
		!strings.Contains(out, "gp0000@practice.example.org (subscriber 1): failed-permanent after 1 attempt: 550") {
		t.Errorf("status: %v\n%s", err, out)
	}
}

// TestNewsletterSendRefusesPatientData: an issue with an NHS number is
// refused before anyone is mailed.
func TestNewsletterSendRefusesPatientData(t *testing.T) {
	root := sendSite(t, "Re: Mr John Smith, NHS 943 476 5919.")
	data := filepath.Join(t.TempDir(), "data")
	seedList(t, data, 3)
	mp := mailpittest.Start(t, mailpittest.Options{})
	env := map[string]string{"LMCPRESS_SMTP_URL": "smtp://" + mp.SMTPAddr(), "LMCPRESS_SECRET": sendSecret}
	_, err := runSendCLI(t, env, "", "newsletter", "send", "2020-01", "--root", root, "--data", data, "--yes")
	if err == nil || !strings.Contains(err.Error(), "content/newsletters/2020-01.md:") || !strings.Contains(err.Error(), "nhs-number") {
		t.Errorf("err %v, want the NHS number with file:line", err)
	}
	if n := len(mp.Messages(t)); n != 0 {
		t.Errorf("Mailpit holds %d messages", n)
	}
}

// TestNewsletterSendKilledAndResumed kills a real send (this test binary
// run as lmcpress) with SIGKILL halfway, then sends again: everyone gets
// the issue, and nobody twice but the messages the journal had in flight
// at the kill (at most one per connection), which the resumed send's
// summary counts. Mailpit requires STARTTLS and a login, as a relay does.
func TestNewsletterSendKilledAndResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: kills a real send")
	}
	const n, conns = 300, 4
	root := sendSite(t, "Hello, practices.")
	data := filepath.Join(t.TempDir(), "data")
	seedList(t, data, n)
	keyPEM, _ := dkimKey(t)
	// STARTTLS required, and a login: the processes trust the test's
	// certificate through SSL_CERT_FILE, as a relay's would be trusted.
	certFile, keyFile := sendCert(t)
	mp := mailpittest.Start(t, mailpittest.Options{TLSCert: certFile, TLSKey: keyFile, RequireSTARTTLS: true, Users: map[string]string{"lmc": "s3cret"}})
	env := map[string]string{"LMCPRESS_SMTP_URL": "smtp://lmc:s3cret@" + mp.SMTPAddr(), "LMCPRESS_SECRET": sendSecret, "LMCPRESS_DKIM_KEY": keyPEM,
		"SSL_CERT_FILE": certFile}
	args := []string{"newsletter", "send", "2020-01", "--root", root, "--data", data, "--yes", "--connections", fmt.Sprint(conns), "--rate", "150/s",
		"--now", testNow.Format(time.RFC3339)}

	var stdout bytes.Buffer
	cmd := sendProcess(t, env, &stdout, args...)
	deadline := time.Now().Add(time.Minute)
	for len(mp.Messages(t)) < n/4 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the send did not get going:\n%s", stdout.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || strings.Contains(stdout.String(), "done:") {
		t.Fatalf("the send finished before it was killed:\n%s", stdout.String())
	}
	// Give Mailpit a moment to store what it accepted as the process died.
	time.Sleep(200 * time.Millisecond)
	atKill := len(mp.Messages(t))

	s, err := sqlite.Open(filepath.Join(data, "lmcpress.db"))
	if err != nil {
		t.Fatal(err)
	}
	inFlight, err := s.Deliveries(context.Background(), "2020-01", subscriber.InFlight)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	// A message is claimed only by a connection free to send it.
	if len(inFlight) > conns {
		t.Errorf("%d messages in flight at the kill, want at most %d (one per connection)", len(inFlight), conns)
	}
	wasInFlight := map[string]bool{}
	for _, d := range inFlight {
		wasInFlight[d.Email] = true
	}
	t.Logf("killed with %d messages in Mailpit and %d in flight in the journal", atKill, len(inFlight))

	var resumed bytes.Buffer
	if err := sendProcess(t, env, &resumed, args...).Wait(); err != nil {
		t.Fatalf("resume: %v\n%s", err, resumed.String())
	}
	out := resumed.String()
	if len(inFlight) > 0 && !strings.Contains(out, fmt.Sprintf("possible duplicates: %s from the stopped send", plural(len(inFlight), "message in flight"))) {
		t.Errorf("the resumed send's summary does not count the %d in flight:\n%s", len(inFlight), out)
	}
	got := received(t, mp)
	twice := 0
	for i := range n {
		addr := fmt.Sprintf("gp%04d@practice.example.org", i)
		switch c := got[addr]; {
		case c == 0:
			t.Errorf("%s never got the issue", addr)
		case c == 2 && wasInFlight[addr]:
			twice++
		case c > 1:
			t.Errorf("%s got %d copies and was not in flight at the kill", addr, c)
		}
	}
	if twice > conns || twice > len(inFlight) {
		t.Errorf("%d people got two copies; at most %d (one per connection, and no more than the %d in flight)", twice, conns, len(inFlight))
	}
	t.Logf("after the resume: %d messages, %d people got two copies", len(mp.Messages(t)), twice)

	out, err = runSendCLI(t, env, "", args...)
	if err != nil || !strings.Contains(out, "nothing to send") {
		t.Errorf("third send: %v\n%s", err, out)
	}
}

// TestNewsletterSendOneAtATime: a second send on the same database while
// one runs is refused, not run alongside (each would take the other's
// messages in flight for a killed send's and send them again).
func TestNewsletterSendOneAtATime(t *testing.T) {
	root := sendSite(t, "Hello.")
	data := filepath.Join(t.TempDir(), "data")
	seedList(t, data, 2)
	keyPEM, _ := dkimKey(t)
	env := map[string]string{"LMCPRESS_SMTP_URL": "smtp://127.0.0.1:9", "LMCPRESS_SECRET": sendSecret, "LMCPRESS_DKIM_KEY": keyPEM}
	lock, err := lockSend(data)
	if err != nil {
		t.Fatal(err)
	}
	_, err = runSendCLI(t, env, "", "newsletter", "send", "2020-01", "--root", root, "--data", data, "--yes")
	if err == nil || !strings.Contains(err.Error(), "another lmcpress newsletter send is running") {
		t.Errorf("err %v, want the running send named", err)
	}
	if out, err := runSendCLI(t, env, "", "newsletter", "send", "2020-01", "--root", root, "--data", data, "--dry-run"); err != nil || !strings.Contains(out, "dry run") {
		t.Errorf("a dry run beside a send: %v\n%s", err, out)
	}
	lock.Close()
	if l, err := lockSend(data); err != nil {
		t.Errorf("the lock is still held after its holder let go: %v", err)
	} else {
		l.Close()
	}
}

// TestNewsletterSendDryRunNeedsNoSecrets: a dry run shows the plan and
// the first recipients with none of the server's secret, the relay's
// address and password, or the DKIM key set, and says what a send will
// need; the real send still refuses to start without them.
func TestNewsletterSendDryRunNeedsNoSecrets(t *testing.T) {
	root := sendSite(t, "Hello.")
	data := filepath.Join(t.TempDir(), "data")
	seedList(t, data, 3)
	args := []string{"newsletter", "send", "2020-01", "--root", root, "--data", data}
	out, err := runSendCLI(t, map[string]string{}, "", append(args, "--dry-run")...)
	if err != nil {
		t.Fatalf("dry run with no secrets: %v\n%s", err, out)
	}
	for _, want := range []string{"January 2020 newsletter to 3 confirmed subscribers, all areas", "(LMCPRESS_SMTP_URL not set)",
		"DKIM-signed with selector lmc2020 once LMCPRESS_DKIM_KEY is set", "first recipients:\n  gp0000@practice.example.org", "dry run: nothing sent"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	// A key that is given is still checked, dry run or not.
	if _, err := runSendCLI(t, map[string]string{"LMCPRESS_DKIM_KEY": "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----"}, "", append(args, "--dry-run")...); err == nil || !strings.Contains(err.Error(), "LMCPRESS_DKIM_KEY") {
		t.Errorf("a dry run with a bad key: err %v, want it named", err)
	}
	for _, env := range []map[string]string{
		{"LMCPRESS_SECRET": sendSecret},
		{"LMCPRESS_SMTP_URL": "smtp://127.0.0.1:9"},
	} {
		if _, err := runSendCLI(t, env, "", append(args, "--yes")...); err == nil {
			t.Errorf("a send with only %v set started", env)
		}
	}
}

// TestNewsletterSendInterrupted stops a real send with SIGINT (Ctrl-C):
// the messages on the wire finish and are recorded, nothing is left in
// flight, the summary says how far it got, and the journal's sent count
// is exactly what Mailpit received.
func TestNewsletterSendInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: interrupts a real send")
	}
	const n = 200
	root := sendSite(t, "Hello, practices.")
	data := filepath.Join(t.TempDir(), "data")
	seedList(t, data, n)
	keyPEM, _ := dkimKey(t)
	mp := mailpittest.Start(t, mailpittest.Options{})
	env := map[string]string{"LMCPRESS_SMTP_URL": "smtp://" + mp.SMTPAddr(), "LMCPRESS_SECRET": sendSecret, "LMCPRESS_DKIM_KEY": keyPEM}
	var out bytes.Buffer
	cmd := sendProcess(t, env, &out, "newsletter", "send", "2020-01", "--root", root, "--data", data, "--yes", "--rate", "100/s", "--now", testNow.Format(time.RFC3339))
	deadline := time.Now().Add(time.Minute)
	for len(mp.Messages(t)) < 20 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the send did not get going:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil || !strings.Contains(out.String(), "newsletter send interrupted") || !strings.Contains(out.String(), "summary: ") {
		t.Fatalf("exit %v, output:\n%s", err, out.String())
	}
	s, err := sqlite.Open(filepath.Join(data, "lmcpress.db"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.SendCounts(context.Background(), "2020-01")
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	got := len(mp.Messages(t))
	if c.InFlight != 0 || c.Sent != got || got >= n {
		t.Errorf("journal %+v, Mailpit %d of %d: want nothing in flight and the sent count exact", c, got, n)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("2020-01: %d sent, %d pending", c.Sent, n-c.Sent)) {
		t.Errorf("the summary does not match the journal %+v:\n%s", c, out.String())
	}
}

func TestParseRateAndThousands(t *testing.T) {
	for in, want := range map[string]float64{"10/s": 10, "10": 10, "300/min": 5, "7200/h": 2, "0": 0, " 2.5 / s ": 2.5} {
		if got, err := parseRate(in); err != nil || got != want {
			t.Errorf("parseRate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "fast", "10/day", "-1/s"} {
		if _, err := parseRate(in); err == nil || !strings.Contains(err.Error(), "--rate") {
			t.Errorf("parseRate(%q): err %v, want one naming --rate", in, err)
		}
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234: "1,234", 100000: "100,000", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
