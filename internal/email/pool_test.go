package email

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"iter"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"lmcpress/internal/smtptest"
)

// reader is the address of the i-th test subscriber.
func reader(i int) string { return fmt.Sprintf("reader%d@nhs.example", i) }

// issue yields n personalised copies of sample(), one per reader, made as
// they are pulled; pulled counts them.
func issue(n int, pulled *int) iter.Seq[Message] {
	return func(yield func(Message) bool) {
		for i := range n {
			m := sample()
			m.To = []mail.Address{{Name: fmt.Sprintf("Reader %d", i), Address: reader(i)}}
			m.MessageID = fmt.Sprintf("2016-12.%d@northfieldlmc.org.uk", i+1)
			m.Headers = append([]Header(nil), m.Headers...)
			m.Headers[1].Value = fmt.Sprintf("<https://northfieldlmc.org.uk/unsubscribe/tok%d>, <mailto:unsubscribe@northfieldlmc.org.uk?subject=tok%d>", i, i)
			if pulled != nil {
				*pulled++
			}
			if !yield(m) {
				return
			}
		}
	}
}

// results collects what Send reports, by recipient.
type results struct {
	mu   sync.Mutex
	byTo map[string]Result
	all  []Result
}

func (r *results) report(res Result) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byTo == nil {
		r.byTo = map[string]Result{}
	}
	to := res.Message.To[0].Address
	if _, dup := r.byTo[to]; dup {
		return fmt.Errorf("%s reported twice", to)
	}
	r.byTo[to] = res
	r.all = append(r.all, res)
	return nil
}

// fastPool is a pool against srv with retries that do not wait long.
func fastPool(srv *smtptest.Server) Pool {
	return Pool{
		Server:  Config{Host: srv.Host, Port: srv.Port, Security: LoopbackOptional, Timeout: 10 * time.Second},
		Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
	}
}

// TestPoolSendsEachMessageOnceOverFewConnections sends 60 signed messages
// over 3 connections: the server gets each exactly once, over 3
// connections, every signature verifies, and each message's result is
// reported once, as accepted with the server's reply.
func TestPoolSendsEachMessageOnceOverFewConnections(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	d := testDKIM(t)
	p := fastPool(srv)
	p.Connections, p.DKIM = 3, d
	var got results
	const n = 60
	pulled := 0
	sum, err := p.Send(context.Background(), issue(n, &pulled), got.report)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != n || sum.Refused != 0 || sum.Deferred != 0 || sum.Retries != 0 || sum.Connections != 3 {
		t.Errorf("summary = %+v, want %d accepted over 3 connections", sum, n)
	}
	if c := srv.Connections(); c != 3 {
		t.Errorf("the server saw %d connections, want 3", c)
	}
	lookup := dnsFor(t, d)
	seen := map[string]int{}
	for _, m := range srv.Messages() {
		seen[m.To[0]]++
		verifyDKIM(t, m.Data, lookup)
		if m.From != "news@northfieldlmc.org.uk" {
			t.Errorf("envelope sender %q", m.From)
		}
	}
	for i := range n {
		to := reader(i)
		if seen[to] != 1 {
			t.Errorf("%s received %d copies, want 1", to, seen[to])
		}
		res := got.byTo[to]
		if res.Outcome != Accepted || res.Err != nil || res.Attempts != 1 || !strings.HasPrefix(res.Reply, "250 ") {
			t.Errorf("%s: result %v %q %d %v", to, res.Outcome, res.Reply, res.Attempts, res.Err)
		}
	}
}

// TestPoolRetriesTemporaryFailures: a deferred RCPT, a deferred DATA and a
// connection cut in the middle of DATA are tried again (the cut one on a
// new connection) and delivered once each; 5xx replies are final, reported
// with the server's words, and the connection goes on.
func TestPoolRetriesTemporaryFailures(t *testing.T) {
	faults := map[string]func(smtptest.Stage, int) smtptest.Fault{
		reader(1): func(s smtptest.Stage, seen int) smtptest.Fault {
			if s == smtptest.Rcpt && seen == 1 {
				return smtptest.Fault{Code: 451, Text: "4.7.1 greylisted, try again"}
			}
			return smtptest.Fault{}
		},
		reader(2): func(s smtptest.Stage, seen int) smtptest.Fault {
			if s == smtptest.Data && seen <= 2 {
				return smtptest.Fault{Code: 452, Text: "4.3.1 out of space"}
			}
			return smtptest.Fault{}
		},
		reader(3): func(s smtptest.Stage, seen int) smtptest.Fault {
			return smtptest.Fault{Cut: s == smtptest.Data && seen == 1}
		},
		reader(4): func(s smtptest.Stage, _ int) smtptest.Fault {
			if s == smtptest.Rcpt {
				return smtptest.Fault{Code: 550, Text: "5.1.1 no such mailbox"}
			}
			return smtptest.Fault{}
		},
		reader(5): func(s smtptest.Stage, _ int) smtptest.Fault {
			if s == smtptest.Data {
				return smtptest.Fault{Code: 554, Text: "5.7.1 message refused"}
			}
			return smtptest.Fault{}
		},
	}
	srv := smtptest.Start(t, smtptest.Options{Hook: func(s smtptest.Stage, rcpt string, seen int) smtptest.Fault {
		if f := faults[rcpt]; f != nil {
			return f(s, seen)
		}
		return smtptest.Fault{}
	}})
	p := fastPool(srv)
	p.Connections = 1 // so that the reconnection is the cut's
	var got results
	sum, err := p.Send(context.Background(), issue(8, nil), got.report)
	if err != nil {
		t.Fatal(err)
	}
	for to, want := range map[string]struct {
		outcome  Outcome
		attempts int
		reply    string
	}{
		reader(0): {Accepted, 1, "250 "},
		reader(1): {Accepted, 2, "250 "},
		reader(2): {Accepted, 3, "250 "},
		reader(3): {Accepted, 2, "250 "},
		reader(4): {Refused, 1, "550 5.1.1 no such mailbox"},
		reader(5): {Refused, 1, "554 5.7.1 message refused"},
		reader(7): {Accepted, 1, "250 "},
	} {
		res := got.byTo[to]
		if res.Outcome != want.outcome || res.Attempts != want.attempts || !strings.HasPrefix(res.Reply, want.reply) {
			t.Errorf("%s: %v after %d attempts, reply %q; want %v after %d, %q", to, res.Outcome, res.Attempts, res.Reply, want.outcome, want.attempts, want.reply)
		}
		if want.outcome == Refused {
			if msg := res.Err.Error(); !strings.Contains(msg, want.reply) || !strings.Contains(msg, srv.Addr()) || strings.Contains(msg, "\n") {
				t.Errorf("%s: error %q, want one line with the reply and the server", to, msg)
			}
		}
	}
	if sum.Accepted != 6 || sum.Refused != 2 || sum.Deferred != 0 || sum.Retries != 4 {
		t.Errorf("summary = %+v, want 6 accepted, 2 refused, 4 retries", sum)
	}
	if c := srv.Connections(); c != 2 {
		t.Errorf("the server saw %d connections, want 2 (one more after the cut)", c)
	}
	seen := map[string]int{}
	for _, m := range srv.Messages() {
		seen[m.To[0]]++
	}
	for i := range 8 {
		want := 1
		if i == 4 || i == 5 {
			want = 0
		}
		if seen[reader(i)] != want {
			t.Errorf("%s received %d copies, want %d", reader(i), seen[reader(i)], want)
		}
	}
}

// TestPoolReconnects: a 421 (the server closing the channel) is retried
// on a new connection; a connection lost after the whole message was sent
// is retried too, and then the server has it twice, under the same
// Message-ID, which is how a receiver (and the LMC) recognise the
// duplicate that a lost reply can cause.
func TestPoolReconnects(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Hook: func(s smtptest.Stage, rcpt string, seen int) smtptest.Fault {
		switch {
		case rcpt == reader(1) && s == smtptest.Rcpt && seen == 1:
			return smtptest.Fault{Code: 421, Text: "4.3.2 shutting down"}
		case rcpt == reader(3) && s == smtptest.Data && seen == 1:
			return smtptest.Fault{CutAfterData: true}
		}
		return smtptest.Fault{}
	}})
	p := fastPool(srv)
	p.Connections = 1
	var got results
	sum, err := p.Send(context.Background(), issue(5, nil), got.report)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != 5 || sum.Retries != 2 || sum.Connections != 3 || srv.Connections() != 3 {
		t.Errorf("summary %+v, server connections %d; want 5 accepted, 2 retries, 3 connections", sum, srv.Connections())
	}
	for _, i := range []int{1, 3} {
		if res := got.byTo[reader(i)]; res.Outcome != Accepted || res.Attempts != 2 {
			t.Errorf("%s: %v after %d attempts, want accepted after 2", reader(i), res.Outcome, res.Attempts)
		}
	}
	ids := map[string][]string{}
	for _, m := range srv.Messages() {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatal(err)
		}
		ids[m.To[0]] = append(ids[m.To[0]], msg.Header.Get("Message-ID"))
	}
	if d := ids[reader(3)]; len(d) != 2 || d[0] != d[1] {
		t.Errorf("the reply lost after DATA: copies with Message-IDs %q, want two with the same", d)
	}
	for _, i := range []int{0, 1, 2, 4} {
		if len(ids[reader(i)]) != 1 {
			t.Errorf("%s received %d copies, want 1", reader(i), len(ids[reader(i)]))
		}
	}
}

// TestPoolDefersAfterAttempts: a recipient the server always defers is
// given up after Attempts tries, as Deferred for a later send, while the
// others go through.
func TestPoolDefersAfterAttempts(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Hook: func(s smtptest.Stage, rcpt string, _ int) smtptest.Fault {
		if s == smtptest.Rcpt && rcpt == reader(2) {
			return smtptest.Fault{Code: 450, Text: "4.2.1 mailbox busy"}
		}
		return smtptest.Fault{}
	}})
	p := fastPool(srv)
	p.Attempts = 3
	var got results
	sum, err := p.Send(context.Background(), issue(5, nil), got.report)
	if err != nil {
		t.Fatal(err)
	}
	res := got.byTo[reader(2)]
	if res.Outcome != Deferred || res.Attempts != 3 || res.Reply != "450 4.2.1 mailbox busy" || res.Err == nil {
		t.Errorf("always deferred: %v after %d attempts, reply %q, err %v", res.Outcome, res.Attempts, res.Reply, res.Err)
	}
	if sum.Accepted != 4 || sum.Deferred != 1 {
		t.Errorf("summary = %+v", sum)
	}
}

// TestPoolStopsAfterFailuresInARow: a relay that refuses every recipient
// stops the send after MaxFailures, saying why, having pulled only the
// messages it tried.
func TestPoolStopsAfterFailuresInARow(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Hook: func(s smtptest.Stage, _ string, _ int) smtptest.Fault {
		if s == smtptest.Rcpt {
			return smtptest.Fault{Code: 550, Text: "5.7.1 sender account suspended"}
		}
		return smtptest.Fault{}
	}})
	p := fastPool(srv)
	p.Connections, p.MaxFailures = 2, 6
	var got results
	pulled := 0
	_, err := p.Send(context.Background(), issue(1000, &pulled), got.report)
	var stopped *StoppedError
	if !errors.As(err, &stopped) {
		t.Fatalf("err = %v, want a *StoppedError", err)
	}
	msg := err.Error()
	t.Log(msg)
	if stopped.Failures != 6 || !strings.Contains(msg, "6 failures in a row") || !strings.Contains(msg, "550 5.7.1 sender account suspended") ||
		!strings.Contains(msg, EnvURL) || strings.Contains(msg, "\n") {
		t.Errorf("error = %q, want one line with the count, the last reply and %s", msg, EnvURL)
	}
	if n := len(got.all); n < 6 || n > 6+p.Connections {
		t.Errorf("%d results reported, want 6 to %d", n, 6+p.Connections)
	}
	// Messages are made ahead: at most one per connection waits ready,
	// one per maker is in hand, and one per connection may have been
	// taken but not yet offered to its Step when the send stopped (a
	// connection descheduled between the two, while the other made all
	// six attempts). Those never offered are never tried.
	if ahead, most := pulled-len(got.all), 3*p.Connections; ahead < 0 || ahead > most {
		t.Errorf("%d messages pulled, %d reported: the pool may make only %d ahead", pulled, len(got.all), most)
	}
	if n := srv.Messages(); len(n) > 0 {
		t.Errorf("the server accepted %d messages", len(n))
	}
}

// TestPoolClaimsOneMessagePerConnection cancels a send part-way, and stops
// another with a failing Step, as the journal would: every message the
// server accepted was claimed and recorded as accepted (the journal's
// guarantee), and at no moment are more messages claimed and not recorded
// than there are connections, however far ahead the pool makes them.
func TestPoolClaimsOneMessagePerConnection(t *testing.T) {
	for _, how := range []string{"cancel", "step error"} {
		t.Run(how, func(t *testing.T) {
			srv := smtptest.Start(t, smtptest.Options{})
			p := fastPool(srv)
			p.Connections = 4
			p.DKIM = testDKIM(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			claimed, recorded, accepted, most := 0, 0, 0, 0
			journalDown := errors.New("journal: disk full")
			step := func(done *Result, next *Message) (Take, error) {
				if done != nil {
					recorded++
					if done.Outcome == Accepted {
						accepted++
					}
					if recorded == 25 {
						if how == "cancel" {
							cancel()
						} else {
							return Skip, journalDown
						}
					}
				}
				if next == nil {
					return Skip, nil
				}
				claimed++
				most = max(most, claimed-recorded)
				return Go, nil
			}
			_, err := p.SendSteps(ctx, issue(500, nil), step)
			if how == "cancel" && !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if how == "step error" && !errors.Is(err, journalDown) {
				t.Errorf("err = %v, want the step's error", err)
			}
			if most > p.Connections {
				t.Errorf("%d messages claimed and not recorded at once, want %d at most", most, p.Connections)
			}
			// Cancelled, the messages in flight finish and are recorded;
			// once the journal fails, those in flight on the other
			// connections are accepted but cannot be recorded.
			unrecorded := 0
			if how == "step error" {
				unrecorded = p.Connections - 1
			}
			if srv.Accepted() > accepted+unrecorded {
				t.Errorf("the server accepted %d messages, %d were recorded accepted", srv.Accepted(), accepted)
			}
			if srv.Accepted() > claimed || claimed > 25+p.Connections {
				t.Errorf("%d claimed, %d accepted by the server, stopped at 25", claimed, srv.Accepted())
			}
		})
	}
}

// TestPoolStepSkipsAndRemakes: a message the Step skips is never sent, and
// one it changes (a new address) goes as changed, signed again.
func TestPoolStepSkipsAndRemakes(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	p := fastPool(srv)
	p.Connections = 2
	p.DKIM = testDKIM(t)
	var offered, done int
	sum, err := p.SendSteps(context.Background(), issue(30, nil), func(d *Result, next *Message) (Take, error) {
		if d != nil {
			done++
		}
		if next == nil {
			return Skip, nil
		}
		offered++
		switch to := next.To[0].Address; {
		case to == reader(3), to == reader(17):
			return Skip, nil
		case to == reader(5):
			next.To[0].Address = "moved@practice.example"
			return Remade, nil
		}
		return Go, nil
	})
	if err != nil || sum.Accepted != 28 || offered != 30 || done != 28 {
		t.Fatalf("summary %+v, %d offered, %d done, err %v; want 28 sent of 30 offered", sum, offered, done, err)
	}
	lookup := dnsFor(t, p.DKIM)
	got := map[string]bool{}
	for _, m := range srv.Messages() {
		got[m.To[0]] = true
		verifyDKIM(t, m.Data, lookup)
		if m.To[0] == "moved@practice.example" && !bytes.Contains(headerOf(m.Data), []byte("\" <moved@practice.example>\r\n")) {
			t.Errorf("the remade message's header is not the new address:\n%s", headerOf(m.Data))
		}
	}
	for _, want := range []string{"moved@practice.example", reader(4)} {
		if !got[want] {
			t.Errorf("nothing received for %s", want)
		}
	}
	for _, not := range []string{reader(3), reader(5), reader(17)} {
		if got[not] {
			t.Errorf("%s was sent, want skipped or remade", not)
		}
	}
}

// TestPoolRate: 20 messages at 40 a second take at least 19/40 s, however
// fast the server is.
func TestPoolRate(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	p := fastPool(srv)
	p.Rate = 40
	start := time.Now()
	sum, err := p.Send(context.Background(), issue(20, nil), func(Result) error { return nil })
	elapsed := time.Since(start)
	if err != nil || sum.Accepted != 20 {
		t.Fatalf("%+v, %v", sum, err)
	}
	if min := 19 * time.Second / 40; elapsed < min {
		t.Errorf("20 messages at 40/s took %v, want at least %v", elapsed, min)
	}
	t.Logf("20 messages at 40/s: %v", elapsed)
}

// TestPoolLoginAndSTARTTLS sends through a server that requires STARTTLS
// and a login; a wrong password stops at once, masked, without retries.
func TestPoolLoginAndSTARTTLS(t *testing.T) {
	certFile, keyFile, roots := makeCert(t)
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(t, smtptest.Options{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}, Users: map[string]string{"lmc": "s3cret"}})
	cfg, err := ParseURL("smtp://lmc:s3cret@" + srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Security, cfg.RootCAs, cfg.Timeout = StartTLS, roots, 10*time.Second
	p := Pool{Server: cfg, Connections: 2, DKIM: testDKIM(t)}
	sum, err := p.Send(context.Background(), issue(10, nil), func(Result) error { return nil })
	if err != nil || sum.Accepted != 10 {
		t.Fatalf("summary %+v, err %v", sum, err)
	}
	if n := len(srv.Messages()); n != 10 {
		t.Errorf("the server holds %d messages, want 10", n)
	}
	lookup := dnsFor(t, p.DKIM)
	for _, m := range srv.Messages() {
		verifyDKIM(t, m.Data, lookup)
	}

	before := srv.Connections()
	p.Server.Password = "wr0ng-pass"
	p.Backoff = time.Hour // a retry would hang the test
	var got results
	_, err = p.Send(context.Background(), issue(10, nil), got.report)
	if err == nil {
		t.Fatal("a wrong password sent")
	}
	msg := err.Error()
	t.Log(msg)
	if !strings.Contains(msg, "535") || strings.Contains(msg, "wr0ng-pass") || !strings.Contains(msg, EnvURL) || strings.Contains(msg, "\n") {
		t.Errorf("error = %q, want one line with the 535, %s, no password", msg, EnvURL)
	}
	if n := srv.Connections() - before; n > p.Connections {
		t.Errorf("%d connections tried with a wrong password, want at most %d", n, p.Connections)
	}
	for _, res := range got.all {
		if res.Outcome == Accepted {
			t.Errorf("%s accepted with a wrong password", res.Message.To[0].Address)
		}
	}
}

// TestPoolServerDown: a server that cannot be reached is dialled again
// with backoff, and after MaxFailures tries the send stops, saying so.
func TestPoolServerDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	p := Pool{Server: Config{Host: "127.0.0.1", Port: port, Security: LoopbackOptional, Timeout: 5 * time.Second},
		Connections: 2, MaxFailures: 4, Backoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond}
	var got results
	sum, err := p.Send(context.Background(), issue(100, nil), got.report)
	var stopped *StoppedError
	if !errors.As(err, &stopped) || !strings.Contains(err.Error(), "cannot reach the SMTP server 127.0.0.1:") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v, want one line: stopped, cannot reach the server", err)
	}
	t.Log(err)
	if sum.Accepted != 0 || sum.Connections != 0 || len(got.all) > p.Connections {
		t.Errorf("summary %+v, %d reported; want nothing sent and only the messages in hand reported", sum, len(got.all))
	}
	for _, r := range got.all {
		if r.Outcome != Deferred {
			t.Errorf("%s: %v, want deferred (to send when the server is back)", r.Message.To[0].Address, r.Outcome)
		}
	}
}

// TestPoolSendsLinesThatStartWithADot: lines of a message that start with
// "." (a text part's "..." or ".htaccess", a quoted-printable soft break
// just before a dot) arrive as they were signed, and the message does not
// end early at a line of one ".".
func TestPoolSendsLinesThatStartWithADot(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	p := fastPool(srv)
	p.DKIM = testDKIM(t)
	m := sample()
	m.Text = ".htaccess first\n.\n..two dots\nmiddle\n.\n" + strings.Repeat("x", 75) + ".after a soft break\nlast line\n."
	m.HTML = "<p>.</p>\n.\n<p>end</p>"
	msgs := func(yield func(Message) bool) { yield(m) }
	sum, err := p.Send(context.Background(), msgs, func(Result) error { return nil })
	if err != nil || sum.Accepted != 1 {
		t.Fatalf("summary %+v, err %v", sum, err)
	}
	// The message as made, less its signature: a signature made again
	// here could differ in t=, the second it was made.
	var want bytes.Buffer
	if err := WriteEML(&want, m); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(want.Bytes(), []byte("\r\n.")) {
		t.Fatal("no line of the message starts with a dot: the test tests nothing")
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("the server got %d messages, want 1", len(got))
	}
	data := got[0].Data
	sig, ok := bytes.CutSuffix(data, want.Bytes())
	if !ok || !oneField(sig, "DKIM-Signature: ") {
		t.Fatalf("the server got other bytes than were signed:\n%q\nwant a DKIM-Signature, then\n%q", data, want.Bytes())
	}
	verifyDKIM(t, data, dnsFor(t, p.DKIM))
}

// TestWriteData: what writeData puts on the wire, dot-stuffed and ended by
// ".", for the fast path and for the messages it hands to the slow one.
func TestWriteData(t *testing.T) {
	for _, c := range []struct{ head, body, want string }{
		{"H: 1\r\n", ".a\r\nb\r\n.\r\n", "H: 1\r\n..a\r\nb\r\n..\r\n.\r\n"},
		{"", ".\r\n", "..\r\n.\r\n"},
		{"", "a\r\n\r\n", "a\r\n\r\n.\r\n"},
		{"", "lone\nLF\r\n.x\r\n", "lone\r\nLF\r\n..x\r\n.\r\n"},
		{"", "no end", "no end\r\n.\r\n"},
		{"H: 1\r\n", "", "H: 1\r\n.\r\n"},
	} {
		var out bytes.Buffer
		bw := bufio.NewWriter(&out)
		tw := textproto.NewWriter(bw)
		dot := tw.DotWriter()
		if err := writeData(bw, dot, c.head, []byte(c.body)); err != nil {
			t.Fatal(err)
		}
		if err := dot.Close(); err != nil {
			t.Fatal(err)
		}
		if out.String() != c.want {
			t.Errorf("head %q body %q: wrote %q, want %q", c.head, c.body, out.String(), c.want)
		}
	}
}

// oneField reports whether b is one header field, named by prefix, and
// its CRLF: any line after its first is a folded continuation.
func oneField(b []byte, prefix string) bool {
	rest, ok := bytes.CutPrefix(b, []byte(prefix))
	if !ok || !bytes.HasSuffix(rest, []byte("\r\n")) {
		return false
	}
	for _, line := range bytes.Split(rest[:len(rest)-2], []byte("\r\n"))[1:] {
		if len(line) == 0 || (line[0] != ' ' && line[0] != '\t') {
			return false
		}
	}
	return true
}
