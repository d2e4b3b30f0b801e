package site_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lmcpress/internal/content"
	"lmcpress/internal/site"
)

// TestSampleSiteGolden builds the bundled sample site (../../content) and
// compares key pages with testdata/golden. After an intended change to the
// theme or the sample content, run: go test ./internal/site -run Golden -update
func TestSampleSiteGolden(t *testing.T) {
	c := os.DirFS("../../content")
	o := options(t, c, nil, nil, content.Visibility{})
	w := site.NewMemWriter()
	if _, err := site.Build(o, w); err != nil {
		t.Fatalf("sample site does not build:\n%v", err)
	}
	for _, name := range []string{
		"index.html",
		"advice/systmone-instant-messaging/index.html",
		"advice/cqc-registration-changes/index.html",
		"advice/subject-access-requests/index.html",
		"news/index.html",
		"news/2016/12/index.html",
		"topics/index.html",
		"topics/gdpr/index.html",
		"newsletters/2016-12/index.html",
		"events/index.html",
		"events/premises-workshop-2027/index.html",
		"404.html",
		"feed.xml",
		"advice/atom.xml",
		"topics/gdpr/feed.json",
		"sitemap.xml",
	} {
		got, ok := w.Files[name]
		if !ok {
			t.Errorf("%s not built", name)
			continue
		}
		golden := filepath.Join("testdata", "golden", strings.ReplaceAll(name, "/", "__"))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: %v (run go test ./internal/site -run Golden -update)", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (%s); if the change is intended, run go test ./internal/site -run Golden -update", name, golden, firstDiff(got, want))
		}
	}
}

func firstDiff(got, want []byte) string {
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) && i < len(wl); i++ {
		if gl[i] != wl[i] {
			return "line " + itoa(i+1) + ": got " + quote(gl[i]) + ", want " + quote(wl[i])
		}
	}
	return "length differs"
}

func quote(s string) string {
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return "\"" + s + "\""
}

func itoa(n int) string {
	var b []byte
	for n > 0 || len(b) == 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
