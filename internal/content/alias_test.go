package content

import (
	"io/fs"
	"strings"
	"testing"
)

// TestCheckAlias: an alias is written as a file under public/, so only a
// plain path of this site may be one.
func TestCheckAlias(t *testing.T) {
	long := strings.Repeat("x", MaxAddressPart+1)
	for _, tt := range []struct {
		alias string
		want  string // "" for accepted, else a part of the problem
	}{
		{"/old-cms/page.php", ""},
		{"/news/2016/flu.html", ""},
		{"/old/", ""},
		{"/café/", ""},
		{"/a_b~c!$&()*+,;=@/", ""},
		{"/.well-known/change-password", ""},
		{"/" + strings.Repeat("x", MaxAddressPart) + "/", ""},
		{"old/", "from the site root"},
		{"", "from the site root"},
		{"//evil.example/x", "another site's address"},
		{"///evil.example/x", "another site's address"},
		{"/javascript:alert(1)", "no scheme"},
		{"/https://evil.example/", "no scheme"},
		{`/a"b`, `character " is not allowed`},
		{"/a<b>", "character < is not allowed"},
		{"/a>b", "character > is not allowed"},
		{"/a'b", "character ' is not allowed"},
		{`/a\b`, `character \ is not allowed`},
		{"/a`b", "character ` is not allowed"},
		{"/x%00y", "percent-escapes"},
		{"/x%2e%2e/", "percent-escapes"},
		{"/x\x00y", "U+0000"},
		{"/x\ny", "spaces"},
		{"/x\x7fy", "U+007F"},
		{"/x\u200by", "U+200B"},
		{"/x\xffy", "not valid text"},
		{"/old page/", "spaces"},
		{"/page.php?id=3", "the part from ?"},
		{"/page#top", "the part from #"},
		{"/../up/", ". and .. parts"},
		{"/a/../b/", ". and .. parts"},
		{"/a/./b", ". and .. parts"},
		{"/a//b", "empty part"},
		{"/.git/config", "hidden file"},
		{"/a/.env", "hidden file"},
		{"/" + long + "/", "longer than an address part"},
	} {
		got := CheckAlias(tt.alias)
		switch {
		case tt.want == "" && got != "":
			t.Errorf("CheckAlias(%q) = %q, want it accepted", tt.alias, got)
		case tt.want != "" && !strings.Contains(got, tt.want):
			t.Errorf("CheckAlias(%q) = %q, want a problem with %q", tt.alias, got, tt.want)
		}
	}
}

// TestAliasCaseCollision: an alias, static or content file whose name
// differs only in case from another output would replace it on a server
// that ignores case.
func TestAliasCaseCollision(t *testing.T) {
	b := newTestBook(t, 20, []string{"css/site.css"}, map[string]string{
		"news/a.md":      item("A", "2024-01-05", "aliases: [/News/A/, /CSS/site.css, /Search/Index/x.bin, /Old/]"),
		"news/b.md":      item("B", "2024-01-06", "aliases: [/old/]"),
		"files/Map.png":  "",
		"files/map.png":  "",
		"files/keep.png": "",
	})
	got := b.Errors().Error()
	for _, want := range []string{
		"content/news/a.md:4: aliases: /News/A/ is also the address of content/news/a.md (as /news/a/index.html, which differs only in case)",
		"content/news/a.md:4: aliases: /CSS/site.css is also the address of static/css/site.css (as /css/site.css",
		"content/news/a.md:4: aliases: /Search/Index/x.bin is also the address of the search index",
		"content/news/b.md:4: aliases: /old/ is also the address of an alias of content/news/a.md (as /Old/index.html",
		"/files/map.png is also written by content/files/Map.png (as /files/Map.png, which differs only in case)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("errors lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "keep.png") {
		t.Errorf("a file alone in its case is reported:\n%s", got)
	}
}

// FuzzCheckAlias: whatever CheckAlias accepts is written inside public/,
// as a plain file name with nothing that HTML or a shell reads specially.
func FuzzCheckAlias(f *testing.F) {
	for _, s := range []string{"/old/", "/a/b.html", "//x/", "/../x", "/x%00", "/café/", "/a\\b", "/.well-known/x", "/a:b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, a string) {
		if CheckAlias(a) != "" {
			return
		}
		out, problem := AliasOut(a)
		if problem != "" {
			if a != "/" && a != "/index.html" {
				t.Fatalf("CheckAlias accepts %q, AliasOut refuses it: %s", a, problem)
			}
			return
		}
		if !fs.ValidPath(out) || strings.HasPrefix(out, "/") {
			t.Fatalf("alias %q is written to %q, not a path inside public/", a, out)
		}
		if strings.ContainsAny(out, "\"'<>\\%?#: \x00") {
			t.Fatalf("alias %q is written to %q", a, out)
		}
		for _, part := range strings.Split(out, "/") {
			if part == ".." || len(part) > 255 || strings.HasPrefix(part, ".") && part != ".well-known" {
				t.Fatalf("alias %q is written to %q", a, out)
			}
		}
	})
}

// TestAliasLine: an alias in a list of lines is reported on its own line.
func TestAliasLine(t *testing.T) {
	_, errs := Parse("news/a.md", []byte("---\ntitle: A\ndate: 2024-01-05\naliases:\n  - /ok/\n  - //evil.example/x\n---\nA.\n"))
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), `content/news/a.md:6: aliases: "//evil.example/x" is another site's address`) {
		t.Errorf("errors: %v", errs)
	}
}
