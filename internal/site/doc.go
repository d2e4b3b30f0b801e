// Package site is the build pipeline: it turns a content folder and a theme
// into the files of the website.
//
// The stages run in this order, each a plain function of its inputs:
//
//  1. content.Load: every Markdown file parsed and checked (front matter,
//     topics, attachments, duplicate addresses); all errors reported at once.
//  2. markdown: each published page converted, in parallel on every core.
//  3. plan: sections, listings (newest first), pagination, news archives by
//     year and month, topics, newsletter issues, feeds, aliases; then every
//     internal link checked (Options.CheckLinks) against content.Book, the
//     book of addresses check reads too.
//  4. render: one html/template execution per output page, in parallel.
//  5. write: into a temporary folder that replaces the output folder whole,
//     only when every stage succeeded (see [DirWriter]).
//
// Addresses (permanent, because links to them live in emails; content.Book
// works them out, and TestBuildWritesTheBook holds the plan to it):
//
//	/SECTION/SLUG/                 an item (content/SECTION/SLUG.md or SLUG/index.md)
//	/SLUG/                         a plain page (content/SLUG.md)
//	/SECTION/, /SECTION/page/N/    a section listing, 20 (paginate) a page
//	/news/2016/, /news/2016/12/    news archives by year and month
//	/topics/, /topics/TOPIC/       the topic index and one page a topic
//	feed.xml, atom.xml, feed.json  at the root, in each section and each topic folder
//	/sitemap.xml, /robots.txt, /404.html, and a redirect page at each alias
//
// Site-wide lists (menu, topics with counts, latest news) are computed once a
// build, never per page: recomputing them per page is what makes large Hugo
// sites slow. Output is deterministic: the same input gives byte-identical
// files, so nothing here reads the clock except through [Options].
package site
