package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lmcpress/internal/subscriber"
)

// day is the pinned clock of the tests.
var day = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "data", "lmcpress.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrationNames(t *testing.T) {
	ms := migrations()
	if len(ms) < 2 {
		t.Fatalf("%d migrations", len(ms))
	}
	for i, m := range ms {
		if m.version != i+1 {
			t.Errorf("migration %s is number %d; the numbers must run 1, 2, 3 ... without gaps", m.name, m.version)
		}
	}
}

func TestOpenSettings(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	for _, db := range []*sql.DB{s.write, s.read} {
		for pragma, want := range map[string]string{
			"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "10000", "synchronous": "2", "secure_delete": "1",
		} {
			var got string
			if err := db.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
			}
		}
	}
	var n int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(migrations()) {
		t.Errorf("schema_migrations has %d rows (%v), want %d", n, err, len(migrations()))
	}
	// Personal data: the files are the owner's only.
	if _, err := s.SignUp(ctx, subscriber.Subscriber{Email: "a@nhs.net"}, subscriber.Event{At: day}, 3); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{s.path, s.path + "-wal", s.path + "-shm", filepath.Dir(s.path)} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v: others may read it", p, st.Mode().Perm())
		}
	}
	// Opening again applies nothing twice.
	s.Close()
	s2, err := Open(s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.read.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(migrations()) {
		t.Errorf("after reopening, schema_migrations has %d rows (%v)", n, err)
	}
}

// TestOpenPreviousSchema opens databases that an lmcpress with only the
// first migrations wrote, with a subscriber in them: the later migrations
// must keep the subscriber, carry their consent wording over (2) and date
// their consent from the log (3).
func TestOpenPreviousSchema(t *testing.T) {
	for upTo := 1; upTo < len(migrations()); upTo++ {
		t.Run(fmt.Sprint(upTo), func(t *testing.T) { openOld(t, upTo) })
	}
}

func openOld(t *testing.T, upTo int) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	w, err := sql.Open("sqlite", dsn(path, "immediate"))
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	old := &Store{path: path, write: w}
	if err := old.migrate(ctx, migrations(), upTo); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO subscribers (id, email, name, status, created, updated) VALUES (7, 'pm@nhs.net', 'Pat', 'confirmed', '2025-01-02T03:04:05.000000000Z', '2025-01-02T03:04:05.000000000Z')`,
		`INSERT INTO subscriber_areas VALUES (7, 'north')`,
		`INSERT INTO events (subscriber, kind, at, source, wording, version) VALUES (7, 'signed-up', '2025-01-02T03:04:05.000000000Z', 'web', 'Send me the LMC newsletter.', 'form-1')`,
		`INSERT INTO events (subscriber, kind, at, source) VALUES (7, 'confirmed', '2025-01-02T04:00:00.000000000Z', 'web')`,
	} {
		if _, err := w.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := w.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != upTo {
		t.Fatalf("%d migrations applied (%v), want %d", n, err, upTo)
	}
	w.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Get(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if got.Email != "pm@nhs.net" || got.Status != subscriber.Confirmed || strings.Join(got.Areas, ",") != "north" ||
		len(got.Events) != 2 || got.Events[0].Wording != "Send me the LMC newsletter." {
		t.Errorf("after migrating: %+v", got)
	}
	var wording string
	if err := s.read.QueryRowContext(ctx, `SELECT wording FROM wordings WHERE version = 'form-1'`).Scan(&wording); upTo < 2 && (err != nil || wording != "Send me the LMC newsletter.") {
		t.Errorf("wordings: %q, %v", wording, err)
	}
	recs, err := s.Export(ctx, "")
	// Migration 3 dates consent from the log of the rows it finds; rows
	// written after it (upTo >= 3) are dated by the code that writes them.
	if err != nil || len(recs) != 1 || upTo < 3 && (recs[0].ConsentSource != "web" || !recs[0].ConsentAt.Equal(time.Date(2025, 1, 2, 4, 0, 0, 0, time.UTC))) {
		t.Errorf("consent after migrating: %+v %v", recs, err)
	}
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(migrations()) {
		t.Errorf("%d migrations recorded (%v)", n, err)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	s := openTest(t)
	if _, err := s.write.Exec(`INSERT INTO schema_migrations VALUES (99, '0099_future.sql')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(s.path)
	if err == nil || !strings.Contains(err.Error(), "upgrade lmcpress") {
		t.Errorf("Open of a newer database: %v", err)
	}
}

func TestOpenBadPath(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"", filepath.Join(dir, "a?b.db"), filepath.Join(file, "sub", "x.db")} {
		if s, err := Open(p); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
	// A file that is not a database.
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not a database ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := Open(junk); err == nil {
		s.Close()
		t.Error("Open of a file that is not a database succeeded")
	}
}

// TestConcurrentSignUps: hundreds of sign-ups at once, from two stores on
// the same file (as the server and a staff command would be), lose none.
func TestConcurrentSignUps(t *testing.T) {
	ctx := context.Background()
	a := openTest(t)
	b, err := Open(a.path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	const n = 300
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := a
			if i%3 == 0 {
				st = b
			}
			res, err := st.SignUp(ctx, subscriber.Subscriber{Email: fmt.Sprintf("p%d@nhs.net", i)}, subscriber.Event{At: day}, 3)
			if err == nil && !res.Send {
				err = fmt.Errorf("sign-up %d: Send false", i)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	var count int
	if err := a.read.QueryRow(`SELECT count(*) FROM subscribers WHERE status = 'pending'`).Scan(&count); err != nil || count != n {
		t.Errorf("%d pending rows (%v), want %d", count, err, n)
	}
}

// TestOpenTogether: two processes opening a new database at once (the
// server and a staff command) both succeed, and the migrations run once.
func TestOpenTogether(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lmcpress.db")
	var wg sync.WaitGroup
	stores := make([]*Store, 8)
	errs := make([]error, 8)
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(path)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	var n int
	if err := stores[0].read.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(migrations()) {
		t.Errorf("%d migrations recorded (%v)", n, err)
	}
}
