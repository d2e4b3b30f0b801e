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

// Open opens name from the first layer that has it. A layer that has it
// but cannot open it (a symbolic link out of the site's folder) is an
// error, not a reason to serve the next layer's file in its place.
func (o Overlay) Open(name string) (fs.File, error) {
	for _, l := range o {
		if l == nil {
			continue
		}
		f, err := l.Open(name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return f, err
		}
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// Lstat describes name in the first layer that has it, without following
// a symbolic link (fs.ReadLinkFS).
func (o Overlay) Lstat(name string) (fs.FileInfo, error) {
	for _, l := range o {
		if l == nil {
			continue
		}
		info, err := fs.Lstat(l, name)
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return info, err
		}
	}
	return nil, &fs.PathError{Op: "lstat", Path: name, Err: fs.ErrNotExist}
}

// ReadLink says where the symbolic link name in the first layer that has
// it leads (fs.ReadLinkFS), so that content.ListFiles can check it.
func (o Overlay) ReadLink(name string) (string, error) {
	for _, l := range o {
		if l == nil {
			continue
		}
		if _, err := fs.Lstat(l, name); err == nil {
			return fs.ReadLink(l, name)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrNotExist}
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
