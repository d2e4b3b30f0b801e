package search_test

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lmcpress/internal/cache"
	"lmcpress/internal/search"
)

// TestStreamMatchesBuild checks that a Stream, fed its pages in shuffled
// order from several goroutines, gives exactly the files an Index builds
// from the same pages (and search.Build), whether records are emitted as
// they are made or returned by Finish: on the sample site's pages, on the
// made-up corpus and on generated pages with ties, undated and
// re-announced pages, topics and accents.
func TestStreamMatchesBuild(t *testing.T) {
	sets := map[string][]search.Doc{
		"sample":    contentDocs(t, "../../content"),
		"corpus":    corpus,
		"synthetic": synthetic(1500),
		"varied":    variedDocs(800, 3),
		"one":       variedDocs(1, 4),
		"none":      nil,
	}
	for name, docs := range sets {
		t.Run(name, func(t *testing.T) {
			want, err := search.NewIndex().Build(docs)
			if err != nil {
				t.Fatal(err)
			}
			viaBuild, err := search.Build(docs)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffFiles(viaBuild, want); d != "" {
				t.Errorf("search.Build and Index.Build differ: %s", d)
			}
			for _, emit := range []bool{true, false} {
				for seed := int64(1); seed <= 2; seed++ {
					got, emitted := streamDocs(t, docs, emit, seed, 4)
					if d := diffFiles(got, want); d != "" {
						t.Errorf("emit %v, seed %d: stream and Build differ: %s", emit, seed, d)
					}
					// Every bucket and pack is handed out as soon as it is
					// complete, none at Finish.
					if n := len(docs); emit && emitted != (n+15)/16+(n+255)/256 {
						t.Errorf("emitted %d record files for %d pages", emitted, n)
					}
				}
			}
		})
	}
}

// streamDocs feeds docs to a Stream in an order shuffled by seed, from
// goroutines goroutines, and returns every file it gave, and how many
// through emit.
func streamDocs(t *testing.T, docs []search.Doc, emit bool, seed int64, goroutines int) (map[string][]byte, int) {
	t.Helper()
	return streamCached(t, docs, emit, seed, goroutines, nil)
}

// streamCached is streamDocs with a record cache (none if c is nil).
func streamCached(t *testing.T, docs []search.Doc, emit bool, seed int64, goroutines int, c search.Cache) (map[string][]byte, int) {
	t.Helper()
	keys := make([]search.Key, len(docs))
	for i, d := range docs {
		keys[i] = search.Key{URL: d.URL, Date: d.Date, Updated: d.Updated}
	}
	files := map[string][]byte{}
	var mu sync.Mutex
	emitted := 0
	var put func(string, []byte)
	if emit {
		put = func(name string, data []byte) {
			mu.Lock()
			defer mu.Unlock()
			if _, ok := files[name]; ok {
				t.Errorf("%s emitted twice", name)
			}
			if !strings.HasPrefix(name, search.Dir+"d/") && !strings.HasPrefix(name, search.Dir+"x/") {
				t.Errorf("emitted %s, not a record file", name)
			}
			files[name] = data
			emitted++
		}
	}
	s, err := search.NewStream(keys, put)
	if err != nil {
		t.Fatal(err)
	}
	if c != nil {
		s.UseCache(c)
	}
	perm := rand.New(rand.NewSource(seed)).Perm(len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(perm) {
					return
				}
				if err := s.Add(perm[k], docs[perm[k]]); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	rest, err := s.Finish()
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range rest {
		if _, ok := files[name]; ok {
			t.Errorf("%s both emitted and returned", name)
		}
		files[name] = data
	}
	return files, emitted
}

// TestStreamMistakes checks that a Stream refuses what would give wrong ids
// or files: two pages at one address, a page whose dates are not those it
// was announced with, a page added twice, never, or too late.
func TestStreamMistakes(t *testing.T) {
	docs := variedDocs(20, 5)
	keys := make([]search.Key, len(docs))
	for i, d := range docs {
		keys[i] = search.Key{URL: d.URL, Date: d.Date, Updated: d.Updated}
	}
	if _, err := search.NewStream(append(keys[:len(keys):len(keys)], keys[3]), nil); err == nil {
		t.Error("two pages at one address: no error")
	}

	s, _ := search.NewStream(keys, nil)
	moved := docs[1]
	moved.Updated = moved.Updated.Add(time.Hour)
	if err := s.Add(1, moved); err == nil {
		t.Error("a page with other dates than its key: no error")
	}
	if _, err := s.Finish(); err == nil {
		t.Error("Finish after a failed Add: no error")
	}

	s, _ = search.NewStream(keys, nil)
	if err := s.Add(len(keys), docs[0]); err == nil {
		t.Error("a page beyond the keys: no error")
	}
	s, _ = search.NewStream(keys, nil)
	for i := range docs[1:] {
		if err := s.Add(i+1, docs[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Add(2, docs[2]); err == nil {
		t.Error("a page added twice: no error")
	}
	s, _ = search.NewStream(keys, nil)
	for i := range docs[1:] {
		s.Add(i+1, docs[i+1])
	}
	if _, err := s.Finish(); err == nil || !strings.Contains(err.Error(), docs[0].URL) {
		t.Errorf("a page never added: %v, want an error naming %s", err, docs[0].URL)
	}
	if _, err := s.Finish(); err == nil {
		t.Error("Finish twice: no error")
	}
	if err := s.Add(0, docs[0]); err == nil {
		t.Error("Add after Finish: no error")
	}
}

// variedDocs makes n pages with what the page order and filters must cope
// with: equal dates (ordered by address), undated pages, pages announced
// again later (Updated), several topics, a topic named twice, accents,
// empty text and long posting lists.
func variedDocs(n int, seed int64) []search.Doc {
	rnd := rand.New(rand.NewSource(seed))
	vocab := strings.Fields(`access record practice patient contract pension locum flu vaccine gp nhs
		organisation organization behaviour behavior café cafe naïve data protection officer consultation
		online telephony cyber security salaried partnership boundary registration inspection workload
		survey premises rent rates GPs practices policies analyse analyze Ærø straße`)
	text := func(words int) string {
		var b strings.Builder
		for i := 0; i < words; i++ {
			b.WriteString(vocab[rnd.Intn(len(vocab))])
			switch rnd.Intn(10) {
			case 0:
				b.WriteString(".\n\n")
			case 1:
				b.WriteString(", the ")
			case 2:
				b.WriteString("’s ")
			default:
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	sections := []string{"news", "advice", "guidance", ""}
	topics := []string{"GDPR", "Contracts", "IT and Data", "Workforce", "Café Culture"}
	start := time.Date(2019, 3, 1, 9, 0, 0, 0, time.UTC)
	var docs []search.Doc
	for i := 0; i < n; i++ {
		sec := sections[rnd.Intn(len(sections))]
		d := search.Doc{URL: fmt.Sprintf("/%s/page-%d/", sec, rnd.Intn(1<<30)), Title: text(1 + rnd.Intn(6)),
			Section: sec, SectionTitle: strings.ToUpper(sec), Summary: text(rnd.Intn(20))}
		if rnd.Intn(20) > 0 {
			d.Text = text(rnd.Intn(400))
		}
		for range rnd.Intn(3) {
			d.Headings = append(d.Headings, text(1+rnd.Intn(4)))
		}
		for range rnd.Intn(4) {
			d.Topics = append(d.Topics, topics[rnd.Intn(len(topics))])
		}
		if sec != "" {
			d.Date = start.Add(time.Duration(rnd.Intn(200)) * 24 * time.Hour) // many on one day
			if rnd.Intn(4) == 0 {
				d.Updated = d.Date.Add(time.Duration(rnd.Intn(100)) * 24 * time.Hour)
			}
		}
		docs = append(docs, d)
	}
	return docs
}

// TestRecordCache: records taken from a build cache (internal/cache, on
// disk) give the same files as records made afresh, through a Stream and
// through an Index, and a second build reads every record from the cache.
func TestRecordCache(t *testing.T) {
	for name, docs := range map[string][]search.Doc{
		"sample": contentDocs(t, "../../content"),
		"varied": variedDocs(300, 7),
	} {
		t.Run(name, func(t *testing.T) {
			want, err := search.Build(docs)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "c")
			for round, emit := range []bool{true, false, true} {
				c, err := cache.Open(path, []byte("v"))
				if err != nil {
					t.Fatal(err)
				}
				got, _ := streamCached(t, docs, emit, int64(round), 3, c)
				if d := diffFiles(got, want); d != "" {
					t.Errorf("round %d: with the cache: %s", round, d)
				}
				st := c.Stats()
				if round > 0 && (st.Hits != int64(len(docs)) || st.Puts != 0) {
					t.Errorf("round %d: %+v, want %d hits and nothing written", round, st, len(docs))
				}
				// Pages of the same text share an entry.
				if round == 0 && (st.Hits+st.Misses != int64(len(docs)) || st.Puts != st.Misses || st.Puts < int64(len(docs))*9/10) {
					t.Errorf("round 0: %+v, want one lookup a page and a text written for each miss", st)
				}
				ix := search.NewIndex()
				ix.UseCache(c)
				viaIndex, err := ix.Build(docs)
				if err != nil {
					t.Fatal(err)
				}
				if d := diffFiles(viaIndex, want); d != "" {
					t.Errorf("round %d: Index with the cache: %s", round, d)
				}
				if err := c.Close(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
