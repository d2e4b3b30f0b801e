package main

import (
	"bytes"
	"context"
	"flag"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"lmcpress/internal/mailpittest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// runWithEnv runs the program at the test clock with env as its
// environment.
func runWithEnv(t *testing.T, env map[string]string, args ...string) (stdout string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = run(ctx, args, func(k string) string { return env[k] }, testClock, strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

// TestNewsletterTestSend sends the December 2016 issue's test copy to a
// real Mailpit and reads it back: the "[TEST] " subject, both parts, the
// sender, recipient and Reply-To from site.yaml, the pinned Date and a
// Message-ID on the LMC's domain, and no unsubscribe placeholder left.
func TestNewsletterTestSend(t *testing.T) {
	mp := mailpittest.Start(t, mailpittest.Options{})
	env := map[string]string{"LMCPRESS_SMTP_URL": "smtp://" + mp.SMTPAddr()}
	stdout, err := runWithEnv(t, env, "newsletter", "test", "2016-12", "--to", "Practice Manager <pm@practice.example.org>", "--root", "../..")
	if err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, `sent "[TEST] December 2016 newsletter" to "Practice Manager" <pm@practice.example.org> via `+mp.SMTPAddr()) {
		t.Errorf("stdout:\n%s", stdout)
	}
	msgs := mp.Messages(t)
	if len(msgs) != 1 {
		t.Fatalf("Mailpit holds %d messages, want 1", len(msgs))
	}
	m := mp.Message(t, msgs[0].ID)
	if m.Subject != "[TEST] December 2016 newsletter" {
		t.Errorf("subject %q", m.Subject)
	}
	if m.From.Address != "news@example.org" || m.From.Name != "Northfield and District LMC" {
		t.Errorf("from %+v", m.From)
	}
	if len(m.To) != 1 || m.To[0].Address != "pm@practice.example.org" || m.To[0].Name != "Practice Manager" {
		t.Errorf("to %+v", m.To)
	}
	if len(m.ReplyTo) != 1 || m.ReplyTo[0].Address != "office@example.org" {
		t.Errorf("reply-to %+v", m.ReplyTo)
	}
	if !m.Date.Equal(testNow) {
		t.Errorf("date %v, want the pinned clock %v", m.Date, testNow)
	}
	if !strings.HasPrefix(m.MessageID, "2016-12.test.") || !strings.HasSuffix(m.MessageID, "@example.org") {
		t.Errorf("Message-ID %q, want 2016-12.test.…@example.org", m.MessageID)
	}
	if !strings.Contains(m.Text, "Winter workforce survey") || !strings.Contains(m.HTML, "<table") || !strings.Contains(m.HTML, "Winter workforce survey") {
		t.Errorf("parts: text %d bytes, HTML %d bytes, want both with the issue's items", len(m.Text), len(m.HTML))
	}
	if strings.Contains(m.Text, "LMCPRESS-UNSUBSCRIBE-URL") || strings.Contains(m.HTML, "LMCPRESS-UNSUBSCRIBE-URL") {
		t.Error("the unsubscribe placeholder reached the test copy")
	}
}

// TestNewsletterTestRefuses: a bad --to, a missing or unreachable server,
// and patient data in an item each stop the test send with one line saying
// what to fix, and nothing reaches the server.
func TestNewsletterTestRefuses(t *testing.T) {
	for _, to := range []string{"", "not an address", "a@example.org, b@example.org"} {
		_, err := runWithEnv(t, nil, "newsletter", "test", "2016-12", "--to", to, "--root", "../..")
		if err == nil || !strings.Contains(err.Error(), "--to") {
			t.Errorf("--to %q: %v", to, err)
		}
	}
	_, err := runWithEnv(t, nil, "newsletter", "test", "2016-12", "--to", "pm@example.org", "--root", "../..")
	if err == nil || err.Error() == "" || !strings.Contains(err.Error(), "LMCPRESS_SMTP_URL is not set") || strings.Contains(err.Error(), "\n") {
		t.Errorf("no LMCPRESS_SMTP_URL: %v", err)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	closed := map[string]string{"LMCPRESS_SMTP_URL": "smtp://127.0.0.1:" + strconv.Itoa(port)}
	_, err = runWithEnv(t, closed, "newsletter", "test", "2016-12", "--to", "pm@example.org", "--root", "../..")
	if err == nil || !strings.Contains(err.Error(), "cannot reach the SMTP server 127.0.0.1:"+strconv.Itoa(port)) || !strings.Contains(err.Error(), "check LMCPRESS_SMTP_URL") || strings.Contains(err.Error(), "\n") {
		t.Errorf("closed port: %v", err)
	}

	mp := mailpittest.Start(t, mailpittest.Options{})
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\nnewsletter:\n  from: \"Test LMC <news@example.org>\"\n")
	writeFile(t, filepath.Join(root, "content/newsletters/2020-01.md"), "---\ntitle: January 2020\ndate: 2020-01-10\n---\nHello.\n")
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: A\ndate: 2020-01-02\n---\n\nThe patient's NHS number is 943 476 5919.\n")
	env := map[string]string{"LMCPRESS_SMTP_URL": "smtp://" + mp.SMTPAddr()}
	_, err = runWithEnv(t, env, "newsletter", "test", "2020-01", "--to", "pm@example.org", "--root", root)
	if err == nil || !strings.Contains(err.Error(), "content/news/a.md:6") {
		t.Errorf("patient data: %v", err)
	}
	if n := len(mp.Messages(t)); n != 0 {
		t.Errorf("patient data: Mailpit holds %d messages, want none", n)
	}
	// The same site without it sends: the check above stopped on the data.
	writeFile(t, filepath.Join(root, "content/news/a.md"), "---\ntitle: A\ndate: 2020-01-02\n---\n\nAll well.\n")
	if _, err = runWithEnv(t, env, "newsletter", "test", "2020-01", "--to", "pm@example.org", "--root", root); err != nil {
		t.Errorf("clean issue: %v", err)
	}
	if n := len(mp.Messages(t)); n != 1 {
		t.Errorf("clean issue: Mailpit holds %d messages, want 1", n)
	}
}

// TestNewsletterPreviewGolden compares the December 2016 issue's .eml, as
// preview writes it at the pinned clock, with testdata/2016-12.eml
// (regenerate with go test ./cmd/lmcpress -run PreviewGolden -update).
func TestNewsletterPreviewGolden(t *testing.T) {
	dir := t.TempDir()
	if stdout, _, err := runCLI(t, "newsletter", "preview", "2016-12", "--root", "../..", "--out", dir); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	got, err := os.ReadFile(filepath.Join(dir, "2016-12.eml"))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "2016-12.eml")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got %q\nwant %q\n(run with -update if the change is meant)", golden, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d (run with -update if the change is meant)", golden, len(gl), len(wl))
	}
	if !bytes.Contains(want, []byte("\r\n")) {
		t.Errorf("%s has lost its CRLF line ends (see testdata/.gitattributes)", golden)
	}
}
