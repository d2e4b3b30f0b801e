package content

import (
	"strings"
	"testing"
	"time"
)

func TestIssueItems(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, London)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	late := &Page{File: "news/late.md", Section: "news", Dir: "news", Slug: "late", Date: day("2016-12-20 09:00")}
	early := &Page{File: "news/early.md", Section: "news", Dir: "news", Slug: "early", Date: day("2016-12-02 09:00")}
	// Half past midnight on 1 January, UK time: January's, not December's.
	newYear := &Page{File: "news/ny.md", Section: "news", Dir: "news", Slug: "ny", Date: day("2017-01-01 00:30")}
	eastbrook := &Page{File: "news/east.md", Section: "news", Dir: "news", Slug: "east", Date: day("2016-12-10 09:00"), Areas: []string{"Eastbrook"}}
	changed := &Page{File: "advice/fees.md", Section: "advice", Dir: "advice", Slug: "fees", Date: day("2015-03-01 09:00"),
		Changes: []Change{{Date: day("2016-12-05 09:00"), Note: "New rates"}}}
	forms := &Page{File: "guidance/forms.md", Section: "guidance", Dir: "guidance", Slug: "forms", Date: day("2015-04-01 09:00"),
		Changes: []Change{{Date: day("2016-12-15 09:00"), Note: "New form"}}}
	oldAdvice := &Page{File: "advice/old.md", Section: "advice", Dir: "advice", Slug: "old", Date: day("2015-03-01 09:00")}
	event := &Page{File: "events/agm.md", Section: "events", Dir: "events", Slug: "agm", Date: day("2016-12-07 09:00")}
	ix := NewIssueIndex([]*Page{early, changed, late, newYear, forms, eastbrook, oldAdvice, event})

	issue := &Page{File: "newsletters/2016-12.md", Section: "newsletters", Dir: "newsletters", Slug: "2016-12", Date: day("2016-12-01 09:00")}
	names := func(ps []*Page) string {
		var s []string
		for _, p := range ps {
			s = append(s, p.Slug)
		}
		return strings.Join(s, " ")
	}
	got, errs := ix.Items(issue, "")
	if len(errs) > 0 || names(got) != "late forms east fees early" {
		t.Errorf("December: got %q, %v; want the month's news and changed advice and guidance newest first", names(got), errs)
	}
	if got, _ := ix.Items(issue, "westmoor"); names(got) != "late forms fees early" {
		t.Errorf("December for Westmoor: got %q; want Eastbrook's item left out", names(got))
	}
	if got, _ := ix.Items(issue, "eastbrook"); names(got) != "late forms east fees early" {
		t.Errorf("December for Eastbrook: got %q", names(got))
	}

	listed := &Page{File: "newsletters/2017-01.md", Section: "newsletters", Dir: "newsletters", Slug: "2017-01", Date: day("2017-01-03 09:00"),
		Items: []string{"news/late", "/Events/AGM.md", "news/gone"}, Lines: map[string]int{"items": 4}}
	got, errs = ix.Items(listed, "")
	if names(got) != "late agm" {
		t.Errorf("items: list: got %q, want its order", names(got))
	}
	if len(errs) != 1 || errs[0].Error() != `content/newsletters/2017-01.md:4: items: "news/gone" is not a published page: give its path in content/ without .md, e.g. news/flu-clinics` {
		t.Errorf("items: list errors: %v", errs)
	}
}

func TestStandfirst(t *testing.T) {
	tests := []struct{ src, want string }{
		{"covering: [GP contract, flu, premises]", "Covering: GP contract, flu and premises"},
		{"covering: [GP contract, flu]", "Covering: GP contract and flu"},
		{"covering: Flu clinics", "Covering: Flu clinics"},
		{"covering:\n  - Fees\n  - ' '\n  - Forms", "Covering: Fees and Forms"},
		{"description: Fees, forms and flu.", "Fees, forms and flu."},
		{"description: Ignored here.\ncovering: [Fees]", "Covering: Fees"},
		{"summary: Not a standfirst.", ""},
	}
	for _, tt := range tests {
		p, errs := Parse("newsletters/2016-12.md", []byte("---\ntitle: December\ndate: 2016-12-14\n"+tt.src+"\n---\nText.\n"))
		if len(errs) > 0 {
			t.Errorf("%q: %v", tt.src, errs)
			continue
		}
		if got := p.Standfirst(); got != tt.want {
			t.Errorf("%q: standfirst %q, want %q", tt.src, got, tt.want)
		}
	}
	for _, file := range []string{"news/flu.md", "newsletters/_index.md"} {
		_, errs := Parse(file, []byte("---\ntitle: Flu\ndate: 2016-12-14\ncovering: [Flu]\n---\nText.\n"))
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "content/"+file+":4: covering:") || !strings.Contains(errs[0].Error(), "only a newsletter issue") {
			t.Errorf("%s with covering: got %v, want one error at line 4", file, errs)
		}
	}
}
