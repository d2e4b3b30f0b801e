package newsletter

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"lmcpress/internal/email"
	"lmcpress/internal/smtptest"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
)

// BenchmarkRunSink sends the December 2016 issue, padded to about 40 KB,
// to a list in a real SQLite file, into smtptest's discard-only sink, over
// 4 connections with DKIM (RSA-2048), in two ways, one after the other in
// each op so a noisy neighbour hurts both alike:
//
//	pool  email.Pool alone, each copy personalised as Run does (link,
//	      headers, Message-ID) but with no journal and no list read
//	run   Mailing.Run: the list read a page at a time, each person claimed
//	      in the journal in the write transaction (synchronous=FULL) that
//	      records their connection's previous message
//
// Each reports msgs/s and CPU ms a message (the whole process's, the
// sink's included); run also its rate as a share of pool's; and the
// process's peak RSS. LMCPRESS_BENCH_SUBSCRIBERS sets the list's size
// (default 2000); LMCPRESS_BENCH_WAYS=run runs only run (for a large list's
// memory). Run with:
//
//	go test -run '^$' -bench RunSink -benchtime 3x ./internal/newsletter
func BenchmarkRunSink(b *testing.B) {
	ctx := context.Background()
	n := 2000
	if v := os.Getenv("LMCPRESS_BENCH_SUBSCRIBERS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("LMCPRESS_BENCH_SUBSCRIBERS=%q is not a positive number", v)
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
	ways := []string{"pool", "run"}
	if v := os.Getenv("LMCPRESS_BENCH_WAYS"); v != "" {
		ways = strings.Split(v, ",")
	}
	has := func(w string) bool { return strings.Contains(","+strings.Join(ways, ",")+",", ","+w+",") }
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	srv := smtptest.Start(b, smtptest.Options{Discard: true})
	pool := email.Pool{Server: email.Config{Host: srv.Host, Port: srv.Port, Security: email.LoopbackOptional, Timeout: 30 * time.Second},
		Connections: 4, DKIM: &email.DKIM{Domain: "example.org", Selector: "bench", Key: key}}
	signer, _ := subscriber.NewSigner(testSecret)
	mailing := func(month string) *Mailing {
		copyIs := *is
		copyIs.Month = month
		return &Mailing{Issue: &copyIs, From: fromAddr, Domain: "example.org", BaseURL: "https://lmc.example.org/",
			ListName: "Northfield LMC newsletter", Signer: signer, Now: func() time.Time { return sampleDay },
			Sender: pool, Journal: s, Recipients: s}
	}
	var took = map[string]time.Duration{}
	var cpu = map[string]time.Duration{}
	round := 0
	b.ResetTimer()
	for b.Loop() {
		round++
		if has("pool") {
			benchPool(b, ctx, mailing(fmt.Sprintf("2016-12-pool%d", round)), pool, n, took, cpu)
		}
		if !has("run") {
			continue
		}
		c0, t0 := cpuTime(), time.Now()
		rep, err := mailing(fmt.Sprintf("2016-12-run%d", round)).Run(ctx)
		if err != nil || rep.Sent != n {
			b.Fatalf("run: %+v %v", rep, err)
		}
		took["run"] += time.Since(t0)
		cpu["run"] += cpuTime() - c0
	}
	b.StopTimer()
	msgs := float64(n * round)
	for _, w := range ways {
		b.ReportMetric(msgs/took[w].Seconds(), w+"-msgs/s")
		b.ReportMetric(float64(cpu[w].Milliseconds())/msgs, w+"-cpu-ms/msg")
	}
	if has("pool") && has("run") {
		b.ReportMetric(100*took["pool"].Seconds()/took["run"].Seconds(), "run-%-of-pool")
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-inuse-MB")
}

// benchPool sends m's copies straight into the pool: no list, no journal.
func benchPool(b *testing.B, ctx context.Context, m *Mailing, pool email.Pool, n int, took, cpu map[string]time.Duration) {
	p, err := m.personaliser()
	if err != nil {
		b.Fatal(err)
	}
	c0, t0 := cpuTime(), time.Now()
	msgs := func(yield func(email.Message) bool) {
		for i := range n {
			msg, err := p.message(subscriber.Subscriber{ID: int64(i + 1), Email: fmt.Sprintf("gp%06d@practice.example.org", i)}, sampleDay)
			if err != nil || !yield(msg) {
				return
			}
		}
	}
	sum, err := pool.Send(ctx, msgs, func(email.Result) error { return nil })
	if err != nil || sum.Accepted != n {
		b.Fatalf("pool: %+v %v", sum, err)
	}
	took["pool"] += time.Since(t0)
	cpu["pool"] += cpuTime() - c0
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
