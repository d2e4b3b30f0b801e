package main

import (
	"encoding/json"
	"net/smtp"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"lmcpress/internal/mailpittest"
)

// TestNewsletterMailpitHTMLCheck sends the December 2016 issue to a real
// Mailpit and reads its HTML compatibility check back: 95% or more
// supported, and nothing unsupported in Gmail or Outlook for Windows.
func TestNewsletterMailpitHTMLCheck(t *testing.T) {
	mp := mailpittest.Start(t, mailpittest.Options{})
	dir := t.TempDir()
	if stdout, _, err := runCLI(t, "newsletter", "preview", "2016-12", "--root", "../..", "--out", dir); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	eml, err := os.ReadFile(filepath.Join(dir, "2016-12.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := smtp.SendMail(mp.SMTPAddr(), nil, "news@example.org", []string{"practice@example.org"}, eml); err != nil {
		t.Fatal(err)
	}
	msgs := mp.Messages(t)
	if len(msgs) != 1 {
		t.Fatalf("Mailpit holds %d messages, want 1", len(msgs))
	}
	m := mp.Message(t, msgs[0].ID)
	if m.Subject != "December 2016 newsletter" {
		t.Errorf("subject %q", m.Subject)
	}
	var check struct {
		Total struct {
			Supported, Partial, Unsupported float64
		}
		Warnings []struct {
			Title   string
			Results []struct {
				Family, Name, Support string
			}
		}
	}
	if err := json.Unmarshal(mp.Get(t, "/api/v1/message/"+msgs[0].ID+"/html-check"), &check); err != nil {
		t.Fatal(err)
	}
	t.Logf("Mailpit html-check: %.1f%% supported, %.1f%% partial, %.1f%% unsupported", check.Total.Supported, check.Total.Partial, check.Total.Unsupported)
	if check.Total.Supported < 95 {
		t.Errorf("%.1f%% supported, want 95%% or more", check.Total.Supported)
	}
	for _, w := range check.Warnings {
		var no, elsewhere []string
		for _, r := range w.Results {
			fam := strings.ToLower(r.Family)
			outlook := strings.Contains(r.Name, "Outlook Windows")
			switch {
			case r.Support == "no" && (outlook || strings.Contains(fam, "gmail")):
				no = append(no, r.Name)
			case r.Support == "no":
				elsewhere = append(elsewhere, r.Name)
			}
		}
		if len(elsewhere) > 0 {
			t.Logf("%s is unsupported in %s", w.Title, strings.Join(elsewhere, ", "))
		}
		if len(no) > 0 {
			sort.Strings(no)
			t.Errorf("%s is unsupported in %s", w.Title, strings.Join(no, ", "))
		}
	}
}
