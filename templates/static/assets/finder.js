// Full-text search over the static index in search/ (written by newsgen.searchindex): no server.
// The query is cut into terms by the same rules as newsgen/searchterms.py, with the tables that
// meta.json carries; only the term buckets and doc shards a query needs are fetched.
(function () {
  "use strict";
  var root = document.querySelector("[data-finder]");
  if (!root || !window.fetch) return;
  var form = root.querySelector("form"), input = form.querySelector("input[name=q]");
  var status = root.querySelector("[role=status]"), list = root.querySelector("ol");
  var more = root.querySelector("button[data-more]"), header = document.getElementById("site-search");
  var index = root.dataset.index, base = root.dataset.base;
  var PAGE = 20, EXPANSIONS = 50, PREFIX_FILES = 8;
  var SEP = /[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]+/, WORD = /[\p{L}\p{M}\p{N}_]+/gu;
  var CJK = /([\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+)/u;
  var files = {}, meta, keys, stop, digit = {}, run = 0, ranked = [], shown = 0, marks, timer;

  function get(path, text) {
    if (!files[path]) files[path] = fetch(index + path).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return text ? r.text() : r.json();
    }).catch(function (error) { delete files[path]; throw error; });  // a later query tries again
    return files[path];
  }
  function fold(s) {
    s = s.normalize("NFKD").toLowerCase().replace(/[\u0300-\u036f]+/g, "").normalize("NFC");
    return s.replace(/./gu, function (c) { return meta.fold[c] || c; });
  }
  // The terms of a text, in order: rules 1-5 of searchterms.py.
  function terms(text) {
    var out = [];
    text.replace(/([0-9]),(?=[0-9]{3}(?![0-9]))/g, "$1").split(SEP).forEach(function (piece) {
      (fold(piece).match(WORD) || []).forEach(function (r) {
        r.split(CJK).forEach(function (part, i) {
          var c = Array.from(part);
          if (i % 2) for (var j = 0; j < Math.max(1, c.length - 1); j++) out.push(c.slice(j, j + 2).join(""));
          else if (c.length >= meta.minLength && c.length <= meta.maxLength && !stop.has(part)) out.push(part);
        });
      });
    });
    return out;
  }
  function bucketOf(term) {
    var c = Array.from(term);
    for (var n = c.length; n > 0; n--) if (keys.has(c.slice(0, n).join(""))) return c.slice(0, n).join("");
    return null;
  }
  function fileOf(key) {
    return "terms/" + Array.from(key).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("") + ".json";
  }
  // A term's postings as [ids, counts] (the format is described in searchindex.py).
  function decode(code) {
    var ids = [], tfs = [];
    for (var i = 0, id = 0, n = 0; i < code.length; i++) {
      var v = digit[code[i]];
      n = n * 32 + (v & 31);
      if (v >= 32) { id += Math.floor(n / 16); ids.push(id); tfs.push(n % 16 + 1); n = 0; }
    }
    return [ids, tfs];
  }
  // Score each document holding every word (the last one as a prefix) by BM25; best first.
  function rank(words, prefix, buckets, norms) {
    var N = meta.docs, k1 = meta.k1, b = meta.b, found = [];
    words.forEach(function (word, w) {
      var open = prefix && w === words.length - 1, matches = Object.create(null), score = new Map();
      buckets[w].forEach(function (bucket) {
        for (var t in bucket) if (t === word || (open && t.startsWith(word))) matches[t] = decode(bucket[t]);
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
    return meta ? Promise.resolve() : get("meta.json").then(function (m) {
      keys = new Set(m.buckets); stop = new Set(m.stop);
      Array.from(m.digits).forEach(function (c, i) { digit[c] = i; });
      meta = m;
    });
  }
  function search(query) {
    var mine = ++run;
    return load().then(function () { return lookUp(mine, query); });
  }
  function lookUp(mine, query) {
    var words = terms(query), prefix = !/\s$/.test(query);
    if (!words.length) return show(mine, query, [], [], false);
    var needed = words.map(function (word, w) {
      var found = [bucketOf(word)];
      if (prefix && w === words.length - 1) {
        var longer = meta.buckets.filter(function (k) { return k.length > word.length && k.startsWith(word); });
        if (longer.length <= PREFIX_FILES) found = found.concat(longer); else prefix = false;
      }
      return Promise.all(found.filter(Boolean).map(function (k) { return get(fileOf(k)); }));
    });
    return Promise.all([Promise.all(needed), get("norms.txt", true)]).then(function (got) {
      if (mine === run) return show(mine, query, rank(words, prefix, got[0], got[1]), words, prefix);
    });
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
      marks = function (term) {
        return words.indexOf(term) >= 0 || (prefix && term.startsWith(words[words.length - 1]));
      };
      append(found);
      var n = hits.length, q = query.trim();
      status.textContent = !q ? "" : (n ? n + (n === 1 ? " result" : " results") : "No results") +
        " for \u201c" + q + "\u201d";
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
      if (!terms(w).some(marks)) return w;
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
    time.textContent = new Date(doc[2] + "T12:00:00Z").toLocaleDateString("en-GB",
      { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    return li;
  }
  function fail(error) {
    status.textContent = "Search is not available right now (" + error.message + "). Browse by topic or source instead.";
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
