package email

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"lmcpress/internal/mailpittest"
)

// TestPoolThroughMailpitChaos sends 50 signed messages over STARTTLS to a
// real Mailpit whose chaos mode defers 30% of recipients: every message
// arrives exactly once, after retries, and every signature verifies. Then
// Mailpit refuses every recipient (550) and the send stops itself.
func TestPoolThroughMailpitChaos(t *testing.T) {
	t.Parallel() // each test has its own Mailpit
	certFile, keyFile, roots := makeCert(t)
	mp := mailpittest.Start(t, mailpittest.Options{TLSCert: certFile, TLSKey: keyFile, RequireSTARTTLS: true, Chaos: true})
	mp.SetChaos(t, mailpittest.Chaos{Recipient: mailpittest.ChaosTrigger{ErrorCode: 451, Probability: 30}})
	cfg := Config{Host: mp.SMTPHost, Port: mp.SMTPPort, Username: "lmc", Password: "s3cret", Security: StartTLS, RootCAs: roots, Timeout: 10 * time.Second}
	d := testDKIM(t)
	p := Pool{Server: cfg, Connections: 3, DKIM: d, Attempts: 12, MaxFailures: 20, Backoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}
	var got results
	const n = 50
	sum, err := p.Send(context.Background(), issue(n, nil), got.report)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("summary %+v", sum)
	if sum.Accepted != n || sum.Retries == 0 {
		t.Errorf("summary %+v, want %d accepted after some retries (chaos defers 30%%)", sum, n)
	}
	lookup := dnsFor(t, d)
	seen := map[string]int{}
	for _, s := range mp.Messages(t) {
		if len(s.To) != 1 {
			t.Fatalf("%s has %d recipients", s.MessageID, len(s.To))
		}
		seen[s.To[0].Address]++
		verifyDKIM(t, mp.Raw(t, s.ID), lookup)
	}
	for i := range n {
		if seen[reader(i)] != 1 {
			t.Errorf("%s received %d copies, want 1", reader(i), seen[reader(i)])
		}
	}

	mp.SetChaos(t, mailpittest.Chaos{Recipient: mailpittest.ChaosTrigger{ErrorCode: 550, Probability: 100}})
	p.MaxFailures = 5
	got = results{}
	_, err = p.Send(context.Background(), issue(n, nil), got.report)
	var stopped *StoppedError
	if !errors.As(err, &stopped) || !strings.Contains(err.Error(), "550") {
		t.Fatalf("err = %v, want a stop after 5 refusals (550)", err)
	}
	refused := 0
	for _, r := range got.all {
		switch {
		case r.Outcome == Refused && strings.HasPrefix(r.Reply, "550"):
			refused++
		case r.Outcome == Deferred && r.Reply == "" && errors.As(r.Err, &stopped):
			// taken by a connection as the send stopped: not sent
		default:
			t.Errorf("%s: %v %q (%v), want refused with 550, or not sent", r.Message.To[0].Address, r.Outcome, r.Reply, r.Err)
		}
	}
	if refused < 5 {
		t.Errorf("%d refused before the stop, want 5", refused)
	}
	if len(got.all) > 5+p.Connections {
		t.Errorf("%d messages tried after the stop", len(got.all))
	}
}
