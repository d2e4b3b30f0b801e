package search_test

import (
	"bytes"
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"lmcpress/internal/search"
)

// TestIncrementalMatchesFresh edits, adds and removes pages at random, and
// after every step checks that an Index that has seen every earlier step
// gives exactly the files a new Index gives.
func TestIncrementalMatchesFresh(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { incrementalRun(t, seed) })
	}
}

func incrementalRun(t *testing.T, seed int64) {
	rnd := rand.New(rand.NewSource(seed))
	// A small vocabulary, some of it common, so that shards hold several
	// terms and posting lists are long; a few words come and go.
	vocab := strings.Fields(`access record practice patient contract pension locum flu vaccine gp nhs
		organisation behaviour café data protection officer consultation online telephony cyber security
		salaried partnership boundary registration inspection workload survey premises rent rates`)
	for i := 0; i < 300; i++ {
		vocab = append(vocab, fmt.Sprintf("w%dx", i))
	}
	word := func() string {
		if rnd.Intn(3) == 0 {
			return vocab[rnd.Intn(len(vocab))]
		}
		return vocab[rnd.Intn(40)]
	}
	text := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(word())
			switch rnd.Intn(12) {
			case 0:
				b.WriteString(".\n\n")
			case 1:
				b.WriteString(" the ")
			default:
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	sections := []string{"news", "advice", "guidance", ""}
	topics := []string{"GDPR", "Contracts", "IT and Data", "Workforce"}
	next := 0
	newDoc := func(date time.Time) search.Doc {
		next++
		sec := sections[rnd.Intn(len(sections))]
		d := search.Doc{URL: fmt.Sprintf("/%s/p%d/", sec, next), Title: text(3), Section: sec, SectionTitle: strings.ToUpper(sec),
			Summary: text(rnd.Intn(8)), Text: text(20 + rnd.Intn(80)), Headings: []string{text(2)}}
		if sec != "" {
			d.Date = date
		}
		if rnd.Intn(2) == 0 {
			d.Topics = []string{topics[rnd.Intn(len(topics))]}
		}
		return d
	}
	start := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)
	randDate := func() time.Time { return start.Add(time.Duration(rnd.Intn(2000)) * time.Hour) }
	var docs []search.Doc
	for i := 0; i < 40; i++ {
		docs = append(docs, newDoc(randDate()))
	}
	ix := search.NewIndex()
	var last map[string][]byte
	lastSum := map[string]uint64{}
	check := func(step int, what string) {
		t.Helper()
		got, err := ix.Build(docs)
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, what, err)
		}
		// Fingerprints change exactly when a file of the same name does.
		sums := map[string]uint64{}
		for name, data := range got {
			sum, ok := ix.Sum(name)
			if !ok {
				t.Fatalf("step %d: no fingerprint for %s", step, name)
			}
			if old, seen := last[name]; seen && bytes.Equal(old, data) != (lastSum[name] == sum) {
				t.Fatalf("step %d (%s): %s: contents equal %v, fingerprints equal %v", step, what, name, bytes.Equal(old, data), lastSum[name] == sum)
			}
			sums[name] = sum
		}
		if _, ok := ix.Sum(search.Dir + "d/999999.bin"); ok {
			t.Fatal("a fingerprint for a file that is not there")
		}
		last, lastSum = got, sums
		want, err := search.Build(docs)
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffFiles(got, want); diff != "" {
			t.Fatalf("step %d (%s): the kept index differs from a new one: %s", step, what, diff)
		}
	}
	check(0, "first build")
	for step := 1; step <= 150; step++ {
		var what string
		switch op := rnd.Intn(12); {
		case op < 4 && len(docs) > 0: // edit the text: words in, words out
			k := rnd.Intn(len(docs))
			f := strings.Fields(docs[k].Text)
			at := rnd.Intn(len(f) + 1)
			if rnd.Intn(2) == 0 {
				f = slices.Insert(f, at, strings.Fields(text(1+rnd.Intn(5)))...)
			} else if at < len(f) {
				f = slices.Delete(f, at, min(len(f), at+1+rnd.Intn(4)))
			}
			docs[k].Text = strings.Join(f, " ")
			what = "edit text of " + docs[k].URL
		case op == 4 && len(docs) > 0:
			k := rnd.Intn(len(docs))
			docs[k].Title, docs[k].Summary = text(1+rnd.Intn(4)), text(rnd.Intn(5))
			what = "edit title of " + docs[k].URL
		case op == 5 && len(docs) > 0:
			k := rnd.Intn(len(docs))
			docs[k].Topics = []string{topics[rnd.Intn(len(topics))]}
			docs[k].Headings = append(docs[k].Headings, text(1))
			what = "topics of " + docs[k].URL
		case op == 6 && len(docs) > 0:
			k := rnd.Intn(len(docs))
			if !docs[k].Date.IsZero() {
				docs[k].Updated = randDate().Add(3000 * time.Hour)
			}
			what = "announce " + docs[k].URL
		case op == 7: // the newest page
			docs = append(docs, newDoc(start.Add(time.Duration(10000+step)*time.Hour)))
			what = "add newest"
		case op == 8:
			docs = slices.Insert(docs, rnd.Intn(len(docs)+1), newDoc(randDate()))
			what = "add older"
		case op == 9 && len(docs) > 1:
			k := rnd.Intn(len(docs))
			what = "remove " + docs[k].URL
			docs = slices.Delete(docs, k, k+1)
		case op == 10 && len(docs) > 0:
			k := rnd.Intn(len(docs))
			docs[k].URL = strings.TrimSuffix(docs[k].URL, "/") + "-moved/"
			what = "move " + docs[k].URL
		default:
			rnd.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
			what = "same pages, another order"
		}
		if step%25 == 0 && len(docs) > 0 {
			// A failed build changes nothing.
			if _, err := ix.Build(append(slices.Clone(docs), docs[0])); err == nil {
				t.Fatal("two pages at one address: no error")
			}
		}
		check(step, what)
	}
	// Growing tenfold changes how many terms a shard takes.
	for i := 0; i < 400; i++ {
		docs = append(docs, newDoc(randDate()))
	}
	check(1000, "many more pages")
	docs = docs[:20]
	check(1001, "many fewer pages")
	docs = nil
	check(1002, "no pages")
	docs = append(docs, newDoc(randDate()))
	check(1003, "one page")
}

// diffFiles describes how two sets of index files differ, or returns "".
func diffFiles(got, want map[string][]byte) string {
	var out []string
	for name, w := range want {
		if g, ok := got[name]; !ok {
			out = append(out, "missing "+name)
		} else if !bytes.Equal(g, w) {
			out = append(out, "different "+name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			out = append(out, "extra "+name)
		}
	}
	sort.Strings(out)
	if len(out) > 5 {
		out = append(out[:5], fmt.Sprintf("and %d more", len(out)-5))
	}
	return strings.Join(out, ", ")
}

// TestEditsKeepIDs checks that editing a page's text, or adding a page newer
// than all, leaves the other pages' ids, and so their record files, alone,
// and re-encodes only shards holding the page's words.
func TestEditsKeepIDs(t *testing.T) {
	docs := synthetic(1000)
	ix := search.NewIndex()
	files, err := ix.Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	terms := func(d search.Doc) int {
		set := map[string]bool{}
		for _, tk := range search.Tokenize(d.Title+" "+d.Summary+" "+d.Text, 0) {
			if !tk.Skip {
				set[tk.Term] = true
			}
		}
		return len(set)
	}
	step := func(what string, docs []search.Doc, wantBuckets, maxShards int) {
		t.Helper()
		after, err := ix.Build(docs)
		if err != nil {
			t.Fatal(err)
		}
		buckets, packs, shards := 0, 0, 0
		for name, data := range after {
			if bytes.Equal(files[name], data) {
				continue
			}
			switch {
			case strings.HasPrefix(name, search.Dir+"d/"):
				buckets++
			case strings.HasPrefix(name, search.Dir+"x/"):
				packs++
			case strings.HasPrefix(name, search.Dir+"s/"):
				shards++
			}
		}
		if buckets != wantBuckets || packs != 1 || shards == 0 || shards > maxShards {
			t.Errorf("%s changed %d buckets, %d packs and %d shards; want %d, 1 and 1 to %d", what, buckets, packs, shards, wantBuckets, maxShards)
		}
		files = after
	}

	// The last word of a page replaced: no other word moves.
	docs = slices.Clone(docs)
	f := strings.Fields(docs[501].Text)
	f[len(f)-1] = "zork3"
	docs[501].Text = strings.Join(f, " ")
	step("a changed last word", docs, 0, 2)

	// A word more in the middle: the words after it move.
	docs = slices.Clone(docs)
	f = strings.Fields(docs[501].Text)
	docs[501].Text = strings.Join(slices.Insert(f, len(f)/2, "wibble7"), " ")
	step("a word inserted", docs, 0, terms(docs[501]))

	// A new page, newer than all, takes the next id.
	d := search.Doc{URL: "/news/newest/", Title: "The newest page", Section: "news", SectionTitle: "news",
		Date: day(2030, 1, 1), Text: "zork3 wibble7 and more"}
	docs = append(slices.Clone(docs), d)
	step("a new newest page", docs, 1, terms(d))
	if rs := records(t, files); rs[len(rs)-1].URL != d.URL {
		t.Errorf("the newest page did not take the last id: %s did", rs[len(rs)-1].URL)
	}

	// A new title: its bucket, not its pack.
	id := slices.IndexFunc(records(t, files), func(r record) bool { return r.URL == docs[501].URL })
	docs = slices.Clone(docs)
	docs[501].Title = "A title never seen before"
	after, err := ix.Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	bucket := search.Dir + fmt.Sprintf("d/%d.bin", id/16)
	for name, data := range after {
		record := strings.HasPrefix(name, search.Dir+"d/") || strings.HasPrefix(name, search.Dir+"x/")
		if record && name != bucket && !bytes.Equal(files[name], data) {
			t.Errorf("a new title of page %d changed %s; want only the record file %s", id, name, bucket)
		}
	}
	if bytes.Equal(files[bucket], after[bucket]) {
		t.Errorf("a new title of page %d left %s as it was", id, bucket)
	}
}
