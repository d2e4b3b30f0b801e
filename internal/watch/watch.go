// Package watch reports changes to folder trees, in batches.
//
// Editors save in many ways: write in place, write a temporary file and
// rename it over the original, delete and recreate, or touch a swap file
// first. A single save can therefore arrive as a burst of events over a few
// milliseconds, and a "git checkout" as thousands. The watcher collects every
// path named by an event until the tree has been quiet for the debounce
// period, then reports the set once, sorted. It says nothing about what
// happened to each path: the caller looks at the files as they are now, which
// is the only state that matters to a rebuild.
//
// New folders are watched as they appear (fsnotify is not recursive), and the
// files already inside a new folder are reported too, because they may have
// been created before the watch on the folder began.
package watch

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher watches folder trees.
type Watcher struct {
	roots    []string
	fsw      *fsnotify.Watcher
	debounce time.Duration
	batches  chan []string
	errs     chan error
}

// New watches every folder under each root. A root that does not exist yet
// is noticed when it is created: its parent folder is watched (without its
// other subfolders). Only paths inside the roots are reported.
func New(roots []string, debounce time.Duration) (*Watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{fsw: fsw, debounce: debounce, batches: make(chan []string, 1), errs: make(chan error, 1)}
	for _, r := range roots {
		r = filepath.Clean(r)
		w.roots = append(w.roots, r)
		if _, err := os.Stat(r); err != nil {
			if err := fsw.Add(filepath.Dir(r)); err != nil {
				fsw.Close()
				return nil, err
			}
			continue
		}
		if _, err := w.addTree(r); err != nil {
			fsw.Close()
			return nil, err
		}
	}
	return w, nil
}

// inRoots reports whether p is a root or inside one.
func (w *Watcher) inRoots(p string) bool {
	for _, r := range w.roots {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// Batches delivers sets of changed paths.
func (w *Watcher) Batches() <-chan []string { return w.batches }

// Errors delivers problems the watcher met (e.g. too many folders).
func (w *Watcher) Errors() <-chan error { return w.errs }

// addTree watches dir and every folder below it and returns the files found.
func (w *Watcher) addTree(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // vanished while walking: the next event will say
		}
		if d.IsDir() {
			if p != dir && ignoredDir(d.Name()) {
				return filepath.SkipDir
			}
			return w.fsw.Add(p)
		}
		files = append(files, p)
		return nil
	})
	return files, err
}

func ignoredDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules"
}

// Ignored reports editor scratch files that never hold content: vim swap
// and probe files, emacs lock and autosave files, backups ending in "~".
func Ignored(path string) bool {
	base := filepath.Base(path)
	switch {
	case strings.HasSuffix(base, "~"),
		strings.HasSuffix(base, ".swp"), strings.HasSuffix(base, ".swx"), strings.HasSuffix(base, ".swpx"),
		strings.HasPrefix(base, ".#"),
		strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"),
		base == "4913", base == ".DS_Store":
		return true
	}
	return false
}

// Run delivers batches until ctx ends, then closes the watcher.
func (w *Watcher) Run(ctx context.Context) {
	defer w.fsw.Close()
	defer close(w.batches)
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if Ignored(ev.Name) || !w.inRoots(filepath.Clean(ev.Name)) {
				continue
			}
			pending[ev.Name] = true
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() && !ignoredDir(filepath.Base(ev.Name)) {
					files, err := w.addTree(ev.Name)
					if err != nil {
						w.report(err)
					}
					for _, f := range files {
						if !Ignored(f) {
							pending[f] = true
						}
					}
				}
			}
			timer.Reset(w.debounce)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.report(err)
		case <-timer.C:
			if len(pending) == 0 {
				continue
			}
			// Watch again any folder named in the burst: a folder renamed
			// within the tree keeps its inotify watch under its old name
			// and may lose it once the old name's removal is processed.
			for p := range pending {
				if st, err := os.Stat(p); err == nil && st.IsDir() && !ignoredDir(filepath.Base(p)) {
					files, err := w.addTree(p)
					if err != nil {
						w.report(err)
					}
					for _, f := range files {
						if !Ignored(f) {
							pending[f] = true
						}
					}
				}
			}
			batch := make([]string, 0, len(pending))
			for p := range pending {
				batch = append(batch, p)
			}
			sort.Strings(batch)
			pending = map[string]bool{}
			select {
			case w.batches <- batch:
			case <-ctx.Done():
				return
			}
		}
	}
}

func (w *Watcher) report(err error) {
	select {
	case w.errs <- err:
	default:
	}
}
