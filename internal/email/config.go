package email

import (
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// EnvURL is the environment variable that names the SMTP server; the
// command reads it and hands its value to ParseURL.
const EnvURL = "LMCPRESS_SMTP_URL"

// accepted is the end of every configuration error: the forms ParseURL takes.
const accepted = "give smtp://USER:PASSWORD@HOST:587 (STARTTLS required), smtps://USER:PASSWORD@HOST:465 (TLS from the start) or smtp://127.0.0.1:1025 (a server on this computer, TLS optional)"

// Security is how a connection is protected.
type Security int

const (
	// StartTLS requires the server to offer STARTTLS and upgrades before
	// logging in; a server that does not offer it is refused.
	StartTLS Security = iota
	// ImplicitTLS speaks TLS from the first byte (smtps, port 465).
	ImplicitTLS
	// LoopbackOptional is for a server on this computer: STARTTLS is used
	// if the server offers it (and its certificate must then verify), plain
	// text otherwise, since the traffic never leaves the machine.
	LoopbackOptional
)

func (s Security) String() string {
	switch s {
	case StartTLS:
		return "STARTTLS"
	case ImplicitTLS:
		return "TLS"
	default:
		return "TLS optional (loopback)"
	}
}

// Config says how to reach the SMTP server.
type Config struct {
	Host     string
	Port     int
	Username string // empty: no login
	Password string // never printed: String and every error mask it
	Security Security
	// Timeout bounds the dial and each SMTP command; zero means 30s.
	Timeout time.Duration
	// RootCAs verifies the server's certificate; nil means the system's
	// (tests pass the pool of a certificate they made).
	RootCAs *x509.CertPool
}

// Addr is host:port.
func (c Config) Addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// String is the configuration as a URL with the password masked, for
// messages.
func (c Config) String() string {
	scheme := "smtp"
	if c.Security == ImplicitTLS {
		scheme = "smtps"
	}
	u := url.URL{Scheme: scheme, Host: c.Addr()}
	if c.Username != "" {
		if c.Password != "" {
			u.User = url.UserPassword(c.Username, "xxxxx")
		} else {
			u.User = url.User(c.Username)
		}
	}
	return u.String()
}

// ParseURL reads an SMTP server's URL (the value of LMCPRESS_SMTP_URL).
// smtp:// requires STARTTLS unless the host is a loopback address;
// smtps:// is implicit TLS. The port defaults to 587 and 465.
func ParseURL(raw string) (Config, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Config{}, fmt.Errorf("%s is not set: %s", EnvURL, accepted)
	}
	fail := func(what string) (Config, error) {
		return Config{}, fmt.Errorf("%s=%s: %s: %s", EnvURL, redact(raw), what, accepted)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url's error quotes the whole URL, password included: not shown.
		return fail("not a URL (a password with @, : or / in it must be percent-encoded)")
	}
	var cfg Config
	switch u.Scheme {
	case "smtp":
		cfg.Security, cfg.Port = StartTLS, 587
	case "smtps":
		cfg.Security, cfg.Port = ImplicitTLS, 465
	default:
		return fail(fmt.Sprintf("scheme %q is not smtp or smtps", u.Scheme))
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return fail("no host")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return fail("a path, query or fragment is not used")
	}
	cfg.Host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return fail(fmt.Sprintf("port %q is not a number from 1 to 65535", p))
		}
		cfg.Port = n
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
		if cfg.Username == "" {
			return fail("a password without a user name")
		}
	}
	if cfg.Security == StartTLS && isLoopback(cfg.Host) {
		cfg.Security = LoopbackOptional
	}
	return cfg, nil
}

// isLoopback reports whether host is this computer: localhost or an
// address in 127.0.0.0/8 or ::1. A name other than localhost is not
// resolved: what it points at can change.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redact hides the password in a URL that may not parse: whatever is
// between the first ':' after "//" and the last '@' before the host.
func redact(raw string) string {
	rest, scheme := raw, ""
	if i := strings.Index(raw, "//"); i >= 0 {
		scheme, rest = raw[:i+2], raw[i+2:]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	user := rest[:at]
	if i := strings.Index(user, ":"); i >= 0 {
		user = user[:i] + ":xxxxx"
	}
	return scheme + user + rest[at:]
}
