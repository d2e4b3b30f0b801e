package importer

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Channel is what a WordPress export says about the site itself.
type Channel struct {
	Title       string
	Link        string // the site's address, e.g. https://lmc.example.org
	Description string
	BaseSiteURL string
	BaseBlogURL string
	Terms       []Term // the categories and tags the export defines, with descriptions
}

// Term is a category or tag, on an item (Domain "category" or "post_tag")
// or defined by the channel.
type Term struct {
	Domain      string // category, post_tag, nav_menu, post_format, ...
	Nicename    string // its slug in WordPress
	Name        string
	Description string
}

// Item is one <item> of an export: a post, page, attachment, menu entry or
// any other post type, as WordPress wrote it (text, not yet checked).
type Item struct {
	Line          int // line of the <item> in the export, for reports
	Title         string
	Link          string
	GUID          string
	Content       string // content:encoded, HTML without the paragraphs of blank lines
	Excerpt       string // excerpt:encoded
	ID            int
	Date          string // wp:post_date, the site's local time
	DateGMT       string // wp:post_date_gmt; 0000-00-00 00:00:00 for drafts
	ModifiedGMT   string // wp:post_modified_gmt
	Name          string // wp:post_name, the slug, percent-encoded past ASCII
	Status        string // publish, draft, pending, private, future, trash, inherit, auto-draft
	Type          string // post, page, attachment, revision, nav_menu_item, ...
	Parent        int
	Password      string
	AttachmentURL string
	Alt           string // an attachment's alternative text (_wp_attachment_image_alt)
	Terms         []Term
	Comments      int
}

// MaxField bounds one field of an item (a body, most likely). WordPress
// keeps a post in a MySQL LONGTEXT, but no post of a real site comes near
// this; beyond it the export is damaged or hostile, and holding it would
// only exhaust memory.
const MaxField = 16 << 20

// Read streams an export: meta is called once with the channel's own
// fields, when the first item starts (or at the end, for an export without
// items); each is called for every item in turn, holding one item's text at
// a time. An error from each stops the read and is returned as it is. A
// malformed export is an error naming its line.
func Read(r io.Reader, meta func(*Channel) error, each func(*Item) error) error {
	d := xml.NewDecoder(&dropControls{r: r})
	d.CharsetReader = charsetReader
	var ch Channel
	metaDone := false
	sendMeta := func() error {
		if metaDone {
			return nil
		}
		metaDone = true
		return meta(&ch)
	}
	var path []string // local names of the open elements
	sawRSS := false
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return syntaxError(d, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(path) == 0 {
				if name != "rss" {
					return fmt.Errorf("line %d: this is not a WordPress export: it starts with <%s>, not <rss> (in WordPress: Tools > Export > All content)", line, name)
				}
				sawRSS = true
			}
			if len(path) == 2 && path[1] == "channel" {
				switch {
				case name == "item":
					if err := sendMeta(); err != nil {
						return err
					}
					it, err := readItem(d, line)
					if err != nil {
						return err
					}
					if err := each(it); err != nil {
						return err
					}
					continue
				case isWP(t.Name) && (name == "category" || name == "tag" || name == "term"):
					term, err := readTerm(d, name)
					if err != nil {
						return err
					}
					ch.Terms = append(ch.Terms, term)
					continue
				case t.Name.Space == "" && (name == "title" || name == "link" || name == "description"),
					isWP(t.Name) && (name == "base_site_url" || name == "base_blog_url"):
					s, err := text(d, name)
					if err != nil {
						return err
					}
					switch name {
					case "title":
						ch.Title = s
					case "link":
						ch.Link = s
					case "description":
						ch.Description = s
					case "base_site_url":
						ch.BaseSiteURL = s
					case "base_blog_url":
						ch.BaseBlogURL = s
					}
					continue
				}
				if err := skip(d); err != nil {
					return err
				}
				continue
			}
			path = append(path, name)
		case xml.EndElement:
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		}
	}
	if !sawRSS {
		return errors.New("this is not a WordPress export: it holds no <rss> element (in WordPress: Tools > Export > All content)")
	}
	return sendMeta()
}

// isWP reports whether an element is in WordPress's export namespace, in any
// of its versions (http://wordpress.org/export/1.0/ to .../1.2/, or https).
func isWP(n xml.Name) bool {
	return strings.Contains(n.Space, "wordpress.org/export/") && !strings.Contains(n.Space, "excerpt")
}

func readItem(d *xml.Decoder, line int) (*Item, error) {
	it := &Item{Line: line}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, syntaxError(d, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return it, nil
		case xml.StartElement:
			name, space := t.Name.Local, t.Name.Space
			if name == "category" && space == "" {
				term := Term{Nicename: attr(t, "nicename"), Domain: attr(t, "domain")}
				if term.Name, err = text(d, name); err != nil {
					return nil, err
				}
				it.Terms = append(it.Terms, term)
				continue
			}
			if isWP(t.Name) && name == "comment" {
				it.Comments++
				if err := skip(d); err != nil {
					return nil, err
				}
				continue
			}
			if isWP(t.Name) && name == "postmeta" {
				key, val, err := readMeta(d)
				if err != nil {
					return nil, err
				}
				if key == "_wp_attachment_image_alt" {
					it.Alt = val
				}
				continue
			}
			var dst *string
			var num *int
			switch {
			case space == "" && name == "title":
				dst = &it.Title
			case space == "" && name == "link":
				dst = &it.Link
			case space == "" && name == "guid":
				dst = &it.GUID
			case name == "encoded" && strings.Contains(space, "excerpt"):
				dst = &it.Excerpt
			case name == "encoded":
				dst = &it.Content
			case isWP(t.Name):
				switch name {
				case "post_id":
					num = &it.ID
				case "post_date":
					dst = &it.Date
				case "post_date_gmt":
					dst = &it.DateGMT
				case "post_modified_gmt":
					dst = &it.ModifiedGMT
				case "post_name":
					dst = &it.Name
				case "status":
					dst = &it.Status
				case "post_type":
					dst = &it.Type
				case "post_parent":
					num = &it.Parent
				case "post_password":
					dst = &it.Password
				case "attachment_url":
					dst = &it.AttachmentURL
				}
			}
			if dst == nil && num == nil {
				if err := skip(d); err != nil {
					return nil, err
				}
				continue
			}
			s, err := text(d, name)
			if err != nil {
				return nil, err
			}
			if dst != nil {
				*dst = s
			} else {
				*num, _ = strconv.Atoi(strings.TrimSpace(s)) // a bad number is 0: no parent, no id
			}
		}
	}
}

// readMeta reads one <wp:postmeta>: its key and value.
func readMeta(d *xml.Decoder) (key, val string, err error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return "", "", syntaxError(d, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return key, val, nil
		case xml.StartElement:
			s, err := text(d, t.Name.Local)
			if err != nil {
				return "", "", err
			}
			switch t.Name.Local {
			case "meta_key":
				key = s
			case "meta_value":
				val = s
			}
		}
	}
}

func readTerm(d *xml.Decoder, kind string) (Term, error) {
	term := Term{Domain: "category"}
	if kind == "tag" {
		term.Domain = "post_tag"
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return term, syntaxError(d, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return term, nil
		case xml.StartElement:
			s, err := text(d, t.Name.Local)
			if err != nil {
				return term, err
			}
			switch t.Name.Local {
			case "category_nicename", "tag_slug", "term_slug":
				term.Nicename = s
			case "cat_name", "tag_name", "term_name":
				term.Name = s
			case "category_description", "tag_description", "term_description":
				term.Description = s
			case "term_taxonomy":
				term.Domain = s
			}
		}
	}
}

// text reads the character data of the element just opened, to its end,
// skipping any elements inside it; at most MaxField bytes.
func text(d *xml.Decoder, name string) (string, error) {
	var b strings.Builder
	depth := 0
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err != nil {
			return "", syntaxError(d, err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if depth == 0 {
				if b.Len()+len(t) > MaxField {
					return "", fmt.Errorf("line %d: <%s> is longer than %d MB: the export is damaged, or this is not one", line, name, MaxField>>20)
				}
				b.Write(t)
			}
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		}
	}
}

// skip passes over the element just opened. Unlike xml.Decoder.Skip it
// does not return an io.EOF for a truncated file as if all were well.
func skip(d *xml.Decoder) error {
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return syntaxError(d, err)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func syntaxError(d *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("line %d: the export is not well-formed XML: %s (a cut-short download, or a file edited by hand: export it again)", se.Line, se.Msg)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		line, _ := d.InputPos()
		return fmt.Errorf("line %d: the export ends in the middle of an element (a cut-short download: export it again)", line)
	}
	return err
}

// dropControls takes out the control characters XML does not allow (all
// below space but tab, newline and carriage return), which WordPress
// exports as they were pasted: one in one post must not stop the import.
// A byte below 0x20 is never part of a longer UTF-8 character.
type dropControls struct{ r io.Reader }

func (c *dropControls) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		out := p[:0]
		for _, b := range p[:n] {
			if b >= 0x20 || b == '\t' || b == '\n' || b == '\r' {
				out = append(out, b)
			}
		}
		if len(out) > 0 || err != nil || n == 0 {
			return len(out), err
		}
	}
}

// charsetReader accepts the encodings an old WordPress may declare for
// text that is in fact UTF-8 or Latin-1.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		return &latin1{r: in}, nil
	}
	return nil, fmt.Errorf("the export is in the %q encoding, which lmcpress does not read: export it again from a WordPress set to UTF-8 (Settings > Reading)", label)
}

// latin1 turns ISO-8859-1 bytes into UTF-8 (Windows-1252's extra
// punctuation in 0x80-0x9F is taken as Latin-1's control characters, which
// the writing stage drops).
type latin1 struct {
	r   io.Reader
	buf []byte
	out []byte
}

func (l *latin1) Read(p []byte) (int, error) {
	for len(l.out) == 0 {
		if cap(l.buf) == 0 {
			l.buf = make([]byte, 4096)
		}
		n, err := l.r.Read(l.buf[:cap(l.buf)])
		for _, c := range l.buf[:n] {
			if c < 0x80 {
				l.out = append(l.out, c)
			} else {
				l.out = append(l.out, 0xC0|c>>6, 0x80|c&0x3F)
			}
		}
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, l.out)
	l.out = l.out[n:]
	return n, nil
}
