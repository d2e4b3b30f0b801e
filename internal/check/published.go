package check

// Patient data outside a page's text: in the front matter, in the
// addresses the build writes, and in the files it copies.
//
// Every front-matter string reaches the website somewhere: a title or a
// summary on the page and in the feeds, a topic in an address
// (/topics/nhs-943-476-5919/), the sitemap and the topic's feeds, an alias
// in a redirect's address, an attachment's title and file name in the page
// and the address of the file. So each is scanned as written, and each
// that gives an address is scanned again as that address reads: slugging
// turns "NHS 943 476 5919" into nhs-943-476-5919, and a number between
// hyphens, after a slash or before ".pdf" is one the text scanner lets
// pass (it reads as part of an identifier), so in an address form the
// punctuation between letters and digits counts as a space.
//
// A finding in the front matter is reported on its key's line. A
// `# lmcpress:allow RULE` comment at the end of that line accepts it,
// as <!-- lmcpress:allow RULE --> does in the text (content.Page.Allow).
//
// Files copied from content/ and the theme's static/ are scanned by name
// and, when they are text a reader opens (TextFiles), by content, with the
// text's rules and markers; an office document's text (Documents) is read
// out of it first (document.go).

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"lmcpress/internal/content"
)

// TextFiles are the extensions of the copied files whose text is scanned
// for patient data, as a page's is: what a letter, a list or an export is
// saved as.
var TextFiles = []string{".txt", ".csv", ".tsv", ".md", ".markdown", ".html", ".htm", ".ics", ".json", ".xml", ".vcf", ".rtf", ".yaml", ".yml"}

// IsTextFile reports whether a file's text is scanned (see TextFiles).
func IsTextFile(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	for _, e := range TextFiles {
		if ext == e {
			return true
		}
	}
	return false
}

// pageSheet is a page's sheet: its text, and the markers of its text and
// its front matter. A file name that itself holds patient data is shown
// masked, in every finding on the page (masked when the first one is
// made: see sheet.file).
func pageSheet(p *content.Page) *sheet {
	s := newSheet("content/"+p.File, p.Body, p.BodyLine)
	s.unmasked = true
	for line, words := range p.Allow {
		if s.allow == nil {
			s.allow = map[int]*marker{}
		}
		s.allow[line] = &marker{line: line, rules: strings.Fields(words), used: map[string]bool{}}
	}
	return s
}

// frontMatterPatient scans every front-matter string that is published,
// and the addresses the page's front matter and file name give.
func (s *sheet) frontMatterPatient(p *content.Page) {
	text := func(key, val string) { s.scanValue(p, key, val, false) }
	addr := func(key, val string) { s.scanValue(p, key, val, true) }
	text("title", p.Title)
	text("summary", p.Summary)
	text("description", p.Description)
	text("place", p.Place)
	if e := p.Event; e != nil {
		if p.Lines["location"] > 0 { // else it is `place`, scanned above
			text("location", e.Location.Name)
			text("location", e.Location.Address)
			text("location", e.Location.JoinURL)
		}
		text("audience", e.Audience)
		text("booking", e.Booking)
		text("cancelledReason", e.CancelledReason)
	}
	for _, c := range p.Changes {
		text("changes", c.Note)
	}
	for _, t := range p.Topics {
		addr("topics", t)
	}
	for _, a := range p.Areas {
		text("areas", a)
	}
	for _, a := range p.Authors { // a theme may show them
		text("authors", a)
	}
	for _, a := range p.Aliases {
		addr("aliases", a)
	}
	for _, it := range p.Items {
		addr("items", it)
	}
	for _, a := range p.Attachments {
		text("attachments", a.Title)
		addr("attachments", path.Base(a.File))
	}
	// The page's own address, from `slug:` or the file name.
	if p.Lines["slug"] > 0 {
		addr("slug", p.URL())
	} else {
		addr("", p.URL())
	}
}

// scanValue reports the patient data in one front-matter value; key ""
// means the page's file name. With address, a value that reads clean as
// text is also scanned as the address it gives.
//
// A value that cannot hold a digit is passed over at once: every rule
// needs one (see scan), and neither addressWords nor content.Slugify
// makes one, so scan would find nothing in it, as text or as an address
// (held by FuzzDigitFreeValue). Topics and most titles are such values.
func (s *sheet) scanValue(p *content.Page, key, val string, address bool) {
	if !mayHoldDigit(val) {
		return
	}
	ms, where := scan([]byte(val)), ""
	if len(ms) == 0 && address {
		ms, where = scanAddress(val), ", in the address it gives"
	}
	for _, m := range ms {
		f := Finding{File: s.file(), Line: p.Lines[key], Rule: m.rule, Message: key + ": " + m.msg + where, Hint: patientHint}
		if key == "" {
			f.Message = "the page's address, from its file name: " + m.msg
			f.Hint = patientHint + "; rename the file, or give the page a `slug:`"
		} else {
			f.Line = max(f.Line, 1)
			f.Hint += "; if it is not about a patient, end the line with # lmcpress:allow " + m.rule
		}
		s.add(f)
	}
}

// mayHoldDigit reports whether s holds an ASCII digit or something that
// folding (fold.go) may make one of: a non-ASCII character (a full-width
// or Arabic-Indic digit) or a character reference (&#57;).
func mayHoldDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; isDigit(c) || c >= utf8.RuneSelf || c == '&' {
			return true
		}
	}
	return false
}

// scanAddress scans an address as its words, every character that is not
// a letter or a digit read as a space; then, if that is clean, as what
// slugging makes of it ("NHS 943'476'5919" → nhs-9434765919).
func scanAddress(val string) []match {
	if ms := scan(addressWords(val)); len(ms) > 0 {
		return ms
	}
	return scan(addressWords(content.Slugify(val)))
}

// addressWords turns every ASCII character that is not a letter or digit
// into a space, keeping offsets.
func addressWords(s string) []byte {
	b := []byte(s)
	for i, c := range b {
		if c < 0x80 && !isLetter(c) && !isDigit(c) {
			b[i] = ' '
		}
	}
	return b
}

// maskName masks patient data in a file name or address, so that a
// finding that names the file does not repeat it: "content/advice/John
// Smith 943 476 5919.txt" → "content/advice/John Smith 943*** ****.txt".
// Names are scanned as addresses, as they are published.
func maskName(name string) string {
	if ms := scan(addressWords(name)); len(ms) > 0 {
		var b strings.Builder
		at := 0
		for _, m := range ms {
			if m.start < at {
				continue
			}
			b.WriteString(name[at:m.start])
			b.WriteString(maskID(m.rule, string(m.found)))
			at = m.end
		}
		return b.String() + name[at:]
	}
	if len(scanAddress(name)) > 0 {
		// Found only once slugged (digits split by apostrophes): star every
		// digit after the first three.
		b, n := []byte(name), 0
		for i, c := range b {
			if isDigit(c) {
				if n++; n > 3 {
					b[i] = '*'
				}
			}
		}
		return string(b)
	}
	return name
}

// maskID masks an identifier as the findings' messages do: an NHS number
// as "943*** ****", anything else as its first two characters and stars.
func maskID(rule, id string) string {
	if rule == RuleNHSNumber {
		return strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(id)[:3] + "*** ****"
	}
	return mask([]byte(id), 2)
}

// FilePatientData scans a file the build copies: its name (file, as the
// user knows it: "content/advice/x/letter.txt", "static/docs/list.csv")
// as the address it is published at, and, for text files (IsTextFile),
// its text, as a page's text is scanned, with its markers; read gives
// the text and is only called for text files. Findings name the file
// masked (maskName).
func FilePatientData(file string, read func() ([]byte, error)) []Finding {
	shown := maskName(file)
	var out []Finding
	for _, m := range scanAddress(file) {
		out = append(out, Finding{File: shown, Rule: m.rule, Severity: SeverityOf(m.rule),
			Message: "the file's name, published as its address: " + m.msg,
			Hint:    patientHint + "; rename the file"})
	}
	if IsDocument(file) {
		return append(out, documentPatientData(file, shown, read)...)
	}
	if !IsTextFile(file) {
		return out
	}
	data, err := read()
	if err != nil || len(data) > content.MaxFileSize {
		return out // the copy reports a file it cannot read
	}
	s := newSheet(shown, data, 1)
	s.patient()
	ext := strings.ToLower(path.Ext(file))
	bodyLine := 0 // a Markdown file's first line after its front matter
	if content.IsPage(file) {
		if _, format, _, line := content.Split(data); format != "" {
			bodyLine = line
		}
	}
	for _, f := range s.findings {
		marker := "<!-- lmcpress:allow " + f.Rule + " -->"
		switch {
		case ext == ".yaml" || ext == ".yml":
			marker = "a comment: # " + marker
		case content.IsPage(file) && f.Line < bodyLine:
			marker = "# lmcpress:allow " + f.Rule // front matter: a YAML comment
		}
		f.Hint = patientHint + "; if it is not about a patient, end the line with " + marker
		out = append(out, f)
	}
	sortFindings(out)
	return out
}

// VetFile is the build's check of a file it copies
// (site.Options.CheckFile): FilePatientData, as errors.
func VetFile(file string, read func() ([]byte, error)) []error {
	return stopping(FilePatientData(file, read))
}

// wordMarkers gives back the two hyphens of an lmcpress:allow marker
// typed in Word, whose AutoCorrect may turn them into an en or em dash.
// Only the marker's ends are touched, and no line changes, so findings
// keep their places.
var wordMarkers = strings.NewReplacer("<!\u2013", "<!--", "<!\u2014", "<!--", "\u2013>", "-->", "\u2014>", "-->")

// documentPatientData scans an office document's text (readDocument).
// Its findings have no line: each says where in the document it is, as
// a reader finds it ("sheet "Patients" (hidden), row 2: ...").
func documentPatientData(file, shown string, read func() ([]byte, error)) []Finding {
	data, err := read()
	if err != nil {
		return nil // the copy reports a file it cannot read
	}
	hint := "open it and check it by hand before publishing; saving it again from Word, Excel, PowerPoint or LibreOffice makes it readable"
	if strings.EqualFold(path.Ext(file), ".zip") {
		hint = "open it and check the files in it by hand before publishing, or make it again"
	}
	unread := func(why string) []Finding {
		return []Finding{{File: shown, Rule: RuleDocument, Severity: SeverityOf(RuleDocument),
			Message: "its text could not be read for patient data: " + why,
			Hint:    hint}}
	}
	if len(data) > maxDocFileLen {
		return unread(fmt.Sprintf("it is %d MB, more than %d MB", len(data)>>20, maxDocFileLen>>20))
	}
	d, err := readDocument(file, data)
	if err != nil {
		return unread(err.Error())
	}
	s := newSheet(shown, []byte(wordMarkers.Replace(d.buf.String())), 1)
	s.patient()
	var out []Finding
	for _, f := range s.findings {
		if f.Line >= 1 && f.Line <= len(d.where) {
			// Where, as a reader finds it, masked: a sheet or a file in
			// an archive may be named for the patient.
			f.Message = Mask(d.where[f.Line-1]) + ": " + f.Message
		}
		f.Line, f.Column = 0, 0
		f.Hint = patientHint + " (a deleted tracked change, a comment or a hidden sheet is in the file too); if it is not about a patient, type <!-- lmcpress:allow " + f.Rule + " --> into that paragraph or row"
		out = append(out, f)
	}
	return out
}
