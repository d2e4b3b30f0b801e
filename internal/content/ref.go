package content

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// Refs finds the page a Hugo ref or relref shortcode names, among the
// pages a build publishes. Made once from a book, it is read from several
// goroutines.
//
// A target is a content file's path, with or without its extension, as
// Hugo takes it: "/guidance/foo.md" from content/, "foo" or "../x.md" from
// the linking page's folder first and then from content/, and a bare name
// ("foo") anywhere, when only one page has it. A page bundle is named by
// its folder ("guidance/foo" for guidance/foo/index.md), a section by its
// folder too ("guidance" for guidance/_index.md). Letter case does not
// matter, as in Hugo. "#part" is kept.
type Refs struct {
	byPath map[string]string   // logical path ("guidance/foo"), lower case → address
	byName map[string][]string // last element, lower case → logical paths
}

// NewRefs indexes the book's pages.
func NewRefs(b *Book) *Refs {
	r := &Refs{byPath: map[string]string{}, byName: map[string][]string{}}
	for u, p := range b.pages {
		if u != p.URL() {
			continue // the same page under its other key
		}
		lp := logicalPath(p.File)
		r.byPath[lp] = u
		name := path.Base(lp)
		r.byName[name] = append(r.byName[name], lp)
	}
	for _, ps := range r.byName {
		sort.Strings(ps)
	}
	return r
}

// For is what the Markdown of page p needs to resolve its refs (it is a
// markdown.Refs).
func (r *Refs) For(p *Page) PageRefs { return PageRefs{refs: r, page: p} }

// PageRefs resolves refs from one page.
type PageRefs struct {
	refs *Refs
	page *Page
}

// Ref is Resolve from the page.
func (pr PageRefs) Ref(target string) (string, error) { return pr.refs.Resolve(pr.page, target) }

// Sum is a hash of every path and address the index holds: a conversion
// that resolved refs with it is good for as long as Sum is the same.
func (r *Refs) Sum() [32]byte {
	keys := make([]string, 0, len(r.byPath))
	for k := range r.byPath {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k + "\x00" + r.byPath[k] + "\x00"))
	}
	var s [32]byte
	h.Sum(s[:0])
	return s
}

// logicalPath is a content file's path without extension, "index" or
// "_index", in lower case: "guidance/foo/index.md" → "guidance/foo".
func logicalPath(file string) string {
	f := strings.ToLower(file)
	if ext := path.Ext(f); ext != "" {
		f = strings.TrimSuffix(f, ext)
	}
	switch {
	case f == "_index" || f == "index":
		return ""
	case strings.HasSuffix(f, "/_index"):
		f = strings.TrimSuffix(f, "/_index")
	case strings.HasSuffix(f, "/index"):
		f = strings.TrimSuffix(f, "/index")
	}
	return f
}

// Resolve is the address target names, from the page from (nil for none),
// with its "#fragment".
func (r *Refs) Resolve(from *Page, target string) (string, error) {
	t := strings.TrimSpace(target)
	frag := ""
	if i := strings.IndexByte(t, '#'); i >= 0 {
		t, frag = t[:i], t[i:]
	}
	if t == "" {
		if frag == "" {
			return "", errors.New("names no page")
		}
		return frag, nil // a part of this page
	}
	if strings.Contains(t, "://") {
		return "", errors.New("is another site's address: link to it directly")
	}
	want := logicalPath(strings.Trim(t, "/"))
	if strings.HasSuffix(t, "/") {
		want = strings.ToLower(strings.Trim(t, "/"))
	}
	var tries []string
	if !strings.HasPrefix(t, "/") && from != nil {
		tries = append(tries, strings.TrimPrefix(path.Join(path.Dir(strings.ToLower(from.File)), want), "/"))
	}
	tries = append(tries, strings.TrimPrefix(path.Clean("/"+want), "/"))
	for _, lp := range tries {
		if lp == "." {
			lp = ""
		}
		if u, ok := r.byPath[lp]; ok {
			return u + frag, nil
		}
	}
	if !strings.Contains(want, "/") {
		switch ps := r.byName[want]; len(ps) {
		case 1:
			return r.byPath[ps[0]] + frag, nil
		case 0:
		default:
			if len(ps) > 3 {
				ps = append(ps[:3:3], "...")
			}
			return "", fmt.Errorf("more than one page is called %q (%s): write the path from content/", want, strings.Join(ps, ", "))
		}
	}
	// Every file it was looked for as, the linking page's folder first: a
	// relative name that was meant from there is not told it was looked
	// for only from content/.
	var files []string
	for _, lp := range tries {
		if f := "content/" + strings.TrimPrefix(lp, "/") + ".md"; !slices.Contains(files, f) {
			files = append(files, f)
		}
	}
	return "", fmt.Errorf("no published page comes from %s (is it a draft, not yet due, or headless?)", strings.Join(files, " or "))
}
