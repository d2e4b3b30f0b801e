package content

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Front matter written for Hugo or Jekyll carries keys lmcpress has no use
// for (a theme's `weight`, `layout`, `params`), and keys that mean what one
// of lmcpress's own does under another name (`tags`, `permalink`,
// `published`). A site moved across must build as it is, so:
//
//   - lmcpress's own keys ([Fields]) and the other tools' names for them
//     ([mappedKeys]) are read, matched without regard to case as Hugo
//     matches them (`Summary`, `expirydate`, `PublishDate`);
//   - a key that looks like a typo of one of those ([typoOf]) is an error
//     with the suggestion: a mistyped `draft` or `publishDate` would
//     publish what was meant to stay hidden;
//   - every other key, the documented keys of Hugo and Jekyll
//     ([otherToolKeys]) and a theme's own alike, is accepted, kept in
//     [Page.Unused], and reported once a run, as a count by key
//     ([UnusedNotes]); `strictFrontMatter: true` in site.yaml makes them
//     errors again.

// mapped says where another tool's key goes.
type mapped struct {
	to string // the Fields key it sets, e.g. "publishDate"
	// alt marks another spelling of a date or text key (Hugo's
	// `pubdate`, Jekyll's `last_modified_at`): when the file has
	// lmcpress's own spelling as well, the own one wins, as Hugo's
	// front-matter date order has it.
	alt bool
}

// mappedKeys are other tools' keys with a meaning in lmcpress, by their
// lower-case name. Taxonomy keys (tags, categories, category) are not
// here: which of them feed topics is site.yaml's frontMatter: topics:.
var mappedKeys = map[string]mapped{
	// Hugo's aliases of its dates (its front-matter configuration's
	// defaults) and Jekyll plugins' (jekyll-seo-tag, jekyll-sitemap).
	"pubdate":          {to: "publishDate", alt: true},
	"unpublishdate":    {to: "expiryDate", alt: true},
	"modified":         {to: "lastmod", alt: true},
	"last_modified_at": {to: "lastmod", alt: true},
	// Jekyll's own excerpt, given in front matter.
	"excerpt": {to: "summary", alt: true},
	// Jekyll's `published: false` is a draft; in Hugo `published` is
	// another spelling of publishDate. The value tells them apart.
	"published": {to: "published"},
	// Hugo's url, Jekyll's permalink and jekyll-redirect-from's
	// redirect_from: the address the page had, kept as an alias.
	"url":           {to: "aliases"},
	"permalink":     {to: "aliases"},
	"redirect_from": {to: "aliases"},
	// Kept on the page for themes that show them.
	"author":  {to: "authors"},
	"authors": {to: "authors"},
	// Hugo's headless bundle, and build: {render: never}: content for
	// other pages (an include), never a page of its own.
	"headless": {to: "headless"},
	"build":    {to: "headless"},
	// A section's cascade: of build: {render: never}, as Hugo's docs keep
	// their snippets (content/_common/): every page below is headless.
	"cascade": {to: "cascade"},
}

// DefaultTopicKeys are the keys whose terms become topics unless site.yaml
// says otherwise (frontMatter: topics:): Hugo's and Jekyll's taxonomies,
// and the singular `tag` Eleventy sites write beside `tags`.
var DefaultTopicKeys = []string{"tags", "tag", "categories", "category"}

// otherToolKeys are the documented front-matter keys of Hugo and Jekyll
// (and the plugins every Jekyll site has) that lmcpress has no use for.
// They are accepted and reported as unused, and are never taken for a
// typo of one of lmcpress's keys, however close (`type`, `params`).
var otherToolKeys = map[string]bool{
	// Hugo: content-management/front-matter and its older pages.
	"audio": true, "images": true,
	"iscjklanguage": true, "keywords": true, "layout": true, "linktitle": true,
	"markup": true, "menu": true, "menus": true, "outputs": true, "params": true,
	"resources": true, "series": true, "sitemap": true, "translationkey": true,
	"type": true, "videos": true, "weight": true, "lang": true, "toc": true,
	"comments": true, "tags": true, "tag": true, "categories": true, "category": true,
	// Jekyll: front matter, posts, and the common plugins.
	"excerpt_separator": true, "redirect_to": true, "image": true,
	"render_with_liquid": true, "seo": true, "hidden": true, "pin": true,
	"share": true, "header": true, "mathjax": true, "math": true,
}

// ownKeys are Fields by lower-case name.
var ownKeys = func() map[string]string {
	m := make(map[string]string, len(Fields))
	for _, f := range Fields {
		m[strings.ToLower(f)] = f
	}
	return m
}()

// typoOf returns the key of lmcpress's own, or the other tools' name for
// one, that key (lower case) is plausibly a typo of, or "". Plausible
// means: not a key Hugo or Jekyll documents; the same first letter; and
// either one edit (a letter missing, extra, wrong, or two swapped) from a
// key of up to six letters, two from a longer one, or a date's key without
// its last word (`expiry`, `publish`, `review`). So `darft`, `sumary`,
// `publishdat`, `alias`, `topic` and `reviewdate` are typos, and `name`,
// `params`, `cover` and `dateEnd` are not.
func typoOf(key string) string {
	if otherToolKeys[key] || len(key) < 3 {
		return ""
	}
	if t, ok := typos.Load(key); ok {
		return t.(string)
	}
	t := findTypo(key)
	if typosKept.Add(1) <= maxTypos {
		typos.Store(key, t)
	}
	return t
}

// typos remembers typoOf's answers, for up to maxTypos keys (a file of
// random keys must not fill memory): a moved site has the same few theme
// keys in every file, and the answer never changes. BenchmarkTypoOf,
// eight keys of a Hugo theme: 6 to 14 µs uncached, 0.6 to 0.9 µs cached
// (go test ./internal/content -run X -bench TypoOf -count 5, on a shared
// 2-core machine, so noisy), against 50 to 250 µs for the whole page's
// parse (BenchmarkParseMoved).
var (
	typos     sync.Map
	typosKept atomic.Int64
)

const maxTypos = 4096

func findTypo(key string) string {
	best, bestD := "", 1<<30
	consider := func(k, name string) {
		if k[0] != key[0] {
			return
		}
		limit := 1
		if len(k) > 6 {
			limit = 2
		}
		d := Distance(key, k, limit+1)
		if d == 2 && transposed(key, k) {
			d = 1
		}
		if rest, ok := strings.CutPrefix(k, key); ok && d > limit && len(key) >= 5 && (rest == "date" || rest == "due") {
			d = limit // a date's key without its last word: `expiry`, `publish`, `review`
		}
		if d <= limit && d < bestD {
			best, bestD = name, d
		}
	}
	for k, name := range ownKeys {
		consider(k, name)
	}
	for k := range mappedKeys {
		consider(k, k)
	}
	return best
}

// transposed reports whether a and b differ by one swap of two
// neighbouring letters ("darft", "draft").
func transposed(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
}

// UnusedKey is a front-matter key lmcpress did not use, as written.
type UnusedKey struct {
	Key  string
	Line int
}

// UnusedNotes sums up, for the whole site, what its front matter says that
// lmcpress does not use, or does not say: one line for the pages named
// without a title:, one for the keys (`weight` in 56 files), one for the
// terms of tags and categories left out because site.yaml's topics do not
// list them. Nil when there is nothing to say. Build and
// check print these once a run, never a line a file: a site moved from
// Hugo has a theme's keys in every file.
func UnusedNotes(pages []*Page) []string {
	keys, terms := map[string]int{}, map[string]int{}
	spellings := map[string]map[string]int{} // by lower-case key: how often each spelling
	var untitled []string
	for _, p := range pages {
		seen := map[string]bool{}
		for _, u := range p.Unused {
			k := strings.ToLower(u.Key)
			if spellings[k] == nil {
				spellings[k] = map[string]int{}
			}
			spellings[k][u.Key]++
			if !seen[k] {
				seen[k] = true
				keys[k]++
			}
		}
		for _, t := range p.LeftOut {
			terms[t]++
		}
		if p.TitleFrom != "" && !p.Headless && !p.cascadeHeadless {
			untitled = append(untitled, "content/"+p.File) // a headless page's title is never shown
		}
	}
	for k, n := range keys { // each key as most files spell it: `linkTitle`, not `linktitle`
		best := k
		for s, c := range spellings[k] {
			if c > spellings[k][best] || c == spellings[k][best] && s < best {
				best = s
			}
		}
		if best != k {
			delete(keys, k)
			keys[best] = n
		}
	}
	var out []string
	if len(untitled) > 0 {
		sort.Strings(untitled)
		list := strings.Join(untitled[:min(len(untitled), 3)], ", ")
		if len(untitled) > 3 {
			list += fmt.Sprintf(" and %d more", len(untitled)-3)
		}
		out = append(out, fmt.Sprintf("%d %s no title: in the front matter, so named from the first heading or the file name: %s (give each a title:)",
			len(untitled), map[bool]string{true: "page has", false: "pages have"}[len(untitled) == 1], list))
	}
	if len(keys) > 0 {
		out = append(out, "not used by lmcpress: "+counted(keys, "key")+
			" (accepted; strictFrontMatter: true in content/site.yaml makes them errors)")
	}
	if len(terms) > 0 {
		out = append(out, "tags and categories left out, not among content/site.yaml's topics: "+counted(terms, "term")+
			" (add the ones readers should find under Topics to topics: in content/site.yaml)")
	}
	return out
}

// counted lists names by how many files have them, most first, up to ten:
// "`weight` in 56 files, `listpages` in 4 files and 3 more keys".
func counted(n map[string]int, what string) string {
	names := make([]string, 0, len(n))
	for k := range n {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if n[names[i]] != n[names[j]] {
			return n[names[i]] > n[names[j]]
		}
		return names[i] < names[j]
	})
	const show = 10
	parts := make([]string, 0, show)
	for i, k := range names {
		if i == show {
			break
		}
		files := "1 file"
		if n[k] != 1 {
			files = fmt.Sprintf("%d files", n[k])
		}
		parts = append(parts, fmt.Sprintf("`%s` in %s", k, files))
	}
	s := strings.Join(parts, ", ")
	if more := len(names) - show; more == 1 {
		s += " and 1 more " + what
	} else if more > 1 {
		s += fmt.Sprintf(" and %d more %ss", more, what)
	}
	return s
}

// reading is what one file's front matter gathers for [Page.finish]: the
// values that depend on the other keys, whatever their order.
type reading struct {
	strict      bool
	split       bool            // YAML: Jekyll's `categories: jekyll update` is two terms
	topicKeys   map[string]bool // lower-case keys whose terms become topics
	known       map[string]bool // slugs of site.yaml's topics; nil when it lists none
	later       []pending       // other spellings, read unless the own key is given
	terms       []string        // from topicKeys
	addrs       []oldAddress    // from url, permalink, redirect_from
	unpublished bool            // Jekyll's published: false
}

type pending struct {
	f   field
	key string // the Fields key it sets
}

type oldAddress struct {
	path string
	n    *yaml.Node
	key  string // as written
}

func newReading(cfg *Config, format string) *reading {
	r := &reading{split: format == "yaml", topicKeys: map[string]bool{}}
	keys := DefaultTopicKeys
	if cfg != nil {
		r.strict = cfg.StrictFrontMatter
		if cfg.FrontMatter.Topics != nil {
			keys = cfg.FrontMatter.Topics
		}
		if len(cfg.Topics) > 0 {
			r.known = make(map[string]bool, len(cfg.Topics))
			for _, t := range cfg.Topics {
				r.known[Slugify(t.Name)] = true
			}
		}
	}
	for _, k := range keys {
		r.topicKeys[strings.ToLower(k)] = true
	}
	return r
}

// read takes one top-level key, lk being its lower-case name: one of
// lmcpress's own, another tool's name for one, or a key it does not use.
func (p *Page) read(d *decoder, r *reading, f field, lk string) {
	if key, ok := ownKeys[lk]; ok {
		p.Lines[key] = f.line
		p.set(d, f, key)
		return
	}
	if r.topicKeys[lk] {
		p.lineOf("topics", f.line)
		r.terms = append(r.terms, d.taxonomy(f.val, f.key, r.split && lk != "category" && lk != "tag")...)
		return
	}
	m, ok := mappedKeys[lk]
	switch {
	case !ok:
		switch t := typoOf(lk); {
		case r.strict:
			d.errs = append(d.errs, &lineError{f.line, fmt.Sprintf("unknown key %q: %s (content/site.yaml has strictFrontMatter: true: only lmcpress's keys are allowed)", f.key, didYouMean(f.key, Fields))})
		case t != "":
			d.errs = append(d.errs, &lineError{f.line, fmt.Sprintf("unknown key %q: did you mean %q?", f.key, t)})
		default:
			p.Unused = append(p.Unused, UnusedKey{Key: f.key, Line: f.line})
		}
	case m.alt:
		r.later = append(r.later, pending{f, m.to})
	case m.to == "published":
		if v := f.val; v.Kind == yaml.ScalarNode && v.Tag == "!!bool" {
			if !d.bool(v, f.key) {
				r.unpublished = true
				p.lineOf("draft", f.line)
			}
			return
		}
		r.later = append(r.later, pending{f, "publishDate"}) // Hugo's spelling of it
	case m.to == "aliases" && f.val.Kind == yaml.ScalarNode && f.val.Tag == "!!bool":
		// Eleventy's permalink: false: no page of its own, as headless.
		if !d.bool(f.val, f.key) && p.Kind == KindPage {
			p.headless, p.Headless = true, true
		}
	case m.to == "aliases":
		p.lineOf("aliases", f.line)
		as := d.strs(f.val, f.key)
		for i, a := range as {
			at := f.val
			if at.Kind == yaml.SequenceNode && len(at.Content) == len(as) {
				at = at.Content[i]
			}
			if a = strings.TrimSpace(a); a != "" && !strings.HasPrefix(a, "/") && !strings.Contains(a, "://") {
				a = "/" + a // both tools read it from the site's root
			}
			r.addrs = append(r.addrs, oldAddress{a, at, f.key})
		}
	case m.to == "cascade":
		if p.Kind != KindSection || !cascadesHeadless(f.val) {
			p.Unused = append(p.Unused, UnusedKey{Key: f.key, Line: f.line}) // what else it passes down is a theme's
			return
		}
		p.cascadeHeadless = true
	case m.to == "headless":
		if p.Kind != KindPage {
			p.Unused = append(p.Unused, UnusedKey{Key: f.key, Line: f.line}) // a listing is always published
			return
		}
		if lk == "headless" {
			p.headless = p.headless || d.bool(f.val, f.key)
			p.Headless = p.headless
			return
		}
		if f.val.Kind != yaml.MappingNode {
			d.fail(f.val, f.key, "want Hugo's build options, e.g. build: {render: never}")
			return
		}
		p.headless = p.headless || neverRendered(f.val)
		p.Headless = p.headless
	case m.to == "authors":
		for _, a := range authors(f.val) {
			if a != "" && !slices.Contains(p.Authors, a) {
				p.Authors = append(p.Authors, a)
			}
		}
	}
}

// lineOf records the line of a key given under another tool's name,
// unless the file gives the key itself.
func (p *Page) lineOf(key string, line int) {
	if p.Lines[key] == 0 {
		p.Lines[key] = line
	}
}

// finish applies what depends on the whole front matter: other spellings
// of a key the file does not give itself, Jekyll's published: false, the
// terms of tags and categories, and old addresses other than the page's.
func (p *Page) finish(d *decoder, r *reading) {
	for _, pf := range r.later {
		if p.Lines[pf.key] == 0 {
			p.Lines[pf.key] = pf.f.line
			p.set(d, pf.f, pf.key)
		}
	}
	if r.unpublished {
		p.Draft = true // whatever draft: says: hidden is the safe reading
	}
	if len(r.terms) > 0 {
		have := map[string]bool{}
		for _, t := range p.Topics {
			have[Slugify(t)] = true
		}
		for _, t := range r.terms {
			s := Slugify(t)
			if s == "" || have[s] {
				continue
			}
			have[s] = true
			if r.known != nil && !r.known[s] {
				p.LeftOut = append(p.LeftOut, t)
				continue
			}
			p.Topics = append(p.Topics, t)
		}
		if len(p.Topics) > MaxTerms {
			d.errs = append(d.errs, &lineError{p.Lines["topics"], fmt.Sprintf("topics: %d with those of tags and categories; a page may have at most %d: keep the few a reader would look under, or list the site's topics in content/site.yaml", len(p.Topics), MaxTerms)})
			p.Topics = nil
		}
	}
	own := strings.TrimSuffix(p.URL(), "/")
	for _, a := range r.addrs {
		switch {
		case a.path == "" || strings.EqualFold(strings.TrimSuffix(a.path, "/"), own):
			continue // the page's own address: nothing to redirect
		case strings.Contains(a.path, "/:"):
			d.fail(a.n, a.key, "%q is a pattern (:title, :year): lmcpress keeps an old address as a redirect to the page, so write the address the page had, e.g. /2016/03/03/my-post.html, or remove the key", a.path)
			continue
		}
		if msg := CheckAlias(a.path); msg != "" {
			d.fail(a.n, a.key, "%s", msg)
			continue
		}
		if !slices.ContainsFunc(p.Aliases, func(b string) bool { return strings.EqualFold(a.path, b) }) {
			p.Aliases = append(p.Aliases, a.path) // once, in its first spelling: both redirect here
		}
	}
	// An alias that is the page's own address redirects nowhere: Hugo
	// sites list the address a moved page now has among its aliases. (In
	// other case it is an error: a server that ignores case would serve
	// the redirect instead of the page.)
	p.Aliases = slices.DeleteFunc(p.Aliases, func(a string) bool { return strings.TrimSuffix(a, "/") == own })
	if len(p.Aliases) > MaxAliases {
		d.errs = append(d.errs, &lineError{p.Lines["aliases"], fmt.Sprintf("aliases: %d with url, permalink and redirect_from; a page may have at most %d: keep the addresses people still use", len(p.Aliases), MaxAliases)})
		p.Aliases = nil
	}
}

// taxonomy decodes tags or categories: a list, or one text value, which
// with split is several terms separated by spaces, as Jekyll reads it
// (`categories: jekyll update`). TOML front matter is Hugo's, which reads
// one value as one term.
func (d *decoder) taxonomy(n *yaml.Node, key string, split bool) []string {
	ts := d.strs(n, key)
	if split && n.Kind == yaml.ScalarNode && len(ts) == 1 {
		ts = strings.Fields(ts[0])
	}
	out := ts[:0]
	for _, t := range ts {
		t = strings.TrimSpace(t)
		if msg := checkSlug(Slugify(t)); msg != "" {
			d.fail(n, key, "%q %s", t, msg)
			continue
		}
		out = append(out, t)
	}
	return out
}

// authors reads `author` or `authors` in the shapes themes use: a name,
// a list of names, a {name: ...} or a list of those. Anything else is a
// theme's business and left alone.
func authors(n *yaml.Node) []string {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		return []string{strings.TrimSpace(n.Value)}
	case yaml.SequenceNode:
		var out []string
		for _, c := range n.Content {
			out = append(out, authors(c)...)
		}
		return out
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if strings.EqualFold(n.Content[i].Value, "name") && n.Content[i+1].Kind == yaml.ScalarNode {
				return []string{strings.TrimSpace(n.Content[i+1].Value)}
			}
		}
	}
	return nil
}

// untitled names a page whose front matter has no title, as Hugo and
// Jekyll allow: from the body's first line when it is a `# Heading`
// (taken out of the body, so that the page does not show it twice), else
// from the file's name ("rendering-process.md": "Rendering process", a
// Jekyll date before it left out). It reports whether it found a name.
func (p *Page) untitled() bool {
	body, line := p.Body, p.BodyLine
	for len(body) > 0 {
		l, rest, _ := bytes.Cut(body, []byte("\n"))
		t := strings.TrimSpace(string(l))
		if t == "" {
			body, line = rest, line+1
			continue
		}
		if h, ok := strings.CutPrefix(t, "# "); ok {
			if h = strings.TrimSpace(strings.TrimRight(h, "#")); h != "" {
				p.Title, p.TitleFrom = h, "heading"
				p.Body, p.BodyLine = rest, line+1
				return true
			}
		}
		break
	}
	name := strings.TrimSuffix(path.Base(p.File), path.Ext(p.File))
	if name == "index" || name == "_index" {
		name = path.Base(path.Dir(p.File))
	}
	if name == "." || name == "" {
		return false // the home page: its title is the site's, in site.yaml
	}
	if len(name) > 11 && jekyllDate.MatchString(name[:11]) {
		name = name[11:]
	}
	words := strings.Fields(strings.NewReplacer("-", " ", "_", " ").Replace(name))
	if len(words) == 0 {
		return false
	}
	t := strings.Join(words, " ")
	r, n := utf8.DecodeRuneInString(t)
	p.Title, p.TitleFrom = string(unicode.ToUpper(r))+t[n:], "file name"
	return true
}

var jekyllDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}-$`)

// neverRendered reports whether Hugo's build options (a mapping) say
// render: never (or link, or the older false).
func neverRendered(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; strings.EqualFold(k.Value, "render") && v.Kind == yaml.ScalarNode {
			switch strings.ToLower(v.Value) {
			case "never", "link", "false":
				return true
			}
		}
	}
	return false
}

// cascadesHeadless reports whether a cascade: value (a mapping, or a list
// of them) passes down headless: true or build: {render: never}. An entry
// with a _target applies to some pages only, which lmcpress does not
// work out, so it counts for none.
func cascadesHeadless(n *yaml.Node) bool {
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			if cascadesHeadless(c) {
				return true
			}
		}
		return false
	}
	if n.Kind != yaml.MappingNode {
		return false
	}
	found := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := strings.ToLower(n.Content[i].Value), n.Content[i+1]
		switch {
		case k == "_target":
			return false
		case k == "headless" && v.Kind == yaml.ScalarNode && strings.EqualFold(v.Value, "true"):
			found = true
		case k == "build" && v.Kind == yaml.MappingNode && neverRendered(v):
			found = true
		}
	}
	return found
}

// cascade makes every page below a section whose cascade: says so
// headless, and every other page as its own front matter says. Run on
// the whole tree each load (CheckTree), so that a page kept from an
// earlier load (the preview's) follows its section's _index.md.
func cascade(pages []*Page) {
	var dirs []string
	for _, p := range pages {
		if p.Kind == KindSection && p.cascadeHeadless {
			dirs = append(dirs, p.Dir)
		}
	}
	for _, p := range pages {
		if p.Kind != KindPage {
			continue
		}
		p.Headless = p.headless
		for _, d := range dirs {
			if p.Dir == d || strings.HasPrefix(p.Dir, d+"/") {
				p.Headless = true
			}
		}
	}
}
