package render

import (
	"fmt"
	"html/template"
	"io/fs"
	"sort"
	"strings"
)

// ShortcodeDir is where a site's own shortcodes are, inside templates/:
// templates/shortcodes/NAME.html is the shortcode NAME ({{< NAME >}}), and
// templates/shortcodes/a/b.html the shortcode "a/b".
const ShortcodeDir = "shortcodes"

// Shortcodes are a site's own shortcodes, parsed once, each an
// html/template run with a *ShortcodeCall (see README, "Shortcodes").
// Besides the page templates' functions they have markdownify (Markdown
// to HTML, as Hugo's), safeHTML and default.
type Shortcodes struct {
	set   *template.Template
	names map[string]bool
}

// ShortcodeCall is what a site's shortcode template is given: the call's
// arguments and content, and the page it is on. Get reads an argument as
// Hugo's .Get does.
type ShortcodeCall struct {
	Name      string            // the shortcode's name
	Args      []string          // positional arguments: {{< name "a" "b" >}}
	Params    map[string]string // named arguments: {{< name key="v" >}}
	Inner     template.HTML     // the content between the tags, converted as Markdown
	InnerText string            // the same content as written
	Markdown  bool              // called as {{% %}} rather than {{< >}}
	Page      any               // the page (*content.Page: .Page.Title, .Page.URL, .Page.Section, .Page.Date)
	Position  string            // "content/news/x.md:12:3", for messages
}

// Get is positional argument i (an int) or named argument key (a string),
// or "" when there is none, as Hugo's .Get.
func (c *ShortcodeCall) Get(key any) string {
	switch k := key.(type) {
	case int:
		if k >= 0 && k < len(c.Args) {
			return c.Args[k]
		}
	case string:
		return c.Params[k]
	}
	return ""
}

// IsNamedParams reports whether the call has named arguments, as Hugo's.
func (c *ShortcodeCall) IsNamedParams() bool { return len(c.Params) > 0 }

// ParseShortcodes parses every .html file under templates/shortcodes/ in
// fsys (the theme: the site's own files over the default ones).
// markdownify converts Markdown for the templates' markdownify function.
func ParseShortcodes(fsys fs.FS, o Options, markdownify func(string) template.HTML) (*Shortcodes, error) {
	s := &Shortcodes{names: map[string]bool{}}
	var files []string
	err := fs.WalkDir(fsys, ShortcodeDir, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if name == ShortcodeDir {
				return fs.SkipDir // no folder: no shortcodes of the site's own
			}
			return err
		}
		if !d.IsDir() && strings.HasSuffix(name, ".html") && !strings.HasPrefix(d.Name(), ".") {
			files = append(files, name)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("templates/%s: %w", ShortcodeDir, err)
	}
	sort.Strings(files)
	s.set = template.New("").Option("missingkey=error").Funcs(Funcs(o)).Funcs(template.FuncMap{
		"markdownify": func(v any) template.HTML {
			switch v := v.(type) {
			case template.HTML:
				return v // already HTML: .Inner
			case string:
				return markdownify(v)
			}
			return markdownify(fmt.Sprint(v))
		},
		"safeHTML": func(s string) template.HTML { return template.HTML(s) },
		"default": func(def, v any) any {
			if v == nil || v == "" || v == false || v == 0 {
				return def
			}
			return v
		},
		"partialCached": func(string, any, ...any) (template.HTML, error) {
			return "", fmt.Errorf("partialCached is for page templates, not shortcodes")
		},
		"partialCachedEach": func(string, any, ...string) (template.HTML, error) {
			return "", fmt.Errorf("partialCachedEach is for page templates, not shortcodes")
		},
	})
	var errs []string
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, ShortcodeDir+"/"), ".html")
		src, err := fs.ReadFile(fsys, f)
		if err == nil {
			_, err = s.set.New(name).Parse(string(src))
		}
		if err != nil {
			errs = append(errs, fmt.Sprintf("templates/%s: %v (fix the shortcode's template; see README, Shortcodes)", f, err))
			continue
		}
		s.names[name] = true
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return s, nil
}

// Has reports whether the site has a shortcode called name.
func (s *Shortcodes) Has(name string) bool { return s != nil && s.names[name] }

// Execute runs the shortcode c.Name with c.
func (s *Shortcodes) Execute(c *ShortcodeCall) (string, error) {
	var b strings.Builder
	if err := s.set.ExecuteTemplate(&b, c.Name, c); err != nil {
		return "", fmt.Errorf("templates/%s/%s.html: %w", ShortcodeDir, c.Name, err)
	}
	return b.String(), nil
}
