// Package importer brings an existing site's pages into an lmcpress
// content folder. Today it reads WordPress exports (WXR: the RSS file with
// WordPress's wp: elements that Tools > Export writes).
//
// [Import] reads the export twice, streaming, holding one item's text at a
// time: the first pass learns every item's type, status, slug, parent and
// permalink, so that the second can resolve what points elsewhere (a link
// to another post, a nested page's parent, a [gallery]'s images) while it
// converts and writes each item:
//
//	post (publish)              → content/news/SLUG.md, date from post_date_gmt in UK time
//	page                        → content/SLUG.md; a published page with pages under it is a
//	                              section, content/SLUG/_index.md, its pages in its folder
//	                              (/about/committee/ stays /about/committee/); under a draft
//	                              one they go up, their nested address kept as an alias
//	draft, pending              → draft: true
//	private, password-protected → left out, each named in the report (its text was kept
//	                              from the public); with Options.Private, draft: true
//	future                      → published, dated in the future (the build holds it back until then)
//	trash, revisions, menus,
//	attachments, other types    → skipped and counted
//
// Categories and tags become topics, and the site.yaml written beside the
// pages lists exactly the topics they use. Each item's old permalink is an
// alias; the ?p=ID forms, which cannot be (an alias is a path), are listed
// in [RedirectsFile] for the web server. Bodies get WordPress's paragraphs
// (autop), their shortcodes expanded where there is a plain equivalent
// (shortcode.go) and are turned into Markdown by html-to-markdown
// (convert.go), with scripts, forms and players taken out (a player
// becomes a link) and links that run code dropped. Files from
// wp-content/uploads that a page links to are copied beside it as a page
// bundle, so a draft's files stay unpublished with it.
//
// Everything in an export is hostile: slugs are made with
// [content.Slugify], names are numbered when two items would share one,
// and files are written only through an [os.Root], never replacing one.
package importer
