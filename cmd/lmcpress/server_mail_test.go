package main

import (
	"context"
	"strings"
	"testing"

	"lmcpress/internal/content"
	"lmcpress/internal/email"
	"lmcpress/internal/server"
	"lmcpress/internal/smtptest"
)

// TestConfirmationRetried: a relay that defers the first try (a
// greylisting 451) still gets the confirmation email, on the next try; one
// that refuses it outright (550) is an error for the log.
func TestConfirmationRetried(t *testing.T) {
	cfg, err := content.ParseConfig([]byte("title: T\nbaseURL: https://lmc.example.org/\nnewsletter:\n  from: \"T LMC <news@example.org>\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := server.Confirmation{Subject: "Confirm", Text: "text", HTML: "<p>html</p>", Date: testNow, ID: 7, Link: "https://lmc.example.org/confirm/x"}
	srv := smtptest.Start(t, smtptest.Options{Hook: func(stage smtptest.Stage, rcpt string, seen int) smtptest.Fault {
		switch {
		case stage == smtptest.Rcpt && strings.HasPrefix(rcpt, "grey") && seen == 1:
			return smtptest.Fault{Code: 451, Text: "4.7.1 greylisted, try again later"}
		case stage == smtptest.Rcpt && strings.HasPrefix(rcpt, "gone"):
			return smtptest.Fault{Code: 550, Text: "5.1.1 no such mailbox"}
		}
		return smtptest.Fault{}
	}})
	smtpCfg, err := email.ParseURL("smtp://" + srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	m := smtpMailer{cfg: smtpCfg, site: cfg}
	c.To.Address = "grey@example.org"
	if err := m.SendConfirmation(context.Background(), c); err != nil {
		t.Fatalf("deferred once: %v", err)
	}
	if got := srv.Messages(); len(got) != 1 || got[0].To[0] != "grey@example.org" {
		t.Fatalf("received %+v", got)
	}
	c.To.Address = "gone@example.org"
	if err := m.SendConfirmation(context.Background(), c); err == nil || !strings.Contains(err.Error(), "550") {
		t.Errorf("refused: %v, want an error with the 550", err)
	}
}
