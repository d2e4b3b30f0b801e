package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/sqlite"
	"lmcpress/internal/subscriber"
)

func init() {
	commands["subscribers"] = command{"the newsletter list: add, import, export, list, show, remove or erase subscribers", runSubscribers}
}

// subscriberVerbs are the subcommands, each with what it needs.
var subscriberVerbs = map[string]struct {
	args   string // "" none, "EMAIL", "FILE"
	secret bool   // needs LMCPRESS_SECRET (the suppression hashes)
}{
	"add": {"EMAIL", true}, "import": {"FILE", true}, "export": {"", false}, "list": {"", false},
	"show": {"EMAIL", false}, "remove": {"EMAIL", false}, "erase": {"EMAIL", true},
}

// verbFlags says which verbs each flag is for (the others are for all).
var verbFlags = map[string][]string{
	"dry-run": {"import"}, "status": {"export", "list"}, "area": {"list"}, "out": {"export"}, "json": {"show"},
	"name": {"add"}, "role": {"add"}, "practice": {"add"}, "ods": {"add"}, "areas": {"add"}, "consent": {"add"},
}

// subscribersCmd is one run of lmcpress subscribers: the flags and the
// open store.
type subscribersCmd struct {
	e                               *env
	store                           *sqlite.Store
	root                            string
	at                              time.Time
	status, area, out               string
	name, role, practice, ods, with string
	consent                         string
	dryRun, asJSON                  bool
}

func runSubscribers(ctx context.Context, e *env, args []string) error {
	c := &subscribersCmd{e: e}
	fl := flags(e, "subscribers",
		"Subscribers manages the newsletter list in DATA/lmcpress.db: add one person (at their request), import a list file (lmcpress's own CSV, Mailchimp's audience export files, listmonk's subscriber export), export it as CSV, count it, show everything held on one person (a subject access request), remove (unsubscribe) or erase someone. Nobody who unsubscribed, bounced or was erased is ever re-added by add or import. add, import and erase need "+EnvSecret+", the server's secret: the suppression list is keyed with it.",
		"subscribers add EMAIL [--name N] [--role R] [--practice P] [--ods CODE] [--areas A;B] [--consent TEXT] | import FILE.csv [--dry-run] | export [--status S] [--out FILE] | list [--status S] [--area A] | show EMAIL [--json] | remove EMAIL | erase EMAIL   (all take [--root DIR] [--data DIR])")
	fl.StringVar(&c.root, "root", ".", "the site folder (its content/site.yaml lists the areas)")
	data := fl.String("data", "", "the folder of the subscriber database (default ROOT/data)")
	fl.BoolVar(&c.dryRun, "dry-run", false, "import: report what would happen and change nothing")
	fl.StringVar(&c.status, "status", "", "export, list: only subscribers with this status: pending, confirmed or unsubscribed")
	fl.StringVar(&c.area, "area", "", "list: only subscribers of this area")
	fl.StringVar(&c.out, "out", "", "export: write the CSV to `FILE` instead of standard output")
	fl.BoolVar(&c.asJSON, "json", false, "show: print as JSON")
	fl.StringVar(&c.name, "name", "", "add: the person's name")
	fl.StringVar(&c.role, "role", "", "add: partner, salaried-gp, locum-gp, practice-manager or other")
	fl.StringVar(&c.practice, "practice", "", "add: the practice's name")
	fl.StringVar(&c.ods, "ods", "", "add: the practice's ODS code, e.g. F84001")
	fl.StringVar(&c.with, "areas", "", "add: the areas, separated by ; (from content/site.yaml)")
	fl.StringVar(&c.consent, "consent", "", "add: how the person asked to be added, kept in their consent log (default: at their request, by LMC staff)")
	var now nowFlag
	registerNow(fl, &now)
	pos, err := parse(fl, args)
	if err != nil {
		return err
	}
	verbs := make([]string, 0, len(subscriberVerbs))
	for v := range subscriberVerbs {
		verbs = append(verbs, v)
	}
	sort.Strings(verbs)
	if len(pos) == 0 {
		return fmt.Errorf("subscribers: say %s, e.g. lmcpress subscribers list", strings.Join(verbs, ", "))
	}
	verb := pos[0]
	v, ok := subscriberVerbs[verb]
	if !ok {
		return fmt.Errorf("subscribers: unknown %q: say %s", verb, strings.Join(verbs, ", "))
	}
	switch {
	case v.args == "" && len(pos) > 1:
		return fmt.Errorf("subscribers %s: takes no %s; filters are flags (lmcpress help subscribers)", verb, strings.Join(pos[1:], " "))
	case v.args != "" && len(pos) != 2:
		return fmt.Errorf("subscribers %s: give one %s, e.g. lmcpress subscribers %s %s", verb, v.args, verb, map[string]string{"EMAIL": "pm@nhs.net", "FILE": "list.csv"}[v.args])
	}
	// A flag of another verb is a mistake worth saying: list --dry-run
	// would otherwise look like it did something.
	var wrong []string
	fl.Visit(func(f *flag.Flag) {
		if verbs, ok := verbFlags[f.Name]; ok && !slices.Contains(verbs, verb) {
			wrong = append(wrong, fmt.Sprintf("--%s is for %s", f.Name, strings.Join(verbs, " and ")))
		}
	})
	if len(wrong) > 0 {
		return fmt.Errorf("subscribers %s: %s", verb, strings.Join(wrong, "; "))
	}
	if c.status != "" {
		switch st := subscriber.Status(c.status); st {
		case subscriber.Pending, subscriber.Confirmed, subscriber.Unsubscribed:
		default:
			return fmt.Errorf("subscribers %s: --status %s: say pending, confirmed or unsubscribed", verb, c.status)
		}
	}
	secret := e.getenv(EnvSecret)
	if v.secret && secret == "" {
		return fmt.Errorf("subscribers %s: set %s to the server's secret: the suppression list of people who left or were erased is keyed with it (no server yet? make one with: openssl rand -base64 48, and keep it)", verb, EnvSecret)
	}
	if *data == "" {
		*data = filepath.Join(c.root, "data")
	}
	c.store, err = sqlite.Open(filepath.Join(*data, "lmcpress.db"))
	if err != nil {
		return err
	}
	defer c.store.Close()
	if secret != "" {
		if err := c.store.SetSecret(ctx, []byte(secret)); err != nil {
			return fmt.Errorf("subscribers %s: %s: %w", verb, EnvSecret, err)
		}
	}
	c.at = now.at(e)
	arg := ""
	if len(pos) == 2 {
		arg = pos[1]
	}
	switch verb {
	case "add":
		return c.add(ctx, arg)
	case "import":
		return c.importFile(ctx, arg)
	case "export":
		return c.export(ctx)
	case "list":
		return c.list(ctx)
	case "show":
		return c.show(ctx, arg)
	case "remove":
		return c.remove(ctx, arg)
	}
	return c.erase(ctx, arg)
}

// address normalises an address given on the command line.
func address(verb, s string) (string, error) {
	email, err := subscriber.NormalizeEmail(s)
	if err != nil {
		return "", fmt.Errorf("subscribers %s: %w", verb, err)
	}
	return email, nil
}

// siteAreas reads the areas of content/site.yaml under the site folder.
func (c *subscribersCmd) siteAreas() ([]string, error) {
	f, err := openSite(c.root)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cfg, err := content.LoadConfig(f.content)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(cfg.Areas))
	for i, a := range cfg.Areas {
		names[i] = a.Name
	}
	return names, nil
}

func (c *subscribersCmd) add(ctx context.Context, arg string) error {
	var rec subscriber.Record
	var err error
	if rec.Email, err = address("add", arg); err != nil {
		return err
	}
	bad := func(flag string, err error) error { return fmt.Errorf("subscribers add: --%s: %w", flag, err) }
	if rec.Name, err = subscriber.CleanText("name", c.name); err != nil {
		return bad("name", err)
	}
	if rec.Practice, err = subscriber.CleanText("practice", c.practice); err != nil {
		return bad("practice", err)
	}
	if rec.Role, err = subscriber.ParseRole(c.role); err != nil {
		return bad("role", err)
	}
	if rec.ODS, err = subscriber.ValidODS(c.ods); err != nil {
		return bad("ods", err)
	}
	if c.with != "" {
		known, err := c.siteAreas()
		if err != nil {
			return fmt.Errorf("subscribers add: --areas: %w", err)
		}
		if rec.Areas, err = subscriber.MatchAreas(strings.Split(c.with, ";"), known); err != nil {
			return bad("areas", err)
		}
	}
	wording, err := subscriber.CleanText("consent", c.consent)
	if err != nil {
		return bad("consent", err)
	}
	if wording == "" {
		wording = "Added at the person's request by LMC staff."
	}
	id, err := c.store.Add(ctx, rec, subscriber.Event{Kind: subscriber.ConfirmedKind, At: c.at, Source: subscriber.CommandLine, Wording: wording})
	if err != nil {
		return fmt.Errorf("subscribers add: %w", err)
	}
	fmt.Fprintf(c.e.stdout, "added %s (confirmed, number %d)\n", rec.Email, id)
	return nil
}

func (c *subscribersCmd) importFile(ctx context.Context, file string) error {
	known, err := c.siteAreas()
	if err != nil {
		return fmt.Errorf("subscribers import: the areas: %w", err)
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("subscribers import: %w", err)
	}
	defer f.Close()
	format, recs, lineErrs, err := subscriber.Read(f, file, subscriber.ReadOptions{Areas: known, Now: c.at})
	if err != nil {
		return fmt.Errorf("subscribers import: %w", err)
	}
	outs, err := c.store.Import(ctx, recs, sqlite.ImportOptions{File: filepath.Base(file), At: c.at, DryRun: c.dryRun})
	if err != nil {
		return fmt.Errorf("subscribers import %s: %w; nothing was imported", file, err)
	}
	// One report in the file's order: what each line became.
	type line struct {
		n    int
		text string
	}
	var lines []line
	counts := map[sqlite.Action]int{}
	for _, o := range outs {
		counts[o.Action]++
		text := fmt.Sprintf("%s:%d: %s %s", file, o.Line, o.Action, o.Email)
		if o.Why != "" {
			text += ": " + o.Why
		}
		lines = append(lines, line{o.Line, text})
	}
	for _, le := range lineErrs {
		counts[sqlite.Rejected]++
		var e *subscriber.LineError
		if !errors.As(le, &e) {
			lines = append(lines, line{1 << 30, le.Error()})
			continue
		}
		text := fmt.Sprintf("%s:%d: rejected: ", e.File, e.Line)
		if e.Field != "" {
			text += e.Field + ": "
		}
		lines = append(lines, line{e.Line, text + e.Err.Error()})
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].n < lines[j].n })
	for _, l := range lines {
		fmt.Fprintln(c.e.stdout, l.text)
	}
	var parts []string
	for _, a := range []sqlite.Action{sqlite.Added, sqlite.Updated, sqlite.Unchanged, sqlite.Suppressed, sqlite.Rejected} {
		parts = append(parts, fmt.Sprintf("%d %s", counts[a], a))
	}
	fmt.Fprintf(c.e.stdout, "%s (%s format): %s\n", file, format, strings.Join(parts, ", "))
	if c.dryRun {
		fmt.Fprintln(c.e.stdout, "dry run: nothing was changed; run again without --dry-run to import")
	}
	return nil
}

func (c *subscribersCmd) export(ctx context.Context) error {
	recs, err := c.store.Export(ctx, subscriber.Status(c.status))
	if err != nil {
		return fmt.Errorf("subscribers export: %w", err)
	}
	if c.out == "" {
		return subscriber.Write(c.e.stdout, recs)
	}
	// The file holds personal data: readable by its owner only, and
	// written whole or not at all.
	tmp, err := os.CreateTemp(filepath.Dir(c.out), ".export-*.csv")
	if err != nil {
		return fmt.Errorf("subscribers export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := subscriber.Write(tmp, recs); err != nil {
		tmp.Close()
		return fmt.Errorf("subscribers export: %s: %w", c.out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("subscribers export: %s: %w", c.out, err)
	}
	if err := os.Rename(tmp.Name(), c.out); err != nil {
		return fmt.Errorf("subscribers export: %w", err)
	}
	fmt.Fprintf(c.e.stdout, "wrote %s to %s\n", plural(len(recs), "subscriber"), c.out)
	return nil
}

func (c *subscribersCmd) list(ctx context.Context) error {
	c.area = strings.TrimSpace(c.area)
	if c.area != "" {
		// A misspelt area would count nobody and look like an answer.
		known, err := c.siteAreas()
		if err != nil {
			return fmt.Errorf("subscribers list: --area: %w", err)
		}
		areas, err := subscriber.MatchAreas([]string{c.area}, known)
		if err != nil {
			return fmt.Errorf("subscribers list: --area: %w", err)
		}
		c.area = areas[0]
	}
	n, err := c.store.Count(ctx, subscriber.Status(c.status), c.area)
	if err != nil {
		return fmt.Errorf("subscribers list: %w", err)
	}
	w := c.e.stdout
	var filters []string
	if c.status != "" {
		filters = append(filters, "status "+c.status)
	}
	if c.area != "" {
		filters = append(filters, "area "+c.area)
	}
	if len(filters) > 0 {
		fmt.Fprintf(w, "subscribers with %s\n", strings.Join(filters, " and "))
	}
	for _, st := range []subscriber.Status{subscriber.Confirmed, subscriber.Pending, subscriber.Unsubscribed} {
		if c.status == "" || c.status == string(st) {
			fmt.Fprintf(w, "%-14s %6d\n", st, n.ByStatus[st])
		}
	}
	fmt.Fprintf(w, "%-14s %6d\n", "total", n.Total)
	if len(n.ByArea) > 0 {
		fmt.Fprintln(w, "by area (a subscriber may have several; none means all):")
		areas := make([]string, 0, len(n.ByArea))
		for a := range n.ByArea {
			areas = append(areas, a)
		}
		sort.Strings(areas)
		for _, a := range areas {
			label := a
			if a == "" {
				label = "(none)"
			}
			fmt.Fprintf(w, "  %-12s %6d\n", label, n.ByArea[a])
		}
	}
	var sup []string
	for _, k := range []subscriber.Kind{subscriber.Left, subscriber.Cleaned, subscriber.Erased} {
		if n.Suppressed[k] > 0 {
			sup = append(sup, fmt.Sprintf("%d %s", n.Suppressed[k], k))
		}
	}
	if len(sup) > 0 {
		fmt.Fprintf(w, "suppression list (hashes only, never re-added): %s\n", strings.Join(sup, ", "))
	}
	return nil
}

// shown is what show --json prints: everything held on one person.
type shown struct {
	Email         string       `json:"email"`
	Name          string       `json:"name"`
	Role          string       `json:"role"`
	Practice      string       `json:"practice"`
	ODSCode       string       `json:"ods_code"`
	Areas         []string     `json:"areas"`
	Status        string       `json:"status"`
	Created       time.Time    `json:"created"`
	Updated       time.Time    `json:"updated"`
	ConsentDate   *time.Time   `json:"consent_date"`
	ConsentSource string       `json:"consent_source"`
	ConsentLog    []shownEvent `json:"consent_log"`
	Suppression   *shownSup    `json:"suppression,omitempty"`
}

type shownEvent struct {
	What    string    `json:"what"`
	At      time.Time `json:"at"`
	How     string    `json:"how"`
	Wording string    `json:"wording,omitempty"`
	Version string    `json:"version,omitempty"`
	Detail  string    `json:"detail,omitempty"`
}

type shownSup struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	Note   string    `json:"note"`
}

func (c *subscribersCmd) show(ctx context.Context, arg string) error {
	email, err := address("show", arg)
	if err != nil {
		return err
	}
	rec, sup, err := c.store.Show(ctx, email, subscriber.Event{Kind: subscriber.Accessed, At: c.at, Source: subscriber.CommandLine,
		Detail: "everything held was shown (lmcpress subscribers show)"})
	var ss *shownSup
	if sup != nil {
		ss = &shownSup{Reason: string(sup.Reason), At: sup.At.UTC(), Note: "only a keyed hash of the address is kept, so that it is never re-added"}
	}
	if errors.Is(err, subscriber.ErrNotFound) {
		if ss == nil {
			return fmt.Errorf("subscribers show: nothing is held on %s: check the spelling (lmcpress subscribers export lists everyone)", email)
		}
		if c.asJSON {
			return writeJSON(c.e.stdout, map[string]any{"email": email, "held": "nothing but a suppression entry", "suppression": ss})
		}
		fmt.Fprintf(c.e.stdout, "%s: nothing is held but a suppression entry (%s %s): %s\n", email, ss.Reason, ss.At.Format("2006-01-02"), ss.Note)
		return nil
	}
	if err != nil {
		return fmt.Errorf("subscribers show: %w", err)
	}
	out := shown{Email: rec.Email, Name: rec.Name, Role: string(rec.Role), Practice: rec.Practice, ODSCode: rec.ODS, Areas: rec.Areas,
		Status: string(rec.Status), Created: rec.Created.UTC(), Updated: rec.Updated.UTC(), ConsentSource: rec.ConsentSource, Suppression: ss}
	if out.Areas == nil {
		out.Areas = []string{}
	}
	if !rec.ConsentAt.IsZero() {
		t := rec.ConsentAt.UTC()
		out.ConsentDate = &t
	}
	for _, ev := range rec.Events {
		out.ConsentLog = append(out.ConsentLog, shownEvent{What: string(ev.Kind), At: ev.At.UTC(), How: string(ev.Source), Wording: ev.Wording, Version: ev.Version, Detail: ev.Detail})
	}
	if c.asJSON {
		return writeJSON(c.e.stdout, out)
	}
	w := c.e.stdout
	fmt.Fprintf(w, "%s (%s)\n", out.Email, out.Status)
	for _, f := range [][2]string{{"name", out.Name}, {"role", out.Role}, {"practice", out.Practice}, {"ODS code", out.ODSCode},
		{"areas", strings.Join(out.Areas, ", ")}, {"consent", consentLine(out)}, {"on the list since", out.Created.Format(time.RFC3339)}} {
		if f[1] != "" {
			fmt.Fprintf(w, "  %-18s %s\n", f[0]+":", f[1])
		}
	}
	fmt.Fprintln(w, "consent log:")
	for _, ev := range out.ConsentLog {
		fmt.Fprintf(w, "  %s  %-12s by %s", ev.At.Format(time.RFC3339), ev.What, ev.How)
		if ev.Detail != "" {
			fmt.Fprintf(w, "; %s", ev.Detail)
		}
		if ev.Wording != "" {
			fmt.Fprintf(w, "\n      shown (%s): %q", orDash(ev.Version), ev.Wording)
		}
		fmt.Fprintln(w)
	}
	return nil
}

func consentLine(s shown) string {
	if s.ConsentDate == nil {
		return s.ConsentSource
	}
	return s.ConsentDate.Format(time.RFC3339) + " via " + orDash(s.ConsentSource)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (c *subscribersCmd) remove(ctx context.Context, arg string) error {
	email, err := address("remove", arg)
	if err != nil {
		return err
	}
	err = c.store.Remove(ctx, email, subscriber.Event{Kind: subscriber.Left, At: c.at, Source: subscriber.CommandLine, Detail: "removed by LMC staff (lmcpress subscribers remove)"})
	if errors.Is(err, subscriber.ErrNotFound) {
		return fmt.Errorf("subscribers remove: %s is not on the list: check the spelling", email)
	}
	if err != nil {
		return fmt.Errorf("subscribers remove: %w", err)
	}
	fmt.Fprintf(c.e.stdout, "%s is unsubscribed; the address stays, marked unsubscribed, so that no import adds it again (lmcpress subscribers erase removes it entirely)\n", email)
	return nil
}

func (c *subscribersCmd) erase(ctx context.Context, arg string) error {
	email, err := address("erase", arg)
	if err != nil {
		return err
	}
	already, err := c.store.Erase(ctx, email, subscriber.Event{Kind: subscriber.Erased, At: c.at, Source: subscriber.CommandLine, Detail: "erased by LMC staff (lmcpress subscribers erase)"})
	if errors.Is(err, subscriber.ErrNotFound) {
		return fmt.Errorf("subscribers erase: nothing is held on %s (lmcpress subscribers show %s says whether it is suppressed)", email, email)
	}
	if err != nil {
		return fmt.Errorf("subscribers erase: %w", err)
	}
	if already {
		fmt.Fprintf(c.e.stdout, "%s was erased before: only its keyed hash is held; the database files were cleared of earlier copies again\n", email)
		return nil
	}
	fmt.Fprintf(c.e.stdout, "erased %s: everything held on them is gone from %s; only a keyed hash of the address remains, so that no import adds it again\n", email, c.store.Path())
	return nil
}
