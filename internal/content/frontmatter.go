package content

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"
)

// rawFrontMatter captures the text between the delimiters; decoding is ours,
// so that every key and value keeps its line number for error messages.
type rawFrontMatter struct {
	text   []byte
	format string // "yaml" or "toml"
}

var (
	yamlFormat = frontmatter.NewFormat("---", "---", func(data []byte, v any) error {
		r := v.(*rawFrontMatter)
		r.text, r.format = append([]byte(nil), data...), "yaml"
		return nil
	})
	tomlFormat = frontmatter.NewFormat("+++", "+++", func(data []byte, v any) error {
		r := v.(*rawFrontMatter)
		r.text, r.format = append([]byte(nil), data...), "toml"
		return nil
	})
)

// Split separates front matter from the body, by adrg/frontmatter's rules
// (the delimiters Hugo and Jekyll write). It returns the front matter's
// text and format ("" when the file has none), the body, and the 1-based
// line on which the body starts. Front matter that does not close leaves
// the whole file as body (LoadFile then says what is missing).
func Split(src []byte) (fm []byte, format string, body []byte, bodyLine int) {
	var raw rawFrontMatter
	head := &headReader{src: src, raw: &raw}
	// The parser reads through a bufio.Reader, and uses the one it is
	// given rather than making one: 4 KB a page, otherwise.
	br := bufReaders.Get().(*bufio.Reader)
	br.Reset(head)
	defer func() { br.Reset(nil); bufReaders.Put(br) }()
	rest, err := frontmatter.Parse(br, &raw, yamlFormat, tomlFormat)
	if err != nil || raw.format == "" {
		return nil, "", src, 1
	}
	// The parser keeps everything it read: rest is what of that follows
	// the front matter.
	off := head.off - len(rest)
	if off < 0 || off > len(src) {
		return nil, "", src, 1
	}
	return raw.text, raw.format, src[off:], 1 + bytes.Count(src[:off], []byte("\n"))
}

// headReader gives the front-matter parser src a little at a time, and
// nothing once the front matter is read. adrg/frontmatter copies all it
// reads and then reads the file to its end, to hand back the body: for a
// page that was a second copy of its text, a tenth of what a build
// allocated (go test -bench Build1k/fresh -memprofile, alloc_space), when
// the body is src's own tail.
type headReader struct {
	src []byte
	off int // how much of src has been read
	raw *rawFrontMatter
}

var bufReaders = sync.Pool{New: func() any { return bufio.NewReader(nil) }}

// headPiece is what one Read gives: about a front matter's length, so
// that little of the body is read and copied beyond it.
const headPiece = 256

func (h *headReader) Read(p []byte) (int, error) {
	if h.raw.format != "" || h.off == len(h.src) {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), headPiece)], h.src[h.off:])
	h.off += n
	return n, nil
}

// field is one front-matter key with its value as a YAML node; TOML is turned
// into the same shape so one decoder serves both.
type field struct {
	key  string
	line int
	val  *yaml.Node
}

var errLine = regexp.MustCompile(`line (\d+)`)

// parseFields decodes front matter text into its top-level fields. fmLine is
// the file line on which the text starts, used to make line numbers absolute.
func parseFields(text []byte, format string, fmLine int) ([]field, error) {
	switch format {
	case "yaml":
		var doc yaml.Node
		if err := yaml.Unmarshal(text, &doc); err != nil {
			n, msg := yamlErrorLine(text, err)
			hint := " (check indentation, and quote values containing a colon)"
			if strings.Contains(msg, "end of stream") || strings.Contains(msg, "expected ',' or") {
				hint = " (a quote, [ or { opened on this line is not closed)"
			}
			return nil, &lineError{fmLine + n - 1, "front matter is not valid YAML: " + msg + hint}
		}
		if len(doc.Content) == 0 {
			return nil, nil
		}
		root := doc.Content[0]
		if root.Kind != yaml.MappingNode {
			return nil, &lineError{fmLine + root.Line - 1, "front matter must be `key: value` lines, e.g. `title: Flu vaccination 2024`"}
		}
		var fs []field
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			shift(v, fmLine-1)
			fs = append(fs, field{key: k.Value, line: fmLine + k.Line - 1, val: v})
		}
		return fs, nil
	case "toml":
		var m map[string]any
		md, err := toml.Decode(string(text), &m)
		if err != nil {
			line := 0
			var pe toml.ParseError
			if errors.As(err, &pe) {
				line = fmLine + pe.Position.Line - 1
				hint := " (quote text values: title = \"...\")"
				if strings.Contains(pe.Message, "datetime") {
					hint = " (write dates as 2024-01-31)"
				}
				return nil, &lineError{line, "front matter is not valid TOML: " + pe.Message + hint}
			}
			return nil, &lineError{fmLine, "front matter is not valid TOML: " + err.Error()}
		}
		var fs []field
		seen := map[string]bool{}
		for _, k := range md.Keys() {
			// Keys lists an array of tables ([[changes]]) once per element;
			// TOML itself rejects a key given twice.
			if len(k) != 1 || seen[k[0]] {
				continue
			}
			seen[k[0]] = true
			line := fmLine + tomlKeyLine(text, k[0]) - 1
			fs = append(fs, field{key: k[0], line: line, val: tomlNode(m[k[0]], line)})
		}
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].line < fs[j].line })
		return fs, nil
	}
	return nil, nil
}

// yamlErrorLine returns the 1-based line of a YAML error in text, and its
// message. yaml.v3's own line is unreliable (0-based for parser errors, and
// missing or at the end of the text when the problem starts on the first
// line), so the line is the first whose prefix of text fails the same way.
func yamlErrorLine(text []byte, err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := errLine.FindStringSubmatch(msg); m != nil && strings.HasPrefix(msg, m[0]+":") {
		line, _ = strconv.Atoi(m[1])
		msg = strings.TrimSpace(strings.TrimPrefix(msg, m[0]+":"))
	}
	if len(text) > 16<<10 || bytes.Count(text, []byte("\n")) > 200 {
		return max(line, 1), msg
	}
	for i, end := 1, 0; end < len(text); i++ {
		next := bytes.IndexByte(text[end:], '\n')
		if next < 0 {
			end = len(text)
		} else {
			end += next + 1
		}
		var doc yaml.Node
		if e := yaml.Unmarshal(text[:end], &doc); e != nil && strings.HasSuffix(e.Error(), msg) {
			return i, msg
		}
	}
	return max(line, 1), msg
}

type lineError struct {
	line int
	msg  string
}

func (e *lineError) Error() string { return e.msg }

// shift makes a YAML node's line numbers file-relative.
func shift(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shift(c, by)
	}
}

func tomlKeyLine(text []byte, key string) int {
	for i, l := range strings.Split(string(text), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, key) {
			rest := strings.TrimSpace(strings.TrimPrefix(l, key))
			if strings.HasPrefix(rest, "=") {
				return i + 1
			}
		}
		if l == "[["+key+"]]" || l == "["+key+"]" {
			return i + 1
		}
	}
	return 1
}

// tomlNode turns a decoded TOML value into the YAML node shape.
func tomlNode(v any, line int) *yaml.Node {
	switch v := v.(type) {
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Line: line}
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v), Line: line}
	case int64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(v, 10), Line: line}
	case float64:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(v, 'g', -1, 64), Line: line}
	case time.Time:
		s := v.Format(time.RFC3339Nano)
		switch v.Location().String() {
		case "date-local": // BurntSushi/toml's zone names for values without an offset
			s = v.Format("2006-01-02")
		case "datetime-local":
			s = v.Format("2006-01-02T15:04:05.999999999")
		case "time-local":
			s = v.Format("15:04:05")
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: s, Line: line}
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Line: line}
		for _, e := range v {
			n.Content = append(n.Content, tomlNode(e, line))
		}
		return n
	case []map[string]any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Line: line}
		for _, e := range v {
			n.Content = append(n.Content, tomlNode(e, line))
		}
		return n
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode, Line: line}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Line: line}, tomlNode(v[k], line))
		}
		return n
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: fmt.Sprint(v), Line: line}
}

// decoder turns nodes into Go values, recording an error per bad value.
type decoder struct {
	errs  []*lineError
	event *eventDraft // an event's fields, until the front matter is read
}

func (d *decoder) fail(n *yaml.Node, key, format string, args ...any) {
	d.errs = append(d.errs, &lineError{n.Line, key + ": " + fmt.Sprintf(format, args...)})
}

func (d *decoder) failedAt(line int) bool {
	for _, e := range d.errs {
		if e.line == line {
			return true
		}
	}
	return false
}

func (d *decoder) str(n *yaml.Node, key string) string {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, key, "want text, got a %s", kindName(n))
		return ""
	}
	if n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

func (d *decoder) date(n *yaml.Node, key string) time.Time {
	s := d.str(n, key)
	if s == "" {
		return time.Time{}
	}
	t, err := ParseDate(s)
	if err != nil {
		d.fail(n, key, "%v", err)
	}
	return t
}

func (d *decoder) bool(n *yaml.Node, key string) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		b, _ := strconv.ParseBool(strings.ToLower(n.Value))
		return b
	}
	d.fail(n, key, "want true or false, got %q", n.Value)
	return false
}

// strs accepts a list, or a single value as a list of one.
func (d *decoder) strs(n *yaml.Node, key string) []string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" || n.Value == "" {
			return nil
		}
		return []string{n.Value}
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, c := range n.Content {
			if s := d.str(c, key); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	d.fail(n, key, "want a list, e.g. [GDPR, Contracts]")
	return nil
}

// object walks a mapping, calling set for each known key (matched
// whatever its case) and reporting unknown ones: these are lmcpress's own
// structures, so a key it does not know is a mistake.
func (d *decoder) object(n *yaml.Node, key string, known []string, set func(k string, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, key, "want key: value pairs (%s)", strings.Join(known, ", "))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := ""
		for _, c := range known {
			if strings.EqualFold(c, k.Value) { // as Hugo reads keys
				name = c
			}
		}
		if name == "" {
			d.fail(k, key, "unknown key %q: %s", k.Value, didYouMean(k.Value, known))
			continue
		}
		set(name, v)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "set of keys"
	}
	return "value"
}

// allowComments finds the `# lmcpress:allow RULE ...` comments of front
// matter (YAML and TOML comments both start with #) and returns, by file
// line, the words after "lmcpress:allow". fmLine is the file line on which
// text starts. A # inside a quoted value is taken for a comment too: the
// marker is for the person who wrote the line, who knows what it says.
func allowComments(text []byte, fmLine int) map[int]string {
	const word = "lmcpress:allow"
	if !bytes.Contains(text, []byte(word)) {
		return nil
	}
	var out map[int]string
	for i, l := range bytes.Split(text, []byte("\n")) {
		at := bytes.Index(l, []byte(word))
		if at < 0 {
			continue
		}
		hash := bytes.LastIndexByte(l[:at], '#')
		if hash < 0 || len(bytes.TrimSpace(l[hash+1:at])) > 0 {
			continue
		}
		if out == nil {
			out = map[int]string{}
		}
		out[fmLine+i] = strings.TrimSpace(string(l[at+len(word):]))
	}
	return out
}
