package newsletter

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"iter"
	"net/mail"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"lmcpress/internal/email"
	"lmcpress/internal/smtptest"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
)

// BenchmarkRunSink sends the December 2016 issue, padded to about 40 KB,
// to a list of 10,000 in a real SQLite file, into smtptest's discard-only
// go-smtp sink (in this process: its CPU counts too), over 4 reused
// connections, in four ways, one after the other in each op so that a
// noisy neighbour hurts each alike:
//
//	bare      go-mail's own loop: 4 goroutines, each on its own connection,
//	          calling email.Client.Send (go-mail's Msg and
//	          SendWithSMTPClient) for each copy; no signing, rate limit,
//	          retries, reports or journal: the ceiling
//	unsigned  email.Pool alone, unsigned: the pool's own cost
//	rsa2048   email.Pool alone with DKIM, RSA-2048
//	run       Mailing.Run with DKIM, RSA-2048: the list read a page at a
//	          time, each person claimed in the journal in the write
//	          transaction (synchronous=FULL) that records their
//	          connection's previous message
//
// Every way sends the same copies, each personalised as Run makes them
// (unsubscribe link in both parts, List-Unsubscribe, Message-ID). Each
// reports msgs/s over all ops, the whole process's CPU ms a message, and
// its rate as a share of bare's; the op the process's peak RSS.
// LMCPRESS_BENCH_SUBSCRIBERS sets the list's size (default 10000);
// LMCPRESS_BENCH_WAYS=run runs only the ways listed (for a large list's
// memory: 1000 against 100000). Run with:
//
//	go test -run '^$' -bench RunSink -benchtime 3x ./internal/newsletter
func BenchmarkRunSink(b *testing.B) {
	ctx := context.Background()
	n := 10000
	if v := os.Getenv("LMCPRESS_BENCH_SUBSCRIBERS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("LMCPRESS_BENCH_SUBSCRIBERS=%q is not a positive number", v)
		}
	}
	ways := []string{"bare", "unsigned", "rsa2048", "run"}
	if v := os.Getenv("LMCPRESS_BENCH_WAYS"); v != "" {
		ways = strings.Split(v, ",")
		for _, w := range ways {
			if !strings.Contains(" bare unsigned rsa2048 run ", " "+w+" ") {
				b.Fatalf("LMCPRESS_BENCH_WAYS: %q is not one of bare, unsigned, rsa2048, run", w)
			}
		}
	}
	is, err := sample(b, "2016-12", "")
	if err != nil {
		b.Fatal(err)
	}
	pad := "<p>" + strings.Repeat("Practice funding, premises and the contract for the coming year. ", 10) + "</p>\n"
	for len(is.HTML)+len(is.Text) < 40*1024 {
		is.HTML = strings.Replace(is.HTML, "</body>", pad+"</body>", 1)
		is.Text += "\n" + pad[3:len(pad)-5] + "\n"
	}
	s, err := sqlite.Open(filepath.Join(b.TempDir(), "lmcpress.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.SetSecret(ctx, testSecret); err != nil {
		b.Fatal(err)
	}
	// A thousand at a time, so that making the list does not set the
	// process's peak RSS.
	for lo := 0; lo < n; lo += 1000 {
		var recs []subscriber.Record
		for i := lo; i < min(lo+1000, n); i++ {
			recs = append(recs, subscriber.Record{Subscriber: subscriber.Subscriber{Email: fmt.Sprintf("gp%06d@practice.example.org", i), Status: subscriber.Confirmed},
				ConsentAt: sampleDay, ConsentSource: "bench"})
		}
		if _, err := s.Import(ctx, recs, sqlite.ImportOptions{File: "bench.csv", At: sampleDay}); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	srv := smtptest.Start(b, smtptest.Options{Discard: true})
	cfg := email.Config{Host: srv.Host, Port: srv.Port, Security: email.LoopbackOptional, Timeout: 30 * time.Second}
	unsigned := email.Pool{Server: cfg, Connections: 4}
	signed := unsigned
	signed.DKIM = &email.DKIM{Domain: "example.org", Selector: "bench", Key: key}
	signer, _ := subscriber.NewSigner(testSecret)
	mailing := func(month string, pool email.Pool) *Mailing {
		copyIs := *is
		copyIs.Month = month
		return &Mailing{Issue: &copyIs, From: fromAddr, Domain: "example.org", BaseURL: "https://lmc.example.org/",
			ListName: "Northfield LMC newsletter", Signer: signer, Now: func() time.Time { return sampleDay },
			Sender: pool, Journal: s, Recipients: s}
	}
	took := map[string]time.Duration{}
	cpu := map[string]time.Duration{}
	round := 0
	b.ResetTimer()
	for b.Loop() {
		round++
		for _, way := range ways {
			m := mailing(fmt.Sprintf("2016-12-%s%d", way, round), signed)
			c0, t0 := cpuTime(), time.Now()
			switch way {
			case "bare":
				benchBare(b, ctx, m, cfg, n)
			case "unsigned":
				benchPool(b, ctx, m, unsigned, n)
			case "rsa2048":
				benchPool(b, ctx, m, signed, n)
			case "run":
				rep, err := m.Run(ctx)
				if err != nil || rep.Sent != n {
					b.Fatalf("run: %+v %v", rep, err)
				}
			}
			took[way] += time.Since(t0)
			cpu[way] += cpuTime() - c0
		}
	}
	b.StopTimer()
	msgs := float64(n * round)
	for _, w := range ways {
		b.ReportMetric(msgs/took[w].Seconds(), w+"-msgs/s")
		b.ReportMetric(float64(cpu[w].Microseconds())/1000/msgs, w+"-cpu-ms/msg")
		if took["bare"] > 0 && w != "bare" {
			b.ReportMetric(100*took["bare"].Seconds()/took[w].Seconds(), w+"-%-of-bare")
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-inuse-MB")
}

// copies yields m's n copies, personalised as Run makes them, for the list
// gp000000@ ... in id order; no journal.
func copies(b *testing.B, m *Mailing, n int) iter.Seq[email.Message] {
	p, err := m.personaliser()
	if err != nil {
		b.Fatal(err)
	}
	return func(yield func(email.Message) bool) {
		for i := range n {
			msg, err := p.message(subscriber.Subscriber{ID: int64(i + 1), Email: fmt.Sprintf("gp%06d@practice.example.org", i)}, sampleDay)
			if err != nil {
				b.Fatal(err)
			}
			if !yield(msg) {
				return
			}
		}
	}
}

// benchPool sends m's copies straight into the pool: no list, no journal.
func benchPool(b *testing.B, ctx context.Context, m *Mailing, pool email.Pool, n int) {
	sum, err := pool.Send(ctx, copies(b, m, n), func(email.Result) error { return nil })
	if err != nil || sum.Accepted != n {
		b.Fatalf("pool: %+v %v", sum, err)
	}
}

// benchBare is go-mail's own way of sending many messages on 4 reused
// connections: each goroutine hands each copy to email.Client.Send
// (go-mail's Msg and SendWithSMTPClient), with no signing, rate limit,
// retries, reports or journal.
func benchBare(b *testing.B, ctx context.Context, m *Mailing, cfg email.Config, n int) {
	jobs := make(chan email.Message)
	var sent atomic.Int64
	var wg sync.WaitGroup
	for range 4 {
		c, err := email.Dial(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		wg.Go(func() {
			defer c.Close()
			for msg := range jobs {
				if err := c.Send(ctx, msg); err != nil {
					b.Error(err)
					continue
				}
				sent.Add(1)
			}
		})
	}
	for msg := range copies(b, m, n) {
		jobs <- msg
	}
	close(jobs)
	wg.Wait()
	if int(sent.Load()) != n {
		b.Fatalf("bare: %d of %d sent", sent.Load(), n)
	}
}

var fromAddr = mail.Address{Name: "Northfield LMC", Address: "news@example.org"}

// cpuTime is the process's user and system CPU so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
