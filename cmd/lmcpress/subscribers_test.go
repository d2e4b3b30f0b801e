package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const testSecret = "a-test-secret-of-at-least-32-bytes-long"

// subs runs lmcpress subscribers against the sample site's areas and a
// database in data, with LMCPRESS_SECRET set unless noSecret.
func subs(t *testing.T, data string, args ...string) (string, error) {
	t.Helper()
	return subsEnv(t, data, testSecret, args...)
}

func subsEnv(t *testing.T, data, secret string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == EnvSecret {
			return secret
		}
		return ""
	}
	all := append([]string{"subscribers"}, args...)
	all = append(all, "--root", "../..", "--data", data)
	err := run(context.Background(), all, getenv, testClock, strings.NewReader(""), &out, &errOut)
	return out.String(), err
}

func TestSubscribersImportExportRoundTrip(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()
	file := filepath.Join(dir, "list.csv")
	writeFile(t, file, "\uFEFFemail,name,role,practice,ods_code,areas,status,consent_date,consent_source\r\n"+
		"pm@riverside.nhs.net,Pat Smith,practice manager,Riverside Surgery,f84001,northfield;Kingsmere,,,\r\n"+
		"ann@nhs.net,Dr Ann Jones,partner,,,,confirmed,2019-03-21,mailchimp\r\n"+
		"bad-address,Nobody,,,,,,,\r\n"+
		"PM@riverside.nhs.net,Again,,,,,,,\r\n"+
		"sam@nhs.net,Sam,,,,Southwick,,,\r\n"+
		"left@nhs.net,\"=HYPERLINK(\"\"http://x\"\")\",,,,,unsubscribed,2020-01-01,web\r\n")
	want := []string{
		"list.csv:2: added pm@riverside.nhs.net: confirmed",
		"list.csv:3: added ann@nhs.net: confirmed",
		`list.csv:4: rejected: email: email "bad-address": no @`,
		"list.csv:5: rejected: email: PM@riverside.nhs.net is already on line 2 of this file",
		`list.csv:6: rejected: areas: unknown area "Southwick"; content/site.yaml's areas are Northfield, Eastbrook, Kingsmere, Ashcombe`,
		"list.csv:7: added left@nhs.net: unsubscribed",
		"(lmcpress format): 3 added, 0 updated, 0 unchanged, 0 suppressed, 3 rejected",
	}
	out, err := subs(t, data, "import", file, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range append(want, "dry run: nothing was changed") {
		if !strings.Contains(out, w) {
			t.Errorf("dry run lacks %q:\n%s", w, out)
		}
	}
	if out, _ := subs(t, data, "list"); !strings.Contains(out, "total               0") {
		t.Errorf("after a dry run:\n%s", out)
	}
	out, err = subs(t, data, "import", file)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("import lacks %q:\n%s", w, out)
		}
	}
	// Importing the same file again changes nothing.
	out, _ = subs(t, data, "import", file)
	if !strings.Contains(out, "0 added, 0 updated, 3 unchanged") {
		t.Errorf("second import:\n%s", out)
	}

	exported := filepath.Join(dir, "export.csv")
	if out, err := subs(t, data, "export", "--out", exported); err != nil || !strings.Contains(out, "wrote 3 subscribers to") {
		t.Fatalf("export: %q %v", out, err)
	}
	b, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(exported); st.Mode().Perm() != 0o600 {
		t.Errorf("the export is readable by others: %v", st.Mode())
	}
	wantCSV := "email,name,role,practice,ods_code,areas,status,consent_date,consent_source\n" +
		"ann@nhs.net,Dr Ann Jones,partner,,,,confirmed,2019-03-21T00:00:00Z,mailchimp\n" +
		`left@nhs.net,"'=HYPERLINK(""http://x"")",,,,,unsubscribed,2020-01-01T00:00:00Z,web` + "\n" +
		"pm@riverside.nhs.net,Pat Smith,practice-manager,Riverside Surgery,F84001,Kingsmere;Northfield,confirmed,2026-12-01T23:40:00Z,import\n"
	if string(b) != wantCSV {
		t.Errorf("export:\n%s\nwant:\n%s", b, wantCSV)
	}
	// Into a new database, the export gives back the same list.
	data2 := t.TempDir()
	if out, err := subs(t, data2, "import", exported); err != nil || !strings.Contains(out, "3 added, 0 updated, 0 unchanged, 0 suppressed, 0 rejected") {
		t.Fatalf("re-import: %s %v", out, err)
	}
	again, err := subs(t, data2, "export")
	if err != nil {
		t.Fatal(err)
	}
	if again != wantCSV {
		t.Errorf("export after re-import:\n%s\nwant:\n%s", again, wantCSV)
	}
	// --status filters.
	if out, _ := subs(t, data2, "export", "--status", "unsubscribed"); strings.Count(out, "\n") != 2 || !strings.Contains(out, "left@nhs.net") {
		t.Errorf("export --status unsubscribed:\n%s", out)
	}
}

func TestSubscribersMailchimp(t *testing.T) {
	data, dir := t.TempDir(), t.TempDir()
	header := `"Email Address","First Name","Last Name",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS`
	sub := filepath.Join(dir, "subscribed_members_export_1a2b.csv")
	writeFile(t, sub, header+"\r\npat@nhs.net,Pat,Smith,2,\"2019-03-20 10:00:00\",,\"2019-03-21 14:22:01\",,,,,,,,,,1,a,,\r\n")
	unsub := filepath.Join(dir, "unsubscribed_members_export_1a2b.csv")
	writeFile(t, unsub, header+",UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER\r\n"+
		"left@nhs.net,Lee,Left,2,,,,,,,,,,,,,2,b,,,\"2021-05-06 07:08:09\",May,c1,,\r\n")
	cleaned := filepath.Join(dir, "cleaned_members_export_1a2b.csv")
	writeFile(t, cleaned, header+",CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID\r\n"+
		"gone@nhs.net,Go,Ne,1,,,,,,,,,,,,,3,c,,,\"2022-02-03 04:05:06\",Feb,c2\r\n")
	for _, f := range []string{sub, unsub, cleaned} {
		out, err := subs(t, data, "import", f)
		if err != nil || !strings.Contains(out, "(mailchimp format)") {
			t.Fatalf("import %s: %s %v", f, out, err)
		}
	}
	out, _ := subs(t, data, "list")
	for _, w := range []string{"confirmed           1", "total               1", "suppression list (hashes only, never re-added): 1 unsubscribed, 1 cleaned"} {
		if !strings.Contains(out, w) {
			t.Errorf("list lacks %q:\n%s", w, out)
		}
	}
	// The leavers' addresses and names are nowhere in the database.
	for _, p := range []string{"lmcpress.db", "lmcpress.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(data, p))
		for _, s := range []string{"left@nhs.net", "gone@nhs.net", "Lee"} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds %q", p, s)
			}
		}
	}
	// They are never re-added, by import or add.
	again := filepath.Join(dir, "again.csv")
	writeFile(t, again, "email\nleft@nhs.net\nGONE@nhs.net\n")
	out, _ = subs(t, data, "import", again)
	if !strings.Contains(out, "again.csv:2: rejected left@nhs.net: suppressed (unsubscribed 2021-05-06)") || !strings.Contains(out, "again.csv:3: rejected GONE@nhs.net: suppressed (cleaned 2022-02-03)") {
		t.Errorf("re-adding leavers:\n%s", out)
	}
	if _, err := subs(t, data, "add", "left@nhs.net"); err == nil || !strings.Contains(err.Error(), "only they can sign up again") {
		t.Errorf("add of a leaver: %v", err)
	}
	// show gives the original consent.
	out, _ = subs(t, data, "show", "pat@nhs.net")
	if !strings.Contains(out, "consent:           2019-03-21T14:22:01Z via mailchimp CONFIRM_TIME") {
		t.Errorf("show:\n%s", out)
	}
}

func TestSubscribersAddShowRemoveErase(t *testing.T) {
	data := t.TempDir()
	out, err := subs(t, data, "add", " Pat@NHS.net ", "--name", "Pat Smith", "--role", "Practice Manager", "--ods", "f84001", "--areas", "northfield",
		"--consent", "Asked by phone on 1 December to receive the newsletter")
	if err != nil || out != "added Pat@nhs.net (confirmed, number 1)\n" {
		t.Fatalf("add: %q %v", out, err)
	}
	out, err = subs(t, data, "show", "pat@nhs.net", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got shown
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Email != "Pat@nhs.net" || got.Name != "Pat Smith" || got.Role != "practice-manager" || got.ODSCode != "F84001" ||
		strings.Join(got.Areas, ",") != "Northfield" || got.Status != "confirmed" || got.ConsentSource != "cli" ||
		got.ConsentDate == nil || !got.ConsentDate.Equal(testNow) || len(got.ConsentLog) != 2 ||
		got.ConsentLog[0].What != "confirmed" || got.ConsentLog[0].Wording != "Asked by phone on 1 December to receive the newsletter" ||
		got.ConsentLog[1].What != "accessed" {
		t.Errorf("show --json:\n%s", out)
	}
	if out, err := subs(t, data, "remove", "pat@nhs.net"); err != nil || !strings.Contains(out, "pat@nhs.net is unsubscribed") {
		t.Errorf("remove: %q %v", out, err)
	}
	if out, _ := subs(t, data, "list", "--status", "unsubscribed", "--area", "northfield"); !strings.Contains(out, "unsubscribed        1") {
		t.Errorf("list --status unsubscribed --area Northfield:\n%s", out)
	}
	if _, err := subsEnv(t, data, "", "erase", "pat@nhs.net"); err == nil || !strings.Contains(err.Error(), "set LMCPRESS_SECRET") {
		t.Errorf("erase without a secret: %v", err)
	}
	if _, err := subsEnv(t, data, strings.Repeat("z", 40), "erase", "pat@nhs.net"); err == nil || !strings.Contains(err.Error(), "not the secret this database") {
		t.Errorf("erase with another secret: %v", err)
	}
	if out, err := subs(t, data, "erase", "pat@nhs.net"); err != nil || !strings.Contains(out, "erased pat@nhs.net") {
		t.Fatalf("erase: %q %v", out, err)
	}
	out, err = subs(t, data, "show", "PAT@nhs.net")
	if err != nil || !strings.Contains(out, "nothing is held but a suppression entry (erased 2026-12-01)") {
		t.Errorf("show after erase: %q %v", out, err)
	}
	for _, p := range []string{"lmcpress.db", "lmcpress.db-wal", "lmcpress.db-shm"} {
		b, _ := os.ReadFile(filepath.Join(data, p))
		for _, s := range []string{"nhs.net", "Pat Smith", "Asked by phone"} {
			if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(s))) {
				t.Errorf("%s still holds %q after erase", p, s)
			}
		}
	}
	if out, err := subs(t, data, "erase", "pat@nhs.net"); err != nil || !strings.Contains(out, "pat@nhs.net was erased before") {
		t.Errorf("erase again: %q %v", out, err)
	}
	if _, err := subs(t, data, "erase", "never@nhs.net"); err == nil || !strings.Contains(err.Error(), "nothing is held on never@nhs.net") {
		t.Errorf("erase of an unknown address: %v", err)
	}
}

func TestSubscribersErrors(t *testing.T) {
	data := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "subscribers: say add, erase, export, import, list, remove, show"},
		{[]string{"delete", "x@nhs.net"}, `subscribers: unknown "delete"`},
		{[]string{"show"}, "subscribers show: give one EMAIL, e.g. lmcpress subscribers show pm@nhs.net"},
		{[]string{"list", "extra"}, "subscribers list: takes no extra"},
		{[]string{"show", "not-an-address"}, `subscribers show: email "not-an-address": no @`},
		{[]string{"show", "nobody@nhs.net"}, "subscribers show: nothing is held on nobody@nhs.net"},
		{[]string{"remove", "nobody@nhs.net"}, "subscribers remove: nobody@nhs.net is not on the list"},
		{[]string{"export", "--status", "left"}, "subscribers export: --status left: say pending, confirmed or unsubscribed"},
		{[]string{"add", "a@nhs.net", "--ods", "12345"}, `subscribers add: --ods: ODS code "12345": a practice code is one letter and five digits`},
		{[]string{"add", "a@nhs.net", "--areas", "Mars"}, `subscribers add: --areas: unknown area "Mars"`},
		{[]string{"list", "--area", "Northfeild"}, `subscribers list: --area: unknown area "Northfeild"; content/site.yaml's areas are Northfield,`},
		{[]string{"list", "--dry-run", "--out", "x.csv"}, "subscribers list: --dry-run is for import; --out is for export"},
		{[]string{"import", "/nonexistent/list.csv"}, "subscribers import: open /nonexistent/list.csv: no such file"},
	} {
		_, err := subs(t, data, c.args...)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("subscribers %v: %v, want one line starting %q", c.args, err, c.want)
		}
	}
	if out, err := subs(t, data, "list", "--area", " "); err != nil || !strings.Contains(out, "total") {
		t.Errorf("list --area ' ': %q %v", out, err)
	}
	if _, err := subsEnv(t, data, "", "import", "x.csv"); err == nil || !strings.Contains(err.Error(), "subscribers import: set LMCPRESS_SECRET") {
		t.Errorf("import without a secret: %v", err)
	}
	// The default data folder is ROOT/data.
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "content", "site.yaml"), "title: T\nbaseURL: https://example.org/\n")
	var out bytes.Buffer
	err := run(context.Background(), []string{"subscribers", "list", "--root", root}, func(string) string { return "" },
		func() time.Time { return testNow }, strings.NewReader(""), &out, &out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "data", "lmcpress.db")); err != nil {
		t.Errorf("no database at ROOT/data: %v", err)
	}
}
