package importer

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

// WordPress shortcodes ([caption], [gallery], [embed], ...) are expanded by
// WordPress when a page is shown, so an export holds them as typed. The
// common ones become the HTML WordPress would have shown, less its scripts
// and players (an image with its caption under it, a list of images, a
// plain link to the video); any other is left in the text, where a reader
// sees it, and counted for the report, never dropped without a word.

// shortcodeOpen finds a shortcode's opening tag: [name attrs] or [name/].
// [[name]] is WordPress's way to write a shortcode as text.
var shortcodeOpen = regexp.MustCompile(`\[(\[?)([A-Za-z][A-Za-z0-9_-]*)((?:\s[^\[\]]*)?)(/?)\](\]?)`)

// knownShortcodes are shortcodes of WordPress, Jetpack and common plugins
// that a site may hold: one of these is counted as left even when it has
// no attributes. Any other [word] is taken for text ("[sic]") unless it
// has attributes or a closing tag.
var knownShortcodes = map[string]bool{
	"archives": true, "contact-form": true, "contact-field": true, "playlist": true,
	"googlemaps": true, "slideshow": true, "instagram": true, "twitter": true, "tweet": true,
	"soundcloud": true, "spotify": true, "recipe": true, "portfolio": true, "wpvideo": true,
	"polldaddy": true, "crowdsignal": true, "sitemap": true, "blog_subscription_form": true,
	"gravityform": true, "contact-form-7": true, "wpforms": true, "ninja_form": true,
	"su_button": true, "vc_row": true, "vc_column": true, "vc_column_text": true, "et_pb_section": true,
	"fusion_builder_container": true, "code": true, "sourcecode": true, "dailymotion": true,
	"ted": true, "scribd": true, "slideshare": true, "issuu": true, "flickr": true,
	"pdf-embedder": true, "pdf": true, "download": true, "wp_caption": true,
}

// Attachment is what the export says of one uploaded file.
type attachment struct {
	URL    string
	Title  string
	Alt    string
	Parent int
}

// shortcodes expands the shortcodes of one body. gallery gives the images
// of a [gallery] (by ids, or else the post's own attachments); r counts
// what was converted and left.
func shortcodes(body string, gallery func(ids []int) []attachment, r *Report) string {
	return expandAll(body, gallery, r, 0)
}

// maxInner bounds how far after an opening tag its closing tag is looked
// for, and maxNesting how deep shortcodes inside shortcodes are expanded,
// so a hostile body costs time in proportion to its length.
const (
	maxInner   = 256 << 10
	maxNesting = 8
	maxCodes   = 2000 // shortcodes a body; the rest stay as text
)

func expandAll(body string, gallery func(ids []int) []attachment, r *Report, nesting int) string {
	if !strings.Contains(body, "[") {
		return body
	}
	var b strings.Builder
	rest := body
	for n := 0; ; n++ {
		loc := shortcodeOpen.FindStringSubmatchIndex(rest)
		if n == maxCodes && loc != nil {
			r.ShortcodesLeft["(over 2,000 in one post)"]++
		}
		if loc == nil || n >= maxCodes {
			b.WriteString(rest)
			return b.String()
		}
		b.WriteString(rest[:loc[0]])
		whole := rest[loc[0]:loc[1]]
		esc1, name, attrs := rest[loc[2]:loc[3]], rest[loc[4]:loc[5]], rest[loc[6]:loc[7]]
		selfClose, esc2 := rest[loc[8]:loc[9]] == "/", rest[loc[10]:loc[11]]
		after := rest[loc[1]:]
		if esc1 != "" && esc2 != "" {
			// [[caption]]: the shortcode written as text.
			b.WriteString(whole[1 : len(whole)-1])
			rest = after
			continue
		}
		if esc1 != "" {
			b.WriteString("[")
			whole = whole[1:]
		}
		lname := strings.ToLower(name)
		inner, hasInner := "", false
		if !selfClose {
			closeTag := "[/" + name + "]"
			window := after[:min(len(after), maxInner)]
			if i := strings.Index(window, closeTag); i >= 0 && !strings.Contains(after[:i], "["+name+" ") && !strings.Contains(after[:i], "["+name+"]") {
				inner, hasInner = after[:i], true
				after = after[i+len(closeTag):]
				if esc2 != "" {
					// [name]...[/name]] : keep the trailing bracket as text.
					after = "]" + after
				}
			}
		}
		args := parseAttrs(attrs)
		out, ok := expand(lname, args, inner, gallery)
		switch {
		case ok:
			r.Shortcodes[lname]++
			b.WriteString(out)
		case knownShortcodes[lname] || hasInner || strings.Contains(attrs, "="):
			r.ShortcodesLeft[lname]++
			// Left visible: the opening tag, its content, the closing tag.
			b.WriteString(whole)
			if hasInner && nesting < maxNesting {
				b.WriteString(expandAll(inner, gallery, r, nesting+1) + "[/" + name + "]")
			} else if hasInner {
				b.WriteString(inner + "[/" + name + "]")
			}
		default:
			b.WriteString(whole) // "[sic]", "[1]": text
			if hasInner {
				b.WriteString(inner + "[/" + name + "]")
			}
		}
		rest = after
	}
}

// expand gives the HTML of one shortcode WordPress would show, or false.
func expand(name string, args map[string]string, inner string, gallery func(ids []int) []attachment) (string, bool) {
	switch name {
	case "caption", "wp_caption":
		// [caption]<a><img></a> The caption text[/caption]; caption="..." in older posts.
		media, text := splitCaption(inner)
		if c := args["caption"]; c != "" && text == "" {
			text = c
		}
		if media == "" {
			return "", false
		}
		out := "\n\n<figure>" + media
		if strings.TrimSpace(text) != "" {
			out += "<figcaption>" + strings.TrimSpace(text) + "</figcaption>"
		}
		return out + "</figure>\n\n", true
	case "gallery":
		var ids []int
		for _, s := range strings.Split(args["ids"]+","+args["include"], ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > 0 {
				ids = append(ids, n)
			}
		}
		imgs := gallery(ids)
		if len(imgs) == 0 {
			return "", false
		}
		var b strings.Builder
		b.WriteString("\n\n<ul>")
		for _, a := range imgs {
			alt := a.Alt
			if alt == "" {
				alt = a.Title // what WordPress shows under the image on its page
			}
			alt = html.EscapeString(alt)
			b.WriteString(`<li><img src="` + html.EscapeString(a.URL) + `" alt="` + alt + `"></li>`)
		}
		b.WriteString("</ul>\n\n")
		return b.String(), true
	case "embed", "youtube", "vimeo", "audio", "video", "wpvideo", "soundcloud", "googlemaps":
		u := strings.TrimSpace(inner)
		for _, k := range []string{"src", "url", "mp3", "m4a", "ogg", "wav", "mp4", "m4v", "webm", "ogv", "id"} {
			if u == "" {
				u = args[k]
			}
		}
		if u == "" {
			u = args["0"] // [youtube https://...]
		}
		if u == "" {
			return "", false
		}
		if name == "youtube" && !strings.Contains(u, "/") {
			u = "https://www.youtube.com/watch?v=" + u
		}
		if name == "vimeo" && !strings.Contains(u, "/") {
			u = "https://vimeo.com/" + u
		}
		label := map[string]string{"audio": "Listen: ", "video": "Watch: ", "youtube": "Watch on YouTube: ", "vimeo": "Watch on Vimeo: "}[name]
		return "\n\n<p>" + label + `<a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + "</a></p>\n\n", true
	}
	return "", false
}

var captionMedia = regexp.MustCompile(`(?is)^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$`)

// splitCaption separates a caption's image (linked or not) from its text.
func splitCaption(inner string) (media, text string) {
	m := captionMedia.FindStringSubmatch(inner)
	if m == nil {
		return "", ""
	}
	return m[1], m[2]
}

var attrRe = regexp.MustCompile(`([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|(\S+)`)

// parseAttrs reads shortcode attributes as WordPress's shortcode_parse_atts
// does: name="v", name='v', name=v, and bare values numbered from "0".
func parseAttrs(s string) map[string]string {
	out := map[string]string{}
	n := 0
	for _, m := range attrRe.FindAllStringSubmatch(s, 100) {
		switch {
		case m[1] != "":
			out[strings.ToLower(m[1])] = html.UnescapeString(m[2])
		case m[3] != "":
			out[strings.ToLower(m[3])] = html.UnescapeString(m[4])
		case m[5] != "":
			out[strings.ToLower(m[5])] = html.UnescapeString(m[6])
		default:
			v := m[7]
			if v == "" {
				v = m[8]
			}
			out[strconv.Itoa(n)] = html.UnescapeString(v)
			n++
		}
	}
	return out
}
