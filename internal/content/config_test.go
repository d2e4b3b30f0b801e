package content

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

const minimalConfig = "title: Northfield LMC\nbaseURL: https://lmc.example.org\n"

func TestParseConfigDefaults(t *testing.T) {
	c, err := ParseConfig([]byte(minimalConfig))
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != "https://lmc.example.org/" {
		t.Errorf("BaseURL = %q, want a trailing slash added", c.BaseURL)
	}
	if c.Paginate != 20 || c.Language != "en-GB" || c.Feeds.Limit != 20 || !c.FullContent() || c.AllowRawHTML {
		t.Errorf("defaults: paginate %d, language %q, feed limit %d, fullContent %v, allowRawHTML %v",
			c.Paginate, c.Language, c.Feeds.Limit, c.FullContent(), c.AllowRawHTML)
	}
	c, err = ParseConfig([]byte(minimalConfig + "language: cy\npaginate: 5\nfeeds:\n  fullContent: false\n  limit: 50\nallowRawHTML: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Paginate != 5 || c.Language != "cy" || c.Feeds.Limit != 50 || c.FullContent() || !c.AllowRawHTML {
		t.Errorf("settings not kept: %+v", c)
	}
	c, err = ParseConfig([]byte("title: x\nbaseURL: https://lmc.example.org/lmc/\n"))
	if err != nil || c.BaseURL != "https://lmc.example.org/lmc/" {
		t.Errorf("BaseURL with path = %q, %v", c.BaseURL, err)
	}
}

func TestParseConfigFull(t *testing.T) {
	src := `title: "Northfield and District LMC"
baseURL: https://lmc.example.org/
description: The LMC
organisation:
  name: Northfield LMC
  postalAddress: 1 Mill Lane
  phone: "01632 960000"
  email: office@example.org
menu:
  - {label: News, url: /news/}
topics:
  - {name: GDPR, description: Data protection}
areas:
  - name: Northfield
newsletter:
  from: "LMC <news@example.org>"
  replyTo: office@example.org
  domain: example.org
  dkim: {selector: lmc2016, domain: mail.example.org}
`
	c, err := ParseConfig([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.Organisation.Phone != "01632 960000" || len(c.Menu) != 1 || c.Menu[0].URL != "/news/" ||
		len(c.Topics) != 1 || c.Topics[0].Description != "Data protection" || c.Areas[0].Name != "Northfield" ||
		c.Newsletter.Domain != "example.org" || c.Newsletter.DKIM != (DKIM{Selector: "lmc2016", Domain: "mail.example.org"}) {
		t.Errorf("ParseConfig = %+v", c)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // every error, in order
	}{
		{"unknown key", minimalConfig + "tittle: x\n",
			[]string{`content/site.yaml:3: unknown key "tittle": did you mean "title"?`}},
		{"unknown key baseUrl", "title: x\nbaseUrl: https://x.org/\n",
			[]string{`content/site.yaml:2: unknown key "baseUrl": did you mean "baseURL"?`}},
		{"unknown nested key", minimalConfig + "organisation:\n  name: x\n  nmae: y\n",
			[]string{`content/site.yaml:5: unknown key "nmae": did you mean "name"?`}},
		{"unknown key in list item", minimalConfig + "topics:\n  - name: GDPR\n    descripton: x\n",
			[]string{`content/site.yaml:5: unknown key "descripton": did you mean "description"?`}},
		{"unknown key far off", minimalConfig + "theme: dark\n",
			[]string{`content/site.yaml:3: unknown key "theme": known keys: title, baseURL, language, description, organisation, menu, paginate, feeds, allowRawHTML, topics, areas, newsletter, events, frontMatter, strictFrontMatter, permalinks`}},
		{"missing baseURL", "title: x\n",
			[]string{"content/site.yaml: baseURL: missing: give the public address, e.g. `baseURL: https://www.example-lmc.org.uk/`"}},
		{"missing title", "baseURL: https://x.org/\n",
			[]string{"content/site.yaml: title: missing: give the site a title, e.g. `title: Northfield LMC`"}},
		{"empty file", "",
			[]string{
				"content/site.yaml: title: missing: give the site a title, e.g. `title: Northfield LMC`",
				"content/site.yaml: baseURL: missing: give the public address, e.g. `baseURL: https://www.example-lmc.org.uk/`",
			}},
		{"baseURL without scheme", "title: x\nbaseURL: lmc.example.org\n",
			[]string{`content/site.yaml:2: baseURL: "lmc.example.org" is not an absolute http(s) address, e.g. https://www.example-lmc.org.uk/`}},
		{"baseURL ftp", "title: x\nbaseURL: ftp://lmc.example.org/\n",
			[]string{`content/site.yaml:2: baseURL: "ftp://lmc.example.org/" is not an absolute http(s) address, e.g. https://www.example-lmc.org.uk/`}},
		{"baseURL path only", "title: x\nbaseURL: /lmc/\n",
			[]string{`content/site.yaml:2: baseURL: "/lmc/" is not an absolute http(s) address, e.g. https://www.example-lmc.org.uk/`}},
		{"baseURL bad escape", "title: x\nbaseURL: https://x.org/%zz\n",
			[]string{`content/site.yaml:2: baseURL: "https://x.org/%zz" is not an absolute http(s) address, e.g. https://www.example-lmc.org.uk/`}},
		{"paginate text", minimalConfig + "paginate: ten\n",
			[]string{"content/site.yaml:3: cannot unmarshal str `ten` into int (check the indentation and quoting on this line)"}},
		{"paginate negative", minimalConfig + "paginate: -1\n",
			[]string{"content/site.yaml:3: paginate: must be a positive number of items a page, e.g. 20"}},
		{"feed limit negative", minimalConfig + "feeds:\n  limit: -5\n",
			[]string{"content/site.yaml:3: feeds: limit must be a positive number of items, e.g. 20"}},
		{"bad indentation", minimalConfig + "  language: en-GB\n",
			[]string{"content/site.yaml:3: mapping values are not allowed in this context (check the indentation and quoting on this line)"}},
		{"menu item incomplete", minimalConfig + "menu:\n  - {label: News}\n",
			[]string{"content/site.yaml:3: menu: item 1 needs both label and url, e.g. {label: News, url: /news/}"}},
		{"topic twice", minimalConfig + "topics:\n  - name: GDPR\n  - name: gdpr\n",
			[]string{`content/site.yaml:3: topics: "gdpr" is listed twice`}},
		{"area twice", minimalConfig + "topics:\n  - name: Northfield\nareas:\n  - name: Northfield\n  - name: Northfield\n",
			[]string{`content/site.yaml:5: areas: "Northfield" is listed twice`}},
		{"dkim without selector", minimalConfig + "newsletter:\n  dkim: {domain: example.org}\n",
			[]string{`content/site.yaml:3: newsletter: dkim: a domain without a selector: give the selector of the DNS record too, e.g. dkim: {selector: lmc2026, domain: example.org}`}},
		{"dkim unknown key", minimalConfig + "newsletter:\n  dkim:\n    selectr: x\n",
			[]string{`content/site.yaml:5: unknown key "selectr": did you mean "selector"?`}},
		{"area without name", minimalConfig + "areas:\n  - description: x\n",
			[]string{`content/site.yaml:3: areas: every entry needs a name`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(tt.src))
			if err == nil {
				t.Fatalf("ParseConfig = %+v, want an error", c)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %T, want Errors", err)
			}
			var got []string
			for _, e := range es {
				got = append(got, e.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	c, err := LoadConfig(fstest.MapFS{ConfigFile: {Data: []byte(minimalConfig)}})
	if err != nil || c.Title != "Northfield LMC" {
		t.Errorf("LoadConfig = %+v, %v", c, err)
	}
	_, err = LoadConfig(fstest.MapFS{})
	var e *Error
	if !errors.As(err, &e) || e.File != "content/site.yaml" || !strings.Contains(e.Msg, "missing") {
		t.Errorf("no site.yaml: %v", err)
	}
	_, err = LoadConfig(fstest.MapFS{ConfigFile: {Mode: fs.ModeDir}})
	if err == nil || !strings.HasPrefix(err.Error(), "content/site.yaml: ") {
		t.Errorf("site.yaml a folder: %v", err)
	}
}
