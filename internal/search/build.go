package search

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"time"

	"lmcpress/internal/content"
)

// Doc is one published page as the index sees it.
type Doc struct {
	URL          string // site-relative, "/advice/x/"
	Title        string
	Section      string    // folder name, "advice"; "" for a plain page
	SectionTitle string    // "Advice"
	Date         time.Time // first published; zero for an undated page
	// Updated is when the page was last announced (a change with a note);
	// newer pages rank first among equals. Zero means Date.
	Updated  time.Time
	Summary  string
	Headings []string // heading texts, also part of Text
	Text     string   // the body as plain text, paragraphs separated by blank lines
	Topics   []string // topic names, "IT and Data"
}

// Dir is the folder the index is written to, under the output root.
const Dir = "search/index/"

// Field bits of a posting's code; the count of the word in the body (at most
// 7) is in bits 5 to 7.
const (
	fieldTitle   = 1
	fieldHeading = 2
	fieldTopic   = 4
	fieldSummary = 8
	fieldBody    = 16
	tfShift      = 5
	maxTF        = 7
)

// fieldGap separates title, summary and body in the position count, so a
// phrase never runs from one into the next.
const fieldGap = 8

// shardTarget is roughly how many bytes of JSON a term shard holds before a
// new one starts. Smaller shards mean fewer bytes per query and more files.
const shardTarget = 6 << 10

type posting struct {
	doc  int
	code int
	pos  []int
}

type docTerms struct {
	terms []string
	posts []posting
}

// Build makes the index files of docs: name (under the output root, e.g.
// "search/index/meta.bin") → contents. The same docs give byte-identical
// files. The format is in the package documentation.
func Build(docs []Doc) (map[string][]byte, error) {
	docs = append([]Doc(nil), docs...)
	for i := range docs {
		if docs[i].Updated.IsZero() {
			docs[i].Updated = docs[i].Date
		}
	}
	seen := map[string]bool{}
	for _, d := range docs {
		if seen[d.URL] {
			return nil, fmt.Errorf("search: two pages at %s", d.URL)
		}
		seen[d.URL] = true
	}
	// Doc ids: newest first, so that among equal scores the lower id wins.
	sort.SliceStable(docs, func(i, j int) bool {
		a, b := docs[i], docs[j]
		if !a.Updated.Equal(b.Updated) {
			return a.Updated.After(b.Updated)
		}
		return a.URL < b.URL
	})

	per := make([]docTerms, len(docs))
	parallel(len(docs), func(i int) { per[i] = indexDoc(i, &docs[i]) })

	// Merge, in doc order, into one posting list a term.
	lists := map[string][]posting{}
	for _, dt := range per {
		for k, t := range dt.terms {
			lists[t] = append(lists[t], dt.posts[k])
		}
	}
	vocab := make([]string, 0, len(lists))
	for t := range lists {
		vocab = append(vocab, t)
	}
	sort.Strings(vocab)

	files := map[string][]byte{}
	var mu sync.Mutex
	put := func(name string, data []byte) {
		mu.Lock()
		files[name] = data
		mu.Unlock()
	}

	// Term shards: consecutive runs of the sorted vocabulary.
	n := len(docs)
	type shard struct {
		first string
		terms []string
	}
	var shards []shard
	size := 0
	for _, t := range vocab {
		sz := len(t) + 8 + 6*len(lists[t])
		if len(shards) == 0 || size > 0 && size+sz > shardTarget {
			shards = append(shards, shard{first: t})
			size = 0
		}
		s := &shards[len(shards)-1]
		s.terms = append(s.terms, t)
		size += sz
	}
	if len(shards) > 0 {
		shards[0].first = ""
	}
	shardNames := make([]string, len(shards))
	parallel(len(shards), func(i int) {
		var tb, pb bytes.Buffer
		tb.WriteByte('[')
		pb.WriteByte('[')
		for k, t := range shards[i].terms {
			if k > 0 {
				tb.WriteByte(',')
				pb.WriteByte(',')
			}
			ps := lists[t]
			idf := int(math.Round(100 * math.Log(1+float64(n)/float64(len(ps)))))
			q, _ := json.Marshal(t)
			tb.WriteByte('[')
			tb.Write(q)
			tb.WriteByte(',')
			tb.WriteString(strconv.Itoa(idf))
			tb.WriteString(",[")
			pb.WriteByte('[')
			prev := 0
			for j, p := range ps {
				if j > 0 {
					tb.WriteByte(',')
					pb.WriteByte(',')
				}
				tb.WriteString(strconv.Itoa(p.doc - prev))
				tb.WriteByte(',')
				tb.WriteString(strconv.Itoa(p.code))
				prev = p.doc
				pb.WriteString(strconv.Itoa(len(p.pos)))
				last := 0
				for _, x := range p.pos {
					pb.WriteByte(',')
					pb.WriteString(strconv.Itoa(x - last))
					last = x
				}
			}
			tb.WriteString("]]")
			pb.WriteByte(']')
		}
		tb.WriteByte(']')
		pb.WriteByte(']')
		tz, pz := compress(tb.Bytes()), compress(pb.Bytes())
		shardNames[i] = hash(tz, pz)
		put(Dir+"t/"+shardNames[i]+".bin", tz)
		put(Dir+"p/"+shardNames[i]+".bin", pz)
	})

	// One file a page: what a result shows.
	parallel(len(docs), func(i int) {
		d := &docs[i]
		rec := docRecord{URL: d.URL, Title: d.Title, Section: d.SectionTitle, Summary: d.Summary, Text: d.Text}
		if !d.Date.IsZero() {
			rec.Date = d.Date.In(content.London).Format("2006-01-02")
			if u := d.Updated.In(content.London).Format("2006-01-02"); u != rec.Date {
				rec.Updated = u
			}
		}
		put(Dir+"d/"+strconv.Itoa(i)+".bin", compress(mustJSON(rec)))
	})

	// Filters: the pages of each section and each topic.
	sections, topics := map[string][]int{}, map[string][]int{}
	m := meta{Format: 1, Docs: n, Sections: [][2]string{}, Topics: [][2]string{}, Stop: StopWords, Spell: Spellings,
		First: make([]string, len(shards)), Shards: shardNames}
	sectionTitle, topicName := map[string]string{}, map[string]string{}
	for i, d := range docs {
		if d.Section != "" {
			sections[d.Section] = append(sections[d.Section], i)
			sectionTitle[d.Section] = d.SectionTitle
		}
		for _, t := range d.Topics {
			slug := content.Slugify(t)
			if l := topics[slug]; len(l) == 0 || l[len(l)-1] != i {
				topics[slug] = append(l, i)
			}
			if _, ok := topicName[slug]; !ok {
				topicName[slug] = t
			}
		}
	}
	f := filters{Sections: map[string][]int{}, Topics: map[string][]int{}}
	for s, ids := range sections {
		f.Sections[s] = deltas(ids)
		m.Sections = append(m.Sections, [2]string{s, sectionTitle[s]})
	}
	for t, ids := range topics {
		f.Topics[t] = deltas(ids)
		m.Topics = append(m.Topics, [2]string{t, topicName[t]})
	}
	sort.Slice(m.Sections, func(i, j int) bool { return m.Sections[i][0] < m.Sections[j][0] })
	sort.Slice(m.Topics, func(i, j int) bool { return m.Topics[i][0] < m.Topics[j][0] })
	files[Dir+"filters.bin"] = compress(mustJSON(f))
	for i, s := range shards {
		m.First[i] = s.first
	}

	// The version names this build of the pages and filters, whose names do
	// not change between builds; shard names are their contents' hashes.
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, name := range names {
		h.Write([]byte(name))
		h.Write(files[name])
	}
	m.Version = hex.EncodeToString(h.Sum(nil))[:12]
	files[Dir+"meta.bin"] = compress(mustJSON(m))
	return files, nil
}

type meta struct {
	Format   int               `json:"format"`
	Version  string            `json:"version"`
	Docs     int               `json:"docs"`
	First    []string          `json:"first"`
	Shards   []string          `json:"shards"`
	Sections [][2]string       `json:"sections"`
	Topics   [][2]string       `json:"topics"`
	Stop     []string          `json:"stop"`
	Spell    map[string]string `json:"spell"`
}

type filters struct {
	Sections map[string][]int `json:"sections"`
	Topics   map[string][]int `json:"topics"`
}

type docRecord struct {
	URL     string `json:"u"`
	Title   string `json:"t"`
	Section string `json:"s,omitempty"`
	Date    string `json:"d,omitempty"`
	Updated string `json:"up,omitempty"`
	Summary string `json:"m,omitempty"`
	Text    string `json:"x"`
}

// indexDoc lists a page's terms, sorted, each with its fields, body count
// and positions.
func indexDoc(id int, d *Doc) docTerms {
	type acc struct {
		code, tf int
		pos      []int
	}
	terms := map[string]*acc{}
	get := func(t string) *acc {
		a := terms[t]
		if a == nil {
			a = &acc{}
			terms[t] = a
		}
		return a
	}
	pos := 0
	stream := func(text string, field int) {
		toks := Tokenize(text, pos)
		for _, tk := range toks {
			if tk.Skip {
				continue
			}
			a := get(tk.Term)
			a.code |= field
			if field == fieldBody {
				a.tf++
			}
			a.pos = append(a.pos, tk.Pos)
		}
		if len(toks) > 0 {
			pos = toks[len(toks)-1].Pos + fieldGap
		}
	}
	stream(d.Title, fieldTitle)
	stream(d.Summary, fieldSummary)
	stream(d.Text, fieldBody)
	mark := func(text string, field int) {
		for _, tk := range Tokenize(text, 0) {
			if !tk.Skip {
				get(tk.Term).code |= field
			}
		}
	}
	for _, h := range d.Headings {
		mark(h, fieldHeading)
	}
	for _, t := range d.Topics {
		mark(t, fieldTopic)
	}
	out := docTerms{terms: make([]string, 0, len(terms))}
	for t := range terms {
		out.terms = append(out.terms, t)
	}
	sort.Strings(out.terms)
	out.posts = make([]posting, len(out.terms))
	for k, t := range out.terms {
		a := terms[t]
		out.posts[k] = posting{doc: id, code: a.code | min(a.tf, maxTF)<<tfShift, pos: a.pos}
	}
	return out
}

func deltas(ids []int) []int {
	out := make([]int, len(ids))
	prev := 0
	for i, id := range ids {
		out[i] = id - prev
		prev = id
	}
	return out
}

func mustJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only plain values are encoded
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return w
}}

// compress gzips data. The header carries no name and no time, so the same
// data gives the same bytes.
func compress(data []byte) []byte {
	var b bytes.Buffer
	w := gzipPool.Get().(*gzip.Writer)
	w.Reset(&b)
	w.Write(data)
	w.Close()
	gzipPool.Put(w)
	return b.Bytes()
}

// hash names a shard by its contents, so a browser may keep it for ever.
func hash(data ...[]byte) string {
	h := sha256.New()
	for _, d := range data {
		h.Write(d)
	}
	return hex.EncodeToString(h.Sum(nil))[:10]
}

// parallel runs f(0..n-1) on every core.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	wg.Wait()
}
