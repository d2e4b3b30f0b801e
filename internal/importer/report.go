package importer

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Report is what an import did, by kind, for the person who ran it.
type Report struct {
	Items          map[string]int // every item of the export, by post type
	Posts          int            // written to content/news/
	Pages          int            // written as plain pages
	Drafts         int            // of those, written with draft: true
	Scheduled      int            // published with a date still to come ("future" in WordPress)
	Private        []string       // private in WordPress, brought in (Options.Private) as drafts
	Protected      []string       // password-protected in WordPress, brought in as drafts
	LeftOut        []string       // private or password-protected, not written: WordPress's line, ID and title
	LinksToLeftOut int            // links on written pages to items left out
	Skipped        map[string]int // not imported: other post types, trash, revisions
	Comments       int            // comments on imported items, which lmcpress does not carry

	Shortcodes     map[string]int // converted, by name
	ShortcodesLeft map[string]int // left in the text, by name
	Removed        map[string]int // elements taken out of bodies (<script>, <iframe> ...)
	Unsafe         int            // javascript: and other links that are code, removed
	Braces         int            // {{ and {% in the text, written so they show as typed

	Copied       int      // uploaded files copied beside their pages
	Missing      int      // uploaded files linked but not in --uploads
	MissingFiles []string // the first of them
	UploadsKept  int      // links left pointing at the old site's uploads (no --uploads)
	OldSiteLinks int      // links to old-site pages that no imported item had

	Aliases        int      // old permalinks kept as aliases
	Unaliased      []string // old addresses that cannot be aliases ("old → new")
	QueryRedirects int      // ?p=ID addresses listed in RedirectsFile
	Topics         int      // topics in the new site.yaml
	Files          int      // files written
	Notes          []string // per item: what was changed or left out, file:line
}

func newReport() Report {
	return Report{Items: map[string]int{}, Skipped: map[string]int{}, Shortcodes: map[string]int{},
		ShortcodesLeft: map[string]int{}, Removed: map[string]int{}}
}

func (r *Report) note(line int, file, format string, args ...any) {
	where := "export"
	if line > 0 {
		where = fmt.Sprintf("export:%d", line)
	}
	if file != "" {
		where += " (" + file + ")"
	}
	r.Notes = append(r.Notes, where+": "+fmt.Sprintf(format, args...))
}

func (r *Report) missing(rel string) {
	r.Missing++
	if len(r.MissingFiles) < 20 {
		r.MissingFiles = append(r.MissingFiles, rel)
	}
}

// maxListed caps each list the report prints.
const maxListed = 20

// Print writes the report as a person reads it: what was written, then
// what needs a person's eye.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "Read %s: %s.\n", plural(sum(r.Items), "item"), counts(r.Items))
	fmt.Fprintf(w, "Wrote %s and %s (%d as drafts, %d scheduled), %s, %s in all.\n",
		plural(r.Posts, "news post"), plural(r.Pages, "page"), r.Drafts, r.Scheduled,
		plural(r.Topics, "topic"), plural(r.Files, "file"))
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "Skipped: %s.\n", counts(r.Skipped))
	}
	fmt.Fprintf(w, "Kept %s as aliases; %s in %s for the web server.\n",
		plural(r.Aliases, "old address"), plural(r.QueryRedirects+len(r.Unaliased), "address"), RedirectsFile)
	if len(r.Shortcodes) > 0 {
		fmt.Fprintf(w, "Shortcodes converted: %s.\n", counts(r.Shortcodes))
	}
	if len(r.ShortcodesLeft) > 0 {
		fmt.Fprintf(w, "Shortcodes left in the text (search for them and rewrite them): %s.\n", counts(r.ShortcodesLeft))
	}
	if len(r.Removed) > 0 {
		fmt.Fprintf(w, "Taken out of bodies: %s.\n", counts(r.Removed))
	}
	if r.Unsafe > 0 {
		fmt.Fprintf(w, "Removed %s that ran code (javascript: and the like); their text stays.\n", plural(r.Unsafe, "link"))
	}
	if r.Braces > 0 {
		fmt.Fprintf(w, "Wrote %s ({{, {%% or a line's {:) so that they show as typed, not as a template's.\n", plural(r.Braces, "brace"))
	}
	if r.Copied+r.Missing > 0 {
		fmt.Fprintf(w, "Uploaded files: %d copied beside their pages, %d missing from --uploads (links to them kept to the old site).\n", r.Copied, r.Missing)
		list(w, "missing", r.MissingFiles, r.Missing)
	}
	if r.UploadsKept > 0 {
		fmt.Fprintf(w, "%s to uploaded files still point at the old site: give --uploads with a copy of wp-content/uploads to bring them across.\n", plural(r.UploadsKept, "link"))
	}
	if r.OldSiteLinks > 0 {
		fmt.Fprintf(w, "%s to old-site pages that were not imported (archives, authors, attachments) are left as they were.\n", plural(r.OldSiteLinks, "link"))
	}
	if r.Comments > 0 {
		fmt.Fprintf(w, "%s not imported: lmcpress has no comments.\n", plural(r.Comments, "comment"))
	}
	list(w, "Left out, private or password-protected in WordPress (--private brings them in, as drafts)", r.LeftOut, len(r.LeftOut))
	if r.LinksToLeftOut > 0 {
		fmt.Fprintf(w, "%s on imported pages point at items left out: lmcpress check lists each as a broken link, to remove or rewrite.\n", plural(r.LinksToLeftOut, "link"))
	}
	list(w, "Private in WordPress, imported as drafts (never published unless you remove draft: true)", r.Private, len(r.Private))
	list(w, "Password-protected in WordPress, imported as drafts", r.Protected, len(r.Protected))
	list(w, "Notes", r.Notes, len(r.Notes))
}

func list(w io.Writer, title string, items []string, total int) {
	if total == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", title)
	for i, s := range items {
		if i == maxListed {
			break
		}
		fmt.Fprintf(w, "  %s\n", s)
	}
	if total > min(len(items), maxListed) {
		fmt.Fprintf(w, "  and %d more\n", total-min(len(items), maxListed))
	}
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", m[k], k)
	}
	return strings.Join(parts, ", ")
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "s") {
		return fmt.Sprintf("%d %ses", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}
