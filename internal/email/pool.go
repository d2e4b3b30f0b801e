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
	"runtime"
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

// Take is what a Step decides about the message a connection is about
// to send.
type Take int

const (
	// Skip: do not send it (its reader has left since the list was
	// read); the connection takes the next.
	Skip Take = iota
	// Go: send it as made.
	Go
	// Remade: send it, changed by the Step (the reader's address changed
	// since the list was read): the pool makes and signs it again first.
	Remade
)

// Step is called by a connection between two messages, with done, the
// result of the message it has just finished (nil before its first), and
// next, the message it is about to send, already made and signed (nil
// when it has none: the list is done, the send is stopping, or no message
// is ready yet, in which case next comes in a later call). It says whether
// to send next.
//
// Steps run one at a time, and a connection sends next only once its step
// has returned, so a Step that records done and claims next (one journal
// transaction) has, at any moment, at most one message per connection
// claimed and not yet recorded: what a send killed at that moment may have
// mailed without knowing. An error stops the send and is returned by
// SendSteps; next is then not sent, and no Step is called again.
type Step func(done *Result, next *Message) (Take, error)

// Send is SendSteps with a Step that reports each result and sends every
// message: report is called once for each message a connection took,
// sent or not, one call at a time, before that connection takes its next
// message. An error from report stops the send and is returned.
func (p Pool) Send(ctx context.Context, msgs iter.Seq[Message], report func(Result) error) (Summary, error) {
	return p.SendSteps(ctx, msgs, func(done *Result, next *Message) (Take, error) {
		if done != nil {
			if err := report(*done); err != nil {
				return Skip, err
			}
		}
		return Go, nil
	})
}

// SendSteps sends the messages msgs yields over p.Connections
// connections, calling step between each connection's messages (see
// Step).
//
// Making and signing a message (an RSA signature is about a millisecond
// of CPU) is done ahead, by as many goroutines as there are CPUs (at most
// one per connection), so a connection never waits for it: each
// connection finds its next message ready, signed, as it comes free. At
// most p.Connections messages wait ready, so memory stays flat however
// many msgs yields. A message made ahead but not yet offered to a Step is
// dropped if the send stops: it was never claimed, so nothing records it.
//
// A connection lost after the whole message went but before the server's
// reply is retried like any lost connection: the server may have kept the
// first copy (RFC 1047), and then the reader gets two with one Message-ID.
// Not retrying would lose the message whenever the server had not kept it.
//
// SendSteps returns nil when every message was offered and every result
// handed to step, whatever the outcomes (Summary counts them); a
// *StoppedError when MaxFailures attempts failed in a row; the error of a
// login or TLS failure, which no retry mends; step's error; or, when ctx
// is cancelled, ctx's error, after the messages in flight have finished
// and their results been handed to step. msgs is done with by the time
// SendSteps returns.
func (p Pool) SendSteps(ctx context.Context, msgs iter.Seq[Message], step Step) (Summary, error) {
	p = p.withDefaults()
	if p.DKIM != nil {
		if err := p.DKIM.check(); err != nil {
			return Summary{}, err
		}
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r := &run{pool: p, step: step, cancel: cancel, limit: newBucket(p.Rate)}

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
	ready := make(chan *prepared, p.Connections)
	var makers sync.WaitGroup
	for range min(p.Connections, runtime.GOMAXPROCS(0)) {
		makers.Go(func() {
			for {
				m, ok := pull()
				if !ok {
					return
				}
				pm := newPrepared(m)
				r.make(pm)
				select {
				case ready <- pm:
				case <-runCtx.Done():
					pm.free()
					return
				}
			}
		})
	}
	go func() {
		makers.Wait()
		close(ready)
	}()
	var conns sync.WaitGroup
	for range p.Connections {
		conns.Go(func() {
			w := &worker{run: r}
			defer w.close()
			w.loop(runCtx, ready)
		})
	}
	conns.Wait()
	cancel(nil) // the makers stop pulling
	makers.Wait()
	for pm := range ready {
		pm.free()
	}
	stop() // no goroutine pulls any more; msgs returns before SendSteps does

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

// prepared is a message made and signed, ready for a connection: the
// DKIM-Signature (head) and WriteEML's bytes, or why it could not be made.
type prepared struct {
	msg  Message
	buf  bytes.Buffer
	head string
	err  error
}

// preparedPool keeps the buffers of messages sent, so that each message
// does not allocate its ~40 KB again.
var preparedPool = sync.Pool{New: func() any { return new(prepared) }}

func newPrepared(m Message) *prepared {
	pm := preparedPool.Get().(*prepared)
	pm.msg = m
	return pm
}

func (pm *prepared) free() {
	pm.msg, pm.head, pm.err = Message{}, "", nil
	pm.buf.Reset()
	preparedPool.Put(pm)
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
	step   Step
	cancel context.CancelCauseFunc
	limit  *bucket

	mu         sync.Mutex
	sum        Summary
	failures   int   // failed attempts in a row
	err        error // why the send stopped early
	stepFailed bool
}

// turn counts done, if any, and hands it and next to the Step: it says
// whether to send next. Once the send is stopping, next is never sent and
// the Step sees only done; once the Step has failed, it is not called.
func (r *run) turn(done *Result, next *Message) Take {
	r.mu.Lock()
	defer r.mu.Unlock()
	if done != nil {
		switch done.Outcome {
		case Accepted:
			r.sum.Accepted++
		case Refused:
			r.sum.Refused++
		default:
			r.sum.Deferred++
		}
		r.sum.Retries += max(done.Attempts-1, 0)
	}
	if r.stepFailed {
		return Skip // the caller cannot record any more
	}
	if r.err != nil {
		next = nil
	}
	if done == nil && next == nil {
		return Skip
	}
	take, err := r.step(done, next)
	if err != nil {
		r.stepFailed = true
		r.stopLocked(err)
		return Skip
	}
	if next == nil {
		return Skip
	}
	return take
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

// worker is one connection.
type worker struct {
	run    *run
	client *Client
}

// loop sends the messages it takes from ready until ready is closed or
// the send stops. Its last result is handed to the Step before it returns.
func (w *worker) loop(ctx context.Context, ready <-chan *prepared) {
	var done *Result
	defer func() {
		if done != nil {
			w.run.turn(done, nil)
		}
	}()
	for {
		var pm *prepared
		ok := false
		select {
		case pm, ok = <-ready:
		default:
			// None ready: hand over the last result now rather than hold
			// it unrecorded while the next is made.
			if done != nil {
				w.run.turn(done, nil)
				done = nil
			}
			select {
			case pm, ok = <-ready:
			case <-ctx.Done():
			}
		}
		if !ok || ctx.Err() != nil {
			if pm != nil {
				pm.free() // never offered, never claimed
			}
			return
		}
		take := w.run.turn(done, &pm.msg)
		done = nil
		switch take {
		case Skip:
			pm.free()
			continue
		case Remade:
			w.run.make(pm)
		}
		res := w.deliver(ctx, pm)
		pm.free()
		res.Message.Text, res.Message.HTML = "", "" // the Step needs the headers, not 40 KB of body
		done = &res
	}
}

// deliver tries pm until the server accepts or refuses it, the attempts
// run out, or the send stops. A message goes to all its To addresses or,
// if the server refuses one of them, to none (RSET): the newsletter sends
// one recipient a message.
func (w *worker) deliver(ctx context.Context, pm *prepared) Result {
	p := w.run.pool
	m := pm.msg
	res := Result{Message: m, Outcome: Deferred}
	if pm.err != nil {
		res.Outcome, res.Err = Refused, pm.err
		w.run.attempted(pm.err)
		return res
	}
	from := envelope(m.From.Address)
	to := make([]string, len(m.To))
	for i, a := range m.To {
		to[i] = envelope(a.Address)
	}
	for attempt := 1; ; attempt++ {
		res.Attempts = attempt
		var err error
		res.Reply, err = w.try(ctx, from, to, pm)
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

// make writes pm's message into pm.buf and signs it, if the pool signs.
func (r *run) make(pm *prepared) {
	pm.buf.Reset()
	pm.head, pm.err = "", nil
	gm, err := toMsg(pm.msg)
	if err != nil {
		pm.err = err
		return
	}
	if _, err := gm.WriteTo(&pm.buf); err != nil {
		pm.err = fmt.Errorf("email: write message %s: %w", pm.msg.MessageID, err)
		return
	}
	if r.pool.DKIM != nil {
		pm.head, pm.err = r.pool.DKIM.Signature(pm.buf.Bytes())
	}
}

// try makes one attempt: a connection if there is none, a token from the
// rate limit, then the transaction. It returns the server's reply.
func (w *worker) try(ctx context.Context, from string, to []string, pm *prepared) (string, error) {
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
	reply, err := w.client.transact(from, to, pm.head, pm.buf.Bytes())
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
