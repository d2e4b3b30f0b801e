package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/parallel"
)

// The rules besides the patient-data ones (see PatientRules).
const (
	RuleConfig           = "config"                  // content/site.yaml cannot be read
	RuleFrontMatter      = "front-matter"            // a page's front matter, topics, attachments or address
	RuleBrokenLink       = content.BrokenLink        // a link to an address nothing is published at
	RuleBrokenAnchor     = "broken-anchor"           // a link to a #fragment the target page lacks
	RuleMissingFile      = content.MissingAttachment // a link to a file (PDF, DOCX, ...) that is not there
	RuleMissingImage     = content.MissingImage      // an image whose file is not there
	RuleImageAlt         = "image-alt"               // an image without alt text
	RuleImageAltName     = "image-alt-name"          // an image whose alt text is a file name or "image"
	RuleAddress          = content.AddressTaken      // two things at one address; an alias that is no address
	RuleHeadingLevel     = "heading-level"           // a heading that skips a level
	RuleReviewDue        = "review-due"              // advice or guidance past its reviewDue
	RuleReviewStale      = "review-stale"            // advice or guidance with no reviewDue and no update for two years
	RuleExternalLink     = "external-link"           // a link to another site that fails (--external)
	RuleExternalRedirect = "external-redirect"       // a link to another site that redirects (--external)
	RuleAllow            = "allow"                   // an lmcpress:allow marker that allows nothing
	RuleSymlink          = content.Symlink           // a symbolic link out of its folder, to a folder or to nothing
	RuleUnsafeLink       = "unsafe-link"             // a javascript:, vbscript:, file: or data: link or image
	RuleFileType         = content.UnpublishedType   // a file in content/ of a type that is not published
	RuleLimit            = content.OverLimit         // a page too big, nested too deep or with too many links to build
	RuleShortcode        = markdown.RuleShortcode    // a shortcode lmcpress does not know, or one written wrong
	RuleDocument         = "document"                // an office document whose text cannot be read for patient data
)

// Rules lists every rule id, as lmcpress:allow markers name them.
var Rules = []string{
	RuleNHSNumber, RuleDateOfBirth, RulePostcode, RuleHospitalNumber,
	RuleConfig, RuleFrontMatter, RuleBrokenLink, RuleBrokenAnchor, RuleMissingFile, RuleMissingImage,
	RuleImageAlt, RuleImageAltName, RuleAddress, RuleHeadingLevel, RuleReviewDue, RuleReviewStale, RuleExternalLink, RuleExternalRedirect, RuleAllow,
	RuleSymlink,
	RuleUnsafeLink,
	RuleFileType,
	RuleLimit,
	RuleShortcode,
	RuleDocument,
}

// StaleAfter is how long advice or guidance without a reviewDue may go
// without an update before check warns.
const StaleAfter = 2 * 365 * 24 * time.Hour

// Options says what to check.
type Options struct {
	// Content is the content folder.
	Content fs.FS
	// Config is content/site.yaml; when nil it is read from Content, and
	// its problems are reported as findings.
	Config *content.Config
	// Static and Templates are the theme (the site's folders over the
	// default one): static files are addresses links may point at, and ids
	// written in the templates (id="maincontent") are anchors every page
	// has. Either may be nil.
	Static, Templates fs.FS
	// Visibility says which pages count as published, as in the build, and
	// what "now" is for review dates; Now must be set. Patient data is looked for in every
	// page, published or not: a draft is already in the repository, and a
	// page with a future publishDate publishes itself.
	Visibility content.Visibility
	// External requests every external link (HEAD, then GET when HEAD is
	// refused), ExternalWorkers at once, each within ExternalTimeout.
	External        bool
	ExternalWorkers int           // default 4
	ExternalTimeout time.Duration // default 10 s
	// Client makes the external requests; nil means http.DefaultTransport.
	// Redirects are never followed: they are reported.
	Client *http.Client
	// Shortcodes are the site's own shortcodes (templates/shortcodes/) as
	// a page calls them (site.PageShortcodes); nil when it has none, and
	// ShortcodesErr why they could not be read, if so.
	Shortcodes    func(p *content.Page) markdown.Shortcodes
	ShortcodesErr error
}

// pageCheck is one page's state between the passes.
type pageCheck struct {
	page      *content.Page
	sheet     *sheet
	published bool
	ids       map[string]bool // anchors on the page
	links     []markdown.Ref
	images    []markdown.Ref
}

// Site checks a content folder and returns every finding. The error is
// only for a check that could not run (a cancelled context, or no
// Visibility.Now).
func Site(ctx context.Context, o Options) (*Report, error) {
	if o.Visibility.Now.IsZero() {
		// The caller says what day it is (lmcpress --now, or its clock):
		// a check reading the wall clock would judge review dates and
		// publishing on a day no test or preview chose.
		return nil, errors.New("check: Options.Visibility.Now is not set: say what moment to check the site at")
	}
	var general []Finding
	cfg := o.Config
	if cfg == nil {
		c, err := content.LoadConfig(o.Content)
		if err != nil {
			general = append(general, errFindings(err, RuleConfig)...)
		}
		cfg = c
	}
	allowRaw := cfg != nil && cfg.AllowRawHTML

	mdFiles, files, scanErrs := content.Scan(o.Content)
	general = append(general, errFindings(scanErrs, RuleFrontMatter)...)
	type loaded struct {
		page *content.Page
		errs content.Errors
	}
	results := make([]loaded, len(mdFiles))
	parallel.Do(len(mdFiles), func(i int) {
		results[i].page, results[i].errs = content.LoadFile(o.Content, mdFiles[i], cfg)
	})
	tree := &content.Tree{Files: files}
	var unparsed []Finding // patient data in files whose front matter did not parse
	for i, r := range results {
		general = append(general, errFindings(r.errs, RuleFrontMatter)...)
		if r.page != nil {
			tree.Pages = append(tree.Pages, r.page)
			continue
		}
		// Still look for patient data, in the whole file, as the build
		// does (FilePatientData, through site.Options.CheckFile).
		name := mdFiles[i]
		unparsed = append(unparsed, FilePatientData("content/"+name, func() ([]byte, error) { return fs.ReadFile(o.Content, name) })...)
	}
	general = append(general, errFindings(content.CheckTree(o.Content, tree, cfg), RuleFrontMatter)...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Every address the build would write: for links, and for the pages
	// ref shortcodes name.
	static, serrs := content.ListFiles(o.Static, "static/")
	_, terrs := content.ListFiles(o.Templates, "templates/")
	general = append(general, errFindings(append(serrs, terrs...), RuleFrontMatter)...)
	general = append(general, filesPatientData(o, files, static)...)
	book := content.NewBook(cfg, tree.Pages, tree.Files, static, o.Visibility)
	general = append(general, errFindings(book.Errors(), RuleFrontMatter)...)
	general = append(general, errFindings(o.ShortcodesErr, RuleShortcode)...)
	sc := &pageShortcodes{site: o.Shortcodes, refs: sync.OnceValue(func() *content.Refs { return content.NewRefs(book) })}

	// Pass 1, in parallel: patient data everywhere; Markdown, headings,
	// images and review dates on published pages.
	md := markdown.New(markdown.Config{AllowRawHTML: allowRaw})
	checks := make([]*pageCheck, len(tree.Pages))
	parallel.Do(len(tree.Pages), func(i int) {
		checks[i] = checkPage(md, sc, tree.Pages[i], o.Visibility)
	})

	// Pass 2: links.
	byPage := make(map[*content.Page]*pageCheck, len(checks))
	for _, pc := range checks {
		byPage[pc.page] = pc
	}
	lk := &linker{book: book, themeIDs: templateIDs(o.Templates), ext: map[string]*ExternalLink{},
		ids: func(p *content.Page) map[string]bool {
			if pc := byPage[p]; pc != nil {
				return pc.ids
			}
			return nil
		}}
	for _, pc := range checks {
		if pc.published {
			lk.checkLinks(pc)
		}
	}
	ext, extUses := lk.ext, lk.uses
	rep := &Report{}
	for _, e := range ext {
		rep.External = append(rep.External, *e)
	}
	sort.Slice(rep.External, func(i, j int) bool { return rep.External[i].URL < rep.External[j].URL })
	if o.External && len(rep.External) > 0 {
		if err := checkExternal(ctx, rep.External, o); err != nil {
			return nil, err
		}
		byURL := map[string]*ExternalLink{}
		for i := range rep.External {
			byURL[rep.External[i].URL] = &rep.External[i]
		}
		for _, u := range extUses {
			if f, ok := externalFinding(byURL[u.url], u.pos); ok {
				u.pc.sheet.add(f)
			}
		}
	}
	rep.Summary.ExternalChecked = o.External

	// Collect.
	rep.Findings = general
	rep.Findings = append(rep.Findings, unparsed...)
	for _, pc := range checks {
		published := pc.published
		pc.sheet.unusedMarkers(func(rule string) bool {
			switch rule {
			case RuleExternalLink, RuleExternalRedirect:
				return o.External && published
			case RuleNHSNumber, RuleDateOfBirth, RulePostcode, RuleHospitalNumber:
				return true
			case RuleConfig, RuleFrontMatter, RuleAllow:
				return false // not allowed by markers in the text
			}
			return published
		})
		rep.Findings = append(rep.Findings, pc.sheet.findings...)
		rep.Summary.Allowed += pc.sheet.allowed
	}
	for i, f := range rep.Findings {
		rep.Findings[i] = f.masked()
	}
	sortFindings(rep.Findings)
	rep.Causes = Causes(rep.Findings)
	for _, n := range content.UnusedNotes(tree.Pages) {
		rep.Notes = append(rep.Notes, Mask(n))
	}
	if n := unreadNote(files, static); n != "" {
		rep.Notes = append(rep.Notes, Mask(n))
	}
	rep.Summary.Pages = len(mdFiles)
	rep.count()
	return rep, nil
}

// filesPatientData is FilePatientData of every content and static file,
// content/site.yaml and the templates.
func filesPatientData(o Options, files, static []string) []Finding {
	type file struct {
		fsys      fs.FS
		dir, name string
	}
	var all []file
	for _, f := range files {
		all = append(all, file{o.Content, "content/", f})
	}
	for _, f := range static {
		all = append(all, file{o.Static, "static/", f})
	}
	// Published on every page, though not copied (as the build's
	// site.checkFiles).
	all = append(all, file{o.Content, "content/", content.ConfigFile})
	if o.Templates != nil {
		_ = fs.WalkDir(o.Templates, ".", func(name string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
				all = append(all, file{o.Templates, "templates/", name})
			}
			return nil
		})
	}
	found := make([][]Finding, len(all))
	parallel.Do(len(all), func(i int) {
		f := all[i]
		found[i] = FilePatientData(f.dir+f.name, func() ([]byte, error) { return fs.ReadFile(f.fsys, f.name) })
	})
	var out []Finding
	for _, fs := range found {
		out = append(out, fs...)
	}
	return out
}

// pageShortcodes gives each page's conversion the site's shortcodes and
// what ref names, as the build does.
type pageShortcodes struct {
	site func(p *content.Page) markdown.Shortcodes
	refs func() *content.Refs
}

func (sc *pageShortcodes) options(mo *markdown.Options, p *content.Page) {
	if sc == nil || !markdown.MayHaveShortcodes(p.Body) {
		return
	}
	mo.Refs = sc.refs().For(p)
	if sc.site != nil {
		mo.Shortcodes = sc.site(p)
	}
}

// shortcodeProblems reports what the conversion found wrong with the
// page's shortcodes.
func (s *sheet) shortcodeProblems(ps []markdown.Problem) {
	for _, pr := range ps {
		s.add(Finding{File: s.file(), Line: s.fileLine(pr.Line), Column: pr.Column, Rule: pr.Rule, Message: pr.Msg, Hint: pr.Hint})
	}
}

// checkPage runs the rules that need one page only.
func checkPage(md *markdown.Engine, sc *pageShortcodes, p *content.Page, v content.Visibility) *pageCheck {
	s := pageSheet(p)
	pc := &pageCheck{page: p, sheet: s, published: p.Kind != content.KindPage || p.Published(v)}
	s.patient()
	s.frontMatterPatient(p)
	if !pc.published {
		return pc
	}
	mo := markdown.Options{PageURL: p.URL()}
	sc.options(&mo, p)
	doc, _ := md.Convert(p.Body, mo)
	s.shortcodeProblems(doc.Problems)
	pc.ids = htmlIDs(doc.HTML)
	pc.links, pc.images = doc.Links, doc.Images
	checkHeadings(s, doc.Headings)
	checkAlt(s, doc.Images)
	if p.Kind == content.KindPage && (p.Section == "advice" || p.Section == "guidance") {
		checkReview(s, p, v.Now)
	}
	return pc
}

// fileLine turns a line of the converted body into a file line.
func (s *sheet) fileLine(bodyLine int) int {
	if bodyLine <= 0 {
		return s.bodyLine
	}
	return s.bodyLine + bodyLine - 1
}

// checkHeadings: the page title is the h1, so the text's headings start at
// h2 and go down one level at a time.
func checkHeadings(s *sheet, hs []markdown.Heading) {
	prev := 1
	for _, h := range hs {
		line := s.fileLine(h.Line)
		col := 1
		if text, _ := s.lineText(line); text != nil {
			col = len(text) - len(strings.TrimLeft(string(text), " \t")) + 1
		}
		switch {
		case h.Level == 1:
			s.add(Finding{File: s.file(), Line: line, Column: col, Rule: RuleHeadingLevel,
				Message: fmt.Sprintf("heading %q is level 1, but the page title is already the page's level-1 heading", h.Text),
				Hint:    "start the text's headings at level 2: ## " + h.Text})
		case h.Level > prev+1:
			s.add(Finding{File: s.file(), Line: line, Column: col, Rule: RuleHeadingLevel,
				Message: fmt.Sprintf("heading %q is level %d after level %d: screen reader users navigate by heading levels, and a skipped level looks like missing content", h.Text, h.Level, prev),
				Hint:    fmt.Sprintf("make it level %d: %s %s", prev+1, strings.Repeat("#", prev+1), h.Text)})
		}
		prev = h.Level
	}
}

// checkAlt: every image needs a text alternative (WCAG 1.1.1).
func checkAlt(s *sheet, images []markdown.Ref) {
	for _, im := range images {
		alt := strings.TrimSpace(im.Text)
		line := s.fileLine(im.Line)
		col := s.col(line, "!["+im.Text+"]", "![", im.Dest)
		hint := "describe what the image shows between the brackets: ![Map of the practice boundaries](" + im.Dest + ")"
		if im.Via != "" {
			hint = fmt.Sprintf(`describe what the image shows in the %s's alt: {{< %s src=%q alt="Map of the practice boundaries" >}}`, im.Via, im.Via, im.Dest)
		}
		switch {
		case alt == "":
			s.add(Finding{File: s.file(), Line: line, Column: col, Rule: RuleImageAlt,
				Message: fmt.Sprintf("image %s has no alt text: screen reader users are told nothing about it", im.Dest),
				Hint:    hint})
		case looksLikeFileName(alt):
			s.add(Finding{File: s.file(), Line: line, Column: col, Rule: RuleImageAltName,
				Message: fmt.Sprintf("image %s has the alt text %q, which looks like a file name", im.Dest, alt),
				Hint:    "describe what the image shows instead"})
		}
	}
}

func looksLikeFileName(alt string) bool {
	l := strings.ToLower(alt)
	for _, ext := range []string{".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	switch l {
	case "image", "picture", "photo", "img", "graphic", "screenshot":
		return true
	}
	return false
}

// checkReview: advice and guidance must be reviewed.
func checkReview(s *sheet, p *content.Page, now time.Time) {
	if p.ReviewOverdue(now) {
		s.add(Finding{File: s.file(), Line: max(p.Lines["reviewDue"], 1), Column: 1, Rule: RuleReviewDue,
			Message: fmt.Sprintf("review was due on %s: readers are shown that this note is due for review", p.ReviewDue.In(content.London).Format("2 Jan 2006")),
			Hint:    "review the note, record any change under `changes:`, then set `reviewDue:` to the next review date"})
		return
	}
	if p.ReviewDue.IsZero() && now.Sub(p.Updated()) > StaleAfter {
		line := p.Lines["lastmod"]
		if line == 0 {
			line = max(p.Lines["date"], 1)
		}
		s.add(Finding{File: s.file(), Line: line, Column: 1, Rule: RuleReviewStale,
			Message: fmt.Sprintf("no reviewDue, and not updated since %s (over two years ago): readers cannot tell whether it is still current", p.Updated().In(content.London).Format("2 Jan 2006")),
			Hint:    "review the note, then add `reviewDue:` with the next review date (e.g. a year from now)"})
	}
}

// errFindings turns the loader's errors into findings: under the error's
// own rule when it has one (content.AddressTaken), RuleConfig for
// content/site.yaml, else rule.
func errFindings(err error, rule string) []Finding {
	if err == nil {
		return nil
	}
	list := content.Each(err)
	var out []Finding
	for _, e := range list {
		var ce *content.Error
		var f Finding
		switch {
		case errors.As(e, &f):
		case errors.As(e, &ce):
			f = Finding{File: ce.File, Line: ce.Line, Column: ce.Column, Rule: rule, Message: ce.Msg}
			if ce.Rule != "" {
				f.Rule = ce.Rule
			} else if ce.File == "content/"+content.ConfigFile {
				f.Rule = RuleConfig
			}
			if f.Rule == RuleFrontMatter || f.Rule == RuleConfig {
				f.Target = frontMatterTarget(ce.Msg)
			}
		default:
			f = Finding{File: "content", Rule: rule, Message: e.Error()}
		}
		f.Severity = SeverityOf(f.Rule)
		out = append(out, f)
	}
	return out
}
