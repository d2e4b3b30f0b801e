package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"time"

	"lmcpress/internal/subscriber"
)

// This file holds the send journal (migration 0004): who is to get an
// issue, and what became of each message. A send claims each recipient
// just before its message goes (Claim, which checks the person's status
// again and marks the row in flight), and records the server's answer
// (Record) before the connection takes its next message, so that at any
// moment at most one message per connection has been accepted by the
// server without the journal saying so. Turn does a connection's Record
// and its next Claim in one transaction, so a message costs one commit
// (one fsync under synchronous=FULL), not two.

// recipientPage is how many recipients Confirmed reads per query: memory
// stays flat in the size of the list, and no read transaction stays open
// for the whole send (which would keep the WAL from being checkpointed).
const recipientPage = 500

// areaFilter is true for subscriber s when ?2 is "" or one of s's areas.
const areaFilter = `(?2 = '' OR EXISTS (SELECT 1 FROM subscriber_areas a WHERE a.subscriber = s.id AND a.area = ?2 COLLATE NOCASE))`

// Confirmed yields the confirmed subscribers (in area, unless area is "")
// in id order, a page at a time: ID, Email and Name only. The list may
// change while it is read; Claim is what decides whether a person is
// mailed.
func (s *Store) Confirmed(ctx context.Context, area string) iter.Seq2[subscriber.Subscriber, error] {
	return func(yield func(subscriber.Subscriber, error) bool) {
		var after int64
		for {
			page, err := s.confirmedPage(ctx, area, after)
			if err != nil {
				yield(subscriber.Subscriber{}, err)
				return
			}
			for _, sub := range page {
				if !yield(sub, nil) {
					return
				}
			}
			if len(page) < recipientPage {
				return
			}
			after = page[len(page)-1].ID
		}
	}
}

func (s *Store) confirmedPage(ctx context.Context, area string, after int64) ([]subscriber.Subscriber, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.id, s.email, s.name FROM subscribers s
		WHERE s.id > ?1 AND s.status = 'confirmed' AND `+areaFilter+` ORDER BY s.id LIMIT ?3`, after, area, recipientPage)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recipients: %w", err)
	}
	defer rows.Close()
	page := make([]subscriber.Subscriber, 0, recipientPage)
	for rows.Next() {
		sub := subscriber.Subscriber{Status: subscriber.Confirmed}
		if err := rows.Scan(&sub.ID, &sub.Email, &sub.Name); err != nil {
			return nil, fmt.Errorf("sqlite: recipients: %w", err)
		}
		page = append(page, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: recipients: %w", err)
	}
	return page, nil
}

// Claim decides, at the last moment, whether issue goes to subscriber id:
// yes if the person is still confirmed (and in area, unless area is ""),
// not suppressed, and has no sent or refused message of the issue. When
// yes, it marks the message in flight at at and returns the person as
// now held. All in one write transaction, so an unsubscribe committed by
// the server a moment before is seen. The suppression check needs
// SetSecret.
func (s *Store) Claim(ctx context.Context, issue string, id int64, area string, at time.Time) (subscriber.Subscriber, bool, error) {
	t, err := s.Turn(ctx, nil, &subscriber.SendClaim{Issue: issue, Subscriber: id, Area: area, At: at})
	return t.Held, t.Claimed, err
}

// claim is Claim's work, in tx.
func (s *Store) claim(ctx context.Context, tx *txn, c subscriber.SendClaim) (sub subscriber.Subscriber, ok bool, err error) {
	var status string
	var inArea bool
	err = tx.QueryRowContext(ctx, `SELECT s.id, s.email, s.name, s.status, `+areaFilter+` FROM subscribers s WHERE s.id = ?1`, c.Subscriber, c.Area).
		Scan(&sub.ID, &sub.Email, &sub.Name, &status, &inArea)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, false, nil // erased since the list was read
	}
	if err != nil {
		return sub, false, err
	}
	sub.Status = subscriber.Status(status)
	if sub.Status != subscriber.Confirmed || !inArea {
		return sub, false, nil
	}
	if sup, err := s.suppression(ctx, tx, sub.Email); err != nil || sup != nil {
		return sub, false, err
	}
	var state string
	err = tx.QueryRowContext(ctx, `SELECT state FROM sends WHERE issue = ? AND subscriber = ?`, c.Issue, c.Subscriber).Scan(&state)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return sub, false, err
	}
	if subscriber.SendState(state).Final() {
		return sub, false, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sends (issue, subscriber, state, at) VALUES (?, ?, 'in-flight', ?)
		ON CONFLICT (issue, subscriber) DO UPDATE SET state = 'in-flight', at = excluded.at`, c.Issue, c.Subscriber, formatTime(c.At)); err != nil {
		return sub, false, err
	}
	return sub, true, nil
}

// Turn is the journal's side of a connection's turn between two messages:
// it records d, the fate of the message just finished (if not nil), as
// Record does, and then claims c, the next (if not nil), as Claim does,
// in one write transaction: one commit, so one fsync, for the two. The
// claim still reads the person's status inside the transaction that
// marks them in flight. If either fails, neither is written.
func (s *Store) Turn(ctx context.Context, d *subscriber.Delivery, c *subscriber.SendClaim) (subscriber.TurnResult, error) {
	var t subscriber.TurnResult
	if d != nil {
		switch {
		case d.At.IsZero():
			return t, fmt.Errorf("sqlite: record %s for %d without a time: %w", d.Issue, d.Subscriber, subscriber.ErrInvalid)
		case d.State != subscriber.Sent && d.State != subscriber.FailedTemporary && d.State != subscriber.FailedPermanent:
			return t, fmt.Errorf("sqlite: record %s for %d: state %q: %w", d.Issue, d.Subscriber, d.State, subscriber.ErrInvalid)
		}
	}
	if c != nil {
		if c.At.IsZero() {
			return t, fmt.Errorf("sqlite: claim %s for %d without a time: %w", c.Issue, c.Subscriber, subscriber.ErrInvalid)
		}
		if s.hasher == nil {
			return t, fmt.Errorf("sqlite: claim %s: %w", c.Issue, ErrNoSecret)
		}
	}
	if d == nil && c == nil {
		return t, nil
	}
	err := s.writeTx(ctx, func(tx *txn) error {
		t = subscriber.TurnResult{}
		if d != nil {
			sup, err := s.record(ctx, tx, *d)
			if err != nil {
				return fmt.Errorf("record %s for %d: %w", d.Issue, d.Subscriber, err)
			}
			t.Suppressed = sup
		}
		if c != nil {
			sub, ok, err := s.claim(ctx, tx, *c)
			if err != nil {
				return fmt.Errorf("claim %s for %d: %w", c.Issue, c.Subscriber, err)
			}
			t.Held, t.Claimed = sub, ok
		}
		return nil
	})
	if err != nil {
		return subscriber.TurnResult{}, fmt.Errorf("sqlite: %w", err)
	}
	return t, nil
}

// Record writes what became of a claimed message: d.State (sent,
// failed-temporary or failed-permanent), the server's reply and the
// attempts, at d.At. A permanent failure that follows a permanent failure
// of the subscriber's previous send suppresses the address: the person is
// unsubscribed, with a "bounced" entry in their consent log and on the
// suppression list, and suppressed is true.
func (s *Store) Record(ctx context.Context, d subscriber.Delivery) (suppressed bool, err error) {
	t, err := s.Turn(ctx, &d, nil)
	return t.Suppressed, err
}

// record is Record's work, in tx.
func (s *Store) record(ctx context.Context, tx *txn, d subscriber.Delivery) (suppressed bool, err error) {
	r, err := tx.ExecContext(ctx, `UPDATE sends SET state = ?, reply = ?, attempts = attempts + ?, at = ? WHERE issue = ? AND subscriber = ?`,
		string(d.State), d.Reply, d.Attempts, formatTime(d.At), d.Issue, d.Subscriber)
	if err != nil {
		return false, err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		// Erased while its message was on the wire: nothing to keep.
		return false, nil
	}
	if d.State != subscriber.FailedPermanent {
		return false, nil
	}
	var prev string
	err = tx.QueryRowContext(ctx, `SELECT state FROM sends WHERE subscriber = ? AND issue <> ? AND state IN ('sent', 'failed-permanent')
		ORDER BY at DESC LIMIT 1`, d.Subscriber, d.Issue).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) || err == nil && subscriber.SendState(prev) != subscriber.FailedPermanent {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var email, status string
	if err := tx.QueryRowContext(ctx, `SELECT email, status FROM subscribers WHERE id = ?`, d.Subscriber).Scan(&email, &status); err != nil {
		return false, err
	}
	detail := fmt.Sprintf("refused for good on two sends in a row, the last %s: %s", d.Issue, d.Reply)
	if _, err := s.suppress(ctx, tx, email, subscriber.Bounced, d.At, subscriber.Sending, detail); err != nil {
		return false, err
	}
	if subscriber.Status(status) != subscriber.Unsubscribed {
		ev := subscriber.Event{Kind: subscriber.Bounced, At: d.At, Source: subscriber.Sending, Detail: detail}
		if err := s.setStatus(ctx, tx, d.Subscriber, subscriber.Unsubscribed, ev); err != nil {
			return false, err
		}
	}
	return true, nil
}

// Release forgets the in-flight marks of messages that were claimed but
// never tried (the send stopped first): they are pending again, and not
// counted as messages that may have gone.
func (s *Store) Release(ctx context.Context, issue string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.writeTx(ctx, func(tx *txn) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sends WHERE issue = ? AND subscriber = ? AND state = 'in-flight'`, issue, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: release %s: %w", issue, err)
	}
	return nil
}

// SendCounts counts issue's journal rows by state.
func (s *Store) SendCounts(ctx context.Context, issue string) (subscriber.SendCounts, error) {
	var c subscriber.SendCounts
	rows, err := s.read.QueryContext(ctx, `SELECT state, count(*) FROM sends WHERE issue = ? GROUP BY state`, issue)
	if err != nil {
		return c, fmt.Errorf("sqlite: journal of %s: %w", issue, err)
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return c, fmt.Errorf("sqlite: journal of %s: %w", issue, err)
		}
		switch subscriber.SendState(st) {
		case subscriber.Sent:
			c.Sent = n
		case subscriber.InFlight:
			c.InFlight = n
		case subscriber.FailedTemporary:
			c.FailedTemporary = n
		case subscriber.FailedPermanent:
			c.FailedPermanent = n
		}
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("sqlite: journal of %s: %w", issue, err)
	}
	return c, nil
}

// Pending counts the confirmed subscribers (in area, unless "") whom issue
// has yet to reach: no sent or refused message of it.
func (s *Store) Pending(ctx context.Context, issue, area string) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM subscribers s WHERE s.status = 'confirmed' AND `+areaFilter+`
		AND NOT EXISTS (SELECT 1 FROM sends j WHERE j.issue = ?1 AND j.subscriber = s.id AND j.state IN ('sent', 'failed-permanent'))`,
		issue, area).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: pending of %s: %w", issue, err)
	}
	return n, nil
}

// Deliveries returns issue's journal rows in state (any, if none given),
// in subscriber order, with each person's address as now held.
func (s *Store) Deliveries(ctx context.Context, issue string, states ...subscriber.SendState) ([]subscriber.Delivery, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT j.subscriber, coalesce(s.email, ''), j.state, j.reply, j.attempts, j.at
		FROM sends j LEFT JOIN subscribers s ON s.id = j.subscriber WHERE j.issue = ? ORDER BY j.subscriber`, issue)
	if err != nil {
		return nil, fmt.Errorf("sqlite: journal of %s: %w", issue, err)
	}
	defer rows.Close()
	var out []subscriber.Delivery
	for rows.Next() {
		d := subscriber.Delivery{Issue: issue}
		var st, at string
		if err := rows.Scan(&d.Subscriber, &d.Email, &st, &d.Reply, &d.Attempts, &at); err != nil {
			return nil, fmt.Errorf("sqlite: journal of %s: %w", issue, err)
		}
		d.State = subscriber.SendState(st)
		if len(states) > 0 && !containsState(states, d.State) {
			continue
		}
		if d.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: journal of %s: %w", issue, err)
	}
	return out, nil
}

func containsState(states []subscriber.SendState, st subscriber.SendState) bool {
	for _, s := range states {
		if s == st {
			return true
		}
	}
	return false
}

// NextRecipients returns the first n confirmed subscribers (in area,
// unless "") whom issue has yet to reach, in the order a send takes them:
// what a dry run shows.
func (s *Store) NextRecipients(ctx context.Context, issue, area string, n int) ([]subscriber.Subscriber, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.id, s.email, s.name FROM subscribers s WHERE s.status = 'confirmed' AND `+areaFilter+`
		AND NOT EXISTS (SELECT 1 FROM sends j WHERE j.issue = ?1 AND j.subscriber = s.id AND j.state IN ('sent', 'failed-permanent'))
		ORDER BY s.id LIMIT ?3`, issue, area, n)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recipients of %s: %w", issue, err)
	}
	defer rows.Close()
	var out []subscriber.Subscriber
	for rows.Next() {
		sub := subscriber.Subscriber{Status: subscriber.Confirmed}
		if err := rows.Scan(&sub.ID, &sub.Email, &sub.Name); err != nil {
			return nil, fmt.Errorf("sqlite: recipients of %s: %w", issue, err)
		}
		out = append(out, sub)
	}
	return out, rows.Err()
}
