package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

func page(title, extra string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\ndate: 2024-01-02\n" + extra + "---\nBody.\n")}
}

// loadErrors runs Load and returns its errors, failing when there are none.
func loadErrors(t *testing.T, fsys fstest.MapFS, cfg *Config) Errors {
	t.Helper()
	tree, err := Load(fsys, cfg)
	if err == nil {
		t.Fatalf("Load succeeded with %d pages; want errors", len(tree.Pages))
	}
	if tree != nil {
		t.Errorf("Load returned a tree with its errors")
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("Load error is %T, want content.Errors", err)
	}
	for _, e := range es {
		var ce *Error
		if !errors.As(e, &ce) || !strings.HasPrefix(ce.File, "content/") {
			t.Errorf("error %v does not name a file under content/", e)
		}
	}
	return es
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"site.yaml":                      {Data: []byte("title: x\nbaseURL: https://lmc.example.org/\n")},
		"_index.md":                      {Data: []byte("---\ntitle: Home\n---\n")},
		"news/_index.md":                 {Data: []byte("---\ntitle: News\n---\n")},
		"news/b.md":                      page("B", ""),
		"news/a.md":                      page("A", ""),
		"advice/sars/index.md":           page("SARs", "attachments: [letter.pdf, {file: forms/f.docx, title: Form}]\n"),
		"advice/sars/letter.pdf":         {Data: make([]byte, 312_400)},
		"advice/sars/forms/f.docx":       {Data: []byte("docx")},
		"about.md":                       {Data: []byte("---\ntitle: About\n---\n")},
		"images/logo.png":                {Data: []byte("\x89PNG")},
		".git/config":                    {Data: []byte("[core]")},
		"news/.flu.md.swp":               {Data: []byte("\x00")},
		"news/flu.md~":                   {Data: []byte("\x00")},
		".hidden.md":                     {Data: []byte("")},
		"guidance/GP Contract 2024.md":   page("Contract", "topics: [Free topic]\n"),
		"newsletters/2024-01/index.md":   page("January", ""),
		"newsletters/2024-01/banner.jpg": {Data: []byte("jpg")},
	}
	tree, err := Load(fsys, &Config{})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, p := range tree.Pages {
		files = append(files, p.File)
	}
	want := "_index.md about.md advice/sars/index.md guidance/GP Contract 2024.md news/_index.md news/a.md news/b.md newsletters/2024-01/index.md"
	if got := strings.Join(files, " "); got != want {
		t.Errorf("pages:\n got %s\nwant %s", got, want)
	}
	wantFiles := "advice/sars/forms/f.docx advice/sars/letter.pdf images/logo.png newsletters/2024-01/banner.jpg"
	if got := strings.Join(tree.Files, " "); got != wantFiles {
		t.Errorf("files:\n got %s\nwant %s", got, wantFiles)
	}
	var sars *Page
	for _, p := range tree.Pages {
		if p.File == "advice/sars/index.md" {
			sars = p
		}
	}
	if len(sars.Attachments) != 2 || sars.Attachments[0].Size != 312_400 || sars.Attachments[1].Size != 4 ||
		sars.Attachments[1].File != "advice/sars/forms/f.docx" {
		t.Errorf("attachments = %+v, want sizes filled", sars.Attachments)
	}
	// Without a list of topics in site.yaml, topics are free.
	if _, err := Load(fsys, nil); err != nil {
		t.Errorf("Load without config: %v", err)
	}
}

func TestLoadDuplicateAddresses(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		file  string // the file the error is reported in
		other string // the file it names
		line  int
	}{
		{"case", fstest.MapFS{"news/a.md": page("a", ""), "news/A.md": page("A", "")},
			"content/news/a.md", "content/news/A.md", 0},
		{"spaces", fstest.MapFS{"news/flu-2024.md": page("a", ""), "news/Flu 2024.md": page("A", "")},
			"content/news/flu-2024.md", "content/news/Flu 2024.md", 0},
		{"slug", fstest.MapFS{"news/a.md": page("a", ""), "news/b.md": page("b", "slug: a\n")},
			"content/news/b.md", "content/news/a.md", 4},
		{"bundle", fstest.MapFS{"advice/x.md": page("a", ""), "advice/x/index.md": page("b", "")},
			"content/advice/x.md", "content/advice/x/index.md", 0},
		{"section and page", fstest.MapFS{"news/_index.md": page("a", ""), "news/index.md": page("b", "")},
			"content/news/index.md", "content/news/_index.md", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := loadErrors(t, tt.fsys, nil)
			if len(es) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(es), es)
			}
			e := es[0].(*Error)
			if e.File != tt.file || e.Line != tt.line || !strings.Contains(e.Msg, tt.other) || !strings.Contains(e.Msg, "is also used by") {
				t.Errorf("got %v; want it in %s:%d naming %s", e, tt.file, tt.line, tt.other)
			}
		})
	}
}

func TestLoadTopics(t *testing.T) {
	cfg := &Config{
		Topics: []Term{{Name: "GDPR"}, {Name: "Contracts"}, {Name: "Sessional GPs"}},
		Areas:  []Term{{Name: "Northfield"}, {Name: "Eastbrook"}},
	}
	fsys := fstest.MapFS{
		"news/ok.md":      page("ok", "topics: [gdpr, sessional gps]\nareas: [Eastbrook]\n"),
		"news/typo.md":    page("typo", "topics: [GPDR]\n"),
		"news/unknown.md": page("unknown", "topics:\n  - Contracts\n  - Weather\n"),
		"news/area.md":    page("area", "areas: Eastbrok\n"),
	}
	es := loadErrors(t, fsys, cfg)
	var got []string
	for _, e := range es {
		got = append(got, e.Error())
	}
	want := []string{
		`content/news/area.md:4: areas: "Eastbrok" is not in content/site.yaml; did you mean "Eastbrook"? (known areas: Northfield, Eastbrook); or add it there`,
		`content/news/typo.md:4: topics: "GPDR" is not in content/site.yaml; did you mean "GDPR"? (known topics: GDPR, Contracts, Sessional GPs); or add it there`,
		`content/news/unknown.md:4: topics: "Weather" is not in content/site.yaml; known topics: GDPR, Contracts, Sessional GPs; or add it there`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The same pages with free topics load.
	delete(fsys, "news/area.md")
	if _, err := Load(fsys, &Config{}); err != nil {
		t.Errorf("free topics: %v", err)
	}
}

func TestLoadAttachments(t *testing.T) {
	fsys := fstest.MapFS{
		"advice/x/index.md":    page("x", "attachments:\n  - letter.pdf\n  - forms\n"),
		"advice/x/forms/a.pdf": {Data: []byte("a")},
		"news/y.md":            page("y", "attachments: [../advice/x/letter.pdf]\n"),
	}
	es := loadErrors(t, fsys, nil)
	var got []string
	for _, e := range es {
		got = append(got, e.Error())
	}
	want := []string{
		"content/advice/x/index.md:4: attachments: content/advice/x/letter.pdf does not exist: put the file there or fix the name",
		"content/advice/x/index.md:4: attachments: content/advice/x/forms does not exist: put the file there or fix the name",
		"content/news/y.md:4: attachments: content/advice/x/letter.pdf does not exist: put the file there or fix the name",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	fsys["advice/x/letter.pdf"] = &fstest.MapFile{Data: make([]byte, 1500)}
	fsys["advice/x/index.md"] = page("x", "attachments: [letter.pdf]\n")
	tree, err := Load(fsys, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range tree.Pages {
		for _, a := range p.Attachments {
			if a.File != "advice/x/letter.pdf" || a.Size != 1500 {
				t.Errorf("%s: attachment %+v, want advice/x/letter.pdf of 1500 bytes", p.File, a)
			}
		}
	}
}

func TestLoadFileTooBig(t *testing.T) {
	header := "---\ntitle: Big\ndate: 2024-01-02\n---\n"
	big := append([]byte(header), make([]byte, 9<<20)...)
	for i := len(header); i < len(big); i++ {
		big[i] = 'a'
	}
	fsys := fstest.MapFS{"news/big.md": {Data: big}, "news/ok.md": page("ok", "")}
	es := loadErrors(t, fsys, nil)
	want := "content/news/big.md: file is 9.4 MB; a Markdown page must be under 4.2 MB: split it, or ship large data as an attachment"
	if len(es) != 1 || es[0].Error() != want {
		t.Errorf("got %v\nwant %s", es, want)
	}
	// Just under the limit is read.
	fsys["news/big.md"] = &fstest.MapFile{Data: big[:MaxFileSize]}
	if _, err := Load(fsys, nil); err != nil {
		t.Errorf("file of MaxFileSize bytes: %v", err)
	}
}

func TestLoadReportsEveryFile(t *testing.T) {
	fsys := fstest.MapFS{"news/ok.md": page("ok", "")}
	for i := range 25 {
		fsys[fmt.Sprintf("news/bad-%02d.md", i)] = &fstest.MapFile{Data: []byte("---\ntitle: x\ndate: 2024-13-01\n---\n")}
	}
	fsys["advice/a.md"] = &fstest.MapFile{Data: []byte("---\ntittle: x\ndate: 2024-01-02\ndraft: maybe\n---\n")}
	fsys["about.md"] = &fstest.MapFile{Data: []byte("")}
	es := loadErrors(t, fsys, nil)
	if len(es) != 28 {
		t.Fatalf("got %d errors, want 28 (every problem in every file)", len(es))
	}
	var order []string
	for _, e := range es {
		ce := e.(*Error)
		order = append(order, fmt.Sprintf("%s:%d", ce.File, ce.Line))
	}
	want := []string{"content/about.md:0", "content/advice/a.md:2", "content/advice/a.md:4", "content/news/bad-00.md:3", "content/news/bad-01.md:3"}
	if strings.Join(order[:5], " ") != strings.Join(want, " ") {
		t.Errorf("order = %v, want sorted by file then line, starting %v", order, want)
	}
	if order[len(order)-1] != "content/news/bad-24.md:3" {
		t.Errorf("last = %s", order[len(order)-1])
	}
	text := es.Error()
	lines := strings.Split(text, "\n")
	if len(lines) != MaxReported+4+1 { // the empty-file message takes 5 lines
		t.Errorf("Error() has %d lines, want %d:\n%s", len(lines), MaxReported+4+1, text)
	}
	if last := lines[len(lines)-1]; last != "... and 8 more errors" {
		t.Errorf("last line = %q, want %q", last, "... and 8 more errors")
	}
	if strings.Contains(text, "bad-18.md") {
		t.Errorf("Error() lists more than %d errors", MaxReported)
	}
}

func TestErrorsCap(t *testing.T) {
	var es Errors
	for i := range MaxReported {
		es = append(es, &Error{File: "content/a.md", Line: i + 1, Msg: "x"})
	}
	if strings.Contains(es.Error(), "more errors") || strings.Count(es.Error(), "\n") != MaxReported-1 {
		t.Errorf("%d errors: %q", MaxReported, es.Error())
	}
	es = append(es, &Error{File: "content/b.md", Msg: "x"})
	if !strings.HasSuffix(es.Error(), "\n... and 1 more error") {
		t.Errorf("%d errors end %q", len(es), es.Error()[len(es.Error())-40:])
	}
}

// TestAttachmentNeverPublished: an attachment that is a hidden, scratch
// or backup file would be listed on the page as a download that is never
// copied; it is named instead.
func TestAttachmentNeverPublished(t *testing.T) {
	fsys := fstest.MapFS{
		"advice/x/index.md":          page("x", "attachments: [.private/plan.pdf, letter.docx.bak, letter.pdf]\n"),
		"advice/x/.private/plan.pdf": {Data: []byte("a")},
		"advice/x/letter.docx.bak":   {Data: []byte("b")},
		"advice/x/letter.pdf":        {Data: []byte("c")},
	}
	var got []string
	for _, e := range loadErrors(t, fsys, nil) {
		got = append(got, e.Error())
	}
	want := []string{
		"content/advice/x/index.md:4: attachments: content/advice/x/.private/plan.pdf is never published: hidden, scratch and backup files are left out; rename it",
		"content/advice/x/index.md:4: attachments: content/advice/x/letter.docx.bak is never published: hidden, scratch and backup files are left out; rename it",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
