package site

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"lmcpress/internal/content"
)

// notInFrontFP are the exported fields of content.Page that frontFP leaves
// out on purpose, and why. A field added to Page must be covered by frontFP
// or listed here, or TestFrontFPCoversEveryPageField fails: a field the
// fingerprint misses is an edit the preview would not show.
var notInFrontFP = map[string]string{
	"Body":               "the text: its HTML is hashed once a conversion (sourceFP)",
	"Allow":              "lmcpress:allow comments, read by the page checks (run again whenever the file changes); nothing of them is published",
	"Attachments[].Size": "set by content.CheckTree after the page is read; the plan's File.Size is in the item's fingerprint",
	"Unused":             "keys lmcpress does not use: nothing of them is published (build and check sum them up)",
	"Unused[].Key":       "as Unused",
	"Unused[].Line":      "as Unused",
	"LeftOut":            "terms of tags not among site.yaml's topics: not published (build and check sum them up)",
	"LeftOut[]":          "as LeftOut",
	"TitleFrom":          "where Title came from when the front matter has none: Title itself, and the body's start, are hashed",
}

// fullPage is a page with every field set, each slice holding one element.
func fullPage() *content.Page {
	day := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	return &content.Page{
		File: "news/a.md", Kind: content.KindPage, Section: "news", Dir: "news", Slug: "a", Bundle: true, BodyLine: 9,
		Body: []byte("Text."), Title: "A", Description: "D", Summary: "S",
		Date: day, Lastmod: day.AddDate(0, 0, 1), PublishDate: day.AddDate(0, 0, 2), ExpiryDate: day.AddDate(0, 0, 3),
		ReviewDue: day.AddDate(0, 0, 4), Draft: true, Topics: []string{"gdpr"}, Areas: []string{"north"},
		Aliases: []string{"/old/"}, Changes: []content.Change{{Date: day, Note: "N"}},
		Attachments: []content.Attachment{{File: "news/a.pdf", Title: "T", Size: 10}},
		Items:       []string{"news/b"}, Covering: []string{"flu"}, Place: "P", End: day.AddDate(0, 0, 5),
		Event: &content.Event{Start: day, End: day.AddDate(0, 0, 6), AllDay: true,
			Location: content.Location{Name: "N", Address: "A", Online: true, JoinURL: "https://j.example/"},
			Audience: "GPs", Booking: "b@example.org", Capacity: 3, Cancelled: true, CancelledReason: "R"},
		Authors: []string{"A"}, Unused: []content.UnusedKey{{Key: "weight", Line: 3}}, LeftOut: []string{"covid"},
		Lines: map[string]int{"title": 2},
	}
}

// leaves lists every value of a page reachable through exported fields,
// as a path ("Changes[].Note") and a function that finds it in a page.
func leaves(t reflect.Type, name string, get func(reflect.Value) reflect.Value, out map[string]func(reflect.Value) reflect.Value) {
	if t == reflect.TypeOf(time.Time{}) {
		out[name] = get
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		leaves(t.Elem(), name, func(v reflect.Value) reflect.Value { return get(v).Elem() }, out)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			sub := name + "." + f.Name
			if name == "" {
				sub = f.Name
			}
			leaves(f.Type, sub, func(v reflect.Value) reflect.Value { return get(v).Field(i) }, out)
		}
	case reflect.Slice:
		out[name] = get // the list itself: one element more
		if t.Elem().Kind() == reflect.Uint8 {
			return // bytes, as a whole
		}
		if t.Elem().Kind() == reflect.Struct || t.Elem().Kind() == reflect.Slice {
			leaves(t.Elem(), name+"[]", func(v reflect.Value) reflect.Value { return get(v).Index(0) }, out)
		} else {
			out[name+"[]"] = func(v reflect.Value) reflect.Value { return get(v).Index(0) }
		}
	default:
		out[name] = get
	}
}

// change alters v, whatever its type, to a different value.
func change(v reflect.Value) error {
	if v.Type() == reflect.TypeOf(time.Time{}) {
		v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Hour)))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Slice:
		v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		k := reflect.New(v.Type().Key()).Elem()
		if err := change(k); err != nil {
			return err
		}
		v.SetMapIndex(k, reflect.Zero(v.Type().Elem()))
	default:
		return fmt.Errorf("no way to change a %s", v.Type())
	}
	return nil
}

// TestFrontFPCoversEveryPageField changes each field of a page in turn,
// down to the fields of its lists' elements, and requires frontFP to
// change: a new Page field must be fingerprinted or it would never reach
// the preview until a restart.
func TestFrontFPCoversEveryPageField(t *testing.T) {
	fields := map[string]func(reflect.Value) reflect.Value{}
	leaves(reflect.TypeOf(content.Page{}), "", func(v reflect.Value) reflect.Value { return v }, fields)
	if len(fields) < 25 {
		t.Fatalf("found only %d fields of content.Page: %v", len(fields), fields)
	}
	want := frontFP(fullPage())
	for name, get := range fields {
		p := fullPage()
		if err := change(get(reflect.ValueOf(p).Elem())); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		_, exempt := notInFrontFP[name]
		switch changed := frontFP(p) != want; {
		case !changed && !exempt:
			t.Errorf("changing Page.%s leaves frontFP as it was: hash it in frontFP (fingerprint.go), or list it in notInFrontFP with the reason", name)
		case changed && exempt:
			t.Errorf("Page.%s is listed in notInFrontFP but frontFP covers it: take it off the list", name)
		}
	}
	for name := range notInFrontFP {
		if _, ok := fields[name]; !ok {
			t.Errorf("notInFrontFP lists %s, which content.Page no longer has", name)
		}
	}
}
