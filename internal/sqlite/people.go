package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"lmcpress/internal/subscriber"
)

// Export returns everyone on the list (status "": every status) as
// records, ordered by address, with their consent's date and source.
func (s *Store) Export(ctx context.Context, status subscriber.Status) ([]subscriber.Record, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT s.id, s.email, s.name, s.role, s.practice, s.ods, s.status, s.consent_at, s.consent_source,
		coalesce((SELECT group_concat(area, char(31)) FROM (SELECT area FROM subscriber_areas WHERE subscriber = s.id ORDER BY area)), '')
		FROM subscribers s WHERE ? = '' OR s.status = ? ORDER BY s.email COLLATE NOCASE, s.id`, string(status), string(status))
	if err != nil {
		return nil, fmt.Errorf("sqlite: export: %w", err)
	}
	defer rows.Close()
	var recs []subscriber.Record
	for rows.Next() {
		var r subscriber.Record
		var role, st, consentAt, areas string
		if err := rows.Scan(&r.ID, &r.Email, &r.Name, &role, &r.Practice, &r.ODS, &st, &consentAt, &r.ConsentSource, &areas); err != nil {
			return nil, fmt.Errorf("sqlite: export: %w", err)
		}
		r.Role, r.Status = subscriber.Role(role), subscriber.Status(st)
		if areas != "" {
			r.Areas = strings.Split(areas, "\x1f")
		}
		if consentAt != "" {
			if r.ConsentAt, err = parseTime(consentAt); err != nil {
				return nil, err
			}
		}
		recs = append(recs, r)
	}
	return recs, rows.Err()
}

// Counts is how many people the list holds, by status and by area, and
// how many suppression entries, by reason.
type Counts struct {
	Total      int
	ByStatus   map[subscriber.Status]int
	ByArea     map[string]int // "" counts those with no area
	Suppressed map[subscriber.Kind]int
}

// Count counts the people with status (or any, "") and area (or any, "").
func (s *Store) Count(ctx context.Context, status subscriber.Status, area string) (Counts, error) {
	c := Counts{ByStatus: map[subscriber.Status]int{}, ByArea: map[string]int{}, Suppressed: map[subscriber.Kind]int{}}
	filter := `(?1 = '' OR s.status = ?1) AND (?2 = '' OR EXISTS (SELECT 1 FROM subscriber_areas a WHERE a.subscriber = s.id AND a.area = ?2 COLLATE NOCASE))`
	count := func(query string, add func(key string, n int), args ...any) error {
		rows, err := s.read.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("sqlite: count: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return fmt.Errorf("sqlite: count: %w", err)
			}
			add(k, n)
		}
		return rows.Err()
	}
	if err := count(`SELECT s.status, count(*) FROM subscribers s WHERE `+filter+` GROUP BY s.status`, func(k string, n int) {
		c.ByStatus[subscriber.Status(k)] = n
		c.Total += n
	}, string(status), area); err != nil {
		return c, err
	}
	if err := count(`SELECT coalesce(a.area, ''), count(*) FROM subscribers s LEFT JOIN subscriber_areas a ON a.subscriber = s.id
		WHERE `+filter+` GROUP BY 1`, func(k string, n int) { c.ByArea[k] = n }, string(status), area); err != nil {
		return c, err
	}
	err := count(`SELECT reason, count(*) FROM suppressions GROUP BY reason`, func(k string, n int) { c.Suppressed[subscriber.Kind(k)] = n })
	return c, err
}

// Show returns everything held on the person with address email, consent
// log included, and records that it was shown (a subject access request)
// with ev. An address with no row but a suppression entry returns
// ErrNotFound and the entry (when the secret is set): that hash is all
// that is held.
func (s *Store) Show(ctx context.Context, email string, ev subscriber.Event) (subscriber.Record, *subscriber.Suppression, error) {
	if err := checkEvent(&ev, subscriber.Accessed, subscriber.CommandLine); err != nil {
		return subscriber.Record{}, nil, err
	}
	var rec subscriber.Record
	var sup *subscriber.Suppression
	err := s.writeTx(ctx, func(tx *txn) error {
		var err error
		if s.hasher != nil {
			if sup, err = s.suppression(ctx, tx, email); err != nil {
				return err
			}
		}
		r, err := findRow(ctx, tx, email)
		if err != nil {
			return err
		}
		if !r.found {
			return fmt.Errorf("sqlite: %s: %w", email, subscriber.ErrNotFound)
		}
		if err := addEvent(ctx, tx, r.id, ev); err != nil {
			return err
		}
		if rec.Subscriber, err = s.load(ctx, tx, `id = ?`, r.id); err != nil {
			return err
		}
		rec.ConsentSource = r.consentSrc
		if r.consentAt != "" {
			rec.ConsentAt, err = parseTime(r.consentAt)
		}
		return err
	})
	return rec, sup, err
}

// Remove unsubscribes the person with address email at staff's hand; the
// row stays, as for anyone who left, so that no import re-adds them.
func (s *Store) Remove(ctx context.Context, email string, ev subscriber.Event) error {
	if err := checkEvent(&ev, subscriber.Left, subscriber.CommandLine); err != nil {
		return err
	}
	return s.writeTx(ctx, func(tx *txn) error {
		r, err := findRow(ctx, tx, email)
		if err != nil {
			return err
		}
		if !r.found {
			return fmt.Errorf("sqlite: %s: %w", email, subscriber.ErrNotFound)
		}
		if r.status == string(subscriber.Unsubscribed) {
			return nil
		}
		return s.setStatus(ctx, tx, r.id, subscriber.Unsubscribed, ev)
	})
}

// Erase removes everything held on the person with address email (the
// row, areas, consent log, confirmation emails sent) and keeps only a
// suppression entry: the keyed hash of the address, with when and how it
// was erased. Then it makes sure no copy is left in the database files:
// secure_delete has zeroed the deleted rows in the pages written, and a
// TRUNCATE checkpoint copies those pages into the database file and
// empties the WAL, which held the earlier versions of the pages.
//
// An address erased before is not an error: Erase reports already and
// runs the checkpoint again, for when another process kept the WAL busy
// the first time (Erase then said so).
func (s *Store) Erase(ctx context.Context, email string, ev subscriber.Event) (already bool, err error) {
	if s.hasher == nil {
		return false, ErrNoSecret
	}
	if err := checkEvent(&ev, subscriber.Erased, subscriber.CommandLine); err != nil {
		return false, err
	}
	err = s.writeTx(ctx, func(tx *txn) error {
		r, err := findRow(ctx, tx, email)
		if err != nil {
			return err
		}
		if !r.found {
			sup, err := s.suppression(ctx, tx, email)
			if err != nil {
				return err
			}
			if sup != nil && sup.Reason == subscriber.Erased {
				already = true
				return nil
			}
			return fmt.Errorf("sqlite: %s: %w", email, subscriber.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM subscribers WHERE id = ?`, r.id); err != nil {
			return fmt.Errorf("sqlite: erase: %w", err)
		}
		_, err = s.suppress(ctx, tx, email, subscriber.Erased, ev.At, ev.Source, ev.Detail)
		return err
	})
	if err != nil {
		return false, err
	}
	return already, s.checkpoint(ctx)
}

// checkpoint copies the WAL into the database file and truncates it. A
// reader in another process (the server) holding an older snapshot keeps
// the checkpoint from finishing; the pragma waits the busy timeout for it,
// twice, before giving up.
func (s *Store) checkpoint(ctx context.Context) error {
	for try := 0; try < 2; try++ {
		var busy, logFrames, done int
		if err := s.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
			return fmt.Errorf("sqlite: %s: checkpoint: %w", s.path, err)
		}
		if busy == 0 {
			return nil
		}
	}
	return fmt.Errorf("sqlite: %s: erased, but another process kept reading the write-ahead log, so earlier copies may remain in %s-wal; run the same erase again in a quiet moment (or with lmcpress server stopped)", s.path, filepath.Base(s.path))
}
