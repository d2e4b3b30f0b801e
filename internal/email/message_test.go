package email

import (
	"bytes"
	"flag"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sample is a newsletter-like message with a fixed Date and Message-ID.
func sample() Message {
	return Message{
		From:      mail.Address{Name: "Northfield and District LMC", Address: "news@northfieldlmc.org.uk"},
		ReplyTo:   &mail.Address{Name: "LMC office", Address: "office@northfieldlmc.org.uk"},
		To:        []mail.Address{{Name: "Dr Ann Smith", Address: "ann.smith@nhs.example"}},
		Subject:   "December 2016 newsletter – flu, premises and the LMC’s AGM",
		Date:      time.Date(2016, 12, 1, 9, 30, 0, 0, time.UTC),
		MessageID: "2016-12.42@northfieldlmc.org.uk",
		Headers: []Header{
			{"List-Id", "Northfield and District LMC newsletter <newsletter.northfieldlmc.org.uk>"},
			{"List-Unsubscribe", "<https://northfieldlmc.org.uk/unsubscribe/tok42>, <mailto:unsubscribe@northfieldlmc.org.uk?subject=tok42>"},
			{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
		},
		Text: "December 2016 newsletter\n========================\n\nFlu clinics open. A line long enough to need quoted-printable soft line breaks when it is encoded for the wire, as most paragraphs are.\n\n[1] https://northfieldlmc.org.uk/news/flu/\n",
		HTML: `<!DOCTYPE html><html lang="en-GB"><body><table role="presentation" width="600"><tr><td><h1>December 2016 newsletter</h1><p>Flu clinics open – <a href="https://northfieldlmc.org.uk/news/flu/">read more</a>.</p></td></tr></table></body></html>`,
	}
}

func TestWriteEMLGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteEML(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sample.eml")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/email -run Golden -update to write it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("WriteEML differs from %s (if the change is intended, rerun with -update):\n%s", golden, buf.Bytes())
	}
	var again bytes.Buffer
	if err := WriteEML(&again, sample()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("two WriteEML of the same Message differ")
	}
}

// TestWriteEMLParses reads the written message back with the standard
// library: headers decoded, two parts, text first, bodies unchanged.
func TestWriteEMLParses(t *testing.T) {
	msg := sample()
	var buf bytes.Buffer
	if err := WriteEML(&buf, msg); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(bytes.ReplaceAll(buf.Bytes(), []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a line ends in a bare LF; SMTP needs CRLF")
	}
	checkParsed(t, buf.Bytes(), msg)
}

// checkParsed checks that raw is msg: its headers, and a multipart/alternative
// body with the text part first and the HTML part second.
func checkParsed(t *testing.T, raw []byte, msg Message) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subj, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil || subj != msg.Subject {
		t.Errorf("Subject = %q (%v), want %q", subj, err, msg.Subject)
	}
	from, err := m.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].String() != msg.From.String() {
		t.Errorf("From = %v (%v), want %v", from, err, msg.From)
	}
	if got := m.Header.Get("Reply-To"); !strings.Contains(got, msg.ReplyTo.Address) {
		t.Errorf("Reply-To = %q, want %s", got, msg.ReplyTo.Address)
	}
	if got, want := m.Header.Get("Message-Id"), "<"+msg.MessageID+">"; got != want {
		t.Errorf("Message-ID = %q, want %q", got, want)
	}
	if d, err := m.Header.Date(); err != nil || !d.Equal(msg.Date) {
		t.Errorf("Date = %v (%v), want %v", d, err, msg.Date)
	}
	for _, h := range msg.Headers {
		if got := m.Header.Get(h.Name); got != h.Value {
			t.Errorf("%s = %q, want %q", h.Name, got, h.Value)
		}
	}
	if ua := m.Header.Get("User-Agent") + m.Header.Get("X-Mailer"); ua != "" {
		t.Errorf("a User-Agent/X-Mailer header %q was added", ua)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", m.Header.Get("Content-Type"), err)
	}
	r := multipart.NewReader(m.Body, params["boundary"])
	for i, want := range []struct{ typ, body string }{{"text/plain", msg.Text}, {"text/html", msg.HTML}} {
		p, err := r.NextPart() // decodes quoted-printable
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		ct, cp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if ct != want.typ || !strings.EqualFold(cp["charset"], "utf-8") {
			t.Errorf("part %d is %q, want %s; charset=UTF-8", i+1, p.Header.Get("Content-Type"), want.typ)
		}
		body, _ := io.ReadAll(p)
		// Quoted-printable carries CRLF for the body's line ends.
		if got := strings.ReplaceAll(string(body), "\r\n", "\n"); got != want.body {
			t.Errorf("part %d body = %q, want %q", i+1, got, want.body)
		}
	}
	if _, err := r.NextPart(); err != io.EOF {
		t.Errorf("more than two parts (%v)", err)
	}
}

func TestWriteEMLRefusesIncompleteMessages(t *testing.T) {
	for name, c := range map[string]struct {
		edit func(*Message)
		want string
	}{
		"no date":          {func(m *Message) { m.Date = time.Time{} }, "no Date"},
		"no message id":    {func(m *Message) { m.MessageID = "" }, "Message-ID"},
		"bracketed id":     {func(m *Message) { m.MessageID = "<a@b>" }, "Message-ID"},
		"no to":            {func(m *Message) { m.To = nil }, "no To"},
		"envelope break":   {func(m *Message) { m.To[0].Address = "a@b.org>\r\nRCPT TO:<c@d.org" }, "line break"},
		"no html":          {func(m *Message) { m.HTML = "" }, "HTML body"},
		"reserved header":  {func(m *Message) { m.Headers = append(m.Headers, Header{"Subject", "x"}) }, "Subject is set by"},
		"twice":            {func(m *Message) { m.Headers = append(m.Headers, Header{"list-id", "x"}) }, "given twice"},
		"header injection": {func(m *Message) { m.Headers = []Header{{"X-A", "a\r\nBcc: x@y"}} }, "line break"},
		"subject newline":  {func(m *Message) { m.Subject = "a\nBcc: x@y" }, "Subject has a line break"},
	} {
		t.Run(name, func(t *testing.T) {
			msg := sample()
			c.edit(&msg)
			err := WriteEML(io.Discard, msg)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line containing %q", err, c.want)
			}
		})
	}
}
