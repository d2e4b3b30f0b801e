package feed

import (
	"strings"
	"testing"
	"time"
)

// benchFeed is a feed of 20 items with full text of about 5 KB each, as the
// generated bench site's pages are: paragraphs, a heading, a list, links.
func benchFeed() *Feed {
	page := strings.Repeat(`<p>The committee discussed <em>safe working limits</em> at length at its last meeting. `+
		`Practices may remove patients who are violent or abusive, following the correct process. `+
		`Further detail is available in the <a href="https://lmc.example.org/guidance/safe-working/">LMC&#39;s guidance</a>.</p>`+"\n"+
		`<h2 id="next-steps">Next steps</h2>`+"\n"+
		`<ul>`+"\n"+`<li>Set a safe daily limit on contacts.</li>`+"\n"+`<li>Schedule protected time for breaks.</li>`+"\n"+`</ul>`+"\n", 10)
	f := sample()
	f.Items = nil
	for i := range 20 {
		f.Items = append(f.Items, Item{
			Title:     "Abuse towards practice staff deadline approaching",
			Link:      "https://lmc.example.org/news/abuse-towards-practice-staff/",
			ID:        "https://lmc.example.org/news/abuse-towards-practice-staff/",
			Summary:   "The BMA's GP Committee has announced changes affecting abuse towards practice staff.",
			Content:   page,
			Published: time.Date(2026, 7, 2, 9, i, 0, 0, time.UTC),
			Updated:   time.Date(2026, 7, 2, 9, i, 0, 0, time.UTC),
			Topics:    []string{"Wellbeing", "Workforce"},
		})
	}
	return f
}

func BenchmarkFeed(b *testing.B) {
	f := benchFeed()
	for name, render := range map[string]func() ([]byte, error){"RSS": f.RSS, "Atom": f.Atom, "JSON": f.JSON} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := render(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
