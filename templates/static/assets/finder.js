// Full-text search over the static index in search/ (written by newsgen.search.index): no server.
// The query is cut into terms by the same rules as newsgen/search/terms.py, with the tables that
// meta.json carries, and stemmed by the same Snowball stemmers (assets/stemmer/, WebAssembly) in
// each language of the index; only the term buckets and doc shards a query needs are fetched.
// A term's postings are in a bucket of terms/ (the settled documents) and, when the newest
// documents hold it too, in a bucket of latest/ (their ids follow those of terms/).
// A "quoted phrase" also needs its words in that order: each candidate's page is read to check.
(function () {
  "use strict";
  var root = document.querySelector("[data-finder]");
  if (!root || !window.fetch) return;
  var form = root.querySelector("form"), input = form.querySelector("input[name=q]");
  var status = root.querySelector("[role=status]"), list = root.querySelector("ol");
  var more = root.querySelector("button[data-more]"), header = document.getElementById("site-search");
  var index = root.dataset.index, base = root.dataset.base, lang = root.dataset.lang || "en-GB";
  var says = JSON.parse(root.dataset.messages || "{}"), plural = new Intl.PluralRules(lang);
  var PAGE = 20, EXPANSIONS = 50, PREFIX_FILES = 8, PHRASE_CHECKS = 200, PARALLEL = 6;
  var SEP = /[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+/, WORD = /[\p{L}\p{M}\p{N}_]+/gu;
  var CJK = /([\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+)/u;
  var files = {}, meta, keys = {}, stop = {}, stems = {}, digit = {}, run = 0, ranked = [], shown = 0;
  var marks, timer, pages = {};
  var QUOTED = /["\u201c\u201d\u201e\u00ab\u00bb]([^"\u201c\u201d\u201e\u00ab\u00bb]+)["\u201c\u201d\u201e\u00ab\u00bb]/g;
  function say(key, values) {
    var text = says[key];
    if (key === "results") text = text[plural.select(values.num)] || text.other;
    return text.replace(/%\((\w+)\)[sd]/g, function (_, name) { return values[name]; });
  }

  function get(path, text) {
    if (!files[path]) files[path] = fetch(index + path).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return text ? r.text() : r.json();
    }).catch(function (error) { delete files[path]; throw error; });  // a later query tries again
    return files[path];
  }
  function fold(s) {
    s = s.normalize("NFKD").toLowerCase().replace(/[\u0300-\u036f\u064b-\u065f\u0670]+/g, "").normalize("NFC");
    return s.replace(/./gu, function (c) { return meta.fold[c] || c; });
  }
  // The folded words of a text, in order: rules 1-4 of search/terms.py. With `all`, every word
  // and each Han or kana character, as a phrase is checked; else terms as the index has them.
  function tokens(text, all) {
    var out = [];
    text.replace(/([0-9]),(?=[0-9]{3}(?![0-9]))/g, "$1").split(SEP).forEach(function (piece) {
      (fold(piece).match(WORD) || []).forEach(function (r) {
        r.split(CJK).forEach(function (part, i) {
          var c = Array.from(part);
          if (i % 2 && all) out.push.apply(out, c);
          else if (i % 2) for (var j = 0; j < Math.max(1, c.length - 1); j++) out.push(c.slice(j, j + 2).join(""));
          else if (all ? part : c.length >= meta.minLength && c.length <= meta.maxLength) out.push(part);
        });
      });
    });
    return out;
  }
  // Each word of a query as its stems in the index's languages (rules 5 and 6), none for a word
  // that is a stop word in every one of them.
  function terms(text) {
    return tokens(text).map(function (word) {
      var found = [];
      meta.languages.forEach(function (l) {
        if (stop[l].has(word)) return;
        var s = stems[l] ? stems[l].stem(word) : word;
        if (found.indexOf(s) < 0) found.push(s);
      });
      return found;
    }).filter(function (found) { return found.length; });
  }
  function bucketOf(term, folder) {
    var c = Array.from(term);
    for (var n = c.length; n > 0; n--) if (keys[folder].has(c.slice(0, n).join(""))) return c.slice(0, n).join("");
    return null;
  }
  function fileOf(key, folder) {
    return folder + "/" + Array.from(key).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("") + ".json";
  }
  // A term's postings as [ids, counts] (the format is described in newsgen/search/index.py).
  function decode(code) {
    var ids = [], tfs = [];
    for (var i = 0, id = 0, n = 0; i < code.length; i++) {
      var v = digit[code[i]];
      n = n * 32 + (v & 31);
      if (v >= 32) { id += Math.floor(n / 16); ids.push(id); tfs.push(n % 16 + 1); n = 0; }
    }
    return [ids, tfs];
  }
  // Score each document holding every word (any of its stems; the last one as a prefix) by
  // BM25; best first.
  function rank(words, prefix, buckets, norms) {
    var N = meta.docs, k1 = meta.k1, b = meta.b, found = [];
    words.forEach(function (word, w) {
      var open = prefix && w === words.length - 1, matches = Object.create(null), score = new Map();
      // Buckets of terms/ come before those of latest/: a term found in both has its ids in order.
      buckets[w].forEach(function (bucket) {
        for (var t in bucket) {
          if (!word.some(function (s) { return t === s || (open && t.startsWith(s)); })) continue;
          var got = decode(bucket[t]), had = matches[t];
          matches[t] = had ? [had[0].concat(got[0]), had[1].concat(got[1])] : got;
        }
      });
      // A short prefix can match thousands of terms: the most frequent ones are enough.
      Object.keys(matches).sort(function (x, y) {
        return matches[y][0].length - matches[x][0].length || (x < y ? -1 : 1);
      }).slice(0, EXPANSIONS).forEach(function (t) {
        var ids = matches[t][0], tfs = matches[t][1];
        var idf = Math.log(1 + (N - ids.length + 0.5) / (ids.length + 0.5));
        ids.forEach(function (id, i) {
          var dl = Math.pow(meta.normBase, digit[norms[id]]);
          var s = idf * tfs[i] * (k1 + 1) / (tfs[i] + k1 * (1 - b + b * dl / meta.avgdl));
          if (!(score.get(id) >= s)) score.set(id, s);
        });
      });
      found.push(score);
    });
    var fewest = found.reduce(function (x, y) { return y.size < x.size ? y : x; }), hits = [];
    fewest.forEach(function (_, id) {
      if (found.every(function (f) { return f.has(id); })) {
        hits.push([id, found.reduce(function (s, f) { return s + f.get(id); }, 0)]);
      }
    });
    return hits.sort(function (x, y) { return y[1] - x[1] || y[0] - x[0]; });
  }
  function load() {
    return meta ? Promise.resolve() : Promise.all([get("meta.json"), stemmers()]).then(function (got) {
      var m = got[0], snowball = got[1];
      keys = {terms: new Set(m.buckets), latest: new Set(m.latest || [])};
      m.languages.forEach(function (l) {
        stop[l] = new Set(m.stop[l]);
        if (m.stemmers[l]) stems[l] = new snowball.Stemmer(snowball.Languages[m.stemmers[l]]);
      });
      Array.from(m.digits).forEach(function (c, i) { digit[c] = i; });
      meta = m;
    });
  }
  // The Snowball stemmers, loaded once: a module of about 10 KB and 380 KB of WebAssembly.
  function stemmers() {
    if (!files.stemmer) files.stemmer = import(root.dataset.stemmer).then(function (module) {
      return module.default().then(function () { return module; });
    });
    return files.stemmer;
  }
  function search(query) {
    var mine = ++run;
    return load().then(function () { return lookUp(mine, query); });
  }
  function lookUp(mine, query) {
    var phrases = [], m;
    while ((m = QUOTED.exec(query))) phrases.push(tokens(m[1], true));
    phrases = phrases.filter(function (p) { return p.length > 1; });
    var words = terms(query), prefix = !/\s$/.test(query) && !/["\u201c\u201d\u201e\u00ab\u00bb]\s*$/.test(query);
    if (!words.length) return show(mine, query, [], [], false);
    var needed = words.map(function (word, w) {
      var open = prefix && w === words.length - 1, paths = [];
      ["terms", "latest"].forEach(function (folder) {
        var found = word.map(function (s) { return bucketOf(s, folder); });
        if (open) {
          var longer = Array.from(keys[folder]).filter(function (k) {
            return word.some(function (s) { return k.length > s.length && k.startsWith(s); });
          });
          if (longer.length <= PREFIX_FILES) found = found.concat(longer); else prefix = open = false;
        }
        found.forEach(function (k) {
          var path = k !== null && fileOf(k, folder);
          if (path && paths.indexOf(path) < 0) paths.push(path);  // each bucket once
        });
      });
      return Promise.all(paths.map(function (path) { return get(path); }));
    });
    return Promise.all([Promise.all(needed), get("norms.txt", true)]).then(function (got) {
      if (mine !== run) return;
      var hits = rank(words, prefix, got[0], got[1]);
      return (phrases.length ? holding(mine, hits, phrases) : Promise.resolve(hits)).then(function (kept) {
        if (mine === run) return show(mine, query, kept, words, prefix);
      });
    });
  }
  // The hits whose page has every phrase, word for word, checking at most PHRASE_CHECKS pages,
  // best first, PARALLEL at a time.
  function holding(mine, hits, phrases) {
    var checks = hits.slice(0, PHRASE_CHECKS), found = new Array(checks.length), next = 0;
    function worker() {
      var at = next++;
      if (at >= checks.length || mine !== run) return Promise.resolve();
      return docs([checks[at]], 0).then(function (doc) { return pageWords(doc[0][0]); }).then(function (text) {
        found[at] = phrases.every(function (p) { return text.indexOf(" " + p.join(" ") + " ") >= 0; });
        return worker();
      });
    }
    var workers = [];
    for (var i = 0; i < PARALLEL; i++) workers.push(worker());
    return Promise.all(workers).then(function () {
      return checks.filter(function (_, i) { return found[i]; });
    });
  }
  // The words of an article's headline and body, folded, between spaces.
  function pageWords(url) {
    if (!pages[url]) pages[url] = fetch(base + url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var parts = page.querySelectorAll("main h1, main .body");
      var text = Array.prototype.map.call(parts.length ? parts : [page.body], function (e) { return e.textContent; });
      return " " + tokens(text.join(" "), true).join(" ") + " ";
    }).catch(function (error) { delete pages[url]; throw error; });
    return pages[url];
  }
  // The documents of hits[from, from + PAGE), from their doc shards.
  function docs(hits, from) {
    return Promise.all(hits.slice(from, from + PAGE).map(function (hit) {
      return get("docs/" + Math.floor(hit[0] / meta.shardSize) + ".json").then(function (shard) {
        return shard[hit[0] % meta.shardSize];
      });
    }));
  }
  function append(found) {
    found.forEach(function (doc) { list.appendChild(item(doc)); });
    shown += found.length;
    more.hidden = shown >= ranked.length;
    more.disabled = false;
  }
  // Replace the results once their first page is loaded, then announce how many there are.
  function show(mine, query, hits, words, prefix) {
    return docs(hits, 0).then(function (found) {
      if (mine !== run) return;
      ranked = hits; shown = 0; list.textContent = ""; list.hidden = !hits.length;
      var all = [].concat.apply([], words), last = words[words.length - 1] || [];
      marks = function (term) {
        return all.indexOf(term) >= 0 || (prefix && last.some(function (s) { return term.startsWith(s); }));
      };
      append(found);
      var n = hits.length, q = query.trim();
      status.textContent = !q ? "" : n ? say("results", { num: n, query: q }) : say("none", { query: q });
    });
  }
  function el(tag, cls, parent) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }
  // Put the text in `parent`, each word that matched the query in a <mark>.
  function marked(parent, text) {
    var at = 0;
    text.replace(WORD, function (w, offset) {
      if (![].concat.apply([], terms(w)).some(marks)) return w;
      parent.appendChild(document.createTextNode(text.slice(at, offset)));
      el("mark", "", parent).textContent = w;
      at = offset + w.length;
      return w;
    });
    parent.appendChild(document.createTextNode(text.slice(at)));
  }
  function item(doc) {
    var li = el("li", "card"), text = el("div", "card-text", li);
    if (doc[3]) el("p", "kicker", text).textContent = doc[3];
    var a = el("a", "", el("h2", "card-title", text));
    a.href = base + doc[0];
    marked(a, doc[1]);
    if (doc[4]) marked(el("p", "summary", text), doc[4]);
    var time = el("time", "", el("p", "meta", text));
    time.dateTime = doc[2];
    time.textContent = new Date(doc[2] + "T12:00:00Z").toLocaleDateString(lang,
      { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    return li;
  }
  function fail(error) {
    status.textContent = say("failed", { error: error.message });
  }
  // Search, and keep ?q= in step so a search can be bookmarked, shared and reloaded.
  function update(now) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var query = input.value, url = new URL(location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      history.replaceState(history.state, "", url);
      search(query).catch(fail);
    }, now ? 0 : 150);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); update(true); });
  input.addEventListener("input", function () { update(false); });
  more.addEventListener("click", function () {
    var mine = run;
    more.disabled = true;
    docs(ranked, shown).then(function (found) { if (mine === run) append(found); }).catch(fail);
  });
  var query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  if (header) header.value = query;
  if (query) search(query).catch(fail); else input.focus();
})();
