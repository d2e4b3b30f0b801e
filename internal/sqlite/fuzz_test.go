package sqlite

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"lmcpress/internal/subscriber"
)

// FuzzImport feeds list files through the reader into a real store (a dry
// run, so every input meets the same list): whatever Read accepts, Import
// must take without failing, and report one outcome per record.
func FuzzImport(f *testing.F) {
	seeds, _ := filepath.Glob("../subscriber/testdata/fuzz/FuzzImport/*")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, seed := range []string{
		"email,name,role,practice,ods_code,areas,status,consent_date,consent_source\npat@nhs.net,Pat,partner,Riverside,F84001,north,confirmed,2019-03-21,web\nleft@nhs.net,,,,,,unsubscribed,,\n",
		"\"Email Address\",\"First Name\",UNSUB_TIME\nweb@nhs.net,W,2020-01-01 00:00:00\n",
		"\"Email Address\",CLEAN_TIME\ngone@nhs.net,2020-01-01 00:00:00\nLEFT@nhs.net,\n",
		"uuid,email,name,attributes,status,created_at,updated_at\nu,pending@nhs.net,P,{},enabled,2021-06-08 10:11:12 +0000 UTC,\nv,x@nhs.net,,{},blocklisted,,\n",
	} {
		f.Add([]byte(seed))
	}
	s, err := Open(filepath.Join(f.TempDir(), "lmcpress.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.SetSecret(ctx, secret); err != nil {
		f.Fatal(err)
	}
	// A list with someone of each status and a suppression entry.
	web, err := s.SignUp(ctx, subscriber.Subscriber{Email: "web@nhs.net"}, subscriber.Event{At: day}, 3)
	if err != nil {
		f.Fatal(err)
	}
	if err := s.Confirm(ctx, web.ID, web.Nonce, subscriber.Event{At: day}); err != nil {
		f.Fatal(err)
	}
	if _, err := s.SignUp(ctx, subscriber.Subscriber{Email: "pending@nhs.net"}, subscriber.Event{At: day}, 3); err != nil {
		f.Fatal(err)
	}
	left, err := s.SignUp(ctx, subscriber.Subscriber{Email: "left@nhs.net"}, subscriber.Event{At: day}, 3)
	if err != nil {
		f.Fatal(err)
	}
	if err := s.Unsubscribe(ctx, left.ID, subscriber.Event{At: day}); err != nil {
		f.Fatal(err)
	}
	if _, err := s.Import(ctx, []subscriber.Record{{Subscriber: subscriber.Subscriber{Email: "gone@nhs.net"}, Suppress: subscriber.Cleaned}},
		ImportOptions{File: "seed.csv", At: day}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, recs, _, err := subscriber.Read(bytes.NewReader(data), "fuzz.csv", subscriber.ReadOptions{Areas: []string{"north", "south"}, Now: day})
		if err != nil {
			return
		}
		outs, err := s.Import(ctx, recs, ImportOptions{File: "fuzz.csv", At: day, DryRun: true})
		if err != nil {
			t.Fatalf("import of what Read accepted failed: %v", err)
		}
		if len(outs) != len(recs) {
			t.Fatalf("%d outcomes for %d records", len(outs), len(recs))
		}
	})
}
