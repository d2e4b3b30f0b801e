// lmcpress site search: reads the index that `lmcpress build` writes to
// /search/index/ (format: internal/search's package documentation) and loads
// only the shards a query needs. Its ranking rules are held by the browser
// test in internal/search (TestSearchScript), which runs this very file.
// No framework, no third-party code. Without this script, /search/ still
// offers the form and the topic list.
(function () {
  'use strict';

  var ROOT = '/search/index/';
  var PAGE = 10; // results shown at a time

  // --- words (internal/search/normalize.go) ---------------------------------

  var FOLD = { 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'þ': 'th', 'ð': 'd', 'ø': 'o', 'đ': 'd', 'ħ': 'h', 'ł': 'l', 'ŀ': 'l', 'ı': 'i', 'ŉ': 'n', 'ŧ': 't' };
  var ACCENTS = {
    a: 'àáâãäåāăą', c: 'çćĉċč', d: 'ď', e: 'èéêëēĕėęě', g: 'ĝğġģ', h: 'ĥ',
    i: 'ìíîïĩīĭį', j: 'ĵ', k: 'ķ', l: 'ĺļľ', n: 'ñńņň', o: 'òóôõöōŏő',
    r: 'ŕŗř', s: 'śŝşš', t: 'ţť', u: 'ùúûüũūŭůűų', w: 'ŵ', y: 'ýÿŷ', z: 'źżž'
  };
  Object.keys(ACCENTS).forEach(function (base) {
    for (var ch of ACCENTS[base]) FOLD[ch] = base;
  });
  var WORD = /[\p{L}\p{Nd}]/u;
  var APOS = /['’ʼ]/;
  var LINE_GAP = 4;

  var stop = new Set();
  var spell = {};

  function fold(ch) {
    var l = Array.from(ch.toLowerCase())[0]; // one code point, as Go's unicode.ToLower
    return FOLD[l] || l;
  }

  function stem(w) {
    var n = w.length;
    if (n >= 5 && w.endsWith('ies')) return w.slice(0, n - 3) + 'y';
    if (n >= 5 && w.endsWith('sses')) return w.slice(0, n - 2);
    if (n >= 3 && w[n - 1] === 's' && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, n - 1);
    return w;
  }

  function izeToIse(w) {
    if (w.indexOf('z') < 0) return w;
    var b = w.split('');
    for (var i = 3; i + 1 < b.length; i++) {
      if (b[i + 1] !== 'z' || (b[i] !== 'i' && !(b[i] === 'y' && b[i - 1] === 'l'))) continue;
      if (i + 2 === b.length || b[i + 2] === 'e' || b[i + 2] === 'a' || b[i + 2] === 'i') b[i + 1] = 's';
    }
    return b.join('');
  }

  // normalizeFolded returns [term, skip].
  function normalizeFolded(w) {
    if (stop.has(w) || Array.from(w).length < 2) return [w, true];
    if (Object.prototype.hasOwnProperty.call(spell, w)) return [spell[w], false];
    w = stem(w);
    if (Object.prototype.hasOwnProperty.call(spell, w)) return [spell[w], false];
    return [izeToIse(w), false];
  }

  function tokenize(text, pos) {
    var toks = [];
    var word = '';
    function flush() {
      if (!word) return;
      var r = normalizeFolded(word);
      toks.push({ term: r[0], pos: pos, skip: r[1] });
      pos++;
      word = '';
    }
    for (var ch of text) {
      if (APOS.test(ch)) continue;
      if (WORD.test(ch)) { word += fold(ch); continue; }
      flush();
      if (ch === '\n') pos += LINE_GAP;
    }
    flush();
    return toks;
  }

  // --- fetching ----------------------------------------------------------------

  var cache = new Map();

  // inflate ungzips bytes: a promise of a Uint8Array.
  function inflate(bytes) {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      var s = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
      return new Response(s).arrayBuffer().then(function (b) { return new Uint8Array(b); });
    }
    return Promise.resolve(bytes); // a server that unzipped it already
  }

  // load fetches a file and inflates it (unless opts.raw): a Uint8Array.
  function load(name, opts) {
    if (!cache.has(name)) {
      var raw = opts && opts.raw;
      var p = fetch(ROOT + name, raw ? {} : opts).then(function (res) {
        if (!res.ok) throw new Error(name + ': HTTP ' + res.status);
        return res.arrayBuffer();
      }).then(function (buf) { return raw ? new Uint8Array(buf) : inflate(new Uint8Array(buf)); });
      p.catch(function () { cache.delete(name); });
      cache.set(name, p);
    }
    return cache.get(name);
  }

  // part fetches bytes from to to (inclusive; to the end if to is null)
  // of a file with a range request: a Uint8Array. A server that ignores
  // ranges sends the whole file: if whole is set, the file is kept and
  // cut; if not, the answer is null and the server is not asked for parts
  // of such files again (a pack is large, and what it gives is optional).
  var ranges = true;
  function part(name, from, to, whole) {
    var key = name + '#' + from + '-' + (to === null ? '' : to);
    if (!cache.has(key)) {
      var p;
      if (!ranges && !whole) {
        p = Promise.resolve(null);
      } else if (cache.has(name) || !ranges) { // the whole file, loaded once
        p = load(name, { raw: true }).then(function (b) { return b.subarray(from, to === null ? b.length : to + 1); });
      } else {
        var stop = new AbortController();
        p = fetch(ROOT + name, { headers: { Range: 'bytes=' + from + '-' + (to === null ? '' : to) }, signal: stop.signal }).then(function (res) {
          if (res.status === 200) {
            ranges = false;
            if (!whole) {
              stop.abort();
              return null;
            }
            var b = res.arrayBuffer().then(function (buf) { return new Uint8Array(buf); });
            cache.set(name, b);
            return b.then(function (b) { return b.subarray(from, to === null ? b.length : to + 1); });
          }
          if (res.status !== 206) throw new Error(name + ': HTTP ' + res.status);
          return res.arrayBuffer().then(function (b) { return new Uint8Array(b); });
        });
      }
      p.catch(function () { cache.delete(key); });
      cache.set(key, p);
    }
    return cache.get(key);
  }

  var utf8 = new TextDecoder();
  function loadJSON(name, opts) {
    return load(name, opts).then(function (b) { return JSON.parse(utf8.decode(b)); });
  }

  // reader reads the unsigned varints and bytes of a t/ or p/ file.
  function reader(b, at) {
    var r = {
      i: at || 0,
      num: function () {
        var x = 0, mul = 1, c;
        do {
          if (r.i >= b.length) throw new Error('search index: damaged file');
          c = b[r.i++];
          x += (c & 0x7f) * mul;
          mul *= 128;
        } while (c & 0x80);
        return x;
      },
      bytes: function (n) { r.i += n; return b.subarray(r.i - n, r.i); }
    };
    return r;
  }
  var BIN_FORMAT = 1, META_FORMAT = 4;

  var metaP = null;
  function meta() {
    if (!metaP) {
      metaP = loadJSON('meta.bin', { cache: 'no-cache' }).then(function (m) {
        if (m.format !== META_FORMAT) throw new Error('search index: format ' + m.format);
        stop = new Set(m.stop);
        spell = m.spell;
        return m;
      });
      metaP.catch(function () { metaP = null; });
    }
    return metaP;
  }

  function idf(n, df) { return Math.round(100 * Math.log(1 + n / df)); }

  // A shard's file holds its terms, then their positions (fetched only for
  // queries of two words or more): two gzip members, read as two parts.
  function shardFile(m, si) { return 's/' + m.shards[si] + '.bin'; }

  var shards = new Map();
  function shard(m, si) {
    if (!shards.has(si)) {
      shards.set(si, part(shardFile(m, si), 0, m.tlen[si] - 1, true).then(inflate).then(function (b) {
        var sh = { terms: [], idf: [], posts: [], at: new Map(), si: si };
        var r = reader(b);
        if (r.bytes(1)[0] !== BIN_FORMAT) throw new Error('search index: format');
        for (var k = 0, n = r.num(); k < n; k++) {
          var t = utf8.decode(r.bytes(r.num())), df = r.num(), ps = new Array(2 * df), doc = 0, j;
          for (j = 0; j < df; j++) { doc += r.num(); ps[2 * j] = doc; }
          var codes = r.bytes(df);
          for (j = 0; j < df; j++) ps[2 * j + 1] = codes[j];
          sh.terms.push(t); sh.idf.push(idf(m.docs, Math.max(df, 1))); sh.posts.push(ps); sh.at.set(t, k);
        }
        return sh;
      }));
      shards.get(si).catch(function () { shards.delete(si); });
    }
    return shards.get(si);
  }

  var posShards = new Map();
  function positions(m, si) { // a p/ file: its bytes, and where each term's positions start
    if (!posShards.has(si)) {
      posShards.set(si, part(shardFile(m, si), m.tlen[si], null, true).then(inflate).then(function (b) {
        var r = reader(b);
        if (r.bytes(1)[0] !== BIN_FORMAT) throw new Error('search index: format');
        var n = r.num(), lens = [], at = [];
        for (var k = 0; k < n; k++) lens.push(r.num());
        for (k = 0; k < n; k++) { at.push(r.i); r.i += lens[k]; }
        return { b: b, at: at };
      }));
      posShards.get(si).catch(function () { posShards.delete(si); });
    }
    return posShards.get(si);
  }

  // record is what a result shows of page doc, from its bucket.
  function record(m, doc) {
    var b = Math.floor(doc / m.bucket);
    return loadJSON('d/' + b + '.bin?v=' + m.version).then(function (list) { return list[doc - b * m.bucket]; });
  }

  // text is page doc's summary and text, {m, x}, from its pack: where
  // they are (two offsets in the pack's header), then them. {} if the
  // server cannot send a part.
  async function text(m, doc) {
    var k = Math.floor(doc / m.pack), j = doc - k * m.pack, name = 'x/' + k + '.bin?v=' + m.version;
    var at = await part(name, 4 * j, 4 * j + 7, false);
    if (!at || at.length !== 8) return {};
    var dv = new DataView(at.buffer, at.byteOffset, 8);
    var z = await part(name, dv.getUint32(0, true), dv.getUint32(4, true) - 1, false);
    return z ? JSON.parse(utf8.decode(await inflate(z))) : {};
  }

  // --- ranking (rules: internal/search's TestSearchScript) -------------------------

  var EXACT = 6, PREFIX = 2, TYPO = 3, MIN_PREFIX = 3, MIN_TYPO = 5, MAX_PREFIX = 4, MAX_TYPO = 3;
  var MULT_PHRASE = 10, MULT_PAIR = 9, MULT_NONE = 8;
  var TF = [0, 10, 14, 17, 19, 21, 22, 23];

  function fieldScore(c) {
    return (c & 1 ? 100 : 0) + (c & 2 ? 40 : 0) + (c & 4 ? 30 : 0) + (c & 8 ? 20 : 0) + (c & 16 ? TF[c >> 5] : 0);
  }

  function endsInWord(q) {
    var cps = Array.from(q);
    return cps.length > 0 && WORD.test(cps[cps.length - 1]);
  }

  function parseQuery(q) {
    q = q.replace(/[“”„]/g, '"');
    var parts = q.split('"');
    var outside = [], phrases = [], seen = new Set();
    parts.forEach(function (p, i) {
      if (i % 2 === 1 && i < parts.length - 1) {
        var ph = tokenize(p, 0).filter(function (t) { return !t.skip; })
          .map(function (t) { return { term: t.term, rel: t.pos, exact: true, prefix: false }; });
        if (ph.length) phrases.push(ph);
        return;
      }
      outside.push(p);
    });
    phrases.forEach(function (ph) { ph.forEach(function (w) { seen.add(w.term); }); });
    var loose = [];
    var toks = tokenize(outside.join('\n'), 0);
    toks.forEach(function (t, i) {
      if (t.skip || seen.has(t.term)) return;
      seen.add(t.term);
      var typing = i === toks.length - 1 && parts.length % 2 === 1 && endsInWord(q);
      loose.push({ term: t.term, pre: typing ? typedPrefix(q, t.term) : t.term, rel: t.pos, exact: false, prefix: typing });
    });
    return { loose: loose, phrases: phrases };
  }

  // typedPrefix: the last word as typed, folded, if it is longer than its
  // term ("pens", not "pen"; "ins", not "in").
  function typedPrefix(q, term) {
    var m = /[\p{L}\p{Nd}'’ʼ]+$/u.exec(q), raw = '';
    for (var ch of m[0]) if (!APOS.test(ch)) raw += fold(ch);
    raw = izeToIse(raw);
    return raw.startsWith(term) ? raw : term;
  }

  function shardOf(first, t) { // the last shard whose first term is <= t
    var lo = 0, hi = first.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (first[mid] > t) hi = mid; else lo = mid + 1; }
    return lo - 1;
  }

  function prefixEnd(first, s0, p) {
    var hi = s0;
    while (hi + 1 < first.length && first[hi + 1].startsWith(p)) hi++;
    return hi;
  }

  function typoRange(first, w) {
    var r = Array.from(w), lo = 0, hi = 0;
    for (var n of [2, 3]) {
      var p = r.slice(0, n).join('');
      lo = shardOf(first, p);
      hi = prefixEnd(first, lo, p);
      if (hi - lo + 1 <= MAX_TYPO) return [lo, hi];
    }
    var s0 = shardOf(first, w);
    return [Math.max(lo, s0 - 1), Math.min(hi, s0 + 1)];
  }

  function oneEdit(a, b) {
    var x = Array.from(a), y = Array.from(b);
    if (x.length < y.length) { var t = x; x = y; y = t; }
    var i = 0, rest = function (arr, k) { return arr.slice(k).join(''); };
    if (x.length === y.length) {
      while (i < x.length && x[i] === y[i]) i++;
      if (i === x.length) return false;
      if (rest(x, i + 1) === rest(y, i + 1)) return true;
      return i + 1 < x.length && x[i] === y[i + 1] && x[i + 1] === y[i] && rest(x, i + 2) === rest(y, i + 2);
    }
    if (x.length - y.length === 1) {
      while (i < y.length && x[i] === y[i]) i++;
      return rest(x, i + 1) === rest(y, i);
    }
    return false;
  }

  async function match(m, w) {
    var first = m.first, out = [];
    if (!first.length) return out;
    var sE = shardOf(first, w.term), pre = w.pre || w.term;
    var prefix = !w.exact && Array.from(pre).length >= MIN_PREFIX;
    if (prefix && !w.prefix) prefix = !(await shard(m, sE)).at.has(w.term);
    var want = [sE];
    if (prefix) {
      var lo = shardOf(first, pre), hi = prefixEnd(first, lo, pre);
      if (hi - lo + 1 > MAX_PREFIX) hi = lo + MAX_PREFIX - 1;
      for (var si = lo; si <= hi; si++) if (si !== sE) want.push(si);
    }
    var list = await Promise.all(want.map(function (si) { return shard(m, si); }));
    list.forEach(function (sh) {
      sh.terms.forEach(function (t, k) {
        if (t === w.term) out.push({ term: t, factor: EXACT, shard: sh, k: k });
        else if (prefix && t.startsWith(pre)) out.push({ term: t, factor: PREFIX, shard: sh, k: k });
      });
    });
    if (out.length || w.exact || Array.from(w.term).length < MIN_TYPO) return out;
    var r = typoRange(first, w.term);
    list = [];
    for (var ti = r[0]; ti <= r[1]; ti++) list.push(shard(m, ti));
    (await Promise.all(list)).forEach(function (sh) {
      sh.terms.forEach(function (t, k) {
        if (oneEdit(t, w.term)) out.push({ term: t, factor: TYPO, shard: sh, k: k });
      });
    });
    return out;
  }

  async function termPositions(m, mt) {
    var ps = await positions(m, mt.shard.si);
    var r = reader(ps.b, ps.at[mt.k]), posts = mt.shard.posts[mt.k], out = new Map();
    for (var pi = 0; pi < posts.length; pi += 2) {
      var n = r.num(), p = 0, list = new Array(n);
      for (var x = 0; x < n; x++) { p += r.num(); list[x] = p; }
      out.set(posts[pi], list);
    }
    return out;
  }

  function phraseAt(pos, ws, d) {
    var first = pos[0].get(d) || [];
    outer: for (var p of first) {
      for (var k = 1; k < ws.length; k++) {
        var l = pos[k].get(d);
        if (!l || !l.includes(p + ws[k].rel - ws[0].rel)) continue outer;
      }
      return true;
    }
    return false;
  }

  function idSet(deltas) {
    var s = new Set(), id = 0;
    (deltas || []).forEach(function (d) { id += d; s.add(id); });
    return s;
  }

  // search answers a query: {hits: [[doc, score]...], words, matched}.
  async function search(q, f) {
    f = f || {};
    var m = await meta();
    var parsed = parseQuery(q), loose = parsed.loose, phrases = parsed.phrases;
    var words = loose.slice();
    phrases.forEach(function (ph) { words = words.concat(ph); });
    var res = { hits: [], words: words.map(function (w) { return w.term; }), matched: [] };
    if (!words.length) return res;
    var matches = await Promise.all(words.map(function (w) { return match(m, w); }));
    var bests = matches.map(function (terms) {
      var best = new Map();
      terms.forEach(function (mt) {
        res.matched.push(mt.term);
        var posts = mt.shard.posts[mt.k], idf = mt.shard.idf[mt.k];
        for (var j = 0; j < posts.length; j += 2) {
          var s = mt.factor * fieldScore(posts[j + 1]) * idf;
          if (s > (best.get(posts[j]) || 0)) best.set(posts[j], s);
        }
      });
      return best;
    });
    var cands = [];
    bests[0].forEach(function (_, d) {
      if (bests.every(function (b) { return b.has(d); })) cands.push(d);
    });
    cands.sort(function (a, b) { return a - b; });
    if (f.section || f.topic) {
      var fl = await loadJSON('filters.bin?v=' + m.version);
      var sec = f.section ? idSet(fl.sections[f.section]) : null;
      var top = f.topic ? idSet(fl.topics[f.topic]) : null;
      cands = cands.filter(function (d) { return (!sec || sec.has(d)) && (!top || top.has(d)); });
    }
    var posOf = [];
    if ((loose.length >= 2 || phrases.length) && cands.length) {
      posOf = await Promise.all(matches.map(async function (terms) {
        var per = new Map();
        for (var mt of terms) {
          var tp = await termPositions(m, mt);
          cands.forEach(function (d) {
            var p = tp.get(d);
            if (p) per.set(d, (per.get(d) || []).concat(p));
          });
        }
        per.forEach(function (p) { p.sort(function (a, b) { return a - b; }); });
        return per;
      }));
    }
    cands.forEach(function (d) {
      var wi = loose.length;
      for (var ph of phrases) {
        if (ph.length > 1 && !phraseAt(posOf.slice(wi, wi + ph.length), ph, d)) return;
        wi += ph.length;
      }
      var sum = 0;
      bests.forEach(function (b) { sum += b.get(d); });
      var mult = MULT_NONE;
      if (loose.length >= 2) {
        if (phraseAt(posOf.slice(0, loose.length), loose, d)) mult = MULT_PHRASE;
        else if (loose.length >= 3) {
          for (var k = 0; k + 1 < loose.length; k++) {
            if (phraseAt(posOf.slice(k, k + 2), loose.slice(k, k + 2), d)) { mult = MULT_PAIR; break; }
          }
        }
      }
      res.hits.push([d, sum * mult]);
    });
    res.hits.sort(function (a, b) { return b[1] - a[1] || b[0] - a[0]; }); // newest (highest id) first among equals
    res.matched.sort();
    return res;
  }

  window.lmcSearch = { search: search, tokenize: tokenize, meta: meta, idf: idf, record: record, text: text };

  // --- the page ----------------------------------------------------------------

  var form = document.getElementById('search-form');
  var input = document.getElementById('search-q');
  var status = document.getElementById('search-status');
  var out = document.getElementById('search-results');
  var section = document.getElementById('search-section');
  var topic = document.getElementById('search-topic');
  if (!form || !input || !status || !out) return;
  if (typeof DecompressionStream === 'undefined') {
    status.textContent = 'Search needs a newer browser. Browse the topics below instead.';
    return;
  }
  var filtersBox = document.getElementById('search-filters');
  if (filtersBox) filtersBox.hidden = false;

  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function date(iso) {
    var p = iso.split('-');
    return +p[2] + ' ' + MONTHS[+p[1] - 1] + ' ' + p[0];
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) e.textContent = text;
    return e;
  }

  // marked appends text to parent with the words whose terms are in set
  // wrapped in <mark>.
  var RAW = /[\p{L}\p{Nd}'’ʼ]+/gu;
  var termMemo = new Map();
  function termOf(raw) { // the index term of a word in a title or text, or ''
    var t = termMemo.get(raw);
    if (t === undefined) {
      var tk = tokenize(raw, 0)[0];
      t = tk && !tk.skip ? tk.term : '';
      termMemo.set(raw, t);
    }
    return t;
  }
  function marked(parent, text, set) {
    var last = 0, mm;
    RAW.lastIndex = 0;
    while ((mm = RAW.exec(text))) {
      if (!set.has(termOf(mm[0]))) continue;
      parent.appendChild(document.createTextNode(text.slice(last, mm.index)));
      parent.appendChild(el('mark', null, mm[0]));
      last = mm.index + mm[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  // excerpt is about 30 words of text around the most matched words.
  function excerpt(text, set) {
    var words = [], mm;
    text = text.replace(/\s+/g, ' ').trim();
    RAW.lastIndex = 0;
    while ((mm = RAW.exec(text))) {
      var t = termOf(mm[0]);
      words.push({ at: mm.index, end: mm.index + mm[0].length, hit: set.has(t) ? t : '' });
    }
    var N = 30, best = -1, bestAt = 0;
    for (var i = 0; i < words.length; i++) {
      if (!words[i].hit) continue;
      var seen = new Set(), count = 0;
      for (var j = i; j < Math.min(words.length, i + N); j++) {
        if (words[j].hit) { count++; seen.add(words[j].hit); }
      }
      var score = seen.size * 100 + count;
      if (score > best) { best = score; bestAt = Math.max(0, i - 5); }
    }
    if (best < 0) return null;
    var end = Math.min(words.length, bestAt + N) - 1;
    var s = text.slice(words[bestAt].at, words[end].end);
    return (bestAt > 0 ? '…' : '') + s + (end < words.length - 1 ? '…' : '');
  }

  var seq = 0, current = null, shown = 0;

  function filter() {
    return { section: section ? section.value : '', topic: topic ? topic.value : '' };
  }

  function setURL(q, f) {
    var p = new URLSearchParams();
    if (q) p.set('q', q);
    if (f.section) p.set('section', f.section);
    if (f.topic) p.set('topic', f.topic);
    var s = p.toString();
    history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
  }

  function label(sel) { return sel && sel.value ? sel.options[sel.selectedIndex].text : ''; }

  async function run() {
    var q = input.value, f = filter(), my = ++seq;
    setURL(q.trim(), f);
    if (!q.trim()) {
      out.textContent = '';
      status.textContent = '';
      current = null;
      return;
    }
    var res;
    try {
      res = await search(q, f);
    } catch (e) {
      if (my === seq) status.textContent = 'Search is not available just now. Browse the topics below instead.';
      return;
    }
    if (my !== seq) return;
    current = { q: q.trim(), res: res, set: new Set(res.matched) };
    shown = 0;
    var list = el('ol', { class: 'search-results' });
    if (!res.hits.length) {
      out.textContent = '';
      renderNone(res);
    } else {
      // The new list is built aside and then replaces the old one, so
      // that while records load the page never shows an empty list under
      // the last query's status line.
      var box = document.createDocumentFragment();
      box.appendChild(list);
      await more(list, my, false, box);
      if (my !== seq) return;
      out.replaceChildren(box);
    }
    var where = [label(section), label(topic)].filter(Boolean);
    var n = res.hits.length;
    status.textContent = (n === 0 ? 'No results' : n === 1 ? '1 result' : n + ' results') +
      ' for ‘' + current.q + '’' + (where.length ? ' in ' + where.join(', ') : '') + '.';
  }

  function renderNone(res) {
    var p = el('p', { class: 'search-none' });
    if (!res.words.length) {
      p.textContent = 'Type a word to search for, such as “pensions” or “subject access”.';
    } else {
      p.appendChild(document.createTextNode('Check the spelling, use fewer or more general words' +
        (filter().section || filter().topic ? ', choose “All” in the filters' : '') + ', or browse '));
      p.appendChild(el('a', { href: '/topics/' }, 'all topics'));
      p.appendChild(document.createTextNode('.'));
    }
    out.appendChild(p);
  }

  async function more(list, my, focus, box) {
    box = box || out;
    var m = await meta();
    var page = current.res.hits.slice(shown, shown + PAGE);
    var recs = await Promise.all(page.map(function (h) {
      return Promise.all([record(m, h[0]), text(m, h[0]).catch(function () { return {}; })]);
    }));
    if (my !== seq) return;
    var firstLink = null;
    recs.forEach(function (rt) {
      var r = rt[0], tx = rt[1], li = el('li', { class: 'search-result' });
      var h = el('h2', { class: 'item-title' });
      var a = marked(el('a', { href: r.u }), r.t, current.set);
      h.appendChild(a);
      li.appendChild(h);
      firstLink = firstLink || a;
      var meta = el('p', { class: 'meta' });
      if (r.s) meta.appendChild(document.createTextNode(r.s));
      if (r.d) {
        if (r.s) meta.appendChild(document.createTextNode(' · '));
        meta.appendChild(el('time', { datetime: r.d }, date(r.d)));
        if (r.up) {
          meta.appendChild(document.createTextNode(' · updated '));
          meta.appendChild(el('time', { datetime: r.up }, date(r.up)));
        }
      }
      if (meta.childNodes.length) li.appendChild(meta);
      var ex = excerpt(tx.x || '', current.set) || tx.m;
      if (ex) li.appendChild(marked(el('p', { class: 'search-excerpt' }), ex, current.set));
      list.appendChild(li);
    });
    shown += page.length;
    var old = box.querySelector('.search-more');
    if (old) old.remove();
    if (shown < current.res.hits.length) {
      var b = el('button', { type: 'button', class: 'search-more' }, 'Show more results');
      b.addEventListener('click', function () { more(list, seq, true); });
      box.appendChild(b);
    }
    if (focus && firstLink) firstLink.focus();
  }

  var timer = 0;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(run, 40);
  }
  input.addEventListener('input', soon);
  if (section) section.addEventListener('change', run);
  if (topic) topic.addEventListener('change', run);
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });

  var params = new URLSearchParams(location.search);
  if (section && params.get('section')) section.value = params.get('section');
  if (topic && params.get('topic')) topic.value = params.get('topic');
  if (params.get('q')) {
    input.value = params.get('q');
    run();
  }
})();
