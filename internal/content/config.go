package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ConfigFile is where the site settings live, relative to the content root.
const ConfigFile = "site.yaml"

// Config is content/site.yaml: the settings an LMC edits. Unknown keys are
// errors, as in front matter.
type Config struct {
	Title        string       `yaml:"title"`
	BaseURL      string       `yaml:"baseURL"`
	Language     string       `yaml:"language"`
	Description  string       `yaml:"description"`
	Organisation Organisation `yaml:"organisation"`
	Menu         []MenuItem   `yaml:"menu"`
	Paginate     int          `yaml:"paginate"`
	Feeds        FeedConfig   `yaml:"feeds"`
	AllowRawHTML bool         `yaml:"allowRawHTML"`
	Topics       []Term       `yaml:"topics"`
	Areas        []Term       `yaml:"areas"`
	Newsletter   Newsletter   `yaml:"newsletter"`
	Events       EventsConfig `yaml:"events"`
	// FrontMatter says how pages written for Hugo or Jekyll are read.
	FrontMatter FrontMatterConfig `yaml:"frontMatter"`
	// StrictFrontMatter makes every front-matter key lmcpress does not
	// use an error, as it was before sites moved from other tools were
	// read as they are.
	StrictFrontMatter bool `yaml:"strictFrontMatter"`
	// Permalinks are the address patterns a moved site's sections had,
	// by top folder: `news: /:year/:month/:day/:slug/` gives every page
	// in content/news/ a redirect at its old address, as Hugo's
	// [permalinks] and Jekyll's permalink: made them, so that old links
	// and emails keep working (see permalinks.go).
	Permalinks map[string]Patterns `yaml:"permalinks"`
}

// Patterns are one or more address patterns (see permalinks.go): one is
// written as a string, several as a list (a site whose posts were once
// /:year/:month/:day/:slug.html and later /:year/:month/:day/:slug/).
type Patterns []string

// UnmarshalYAML reads a string or a list of strings.
func (ps *Patterns) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*ps = Patterns{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return fmt.Errorf("line %d: permalinks: want an address pattern or a list of them, e.g. /:year/:month/:day/:slug/", n.Line)
	}
	*ps = list
	return nil
}

// FrontMatterConfig maps other tools' front-matter keys onto lmcpress's.
type FrontMatterConfig struct {
	// Topics are the keys whose terms become the page's topics, merged
	// with its own `topics:`. Absent: DefaultTopicKeys (tags, categories,
	// category); `topics: []` maps none, leaving them unused.
	Topics []string `yaml:"topics"`
}

// EventsConfig says what the events' calendars carry.
type EventsConfig struct {
	// JoinURLs puts online events' joining links in the calendar files
	// (each event's own .ics and the subscribable calendars) and in the
	// newsletter's "Dates for your diary". The page never shows them. Off
	// by default: the calendar files are on the public site, linked from
	// every event page, and a meeting link posted on the web gets
	// gatecrashed; with it off, a calendar says the link goes to those who
	// book.
	JoinURLs bool `yaml:"shareJoinUrls"`
}

// Organisation is the LMC itself, shown in the footer and on contact pages.
type Organisation struct {
	Name          string `yaml:"name"`
	PostalAddress string `yaml:"postalAddress"`
	Phone         string `yaml:"phone"`
	Email         string `yaml:"email"`
}

// MenuItem is one link in the site's main navigation.
type MenuItem struct {
	Label string `yaml:"label"`
	URL   string `yaml:"url"`
}

// FeedConfig says what feeds carry.
type FeedConfig struct {
	// FullContent puts each item's full text in the feed's content as well as
	// the summary in its description. Default true.
	FullContent *bool `yaml:"fullContent"`
	// Limit is the number of items in each feed. Default 20.
	Limit int `yaml:"limit"`
}

// Term is a known topic or area, with a one-line description.
type Term struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

// Newsletter holds the sending identity of the monthly email, and what
// the sign-up form asks.
type Newsletter struct {
	From    string `yaml:"from"`
	ReplyTo string `yaml:"replyTo"`
	Domain  string `yaml:"domain"`
	DKIM    DKIM   `yaml:"dkim"`
	Signup  Signup `yaml:"signup"`
}

// DKIM says where receivers find the public key that checks the
// newsletter's signatures: the TXT record at selector._domainkey.domain.
// The private key is a secret, so it is not here but in LMCPRESS_DKIM_KEY;
// with no selector nothing is signed.
type DKIM struct {
	Selector string `yaml:"selector"`
	// Domain is d= of the signature; empty means the newsletter's domain
	// (newsletter.domain, else the From address's).
	Domain string `yaml:"domain"`
}

// Signup is what the home page's sign-up form asks and says. The server
// that answers the form (lmcpress server) reads the same settings, so the
// words it records as a person's consent are the words the form showed.
type Signup struct {
	// Ask lists the optional questions besides email and name: any of
	// role, practice and areas (areas needs the site's areas:).
	Ask []string `yaml:"ask"`
	// Consent is the statement above the Subscribe button, recorded with
	// every sign-up (with ConsentVersion). Default DefaultConsent.
	Consent string `yaml:"consent"`
}

// DefaultConsent is the sign-up form's statement when site.yaml gives none.
const DefaultConsent = "Get the monthly newsletter by email. We ask you to confirm, and every email has a one-click unsubscribe."

// SignupQuestions are the optional questions newsletter: signup: ask: may name.
var SignupQuestions = []string{"role", "practice", "areas"}

// Asks reports whether the form asks the optional question q (role,
// practice or areas).
func (s Signup) Asks(q string) bool {
	for _, a := range s.Ask {
		if a == q {
			return true
		}
	}
	return false
}

// ConsentVersion names the wording of Consent: the first 12 hex digits of
// its SHA-256, so that a changed wording gets a new version without anyone
// having to remember to number it.
func (s Signup) ConsentVersion() string {
	sum := sha256.Sum256([]byte(s.Consent))
	return "sha256:" + hex.EncodeToString(sum[:6])
}

// FullContent reports whether feeds carry full text (the default).
func (c *Config) FullContent() bool { return c.Feeds.FullContent == nil || *c.Feeds.FullContent }

// LoadConfig reads site.yaml from the content root.
func LoadConfig(fsys fs.FS) (*Config, error) {
	if info, err := fs.Lstat(fsys, ConfigFile); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		if e := checkLink(fsys, "content/", ConfigFile); e != nil {
			return nil, e // the one error about it: Scan leaves it to this
		}
	}
	data, err := fs.ReadFile(fsys, ConfigFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{File: "content/" + ConfigFile, Msg: "missing: create it with at least `title:` and `baseURL:` (see README.md)"}
		}
		return nil, &Error{File: "content/" + ConfigFile, Msg: err.Error(), Err: err}
	}
	return ParseConfig(data)
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
var unknownField = regexp.MustCompile(`field (\S+) not found in type content\.(\w+)`)

// ParseConfig parses the text of site.yaml, fills defaults and checks it.
func ParseConfig(data []byte) (*Config, error) {
	const file = "content/" + ConfigFile
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, configErrors(file, err)
	}
	var errs Errors
	add := func(key, msg string) {
		errs = append(errs, &Error{File: file, Line: keyLine(data, key), Msg: key + ": " + msg})
	}
	if strings.TrimSpace(c.Title) == "" {
		add("title", "missing: give the site a title, e.g. `title: Northfield LMC`")
	}
	if c.BaseURL == "" {
		add("baseURL", "missing: give the public address, e.g. `baseURL: https://www.example-lmc.org.uk/`")
	} else if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		add("baseURL", fmt.Sprintf("%q is not an absolute http(s) address, e.g. https://www.example-lmc.org.uk/", c.BaseURL))
	} else if !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
	if c.Language == "" {
		c.Language = "en-GB"
	}
	if c.Paginate == 0 {
		c.Paginate = 20
	} else if c.Paginate < 1 {
		add("paginate", "must be a positive number of items a page, e.g. 20")
	}
	if c.Feeds.Limit == 0 {
		c.Feeds.Limit = 20
	} else if c.Feeds.Limit < 1 {
		add("feeds", "limit must be a positive number of items, e.g. 20")
	}
	if strings.TrimSpace(c.Newsletter.Signup.Consent) == "" {
		c.Newsletter.Signup.Consent = DefaultConsent
	}
	for _, q := range c.Newsletter.Signup.Ask {
		switch {
		case !slices.Contains(SignupQuestions, q):
			add("newsletter", fmt.Sprintf("signup: ask: %q is not a question the form knows: say any of %s", q, strings.Join(SignupQuestions, ", ")))
		case q == "areas" && len(c.Areas) == 0:
			add("newsletter", "signup: ask: areas needs the site's areas: listed first")
		}
	}
	for i, m := range c.Menu {
		if m.Label == "" || m.URL == "" {
			add("menu", fmt.Sprintf("item %d needs both label and url, e.g. {label: News, url: /news/}", i+1))
		}
	}
	for _, terms := range []struct {
		key  string
		list []Term
	}{{"topics", c.Topics}, {"areas", c.Areas}} {
		key, seen := terms.key, map[string]bool{}
		for _, t := range terms.list {
			if t.Name == "" {
				add(key, "every entry needs a name")
				continue
			}
			if seen[Slugify(t.Name)] {
				add(key, fmt.Sprintf("%q is listed twice", t.Name))
			}
			seen[Slugify(t.Name)] = true
		}
	}
	for _, k := range c.FrontMatter.Topics {
		lk := strings.ToLower(strings.TrimSpace(k))
		_, own := ownKeys[lk]
		_, other := mappedKeys[lk]
		switch {
		case lk == "":
			add("frontMatter", "topics: an empty key: name the keys whose terms become topics, e.g. topics: [tags, categories]")
		case own || other:
			add("frontMatter", fmt.Sprintf("topics: %q already means something else in front matter: name keys such as tags, categories or series", k))
		}
	}
	for _, sec := range sortedKeys(c.Permalinks) {
		if Slugify(sec) != sec {
			add("permalinks", fmt.Sprintf("%q is not a top folder of content/ as addresses name it: write it as %q", sec, Slugify(sec)))
		} else {
			for _, pat := range c.Permalinks[sec] {
				if msg := checkPermalink(pat); msg != "" {
					add("permalinks", sec+": "+msg)
				}
			}
		}
	}
	if d := c.Newsletter.DKIM; d.Domain != "" && d.Selector == "" {
		add("newsletter", "dkim: a domain without a selector: give the selector of the DNS record too, e.g. dkim: {selector: lmc2026, domain: "+d.Domain+"}")
	}
	if len(errs) > 0 {
		return nil, errs.Sorted()
	}
	return &c, nil
}

// configErrors turns yaml.v3's messages into file:line errors with a hint.
func configErrors(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var errs Errors
		for _, m := range te.Errors {
			errs = append(errs, configError(file, m))
		}
		return errs
	}
	return Errors{configError(file, err.Error())}
}

var configKeys = map[string][]string{
	"Config":            {"title", "baseURL", "language", "description", "organisation", "menu", "paginate", "feeds", "allowRawHTML", "topics", "areas", "newsletter", "events", "frontMatter", "strictFrontMatter", "permalinks"},
	"FrontMatterConfig": {"topics"},
	"EventsConfig":      {"shareJoinUrls"},
	"Organisation":      {"name", "postalAddress", "phone", "email"},
	"MenuItem":          {"label", "url"},
	"FeedConfig":        {"fullContent", "limit"},
	"Term":              {"name", "description"},
	"Newsletter":        {"from", "replyTo", "domain", "dkim", "signup"},
	"DKIM":              {"selector", "domain"},
	"Signup":            {"ask", "consent"},
}

func configError(file, msg string) error {
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf("unknown key %q: %s", m[1], didYouMean(m[1], configKeys[m[2]]))
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		msg = strings.ReplaceAll(msg, "!!", "")
		msg += " (check the indentation and quoting on this line)"
	}
	return &Error{File: file, Line: line, Msg: msg}
}

// keyLine finds the line of a top-level key, for errors found after decoding.
func keyLine(data []byte, key string) int {
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, key+":") || strings.HasPrefix(l, key+" =") || strings.HasPrefix(l, key+"=") {
			return i + 1
		}
	}
	return 0
}
