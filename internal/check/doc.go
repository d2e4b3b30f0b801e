// Package check is the content lint behind `lmcpress check`, and the
// patient-data guard the build and the newsletter run before anything is
// published.
//
// [Site] checks a content folder and reports [Finding]s, each with its file,
// line, column, severity, rule id, message and a hint:
//
//	content/news/x.md:12:5: error nhs-number: 943*** **** looks like an NHS number: ... (hint: remove it: ...)
//
// Errors (check exits non-zero):
//
//   - nhs-number, date-of-birth, postcode, hospital-number: patient-
//     identifiable data (see patient.go for each pattern and what it
//     deliberately does not flag). Looked for in every page, drafts
//     included, and in the published front matter (title, summary, ...).
//     The build refuses to publish a page with one ([Vet] is its
//     site.Options.Check), and the newsletter calls [PatientData] or
//     [PagePatientData] before anything is mailed.
//   - broken-link: a link to an address the build does not write (the
//     addresses are worked out from the content as the build's plan does,
//     see index); broken-anchor: a #fragment the target page has no heading
//     or anchor for; missing-attachment and missing-image: a link or image
//     to a file that is not there.
//   - image-alt: an image without alt text (a warning when the alt text
//     looks like a file name).
//   - front-matter, config: what the loader reports about front matter,
//     topics, attachments, duplicate addresses and content/site.yaml.
//
// Warnings: heading-level (the page title is the h1, so headings in the text
// start at ## and skip no level); review-due (advice or guidance past its
// reviewDue); review-stale (advice or guidance with no reviewDue and no
// lastmod, change or date in the last two years); external-link and
// external-redirect (with --external: 4xx, 5xx, unreachable, moved
// permanently; a temporary redirect is info); allow (a marker that names
// an unknown rule or allows nothing).
//
// Links, images, headings and review dates are checked on the pages a
// build would publish (content.Visibility), with the build's Markdown
// settings.
//
// An HTML comment on a line accepts a known false positive there:
//
//	<!-- lmcpress:allow nhs-number -->
//
// names one or more rule ids and covers that line only; the report counts
// the findings allowed. The build skips allowed findings too.
//
// External links are always listed in the report; with Options.External
// each address is requested (HEAD, then GET when HEAD fails), four at a
// time, each within ten seconds, and redirects are reported, not followed.
//
// The JSON form of a report is described at [Report].
package check
