package email

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"math/rand/v2"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"time"
)

// Pool sends many messages over a few SMTP connections, each kept open
// for many messages, at a steady rate. A send of 10,000 messages pays for
// a handful of handshakes, not 10,000, and never opens more connections
// than a relay allows one client.
//
// The zero value of each field but Server has a sensible default.
type Pool struct {
	// Server is where to send, as ParseURL gives it: STARTTLS, TLS and
	// login as it says.
	Server Config
	// Connections is how many messages are in flight at once, one per
	// connection. Default 4.
	Connections int
	// Rate is the most messages a second over all connections, retries
	// included; 0 sends as fast as the server takes them. Relays meter
	// senders, and mailbox providers trust a steady rate more than bursts.
	Rate float64
	// DKIM, if set, signs every message.
	DKIM *DKIM
	// Attempts is how many times a message is tried when the server
	// defers it (4xx) or the connection drops. Default 5.
	Attempts int
	// Backoff is the wait before the first retry; it doubles each time,
	// up to MaxBackoff. Defaults 2s and 1 minute.
	Backoff, MaxBackoff time.Duration
	// MaxFailures is how many failed attempts in a row, over all
	// connections and messages, stop the send. A bad address or two is
	// normal; ten refusals in a row mean the relay refuses the sender
	// (a suspended account, a daily limit), and going on would only
	// burn the list. Default 10.
	MaxFailures int
}

// Outcome is what became of a message.
type Outcome int

const (
	// Accepted: the server replied 250 to the end of DATA and now owns
	// the message.
	Accepted Outcome = iota + 1
	// Refused: the server refused it for good (5xx); Result.Reply says
	// why. Trying again will not help.
	Refused
	// Deferred: not accepted, and it may be tried again in a later send:
	// the server kept deferring it, or the send was stopped first.
	Deferred
)

func (o Outcome) String() string {
	switch o {
	case Accepted:
		return "accepted"
	case Refused:
		return "refused"
	case Deferred:
		return "deferred"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Result is the fate of one message, handed to Send's report.
type Result struct {
	Message  Message
	Outcome  Outcome
	Reply    string // the server's last reply, e.g. "250 2.0.0 Ok: queued" or "550 5.1.1 no such user"
	Attempts int
	Err      error // nil when Accepted: one line, password masked
}

// Summary counts what a Send did.
type Summary struct {
	Accepted, Refused, Deferred int
	Retries                     int // attempts beyond each message's first
	Connections                 int // connections opened, reconnections included
}

// StoppedError is why a Send stopped early: too many failures in a row.
// The messages not yet reported were not sent; a later Send can take
// them up.
type StoppedError struct {
	Failures int
	Last     error
}

func (e *StoppedError) Error() string {
	fix := fmt.Sprintf("fix the cause (the server in %s, its sending limits or the rate)", EnvURL)
	if strings.Contains(e.Last.Error(), EnvURL) {
		fix = "fix that" // the last error names the setting already
	}
	return fmt.Sprintf("email: sending stopped after %d failures in a row, the last: %v; %s and send again to go on", e.Failures, e.Last, fix)
}

func (e *StoppedError) Unwrap() error { return e.Last }

// Send sends every message msgs yields, over p.Connections connections,
// and calls report once for each message it took, with its Result: every
// message pulled from msgs is reported, sent or not, until report fails.
//
// report is called from one goroutine at a time, and a connection waits
// for report to return before it starts its next message: when report
// records an accepted message (a journal row), at most one message per
// connection is ever accepted by the server and not yet recorded, which is
// what a send killed at any moment can have mailed without knowing. An
// error from report stops the send and is returned.
//
// A connection lost after the whole message went but before the server's
// reply is retried like any lost connection: the server may have kept the
// first copy (RFC 1047), and then the reader gets two with one Message-ID.
// Not retrying would lose the message whenever the server had not kept it.
//
// msgs is pulled one message at a time, by a connection that has come
// free, so memory stays flat however many messages there are and no
// message is taken before a connection can try it; it is done with by the
// time Send returns.
//
// Send returns nil when every message was reported, whatever the outcomes
// (Summary counts them); a *StoppedError when MaxFailures attempts failed
// in a row; the error of a login or TLS failure, which no retry mends; or,
// when ctx is cancelled, ctx's error, after the messages in flight have
// finished and been reported.
func (p Pool) Send(ctx context.Context, msgs iter.Seq[Message], report func(Result) error) (Summary, error) {
	p = p.withDefaults()
	if p.DKIM != nil {
		if err := p.DKIM.check(); err != nil {
			return Summary{}, err
		}
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r := &run{pool: p, report: report, cancel: cancel, limit: newBucket(p.Rate)}

	// A connection pulls its next message itself, when it is free: a
	// message is taken from msgs only to be tried and reported at once,
	// so a caller that marks a message in flight as it yields it has at
	// most one per connection so marked (no message waits in a queue).
	next, stop := iter.Pull(msgs)
	var pullMu sync.Mutex
	pull := func() (Message, bool) {
		pullMu.Lock()
		defer pullMu.Unlock()
		if runCtx.Err() != nil {
			return Message{}, false
		}
		return next()
	}
	var wg sync.WaitGroup
	for range p.Connections {
		wg.Go(func() {
			w := &worker{run: r}
			defer w.close()
			for {
				m, ok := pull()
				if !ok {
					return
				}
				r.done(w.deliver(runCtx, m))
			}
		})
	}
	wg.Wait()
	stop() // no connection pulls any more; msgs returns before Send does
	cancel(nil)

	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.sum, r.err
	}
	if err := ctx.Err(); err != nil {
		return r.sum, fmt.Errorf("email: sending interrupted after %d messages: %w", r.sum.Accepted+r.sum.Refused+r.sum.Deferred, err)
	}
	return r.sum, nil
}

func (p Pool) withDefaults() Pool {
	if p.Connections <= 0 {
		p.Connections = 4
	}
	if p.Attempts <= 0 {
		p.Attempts = 5
	}
	if p.Backoff <= 0 {
		p.Backoff = 2 * time.Second
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = time.Minute
	}
	if p.MaxBackoff < p.Backoff {
		p.MaxBackoff = p.Backoff
	}
	if p.MaxFailures <= 0 {
		p.MaxFailures = 10
	}
	return p
}

// run is one Send's shared state.
type run struct {
	pool   Pool
	report func(Result) error
	cancel context.CancelCauseFunc
	limit  *bucket

	mu           sync.Mutex
	sum          Summary
	failures     int   // failed attempts in a row
	err          error // why the send stopped early
	reportFailed bool
}

// done counts and reports one message's result.
func (r *run) done(res Result) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch res.Outcome {
	case Accepted:
		r.sum.Accepted++
	case Refused:
		r.sum.Refused++
	default:
		r.sum.Deferred++
	}
	r.sum.Retries += max(res.Attempts-1, 0)
	if r.reportFailed {
		return // the caller cannot record any more
	}
	if err := r.report(res); err != nil {
		r.reportFailed = true
		r.stopLocked(err)
	}
}

// attempted counts an attempt's success or failure, and stops the send
// after MaxFailures failures in a row.
func (r *run) attempted(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil {
		r.failures = 0
		return
	}
	r.failures++
	if r.failures >= r.pool.MaxFailures {
		r.stopLocked(&StoppedError{Failures: r.failures, Last: err})
	}
}

func (r *run) stop(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopLocked(err)
}

func (r *run) stopLocked(err error) {
	if r.err == nil {
		r.err = err
		r.cancel(err)
	}
}

func (r *run) connected() {
	r.mu.Lock()
	r.sum.Connections++
	r.mu.Unlock()
}

// worker is one connection and the buffer its messages are written into.
type worker struct {
	run    *run
	client *Client
	buf    bytes.Buffer
}

// deliver tries m until the server accepts or refuses it, the attempts
// run out, or the send stops. A message goes to all its To addresses or,
// if the server refuses one of them, to none (RSET): the newsletter sends
// one recipient a message.
func (w *worker) deliver(ctx context.Context, m Message) Result {
	p := w.run.pool
	res := Result{Message: m, Outcome: Deferred}
	w.buf.Reset()
	head, err := w.write(m)
	if err != nil {
		res.Outcome, res.Err = Refused, err
		w.run.attempted(err)
		return res
	}
	from := envelope(m.From.Address)
	to := make([]string, len(m.To))
	for i, a := range m.To {
		to[i] = envelope(a.Address)
	}
	for attempt := 1; ; attempt++ {
		res.Attempts = attempt
		res.Reply, err = w.try(ctx, from, to, head)
		if err == nil {
			w.run.attempted(nil)
			res.Outcome, res.Err = Accepted, nil
			return res
		}
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			// Stopped before the server saw it: not a failure of its own.
			res.Err = fmt.Errorf("email: %s not sent: %w", m.MessageID, context.Cause(ctx))
			return res
		}
		var tx *txError
		if errors.As(err, &tx) {
			res.Err = p.Server.mask(fmt.Errorf("email: send %s via %s: %w", m.MessageID, p.Server.Addr(), err))
		} else {
			res.Err = err // Dial's: it names the server and the setting already
		}
		w.run.attempted(res.Err)
		if tx != nil && !tx.temporary() {
			res.Outcome = Refused
			return res
		}
		if attempt >= p.Attempts || ctx.Err() != nil {
			return res
		}
		if sleep(ctx, backoff(p.Backoff, p.MaxBackoff, attempt)) != nil {
			return res
		}
	}
}

// write puts m's bytes in w.buf and returns its DKIM-Signature, if signed.
func (w *worker) write(m Message) (string, error) {
	gm, err := toMsg(m)
	if err != nil {
		return "", err
	}
	if _, err := gm.WriteTo(&w.buf); err != nil {
		return "", fmt.Errorf("email: write message %s: %w", m.MessageID, err)
	}
	if w.run.pool.DKIM == nil {
		return "", nil
	}
	return w.run.pool.DKIM.Signature(w.buf.Bytes())
}

// try makes one attempt: a connection if there is none, a token from the
// rate limit, then the transaction. It returns the server's reply.
func (w *worker) try(ctx context.Context, from string, to []string, head string) (string, error) {
	if w.client == nil {
		c, err := Dial(ctx, w.run.pool.Server)
		if err != nil {
			if ctx.Err() == nil && !dialTemporary(err) {
				w.run.stop(err) // a wrong password or certificate: no retry mends it
			}
			return "", err
		}
		w.client = c
		w.run.connected()
	}
	if err := w.run.limit.wait(ctx); err != nil {
		return "", err
	}
	reply, err := w.client.transact(from, to, head, w.buf.Bytes())
	if tx := (*txError)(nil); errors.As(err, &tx) && tx.broken {
		w.client.conn.Close() // no QUIT: the server has gone or is going
		w.client = nil
	}
	if tx := (*txError)(nil); errors.As(err, &tx) && tx.code != 0 {
		reply = tx.reply
	}
	return reply, err
}

// close says QUIT on the worker's connection, if it has one.
func (w *worker) close() {
	if w.client != nil {
		w.client.Close()
		w.client = nil
	}
}

// envelope is an address as MAIL FROM and RCPT TO take it: "<a@b>".
func envelope(addr string) string { return (&mail.Address{Address: addr}).String() }

// dialTemporary reports whether a failed Dial may succeed later: the
// server unreachable, busy (4xx) or dropping the connection. A refused
// login, a certificate that does not verify or a server without STARTTLS
// will not mend by itself.
func dialTemporary(err error) bool {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code < 500
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// backoff is the wait before retry number attempt: base doubled each
// time, capped, and jittered by up to half so that connections deferred
// together do not retry together.
func backoff(base, most time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < most; i++ {
		d *= 2
	}
	d = min(d, most)
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// bucket is a token bucket holding one token, refilled at the rate: each
// wait takes the next token, sleeping until it is due. It is kept as the
// time the next token is due (the virtual-scheduling form of the same
// algorithm), so it needs no ticker. Holding one token keeps the rate
// steady rather than allowing bursts after a pause.
type bucket struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time
}

// newBucket is a limit of rate a second; nil (no limit) for rate <= 0.
func newBucket(rate float64) *bucket {
	if rate <= 0 {
		return nil
	}
	return &bucket{interval: time.Duration(float64(time.Second) / rate)}
}

func (b *bucket) wait(ctx context.Context) error {
	if b == nil {
		return ctx.Err()
	}
	b.mu.Lock()
	now := time.Now()
	if b.next.Before(now) {
		b.next = now
	}
	due := b.next
	b.next = b.next.Add(b.interval)
	b.mu.Unlock()
	if d := due.Sub(now); d > 0 {
		return sleep(ctx, d)
	}
	return ctx.Err()
}
