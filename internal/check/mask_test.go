package check

import "testing"

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"NHS 943 476 5919 seen", "NHS 943 *** **** seen"},
		{"9434765919", "943*******"},
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
