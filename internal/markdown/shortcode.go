package markdown

import (
	"bytes"
	"fmt"
	"strings"
)

// Hugo's shortcodes, read as Hugo reads them (gohugo.io/content-management/shortcodes):
//
//	{{< name arg "quoted arg" >}}          positional arguments
//	{{< name key="v" other=`raw` k=bare >}} named arguments (not both kinds in one call)
//	{{% name %}}inner{{% /name %}}           a pair around inner content
//	{{< name />}}                            self-closing
//	{{</* name */>}}                         a comment: shows "{{< name >}}" as written
//
// A tag may run over several lines. Nesting is by name: a closing tag
// closes the nearest open tag of its name, and tags opened inside it and
// left open stand alone.

// scTag is one shortcode tag in a source.
type scTag struct {
	start, end int    // the tag's bytes, "{{<" to ">}}"
	markdown   bool   // written {{% %}}
	closing    bool   // {{< /name >}}
	selfClose  bool   // {{< name />}}
	comment    bool   // {{</* ... */>}}: literal is what it shows
	literal    string // a comment's text as shown
	name       string
	args       []string          // positional arguments
	params     map[string]string // named arguments
	keys       []string          // named arguments' keys in the order written
	err        string            // a malformed tag: what is wrong (start..end is what was read)
}

// scanTags finds every shortcode tag in src, in order. skip reports
// whether a tag starting at an offset is inside code, where it stays text;
// a comment there still shows as the tag it writes, as in Hugo. Scanning
// is linear: after a malformed tag it goes on from where reading stopped.
func scanTags(src []byte, skip func(off int) bool) []scTag {
	var tags []scTag
	for i := 0; i+3 < len(src); {
		j := bytes.Index(src[i:], []byte("{{"))
		if j < 0 {
			break
		}
		at := i + j
		if at+2 >= len(src) || src[at+2] != '<' && src[at+2] != '%' {
			i = at + 1
			continue
		}
		if skip != nil && skip(at) {
			// Inside code only a comment is read: it shows as the tag it writes.
			if q := skipSpace(src, at+3); !bytes.HasPrefix(src[q:], []byte("/*")) {
				i = at + 3
				continue
			}
		}
		t := readTag(src, at)
		tags = append(tags, t)
		i = max(t.end, at+3)
	}
	return tags
}

// readTag reads the tag that starts at src[at:] ("{{<" or "{{%").
func readTag(src []byte, at int) scTag {
	delim := src[at+2]
	t := scTag{start: at, markdown: delim == '%'}
	closer, other := []byte(">}}"), []byte("%}}")
	if t.markdown {
		closer, other = other, closer
	}
	p := at + 3
	fail := func(end int, format string, a ...any) scTag {
		t.end, t.err = end, fmt.Sprintf(format, a...)
		return t
	}
	open := string(src[at : at+3])
	// A comment: {{</* ... */>}}.
	q := skipSpace(src, p)
	if bytes.HasPrefix(src[q:], []byte("/*")) {
		for s := q + 2; ; {
			e := bytes.Index(src[s:], []byte("*/"))
			if e < 0 {
				break
			}
			e += s
			r := skipSpace(src, e+2)
			if bytes.HasPrefix(src[r:], closer) {
				t.comment = true
				t.end = r + 3
				t.literal = open + string(src[q+2:e]) + string(closer)
				return t
			}
			s = e + 2
		}
		return fail(len(src), "the comment %s/* is never closed with */%s", open, closer)
	}
	p = q
	if p < len(src) && src[p] == '/' {
		t.closing = true
		p = skipSpace(src, p+1)
	}
	n := p
	for n < len(src) && isNameByte(src[n]) {
		n++
	}
	if n == p {
		return fail(p, "%s with no shortcode name", open)
	}
	t.name = string(src[p:n])
	p = n
	for {
		p = skipSpace(src, p)
		switch {
		case p >= len(src):
			return fail(p, "%s %s is never closed with %s", open, t.name, closer)
		case bytes.HasPrefix(src[p:], closer):
			t.end = p + 3
			return t
		case src[p] == '/' && bytes.HasPrefix(src[p+1:], closer):
			if t.closing {
				return fail(p+4, "%s /%s: a closing tag cannot also close itself", open, t.name)
			}
			t.selfClose = true
			t.end = p + 4
			return t
		case bytes.HasPrefix(src[p:], other) || src[p] == '/' && bytes.HasPrefix(src[p+1:], other):
			return fail(p+bytes.Index(src[p:], []byte("}}"))+2, "%s %s is closed with %s: close it with %s", open, t.name, other, closer)
		case t.closing:
			return fail(p, "%s /%s: a closing tag takes no arguments", open, t.name)
		}
		// An argument: a value, or key=value.
		v, next, quoted, err := readValue(src, p, closer)
		if err != "" {
			return fail(next, "%s %s: %s", open, t.name, err)
		}
		r := skipSpace(src, next)
		if !quoted && r < len(src) && src[r] == '=' {
			key := v
			r = skipSpace(src, r+1)
			if r >= len(src) {
				return fail(r, "%s %s is never closed with %s", open, t.name, closer)
			}
			v, next, _, err = readValue(src, r, closer)
			if err != "" {
				return fail(next, "%s %s: %s", open, t.name, err)
			}
			if len(t.args) > 0 {
				return fail(next, "%s %s: named argument %s after positional ones: use one kind or the other", open, t.name, key)
			}
			if t.params == nil {
				t.params = map[string]string{}
			}
			if _, dup := t.params[key]; !dup {
				t.keys = append(t.keys, key)
			}
			t.params[key] = v // given twice, the last counts, as in Hugo
		} else {
			if len(t.params) > 0 {
				return fail(next, "%s %s: a positional argument after named ones: use one kind or the other", open, t.name)
			}
			t.args = append(t.args, v)
		}
		p = next
	}
}

// readValue reads an argument at src[p:]: "double quoted" (with \" and \\
// escapes), `raw`, or a bare word, which ends at a space, "=", or the
// tag's end. It returns the value and where reading stopped.
func readValue(src []byte, p int, closer []byte) (v string, next int, quoted bool, err string) {
	switch src[p] {
	case '"':
		var b strings.Builder
		for i := p + 1; i < len(src); i++ {
			switch c := src[i]; c {
			case '\\':
				if i+1 < len(src) && (src[i+1] == '"' || src[i+1] == '\\') {
					b.WriteByte(src[i+1])
					i++
					continue
				}
				b.WriteByte(c)
			case '"':
				return b.String(), i + 1, true, ""
			default:
				b.WriteByte(c)
			}
		}
		return "", len(src), true, "a quoted argument is never closed with \""
	case '`':
		end := bytes.IndexByte(src[p+1:], '`')
		if end < 0 {
			return "", len(src), true, "a raw argument is never closed with `"
		}
		return string(src[p+1 : p+1+end]), p + 2 + end, true, ""
	case '=':
		return "", p + 1, false, "\"=\" with no name before it"
	}
	i := p
	for i < len(src) {
		c := src[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '=' || c == '"' || c == '`' ||
			bytes.HasPrefix(src[i:], closer) || c == '/' && bytes.HasPrefix(src[i+1:], closer) {
			break
		}
		i++
	}
	return string(src[p:i]), i, false, ""
}

func skipSpace(src []byte, p int) int {
	for p < len(src) && (src[p] == ' ' || src[p] == '\t' || src[p] == '\n' || src[p] == '\r') {
		p++
	}
	return p
}

// isNameByte: a shortcode's name is letters, digits, "_", "-", "." and
// "/" (a template in a sub-folder of templates/shortcodes/).
func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.' || c == '/' || c >= 0x80
}

// scNode is a shortcode call as the page holds it: an opening tag and, for
// a pair, the matching closing tag (nil for one standing alone).
type scNode struct {
	open  *scTag
	close *scTag
}

// inner is the source between a pair's tags.
func (n scNode) inner(src []byte) []byte {
	if n.close == nil {
		return nil
	}
	return src[n.open.end:n.close.start]
}

// end is where the call ends in the source.
func (n scNode) end() int {
	if n.close != nil {
		return n.close.end
	}
	return n.open.end
}

// pairTags matches opening and closing tags and returns the calls at the
// top level, in order (tags inside a pair are left for its inner content,
// which is read again), and the closing tags that close nothing, which
// are among the calls too (as nodes of their own, to be left out). A closing
// tag closes the nearest open tag of its name; open tags above it stand
// alone. Each tag is pushed and popped at most once, so pairing is linear.
func pairTags(tags []scTag) (top []scNode, stray []*scTag) {
	type open struct {
		i     int
		close int // index of its closing tag, or -1
	}
	var stack []open
	onStack := map[string]int{}
	closeOf := make([]int, len(tags))
	for i := range closeOf {
		closeOf[i] = -1
	}
	strayClose := map[int]bool{}
	for i := range tags {
		t := &tags[i]
		switch {
		case t.comment || t.err != "" || t.selfClose:
		case t.closing:
			if onStack[t.name] == 0 {
				strayClose[i] = true
				continue
			}
			for {
				o := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[tags[o.i].name]--
				if tags[o.i].name == t.name {
					closeOf[o.i] = i
					break
				}
			}
		default:
			stack = append(stack, open{i: i, close: -1})
			onStack[t.name]++
		}
	}
	for i := 0; i < len(tags); i++ {
		t := &tags[i]
		if strayClose[i] {
			stray = append(stray, t)
		}
		n := scNode{open: t}
		if c := closeOf[i]; c >= 0 {
			n.close = &tags[c]
			i = c // what is inside is the pair's
		}
		top = append(top, n)
	}
	return top, stray
}
