package markdown

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"strings"
)

// builtin works out a built-in shortcode's call into r. inner is the
// converted content of a pair, nil for a call standing alone.
type builtin func(x *expansion, c *Call, n scNode, inner *Doc, r *scResult)

// builtins are Hugo's own shortcodes that a site moving in is likely to
// use, written as lmcpress writes the rest of a page: an image goes through
// the same checks as a Markdown image, and videos and posts on other sites
// are plain links (no embedded player, no trackers). ref and relref are
// read by expansion.ref. A site's templates/shortcodes/NAME.html comes
// before a built-in of the same name.
var builtins map[string]builtin

// rawInner are the built-ins whose content is not Markdown.
var rawInner = map[string]bool{"highlight": true, "comment": true}

func init() {
	builtins = map[string]builtin{
		"figure":    figure,
		"highlight": highlight,
		"details":   details,
		"comment":   func(*expansion, *Call, scNode, *Doc, *scResult) {},
		"youtube": videoLink("YouTube", func(id string) string {
			return "https://www.youtube.com/watch?v=" + url.QueryEscape(id)
		}),
		"vimeo": videoLink("Vimeo", func(id string) string { return "https://vimeo.com/" + url.PathEscape(id) }),
		"gist":  gist,
		"x":     post,
		"tweet": post,
		"instagram": func(x *expansion, c *Call, n scNode, inner *Doc, r *scResult) {
			id := n.open.arg(0, "id")
			if id == "" {
				x.needs(n, "id", `{{< instagram BWNjjyYFxVx >}}`)
				return
			}
			x.link(c, r, "https://www.instagram.com/p/"+url.PathEscape(id)+"/", "Post on Instagram")
		},
	}
}

// needs reports a call without an argument it cannot do without.
func (x *expansion) needs(n scNode, what, example string) {
	x.problem(n.open.start, RuleShortcode, fmt.Sprintf("%s %s%s has no %s", opener(n.open), n.open.name, closer(n.open), what),
		"write it as "+example)
}

// link makes r a link to dest, showing text.
func (x *expansion) link(c *Call, r *scResult, dest, text string) {
	r.html = []byte(`<a href="` + html.EscapeString(x.dest(dest)) + `">` + html.EscapeString(text) + `</a>`)
	r.text = text
	r.links = append(r.links, Ref{Dest: dest, Text: text, Line: c.Line, Via: c.Name})
}

// dest is an address as a page's HTML has it: absolute for feeds and
// email (Options.BaseURL), and empty when it would run code (see
// IsDangerousURL), as for Markdown links.
func (x *expansion) dest(d string) string {
	if IsDangerousURL(d) {
		return ""
	}
	if lb, ok := newLinkBase(x.o); ok {
		return string(lb.absolute([]byte(d)))
	}
	return d
}

// videoLink is youtube or vimeo: {{< youtube ID >}}, {{< youtube id=ID title="..." >}}.
func videoLink(site string, address func(id string) string) builtin {
	return func(x *expansion, c *Call, n scNode, inner *Doc, r *scResult) {
		id := n.open.arg(0, "id")
		if id == "" {
			x.needs(n, "video id", "{{< "+n.open.name+" ID >}}")
			return
		}
		text := n.open.params["title"]
		if text == "" {
			text = "Video on " + site
		}
		x.link(c, r, address(id), text)
	}
}

// gist: {{< gist USER ID >}}, a link to the gist.
func gist(x *expansion, c *Call, n scNode, inner *Doc, r *scResult) {
	user, id := n.open.arg(0, "user"), n.open.arg(1, "id")
	if user == "" || id == "" {
		x.needs(n, "user and gist id", "{{< gist USER ID >}}")
		return
	}
	x.link(c, r, "https://gist.github.com/"+url.PathEscape(user)+"/"+url.PathEscape(id), "Code on GitHub (gist "+id+")")
}

// post is x and tweet: {{< x user="NAME" id="ID" >}} (or Hugo's older
// {{< tweet ID >}}), a link to the post.
func post(x *expansion, c *Call, n scNode, inner *Doc, r *scResult) {
	id := n.open.arg(0, "id")
	if id == "" {
		x.needs(n, "post id", `{{< x user="NAME" id="ID" >}}`)
		return
	}
	addr := "https://x.com/i/status/" + url.PathEscape(id)
	if u := n.open.params["user"]; u != "" {
		addr = "https://x.com/" + url.PathEscape(u) + "/status/" + url.PathEscape(id)
	}
	x.link(c, r, addr, "Post on X")
}

// figure is Hugo's figure: an image with an optional link, title and
// caption (Markdown), and attribution. As in Hugo, a figure without alt
// text takes its caption's; the image is checked like a Markdown image.
func figure(x *expansion, c *Call, n scNode, inner *Doc, r *scResult) {
	t := n.open
	get := func(k string) string { return strings.TrimSpace(t.params[k]) }
	src := get("src")
	if src == "" {
		x.needs(n, "image", `{{< figure src="image.png" alt="What the image shows" >}}`)
		return
	}
	caption := x.inline(get("caption"), t.start)
	attr := x.inline(get("attr"), t.start)
	alt := get("alt")
	if alt == "" {
		alt = caption.text
	}
	r.block = true
	r.images = append(r.images, Ref{Dest: src, Text: alt, Line: c.Line, Via: "figure"})
	var b bytes.Buffer
	b.WriteString("<figure")
	attrIf(&b, "class", get("class"))
	b.WriteString(">")
	link := get("link")
	if link != "" {
		r.links = append(r.links, Ref{Dest: link, Text: alt, Line: c.Line, Via: "figure"})
		b.WriteString(`<a href="` + html.EscapeString(x.dest(link)) + `"`)
		attrIf(&b, "target", get("target"))
		attrIf(&b, "rel", get("rel"))
		b.WriteString(">")
	}
	b.WriteString(`<img src="` + html.EscapeString(x.dest(src)) + `" alt="` + html.EscapeString(alt) + `"`)
	for _, k := range []string{"width", "height", "loading"} {
		attrIf(&b, k, get(k))
	}
	b.WriteString(">")
	if link != "" {
		b.WriteString("</a>")
	}
	title := get("title")
	var text []string
	if title != "" || caption.html != "" || attr.html != "" {
		b.WriteString("<figcaption>")
		if title != "" {
			b.WriteString(`<p class="figure-title"><strong>` + html.EscapeString(title) + `</strong></p>`)
			text = append(text, title)
		}
		if caption.html != "" || attr.html != "" {
			b.WriteString("<p>")
			b.WriteString(caption.html)
			text = append(text, caption.text)
			if attr.html != "" {
				if caption.html != "" {
					b.WriteString(" ")
				}
				if al := get("attrlink"); al != "" {
					r.links = append(r.links, Ref{Dest: al, Text: attr.text, Line: c.Line, Via: "figure"})
					b.WriteString(`<a href="` + html.EscapeString(x.dest(al)) + `">` + attr.html + `</a>`)
				} else {
					b.WriteString(attr.html)
				}
				text = append(text, attr.text)
			}
			b.WriteString("</p>")
		}
		b.WriteString("</figcaption>")
	}
	b.WriteString("</figure>\n")
	r.html = b.Bytes()
	r.text = strings.TrimSpace(strings.Join(text, " "))
	r.links = append(r.links, caption.links...)
	r.links = append(r.links, attr.links...)
}

func attrIf(b *bytes.Buffer, k, v string) {
	if v != "" {
		b.WriteString(" " + k + `="` + html.EscapeString(v) + `"`)
	}
}

// inlineMD is a line of Markdown converted for use inside an element.
type inlineMD struct {
	html, text string
	links      []Ref
}

// inline converts s, an argument written in Markdown (a caption), at the
// tag at offset off: its HTML without the paragraph around it.
func (x *expansion) inline(s string, off int) inlineMD {
	if s == "" {
		return inlineMD{}
	}
	d := x.nested([]byte(s), off)
	h := bytes.TrimSpace(d.HTML)
	if bytes.HasPrefix(h, []byte("<p>")) && bytes.HasSuffix(h, []byte("</p>")) && bytes.Count(h, []byte("<p>")) == 1 {
		h = h[3 : len(h)-4]
	}
	return inlineMD{html: string(h), text: d.Text, links: d.Links}
}

// highlight is {{< highlight LANG "options" >}}code{{< /highlight >}}: a
// code block, as a fenced one is written (the options, for Hugo's
// highlighter, are not used).
func highlight(x *expansion, c *Call, n scNode, inner *Doc, r *scResult) {
	if n.close == nil {
		x.needs(n, "code and closing tag", "{{< highlight go >}}CODE{{< /highlight >}}")
		return
	}
	x.codeBlock(r, n.open.arg(0, "lang"), c.Raw)
}

// codeBlock makes r the code block of code in lang, as a fenced block is
// written: for highlight, and Liquid's.
func (x *expansion) codeBlock(r *scResult, lang, code string) {
	code = strings.TrimPrefix(strings.TrimPrefix(code, "\r"), "\n")
	code = strings.TrimRight(code, " \t")
	code = strings.TrimSuffix(strings.TrimSuffix(code, "\n"), "\r")
	fence := strings.Repeat("`", max(3, longestRun(code, '`')+1))
	lang = strings.Map(func(r rune) rune {
		if r == '`' || r == ' ' || r == '\n' {
			return -1
		}
		return r
	}, lang)
	d := x.e.convertPlain([]byte(fence+lang+"\n"+code+"\n"+fence+"\n"), x.o)
	r.html, r.text, r.block = d.HTML, d.Text, true
	r.links, r.images, r.headings = nil, nil, nil // code, not links
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// details is Hugo's details: {{< details summary="..." open=true >}}inner{{< /details >}},
// a <details> element with its summary (Markdown) and inner content.
func details(x *expansion, c *Call, n scNode, inner *Doc, r *scResult) {
	if n.close == nil {
		x.needs(n, "content and closing tag", `{{< details summary="More" >}}TEXT{{< /details >}}`)
		return
	}
	t := n.open
	sum := x.inline(strings.TrimSpace(t.params["summary"]), t.start)
	if sum.html == "" {
		sum = inlineMD{html: "Details", text: "Details"}
	}
	var b bytes.Buffer
	b.WriteString("<details")
	attrIf(&b, "class", t.params["class"])
	attrIf(&b, "name", t.params["name"])
	attrIf(&b, "title", t.params["title"])
	if o := strings.ToLower(t.params["open"]); o == "true" || o == "open" || o == "1" {
		b.WriteString(" open")
	}
	b.WriteString("><summary>" + sum.html + "</summary>\n")
	b.Write(inner.HTML)
	b.WriteString("</details>\n")
	r.html, r.block = b.Bytes(), true
	r.text = strings.TrimSpace(sum.text + "\n\n" + inner.Text)
	r.links = append(r.links, sum.links...)
}
