package site

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// exchange swaps the names a and b in one step (renameat2 with
// RENAME_EXCHANGE, Linux 3.15 and later). errors.ErrUnsupported means the
// kernel or the filesystem cannot, and the caller falls back on renames.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EINVAL), errors.Is(err, unix.EOPNOTSUPP):
		return fmt.Errorf("exchange %s and %s: %w (%w)", a, b, errors.ErrUnsupported, err)
	}
	return fmt.Errorf("exchange %s and %s: %w", a, b, err)
}
