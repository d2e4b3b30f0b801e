package site

import (
	"lmcpress/internal/content"

	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Writer receives the built files. name is a slash path relative to the
// output root, e.g. "news/index.html". WriteFile must not keep data after it
// returns: the build reuses the buffer.
type Writer interface {
	WriteFile(name string, data []byte) error
}

// DirWriter writes a build into a folder beside the output folder and, on
// Commit, swaps it in whole: a failed build leaves the previous site as it
// was.
//
// The folder it writes into is the build before last, kept beside the
// output as ".NAME.previous" (e.g. ".public.previous"): files are
// overwritten in place (or left alone when they already hold the new
// bytes) and only what the new build no longer has is removed. Creating every folder and deleting every file of a 10,000-page
// site each time cost more than building it. The price is a second copy of
// the site on disk.
//
// A build that is killed leaves its folder; the next build puts it right
// (swap.go says how, and what the names beside the output are).
type DirWriter struct {
	out     string
	tmp     string
	scratch string   // where the previous build is kept between builds
	own     *os.File // tmp, open and locked while this build lives (flock)
	mu      sync.Mutex
	dirs    map[string]bool
	written map[string]bool
	old     *listing // what the folder held before this build
	empty   bool     // the folder was made empty for this build: nothing to compare or replace

	// For tests: swap with two renames, as where no exchange exists, and
	// stop the swap (as a crash would) after the step crashAfter accepts.
	noExchange bool
	crashAfter func(step string) bool
}

// listing is what a folder held, read by a goroutine of its own while the
// build runs: on a 10,000-page site, reading it at the end added a tenth of
// a second to every build, with one core idle.
type listing struct {
	done  chan struct{}
	files []string // slash paths relative to the folder
	dirs  []string // the same, each after its parent
	err   error
}

func list(root string) *listing {
	l := &listing{done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if st, serr := os.Lstat(p); serr != nil || !st.IsDir() {
					// The build removed it meanwhile, or made a folder of
					// it a file: prune checks such names again.
					return nil
				}
				return err
			}
			if p == root {
				return nil
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				l.dirs = append(l.dirs, rel)
			} else {
				l.files = append(l.files, rel)
			}
			return nil
		})
	}()
	return l
}

// NewDirWriter prepares a build of the output folder out.
func NewDirWriter(out string) (*DirWriter, error) {
	out = filepath.Clean(out)
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	w := &DirWriter{out: out, scratch: filepath.Join(parent, "."+filepath.Base(out)+".previous"),
		dirs: map[string]bool{".": true}, written: map[string]bool{}}
	if err := w.start(); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	w.old = list(w.tmp)
	return w, nil
}

// WriteFile writes one file; safe for concurrent use.
func (w *DirWriter) WriteFile(name string, data []byte) error {
	if !validOutputName(name) {
		return fmt.Errorf("write: refusing output path %q", name)
	}
	if err := w.mkdir(path.Dir(name)); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	p := filepath.Join(w.tmp, filepath.FromSlash(name))
	var err error
	if !w.empty || createFile(p, data) != nil {
		// Into the build before last (or, in an empty folder, a name
		// written twice): what is there may be right already.
		err = writeIfChanged(p, data)
	}
	if err != nil && isDir(p) {
		// A folder in the build before last; this build has a file there.
		if err = os.RemoveAll(p); err == nil {
			err = writeIfChanged(p, data)
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	w.mu.Lock()
	w.written[name] = true
	w.mu.Unlock()
	return nil
}

// writeIfChanged writes data to the file p unless p already holds exactly
// data. The folder written into is the build before last, so in a rebuild
// most files are already right: reading one back costs a fraction of
// truncating and rewriting it, and an unchanged file keeps its modification
// time, so rsync and other deploy tools see only what really changed.
//
// The new bytes are written over the old and only a longer old file is cut
// to size afterwards, never emptied first: ext4 (with its default
// auto_da_alloc) takes a file truncated to nothing for one being replaced
// and starts writing it to disk as soon as it is closed. Truncating every
// new, empty file cost a 10,000-page build into an empty folder 24,000
// writebacks (perf stat -e ext4:ext4_writepages), seconds of system time
// and a busy disk; a build into the previous output paid the same for
// every file that changed.
func writeIfChanged(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	if st.Mode().IsRegular() && st.Size() == int64(len(data)) {
		if same, err := holds(f, data); err == nil && same {
			return f.Close()
		}
	}
	if _, err := f.WriteAt(data, 0); err != nil {
		f.Close()
		return err
	}
	if st.Size() > int64(len(data)) {
		if err := f.Truncate(int64(len(data))); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// holds reports whether f's first len(data) bytes are data, comparing a
// piece at a time so that no copy of a large file is made.
func holds(f *os.File, data []byte) (bool, error) {
	var buf [32 << 10]byte
	for off := 0; off < len(data); {
		n := min(len(buf), len(data)-off)
		got, err := f.ReadAt(buf[:n], int64(off))
		if got != n || !bytes.Equal(buf[:n], data[off:off+n]) {
			return false, err
		}
		off += n
	}
	return true, nil
}

// mkdir makes dir and its parents, remembering what exists: most pages live
// in a folder of their own, and one mkdir each is what that costs.
func (w *DirWriter) mkdir(dir string) error {
	w.mu.Lock()
	known := w.dirs[dir]
	w.mu.Unlock()
	if known {
		return nil
	}
	if err := w.mkdir(path.Dir(dir)); err != nil {
		return err
	}
	p := filepath.Join(w.tmp, filepath.FromSlash(dir))
	if err := os.Mkdir(p, 0o755); err != nil {
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
		if !isDir(p) {
			// A file in the build before last; this build has a folder there.
			// Two goroutines may get here for one folder: either may remove
			// the file and make the folder.
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if err := os.Mkdir(p, 0o755); err != nil && !(errors.Is(err, fs.ErrExist) && isDir(p)) {
				return err
			}
		}
	}
	w.mu.Lock()
	w.dirs[dir] = true
	w.mu.Unlock()
	return nil
}

func isDir(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.IsDir()
}

// Commit replaces the output folder with the new build, and keeps the one
// it replaces for the next build to write into.
func (w *DirWriter) Commit() error {
	defer w.release()
	if err := w.prune(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	unlock, err := w.lockParent()
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	defer unlock()
	if err := w.swapIn(); err != nil {
		if !errors.Is(err, errCrashed) && isDir(w.tmp) {
			w.keep(w.tmp)
		}
		return fmt.Errorf("write: replace %s: %w", w.out, err)
	}
	return nil
}

// release lets go of this build's lock on its folder.
func (w *DirWriter) release() {
	if w.own != nil {
		w.own.Close()
	}
}

// prune removes what an earlier build left in the folder and this build
// did not write, then the folders left empty. The folder was listed while
// the build ran; what the build wrote since is in written and dirs, and a
// name it changed from file to folder or back is checked again here.
func (w *DirWriter) prune() error {
	<-w.old.done
	if w.old.err != nil {
		return w.old.err
	}
	for _, rel := range w.old.files {
		if w.written[rel] || w.dirs[rel] {
			continue
		}
		p := filepath.Join(w.tmp, filepath.FromSlash(rel))
		if err := os.Remove(p); err != nil {
			if st, serr := os.Lstat(p); serr != nil || st.IsDir() {
				continue // gone with a folder that became a file, or a folder now
			}
			return err
		}
	}
	for i := len(w.old.dirs) - 1; i >= 0; i-- {
		// A folder then may be a file of this build now: os.Remove would
		// take it.
		if rel := w.old.dirs[i]; !w.dirs[rel] && !w.written[rel] {
			_ = os.Remove(filepath.Join(w.tmp, filepath.FromSlash(rel))) // fails, as it should, unless empty
		}
	}
	return nil
}

// Abort keeps what was written for the next build to overwrite; the output
// folder is untouched.
func (w *DirWriter) Abort() {
	defer w.release()
	<-w.old.done // the listing must not read the folder once it is handed on
	if unlock, err := w.lockParent(); err == nil {
		defer unlock()
	}
	w.keep(w.tmp)
}

func validOutputName(name string) bool {
	return name != "" && !strings.HasPrefix(name, "/") && path.Clean(name) == name && !strings.HasPrefix(name, "../") && name != ".."
}

// MemWriter keeps the built files in memory, for tests and the dev server.
type MemWriter struct {
	mu    sync.Mutex
	Files map[string][]byte
}

// NewMemWriter returns an empty MemWriter.
func NewMemWriter() *MemWriter { return &MemWriter{Files: map[string][]byte{}} }

// WriteFile stores a copy of data.
func (m *MemWriter) WriteFile(name string, data []byte) error {
	if !validOutputName(name) {
		return fmt.Errorf("write: refusing output path %q", name)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.Files[name]; dup {
		return fmt.Errorf("write: %s written twice", name)
	}
	m.Files[name] = append([]byte(nil), data...)
	return nil
}

// Names lists the files written, sorted.
func (m *MemWriter) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	names := make([]string, 0, len(m.Files))
	for n := range m.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// bookWriter holds Build to the book of addresses while it writes: a file
// the book does not list, or one written twice, is an error rather than a
// file silently replaced. The book is what the collision checks read, so
// an output it did not know of could overwrite the theme or a page
// unchecked (TestBuildWritesTheBook holds the plan to the book; this holds
// every build).
type bookWriter struct {
	w       Writer
	book    *content.Book
	mu      sync.Mutex
	written map[string]bool
}

func (bw *bookWriter) WriteFile(name string, data []byte) error {
	if bw.book.Owner(name) == "" {
		return fmt.Errorf("write %s: not in the book of addresses, so not checked for collisions (a bug in lmcpress: please report it)", name)
	}
	bw.mu.Lock()
	twice := bw.written[name]
	bw.written[name] = true
	bw.mu.Unlock()
	if twice {
		return fmt.Errorf("write %s: written twice, by %s and another stage (a bug in lmcpress: please report it)", name, bw.book.Owner(name))
	}
	return bw.w.WriteFile(name, data)
}
