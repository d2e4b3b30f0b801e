package check

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"lmcpress/internal/content"
)

// Valid NHS numbers (Modulus 11): 943 476 5919 (the NHS's well-known test
// number), 401 023 2137, 450 557 7104, 485 777 3457, 601 234 5674. Invalid:
// 943 476 5918, 401 023 2138, 123 456 7890 (check digit would be 10).

type scanCase struct {
	text string
	want string // "rule@excerpt" a hit, where excerpt is where it starts; "" none
}

func runScanCases(t *testing.T, cases []scanCase) {
	t.Helper()
	for _, c := range cases {
		var got []string
		for _, m := range scan([]byte(c.text)) {
			got = append(got, m.rule+"@"+c.text[m.start:m.end])
		}
		want := []string{}
		if c.want != "" {
			want = strings.Split(c.want, " | ")
		}
		if strings.Join(got, " | ") != strings.Join(want, " | ") {
			t.Errorf("scan(%q)\n got %q\nwant %q", c.text, got, want)
		}
	}
}

func TestNHSNumber(t *testing.T) {
	runScanCases(t, []scanCase{
		// Flagged: valid check digit, standing alone.
		{"NHS number 943 476 5919 on the letter", "nhs-number@943 476 5919"},
		{"9434765919", "nhs-number@9434765919"},
		{"NHS no: 943-476-5919.", "nhs-number@943-476-5919"},
		{"NHS number 943\u00a0476\u00a05919", "nhs-number@943\u00a0476\u00a05919"},
		{"Patient #4010232137, seen today", "nhs-number@4010232137"},
		{"| Jane | 450 557 7104 |", "nhs-number@450 557 7104"},
		{"(4857773457)", "nhs-number@4857773457"},
		{"numbers 601 234 5674 and 943 476 5919", "nhs-number@601 234 5674 | nhs-number@943 476 5919"},
		{"CHI 0123456789", "nhs-number@0123456789"},
		{"NHS:0123456789", "nhs-number@0123456789"},
		{"first line\n943 476 5919", "nhs-number@943 476 5919"},

		// Not flagged: the check digit fails.
		{"NHS number 943 476 5918", ""},
		{"4010232138", ""},
		{"123 456 7890", ""},
		{"1234567890", ""},
		// Phone numbers, dates, years, money.
		{"Call us on 01632 960000 or 01632 960100.", ""},
		{"01632960000", ""},
		{"0123456789", ""}, // passes the check, but a 0 starts phone numbers, not NHS numbers
		{"Freephone 0800 123 456; 020 7946 0000; 0300 123 4567", ""},
		{"From 19/12/2016 to 2016-12-31, in 2016 and 2017", ""},
		{"£9434765919 and $9434765919 and €9434765919", ""},
		{"£1,234,567.89 or 1.9434765919 or 9434765919.5 or 9434765919,25", ""},
		// Part of a longer run.
		{"94347659190", ""},
		{"19434765919", ""},
		{"0800 943 476 5919", ""},
		{"943 476 5919 12", ""},
		{"943-476-5919-1", ""},
		{"943 476-5919", ""}, // two kinds of separator
		{"9434 765 919", ""},
		// Addresses, identifiers, placeholders, ISBNs.
		{"https://example.org/docs/9434765919", ""},
		{"see ?id=9434765919&x=1 and file_9434765919 and ref-9434765919 and A9434765919 and 9434765919b", ""},
		{"1111111111 and 9999999999", ""},
		{"ISBN 1861972717", ""},
		{"1861972717", "nhs-number@1861972717"}, // an ISBN without its label is indistinguishable
	})
}

// TestNamedNHS: ten digits grouped in other ways are an NHS number only
// where the text names one just before them.
func TestNamedNHS(t *testing.T) {
	runScanCases(t, []scanCase{
		{"NHS number 943 4765 919 on file", "nhs-number@943 4765 919"},
		{"NHS number: 94 34 76 59 19", "nhs-number@94 34 76 59 19"},
		{"NHS No. 943.476.5919.", "nhs-number@943.476.5919"},
		{"nhs no 943/476/5919", "nhs-number@943/476/5919"},
		{"NHS number 9434 765 919", "nhs-number@9434 765 919"},
		{"NHS number 943 476-5919", "nhs-number@943 476-5919"},

		{"call 943 4765 919 or 943.476.5919", ""}, // not named
		{"NHS number 943 4765 9190", ""},          // eleven digits
		{"NHS number 943 4765 918", ""},           // the check digit fails
		{"NHS number 0943 476 591", ""},           // NHS numbers do not start with 0
		{"NHS number 9 4 3 4 7 6 5 9 1 9", ""},    // not grouped
		{"NHS 111, or 0800 123 4567", ""},         // "NHS" alone does not name a number
		{"NHS number 943 4765 919 1234", ""},      // another group after
	})
}

func TestNHSNumberInAddress(t *testing.T) {
	runScanCases(t, []scanCase{
		{"[the record](https://emis.example/Patient/9434765919)", "nhs-number@9434765919"},
		{"<https://ref.example/form?practice=B81001&nhsNumber=9434765919&x=1>", "nhs-number@9434765919"},
		{"GET /Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919", "nhs-number@9434765919"},
		{"https://x.example/patients/9434765919/letters", "nhs-number@9434765919"},
		{"https://x.example/view?nhs_no=9434765919#top", "nhs-number@9434765919"},

		// Other numbers in addresses are not flagged, even when they pass
		// the check digit.
		{"https://www.gov.uk/government/publications/9434765919", ""},
		{"https://x.example/patient/94347659190", ""},   // eleven digits
		{"https://x.example/patient/9434765918", ""},    // the check digit fails
		{"https://x.example/patient/9434765919abc", ""}, // part of a longer name
		{"https://x.example/patient/1111111111", ""},    // a placeholder
		{"https://x.example/outpatient/9434765919", ""}, // not the label alone
		{"https://x.example/?id=9434765919", ""},
	})
}

func TestDateOfBirth(t *testing.T) {
	runScanCases(t, []scanCase{
		{"Mrs Jane Smith, DOB 12/03/1985, attended", "date-of-birth@12/03/1985"},
		{"Patient: John Smith (date of birth 3 March 1985)", "date-of-birth@3 March 1985"},
		{"J. Smith, d.o.b. 1985-03-12", "date-of-birth@1985-03-12"},
		{"John Smith, born on 12th March 1985", "date-of-birth@12th March 1985"},
		{"Name: Smith\nDOB: 12.03.85", "date-of-birth@12.03.85"},
		{"Mr Patel 12/03/1985 (DOB)", "date-of-birth@12/03/1985"},
		{"Ahmed Khan **Date of Birth:** March 12, 1985", "date-of-birth@March 12, 1985"},
		{"Dr Jones, date of\nbirth 1 Jan 1950", "date-of-birth@1 Jan 1950"},
		{"Mrs Jane Smith (d.o.b. 12-Mar-1985) seen", "date-of-birth@12-Mar-1985"}, // as clinic letters often print it
		{"Mrs Jane Smith, DOB 12 Mar 85", "date-of-birth@12 Mar 85"},
		{"Patient: Ravi Patel, DOB: 03/Feb/1950", "date-of-birth@03/Feb/1950"},
		{"| Name | DOB |\n|---|---|\n| Jane Smith | 12/03/1985 |\n| Ravi Patel | 1/2/1950 |", "date-of-birth@12/03/1985 | date-of-birth@1/2/1950"},
		{"| Surname | Date of birth |\n|---|---|\n| smith | 1/2/1950 |", "date-of-birth@1/2/1950"},

		// Not flagged: no name, no full date, no keyword.
		{"DOB: 12/03/1985", ""},
		{"Enter the patient's date of birth, e.g. 01/01/1990, in the form.", ""},
		{"The NHS was born on 5 July 1948.", ""},
		{"Aneurin Bevan was born in 1897.", ""},
		{"Published 18 Apr 2018 by Jane Smith", ""},
		{"Our meeting on 12 March 2024 with Dr Jones", ""},
		{"Patients born on 2 September 1940 are eligible for the Shingles Vaccine programme.", ""},
		{"Mrs Smith\n\nDOB 12/03/1985", ""}, // another paragraph
		{"Mrs Smith, DOB 31/13/1985", ""},   // not a date
		{"Mrs Smith, DOB 12 Mary 85", ""},   // not a month
		{"Mrs Smith, DOB 12-Mar-", ""},      // no year
		{"| Name | DOB |\n|---|---|\n| | |\n", ""},
		{"adobe 12/03/1985 by Jane Smith", ""},
	})
}

func TestPostcode(t *testing.T) {
	runScanCases(t, []scanCase{
		{"Mrs Jane Smith, 12 High Street, Northfield NF1 2AB", "postcode@NF1 2AB"},
		{"Jane Smith, 4 Mill Lane, NF1 2AB", "postcode@NF1 2AB"},
		{"Patient: Smith, SW1A 1AA", "postcode@SW1A 1AA"},
		{"Mr T Jones\n3 Elm Road\nM1 1AE", "postcode@M1 1AE"},
		{"DOB 12/03/1985, NF12AB", "postcode@NF12AB"}, // a date of birth, without a name
		{"Mrs Smith, DOB 12/03/1985, NF1 2AB", "date-of-birth@12/03/1985 | postcode@NF1 2AB"},

		// Not flagged: a postcode on its own, or next to an organisation or a doctor.
		{"NF1 2AB", ""},
		{"Suite 4, Riverside House, 12 Mill Lane, Northfield, NF1 2AB", ""},
		{"Northfield and District Local Medical Committee, Suite 4, Riverside House, NF1 2AB", ""},
		{"Dr Patel, Mill Lane Surgery, NF1 2AB", ""},
		{"Contact: Mrs Jane Brown, Practice Manager, Northfield Medical Centre, NF1 3XY", ""},
		{"Sarah Jones, LMC Secretary, Riverside House, NF1 2AB", ""},
		{"Mrs Jane Brown of 12 High Street, NF1 2AB, a patient at Mill Lane Surgery", "postcode@NF1 2AB"},
		{"Venue: Kingsmere Golf Club, Lake Road, NF3 4XY", ""},
		{"Mrs Smith\n\nNF1 2AB", ""},
		{"Parking on the M62 near junction 2; Form GP2 1AB", ""}, // GP2 1AB is postcode-shaped: no name
		{"NF1 2CB", ""}, // C is never in an inward code
	})
}

func TestHospitalNumber(t *testing.T) {
	runScanCases(t, []scanCase{
		{"MRN 1234567", "hospital-number@1234567"},
		{"MRN: 12345678.", "hospital-number@12345678"},
		{"mrn1234567", "hospital-number@1234567"},
		{"Hospital No: A123456", "hospital-number@A123456"},
		{"hospital number RTH1234567", "hospital-number@RTH1234567"},
		{"Patient ID #123456", "hospital-number@123456"},
		{"patient no. 1234567", "hospital-number@1234567"},
		{"Unit number is 0012345", "hospital-number@0012345"},
		{"case note number: K123456", "hospital-number@K123456"},

		{"patient number 3", ""},
		{"patient ID 2024", ""},
		{"Ask for the hospital number and the MRN field.", ""},
		{"patient numbers rose by 123456", ""},
		{"hospital number 12,345", ""},
		{"MRN 12345678901", ""},
		{"Hospital Road 1234567", ""},
	})
}

// TestLMCProse is a page of ordinary LMC text: nothing in it is patient data.
func TestLMCProse(t *testing.T) {
	text := `Northfield and District LMC, Suite 4, Riverside House, 12 Mill Lane, Northfield, NF1 2AB.
Telephone 01632 960000 (GP Support 01632 960100). Office hours 9am to 5pm, Monday to Friday.

The 2025/26 contract uplift is 7.4%, worth £1,234,567 across 42 practices; the levy is 42p a patient
(list size 312,456 at 1 January 2025). Dr Amelia Hart, Chair, Mill Lane Surgery, NF2 3CD.

The General Data Protection Regulation applied from 25 May 2018. Subject access requests must be
answered within one month (Art. 12(3)). Read the [model letter](model-letter.pdf) (PDF, 312 KB).
Ring NHS 111 or 999 in an emergency. ODS code F84001; company number 01234567; charity 1234567.
| Date | Event |
|---|---|
| 19/12/2016 | Sessional GP evening, Kingsmere Golf Club, NF3 4XY |
`
	if ms := scan([]byte(text)); len(ms) > 0 {
		for _, m := range ms {
			t.Errorf("flagged %s at %q", m.rule, text[m.start:m.end])
		}
	}
}

func TestValidNHS(t *testing.T) {
	for n, want := range map[string]bool{
		"9434765919": true, "4010232137": true, "4505577104": true, "4857773457": true, "6012345674": true,
		"9434765918": false, "4010232138": false, "1234567890": false, "9434765910": false,
	} {
		var d [10]byte
		copy(d[:], n)
		if got := validNHS(d); got != want {
			t.Errorf("validNHS(%s) = %v, want %v", n, got, want)
		}
	}
}

func TestPatientDataPositionsAndAllowances(t *testing.T) {
	body := "Intro.\n\nSee ü 943 476 5919 today.\nAllowed 943 476 5919 <!-- lmcpress:allow nhs-number -->\nOther rule 943 476 5919 <!-- lmcpress:allow postcode -->\n" +
		"<!-- lmcpress:allow nhs-number -->\n943 476 5919\nTwo 943 476 5919 and MRN 1234567 <!-- lmcpress:allow nhs-number hospital-number -->\n"
	fs := PatientData("content/news/x.md", []byte(body), 5)
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column))
		if f.Severity != Error || f.Hint == "" {
			t.Errorf("finding %v: want an error with a hint", f)
		}
		if strings.Contains(f.Error(), "476 5919") {
			t.Errorf("the message repeats the number: %s", f)
		}
	}
	want := []string{"content/news/x.md:7:7", "content/news/x.md:9:12", "content/news/x.md:11:1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("findings at %q, want %q", got, want)
	}
	s := newSheet("content/news/x.md", []byte(body), 5)
	s.patient()
	if s.allowed != 3 {
		t.Errorf("allowed %d findings, want 3", s.allowed)
	}
	if !strings.HasPrefix(fs[0].Error(), "content/news/x.md:7:7: error nhs-number: 943*** **** looks like an NHS number") {
		t.Errorf("message: %s", fs[0])
	}
}

func TestVetFrontMatterAndErrorsAs(t *testing.T) {
	p, errs := content.Parse("news/x.md", []byte("---\ntitle: \"Mrs Jane Smith, DOB 12/03/1985\"\ndate: 2024-01-01\nsummary: NHS 943 476 5919\n---\n\nClean text.\n\nMRN 1234567\n"))
	if errs != nil {
		t.Fatal(errs)
	}
	got := Vet(p, nil)
	var lines []string
	for _, e := range got {
		var ce *content.Error
		if !errors.As(e, &ce) || ce.File != "content/news/x.md" {
			t.Errorf("errors.As(%v, *content.Error) failed", e)
			continue
		}
		lines = append(lines, fmt.Sprint(ce.Line))
	}
	if strings.Join(lines, ",") != "2,4,9" {
		t.Errorf("Vet found lines %v, want 2,4,9:\n%v", lines, got)
	}
	reversed := content.Errors{got[2], got[1], got[0]}
	if sorted := reversed.Sorted(); sorted[0] != got[0] || sorted[2] != got[2] {
		t.Errorf("findings do not sort by line as content errors: %v", sorted)
	}
}

// TestAllowBeforeCodeBlock: a marker alone on the line before a fence
// covers the block, and only the block; elsewhere it covers its own line.
func TestAllowBeforeCodeBlock(t *testing.T) {
	body := "Intro 943 476 5919.\n" + // line 1: found
		"<!-- lmcpress:allow nhs-number -->\n" + // 2
		"```text\n" + // 3
		"PID|1||9434765919\n" + // 4: allowed
		"    ~~~ not a fence: wrong kind\n" + // 5
		"943 476 5919\n" + // 6: allowed
		"```\n" + // 7
		"After 943 476 5919.\n" + // 8: found
		"<!-- lmcpress:allow nhs-number -->\n" + // 9: allows nothing
		"Not a fence 943 476 5919\n" + // 10: found
		"Text <!-- lmcpress:allow nhs-number -->\n" + // 11: not alone on its line
		"~~~~\n943 476 5919\n~~~\n~~~~~\n" + // 12-15: found at 13
		"<!-- lmcpress:allow postcode -->\n" + // 16: another rule
		"```\n943 476 5919\n" // 17-18: found at 18, the block unclosed
	s := newSheet("content/news/x.md", []byte(body), 1)
	s.patient()
	s.unusedMarkers(func(string) bool { return true })
	var got []string
	for _, f := range s.findings {
		got = append(got, fmt.Sprintf("%d %s", f.Line, f.Rule))
	}
	want := []string{"1 nhs-number", "8 nhs-number", "10 nhs-number", "13 nhs-number", "18 nhs-number",
		"9 allow", "11 allow", "16 allow"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("findings on lines %q,\n want %q", got, want)
	}
	if s.allowed != 2 {
		t.Errorf("allowed %d findings, want 2", s.allowed)
	}
	for _, f := range s.findings {
		if f.Line == 16 && !strings.Contains(f.Message, "or in the code block after it") {
			t.Errorf("line 16: %s", f.Message)
		}
	}
}
