package site

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// memFS is a built site held in memory, for the preview server. It is
// read-only and never changes once made: each rebuild makes a new one.
type memFS struct {
	files map[string][]byte
	dirs  map[string]bool
}

func newMemFS(files map[string][]byte) *memFS {
	m := &memFS{files: files, dirs: map[string]bool{".": true}}
	for name := range files {
		for d := path.Dir(name); d != "." && !m.dirs[d]; d = path.Dir(d) {
			m.dirs[d] = true
		}
	}
	return m
}

func (m *memFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if data, ok := m.files[name]; ok {
		return &memFile{info: memInfo{name: path.Base(name), size: int64(len(data))}, r: bytes.NewReader(data)}, nil
	}
	if m.dirs[name] {
		return &memFile{info: memInfo{name: path.Base(name), dir: true}, r: bytes.NewReader(nil)}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadFile returns the file's bytes without copying; callers must not
// modify them.
func (m *memFS) ReadFile(name string) ([]byte, error) {
	if data, ok := m.files[name]; ok {
		return data, nil
	}
	return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
}

type memFile struct {
	info memInfo
	r    *bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Read(b []byte) (int, error) {
	if f.info.dir {
		return 0, io.EOF
	}
	return f.r.Read(b)
}
func (f *memFile) Close() error { return nil }

type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }

// ReadDir lists a folder. It scans every name, which is fine for the rare
// callers (tests, directory walks) and keeps rebuilds from paying for it.
func (m *memFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if !m.dirs[name] {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	seen := map[string]fs.DirEntry{}
	add := func(child string, dir bool, size int64) {
		if _, ok := seen[child]; !ok {
			seen[child] = fs.FileInfoToDirEntry(memInfo{name: child, dir: dir, size: size})
		}
	}
	prefix := name + "/"
	if name == "." {
		prefix = ""
	}
	for f, data := range m.files {
		if rest, ok := strings.CutPrefix(f, prefix); ok {
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				add(rest[:i], true, 0)
			} else {
				add(rest, false, int64(len(data)))
			}
		}
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}
