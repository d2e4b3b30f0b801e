package cache

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"lmcpress/internal/flock"
)

func key(s string) Key { return sha256.Sum256([]byte(s)) }

func open(t *testing.T, path, version string) *File {
	t.Helper()
	c, err := Open(path, []byte(version))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func get(c *File, k string) string {
	b, ok := c.Get(key(k))
	if !ok {
		return "<miss>"
	}
	return string(b)
}

func closeOK(t *testing.T, c *File) {
	t.Helper()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

// files lists the folder, so that a test sees nothing is left behind.
func files(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestPutGetAcrossBuilds(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", ".public.cache")
	c := open(t, path, "v1")
	if got := get(c, "a"); got != "<miss>" {
		t.Fatalf("a new cache had %q", got)
	}
	c.Put(key("a"), []byte("alpha"))
	c.Put(key("b"), nil)
	if got := get(c, "a"); got != "alpha" {
		t.Fatalf("Get(a) in the same build = %q", got)
	}
	want := Stats{Hits: 1, Misses: 1, Puts: 2}
	if s := c.Stats(); s != want {
		t.Errorf("Stats = %+v, want %+v", s, want)
	}
	closeOK(t, c)
	if names := files(t, filepath.Dir(path)); len(names) != 1 || names[0] != ".public.cache" {
		t.Fatalf("after Close the folder holds %v, want the cache file alone", names)
	}

	c = open(t, path, "v1")
	if got := get(c, "a"); got != "alpha" {
		t.Errorf("next build: Get(a) = %q", got)
	}
	if b, ok := c.Get(key("b")); !ok || len(b) != 0 {
		t.Errorf("next build: Get(b) = %q, %v", b, ok)
	}
	if s := c.Stats(); s.Entries != 2 {
		t.Errorf("Entries = %d, want 2", s.Entries)
	}
	c.Put(key("c"), []byte("gamma"))
	closeOK(t, c)

	c = open(t, path, "v1")
	for k, want := range map[string]string{"a": "alpha", "c": "gamma"} {
		if got := get(c, k); got != want {
			t.Errorf("third build: Get(%s) = %q, want %q", k, got, want)
		}
	}
	closeOK(t, c)

	// Another version of lmcpress starts afresh.
	c = open(t, path, "v2")
	if got := get(c, "a"); got != "<miss>" {
		t.Errorf("version v2 read v1's entry: %q", got)
	}
	closeOK(t, c)
}

func TestGetAndPutAfterClose(t *testing.T) {
	c := open(t, filepath.Join(t.TempDir(), "c"), "v")
	c.Put(key("a"), []byte("alpha"))
	closeOK(t, c)
	c.Put(key("b"), []byte("beta"))
	if got := get(c, "a"); got != "<miss>" {
		t.Errorf("Get after Close = %q", got)
	}
	closeOK(t, c) // again: nothing
}

// TestTwoBuildsAtOnce: the second Open finds no file (the first has it), so
// it starts empty; neither sees the other's half-made file, and the last to
// Close leaves its file.
func TestTwoBuildsAtOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c")
	seed := open(t, path, "v")
	seed.Put(key("a"), []byte("alpha"))
	closeOK(t, seed)

	first, second := open(t, path, "v"), open(t, path, "v")
	if got := get(first, "a"); got != "alpha" {
		t.Errorf("first: %q", got)
	}
	if got := get(second, "a"); got != "<miss>" {
		t.Errorf("second saw the first's file: %q", got)
	}
	first.Put(key("f"), []byte("first"))
	second.Put(key("s"), []byte("second"))
	closeOK(t, first)
	closeOK(t, second)
	c := open(t, path, "v")
	if get(c, "s") != "second" || get(c, "f") != "<miss>" {
		t.Errorf("the file left is not the last closed")
	}
	closeOK(t, c)
	if names := files(t, dir); len(names) != 1 {
		t.Errorf("left behind: %v", names)
	}
}

func TestDamagedFile(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func([]byte) []byte
		keep   bool // whether the undamaged entry survives
	}{
		{"an entry's byte changed", func(b []byte) []byte { b[headerLen] ^= 1; return b }, true},
		{"the index changed", func(b []byte) []byte { b[len(b)-trailerLen-1] ^= 1; return b }, false},
		{"cut short", func(b []byte) []byte { return b[:len(b)-5] }, false},
		{"empty", func(b []byte) []byte { return nil }, false},
		{"not a cache", func(b []byte) []byte { return []byte("hello, world\n") }, false},
		{"trailer pointing outside", func(b []byte) []byte { b[len(b)-trailerLen] = 0xff; return b }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c")
			c := open(t, path, "v")
			c.Put(key("first"), []byte("the first entry"))
			c.Put(key("second"), []byte("the second entry"))
			closeOK(t, c)
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tc.damage(b), 0o644); err != nil {
				t.Fatal(err)
			}
			c = open(t, path, "v")
			if got := get(c, "first"); got != "<miss>" {
				t.Fatalf("a damaged entry was read: %q", got)
			}
			want := "<miss>"
			if tc.keep {
				want = "the second entry"
			}
			if got := get(c, "second"); got != want {
				t.Errorf("Get(second) = %q, want %q", got, want)
			}
			c.Put(key("first"), []byte("again"))
			closeOK(t, c)
			c = open(t, path, "v")
			if got := get(c, "first"); got != "again" {
				t.Errorf("after a new Put and Close: %q", got)
			}
			closeOK(t, c)
		})
	}
}

func TestCompaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c")
	big := bytes.Repeat([]byte("x"), 1<<20)
	c := open(t, path, "v")
	for i := range 4 {
		c.Put(key(fmt.Sprint(i)), append([]byte{byte(i)}, big...))
	}
	closeOK(t, c)
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	full := size()

	// A build that uses three of four keeps the file as it is.
	c = open(t, path, "v")
	for i := range 3 {
		c.Get(key(fmt.Sprint(i)))
	}
	closeOK(t, c)
	if size() != full {
		t.Errorf("three quarters used: size %d, want %d", size(), full)
	}
	// One that uses one drops the other three.
	c = open(t, path, "v")
	if b, ok := c.Get(key("2")); !ok || b[0] != 2 {
		t.Fatal("Get(2) missed")
	}
	closeOK(t, c)
	if size() >= full/2 {
		t.Errorf("a quarter used: size %d of %d, want it compacted", size(), full)
	}
	c = open(t, path, "v")
	if b, ok := c.Get(key("2")); !ok || !bytes.Equal(b[1:], big) || b[0] != 2 {
		t.Error("the entry used was not kept whole")
	}
	if _, ok := c.Get(key("0")); ok {
		t.Error("an unused entry survived compaction")
	}
	closeOK(t, c)
	if names := files(t, filepath.Dir(path)); len(names) != 1 {
		t.Errorf("left behind: %v", names)
	}
}

func TestConcurrentUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c")
	for round := range 3 {
		c := open(t, path, "v")
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 200 {
					k := fmt.Sprint(i % 50)
					want := bytes.Repeat([]byte(k), 100+i%50)
					if got, ok := c.Get(key(k)); ok && !bytes.Equal(got, want) {
						t.Errorf("round %d, goroutine %d: Get(%s) gave something else", round, g, k)
					} else if !ok {
						c.Put(key(k), want)
					}
				}
			}()
		}
		wg.Wait()
		closeOK(t, c)
	}
	c := open(t, path, "v")
	if s := c.Stats(); s.Entries != 50 {
		t.Errorf("Entries = %d, want 50", s.Entries)
	}
	closeOK(t, c)
}

// kill leaves c as a build killed with kill -9 does: the file open under
// its private name, its lock gone with the process.
func kill(c *File) { c.f.Close() }

// TestKilledBuildRecovered: a build killed while it held the cache leaves
// it under its private name; the next build takes it up, with every entry
// the last finished build left, whatever the killed one appended.
func TestKilledBuildRecovered(t *testing.T) {
	for _, appended := range []int{0, 1, 3000} {
		t.Run(fmt.Sprint(appended, " appended"), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, ".public.cache")
			c := open(t, path, "v")
			c.Put(key("a"), []byte("alpha"))
			c.Put(key("b"), []byte("beta"))
			closeOK(t, c)

			c = open(t, path, "v")
			if get(c, "a") != "alpha" {
				t.Fatal("second build missed")
			}
			for i := range appended {
				// Enough to write over the index and trailer the file had.
				c.Put(key(fmt.Sprint("new", i)), []byte("killed build's entry"))
			}
			kill(c)

			c = open(t, path, "v")
			if got := get(c, "a") + get(c, "b"); got != "alphabeta" {
				t.Errorf("after a killed build: Get(a)+Get(b) = %q, want the entries of the build before it", got)
			}
			if s := c.Stats(); s.Entries != 2 {
				t.Errorf("Entries = %d, want 2 (the killed build's are not trusted)", s.Entries)
			}
			c.Put(key("c"), []byte("gamma"))
			closeOK(t, c)
			if names := files(t, dir); len(names) != 1 || names[0] != ".public.cache" {
				t.Errorf("after the next build the folder holds %v, want the cache file alone", names)
			}
			c = open(t, path, "v")
			if got := get(c, "a") + get(c, "c"); got != "alphagamma" {
				t.Errorf("the build after: %q", got)
			}
			closeOK(t, c)
		})
	}
}

// TestAbandonedCopies: a copy a running build holds is never touched; of
// those no build holds, the newest is taken up when there is no cache file
// and the rest removed (an empty one only after an hour: its build may
// have made it and not locked it yet).
func TestAbandonedCopies(t *testing.T) {
	if !flock.Works {
		t.Skip("no flock here: copies are told apart by age alone")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "c")
	seed := open(t, path, "v")
	seed.Put(key("a"), []byte("alpha"))
	closeOK(t, seed)

	live := open(t, path, "v") // a build running meanwhile holds the file
	dead := open(t, path, "v") // starts empty, puts one, and is killed
	dead.Put(key("d"), []byte("dead"))
	closeOK(t, dead)
	dead = open(t, path, "v")
	kill(dead)
	junk, emptyNew, emptyOld := path+".open-junk", path+".open-new", path+".open-old"
	writeFile := func(p, data string) {
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(junk, "not a cache")
	writeFile(emptyNew, "")
	writeFile(emptyOld, "")
	long := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	os.Chtimes(emptyOld, long, long)
	os.Chtimes(junk, long, long) // older than the dead build's copy

	c := open(t, path, "v")
	if get(c, "d") != "dead" {
		t.Error("the killed build's copy was not taken up")
	}
	if get(live, "a") != "alpha" {
		t.Error("the running build lost its file")
	}
	for _, p := range []string{junk, emptyOld} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s, abandoned, was kept", filepath.Base(p))
		}
	}
	if _, err := os.Stat(emptyNew); err != nil {
		t.Error("a new empty copy (perhaps a build's about to lock it) was removed")
	}
	if _, err := os.Stat(live.tmp); err != nil {
		t.Errorf("the running build's copy was removed: %v", err)
	}
	closeOK(t, c)
	closeOK(t, live)
}

func TestOpenFailsWhereNoFolderCanBe(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(filepath.Join(blocker, "c"), nil); err == nil {
		t.Fatal("Open under a regular file succeeded")
	}
}
