package importer

import "testing"

func TestAutop(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"One.", "<p>One.</p>\n"},
		{"One.\n\nTwo.", "<p>One.</p>\n<p>Two.</p>\n"},
		{"Line one\nline two", "<p>Line one<br />\nline two</p>\n"},
		{"Text\r\n\r\nMore", "<p>Text</p>\n<p>More</p>\n"},
		{"<ul>\n<li>a</li>\n</ul>\nAfter", "<ul>\n<li>a</li>\n</ul>\n<p>After</p>\n"},
		{"<pre>a\n\nb</pre>", "<pre>a\n\nb</pre>\n"},
		{"<h2>Title</h2>\nBody", "<h2>Title</h2>\n<p>Body</p>\n"},
		{"<a\nhref=\"x\">link</a> text", "<p><a href=\"x\">link</a> text</p>\n"},
		{"<!-- wp:paragraph -->\n<p>Block</p>\n<!-- /wp:paragraph -->", "<!-- wp:paragraph -->\n<p>Block</p>\n<!-- /wp:paragraph -->"},
		{"<blockquote>Quote</blockquote>", "<blockquote><p>Quote</p></blockquote>\n"},
	} {
		if got := autop(tc.in); got != tc.want {
			t.Errorf("autop(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestShortcodes(t *testing.T) {
	gallery := func(ids []int) []attachment {
		if len(ids) == 0 {
			return []attachment{{URL: "https://x.org/wp-content/uploads/a.jpg", Title: "A"}}
		}
		return []attachment{{URL: "https://x.org/wp-content/uploads/b.jpg", Alt: "B & C"}}
	}
	for _, tc := range []struct{ in, want, done, left string }{
		{"no codes", "no codes", "", ""},
		{`[caption id="1"]<img src="a.jpg" alt="x"> Our clinic[/caption]`, "\n\n<figure><img src=\"a.jpg\" alt=\"x\"><figcaption>Our clinic</figcaption></figure>\n\n", "caption", ""},
		{`[caption caption="Old style"]<a href="b.jpg"><img src="a.jpg"></a>[/caption]`, "\n\n<figure><a href=\"b.jpg\"><img src=\"a.jpg\"></a><figcaption>Old style</figcaption></figure>\n\n", "caption", ""},
		{`[gallery]`, "\n\n<ul><li><img src=\"https://x.org/wp-content/uploads/a.jpg\" alt=\"A\"></li></ul>\n\n", "gallery", ""},
		{`[gallery ids="7"]`, "\n\n<ul><li><img src=\"https://x.org/wp-content/uploads/b.jpg\" alt=\"B &amp; C\"></li></ul>\n\n", "gallery", ""},
		{`[embed]https://youtu.be/x[/embed]`, "\n\n<p><a href=\"https://youtu.be/x\">https://youtu.be/x</a></p>\n\n", "embed", ""},
		{`[youtube abc]`, "\n\n<p>Watch on YouTube: <a href=\"https://www.youtube.com/watch?v=abc\">https://www.youtube.com/watch?v=abc</a></p>\n\n", "youtube", ""},
		{`[audio mp3="https://x.org/a.mp3"][/audio]`, "\n\n<p>Listen: <a href=\"https://x.org/a.mp3\">https://x.org/a.mp3</a></p>\n\n", "audio", ""},
		{`[[caption]]`, "[caption]", "", ""},
		{`[playlist]`, "[playlist]", "", "playlist"},
		{`[foo bar="1"]x[/foo]`, `[foo bar="1"]x[/foo]`, "", "foo"},
		{`[sic] and [1]`, `[sic] and [1]`, "", ""},
		{`[caption]no image[/caption]`, `[caption]no image[/caption]`, "", "caption"},
	} {
		r := newReport()
		got := shortcodes(tc.in, gallery, &r)
		if got != tc.want {
			t.Errorf("shortcodes(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		if tc.done != "" && r.Shortcodes[tc.done] != 1 || tc.left != "" && r.ShortcodesLeft[tc.left] != 1 || tc.done == "" && len(r.Shortcodes) > 0 || tc.left == "" && len(r.ShortcodesLeft) > 0 {
			t.Errorf("shortcodes(%q): converted %v, left %v", tc.in, r.Shortcodes, r.ShortcodesLeft)
		}
	}
}
