package check

import (
	"strings"
	"testing"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
)

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"NHS 943 476 5919 seen", "NHS 943 *** **** seen"},
		{"9434765919", "943*******"},
		{"https://emis.example/Patient/9434765919?nhsNumber=4010232137", "https://emis.example/Patient/943*******?nhsNumber=401*******"},
		{"943-476-5919 <!-- lmcpress:allow nhs-number -->", "943-***-**** <!-- lmcpress:allow nhs-number -->"},
		{"Mrs Jane Smith, DOB 12/03/1985.", "Mrs Jane Smith, DOB **/**/****."},
		{"Mrs Jane Smith, 1 High St, NF1 2AB", "Mrs Jane Smith, 1 High St, NF* ***"},
		{"MRN: RTH1234567", "MRN: RT********"},
		// What the rules pass is left as it is.
		{"Call 0800 943 4765 or see 9434765918.", "Call 0800 943 4765 or see 9434765918."},
		{"The LMC, NF1 2AB", "The LMC, NF1 2AB"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Mask(tt.want); got != tt.want {
			t.Errorf("Mask(%q) = %q: masking twice changed it", tt.want, got)
		}
	}
}

// TestPageFileMasked: a page's sheet masks its file name only when a
// finding first needs it (sheet.file), and every finding on the page,
// from Vet and from VetLinks, names the file masked.
func TestPageFileMasked(t *testing.T) {
	p, errs := content.Parse("news/smith-943-476-5919.md", []byte("---\ntitle: Flu\ndate: 2024-01-01\nslug: flu\n---\n\nMRN 1234567\n\n[x](javascript:alert(1))\n"))
	if errs != nil {
		t.Fatal(errs)
	}
	var got []string
	for _, e := range Vet(p, nil) {
		got = append(got, e.Error())
	}
	for _, e := range VetLinks(p, []markdown.Ref{{Dest: "javascript:alert(1)", Text: "x", Line: 4}}, nil, nil) {
		got = append(got, e.Error())
	}
	want := []string{
		"content/news/smith-943*** ****.md:7:5: error hospital-number",
		"content/news/smith-943*** ****.md:9:5: error unsafe-link",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding %d: %s\nwant it to start %s", i, got[i], want[i])
		}
	}
	if s := pageSheet(p); s.file() != "content/news/smith-943*** ****.md" || s.file() != "content/news/smith-943*** ****.md" {
		t.Errorf("sheet.file() = %q", s.file())
	}
}
