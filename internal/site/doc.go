// Package site is the build pipeline: it turns a content folder and a theme
// into the files of the website.
//
// [BuildContext] reads as its stages, in this order, each a function in a
// file named for it:
//
//  1. load (load.go): the folders listed (content.ListFiles: no hidden,
//     scratch or backup file, no symbolic link out of its folder, and
//     besides pages only documents and images from content/), every
//     content file read and checked (front matter, topics, attachments),
//     every file the site copies or shows vetted (Options.CheckFile: the
//     content and static files, site.yaml, the templates), the templates
//     parsed, and content.Book made: every address the build writes (not
//     the files of a page not published), the book check reads too. All
//     problems are reported at once; a build that fails here still runs
//     the page and link checks over every page (vetAll), so that one run
//     shows everything.
//  2. publish and convertItems (convert.go): a fresh Item for each
//     published page; the home and section pages' Markdown converted, since
//     the plan shows it.
//  3. planSite (plan.go, pages.go): sections and their sub-sections
//     (folders with an _index.md, below the section the book's ListingOf
//     names), listings (sub-sections, then direct pages newest first),
//     pagination, news archives by year and month, topics, newsletter
//     issues, feeds (a section's carry its sub-sections' pages), aliases.
//     It takes front matter only.
//  4. convertItems again, for every item, in parallel: each item, as soon
//     as it is converted, is indexed for search, its links checked
//     (Options.CheckLinks) against the book, and its page rendered and
//     written (stream, build.go); then its text and HTML are let go, so
//     memory does not grow with the site. That is why the plan comes
//     before the items' Markdown: a plan made after it would need every
//     page's HTML held until the end (at 50,000 pages, 1006 MB at peak
//     against 823 MB, and twice the CPU).
//  5. render (render.go): the listing pages and redirects, then from the
//     plan the feeds (feeds.go), the sitemap, the search index (search.go)
//     and the static and content files copied.
//  6. write (write.go): each file goes to the [Writer] as soon as it is
//     made, if the book lists it and it was not written before (Build's
//     bookWriter: an output the collision checks never saw would replace
//     another unchecked); [DirWriter] writes into a folder beside the output and swaps
//     it in only when every stage succeeded (swap.go: in one step where
//     the system can, and what the next build does with what a killed
//     build left). Into a folder made empty for the build, as a deploy's
//     first build is, each file is created with one open, write and close
//     (create_unix.go).
//
// The preview's [Builder] (preview.go) runs the same stages and keeps what
// they made between builds: it reads again only the files that changed,
// keeps each file's conversion until then, and renders again only outputs
// whose fingerprint (fingerprint.go) changed, and vets again only the
// content and static files whose bytes changed (preview_files.go). An
// edit of a page's text alone keeps the last plan too (retext). Its output is byte-identical to
// Build's; TestIncrementalEqualsFull holds it to that.
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
