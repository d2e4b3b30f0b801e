package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lmcpress/internal/content"
)

func runNew(ctx context.Context, e *env, args []string) error {
	fl := flags(e, "new", `new [--root DIR] SECTION "Title"   (SECTION: news, advice, guidance, newsletters, events, or page)`)
	root := fl.String("root", ".", "the site folder")
	pos, err := parse(fl, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fl.Usage()
		return fmt.Errorf(`want a section and a title, e.g. lmcpress new news "Flu clinics open"`)
	}
	section, title := content.Slugify(pos[0]), strings.TrimSpace(pos[1])
	slug := content.Slugify(title)
	if slug == "" {
		return fmt.Errorf("the title %q has no letters or digits to make an address from", title)
	}
	now := time.Now().In(content.London)
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
		b.WriteString("place: \"\"\n")
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
