package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkImport imports a made-up export of 1,000 posts of about 10 KB
// each (a link to the post before, a captioned image): the time and
// memory of one import, which reads the export twice and holds one post at
// a time.
//
//	go test -run '^$' -bench Import -benchmem ./internal/importer
func BenchmarkImport(b *testing.B) {
	dir := b.TempDir()
	export := filepath.Join(dir, "export.xml")
	var sb strings.Builder
	sb.WriteString(`<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>LMC</title><link>https://lmc.example.org</link>`)
	para := strings.Repeat("Practices should check the contract variation before the deadline. ", 15)
	for i := 1; i <= 1000; i++ {
		fmt.Fprintf(&sb, `<item><title>Post %d</title><link>https://lmc.example.org/2016/12/19/post-%d/</link><content:encoded><![CDATA[%s]]></content:encoded><wp:post_id>%d</wp:post_id><wp:post_date_gmt>2016-12-19 09:30:00</wp:post_date_gmt><wp:post_name>post-%d</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain="category" nicename="c%d"><![CDATA[Topic %d]]></category></item>`,
			i, i, strings.Repeat(para+"\n\n", 10)+fmt.Sprintf(`<a href="https://lmc.example.org/?p=%d">before</a> [caption]<img src="https://lmc.example.org/wp-content/uploads/2016/12/x%d.jpg" alt="x"> A caption[/caption]`, max(1, i-1), i), i, i, i%40, i%40)
	}
	sb.WriteString(`</channel></rss>`)
	if err := os.WriteFile(export, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(sb.Len()))
	for i := 0; b.Loop(); i++ {
		site := filepath.Join(dir, fmt.Sprint("site", i))
		if err := os.Mkdir(site, 0o755); err != nil {
			b.Fatal(err)
		}
		root, err := os.OpenRoot(site)
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(export)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := Import(Options{Export: f, Site: root, Now: testNow})
		f.Close()
		root.Close()
		if err != nil || rep.Posts != 1000 {
			b.Fatalf("%v, %d posts", err, rep.Posts)
		}
	}
}
