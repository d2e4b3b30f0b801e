// Package flock locks a file for as long as it is open, so that a process
// that is killed lets go of its lock with everything else it held.
//
// The build uses it to tell a folder or cache file that a running build
// owns from one that a killed build left behind: the kernel releases the
// lock of a dead process, while a name, a pid or a timestamp only guesses.
// Locks are exclusive and advisory (flock(2)): they bind only programs that
// ask for them, and two opens of one file conflict even in one process.
//
// Where the system has no flock (Windows, Plan 9, WebAssembly), Works is
// false, Try always succeeds and Wait returns at once: callers then fall
// back on a rule of their own (see site's and cache's use of Works).
package flock

import (
	"fmt"
	"os"
)

// Try takes the lock on f without waiting. It reports false when another
// open of the file holds it.
func Try(f *os.File) (bool, error) {
	ok, err := try(f)
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return ok, nil
}

// Wait takes the lock on f, waiting for whoever holds it.
func Wait(f *os.File) error {
	if err := wait(f); err != nil {
		return fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return nil
}
