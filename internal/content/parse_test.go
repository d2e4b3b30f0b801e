package content

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestParseErrors covers what LMC staff get wrong, and checks that every
// error names the file, the line and what to do.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		file string // content-relative; "news/x.md" when empty
		src  string
		line int      // line of the first error
		want []string // substrings of the first error's text
		all  int      // number of errors, when more than one is expected
	}{
		// Front matter syntax.
		{name: "yaml unclosed quote", src: "---\ntitle: \"Flu clinics\ndate: 2024-01-02\n---\nBody\n",
			line: 2, want: []string{"not valid YAML", "not closed"}},
		{name: "yaml unclosed quote later", src: "---\ndate: 2024-01-02\ntitle: 'Flu clinics\nsummary: x\n---\n",
			line: 3, want: []string{"not valid YAML"}},
		{name: "yaml bad indentation", src: "---\ntitle: Flu\n  date: 2024-01-02\n---\n",
			line: 3, want: []string{"not valid YAML", "check indentation"}},
		{name: "yaml list item outdented", src: "---\ntitle: x\ndate: 2024-01-02\ntopics:\n  - GDPR\n - CQC\n---\n",
			line: 6, want: []string{"not valid YAML"}},
		{name: "yaml stray list at top level", src: "---\ntitle: x\n- a\n---\n",
			line: 3, want: []string{"not valid YAML"}},
		{name: "yaml unclosed list", src: "---\ntitle: x\ntopics: [GDPR, CQC\nsummary: y\n---\n",
			line: 3, want: []string{"not valid YAML", "not closed"}},
		{name: "yaml unquoted colon", src: "---\ntitle: x\ndate: 2024-01-02\nsummary: Note: read this\n---\n",
			line: 4, want: []string{"quote values containing a colon"}},
		{name: "yaml tab indentation", src: "---\ntitle: x\n\tdate: 2024-01-02\n---\n",
			line: 3, want: []string{"tab"}},
		{name: "yaml reserved character on first line", src: "---\ntitle: @LMC\n---\n",
			line: 2, want: []string{"not valid YAML"}},
		{name: "yaml unknown anchor", src: "---\ntitle: x\ndate: 2024-01-02\nsummary: *a\n---\n",
			line: 4, want: []string{"not valid YAML", "anchor"}},
		{name: "yaml not a mapping", src: "---\n- title\n- date\n---\n",
			line: 2, want: []string{"`key: value` lines"}},
		{name: "yaml after blank lines", src: "\n\n---\ntitle: x\ndate: 2024-01-02\ntittle: y\n---\n",
			line: 6, want: []string{`unknown key "tittle"`}},
		{name: "crlf line numbers", src: "---\r\ntitle: x\r\ndate: 2024-01-02\r\ntittle: y\r\n---\r\nBody\r\n",
			line: 4, want: []string{`unknown key "tittle"`}},
		{name: "toml unquoted string", src: "+++\ntitle = Flu clinics\n+++\n",
			line: 2, want: []string{"not valid TOML", `title = "..."`}},
		{name: "toml bad date", src: "+++\ntitle = \"x\"\ndate = 2024-13-01\n+++\n",
			line: 3, want: []string{"not valid TOML", "write dates as 2024-01-31"}},
		{name: "toml slashed date", src: "+++\ntitle = \"x\"\ndate = 19/12/2016\n+++\n",
			line: 3, want: []string{"not valid TOML"}},
		{name: "toml unclosed string", src: "+++\ntitle = \"Flu\ndate = 2024-01-02\n+++\n",
			line: 2, want: []string{"not valid TOML"}},
		{name: "toml key twice", src: "+++\ntitle = \"x\"\ndate = 2024-01-02\ntitle = \"y\"\n+++\n",
			line: 4, want: []string{"not valid TOML", "already been defined"}},

		// Dates.
		{name: "date day first", src: "---\ntitle: x\ndate: 19/12/2016\n---\n",
			line: 3, want: []string{`date: cannot parse "19/12/2016"`, "YYYY-MM-DD"}},
		{name: "date month 13", src: "---\ntitle: x\ndate: 2024-13-01\n---\n",
			line: 3, want: []string{"month out of range", "YYYY-MM-DD"}},
		{name: "date 30 February", src: "---\ntitle: x\ndate: 2024-02-30\n---\n",
			line: 3, want: []string{"day out of range"}},
		{name: "date in words", src: "---\ntitle: x\ndate: yesterday\n---\n",
			line: 3, want: []string{`cannot parse "yesterday"`}},
		{name: "lastmod bad", src: "---\ntitle: x\ndate: 2024-01-02\nlastmod: 2024-1-5\n---\n",
			line: 4, want: []string{"lastmod: cannot parse"}},
		{name: "date as list", src: "---\ntitle: x\ndate: [2024-01-02]\n---\n",
			line: 3, want: []string{"date: want text, got a list"}},
		{name: "toml date in words", src: "+++\ntitle = \"x\"\ndate = \"yesterday\"\n+++\n",
			line: 3, want: []string{`date: cannot parse "yesterday"`}},
		{name: "date missing in news", src: "---\ntitle: Flu clinics\n---\nBody\n",
			line: 1, want: []string{"date: missing", "news/"}},
		{name: "date missing in advice bundle", file: "advice/x/index.md", src: "---\ntitle: Flu clinics\n---\nBody\n",
			line: 1, want: []string{"date: missing", "advice/"}},
		{name: "date empty in news", src: "---\ntitle: Flu clinics\ndate: \"\"\n---\n",
			line: 3, want: []string{"date: empty: items in news/ need the date"}},
		{name: "date null in news", src: "---\ntitle: Flu clinics\ndate:\n---\n",
			line: 3, want: []string{"date: empty"}, all: 1},
		{name: "date bad reported once", src: "---\ntitle: Flu clinics\ndate: 2024-13-01\n---\n",
			line: 3, want: []string{"month out of range"}, all: 1},

		// Title.
		{name: "title missing on the home page", file: "_index.md", src: "---\ndescription: x\n---\n",
			line: 1, want: []string{"title: missing"}},
		{name: "title empty", src: "---\ntitle: \"\"\ndate: 2024-01-02\n---\n",
			line: 2, want: []string{"title: empty"}},
		{name: "title blank", src: "---\ntitle:\ndate: 2024-01-02\n---\n",
			line: 2, want: []string{"title: empty"}},
		{name: "title spaces", src: "---\ntitle: \"   \"\ndate: 2024-01-02\n---\n",
			line: 2, want: []string{"title: empty"}},
		{name: "title a list", src: "---\ntitle: [a, b]\ndate: 2024-01-02\n---\n",
			line: 2, want: []string{"title: want text, got a list"}},

		// Unknown keys, with a suggestion.
		{name: "tittle", src: "---\ntittle: Flu\ndate: 2024-01-02\n---\n",
			line: 2, want: []string{`unknown key "tittle": did you mean "title"?`}},
		{name: "Title and title", src: "---\nTitle: x\ndate: 2024-01-02\ntitle: y\n---\n",
			line: 4, want: []string{`title: also given as "Title" on line 2`, "whatever their case"}},
		{name: "toml unknown key", src: "+++\ntitle = \"x\"\ndate = 2024-01-02\ntopcis = [\"GDPR\"]\n+++\n",
			line: 4, want: []string{`unknown key "topcis": did you mean "topics"?`}},
		{name: "changes item unknown key", src: "---\ntitle: x\ndate: 2024-01-02\nchanges:\n  - date: 2024-02-01\n    note: a\n  - date: 2024-03-01\n    notes: b\n---\n",
			line: 8, want: []string{`changes: unknown key "notes": did you mean "note"?`}},
		{name: "changes not a list", src: "---\ntitle: x\ndate: 2024-01-02\nchanges: updated\n---\n",
			line: 4, want: []string{"changes: want a list of {date, note}"}},
		{name: "changes item without note", src: "---\ntitle: x\ndate: 2024-01-02\nchanges:\n  - date: 2024-02-01\n---\n",
			line: 5, want: []string{"changes: each change needs a date and a note"}},
		{name: "changes bad date", src: "---\ntitle: x\ndate: 2024-01-02\nchanges:\n  - date: 01/02/2024\n    note: a\n---\n",
			line: 5, want: []string{`changes: date: cannot parse "01/02/2024"`}},
		{name: "attachments item unknown key", src: "---\ntitle: x\ndate: 2024-01-02\nattachments:\n  - file: letter.pdf\n    titel: Model letter\n---\n",
			line: 6, want: []string{`attachments: unknown key "titel": did you mean "title"?`}},
		{name: "attachments outside content", src: "---\ntitle: x\ndate: 2024-01-02\nattachments: [../../secret.pdf]\n---\n",
			line: 4, want: []string{"outside content/"}},
		{name: "attachments without file", src: "---\ntitle: x\ndate: 2024-01-02\nattachments:\n  - title: Model letter\n---\n",
			line: 5, want: []string{"attachments: each attachment needs a file name"}},
		{name: "alias not rooted", src: "---\ntitle: x\ndate: 2024-01-02\naliases: [old-page.html]\n---\n",
			line: 4, want: []string{"aliases:", "from the site root"}},
		{name: "slug without letters", src: "---\ntitle: x\ndate: 2024-01-02\nslug: \"!!!\"\n---\n",
			line: 4, want: []string{"slug:", "no letters or digits"}, all: 1},
		{name: "topics a map", src: "---\ntitle: x\ndate: 2024-01-02\ntopics: {a: b}\n---\n",
			line: 4, want: []string{"topics: want a list"}},

		// Other values.
		{name: "draft maybe", src: "---\ntitle: x\ndate: 2024-01-02\ndraft: maybe\n---\n",
			line: 4, want: []string{`draft: want true or false, got "maybe"`}},
		{name: "duplicate key", src: "---\ntitle: x\ndate: 2024-01-02\ntitle: y\n---\n",
			line: 4, want: []string{"title: given twice; keep one"}},

		// Whole-file problems.
		{name: "empty file", src: "", want: []string{"empty file", "title: My page"}},
		{name: "whitespace only", src: " \n\t\r\n  \n", want: []string{"empty file"}},
		{name: "binary", src: "---\ntitle: x\n---\n\x00\x01\x02PNG", want: []string{"not a text file"}},
		{name: "png named md", src: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", want: []string{"not a text file"}},
		{name: "invalid utf-8", src: "---\ntitle: Caf\xe9\ndate: 2024-01-02\n---\n", want: []string{"not a text file", "UTF-8"}},
		{name: "no front matter", src: "# Flu clinics\n\nBook now.\n", line: 1, want: []string{"no front matter", "---\ntitle: ..."}},
		{name: "front matter not closed", src: "---\ntitle: x\ndate: 2024-01-02\n\nBody text.\n", line: 1,
			want: []string{"front matter is not closed", "line of ---"}},
		{name: "toml front matter not closed", src: "+++\ntitle = \"x\"\n", line: 1,
			want: []string{"front matter is not closed", "line of +++"}},
		{name: "front matter not closed after blank line", src: "\n---\ntitle: x\n", line: 2,
			want: []string{"front matter is not closed"}},
		{name: "file name without letters", file: "news/---.md", src: "---\ntitle: x\ndate: 2024-01-02\n---\n",
			want: []string{"empty address"}},

		// Several problems in one file are reported together.
		{name: "several", src: "---\ntittle: x\ndate: 2024-13-01\ndraft: maybe\n---\n",
			line: 2, want: []string{`unknown key "tittle"`}, all: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "news/x.md"
			}
			p, errs := Parse(file, []byte(tt.src))
			if p != nil || len(errs) == 0 {
				t.Fatalf("Parse = %+v, %v; want an error", p, errs)
			}
			if tt.all > 0 && len(errs) != tt.all {
				t.Errorf("got %d errors, want %d:\n%v", len(errs), tt.all, errs)
			}
			errs = errs.Sorted()
			var e *Error
			if !errors.As(errs[0], &e) {
				t.Fatalf("error %T is not a *content.Error", errs[0])
			}
			if e.File != "content/"+file {
				t.Errorf("File = %q, want %q", e.File, "content/"+file)
			}
			if e.Line != tt.line {
				t.Errorf("Line = %d, want %d (%v)", e.Line, tt.line, e)
			}
			for _, w := range tt.want {
				if !strings.Contains(e.Error(), w) {
					t.Errorf("error %q does not contain %q", e.Error(), w)
				}
			}
			for _, err := range errs {
				if !strings.HasPrefix(err.Error(), "content/"+file) {
					t.Errorf("error %q does not start with the file name", err)
				}
			}
		})
	}
}

// TestParseErrorText pins the exact wording of a few errors: it is what LMC
// staff read.
func TestParseErrorText(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"---\ntittle: Flu\ndate: 2024-01-02\n---\n",
			`content/news/x.md:2: unknown key "tittle": did you mean "title"?`},
		{"---\ntitle: x\ndate: 2024-13-01\n---\n",
			`content/news/x.md:3: date: cannot parse "2024-13-01": month out of range; write dates as YYYY-MM-DD, e.g. 2024-01-31`},
		{"---\ntitle: x\ndate: 19/12/2016\n---\n",
			`content/news/x.md:3: date: cannot parse "19/12/2016" as a date; write dates as YYYY-MM-DD (e.g. 2024-01-31) or YYYY-MM-DDTHH:MM:SSZ`},
		{"---\ntitle: x\ndate: 2024-01-02\ndraft: maybe\n---\n",
			`content/news/x.md:4: draft: want true or false, got "maybe"`},
		{"---\ndate: 2024-01-02\nTitle: \"\"\n---\n",
			"content/news/x.md:3: Title: empty: give the page a title"},
		{"---\ntitle: Flu\n---\n",
			"content/news/x.md:1: date: missing: items in news/ need the date they were first published, e.g. `date: 2024-01-31`"},
		{"---\ntitle: x\ndate: 2024-01-02\ntitle: y\n---\n",
			"content/news/x.md:4: title: given twice; keep one"},
		{"---\ntitle: x\ndate: 2024-01-02\nchanges:\n  - date: 2024-03-01\n    notes: b\n---\n",
			`content/news/x.md:6: changes: unknown key "notes": did you mean "note"?`},
		{"---\ntitle: x\n",
			"content/news/x.md:1: front matter is not closed: end it with a line of --- after the last key, before the text of the page"},
		{"",
			"content/news/x.md: empty file: a page needs front matter with at least a title, e.g.\n---\ntitle: My page\ndate: 2024-01-31\n---"},
		{"\x00\x00",
			"content/news/x.md: not a text file (binary data or an encoding other than UTF-8): save it as UTF-8 text, or give it another extension if it is an attachment"},
	}
	for _, tt := range tests {
		_, errs := Parse("news/x.md", []byte(tt.src))
		if got := errs.Err(); got == nil || got.Error() != tt.want {
			t.Errorf("Parse(%q):\n got %v\nwant %s", tt.src, got, tt.want)
		}
	}
}

func mustParse(t *testing.T, name, src string) *Page {
	t.Helper()
	p, errs := Parse(name, []byte(src))
	if len(errs) > 0 {
		t.Fatalf("Parse(%q): %v", name, errs)
	}
	if p == nil {
		t.Fatalf("Parse(%q) = nil page and no errors", name)
	}
	return p
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, London) }

func TestParseFull(t *testing.T) {
	src := `---
title: "Subject access requests: a guide"
date: 2018-04-18
lastmod: 2019-01-10
summary: "  What to do when a patient asks for their record.  "
description: For practice managers
topics: [GDPR, IT and Data]
areas: Northfield
draft: false
publishDate: 2018-04-18 09:00
expiryDate: 2030-01-01
reviewDue: 2025-04-18
aliases:
  - /old/sars.html
attachments:
  - model-letter.pdf
  - {file: forms/request.docx, title: Request form}
changes:
  - date: 2018-06-01
    note: Added the GDPR fee rules
  - date: 2020-03-01
    note: New template letter
---
Body line one.
`
	p := mustParse(t, "advice/subject-access-requests/index.md", src)
	want := &Page{
		File:        "advice/subject-access-requests/index.md",
		Kind:        KindPage,
		Section:     "advice",
		Dir:         "advice",
		Slug:        "subject-access-requests",
		Bundle:      true,
		BodyLine:    24,
		Body:        []byte("Body line one.\n"),
		Title:       "Subject access requests: a guide",
		Description: "For practice managers",
		Summary:     "What to do when a patient asks for their record.",
		Date:        day(2018, 4, 18),
		Lastmod:     day(2019, 1, 10),
		PublishDate: time.Date(2018, 4, 18, 9, 0, 0, 0, London),
		ExpiryDate:  day(2030, 1, 1),
		ReviewDue:   day(2025, 4, 18),
		Topics:      []string{"GDPR", "IT and Data"},
		Areas:       []string{"Northfield"},
		Aliases:     []string{"/old/sars.html"},
		Changes: []Change{
			{Date: day(2020, 3, 1), Note: "New template letter"},
			{Date: day(2018, 6, 1), Note: "Added the GDPR fee rules"},
		},
		Attachments: []Attachment{
			{File: "advice/subject-access-requests/model-letter.pdf", Title: "model-letter"},
			{File: "advice/subject-access-requests/forms/request.docx", Title: "Request form"},
		},
		Lines: map[string]int{"title": 2, "date": 3, "lastmod": 4, "summary": 5, "description": 6,
			"topics": 7, "areas": 8, "draft": 9, "publishDate": 10, "expiryDate": 11, "reviewDue": 12,
			"aliases": 13, "attachments": 15, "changes": 18},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("Parse:\n got %+v\nwant %+v", p, want)
	}
	if p.URL() != "/advice/subject-access-requests/" {
		t.Errorf("URL = %q", p.URL())
	}
}

// utc makes a page's times comparable with reflect.DeepEqual whatever zone
// value they were parsed with.
func utc(p *Page) *Page {
	q := *p
	for _, t := range []*time.Time{&q.Date, &q.Lastmod, &q.PublishDate, &q.ExpiryDate, &q.ReviewDue, &q.End} {
		*t = t.UTC()
	}
	q.Changes = append([]Change(nil), p.Changes...)
	for i := range q.Changes {
		q.Changes[i].Date = q.Changes[i].Date.UTC()
	}
	return &q
}

func TestYAMLAndTOMLGiveTheSamePage(t *testing.T) {
	yamlSrc := `---
title: "Flu clinics: 2024"
date: 2024-09-01
lastmod: 2024-09-03T10:00:00+01:00
topics: [Workforce, Contracts]
areas: [Northfield]
draft: true
slug: flu-2024
summary: Book your clinics.
aliases: [/news/flu.html]
place: Town Hall
end: 2024-09-01T17:30:00Z
changes:
  - date: 2024-09-02
    note: Added times
  - date: 2024-09-05 12:00
    note: Added venue
attachments:
  - file: poster.pdf
    title: Poster
---
The body.
`
	tomlSrc := `+++
title = "Flu clinics: 2024"
date = 2024-09-01
lastmod = 2024-09-03T10:00:00+01:00
topics = ["Workforce", "Contracts"]
areas = ["Northfield"]
draft = true
slug = "flu-2024"
summary = "Book your clinics."
aliases = ["/news/flu.html"]
place = "Town Hall"
end = 2024-09-01T17:30:00Z
[[changes]]
date = 2024-09-02
note = "Added times"
[[changes]]
date = "2024-09-05 12:00"
note = "Added venue"
[[attachments]]
file = "poster.pdf"
title = "Poster"
+++
The body.
`
	y := mustParse(t, "news/flu clinics.md", yamlSrc)
	tm := mustParse(t, "news/flu clinics.md", tomlSrc)
	// Lines differ where the syntaxes take different numbers of lines.
	if tm.Lines["changes"] != 13 || tm.Lines["attachments"] != 19 || tm.Lines["end"] != 12 || tm.BodyLine != 23 {
		t.Errorf("TOML lines = %v, body line %d", tm.Lines, tm.BodyLine)
	}
	if y.Lines["changes"] != 13 || y.Lines["attachments"] != 18 || y.BodyLine != 22 {
		t.Errorf("YAML lines = %v, body line %d", y.Lines, y.BodyLine)
	}
	tm.Lines, tm.BodyLine = y.Lines, y.BodyLine
	if !reflect.DeepEqual(utc(y), utc(tm)) {
		t.Errorf("YAML and TOML differ:\nyaml %+v\ntoml %+v", y, tm)
	}
	if y.Slug != "flu-2024" || y.URL() != "/news/flu-2024/" {
		t.Errorf("slug = %q, URL = %q; want flu-2024 from front matter", y.Slug, y.URL())
	}
	if len(tm.Changes) != 2 || !tm.Changes[0].Date.Equal(time.Date(2024, 9, 5, 11, 0, 0, 0, time.UTC)) {
		t.Errorf("TOML changes = %+v, want two, newest first", tm.Changes)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time // in UTC
	}{
		{"2024-01-31", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)},  // GMT in winter
		{"2018-04-18", time.Date(2018, 4, 17, 23, 0, 0, 0, time.UTC)}, // midnight BST
		{"2018-04-18 09:00", time.Date(2018, 4, 18, 8, 0, 0, 0, time.UTC)},
		{"2018-04-18T09:00", time.Date(2018, 4, 18, 8, 0, 0, 0, time.UTC)},
		{"2018-04-18T09:00:00", time.Date(2018, 4, 18, 8, 0, 0, 0, time.UTC)},
		{"2018-04-18 09:00:00", time.Date(2018, 4, 18, 8, 0, 0, 0, time.UTC)},
		{"2018-12-18 09:00", time.Date(2018, 12, 18, 9, 0, 0, 0, time.UTC)},
		{"2018-04-18T09:00:00Z", time.Date(2018, 4, 18, 9, 0, 0, 0, time.UTC)},
		{"2018-04-18T09:00:00+02:00", time.Date(2018, 4, 18, 7, 0, 0, 0, time.UTC)},
		{"2018-04-18T09:00:00.5Z", time.Date(2018, 4, 18, 9, 0, 0, 5e8, time.UTC)},
		{"2018-04-18T09:00:00+0100", time.Date(2018, 4, 18, 8, 0, 0, 0, time.UTC)},
		{"2018-04-18 09:00:00 +0000", time.Date(2018, 4, 18, 9, 0, 0, 0, time.UTC)},
		{"2018-04-18 09:00:00 +0000 UTC", time.Date(2018, 4, 18, 9, 0, 0, 0, time.UTC)},
		{"  2024-01-31  ", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)},
		// Jekyll sites' offsets in hours, as Ruby reads them.
		{"2015-03-17 14:00:00 -4", time.Date(2015, 3, 17, 18, 0, 0, 0, time.UTC)},
		{"2015-03-17 14:00:00 +05", time.Date(2015, 3, 17, 9, 0, 0, 0, time.UTC)},
		{"2015-03-17T14:00:00 -4:30", time.Date(2015, 3, 17, 18, 30, 0, 0, time.UTC)},
		{"2016-03-23 9:00:00 -4", time.Date(2016, 3, 23, 13, 0, 0, 0, time.UTC)},
		// 01:30 on the day the clocks go forward does not exist; Go moves it on.
		{"2024-03-31 01:30", time.Date(2024, 3, 31, 1, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got.UTC(), tt.want)
		}
	}
	if got, _ := ParseDate("2018-04-18"); got.Location() != London {
		t.Errorf("date without zone is in %v, want Europe/London", got.Location())
	}
	for _, bad := range []string{"", "19/12/2016", "2024-13-01", "2024-02-30", "2023-02-29", "yesterday", "2024-1-5", "18 Apr 2018", "2024-01-31T25:00", "2024-01-31 09:00 BST"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) succeeded, want an error", bad)
		} else if !strings.Contains(err.Error(), "YYYY-MM-DD") {
			t.Errorf("ParseDate(%q) error %q does not say what to write", bad, err)
		}
	}
	if _, err := ParseDate("2024-02-29"); err != nil {
		t.Errorf("leap day: %v", err)
	}
}

func TestDatesInFrontMatter(t *testing.T) {
	p := mustParse(t, "news/x.md", "---\ntitle: x\ndate: 2018-04-18 09:00\nlastmod: 2018-04-18T09:00:00Z\n---\n")
	if want := time.Date(2018, 4, 18, 8, 0, 0, 0, time.UTC); !p.Date.Equal(want) {
		t.Errorf("date without zone in BST = %v, want %v", p.Date.UTC(), want)
	}
	if want := time.Date(2018, 4, 18, 9, 0, 0, 0, time.UTC); !p.Lastmod.Equal(want) {
		t.Errorf("lastmod with zone = %v, want %v", p.Lastmod.UTC(), want)
	}
	// YAML reads an unquoted date as a timestamp; the text is what counts.
	q := mustParse(t, "news/x.md", "---\ntitle: x\ndate: \"2018-04-18 09:00\"\n---\n")
	if !q.Date.Equal(p.Date) {
		t.Errorf("quoted date = %v, unquoted %v", q.Date, p.Date)
	}
	// TOML values without an offset are UK time too, whatever the machine's zone.
	tm := mustParse(t, "news/x.md", "+++\ntitle = \"x\"\ndate = 2018-04-18T09:00:00\nlastmod = 2018-04-19\nreviewDue = 2018-04-18T09:00:00.5\n+++\n")
	if !tm.Date.Equal(p.Date) {
		t.Errorf("TOML local datetime = %v, want %v (Europe/London)", tm.Date.UTC(), p.Date.UTC())
	}
	if want := time.Date(2018, 4, 18, 23, 0, 0, 0, time.UTC); !tm.Lastmod.Equal(want) {
		t.Errorf("TOML local date = %v, want %v (Europe/London)", tm.Lastmod.UTC(), want)
	}
	if want := time.Date(2018, 4, 18, 8, 0, 0, 5e8, time.UTC); !tm.ReviewDue.Equal(want) {
		t.Errorf("TOML local datetime with fraction = %v, want %v", tm.ReviewDue.UTC(), want)
	}
	if _, errs := Parse("news/x.md", []byte("+++\ntitle = \"x\"\ndate = 09:00:00\n+++\n")); len(errs) != 1 || !strings.Contains(errs[0].Error(), `:3: date: cannot parse "09:00:00"`) {
		t.Errorf("TOML time without a date: %v", errs)
	}
}

func TestChangesAndUpdated(t *testing.T) {
	src := `---
title: x
date: 2020-01-01
changes:
  - date: 2021-05-01
    note: second
  - date: 2022-07-01
    note: third
  - date: 2020-02-01
    note: first
  - date: 2021-05-01
    note: second, same day
---
`
	p := mustParse(t, "advice/x.md", src)
	var notes []string
	for _, c := range p.Changes {
		notes = append(notes, c.Note)
	}
	if want := []string{"third", "second", "second, same day", "first"}; !reflect.DeepEqual(notes, want) {
		t.Errorf("changes order = %q, want newest first, stable %q", notes, want)
	}

	d := func(y int, m time.Month, dd int) time.Time { return day(y, m, dd) }
	tests := []struct {
		name               string
		date, lastmod      time.Time
		changes            []Change
		updated, announced time.Time
	}{
		{name: "date only", date: d(2020, 1, 1), updated: d(2020, 1, 1), announced: d(2020, 1, 1)},
		{name: "lastmod newer", date: d(2020, 1, 1), lastmod: d(2021, 1, 1),
			updated: d(2021, 1, 1), announced: d(2020, 1, 1)}, // a bare edit is not announced
		{name: "lastmod older than date", date: d(2020, 1, 1), lastmod: d(2019, 1, 1),
			updated: d(2020, 1, 1), announced: d(2020, 1, 1)},
		{name: "change newest", date: d(2020, 1, 1), lastmod: d(2021, 1, 1), changes: []Change{{Date: d(2022, 1, 1)}, {Date: d(2020, 6, 1)}},
			updated: d(2022, 1, 1), announced: d(2022, 1, 1)},
		{name: "lastmod newest", date: d(2020, 1, 1), lastmod: d(2023, 1, 1), changes: []Change{{Date: d(2022, 1, 1)}},
			updated: d(2023, 1, 1), announced: d(2022, 1, 1)},
		{name: "change before date", date: d(2020, 1, 1), changes: []Change{{Date: d(2019, 1, 1)}},
			updated: d(2020, 1, 1), announced: d(2020, 1, 1)},
		{name: "no date, change", changes: []Change{{Date: d(2022, 1, 1)}},
			updated: d(2022, 1, 1), announced: d(2022, 1, 1)},
		{name: "no date, lastmod only", lastmod: d(2022, 1, 1),
			updated: d(2022, 1, 1), announced: time.Time{}},
	}
	for _, tt := range tests {
		p := &Page{Date: tt.date, Lastmod: tt.lastmod, Changes: tt.changes}
		if got := p.Updated(); !got.Equal(tt.updated) {
			t.Errorf("%s: Updated = %v, want %v", tt.name, got, tt.updated)
		}
		if got := p.Announced(); !got.Equal(tt.announced) {
			t.Errorf("%s: Announced = %v, want %v", tt.name, got, tt.announced)
		}
	}
}

func TestAddresses(t *testing.T) {
	tests := []struct {
		file    string
		kind    Kind
		section string
		slug    string
		bundle  bool
		url     string
	}{
		{"news/flu-2024.md", KindPage, "news", "flu-2024", false, "/news/flu-2024/"},
		{"news/GP Contract 2024.md", KindPage, "news", "gp-contract-2024", false, "/news/gp-contract-2024/"},
		{"news/café.md", KindPage, "news", "café", false, "/news/café/"},
		{"news/LMC's view.md", KindPage, "news", "lmcs-view", false, "/news/lmcs-view/"},
		{"news/GP contract 2024/25 (draft).md", KindPage, "news", "25-draft", false, "/news/gp-contract-2024/25-draft/"},
		{"news/Flu.MD", KindPage, "news", "flu", false, "/news/flu/"},
		{"News/Flu.md", KindPage, "news", "flu", false, "/news/flu/"},
		// Every folder stays in the address, as in Hugo, with or without an
		// _index.md, so that two intro.md in two folders do not collide.
		{"news/2024/flu.md", KindPage, "news", "flu", false, "/news/2024/flu/"},
		{"guidance/rpkg/Introduction.md", KindPage, "guidance", "introduction", false, "/guidance/rpkg/introduction/"},
		{"guidance/Other Kit/introduction.md", KindPage, "guidance", "introduction", false, "/guidance/other-kit/introduction/"},
		{"guidance/rpkg/_index.md", KindSection, "guidance", "rpkg", false, "/guidance/rpkg/"},
		{"guidance/rpkg/Tools/_index.md", KindSection, "guidance", "tools", false, "/guidance/rpkg/tools/"},
		{"guidance/rpkg/setup/index.md", KindPage, "guidance", "setup", true, "/guidance/rpkg/setup/"},
		// Jekyll's post names: the date leaves the address.
		{"news/2016-03-03-qgis-rooftop-aspect-analysis.md", KindPage, "news", "qgis-rooftop-aspect-analysis", false, "/news/qgis-rooftop-aspect-analysis/"},
		{"news/2016-03-03-QGIS Rooftop.md", KindPage, "news", "qgis-rooftop", false, "/news/qgis-rooftop/"},
		{"news/2016-03-03-flu/index.md", KindPage, "news", "flu", true, "/news/flu/"},
		{"2016-03-03-about.md", KindPage, "", "about", false, "/about/"},
		// Not a date, or nothing after it: the name is the slug.
		{"news/2016-13-03-flu.md", KindPage, "news", "2016-13-03-flu", false, "/news/2016-13-03-flu/"},
		{"news/2016-03-03-.md", KindPage, "news", "2016-03-03", false, "/news/2016-03-03/"},
		{"news/2016-03-03.md", KindPage, "news", "2016-03-03", false, "/news/2016-03-03/"},
		{"newsletters/2016-12.md", KindPage, "newsletters", "2016-12", false, "/newsletters/2016-12/"},
		{"news/20160303-flu.md", KindPage, "news", "20160303-flu", false, "/news/20160303-flu/"},
		{"post/2015-7-1-report.markdown", KindPage, "post", "report", false, "/post/report/"}, // Jekyll reads one-digit months and days
		{"news/2016-1-x.md", KindPage, "news", "2016-1-x", false, "/news/2016-1-x/"},
		{"news/2016-001-01-x.md", KindPage, "news", "2016-001-01-x", false, "/news/2016-001-01-x/"},
		{"advice/x/index.md", KindPage, "advice", "x", true, "/advice/x/"},
		{"advice/Subject Access/index.md", KindPage, "advice", "subject-access", true, "/advice/subject-access/"},
		{"gp-support/index.md", KindPage, "", "gp-support", true, "/gp-support/"},
		{"gp-support.md", KindPage, "", "gp-support", false, "/gp-support/"},
		{"About Us.md", KindPage, "", "about-us", false, "/about-us/"},
		{"index.md", KindPage, "", "index", false, "/index/"},
		{"_index.md", KindHome, "", "", false, "/"},
		{"news/_index.md", KindSection, "news", "news", false, "/news/"},
		{"Sessional GPs/_index.md", KindSection, "sessional-gps", "sessional-gps", false, "/sessional-gps/"},
	}
	for _, tt := range tests {
		src := "---\ntitle: T\ndate: 2024-01-02\n---\n"
		p := mustParse(t, tt.file, src)
		if p.Kind != tt.kind || p.Section != tt.section || p.Slug != tt.slug || p.Bundle != tt.bundle || p.URL() != tt.url {
			t.Errorf("%q: kind %v section %q slug %q bundle %v URL %q; want %v %q %q %v %q",
				tt.file, p.Kind, p.Section, p.Slug, p.Bundle, p.URL(), tt.kind, tt.section, tt.slug, tt.bundle, tt.url)
		}
	}
	// Sections and plain pages need no date.
	mustParse(t, "news/_index.md", "---\ntitle: News\n---\n")
	mustParse(t, "about.md", "---\ntitle: About\n---\n")
	mustParse(t, "_index.md", "---\ntitle: Home\n---\n")
}

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"GP Contract 2024":       "gp-contract-2024",
		"café":                   "café",
		"Sessional GPs":          "sessional-gps",
		"GP contract 2024/25":    "gp-contract-2024-25",
		"LMC's":                  "lmcs",
		"LMC’s":                  "lmcs",
		"  --Flu -- clinics--  ": "flu-clinics",
		"Ysgol Gŵyl":             "ysgol-gŵyl",
		"!!!":                    "",
		"":                       "",
		"ÉCOLE":                  "école",
		"under_score":            "under-score",
	}
	for in, want := range tests {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name, src string
		check     func(*Page) bool
	}{
		{"BOM", "\ufeff---\ntitle: x\ndate: 2024-01-02\n---\nBody\n", func(p *Page) bool { return p.Title == "x" && string(p.Body) == "Body\n" }},
		{"CRLF", "---\r\ntitle: x\r\ndate: 2024-01-02\r\n---\r\nBody\r\n", func(p *Page) bool { return p.Title == "x" && p.BodyLine == 5 }},
		{"blank lines first", "\n\n---\ntitle: x\ndate: 2024-01-02\n---\nBody\n", func(p *Page) bool { return p.Lines["title"] == 4 && p.BodyLine == 7 }},
		{"no body", "---\ntitle: x\ndate: 2024-01-02\n---", func(p *Page) bool { return len(p.Body) == 0 }},
		{"draft true", "---\ntitle: x\ndate: 2024-01-02\ndraft: true\n---\n", func(p *Page) bool { return p.Draft }},
		{"draft True", "---\ntitle: x\ndate: 2024-01-02\ndraft: True\n---\n", func(p *Page) bool { return p.Draft }},
		{"title a number", "---\ntitle: 2024\ndate: 2024-01-02\n---\n", func(p *Page) bool { return p.Title == "2024" }},
		{"topics single value", "---\ntitle: x\ndate: 2024-01-02\ntopics: GDPR\n---\n", func(p *Page) bool { return reflect.DeepEqual(p.Topics, []string{"GDPR"}) }},
		{"topics empty", "---\ntitle: x\ndate: 2024-01-02\ntopics:\n---\n", func(p *Page) bool { return p.Topics == nil }},
		{"comments", "---\n# a comment\ntitle: x # trailing\ndate: 2024-01-02\n---\n", func(p *Page) bool { return p.Title == "x" && p.Lines["title"] == 3 }},
		{"toml empty front matter plain page", "+++\ntitle = \"x\"\n+++\n", func(p *Page) bool { return p.Title == "x" }},
		{"body with --- rule", "---\ntitle: x\ndate: 2024-01-02\n---\nA\n\n---\n\nB\n", func(p *Page) bool { return string(p.Body) == "A\n\n---\n\nB\n" && p.BodyLine == 5 }},
		{"items", "---\ntitle: x\ndate: 2024-01-02\nitems: [news/flu, news/cqc]\n---\n", func(p *Page) bool { return len(p.Items) == 2 }},
	}
	for _, tt := range tests {
		name := "news/x.md"
		if tt.name == "toml empty front matter plain page" {
			name = "about.md"
		}
		p := mustParse(t, name, tt.src)
		if !tt.check(p) {
			t.Errorf("%s: unexpected page %+v", tt.name, p)
		}
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		src, fm, format, body string
		bodyLine              int
	}{
		{"---\ntitle: x\n---\nbody\n", "title: x\n", "yaml", "body\n", 4},
		{"+++\ntitle = \"x\"\n+++\nbody\n", "title = \"x\"\n", "toml", "body\n", 4},
		{"---\n---\nbody", "", "yaml", "body", 3},
		{"no front matter\n", "", "", "no front matter\n", 1},
		{"", "", "", "", 1},
		{"\n\n---\na: b\n---\n\nbody\n", "a: b\n", "yaml", "\nbody\n", 6},
		{"---\r\na: b\r\n---\r\nbody", "a: b\r\n", "yaml", "body", 4},
	}
	for _, tt := range tests {
		fm, format, body, line := Split([]byte(tt.src))
		if string(fm) != tt.fm || format != tt.format || string(body) != tt.body || line != tt.bodyLine {
			t.Errorf("Split(%q) = %q, %q, %q, %d; want %q, %q, %q, %d",
				tt.src, fm, format, body, line, tt.fm, tt.format, tt.body, tt.bodyLine)
		}
	}
}

func TestPublished(t *testing.T) {
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	tests := []struct {
		name string
		p    Page
		v    Visibility
		want bool
	}{
		{"plain", Page{Section: "news", Date: past}, Visibility{}, true},
		{"draft", Page{Section: "news", Date: past, Draft: true}, Visibility{}, false},
		{"draft with --drafts", Page{Section: "news", Date: past, Draft: true}, Visibility{Drafts: true}, true},
		{"future date", Page{Section: "news", Date: future}, Visibility{}, false},
		{"future date with --future", Page{Section: "news", Date: future}, Visibility{Future: true}, true},
		{"future event is listed", Page{Section: "events", Date: future}, Visibility{}, true},
		{"future publishDate", Page{Section: "news", Date: past, PublishDate: future}, Visibility{}, false},
		{"future publishDate on event", Page{Section: "events", Date: future, PublishDate: future}, Visibility{}, false},
		{"past publishDate", Page{Section: "news", Date: past, PublishDate: past}, Visibility{}, true},
		{"publishDate now", Page{Section: "news", Date: past, PublishDate: now}, Visibility{}, true},
		{"expired", Page{Section: "news", Date: past, ExpiryDate: past}, Visibility{}, false},
		{"expires now", Page{Section: "news", Date: past, ExpiryDate: now}, Visibility{}, false},
		{"expired with --expired", Page{Section: "news", Date: past, ExpiryDate: past}, Visibility{Expired: true}, true},
		{"expires later", Page{Section: "news", Date: past, ExpiryDate: future}, Visibility{}, true},
		{"future section intro", Page{Kind: KindSection, Section: "news", Date: future}, Visibility{}, true},
		{"draft, future and expired with all flags", Page{Section: "news", Draft: true, Date: future, ExpiryDate: past},
			Visibility{Drafts: true, Future: true, Expired: true}, true},
		{"draft, future and expired, drafts only", Page{Section: "news", Draft: true, Date: future, ExpiryDate: past},
			Visibility{Drafts: true}, false},
	}
	for _, tt := range tests {
		tt.v.Now = now
		if got := tt.p.Published(tt.v); got != tt.want {
			t.Errorf("%s: Published = %v, want %v", tt.name, got, tt.want)
		}
	}
	p := Page{ReviewDue: past}
	if !p.ReviewOverdue(now) || (&Page{ReviewDue: future}).ReviewOverdue(now) || (&Page{}).ReviewOverdue(now) {
		t.Error("ReviewOverdue: want true only for a review date in the past")
	}
}

func TestErrorsFormat(t *testing.T) {
	if got := (&Error{File: "content/a.md", Line: 3, Msg: "m"}).Error(); got != "content/a.md:3: m" {
		t.Errorf("with line: %q", got)
	}
	if got := (&Error{File: "content/a.md", Msg: "m"}).Error(); got != "content/a.md: m" {
		t.Errorf("without line: %q", got)
	}
	cause := errors.New("cause")
	if !errors.Is(Errors{&Error{File: "f", Err: cause}}, cause) {
		t.Error("errors.Is does not reach the cause through Errors and Error")
	}
	if (Errors{}).Err() != nil || Errors(nil).Err() != nil {
		t.Error("Err of no errors is not nil")
	}
	es := Errors{
		&Error{File: "content/b.md", Line: 2, Msg: "x"},
		errors.New("plain"),
		&Error{File: "content/a.md", Line: 10, Msg: "x"},
		&Error{File: "content/a.md", Line: 9, Msg: "x"},
	}.Sorted()
	var got []string
	for _, e := range es {
		got = append(got, e.Error())
	}
	want := []string{"content/a.md:9: x", "content/a.md:10: x", "content/b.md:2: x", "plain"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sorted = %q, want %q", got, want)
	}
}

func TestDidYouMean(t *testing.T) {
	tests := map[string]string{
		"tittle":       `did you mean "title"?`,
		"lastmodified": `did you mean "lastmod"?`,
		"Date":         `did you mean "date"?`,
		"topic":        `did you mean "topics"?`,
		"tags":         "known keys: ",
		"expirydate":   `did you mean "expiryDate"?`,
	}
	for in, want := range tests {
		if got := didYouMean(in, Fields); !strings.HasPrefix(got, want) {
			t.Errorf("didYouMean(%q) = %q, want prefix %q", in, got, want)
		}
	}
}

func TestFileTypeAndSize(t *testing.T) {
	for name, want := range map[string]string{"a.pdf": "PDF", "b.DOCX": "Word document", "c.xlsx": "Excel spreadsheet", "d.png": "Image", "e.rtf": "RTF", "noext": ""} {
		if got := FileType(name); got != want {
			t.Errorf("FileType(%q) = %q, want %q", name, got, want)
		}
	}
	for n, want := range map[int64]string{0: "0 bytes", 999: "999 bytes", 312_400: "312 KB", 1_400_000: "1.4 MB"} {
		if got := HumanSize(n); got != want {
			t.Errorf("HumanSize(%d) = %q, want %q", n, got, want)
		}
	}
}
