// Package check is the content lint behind `lmcpress check`, and the
// patient-data guard the build and the newsletter run before anything is
// published.
//
// [Site] checks a content folder and reports [Finding]s, each with its file,
// line, column, severity, rule id, message and a hint:
//
//	content/news/x.md:12:5: error nhs-number: 943*** **** looks like an NHS number: ... (hint: remove it: ...)
//
// One table, severities in finding.go, says which rules stop publishing
// (the README's "What stops a build" is the same table in words). check
// exits non-zero on an Error, and the build refuses a site with one,
// because it runs the same rules through this package:
//
//   - [Vet] is its site.Options.Check: patient data in the text and the
//     published front matter, images without alt text. The build runs it
//     on unpublished pages too (patient data only): a draft is already in
//     the repository, and publishes itself once draft: true goes.
//   - [VetLinks] is its site.Options.CheckLinks: links and images against
//     content.Book, the one book of addresses the build's plan also reads.
//     [Vet] also reports what the conversion found wrong with the page's
//     shortcodes and Liquid (markdown.Doc.Problems), as checkPage does.
//   - [VetFile] is its site.Options.CheckFile: patient data in the name
//     and text of each file it copies from content/ and static/.
//   - [Explain] turns the build's other errors (front matter, site.yaml,
//     collisions) into the findings check reports for them, so build,
//     check and the preview's overlay print one problem in one form.
//
// Errors:
//
//   - nhs-number, date-of-birth, postcode, hospital-number: patient-
//     identifiable data (see patient.go for each pattern and what it
//     deliberately does not flag). Looked for in every page, drafts
//     included; in every front-matter string and the addresses it gives
//     (topics, aliases, slug, file names: published.go); and in every
//     file copied from content/ and static/ (and content/site.yaml and
//     the templates, whose text is on every page), by name and, for text
//     ([TextFiles]) and office documents ([Documents], document.go), by
//     content ([FilePatientData], the build's [VetFile]). The newsletter calls [PatientData] or [PagePatientData]
//     before anything is mailed.
//   - broken-link: a link to an address the build does not write (see
//     content.Book: the addresses, and the nearest one suggested);
//     missing-attachment and missing-image: a link or image to a file that
//     is not there.
//   - unsafe-link: a link or image to javascript:, vbscript:, file: or
//     data: (markdown.IsDangerousURL), in Markdown or in raw HTML where
//     the site allows it (the build's VetLinks reports it too).
//   - image-alt: an image without alt text.
//   - shortcode: a Hugo shortcode, Liquid tag or template output that is
//     neither built in nor the site's own (Options.Shortcodes, from
//     templates/shortcodes/), or one written wrong; a ref or relref to no
//     published page (content.Refs) is a broken-link.
//   - front-matter, config: what the loader reports about front matter,
//     topics, attachments and content/site.yaml.
//   - address: two things at one address (pages, listings, archives, topic
//     pages, aliases, content and static files, feeds, the sitemap, the
//     search index), and aliases that are no address.
//
// Warnings: broken-anchor (a #fragment the target page has no heading or
// anchor for: the link still opens the page); image-alt-name (alt text
// that looks like a file name); heading-level (the page title is the h1,
// so headings in the text start at ## and skip no level); review-due
// (advice or guidance past its reviewDue); review-stale (advice or
// guidance with no reviewDue and no lastmod, change or date in the last
// two years); external-link and external-redirect (with --external: 4xx,
// 5xx, unreachable, moved permanently; a temporary redirect is info);
// allow (a marker that names an unknown rule or allows nothing);
// document (an office document whose text cannot be read: a person must
// open it).
//
// Links, images, headings and review dates are checked on the pages a
// build would publish (content.Visibility), with the build's Markdown
// settings.
//
// An HTML comment on a line accepts a known false positive there:
//
//	<!-- lmcpress:allow nhs-number -->
//
// names one or more rule ids and covers that line only, except alone on the
// line before a code block's opening fence, where it covers the block (a
// marker inside the block would be published with it); the report counts
// the findings allowed. In front matter the marker is a comment at the end
// of a key's line (# lmcpress:allow nhs-number), where that key's findings
// are reported. The build skips allowed findings too (Vet and
// VetLinks read the same markers).
//
// External links are always listed in the report; with Options.External
// each address is requested (HEAD, then GET when HEAD fails), four at a
// time, each within ten seconds, and redirects are reported, not followed.
//
// The JSON form of a report is described at [Report].
package check
