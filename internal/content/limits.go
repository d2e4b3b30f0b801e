package content

// Limits no real page reaches, so that one file, by mistake or on purpose,
// cannot make a build run for minutes or fill the disk: each is reported
// on the page's file and line, in well under a second, with what to do.
// The README lists them.
const (
	// MaxTerms bounds a page's topics and its areas: each topic is a page
	// and three feeds, and every feed entry lists the item's topics, so
	// the output grows with the square of their number (8,000 topics on
	// one page wrote 1.2 GB).
	MaxTerms = 50
	// MaxAliases bounds a page's old addresses, each a redirect page.
	MaxAliases = 100
)
