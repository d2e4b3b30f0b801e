// Package sqlite is lmcpress's database: the subscriber list, its consent
// log and suppression entries, and the send journal (journal.go), in one
// SQLite file (data/lmcpress.db by default). It is the only importer of the driver, modernc.org/sqlite,
// which needs no cgo.
//
// # Durability and concurrency
//
// Every connection runs in WAL mode with foreign keys on, a busy timeout
// and synchronous=FULL. WAL with synchronous=NORMAL survives a crash of
// the process (kill -9) but may lose the last commits on a power cut or a
// kernel panic, because it syncs the WAL only at checkpoints; with FULL
// every commit syncs the WAL before it returns, so a sign-up the server
// has acknowledged is on disk whatever happens next. A commit costs one
// fsync, which the list's rate of change (sign-ups by hand, one imported
// file in one transaction) easily affords.
//
// Writes go through one connection (a pool of size one) and start with
// BEGIN IMMEDIATE, so that the process's own writers queue in Go, in
// order, instead of meeting SQLITE_BUSY: a deferred transaction that
// reads and then writes can fail with SQLITE_BUSY however long the busy
// timeout is, and under hundreds of concurrent sign-ups that would lose
// some. The busy timeout covers the other process (a staff command while
// the server runs). Reads use a separate pool and see the last commit.
//
// # Erasure
//
// secure_delete is on, so SQLite overwrites deleted rows with zeros in
// the pages it writes; Erase then checkpoints the WAL into the database
// file and truncates it, so that no earlier version of a page holding the
// address remains in the WAL either (erase_test.go reads the raw bytes).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the driver, registered as "sqlite"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is the subscriber list in one SQLite file. It is safe for
// concurrent use.
type Store struct {
	path   string
	write  *sql.DB // one connection, BEGIN IMMEDIATE
	read   *sql.DB
	hasher *hasher // nil until SetSecret

	keptMu sync.Mutex
	kept   map[string]*sql.Stmt // write statements prepared once, for every transaction (writeTx)
}

// maxKept bounds the write statements kept prepared: the store's queries
// are a fixed few dozen, so the bound only guards against a query made of
// its arguments.
const maxKept = 64

// busyTimeout is how long a statement waits for another process's lock
// before it fails with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// dsn is the connection string for path; the pragmas apply to every
// connection the pool opens.
func dsn(path string, txlock string) string {
	pragmas := []string{
		"busy_timeout(" + strconv.Itoa(int(busyTimeout/time.Millisecond)) + ")",
		"foreign_keys(1)",
		"journal_mode(WAL)",
		"synchronous(FULL)",
		"secure_delete(1)",
	}
	q := ""
	for _, p := range pragmas {
		q += "&_pragma=" + p
	}
	return path + "?_txlock=" + txlock + q
}

// Open opens the database at path, creating it and its folder if missing,
// and brings its schema up to date.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: no database path given")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: %s: a database path may not contain ? or #; choose another folder", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	_, statErr := os.Stat(path)
	if errors.Is(statErr, fs.ErrNotExist) {
		// A new database holds personal data: readable by its owner only.
		// SQLite gives its -wal and -shm files the database file's mode.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, fs.ErrExist) { // another process may have just made it
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		if err == nil {
			f.Close()
		}
	}
	write, err := sql.Open("sqlite", dsn(path, "immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	s := &Store{path: path, write: write}
	if err := s.migrate(context.Background(), migrations(), -1); err != nil {
		write.Close()
		return nil, err
	}
	// The file exists now, in WAL mode, so readers need not change it.
	read, err := sql.Open("sqlite", dsn(path, "deferred"))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	s.read = read
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	var errs []error
	s.keptMu.Lock()
	for q, st := range s.kept {
		errs = append(errs, st.Close())
		delete(s.kept, q)
	}
	s.keptMu.Unlock()
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	errs = append(errs, s.write.Close())
	return errors.Join(errs...)
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// migration is one embedded SQL file, numbered by its name's prefix.
type migration struct {
	version int
	name    string
	sql     string
}

var migrationName = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)

// migrations lists the embedded files in order. Their names are checked
// by TestMigrationNames; a bad one is a programming error.
func migrations() []migration {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		panic(err)
	}
	var ms []migration
	for _, n := range names {
		base := path.Base(n)
		m := migrationName.FindStringSubmatch(base)
		if m == nil {
			panic("sqlite: migration file " + base + " is not named NNNN_words.sql")
		}
		v, _ := strconv.Atoi(m[1])
		body, err := migrationFiles.ReadFile(n)
		if err != nil {
			panic(err)
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms
}

// migrate applies, in one transaction, the migrations the database has
// not had, up to version upTo (-1: all), and records each. A database
// from a newer lmcpress, with migrations this one does not know, is
// refused rather than written to.
func (s *Store) migrate(ctx context.Context, ms []migration, upTo int) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	var have int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	if n := len(ms); n > 0 && have > ms[n-1].version {
		return fmt.Errorf("sqlite: %s has schema version %d, made by a newer lmcpress (this one knows up to %d): upgrade lmcpress", s.path, have, ms[n-1].version)
	}
	for _, m := range ms {
		if m.version <= have || upTo >= 0 && m.version > upTo {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("sqlite: %s: migration %s: %w", s.path, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
			return fmt.Errorf("sqlite: %s: migration %s: %w", s.path, m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: %s: migrations: %w", s.path, err)
	}
	return nil
}

// timeFormat has one width for every time, so that text order is time
// order in SQL comparisons.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: bad time %q in the database: %w", s, err)
	}
	return t, nil
}

// writeTx runs f in one write transaction (BEGIN IMMEDIATE) and commits it
// when f returns nil.
func (s *Store) writeTx(ctx context.Context, f func(tx *txn) error) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", s.path, err)
	}
	tx := &txn{Tx: sqlTx, stmts: map[string]*sql.Stmt{}, store: s}
	defer tx.close()
	if err := f(tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: %s: commit: %w", s.path, err)
	}
	tx.close() // the connection is free again: keep can prepare on it
	s.keep(tx.fresh)
	return nil
}

// keep prepares the statements a transaction prepared for itself once
// more, on the write connection, for every later transaction to use: a
// send's journal runs the same few statements twice a message, and
// preparing them anew in each transaction was a fifth of a millisecond a
// message. A statement that fails to prepare is simply not kept.
func (s *Store) keep(queries []string) {
	for _, q := range queries {
		s.keptMu.Lock()
		_, have := s.kept[q]
		full := len(s.kept) >= maxKept
		s.keptMu.Unlock()
		if have || full {
			continue
		}
		st, err := s.write.PrepareContext(context.Background(), q)
		if err != nil {
			continue
		}
		s.keptMu.Lock()
		if _, have := s.kept[q]; have || len(s.kept) >= maxKept {
			st.Close()
		} else {
			if s.kept == nil {
				s.kept = map[string]*sql.Stmt{}
			}
			s.kept[q] = st
		}
		s.keptMu.Unlock()
	}
}

func (s *Store) keptStmt(q string) *sql.Stmt {
	s.keptMu.Lock()
	defer s.keptMu.Unlock()
	return s.kept[q]
}

// txn is a write transaction that prepares each statement once: an import
// runs the same few statements for every record, and preparing them was
// half its time.
type txn struct {
	*sql.Tx
	stmts map[string]*sql.Stmt
	store *Store
	fresh []string // queries prepared in this transaction, not yet kept
}

func (t *txn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	if kept := t.store.keptStmt(query); kept != nil {
		st := t.Tx.StmtContext(ctx, kept) // the same connection: not prepared again
		t.stmts[query] = st
		return st, nil
	}
	st, err := t.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	t.stmts[query] = st
	t.fresh = append(t.fresh, query)
	return st, nil
}

func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := t.stmt(ctx, query)
	if err != nil {
		return t.Tx.QueryRowContext(ctx, query, args...) // which reports the same error
	}
	return st.QueryRowContext(ctx, args...)
}

// close rolls back what was not committed and closes the statements (a
// kept statement's transaction copy only). It may be called again.
func (t *txn) close() {
	t.Tx.Rollback()
	for q, st := range t.stmts {
		st.Close()
		delete(t.stmts, q)
	}
}
