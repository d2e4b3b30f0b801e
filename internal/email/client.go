package email

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Client is one open SMTP connection. Send may be called many times before
// Close; it is not safe for concurrent use (open one Client per connection).
type Client struct {
	cfg  Config
	mail *gomail.Client
	conn *smtp.Client
}

// Dial connects to the server in cfg, says EHLO, upgrades to TLS as
// cfg.Security requires and logs in if cfg has a user name. Errors are one
// line naming the server and LMCPRESS_SMTP_URL, with the password masked.
func Dial(ctx context.Context, cfg Config) (*Client, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	opts := []gomail.Option{
		gomail.WithPort(cfg.Port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: cfg.Host, RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}),
		// go-mail's NOOP before and RSET after every message cost a round
		// trip each (+65% messages a second per connection without them,
		// MAIL.md); it still sends RSET after a refused MAIL or RCPT, so the
		// connection survives a refused recipient.
		gomail.WithoutNoop(),
		gomail.WithoutRset(),
	}
	switch cfg.Security {
	case StartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case LoopbackOptional:
		if !isLoopback(cfg.Host) {
			return nil, fmt.Errorf("email: %s: TLS may be optional only for a server on this computer (127.0.0.1, ::1, localhost); check %s", cfg.Addr(), EnvURL)
		}
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if cfg.Username != "" {
		// The strongest mechanism the server offers; PLAIN and LOGIN only
		// over TLS, except on loopback, where the password never leaves
		// this computer (go-mail's discovery refuses them on any plain
		// connection).
		auth := gomail.SMTPAuthAutoDiscover
		if cfg.Security == LoopbackOptional {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	mc, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, cfg.mask(fmt.Errorf("email: %s: %w; check %s", cfg.Addr(), err, EnvURL))
	}
	// A failure after the TCP dial (EHLO, STARTTLS, AUTH) leaves go-mail's
	// connection to the garbage collector, which closes it.
	conn, err := mc.DialToSMTPClientWithContext(ctx)
	if err != nil {
		verb := "cannot use"
		if op := (*net.OpError)(nil); errors.As(err, &op) && op.Op == "dial" {
			verb = "cannot reach"
		}
		return nil, cfg.mask(fmt.Errorf("email: %s the SMTP server %s (%s): %w; check %s", verb, cfg.Addr(), cfg.Security, oneLine(err), EnvURL))
	}
	return &Client{cfg: cfg, mail: mc, conn: conn}, nil
}

// Send sends msg over the connection, to every address in msg.To, with
// msg.From as the envelope sender. The command timeout bounds a send in
// progress; ctx is checked before it starts.
func (c *Client) Send(ctx context.Context, msg Message) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("email: send %s: %w", msg.MessageID, err)
	}
	m, err := toMsg(msg)
	if err != nil {
		return err
	}
	if err := c.mail.SendWithSMTPClient(c.conn, m); err != nil {
		return c.cfg.mask(fmt.Errorf("email: send %s via %s: %w", msg.MessageID, c.cfg.Addr(), oneLine(err)))
	}
	return nil
}

// transact sends one message's bytes (head, then body: the DKIM-Signature
// and WriteEML's bytes, so they need not be joined) from from to each of
// to, and returns the server's reply to the final ".". The deadline covers
// the whole transaction. A refusal of MAIL or RCPT is followed by RSET, so
// the connection can carry the next message. Every error is a *txError.
func (c *Client) transact(from string, to []string, head string, body []byte) (string, error) {
	timeout := c.cfg.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if err := c.conn.UpdateDeadline(timeout); err != nil {
		return "", &txError{stage: "connection", err: err, broken: true}
	}
	refused := func(stage string, err error) (string, error) {
		tx := newTxError(stage, err)
		if !tx.broken && tx.code != 421 {
			if rerr := c.conn.Reset(); rerr != nil {
				tx.broken = true
			}
		}
		return "", tx
	}
	if err := c.conn.Mail(from); err != nil {
		return refused("MAIL FROM", err)
	}
	for _, r := range to {
		if err := c.conn.Rcpt(r); err != nil {
			return refused("RCPT TO "+r, err)
		}
	}
	w, err := c.conn.Data()
	if err != nil {
		return refused("DATA", err)
	}
	if err := writeData(c.conn.Text.W, w, head, body); err != nil {
		return "", newTxError("DATA", err)
	}
	if err := w.Close(); err != nil {
		return "", newTxError("end of DATA", err)
	}
	if dc, ok := w.(*smtp.DataCloser); ok {
		return "250 " + dc.ServerResponse(), nil
	}
	return "250", nil
}

// txError is a failed transaction: the server's reply (code and text) to a
// command, or a connection that broke (code 0).
type txError struct {
	stage  string // the command that failed
	code   int    // the reply's code; 0 if the connection broke
	reply  string // the server's reply, e.g. "550 5.1.1 no such user"
	broken bool   // the connection cannot carry another message
	err    error
}

func newTxError(stage string, err error) *txError {
	tx := &txError{stage: stage, err: err, broken: true}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		tx.code, tx.reply = tp.Code, fmt.Sprintf("%d %s", tp.Code, strings.Join(strings.Fields(tp.Msg), " "))
		// 421: the server is closing the connection (RFC 5321 §3.8).
		tx.broken = tp.Code == 421
	}
	return tx
}

func (e *txError) Error() string {
	if e.code != 0 {
		return e.stage + ": " + e.reply
	}
	return e.stage + ": connection lost: " + oneLine(e.err).Error()
}

func (e *txError) Unwrap() error { return e.err }

// temporary reports whether trying again later may succeed: a 4xx reply or
// a lost connection. A 5xx is the server's final word on this message.
func (e *txError) temporary() bool { return e.code < 500 }

// SendSigned is Send with a DKIM signature by d (nil: unsigned) over the
// bytes sent, as Pool sends them: what a test copy needs to show that the
// LMC's DNS record and key agree before the real send.
func (c *Client) SendSigned(ctx context.Context, msg Message, d *DKIM) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("email: send %s: %w", msg.MessageID, err)
	}
	var buf bytes.Buffer
	if err := WriteEML(&buf, msg); err != nil {
		return err
	}
	head := ""
	if d != nil {
		var err error
		if head, err = d.Signature(buf.Bytes()); err != nil {
			return err
		}
	}
	to := make([]string, len(msg.To))
	for i, a := range msg.To {
		to[i] = envelope(a.Address)
	}
	if _, err := c.transact(envelope(msg.From.Address), to, head, buf.Bytes()); err != nil {
		return c.cfg.mask(fmt.Errorf("email: send %s via %s: %w", msg.MessageID, c.cfg.Addr(), err))
	}
	return nil
}

// Close says QUIT and closes the connection.
func (c *Client) Close() error {
	if err := c.mail.CloseWithSMTPClient(c.conn); err != nil {
		return c.cfg.mask(fmt.Errorf("email: close connection to %s: %w", c.cfg.Addr(), err))
	}
	return nil
}

// maskedError shows err's text with the password starred out, and still
// unwraps to err for errors.Is and errors.As.
type maskedError struct {
	text string
	err  error
}

func (e *maskedError) Error() string { return e.text }
func (e *maskedError) Unwrap() error { return e.err }

// mask hides the password anywhere in err's text.
func (c Config) mask(err error) error {
	if err == nil || c.Password == "" || !strings.Contains(err.Error(), c.Password) {
		return err
	}
	return &maskedError{text: strings.ReplaceAll(err.Error(), c.Password, "xxxxx"), err: err}
}

// oneLine keeps an error on one line: go-mail joins several with newlines.
func oneLine(err error) error {
	if !strings.Contains(err.Error(), "\n") {
		return err
	}
	return &maskedError{text: strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " "), err: err}
}

// writeData writes head then body as DATA's content: dot-stuffed (a line
// that starts with "." gets another), with CRLF line ends. go-mail's
// writer (net/textproto's) does that a byte at a time, about a fifth of a
// millisecond for a 40 KB message; here each line that needs it is found
// with bytes.Index and the rest is copied as it is, straight into the
// connection's buffer (raw), and only the last CRLF goes through dot, the
// writer DATA returned, so that its Close ends the data with ".". A message
// with a lone LF, or not ending in CRLF, goes through dot whole, which
// mends both.
func writeData(raw *bufio.Writer, dot io.Writer, head string, body []byte) error {
	if bareLF([]byte(head)) || bareLF(body) || !bytes.HasSuffix(body, []byte("\r\n")) || head != "" && !strings.HasSuffix(head, "\r\n") {
		if _, err := io.WriteString(dot, head); err != nil {
			return err
		}
		_, err := dot.Write(body)
		return err
	}
	stuff(raw, []byte(head))
	stuff(raw, body[:len(body)-2])
	_, err := io.WriteString(dot, "\r\n")
	return err // raw's errors stay in it, and its Flush (dot's Close) reports them
}

// stuff writes b to w, starting at the start of a line, with a "." before
// each line that starts with one.
func stuff(w *bufio.Writer, b []byte) {
	if len(b) > 0 && b[0] == '.' {
		w.WriteByte('.')
	}
	for {
		i := bytes.Index(b, []byte("\n."))
		if i < 0 {
			w.Write(b)
			return
		}
		w.Write(b[:i+1])
		w.WriteByte('.')
		b = b[i+1:]
	}
}

// bareLF reports whether b has a line feed without a carriage return
// before it.
func bareLF(b []byte) bool {
	return bytes.Count(b, []byte("\n")) != bytes.Count(b, []byte("\r\n"))
}
