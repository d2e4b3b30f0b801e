package email

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
)

func TestMessageID(t *testing.T) {
	for _, c := range []struct {
		issue  string
		sub    int64
		domain string
		want   string
	}{
		{"2016-12", 42, "northfieldlmc.org.uk", "2016-12.42@northfieldlmc.org.uk"},
		{"2016-12-northfield", 7, "NorthfieldLMC.org.uk", "2016-12-northfield.7@northfieldlmc.org.uk"},
	} {
		got, err := MessageID(c.issue, c.sub, c.domain)
		if err != nil || got != c.want {
			t.Errorf("MessageID(%q, %d, %q) = %q, %v; want %q", c.issue, c.sub, c.domain, got, err, c.want)
		}
		// What Message.check accepts, and what mail.ParseAddress reads back.
		if a, err := mail.ParseAddress("<" + got + ">"); err != nil || a.Address != got {
			t.Errorf("%q does not parse as an addr-spec: %v", got, err)
		}
	}
	for _, c := range []struct {
		issue  string
		sub    int64
		domain string
		want   string
	}{
		{"", 1, "lmc.org", "issue"},
		{"2016 12", 1, "lmc.org", "issue"},
		{"2016-12.", 1, "lmc.org", "issue"},
		{"2016<12>", 1, "lmc.org", "issue"},
		{"2016-12", 0, "lmc.org", "subscriber 0"},
		{"2016-12", 1, "localhost", "newsletter.domain"},
		{"2016-12", 1, "lmc.org>", "newsletter.domain"},
	} {
		_, err := MessageID(c.issue, c.sub, c.domain)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("MessageID(%q, %d, %q) error = %v, want one naming %q", c.issue, c.sub, c.domain, err, c.want)
		}
	}
}

func TestListHeaders(t *testing.T) {
	h, err := ListHeaders("Northfield LMC newsletter", "newsletter.northfieldlmc.org.uk",
		"https://northfieldlmc.org.uk/unsubscribe/tok42", "mailto:unsubscribe@northfieldlmc.org.uk?subject=unsubscribe%20tok42")
	if err != nil {
		t.Fatal(err)
	}
	want := []Header{
		{"List-Id", "Northfield LMC newsletter <newsletter.northfieldlmc.org.uk>"},
		{"List-Unsubscribe", "<https://northfieldlmc.org.uk/unsubscribe/tok42>, <mailto:unsubscribe@northfieldlmc.org.uk?subject=unsubscribe%20tok42>"},
		{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
	}
	if len(h) != len(want) {
		t.Fatalf("ListHeaders = %q", h)
	}
	for i := range want {
		if h[i] != want[i] {
			t.Errorf("header %d = %q, want %q", i, h[i], want[i])
		}
	}
	// They go through WriteEML unchanged, and a name with a dot is quoted.
	msg := sample()
	msg.Headers, _ = ListHeaders("Northfield & District L.M.C.", "newsletter.northfieldlmc.org.uk", "https://x.org/u/1", "mailto:u@x.org")
	if got := msg.Headers[0].Value; got != `"Northfield & District L.M.C." <newsletter.northfieldlmc.org.uk>` {
		t.Errorf("List-Id = %q", got)
	}
	var buf bytes.Buffer
	if err := WriteEML(&buf, msg); err != nil {
		t.Fatal(err)
	}
	checkParsed(t, buf.Bytes(), msg)

	for name, args := range map[string][4]string{
		"http unsubscribe": {"N", "news.lmc.org", "http://lmc.org/u/1", "mailto:u@lmc.org"},
		"no mailto":        {"N", "news.lmc.org", "https://lmc.org/u/1", "https://lmc.org/u/1"},
		"bracket in url":   {"N", "news.lmc.org", "https://lmc.org/u/1>", "mailto:u@lmc.org"},
		"bad list id":      {"N", "news letter", "https://lmc.org/u/1", "mailto:u@lmc.org"},
		"name newline":     {"N\r\nBcc: x@y", "news.lmc.org", "https://lmc.org/u/1", "mailto:u@lmc.org"},
	} {
		if _, err := ListHeaders(args[0], args[1], args[2], args[3]); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v, want one line", name, err)
		}
	}
}
