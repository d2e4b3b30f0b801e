// Package cache keeps the build cache: results an earlier build worked out
// (a page's converted Markdown, a compressed search record), each filed
// under a hash of everything that went into it, so that the next build can
// read them instead of working them out again.
//
// The cache is one file. Entries are appended to it as a build makes them,
// and an index of them goes at its end when the build is done: a 10,000-page
// site makes 20,000 entries, and as files of their own they cost a cold
// build a third more time, where appending costs it almost nothing. The
// file's header holds the version given to Open (the lmcpress binary's own
// hash); a file from another version is started afresh, so new code never
// reads what old code made. Every entry carries a checksum; one that fails
// it is a miss. Nothing here is ever an error for the build: the cache only
// saves work, and a damaged file is simply started again.
//
// Open takes the file for itself by renaming it to a private name, and Close
// puts it back: two builds at once never share it (the second starts
// empty, and the last to finish leaves its file). Close also drops what the
// build did not use once that is more than half of the file.
//
// A build can be killed while it holds the file. Its private copy stays
// locked (package flock) for as long as the build lives, so the next Open
// tells a live build's copy from a dead one's, and takes up the dead one
// when there is no cache file: entries are only ever appended after what
// the last Close wrote, and the header records where that ended, so the
// copy cut back there is the cache as the build before it left it.
package cache

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"lmcpress/internal/flock"
)

// Key names a result: a SHA-256 hash of everything that made it. (An
// alias, so that consumers' interfaces can say [32]byte.)
type Key = [32]byte

// The file: header (magic, the version's hash, and the length of the file
// when it was last closed), the entries back to back, the index (per
// entry: key, offset, length, CRC-32C of the data), then the trailer (the
// index's offset, its length, its CRC-32C, and trailerMagic). A build
// appends after the trailer it found, so the file up to the length in the
// header stays a whole cache while the build runs.
var (
	magic        = []byte("lmcpress cache 2\n")
	trailerMagic = []byte("LMCIDX1\n")
)

const (
	closedAt   = 17 + 32 // where the header keeps the length at the last Close
	headerLen  = closedAt + 8
	indexEntry = 32 + 8 + 4 + 4
	trailerLen = 8 + 8 + 4 + 8
	// A file is compacted when what the build used is less than half of it
	// and it has at least this much to drop.
	compactSlack = 1 << 20
	// A private copy that no build holds is taken for abandoned once it is
	// this old, if it is empty (its build may not have locked it yet) or
	// the system has no locks that die with their process.
	abandonedAfter = time.Hour
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

type loc struct {
	off   int64
	n     uint32
	crc   uint32
	ready bool // written (a Put in progress is not)
	used  bool // read or written by this build
}

// File is a build cache in one file. Its methods are safe for concurrent
// use.
type File struct {
	path    string // where the cache lives between builds
	tmp     string // the private name while open
	version [32]byte

	mu     sync.Mutex
	f      *os.File
	index  map[Key]*loc
	end    int64 // where the next entry goes
	loaded int64 // the file's length when loaded: Close need not write what has not changed
	closed bool
	stats  Stats
}

// Stats is what the cache did since Open.
type Stats struct {
	Hits, Misses int64 // Gets that found an entry, and that did not
	Puts, Failed int64 // entries written, and writes that failed
	Entries      int   // entries in the file when it was opened
}

// Open takes the cache file at path (making its folder if need be) for this
// build. version identifies the program that makes the results; a file made
// under another version is started afresh. The error is for a file that
// cannot be made at all.
//
// With no cache file at path (another build has it, or one was killed
// holding it), Open takes up the newest copy a killed build left, and
// removes the others that no running build holds.
func Open(path string, version []byte) (*File, error) {
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	c := &File{path: path, version: sha256.Sum256(version), index: map[Key]*loc{}}
	c.f, c.tmp = take(path)
	abandoned := sweep(path, c.tmp)
	if c.f != nil && c.load() != nil && len(abandoned) > 0 {
		// The file at path is damaged; a killed build's copy may not be.
		c.f.Close()
		os.Remove(c.tmp)
		c.f = nil
	}
	for _, a := range abandoned {
		if c.f == nil {
			c.f, c.tmp = a.f, a.name
			if c.load() == nil {
				continue
			}
			c.f = nil
		}
		os.Remove(a.name)
		a.f.Close()
	}
	if c.f == nil {
		if c.f, c.tmp, err = create(path); err != nil {
			return nil, fmt.Errorf("cache: %w", err)
		}
	}
	if c.loaded == 0 {
		// New, damaged, or another version's: start again.
		if err := c.reset(); err != nil {
			c.f.Close()
			os.Remove(c.tmp)
			return nil, fmt.Errorf("cache: %s: %w", path, err)
		}
	}
	c.stats.Entries = len(c.index)
	return c, nil
}

// take renames the cache file at path to a private name and locks it, or
// returns nil when there is none (or a build that saw it first took it).
func take(path string) (*os.File, string) {
	tmp := privateName(path)
	if err := os.Rename(path, tmp); err != nil {
		return nil, ""
	}
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return nil, ""
	}
	if ok, err := flock.Try(f); !ok || err != nil {
		// Another build took it for a killed build's copy in the instant
		// before the lock: it is that build's now.
		f.Close()
		return nil, ""
	}
	return f, tmp
}

// create makes a new, empty private file, locked.
func create(path string) (*os.File, string, error) {
	for {
		tmp := privateName(path)
		f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		if _, err := flock.Try(f); err != nil {
			f.Close()
			os.Remove(tmp)
			return nil, "", err
		}
		return f, tmp, nil
	}
}

// privateName is a name for a build's copy of the cache file: random, so
// that two builds never pick the same.
func privateName(path string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s.open-%x", path, b)
}

// olderThanAnHour reports whether the file was last written over an hour
// ago (abandonedAfter).
func olderThanAnHour(fi os.FileInfo) bool { return time.Since(fi.ModTime()) > abandonedAfter }

type abandonedCopy struct {
	name  string
	f     *os.File // open and locked
	mtime time.Time
}

// sweep finds the private copies that no running build holds, newest first,
// each opened and locked so that no other build takes it meanwhile; mine is
// this build's own.
func sweep(path, mine string) []abandonedCopy {
	names, _ := filepath.Glob(path + ".open-*")
	var found []abandonedCopy
	for _, name := range names {
		if name == mine {
			continue
		}
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		ok, err := flock.Try(f)
		fi, serr := f.Stat()
		now, nerr := os.Stat(name)
		if !ok || err != nil || serr != nil || nerr != nil || !os.SameFile(fi, now) ||
			((fi.Size() == 0 || !flock.Works) && !olderThanAnHour(fi)) {
			// A running build's; or gone, or renamed, meanwhile.
			f.Close()
			continue
		}
		found = append(found, abandonedCopy{name, f, fi.ModTime()})
	}
	slices.SortFunc(found, func(a, b abandonedCopy) int { return b.mtime.Compare(a.mtime) })
	return found
}

var errDamaged = errors.New("not a cache file of this version")

// load reads the header and the index, and makes the file ready for
// entries to be appended. A file whose end is not a trailer was being
// appended to by a build that was killed: it is cut back to where the last
// Close left it, as its header records.
func (c *File) load() error {
	fi, err := c.f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	if size < headerLen+trailerLen {
		return errDamaged
	}
	head := make([]byte, headerLen)
	if _, err := c.f.ReadAt(head, 0); err != nil {
		return err
	}
	if !bytes.HasPrefix(head, magic) || !bytes.Equal(head[len(magic):closedAt], c.version[:]) {
		return errDamaged
	}
	err = c.loadIndex(size)
	if closed := int64(binary.LittleEndian.Uint64(head[closedAt:])); err != nil && closed < size {
		if err = c.loadIndex(closed); err == nil {
			err = c.f.Truncate(closed)
		}
		size = closed
	}
	if err != nil {
		clear(c.index)
		return err
	}
	c.end, c.loaded = size, size // new entries go after the trailer
	return nil
}

// loadIndex reads the index of a file that ends at size.
func (c *File) loadIndex(size int64) error {
	if size < headerLen+trailerLen {
		return errDamaged
	}
	clear(c.index)
	tr := make([]byte, trailerLen)
	if _, err := c.f.ReadAt(tr, size-trailerLen); err != nil {
		return err
	}
	if !bytes.Equal(tr[20:], trailerMagic) {
		return errDamaged
	}
	off, n, sum := int64(binary.LittleEndian.Uint64(tr)), binary.LittleEndian.Uint64(tr[8:]), binary.LittleEndian.Uint32(tr[16:])
	if off < headerLen || n%indexEntry != 0 || uint64(size-trailerLen-off) != n {
		return errDamaged
	}
	idx := make([]byte, n)
	if _, err := c.f.ReadAt(idx, off); err != nil {
		return err
	}
	if crc32.Checksum(idx, crcTable) != sum {
		return errDamaged
	}
	for len(idx) > 0 {
		var k Key
		copy(k[:], idx)
		l := &loc{off: int64(binary.LittleEndian.Uint64(idx[32:])), n: binary.LittleEndian.Uint32(idx[40:]),
			crc: binary.LittleEndian.Uint32(idx[44:]), ready: true}
		if l.off < headerLen || l.off+int64(l.n) > off {
			return errDamaged
		}
		c.index[k] = l
		idx = idx[indexEntry:]
	}
	return nil
}

// reset empties the file and writes the header.
func (c *File) reset() error {
	clear(c.index)
	if err := c.f.Truncate(0); err != nil {
		return err
	}
	if _, err := c.f.WriteAt(c.header(), 0); err != nil {
		return err
	}
	c.end, c.loaded = headerLen, 0
	return nil
}

// header is the start of a file of this version, closed at length 0 (never).
func (c *File) header() []byte {
	head := append(append([]byte(nil), magic...), c.version[:]...)
	return binary.LittleEndian.AppendUint64(head, 0)
}

// Get returns the data put under k, if it is there and whole, in a new
// slice the caller may keep.
func (c *File) Get(k Key) ([]byte, bool) {
	c.mu.Lock()
	l := c.index[k]
	if c.closed || l == nil || !l.ready {
		c.stats.Misses++
		c.mu.Unlock()
		return nil, false
	}
	off, n, sum := l.off, l.n, l.crc
	c.mu.Unlock()
	data := make([]byte, n)
	_, err := c.f.ReadAt(data, off)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || crc32.Checksum(data, crcTable) != sum {
		if c.index[k] == l {
			delete(c.index, k) // damaged: made again by this build
		}
		c.stats.Misses++
		return nil, false
	}
	l.used = true
	c.stats.Hits++
	return data, true
}

// Put files data under k. It keeps no reference to data. A failure is
// counted (see Stats) and otherwise ignored: the next build works the
// result out again.
func (c *File) Put(k Key, data []byte) {
	sum := crc32.Checksum(data, crcTable)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	if l := c.index[k]; l != nil && l.ready && l.crc == sum && l.n == uint32(len(data)) {
		l.used = true // already there (the same work, done twice)
		c.mu.Unlock()
		return
	}
	l := &loc{off: c.end, n: uint32(len(data)), crc: sum}
	c.end += int64(len(data))
	c.index[k] = l
	c.mu.Unlock()

	_, err := c.f.WriteAt(data, l.off)

	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || int64(len(data)) != int64(l.n) {
		if c.index[k] == l {
			delete(c.index, k)
		}
		c.stats.Failed++
		return
	}
	l.ready, l.used = true, true
	c.stats.Puts++
}

// Stats reports what the cache did since Open.
func (c *File) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Close writes the index and puts the file back where Open found it, first
// compacting it to what this build used if that is less than half of it.
// Get and Put after Close do nothing. Close again does nothing.
func (c *File) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var all, used []Key
	var usedBytes int64
	for k, l := range c.index {
		if !l.ready {
			continue
		}
		all = append(all, k)
		if l.used {
			used = append(used, k)
			usedBytes += int64(l.n)
		}
	}
	var err error
	if data := c.end - headerLen; data > 2*usedBytes && data-usedBytes > compactSlack {
		err = c.compact(used)
	} else {
		if c.end != c.loaded {
			err = c.finish(c.f, c.end, all, c.index)
		} // else the file is as the last Close left it
		if cerr := c.f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(c.tmp, c.path)
		}
	}
	if err != nil {
		c.f.Close()
		os.Remove(c.tmp)
		return fmt.Errorf("cache: %s: %w", c.path, err)
	}
	return nil
}

// finish writes the index of keys (their places in idx) at end of f, then
// the trailer, cuts f there, and records the length in the header.
func (c *File) finish(f *os.File, end int64, keys []Key, idx map[Key]*loc) error {
	// In file order, so that the next build's reads go forward.
	slices.SortFunc(keys, func(a, b Key) int { return cmp.Compare(idx[a].off, idx[b].off) })
	b := make([]byte, 0, len(keys)*indexEntry+trailerLen)
	for _, k := range keys {
		l := idx[k]
		b = append(b, k[:]...)
		b = binary.LittleEndian.AppendUint64(b, uint64(l.off))
		b = binary.LittleEndian.AppendUint32(b, l.n)
		b = binary.LittleEndian.AppendUint32(b, l.crc)
	}
	n := len(b)
	b = binary.LittleEndian.AppendUint64(b, uint64(end))
	b = binary.LittleEndian.AppendUint64(b, uint64(n))
	b = binary.LittleEndian.AppendUint32(b, crc32.Checksum(b[:n], crcTable))
	b = append(b, trailerMagic...)
	if _, err := f.WriteAt(b, end); err != nil {
		return err
	}
	size := end + int64(len(b))
	if err := f.Truncate(size); err != nil {
		return err
	}
	_, err := f.WriteAt(binary.LittleEndian.AppendUint64(nil, uint64(size)), closedAt)
	return err
}

// compact writes the used entries to a new file that replaces the cache.
func (c *File) compact(keys []Key) error {
	nf, name, err := create(c.path)
	if err != nil {
		return err
	}
	defer os.Remove(name) // if not renamed
	defer nf.Close()
	if _, err := nf.Write(c.header()); err != nil {
		return err
	}
	slices.SortFunc(keys, func(a, b Key) int { return cmp.Compare(c.index[a].off, c.index[b].off) })
	moved := make(map[Key]*loc, len(keys))
	end := int64(headerLen)
	var buf []byte
	for _, k := range keys {
		l := c.index[k]
		buf = slices.Grow(buf[:0], int(l.n))[:l.n]
		if _, err := c.f.ReadAt(buf, l.off); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if crc32.Checksum(buf, crcTable) != l.crc {
			continue // damaged: dropped
		}
		if _, err := nf.Write(buf); err != nil {
			return err
		}
		moved[k] = &loc{off: end, n: l.n, crc: l.crc}
		end += int64(l.n)
	}
	kept := make([]Key, 0, len(moved))
	for k := range moved {
		kept = append(kept, k)
	}
	if err := c.finish(nf, end, kept, moved); err != nil {
		return err
	}
	if err := nf.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, c.path); err != nil {
		return err
	}
	c.f.Close()
	return os.Remove(c.tmp)
}
