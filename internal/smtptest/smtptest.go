// Package smtptest runs an SMTP server inside a test or benchmark, on
// 127.0.0.1, built on emersion/go-smtp: what a real relay does wrong, on
// cue. A hook decides, per command and recipient, to defer (4xx), refuse
// (5xx) or cut the connection in the middle of DATA, which no real server
// can be made to do at a chosen moment (Mailpit's chaos mode answers 4xx
// and 5xx at random, but never drops a connection mid-message). With
// Discard it is the benchmark's sink: it reads every byte and keeps none,
// so what is measured is the sender.
//
// Tests and benchmarks only: nothing in the binary imports it (deps_test.go
// holds that rule), and it is the only importer of go-smtp and go-sasl.
package smtptest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Stage is the SMTP command a fault answers.
type Stage string

const (
	Mail Stage = "MAIL"
	Rcpt Stage = "RCPT"
	// Data is the reply after the message's final ".", or the cut during it.
	Data Stage = "DATA"
)

// Fault is what the server does instead of accepting: reply Code (4xx or
// 5xx) with Text, or, with Cut at the Data stage, read part of the message
// and drop the connection without replying. With CutAfterData it takes the
// whole message, keeps it, and hangs up before replying: the one moment
// at which a client cannot tell a delivered message from a lost one. The
// zero Fault accepts.
type Fault struct {
	Code         int
	Text         string
	Cut          bool
	CutAfterData bool
}

// Hook decides the fault, if any, for a command. rcpt is the message's
// first recipient (for Mail, the one its RCPT will name is not known yet:
// rcpt is ""), and seen counts how many times that recipient has reached
// this stage, this time included, so "defer the first try only" is
// seen == 1. Hooks run on the server's connection goroutines.
type Hook func(stage Stage, rcpt string, seen int) Fault

// Options choose how the server behaves.
type Options struct {
	// TLS, if set, makes the server offer STARTTLS with this configuration.
	TLS *tls.Config
	// Users, if set, are the logins (user → password) AUTH PLAIN accepts,
	// and mail is refused without one; otherwise no AUTH is offered.
	Users map[string]string
	// Hook injects faults; nil accepts everything.
	Hook Hook
	// Discard reads each message and keeps only the count and the bytes:
	// the benchmark's sink, flat in memory however many it takes.
	Discard bool
}

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data []byte // as sent, dot-unstuffed, CRLF line ends
}

// Server is a running SMTP server.
type Server struct {
	Host string // 127.0.0.1
	Port int

	opts     Options
	srv      *smtp.Server
	conns    atomic.Int64 // connections accepted
	accepted atomic.Int64
	bytes    atomic.Int64

	mu       sync.Mutex
	received []Received
	seen     map[string]int // stage + " " + rcpt → times
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Start listens on a free port of 127.0.0.1 and serves until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s := &Server{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, opts: opts, seen: map[string]int{}}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil // again after STARTTLS: not a count of connections
	}))
	s.srv.Domain = "smtptest.localhost"
	s.srv.TLSConfig = opts.TLS
	s.srv.AllowInsecureAuth = opts.TLS == nil // loopback only
	s.srv.MaxMessageBytes = 32 << 20
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // a cut connection is expected
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.srv.Serve(countingListener{l, &s.conns})
	}()
	t.Cleanup(func() {
		s.srv.Close()
		<-done
	})
	return s
}

// Messages are the messages accepted so far, in order (none with Discard).
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Accepted counts the messages accepted so far.
func (s *Server) Accepted() int { return int(s.accepted.Load()) }

// Bytes counts the bytes of the accepted messages.
func (s *Server) Bytes() int64 { return s.bytes.Load() }

// Connections counts the connections the server has served.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// countingListener counts the connections it accepts.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// fault asks the hook about stage for rcpt, counting the visit.
func (s *Server) fault(stage Stage, rcpt string) Fault {
	if s.opts.Hook == nil {
		return Fault{}
	}
	s.mu.Lock()
	key := string(stage) + " " + rcpt
	s.seen[key]++
	n := s.seen[key]
	s.mu.Unlock()
	return s.opts.Hook(stage, rcpt, n)
}

// smtpError turns a fault into go-smtp's reply, or nil to accept.
func (f Fault) smtpError() error {
	if f.Code == 0 {
		return nil
	}
	text := f.Text
	if text == "" {
		text = "fault injected by the test"
	}
	// "4.7.1 greylisted" gives the enhanced code 4.7.1; otherwise X.0.0.
	ec := smtp.EnhancedCode{f.Code / 100, 0, 0}
	if code, rest, ok := strings.Cut(text, " "); ok {
		var a, b, c int
		if n, _ := fmt.Sscanf(code, "%d.%d.%d", &a, &b, &c); n == 3 && a == f.Code/100 {
			ec, text = smtp.EnhancedCode{a, b, c}, rest
		}
	}
	return &smtp.SMTPError{Code: f.Code, EnhancedCode: ec, Message: text}
}

type session struct {
	s      *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

var errAuth = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.Users == nil {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if want, ok := ss.s.opts.Users[user]; !ok || want != pass || (identity != "" && identity != user) {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.Users != nil && !ss.authed {
		return errAuth
	}
	if err := ss.s.fault(Mail, "").smtpError(); err != nil {
		return err
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.s.fault(Rcpt, to).smtpError(); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	var rcpt string
	if len(ss.to) > 0 {
		rcpt = ss.to[0]
	}
	f := ss.s.fault(Data, rcpt)
	if f.Cut {
		// Take part of the message, then hang up without a reply: the
		// client cannot know whether the message was taken.
		io.CopyN(io.Discard, r, 4096)
		ss.conn.Conn().Close()
		return errors.New("smtptest: connection cut by the test")
	}
	var data []byte
	var n int64
	var err error
	if ss.s.opts.Discard {
		n, err = io.Copy(io.Discard, r)
	} else {
		data, err = io.ReadAll(r)
		n = int64(len(data))
	}
	if err != nil {
		return err
	}
	if err := f.smtpError(); err != nil {
		return err
	}
	ss.s.accepted.Add(1)
	ss.s.bytes.Add(n)
	if !ss.s.opts.Discard {
		ss.s.mu.Lock()
		ss.s.received = append(ss.s.received, Received{From: ss.from, To: append([]string(nil), ss.to...), Data: data})
		ss.s.mu.Unlock()
	}
	if f.CutAfterData {
		ss.conn.Conn().Close()
		return errors.New("smtptest: connection cut by the test after the message was kept")
	}
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// String describes the server for a test's log.
func (s *Server) String() string {
	var opts []string
	if s.opts.TLS != nil {
		opts = append(opts, "STARTTLS")
	}
	if s.opts.Users != nil {
		opts = append(opts, "AUTH PLAIN")
	}
	if s.opts.Discard {
		opts = append(opts, "discard")
	}
	return fmt.Sprintf("smtptest %s (%s)", s.Addr(), strings.Join(opts, ", "))
}
