package main

import (
	"errors"
	"io"

	"lmcpress/internal/check"
	"lmcpress/internal/content"
	"lmcpress/internal/newsletter"
)

// previewNewsletters gives the preview server its newsletter pages
// (server.Newsletters): each request reads the files as they are now,
// through the preview's folders, with what the preview publishes (its
// --drafts, --future, --expired and --now), so a reload after a save shows
// the issue as saved.
type previewNewsletters struct{ pv *preview }

func (n previewNewsletters) visibility() content.Visibility {
	n.pv.mu.Lock()
	defer n.pv.mu.Unlock()
	return n.pv.opts.Visibility
}

// Months lists the months with an issue; none while site.yaml or a content
// file is broken (the overlay says why).
func (n previewNewsletters) Months() []string {
	cfg, err := content.LoadConfig(n.pv.folders.content)
	if err != nil {
		return nil
	}
	tree, err := content.Load(n.pv.folders.content, cfg)
	if err != nil {
		return nil
	}
	return newsletter.Months(tree.Pages, n.visibility())
}

// Preview builds the month's issue after the same checks as lmcpress
// newsletter preview; its warnings are left to the preview's panel. The
// error is in check's words with patient data starred out, as the overlay
// shows errors.
func (n previewNewsletters) Preview(month string) (html, text []byte, err error) {
	is, _, err := issueIn(n.pv.ctx, n.pv.folders, n.visibility(), month, "", io.Discard)
	if err != nil {
		return nil, nil, errors.New(check.Mask(check.Explain(err).Error()))
	}
	return []byte(is.HTML), []byte(is.Text), nil
}
