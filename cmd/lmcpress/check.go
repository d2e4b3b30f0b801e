package main

import (
	"context"
	"fmt"
	"io/fs"

	"lmcpress"
	"lmcpress/internal/check"
	"lmcpress/internal/site"
)

func runCheck(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := flags(e, "check",
		"Check reports broken links and anchors, images without alt text, skipped heading levels, advice due for review and anything that looks like patient data, each with its file, line and what to do, for the pages a build with the same flags would publish. It exits non-zero when it finds an error.",
		"check [--root DIR] [--drafts] [--future] [--expired] [--now DATE] [--format text|json] [--external]")
	sf.register(fl)
	format := fl.String("format", "text", "text (one line a finding) or json (see the check package for its shape)")
	external := fl.Bool("external", false, "also request every link to another site (4 at a time, 10 s each) and report failures and redirects")
	if _, err := parse(fl, args); err != nil {
		return err
	}
	root := &sf.root
	if *format != "text" && *format != "json" {
		return fmt.Errorf("--format %q: want text or json", *format)
	}
	folders, err := openSite(*root)
	if err != nil {
		return err
	}
	defer folders.Close()
	tpl, _ := fs.Sub(lmcpress.Theme, "templates")
	static, _ := fs.Sub(lmcpress.Theme, "static")
	rep, err := check.Site(ctx, withShortcodes(check.Options{
		Content:    folders.content,
		Templates:  site.Overlay{folders.templates, tpl},
		Static:     site.Overlay{folders.static, static},
		Visibility: sf.visibility(sf.now.at(e)),
		External:   *external,
	}))
	if err != nil {
		return err
	}
	if *format == "json" {
		err = rep.WriteJSON(e.stdout)
	} else {
		err = rep.WriteText(e.stdout)
	}
	if err != nil {
		return err
	}
	if n := rep.Summary.Errors; n > 0 {
		if n == 1 {
			return fmt.Errorf("check found 1 error: fix it before publishing")
		}
		return fmt.Errorf("check found %d errors: fix them before publishing", n)
	}
	return nil
}
