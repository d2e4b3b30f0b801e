package importer

import (
	"net/url"
	"testing"
)

func TestTemplateText(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		n        int
	}{
		{"no braces", "no braces", 0},
		{"a {{ x }} b {% y %}", "a &#123;{ x }} b &#123;% y %}", 2},
		{"code `{{ x }}` and {{ y }}", "code `{{ x }}` and &#123;{ y }}", 1},
		{"``a ` {{ b }}`` {{c}}", "``a ` {{ b }}`` &#123;{c}}", 1},
		{"```\n{{ in a block }}\n```\n{{ after }}", "```\n{{ in a block }}\n```\n&#123;{ after }}", 1},
		{"para\n{: .note}", "para\n&#123;: .note}", 1},
		{"> {: #id}", "> &#123;: #id}", 1},
		{"unclosed ` {{ x }}", "unclosed ` &#123;{ x }}", 1},
		{"{single} braces", "{single} braces", 0},
	} {
		r := newReport()
		if got := templateText(tc.in, &r); got != tc.want || r.Braces != tc.n {
			t.Errorf("templateText(%q) = %q (%d), want %q (%d)", tc.in, got, r.Braces, tc.want, tc.n)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://x.org/a": true, "/news/": true, "mailto:a@x.org": true, "tel:0123": true, "#top": true, "page.html": true,
		"javascript:alert(1)": false, " JavaScript:x": false, "data:text/html,x": false, "vbscript:x": false, "": false,
		"java\tscript:x": false, "file:///etc/passwd": false,
	} {
		if got := safeURL(u); got != want {
			t.Errorf("safeURL(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestUploadsPathAndNames(t *testing.T) {
	hosts := map[string]bool{"lmc.example.org": true}
	for raw, want := range map[string]string{
		"https://lmc.example.org/wp-content/uploads/2016/12/a.pdf":    "2016/12/a.pdf",
		"/wp-content/uploads/2016/12/b.jpg":                           "2016/12/b.jpg",
		"https://i0.wp.com/lmc.example.org/wp-content/uploads/c.png":  "c.png",
		"https://site.files.wordpress.com/2010/08/d.jpg":              "2010/08/d.jpg",
		"https://other.org/wp-content/uploads/e.jpg":                  "",
		"https://lmc.example.org/wp-content/uploads/../../etc/passwd": "",
		"https://lmc.example.org/wp-content/uploads/2016/":            "",
		"https://lmc.example.org/about/":                              "",
	} {
		u, _ := url.Parse(raw)
		if got := uploadsPath(u, hosts); got != want {
			t.Errorf("uploadsPath(%q) = %q, want %q", raw, got, want)
		}
	}
	for in, want := range map[string]string{
		"Model Letter (final).PDF": "Model-Letter-final.pdf",
		"..jpg":                    "file.jpg",
		"café menu.jpg":            "caf-menu.jpg",
		".htaccess":                "file.htaccess",
	} {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"../../etc/passwd":   "etc-passwd",
		"%e6%bc%a2%e5%ad%97": "漢字",
		"":                   "",
		"%00%2e%2e":          "",
		"Flu Clinics 2016":   "flu-clinics-2016",
	} {
		if got := safeSlug(in); got != want {
			t.Errorf("safeSlug(%q) = %q, want %q", in, got, want)
		}
	}
}
