package server

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// The confirmation emails go from a queue, not from the request: the
// sign-up page comes back as fast whether or not an email is sent (so its
// timing does not say whether an address is already on the list), and a
// slow SMTP server does not hold requests open.
const (
	outboxSize    = 1024
	outboxWorkers = 2
	// sendTimeout bounds one email, dial included.
	sendTimeout = time.Minute
)

type outbox struct {
	mailer  Mailer
	log     *slog.Logger
	queue   chan Confirmation
	done    sync.WaitGroup
	dropped atomic.Int64

	mu     sync.RWMutex // closed and the closing of queue
	closed bool
}

func newOutbox(m Mailer, log *slog.Logger, size, workers int) *outbox {
	o := &outbox{mailer: m, log: log, queue: make(chan Confirmation, size)}
	for range workers {
		o.done.Add(1)
		go o.work()
	}
	return o
}

func (o *outbox) work() {
	defer o.done.Done()
	for c := range o.queue {
		ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
		if err := o.mailer.SendConfirmation(ctx, c); err != nil {
			// The person can sign up again; staff see why it failed.
			o.log.Error("confirmation email not sent", "subscriber", c.ID, "err", err)
		}
		cancel()
	}
}

// enqueue queues c, or drops it (and logs) when the queue is full: a
// sign-up flood must not hold requests open or grow memory.
func (o *outbox) enqueue(c Confirmation) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	if o.closed {
		// A request still running after its server was told to stop
		// (the preview's Shutdown does not wait for it).
		o.dropped.Add(1)
		o.log.Error("confirmation email dropped: the server is stopping", "subscriber", c.ID)
		return
	}
	select {
	case o.queue <- c:
	default:
		o.dropped.Add(1)
		o.log.Error("confirmation email dropped: the queue is full (is the SMTP server answering?)", "subscriber", c.ID)
	}
}

// close stops taking emails and waits for the queued ones to go, until
// ctx ends; an email enqueued after it is dropped, and logged.
func (o *outbox) close(ctx context.Context) error {
	o.mu.Lock()
	if !o.closed {
		o.closed = true
		close(o.queue)
	}
	o.mu.Unlock()
	finished := make(chan struct{})
	go func() { o.done.Wait(); close(finished) }()
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("server: %d confirmation emails still queued when stopping: %w", len(o.queue), ctx.Err())
	}
}
