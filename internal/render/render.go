// Package render parses the theme's templates once and executes them.
//
// A theme is a folder of html/template files. base.html is the page shell;
// files whose names start with "_" are partials shared by every page; every
// other file is a page template, executed by its own name, which usually
// calls {{template "base.html" .}} and defines the blocks base.html leaves
// open. Templates run with missingkey=error, so a misspelt field fails the
// build with the template's file and line instead of printing nothing.
//
// Template functions, with an example call each:
//
//	date       {{date .Date}}            → "18 Apr 2018" (the seed's format; UK time)
//	longDate   {{longDate .Date}}        → "18 April 2018"
//	isoDate    {{isoDate .Date}}         → "2018-04-18", for <time datetime>
//	monthYear  {{monthYear .Date}}       → "December 2016"
//	year       {{year .Date}}            → 2018
//	isZero     {{if isZero .ReviewDue}}  → true for a date never set
//	absURL     {{absURL "/news/"}}       → "https://lmc.example.org/news/"
//	hasPrefix  {{if hasPrefix .URL "/news/"}} → true on /news/ and below
//	humanSize  {{humanSize 319488}}      → "319 KB"
//	join       {{join .Names ", "}}      → "GDPR, Contracts"
//	add        {{add .Number 1}}         → the sum of two ints
//	plural     {{plural 3 "item" "items"}} → "3 items"
//	partialCached {{partialCached "header" . .MenuKey}} → the partial's HTML
//	partialCachedEach {{partialCachedEach "item-row" .List}} → each item's HTML, joined
//	                  {{partialCachedEach "topic-link" .Topics ", "}} → joined with ", "
//
// A site's own shortcodes, templates/shortcodes/NAME.html, are parsed by
// ParseShortcodes (or Parse, given Options.Markdownify) and run with a
// *ShortcodeCall; they have these functions too, and markdownify, safeHTML
// and default.
//
// partialCached NAME DATA KEY... runs the template NAME (defined in base.html
// or a "_" file) with DATA the first time it meets NAME with those KEYs in a
// build, and gives the same HTML every later time, as Hugo's function of
// that name does. Parts that are the same on many pages (the header, seen
// from each section; an item's line in every listing it is in) are then
// made once: on a 10,000-page site that is most of the template work. The
// keys must say everything the partial's output depends on; the partial is
// escaped as HTML text, so call it where an element may go.
//
// partialCachedEach NAME LIST [SEP] is {{range LIST}}{{partialCached NAME . KEY}}{{end}}
// where KEY is the element itself: each element's HTML is made once a build
// and the list's is those joined, with SEP (text, escaped) between them. The elements are the keys, so they must
// be comparable and say everything NAME shows: pointers to items (a
// listing's .List), strings or numbers. It is one call for the whole list,
// where range and partialCached made text/template call two functions by
// reflection a row: on the 1,000-page corpus (4,300 rows in listings) the
// rendering went from 728,000 to 663,000 allocations and 96 to 88 ms
// (BenchmarkRenderPages in internal/site).
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London on machines without a zoneinfo database
)

// Templates is a parsed theme.
type Templates struct {
	pages    map[string]*template.Template
	partials *template.Template // runs partialCached's templates
	mu       sync.RWMutex
	cache    map[string]template.HTML // partialCached: name and keys → HTML; under mu
	each     sync.Map                 // partialCachedEach: name → *sync.Map of element → template.HTML
	sc       *Shortcodes              // templates/shortcodes/, when Options.Markdownify is set
}

// Shortcodes are the site's own shortcodes (nil when Options.Markdownify
// was not set, or the theme has none).
func (t *Templates) Shortcodes() *Shortcodes { return t.sc }

// Options are the values template functions need.
type Options struct {
	BaseURL string
	// HumanSize formats a byte count for a download link.
	HumanSize func(int64) string
	// Markdownify, when set, converts Markdown for shortcodes' templates
	// (templates/shortcodes/, see ParseShortcodes), which Parse then
	// parses too.
	Markdownify func(string) template.HTML
}

// Parse reads every .html file at the top of fsys and prepares one template
// set per page template.
func Parse(fsys fs.FS, o Options) (*Templates, error) {
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var shared []string
	var pages []string
	for _, n := range names {
		if n == "base.html" || strings.HasPrefix(n, "_") {
			shared = append(shared, n)
		} else {
			pages = append(pages, n)
		}
	}
	if len(pages) == 0 {
		return nil, fmt.Errorf("templates: no page templates found")
	}
	t := &Templates{pages: map[string]*template.Template{}, cache: map[string]template.HTML{}}
	root := template.New("").Option("missingkey=error").Funcs(Funcs(o)).
		Funcs(template.FuncMap{"partialCached": t.partialCached, "partialCachedEach": t.partialCachedEach})
	for _, n := range shared {
		if err := parseFile(root, fsys, n); err != nil {
			return nil, err
		}
	}
	if t.partials, err = root.Clone(); err != nil {
		return nil, err
	}
	var errs []string
	if o.Markdownify != nil {
		if t.sc, err = ParseShortcodes(fsys, o, o.Markdownify); err != nil {
			errs = append(errs, err.Error())
		}
	}
	for _, n := range pages {
		set, err := root.Clone()
		if err == nil {
			err = parseFile(set, fsys, n)
		}
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		t.pages[n] = set
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return t, nil
}

func parseFile(t *template.Template, fsys fs.FS, name string) error {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("templates/%s: %w", name, err)
	}
	if _, err := t.New(name).Parse(string(src)); err != nil {
		return fmt.Errorf("templates/%s: %w (fix the template; see the function list in internal/render's documentation)", name, err)
	}
	return nil
}

// Execute runs the page template name with data.
func (t *Templates) Execute(w io.Writer, name string, data any) error {
	set, ok := t.pages[name]
	if !ok {
		return fmt.Errorf("templates/%s: missing: the theme needs this page template", name)
	}
	if err := set.ExecuteTemplate(w, name, data); err != nil {
		return fmt.Errorf("%w", err)
	}
	return nil
}

// Forget drops what partialCached has kept: the site calls it before each
// build, since what a partial shows may have changed. It must not run
// while pages of the previous build are still being executed, or they could
// keep a part made from that build's data for the next (a site.Builder runs
// one build at a time).
func (t *Templates) Forget() {
	t.mu.Lock()
	clear(t.cache)
	t.mu.Unlock()
	t.each.Clear()
}

func (t *Templates) partialCached(name string, data any, keys ...any) (template.HTML, error) {
	// The key is built on the stack and looked up without being made a
	// string, so a hit (every page's header and footer) allocates nothing
	// here: a strings.Builder and a sync.Map took 3 allocations a call.
	var buf [128]byte
	k := append(buf[:0], name...)
	for _, key := range keys {
		k = append(k, 0)
		switch key := key.(type) {
		case string:
			k = append(k, key...)
		case bool:
			k = strconv.AppendBool(k, key)
		case int:
			k = strconv.AppendInt(k, int64(key), 10)
		default:
			k = fmt.Append(k, key)
		}
	}
	t.mu.RLock()
	h, ok := t.cache[string(k)]
	t.mu.RUnlock()
	if ok {
		return h, nil
	}
	if t.partials.Lookup(name) == nil {
		return "", fmt.Errorf("partialCached: no template %q (define it in base.html or a templates/_*.html file)", name)
	}
	var b strings.Builder
	if err := t.partials.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if h, ok := t.cache[string(k)]; ok {
		return h, nil // made meanwhile by another page: keep one
	}
	h = template.HTML(b.String())
	t.cache[string(k)] = h
	return h, nil
}

func (t *Templates) partialCachedEach(name string, list any, sep ...string) (template.HTML, error) {
	if len(sep) > 1 {
		return "", fmt.Errorf("partialCachedEach: give it a template, a list and at most one separator, not %d", len(sep))
	}
	v := reflect.ValueOf(list)
	if !v.IsValid() {
		return "", nil // a nil list, as range shows it
	}
	if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
		return "", fmt.Errorf("partialCachedEach: %s is not a list (give it a listing, such as .List)", v.Type())
	}
	if v.Len() == 0 {
		return "", nil
	}
	if t.partials.Lookup(name) == nil {
		return "", fmt.Errorf("partialCachedEach: no template %q (define it in base.html or a templates/_*.html file)", name)
	}
	m, ok := t.each.Load(name)
	if !ok {
		m, _ = t.each.LoadOrStore(name, new(sync.Map))
	}
	made := m.(*sync.Map)
	parts := make([]string, v.Len())
	size := 0
	var miss bytes.Buffer
	for i := range parts {
		e := v.Index(i)
		if !e.Comparable() {
			return "", fmt.Errorf("partialCachedEach: a %s cannot be a key (give it a list of pages, strings or numbers)", e.Type())
		}
		key := e.Interface()
		h, ok := made.Load(key)
		if !ok {
			// One buffer for the list's new rows, each kept as a string
			// of its own size: a strings.Builder a row grew 6 times.
			miss.Reset()
			if err := t.partials.ExecuteTemplate(&miss, name, key); err != nil {
				return "", err
			}
			h, _ = made.LoadOrStore(key, miss.String())
		}
		parts[i] = h.(string)
		size += len(parts[i])
	}
	between := ""
	if len(sep) == 1 {
		between = template.HTMLEscapeString(sep[0])
	}
	var b strings.Builder
	b.Grow(size + len(between)*(len(parts)-1))
	for i, p := range parts {
		if i > 0 {
			b.WriteString(between)
		}
		b.WriteString(p)
	}
	return template.HTML(b.String()), nil
}

// ExecuteBytes is Execute into a new buffer.
func (t *Templates) ExecuteBytes(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, name, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// london is the zone every date is shown in: the LMC's readers are in the UK,
// and a page published at 23:30 UTC in summer is dated the next day there.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err) // cannot happen: time/tzdata is embedded
	}
	return loc
}()

// Funcs is the function map; see the package documentation.
func Funcs(o Options) template.FuncMap {
	base := strings.TrimSuffix(o.BaseURL, "/")
	hs := o.HumanSize
	if hs == nil {
		hs = func(n int64) string { return fmt.Sprintf("%d bytes", n) }
	}
	return template.FuncMap{
		"date":      func(t time.Time) string { return t.In(london).Format("2 Jan 2006") },
		"longDate":  func(t time.Time) string { return t.In(london).Format("2 January 2006") },
		"isoDate":   func(t time.Time) string { return t.In(london).Format("2006-01-02") },
		"monthYear": func(t time.Time) string { return t.In(london).Format("January 2006") },
		"year":      func(t time.Time) int { return t.In(london).Year() },
		"isZero":    func(t time.Time) bool { return t.IsZero() },
		"absURL": func(s string) string {
			if strings.Contains(s, "://") {
				return s
			}
			return base + "/" + strings.TrimPrefix(path.Clean("/"+s)+trailing(s), "/")
		},
		"hasPrefix": strings.HasPrefix,
		"humanSize": hs,
		"join":      strings.Join,
		"add":       func(a, b int) int { return a + b },
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return fmt.Sprintf("%d %s", n, one)
			}
			return fmt.Sprintf("%d %s", n, many)
		},
	}
}

func trailing(s string) string {
	if strings.HasSuffix(s, "/") && s != "/" {
		return "/"
	}
	return ""
}
