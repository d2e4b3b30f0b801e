package markdown

import (
	"bytes"
	"reflect"
	"testing"
)

// roundTrip checks that d's binary form reads back as d, field for field
// (an empty list may come back nil: nothing tells them apart downstream).
func roundTrip(t *testing.T, d *Doc) {
	t.Helper()
	b, err := d.AppendBinary([]byte("prefix"))
	if err != nil || !bytes.HasPrefix(b, []byte("prefix")) {
		t.Fatalf("AppendBinary: %v", err)
	}
	var got Doc
	if err := got.UnmarshalBinary(b[len("prefix"):]); err != nil {
		t.Fatalf("UnmarshalBinary of AppendBinary's output: %v", err)
	}
	if !reflect.DeepEqual(normal(got), normal(*d)) {
		t.Fatalf("round trip changed the Doc:\n got %+v\nwant %+v", got, *d)
	}
}

func normal(d Doc) Doc {
	if len(d.HTML) == 0 {
		d.HTML = nil
	}
	if len(d.Links) == 0 {
		d.Links = nil
	}
	if len(d.Images) == 0 {
		d.Images = nil
	}
	if len(d.Headings) == 0 {
		d.Headings = nil
	}
	return d
}

func TestBinaryRoundTrip(t *testing.T) {
	e := New(Config{})
	for _, src := range []string{
		"",
		"Plain text.",
		"# Title\n\nText with [a link](/news/x/ \"t\") and ![alt](a.png).\n\n## Second ‘heading’\n\n- [x] done\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNote[^1]\n\n[^1]: Foot.\n",
	} {
		d, err := e.Convert([]byte(src), Options{PageURL: "/news/flu/"})
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, d)
	}
	// Every field set, including numbers that take several bytes.
	roundTrip(t, &Doc{
		HTML: []byte("<p>x</p>"), Text: "x", FirstParagraph: "x",
		Links:    []Ref{{Dest: "/a/", Text: "a", Line: 1}, {Dest: "https://b.org/", Line: 300000}},
		Images:   []Ref{{Dest: "c.png", Text: "", Line: 2, Via: "figure"}},
		Headings: []Heading{{Level: 2, ID: "h", Text: "H", Line: 7}},
		Problems: []Problem{{Rule: RuleShortcode, Line: 3, Column: 200, Msg: "m", Hint: "h"}},
	})
}

func TestUnmarshalBinaryRejects(t *testing.T) {
	good, _ := (&Doc{HTML: []byte("<p>x</p>"), Text: "x", Links: []Ref{{Dest: "/a/", Line: 1}}}).AppendBinary(nil)
	for name, data := range map[string][]byte{
		"nothing":         nil,
		"another format":  append([]byte{docFormat + 1}, good[1:]...),
		"cut short":       good[:len(good)-1],
		"a byte too many": append(append([]byte(nil), good...), 0),
		"a huge length":   {docFormat, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
		"a huge list":     {docFormat, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f},
	} {
		d := Doc{Text: "unchanged"}
		if err := d.UnmarshalBinary(data); err == nil {
			t.Errorf("%s: no error", name)
		}
		if d.Text != "unchanged" {
			t.Errorf("%s: the Doc was changed", name)
		}
	}
}

// FuzzDocBinary feeds UnmarshalBinary what a damaged cache file might hold:
// it must fail or give a Doc whose binary form reads back the same.
func FuzzDocBinary(f *testing.F) {
	good, _ := (&Doc{HTML: []byte("<p>x</p>"), Text: "x", FirstParagraph: "x",
		Links: []Ref{{Dest: "/a/", Text: "a", Line: 1}}, Headings: []Heading{{Level: 2, ID: "h", Text: "H", Line: 3}}}).AppendBinary(nil)
	f.Add(good)
	f.Add([]byte{docFormat, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Doc
		if d.UnmarshalBinary(data) != nil {
			return
		}
		roundTrip(t, &d)
	})
}
