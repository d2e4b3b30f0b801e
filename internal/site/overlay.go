package site

import (
	"errors"
	"io/fs"
	"sort"
)

// Overlay is a read-only file system in which the first layer holding a name
// wins: a site's own templates/ and static/ override the embedded default
// theme file by file.
type Overlay []fs.FS

// Open opens name from the first layer that has it.
func (o Overlay) Open(name string) (fs.File, error) {
	var firstErr error
	for _, l := range o {
		if l == nil {
			continue
		}
		f, err := l.Open(name)
		if err == nil {
			return f, nil
		}
		if firstErr == nil || !errors.Is(err, fs.ErrNotExist) {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = fs.ErrNotExist
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: firstErr}
}

// ReadDir merges the layers' listings of name.
func (o Overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]fs.DirEntry{}
	found := false
	for i := len(o) - 1; i >= 0; i-- {
		if o[i] == nil {
			continue
		}
		ents, err := fs.ReadDir(o[i], name)
		if err != nil {
			continue
		}
		found = true
		for _, e := range ents {
			seen[e.Name()] = e
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}
