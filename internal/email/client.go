package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
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
