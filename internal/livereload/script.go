package livereload

import (
	"bytes"
	"strings"
)

// Script is the client, added before </body> of every previewed page. It
// builds the error overlay and the warnings panel with DOM methods and
// textContent only, so a message can never inject markup.
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
      box.appendChild(el("h3", "font-size:1.1rem;margin:1rem 0 .25rem", e.file + (e.line ? ":" + e.line + (e.column ? ":" + e.column : "") : "")));
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
  // The content check's findings: a small panel in the bottom corner,
  // collapsed to one button until asked, dismissible (until the findings
  // change), never covering the page for good.
  var panel = null;
  var DISMISSED = "lmcpress-warnings-dismissed", OPEN = "lmcpress-warnings-open";
  function store(k, v) { try { if (v == null) sessionStorage.removeItem(k); else sessionStorage.setItem(k, v); } catch (e) {} }
  function stored(k) { try { return sessionStorage.getItem(k); } catch (e) { return null; } }
  function plural(n, w) { return n + " " + w + (n === 1 ? "" : "s"); }
  function unwarn() { if (panel) { panel.remove(); panel = null; } }
  function warn(data) {
    var w = JSON.parse(data);
    var refocus = panel && panel.contains(document.activeElement) ? document.activeElement.id : "";
    unwarn();
    if (!w.count) { store(DISMISSED, null); return; }
    if (stored(DISMISSED) === data) return;
    if (!document.getElementById("lmcpress-warnings-style")) {
      var st = el("style", "", "#lmcpress-warnings button:focus-visible,#lmcpress-warnings-list:focus-visible{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}" +
        "#lmcpress-warnings button:hover{text-decoration:underline}");
      st.id = "lmcpress-warnings-style";
      (document.head || document.documentElement).appendChild(st);
    }
    var label = w.errors ? plural(w.count, "content problem") + " (" + plural(w.errors, "error") + ")" : plural(w.count, "content warning");
    panel = el("div", "position:fixed;right:1rem;bottom:1rem;z-index:2147483646;max-width:min(34rem,calc(100vw - 2rem));font:16px/1.4 system-ui,sans-serif;color:#0b0c0c;text-align:left");
    panel.id = "lmcpress-warnings";
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", "Content check: " + label);
    var list = el("div", "background:#fff;border:2px solid #0b0c0c;border-left:8px solid " + (w.errors ? "#d4351c" : "#f47738") + ";padding:.75rem 1rem;margin:0 0 .5rem;max-height:50vh;overflow:auto");
    list.id = "lmcpress-warnings-list";
    list.tabIndex = 0; // scrollable by keyboard
    list.hidden = true;
    list.appendChild(el("p", "margin:0 0 .5rem", "lmcpress check found these in the site. They do not stop it being built; fix them when you can, and this list updates when you save."));
    var ul = el("ul", "margin:0;padding:0;list-style:none");
    (w.findings || []).forEach(function (f) {
      var li = el("li", "margin:0;padding:.5rem 0;border-top:1px solid #b1b4b6");
      li.appendChild(el("strong", "display:block;overflow-wrap:anywhere", f.file + (f.line ? ":" + f.line + (f.column ? ":" + f.column : "") : "")));
      li.appendChild(el("span", "display:block;color:#505a5f;font-size:14px", f.severity + " " + f.rule));
      li.appendChild(el("p", "margin:.25rem 0 0", f.message));
      if (f.hint) li.appendChild(el("p", "margin:.25rem 0 0;color:#505a5f", "What to do: " + f.hint));
      ul.appendChild(li);
    });
    list.appendChild(ul);
    if (w.more) list.appendChild(el("p", "margin:.5rem 0 0;border-top:1px solid #b1b4b6;padding-top:.5rem", "... and " + w.more + " more: run lmcpress check to see them all."));
    var bar = el("div", "display:flex;justify-content:flex-end;gap:.5rem");
    var btn = "font:inherit;font-weight:bold;margin:0;padding:.5rem .75rem;border:2px solid #0b0c0c;border-radius:0;cursor:pointer;";
    var toggle = el("button", btn + "background:#0b0c0c;color:#fff");
    toggle.type = "button";
    toggle.id = "lmcpress-warnings-toggle";
    toggle.setAttribute("aria-controls", list.id);
    var arrow = el("span", "display:inline-block;width:1em");
    arrow.setAttribute("aria-hidden", "true");
    toggle.appendChild(arrow);
    toggle.appendChild(document.createTextNode(label));
    var close = el("button", btn + "background:#fff;color:#0b0c0c", "Dismiss");
    close.type = "button";
    close.id = "lmcpress-warnings-dismiss";
    close.setAttribute("aria-label", "Dismiss the " + label);
    function expand(open) {
      list.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      arrow.textContent = open ? "\u25BE" : "\u25B8";
      store(OPEN, open ? "1" : null);
    }
    toggle.addEventListener("click", function () { expand(list.hidden); });
    close.addEventListener("click", function () { store(DISMISSED, data); unwarn(); });
    panel.addEventListener("keydown", function (ev) {
      if ((ev.key === "Escape" || ev.key === "Esc") && !list.hidden) { expand(false); toggle.focus(); ev.stopPropagation(); }
    });
    bar.appendChild(toggle);
    bar.appendChild(close);
    panel.appendChild(list);
    panel.appendChild(bar);
    expand(stored(OPEN) === "1");
    document.body.appendChild(panel);
    if (refocus && document.getElementById(refocus)) document.getElementById(refocus).focus();
  }
  es.addEventListener("warnings", function (ev) { if (ev.data) { try { warn(ev.data); } catch (e) {} } });
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
