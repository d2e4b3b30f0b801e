package content

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Kind says what a file is for.
type Kind int

const (
	KindPage    Kind = iota // an item or a plain page
	KindSection             // a section's _index.md
	KindHome                // content/_index.md
)

// Page is one Markdown file, its front matter decoded and checked.
type Page struct {
	File     string // content-relative slash path, e.g. "news/flu.md"
	Kind     Kind
	Section  string // first folder, e.g. "news"; "" for plain pages and home
	Dir      string // address folder, every folder slugged: "guidance/rpkg" for guidance/rpkg/x.md and guidance/rpkg/_index.md
	Slug     string
	Bundle   bool // the page is a folder's index.md; files beside it ship with it
	BodyLine int  // file line on which Body starts
	Body     []byte

	Title       string
	Description string
	Summary     string // from front matter; the site derives one when empty
	Date        time.Time
	Lastmod     time.Time
	PublishDate time.Time
	ExpiryDate  time.Time
	ReviewDue   time.Time
	Draft       bool
	Topics      []string
	Areas       []string
	Aliases     []string
	Changes     []Change // newest first
	Attachments []Attachment
	Items       []string // newsletters: the pages the issue carries, e.g. "news/flu"
	Covering    []string // newsletters: what the issue covers, for its standfirst
	Place       string   // events, the older form of Event.Location
	End         time.Time
	Event       *Event // items in content/events/; nil for every other page
	// Headless is Hugo's headless: true or build: {render: never} (or
	// link): text for other pages, never published as a page of its own,
	// whatever the build's flags.
	Headless bool
	headless bool // the page's own say, before its section's cascade:
	// cascadeHeadless: a section's cascade: makes the pages below it headless.
	cascadeHeadless bool
	// TitleFrom says where Title came from when the front matter has
	// none, as Hugo and Jekyll allow: "heading" (the body's leading
	// `# Heading`, then taken out of Body) or "file name"; "" when the
	// front matter gives it. Summed up once a run (UnusedNotes).
	TitleFrom string
	// Authors are `author` or `authors` as Hugo and Jekyll themes write
	// them (a name, a list of names, or {name: ...}), for a site's own
	// templates to show; the default theme does not.
	Authors []string

	// Unused are the front-matter keys lmcpress has no use for (a Hugo
	// theme's `weight`), accepted unless site.yaml has strictFrontMatter,
	// and LeftOut the terms of tags and categories that site.yaml's
	// topics do not list: both are summed up once a run (UnusedNotes).
	Unused  []UnusedKey
	LeftOut []string

	// Lines of front-matter keys, so later stages can point at them, by
	// the key's name in Fields however the file spells it ("publishDate"
	// for `PublishDate:` or `pubdate:`; "topics" for `tags:`, "aliases"
	// for `url:` when the file has not the key itself).
	Lines map[string]int
	// Allow holds the front-matter lines that end in a `# lmcpress:allow
	// RULE ...` comment, each with the words after "lmcpress:allow": the
	// rules internal/check accepts a finding of on that key's line, as the
	// <!-- lmcpress:allow --> marker does in the text. nil when there is
	// none, as on almost every page.
	Allow map[int]string

	folderIndex bool // an index.md made its folder's section page; see sectionIndexes
}

// Change is one entry in a page's public change history ("See all updates").
type Change struct {
	Date time.Time
	Note string
}

// Attachment is a file shipped beside a page.
type Attachment struct {
	File  string // content-relative slash path
	Title string
	Size  int64
}

// DatedSections are the sections whose items need a date.
var DatedSections = []string{"news", "advice", "guidance", "newsletters", "events"}

// Fields are the front-matter keys a page may use. Hugo's names where Hugo has one.
var Fields = []string{"title", "date", "lastmod", "summary", "description", "topics", "areas",
	"draft", "publishDate", "expiryDate", "reviewDue", "changes", "aliases", "attachments",
	"slug", "items", "covering", "place", "end",
	"start", "allDay", "location", "audience", "booking", "capacity", "cancelled", "cancelledReason"}

// MaxFileSize bounds a Markdown file: beyond it the file is almost certainly
// not prose, and reading it would only slow every build.
// The longest page of a real LMC site is under 100 KB; 4 MB of Markdown
// still converts in well under a second.
const MaxFileSize = 4 << 20

// Standfirst is the line under a newsletter issue's title, on its web page
// and in the email: "Covering: GP contract, flu and premises" from its
// `covering:` list, or else its description as written, or "".
func (p *Page) Standfirst() string {
	switch n := len(p.Covering); n {
	case 0:
		return p.Description
	case 1:
		return "Covering: " + p.Covering[0]
	default:
		return "Covering: " + strings.Join(p.Covering[:n-1], ", ") + " and " + p.Covering[n-1]
	}
}

// URL is the page's site-relative address, always ending in "/".
func (p *Page) URL() string {
	switch p.Kind {
	case KindHome:
		return "/"
	case KindSection:
		return "/" + p.Dir + "/"
	}
	if p.Dir == "" {
		return "/" + p.Slug + "/"
	}
	return "/" + p.Dir + "/" + p.Slug + "/"
}

// Updated is the "Last updated" stamp: the newest of lastmod and the latest
// change, else the date. Never the file's modification or commit time: a
// repository move would re-date every page.
func (p *Page) Updated() time.Time {
	t := p.Date
	if p.Lastmod.After(t) {
		t = p.Lastmod
	}
	if len(p.Changes) > 0 && p.Changes[0].Date.After(t) {
		t = p.Changes[0].Date
	}
	return t
}

// Announced is when the page was last announced: when it was first
// announced, or the date of its latest change note. GOV.UK's rule: a major
// change (one with a note) puts the page back in feeds and at the top of
// lists; a bare edit does not.
func (p *Page) Announced() time.Time {
	first := p.FirstAnnounced()
	if len(p.Changes) > 0 && p.Changes[0].Date.After(first) {
		return p.Changes[0].Date
	}
	return first
}

// FirstAnnounced is when the page was first announced: its date; for an
// event, its publishDate if it has one, else its date (the day it was
// first published when `start` is given). Never when an event happens: a
// conference next March announced today is news today, and a feed entry
// dated next March is one readers sort to the top and validators reject.
func (p *Page) FirstAnnounced() time.Time {
	if p.Event != nil && !p.PublishDate.IsZero() {
		return p.PublishDate
	}
	return p.Date
}

// Visibility says which unpublished pages a build includes.
type Visibility struct {
	Drafts, Future, Expired bool
	Now                     time.Time
}

// Published reports whether the page is public under v.
func (p *Page) Published(v Visibility) bool {
	if p.Headless {
		return false
	}
	if p.Draft && !v.Drafts {
		return false
	}
	if !v.Future && (p.PublishDate.After(v.Now) || (p.Kind == KindPage && p.DateIsPublication() && p.Date.After(v.Now))) {
		return false
	}
	if !v.Expired && !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(v.Now) {
		return false
	}
	return true
}

// DateIsPublication reports whether `date` is when the page was first
// published, so that a later one holds it back: true but for an event in
// the older form, whose `date` is when it happens.
func (p *Page) DateIsPublication() bool {
	return p.Section != "events" || p.Lines["start"] > 0
}

// ReviewOverdue reports whether an advice or guidance note is past its review date.
func (p *Page) ReviewOverdue(now time.Time) bool {
	return !p.ReviewDue.IsZero() && p.ReviewDue.Before(now)
}

// Parse reads one Markdown file under the default settings (see
// ParseWith). name is its content-relative path. The returned errors
// each carry the file and line.
func Parse(name string, src []byte) (*Page, Errors) { return ParseWith(name, src, nil) }

// ParseWith reads one Markdown file under a site's settings: which keys'
// terms become topics (frontMatter: topics:), which topics site.yaml
// lists, and whether a key lmcpress does not use is an error
// (strictFrontMatter). A nil cfg is the defaults.
func ParseWith(name string, src []byte, cfg *Config) (*Page, Errors) {
	file := "content/" + name
	fail := func(line int, format string, args ...any) (*Page, Errors) {
		return nil, Errors{&Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return fail(0, "empty file: a page needs front matter with at least a title, e.g.\n---\ntitle: My page\ndate: 2024-01-31\n---")
	}
	if bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src) {
		return fail(0, "not a text file (binary data or an encoding other than UTF-8): save it as UTF-8 text, or give it another extension if it is an attachment")
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	p := &Page{File: name, Lines: map[string]int{}}
	at := classify(name)
	p.Kind, p.Section, p.Dir, p.Slug, p.Bundle = at.kind, at.section, at.dir, at.slug, at.bundle
	if at.empty != "" {
		return fail(0, "the folder name %q gives an empty address: rename it with letters or digits", at.empty)
	}

	fm, format, body, bodyLine := Split(src)
	// The opening delimiter is the first line that is not blank.
	open, first := firstLine(src)
	if format == "" {
		if first == "---" || first == "+++" {
			return fail(open, "front matter is not closed: end it with a line of %s after the last key, before the text of the page", first)
		}
		return fail(1, "no front matter: start the file with\n---\ntitle: ...\ndate: YYYY-MM-DD\n---")
	}
	p.Body, p.BodyLine = body, bodyLine
	if line, msg := checkBody(body, bodyLine); msg != "" {
		return nil, Errors{&Error{File: file, Line: line, Msg: msg, Rule: OverLimit}}
	}
	p.Allow = allowComments(fm, open+1)
	fields, err := parseFields(fm, format, open+1)
	if err != nil {
		le := err.(*lineError)
		return fail(le.line, "%s", le.msg)
	}
	var errs Errors
	d := &decoder{}
	r := newReading(cfg, format)
	seen := make(map[string]field, len(fields))
	for _, f := range fields {
		lk := strings.ToLower(f.key)
		if prev, dup := seen[lk]; dup {
			msg := fmt.Sprintf("%s: given twice; keep one", f.key)
			if prev.key != f.key {
				msg = fmt.Sprintf("%s: also given as %q on line %d, and keys are read whatever their case, as Hugo reads them: keep one", f.key, prev.key, prev.line)
			}
			d.errs = append(d.errs, &lineError{f.line, msg})
			continue
		}
		seen[lk] = f
		p.read(d, r, f, lk)
	}
	p.finish(d, r)
	if p.Lines["date"] == 0 && !at.date.IsZero() {
		p.Date = at.date // Jekyll's YYYY-MM-DD-slug.md: the name's date, unless front matter gives one
	}
	p.finishEvent(d)
	if p.Title == "" && len(d.errs) == 0 {
		if r.strict || !p.untitled() {
			errs = append(errs, &Error{File: file, Line: 1, Msg: "title: missing: every page needs `title:` in its front matter"})
		}
	}
	if p.Kind == KindPage && p.Date.IsZero() && contains(DatedSections, p.Section) {
		// Given but empty (`date:`) is as bad as missing; a date that did
		// not parse is already reported.
		line, what := p.Lines["date"], "missing"
		if line > 0 {
			what = "empty"
		}
		if line == 0 || !d.failedAt(line) {
			errs = append(errs, &Error{File: file, Line: max(line, 1), Msg: fmt.Sprintf("date: %s: items in %s/ need the date they were first published, e.g. `date: 2024-01-31`", what, p.Section)})
		}
	}
	if p.Slug == "" && p.Kind == KindPage && p.Lines["slug"] == 0 {
		errs = append(errs, &Error{File: file, Msg: "the file name gives an empty address: rename it with letters or digits, or set `slug:`"})
	}
	if p.Kind != KindPage {
		// A section's or the home page's text is published with its
		// listing whatever these say: a draft intro would go live.
		for _, key := range []string{"draft", "publishDate", "expiryDate"} {
			if line := p.Lines[key]; line > 0 {
				errs = append(errs, &Error{File: file, Line: line, Msg: key + ": has no effect here: a section's _index.md, like the home page's, is always published with its listing; remove it, and keep text that is not ready out of this file"})
			}
		}
	}
	for _, e := range d.errs {
		errs = append(errs, &Error{File: file, Line: e.line, Msg: e.msg})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// firstLine returns the 1-based number and trimmed text of src's first
// non-blank line, where Split looks for the opening delimiter.
func firstLine(src []byte) (int, string) {
	for n := 1; len(src) > 0; n++ {
		line, rest, _ := bytes.Cut(src, []byte("\n"))
		if t := bytes.TrimSpace(line); len(t) > 0 {
			return n, string(t)
		}
		src = rest
	}
	return 1, ""
}

// set decodes one field onto p; key is its name in Fields.
func (p *Page) set(d *decoder, f field, key string) {
	v := f.val
	switch key {
	case "title":
		p.Title = strings.TrimSpace(d.str(v, f.key))
		if p.Title == "" && len(d.errs) == 0 {
			d.fail(v, f.key, "empty: give the page a title")
		}
	case "date":
		p.Date = d.date(v, f.key)
	case "lastmod":
		p.Lastmod = d.date(v, f.key)
	case "publishDate":
		p.PublishDate = d.date(v, f.key)
	case "expiryDate":
		p.ExpiryDate = d.date(v, f.key)
	case "reviewDue":
		p.ReviewDue = d.date(v, f.key)
	case "end":
		p.End = d.date(v, f.key)
	case "summary":
		p.Summary = strings.TrimSpace(d.str(v, f.key))
	case "description":
		p.Description = strings.TrimSpace(d.str(v, f.key))
	case "place":
		p.Place = strings.TrimSpace(d.str(v, f.key))
	case "slug":
		s := d.str(v, f.key)
		if p.Slug = Slugify(s); p.Slug == "" {
			d.fail(v, f.key, "%q has no letters or digits", s)
		} else if msg := checkSlug(p.Slug); msg != "" {
			d.fail(v, f.key, "%s", msg)
		}
	case "draft":
		p.Draft = d.bool(v, f.key)
	case "topics":
		p.Topics = d.terms(v, f.key)
	case "areas":
		p.Areas = d.terms(v, f.key)
	case "aliases":
		as := d.strs(v, f.key)
		if len(as) > MaxAliases {
			d.fail(v, f.key, "%d aliases; a page may have at most %d: keep the addresses people still use", len(as), MaxAliases)
			return
		}
		for i, a := range as {
			if msg := CheckAlias(a); msg != "" {
				at := v // a list on lines of its own: the alias's line
				if v.Kind == yaml.SequenceNode && len(v.Content) == len(as) && v.Content[i].Line > 0 {
					at = v.Content[i]
				}
				d.fail(at, f.key, "%s", msg)
				continue
			}
			p.Aliases = append(p.Aliases, a)
		}
	case "items":
		p.Items = d.strs(v, f.key)
	case "covering":
		if p.Section != "newsletters" || p.Kind != KindPage {
			d.fail(v, f.key, "only a newsletter issue in content/newsletters/ has a standfirst: remove it, or use description for the page's meta description")
			return
		}
		for _, c := range d.strs(v, f.key) {
			if c = strings.TrimSpace(c); c != "" {
				p.Covering = append(p.Covering, c)
			}
		}
	case "start", "allDay", "location", "audience", "booking", "capacity", "cancelled", "cancelledReason":
		f.key = key
		p.setEvent(d, f)
	case "changes":
		p.Changes = d.changes(v)
	case "attachments":
		p.Attachments = d.attachments(v, p)
	}
}

// terms decodes a page's topics or areas, each of which is an address
// (/topics/SLUG/) and a feed: at most MaxTerms of them.
func (d *decoder) terms(n *yaml.Node, key string) []string {
	ts := d.strs(n, key)
	if len(ts) > MaxTerms {
		d.fail(n, key, "%d %s; a page may have at most %d: keep the few a reader would look under", len(ts), key, MaxTerms)
		return nil
	}
	for _, t := range ts {
		if msg := checkSlug(Slugify(t)); msg != "" {
			d.fail(n, key, "%q %s", t, msg)
			return nil
		}
	}
	return ts
}

func (d *decoder) changes(n *yaml.Node) []Change {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "changes", "want a list of {date, note}, e.g.\nchanges:\n  - date: 2024-04-18\n    note: Added the section on GDPR")
		return nil
	}
	var out []Change
	for _, item := range n.Content {
		var c Change
		d.object(item, "changes", []string{"date", "note"}, func(k string, v *yaml.Node) {
			if k == "date" {
				c.Date = d.date(v, "changes: date")
			} else {
				c.Note = strings.TrimSpace(d.str(v, "changes: note"))
			}
		})
		if item.Kind == yaml.MappingNode && (c.Date.IsZero() || c.Note == "") && len(d.errs) == 0 {
			d.fail(item, "changes", "each change needs a date and a note saying what changed")
		}
		out = append(out, c)
	}
	// Newest first, as readers see them; stable for equal dates.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Date.After(out[j-1].Date); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func (d *decoder) attachments(n *yaml.Node, p *Page) []Attachment {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, "attachments", "want a list, e.g. [model-letter.pdf] or [{file: model-letter.pdf, title: Model letter}]")
		return nil
	}
	dir := path.Dir(p.File)
	var out []Attachment
	for _, item := range n.Content {
		var a Attachment
		if item.Kind == yaml.ScalarNode {
			a.File = item.Value
		} else {
			d.object(item, "attachments", []string{"file", "title"}, func(k string, v *yaml.Node) {
				if k == "file" {
					a.File = d.str(v, "attachments: file")
				} else {
					a.Title = d.str(v, "attachments: title")
				}
			})
		}
		if a.File == "" {
			d.fail(item, "attachments", "each attachment needs a file name")
			continue
		}
		clean := path.Clean(path.Join(dir, a.File))
		if strings.HasPrefix(clean, "../") || clean == ".." || path.IsAbs(a.File) {
			d.fail(item, "attachments", "%q is outside content/: put the file beside the page", a.File)
			continue
		}
		a.File = clean
		if a.Title == "" {
			a.Title = strings.TrimSuffix(path.Base(a.File), path.Ext(a.File))
		}
		out = append(out, a)
	}
	return out
}
