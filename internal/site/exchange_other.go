//go:build !linux

package site

import "errors"

// exchange would swap the names a and b in one step; this system has no
// call for it (macOS's renamex_np could, and is not used yet), so the
// caller falls back on renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
