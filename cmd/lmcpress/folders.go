package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
)

// siteFolders are the folders of a site that build, check and serve read:
// content/, and the optional templates/ and static/. Each is read through
// an os.Root, which refuses any symbolic link that leads out of it, so
// that nothing outside the folder is ever read, whatever the repository
// holds: content.ListFiles names such a link as an error first, and the
// os.Root makes sure that a link it did not see (one made during a build)
// is refused too. Links to files inside the same folder are followed.
type siteFolders struct {
	site                       *os.Root
	content, templates, static *folder
}

// openSite opens the site folder root. content/ must be there; templates/
// and static/ may appear later (while serve runs): until then each is an
// empty folder.
func openSite(root string) (*siteFolders, error) {
	noContent := fmt.Errorf("%s: no content/ folder here: run lmcpress in the site folder, or give --root DIR", root)
	site, err := os.OpenRoot(root)
	if err != nil {
		return nil, noContent
	}
	s := &siteFolders{site: site}
	s.content, s.templates, s.static = &folder{site: site, name: "content"}, &folder{site: site, name: "templates"}, &folder{site: site, name: "static"}
	for _, f := range []*folder{s.content, s.templates, s.static} {
		if err := f.checkLink(); err != nil {
			site.Close()
			return nil, err
		}
	}
	if st, err := site.Stat("content"); err != nil || !st.IsDir() {
		site.Close()
		return nil, noContent
	}
	if _, err := s.content.get(); err != nil {
		site.Close()
		return nil, fmt.Errorf("content/: %w", err)
	}
	return s, nil
}

// Close closes the folders; what they opened stays readable.
func (s *siteFolders) Close() {
	for _, f := range []*folder{s.content, s.templates, s.static} {
		f.close()
	}
	s.site.Close()
}

// folder is one folder of the site, opened as an os.Root the first time it
// is read and it exists. It is an fs.FS that also reads links
// (fs.ReadLinkFS), so that content.ListFiles can say where a link leads.
type folder struct {
	site *os.Root
	name string
	mu   sync.Mutex
	root *os.Root
	fsys atomic.Pointer[fs.FS]
}

// checkLink refuses the folder itself when it is a symbolic link out of
// the site folder.
func (f *folder) checkLink() error {
	st, err := f.site.Lstat(f.name)
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		return nil
	}
	target, _ := f.site.Readlink(f.name)
	if _, err := f.site.Stat(f.name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s/: a symbolic link to a folder outside the site folder: %s; replace it with the folder itself", f.name, target)
	}
	return nil
}

// get opens the folder, or says why it cannot; a folder that is not there
// (yet) is fs.ErrNotExist, and tried again next time.
func (f *folder) get() (fs.FS, error) {
	if p := f.fsys.Load(); p != nil {
		return *p, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.fsys.Load(); p != nil {
		return *p, nil
	}
	r, err := f.site.OpenRoot(f.name)
	if err != nil {
		return nil, err
	}
	f.root = r
	fsys := r.FS()
	f.fsys.Store(&fsys)
	return fsys, nil
}

func (f *folder) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.root != nil {
		f.root.Close()
	}
}

func (f *folder) fail(op, name string, err error) error {
	return &fs.PathError{Op: op, Path: name, Err: err}
}

func (f *folder) Open(name string) (fs.File, error) {
	fsys, err := f.get()
	if err != nil {
		return nil, f.fail("open", name, err)
	}
	return fsys.Open(name)
}

func (f *folder) ReadFile(name string) ([]byte, error) {
	fsys, err := f.get()
	if err != nil {
		return nil, f.fail("read", name, err)
	}
	return fs.ReadFile(fsys, name)
}

func (f *folder) ReadDir(name string) ([]fs.DirEntry, error) {
	fsys, err := f.get()
	if err != nil {
		return nil, f.fail("readdir", name, err)
	}
	return fs.ReadDir(fsys, name)
}

func (f *folder) Stat(name string) (fs.FileInfo, error) {
	fsys, err := f.get()
	if err != nil {
		return nil, f.fail("stat", name, err)
	}
	return fs.Stat(fsys, name)
}

func (f *folder) Lstat(name string) (fs.FileInfo, error) {
	fsys, err := f.get()
	if err != nil {
		return nil, f.fail("lstat", name, err)
	}
	return fs.Lstat(fsys, name)
}

func (f *folder) ReadLink(name string) (string, error) {
	fsys, err := f.get()
	if err != nil {
		return "", f.fail("readlink", name, err)
	}
	return fs.ReadLink(fsys, name)
}
