package email

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one email, as a value the newsletter package can build and
// compare in tests without touching go-mail.
type Message struct {
	From    mail.Address
	ReplyTo *mail.Address // nil: replies go to From
	To      []mail.Address
	Subject string
	// Date is written as the Date header. Required: the caller owns the
	// clock (tests pin it, so golden files stay fixed).
	Date time.Time
	// MessageID is the Message-ID without its angle brackets, e.g.
	// "2016-12.42@northfieldlmc.org.uk". Required, and it should be on the
	// sender's own domain.
	MessageID string
	// Headers are extra headers (List-Id, List-Unsubscribe,
	// List-Unsubscribe-Post, ...). A name may appear once; the standard
	// headers above cannot be set here.
	Headers []Header
	Text    string // the text/plain part
	HTML    string // the text/html part
}

// Header is one extra header line.
type Header struct {
	Name, Value string
}

// reserved are the headers Message sets through its own fields, or that
// WriteEML (and DKIM) write themselves.
var reserved = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "reply-to": true, "subject": true,
	"date": true, "message-id": true, "mime-version": true, "content-type": true,
	"content-transfer-encoding": true, "dkim-signature": true,
}

// WriteEML writes msg to w as an .eml file: the bytes Send hands to the
// server, with CRLF line ends.
func WriteEML(w io.Writer, msg Message) error {
	m, err := toMsg(msg)
	if err != nil {
		return err
	}
	if _, err := m.WriteTo(w); err != nil {
		return fmt.Errorf("email: write message %s: %w", msg.MessageID, err)
	}
	return nil
}

// toMsg checks msg and builds the go-mail message for it.
func toMsg(msg Message) (*gomail.Msg, error) {
	if err := msg.check(); err != nil {
		return nil, err
	}
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithBoundary(boundary(msg)))
	m.SetCharset(gomail.CharsetUTF8)
	m.SetEncoding(gomail.EncodingQP)
	m.FromMailAddress(&msg.From)
	to := make([]*mail.Address, len(msg.To))
	for i := range msg.To {
		to[i] = &msg.To[i]
	}
	m.ToMailAddress(to...)
	if msg.ReplyTo != nil {
		m.ReplyToMailAddress(msg.ReplyTo)
	}
	m.Subject(msg.Subject)
	m.SetDateWithValue(msg.Date)
	m.SetMessageIDWithValue(msg.MessageID)
	for _, h := range msg.Headers {
		m.SetGenHeader(gomail.Header(h.Name), h.Value)
	}
	m.SetBodyString(gomail.TypeTextPlain, msg.Text)
	m.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	return m, nil
}

// check says what is missing or wrong in msg, all at once.
func (msg Message) check() error {
	var errs []string
	if msg.From.Address == "" {
		errs = append(errs, "no From address")
	}
	if len(msg.To) == 0 {
		errs = append(errs, "no To address")
	}
	for _, a := range append([]mail.Address{msg.From}, msg.To...) {
		switch {
		case a.Address != "" && !strings.Contains(a.Address, "@"):
			errs = append(errs, fmt.Sprintf("address %q has no @", a.Address))
		case strings.ContainsAny(a.Address, "<> \t\r\n"):
			// It would break the envelope's MAIL FROM:<...> or RCPT TO:<...>.
			errs = append(errs, fmt.Sprintf("address %q has a space, line break or angle bracket", a.Address))
		}
	}
	if msg.Date.IsZero() {
		errs = append(errs, "no Date")
	}
	if msg.MessageID == "" || strings.ContainsAny(msg.MessageID, "<> \t\r\n") || !strings.Contains(msg.MessageID, "@") {
		errs = append(errs, fmt.Sprintf("Message-ID %q is not of the form local@domain (without angle brackets)", msg.MessageID))
	}
	if msg.Text == "" || msg.HTML == "" {
		errs = append(errs, "a text and an HTML body are both required")
	}
	seen := map[string]bool{}
	for _, h := range msg.Headers {
		name := strings.ToLower(h.Name)
		switch {
		case h.Name == "" || strings.ContainsAny(h.Name, ": \t\r\n"):
			errs = append(errs, fmt.Sprintf("header name %q is not valid", h.Name))
		case reserved[name]:
			errs = append(errs, fmt.Sprintf("header %s is set by Message's own field, not Headers", h.Name))
		case seen[name]:
			errs = append(errs, fmt.Sprintf("header %s is given twice", h.Name))
		case strings.ContainsAny(h.Value, "\r\n"):
			errs = append(errs, fmt.Sprintf("header %s: value has a line break", h.Name))
		}
		seen[name] = true
	}
	if strings.ContainsAny(msg.Subject, "\r\n") {
		errs = append(errs, "Subject has a line break")
	}
	if len(errs) > 0 {
		return fmt.Errorf("email: message %q: %s", msg.MessageID, strings.Join(errs, "; "))
	}
	return nil
}

// boundary is the MIME boundary for msg: derived from its bodies so that the
// same Message always gives the same bytes, and (being a hash of them) never
// found inside them. It has no "=" or other character that would need quoting
// in the Content-Type parameter (go-mail writes it unquoted).
func boundary(msg Message) string {
	h := sha256.New()
	io.WriteString(h, msg.MessageID)
	io.WriteString(h, "\x00")
	io.WriteString(h, msg.Text)
	io.WriteString(h, "\x00")
	io.WriteString(h, msg.HTML)
	return "lmcpress-" + hex.EncodeToString(h.Sum(nil)[:16])
}
