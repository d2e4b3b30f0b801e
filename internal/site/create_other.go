//go:build !unix

package site

import "os"

// createFile makes the new file p holding data, failing if p exists: for a
// build into an empty folder, where every file is new (create_unix.go).
func createFile(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
