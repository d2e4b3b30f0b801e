package check

// The text of a spreadsheet (.xlsx): its sheets, in the workbook's order
// and hidden ones too, a line a row as a Markdown table's, with shared
// strings looked up, dates shown as dates rather than Excel's serial
// numbers; the comments on cells; the source data pivot tables keep; the
// values kept from linked workbooks. See document.go.

import (
	"encoding/xml"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// excel reads a workbook: every sheet, in the workbook's order, hidden
// ones too, a line a row; then the comments.
func (d *docText) excel(names []string, part func(string) ([]byte, error), label func(string) string) error {
	shared, err := sharedStrings(part)
	if err != nil {
		return err
	}
	dates, base, err := dateStyles(part)
	if err != nil {
		return err
	}
	wb, err := part("xl/workbook.xml")
	if err != nil {
		return err
	}
	rels, err := part("xl/_rels/workbook.xml.rels")
	if err != nil {
		return err
	}
	targets := map[string]string{}
	if err := eachElement(rels, func(t xml.StartElement) {
		if t.Name.Local == "Relationship" {
			target := attr(t, "Target")
			if strings.HasPrefix(target, "/") {
				target = target[1:]
			} else {
				target = path.Join("xl", target)
			}
			targets[attr(t, "Id")] = target
		}
	}); err != nil {
		return fmt.Errorf("xl/_rels/workbook.xml.rels: %w", err)
	}
	type sheet struct{ name, part, state string }
	var sheets []sheet
	seen := map[string]bool{}
	if err := eachElement(wb, func(t xml.StartElement) {
		if t.Name.Local == "workbookPr" && (attr(t, "date1904") == "1" || attr(t, "date1904") == "true") {
			base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		if t.Name.Local == "sheet" {
			if p := targets[attr(t, "id")]; p != "" {
				sheets = append(sheets, sheet{attr(t, "name"), p, attr(t, "state")})
				seen[p] = true
			}
		}
	}); err != nil {
		return fmt.Errorf("xl/workbook.xml: %w", err)
	}
	// Sheets the workbook does not list are still in the file.
	for _, n := range numbered(names, "xl/worksheets/sheet") {
		if !seen[n] {
			sheets = append(sheets, sheet{path.Base(n), n, "not listed in the workbook"})
		}
	}
	for _, s := range sheets {
		b, err := part(s.part)
		if err != nil {
			return err
		}
		if b == nil {
			continue
		}
		what := fmt.Sprintf("sheet %q", s.name)
		if s.state != "" && s.state != "visible" {
			what += " (" + s.state + ")"
		}
		if err := d.rows(b, shared, dates, base, label(what)); err != nil {
			return fmt.Errorf("%s: %w", s.part, err)
		}
	}
	for _, n := range numbered(names, "xl/comments") {
		b, err := part(n)
		if err != nil {
			return err
		}
		if err := d.cellComments(b, label("comments "+strconv.Itoa(partNumber(n)))); err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	// A formula's link to another workbook keeps that workbook's values.
	for _, n := range numbered(names, "xl/externalLinks/externalLink") {
		b, err := part(n)
		if err != nil {
			return err
		}
		if err := d.rows(b, nil, nil, base, label("the values kept from another workbook, link "+strconv.Itoa(partNumber(n)))); err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
	}
	for _, n := range numbered(names, "xl/pivotCache/pivotCacheDefinition") {
		if err := d.pivotCache(n, part, label); err != nil {
			return err
		}
	}
	return nil
}

// pivotCache reads the copy of its source data that a pivot table keeps
// in the workbook: it stays there, unseen, when the sheet it came from is
// deleted or the table shows only totals. The definition names the fields
// and lists their distinct values; the records, when saved, are the rows,
// each value given or an index into its field's values. Written as a
// table, a line a record, or else a line a field's values.
func (d *docText) pivotCache(def string, part func(string) ([]byte, error), label func(string) string) error {
	b, err := part(def)
	if err != nil {
		return err
	}
	type field struct {
		name  string
		items []string
	}
	var fields []field
	inShared := false
	if err := eachToken(b, func(tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "cacheField":
				fields = append(fields, field{name: attr(t, "name")})
			case "sharedItems":
				inShared = true
			case "s", "n", "d", "b", "e", "m":
				if inShared && len(fields) > 0 {
					f := &fields[len(fields)-1]
					f.items = append(f.items, pivotValue(t))
				}
			}
		case xml.EndElement:
			if t.Name.Local == "sharedItems" {
				inShared = false
			}
		}
	}); err != nil {
		return fmt.Errorf("%s: %w", def, err)
	}
	what := label("the data kept by pivot table cache " + strconv.Itoa(partNumber(def)))
	defer d.gap()
	// The records are the part the definition's relationships name;
	// Excel numbers the two alike, which is the guess without them (or
	// when they cannot be read).
	recordsPart := strings.Replace(def, "pivotCacheDefinition", "pivotCacheRecords", 1)
	rels, err := part(path.Join(path.Dir(def), "_rels", path.Base(def)+".rels"))
	if err != nil {
		return err
	}
	_ = eachElement(rels, func(t xml.StartElement) {
		if t.Name.Local == "Relationship" && strings.HasSuffix(attr(t, "Type"), "/pivotCacheRecords") {
			recordsPart = path.Join(path.Dir(def), attr(t, "Target"))
		}
	})
	records, err := part(recordsPart)
	if err != nil {
		return err
	}
	if records == nil {
		for _, f := range fields {
			d.buf.WriteString(f.name + ": " + strings.Join(f.items, " | "))
			d.line(what + ", field " + strconv.Quote(f.name))
		}
		return nil
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	d.buf.WriteString("| " + strings.Join(names, " | ") + " |")
	d.line(what + ", its field names")
	d.buf.WriteString(strings.Repeat("|---", max(len(fields), 1)) + "|")
	d.line(what + ", its field names")
	var row []string
	n := 0
	return eachToken(records, func(tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "r":
				row = row[:0]
			case "x":
				k := len(row)
				v := ""
				if i, err := strconv.Atoi(attr(t, "v")); err == nil && k < len(fields) && i >= 0 && i < len(fields[k].items) {
					v = fields[k].items[i]
				}
				row = append(row, v)
			case "s", "n", "d", "b", "e", "m":
				row = append(row, pivotValue(t))
			}
		case xml.EndElement:
			if t.Name.Local == "r" {
				n++
				d.buf.WriteString("| " + strings.Join(row, " | ") + " |")
				d.line(fmt.Sprintf("%s, record %d", what, n))
			}
		}
	})
}

// pivotValue is a pivot cache's value as a reader would see it: a date
// (d, an ISO date and time) as dd/mm/yyyy, anything else as written.
func pivotValue(t xml.StartElement) string {
	v := strings.ReplaceAll(attr(t, "v"), "\n", " ")
	if t.Name.Local == "d" {
		if tm, err := time.Parse("2006-01-02T15:04:05", v); err == nil {
			return tm.Format("02/01/2006")
		}
	}
	return v
}

// rows writes a sheet's rows, its first row followed by a Markdown
// table's delimiter row, so that a header naming a date-of-birth column
// is read as one.
func (d *docText) rows(data []byte, shared []string, dates map[int]bool, base time.Time, what string) error {
	var row []string
	var cell strings.Builder
	var kind, style, rowNum string
	inValue, inText, first := false, false, true
	defer d.gap()
	return eachToken(data, func(tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				row, rowNum = row[:0], attr(t, "r")
				if h := attr(t, "hidden"); h == "1" || h == "true" {
					rowNum += " (hidden)"
				}
			case "c", "cell":
				cell.Reset()
				kind, style = attr(t, "t"), attr(t, "s")
				// Cells left empty are not written: the next cell's
				// column says how many, so that each stays under its
				// header. A gap wider than a sheet is read is ignored.
				if col := column(attr(t, "r")); col > len(row) && col-len(row) <= maxGap {
					for len(row) < col {
						row = append(row, "")
					}
				}
			case "v":
				inValue = true
			case "t":
				inText = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inValue = false
			case "t":
				inText = false
			case "c", "cell":
				v := cell.String()
				switch kind {
				case "s":
					if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && i >= 0 && i < len(shared) {
						v = shared[i]
					}
				case "", "n":
					if si, err := strconv.Atoi(style); err == nil && dates[si] {
						if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 && f < 2958466 {
							v = base.AddDate(0, 0, int(f)).Format("02/01/2006")
						}
					}
				}
				row = append(row, strings.ReplaceAll(strings.TrimSpace(v), "\n", " "))
			case "row":
				if len(row) == 0 {
					return
				}
				where := what + ", row " + rowNum
				d.buf.WriteString("| " + strings.Join(row, " | ") + " |")
				d.line(where)
				if first {
					d.buf.WriteString(strings.Repeat("|---", len(row)) + "|")
					d.line(where)
					first = false
				}
			}
		case xml.CharData:
			if inValue || inText {
				cell.Write(t)
			}
		}
	})
}

// maxGap is the widest run of empty cells a row is padded with.
const maxGap = 64

// column is the 0-based column of a cell reference ("C7" → 2), or -1.
func column(ref string) int {
	n := 0
	for i := 0; i < len(ref); i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			if i == 0 {
				return -1
			}
			break
		}
		if n = n*26 + int(c-'a'+1); n > 1<<14 {
			return -1
		}
	}
	return n - 1
}

// cellComments writes each comment on a cell, a line each.
func (d *docText) cellComments(data []byte, what string) error {
	ref, inText, open := "", false, false
	defer d.gap()
	return eachToken(data, func(tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "comment":
				ref, open = attr(t, "ref"), false
			case "t":
				inText = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "comment":
				if open {
					d.line(what + ", on cell " + ref)
				}
			}
		case xml.CharData:
			if inText {
				d.oneLine(t)
				open = true
			}
		}
	})
}

// sharedStrings are a workbook's strings, which cells of type "s" give by
// index; a rich string's runs are joined, its phonetic guides left out.
func sharedStrings(part func(string) ([]byte, error)) ([]string, error) {
	b, err := part("xl/sharedStrings.xml")
	if err != nil || b == nil {
		return nil, err
	}
	var out []string
	var cur strings.Builder
	inText, phonetic := false, 0
	if err := eachToken(b, func(tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				cur.Reset()
			case "t":
				inText = true
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				out = append(out, cur.String())
			case "t":
				inText = false
			case "rPh":
				phonetic--
			}
		case xml.CharData:
			if inText && phonetic == 0 {
				cur.Write(t)
			}
		}
	}); err != nil {
		return nil, fmt.Errorf("xl/sharedStrings.xml: %w", err)
	}
	return out, nil
}

// dateStyles are the cell styles (indexes into cellXfs) whose number
// format shows a date, and the date serial number 0 is (1899-12-30, so
// that the serial numbers after Excel's phantom 29 February 1900, every
// real date of birth, come out right).
func dateStyles(part func(string) ([]byte, error)) (map[int]bool, time.Time, error) {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	b, err := part("xl/styles.xml")
	if err != nil || b == nil {
		return nil, base, err
	}
	custom := map[string]bool{} // numFmtId → shows a date
	styles := map[int]bool{}
	inXfs, n := false, 0
	if err := eachToken(b, func(tok xml.Token) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				custom[attr(t, "numFmtId")] = dateFormat(attr(t, "formatCode"))
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs {
					id := attr(t, "numFmtId")
					if k, err := strconv.Atoi(id); err == nil && (14 <= k && k <= 22 || 45 <= k && k <= 47) || custom[id] {
						styles[n] = true
					}
					n++
				}
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}); err != nil {
		return nil, base, fmt.Errorf("xl/styles.xml: %w", err)
	}
	return styles, base, nil
}

// dateFormat reports whether a number format code shows a date: it has a
// day, month or year outside quotes and brackets, as d/m/yyyy and
// [$-809]dd mmmm yyyy do, and 0.00 and "£"#,##0 do not.
func dateFormat(code string) bool {
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case bracket:
		case c == '\\':
			i++
		case c == 'd' || c == 'D' || c == 'y' || c == 'Y':
			return true
		}
	}
	return false
}
