package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"lmcpress/internal/content"
)

// newSections are the sections lmcpress new starts pages in; "page" is a
// plain page at the top of content/.
var newSections = []string{"advice", "guidance", "news", "newsletters", "events", "page"}

func runNew(ctx context.Context, e *env, args []string) error {
	fl := flags(e, "new",
		"New starts a page, as a draft dated today (or --now), with the front matter its section needs, and says which file it made.",
		`new [--root DIR] [--now DATE] SECTION "Title"   (SECTION: `+strings.Join(newSections, ", ")+`)`)
	root := fl.String("root", ".", "the site folder")
	var when nowFlag
	registerNow(fl, &when)
	pos, err := parse(fl, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf(`new: want a section and a title, e.g. lmcpress new news "Flu clinics open" (run 'lmcpress help new' for more)`)
	}
	section, title := content.Slugify(pos[0]), strings.TrimSpace(pos[1])
	if !slices.Contains(newSections, section) {
		return fmt.Errorf("new: no section %q: give one of %s", pos[0], strings.Join(newSections, ", "))
	}
	if err := siteFolder(*root); err != nil {
		return err
	}
	slug := content.Slugify(title)
	if slug == "" {
		return fmt.Errorf("the title %q has no letters or digits to make an address from", title)
	}
	now := when.at(e).In(content.London)
	dir := filepath.Join(*root, "content", section)
	if section == "page" {
		dir = filepath.Join(*root, "content")
	}
	if section == "newsletters" {
		slug = now.Format("2006-01")
	}
	file := filepath.Join(dir, slug+".md")
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %q\n", title)
	if section != "page" {
		fmt.Fprintf(&b, "date: %s\n", now.Format("2006-01-02"))
	}
	switch section {
	case "advice", "guidance":
		fmt.Fprintf(&b, "reviewDue: %s\ntopics: []\n", now.AddDate(1, 0, 0).Format("2006-01-02"))
	case "news":
		b.WriteString("topics: []\n")
	case "events":
		// date (above) is the day it is announced; start is when it happens.
		day := now.AddDate(0, 1, 0).Format("2006-01-02")
		fmt.Fprintf(&b, "start: %sT18:30 # UK time\nend: %sT20:30\nlocation:\n  name: The venue\n  address: Its street and town\naudience: \"\"\nbooking: %s\n",
			day, day, bookingPlaceholder)
	}
	b.WriteString("draft: true\n---\n\nWrite the first paragraph here: it becomes the summary on listings.\n")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if os.IsExist(err) {
			return fmt.Errorf("%s already exists: choose another title, or edit that file", file)
		}
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created %s (a draft: remove `draft: true` to publish)\n", file)
	return nil
}

// siteFolder says what is missing when root is not a site folder, so that
// bookingPlaceholder is the booking address a new event starts with: a
// valid one, so the draft builds, and plainly one to replace.
const bookingPlaceholder = "bookings@example.org"

// new does not start a site in the wrong place.
func siteFolder(root string) error {
	if st, err := os.Stat(filepath.Join(root, "content")); err != nil || !st.IsDir() {
		return fmt.Errorf("%s: no content/ folder here: run lmcpress new in the site folder or give --root DIR; to start a site, make content/site.yaml with its title and baseURL (see the README)", root)
	}
	if _, err := os.Stat(filepath.Join(root, "content", content.ConfigFile)); err != nil {
		return fmt.Errorf("%s: no content/%s: this is not a site folder yet; make content/%s with the site's title and baseURL (see the README), or give --root DIR", root, content.ConfigFile, content.ConfigFile)
	}
	return nil
}
