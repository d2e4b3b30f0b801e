package markdown

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Jekyll runs its pages through Liquid before kramdown, and pages moved in
// from Jekyll carry Liquid's tags and outputs. The ones that make sense
// without Jekyll are worked out:
//
//	{% raw %}...{% endraw %}              the content as written (in code too)
//	{% highlight LANG %}...{% endhighlight %}  a code block, as Hugo's highlight
//	{% link docs/x.md %}, {% post_url 2016-03-03-name %}  the page's address, as ref
//	{% comment %}...{% endcomment %}      nothing
//	{{ site.baseurl }}, {{ site.url }}    nothing: addresses are from the site's root
//	{{ "/x/" | relative_url }}            the string (absolute_url and prepend: site.baseurl alike)
//
// Any other tag, or an output of Jekyll's objects ({{ page.title }}), is a
// shortcode error naming it; it never shows on the page. Outputs of other
// things ({{ .Title }}, as Hugo's documentation writes) are left as text,
// and so is everything in code, but for raw's tags.

// liquidObjects are the names a Liquid output of Jekyll starts with.
var liquidObjects = map[string]bool{"site": true, "page": true, "include": true, "layout": true, "jekyll": true,
	"paginator": true, "content": true, "forloop": true, "post": true}

// maxOutput is the longest Liquid output read, {{ and }} aside.
const maxOutput = 1024

var liquidTagRE = regexp.MustCompile(`^\{%-?\s*([A-Za-z_]+)\s*(.*?)\s*-?%\}`)

// liquid finds the Liquid in the source: the edits it makes, and the parts
// of the source that stay as written (code, and raw's and highlight's
// content), where shortcodes and attribute lists are not read either.
func (x *expansion) liquid() ([]edit, codeRegions) {
	src := x.src
	literal := append(codeRegions(nil), x.code...)
	if !bytes.Contains(src, []byte("{%")) && !bytes.Contains(src, []byte("{{")) {
		return nil, literal
	}
	var edits []edit
	lastClose := bytes.LastIndex(src, []byte("%}"))
	for i := 0; i+1 < len(src); {
		j := bytes.IndexByte(src[i:], '{')
		if j < 0 || i+j+1 >= len(src) {
			break
		}
		at := i + j
		i = at + 1
		switch c := src[at+1]; {
		case c == '%' && (at == 0 || src[at-1] != '{'): // not Hugo's {{%
			m := liquidTagRE.FindSubmatchIndex(src[at:min(len(src), at+4096)])
			if m == nil {
				if !x.code.contains(at) && lastClose < at {
					x.problem(at, RuleShortcode, "a Liquid tag {% is never closed with %}", "close it with %}, or remove it")
					eol := bytes.IndexByte(src[at:], '\n')
					if eol < 0 {
						eol = len(src) - at
					}
					return append(edits, edit{start: at, end: at + eol}), literal
				}
				continue
			}
			name, args := string(src[at+m[2]:at+m[3]]), string(src[at+m[4]:at+m[5]])
			end := at + m[1]
			inCode := x.code.contains(at)
			if inCode && name != "raw" && name != "endraw" {
				i = end
				continue
			}
			ed, lit, next := x.liquidTag(at, end, name, args)
			edits = append(edits, ed...)
			literal = append(literal, lit...)
			i = max(next, end)
		case c == '{' && at+2 < len(src) && src[at+2] != '<' && src[at+2] != '%':
			// An output is short: look for its end nearby only, so that
			// text full of "{{" is read once.
			end := bytes.Index(src[at+2:min(len(src), at+2+maxOutput)], []byte("}}"))
			if end < 0 || x.code.contains(at) {
				i = at + 2
				continue
			}
			end += at + 4
			if ed, ok := x.liquidOutput(at, end, string(src[at+2:end-2])); ok {
				edits = append(edits, ed)
			}
			i = end
		}
	}
	sort.Slice(literal, func(i, j int) bool { return literal[i].start < literal[j].start })
	return edits, literal
}

// endTags are the closing tags of Liquid's blocks that lmcpress reads.
var endTags = map[string]*regexp.Regexp{}

func init() {
	for _, n := range []string{"raw", "comment", "highlight"} {
		endTags[n] = regexp.MustCompile(`\{%-?\s*end` + n + `\s*-?%\}`)
	}
}

// closing finds the {% endNAME %} after off: its start and end, or -1.
// Tags are met in order, so the last answer holds for every offset from
// where it was looked for up to the closing tag it found (to the end, if
// none): text full of unclosed tags is read once.
func (x *expansion) closing(off int, name string) (int, int) {
	if x.ends == nil {
		x.ends = map[string][3]int{}
	}
	if c, ok := x.ends[name]; ok && off >= c[0] && (c[1] < 0 || off <= c[1]) {
		return c[1], c[2]
	}
	m := endTags[name].FindIndex(x.src[off:])
	if m == nil {
		x.ends[name] = [3]int{off, -1, -1}
		return -1, -1
	}
	x.ends[name] = [3]int{off, off + m[0], off + m[1]}
	return off + m[0], off + m[1]
}

// liquidTag is what one tag at src[start:end] comes to: its edits, the
// spans to keep as written, and where reading goes on.
func (x *expansion) liquidTag(start, end int, name, args string) (eds []edit, lit []span, next int) {
	tag := fmt.Sprintf("{%% %s %%}", strings.TrimSpace(name+" "+args))
	drop := edit{start: start, end: end}
	switch name {
	case "raw":
		cs, ce := x.closing(end, "raw")
		if cs < 0 {
			x.problem(start, RuleShortcode, "{% raw %} has no {% endraw %}", "add {% endraw %} where the text to show as written ends")
			return []edit{drop}, []span{{end, len(x.src)}}, len(x.src)
		}
		return []edit{drop, {start: cs, end: ce}}, []span{{end, cs}}, ce
	case "endraw":
		return []edit{drop}, nil, end
	case "comment":
		cs, ce := x.closing(end, "comment")
		if cs < 0 {
			cs, ce = len(x.src), len(x.src)
		}
		return []edit{{start: start, end: ce}}, []span{{start, ce}}, ce
	case "highlight":
		cs, ce := x.closing(end, "highlight")
		if cs < 0 {
			return []edit{{start: start, end: end, write: func(out []byte) []byte {
				x.problem(start, RuleShortcode, tag+" has no {% endhighlight %}", "add {% endhighlight %} after the code")
				return out
			}}}, nil, end
		}
		lang, _, _ := strings.Cut(strings.TrimSpace(args), " ")
		code := string(x.src[end:cs])
		return []edit{{start: start, end: ce, write: func(out []byte) []byte {
			r := &scResult{}
			x.codeBlock(r, lang, code)
			return x.placeholder(out, r)
		}}}, []span{{end, cs}}, ce
	case "link", "post_url":
		target := strings.Trim(strings.TrimSpace(args), `"'`)
		return []edit{{start: start, end: end, write: func(out []byte) []byte {
			return append(out, x.liquidRef(start, tag, name, target)...)
		}}}, nil, end
	}
	if strings.HasPrefix(name, "end") || name == "else" || name == "elsif" || name == "when" {
		return []edit{drop}, nil, end // its opening tag says it all
	}
	return []edit{{start: start, end: end, write: func(out []byte) []byte {
		// A site's own shortcode of the tag's name stands in for a
		// plugin's tag ({% image "a.png" "Alt" %}) or an include.
		if x.o.Shortcodes != nil {
			line, col := x.lines.pos(start)
			c := &Call{Name: name, Line: line, Column: col}
			c.Args, c.Params = liquidArgs(args)
			if h, ok, err := x.o.Shortcodes.Render(c); ok {
				if err != nil {
					x.problem(start, RuleShortcode, fmt.Sprintf("%s: %v", tag, err), "fix templates/shortcodes/"+name+".html or the tag's arguments")
				}
				r := &scResult{html: []byte(h), block: isBlockHTML([]byte(h)), text: htmlText([]byte(h))}
				return x.placeholder(out, r)
			}
		}
		x.problem(start, RuleShortcode, fmt.Sprintf("Liquid tag %s: lmcpress does not run Jekyll's Liquid", tag),
			"write what it makes into the page as Markdown, define templates/shortcodes/"+name+".html, or remove it")
		return out
	}}}, nil, end
}

// liquidArgs reads a tag's arguments as a shortcode's are read: "quoted"
// or bare values, and key=value or key: value pairs.
func liquidArgs(s string) (args []string, params map[string]string) {
	b := []byte(s)
	none := []byte{0}
	for p := skipSpace(b, 0); p < len(b); p = skipSpace(b, p) {
		v, next, quoted, err := readValue(b, p, none)
		if err != "" || next <= p {
			break
		}
		r := skipSpace(b, next)
		key := strings.TrimSuffix(v, ":")
		if !quoted && (r < len(b) && b[r] == '=' || key != v) {
			if key == v {
				r++
			}
			r = skipSpace(b, r)
			if r >= len(b) {
				break
			}
			if v, next, _, err = readValue(b, r, none); err != "" || next <= r {
				break
			}
			if params == nil {
				params = map[string]string{}
			}
			params[key] = v
		} else {
			args = append(args, v)
		}
		p = next
	}
	return args, params
}

// liquidRef is the address a link or post_url tag names, or nothing.
func (x *expansion) liquidRef(off int, tag, name, target string) string {
	if target == "" {
		x.problem(off, RuleShortcode, tag+" names no page", "write the page's file, e.g. {% link docs/page.md %}")
		return ""
	}
	if x.o.Refs == nil {
		x.problem(off, RuleBrokenLink, tag+": pages cannot be looked up here", "link to the page's address instead")
		return ""
	}
	tries := []string{"/" + strings.TrimPrefix(target, "/")}
	if name == "post_url" {
		tries = []string{path.Base(target)}
	} else if rest, ok := strings.CutPrefix(strings.TrimPrefix(target, "/"), "_"); ok {
		// A Jekyll collection's folder (_posts/, _docs/): moved in, the
		// pages are in a section of another name.
		if _, after, ok := strings.Cut(rest, "/"); ok {
			tries = append(tries, strings.TrimSuffix(path.Base(after), path.Ext(after)))
		}
	}
	var first error
	for _, t := range tries {
		u, err := x.o.Refs.Ref(t)
		if err == nil {
			return u
		}
		if first == nil {
			first = err
		}
	}
	x.problem(off, RuleBrokenLink, fmt.Sprintf("%s: %v", tag, first), "name the page's file in content/, or link to its address")
	return ""
}

// liquidOutput is what {{ expr }} at src[start:end] comes to. Outside
// code every such output is Liquid's (or another template language's):
// the common ones are worked out, and the rest reported.
func (x *expansion) liquidOutput(start, end int, expr string) (edit, bool) {
	expr = strings.TrimSpace(strings.Trim(strings.TrimSpace(expr), "-"))
	parts := strings.Split(expr, "|")
	head := strings.TrimSpace(parts[0])
	fail := func(msg string) (edit, bool) {
		return edit{start: start, end: end, write: func(out []byte) []byte {
			x.problem(start, RuleShortcode, msg, "write what it shows into the page (in `code` to show the braces themselves), or remove it")
			return x.placeholder(out, &scResult{failed: true})
		}}, true
	}
	var value string
	switch {
	case head == "site.baseurl" || head == "site.url":
	case len(head) >= 2 && (head[0] == '"' && head[len(head)-1] == '"' || head[0] == '\'' && head[len(head)-1] == '\''):
		value = head[1 : len(head)-1]
	default:
		obj := head
		if i := strings.IndexAny(obj, ".[ "); i >= 0 {
			obj = obj[:i]
		}
		if liquidObjects[obj] {
			return fail(fmt.Sprintf("Liquid output {{ %s }}: lmcpress does not run Jekyll's Liquid", expr))
		}
		return fail(fmt.Sprintf("template output {{ %s }}: lmcpress does not run templates in pages", expr))
	}
	for i, f := range parts[1:] {
		f = strings.TrimSpace(f)
		switch {
		case f == "relative_url" || f == "absolute_url" || f == "url" || f == "prepend: site.baseurl" || f == "prepend: site.url":
			continue
		case i == len(parts)-2 && x.o.Shortcodes != nil:
			// The last filter may be a site's own shortcode:
			// {{ "name" | team_photo }} is {{< team_photo "name" >}}.
			name, rest, _ := strings.Cut(f, ":")
			name = strings.TrimSpace(name)
			line, col := x.lines.pos(start)
			c := &Call{Name: name, Args: []string{value}, Line: line, Column: col}
			more, _ := liquidArgs(strings.ReplaceAll(rest, ",", " "))
			c.Args = append(c.Args, more...)
			if h, ok, err := x.o.Shortcodes.Render(c); ok {
				return edit{start: start, end: end, write: func(out []byte) []byte {
					r := &scResult{html: []byte(h), text: htmlText([]byte(h)), block: isBlockHTML([]byte(h))}
					if err != nil {
						x.problem(start, RuleShortcode, fmt.Sprintf("{{ %s }}: %v", expr, err), "fix templates/shortcodes/"+name+".html or the filter's arguments")
						r.failed = true
					}
					return x.placeholder(out, r)
				}}, true
			}
		}
		name, _, _ := strings.Cut(f, ":")
		return fail(fmt.Sprintf("Liquid output {{ %s }}: lmcpress does not run Liquid's filter %q (define templates/shortcodes/%s.html to stand in for it)", expr, strings.TrimSpace(name), strings.TrimSpace(name)))
	}
	return edit{start: start, end: end, write: func(out []byte) []byte { return append(out, value...) }}, true
}
