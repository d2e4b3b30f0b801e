package subscriber

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	for _, c := range []struct{ in, want, why string }{
		{"  Pat.Smith@NHS.NET \t", "Pat.Smith@nhs.net", ""},
		{"f84001.admin@nhs.net", "f84001.admin@nhs.net", ""},
		{"a+news@practice.co.uk", "a+news@practice.co.uk", ""},
		{"x@xn--bcher-kva.example", "x@xn--bcher-kva.example", ""},
		{"-dash@nhs.net", "-dash@nhs.net", ""},
		{"", "", "empty"},
		{"pat", "", "no @"},
		{"@nhs.net", "", "nothing before"},
		{"pat@", "", "nothing after"},
		{"pat@localhost", "", "needs a dot"},
		{"pat@@nhs.net", "", "more than one @"},
		{"pa t@nhs.net", "", "not allowed before"},
		{"pat.@nhs.net", "", "dot at the start or end"},
		{"p..t@nhs.net", "", "two dots"},
		{"pat@nhs..net", "", "empty or over-long"},
		{"pat@-nhs.net", "", "hyphen"},
		{"pat@nhs_net.uk", "", "not allowed after"},
		{"pat@nhs.123", "", "must be letters"},
		{"pät@nhs.net", "", "not allowed before"},
		{"pat@nhs.net\n", "pat@nhs.net", ""},
		{"pat\n@nhs.net", "", "not allowed before"},
		{"\"quoted\"@nhs.net", "", "not allowed before"},
		{"pat@n\xffhs.net", "", "UTF-8"},
		{strings.Repeat("a", 65) + "@nhs.net", "", "more than 64"},
		{"a@" + strings.Repeat("b", 250) + ".net", "", "longer than 254"},
	} {
		got, err := NormalizeEmail(c.in)
		if c.why == "" {
			if err != nil || got != c.want {
				t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
			continue
		}
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.why) {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want an error saying %q", c.in, got, err, c.why)
		}
	}
	// An error quotes a huge input shortened.
	_, err := NormalizeEmail(strings.Repeat("x", 100000))
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("error for a 100000-character address is %d bytes", len(err.Error()))
	}
}

func TestValidODS(t *testing.T) {
	for in, want := range map[string]string{"F84001": "F84001", " f84001 ": "F84001", "Y02345": "Y02345", "": ""} {
		if got, err := ValidODS(in); err != nil || got != want {
			t.Errorf("ValidODS(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"F8400", "F840011", "884001", "FF4001", "F8400A", "F84-01", "F８4001"} {
		if got, err := ValidODS(in); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "one letter and five digits") {
			t.Errorf("ValidODS(%q) = %q, %v", in, got, err)
		}
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{
		"": NoRole, "partner": Partner, "GP Partner": Partner, "Salaried GP": SalariedGP, "salaried_gp": SalariedGP,
		"locum": LocumGP, "locum-gp": LocumGP, "Practice Manager": PracticeManager, "other": OtherRole,
	} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseRole("surgeon"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "practice-manager") {
		t.Errorf("ParseRole(surgeon): %v", err)
	}
}

func TestCleanText(t *testing.T) {
	if got, err := CleanText("name", "  Dr Ann O'Neill "); err != nil || got != "Dr Ann O'Neill" {
		t.Errorf("%q %v", got, err)
	}
	for _, in := range []string{"a\nb", "a\x00b", "\xff", strings.Repeat("é", MaxText+1), "a\u2028b"} {
		if _, err := CleanText("name", in); !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), "name") {
			t.Errorf("CleanText(%q): %v", in, err)
		}
	}
	if _, err := CleanText("name", strings.Repeat("é", MaxText)); err != nil {
		t.Errorf("%d characters: %v", MaxText, err)
	}
}

func TestMatchAreas(t *testing.T) {
	known := []string{"Northfield", "Eastbrook Vale", "Kingsmere"}
	got, err := MatchAreas([]string{" northfield", "eastbrook-vale", "NORTHFIELD", ""}, known)
	if err != nil || strings.Join(got, ",") != "Northfield,Eastbrook Vale" {
		t.Errorf("MatchAreas = %q, %v", got, err)
	}
	if _, err := MatchAreas([]string{"Southwick"}, known); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `unknown area "Southwick"`) || !strings.Contains(err.Error(), "Kingsmere") {
		t.Errorf("unknown area: %v", err)
	}
	if _, err := MatchAreas([]string{"x"}, nil); err == nil {
		t.Error("an area with none in site.yaml was accepted")
	}
}
