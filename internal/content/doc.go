// Package content owns what the LMC writes: the content tree, its front matter,
// dates, slugs and addresses, and the site settings in content/site.yaml.
//
// Loading is strict where a mistake would change what is published: a
// front-matter key that looks like a typo of one of lmcpress's own (`darft`)
// is an error that names the file, the line and the key meant, rather than a
// field silently ignored and a draft published. Every problem found in a tree
// is returned together (see [Errors]) so that one run shows every broken file.
//
// Front matter follows Hugo's names, in YAML (---) or TOML (+++), so that a site
// exported from Hugo, Jekyll or WordPress keeps its files: keys match whatever
// their case, other tools' names for lmcpress's keys are read as those
// (`tags` as topics, `permalink` as an alias, `published: false` as a draft),
// and keys lmcpress has no use for are kept aside and summed up once a run
// (keys.go, [UnusedNotes]), unless site.yaml has strictFrontMatter. Dates
// without a zone are read as UK local time (Europe/London), the zone the LMC
// writes in.
//
// Addresses are permanent, because links to them live in emails and practice
// intranets:
//
//	content/news/flu-2024.md          → /news/flu-2024/
//	content/news/2016-03-03-flu.md    → /news/flu/ (Jekyll's name: dated 3 March 2016 unless front matter says)
//	content/advice/x/index.md         → /advice/x/ (a page bundle; files beside it ship when it does)
//	content/guidance/rpkg/intro.md    → /guidance/rpkg/intro/ (every folder stays in the address)
//	content/guidance/rpkg/_index.md   → /guidance/rpkg/ (a sub-section: a listing of its own)
//	content/gp-support.md             → /gp-support/
//	content/news/_index.md            → /news/ (the section's own title and intro)
//	content/_index.md                 → / (the home page intro)
//
// A slug is the file name without .md (and without a leading YYYY-MM-DD-),
// lower-cased, with spaces and punctuation turned into hyphens, unless front
// matter gives `slug`. [Page.Section] is the top folder, which decides what
// kind of page it is (news, advice, events, ...) at any depth; [Page.Dir]
// the folders of its address. Which listing shows a page depends on which
// folders have an _index.md, so the book decides it ([Book.ListingOf]).
//
// [Book] is the one book of addresses, made by [NewBook] from the pages: every
// file a build writes (pages, listings and their pagination, news archives,
// topic pages, feeds, aliases, content and static files, the sitemap and the
// search index), who writes it, and every collision between two of them; where
// a link from a page goes ([Book.Resolve]) and the nearest published address
// to one that is not ([Book.Suggest]). The build's plan and internal/check
// both read it, so what one accepts the other accepts, and a problem reads
// the same from both. [Distance] is the module's one edit distance.
//
// What else a build reads and copies from the site's folders, [ListFiles]
// decides: never hidden, scratch or backup files ([Scratch]), never a
// symbolic link out of its folder; from content/, besides pages, only
// documents and images ([PublishedTypes]), and the book leaves out the
// files of pages not published.
//
// An alias must be a plain path of this site ([CheckAlias]), and no page
// may exceed the limits of limits.go (topics, aliases, nesting, links,
// size), which a scan of the source checks before the Markdown is parsed:
// one file must not make a build run for minutes or fill the disk.
package content
