package check

// A reader of the XML in office documents, for eachToken, cheaper than
// encoding/xml, which reads a byte at a time through an interface and
// allocates every name.
//
// Measured before it was written: a build of the sample site with 200
// real two-page Word letters (NHS Notify's template: body, header,
// footers, comments) took 1.36-1.42 s of CPU with encoding/xml's
// RawToken, against 0.13 s without them; with xmlScan, 0.80-0.84 s.
// One letter read and scanned: 5.8 ms against 3.1 ms (go test -bench
// on one core, fastest of five runs). BenchmarkDocumentXML times the two
// on a 100 KB Word body.
//
// It reads what the document readers use, and nothing more: elements'
// local names, their attributes, character data with entities and
// character references decoded (by html.UnescapeString: XML's five named
// entities and, beyond XML, HTML's, which encoding/xml would refuse) and
// CDATA; comments, processing instructions and a DOCTYPE are skipped (its
// entities are never expanded, as encoding/xml never expands them).
// TestXMLScanMatches runs it and encoding/xml side by side over the test
// documents, and FuzzXMLScan over whatever the fuzzer makes: they must
// give the same tokens wherever encoding/xml reads the input and it has
// no DOCTYPE. The 1,147 XML parts of 85 real documents (NHS Notify's
// templates, python-docx's and tealeg/xlsx's test files) read alike.

import (
	"bytes"
	"encoding/xml"
	"errors"
	"html"
	"strconv"
	"strings"
)

var errXMLEOF = errors.New("XML syntax error: unexpected end of the part")

// xmlScan calls f with each token of data, as xml.Decoder.RawToken gives
// them but with names' prefixes dropped.
func xmlScan(data []byte, f func(xml.Token)) error {
	i := 0
	for i < len(data) {
		if data[i] != '<' {
			j := bytes.IndexByte(data[i:], '<')
			if j < 0 {
				j = len(data) - i
			}
			f(xml.CharData(unescapeXML(data[i : i+j])))
			i += j
			continue
		}
		rest := data[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			j := bytes.Index(rest[4:], []byte("-->"))
			if j < 0 {
				return errXMLEOF
			}
			i += 4 + j + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			j := bytes.Index(rest[9:], []byte("]]>"))
			if j < 0 {
				return errXMLEOF
			}
			f(xml.CharData(rest[9 : 9+j]))
			i += 9 + j + 3
		case bytes.HasPrefix(rest, []byte("<?")):
			j := bytes.Index(rest[2:], []byte("?>"))
			if j < 0 {
				return errXMLEOF
			}
			i += 2 + j + 2
		case bytes.HasPrefix(rest, []byte("<!")):
			// A DOCTYPE, with its internal subset in brackets.
			n, depth := 2, 0
			for ; n < len(rest); n++ {
				if c := rest[n]; c == '[' {
					depth++
				} else if c == ']' {
					depth--
				} else if c == '>' && depth <= 0 {
					break
				}
			}
			if n == len(rest) {
				return errXMLEOF
			}
			i += n + 1
		case len(rest) > 1 && rest[1] == '/':
			name, n := xmlName(rest, 2)
			n = skipXMLSpace(rest, n)
			if name == "" || n >= len(rest) || rest[n] != '>' {
				return xmlSyntax(rest)
			}
			f(xml.EndElement{Name: xml.Name{Local: name}})
			i += n + 1
		default:
			name, n := xmlName(rest, 1)
			if name == "" {
				return xmlSyntax(rest)
			}
			start := xml.StartElement{Name: xml.Name{Local: name}}
			closed := false
			for {
				n = skipXMLSpace(rest, n)
				if n >= len(rest) {
					return errXMLEOF
				}
				if rest[n] == '>' {
					n++
					break
				}
				if rest[n] == '/' {
					if n+1 >= len(rest) || rest[n+1] != '>' {
						return xmlSyntax(rest)
					}
					n += 2
					closed = true
					break
				}
				an, m := xmlName(rest, n)
				m = skipXMLSpace(rest, m)
				if an == "" || m >= len(rest) || rest[m] != '=' {
					return xmlSyntax(rest)
				}
				m = skipXMLSpace(rest, m+1)
				if m >= len(rest) || rest[m] != '"' && rest[m] != '\'' {
					return xmlSyntax(rest)
				}
				end := bytes.IndexByte(rest[m+1:], rest[m])
				if end < 0 {
					return errXMLEOF
				}
				start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: an}, Value: string(unescapeXML(rest[m+1 : m+1+end]))})
				n = m + 1 + end + 1
			}
			f(start)
			if closed {
				f(xml.EndElement{Name: start.Name})
			}
			i += n
		}
	}
	return nil
}

// xmlName reads a name at b[i:], and returns its local part (after any
// prefix) and where it ends.
func xmlName(b []byte, i int) (string, int) {
	j := i
	for j < len(b) {
		c := b[j]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '>' || c == '/' || c == '=' || c == '<' || c == '"' || c == '\'' {
			break
		}
		j++
	}
	name := b[i:j]
	// As encoding/xml splits a name: at its first colon, unless the name
	// starts or ends there.
	if k := bytes.IndexByte(name, ':'); k >= 1 && k <= len(name)-2 {
		name = name[k+1:]
	}
	return localName(name), j
}

// localNames are the names the document readers meet most, so that
// reading one does not allocate.
var localNames = func() map[string]string {
	m := map[string]string{}
	names := "p r t rPr pPr b i u sz szCs rFonts lang color tab br tc tr tbl tcPr trPr tblPr tblGrid gridCol tcW " +
		"pStyle spacing jc ind rsid bookmarkStart bookmarkEnd proofErr noProof vertAlign kern highlight shd " +
		"c v row is si sheet cacheField sharedItems s n x d h delText ins del span table-cell table-row Relationship"
	for _, n := range strings.Fields(names) {
		m[n] = n
	}
	return m
}()

func localName(b []byte) string {
	if s, ok := localNames[string(b)]; ok { // the conversion does not allocate
		return s
	}
	return string(b)
}

func skipXMLSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// unescapeXML decodes entities and character references, copying only
// when there are any.
func unescapeXML(b []byte) []byte {
	if bytes.IndexByte(b, '&') < 0 {
		return b
	}
	return []byte(html.UnescapeString(string(b)))
}

func xmlSyntax(rest []byte) error {
	// Masked: the tag may be next to a patient's details.
	return errors.New("XML syntax error: a malformed tag at " + strconv.Quote(Mask(string(rest[:min(len(rest), 20)]))))
}
