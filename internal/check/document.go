package check

// The text of the office documents a site publishes.
//
// An LMC attaches Word letters, spreadsheets and slides to its pages. A
// spreadsheet with patients' details on a hidden sheet, or a model letter
// whose deleted draft text (kept by track changes) names the patient,
// publishes them as surely as a page would, unseen by whoever looked at
// the document before uploading it. Office Open
// XML (.docx, .xlsx, .pptx) and OpenDocument (.odt, .ods, .odp) files are
// zip archives of XML, which the standard library reads, so their text is
// scanned as a page's is: every paragraph, table, header, footer,
// footnote, comment and tracked deletion; every sheet, hidden ones too,
// with dates shown as dates; every slide and its notes; and the documents
// embedded in them. A .zip's files are read as each would be on its own
// (archive). PDFs and the binary formats of Office 97-2003 (.doc, .xls,
// .ppt) are not read; check names them (unreadNote).
//
// A document is hostile input: an archive is read no deeper than
// maxDocDepth embeddings, and no more than maxDocBytes of it is
// uncompressed, however large its parts say they are.

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Documents are the extensions of the files whose text is read out of a
// zip archive and scanned for patient data: office documents, and .zip
// itself (its files are read as each would be on its own).
var Documents = []string{".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".docm", ".xlsm", ".pptm", ".zip"}

// IsDocument reports whether a file's text is read out of it as an office
// document's or an archive's (see Documents).
func IsDocument(name string) bool {
	return slices.Contains(Documents, strings.ToLower(path.Ext(name)))
}

// unread are the extensions of the published documents whose text is
// not read (only their names are scanned).
var unread = []string{".pdf", ".doc", ".xls", ".ppt"}

// unreadNote says which of the content and static files are documents
// whose text was not read, so that nobody takes check's silence about
// them for a clean bill; "" when there are none.
func unreadNote(files, static []string) string {
	var names []string
	add := func(dir string, list []string) {
		for _, f := range list {
			if slices.Contains(unread, strings.ToLower(path.Ext(f))) {
				names = append(names, dir+f)
			}
		}
	}
	add("content/", files)
	add("static/", static)
	if len(names) == 0 {
		return ""
	}
	shown := strings.Join(names[:min(len(names), 3)], ", ")
	if len(names) > 3 {
		shown += fmt.Sprintf(" and %d more", len(names)-3)
	}
	what, them := "1 PDF or Office 97-2003 document", "it"
	if len(names) > 1 {
		what, them = fmt.Sprintf("%d PDF and Office 97-2003 documents", len(names)), "them"
	}
	return fmt.Sprintf("not read for patient data, only by name: %s (%s): open %s and check before publishing; check reads the text of .docx, .xlsx, .pptx, .odt, .ods and .odp files", what, shown, them)
}

// Limits on what one document may make the check read.
const (
	maxDocBytes   = 64 << 20 // uncompressed, over all its parts and embeddings
	maxDocParts   = 10000    // files in one archive
	maxDocDepth   = 2        // a document embedded in a document embedded in it
	maxDocFileLen = 256 << 20
)

// docText is a document's text as the scanners read it: a line a
// paragraph, table row or sheet row (a row's cells between " | ", as a
// Markdown table's, so that a date-of-birth column is read as one), and
// for each line, where a reader finds it ("sheet "Patients" (hidden),
// row 2").
type docText struct {
	buf   bytes.Buffer
	where []string
	left  int64 // bytes it may still uncompress
}

// line ends the line being written, found at where.
func (d *docText) line(where string) {
	d.buf.WriteByte('\n')
	d.where = append(d.where, where)
}

// gap ends a part (a sheet, a header, the comments): a blank line, so
// that the scanners, which look for a name near a date or a postcode
// within a paragraph, do not join two parts.
func (d *docText) gap() {
	if d.buf.Len() > 0 && !bytes.HasSuffix(d.buf.Bytes(), []byte("\n\n")) {
		d.line("")
	}
}

// oneLine writes text into the line being written, its line breaks as
// spaces.
func (d *docText) oneLine(text []byte) {
	for {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			d.buf.Write(text)
			return
		}
		d.buf.Write(text[:i])
		d.buf.WriteByte(' ')
		text = text[i+1:]
	}
}

// trim drops the spaces the line being written ends with.
func (d *docText) trim() {
	d.buf.Truncate(len(bytes.TrimRight(d.buf.Bytes(), " ")))
}

// readDocument reads the text of the document in data, named name.
func readDocument(name string, data []byte) (*docText, error) {
	d := &docText{left: maxDocBytes}
	if err := d.read(name, data, "", 0); err != nil {
		return nil, err
	}
	return d, nil
}

var errTooLarge = errors.New("it uncompresses to more than 64 MB")

// read adds the text of the archive in data; in names the document it is
// embedded in ("" for the file itself).
func (d *docText) read(name string, data []byte, in string, depth int) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")) {
			return errors.New("it is not a zip archive but an OLE file: a password-protected document, or one in an older format saved under a new name")
		}
		return fmt.Errorf("it is not a zip archive, as a %s file is: %w", strings.ToLower(path.Ext(name)), err)
	}
	if len(zr.File) > maxDocParts {
		return fmt.Errorf("it holds %d files, more than the %d check reads", len(zr.File), maxDocParts)
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	part := func(p string) ([]byte, error) {
		f := parts[p]
		if f == nil {
			return nil, nil
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, d.left+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if d.left -= int64(len(b)); d.left < 0 {
			return nil, errTooLarge
		}
		return b, nil
	}
	label := func(s string) string {
		if in != "" {
			return in + ", " + s
		}
		return s
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	slices.Sort(names)

	var embedded []string
	switch {
	case strings.EqualFold(path.Ext(name), ".zip"):
		return d.archive(zr.File, part, label, depth)
	case parts["word/document.xml"] != nil:
		err = d.word(names, part, label)
		embedded = prefixed(names, "word/embeddings/")
	case parts["xl/workbook.xml"] != nil:
		err = d.excel(names, part, label)
		embedded = prefixed(names, "xl/embeddings/")
	case parts["ppt/presentation.xml"] != nil:
		err = d.slides(names, part, label)
		embedded = prefixed(names, "ppt/embeddings/")
	case parts["content.xml"] != nil:
		err = d.openDocument(part, label)
	default:
		return errors.New("it is a zip archive without a Word, Excel, PowerPoint or OpenDocument document in it")
	}
	if err != nil {
		return err
	}
	if err := d.links(names, part, label); err != nil {
		return err
	}
	if depth >= maxDocDepth {
		return nil
	}
	for _, e := range embedded {
		if !IsDocument(e) {
			continue
		}
		b, err := part(e)
		if err != nil {
			return err
		}
		if err := d.read(e, b, label("the document embedded as "+path.Base(e)), depth+1); err != nil {
			return fmt.Errorf("the document embedded as %s: %w", path.Base(e), err)
		}
	}
	return nil
}

// links adds the addresses an Office document links to (its hyperlinks'
// targets, kept in its .rels parts), a line each: a link copied from a
// clinical system may carry an NHS number in its address.
func (d *docText) links(names []string, part func(string) ([]byte, error), label func(string) string) error {
	defer d.gap()
	for _, n := range names {
		if !strings.HasSuffix(n, ".rels") || n == "_rels/.rels" {
			continue
		}
		b, err := part(n)
		if err != nil {
			return err
		}
		if err := eachElement(b, func(t xml.StartElement) {
			if t.Name.Local == "Relationship" && strings.EqualFold(attr(t, "TargetMode"), "External") {
				d.buf.WriteString(attr(t, "Target"))
				d.line(label("a link's address"))
			}
		}); err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	return nil
}

// archive adds the text of the files in a .zip: each text file's lines,
// each document's text, each file's name (scanned as an address is, like
// a copied file's), and the archives in it, maxDocDepth deep.
func (d *docText) archive(files []*zip.File, part func(string) ([]byte, error), label func(string) string, depth int) error {
	for _, f := range files {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		shown := maskName(f.Name)
		d.buf.Write(addressWords(f.Name))
		d.line(label("the name of " + shown))
		d.gap()
		if !IsTextFile(f.Name) && !IsDocument(f.Name) || IsDocument(f.Name) && depth >= maxDocDepth {
			continue
		}
		b, err := part(f.Name)
		if err != nil {
			return err
		}
		if IsTextFile(f.Name) {
			for i, l := range bytes.SplitAfter(b, []byte("\n")) {
				if len(l) > 0 {
					d.buf.Write(bytes.TrimRight(l, "\r\n"))
					d.line(label(fmt.Sprintf("%s, line %d", shown, i+1)))
				}
			}
			d.gap()
			continue
		}
		if err := d.read(f.Name, b, label(shown), depth+1); err != nil {
			return fmt.Errorf("%s: %w", shown, err)
		}
	}
	return nil
}

func prefixed(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	return out
}

// partNumber is the number in a part's name, "slide12.xml" → 12, for
// putting parts in their reader's order.
func partNumber(name string) int {
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	i := len(base)
	for i > 0 && isDigit(base[i-1]) {
		i--
	}
	n, _ := strconv.Atoi(base[i:])
	return n
}

// numbered are the names matching prefix*.xml, by their number.
func numbered(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && strings.HasSuffix(n, ".xml") && !strings.Contains(n[len(prefix):], "/") {
			out = append(out, n)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return partNumber(a) - partNumber(b) })
	return out
}

// paragraphs writes the text of a Word, PowerPoint or OpenDocument part,
// a line a paragraph (or, in a table, a row, its cells between " | "),
// each labelled what, then its number in the part.
//
// The elements are told by their local names, whatever the prefix. In
// Office Open XML, text is the character data of t and delText (a
// tracked deletion); in an OpenDocument (odf), of a paragraph, p or h,
// with whatever is inside it. A paragraph is p or h; tab, br, cr, s and
// line-break are spaces; tr and table-row are rows, tc and table-cell
// cells, whose paragraphs are spaces in their row's line.
func (d *docText) paragraphs(data []byte, what string, odf bool) error {
	n, open := 0, false
	cells, inCell := 0, 0 // cells ended in this row; cells open
	inText, inPara := 0, 0
	skip := 0                              // inside an OpenDocument comment's author or date, or a note's number
	header := false                        // the row ending is its table's first
	table, row := "", 0                    // an OpenDocument table's (a sheet's) name, and its row
	style, hidden := "", map[string]bool{} // OpenDocument styles that hide a table
	place := func() string {
		if table != "" && row > 0 {
			return fmt.Sprintf("table %s, row %d", table, row)
		}
		return fmt.Sprintf("%s %d", what, n)
	}
	end := func() {
		if open {
			d.trim()
			n++
			d.line(place())
			open = false
		}
	}
	defer d.gap()
	if err := eachToken(data, func(tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t", "delText", "instrText": // instrText: a field's code, a HYPERLINK's address among them
				inText++
			case "p", "h":
				inPara++
			case "tab", "br", "cr", "s", "line-break", "annotation", "note":
				d.buf.WriteByte(' ')
			case "creator", "date", "note-citation":
				skip++
			case "tbl", "table":
				header = true
				if odf {
					table, row = strconv.Quote(attr(t, "name")), 0
					if hidden[attr(t, "style-name")] {
						table += " (hidden)"
					}
				}
			case "style":
				style = attr(t, "name")
			case "table-properties":
				if attr(t, "display") == "false" {
					hidden[style] = true
				}
			case "tc", "table-cell":
				if inCell == 0 && cells == 0 {
					d.buf.WriteString("| ")
				}
				inCell++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t", "delText", "instrText":
				inText--
			case "creator", "date", "note-citation":
				skip--
			case "annotation", "note":
				d.buf.WriteByte(' ')
			case "p", "h":
				inPara--
				if inCell > 0 || inPara > 0 {
					d.buf.WriteByte(' ')
				} else {
					end()
				}
			case "tc", "table-cell":
				inCell--
				if inCell == 0 {
					d.trim()
					d.buf.WriteString(" | ")
					cells++
					open = true
				} else {
					d.buf.WriteByte(' ')
				}
			case "tbl", "table":
				table, row = "", 0
			case "tr", "table-row":
				if inCell == 0 {
					if cells > 0 {
						d.trim() // "| a | b |"
					}
					row++
					end()
					if header && cells > 0 {
						// A Markdown table's delimiter row, so that a
						// header naming a date-of-birth column is read
						// as one.
						d.buf.WriteString(strings.Repeat("|---", cells) + "|")
						d.line(place())
						header = false
					}
					cells = 0
				}
			}
		case xml.CharData:
			if skip == 0 && (inText > 0 && !odf || inPara > 0 && odf) {
				d.oneLine(t)
				open = true
			}
		}
	}); err != nil {
		return err
	}
	end()
	return nil
}

// word reads a Word document: its body, headers, footers, footnotes,
// endnotes and comments.
func (d *docText) word(names []string, part func(string) ([]byte, error), label func(string) string) error {
	type piece struct{ name, what string }
	pieces := []piece{{"word/document.xml", "paragraph"}}
	for _, n := range numbered(names, "word/header") {
		pieces = append(pieces, piece{n, "header " + strconv.Itoa(partNumber(n)) + ", paragraph"})
	}
	for _, n := range numbered(names, "word/footer") {
		pieces = append(pieces, piece{n, "footer " + strconv.Itoa(partNumber(n)) + ", paragraph"})
	}
	pieces = append(pieces, piece{"word/footnotes.xml", "footnotes, paragraph"}, piece{"word/endnotes.xml", "endnotes, paragraph"},
		piece{"word/comments.xml", "comments, paragraph"})
	for _, p := range pieces {
		b, err := part(p.name)
		if err != nil {
			return err
		}
		if b == nil {
			continue
		}
		if err := d.paragraphs(b, label(p.what), false); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}
	return nil
}

// slides reads a presentation: each slide and each page of notes.
func (d *docText) slides(names []string, part func(string) ([]byte, error), label func(string) string) error {
	for _, group := range [][2]string{{"ppt/slides/slide", "slide"}, {"ppt/notesSlides/notesSlide", "notes page"}} {
		for _, n := range numbered(names, group[0]) {
			b, err := part(n)
			if err != nil {
				return err
			}
			if err := d.paragraphs(b, label(group[1]+" "+strconv.Itoa(partNumber(n))+", paragraph"), false); err != nil {
				return fmt.Errorf("%s: %w", n, err)
			}
		}
	}
	return nil
}

// openDocument reads an OpenDocument text, spreadsheet or presentation:
// content.xml, then styles.xml, which holds the headers and footers.
func (d *docText) openDocument(part func(string) ([]byte, error), label func(string) string) error {
	for _, p := range [][2]string{{"content.xml", "paragraph"}, {"styles.xml", "headers and footers, paragraph"}} {
		b, err := part(p[0])
		if err != nil {
			return err
		}
		if b == nil {
			continue
		}
		if err := d.paragraphs(b, label(p[1]), true); err != nil {
			return fmt.Errorf("%s: %w", p[0], err)
		}
	}
	return nil
}

// eachElement calls f with each start element of an XML document.
func eachElement(data []byte, f func(xml.StartElement)) error {
	return eachToken(data, func(tok xml.Token) {
		if t, ok := tok.(xml.StartElement); ok {
			f(t)
		}
	})
}

// eachToken calls f with each token of an XML document, as xmlScan reads
// them: names without their prefixes (the readers go by local names), and
// character data only valid until f returns. Open elements are counted,
// so that a part cut short, or closing what it never opened, is an error.
func eachToken(data []byte, f func(xml.Token)) error {
	if data == nil {
		return nil
	}
	depth := 0
	var bad error
	err := xmlScan(data, func(tok xml.Token) {
		if bad != nil {
			return
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth--; depth < 0 {
				bad = errors.New("XML syntax error: an element closed that was never opened")
				return
			}
		}
		f(tok)
	})
	switch {
	case err != nil:
		return err
	case bad != nil:
		return bad
	case depth != 0:
		return fmt.Errorf("XML syntax error: %d elements left open at the end", depth)
	}
	return nil
}

// attr is the value of the attribute with this local name, or "".
func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
