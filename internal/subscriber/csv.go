package subscriber

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// This file reads and writes lists as CSV: lmcpress's own format, and the
// exports of the services LMCs move from (Mailchimp's audience export,
// listmonk's subscriber export). The format is told from the header row.

// Cleaned is the reason of a suppression entry for an address a previous
// service stopped mailing because it bounced (Mailchimp's "cleaned").
const Cleaned Kind = "cleaned"

// Accessed is the consent-log entry of a subject access request: staff
// printed everything held on the person (lmcpress subscribers show).
const Accessed Kind = "accessed"

// Record is one person of a list file, or of the store's export: the
// subscriber and where their consent came from.
type Record struct {
	Subscriber
	// ConsentAt and ConsentSource are when and where the person first gave
	// consent: the sign-up form, a previous service's opt-in or
	// confirmation time, or the import that vouched for them.
	ConsentAt     time.Time
	ConsentSource string
	// Suppress, when set (Left or Cleaned), makes the record a suppression
	// entry only: the address must never be added again, and nothing else
	// about the person is kept. SuppressAt is when it happened, if known.
	Suppress   Kind
	SuppressAt time.Time
	// Line is where the record starts in its file (0: not from a file).
	Line int
}

// Format is a kind of list file.
type Format string

const (
	FormatLMC       Format = "lmcpress"
	FormatMailchimp Format = "mailchimp"
	FormatListmonk  Format = "listmonk"
)

// Columns is lmcpress's own CSV header, in the order Write writes it. A
// file may give them in any order; only email is required.
var Columns = []string{"email", "name", "role", "practice", "ods_code", "areas", "status", "consent_date", "consent_source"}

// Limits of a list file, so that a mistaken or hostile file costs bounded
// memory: LMC lists are hundreds to a few thousand people.
const (
	MaxFileBytes  = 64 << 20
	MaxRecordSize = 64 << 10
	MaxRecords    = 200_000
	maxLineErrors = 1000
)

// LineError is what is wrong with one line of a list file.
type LineError struct {
	File  string
	Line  int
	Field string // the column, or "" for the whole line
	Err   error
}

func (e *LineError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d: %s: %v", e.File, e.Line, e.Field, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// ReadOptions say what a list file is checked against.
type ReadOptions struct {
	// Areas are site.yaml's areas; a record naming another is refused.
	Areas []string
	// Now is the time of the import: a record that says nothing of its
	// consent is vouched for by the import, at Now.
	Now time.Time
}

// Read reads a list file called name (for messages). It returns the
// format, the records it could read and one LineError for each line it
// could not (bad address, unknown area, an address repeated in the file,
// ...): a bad line never stops the good ones. The error is for a file that
// cannot be read at all (no header, no email column, too large).
func Read(r io.Reader, name string, o ReadOptions) (Format, []Record, []error, error) {
	lr := &limitedReader{r: r, n: MaxFileBytes}
	cr := csv.NewReader(bufio.NewReader(lr))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if lr.over {
		return "", nil, nil, fmt.Errorf("%s: larger than %d MB; split it into smaller files", name, MaxFileBytes>>20)
	}
	if errors.Is(err, io.EOF) {
		return "", nil, nil, fmt.Errorf("%s: empty; the first line must name the columns, e.g. %s", name, strings.Join(Columns, ","))
	}
	if err != nil {
		return "", nil, nil, fmt.Errorf("%s: the header row: %w", name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\uFEFF") // Excel's byte order mark
	}
	f, cols, err := detect(header)
	if err != nil {
		return "", nil, nil, fmt.Errorf("%s:1: %w", name, err)
	}
	var recs []Record
	var errs []error
	seen := map[string]int{} // lower-cased email → line
	lastOffset := cr.InputOffset()
	for {
		rec, err := cr.Read()
		line := 0
		if err == nil && len(rec) > 0 {
			line, _ = cr.FieldPos(0)
		}
		offset := cr.InputOffset()
		size := offset - lastOffset
		lastOffset = offset
		if lr.over {
			return "", nil, nil, fmt.Errorf("%s: larger than %d MB; split it into smaller files", name, MaxFileBytes>>20)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if len(errs) >= maxLineErrors {
			errs = append(errs, fmt.Errorf("%s: more than %d bad lines; stopped reading: is this the right file?", name, maxLineErrors))
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return "", nil, nil, fmt.Errorf("%s: %w", name, err)
			}
			err = fmt.Errorf("%v (a field with a quote \" must be quoted, with the quote doubled)", pe.Err)
			errs = append(errs, &LineError{File: name, Line: pe.StartLine, Err: err})
			continue
		}
		if size > MaxRecordSize {
			errs = append(errs, &LineError{File: name, Line: line, Err: fmt.Errorf("longer than %d KB", MaxRecordSize>>10)})
			continue
		}
		if len(recs) >= MaxRecords {
			errs = append(errs, fmt.Errorf("%s: more than %d people; split the file", name, MaxRecords))
			break
		}
		if isBlank(rec) {
			continue
		}
		r, field, err := parseRecord(f, cells{cols, rec}, o)
		if err != nil {
			errs = append(errs, &LineError{File: name, Line: line, Field: field, Err: err})
			continue
		}
		r.Line = line
		key := strings.ToLower(r.Email)
		if first, dup := seen[key]; dup {
			errs = append(errs, &LineError{File: name, Line: line, Field: "email", Err: fmt.Errorf("%s is already on line %d of this file", r.Email, first)})
			continue
		}
		seen[key] = line
		recs = append(recs, r)
	}
	return f, recs, errs, nil
}

// detect tells the format from the header and maps each column the
// format uses to its index.
func detect(header []string) (Format, map[string]int, error) {
	cols, lower := map[string]int{}, map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := cols[h]; !dup {
			cols[h] = i
		}
		if _, dup := lower[strings.ToLower(h)]; !dup {
			lower[strings.ToLower(h)] = i
		}
	}
	switch {
	case hasKey(cols, "Email Address"):
		return FormatMailchimp, cols, nil
	case hasKey(cols, "uuid") && hasKey(cols, "email") && hasKey(cols, "attributes"):
		return FormatListmonk, cols, nil
	case hasKey(lower, "email"):
		for h := range lower {
			if h != "" && !isColumn(h) {
				return "", nil, fmt.Errorf("unknown column %q; lmcpress's columns are %s", clip(h), strings.Join(Columns, ","))
			}
		}
		return FormatLMC, lower, nil
	}
	if strings.ContainsRune(strings.Join(header, ""), 0) {
		return "", nil, fmt.Errorf("the file looks like UTF-16 (Excel's \"Unicode text\"); save it as \"CSV UTF-8\" and import that")
	}
	return "", nil, fmt.Errorf("no email column: the first line must name the columns, e.g. %s (or be a Mailchimp or listmonk export)", strings.Join(Columns, ","))
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// cells is one line of a file, read by column name.
type cells struct {
	cols map[string]int
	rec  []string
}

func (c cells) get(col string) string {
	if i, ok := c.cols[col]; ok && i < len(c.rec) {
		return c.rec[i]
	}
	return ""
}

func (c cells) has(col string) bool { _, ok := c.cols[col]; return ok }

func isColumn(h string) bool {
	for _, c := range Columns {
		if h == c {
			return true
		}
	}
	return false
}

func isBlank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// parseRecord reads one line of format f; get returns a column's cell. It
// returns the column at fault with an error.
func parseRecord(f Format, c cells, o ReadOptions) (Record, string, error) {
	var r Record
	var err error
	switch f {
	case FormatMailchimp:
		r, field, err := parseMailchimp(c)
		return noDate(r, o.Now), field, err
	case FormatListmonk:
		r, field, err := parseListmonk(c)
		return noDate(r, o.Now), field, err
	}
	cell := func(col string) string { return unneutralise(c.get(col)) }
	if r.Email, err = NormalizeEmail(cell("email")); err != nil {
		return r, "email", err
	}
	if r.Name, err = CleanText("name", cell("name")); err != nil {
		return r, "name", err
	}
	if r.Role, err = ParseRole(cell("role")); err != nil {
		return r, "role", err
	}
	if r.Practice, err = CleanText("practice", cell("practice")); err != nil {
		return r, "practice", err
	}
	if r.ODS, err = ValidODS(cell("ods_code")); err != nil {
		return r, "ods_code", err
	}
	if a := cell("areas"); strings.TrimSpace(a) != "" {
		if r.Areas, err = MatchAreas(strings.Split(a, ";"), o.Areas); err != nil {
			return r, "areas", err
		}
	}
	switch st := Status(strings.ToLower(strings.TrimSpace(cell("status")))); st {
	case "":
		r.Status = Confirmed
	case Pending, Confirmed, Unsubscribed:
		r.Status = st
	default:
		return r, "status", invalidf("%q: say pending, confirmed or unsubscribed, or leave it empty (confirmed)", clip(string(st)))
	}
	if d := strings.TrimSpace(cell("consent_date")); d != "" {
		if r.ConsentAt, err = parseDate(d); err != nil {
			return r, "consent_date", err
		}
	}
	if r.ConsentSource, err = CleanText("consent_source", cell("consent_source")); err != nil {
		return r, "consent_source", err
	}
	if r.ConsentAt.IsZero() && r.Status == Confirmed {
		r.ConsentAt = o.Now
	}
	if r.ConsentSource == "" && r.Status == Confirmed {
		r.ConsentSource = string(Import)
	}
	return r, "", nil
}

// noDate dates a consent the file gave no date for at the import, and
// says so.
func noDate(r Record, now time.Time) Record {
	if r.Suppress == "" && r.ConsentAt.IsZero() {
		r.ConsentAt = now
		r.ConsentSource += ", undated: date of import"
	}
	return r
}

// parseDate reads lmcpress's consent_date: RFC 3339, as Write writes it,
// or a plain date (2019-03-21), taken as midnight UTC.
func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, invalidf("%q is not a date; write 2019-03-21 or 2019-03-21T09:05:00Z", clip(s))
}

// parseMailchimp reads a line of Mailchimp's audience export. Its three
// files share the contact columns ("Email Address", "First Name", "Last
// Name", ..., OPTIN_TIME, CONFIRM_TIME, ..., LAST_CHANGED, LEID, EUID,
// NOTES, TAGS); the unsubscribed file adds UNSUB_TIME and the cleaned file
// CLEAN_TIME, which is how they are told apart. Times are written
// 2019-03-21 14:22:01, with no zone, and read as UTC (an hour either way
// would not change what a consent date proves). Only the address and the name are taken: the
// ratings, IP addresses and locations are Mailchimp's business.
func parseMailchimp(c cells) (Record, string, error) {
	get := c.get
	var r Record
	var err error
	if r.Email, err = NormalizeEmail(get("Email Address")); err != nil {
		return r, "Email Address", err
	}
	mcTime := func(col string) (time.Time, error) {
		v := strings.TrimSpace(get(col))
		if v == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse("2006-01-02 15:04:05", v)
		if err != nil {
			return time.Time{}, invalidf("%q is not a Mailchimp time (2019-03-21 14:22:01)", clip(v))
		}
		return t, nil
	}
	for _, s := range []struct {
		col  string
		kind Kind
	}{{"UNSUB_TIME", Left}, {"CLEAN_TIME", Cleaned}} {
		if !c.has(s.col) {
			continue
		}
		r.Suppress = s.kind
		if r.SuppressAt, err = mcTime(s.col); err != nil {
			return r, s.col, err
		}
		return r, "", nil
	}
	name := strings.TrimSpace(get("First Name") + " " + get("Last Name"))
	if r.Name, err = CleanText("First Name/Last Name", name); err != nil {
		return r, "First Name", err
	}
	r.Status = Confirmed
	r.ConsentSource = "mailchimp"
	// The confirmation of a double opt-in, else the opt-in itself.
	for _, col := range []string{"CONFIRM_TIME", "OPTIN_TIME"} {
		t, err := mcTime(col)
		if err != nil {
			return r, col, err
		}
		if !t.IsZero() {
			r.ConsentAt, r.ConsentSource = t, "mailchimp "+col
			break
		}
	}
	return r, "", nil
}

// parseListmonk reads a line of listmonk's subscriber export: uuid, email,
// name, attributes, status, created_at, updated_at. Its status is
// enabled, disabled or blocklisted; blocklisted becomes a suppression
// entry. listmonk's per-list subscription status is not in the export, so
// an enabled subscriber's consent date is when listmonk created them.
func parseListmonk(c cells) (Record, string, error) {
	get := c.get
	var r Record
	var err error
	if r.Email, err = NormalizeEmail(get("email")); err != nil {
		return r, "email", err
	}
	// listmonk writes Go's time.Time.String(): 2021-06-08 10:11:12.123456 +0000 UTC.
	lmTime := func(col string) (time.Time, error) {
		v := strings.TrimSpace(get(col))
		if v == "" {
			return time.Time{}, nil
		}
		if i := strings.Index(v, " m="); i > 0 {
			v = v[:i]
		}
		for _, layout := range []string{"2006-01-02 15:04:05.999999999 -0700 MST", time.RFC3339Nano} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.UTC(), nil
			}
		}
		return time.Time{}, invalidf("%q is not a listmonk time (2021-06-08 10:11:12.123456 +0000 UTC)", clip(v))
	}
	switch st := strings.ToLower(strings.TrimSpace(get("status"))); st {
	case "blocklisted":
		r.Suppress = Left
		if r.SuppressAt, err = lmTime("updated_at"); err != nil {
			return r, "updated_at", err
		}
		return r, "", nil
	case "enabled", "":
	case "disabled":
		return r, "status", invalidf("disabled in listmonk: not imported; add the person with lmcpress subscribers add if they want the newsletter")
	default:
		return r, "status", invalidf("%q is not a listmonk status (enabled, disabled, blocklisted)", clip(st))
	}
	if r.Name, err = CleanText("name", get("name")); err != nil {
		return r, "name", err
	}
	r.Status = Confirmed
	r.ConsentSource = "listmonk"
	if r.ConsentAt, err = lmTime("created_at"); err != nil {
		return r, "created_at", err
	}
	return r, "", nil
}

// Write writes records in lmcpress's own format, which Read reads back to
// the same records. Staff open these files in Excel, which runs a cell
// that starts with = + - @ (or a tab or carriage return) as a formula, so
// such a cell is written with a leading apostrophe (as OWASP advises), and
// Read takes it off again.
func Write(w io.Writer, recs []Record) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	for _, r := range recs {
		consent := ""
		if !r.ConsentAt.IsZero() {
			consent = r.ConsentAt.UTC().Format(time.RFC3339Nano)
		}
		row := []string{r.Email, r.Name, string(r.Role), r.Practice, r.ODS, strings.Join(r.Areas, ";"), string(r.Status), consent, r.ConsentSource}
		for i := range row {
			row[i] = neutralise(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// formulaStart are the first characters that make a spreadsheet read a
// cell as a formula; the apostrophe is here so that a value that itself
// starts with one survives the round trip.
const formulaStart = "=+-@\t\r'"

func neutralise(s string) string {
	if s != "" && strings.IndexByte(formulaStart, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

func unneutralise(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(formulaStart, s[1]) >= 0 {
		return s[1:]
	}
	return s
}

// limitedReader reads at most n bytes and notes whether there was more.
type limitedReader struct {
	r    io.Reader
	n    int64
	over bool
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var one [1]byte
		if k, _ := l.r.Read(one[:]); k > 0 {
			l.over = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	k, err := l.r.Read(p)
	l.n -= int64(k)
	return k, err
}
