package importer

import (
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"

	"lmcpress/internal/content"
)

// writer is the second pass: each item converted and written as it is read.
type writer struct {
	im    *importer
	conv  *converter.Converter
	files int
}

func newWriter(im *importer) (*writer, error) {
	if err := im.opt.Site.MkdirAll("content/news", 0o755); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return &writer{im: im, conv: newConverter()}, nil
}

// maxTitle bounds a title, in characters: longer ones are cut, and noted.
const maxTitle = 200

// item converts and writes one post or page.
func (w *writer) item(it *Item) error {
	im := w.im
	e := im.entries[it.ID]
	if e == nil || (it.Type != "post" && it.Type != "page") || e.typ != it.Type || e.slug == "" {
		return nil
	}
	file := path.Join("content", e.dir, e.slug+".md")
	if e.index {
		file = path.Join("content", e.dir, e.slug, "_index.md")
	}
	if e.leftOut != "" {
		im.report.LeftOut = append(im.report.LeftOut, fmt.Sprintf("export:%d: %s %d %s, %s in WordPress (it would have been %s)",
			it.Line, it.Type, it.ID, quote(plainText(it.Title)), e.leftOut, file))
		return nil
	}
	var fm strings.Builder
	fm.WriteString("---\n")

	title := plainText(it.Title)
	if title == "" {
		title = "Untitled " + it.Type + " " + strconv.Itoa(it.ID)
		im.report.note(it.Line, file, "no title: called %q; give it one", title)
	}
	if r := []rune(title); len(r) > maxTitle {
		title = strings.TrimSpace(string(r[:maxTitle])) + "..."
		im.report.note(it.Line, file, "a title of %d characters, cut to %d", len(r), maxTitle)
	}
	fmt.Fprintf(&fm, "title: %s\n", quote(title))

	draft := false
	switch it.Status {
	case "publish":
	case "future":
		im.report.Scheduled++
	case "private":
		draft = true
		im.report.Private = append(im.report.Private, file)
	case "draft", "pending":
		draft = true
	default:
		draft = true
		im.report.note(it.Line, file, "status %q: imported as a draft", it.Status)
	}
	if strings.TrimSpace(it.Password) != "" && !draft {
		draft = true
		im.report.Protected = append(im.report.Protected, file)
	}

	if it.Type == "post" {
		date, ok := wpDate(it.DateGMT, time.UTC)
		if !ok {
			date, ok = wpDate(it.Date, content.London)
		}
		if !ok {
			date, draft = im.opt.Now, true
			im.report.note(it.Line, file, "no usable date (post_date_gmt %q, post_date %q): dated today as a draft; set its date", it.DateGMT, it.Date)
		}
		fmt.Fprintf(&fm, "date: %s\n", date.In(content.London).Format(time.RFC3339))
		if mod, ok := wpDate(it.ModifiedGMT, time.UTC); ok && mod.After(date.Add(time.Minute)) {
			fmt.Fprintf(&fm, "lastmod: %s\n", mod.In(content.London).Format(time.RFC3339))
		}
	}
	if s := plainText(it.Excerpt); s != "" {
		if r := []rune(s); len(r) > 1000 {
			s = string(r[:1000]) + "..."
		}
		fmt.Fprintf(&fm, "summary: %s\n", quote(s))
	}
	if topics := w.topics(it, file); len(topics) > 0 {
		fmt.Fprintf(&fm, "topics: [%s]\n", quoteList(topics))
	}
	if len(e.aliases) > 0 {
		fmt.Fprintf(&fm, "aliases: [%s]\n", quoteList(e.aliases))
		im.report.Aliases += len(e.aliases)
	}
	if draft {
		fm.WriteString("draft: true\n")
		im.report.Drafts++
	}
	fm.WriteString("---\n\n")

	// The body, its uploaded files gathered as it is converted.
	b := &bundle{w: w, names: map[string]string{}}
	text := shortcodes(it.Content, func(ids []int) []attachment { return w.gallery(it.ID, ids) }, &im.report)
	md, err := toMarkdown(w.conv, text, body{rw: b.rewrite, alt: func(src string) string { return im.alts[uploadsKey(src)] }}, &im.report)
	if err != nil {
		im.report.note(it.Line, file, "%v: left out", err)
		return nil
	}
	if len(md) > content.MaxFileSize-fm.Len() {
		im.report.note(it.Line, file, "%d MB of Markdown, more than a page may have: left out; split it by hand", len(md)>>20)
		return nil
	}
	if len(b.files) > 0 {
		if !e.index {
			file = path.Join("content", e.dir, e.slug, "index.md")
		}
		if err := b.copy(path.Dir(file)); err != nil {
			return err
		}
	}
	if err := w.write(file, fm.String()+md); err != nil {
		return err
	}
	if it.Type == "post" {
		im.report.Posts++
	} else {
		im.report.Pages++
	}
	im.report.Comments += it.Comments
	return nil
}

// write creates file in the site folder; it never replaces a file.
func (w *writer) write(file, text string) error {
	if err := w.im.opt.Site.MkdirAll(path.Dir(file), 0o755); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	f, err := w.im.opt.Site.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	_, err = io.WriteString(f, text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("import: writing %s: %w", file, err)
	}
	w.files++
	w.im.report.Files++
	return nil
}

// topics are the item's categories and tags, as lmcpress topics; each new
// one is added to the site's list.
func (w *writer) topics(it *Item, file string) []string {
	im := w.im
	var out, left []string
	seen := map[string]bool{}
	defer func() {
		if len(left) > 0 {
			im.report.note(it.Line, file, "%d topics left out (a page has at most 50): %s", len(left), strings.Join(left, ", "))
		}
	}()
	for _, t := range it.Terms {
		if t.Domain != "category" && t.Domain != "post_tag" {
			continue
		}
		name := plainText(t.Name)
		if r := []rune(name); len(r) > 100 {
			name = string(r[:100])
		}
		slug := content.Slugify(name)
		if slug == "" || strings.EqualFold(t.Nicename, "uncategorized") || seen[slug] {
			continue // WordPress's default category says nothing
		}
		if len(slug) > content.MaxAddressPart || len(out) == 50 {
			left = append(left, name)
			continue
		}
		seen[slug] = true
		out = append(out, name)
		if !im.topicSet[slug] {
			im.topicSet[slug] = true
			im.topics = append(im.topics, content.Term{Name: name, Description: w.termDescription(t)})
		}
	}
	return out
}

func (w *writer) termDescription(t Term) string {
	for _, d := range w.im.ch.Terms {
		if d.Domain == t.Domain && d.Nicename == t.Nicename {
			return plainText(d.Description)
		}
	}
	return ""
}

// gallery gives the images of a [gallery]: those its ids name, or else the
// files uploaded to the post.
func (w *writer) gallery(post int, ids []int) []attachment {
	if len(ids) == 0 {
		ids = w.im.byParent[post]
	}
	var out []attachment
	for _, id := range ids {
		if a, ok := w.im.atts[id]; ok && isImage(a.URL) {
			out = append(out, a)
		}
	}
	return out
}

var imageExt = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".avif": true, ".svg": true}

func isImage(u string) bool { return imageExt[strings.ToLower(path.Ext(strings.SplitN(u, "?", 2)[0]))] }

// finish writes site.yaml, with the topics the pages use, and the table of
// the old ?p=ID addresses.
func (w *writer) finish() error {
	im := w.im
	var b strings.Builder
	title := plainText(im.ch.Title)
	if title == "" {
		title = "Our LMC"
	}
	fmt.Fprintf(&b, "# Written by lmcpress import wordpress from the export of %s.\n", quote(im.base))
	fmt.Fprintf(&b, "title: %s\n", quote(title))
	if u, err := url.Parse(strings.TrimSpace(im.ch.Link)); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		fmt.Fprintf(&b, "baseURL: %s\n", quote(u.Scheme+"://"+u.Host+"/"))
	}
	if d := plainText(im.ch.Description); d != "" {
		fmt.Fprintf(&b, "description: %s\n", quote(d))
	}
	if len(im.topics) > 0 {
		b.WriteString("topics:\n")
		for _, t := range im.topics {
			fmt.Fprintf(&b, "  - {name: %s", quote(t.Name))
			if t.Description != "" {
				fmt.Fprintf(&b, ", description: %s", quote(t.Description))
			}
			b.WriteString("}\n")
		}
	}
	im.report.Topics = len(im.topics)
	if err := w.write("content/"+content.ConfigFile, b.String()); err != nil {
		return err
	}
	var r strings.Builder
	for _, e := range im.order {
		if e.slug == "" || e.leftOut != "" {
			continue
		}
		q := "p"
		if e.typ == "page" {
			q = "page_id"
		}
		fmt.Fprintf(&r, "/?%s=%d %s\n", q, e.id, e.url())
		im.report.QueryRedirects++
	}
	for _, u := range im.report.Unaliased {
		old, nu, _ := strings.Cut(u, " → ")
		fmt.Fprintf(&r, "%s %s\n", strings.ReplaceAll(old, " ", "%20"), nu)
	}
	if r.Len() == 0 {
		return nil
	}
	head := "# Old WordPress addresses and their new ones, one a line, for the web server's\n" +
		"# redirects: lmcpress cannot make a page for an address with ?, or for these paths.\n"
	return w.write(RedirectsFile, head+r.String())
}

// RedirectsFile is written beside content/: the old addresses that cannot
// be aliases (?p=123), for the web server to redirect.
const RedirectsFile = "wordpress-redirects.txt"

// wpDate reads WordPress's "2016-12-19 09:30:00" in loc; its empty dates
// are "0000-00-00 00:00:00".
func wpDate(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", strings.TrimSpace(s), loc)
	if err != nil || t.Year() < 1990 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}

// quote writes s as a YAML double-quoted string (Go's escapes are YAML's).
func quote(s string) string { return strconv.Quote(cleanText(s)) }

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = quote(s)
	}
	return strings.Join(q, ", ")
}

// bundle gathers the uploaded files one page links to, to be copied
// beside it: a page bundle, so that a draft's files stay unpublished with it.
type bundle struct {
	w     *writer
	names map[string]string // uploads-relative path → file name in the bundle
	files [][2]string       // the uploads-relative path found, and the name beside the page
	taken map[string]bool
}

var sizeSuffix = regexp.MustCompile(`-\d+x\d+(\.[A-Za-z0-9]+)$`)

// rewrite is the body's rewriter: unsafe links dropped, links to the old
// site's posts sent to their new addresses, uploads copied or kept.
func (b *bundle) rewrite(kind linkKind, raw string) string {
	im := b.w.im
	raw = strings.TrimSpace(raw)
	if !safeURL(raw) {
		if raw != "" {
			im.report.Unsafe++
		}
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	ours := u.Host == "" && strings.HasPrefix(u.Path, "/") || im.hosts[strings.ToLower(u.Host)]
	if rel := uploadsPath(u, im.hosts); rel != "" {
		return b.upload(rel, raw)
	}
	if !ours || u.Scheme == "mailto" || u.Scheme == "tel" {
		return raw
	}
	if e := im.linked(u); e != nil {
		if e.leftOut != "" {
			// To its new address, where nothing is: check then names
			// the link, for a person to decide on.
			im.report.LinksToLeftOut++
		}
		to := e.url()
		if u.Fragment != "" {
			to += "#" + u.Fragment
		}
		return to
	}
	if u.Host != "" {
		im.report.OldSiteLinks++
	}
	return raw
}

// upload copies (or, without --uploads, keeps) one uploaded file.
func (b *bundle) upload(rel, raw string) string {
	im := b.w.im
	if im.opt.Uploads == nil {
		im.report.UploadsKept++
		if strings.HasPrefix(raw, "/") && im.base != "" {
			return im.base + raw
		}
		return raw
	}
	if name, ok := b.names[rel]; ok {
		return name
	}
	found := rel
	if _, err := fs.Stat(im.opt.Uploads.FS(), rel); err != nil {
		// WordPress links the resized copy (photo-300x200.jpg); a copy
		// of uploads without them still has the original.
		found = sizeSuffix.ReplaceAllString(rel, "$1")
		if _, err := fs.Stat(im.opt.Uploads.FS(), found); err != nil || found == rel {
			im.report.missing(rel)
			return raw
		}
	}
	name := fileName(path.Base(found))
	if !publishable(name) {
		im.report.note(0, "", "uploads/%s: a file of a type a site does not publish: link kept to the old site", rel)
		return raw
	}
	if b.taken == nil {
		b.taken = map[string]bool{"index.md": true, "_index.md": true}
	}
	stem, ext := strings.TrimSuffix(name, path.Ext(name)), path.Ext(name)
	for n := 2; b.taken[strings.ToLower(name)]; n++ {
		name = stem + "-" + strconv.Itoa(n) + ext
	}
	b.taken[strings.ToLower(name)] = true
	b.names[rel] = name
	b.files = append(b.files, [2]string{found, name})
	return name
}

// publishable reports whether a build publishes a file of this name from
// content/ (content.PublishedTypes).
func publishable(name string) bool {
	ext := strings.TrimPrefix(path.Ext(name), ".")
	if ext == "" || content.Scratch(name) {
		return false
	}
	for _, t := range strings.Split(content.PublishedTypes(), ", ") {
		if t == ext {
			return true
		}
	}
	return false
}

// copy copies the gathered files into dir (content-relative to the site).
func (b *bundle) copy(dir string) error {
	im := b.w.im
	if err := im.opt.Site.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	for _, f := range b.files {
		if err := b.copyOne(f[0], path.Join(dir, f[1])); err != nil {
			return err
		}
		im.report.Copied++
	}
	return nil
}

func (b *bundle) copyOne(from, to string) error {
	im := b.w.im
	src, err := im.opt.Uploads.Open(from)
	if err != nil {
		return fmt.Errorf("import: uploads: %w", err)
	}
	defer src.Close()
	if st, err := src.Stat(); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("import: uploads/%s is not a file", from)
	}
	dst, err := im.opt.Site.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	_, err = io.Copy(dst, src)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("import: copying uploads/%s: %w", from, err)
	}
	im.report.Files++
	return nil
}

// uploadsPath is the path of an uploaded file inside wp-content/uploads
// (2016/12/letter.pdf), or "". WordPress.com serves uploads from
// SITE.files.wordpress.com/2016/12/letter.pdf.
func uploadsPath(u *url.URL, hosts map[string]bool) string {
	host := strings.ToLower(u.Host)
	p := u.Path
	var rel string
	switch {
	case strings.HasSuffix(host, ".files.wordpress.com"):
		rel = strings.TrimPrefix(p, "/")
	case u.Host != "" && !hosts[host] && !strings.HasSuffix(host, ".wp.com"):
		return ""
	default:
		_, after, ok := strings.Cut(p, "/wp-content/uploads/")
		if !ok {
			return ""
		}
		rel = after
	}
	rel = path.Clean("/" + rel)[1:]
	if rel == "" || rel == "." || strings.Contains(rel, "..") || path.Ext(rel) == "" {
		return ""
	}
	return rel
}

var fileUnsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileName is an uploaded file's name made safe for every file system and
// address: ASCII letters, digits, . _ and -, lower-case type.
func fileName(name string) string {
	ext := strings.ToLower(path.Ext(name))
	stem := strings.Trim(fileUnsafe.ReplaceAllString(strings.TrimSuffix(name, path.Ext(name)), "-"), "-.")
	if len(stem) > 80 {
		stem = stem[:80]
	}
	if stem == "" {
		stem = "file"
	}
	return stem + fileUnsafe.ReplaceAllString(ext, "")
}
