package site

import (
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

// DirWriter writes into a temporary folder beside the output folder and, on
// Commit, swaps it in whole: a failed build leaves the previous site as it was.
type DirWriter struct {
	out  string
	tmp  string
	mu   sync.Mutex
	dirs map[string]bool
}

// NewDirWriter prepares a build of the output folder out.
func NewDirWriter(out string) (*DirWriter, error) {
	out = filepath.Clean(out)
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".building-")
	if err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	return &DirWriter{out: out, tmp: tmp, dirs: map[string]bool{".": true}}, nil
}

// WriteFile writes one file; safe for concurrent use.
func (w *DirWriter) WriteFile(name string, data []byte) error {
	if !validOutputName(name) {
		return fmt.Errorf("write: refusing output path %q", name)
	}
	if err := w.mkdir(path.Dir(name)); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(w.tmp, filepath.FromSlash(name)), data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
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
	if err := os.Mkdir(filepath.Join(w.tmp, filepath.FromSlash(dir)), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	w.mu.Lock()
	w.dirs[dir] = true
	w.mu.Unlock()
	return nil
}

// Commit replaces the output folder with the new build.
func (w *DirWriter) Commit() error {
	old := ""
	if _, err := os.Stat(w.out); err == nil {
		old = w.out + ".old-" + filepath.Base(w.tmp)
		if err := os.Rename(w.out, old); err != nil {
			return fmt.Errorf("write: replace %s: %w", w.out, err)
		}
	}
	if err := os.Rename(w.tmp, w.out); err != nil {
		if old != "" {
			_ = os.Rename(old, w.out)
		}
		return fmt.Errorf("write: replace %s: %w", w.out, err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("write: remove previous build %s: %w", old, err)
		}
	}
	return nil
}

// Abort discards the temporary folder.
func (w *DirWriter) Abort() { _ = os.RemoveAll(w.tmp) }

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
