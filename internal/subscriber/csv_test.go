package subscriber

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

var importDay = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

var testAreas = []string{"Northfield", "Eastbrook", "Kingsmere"}

func read(t *testing.T, file string) (Format, []Record, []string) {
	t.Helper()
	f, recs, errs, err := Read(strings.NewReader(file), "list.csv", ReadOptions{Areas: testAreas, Now: importDay})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	return f, recs, msgs
}

func TestReadLMC(t *testing.T) {
	file := "\uFEFFName,EMAIL,areas,role,ods_code,status,consent_date,consent_source,practice\r\n" +
		"Pat Smith, Pat@NHS.NET ,northfield;Kingsmere,Practice Manager,f84001,,,,Riverside Surgery\r\n" +
		"Ann,ann@nhs.net,,,,pending,,,\"Two\r\nLines\"\r\n" + // lines 3-4
		",bad-address,,,,,,,\r\n" +
		"Dup,pat@nhs.net,,,,,,,\r\n" +
		"Old,old@nhs.net,Southwick,,,,,,\r\n" +
		"Jo,jo@nhs.net,,surgeon,,,,,\r\n" +
		"Lee,lee@nhs.net,,,F8400,,,,\r\n" +
		"Kim,kim@nhs.net,,,,left,,,\r\n" +
		"Max,max@nhs.net,,,,confirmed,2019-03-21,mailchimp,\r\n" +
		"\"Bad\xffName\",bad@nhs.net,,,,,,,\r\n" +
		"\r\n" +
		"'=Sum,'-dash@nhs.net,,,,unsubscribed,2020-01-02T03:04:05Z,,\r\n" +
		"Short,short@nhs.net\r\n" +
		"Quo\"te,q@nhs.net,,,,,,,\r\n" +
		"Late,late@nhs.net,,,,,not-a-date,,\r\n"
	f, recs, errs := read(t, file)
	if f != FormatLMC {
		t.Errorf("format %s", f)
	}
	wantErrs := []string{
		`list.csv:3: practice: practice "Two\nLines": contains a control character or line break`,
		`list.csv:5: email: email "bad-address": no @`,
		`list.csv:6: email: pat@nhs.net is already on line 2 of this file`,
		`list.csv:7: areas: unknown area "Southwick"; content/site.yaml's areas are Northfield, Eastbrook, Kingsmere`,
		`list.csv:8: role: role "surgeon": say one of partner, salaried-gp, locum-gp, practice-manager, other, or leave it empty`,
		`list.csv:9: ods_code: ODS code "F8400": a practice code is one letter and five digits, such as F84001`,
		`list.csv:10: status: "left": say pending, confirmed or unsubscribed, or leave it empty (confirmed)`,
		`list.csv:12: name: name: not valid UTF-8 text; save the file as UTF-8`,
		`list.csv:16: bare " in non-quoted-field (a field with a quote " must be quoted, with the quote doubled)`,
		`list.csv:17: consent_date: "not-a-date" is not a date; write 2019-03-21 or 2019-03-21T09:05:00Z`,
	}
	if !reflect.DeepEqual(errs, wantErrs) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(wantErrs, "\n"))
	}
	want := []Record{
		{Subscriber: Subscriber{Email: "Pat@nhs.net", Name: "Pat Smith", Role: PracticeManager, Practice: "Riverside Surgery", ODS: "F84001",
			Areas: []string{"Northfield", "Kingsmere"}, Status: Confirmed}, ConsentAt: importDay, ConsentSource: "import", Line: 2},
		{Subscriber: Subscriber{Email: "max@nhs.net", Name: "Max", Status: Confirmed},
			ConsentAt: time.Date(2019, 3, 21, 0, 0, 0, 0, time.UTC), ConsentSource: "mailchimp", Line: 11},
		{Subscriber: Subscriber{Email: "-dash@nhs.net", Name: "=Sum", Status: Unsubscribed},
			ConsentAt: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), Line: 14},
		{Subscriber: Subscriber{Email: "short@nhs.net", Name: "Short", Status: Confirmed}, ConsentAt: importDay, ConsentSource: "import", Line: 15},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("records:\n%+v\nwant:\n%+v", recs, want)
	}
}

func TestReadFileErrors(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"", "list.csv: empty"},
		{"name,role\n", "list.csv:1: no email column"},
		{"email,phone\n", `list.csv:1: unknown column "phone"`},
		{"email,\"un\"closed\n", "list.csv: the header row"},
		{"\xff\xfee\x00m\x00a\x00i\x00l\x00\n\x00", "list.csv:1: the file looks like UTF-16"},
	} {
		_, _, _, err := Read(strings.NewReader(c.file), "list.csv", ReadOptions{})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Read(%q) = %v, want %q...", c.file, err, c.want)
		}
	}
}

func TestReadLimits(t *testing.T) {
	// A line longer than MaxRecordSize is refused on its own; the next is read.
	file := "email,name\nbig@nhs.net," + strings.Repeat("x", MaxRecordSize+1) + "\nok@nhs.net,Ok\n"
	_, recs, errs := read(t, file)
	if len(recs) != 1 || recs[0].Email != "ok@nhs.net" || len(errs) != 1 || !strings.Contains(errs[0], "list.csv:2: longer than 64 KB") {
		t.Errorf("long line: %v %v", recs, errs)
	}
	// A file larger than MaxFileBytes is refused whole, without reading it all.
	huge := io.MultiReader(strings.NewReader("email\na@nhs.net,"), &endless{line: "x"})
	_, _, _, err := Read(huge, "huge.csv", ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "huge.csv: larger than 64 MB") {
		t.Errorf("huge file: %v", err)
	}
	// More than MaxRecords people: the first MaxRecords are read.
	_, recs, errList, err := Read(io.MultiReader(strings.NewReader("email\n"), &endless{line: "p%d@nhs.net\n"}), "long.csv", ReadOptions{})
	if err != nil || len(recs) != MaxRecords || len(errList) != 1 || !strings.Contains(errList[0].Error(), "long.csv: more than 200000 people") {
		t.Errorf("long file: %d records, %v, %v", len(recs), errList, err)
	}
	// A file of nothing but bad lines stops after maxLineErrors.
	var b bytes.Buffer
	b.WriteString("email\n")
	for range maxLineErrors + 10 {
		b.WriteString("bad\n")
	}
	_, _, errList, err = Read(&b, "bad.csv", ReadOptions{})
	if err != nil || len(errList) != maxLineErrors+1 || !strings.Contains(errList[maxLineErrors].Error(), "stopped reading") {
		t.Errorf("%d errors, %v", len(errList), err)
	}
}

// endless is an endless file of line, numbered where it says %d.
type endless struct {
	line string
	n    int
}

func (e *endless) Read(p []byte) (int, error) {
	k := 0
	for k == 0 || k+40 < len(p) {
		e.n++
		l := e.line
		if strings.Contains(l, "%d") {
			l = fmt.Sprintf(l, e.n)
		}
		k += copy(p[k:], l)
		if k == len(p) {
			break
		}
	}
	return k, nil
}

func TestReadMailchimp(t *testing.T) {
	header := `"Email Address","First Name","Last Name",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS`
	sub := header + "\n" +
		"pat@nhs.net,Pat,Smith,2,\"2019-03-20 10:00:00\",192.0.2.1,\"2019-03-21 14:22:01\",192.0.2.1,,,,,,GB,,\"2020-01-01 00:00:00\",123,abc,,\"\"\n" +
		"single@nhs.net,Sam,,2,\"2019-04-01 08:00:00\",,,,,,,,,,,,124,abd,,\n" +
		"broken@,Bo,,2,,,,,,,,,,,,,125,abe,,\n" +
		"late@nhs.net,La,,2,yesterday,,,,,,,,,,,,126,abf,,\n"
	f, recs, errs := read(t, sub)
	if f != FormatMailchimp {
		t.Fatalf("format %s", f)
	}
	want := []Record{
		{Subscriber: Subscriber{Email: "pat@nhs.net", Name: "Pat Smith", Status: Confirmed}, ConsentAt: time.Date(2019, 3, 21, 14, 22, 1, 0, time.UTC), ConsentSource: "mailchimp CONFIRM_TIME", Line: 2},
		{Subscriber: Subscriber{Email: "single@nhs.net", Name: "Sam", Status: Confirmed}, ConsentAt: time.Date(2019, 4, 1, 8, 0, 0, 0, time.UTC), ConsentSource: "mailchimp OPTIN_TIME", Line: 3},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("records %+v", recs)
	}
	if len(errs) != 2 || !strings.HasPrefix(errs[0], "list.csv:4: Email Address: ") || !strings.HasPrefix(errs[1], `list.csv:5: OPTIN_TIME: "yesterday" is not a Mailchimp time`) {
		t.Errorf("errors %q", errs)
	}

	unsub := header + ",UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER\n" +
		"left@nhs.net,Lef,T,2,,,,,,,,,,,,,1,a,,,\"2021-05-06 07:08:09\",May news,c1,\"No longer interested\",\n"
	_, recs, errs = read(t, unsub)
	if len(errs) != 0 || len(recs) != 1 || recs[0].Suppress != Left || recs[0].Name != "" || !recs[0].SuppressAt.Equal(time.Date(2021, 5, 6, 7, 8, 9, 0, time.UTC)) {
		t.Errorf("unsubscribed file: %+v %v", recs, errs)
	}
	cleaned := header + ",CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID\n" +
		"gone@nhs.net,Go,Ne,1,,,,,,,,,,,,,1,a,,,\"2022-02-03 04:05:06\",Feb news,c2\n"
	_, recs, errs = read(t, cleaned)
	if len(errs) != 0 || len(recs) != 1 || recs[0].Suppress != Cleaned || recs[0].Email != "gone@nhs.net" {
		t.Errorf("cleaned file: %+v %v", recs, errs)
	}
}

func TestReadListmonk(t *testing.T) {
	file := "uuid,email,name,attributes,status,created_at,updated_at\n" +
		"0b1c2d3e-0000-4000-8000-000000000001,pat@nhs.net,Pat Smith,\"{\"\"city\"\": \"\"Northfield\"\"}\",enabled,2021-06-08 10:11:12.123456 +0000 UTC,2021-06-09 10:11:12 +0000 UTC\n" +
		"0b1c2d3e-0000-4000-8000-000000000002,blocked@nhs.net,Bl,{},blocklisted,2021-06-08 10:11:12 +0100 BST,2022-01-01 00:00:00 +0000 UTC\n" +
		"0b1c2d3e-0000-4000-8000-000000000003,off@nhs.net,Off,{},disabled,2021-06-08 10:11:12 +0000 UTC,2021-06-08 10:11:12 +0000 UTC\n"
	f, recs, errs := read(t, file)
	if f != FormatListmonk {
		t.Fatalf("format %s", f)
	}
	if len(recs) != 2 || recs[0].Email != "pat@nhs.net" || recs[0].Name != "Pat Smith" || recs[0].Status != Confirmed || recs[0].ConsentSource != "listmonk" ||
		!recs[0].ConsentAt.Equal(time.Date(2021, 6, 8, 10, 11, 12, 123456000, time.UTC)) {
		t.Errorf("enabled: %+v", recs)
	}
	if len(recs) == 2 && (recs[1].Suppress != Left || !recs[1].SuppressAt.Equal(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))) {
		t.Errorf("blocklisted: %+v", recs[1])
	}
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "list.csv:4: status: disabled in listmonk") {
		t.Errorf("errors %q", errs)
	}
}

// TestWriteReadRoundTrip: what Write writes, Read reads back the same,
// including cells a spreadsheet would run as formulas, which are written
// neutralised.
func TestWriteReadRoundTrip(t *testing.T) {
	recs := []Record{
		{Subscriber: Subscriber{Email: "pat@nhs.net", Name: "Pat, \"the\" Manager", Role: PracticeManager, Practice: "Riverside", ODS: "F84001",
			Areas: []string{"Northfield", "Kingsmere"}, Status: Confirmed}, ConsentAt: time.Date(2019, 3, 21, 14, 22, 1, 5, time.UTC), ConsentSource: "mailchimp CONFIRM_TIME"},
		{Subscriber: Subscriber{Email: "-x@nhs.net", Name: "=HYPERLINK(\"http://evil\")", Practice: "+44 1234", Status: Unsubscribed},
			ConsentSource: "@import"},
		{Subscriber: Subscriber{Email: "o@nhs.net", Name: "'Quote", Practice: "'=already", Status: Pending}},
	}
	var b bytes.Buffer
	if err := Write(&b, recs); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, cell := range []string{`'=HYPERLINK`, `'+44 1234`, `'-x@nhs.net`, `'@import`, `''Quote`, `''=already`} {
		if !strings.Contains(out, cell) {
			t.Errorf("export lacks %q:\n%s", cell, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		for _, cell := range strings.Split(line, ",") {
			cell = strings.TrimPrefix(cell, `"`)
			if cell != "" && strings.ContainsAny(cell[:1], "=+-@") {
				t.Errorf("cell %q starts a formula", cell)
			}
		}
	}
	_, back, errs := read(t, out)
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	for i := range back {
		back[i].Line = 0
	}
	if !reflect.DeepEqual(back, recs) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", back, recs)
	}
}

func TestLineErrorIs(t *testing.T) {
	_, _, errs, _ := Read(strings.NewReader("email\nbad\n"), "x.csv", ReadOptions{})
	var le *LineError
	if len(errs) != 1 || !errors.As(errs[0], &le) || le.Line != 2 || le.Field != "email" || !errors.Is(errs[0], ErrInvalid) {
		t.Errorf("%v", errs)
	}
}

func FuzzImport(f *testing.F) {
	for _, seed := range []string{
		"email,name,role,practice,ods_code,areas,status,consent_date,consent_source\npat@nhs.net,Pat,partner,Riverside,F84001,Northfield;Eastbrook,confirmed,2019-03-21,web\n",
		"\uFEFFemail\r\n\"a@b.uk\"\r\n\"x\ny\"\r\n",
		`"Email Address","First Name","Last Name",OPTIN_TIME,CONFIRM_TIME,UNSUB_TIME` + "\na@nhs.net,A,B,2019-01-01 00:00:00,,2020-01-01 00:00:00\n",
		"uuid,email,name,attributes,status,created_at,updated_at\nu,a@nhs.net,A,{},enabled,2021-06-08 10:11:12 +0000 UTC,\n",
		"email,name\n'=1+1,\"a\"\"b\"\n\"unterminated\n",
		"email\n\xff\xfe@nhs.net\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, recs, errs, err := Read(bytes.NewReader(data), "fuzz.csv", ReadOptions{Areas: testAreas, Now: importDay})
		if err != nil {
			return
		}
		for _, e := range errs {
			if e == nil || e.Error() == "" {
				t.Fatal("empty line error")
			}
		}
		seen := map[string]bool{}
		for _, r := range recs {
			if again, err := NormalizeEmail(r.Email); err != nil || again != r.Email {
				t.Fatalf("record with an address that is not normal: %q", r.Email)
			}
			if seen[r.Email] {
				t.Fatalf("%s twice", r.Email)
			}
			seen[r.Email] = true
			if r.Line < 2 {
				t.Fatalf("record on line %d", r.Line)
			}
		}
		// What was read from lmcpress's format writes and reads back the same.
		var b bytes.Buffer
		if err := Write(&b, recs); err != nil {
			t.Fatal(err)
		}
		_, back, errs2, err := Read(&b, "again.csv", ReadOptions{Areas: testAreas, Now: importDay})
		if err != nil || len(errs2) != 0 {
			t.Fatalf("re-reading the export: %v %v\n%s", err, errs2, b.String())
		}
		for i := range back {
			back[i].Line, recs[i].Line = 0, 0
			if recs[i].Suppress != "" {
				continue
			}
			if !reflect.DeepEqual(back[i], recs[i]) {
				t.Fatalf("round trip changed\n%+v\ninto\n%+v", recs[i], back[i])
			}
		}
	})
}
