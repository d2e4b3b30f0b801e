package content

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"lmcpress/internal/parallel"
)

// Tree is a loaded content folder.
type Tree struct {
	Pages []*Page  // every Markdown file, drafts included, sorted by File
	Files []string // every other file (images, PDFs), content-relative, sorted
}

// Load reads every Markdown file in fsys (the content folder) in parallel and
// checks it against cfg: front matter, known topics and areas, attachments
// present, no two files at one address. It returns all problems at once.
func Load(fsys fs.FS, cfg *Config) (*Tree, error) {
	mdFiles, files, errs := Scan(fsys)
	t := &Tree{Files: files}
	pages := make([]*Page, len(mdFiles))
	perFile := make([]Errors, len(mdFiles))
	parallel.Do(len(mdFiles), func(i int) {
		pages[i], perFile[i] = LoadFile(fsys, mdFiles[i], cfg)
	})
	for i, p := range pages {
		errs = append(errs, perFile[i]...)
		if p != nil {
			t.Pages = append(t.Pages, p)
		}
	}
	errs = append(errs, CheckTree(fsys, t, cfg)...)
	if len(errs) > 0 {
		return nil, errs.Sorted()
	}
	return t, nil
}

// Scan lists the content folder: Markdown files, and every other file
// (images, PDFs), both sorted; site.yaml is neither. What [ListFiles]
// leaves out is in neither list either, and its errors are returned, as
// is an [UnpublishedType] error for each file that is neither a page nor
// of a type published from content/ (which is not listed).
func Scan(fsys fs.FS) (md, other []string, errs Errors) {
	names, all := ListFiles(fsys, "content/")
	for _, e := range all {
		if ce, ok := e.(*Error); ok && ce.File == "content/"+ConfigFile {
			continue // LoadConfig reports it
		}
		errs = append(errs, e)
	}
	for _, name := range names {
		switch {
		case name == ConfigFile:
		case IsPage(name):
			md = append(md, name)
		default:
			if e := checkType(name); e != nil {
				errs = append(errs, e)
				continue
			}
			other = append(other, name)
		}
	}
	return md, other, errs
}

// LoadFile reads and parses one Markdown file under the site's settings
// (see ParseWith; cfg may be nil), refusing files too big to be prose. It
// opens the file once: through an os.Root (see ListFiles) each open walks
// the path again, a folder at a time.
func LoadFile(fsys fs.FS, name string, cfg *Config) (*Page, Errors) {
	file := "content/" + name
	fail := func(err error) (*Page, Errors) { return nil, Errors{&Error{File: file, Msg: err.Error(), Err: err}} }
	f, err := fsys.Open(name)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if info.Size() > MaxFileSize {
		return nil, Errors{&Error{File: file, Msg: fmt.Sprintf("file is %s; a Markdown page must be under %s: split it, or ship large data as an attachment", humanBytes(info.Size()), humanBytes(MaxFileSize)), Rule: OverLimit}}
	}
	// As os.ReadFile reads: room for the file and the byte that finds its
	// end, so that a page's text holds no more memory than it needs.
	src := make([]byte, 0, max(info.Size()+1, 512))
	for {
		n, err := f.Read(src[len(src):cap(src)])
		src = src[:len(src)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(err)
		}
		if len(src) == cap(src) {
			src = append(src, 0)[:len(src)] // the file grew
		}
	}
	return ParseWith(name, src, cfg)
}

// CheckTree does the checks that need more than one file. It also fills in
// attachment sizes, makes a top folder's index.md its section page where
// the folder is a section (see sectionIndexes), and the pages below a
// section's cascade: of build: {render: never} headless (see cascade).
func CheckTree(fsys fs.FS, t *Tree, cfg *Config) Errors {
	var errs Errors
	sectionIndexes(t.Pages)
	cascade(t.Pages)
	byURL := map[string]*Page{}
	for _, p := range t.Pages {
		file := "content/" + p.File
		if q, ok := byURL[p.URL()]; ok {
			errs = append(errs, &Error{File: file, Line: p.Lines["slug"], Msg: fmt.Sprintf("address %s is also used by content/%s: rename one file or set a different `slug:`", p.URL(), q.File), Rule: AddressTaken})
		} else {
			byURL[p.URL()] = p
		}
		if cfg != nil {
			errs = append(errs, checkTerms(p, "topics", p.Topics, cfg.Topics)...)
			errs = append(errs, checkTerms(p, "areas", p.Areas, cfg.Areas)...)
		}
		for i := range p.Attachments {
			a := &p.Attachments[i]
			if neverPublished(a.File) {
				errs = append(errs, &Error{File: file, Line: p.Lines["attachments"], Msg: fmt.Sprintf("attachments: content/%s is never published: hidden, scratch and backup files are left out; rename it", a.File)})
				continue
			}
			info, err := fs.Stat(fsys, a.File)
			if err != nil || info.IsDir() {
				errs = append(errs, &Error{File: file, Line: p.Lines["attachments"], Msg: fmt.Sprintf("attachments: content/%s does not exist: put the file there or fix the name", a.File)})
				continue
			}
			a.Size = info.Size()
		}
	}
	return errs
}

// neverPublished reports whether a content file is left out of every
// build: it, or a folder it is in, is hidden or scratch (see Scratch).
func neverPublished(file string) bool {
	for _, part := range strings.Split(file, "/") {
		if Scratch(part) {
			return true
		}
	}
	return false
}

// checkTerms enforces the known list from site.yaml when there is one.
func checkTerms(p *Page, key string, terms []string, known []Term) Errors {
	if len(known) == 0 {
		return nil
	}
	ok := map[string]bool{}
	names := make([]string, len(known))
	for i, k := range known {
		ok[Slugify(k.Name)] = true
		names[i] = k.Name
	}
	var errs Errors
	for _, t := range terms {
		if !ok[Slugify(t)] {
			hint := "known " + key + ": " + strings.Join(names, ", ")
			if n := nearest(t, names); n != "" {
				hint = fmt.Sprintf("did you mean %q? (%s)", n, hint)
			}
			errs = append(errs, &Error{File: "content/" + p.File, Line: p.Lines[key], Msg: fmt.Sprintf("%s: %q is not in content/site.yaml; %s; or add it there", key, t, hint)})
		}
	}
	return errs
}

// humanBytes formats a size the way download links show it: "312 KB", "1.4 MB".
func humanBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
}

// HumanSize is humanBytes for templates and listings.
func HumanSize(n int64) string { return humanBytes(n) }

// FileType names a file's format for a download link: "PDF", "Word document".
func FileType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".pdf":
		return "PDF"
	case ".doc", ".docx":
		return "Word document"
	case ".xls", ".xlsx":
		return "Excel spreadsheet"
	case ".ppt", ".pptx":
		return "PowerPoint presentation"
	case ".odt":
		return "OpenDocument text"
	case ".ods":
		return "OpenDocument spreadsheet"
	case ".csv":
		return "CSV"
	case ".txt":
		return "Text"
	case ".zip":
		return "ZIP archive"
	case ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg":
		return "Image"
	}
	ext := strings.TrimPrefix(path.Ext(name), ".")
	return strings.ToUpper(ext)
}
