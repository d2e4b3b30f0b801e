package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"lmcpress/internal/subscriber"
)

// This file holds what LMC staff do through lmcpress subscribers: add one
// person, import a list file, export, count, show everything held on one
// person, remove and erase. Every change is recorded in the person's
// consent log, or, for an erased person, in the suppression entry that is
// all that remains of them.

// ErrNoSecret is returned by what needs the suppression hash (Add, Import,
// Erase) before SetSecret.
var ErrNoSecret = errors.New("the suppression list needs LMCPRESS_SECRET")

// row is what an import compares a record with.
type row struct {
	id                    int64
	email, name, role     string
	practice, ods, status string
	consentAt, consentSrc string
	areas                 []string
	updated               string
	found                 bool
}

func findRow(ctx context.Context, q queryer, email string) (row, error) {
	var r row
	err := q.QueryRowContext(ctx, `SELECT id, email, name, role, practice, ods, status, consent_at, consent_source, updated
		FROM subscribers WHERE email = ? COLLATE NOCASE`, email).
		Scan(&r.id, &r.email, &r.name, &r.role, &r.practice, &r.ods, &r.status, &r.consentAt, &r.consentSrc, &r.updated)
	if errors.Is(err, sql.ErrNoRows) {
		return r, nil
	}
	if err != nil {
		return r, fmt.Errorf("sqlite: look up %s: %w", email, err)
	}
	r.found = true
	r.areas, err = loadAreas(ctx, q, r.id)
	return r, err
}

// suppression returns the suppression entry of email, if there is one.
func (s *Store) suppression(ctx context.Context, q queryer, email string) (*subscriber.Suppression, error) {
	if s.hasher == nil {
		return nil, ErrNoSecret
	}
	sup := subscriber.Suppression{Hash: s.hasher.hash(strings.ToLower(email))}
	var reason, at string
	err := q.QueryRowContext(ctx, `SELECT reason, at FROM suppressions WHERE hash = ?`, sup.Hash).Scan(&reason, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: suppression list: %w", err)
	}
	sup.Reason = subscriber.Kind(reason)
	if sup.At, err = parseTime(at); err != nil {
		return nil, err
	}
	return &sup, nil
}

// suppress adds (or, for an erasure, overwrites) the suppression entry of
// email. It reports whether the entry is new.
func (s *Store) suppress(ctx context.Context, tx *txn, email string, reason subscriber.Kind, at time.Time, source subscriber.Source, detail string) (bool, error) {
	if s.hasher == nil {
		return false, ErrNoSecret
	}
	verb := "INSERT OR IGNORE"
	if reason == subscriber.Erased {
		verb = "INSERT OR REPLACE"
	}
	r, err := tx.ExecContext(ctx, verb+` INTO suppressions (hash, reason, at, source, detail) VALUES (?, ?, ?, ?, ?)`,
		s.hasher.hash(strings.ToLower(email)), string(reason), formatTime(at), string(source), detail)
	if err != nil {
		return false, fmt.Errorf("sqlite: suppression list: %w", err)
	}
	n, _ := r.RowsAffected()
	return n > 0, nil
}

// insert adds rec as a new row and records ev.
func insert(ctx context.Context, tx *txn, rec subscriber.Record, ev subscriber.Event) (int64, error) {
	at := formatTime(ev.At)
	consentAt := ""
	if !rec.ConsentAt.IsZero() {
		consentAt = formatTime(rec.ConsentAt)
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO subscribers (email, name, role, practice, ods, status, created, updated, consent_at, consent_source)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rec.Email, rec.Name, string(rec.Role), rec.Practice, rec.ODS, string(rec.Status), at, at, consentAt, rec.ConsentSource)
	if err != nil {
		return 0, fmt.Errorf("sqlite: add %s: %w", rec.Email, err)
	}
	id, err := r.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("sqlite: add %s: %w", rec.Email, err)
	}
	if err := setAreas(ctx, tx, id, rec.Areas); err != nil {
		return 0, err
	}
	return id, addEvent(ctx, tx, id, ev)
}

// Add puts one person on the list, confirmed, at staff's hand (the person
// asked them); ev says how. An address on the list already, one that left
// and one that is suppressed are refused: only the person can come back,
// through the site's form.
func (s *Store) Add(ctx context.Context, rec subscriber.Record, ev subscriber.Event) (int64, error) {
	if err := checkEvent(&ev, subscriber.ConfirmedKind, subscriber.CommandLine); err != nil {
		return 0, err
	}
	var id int64
	err := s.writeTx(ctx, func(tx *txn) error {
		r, err := findRow(ctx, tx, rec.Email)
		if err != nil {
			return err
		}
		if r.found && r.status == string(subscriber.Unsubscribed) {
			return fmt.Errorf("%s unsubscribed (%s): %w; only they can sign up again, on the site's form", r.email, dayOf(r.updated), subscriber.ErrSuppressed)
		}
		if r.found {
			return fmt.Errorf("%s is already on the list (%s)", r.email, r.status)
		}
		sup, err := s.suppression(ctx, tx, rec.Email)
		if err != nil {
			return err
		}
		if sup != nil {
			return fmt.Errorf("%s (%s %s): %w; only they can sign up again, on the site's form", rec.Email, sup.Reason, sup.At.Format("2006-01-02"), subscriber.ErrSuppressed)
		}
		rec.Status = subscriber.Confirmed
		if rec.ConsentAt.IsZero() {
			rec.ConsentAt = ev.At
		}
		if rec.ConsentSource == "" {
			rec.ConsentSource = string(ev.Source)
		}
		id, err = insert(ctx, tx, rec, ev)
		return err
	})
	return id, err
}

// Action is what an import did with one record.
type Action string

const (
	Added      Action = "added"
	Updated    Action = "updated"
	Unchanged  Action = "unchanged"
	Suppressed Action = "suppressed" // a new suppression entry
	Rejected   Action = "rejected"
)

// Outcome is what happened to one record of an import.
type Outcome struct {
	Line   int
	Email  string
	Action Action
	Why    string
}

// ImportOptions say where records came from and when they are imported.
type ImportOptions struct {
	File   string
	At     time.Time
	DryRun bool // do everything, then roll it back
}

// Import adds and updates the records read from a list file, in one
// transaction, and says for each what happened. A record for someone who
// unsubscribed or is suppressed is rejected, never re-added; a suppression
// record (Mailchimp's unsubscribed and cleaned files) unsubscribes a
// person on the list, or else adds a suppression entry, keeping only the
// hash. A record's empty fields leave what is held alone.
func (s *Store) Import(ctx context.Context, recs []subscriber.Record, o ImportOptions) ([]Outcome, error) {
	if s.hasher == nil {
		return nil, ErrNoSecret
	}
	if o.At.IsZero() {
		return nil, fmt.Errorf("sqlite: import without a time: %w", subscriber.ErrInvalid)
	}
	var outs []Outcome
	errDryRun := errors.New("dry run")
	err := s.writeTx(ctx, func(tx *txn) error {
		for _, rec := range recs {
			out, err := s.importOne(ctx, tx, rec, o)
			if err != nil {
				return err
			}
			out.Line, out.Email = rec.Line, rec.Email
			outs = append(outs, out)
		}
		if o.DryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return nil, err
	}
	return outs, nil
}

func (s *Store) importOne(ctx context.Context, tx *txn, rec subscriber.Record, o ImportOptions) (Outcome, error) {
	where := fmt.Sprintf("%s line %d", o.File, rec.Line)
	ev := subscriber.Event{Kind: subscriber.Imported, At: o.At, Source: subscriber.Import}
	r, err := findRow(ctx, tx, rec.Email)
	if err != nil {
		return Outcome{}, err
	}
	if rec.Suppress != "" {
		when := o.At
		if !rec.SuppressAt.IsZero() {
			when = rec.SuppressAt
		}
		what := fmt.Sprintf("%s in the previous service on %s", rec.Suppress, when.Format("2006-01-02"))
		if r.found {
			if r.status == string(subscriber.Unsubscribed) {
				return Outcome{Action: Unchanged, Why: "already unsubscribed"}, nil
			}
			ev.Kind, ev.Detail = subscriber.Left, where+": "+what
			if err := s.setStatus(ctx, tx, r.id, subscriber.Unsubscribed, ev); err != nil {
				return Outcome{}, err
			}
			return Outcome{Action: Updated, Why: "now unsubscribed: " + what}, nil
		}
		added, err := s.suppress(ctx, tx, rec.Email, rec.Suppress, when, subscriber.Import, where)
		if err != nil {
			return Outcome{}, err
		}
		if !added {
			return Outcome{Action: Unchanged, Why: "already suppressed"}, nil
		}
		return Outcome{Action: Suppressed, Why: what + "; only a hash of the address is kept"}, nil
	}
	if !r.found {
		sup, err := s.suppression(ctx, tx, rec.Email)
		if err != nil {
			return Outcome{}, err
		}
		if sup != nil {
			return Outcome{Action: Rejected, Why: fmt.Sprintf("suppressed (%s %s): only they can sign up again, on the site's form", sup.Reason, sup.At.Format("2006-01-02"))}, nil
		}
		ev.Detail = where + consentDetail(rec)
		if _, err := insert(ctx, tx, rec, ev); err != nil {
			return Outcome{}, err
		}
		return Outcome{Action: Added, Why: string(rec.Status)}, nil
	}
	if r.status == string(subscriber.Unsubscribed) {
		if rec.Status == subscriber.Unsubscribed {
			return Outcome{Action: Unchanged, Why: "already unsubscribed"}, nil
		}
		return Outcome{Action: Rejected, Why: fmt.Sprintf("suppressed (unsubscribed %s): only they can sign up again, on the site's form", dayOf(r.updated))}, nil
	}
	return s.update(ctx, tx, r, rec, ev, where)
}

// update changes what rec gives of an existing, subscribed row.
func (s *Store) update(ctx context.Context, tx *txn, r row, rec subscriber.Record, ev subscriber.Event, where string) (Outcome, error) {
	var changed []string
	set := func(field, old, new string) string {
		if new != "" && new != old {
			changed = append(changed, field)
			return new
		}
		return old
	}
	name := set("name", r.name, rec.Name)
	role := set("role", r.role, string(rec.Role))
	practice := set("practice", r.practice, rec.Practice)
	ods := set("ods_code", r.ods, rec.ODS)
	areas := r.areas
	if a := cleanAreas(rec.Areas); len(a) > 0 && !slices.Equal(a, r.areas) {
		changed, areas = append(changed, "areas"), a
	}
	status, consentAt, consentSrc := r.status, r.consentAt, r.consentSrc
	switch {
	case rec.Status == subscriber.Unsubscribed:
		changed, status = append(changed, "status"), string(subscriber.Unsubscribed)
	case rec.Status == subscriber.Confirmed && r.status == string(subscriber.Pending):
		changed, status = append(changed, "status"), string(subscriber.Confirmed)
		consentSrc = rec.ConsentSource
		if !rec.ConsentAt.IsZero() {
			consentAt = formatTime(rec.ConsentAt)
		}
	}
	if len(changed) == 0 {
		return Outcome{Action: Unchanged}, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET name = ?, role = ?, practice = ?, ods = ?, status = ?, consent_at = ?, consent_source = ?,
		nonce = CASE WHEN ? = 'pending' THEN nonce ELSE '' END, updated = ? WHERE id = ?`,
		name, role, practice, ods, status, consentAt, consentSrc, status, formatTime(ev.At), r.id); err != nil {
		return Outcome{}, fmt.Errorf("sqlite: update %s: %w", r.email, err)
	}
	if err := setAreas(ctx, tx, r.id, areas); err != nil {
		return Outcome{}, err
	}
	ev.Detail = where + ": changed " + strings.Join(changed, ", ") + consentDetail(rec)
	if status == string(subscriber.Unsubscribed) {
		ev.Kind = subscriber.Left
	}
	if err := addEvent(ctx, tx, r.id, ev); err != nil {
		return Outcome{}, err
	}
	return Outcome{Action: Updated, Why: strings.Join(changed, ", ")}, nil
}

func consentDetail(rec subscriber.Record) string {
	if rec.ConsentAt.IsZero() && rec.ConsentSource == "" {
		return ""
	}
	d := "; consent"
	if !rec.ConsentAt.IsZero() {
		d += " " + rec.ConsentAt.UTC().Format(time.RFC3339)
	}
	if rec.ConsentSource != "" {
		d += " via " + rec.ConsentSource
	}
	return d
}

// setStatus moves row id to status and records ev.
func (s *Store) setStatus(ctx context.Context, tx *txn, id int64, status subscriber.Status, ev subscriber.Event) error {
	if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET status = ?, nonce = '', updated = ? WHERE id = ?`, string(status), formatTime(ev.At), id); err != nil {
		return fmt.Errorf("sqlite: subscriber %d: %w", id, err)
	}
	return addEvent(ctx, tx, id, ev)
}

// dayOf is the date of a stored time, for messages.
func dayOf(stored string) string {
	if len(stored) >= 10 {
		return stored[:10]
	}
	return stored
}
