package email

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	for raw, want := range map[string]Config{
		"smtp://u:p%40ss@mail.example.org:587": {Host: "mail.example.org", Port: 587, Username: "u", Password: "p@ss", Security: StartTLS},
		"smtp://mail.example.org":              {Host: "mail.example.org", Port: 587, Security: StartTLS},
		"smtps://u:p@mail.example.org":         {Host: "mail.example.org", Port: 465, Username: "u", Password: "p", Security: ImplicitTLS},
		"smtps://127.0.0.1:1465":               {Host: "127.0.0.1", Port: 1465, Security: ImplicitTLS},
		"smtp://127.0.0.1:1025":                {Host: "127.0.0.1", Port: 1025, Security: LoopbackOptional},
		"smtp://127.8.9.10:25/":                {Host: "127.8.9.10", Port: 25, Security: LoopbackOptional},
		"smtp://[::1]:1025":                    {Host: "::1", Port: 1025, Security: LoopbackOptional},
		" smtp://LocalHost:1025 ":              {Host: "LocalHost", Port: 1025, Security: LoopbackOptional},
		// A name that merely resolves to this computer is not trusted.
		"smtp://localhost.example.org:25": {Host: "localhost.example.org", Port: 25, Security: StartTLS},
		"smtp://128.0.0.1:25":             {Host: "128.0.0.1", Port: 25, Security: StartTLS},
	} {
		got, err := ParseURL(raw)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", raw, err)
			continue
		}
		if got != want {
			t.Errorf("ParseURL(%q) = %+v, want %+v", raw, got, want)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	for raw, want := range map[string]string{
		"":                                 "LMCPRESS_SMTP_URL is not set",
		"mail.example.org:587":             "not smtp or smtps",
		"http://u:s3cret@mail.example.org": `scheme "http"`,
		"smtp://u:s3cret@":                 "no host",
		"smtp://u:s3cret@host:99999":       "port",
		"smtp://u:s3cret@host:x":           "not a URL",
		"smtp://u:s3cret@host/path":        "path",
		"smtp://u:s3cret@host?tls=no":      "query",
		"smtp://:s3cret@host":              "without a user name",
		"smtp://u:s3cret\x7f@host":         "not a URL",
	} {
		_, err := ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL(%q) = nil error, want %q", raw, want)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, want) || !strings.Contains(msg, "LMCPRESS_SMTP_URL") ||
			!strings.Contains(msg, "smtps://") || strings.Contains(msg, "\n") {
			t.Errorf("ParseURL(%q) = %q, want one line naming LMCPRESS_SMTP_URL, the accepted forms and %q", raw, msg, want)
		}
		if strings.Contains(msg, "s3cret") {
			t.Errorf("ParseURL(%q) error shows the password: %s", raw, msg)
		}
	}
}

func TestConfigStringMasksPassword(t *testing.T) {
	cfg, err := ParseURL("smtps://alice:s3cret@mail.example.org")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.String(), "smtps://alice:xxxxx@mail.example.org:465"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}
