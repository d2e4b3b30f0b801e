package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"lmcpress/internal/importer"
)

func init() {
	commands["import"] = command{"bring a WordPress site's posts and pages in: lmcpress import wordpress EXPORT.xml", runImport}
}

func runImport(ctx context.Context, e *env, args []string) error {
	fl := flags(e, "import",
		"Import writes a WordPress export (Tools > Export > All content) as a new site's content folder.\n\n"+
			"Posts go to content/news/, pages to plain pages, categories and tags to topics (listed in the new content/site.yaml),\n"+
			"and each old permalink is kept as an alias; the ?p=ID addresses are listed in wordpress-redirects.txt for the web\n"+
			"server. Drafts and pending items come in as drafts; private and password-protected ones are left out, each named\n"+
			"in the report, unless --private brings them in as drafts. It refuses a folder whose content/ holds anything.\n"+
			"Then run lmcpress check in that folder: it lists what is left to fix.",
		"import wordpress EXPORT.xml [--root DIR] [--uploads DIR] [--private] [--now DATE]")
	root := fl.String("root", ".", "the new site's `folder` (its content/ must be empty or absent)")
	uploads := fl.String("uploads", "", "a copy of the old site's wp-content/uploads `folder`: the files pages link to are copied beside them")
	private := fl.Bool("private", false, "bring private and password-protected items in, as drafts (their text then sits in the new folder, where anyone who can read it reads them)")
	var when nowFlag
	registerNow(fl, &when)
	pos, err := parse(fl, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] != "wordpress" {
		return fmt.Errorf("import: want wordpress and the export file, e.g. lmcpress import wordpress mysite.WordPress.2024-01-31.xml (run 'lmcpress help import' for more)")
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	if err := os.MkdirAll(*root, 0o755); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	site, err := os.OpenRoot(*root)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer site.Close()
	opt := importer.Options{Export: f, Site: site, Now: when.at(e), Private: *private}
	if *uploads != "" {
		up, err := os.OpenRoot(*uploads)
		if err != nil {
			return fmt.Errorf("import: --uploads: %w", err)
		}
		defer up.Close()
		opt.Uploads = up
	}
	start := time.Now()
	rep, err := importer.Import(opt)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[1], err)
	}
	rep.Print(e.stdout)
	fmt.Fprintf(e.stdout, "Done in %.1fs. Next: lmcpress check --root %s (and --drafts for the drafts), then lmcpress build --root %s.\n",
		time.Since(start).Seconds(), *root, *root)
	return nil
}
