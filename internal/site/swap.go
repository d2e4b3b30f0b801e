package site

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lmcpress/internal/flock"
)

// What a DirWriter keeps beside the output folder (public/, say), and what
// happens to it when a build is killed (kill -9, a CI job cancelled, the
// power cut):
//
//	.public.previous     the build before last, which the next build writes into
//	.public.building-*   a running build's folder, locked (package flock)
//	                     for as long as that build lives
//	.public.ready-*      a finished build on its way in, in the swap's
//	                     fallback only (see swapIn)
//
// The rule: a build removes or reuses only a folder that no running build
// holds the lock of. At the start of each build (start, under the lock of
// the folder that holds the output), the folders of dead builds are put
// right: a finished build that a crash left half swapped in becomes the
// output, one dead folder becomes the build before last if there is none
// (it is the previous build, partly overwritten: writeIfChanged and prune
// make any folder right), and the rest are removed. So nothing a killed
// build leaves stays beyond the next build, and the output folder is
// never missing for longer than a crash in the fallback swap and the next
// build's start.
//
// Where the system has no flock (flock.Works is false), a folder is taken
// for dead once it is an hour old.
const abandonedAfter = time.Hour

// lockParent waits for the lock of the folder that holds the output, which
// a build holds while it sets up and while it swaps: so no build sees
// another's folder before that build has locked it, and no build repairs
// a swap that another is making. The lock lives no longer than its
// process; unlock releases it.
func (w *DirWriter) lockParent() (unlock func(), err error) {
	f, err := os.Open(filepath.Dir(w.out))
	if err != nil {
		return nil, err
	}
	if err := flock.Wait(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// prefix is what the names beside the output start with: ".public.".
func (w *DirWriter) prefix() string {
	return filepath.Join(filepath.Dir(w.out), "."+filepath.Base(w.out)+".")
}

// start puts right what killed builds left, then takes the build before
// last for this build's folder (by renaming it, so two builds at once
// cannot share it) and locks that folder for as long as the build lives.
func (w *DirWriter) start() error {
	unlock, err := w.lockParent()
	if err != nil {
		return err
	}
	defer unlock()
	if err := w.recover(); err != nil {
		return err
	}
	// os.Rename will not replace a folder, so the unique name is made and
	// given up first; no other build can take it meanwhile (the lock).
	tmp, err := os.MkdirTemp(filepath.Dir(w.out), filepath.Base(w.prefix())+"building-")
	if err != nil {
		return err
	}
	if err := os.Remove(tmp); err != nil {
		return err
	}
	if err := os.Rename(w.scratch, tmp); err != nil {
		if err := os.Mkdir(tmp, 0o755); err != nil {
			return err
		}
		w.empty = true
	}
	w.tmp = tmp
	if !flock.Works {
		return nil
	}
	if w.own, err = os.Open(tmp); err != nil {
		return err
	}
	if ok, err := flock.Try(w.own); !ok || err != nil {
		w.own.Close()
		return fmt.Errorf("lock %s: %w", tmp, errors.Join(err, errors.New("held by another build")))
	}
	return nil
}

// recover deals with the folders of dead builds, as the rule above says.
func (w *DirWriter) recover() error {
	var ready, building []string
	for _, kind := range []string{"ready-", "building-"} {
		names, _ := filepath.Glob(w.prefix() + kind + "*")
		for _, name := range names {
			if !isDir(name) || !abandoned(name) {
				continue
			}
			if kind == "ready-" {
				ready = append(ready, name)
			} else {
				building = append(building, name)
			}
		}
	}
	if len(ready) > 0 && !exists(w.out) {
		// Killed in the fallback swap with the output moved aside: the
		// finished build goes in, as the swap would have done.
		if err := os.Rename(ready[0], w.out); err != nil {
			return fmt.Errorf("restore %s: %w", w.out, err)
		}
		ready = ready[1:]
	}
	for _, name := range append(ready, building...) {
		if !exists(w.scratch) && os.Rename(name, w.scratch) == nil {
			continue
		}
		if err := os.RemoveAll(name); err != nil {
			return fmt.Errorf("remove a killed build's %s: %w", name, err)
		}
	}
	return nil
}

// abandoned reports whether no running build holds the folder.
func abandoned(name string) bool {
	if !flock.Works {
		st, err := os.Stat(name)
		return err == nil && time.Since(st.ModTime()) > abandonedAfter
	}
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close() // the parent's lock keeps it dead until recover is done
	ok, err := flock.Try(f)
	return ok && err == nil
}

func exists(name string) bool {
	_, err := os.Lstat(name)
	return err == nil
}

// errCrashed is what a test's crash hook makes swapIn return: the swap
// stops there, as if the process had been killed.
var errCrashed = errors.New("crashed (test)")

// step reports that the swap has done what name says; a test's hook may
// stop it there.
func (w *DirWriter) step(name string) error {
	if w.crashAfter != nil && w.crashAfter(name) {
		return errCrashed
	}
	return nil
}

// swapIn puts the finished build in place of the output folder and keeps
// the one it replaces as the build before last.
//
// Where the system can exchange two names in one step (Linux's
// renameat2 with RENAME_EXCHANGE, on most filesystems), the output is at
// every moment either the old site or the new one. Elsewhere it takes two
// renames, with the output missing between them; the finished build is
// first renamed ready-*, so that a build started after a crash there
// knows it for whole and puts it in (recover).
func (w *DirWriter) swapIn() error {
	if !exists(w.out) {
		return os.Rename(w.tmp, w.out)
	}
	if !w.noExchange {
		err := exchange(w.tmp, w.out)
		if err == nil {
			if err := w.step("exchanged"); err != nil {
				return err
			}
			w.keep(w.tmp) // the old site, now
			return nil
		}
		if !errors.Is(err, errors.ErrUnsupported) {
			return err
		}
	}
	ready := w.prefix() + "ready-" + strings.TrimPrefix(w.tmp, w.prefix()+"building-")
	if err := os.Rename(w.tmp, ready); err != nil {
		return err
	}
	if err := w.step("ready"); err != nil {
		return err
	}
	if exists(w.scratch) {
		// Another build's, left while this one ran; the old output is newer.
		if err := os.RemoveAll(w.scratch); err != nil {
			return errors.Join(err, os.Rename(ready, w.tmp))
		}
	}
	if err := os.Rename(w.out, w.scratch); err != nil {
		return errors.Join(err, os.Rename(ready, w.tmp))
	}
	if err := w.step("moved aside"); err != nil {
		return err
	}
	if err := os.Rename(ready, w.out); err != nil {
		return errors.Join(err, os.Rename(w.scratch, w.out), os.Rename(ready, w.tmp))
	}
	return nil
}

// keep makes the folder old the build before last, unless another build
// left one meanwhile.
func (w *DirWriter) keep(old string) {
	if err := os.Rename(old, w.scratch); err != nil {
		_ = os.RemoveAll(old)
	}
}
