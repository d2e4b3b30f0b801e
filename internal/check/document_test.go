package check

import (
	"archive/zip"
	"bytes"
	"slices"
	"strings"
	"testing"
)

// zipOf makes an archive of the named parts, as Word, Excel, PowerPoint
// and LibreOffice write them (deflated).
func zipOf(t testing.TB, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const (
	wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	sNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	aNS = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"`
	oNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"`
)

// A model letter: the number split over runs, as Word splits text where
// formatting or spell-checking changes; a deleted draft's number kept by
// track changes; a table with a date-of-birth column; a comment; a header.
var letter = []string{
	"[Content_Types].xml", `<Types/>`,
	"word/document.xml", `<w:document ` + wNS + `><w:body>
<w:p><w:r><w:t>Dear colleague,</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Re: NHS number 943 47</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>6 5919</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Seen on Monday. </w:t></w:r><w:del w:id="1" w:author="LMC"><w:r><w:delText>401 023 2137</w:delText></w:r></w:del></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Name</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>DOB</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>Jane Smith</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>12/03/1985</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>Yours, the LMC office. Call NHS 111 or 0800 123 4567.</w:t></w:r></w:p>
</w:body></w:document>`,
	"word/comments.xml", `<w:comments ` + wNS + `><w:comment w:id="0"><w:p><w:r><w:t>Her number is 4857773457</w:t></w:r></w:p></w:comment></w:comments>`,
	"word/header1.xml", `<w:hdr ` + wNS + `><w:p><w:r><w:t>Mrs Jane Smith, 1 High St, NF1 2AB</w:t></w:r></w:p></w:hdr>`,
	"word/media/image1.png", "\x89PNG",
	"word/_rels/document.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://emis.example/Patient/9000000009" TargetMode="External"/></Relationships>`,
}

// A workbook: a visible summary sheet, and a hidden one with a list of
// patients: shared strings, a date of birth as a date-styled serial number,
// an NHS number as a number, and a comment on a cell.
var workbook = []string{
	"xl/workbook.xml", `<workbook ` + sNS + `><sheets><sheet name="Summary" sheetId="1" r:id="rId1"/><sheet name="Patients" sheetId="2" state="hidden" r:id="rId2"/></sheets></workbook>`,
	"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>`,
	"xl/sharedStrings.xml", `<sst ` + sNS + `><si><t>Practices</t></si><si><t>Name</t></si><si><t>Date of birth</t></si><si><r><t>Jane </t></r><r><t>Smith</t></r><rPh><t>ジェーン</t></rPh></si><si><t>NHS no</t></si></sst>`,
	"xl/styles.xml", `<styleSheet ` + sNS + `><numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="&quot;£&quot;#,##0.00"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>`,
	"xl/worksheets/sheet1.xml", `<worksheet ` + sNS + `><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>42</v></c><c r="C1" s="2"><v>9434765919</v></c></row></sheetData></worksheet>`,
	"xl/worksheets/sheet2.xml", `<worksheet ` + sNS + `><sheetData>
<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c><c r="C1" t="s"><v>4</v></c></row>
<row r="2" hidden="1"><c r="A2" t="s"><v>3</v></c><c r="B2" s="1"><v>31118</v></c><c r="C2"><v>4010232137</v></c></row>
<row r="3"><c r="C3"><v>7</v></c></row>
</sheetData></worksheet>`,
	"xl/comments1.xml", `<comments ` + sNS + `><commentList><comment ref="D7"><text><r><t>ask about 485 777 3457</t></r></text></comment></commentList></comments>`,
}

var slides = []string{
	"ppt/presentation.xml", `<p:presentation ` + aNS + `/>`,
	"ppt/slides/slide10.xml", `<p:sld ` + aNS + `><a:p><a:r><a:t>Case study</a:t></a:r></a:p><a:p><a:r><a:t>NHS number 4010232137</a:t></a:r></a:p></p:sld>`,
	"ppt/slides/slide2.xml", `<p:sld ` + aNS + `><a:p><a:r><a:t>Agenda</a:t></a:r></a:p></p:sld>`,
	"ppt/notesSlides/notesSlide1.xml", `<p:notes ` + aNS + `><a:p><a:r><a:t>Mention 943-476-5919</a:t></a:r></a:p></p:notes>`,
}

var openText = []string{
	"mimetype", "application/vnd.oasis.opendocument.text",
	"content.xml", `<office:document-content ` + oNS + `><office:body><office:text>
<text:p>Dear colleague,</text:p>
<text:p>The NHS number is 943<text:s/>476<text:span> 59</text:span>19<office:annotation><dc:creator>LMC</dc:creator><text:p>check this</text:p></office:annotation> as written.</text:p>
<table:table table:name="List"><table:table-row><table:table-cell><text:p>Name</text:p></table:table-cell><table:table-cell><text:p>DOB</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>Mr Ravi Patel</text:p></table:table-cell><table:table-cell office:value-type="date" office:date-value="1950-02-01"><text:p>01/02/1950</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>`,
}

// An OpenDocument spreadsheet: a sheet is a table:table, by name.
var openSheet = []string{
	"mimetype", "application/vnd.oasis.opendocument.spreadsheet",
	"content.xml", `<office:document-content ` + oNS + ` xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">
<office:automatic-styles><style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles>
<office:body><office:spreadsheet>
<table:table table:name="Practices" table:style-name="ta1"><table:table-row><table:table-cell><text:p>Riverside Surgery</text:p></table:table-cell></table:table-row></table:table>
<table:table table:name="Patients" table:style-name="ta2"><table:table-row><table:table-cell><text:p>Name</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>NHS number</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>Jane Smith</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="float" office:value="9434765919"><text:p>9434765919</text:p></table:table-cell></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>`,
}

func TestDocumentPatientData(t *testing.T) {
	for _, c := range []struct {
		name  string
		parts []string
		want  []string
	}{
		{"content/advice/letter.docx", letter, []string{
			"nhs-number: paragraph 2: 943*** ****",
			"nhs-number: paragraph 3: 401*** ****",        // the deleted draft
			"date-of-birth: paragraph 5: a date of birth", // the table's second row
			"postcode: header 1, paragraph 1: postcode NF***",
			"nhs-number: comments, paragraph 1: 485*** ****",
			"nhs-number: a link's address: 900*** **** in a web address",
		}},
		{"static/lists/practices.xlsx", workbook, []string{
			`date-of-birth: sheet "Patients" (hidden), row 2 (hidden): a date of birth`,
			`nhs-number: sheet "Patients" (hidden), row 2 (hidden): 401*** ****`,
			`nhs-number: sheet "Summary", row 1: 943*** ****`,
			`nhs-number: comments 1, on cell D7: 485*** ****`,
		}},
		{"content/events/agm/slides.pptx", slides, []string{
			"nhs-number: slide 10, paragraph 2: 401*** ****",
			"nhs-number: notes page 1, paragraph 1: 943*** ****",
		}},
		{"static/lists/patients.ods", openSheet, []string{
			`nhs-number: table "Patients" (hidden), row 2: 943*** ****`,
		}},
		{"content/advice/letter.odt", openText, []string{
			"nhs-number: paragraph 2: 943*** ****",
			`date-of-birth: table "List", row 2: a date of birth`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := zipOf(t, c.parts...)
			fs := FilePatientData(c.name, func() ([]byte, error) { return data, nil })
			var got []string
			for _, f := range fs {
				if f.Line != 0 || f.File != c.name || f.Severity != Error {
					t.Errorf("%v: want an error on the whole file", f)
				}
				got = append(got, f.Error())
			}
			all := strings.Join(got, "\n")
			if len(fs) != len(c.want) {
				t.Errorf("%d findings, want %d:\n%s", len(fs), len(c.want), all)
			}
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("no finding %q in:\n%s", w, all)
				}
			}
			for _, leak := range []string{"9434765919", "4010232137", "4857773457", "5919", "2137", "3457", "12/03/1985", "1985", "NF1 2AB"} {
				if strings.Contains(all, leak) {
					t.Errorf("a finding shows %q:\n%s", leak, all)
				}
			}
		})
	}
}

// TestDocumentText: what the scanners read of each kind of document.
func TestDocumentText(t *testing.T) {
	d, err := readDocument("x.xlsx", zipOf(t, workbook...))
	if err != nil {
		t.Fatal(err)
	}
	want := `| Practices | 42 | 9434765919 |
|---|---|---|

| Name | Date of birth | NHS no |
|---|---|---|
| Jane Smith | 12/03/1985 | 4010232137 |
|  |  | 7 |

ask about 485 777 3457

`
	if got := d.buf.String(); got != want {
		t.Errorf("workbook text:\n%s\nwant:\n%s", got, want)
	}
	if len(d.where) != strings.Count(want, "\n") {
		t.Errorf("%d places for %d lines: %q", len(d.where), strings.Count(want, "\n"), d.where)
	}
	d, err = readDocument("x.docx", zipOf(t, letter...))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Split(d.buf.String(), "\n")[3:6], "\n"); got != "| Name | DOB |\n|---|---|\n| Jane Smith | 12/03/1985 |" {
		t.Errorf("a table reads %q", got)
	}
}

func TestDocumentClean(t *testing.T) {
	data := zipOf(t, "word/document.xml", `<w:document `+wNS+`><w:body><w:p><w:r><w:t>The LMC, Riverside House, NF1 2AB. Call NHS 111, or 0800 123 4567. Ref 9434765918.</w:t></w:r></w:p></w:body></w:document>`)
	if fs := FilePatientData("content/a.docx", func() ([]byte, error) { return data, nil }); len(fs) != 0 {
		t.Errorf("findings in a clean letter: %v", fs)
	}
}

// TestDocumentEmbedded: a workbook embedded in a letter is read, and
// where it is said.
func TestDocumentEmbedded(t *testing.T) {
	inner := zipOf(t, workbook...)
	data := zipOf(t, "word/document.xml", `<w:document `+wNS+`><w:body><w:p><w:r><w:t>See the table.</w:t></w:r></w:p></w:body></w:document>`,
		"word/embeddings/Microsoft_Excel_Worksheet.xlsx", string(inner))
	fs := FilePatientData("content/a.docx", func() ([]byte, error) { return data, nil })
	if len(fs) != 4 || !strings.Contains(fs[1].Message, `the document embedded as Microsoft_Excel_Worksheet.xlsx, sheet "Patients" (hidden), row 2 (hidden): `) {
		t.Errorf("findings: %v", fs)
	}
}

// TestDocumentUnreadable: a document that cannot be read is a warning
// saying why, never an error or a panic, and nothing is read past the
// limits.
func TestDocumentUnreadable(t *testing.T) {
	bomb := func() []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create("word/document.xml")
		zeros := make([]byte, 1<<20)
		for range (maxDocBytes >> 20) + 1 {
			w.Write(zeros)
		}
		zw.Close()
		return b.Bytes()
	}()
	deep := zipOf(t, workbook...)
	for range maxDocDepth + 1 {
		deep = zipOf(t, "word/document.xml", `<w:document `+wNS+`/>`, "word/embeddings/inner.docx", string(deep))
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"a.docx", []byte("not a zip"), "not a zip archive"},
		{"a.xlsx", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 600)...), "password-protected"},
		{"a.pptx", zipOf(t, "hello.txt", "hi"), "without a Word, Excel, PowerPoint or OpenDocument document"},
		{"a.docx", zipOf(t, "word/document.xml", "<w:document><w:p>"), "word/document.xml: XML syntax error"},
		{"a.docx", bomb, "more than 64 MB"},
	} {
		fs := FilePatientData("content/"+c.name, func() ([]byte, error) { return c.data, nil })
		if len(fs) != 1 || fs[0].Rule != RuleDocument || fs[0].Severity != Warning || !strings.Contains(fs[0].Message, c.want) {
			t.Errorf("%s (%q...): %v, want one document warning saying %q", c.name, c.data[:min(8, len(c.data))], fs, c.want)
		}
	}
	// Embedded deeper than maxDocDepth: the innermost is not read.
	if fs := FilePatientData("content/deep.docx", func() ([]byte, error) { return deep, nil }); len(fs) != 0 {
		t.Errorf("a document embedded %d deep was read: %v", maxDocDepth+1, fs)
	}
}

func TestColumn(t *testing.T) {
	for ref, want := range map[string]int{"A1": 0, "C7": 2, "Z9": 25, "AA10": 26, "XFD1048576": 16383, "": -1, "7": -1, "ZZZZ1": -1} {
		if got := column(ref); got != want {
			t.Errorf("column(%q) = %d, want %d", ref, got, want)
		}
	}
}

func TestDateFormat(t *testing.T) {
	for code, want := range map[string]bool{
		"dd/mm/yyyy": true, "d-mmm-yy": true, "[$-809]dd mmmm yyyy": true, "yyyy-mm-dd hh:mm": true,
		"0.00": false, `"£"#,##0.00`: false, "hh:mm:ss": false, `0 "days"`: false, `[Red]0`: false, `\d0`: false,
	} {
		if got := dateFormat(code); got != want {
			t.Errorf("dateFormat(%q) = %v, want %v", code, got, want)
		}
	}
}

func FuzzDocument(f *testing.F) {
	for _, parts := range [][]string{letter, workbook, slides, openText, openSheet} {
		f.Add(zipOf(f, parts...))
	}
	f.Add(zipOf(f, "a/notes.txt", "NHS 943 476 5919\n", "a/b.docx", string(zipOf(f, letter...))))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := readDocument("x.docx", data)
		if err == nil && len(d.where) != bytes.Count(d.buf.Bytes(), []byte("\n")) {
			t.Fatalf("%d places for %d lines", len(d.where), bytes.Count(d.buf.Bytes(), []byte("\n")))
		}
		FilePatientData("content/x.xlsx", func() ([]byte, error) { return data, nil })
		FilePatientData("content/x.zip", func() ([]byte, error) { return data, nil })
	})
}

// TestUnreadNote: check says which documents it did not read, so that
// its silence about them is not taken for a clean bill.
func TestUnreadNote(t *testing.T) {
	if n := unreadNote([]string{"news/a.md", "advice/x/letter.docx"}, []string{"css/site.css"}); n != "" {
		t.Errorf("nothing unread, but: %q", n)
	}
	n := unreadNote([]string{"advice/x/model-letter.pdf", "news/b/Minutes.DOC", "news/c/list.xls"}, []string{"docs/a.ppt", "docs/b.pdf"})
	want := "not read for patient data, only by name: 5 PDF and Office 97-2003 documents (content/advice/x/model-letter.pdf, content/news/b/Minutes.DOC, content/news/c/list.xls and 2 more): open them and check before publishing"
	if !strings.HasPrefix(n, want) {
		t.Errorf("note %q\nwant %q...", n, want)
	}
	if n := unreadNote([]string{"a/b.pdf"}, nil); !strings.Contains(n, "1 PDF or Office 97-2003 document (content/a/b.pdf): open it and") {
		t.Errorf("one: %q", n)
	}
}

// places are findings' rules and the places their messages open with:
// "nhs-number: pack/minutes.txt, line 3:".
func places(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule+": "+f.Message[:strings.Index(f.Message, ": ")+1])
	}
	return out
}

// TestArchivePatientData: a .zip's files are read as they would be
// published one by one: names, text files, documents, and archives in it.
func TestArchivePatientData(t *testing.T) {
	inner := zipOf(t, "notes.txt", "Mrs Jane Smith\nDOB: 12/03/1985\n")
	data := zipOf(t,
		"pack/", "",
		"pack/minutes.txt", "Minutes\r\nAttendees: the committee\r\nRe: NHS number 943 476 5919\r\n",
		"pack/letter.docx", string(zipOf(t, letter...)),
		"pack/Smith 4010232137.pdf", "%PDF-1.4",
		"pack/old.zip", string(inner),
		"pack/logo.png", "\x89PNG 4857773457",
	)
	fs := FilePatientData("content/advice/pack.zip", func() ([]byte, error) { return data, nil })
	got := places(fs)
	want := []string{
		"nhs-number: pack/minutes.txt, line 3:",
		"nhs-number: pack/letter.docx, paragraph 2:",
		"nhs-number: pack/letter.docx, paragraph 3:",
		"date-of-birth: pack/letter.docx, paragraph 5:",
		"postcode: pack/letter.docx, header 1, paragraph 1:",
		"nhs-number: pack/letter.docx, comments, paragraph 1:",
		"nhs-number: pack/letter.docx, a link's address:",
		"nhs-number: the name of pack/Smith 401*** ****.pdf:",
		"date-of-birth: pack/old.zip, notes.txt, line 2:",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range fs {
		if s := f.Error(); strings.Contains(s, "4010232137") || strings.Contains(s, "5919") {
			t.Errorf("unmasked: %s", s)
		}
	}
	if fs := FilePatientData("static/a.zip", func() ([]byte, error) { return []byte("PK not really"), nil }); len(fs) != 1 || fs[0].Rule != RuleDocument || !strings.Contains(fs[0].Hint, "files in it") {
		t.Errorf("a broken zip: %v", fs)
	}
}

// TestDocumentNamesMasked: a sheet named for the patient is masked where
// a finding names it.
func TestDocumentNamesMasked(t *testing.T) {
	parts := slices.Clone(workbook)
	parts[1] = strings.Replace(parts[1], `name="Patients"`, `name="Smith 9434765919"`, 1)
	data := zipOf(t, parts...)
	for _, f := range FilePatientData("content/a.xlsx", func() ([]byte, error) { return data, nil }) {
		if strings.Contains(f.Error(), "9434765919") {
			t.Errorf("unmasked: %s", f.Error())
		}
	}
}

// TestPivotCache: a pivot table keeps a copy of its source data in the
// workbook, read even when the sheet it came from has gone, and when only
// the fields' values were saved.
func TestPivotCache(t *testing.T) {
	def := `<pivotCacheDefinition ` + sNS + ` recordCount="2"><cacheFields count="3">
<cacheField name="Patient"><sharedItems><s v="Mrs Jane Smith"/><s v="Mr Ravi Patel"/></sharedItems></cacheField>
<cacheField name="DOB"><sharedItems containsDate="1"><d v="1985-03-12T00:00:00"/><d v="1950-02-01T00:00:00"/></sharedItems></cacheField>
<cacheField name="NHS number"><sharedItems containsNumber="1"/></cacheField>
</cacheFields></pivotCacheDefinition>`
	records := `<pivotCacheRecords ` + sNS + ` count="2"><r><x v="0"/><x v="0"/><n v="9434765919"/></r><r><x v="1"/><x v="1"/><n v="4010232137"/></r></pivotCacheRecords>`
	book := []string{
		"xl/workbook.xml", `<workbook ` + sNS + `><sheets><sheet name="Totals" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml", `<worksheet ` + sNS + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Patients seen: 2</t></is></c></row></sheetData></worksheet>`,
		"xl/pivotCache/pivotCacheDefinition1.xml", def,
	}
	with := zipOf(t, append(slices.Clone(book), "xl/pivotCache/pivotCacheRecords7.xml", records,
		"xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/pivotCacheRecords" Target="pivotCacheRecords7.xml"/></Relationships>`,
		"xl/externalLinks/externalLink1.xml", `<externalLink `+sNS+`><externalBook><sheetDataSet><sheetData sheetId="0"><row r="3"><cell r="A3" t="str"><v>Mrs Jane Smith</v></cell><cell r="B3"><v>4857773457</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>`)...)
	got := places(FilePatientData("content/totals.xlsx", func() ([]byte, error) { return with, nil }))
	want := []string{
		"nhs-number: the values kept from another workbook, link 1, row 3:",
		"date-of-birth: the data kept by pivot table cache 1, record 1:",
		"nhs-number: the data kept by pivot table cache 1, record 1:",
		"date-of-birth: the data kept by pivot table cache 1, record 2:",
		"nhs-number: the data kept by pivot table cache 1, record 2:",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Without the records, the fields' values are still there.
	def = strings.Replace(def, `<cacheField name="NHS number"><sharedItems containsNumber="1"/>`, `<cacheField name="NHS number"><sharedItems><n v="9434765919"/></sharedItems>`, 1)
	book[len(book)-1] = def
	without := zipOf(t, book...)
	fs := FilePatientData("content/totals.xlsx", func() ([]byte, error) { return without, nil })
	if len(fs) != 2 || !strings.HasPrefix(fs[0].Message, `the data kept by pivot table cache 1, field "DOB": a date of birth`) ||
		!strings.HasPrefix(fs[1].Message, `the data kept by pivot table cache 1, field "NHS number": 943*** ****`) {
		t.Errorf("without records: %v", fs)
	}
}

// BenchmarkDocument reads and scans the test letter and workbook, as the
// build does each published document.
func BenchmarkDocument(b *testing.B) {
	letter, book := zipOf(b, letter...), zipOf(b, workbook...)
	b.SetBytes(int64(len(letter) + len(book)))
	for b.Loop() {
		FilePatientData("content/a.docx", func() ([]byte, error) { return letter, nil })
		FilePatientData("content/a.xlsx", func() ([]byte, error) { return book, nil })
	}
}

// TestDocumentAllow: an lmcpress:allow marker typed into a paragraph of a
// document accepts a finding there, as in a page, even with the hyphens
// Word's AutoCorrect turns into a dash; a finding elsewhere stays.
func TestDocumentAllow(t *testing.T) {
	for _, marker := range []string{"&lt;!-- lmcpress:allow nhs-number --&gt;", "&lt;!\u2013 lmcpress:allow nhs-number \u2013&gt;", "&lt;!\u2014 lmcpress:allow nhs-number \u2014&gt;"} {
		data := zipOf(t, "word/document.xml", `<w:document `+wNS+`><w:body><w:p><w:r><w:t>Room 943 476 5919 `+marker+`</w:t></w:r></w:p><w:p><w:r><w:t>NHS 401 023 2137</w:t></w:r></w:p></w:body></w:document>`)
		fs := FilePatientData("content/a.docx", func() ([]byte, error) { return data, nil })
		if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "paragraph 2: 401*** ****") {
			t.Errorf("marker %q: %v", marker, fs)
		}
	}
}

// TestDocumentFieldCodes: a Word field's code is read, so a HYPERLINK
// field's address is scanned as a link's is; a malformed tag's excerpt in
// a warning is masked.
func TestDocumentFieldCodes(t *testing.T) {
	data := zipOf(t, "word/document.xml", `<w:document `+wNS+`><w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>`+
		`<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://emis.example/Patient/9434765919" </w:instrText></w:r>`+
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>the record</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:document>`)
	fs := FilePatientData("content/a.docx", func() ([]byte, error) { return data, nil })
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "paragraph 1: 943*** **** in a web address") {
		t.Errorf("findings: %v", fs)
	}
	bad := zipOf(t, "word/document.xml", `<w:document `+wNS+`><w:body><w:p 9434765919></w:p></w:body></w:document>`)
	fs = FilePatientData("content/b.docx", func() ([]byte, error) { return bad, nil })
	if len(fs) != 1 || fs[0].Rule != RuleDocument || strings.Contains(fs[0].Error(), "9434765919") {
		t.Errorf("a malformed tag: %v", fs)
	}
}
