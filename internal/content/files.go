package content

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// The rules of the errors about files (see [Error.Rule]), the ids
// internal/check reports them under.
const (
	// Symlink: a symbolic link that leaves its folder, leads to a folder
	// or to nothing.
	Symlink = "symlink"
	// UnpublishedType: a file in content/ that is neither a page nor of a
	// type the build publishes.
	UnpublishedType = "file-type"
)

// ListFiles lists the files of one of the site's folders, fsys, for the
// build to read: dir ("content/", "templates/", "static/") names it in
// errors. Hidden files and folders (.git, .DS_Store) and editor scratch
// and backup files (see [Scratch]) are left out, and never published.
//
// A symbolic link is listed only when it leads to a file inside the same
// folder, so that a link committed to the repository cannot publish what
// the build machine holds (/proc/self/environ, /etc/passwd) or the rest
// of the site folder (.git/config holds a CI checkout's credentials). A
// link that leaves the folder, leads to a folder or to nothing is an
// error naming it, and is not listed. The folder itself should be read
// through an os.Root (cmd/lmcpress does), which refuses such a link
// again whenever it is opened.
func ListFiles(fsys fs.FS, dir string) (names []string, errs Errors) {
	if fsys == nil {
		return nil, nil
	}
	_ = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if name == "." && errors.Is(err, fs.ErrNotExist) {
				return nil // an optional folder that is not there
			}
			errs = append(errs, &Error{File: dir + name, Msg: err.Error(), Err: err})
			return nil
		}
		if name != "." && Scratch(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir // .git, editor folders
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if e := checkLink(fsys, dir, name); e != nil {
				errs = append(errs, e)
				return nil
			}
		}
		names = append(names, name)
		return nil
	})
	return names, errs
}

// checkLink says what is wrong with the symbolic link name in fsys, or
// returns nil for a link to a file in the same folder.
func checkLink(fsys fs.FS, dir, name string) *Error {
	e := &Error{File: dir + name, Rule: Symlink}
	target, err := fs.ReadLink(fsys, name)
	if err != nil {
		e.Msg, e.Err = fmt.Sprintf("a symbolic link that cannot be read (%v): replace it with the file itself", err), err
		return e
	}
	// An absolute link, or one that climbs out, leaves the folder however
	// the folders above are laid out.
	if rel := path.Join(path.Dir(name), target); path.IsAbs(target) || strings.HasPrefix(target, `\`) ||
		(len(target) > 1 && target[1] == ':') || rel == ".." || strings.HasPrefix(rel, "../") {
		e.Msg = fmt.Sprintf("a symbolic link to a file outside %s: %s; replace it with the file itself", dir, target)
		return e
	}
	info, err := fs.Stat(fsys, name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		e.Msg = fmt.Sprintf("a symbolic link to %s, which does not exist: replace it with the file itself", target)
	case err != nil:
		// Through another link that leaves the folder: the os.Root
		// refused it.
		e.Msg, e.Err = fmt.Sprintf("a symbolic link to %s, which leads outside %s: replace it with the file itself", target, dir), err
	case info.IsDir():
		e.Msg = fmt.Sprintf("a symbolic link to a folder (%s): links to folders are not followed; move the folder here, or link each file", target)
	default:
		return nil
	}
	return e
}

// Scratch reports whether a file or folder name is one a build never
// reads or publishes: hidden (.git, .DS_Store, .page.md.swp; but not
// .well-known), or an
// editor's or operating system's scratch, lock or backup file: page.md~,
// #page.md#, page.md.bak, .orig, .rej, .swp, .swx, .tmp, ~$letter.docx
// (Word's lock file), Thumbs.db, desktop.ini. Such files sit beside the
// pages they copy, drafts and embargoed text included.
func Scratch(name string) bool {
	switch {
	case name == ".well-known":
		return false // the web's folder for site-wide files (security.txt)
	case strings.HasPrefix(name, "."), strings.HasSuffix(name, "~"), strings.HasPrefix(name, "~$"),
		strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		return true
	}
	switch strings.ToLower(name) {
	case "thumbs.db", "desktop.ini", "ehthumbs.db":
		return true
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".bak", ".orig", ".rej", ".swp", ".swo", ".swx", ".tmp", ".temp", ".part", ".crdownload":
		return true
	}
	return false
}

// published are the types of file, besides pages, that a build copies
// from content/: documents for download and images for pages. Anything
// else there (HTML, scripts, data, keys, exports) is an [UnpublishedType] error,
// so that nothing reaches the website by being left in the folder; the
// theme's own files belong in static/.
var published = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true, ".pptx": true,
	".odt": true, ".ods": true, ".odp": true, ".rtf": true, ".csv": true, ".txt": true, ".ics": true, ".zip": true,
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".webp": true, ".avif": true,
	".mp3": true, ".mp4": true,
}

// PublishedTypes lists the file types content/ may hold besides pages,
// for messages and documentation: "avif, csv, ...".
func PublishedTypes() string {
	types := make([]string, 0, len(published))
	for ext := range published {
		types = append(types, ext[1:])
	}
	sort.Strings(types)
	return strings.Join(types, ", ")
}

// checkType is the UnpublishedType error for a file in content/ that is not a
// page and not of a published type, or nil.
func checkType(name string) *Error {
	ext := strings.ToLower(path.Ext(name))
	if published[ext] {
		return nil
	}
	what := "a ." + strings.TrimPrefix(ext, ".") + " file"
	switch {
	case ext == "":
		what = "a file without a type"
	case ext == ".html" || ext == ".htm":
		// Hugo and Jekyll read pages written in HTML, with front matter.
		return &Error{File: "content/" + name, Rule: UnpublishedType,
			Msg: "a " + ext + " file is not published from content/: a page written in HTML (with front matter, as Hugo and Jekyll read them) must become Markdown: rename it to .md (HTML typed into Markdown is shown as text unless site.yaml says allowRawHTML: true); a file to publish as it is goes in static/"}
	}
	return &Error{File: "content/" + name, Rule: UnpublishedType,
		Msg: fmt.Sprintf("%s is not published from content/ (only pages and %s): move it to static/ to publish it as it is, or out of the site folder", what, PublishedTypes())}
}
