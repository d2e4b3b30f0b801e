package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"lmcpress/internal/mailpittest"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
)

const serverSecret = "a test secret that is long enough for the links"

// serverSite makes a site folder with a site.yaml and a built public/.
func serverSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n"+
		"areas:\n  - {name: Northfield}\n"+
		"newsletter:\n  from: \"Test LMC <news@example.org>\"\n  replyTo: office@example.org\n  domain: example.org\n  signup:\n    ask: [areas]\n")
	writeFile(t, filepath.Join(root, "public/index.html"), "<!DOCTYPE html><title>Test LMC</title><p>home</p>")
	return root
}

// lockedBuffer is a Buffer that one goroutine writes while another reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var servingRE = regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`)

func TestServerRefusesToStart(t *testing.T) {
	root := serverSite(t)
	noPublic := serverSite(t)
	os.RemoveAll(filepath.Join(noPublic, "public"))
	env := map[string]string{"LMCPRESS_SECRET": serverSecret, "LMCPRESS_SMTP_URL": "smtp://127.0.0.1:1025"}
	cases := []struct {
		name, root, key, value, want string
	}{
		{"no secret", root, "LMCPRESS_SECRET", "", "openssl rand -base64 48"},
		{"short secret", root, "LMCPRESS_SECRET", strings.Repeat("x", 31), "at least 32"},
		{"no SMTP server", root, "LMCPRESS_SMTP_URL", "", "LMCPRESS_SMTP_URL"},
		{"not built", noPublic, "", "", "run lmcpress build"},
	}
	for _, c := range cases {
		getenv := func(k string) string {
			if k == c.key {
				return c.value
			}
			return env[k]
		}
		var out, errOut bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := run(ctx, []string{"server", "--root", c.root, "--addr", "127.0.0.1:0"}, getenv, testClock, strings.NewReader(""), &out, &errOut)
		cancel()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "data")); err == nil {
		t.Error("a server that refused to start made its data folder")
	}
}

// TestServerSendsFromTheNewsletter runs lmcpress server in-process on the
// pinned clock with a real Mailpit: the confirmation email comes from
// site.yaml's newsletter identity, DKIM-signed as the newsletter is, and
// stopping (as on SIGTERM) lets the
// request in flight finish and the command return cleanly.
func TestServerSendsFromTheNewsletter(t *testing.T) {
	mp := mailpittest.Start(t, mailpittest.Options{})
	root := serverSite(t)
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n"+
		"areas:\n  - {name: Northfield}\n"+
		"newsletter:\n  from: \"Test LMC <news@example.org>\"\n  replyTo: office@example.org\n  domain: example.org\n  dkim: {selector: lmc1}\n  signup:\n    ask: [areas]\n")
	_, key, _ := ed25519.GenerateKey(nil)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	env := map[string]string{"LMCPRESS_SECRET": serverSecret, "LMCPRESS_SMTP_URL": "smtp://" + mp.SMTPAddr(), "LMCPRESS_DKIM_KEY": keyPEM}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var out lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"server", "--root", root, "--addr", "127.0.0.1:0", "--links", "http://127.0.0.1:9/"},
			func(k string) string { return env[k] }, testClock, strings.NewReader(""), &out, io.Discard)
	}()
	base := waitServing(t, &out, done)
	form := url.Values{"email": {"pm@Surgery.example"}, "name": {"Sam"}, "areas": {"Northfield"}}
	req, _ := http.NewRequest("POST", base+"/subscribe", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Contains(body, []byte("Check your email")) || !bytes.Contains(body, []byte(`href="/css/site.css"`)) {
		t.Fatalf("sign-up: %s\n%s", res.Status, body)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatalf("server stopped with %v", err)
	}
	// The queued email went before the command returned.
	list := mp.Messages(t)
	if len(list) != 1 {
		t.Fatalf("%d emails, want 1", len(list))
	}
	m := mp.Message(t, list[0].ID)
	if m.From.Address != "news@example.org" || m.From.Name != "Test LMC" || len(m.ReplyTo) != 1 || m.ReplyTo[0].Address != "office@example.org" ||
		!strings.HasSuffix(m.MessageID, "@example.org") || !m.Date.Equal(testNow) || m.To[0].Address != "pm@surgery.example" {
		t.Errorf("email: from %+v reply-to %+v id %s date %s to %+v", m.From, m.ReplyTo, m.MessageID, m.Date, m.To)
	}
	if sig := mp.Headers(t, list[0].ID)["Dkim-Signature"]; len(sig) != 1 || !strings.Contains(sig[0], "s=lmc1") || !strings.Contains(sig[0], "d=example.org") {
		t.Errorf("DKIM-Signature: %q, want one for selector lmc1 of example.org", sig)
	}
	if !strings.Contains(m.Text, "http://127.0.0.1:9/confirm/") {
		t.Errorf("the link does not start with --links:\n%s", m.Text)
	}
	if !strings.Contains(out.String(), "Stopping") {
		t.Errorf("stdout: %s", out.String())
	}
}

func waitServing(t *testing.T, out *lockedBuffer, done <-chan error) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := servingRE.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("server ended before serving: %v\n%s", err, out.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not serving after 30s:\n%s", out.String())
		}
	}
}

// startServerProcess runs this test binary as lmcpress server on a free
// port of 127.0.0.1, trusting X-Forwarded-For from 127.0.0.1, sending
// through smtpAddr, and returns it, its address and the channel its exit
// arrives on.
func startServerProcess(t *testing.T, root, data, smtpAddr string, env ...string) (*exec.Cmd, string, <-chan error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "server", "--root", root, "--data", data, "--addr", "127.0.0.1:0", "--trust-proxy", "127.0.0.1")
	cmd.Env = append(os.Environ(), "LMCPRESS_TEST_AS_MAIN=1", "LMCPRESS_SECRET="+serverSecret, "LMCPRESS_SMTP_URL=smtp://"+smtpAddr)
	cmd.Env = append(cmd.Env, env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	m := servingRE.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("server printed %q (%v); stderr:\n%s", line, err, stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	return cmd, m[1], exited
}

// signUpRequest is a sign-up as the form posts it, from client number i.
func signUpRequest(ctx context.Context, base, addr string, i int64) *http.Request {
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/subscribe", strings.NewReader(url.Values{"email": {addr}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.%d.%d", i/250, i%250))
	return req
}

// TestServerFinishesRequestsOnSIGTERM sends SIGTERM to a real lmcpress
// server while sign-ups are in flight (each reply takes at least 50ms):
// every one it accepted is answered 200, stored and emailed (the queue is
// sent before the process ends), and the server exits cleanly.
func TestServerFinishesRequestsOnSIGTERM(t *testing.T) {
	mp := mailpittest.Start(t, mailpittest.Options{})
	root := serverSite(t)
	data := filepath.Join(t.TempDir(), "data")
	// Replies wait 2 s here rather than 50 ms, so that on a busy machine
	// the server has read every request before SIGTERM, and none has been
	// answered yet.
	cmd, base, exited := startServerProcess(t, root, data, mp.SMTPAddr(), envTestMinReply+"=2s")
	const n = 20
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// A connection of its own for each: the server gives a new connection
	// time to send its request, where a kept-alive idle one is closed at
	// once on shutdown, and that race is the client's, not the server's.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	codes := make([]int, n)
	errs := make([]error, n)
	var wg, written sync.WaitGroup
	for i := range n {
		wg.Add(1)
		written.Add(1)
		go func() {
			defer wg.Done()
			var once sync.Once
			trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(written.Done) }}
			req := signUpRequest(httptrace.WithClientTrace(ctx, trace), base, fmt.Sprintf("term%02d@example.org", i), int64(i))
			res, err := client.Do(req)
			once.Do(written.Done)
			if err != nil {
				errs[i] = err
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			codes[i] = res.StatusCode
		}()
	}
	// Every request is sent, and has had half a second to be read; its
	// reply is not due for 2 s.
	written.Wait()
	time.Sleep(500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	// A connection the server had not yet accepted when it closed its
	// listener is refused, as TCP does; every request it took is answered
	// in full.
	ok := 0
	for i := range n {
		switch {
		case errs[i] == nil && codes[i] == 200:
			ok++
		case errs[i] == nil:
			t.Errorf("sign-up %d during the stop: %d", i, codes[i])
		default:
			t.Logf("sign-up %d during the stop: %v (not yet accepted)", i, errs[i])
		}
	}
	if ok < n/2 {
		t.Errorf("%d of %d sign-ups in flight were answered after SIGTERM, want most", ok, n)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("server exited with %v after SIGTERM", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server still running 30s after SIGTERM")
	}
	store, err := sqlite.Open(filepath.Join(data, "lmcpress.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	held := map[string]bool{}
	for id := int64(1); id <= n; id++ {
		if s, err := store.Get(context.Background(), id); err == nil {
			held[s.Email] = true
		}
	}
	mailed := map[string]bool{}
	for _, m := range mp.Messages(t) {
		mailed[m.To[0].Address] = true
	}
	for i := range n {
		addr := fmt.Sprintf("term%02d@example.org", i)
		if codes[i] == 200 && !held[addr] {
			t.Errorf("%s was answered 200 but is not in the database", addr)
		}
		if codes[i] == 200 && !mailed[addr] {
			t.Errorf("%s was answered 200 but its confirmation email was not sent before the server stopped", addr)
		}
	}
}

// TestServerKilledDuringLoad kills a real lmcpress server process with
// SIGKILL while sign-ups pour in: the database then opens cleanly, and
// every sign-up the server acknowledged (2xx) is in it.
func TestServerKilledDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: kills a real server process under load")
	}
	root := serverSite(t)
	data := filepath.Join(t.TempDir(), "data")
	// No SMTP server answers on port 9 of loopback: the emails fail, which
	// is logged; this test checks the list.
	cmd, base, exited := startServerProcess(t, root, data, "127.0.0.1:9")
	const total, workers, killAfter = 600, 32, 150
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var (
		mu    sync.Mutex
		acked []string
		next  atomic.Int64
		wg    sync.WaitGroup
	)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	killed := make(chan struct{})
	var once sync.Once
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > total || ctx.Err() != nil {
					return
				}
				addr := fmt.Sprintf("kill%04d@example.org", i)
				res, err := client.Do(signUpRequest(ctx, base, addr, i))
				if err != nil {
					select {
					case <-killed:
						return // the server is gone: expected
					default:
						t.Errorf("sign-up %d before the kill: %v", i, err)
						return
					}
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err == nil && res.StatusCode/100 == 2 {
					mu.Lock()
					acked = append(acked, addr)
					n := len(acked)
					mu.Unlock()
					if n == killAfter {
						once.Do(func() {
							close(killed) // first: requests fail from now on
							if err := cmd.Process.Kill(); err != nil {
								t.Error(err)
							}
						})
					}
				} else if err == nil && res.StatusCode != 200 {
					t.Errorf("sign-up %d: %s", i, res.Status)
				}
			}
		}()
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatalf("the load ended (%d acknowledged) before the kill", len(acked))
	}
	if err := <-exited; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("server was not killed: %v", err)
	}
	t.Logf("%d sign-ups acknowledged before and during the kill", len(acked))

	store, err := sqlite.Open(filepath.Join(data, "lmcpress.db"))
	if err != nil {
		t.Fatalf("the database does not open after the kill: %v", err)
	}
	defer store.Close()
	held := map[string]bool{}
	for id, misses := int64(1), 0; misses < 50; id++ {
		s, err := store.Get(context.Background(), id)
		if errors.Is(err, subscriber.ErrNotFound) {
			misses++
			continue
		}
		if err != nil {
			t.Fatalf("Get(%d): %v", id, err)
		}
		held[s.Email] = true
	}
	var lost []string
	for _, a := range acked {
		if !held[a] {
			lost = append(lost, a)
		}
	}
	slices.Sort(lost)
	if len(lost) > 0 {
		t.Errorf("%d acknowledged sign-ups lost in the kill: %v", len(lost), lost)
	}
}

// envTestMinReply lengthens a test server's sign-up reply floor
// (signupMinReply); the real binary never reads it.
const envTestMinReply = "LMCPRESS_TEST_MIN_REPLY"
