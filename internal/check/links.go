package check

import (
	"bytes"
	"fmt"
	"html"
	"io/fs"
	"regexp"
	"sort"
	"strings"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
)

var templateIDRe = regexp.MustCompile(`\bid="([A-Za-z][A-Za-z0-9_:.-]*)"`)

// templateIDs collects the literal ids in the theme's templates.
func templateIDs(templates fs.FS) map[string]bool {
	ids := map[string]bool{}
	if templates == nil {
		return ids
	}
	_ = fs.WalkDir(templates, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if data, err := fs.ReadFile(templates, name); err == nil {
			for _, m := range templateIDRe.FindAllSubmatch(data, -1) {
				ids[string(m[1])] = true
			}
		}
		return nil
	})
	return ids
}

// htmlIDs collects the id attributes of a page's converted HTML: heading
// ids, footnotes, and ids in raw HTML where the site allows it.
func htmlIDs(h []byte) map[string]bool {
	ids := map[string]bool{}
	for off := 0; ; {
		i := bytes.Index(h[off:], []byte(` id="`))
		if i < 0 {
			return ids
		}
		s := off + i + len(` id="`)
		e := bytes.IndexByte(h[s:], '"')
		if e < 0 {
			return ids
		}
		id := string(h[s : s+e])
		if strings.IndexByte(id, '&') >= 0 {
			id = html.UnescapeString(id)
		}
		ids[id] = true
		off = s + e
	}
}

// extUse is one link to an external address.
type extUse struct {
	url string
	pos Position
	pc  *pageCheck
}

// linker checks links against the book of addresses. check.Site also
// looks at anchors (ids) and gathers external links (ext); the build's
// VetLinks does neither: both only give warnings.
type linker struct {
	book     *content.Book
	ids      func(p *content.Page) map[string]bool // a page's anchors; nil: anchors unchecked
	themeIDs map[string]bool                       // ids every page has, from the templates
	ext      map[string]*ExternalLink
	uses     []extUse
}

// checkLinks checks a published page's links and images.
func (lk *linker) checkLinks(pc *pageCheck) {
	for _, r := range pc.links {
		lk.checkRef(pc, r, false)
	}
	for _, r := range pc.images {
		lk.checkRef(pc, r, true)
	}
}

func (lk *linker) checkRef(pc *pageCheck, r markdown.Ref, image bool) {
	s := pc.sheet
	if markdown.IsDangerousURL(r.Dest) {
		unsafeLink(s, r, image)
		return
	}
	l := lk.book.Resolve(pc.page, r.Dest, image)
	if l.Problem == nil && l.Fragment == "" && (l.External == "" || lk.ext == nil) {
		return // the usual case: a good link, nothing more to look at
	}
	dest := strings.TrimSpace(r.Dest)
	line := s.fileLine(r.Line)
	col := s.col(line, dest, r.Text)
	what := "link to"
	if image {
		what = "image"
	}
	switch {
	case l.Problem != nil:
		s.add(Finding{File: s.file(), Line: line, Column: col, Rule: l.Problem.Kind, Message: l.Problem.Msg, Hint: l.Problem.Hint, Target: l.Path})
	case l.External != "":
		if lk.ext == nil {
			return
		}
		e := lk.ext[l.External]
		if e == nil {
			e = &ExternalLink{URL: l.External}
			lk.ext[l.External] = e
		}
		pos := Position{File: s.file(), Line: line, Column: col}
		e.Links = append(e.Links, pos)
		lk.uses = append(lk.uses, extUse{url: l.External, pos: pos, pc: pc})
	case l.Page != nil && lk.ids != nil:
		ids := lk.ids(l.Page)
		if ids == nil || ids[l.Fragment] || lk.themeIDs[l.Fragment] {
			return
		}
		where := "this page has"
		if l.Page != pc.page {
			where = "content/" + l.Page.File + " has"
		}
		s.add(Finding{File: s.file(), Line: line, Column: col, Rule: RuleBrokenAnchor,
			Message: fmt.Sprintf("%s %s: %s no heading or anchor #%s", what, dest, where, l.Fragment), Hint: anchorHint(ids, l.Fragment), Target: l.Path})
	}
}

// anchorHint lists a page's heading ids, nearest to frag first.
func anchorHint(targetIDs map[string]bool, frag string) string {
	var ids []string
	for id := range targetIDs {
		if !strings.HasPrefix(id, "fn") {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return "the page has no headings to link to: link to the page itself"
	}
	sort.Slice(ids, func(i, j int) bool {
		di, dj := content.Distance(frag, ids[i], 1<<20), content.Distance(frag, ids[j], 1<<20)
		return di < dj || di == dj && ids[i] < ids[j]
	})
	if len(ids) > 5 {
		ids = ids[:5]
	}
	return "anchors there include #" + strings.Join(ids, ", #")
}

// unsafeLink reports a link or image to javascript:, vbscript:, file: or
// data: (see markdown.IsDangerousURL): the page shows a Markdown one as a
// dead link, and raw HTML would run it.
func unsafeLink(s *sheet, r markdown.Ref, image bool) {
	line := s.fileLine(r.Line)
	dest := strings.TrimSpace(r.Dest)
	col := s.col(line, dest, r.Text)
	scheme, _, _ := strings.Cut(dest, ":")
	shown := dest
	if n := 40; len(shown) > n {
		shown = shown[:n] + "..."
	}
	what, hint := "link to", "link to a page of the site or a web address (https://...); to offer a file, put it beside the page and link to its name"
	if image {
		what, hint = "image", "put the image file beside the page (or in static/) and give its name: ![Description](photo.jpg)"
	}
	s.add(Finding{File: s.file(), Line: line, Column: col, Rule: RuleUnsafeLink,
		Message: fmt.Sprintf("%s %s: a %s: address runs code or opens a file on the reader's own computer, so the page would show a dead link, or run it", what, shown, strings.ToLower(scheme)),
		Hint:    hint})
}
