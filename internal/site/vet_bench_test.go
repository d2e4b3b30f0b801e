package site_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lmcpress/internal/check"
	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

// wordLetter is a Word document of about the size of a two-page letter
// with its header, footer and comments: 400 paragraphs of runs, as Word
// writes them.
func wordLetter(b *testing.B) []byte {
	b.Helper()
	var doc strings.Builder
	doc.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for i := range 400 {
		fmt.Fprintf(&doc, `<w:p w:rsidR="00A1B2C3"><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:rFonts w:cs="Arial"/></w:rPr><w:t xml:space="preserve">Paragraph %d of the letter to practices about </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>the contract</w:t></w:r></w:p>`, i)
	}
	doc.WriteString(`</w:body></w:document>`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(doc.String()))
	zw.Close()
	return buf.Bytes()
}

// BenchmarkRebuildWithDocuments measures the preview's rebuild after a
// page's title changes (which loads the site again, as adding a file
// does), on a small site with 200 Word documents, with the build's file
// checks (check.VetFile):
//
//	go test -run '^$' -bench RebuildWithDocuments -benchtime 20x ./internal/site
func BenchmarkRebuildWithDocuments(b *testing.B) {
	root := b.TempDir()
	write := func(rel string, data []byte) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	write("content/site.yaml", []byte("title: Test LMC\nbaseURL: https://lmc.example.org/\n"))
	letter := wordLetter(b)
	for i := range 200 {
		write(fmt.Sprintf("static/letters/letter-%d.docx", i), letter)
	}
	for i := range 20 {
		write(fmt.Sprintf("content/news/n%d.md", i), []byte(fmt.Sprintf("---\ntitle: News %d\ndate: 2020-01-%02d\n---\n\nText.\n", i, i+1)))
	}
	c := os.DirFS(filepath.Join(root, "content"))
	o := options(b, c, os.DirFS(filepath.Join(root, "templates")), os.DirFS(filepath.Join(root, "static")), content.Visibility{})
	o.Check, o.CheckFile = check.Vet, check.VetFile
	bl := site.NewBuilder(o)
	if _, err := bl.Rebuild(nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		write("content/news/n0.md", []byte(fmt.Sprintf("---\ntitle: News, edit %d\ndate: 2020-01-01\n---\n\nText.\n", i)))
		if _, err := bl.Rebuild([]string{"content/news/n0.md"}); err != nil {
			b.Fatal(err)
		}
	}
}
