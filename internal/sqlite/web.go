package sqlite

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"lmcpress/internal/subscriber"
)

// This file holds what the sign-up server needs (its interface is declared
// in package server): sign up, confirm, unsubscribe, read one subscriber
// and change their areas. Each takes its time from the event, never the
// clock.

// SignUp records a web sign-up. s.Email is already normalised. A new,
// pending or unsubscribed address (or one erased before: a new sign-up is
// the person's own new consent) becomes pending with a fresh nonce, and
// Send is true. A confirmed address changes nothing, so that a stranger
// who types someone's address cannot alter their details, and Send is
// false; Send is false too, and nothing changes, when the address has had
// capPerDay confirmation emails in the 24 hours before ev.At (capPerDay
// <= 0: no cap). The emails are counted in the database, so a restart
// does not reset the cap.
func (s *Store) SignUp(ctx context.Context, sub subscriber.Subscriber, ev subscriber.Event, capPerDay int) (subscriber.SignUpResult, error) {
	if sub.Email == "" || strings.TrimSpace(sub.Email) != sub.Email {
		return subscriber.SignUpResult{}, fmt.Errorf("sqlite: sign-up: email %q: %w", sub.Email, subscriber.ErrInvalid)
	}
	if err := checkEvent(&ev, subscriber.SignedUp, subscriber.Web); err != nil {
		return subscriber.SignUpResult{}, err
	}
	var res subscriber.SignUpResult
	err := s.writeTx(ctx, func(tx *txn) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT id, status FROM subscribers WHERE email = ? COLLATE NOCASE`, sub.Email).Scan(&res.ID, &status)
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlite: sign-up: %w", err)
		}
		if found && subscriber.Status(status) == subscriber.Confirmed {
			return nil
		}
		dayAgo := formatTime(ev.At.Add(-24 * time.Hour))
		if found {
			// Only the last day's emails count: the older ones go.
			if _, err := tx.ExecContext(ctx, `DELETE FROM confirmation_emails WHERE subscriber = ? AND at <= ?`, res.ID, dayAgo); err != nil {
				return fmt.Errorf("sqlite: sign-up: %w", err)
			}
		}
		if found && capPerDay > 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM confirmation_emails WHERE subscriber = ? AND at > ?`,
				res.ID, dayAgo).Scan(&n); err != nil {
				return fmt.Errorf("sqlite: sign-up: %w", err)
			}
			if n >= capPerDay {
				return nil
			}
		}
		res.Nonce = rand.Text()
		at := formatTime(ev.At)
		if found {
			_, err = tx.ExecContext(ctx, `UPDATE subscribers SET name = ?, role = ?, practice = ?, ods = ?, status = 'pending',
				nonce = ?, confirmed_nonce = '', updated = ? WHERE id = ?`,
				sub.Name, string(sub.Role), sub.Practice, sub.ODS, res.Nonce, at, res.ID)
		} else {
			var r sql.Result
			r, err = tx.ExecContext(ctx, `INSERT INTO subscribers (email, name, role, practice, ods, status, nonce, created, updated)
				VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
				sub.Email, sub.Name, string(sub.Role), sub.Practice, sub.ODS, res.Nonce, at, at)
			if err == nil {
				res.ID, err = r.LastInsertId()
			}
		}
		if err != nil {
			return fmt.Errorf("sqlite: sign-up: %w", err)
		}
		if err := setAreas(ctx, tx, res.ID, sub.Areas); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, res.ID, ev); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO confirmation_emails (subscriber, at) VALUES (?, ?)`, res.ID, at); err != nil {
			return fmt.Errorf("sqlite: sign-up: %w", err)
		}
		res.Send = true
		return nil
	})
	if err != nil {
		return subscriber.SignUpResult{}, err
	}
	return res, nil
}

// Confirm confirms subscriber id with the nonce of their confirmation
// link. Pressing the same link twice is not an error; a link whose nonce
// has been replaced by a newer sign-up, or that of someone who has left
// since, is ErrStale.
func (s *Store) Confirm(ctx context.Context, id int64, nonce string, ev subscriber.Event) error {
	if err := checkEvent(&ev, subscriber.ConfirmedKind, subscriber.Web); err != nil {
		return err
	}
	return s.writeTx(ctx, func(tx *txn) error {
		var status, current, used string
		err := tx.QueryRowContext(ctx, `SELECT status, nonce, confirmed_nonce FROM subscribers WHERE id = ?`, id).Scan(&status, &current, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlite: confirm %d: %w", id, subscriber.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("sqlite: confirm %d: %w", id, err)
		}
		same := func(a, b string) bool { return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
		switch {
		case subscriber.Status(status) == subscriber.Pending && same(nonce, current):
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET status = 'confirmed', nonce = '', confirmed_nonce = ?, updated = ?,
				consent_at = ?, consent_source = ? WHERE id = ?`,
				nonce, formatTime(ev.At), formatTime(ev.At), string(ev.Source), id); err != nil {
				return fmt.Errorf("sqlite: confirm %d: %w", id, err)
			}
			return addEvent(ctx, tx, id, ev)
		case subscriber.Status(status) == subscriber.Confirmed && same(nonce, used):
			return nil
		}
		return fmt.Errorf("sqlite: confirm %d: %w", id, subscriber.ErrStale)
	})
}

// Unsubscribe takes subscriber id off the list; doing it again changes
// nothing. The row stays, with status unsubscribed, so that nobody who left
// is re-added by an import.
func (s *Store) Unsubscribe(ctx context.Context, id int64, ev subscriber.Event) error {
	if err := checkEvent(&ev, subscriber.Left, subscriber.Web); err != nil {
		return err
	}
	return s.writeTx(ctx, func(tx *txn) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM subscribers WHERE id = ?`, id).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlite: unsubscribe %d: %w", id, subscriber.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("sqlite: unsubscribe %d: %w", id, err)
		}
		if subscriber.Status(status) == subscriber.Unsubscribed {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET status = 'unsubscribed', nonce = '', updated = ? WHERE id = ?`,
			formatTime(ev.At), id); err != nil {
			return fmt.Errorf("sqlite: unsubscribe %d: %w", id, err)
		}
		return addEvent(ctx, tx, id, ev)
	})
}

// SetAreas replaces subscriber id's areas (the caller has checked them
// against site.yaml) and records the change; the same areas again change
// nothing.
func (s *Store) SetAreas(ctx context.Context, id int64, areas []string, ev subscriber.Event) error {
	if err := checkEvent(&ev, subscriber.Changed, subscriber.Web); err != nil {
		return err
	}
	return s.writeTx(ctx, func(tx *txn) error {
		old, err := loadAreas(ctx, tx, id)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM subscribers WHERE id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("sqlite: areas of %d: %w", id, err)
		}
		if n == 0 {
			return fmt.Errorf("sqlite: areas of %d: %w", id, subscriber.ErrNotFound)
		}
		areas = cleanAreas(areas)
		if slices.Equal(old, areas) {
			return nil
		}
		if err := setAreas(ctx, tx, id, areas); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET updated = ? WHERE id = ?`, formatTime(ev.At), id); err != nil {
			return fmt.Errorf("sqlite: areas of %d: %w", id, err)
		}
		if ev.Detail == "" {
			ev.Detail = "areas: " + orNone(areas)
		}
		return addEvent(ctx, tx, id, ev)
	})
}

// Get returns subscriber id with their areas and consent log.
func (s *Store) Get(ctx context.Context, id int64) (subscriber.Subscriber, error) {
	return s.load(ctx, s.read, `id = ?`, id)
}

// queryer is what reading needs of a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// load reads the one subscriber that where (a condition on subscribers)
// selects, with areas and events.
func (s *Store) load(ctx context.Context, q queryer, where string, arg any) (subscriber.Subscriber, error) {
	var sub subscriber.Subscriber
	var role, status, created, updated string
	err := q.QueryRowContext(ctx, `SELECT id, email, name, role, practice, ods, status, created, updated FROM subscribers WHERE `+where, arg).
		Scan(&sub.ID, &sub.Email, &sub.Name, &role, &sub.Practice, &sub.ODS, &status, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fmt.Errorf("sqlite: subscriber %v: %w", arg, subscriber.ErrNotFound)
	}
	if err != nil {
		return sub, fmt.Errorf("sqlite: subscriber %v: %w", arg, err)
	}
	sub.Role, sub.Status = subscriber.Role(role), subscriber.Status(status)
	if sub.Created, err = parseTime(created); err != nil {
		return sub, err
	}
	if sub.Updated, err = parseTime(updated); err != nil {
		return sub, err
	}
	if sub.Areas, err = loadAreas(ctx, q, sub.ID); err != nil {
		return sub, err
	}
	sub.Events, err = loadEvents(ctx, q, sub.ID)
	return sub, err
}

func loadAreas(ctx context.Context, q queryer, id int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT area FROM subscriber_areas WHERE subscriber = ? ORDER BY area`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: areas of %d: %w", id, err)
	}
	defer rows.Close()
	var areas []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, fmt.Errorf("sqlite: areas of %d: %w", id, err)
		}
		areas = append(areas, a)
	}
	return areas, rows.Err()
}

func loadEvents(ctx context.Context, q queryer, id int64) ([]subscriber.Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT e.kind, e.at, e.source, coalesce(nullif(e.wording, ''), w.wording, ''), e.version, e.detail
		FROM events e LEFT JOIN wordings w ON w.version = e.version AND e.version <> ''
		WHERE e.subscriber = ? ORDER BY e.id`, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: consent log of %d: %w", id, err)
	}
	defer rows.Close()
	var evs []subscriber.Event
	for rows.Next() {
		var ev subscriber.Event
		var kind, at, source string
		if err := rows.Scan(&kind, &at, &source, &ev.Wording, &ev.Version, &ev.Detail); err != nil {
			return nil, fmt.Errorf("sqlite: consent log of %d: %w", id, err)
		}
		ev.Kind, ev.Source = subscriber.Kind(kind), subscriber.Source(source)
		if ev.At, err = parseTime(at); err != nil {
			return nil, err
		}
		evs = append(evs, ev)
	}
	return evs, rows.Err()
}

// checkEvent fills in an event's default kind and source and refuses one
// without a time: the store never reads the clock.
func checkEvent(ev *subscriber.Event, kind subscriber.Kind, source subscriber.Source) error {
	if ev.Kind == "" {
		ev.Kind = kind
	}
	if ev.Source == "" {
		ev.Source = source
	}
	if ev.At.IsZero() {
		return fmt.Errorf("sqlite: %s event without a time: %w", ev.Kind, subscriber.ErrInvalid)
	}
	return nil
}

// addEvent appends ev to subscriber id's consent log. A wording with a
// version is kept once, in wordings, and a version cannot change its
// words: new words need a new version, so the log always says which text
// each person saw.
func addEvent(ctx context.Context, tx *txn, id int64, ev subscriber.Event) error {
	wording := ev.Wording
	if ev.Version != "" && ev.Wording != "" {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO wordings (version, wording) VALUES (?, ?)`, ev.Version, ev.Wording); err != nil {
			return fmt.Errorf("sqlite: consent wording %s: %w", ev.Version, err)
		}
		var held string
		if err := tx.QueryRowContext(ctx, `SELECT wording FROM wordings WHERE version = ?`, ev.Version).Scan(&held); err != nil {
			return fmt.Errorf("sqlite: consent wording %s: %w", ev.Version, err)
		}
		if held != ev.Wording {
			return fmt.Errorf("sqlite: consent wording version %q is already recorded with other words; give the new wording a new version: %w", ev.Version, subscriber.ErrInvalid)
		}
		wording = ""
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (subscriber, kind, at, source, wording, version, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, string(ev.Kind), formatTime(ev.At), string(ev.Source), wording, ev.Version, ev.Detail); err != nil {
		return fmt.Errorf("sqlite: consent log of %d: %w", id, err)
	}
	return nil
}

// cleanAreas trims, drops empty and repeated areas and sorts them.
func cleanAreas(areas []string) []string {
	var out []string
	for _, a := range areas {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func setAreas(ctx context.Context, tx *txn, id int64, areas []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM subscriber_areas WHERE subscriber = ?`, id); err != nil {
		return fmt.Errorf("sqlite: areas of %d: %w", id, err)
	}
	for _, a := range cleanAreas(areas) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO subscriber_areas (subscriber, area) VALUES (?, ?)`, id, a); err != nil {
			return fmt.Errorf("sqlite: areas of %d: %w", id, err)
		}
	}
	return nil
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
