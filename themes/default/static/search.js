// helpsite search: the tokenizer (the same rules as src/search/tokenize.rs, English
// stemmer included), a small query engine over the sharded index, and the search UI.
// See "Search" in THEME.md for the markup it works with.
//
// Index files are scripts calling helpsiteSearch.manifest/shard/vocab/results, loaded
// with <script> elements so that search works from file:// as well as from any host.
// Everything that comes from the index or the query is inserted as text, never as HTML.
(function (global) {
  "use strict";

  // ---- tokenizer ----------------------------------------------------------------

  // Same list as STOP_WORDS in tokenize.rs.
  const STOP_WORDS = new Set([
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how",
    "i", "if", "in", "is", "it", "me", "my", "of", "on", "or", "so", "the", "this", "that", "to",
    "was", "what", "when", "where", "which", "why", "with", "you", "your", "的", "了", "吗", "呢",
    "吧", "啊", "怎么", "如何", "什么", "为什", "请问", "一下", "我的",
  ]);

  // Same ranges as is_han in tokenize.rs.
  function isHan(cp) {
    return (cp >= 0x2e80 && cp <= 0x2fdf) || cp === 0x3005 || cp === 0x3007 ||
      (cp >= 0x3021 && cp <= 0x3029) || (cp >= 0x3038 && cp <= 0x303b) ||
      (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x323af);
  }

  // Rust's char::is_alphanumeric: Alphabetic or a numeric general category.
  const ALNUM = /^[\p{Alphabetic}\p{N}]$/u;
  const HAN = 1, WORD = 2, SEP = 0;

  function classOf(ch) {
    const cp = ch.codePointAt(0);
    if (isHan(cp)) return HAN;
    return ALNUM.test(ch) ? WORD : SEP;
  }

  function pushRun(run, cls, out) {
    if (cls === HAN) {
      if (run.length === 1) out.push(run[0]);
      for (let i = 0; i + 1 < run.length; i++) out.push(run[i] + run[i + 1]);
    } else if (cls === WORD) {
      out.push(run.join(""));
    }
  }

  // Splits text into tokens before stop words and stemming (tokenize::split).
  function split(text) {
    const normalized = String(text).normalize("NFKC").toLowerCase();
    const out = [];
    let run = [];
    let runClass = SEP;
    for (const ch of normalized + " ") {
      const cls = classOf(ch);
      if (cls !== runClass && run.length) {
        pushRun(run, runClass, out);
        run = [];
      }
      runClass = cls;
      if (cls !== SEP) run.push(ch);
    }
    return out;
  }

  // Stems a pure a-z word (Snowball English, "Porter2"); leaves anything else alone.
  const stem = (function () {
    const isV = (c) => c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";
    const EXCEPTIONS1 = {
      skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl",
      gently: "gentl", ugly: "ugli", early: "earli", only: "onli", singly: "singl",
      sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos",
      bias: "bias", andes: "andes",
    };
    const EXCEPTIONS2 = new Set(["inning", "outing", "canning", "herring", "earring",
      "proceed", "exceed", "succeed"]);
    const DOUBLES = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];
    const LI_ENDINGS = "cdeghkmnrt";
    const STEP2 = [
      ["ization", "ize"], ["ational", "ate"], ["fulness", "ful"], ["ousness", "ous"],
      ["iveness", "ive"], ["tional", "tion"], ["biliti", "ble"], ["lessli", "less"],
      ["entli", "ent"], ["ation", "ate"], ["alism", "al"], ["aliti", "al"], ["ousli", "ous"],
      ["iviti", "ive"], ["fulli", "ful"], ["enci", "ence"], ["anci", "ance"], ["abli", "able"],
      ["izer", "ize"], ["ator", "ate"], ["alli", "al"], ["bli", "ble"], ["ogi", "og"],
      ["li", ""],
    ];
    const STEP3 = [
      ["ational", "ate"], ["tional", "tion"], ["alize", "al"], ["icate", "ic"],
      ["iciti", "ic"], ["ative", ""], ["ical", "ic"], ["ness", ""], ["ful", ""],
    ];
    const STEP4 = ["ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism",
      "ate", "iti", "ous", "ive", "ize", "ion", "al", "er", "ic"];

    function longest(w, list) {
      for (const s of list) if (w.endsWith(Array.isArray(s) ? s[0] : s)) return s;
      return null;
    }
    function byLength(list) {
      return list.slice().sort((a, b) => (Array.isArray(b) ? b[0] : b).length - (Array.isArray(a) ? a[0] : a).length);
    }
    const S2 = byLength(STEP2), S3 = byLength(STEP3), S4 = byLength(STEP4);

    // Position after the first non-vowel that follows a vowel, from `start`.
    function regionAfter(w, start) {
      for (let i = start + 1; i < w.length; i++) {
        if (!isV(w[i]) && isV(w[i - 1])) return i + 1;
      }
      return w.length;
    }
    // A short syllable ends `w`: non-vowel (not w, x, Y), vowel, non-vowel; or
    // vowel, non-vowel making up the whole word.
    function endsShort(w) {
      const n = w.length;
      if (n === 2) return isV(w[0]) && !isV(w[1]);
      if (n < 3) return false;
      const last = w[n - 1];
      return !isV(w[n - 3]) && isV(w[n - 2]) && !isV(last) && last !== "w" && last !== "x" && last !== "Y";
    }
    const hasVowel = (s) => { for (const c of s) if (isV(c)) return true; return false; };

    return function stemWord(word) {
      if (!/^[a-z]+$/.test(word)) return word;
      if (word.length <= 2) return word;
      if (Object.prototype.hasOwnProperty.call(EXCEPTIONS1, word)) return EXCEPTIONS1[word];
      let w = word[0] === "y" ? "Y" + word.slice(1) : word;
      for (let i = 1; i < w.length; i++) {
        if (w[i] === "y" && isV(w[i - 1])) w = w.slice(0, i) + "Y" + w.slice(i + 1);
      }
      let p1;
      if (/^(gener|commun|arsen)/.test(w)) p1 = /^(gener|arsen)/.test(w) ? 5 : 6;
      else p1 = regionAfter(w, 0);
      const p2 = regionAfter(w, p1);
      const inR1 = (suffix) => w.length - suffix.length >= p1;
      const inR2 = (suffix) => w.length - suffix.length >= p2;

      // Step 1a
      if (w.endsWith("sses")) w = w.slice(0, -2);
      else if (w.endsWith("ied") || w.endsWith("ies")) w = w.slice(0, -3) + (w.length > 4 ? "i" : "ie");
      else if (w.endsWith("us") || w.endsWith("ss")) { /* kept */ }
      else if (w.endsWith("s") && hasVowel(w.slice(0, -2))) w = w.slice(0, -1);

      if (EXCEPTIONS2.has(w)) return w;

      // Step 1b
      const s1b = longest(w, ["eedly", "ingly", "edly", "eed", "ing", "ed"]);
      if (s1b === "eed" || s1b === "eedly") {
        if (inR1(s1b)) w = w.slice(0, -s1b.length) + "ee";
      } else if (s1b && hasVowel(w.slice(0, -s1b.length))) {
        w = w.slice(0, -s1b.length);
        if (w.endsWith("at") || w.endsWith("bl") || w.endsWith("iz")) w += "e";
        else if (DOUBLES.some((d) => w.endsWith(d))) w = w.slice(0, -1);
        else if (p1 === w.length && endsShort(w)) w += "e";
      }

      // Step 1c
      const last = w[w.length - 1];
      if ((last === "y" || last === "Y") && w.length > 2 && !isV(w[w.length - 2])) {
        w = w.slice(0, -1) + "i";
      }

      // Step 2
      const s2 = longest(w, S2);
      if (s2 && inR1(s2[0])) {
        const stemPart = w.slice(0, -s2[0].length);
        if (s2[0] === "ogi") { if (stemPart.endsWith("l")) w = stemPart + "og"; }
        else if (s2[0] === "li") { if (LI_ENDINGS.includes(stemPart[stemPart.length - 1])) w = stemPart; }
        else w = stemPart + s2[1];
      }

      // Step 3
      const s3 = longest(w, S3);
      if (s3 && inR1(s3[0])) {
        if (s3[0] === "ative") { if (inR2("ative")) w = w.slice(0, -5); }
        else w = w.slice(0, -s3[0].length) + s3[1];
      }

      // Step 4
      const s4 = longest(w, S4);
      if (s4 && inR2(s4)) {
        if (s4 === "ion") {
          const before = w[w.length - 4];
          if (before === "s" || before === "t") w = w.slice(0, -3);
        } else {
          w = w.slice(0, -s4.length);
        }
      }

      // Step 5
      if (w.endsWith("e")) {
        if (inR2("e") || (inR1("e") && !endsShort(w.slice(0, -1)))) w = w.slice(0, -1);
      } else if (w.endsWith("l")) {
        if (inR2("l") && w[w.length - 2] === "l") w = w.slice(0, -1);
      }
      return w.replace(/Y/g, "y");
    };
  })();

  // The tokens the index holds for a text (tokenize::tokenize).
  function tokenize(text) {
    return split(text).filter((t) => !STOP_WORDS.has(t)).map(stem);
  }

  // ---- loading the index ----------------------------------------------------------

  function fnv1a(key) {
    let hash = 0x811c9dc5;
    for (const ch of key) hash = Math.imul(hash ^ ch.codePointAt(0), 0x01000193) >>> 0;
    return hash;
  }
  const shardOf = (key, shards) => fnv1a(key) % shards;

  // Same as prefix_key in index.rs.
  function prefixKey(term) {
    const chars = Array.from(term);
    if (!chars.length) return term;
    if (isHan(chars[0].codePointAt(0))) return chars[0];
    return chars.slice(0, 2).join("");
  }

  const loaded = { manifest: new Map(), shard: new Map(), vocab: new Map(), results: new Map() };
  const pending = new Map();
  let dataRoot = null;

  function load(kind, n) {
    const key = kind + ":" + n;
    if (loaded[kind].has(n)) return Promise.resolve(loaded[kind].get(n));
    if (pending.has(key)) return pending.get(key).promise;
    const entry = {};
    entry.promise = new Promise((resolve, reject) => { entry.resolve = resolve; entry.reject = reject; });
    pending.set(key, entry);
    const file = kind === "manifest" ? "index.js"
      : { shard: "p/", vocab: "v/", results: "r/" }[kind] + n + ".js";
    const script = document.createElement("script");
    script.src = dataRoot + file;
    script.async = true;
    script.onerror = () => { pending.delete(key); entry.reject(new Error("cannot load " + file)); };
    document.head.appendChild(script);
    return entry.promise;
  }

  function arrived(kind, n, value) {
    loaded[kind].set(n, value);
    const entry = pending.get(kind + ":" + n);
    if (entry) { pending.delete(kind + ":" + n); entry.resolve(value); }
  }

  // ---- the query engine -----------------------------------------------------------

  const WEIGHT_SCALE = 20;
  const EXPANSIONS = 3;

  // A query -> groups of alternative terms (one group per query token) and the
  // unfinished last word, whose completions join the last group.
  function parseQuery(query) {
    const normalized = String(query).normalize("NFKC").toLowerCase();
    const raw = split(normalized);
    const groups = [];
    // Overlapping bigrams of one Han run form one unit: some of them straddle two
    // words and match nothing useful, so a unit needs only most of its bigrams.
    let unit = -1;
    raw.forEach((token, i) => {
      const prev = raw[i - 1];
      const chars = Array.from(token);
      const bigram = chars.length === 2 && isHan(chars[0].codePointAt(0));
      const continues = bigram && prev && Array.from(prev).length === 2 &&
        isHan(prev.codePointAt(0)) && Array.from(prev)[1] === chars[0];
      if (!continues) unit++;
      if (!STOP_WORDS.has(token)) groups.push({ raw: token, unit, terms: [[stem(token), 1]] });
    });
    let prefix = null;
    const chars = Array.from(normalized);
    const endsInWord = chars.length && classOf(chars[chars.length - 1]) !== SEP;
    const lastRaw = raw[raw.length - 1];
    if (endsInWord && lastRaw && groups.length && groups[groups.length - 1].raw === lastRaw) {
      const lastChars = Array.from(lastRaw);
      const han = isHan(lastChars[0].codePointAt(0));
      if ((han && lastChars.length === 1) || (!han && lastChars.length >= 2)) prefix = lastRaw;
    }
    return { groups, prefix };
  }

  function postingsOf(term, manifest) {
    const shard = loaded.shard.get(shardOf(term, manifest.postingShards));
    const list = shard && Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
    if (!list) return null;
    const docs = new Map();
    let doc = 0;
    for (let i = 1; i + 1 < list.length; i += 2) {
      doc += list[i];
      docs.set(doc, list[i + 1] / WEIGHT_SCALE);
    }
    return { df: list[0], docs };
  }

  // Ranks documents: AND over the query's words that the index knows (a Han run
  // counts as matched with 60% of its bigrams), OR (scaled by the share of groups
  // matched) when AND finds nothing.
  async function run(query) {
    const manifest = await load("manifest", 0);
    const { groups, prefix } = parseQuery(query);
    if (!groups.length) return [];
    if (prefix) {
      const vocab = await load("vocab", shardOf(prefixKey(prefix), manifest.vocabShards));
      const last = groups[groups.length - 1];
      const exact = last.terms[0][0];
      Object.keys(vocab)
        .filter((t) => t !== exact && t.startsWith(prefix))
        .sort((a, b) => vocab[b] - vocab[a] || (a < b ? -1 : 1))
        .slice(0, EXPANSIONS)
        .forEach((t) => last.terms.push([t, 0.6]));
    }
    const shards = new Set();
    groups.forEach((g) => g.terms.forEach(([t]) => shards.add(shardOf(t, manifest.postingShards))));
    await Promise.all(Array.from(shards, (n) => load("shard", n)));

    const total = manifest.docs;
    const scored = [];
    const units = [];
    groups.forEach((group) => {
      const scores = new Map();
      group.terms.forEach(([term, boost]) => {
        const postings = postingsOf(term, manifest);
        if (!postings) return;
        const idf = Math.log(1 + total / postings.df);
        postings.docs.forEach((weight, doc) => {
          const s = weight * idf * boost;
          if (!(scores.get(doc) >= s)) scores.set(doc, s);
        });
      });
      if (scores.size) { scored.push(scores); units.push(group.unit); }
    });
    if (!scored.length) return [];
    // Per document: its total score, and how many groups of each unit it matches.
    const totals = new Map();
    const hits = new Map();
    const unitSize = new Map();
    units.forEach((u) => unitSize.set(u, (unitSize.get(u) || 0) + 1));
    scored.forEach((scores, g) => scores.forEach((s, doc) => {
      totals.set(doc, (totals.get(doc) || 0) + s);
      if (!hits.has(doc)) hits.set(doc, new Map());
      const perUnit = hits.get(doc);
      perUnit.set(units[g], (perUnit.get(units[g]) || 0) + 1);
    }));
    const needed = (u) => Math.max(1, Math.ceil(unitSize.get(u) * 0.6));
    let ranked = [];
    hits.forEach((perUnit, doc) => {
      let all = true;
      unitSize.forEach((_, u) => { if ((perUnit.get(u) || 0) < needed(u)) all = false; });
      if (all) ranked.push([doc, totals.get(doc)]);
    });
    if (!ranked.length) {
      hits.forEach((perUnit, doc) => {
        let matched = 0;
        perUnit.forEach((n) => { matched += n; });
        ranked.push([doc, totals.get(doc) * matched / scored.length]);
      });
    }
    ranked.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return ranked.map(([doc]) => doc);
  }

  // The results table rows of documents, loading their chunks.
  async function rows(docs) {
    const manifest = await load("manifest", 0);
    const chunks = new Set(docs.map((d) => Math.floor(d / manifest.chunk)));
    await Promise.all(Array.from(chunks, (n) => load("results", n)));
    return docs.map((d) => {
      const row = loaded.results.get(Math.floor(d / manifest.chunk))[d % manifest.chunk];
      return { path: row[0], title: row[1], category: row[2], text: row[3] };
    });
  }

  // ---- showing results (as text only) ---------------------------------------------

  // The strings to highlight for a query: its words as typed, their stems, Han bigrams.
  function highlightTerms(query) {
    const terms = new Set();
    split(query).forEach((t) => { if (!STOP_WORDS.has(t)) { terms.add(t); terms.add(stem(t)); } });
    return Array.from(terms).filter((t) => t.length > 0);
  }

  // Appends `text` to `parent`, with the parts matching `terms` in <mark> elements.
  function appendHighlighted(parent, text, terms) {
    const lower = text.toLowerCase();
    const covered = new Array(text.length).fill(false);
    if (lower.length === text.length) {
      terms.forEach((t) => {
        for (let at = lower.indexOf(t); at >= 0; at = lower.indexOf(t, at + 1)) {
          for (let i = at; i < at + t.length; i++) covered[i] = true;
        }
      });
    }
    let start = 0;
    for (let i = 1; i <= text.length; i++) {
      if (i === text.length || covered[i] !== covered[start]) {
        const part = document.createTextNode(text.slice(start, i));
        if (covered[start]) {
          const mark = document.createElement("mark");
          mark.appendChild(part);
          parent.appendChild(mark);
        } else {
          parent.appendChild(part);
        }
        start = i;
      }
    }
  }

  // About `length` characters of `text` around the first match of a term.
  function snippet(text, terms, length) {
    const lower = text.toLowerCase();
    let first = -1;
    if (lower.length === text.length) {
      terms.forEach((t) => {
        const at = lower.indexOf(t);
        if (at >= 0 && (first < 0 || at < first)) first = at;
      });
    }
    const start = first > 30 ? first - 30 : 0;
    let out = text.slice(start, start + length);
    if (start > 0) out = "…" + out;
    if (start + length < text.length) out += "…";
    return out;
  }

  function isFile() {
    return global.location && global.location.protocol === "file:";
  }

  // A site path as a link from this page: relative to the site root, and pointing
  // at index.html on disk, where folders do not open their index.
  function href(root, path) {
    let url = root + path;
    if (isFile() && (url === "" || url.endsWith("/"))) url += "index.html";
    return url || "./";
  }

  // Tells other scripts what readers search for and open (see "Insights" in THEME.md).
  function announce(name, detail) {
    if (typeof CustomEvent === "function") document.dispatchEvent(new CustomEvent(name, { detail }));
  }

  function resultItem(root, row, terms, id, query) {
    const li = document.createElement("li");
    li.className = "search-result";
    const a = document.createElement("a");
    a.href = href(root, row.path);
    a.setAttribute("data-search-result", "");
    a.addEventListener("click", () => announce("helpsite:open", { query, url: a.href }));
    if (id) { a.id = id; a.setAttribute("role", "option"); }
    const title = document.createElement("span");
    title.className = "search-result-title";
    appendHighlighted(title, row.title, terms);
    const category = document.createElement("span");
    category.className = "search-result-category";
    category.textContent = row.category;
    const text = document.createElement("span");
    text.className = "search-result-snippet";
    appendHighlighted(text, snippet(row.text, terms, 140), terms);
    a.append(title, category, text);
    li.appendChild(a);
    return li;
  }

  // ---- the header box and the search page -----------------------------------------

  const DROPDOWN_RESULTS = 8;
  const PAGE_RESULTS = 50;

  function searchPageUrl(form, query) {
    let url = form.getAttribute("data-search-page") || "";
    if (isFile()) url += "index.html";
    return url + "?q=" + encodeURIComponent(query);
  }

  function setUpBox(form) {
    const input = form.querySelector("[data-search-input]");
    const list = form.querySelector("[data-search-results]");
    const status = form.querySelector("[data-search-status]");
    const root = form.getAttribute("data-search-root") || "";
    let active = -1;
    let sequence = 0;

    const links = () => Array.from(list.querySelectorAll("[data-search-result]"));
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      const all = links();
      all.forEach((a, i) => a.classList.toggle("is-active", i === index));
      active = index;
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    async function update() {
      const query = input.value;
      const mine = ++sequence;
      if (!query.trim()) { list.replaceChildren(); close(); return; }
      let found = [];
      let total = 0;
      try {
        const all = await run(query);
        total = all.length;
        const docs = all.slice(0, DROPDOWN_RESULTS);
        // Show the first result as soon as its chunk is in, then the rest.
        if (docs.length) {
          const first = await rows(docs.slice(0, 1));
          if (mine !== sequence) return;
          render(first, query);
        }
        found = await rows(docs);
      } catch (err) {
        found = [];
      }
      if (mine !== sequence) return;
      render(found, query);
      announce("helpsite:search", { query, results: total });
    }
    function render(found, query) {
      const terms = highlightTerms(query);
      const items = found.map((row, i) => resultItem(root, row, terms, "site-search-option-" + i, query));
      if (!found.length) {
        const li = document.createElement("li");
        li.className = "search-empty";
        li.textContent = form.getAttribute("data-no-results") || "";
        items.push(li);
      } else {
        const li = document.createElement("li");
        li.className = "search-see-all";
        const a = document.createElement("a");
        a.href = searchPageUrl(form, query);
        a.textContent = form.getAttribute("data-see-all") || "";
        li.appendChild(a);
        items.push(li);
      }
      list.replaceChildren(...items);
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = found.length ? String(found.length) : (form.getAttribute("data-no-results") || "");
      highlight(-1);
    }

    const warm = () => { load("manifest", 0).catch(() => {}); };
    input.addEventListener("focus", warm);
    input.addEventListener("input", update);
    input.addEventListener("keydown", (event) => {
      const all = links();
      if (event.key === "ArrowDown" && all.length) {
        event.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        highlight((active + 1) % all.length);
      } else if (event.key === "ArrowUp" && all.length) {
        event.preventDefault();
        highlight(active <= 0 ? all.length - 1 : active - 1);
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); } else { input.blur(); }
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (active >= 0 && all[active]) all[active].click();
        else if (input.value.trim()) global.location.href = searchPageUrl(form, input.value);
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (input.value.trim()) global.location.href = searchPageUrl(form, input.value);
    });
    document.addEventListener("click", (event) => { if (!form.contains(event.target)) close(); });
    document.addEventListener("keydown", (event) => {
      const target = event.target;
      const typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.focus();
      }
    });
  }

  function setUpPage(view, form) {
    const input = view.querySelector("[data-search-page-input]");
    const list = view.querySelector("[data-search-page-results]");
    const summary = view.querySelector("[data-search-summary]");
    const strings = view.querySelector("[data-search-strings]");
    const text = (name) => (strings && strings.getAttribute(name)) || "";
    const root = form.getAttribute("data-search-root") || "";
    let sequence = 0;

    async function show(query) {
      const mine = ++sequence;
      if (!query.trim()) { list.replaceChildren(); summary.textContent = ""; return; }
      summary.textContent = text("data-searching");
      let docs = [];
      let found = [];
      try {
        docs = await run(query);
        found = await rows(docs.slice(0, PAGE_RESULTS));
      } catch (err) {
        found = [];
      }
      if (mine !== sequence) return;
      const terms = highlightTerms(query);
      list.replaceChildren(...found.map((row) => resultItem(root, row, terms, null, query)));
      announce("helpsite:search", { query, results: docs.length });
      summary.textContent = !docs.length ? text("data-no-results")
        : docs.length === 1 ? text("data-result-count-one")
          : text("data-result-count").replace("{count}", String(docs.length));
    }

    const query = new URLSearchParams(global.location.search).get("q") || "";
    input.value = query;
    view.querySelector("[data-search-page-form]").addEventListener("submit", (event) => {
      event.preventDefault();
      const url = new URL(global.location.href);
      url.searchParams.set("q", input.value);
      global.history.replaceState(null, "", url.toString());
      show(input.value);
    });
    show(query);
  }

  function start() {
    const form = document.querySelector("[data-search]");
    if (!form) return;
    dataRoot = form.getAttribute("data-search-data") || "";
    setUpBox(form);
    const view = document.querySelector("[data-search-page-view]");
    if (view) setUpPage(view, form);
  }

  global.helpsiteSearch = {
    manifest: (value) => arrived("manifest", 0, value),
    shard: (n, value) => arrived("shard", n, value),
    vocab: (n, value) => arrived("vocab", n, value),
    results: (n, value) => arrived("results", n, value),
    tokenize,
    split,
    stem,
    search: run,
    rows,
  };

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})(typeof window !== "undefined" ? window : globalThis);
