package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"lmcpress/internal/subscriber"
)

// rawFiles returns the bytes of the database and of its -wal and -shm
// files, as someone holding a copy of the folder would read them.
func rawFiles(t *testing.T, path string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		files[p] = b
	}
	return files
}

func findIn(files map[string][]byte, needles ...string) []string {
	var found []string
	for p, b := range files {
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) || bytes.Contains(bytes.ToLower(b), []byte(strings.ToLower(n))) {
				found = append(found, fmt.Sprintf("%q in %s", n, p))
			}
		}
	}
	return found
}

// TestEraseLeavesNoCopy erases one of many subscribers, after their
// details changed several times (so that old versions of their rows are
// in the WAL and in freed pages), while the store stays open, and reads
// the raw bytes of every database file for their address, name and
// practice.
func TestEraseLeavesNoCopy(t *testing.T) {
	ctx := context.Background()
	s := openStaff(t)
	const email, name, practice = "erase.me@nhs.net", "Zebedee Quartermaine", "Xylophone Lane Surgery"
	for i := range 300 {
		signUp(t, s, fmt.Sprintf("someone%03d@nhs.net", i), day)
		if i == 150 {
			res, err := s.SignUp(ctx, subscriber.Subscriber{Email: email, Name: name, Practice: practice, Areas: []string{"Northfield"}},
				subscriber.Event{At: day, Detail: "form from " + practice}, 3)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Confirm(ctx, res.ID, res.Nonce, subscriber.Event{At: day}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i := range 5 {
		if _, err := s.Import(ctx, []subscriber.Record{rec(2, email, subscriber.Confirmed, func(r *subscriber.Record) {
			r.Name, r.Practice = fmt.Sprintf("%s %d", name, i), practice
		})}, ImportOptions{File: "x.csv", At: day.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.Show(ctx, email, subscriber.Event{At: day.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if found := findIn(rawFiles(t, s.path), email, name, practice); len(found) == 0 {
		t.Fatal("the address is nowhere in the files before the erasure: the test reads the wrong files")
	}
	// A reader of the other pool, as the server would be, is open but idle.
	if _, err := s.Get(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Erase(ctx, email, subscriber.Event{At: day.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if found := findIn(rawFiles(t, s.path), email, name, practice, "erase.me"); len(found) > 0 {
		t.Errorf("after the erasure, still in the files: %s", strings.Join(found, "; "))
	}
	// The others are all still there, and the store still works.
	c, err := s.Count(ctx, "", "")
	if err != nil || c.Total != 300 || c.Suppressed[subscriber.Erased] != 1 {
		t.Errorf("after the erasure: %+v %v", c, err)
	}
	signUp(t, s, "after@nhs.net", day.Add(3*time.Hour))
	s.Close()
	if found := findIn(rawFiles(t, s.path), email, name, practice); len(found) > 0 {
		t.Errorf("after closing, in the files: %s", strings.Join(found, "; "))
	}
}

// TestEraseWhileAnotherReads: a reader in another store (the server, in
// the middle of a request) holds an old snapshot, so the checkpoint cannot
// empty the WAL: Erase says so, and erasing again once the reader is gone
// clears the files.
func TestEraseWhileAnotherReads(t *testing.T) {
	ctx := context.Background()
	s := openStaff(t)
	const email = "busy.reader@nhs.net"
	signUp(t, s, email, day)
	signUp(t, s, "other@nhs.net", day)
	server, err := Open(s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	tx, err := server.read.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM subscribers`).Scan(&n); err != nil || n != 2 {
		t.Fatal(n, err)
	}
	// Wait a moment, not the ten seconds a real erase waits.
	if _, err := s.write.Exec(`PRAGMA busy_timeout = 100`); err != nil {
		t.Fatal(err)
	}
	_, err = s.Erase(ctx, email, subscriber.Event{At: day.Add(time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "run the same erase again") {
		t.Fatalf("erase with a reader holding the WAL: %v", err)
	}
	if found := findIn(rawFiles(t, s.path), email); len(found) == 0 {
		t.Fatal("the address was already gone from the files: the reader did not hold the WAL, so this tests nothing")
	}
	tx.Rollback()
	already, err := s.Erase(ctx, email, subscriber.Event{At: day.Add(2 * time.Hour)})
	if err != nil || !already {
		t.Fatalf("erase again: %v, %v", already, err)
	}
	if found := findIn(rawFiles(t, s.path), email); len(found) > 0 {
		t.Errorf("after erasing again, still in the files: %s", strings.Join(found, "; "))
	}
}
