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

  // ---- folding traditional and simplified Chinese (src/search/fold.rs) ----------
  // The entries arrive with the index (f/N.js), only those this site can need.
  const foldChars = new Map();
  const foldPhrases = new Map();
  const phraseStarts = new Set();
  let foldLongest = 0;

  function addFoldEntries(entries) {
    Object.keys(entries).forEach((from) => {
      const chars = Array.from(from);
      if (chars.length === 1) {
        foldChars.set(from, entries[from]);
      } else {
        foldPhrases.set(from, entries[from]);
        phraseStarts.add(chars[0]);
        foldLongest = Math.max(foldLongest, chars.length);
      }
    });
  }

  // An array of characters, folded: each character, then the leftmost, longest
  // phrase at each place. Never changes the number of characters.
  function foldRun(run) {
    const chars = run.map((c) => foldChars.get(c) || c);
    for (let at = 0; at < chars.length;) {
      let step = 1;
      if (phraseStarts.has(chars[at])) {
        for (let len = Math.min(foldLongest, chars.length - at); len >= 2; len--) {
          const to = foldPhrases.get(chars.slice(at, at + len).join(""));
          if (to !== undefined) {
            Array.from(to).forEach((c, i) => { chars[at + i] = c; });
            step = len;
            break;
          }
        }
      }
      at += step;
    }
    return chars;
  }
  const foldText = (text) => foldRun(Array.from(String(text))).join("");

  function pushRun(run, cls, out) {
    if (cls === HAN) {
      run = foldRun(run);
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

  // Same as prefix_key in encode.rs.
  function prefixKey(term) {
    const chars = Array.from(term);
    if (!chars.length) return term;
    if (isHan(chars[0].codePointAt(0))) return chars[0];
    return chars.slice(0, 2).join("");
  }

  const FILES = { shard: "p/", vocab: "v/", results: "r/", fold: "f/", pinyin: "y/" };
  const loaded = {
    manifest: new Map(), shard: new Map(), vocab: new Map(), results: new Map(),
    fold: new Map(), pinyin: new Map(), syllables: new Map(),
  };
  const pending = new Map();
  let dataRoot = null;

  function load(kind, n) {
    const key = kind + ":" + n;
    if (loaded[kind].has(n)) return Promise.resolve(loaded[kind].get(n));
    if (pending.has(key)) return pending.get(key).promise;
    const entry = {};
    entry.promise = new Promise((resolve, reject) => { entry.resolve = resolve; entry.reject = reject; });
    pending.set(key, entry);
    const file = kind === "manifest" ? "index.js" : kind === "syllables" ? "y/s.js" : FILES[kind] + n + ".js";
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

  const loadAll = (kind, keys, count) =>
    Promise.all(Array.from(new Set(Array.from(keys, (k) => shardOf(k, count))), (n) => load(kind, n)));

  // The folding entries for the Han characters of `text`: under each character,
  // then the phrases, filed under their first folded character.
  async function loadFolding(text, manifest) {
    if (!manifest.foldShards) return;
    const han = new Set();
    for (const ch of String(text).normalize("NFKC")) if (isHan(ch.codePointAt(0))) han.add(ch);
    if (!han.size) return;
    await loadAll("fold", han, manifest.foldShards);
    await loadAll("fold", Array.from(han, (c) => foldChars.get(c) || c), manifest.foldShards);
  }

  // ---- pinyin (src/search/pinyin.rs) ------------------------------------------------

  const LONGEST_SYLLABLE = 6;

  // `word` cut into the fewest `known` syllables (the longest first), or null.
  function pinyinSyllables(word, known) {
    if (!/^[a-z]+$/.test(word)) return null;
    const n = word.length;
    const fewest = new Array(n + 1).fill(Infinity);
    fewest[n] = 0;
    for (let i = n - 1; i >= 0; i--) {
      for (let len = 1; len <= Math.min(LONGEST_SYLLABLE, n - i); len++) {
        if (fewest[i + len] !== Infinity && known.has(word.slice(i, i + len))) {
          fewest[i] = Math.min(fewest[i], fewest[i + len] + 1);
        }
      }
    }
    if (fewest[0] === Infinity) return null;
    const out = [];
    for (let i = 0; i < n;) {
      let len = Math.min(LONGEST_SYLLABLE, n - i);
      while (len >= 1 && !(fewest[i + len] + 1 === fewest[i] && known.has(word.slice(i, i + len)))) len--;
      if (len < 1) return null;
      out.push(word.slice(i, i + len));
      i += len;
    }
    return out;
  }

  // Overlapping pairs of syllables, as Han text is cut into bigrams.
  const pinyinKeys = (syllables) =>
    syllables.length === 1 ? syllables.slice() : syllables.slice(1).map((s, i) => syllables[i] + s);

  // ---- typos (src/search/typo.rs) ----------------------------------------------------

  const MAX_CANDIDATES = 3;
  const isLatinLetter = (c) => (c >= "a" && c <= "z") || (c >= "\u00df" && c <= "\u024f") ||
    (c >= "\u1e00" && c <= "\u1eff");

  function maxEdits(word) {
    const chars = Array.from(word);
    if (!chars.every(isLatinLetter)) return 0;
    return chars.length >= 9 ? 2 : chars.length >= 5 ? 1 : 0;
  }

  // Insertions, deletions, substitutions and swaps of neighbours (optimal string alignment).
  function distance(a, b) {
    a = Array.from(a); b = Array.from(b);
    const rows = [];
    for (let i = 0; i <= a.length; i++) { rows.push(new Array(b.length + 1).fill(0)); rows[i][0] = i; }
    for (let j = 0; j <= b.length; j++) rows[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
        rows[i][j] = best;
      }
    }
    return rows[a.length][b.length];
  }

  function typoShardKeys(word) {
    const c = Array.from(word);
    const keys = [prefixKey(word)];
    if (c.length >= 3) keys.push(c[0] + c[2], c[1] + c[0]);
    return Array.from(new Set(keys));
  }

  // [term, edits] pairs a word may have meant, of `vocabulary` ([term, df] pairs).
  function typoCandidates(word, vocabulary) {
    const limit = maxEdits(word);
    if (!limit) return [];
    const stemmed = stem(word);
    const length = Array.from(word).length;
    const found = [];
    vocabulary.forEach(([term, df]) => {
      const chars = Array.from(term);
      if (term === stemmed || chars.some((c) => isHan(c.codePointAt(0)))) return;
      if (chars.length + limit + 2 < length) return;
      const edits = Math.min(distance(word, term), distance(stemmed, term));
      if (edits <= limit) found.push([edits, df, term]);
    });
    found.sort((a, b) => a[0] - b[0] || b[1] - a[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    return found.slice(0, MAX_CANDIDATES).map(([edits, , term]) => [term, edits]);
  }

  // ---- the query engine -----------------------------------------------------------

  const WEIGHT_SCALE = 20;
  const EXPANSIONS = 3;
  // How much less than a whole word a match counts for, by how it was found.
  const BOOST = { prefix: 0.6, stemPrefix: 0.6, pinyin: 0.9, typo: [1, 0.5, 0.35], loneHan: 0.3 };

  const isHanToken = (t) => isHan(t.codePointAt(0));
  // Fewer full matches than this are followed by the best partial ones.
  const PARTIAL_BELOW = 3;
  const MAX_QUERY_CHARS = 200;
  // Characters of a Han run looked up alone, at most.
  const MAX_LONE_HAN = 8;

  // A query -> groups of alternative terms (one group per query token, Han bigrams
  // of one run forming one unit) and the unfinished last word.
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
      const bigram = chars.length === 2 && isHanToken(token);
      const continues = bigram && prev && Array.from(prev).length === 2 &&
        isHanToken(prev) && Array.from(prev)[1] === chars[0];
      if (!continues) unit++;
      if (!STOP_WORDS.has(token)) groups.push({ raw: token, unit, position: i, terms: [[stem(token), 1]] });
    });
    let prefix = null;
    const chars = Array.from(normalized);
    const endsInWord = chars.length && classOf(chars[chars.length - 1]) !== SEP;
    const lastRaw = raw[raw.length - 1];
    if (endsInWord && lastRaw && groups.length && groups[groups.length - 1].raw === lastRaw) {
      const lastChars = Array.from(lastRaw);
      const han = isHanToken(lastRaw);
      if ((han && lastChars.length === 1) || (!han && lastChars.length >= 2)) prefix = lastRaw;
    }
    return { groups, prefix, raw, units: unit + 1 };
  }

  function postingsOf(term, manifest) {
    const shard = loaded.shard.get(shardOf(term, manifest.postingShards));
    const list = shard && Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
    if (!list) return null;
    const docs = new Map();
    let doc = 0;
    for (let i = 1; i + 1 < list.length; i += 2) {
      doc += list[i];
      docs.set(doc, list[i + 1]);
    }
    return { df: list[0], docs };
  }

  const loadPostings = (groups, manifest) =>
    loadAll("shard", groups.flatMap((g) => g.terms.map(([t]) => t)), manifest.postingShards);
  const known = (term, manifest) => postingsOf(term, manifest) !== null;
  const vocabOf = async (key, manifest) => load("vocab", shardOf(key, manifest.vocabShards));

  // The word being typed also matches the words it begins, and the stems it
  // runs past (`emergen` has gone beyond the stem `emerg`).
  async function expandPrefix(group, prefix, manifest) {
    const vocab = await vocabOf(prefixKey(prefix), manifest);
    const exact = group.terms[0][0];
    const terms = Object.keys(vocab).filter((t) => t !== exact);
    const byDf = (a, b) => vocab[b] - vocab[a] || (a < b ? -1 : 1);
    terms.filter((t) => t.startsWith(prefix)).sort(byDf).slice(0, EXPANSIONS)
      .forEach((t) => group.terms.push([t, BOOST.prefix]));
    if (!isHanToken(prefix)) {
      terms.filter((t) => prefix.startsWith(t) && t.length >= 4 && prefix.length - t.length <= 3)
        .sort(byDf).slice(0, 1).forEach((t) => group.terms.push([t, BOOST.stemPrefix]));
    }
  }

  // Runs of Latin words the index does not know that spell pinyin become the Han
  // terms they read as (`wangji mima` -> 忘记, 密码), as one unit.
  async function readPinyin(groups, manifest, units) {
    if (!manifest.pinyinShards) return groups;
    const latin = (g) => g && /^[a-z]+$/.test(g.raw);
    const out = [];
    for (let i = 0; i < groups.length;) {
      if (!latin(groups[i])) { out.push(groups[i]); i++; continue; }
      let end = i;
      while (latin(groups[end + 1]) && groups[end + 1].position === groups[end].position + 1) end++;
      const run = groups.slice(i, end + 1);
      i = end + 1;
      if (run.every((g) => g.found)) { out.push(...run); continue; }
      const syllables = pinyinSyllables(run.map((g) => g.raw).join(""), await loadSyllables());
      const keys = syllables ? pinyinKeys(syllables) : [];
      if (keys.length) await loadAll("pinyin", keys, manifest.pinyinShards);
      const read = [];
      const unit = units.next++;
      keys.forEach((key) => {
        const shard = loaded.pinyin.get(shardOf(key, manifest.pinyinShards));
        const terms = shard && Object.prototype.hasOwnProperty.call(shard, key) ? shard[key] : null;
        if (terms) read.push({ raw: key, unit, terms: terms.split(" ").map((t) => [t, BOOST.pinyin]), pinyin: true });
      });
      if (read.length) out.push(...read); else out.push(...run);
    }
    return out;
  }

  let syllableSet = null;
  async function loadSyllables() {
    if (!syllableSet) syllableSet = new Set((await load("syllables", 0)).split(" "));
    return syllableSet;
  }

  // Words found nowhere as typed are matched with the terms one or two edits away.
  async function correctTypos(groups, manifest) {
    for (const group of groups) {
      if (group.found || group.pinyin || !maxEdits(group.raw)) continue;
      const shards = await Promise.all(typoShardKeys(group.raw).map((k) => vocabOf(k, manifest)));
      const vocabulary = [];
      const seen = new Set();
      shards.forEach((vocab) => Object.keys(vocab).forEach((t) => {
        if (!seen.has(t)) { seen.add(t); vocabulary.push([t, vocab[t]]); }
      }));
      const candidates = typoCandidates(group.raw, vocabulary);
      candidates.forEach(([term, edits]) => group.terms.push([term, BOOST.typo[edits]]));
      if (candidates.length) group.corrected = candidates[0][0];
    }
  }

  // A Han run whose bigrams the index mostly lacks (everyday phrasing such as
  // 钱提不出来) also looks for the commonest terms that begin with each of its
  // characters that no known bigram covers, each as a unit of its own.
  async function loneHan(groups, manifest, units) {
    const byUnit = new Map();
    groups.forEach((g) => {
      if (g.pinyin || !isHanToken(g.raw)) return;
      if (!byUnit.has(g.unit)) byUnit.set(g.unit, []);
      byUnit.get(g.unit).push(g);
    });
    const added = [];
    for (const members of byUnit.values()) {
      const found = members.filter((g) => g.found).length;
      if (members.length < 2 || found >= Math.ceil(members.length * 0.6)) continue;
      const covered = new Set();
      members.forEach((g) => { if (g.found) Array.from(g.raw).forEach((c) => covered.add(c)); });
      const chars = [];
      members.forEach((g) => Array.from(g.raw).forEach((c) => {
        if (!covered.has(c) && !chars.includes(c) && !STOP_WORDS.has(c)) chars.push(c);
      }));
      for (const c of chars.slice(0, MAX_LONE_HAN)) {
        const vocab = await vocabOf(c, manifest);
        const terms = Object.keys(vocab).filter((t) => t.startsWith(c) && t !== c)
          .sort((a, b) => vocab[b] - vocab[a] || (a < b ? -1 : 1)).slice(0, 2);
        if (terms.length) added.push({ raw: c, unit: units.next++, terms: terms.map((t) => [t, BOOST.loneHan]), optional: true });
      }
    }
    return added;
  }

  // Ranks documents for a query: { docs, partial, corrected, terms }. Every unit
  // must match (a Han run with 60% of its bigrams); when no document matches them
  // all, the documents matching the most units come first, then by score.
  async function searchQuery(query) {
    const result = { docs: [], partial: false, corrected: null, terms: [] };
    // Nobody types more; a pasted page must not make the search load every shard.
    query = Array.from(String(query)).slice(0, MAX_QUERY_CHARS).join("");
    const manifest = await load("manifest", 0);
    let parsed = parseQuery(query);
    if (!parsed.groups.length) return result;
    await loadPostings(parsed.groups, manifest);
    // Han pairs the index lacks as typed may be traditional: their characters'
    // folding entries are loaded (only then, to keep simplified queries small),
    // and the query read again if they fold it.
    const unknownHan = parsed.groups.filter((g) => isHanToken(g.raw) && !known(g.terms[0][0], manifest));
    if (unknownHan.length) {
      const before = foldText(parsed.raw.join(" "));
      await loadFolding(unknownHan.map((g) => g.raw).join(""), manifest);
      if (foldText(parsed.raw.join(" ")) !== before) parsed = parseQuery(query);
    }
    let groups = parsed.groups;
    const units = { next: parsed.units };
    if (parsed.prefix) await expandPrefix(groups[groups.length - 1], parsed.prefix, manifest);
    await loadPostings(groups, manifest);
    const mark = () => groups.forEach((g) => { g.found = g.terms.some(([t]) => known(t, manifest)); });
    mark();
    groups = await readPinyin(groups, manifest, units);
    await correctTypos(groups, manifest);
    await loadPostings(groups, manifest);
    mark();
    const lone = await loneHan(groups, manifest, units);
    // Words the index lacks even read another way: the results hold only some.
    const incomplete = lone.length > 0 || groups.some((g) => !g.found && !isHanToken(g.raw));
    groups = groups.concat(lone);
    await loadPostings(groups, manifest);
    mark();

    const total = manifest.docs;
    const scored = [];
    groups.forEach((group) => {
      const scores = new Map();
      group.terms.forEach(([term, boost]) => {
        const postings = postingsOf(term, manifest);
        if (!postings) return;
        const idf = Math.log(1 + total / postings.df);
        postings.docs.forEach((value, doc) => {
          const s = (value >> 1) / WEIGHT_SCALE * idf * boost;
          const before = scores.get(doc);
          if (!before || before.score < s) scores.set(doc, { score: s, title: value & 1, term, rarity: idf * boost * (1 + (value & 1)) });
        });
      });
      if (scores.size) scored.push({ group, scores });
    });
    if (!scored.length) return result;
    // Per document: its total score, titles matched, and groups matched per unit.
    const unitSize = new Map();
    scored.forEach(({ group }) => {
      if (!group.optional) unitSize.set(group.unit, (unitSize.get(group.unit) || 0) + 1);
    });
    const docs = new Map();
    scored.forEach(({ group, scores }) => scores.forEach((hit, doc) => {
      if (!docs.has(doc)) docs.set(doc, { total: 0, titles: 0, rarity: 0, perUnit: new Map(), terms: new Set() });
      const d = docs.get(doc);
      d.total += hit.score;
      d.rarity += hit.rarity;
      d.titles += hit.title;
      d.terms.add(hit.term);
      d.perUnit.set(group.unit, (d.perUnit.get(group.unit) || 0) + 1);
    }));
    const needed = (u) => Math.max(1, Math.ceil(unitSize.get(u) * 0.6));
    const full = [];
    const partial = [];
    docs.forEach((d, doc) => {
      let all = true;
      unitSize.forEach((_, u) => { if ((d.perUnit.get(u) || 0) < needed(u)) all = false; });
      // Terms in the title count for more than terms met in passing.
      const score = d.total * (1 + d.titles / scored.length);
      (all ? full : partial).push({ doc, score, rarity: d.rarity, terms: d.terms });
    });
    full.sort((a, b) => b.score - a.score || a.doc - b.doc);
    // Documents holding only some of the terms: those holding the most, and the
    // rarest, first. They are the results when none holds every term, and follow
    // the few that do.
    partial.sort((a, b) => b.rarity - a.rarity || b.score - a.score || a.doc - b.doc);
    result.partial = !full.length || incomplete;
    const kept = full.length >= PARTIAL_BELOW ? full : full.concat(partial);
    result.docs = kept.map((r) => r.doc);
    const shown = new Set();
    kept.slice(0, 50).forEach((r) => r.terms.forEach((t) => shown.add(t)));
    result.terms = Array.from(shown);
    const corrected = groups.filter((g) => g.corrected && kept.some((r) => r.terms.has(g.corrected)));
    if (corrected.length) result.corrected = corrected.map((g) => [g.raw, g.corrected]);
    return result;
  }

  async function run(query) {
    return (await searchQuery(query)).docs;
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

  // The strings to highlight: the query's words as typed, their stems and Han
  // bigrams (folded), and the terms that matched (completions, corrections, pinyin).
  function highlightTerms(query, matched) {
    const terms = new Set(matched || []);
    split(query).forEach((t) => { if (!STOP_WORDS.has(t)) { terms.add(t); terms.add(stem(t)); } });
    return Array.from(terms).filter((t) => t.length > 0);
  }

  // Which characters of `text` the terms cover, compared in lower case and folded
  // (so 帳戶 in a title lights up for the term 帐户); one flag per character.
  function coverage(text, terms) {
    const chars = Array.from(text);
    const folded = foldRun(chars.map((c) => c.toLowerCase()));
    const starts = [];
    let joined = "";
    folded.forEach((c) => { starts.push(joined.length); joined += c; });
    const covered = new Array(chars.length).fill(false);
    const charAt = (offset) => {
      let lo = 0, hi = starts.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
      return lo;
    };
    terms.forEach((t) => {
      for (let at = joined.indexOf(t); at >= 0; at = joined.indexOf(t, at + 1)) {
        for (let i = charAt(at); i <= charAt(at + t.length - 1); i++) covered[i] = true;
      }
    });
    return { chars, covered };
  }

  // Appends `text` to `parent`, with the parts matching `terms` in <mark> elements.
  function appendHighlighted(parent, text, terms) {
    const { chars, covered } = coverage(text, terms);
    let start = 0;
    for (let i = 1; i <= chars.length; i++) {
      if (i === chars.length || covered[i] !== covered[start]) {
        const part = document.createTextNode(chars.slice(start, i).join(""));
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
    const { chars, covered } = coverage(text, terms);
    const first = covered.indexOf(true);
    const start = first > 30 ? first - 30 : 0;
    let out = chars.slice(start, start + length).join("");
    if (start > 0) out = "…" + out;
    if (start + length < chars.length) out += "…";
    return out;
  }

  // The query with each corrected word replaced by what it was taken for, as the
  // top result writes it when a word there stems to that term.
  function correctedQuery(query, corrected, found) {
    const words = found.flatMap((row) => (row.title + " " + row.text).toLowerCase().split(/[^\p{L}\p{N}]+/u));
    const surface = (term) => words.find((w) => w && stem(w) === term) || term;
    return String(query).normalize("NFKC").toLowerCase().split(/(\s+)/).map((w) => {
      const pair = corrected.find(([raw]) => raw === w);
      return pair ? surface(pair[1]) : w;
    }).join("").trim();
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
      let matched = [];
      let total = 0;
      try {
        const result = await searchQuery(query);
        total = result.docs.length;
        const docs = result.docs.slice(0, DROPDOWN_RESULTS);
        matched = result.terms;
        // Show the first result as soon as its chunk is in, then the rest.
        if (docs.length) {
          const first = await rows(docs.slice(0, 1));
          if (mine !== sequence) return;
          render(first, query, matched);
        }
        found = await rows(docs);
      } catch (err) {
        found = [];
      }
      if (mine !== sequence) return;
      render(found, query, matched);
      announce("helpsite:search", { query, results: total });
    }
    function render(found, query, matched) {
      const terms = highlightTerms(query, matched);
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

    const contact = view.querySelector("[data-search-contact]");
    const note = view.querySelector("[data-search-note]");

    async function show(query) {
      const mine = ++sequence;
      if (contact) contact.hidden = true;
      if (note) note.textContent = "";
      if (!query.trim()) { list.replaceChildren(); summary.textContent = ""; return; }
      summary.textContent = text("data-searching");
      let result = { docs: [], terms: [], partial: false, corrected: null };
      let found = [];
      try {
        result = await searchQuery(query);
        found = await rows(result.docs.slice(0, PAGE_RESULTS));
      } catch (err) {
        found = [];
      }
      if (mine !== sequence) return;
      const docs = result.docs;
      const terms = highlightTerms(query, result.terms);
      list.replaceChildren(...found.map((row) => resultItem(root, row, terms, null, query)));
      announce("helpsite:search", { query, results: docs.length });
      summary.textContent = !docs.length ? text("data-no-results")
        : docs.length === 1 ? text("data-result-count-one")
          : text("data-result-count").replace("{count}", String(docs.length));
      // Say how the results were found when it was not as typed; with nothing
      // found at all, offer the ways to reach a person.
      if (note && docs.length && result.corrected) {
        note.textContent = text("data-showing-for").replace("{query}", correctedQuery(query, result.corrected, found.slice(0, 3)));
      } else if (note && docs.length && result.partial) {
        note.textContent = text("data-partial");
      }
      if (contact && !docs.length) contact.hidden = false;
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
    fold: (n, value) => { addFoldEntries(value); arrived("fold", n, value); },
    pinyin: (n, value) => arrived("pinyin", n, value),
    syllables: (n, value) => arrived("syllables", n, value),
    search: run,
    rows,
    searchQuery,
    // For tests: the index's rules, as src/search/ has them.
    addFoldEntries,
    foldText,
    prepare: async (text) => loadFolding(text, await load("manifest", 0)),
    pinyinSyllables,
    pinyinKeys,
    typoCandidates,
    typoShardKeys,
    distance,
  };

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }
})(typeof window !== "undefined" ? window : globalThis);
