package site_test

import (
	"testing"

	"lmcpress/internal/site"
)

// TestPreviewShortcodes: a page whose shortcodes read another page's
// address or a site's shortcode template is converted again when that
// changes, though its own file did not: the preview equals a clean build.
func TestPreviewShortcodes(t *testing.T) {
	d := &diskSite{t: t, root: t.TempDir()}
	d.write("content/site.yaml", "title: Test LMC\nbaseURL: https://lmc.example.org/\n")
	d.write("content/news/a.md", page("A", "2020-01-01", nil, "See [b]({{< ref \"b.md\" >}}).\n\n{{< note >}}Hi{{< /note >}}", ""))
	d.write("content/news/b.md", page("B", "2020-01-02", nil, "Body.", ""))
	d.write("templates/shortcodes/note.html", `<div class="note">{{.Inner}}</div>`)
	b := site.NewBuilder(d.options())
	if _, err := b.Rebuild(nil); err != nil {
		t.Fatal(err)
	}
	compare(t, "first", b, d)

	d.write("content/news/b.md", page("B", "2020-01-02", nil, "Body.", "slug: moved\n"))
	if _, err := b.Rebuild([]string{"content/news/b.md"}); err != nil {
		t.Fatal(err)
	}
	compare(t, "after b moved", b, d)

	d.write("templates/shortcodes/note.html", `<aside class="note">{{.Inner}}</aside>`)
	if _, err := b.Rebuild([]string{"templates/shortcodes/note.html"}); err != nil {
		t.Fatal(err)
	}
	compare(t, "after the template changed", b, d)
}
