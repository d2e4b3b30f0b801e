package markdown

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// benchCorpus is the generated 10,000-page site that the build benchmarks
// use (see internal/site); the benchmark takes its first pages from three
// sections, so the Markdown is what a real build converts.
const benchCorpus = "/tmp/lmcpress-bench-corpus-n10000-seed1/content"

// loadBenchDocs reads up to perSection pages from each of the generated
// corpus's news, advice and guidance sections, plus every page of the
// bundled sample site, with front matter removed. It reports false when the
// generated corpus is not there.
func loadBenchDocs(tb testing.TB, perSection int) ([][]byte, bool) {
	tb.Helper()
	if _, err := os.Stat(benchCorpus); err != nil {
		return nil, false
	}
	var docs [][]byte
	for _, sec := range []string{"news", "advice", "guidance"} {
		names, err := filepath.Glob(filepath.Join(benchCorpus, sec, "*.md"))
		if err != nil {
			tb.Fatal(err)
		}
		sort.Strings(names)
		if len(names) > perSection {
			names = names[:perSection]
		}
		for _, n := range names {
			docs = append(docs, readBody(tb, n))
		}
	}
	err := filepath.WalkDir("../../content", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".md" {
			docs = append(docs, readBody(tb, p))
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return docs, true
}

// readBody reads a content file without its front matter: when the first
// line is "---" (YAML) or "+++" (TOML), everything up to and including the
// next line that is exactly the same.
func readBody(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	for _, delim := range []string{"---", "+++"} {
		if !bytes.HasPrefix(b, []byte(delim+"\n")) {
			continue
		}
		rest := b[len(delim)+1:]
		for off := 0; off < len(rest); {
			end := bytes.IndexByte(rest[off:], '\n')
			line := rest[off:]
			if end >= 0 {
				line = rest[off : off+end]
			}
			if string(line) == delim {
				if end < 0 {
					return nil
				}
				return rest[off+end+1:]
			}
			if end < 0 {
				break
			}
			off += end + 1
		}
	}
	return b
}

// BenchmarkConvert converts realistic pages, as the build does (no base URL).
func BenchmarkConvert(b *testing.B) {
	docs, ok := loadBenchDocs(b, 100)
	if !ok {
		b.Skipf("no generated corpus at %s: generate the 10,000-page bench site (seed 1) there first", benchCorpus)
	}
	var n int64
	for _, d := range docs {
		n += int64(len(d))
	}
	e := New(Config{})
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			if _, err := e.Convert(d, Options{PageURL: "/news/x/"}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
