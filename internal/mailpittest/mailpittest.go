// Package mailpittest starts a real Mailpit (an SMTP server that keeps what
// it receives and shows it through an HTTP API) on 127.0.0.1 for a test, and
// reads back what it received. Tests only: nothing in the binary imports it
// (deps_test.go holds that rule).
//
// The mailpit binary is installed by .ci/run (go install
// github.com/axllent/mailpit@v1.27.11); where it is found neither on PATH nor
// in $(go env GOPATH)/bin, Start skips the test and says why.
package mailpittest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options choose how the server behaves.
type Options struct {
	// Users, if set, are the only logins the server accepts (user → password);
	// otherwise it accepts any login, or none.
	Users map[string]string
	// TLSCert and TLSKey are PEM files: the server then offers STARTTLS.
	TLSCert, TLSKey string
	// RequireSTARTTLS refuses mail from a client that did not upgrade.
	RequireSTARTTLS bool
	// ImplicitTLS speaks TLS from the first byte, as on port 465.
	ImplicitTLS bool
	// Chaos starts Mailpit with --enable-chaos, so that SetChaos can make
	// it refuse a share of senders or recipients.
	Chaos bool
}

// Server is a running Mailpit.
type Server struct {
	SMTPHost string // 127.0.0.1
	SMTPPort int
	API      string // http://127.0.0.1:PORT
	cmd      *exec.Cmd
}

// SMTPAddr is host:port of the SMTP listener.
func (s *Server) SMTPAddr() string { return net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort)) }

// Binary finds the mailpit binary, or says why there is none.
func Binary() (string, error) {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		out, err := exec.Command("go", "env", "GOPATH").Output()
		if err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("mailpit is neither on PATH nor in $(go env GOPATH)/bin: install it with go install github.com/axllent/mailpit@v1.27.11 (.ci/run does)")
}

// Start runs Mailpit on two free ports of 127.0.0.1, waits until its API
// answers, and stops it when the test ends. It skips the test if the binary
// is absent.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Skip(err)
	}
	args := []string{"--disable-version-check", "--smtp-disable-rdns", "--quiet",
		"--database", filepath.Join(t.TempDir(), "mailpit.db")}
	if len(opts.Users) > 0 {
		var b strings.Builder
		for u, p := range opts.Users {
			fmt.Fprintf(&b, "%s:%s\n", u, p)
		}
		file := filepath.Join(t.TempDir(), "users")
		if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--smtp-auth-file", file)
	} else {
		args = append(args, "--smtp-auth-accept-any")
	}
	if !opts.RequireSTARTTLS && !opts.ImplicitTLS {
		// PLAIN and LOGIN on a plain connection: loopback only.
		args = append(args, "--smtp-auth-allow-insecure")
	}
	if opts.TLSCert != "" {
		args = append(args, "--smtp-tls-cert", opts.TLSCert, "--smtp-tls-key", opts.TLSKey)
	}
	if opts.RequireSTARTTLS {
		args = append(args, "--smtp-require-starttls")
	}
	if opts.ImplicitTLS {
		args = append(args, "--smtp-require-tls")
	}
	if opts.Chaos {
		args = append(args, "--enable-chaos")
	}
	// A port found free may be taken before Mailpit binds it: try again.
	var lastErr error
	for range 3 {
		s, err := start(t, bin, args)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("mailpit did not start: %v", lastErr)
	return nil
}

func start(t testing.TB, bin string, args []string) (*Server, error) {
	smtpPort, apiPort, err := freePort(), freePort(), error(nil)
	if smtpPort == 0 || apiPort == 0 || smtpPort == apiPort {
		return nil, fmt.Errorf("no free port on 127.0.0.1")
	}
	s := &Server{SMTPHost: "127.0.0.1", SMTPPort: smtpPort, API: fmt.Sprintf("http://127.0.0.1:%d", apiPort)}
	args = append(args, "--smtp", s.SMTPAddr(), "--listen", fmt.Sprintf("127.0.0.1:%d", apiPort))
	var out syncBuffer
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = &out, &out
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	stop := func() {
		s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			s.cmd.Process.Kill()
			<-exited
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get(s.API + "/api/v1/info")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && smtpListening(s.SMTPAddr()) {
				break
			}
		}
		select {
		case err := <-exited:
			exited <- err
			stop()
			return nil, fmt.Errorf("mailpit exited (%v): %s", err, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("mailpit's API did not answer within 15s: %s", out.String())
		}
	}
	t.Cleanup(stop)
	return s, err
}

func smtpListening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// syncBuffer collects Mailpit's output for an error message.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(b.buf.String())
}

// Address is a name and address as Mailpit's API gives them.
type Address struct {
	Name    string
	Address string
}

// Summary is one message in the list of GET /api/v1/messages.
type Summary struct {
	ID        string
	MessageID string
	Subject   string
	From      Address
	To        []Address
}

// Message is one message as GET /api/v1/message/{ID} gives it.
type Message struct {
	ID        string
	MessageID string
	Subject   string
	From      Address
	To        []Address
	ReplyTo   []Address
	Date      time.Time
	Text      string
	HTML      string
}

// ChaosTrigger is one of Mailpit's chaos rules: reply ErrorCode (400-599)
// to Probability percent of the commands it covers.
type ChaosTrigger struct {
	ErrorCode   int
	Probability int
}

// Chaos is the body of PUT /api/v1/chaos (Mailpit v1.27): Sender covers
// MAIL FROM, Recipient each RCPT TO, Authentication AUTH. A zero trigger
// is off.
type Chaos struct {
	Sender, Recipient, Authentication ChaosTrigger
}

// SetChaos replaces the chaos rules; the server must have been started
// with Options.Chaos.
func (s *Server) SetChaos(t testing.TB, c Chaos) {
	t.Helper()
	body, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPut, s.API+"/api/v1/chaos", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit PUT /api/v1/chaos: %v", err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit PUT /api/v1/chaos %s: %s %s", body, resp.Status, got)
	}
}

// Messages lists what the server received, newest first.
func (s *Server) Messages(t testing.TB) []Summary {
	t.Helper()
	var list struct {
		Messages []Summary `json:"messages"`
	}
	s.getJSON(t, "/api/v1/messages?limit=1000", &list)
	return list.Messages
}

// Message reads one message.
func (s *Server) Message(t testing.TB, id string) Message {
	t.Helper()
	var m Message
	s.getJSON(t, "/api/v1/message/"+id, &m)
	return m
}

// Headers reads one message's headers, by name.
func (s *Server) Headers(t testing.TB, id string) map[string][]string {
	t.Helper()
	var h map[string][]string
	s.getJSON(t, "/api/v1/message/"+id+"/headers", &h)
	return h
}

// Raw reads the bytes of one message as the server received them.
func (s *Server) Raw(t testing.TB, id string) []byte {
	t.Helper()
	return s.get(t, "/api/v1/message/"+id+"/raw")
}

// Get reads any API path (such as /api/v1/message/{ID}/html-check).
func (s *Server) Get(t testing.TB, path string) []byte {
	t.Helper()
	return s.get(t, path)
}

func (s *Server) getJSON(t testing.TB, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(s.get(t, path), v); err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
}

func (s *Server) get(t testing.TB, path string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.API+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit %s: %s %v: %s", path, resp.Status, err, body)
	}
	return body
}
