package email

import (
	"context"
	"crypto"
	"fmt"
	"iter"
	"net/mail"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"lmcpress/internal/mailpittest"
	"lmcpress/internal/smtptest"
)

// The send benchmarks send one 40 KB newsletter to 10,000 recipients, each
// copy made as it is pulled, with its own unsubscribe link, Message-ID and
// List-Unsubscribe, in these ways:
//
//	bare      go-mail's own loop on 4 reused connections: each goroutine
//	          builds go-mail's Msg and calls SendWithSMTPClient
//	          (Client.Send does only that); unsigned, no rate limit,
//	          retries or reports: the ceiling
//	rsa2048   Pool.Send, 4 connections, DKIM with an RSA-2048 key (what
//	          Microsoft's and Google's receivers verify)
//	ed25519   the same with an Ed25519 key
//	unsigned  the same without DKIM: the pool's own cost
//
// Each op sends the whole list once per way, one way after another, so a
// noisy neighbour hurts each alike; -benchtime 3x makes three rounds. Each
// way reports msgs/s over all rounds, the process's CPU milliseconds a
// message, and the largest live heap sampled (flat however many messages:
// LMCPRESS_BENCH_MESSAGES=100000 sets the count, default 10000;
// LMCPRESS_BENCH_WAYS=rsa2048 runs only the ways listed).
//
// BenchmarkSendSink sends into smtptest's discard-only go-smtp sink in
// this process (its CPU counts too: it shares the cores, as a local relay
// would); BenchmarkSendMailpit into a real Mailpit, whose ~8 ms of CPU a
// message is the limit there (its CPU is not counted). Run with:
//
//	go test -run '^$' -bench 'Send(Sink|Mailpit)' -benchtime 3x ./internal/email
func BenchmarkSendSink(b *testing.B) {
	s := smtptest.Start(b, smtptest.Options{Discard: true})
	benchmarkSend(b, Config{Host: s.Host, Port: s.Port, Security: LoopbackOptional, Timeout: 30 * time.Second}, []string{"bare", "rsa2048", "ed25519", "unsigned"})
	if s.Accepted() > 0 {
		b.ReportMetric(float64(s.Bytes())/float64(s.Accepted())/1024, "KB/msg")
	}
}

func BenchmarkSendMailpit(b *testing.B) {
	mp := mailpittest.Start(b, mailpittest.Options{})
	benchmarkSend(b, Config{Host: mp.SMTPHost, Port: mp.SMTPPort, Security: LoopbackOptional, Timeout: 30 * time.Second}, []string{"bare", "rsa2048"})
}

func benchmarkSend(b *testing.B, cfg Config, ways []string) {
	if v := os.Getenv("LMCPRESS_BENCH_WAYS"); v != "" {
		ways = strings.Split(v, ",")
		for _, w := range ways {
			if !strings.Contains(" bare rsa2048 ed25519 unsigned ", " "+w+" ") {
				b.Fatalf("LMCPRESS_BENCH_WAYS: %q is not one of bare, rsa2048, ed25519, unsigned", w)
			}
		}
	}
	n := 10000
	if v := os.Getenv("LMCPRESS_BENCH_MESSAGES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("LMCPRESS_BENCH_MESSAGES=%q is not a positive number", v)
		}
	}
	rk, ek := testKeys()
	keys := map[string]*DKIM{
		"rsa2048": {Domain: "northfieldlmc.org.uk", Selector: "rsa2048", Key: rk},
		"ed25519": {Domain: "northfieldlmc.org.uk", Selector: "ed25519", Key: ek},
	}
	type total struct {
		sent      int
		wall, cpu time.Duration
		peak      heapPeak
	}
	totals := map[string]*total{}
	for _, w := range ways {
		totals[w] = &total{}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, way := range ways {
			t := totals[way]
			msgs := personalised(n, &t.peak)
			cpu0, start := cpuTime(), time.Now()
			var sent int
			if way == "bare" {
				sent = bareLoop(b, cfg, msgs)
			} else {
				p := Pool{Server: cfg, Connections: 4, DKIM: keys[way], Backoff: 10 * time.Millisecond}
				sum, err := p.Send(context.Background(), msgs, func(Result) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				sent = sum.Accepted
			}
			t.wall += time.Since(start)
			t.cpu += cpuTime() - cpu0
			if sent != n {
				b.Fatalf("%s: %d of %d messages accepted", way, sent, n)
			}
			t.sent += sent
		}
	}
	b.StopTimer()
	for _, way := range ways {
		t := totals[way]
		b.ReportMetric(float64(t.sent)/t.wall.Seconds(), way+"-msgs/s")
		b.ReportMetric(float64(t.cpu.Microseconds())/1000/float64(t.sent), way+"-cpu-ms/msg")
		b.ReportMetric(float64(t.peak.max)/(1<<20), way+"-peak-heap-MB")
	}
	bare := totals["bare"]
	for _, way := range ways {
		t := totals[way]
		if way == "bare" || bare == nil {
			continue
		}
		b.ReportMetric(100*(float64(t.sent)/t.wall.Seconds())/(float64(bare.sent)/bare.wall.Seconds()), way+"-%-of-bare")
	}
}

// bareLoop is go-mail's own way of sending many messages on 4 reused
// connections: each goroutine builds go-mail's Msg and hands it to
// SendWithSMTPClient (Client.Send does only that), with no signing, rate
// limit, retries or reports.
func bareLoop(b *testing.B, cfg Config, msgs iter.Seq[Message]) int {
	jobs := make(chan Message)
	var mu sync.Mutex
	sent := 0
	var wg sync.WaitGroup
	for range 4 {
		c, err := Dial(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		wg.Go(func() {
			defer c.Close()
			for m := range jobs {
				if err := c.Send(context.Background(), m); err != nil {
					b.Error(err)
					continue
				}
				mu.Lock()
				sent++
				mu.Unlock()
			}
		})
	}
	for m := range msgs {
		jobs <- m
	}
	close(jobs)
	wg.Wait()
	return sent
}

// personalised yields n copies of a 40 KB issue, each made as it is pulled
// as the newsletter will make them: the rendered issue's unsubscribe
// placeholder replaced in both bodies, and the per-recipient headers. It
// samples the live heap every 500 messages.
func personalised(n int, peak *heapPeak) iter.Seq[Message] {
	html, text := bigIssue()
	return func(yield func(Message) bool) {
		for i := range n {
			if i%500 == 0 {
				peak.sample()
			}
			tok := fmt.Sprintf("tok%08d", i)
			link := "https://northfieldlmc.org.uk/unsubscribe/" + tok
			id, _ := MessageID("2016-12", int64(i+1), "northfieldlmc.org.uk")
			headers, _ := ListHeaders("Northfield LMC newsletter", "newsletter.northfieldlmc.org.uk", link, "mailto:unsubscribe@northfieldlmc.org.uk?subject=unsubscribe%20"+tok)
			m := Message{
				From:      mail.Address{Name: "Northfield and District LMC", Address: "news@northfieldlmc.org.uk"},
				ReplyTo:   &mail.Address{Name: "LMC office", Address: "office@northfieldlmc.org.uk"},
				To:        []mail.Address{{Name: fmt.Sprintf("Dr Reader %d", i), Address: fmt.Sprintf("reader%d@nhs.example", i)}},
				Subject:   "December 2016 newsletter – flu, premises and the LMC’s AGM",
				Date:      time.Date(2016, 12, 1, 9, 30, 0, 0, time.UTC),
				MessageID: id,
				Headers:   headers,
				Text:      strings.ReplaceAll(text, "{{UNSUBSCRIBE}}", link),
				HTML:      strings.ReplaceAll(html, "{{UNSUBSCRIBE}}", link),
			}
			if !yield(m) {
				return
			}
		}
	}
}

// bigIssue is an issue of about 40 KB on the wire: a 27 KB HTML part of
// table rows, paragraphs and links, and an 11 KB text part.
func bigIssue() (html, text string) {
	var h, t strings.Builder
	h.WriteString(`<!DOCTYPE html><html lang="en-GB"><body style="margin:0;padding:0"><table role="presentation" width="600" cellpadding="0" cellspacing="0"><tr><td>`)
	for i := 0; h.Len() < 27000; i++ {
		fmt.Fprintf(&h, `<h2 style="font-family:Arial,sans-serif;font-size:20px;color:#003087;margin:24px 0 8px">Item %d: practice premises and the flu programme</h2>`, i)
		fmt.Fprintf(&h, `<p style="font-family:Arial,sans-serif;font-size:16px;line-height:24px;color:#212b32;margin:0 0 16px">The LMC met the ICB on 24 November about premises funding for 2017–18. Practices that applied for improvement grants should hear by January; the LMC’s view is in <a href="https://northfieldlmc.org.uk/news/item-%d/" style="color:#005eb8">the full item</a>.</p>`, i)
		fmt.Fprintf(&t, "Item %d: practice premises and the flu programme\n\nThe LMC met the ICB on 24 November about premises funding for 2017-18. Practices that applied for improvement grants should hear by January.\nhttps://northfieldlmc.org.uk/news/item-%d/\n\n", i, i)
	}
	h.WriteString(`<p style="font-size:13px;color:#4c6272">You get this as a subscriber. <a href="{{UNSUBSCRIBE}}">Unsubscribe</a>.</p></td></tr></table></body></html>`)
	t.WriteString("Unsubscribe: {{UNSUBSCRIBE}}\n")
	return h.String(), t.String()
}

// heapPeak keeps the largest live heap sampled.
type heapPeak struct{ max uint64 }

func (p *heapPeak) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.max = max(p.max, ms.HeapInuse)
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkDKIMSignature is the CPU one signature costs on a 40 KB
// message (body canonicalised and hashed, headers hashed, signed), for
// each kind of key:
//
//	go test -run '^$' -bench DKIMSignature ./internal/email
func BenchmarkDKIMSignature(b *testing.B) {
	rk, ek := testKeys()
	var msg Message
	for m := range personalised(1, &heapPeak{}) {
		msg = m
	}
	var buf strings.Builder
	if err := WriteEML(&buf, msg); err != nil {
		b.Fatal(err)
	}
	raw := []byte(buf.String())
	for _, k := range []struct {
		name string
		key  crypto.Signer
	}{{"rsa2048", rk}, {"ed25519", ek}} {
		b.Run(k.name, func(b *testing.B) {
			d := &DKIM{Domain: "northfieldlmc.org.uk", Selector: "s", Key: k.key}
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := d.Signature(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
