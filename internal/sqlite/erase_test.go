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
	if err := s.Erase(ctx, email, subscriber.Event{At: day.Add(2 * time.Hour)}); err != nil {
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
