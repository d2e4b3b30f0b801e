package main

import (
	"lmcpress/internal/check"
	"lmcpress/internal/content"
	"lmcpress/internal/markdown"
	"lmcpress/internal/site"
)

// withShortcodes gives check the theme's own shortcodes
// (templates/shortcodes/), run as the build runs them, so that check and
// build agree on which shortcodes a page may call and what they make.
func withShortcodes(o check.Options) check.Options {
	cfg := o.Config
	if cfg == nil {
		cfg, _ = content.LoadConfig(o.Content) // its problems are check's to report
	}
	set, err := site.ParseShortcodes(o.Templates, cfg)
	if err != nil {
		o.ShortcodesErr = err
		return o
	}
	o.Shortcodes = func(p *content.Page) markdown.Shortcodes { return site.PageShortcodes(set, p) }
	return o
}
