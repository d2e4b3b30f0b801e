package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lmcpress/internal/cache"
	"lmcpress/internal/check"
)

// TestPatientDataOutsideTheText: patient data in front matter, in an
// address, in a copied file's name or text is refused by build and
// reported by check, at the key's line, masked, as in a page's text. Each
// of these was published before.
func TestPatientDataOutsideTheText(t *testing.T) {
	page := func(front, body string) string {
		return "---\ntitle: Flu clinics\ndate: 2020-01-02\n" + front + "---\n\n" + body + "\n"
	}
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  string // in build's and check's output
	}{
		{"topic", map[string]string{"news/flu.md": page("topics: [\"NHS 943 476 5919\"]\n", "Text.")},
			"content/news/flu.md:4: error nhs-number: topics: 943*** ****"},
		{"topic slugged", map[string]string{"news/flu.md": page("topics: [\"nhs-943-476-5919\"]\n", "Text.")},
			"content/news/flu.md:4: error nhs-number: topics: 943*** **** looks like an NHS number: its last digit is the NHS number check digit, in the address it gives"},
		{"alias", map[string]string{"news/flu.md": page("aliases: [/patients/9434765919/]\n", "Text.")},
			"content/news/flu.md:4: error nhs-number: aliases: 943*** ****"},
		{"slug", map[string]string{"news/flu.md": page("slug: smith-943-476-5919\n", "Text.")},
			"content/news/flu.md:4: error nhs-number: slug: 943*** ****"},
		{"file name", map[string]string{"news/smith-9434765919.md": page("", "Text.")},
			"content/news/smith-943*** ****.md: error nhs-number: the page's address, from its file name: 943*** ****"},
		{"areas", map[string]string{"news/flu.md": page("areas: [\"Mr Smith, NHS 943 476 5919\"]\n", "Text.")},
			"content/news/flu.md:4: error nhs-number: areas: 943*** ****"},
		{"change note", map[string]string{"news/flu.md": page("changes:\n  - date: 2020-02-01\n    note: Removed NHS 943 476 5919\n", "Text.")},
			"content/news/flu.md:4: error nhs-number: changes: 943*** ****"},
		{"attachment title", map[string]string{
			"advice/bun/index.md":   page("attachments:\n  - file: letter.pdf\n    title: Letter for NHS 943 476 5919\n", "Text."),
			"advice/bun/letter.pdf": "%PDF-1.4"},
			"content/advice/bun/index.md:4: error nhs-number: attachments: 943*** ****"},
		{"attachment name", map[string]string{
			"advice/bun/index.md":                    page("", "Text."),
			"advice/bun/John Smith 943 476 5919.txt": "Hello."},
			"content/advice/bun/John Smith 943*** ****.txt: error nhs-number: the file's name, published as its address"},
		{"letter", map[string]string{
			"advice/bun/index.md":   page("attachments: [letter.txt]\n", "Text."),
			"advice/bun/letter.txt": "Dear Dr Jones,\n\nRe: Mr John Smith, NHS number 943 476 5919, DOB 12/03/1985\n"},
			"content/advice/bun/letter.txt:3:31: error nhs-number: 943*** ****"},
		{"date of birth in a csv", map[string]string{
			"news/flu.md":   page("", "Text."),
			"news/list.csv": "name,dob\nMrs Jane Smith,DOB 12/03/1985\n"},
			"content/news/list.csv:2:20: error date-of-birth:"},
		{"a hidden sheet of a spreadsheet", map[string]string{
			"advice/bun/index.md": page("attachments: [practices.xlsx]\n", "Text."),
			"advice/bun/practices.xlsx": office(t,
				"xl/workbook.xml", `<workbook xmlns:r="r"><sheets><sheet name="Practices" r:id="rId1"/><sheet name="Patients" state="hidden" r:id="rId2"/></sheets></workbook>`,
				"xl/_rels/workbook.xml.rels", `<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>`,
				"xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>Riverside Surgery</t></is></c></row></sheetData></worksheet>`,
				"xl/worksheets/sheet2.xml", `<worksheet><sheetData><row r="7"><c t="inlineStr"><is><t>Mrs Jane Smith</t></is></c><c><v>9434765919</v></c></row></sheetData></worksheet>`)},
			`content/advice/bun/practices.xlsx: error nhs-number: sheet "Patients" (hidden), row 7: 943*** ****`},
		{"a Word letter's tracked deletion", map[string]string{
			"news/flu.md": page("", "Text."),
			"news/letter.docx": office(t, "word/document.xml", `<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Dear colleague,</w:t></w:r></w:p>`+
				`<w:p><w:r><w:t xml:space="preserve">Re: </w:t></w:r><w:del><w:r><w:delText>943 476 </w:delText></w:r><w:r><w:delText>5919</w:delText></w:r></w:del></w:p></w:body></w:document>`)},
			"content/news/letter.docx: error nhs-number: paragraph 2: 943*** ****"},
		{"a draft's attachment", map[string]string{
			"advice/bun/index.md": page("draft: true\n", "Text."),
			"advice/bun/plan.ics": "BEGIN:VEVENT\nSUMMARY:Clinic for NHS 943 476 5919\nEND:VEVENT\n"},
			"content/advice/bun/plan.ics:2:"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
			for name, data := range tt.files {
				writeFile(t, filepath.Join(root, "content", name), data)
			}
			_, _, err := runCLI(t, "build", "--root", root)
			if err == nil {
				t.Fatal("the build published it")
			}
			if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, "476 5919") || strings.Contains(msg, "4765919") {
				t.Errorf("build: want %q, masked:\n%s", tt.want, msg)
			}
			if _, err := os.Stat(filepath.Join(root, "public")); err == nil {
				t.Error("public/ was written")
			}
			stdout, _, err := runCLI(t, "check", "--root", root)
			if err == nil || !strings.Contains(stdout, tt.want) || strings.Contains(stdout, "476 5919") || strings.Contains(stdout, "4765919") {
				t.Errorf("check: %v, want %q, masked:\n%s", err, tt.want, stdout)
			}
		})
	}
}

// office is an office document of the named parts: a zip archive, as
// Word, Excel and LibreOffice write them.
func office(t *testing.T, parts ...string) string {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err == nil {
			_, err = w.Write([]byte(parts[i+1]))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestDocumentFindingsFromTheCache: a second build takes an unchanged
// document's findings from the build cache, in the same words, and reads a
// changed one again.
func TestDocumentFindingsFromTheCache(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/flu/index.md"), "---\ntitle: Flu\ndate: 2020-01-02\n---\nSee [the letter](letter.docx).\n")
	letter := func(text string) string {
		return office(t, "word/document.xml", `<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>`+text+`</w:t></w:r></w:p></w:body></w:document>`)
	}
	writeFile(t, filepath.Join(root, "content/news/flu/letter.docx"), letter("Re: NHS number 943 476 5919"))
	_, _, first := runCLI(t, "build", "--root", root)
	const want = "content/news/flu/letter.docx: error nhs-number: paragraph 1: 943*** ****"
	if first == nil || !strings.Contains(first.Error(), want) {
		t.Fatalf("first build: %v", first)
	}
	if _, err := os.Stat(filepath.Join(root, ".public.cache")); err != nil {
		t.Fatalf("no build cache: %v", err)
	}
	out, _, second := runCLI(t, "build", "--root", root, "--timings")
	if second == nil || second.Error() != first.Error() {
		t.Errorf("the second build, from the cache, said otherwise:\n%v\nfirst:\n%v\n%s", second, first, out)
	}
	writeFile(t, filepath.Join(root, "content/news/flu/letter.docx"), letter("Re: the flu clinics"))
	if out, _, err := runCLI(t, "build", "--root", root); err != nil {
		t.Errorf("after the letter was mended: %v\n%s", err, out)
	}
}

// TestUnreadableDocumentWarns: a document whose text cannot be read (a
// password-protected one is an OLE file, not a zip) is a warning from
// check, naming it, and does not stop the build.
func TestUnreadableDocumentWarns(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/flu/index.md"), "---\ntitle: Flu\ndate: 2020-01-02\n---\nSee [the list](list.xlsx).\n")
	writeFile(t, filepath.Join(root, "content/news/flu/list.xlsx"), "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"+strings.Repeat("\x00", 504))
	stdout, _, err := runCLI(t, "check", "--root", root)
	const want = "content/news/flu/list.xlsx: warning document: its text could not be read for patient data: it is not a zip archive but an OLE file: a password-protected document"
	if err != nil || !strings.Contains(stdout, want) {
		t.Errorf("check: %v, want %q in:\n%s", err, want, stdout)
	}
	if out, _, err := runCLI(t, "build", "--root", root); err != nil {
		t.Errorf("build: %v\n%s", err, out)
	}
}

// TestPatientDataInAStaticFile: the theme's static files are copied too.
func TestPatientDataInAStaticFile(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/flu.md"), "---\ntitle: Flu\ndate: 2020-01-02\n---\nText.\n")
	writeFile(t, filepath.Join(root, "static/docs/list.html"), "<p>Patient: Mrs Jane Smith, NHS 943 476 5919</p>\n")
	const want = "static/docs/list.html:1:33: error nhs-number: 943*** ****"
	if _, _, err := runCLI(t, "build", "--root", root); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("build: %v, want %q", err, want)
	}
}

// TestPatientDataInSettingsAndTemplates: content/site.yaml and the
// templates are not copied, but their text is on every page.
func TestPatientDataInSettingsAndTemplates(t *testing.T) {
	for _, tt := range []struct{ file, data, want string }{
		{"content/site.yaml", "title: Test LMC\nbaseURL: https://lmc.example.org/\ndescription: Ask about NHS 943 476 5919\n",
			"content/site.yaml:3:28: error nhs-number: 943*** ****"},
		{"templates/_notice.html", "{{define \"notice\"}}<p>Test patient NHS 943 476 5919</p>{{end}}\n",
			"templates/_notice.html:1:40: error nhs-number:"},
	} {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
		writeFile(t, filepath.Join(root, "content/news/flu.md"), "---\ntitle: Flu\ndate: 2020-01-02\n---\nText.\n")
		writeFile(t, filepath.Join(root, tt.file), tt.data)
		if _, _, err := runCLI(t, "build", "--root", root); err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "476 5919") {
			t.Errorf("%s: build gave %v, want %q", tt.file, err, tt.want)
		}
		if stdout, _, err := runCLI(t, "check", "--root", root); err == nil || !strings.Contains(stdout, tt.want) {
			t.Errorf("%s: check gave %v\n%s", tt.file, err, stdout)
		}
	}
}

// TestAllowInFrontMatter: a `# lmcpress:allow RULE` comment on a key's
// line accepts a false positive in its value; check counts it, and warns
// about a marker that allows nothing.
func TestAllowInFrontMatter(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	// A room code that happens to pass the NHS number check.
	event := "---\ntitle: Training\ndate: 2020-01-02\nplace: Room 943 476 5919, Riverside House\n---\nText.\n"
	writeFile(t, filepath.Join(root, "content/events/training.md"), event)
	if _, _, err := runCLI(t, "build", "--root", root); err == nil || !strings.Contains(err.Error(), "content/events/training.md:4: error nhs-number: place:") {
		t.Fatalf("no marker: %v", err)
	}
	writeFile(t, filepath.Join(root, "content/events/training.md"), strings.Replace(event, "House\n", "House # lmcpress:allow nhs-number\n", 1))
	if _, _, err := runCLI(t, "build", "--root", root); err != nil {
		t.Fatalf("with the marker: %v", err)
	}
	html, _ := os.ReadFile(filepath.Join(root, "public/events/training/index.html"))
	if strings.Contains(string(html), "lmcpress:allow") {
		t.Error("the marker reached the page")
	}
	stdout, _, err := runCLI(t, "check", "--root", root)
	if err != nil || !strings.Contains(stdout, "1 finding allowed by lmcpress:allow markers") {
		t.Errorf("check with the marker: %v\n%s", err, stdout)
	}
	writeFile(t, filepath.Join(root, "content/events/training.md"), strings.Replace(event, "date: 2020-01-02\n", "date: 2020-01-02 # lmcpress:allow nhs-number\n", 1))
	stdout, _, _ = runCLI(t, "check", "--root", root)
	if !strings.Contains(stdout, "content/events/training.md:3: warning allow: lmcpress:allow nhs-number allows nothing on this line") {
		t.Errorf("a marker on the wrong line:\n%s", stdout)
	}
}

// TestDraftSectionPageRefused: draft, publishDate and expiryDate have no
// effect on a section's or the home page's _index.md, which is always
// published with its listing; they were ignored, and a "draft" intro went
// live. They are refused.
func TestDraftSectionPageRefused(t *testing.T) {
	for _, tt := range []struct{ file, key string }{
		{"guidance/_index.md", "draft: true"},
		{"news/_index.md", "publishDate: 2099-01-01"},
		{"_index.md", "expiryDate: 2020-01-01"},
	} {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
		writeFile(t, filepath.Join(root, "content/news/flu.md"), "---\ntitle: Flu\ndate: 2020-01-02\n---\nText.\n")
		writeFile(t, filepath.Join(root, "content", tt.file), "---\ntitle: Not ready\n"+tt.key+"\n---\nPlans not yet agreed.\n")
		want := "content/" + tt.file + ":3: error front-matter: " + strings.SplitN(tt.key, ":", 2)[0] + ": has no effect here"
		if _, _, err := runCLI(t, "build", "--root", root); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s with %s: build gave %v, want %q", tt.file, tt.key, err, want)
		}
		if stdout, _, err := runCLI(t, "check", "--root", root); err == nil || !strings.Contains(stdout, want) {
			t.Errorf("%s with %s: check gave %v\n%s", tt.file, tt.key, err, stdout)
		}
	}
}

// TestErrorsMaskPatientData: every error build and check print names a
// file, and may quote a value: patient data in either is starred out, as
// the patient-data findings show it, since the report is read in CI logs.
func TestErrorsMaskPatientData(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content/site.yaml"), "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	writeFile(t, filepath.Join(root, "content/news/smith-9434765919.md"), "---\ntitle: Referral\ndate: 2020-01-02\nsumary: NHS 943 476 5919\n---\nText.\n")
	_, _, err := runCLI(t, "build", "--root", root)
	if err == nil || !strings.Contains(err.Error(), "content/news/smith-943*** ****.md:4: error front-matter: unknown key") {
		t.Errorf("build: %v", err)
	}
	stdout, _, _ := runCLI(t, "check", "--root", root)
	for _, out := range []string{fmt.Sprint(err), stdout} {
		if strings.Contains(out, "4765919") || strings.Contains(out, "476 5919") {
			t.Errorf("the number is printed:\n%s", out)
		}
	}
}

// TestCachedVetFile: an office document is vetted once for given bytes,
// its findings given again from the cache as they were; other files are
// vetted every time.
func TestCachedVetFile(t *testing.T) {
	c, err := cache.Open(filepath.Join(t.TempDir(), "cache"), []byte("test"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	calls := map[string]int{}
	vet := func(name string, read func() ([]byte, error)) []error {
		calls[name]++
		data, _ := read()
		if strings.Contains(string(data), "secret") {
			return []error{check.Finding{File: name, Severity: check.Error, Rule: check.RuleNHSNumber, Message: "paragraph 1: 943*** **** looks like an NHS number", Hint: "remove it"}}
		}
		return nil
	}
	cached := cachedVetFile(c, vet)
	bytesOf := func(s string) func() ([]byte, error) { return func() ([]byte, error) { return []byte(s), nil } }
	first := cached("content/a.docx", bytesOf("secret"))
	again := cached("content/a.docx", bytesOf("secret"))
	if calls["content/a.docx"] != 1 || len(first) != 1 || len(again) != 1 || first[0].Error() != again[0].Error() {
		t.Errorf("vetted %d times; first %v, again %v", calls["content/a.docx"], first, again)
	}
	if errs := cached("content/a.docx", bytesOf("mended")); len(errs) != 0 || calls["content/a.docx"] != 2 {
		t.Errorf("changed bytes: %v, vetted %d times", errs, calls["content/a.docx"])
	}
	if cached("content/b.docx", bytesOf("secret")); calls["content/b.docx"] != 1 {
		t.Errorf("another name with the same bytes was not vetted")
	}
	cached("content/a.csv", bytesOf("x"))
	cached("content/a.csv", bytesOf("x"))
	if calls["content/a.csv"] != 2 {
		t.Errorf("a text file was vetted %d times, want every time", calls["content/a.csv"])
	}
}
