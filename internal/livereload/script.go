package livereload

import (
	"bytes"
	"strings"
)

// Script is the client, added before </body> of every previewed page. It
// builds the overlay with DOM methods and textContent only, so an error
// message can never inject markup.
const Script = `<script id="lmcpress-livereload">
(function () {
  var es = new EventSource("` + Path + `");
  var overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function el(tag, css, text) {
    var e = document.createElement(tag);
    if (css) e.style.cssText = css;
    if (text != null) e.textContent = text;
    return e;
  }
  function show(p) {
    hide();
    overlay = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(11,12,12,.92);color:#fff;font:16px/1.5 system-ui,sans-serif;padding:2rem");
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", "lmcpress-error-title");
    var box = el("div", "max-width:60rem;margin:0 auto;background:#fff;color:#0b0c0c;border-left:10px solid #d4351c;padding:1.5rem");
    var h = el("h2", "margin:0 0 .5rem;font-size:1.5rem", "The site could not be rebuilt");
    h.id = "lmcpress-error-title";
    box.appendChild(h);
    box.appendChild(el("p", "margin:0 0 1rem", p.summary + " The last good version is still being shown. Fix the file and save it: this message goes away by itself."));
    (p.errors || []).forEach(function (e) {
      box.appendChild(el("h3", "font-size:1.1rem;margin:1rem 0 .25rem", e.file + (e.line ? " line " + e.line : "")));
      box.appendChild(el("p", "margin:0 0 .5rem", e.message));
      if (e.source && e.source.length) {
        var pre = el("pre", "background:#f3f2f1;padding:.5rem;overflow:auto;font:14px/1.4 ui-monospace,monospace;margin:0");
        e.source.forEach(function (s) {
          var line = el("div", s.bad ? "background:#ffdd00;font-weight:bold" : "", String(s.number).padStart(4, " ") + "  " + s.text);
          pre.appendChild(line);
        });
        box.appendChild(pre);
      }
    });
    overlay.appendChild(box);
    document.body.appendChild(overlay);
  }
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("ok", hide);
  es.addEventListener("error", function (ev) { if (ev.data) { try { show(JSON.parse(ev.data)); } catch (e) {} } });
  es.addEventListener("css", function () {
    hide();
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (l) {
      var u = new URL(l.href);
      u.searchParams.set("lmcpress", Date.now());
      var n = l.cloneNode();
      n.href = u.toString();
      n.onload = function () { l.remove(); };
      l.after(n);
    });
  });
})();
</script>
`

// Inject adds Script before the last </body>, or at the end.
func Inject(html []byte) []byte {
	i := bytes.LastIndex(bytes.ToLower(html), []byte("</body>"))
	if i < 0 {
		return append(append([]byte(nil), html...), Script...)
	}
	var b bytes.Buffer
	b.Grow(len(html) + len(Script))
	b.Write(html[:i])
	b.WriteString(Script)
	b.Write(html[i:])
	return b.Bytes()
}

// IsCSS reports whether a changed path is a stylesheet, for choosing between
// a "css" and a "reload" event.
func IsCSS(path string) bool { return strings.HasSuffix(strings.ToLower(path), ".css") }
