package check

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
)

// tokens writes a token stream as lines, text runs joined, line endings
// as XML reads them (\r\n and \r are \n), so that two readers' streams
// can be compared.
type tokens struct {
	out  []string
	text strings.Builder
}

func (ts *tokens) add(tok xml.Token) {
	if c, ok := tok.(xml.CharData); ok {
		ts.text.Write(c)
		return
	}
	ts.flush()
	switch t := tok.(type) {
	case xml.StartElement:
		s := "<" + t.Name.Local
		for _, a := range t.Attr {
			s += fmt.Sprintf(" %s=%q", a.Name.Local, a.Value)
		}
		ts.out = append(ts.out, s+">")
	case xml.EndElement:
		ts.out = append(ts.out, "</"+t.Name.Local+">")
	}
}

func (ts *tokens) flush() {
	if ts.text.Len() > 0 {
		s := strings.ReplaceAll(strings.ReplaceAll(ts.text.String(), "\r\n", "\n"), "\r", "\n")
		ts.out = append(ts.out, fmt.Sprintf("%q", s))
		ts.text.Reset()
	}
}

// stdTokens is encoding/xml's reading of data, or its error.
func stdTokens(data []byte) ([]string, error) {
	var ts tokens
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			ts.flush()
			return ts.out, nil
		}
		if err != nil {
			return nil, err
		}
		switch tok.(type) {
		case xml.Comment, xml.ProcInst, xml.Directive:
			continue
		}
		ts.add(xml.CopyToken(tok))
	}
}

func scanTokens(data []byte) ([]string, error) {
	var ts tokens
	err := eachToken(data, ts.add)
	ts.flush()
	return ts.out, err
}

// TestXMLScanMatches: xmlScan reads every part of the test documents as
// encoding/xml does.
func TestXMLScanMatches(t *testing.T) {
	n := 0
	for _, doc := range [][]string{letter, workbook, slides, openText, openSheet} {
		for i := 0; i+1 < len(doc); i += 2 {
			if !strings.HasSuffix(doc[i], ".xml") && !strings.HasSuffix(doc[i], ".rels") {
				continue
			}
			n++
			compareXML(t, doc[i], []byte(doc[i+1]))
		}
	}
	for _, c := range []string{
		`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<w:document xmlns:w="w"><w:body><!-- a comment --><w:p><w:r><w:t xml:space="preserve"> a &amp; b &lt;c&gt; &#57;&#x34; &quot;q&apos; </w:t></w:r></w:p></w:body></w:document>`,
		`<!DOCTYPE note [<!ELEMENT note (#PCDATA)>]><note a='single' b = "spaced"  >x<![CDATA[<not a tag> & ]]>y</note>`,
		"<a>\r\nline\rtwo</a>",
		`<a><b/><c x="1"/></a>`,
	} {
		compareXML(t, "literal", []byte(c))
	}
	if n < 15 {
		t.Fatalf("only %d parts compared", n)
	}
}

func compareXML(t *testing.T, name string, data []byte) {
	t.Helper()
	want, err := stdTokens(data)
	if err != nil {
		t.Fatalf("%s: encoding/xml: %v", name, err)
	}
	got, err := scanTokens(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s read otherwise:\n%s\nencoding/xml:\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzXMLScan: wherever encoding/xml reads the input, xmlScan reads the
// same tokens; wherever it does not, xmlScan may refuse it or read it,
// but never panics.
func FuzzXMLScan(f *testing.F) {
	for _, doc := range [][]string{letter, workbook, slides, openText} {
		for i := 1; i < len(doc); i += 2 {
			f.Add([]byte(doc[i]))
		}
	}
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY e "v">]><x a='1'>&amp;<![CDATA[c]]><!--k--><?p i?></x>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := scanTokens(data)
		want, stdErr := stdTokens(data)
		if stdErr != nil || hasDirective(data) {
			return // a DOCTYPE's odd corners (<!>>) are skipped, not read alike
		}
		if err != nil {
			t.Fatalf("encoding/xml reads %q, xmlScan says %v", data, err)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%q:\nxmlScan:\n%s\nencoding/xml:\n%s", data, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// hasDirective reports whether data holds a <! that opens neither a
// comment nor a CDATA section.
func hasDirective(data []byte) bool {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("<!"))
		if j < 0 {
			return false
		}
		rest := data[i+j:]
		if !bytes.HasPrefix(rest, []byte("<!--")) && !bytes.HasPrefix(rest, []byte("<![CDATA[")) {
			return true
		}
		i += j + 2
	}
}

// BenchmarkDocumentXML reads a Word body of 400 paragraphs (100 KB), as
// Word writes them, with xmlScan and with encoding/xml:
//
//	go test -run '^$' -bench DocumentXML ./internal/check
func BenchmarkDocumentXML(b *testing.B) {
	var doc strings.Builder
	doc.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for i := range 400 {
		fmt.Fprintf(&doc, `<w:p w:rsidR="00A1B2C3"><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:rFonts w:cs="Arial"/></w:rPr><w:t xml:space="preserve">Paragraph %d of the letter to practices about </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>the contract</w:t></w:r></w:p>`, i)
	}
	doc.WriteString(`</w:body></w:document>`)
	data := []byte(doc.String())
	b.Run("xmlScan", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var d docText
			if err := d.paragraphs(data, "paragraph", false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-xml", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			dec := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := dec.RawToken(); err != nil {
					break
				}
			}
		}
	})
}
