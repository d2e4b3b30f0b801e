package newsletter

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/mail"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lmcpress/internal/email"
	"lmcpress/internal/smtptest"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef")

// list opens a real store in a temporary folder with n confirmed people
// (p000@ ... ) and one pending and one unsubscribed, and returns it with
// the confirmed people's ids.
func list(t *testing.T, n int) (*sqlite.Store, []int64) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "lmcpress.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SetSecret(ctx, testSecret); err != nil {
		t.Fatal(err)
	}
	var recs []subscriber.Record
	for i := range n {
		recs = append(recs, subscriber.Record{Subscriber: subscriber.Subscriber{Email: fmt.Sprintf("p%03d@practice.example.org", i), Name: fmt.Sprintf("Person %d", i), Status: subscriber.Confirmed},
			ConsentAt: sampleDay.AddDate(-1, 0, 0), ConsentSource: "test"})
	}
	recs = append(recs,
		subscriber.Record{Subscriber: subscriber.Subscriber{Email: "pending@practice.example.org", Status: subscriber.Pending}},
		subscriber.Record{Subscriber: subscriber.Subscriber{Email: "left@practice.example.org", Status: subscriber.Unsubscribed}})
	if _, err := s.Import(ctx, recs, sqlite.ImportOptions{File: "list.csv", At: sampleDay.AddDate(0, -1, 0)}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for sub, err := range s.Confirmed(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sub.ID)
	}
	if len(ids) != n {
		t.Fatalf("%d confirmed, want %d", len(ids), n)
	}
	return s, ids
}

func mailing(t *testing.T, s *sqlite.Store, srv *smtptest.Server) *Mailing {
	t.Helper()
	is, err := sample(t, "2016-12", "")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := subscriber.NewSigner(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	return &Mailing{
		Issue: is, From: mail.Address{Name: "Northfield LMC", Address: "news@example.org"},
		ReplyTo: &mail.Address{Address: "office@example.org"}, Domain: "example.org",
		BaseURL: "https://lmc.example.org/", ListName: "Northfield LMC newsletter", Signer: signer,
		Now:     func() time.Time { return sampleDay },
		Sender:  email.Pool{Server: email.Config{Host: srv.Host, Port: srv.Port, Security: email.LoopbackOptional, Timeout: 10 * time.Second}, Connections: 2, Attempts: 2, Backoff: time.Millisecond, MaxBackoff: time.Millisecond},
		Journal: s, Recipients: s,
	}
}

// perRecipient counts the messages the server accepted, by envelope
// recipient.
func perRecipient(srv *smtptest.Server) map[string]int {
	n := map[string]int{}
	for _, m := range srv.Messages() {
		for _, to := range m.To {
			n[strings.Trim(to, "<>")]++
		}
	}
	return n
}

var unsubLink = regexp.MustCompile(`https://lmc\.example\.org/unsubscribe/([A-Za-z0-9_.-]+)`)

// TestRunSendsEachOnce sends to a list with a refused and a deferred
// address: everyone confirmed else gets one copy with their own
// unsubscribe link and headers, nobody pending or unsubscribed gets one;
// a second run sends only the deferred one, a third nothing.
func TestRunSendsEachOnce(t *testing.T) {
	ctx := context.Background()
	s, ids := list(t, 12)
	var deferOn atomic.Bool
	deferOn.Store(true)
	srv := smtptest.Start(t, smtptest.Options{Hook: func(st smtptest.Stage, rcpt string, seen int) smtptest.Fault {
		switch {
		case st == smtptest.Rcpt && rcpt == "p003@practice.example.org":
			return smtptest.Fault{Code: 550, Text: "5.1.1 no such user"}
		case st == smtptest.Rcpt && rcpt == "p007@practice.example.org" && deferOn.Load():
			return smtptest.Fault{Code: 451, Text: "4.3.0 try later"}
		}
		return smtptest.Fault{}
	}})
	m := mailing(t, s, srv)
	rep, err := m.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 10 || rep.Refused != 1 || rep.Deferred != 1 || rep.Skipped != 0 {
		t.Errorf("first run %+v", rep)
	}
	got := perRecipient(srv)
	for i := range 12 {
		addr := fmt.Sprintf("p%03d@practice.example.org", i)
		want := 1
		if i == 3 || i == 7 {
			want = 0
		}
		if got[addr] != want {
			t.Errorf("%s got %d copies, want %d", addr, got[addr], want)
		}
	}
	if got["pending@practice.example.org"]+got["left@practice.example.org"] != 0 {
		t.Error("a pending or unsubscribed person was mailed")
	}
	for _, r := range srv.Messages() {
		msg, err := mail.ReadMessage(strings.NewReader(string(r.Data)))
		if err != nil {
			t.Fatal(err)
		}
		to := strings.Trim(r.To[0], "<>")
		var id int64
		for i, x := range ids {
			if fmt.Sprintf("p%03d@practice.example.org", i) == to {
				id = x
			}
		}
		if want := fmt.Sprintf("<2016-12.%d@example.org>", id); msg.Header.Get("Message-Id") != want {
			t.Errorf("%s: Message-ID %q, want %q", to, msg.Header.Get("Message-Id"), want)
		}
		lu := msg.Header.Get("List-Unsubscribe")
		sm := unsubLink.FindStringSubmatch(lu)
		if sm == nil || !strings.Contains(lu, "<mailto:office@example.org?subject=unsubscribe>") {
			t.Fatalf("%s: List-Unsubscribe %q", to, lu)
		}
		c, err := m.Signer.Verify(subscriber.PurposeUnsubscribe, sm[1], sampleDay.AddDate(10, 0, 0))
		if err != nil || c.ID != id {
			t.Errorf("%s: unsubscribe token for %d, %v; want %d, valid for years", to, c.ID, err, id)
		}
		if msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(msg.Header.Get("List-Id"), "Northfield LMC newsletter <newsletter.example.org>") {
			t.Errorf("%s: List-Unsubscribe-Post %q, List-Id %q", to, msg.Header.Get("List-Unsubscribe-Post"), msg.Header.Get("List-Id"))
		}
		if strings.Contains(string(r.Data), UnsubscribePlaceholder) || !strings.Contains(string(r.Data), "unsubscribe/"+sm[1][:20]) {
			t.Errorf("%s: the body does not carry its own unsubscribe link", to)
		}
	}
	fails, err := s.Deliveries(ctx, "2016-12", subscriber.FailedPermanent, subscriber.FailedTemporary)
	if err != nil || len(fails) != 2 || !strings.Contains(fails[0].Reply, "550") || !strings.Contains(fails[1].Reply, "451") {
		t.Errorf("failures %+v %v", fails, err)
	}

	deferOn.Store(false)
	before := len(srv.Messages())
	if rep, err = m.Run(ctx); err != nil || rep.Sent != 1 || rep.Refused != 0 || rep.Skipped != 11 {
		t.Errorf("second run %+v %v: want only the deferred one sent", rep, err)
	}
	if n := len(srv.Messages()) - before; n != 1 || perRecipient(srv)["p007@practice.example.org"] != 1 {
		t.Errorf("second run delivered %d", n)
	}
	if rep, err = m.Run(ctx); err != nil || rep.Sent+rep.Refused+rep.Deferred != 0 || rep.Skipped != 12 {
		t.Errorf("third run %+v %v: want nothing sent", rep, err)
	}
	if c, _ := s.SendCounts(ctx, "2016-12"); c != (subscriber.SendCounts{Sent: 11, FailedPermanent: 1}) {
		t.Errorf("journal %+v", c)
	}
}

// TestRunUnsubscribeDuringSend: a person who unsubscribes while the send
// runs (here, while the third message is on the wire) is not mailed.
func TestRunUnsubscribeDuringSend(t *testing.T) {
	ctx := context.Background()
	s, ids := list(t, 20)
	last := ids[len(ids)-1]
	var done atomic.Bool
	srv := smtptest.Start(t, smtptest.Options{Hook: func(st smtptest.Stage, rcpt string, seen int) smtptest.Fault {
		if st == smtptest.Rcpt && rcpt == "p002@practice.example.org" && !done.Swap(true) {
			if err := s.Unsubscribe(ctx, last, subscriber.Event{At: sampleDay, Source: subscriber.OneClick}); err != nil {
				t.Error(err)
			}
		}
		return smtptest.Fault{}
	}})
	rep, err := mailing(t, s, srv).Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !done.Load() {
		t.Fatal("the hook never ran")
	}
	if rep.Sent != 19 || rep.Skipped != 1 {
		t.Errorf("report %+v, want 19 sent and 1 skipped", rep)
	}
	if n := perRecipient(srv)["p019@practice.example.org"]; n != 0 {
		t.Errorf("the person who unsubscribed during the send got %d copies", n)
	}
}

// TestRunPausesAfterFailures: a server deferring everything stops the send
// with the pool's reason; nothing is left in flight, and what was tried
// is pending for the next send.
func TestRunPausesAfterFailures(t *testing.T) {
	ctx := context.Background()
	s, _ := list(t, 30)
	srv := smtptest.Start(t, smtptest.Options{Hook: func(st smtptest.Stage, rcpt string, seen int) smtptest.Fault {
		if st == smtptest.Mail {
			return smtptest.Fault{Code: 421, Text: "4.7.0 too many messages, slow down"}
		}
		return smtptest.Fault{}
	}})
	m := mailing(t, s, srv)
	rep, err := m.Run(ctx)
	var stopped *email.StoppedError
	if !errors.As(err, &stopped) || !strings.Contains(err.Error(), "slow down") {
		t.Fatalf("err %v, want the pool's StoppedError quoting the reply", err)
	}
	c, _ := s.SendCounts(ctx, "2016-12")
	if c.InFlight != 0 || c.Sent != 0 || c.FailedTemporary != rep.Deferred || rep.Deferred == 0 {
		t.Errorf("journal %+v after report %+v", c, rep)
	}
	if n, _ := s.Pending(ctx, "2016-12", ""); n != 30 {
		t.Errorf("pending %d, want 30", n)
	}
}

// staleList is the list as read before some people changed their
// address: it yields the old address for the ids in old.
type staleList struct {
	s   *sqlite.Store
	old map[int64]string
}

func (l staleList) Confirmed(ctx context.Context, area string) iter.Seq2[subscriber.Subscriber, error] {
	return func(yield func(subscriber.Subscriber, error) bool) {
		for sub, err := range l.s.Confirmed(ctx, area) {
			if a, ok := l.old[sub.ID]; ok {
				sub.Email, sub.Name = a, "Old name"
			}
			if !yield(sub, err) {
				return
			}
		}
	}
}

// TestRunMailsTheAddressHeldNow: a copy made (and signed) ahead for an
// address that has changed by the time its connection takes it is remade
// for the address the journal's claim reads.
func TestRunMailsTheAddressHeldNow(t *testing.T) {
	s, ids := list(t, 6)
	srv := smtptest.Start(t, smtptest.Options{})
	m := mailing(t, s, srv)
	m.Recipients = staleList{s: s, old: map[int64]string{ids[2]: "old.p002@practice.example.org"}}
	rep, err := m.Run(context.Background())
	if err != nil || rep.Sent != 6 {
		t.Fatalf("report %+v, err %v; want 6 sent", rep, err)
	}
	got := perRecipient(srv)
	if got["old.p002@practice.example.org"] != 0 || got["p002@practice.example.org"] != 1 {
		t.Errorf("copies %v; want one to p002's address now, none to the old one", got)
	}
	for _, r := range srv.Messages() {
		if strings.Contains(string(r.Data), "Old name") || strings.Contains(string(r.Data), "old.p002") {
			t.Errorf("a copy to %v still carries the old address or name", r.To)
		}
	}
}

func TestEdition(t *testing.T) {
	for _, c := range []struct{ month, area, want string }{
		{"2016-12", "", "2016-12"},
		{"2016-12", "Northfield", "2016-12-northfield"},
		{"2016-12", "North & South Vale", "2016-12-north-south-vale"},
		{"2016-12", "Vale ", "2016-12-vale"},
	} {
		if got := Edition(c.month, c.area); got != c.want {
			t.Errorf("Edition(%q, %q) = %q, want %q", c.month, c.area, got, c.want)
		}
	}
}

// TestRunAreaEditionHasItsOwnJournal: the Northfield edition is journalled
// as 2016-12-northfield, apart from the issue for everyone, so sending
// the one after the other mails the area's people again (with the
// edition's Message-IDs), and neither run's record stops the other.
func TestRunAreaEditionHasItsOwnJournal(t *testing.T) {
	ctx := context.Background()
	s, _ := list(t, 3)
	var recs []subscriber.Record
	for i := range 2 {
		recs = append(recs, subscriber.Record{Subscriber: subscriber.Subscriber{Email: fmt.Sprintf("north%d@practice.example.org", i), Status: subscriber.Confirmed, Areas: []string{"Northfield"}},
			ConsentAt: sampleDay.AddDate(-1, 0, 0), ConsentSource: "test"})
	}
	if _, err := s.Import(ctx, recs, sqlite.ImportOptions{File: "north.csv", At: sampleDay.AddDate(0, -1, 0)}); err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(t, smtptest.Options{})
	all := mailing(t, s, srv)
	if rep, err := all.Run(ctx); err != nil || rep.Sent != 5 {
		t.Fatalf("issue for everyone: %+v %v", rep, err)
	}
	north := mailing(t, s, srv)
	is, err := sample(t, "2016-12", "Northfield")
	if err != nil {
		t.Fatal(err)
	}
	north.Issue, north.Area = is, "Northfield"
	if rep, err := north.Run(ctx); err != nil || rep.Sent != 2 {
		t.Fatalf("Northfield edition: %+v %v", rep, err)
	}
	if rep, err := north.Run(ctx); err != nil || rep.Sent != 0 {
		t.Fatalf("Northfield edition again: %+v %v, want nothing sent", rep, err)
	}
	for issue, want := range map[string]int{"2016-12": 5, "2016-12-northfield": 2} {
		c, err := s.SendCounts(ctx, issue)
		if err != nil || c.Sent != want {
			t.Errorf("journal of %s: %+v %v, want %d sent", issue, c, err, want)
		}
	}
	ids := 0
	for _, m := range srv.Messages() {
		if strings.Contains(string(m.Data), "Message-ID: <2016-12-northfield.") {
			ids++
			if !strings.HasPrefix(m.To[0], "north") {
				t.Errorf("the Northfield edition went to %s", m.To[0])
			}
		}
	}
	if ids != 2 {
		t.Errorf("%d messages with the edition's Message-ID, want 2", ids)
	}
}
