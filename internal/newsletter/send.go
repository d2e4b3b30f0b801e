package newsletter

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/mail"
	"strings"
	"sync"
	"time"

	"lmcpress/internal/email"
	"lmcpress/internal/subscriber"
)

// This file sends an issue to the list, exactly once per person: the issue
// is rendered once, each message differs only in its unsubscribe link and
// headers, and a journal row per (issue, subscriber) says what became of
// it, so that a send killed at any moment and run again finishes the
// others and mails nobody twice, but for the messages that were on the
// wire when it was killed (at most one per connection).

// Sender sends messages, making and signing them ahead, and calls step
// between each connection's messages, one call at a time, with the fate
// of the message finished and the one to send next: email.Pool.
type Sender interface {
	SendSteps(ctx context.Context, msgs iter.Seq[email.Message], step email.Step) (email.Summary, error)
}

// Recipients lists the confirmed subscribers an issue goes to (in area,
// unless area is ""), in id order, without holding the whole list.
type Recipients interface {
	Confirmed(ctx context.Context, area string) iter.Seq2[subscriber.Subscriber, error]
}

// Journal is the send journal (package sqlite's Store).
type Journal interface {
	// Claim checks the person again (still confirmed, in area, not
	// suppressed, issue not already sent or refused) and, if they are to
	// be mailed, marks the message in flight and returns them as now held.
	Claim(ctx context.Context, issue string, id int64, area string, at time.Time) (subscriber.Subscriber, bool, error)
	// Record writes a claimed message's fate; suppressed is true when it
	// made the address suppressed (refused on two sends in a row).
	Record(ctx context.Context, d subscriber.Delivery) (suppressed bool, err error)
	// Turn is Record of d (if not nil) then Claim of c (if not nil) in
	// one write transaction: a connection's result and its next claim
	// cost one commit.
	Turn(ctx context.Context, d *subscriber.Delivery, c *subscriber.SendClaim) (subscriber.TurnResult, error)
	// Release forgets claims whose messages were never tried.
	Release(ctx context.Context, issue string, ids []int64) error
}

// Mailing is one issue going to the list.
type Mailing struct {
	Issue *Issue
	Area  string // "" sends the issue for everyone to everyone
	// From and ReplyTo are site.yaml's newsletter: from: and replyTo:.
	From    mail.Address
	ReplyTo *mail.Address
	// Domain is the LMC's domain, of every Message-ID and of the List-Id
	// (newsletter.DOMAIN).
	Domain string
	// BaseURL is the site's address; each reader's unsubscribe link is
	// BASEURL/unsubscribe/TOKEN, served by lmcpress server.
	BaseURL  string
	ListName string // "Northfield LMC newsletter"
	// Signer makes the never-expiring unsubscribe tokens
	// (LMCPRESS_SECRET).
	Signer *subscriber.Signer
	// Now is the clock of the Date headers and the journal.
	Now func() time.Time

	Sender     Sender
	Journal    Journal
	Recipients Recipients
	// Progress, if set, is called with the report so far after each
	// message's fate is recorded, from one goroutine at a time.
	Progress func(Report)
}

// Report counts what a Run did.
type Report struct {
	Sent, Refused, Deferred int
	// Skipped are the people on the list read who were not mailed: the
	// issue had already reached them, or they left, changed area or were
	// suppressed since the list was read.
	Skipped int
	// Suppressed are the addresses refused on this send and the one
	// before, now off the list.
	Suppressed int
	Email      email.Summary
}

// Edition is the journal's name for an issue, and its Message-IDs'
// prefix: the month, or the month and the area's name ("2016-12",
// "2016-12-northfield").
func Edition(month, area string) string {
	if area == "" {
		return month
	}
	var b strings.Builder
	b.WriteString(month)
	b.WriteByte('-')
	dash := false
	for _, r := range strings.ToLower(area) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// personaliser makes each reader's copy from the issue rendered once.
type personaliser struct {
	m          *Mailing
	edition    string
	text, html []string // the parts around the unsubscribe placeholder
	listID     string
	mailto     string
	base       string
}

func (m *Mailing) personaliser() (*personaliser, error) {
	if m.Issue == nil || m.Signer == nil || m.Now == nil || m.Sender == nil || m.Journal == nil || m.Recipients == nil {
		return nil, errors.New("newsletter: send: a Mailing needs its Issue, Signer, Now, Sender, Journal and Recipients")
	}
	p := &personaliser{m: m, edition: Edition(m.Issue.Month, m.Area), listID: "newsletter." + strings.ToLower(m.Domain),
		base: strings.TrimSuffix(m.BaseURL, "/")}
	p.text = strings.Split(m.Issue.Text, UnsubscribePlaceholder)
	p.html = strings.Split(m.Issue.HTML, UnsubscribePlaceholder)
	if len(p.html) < 2 {
		return nil, fmt.Errorf("newsletter %s: the HTML part has no unsubscribe link (%s): templates/email/email.html must show {{ .Unsubscribe }}", m.Issue.Month, UnsubscribePlaceholder)
	}
	unsub := m.From.Address
	if m.ReplyTo != nil {
		unsub = m.ReplyTo.Address
	}
	p.mailto = "mailto:" + unsub + "?subject=unsubscribe"
	// One message made now shows a bad domain or base URL before any is
	// claimed.
	if _, err := p.message(subscriber.Subscriber{ID: 1, Email: "check@example.org"}, m.Now()); err != nil {
		return nil, err
	}
	return p, nil
}

// message is sub's copy.
func (p *personaliser) message(sub subscriber.Subscriber, now time.Time) (email.Message, error) {
	m := p.m
	id, err := email.MessageID(p.edition, sub.ID, m.Domain)
	if err != nil {
		return email.Message{}, fmt.Errorf("newsletter %s: %w", p.edition, err)
	}
	link := p.base + "/unsubscribe/" + m.Signer.Sign(subscriber.PurposeUnsubscribe, sub.ID, "", time.Time{})
	headers, err := email.ListHeaders(m.ListName, p.listID, link, p.mailto)
	if err != nil {
		return email.Message{}, fmt.Errorf("newsletter %s: %w", p.edition, err)
	}
	return email.Message{
		From: m.From, ReplyTo: m.ReplyTo,
		To:        []mail.Address{{Name: sub.Name, Address: sub.Email}},
		Subject:   m.Issue.Subject,
		Date:      now,
		MessageID: id,
		Headers:   headers,
		Text:      strings.Join(p.text, link),
		HTML:      strings.Join(p.html, link),
	}, nil
}

// Run sends the issue to every confirmed subscriber it has not reached
// yet, recording each message in the journal. It returns what it did, and
// an error when it stopped early: the Sender's (a *email.StoppedError
// after too many failures in a row, ctx's when interrupted) or the
// journal's. Run again, it takes up where it stopped.
//
// Each copy is made (and signed, by the Sender) from the list as read, a
// little ahead of its connection; the person is claimed only when their
// connection comes free, in the same transaction that records that
// connection's last message, and a person whose address or name changed
// meanwhile gets a copy remade for them.
func (m *Mailing) Run(ctx context.Context) (Report, error) {
	p, err := m.personaliser()
	if err != nil {
		return Report{}, err
	}
	var (
		mu      sync.Mutex
		rep     Report
		listed  = map[string]subscriber.Subscriber{} // Message-ID → the person as read, made and not yet offered
		claimed = map[string]int64{}                 // Message-ID → subscriber, claimed and not yet recorded
		feedErr error
	)
	msgs := func(yield func(email.Message) bool) {
		for sub, err := range m.Recipients.Confirmed(ctx, m.Area) {
			if err == nil {
				err = ctx.Err()
			}
			if err != nil {
				feedErr = err
				return
			}
			msg, err := p.message(sub, m.Now())
			if err != nil {
				feedErr = err
				return
			}
			mu.Lock()
			listed[msg.MessageID] = sub
			mu.Unlock()
			if !yield(msg) {
				return
			}
		}
	}
	// step runs one call at a time (the Sender's promise), so it needs mu
	// only against msgs.
	step := func(done *email.Result, next *email.Message) (email.Take, error) {
		var d *subscriber.Delivery
		if done != nil {
			id, ok := claimed[done.Message.MessageID]
			delete(claimed, done.Message.MessageID)
			if !ok {
				return email.Skip, fmt.Errorf("newsletter %s: the sender reported %s, which was not claimed", p.edition, done.Message.MessageID)
			}
			d = &subscriber.Delivery{Issue: p.edition, Subscriber: id, Reply: done.Reply, Attempts: done.Attempts, At: m.Now()}
			switch done.Outcome {
			case email.Accepted:
				d.State = subscriber.Sent
			case email.Refused:
				d.State = subscriber.FailedPermanent
			default:
				d.State = subscriber.FailedTemporary
			}
			if d.Reply == "" && done.Err != nil {
				d.Reply = done.Err.Error()
			}
		}
		var c *subscriber.SendClaim
		var sub subscriber.Subscriber
		if next != nil {
			mu.Lock()
			s, ok := listed[next.MessageID]
			delete(listed, next.MessageID)
			mu.Unlock()
			if !ok {
				return email.Skip, fmt.Errorf("newsletter %s: the sender offered %s, which was not made", p.edition, next.MessageID)
			}
			sub = s
			if ctx.Err() == nil { // interrupted: record done, claim nobody more
				c = &subscriber.SendClaim{Issue: p.edition, Subscriber: sub.ID, Area: m.Area, At: m.Now()}
			}
		}
		// Recorded even when the send is being interrupted: the server has
		// answered, and the journal must say so.
		t, err := m.Journal.Turn(context.WithoutCancel(ctx), d, c)
		if err != nil {
			return email.Skip, err
		}
		mu.Lock()
		if d != nil {
			switch d.State {
			case subscriber.Sent:
				rep.Sent++
			case subscriber.FailedPermanent:
				rep.Refused++
			default:
				rep.Deferred++
			}
			if t.Suppressed {
				rep.Suppressed++
			}
		}
		if c != nil && !t.Claimed {
			rep.Skipped++
		}
		snapshot := rep
		mu.Unlock()
		if d != nil && m.Progress != nil {
			m.Progress(snapshot)
		}
		if c == nil || !t.Claimed {
			return email.Skip, nil
		}
		claimed[next.MessageID] = sub.ID
		if t.Held.Email == sub.Email && t.Held.Name == sub.Name {
			return email.Go, nil
		}
		// The address or name changed since the list was read.
		msg, err := p.message(t.Held, next.Date)
		if err != nil {
			delete(claimed, next.MessageID)
			return email.Skip, errors.Join(err, m.Journal.Release(context.WithoutCancel(ctx), p.edition, []int64{sub.ID}))
		}
		*next = msg
		return email.Remade, nil
	}
	sum, sendErr := m.Sender.SendSteps(ctx, msgs, step)
	rep.Email = sum
	if sendErr != nil {
		sendErr = fmt.Errorf("newsletter %s: %w", p.edition, sendErr)
	}
	if feedErr != nil && sendErr != nil && ctx.Err() != nil && errors.Is(feedErr, ctx.Err()) {
		feedErr = nil // said once, by the sender
	}
	if feedErr != nil {
		feedErr = fmt.Errorf("newsletter %s: %w", p.edition, feedErr)
	}
	return rep, errors.Join(sendErr, feedErr)
}
