package feed

import (
	"bytes"
	"encoding/json"
	"testing"
)

// indentCases are compact JSON as json.Marshal writes it, with what the
// layout must get right: empty and nested containers, and strings holding
// quotes, backslashes, escapes and the punctuation that lays out JSON.
var indentCases = []string{
	`{}`, `[]`, `""`, `0`, `null`,
	`{"a":{}}`, `{"a":[]}`, `[[],{}]`, `[[[]]]`,
	`{"version":"https://jsonfeed.org/version/1.1","title":"News","items":[{"id":"x","tags":["a","b"]},{"id":"y"}]}`,
	`{"a":"q\"{[,:]}\\","b":"\\\"","c":"\u003cp\u003e \\n","d":true,"e":-1.5e+300}`,
	`["\\\\\"",",",":","{","}"]`,
}

func TestIndentJSONAsMarshalIndent(t *testing.T) {
	for _, in := range indentCases {
		var want bytes.Buffer
		if err := json.Indent(&want, []byte(in), "", "  "); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := indentJSON(nil, []byte(in)); string(got) != want.String() {
			t.Errorf("%s:\ngot  %s\nwant %s", in, got, want.String())
		}
	}
	// The JSON feed itself, as gorilla/feeds' ToJSON wrote it.
	f := sample()
	got, err := f.JSON()
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.jsonFeed().ToJSON()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want+"\n" {
		t.Errorf("JSON feed:\ngot  %s\nwant %s", got, want)
	}
}

// FuzzIndentJSON holds indentJSON to json.Indent on any valid JSON, made
// compact first as json.Marshal would write it.
func FuzzIndentJSON(f *testing.F) {
	for _, in := range indentCases {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var compact bytes.Buffer
		if json.Compact(&compact, []byte(in)) != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
			t.Fatal(err)
		}
		if got := indentJSON(nil, compact.Bytes()); string(got) != want.String() {
			t.Errorf("%q:\ngot  %q\nwant %q", compact.String(), got, want.String())
		}
	})
}
