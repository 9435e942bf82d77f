// The tokenizer and stemmer of themes/default/static/search.js, run in a `vm` context.
// The browser test (tests/it/browser_search.rs) compares them with the Rust side on many
// more strings; these pin the published Snowball English examples and the CJK rules.
// Run with: node --test tests/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const SCRIPT = readFileSync(new URL("../../themes/default/static/search.js", import.meta.url), "utf8");

function load() {
  const context = vm.createContext({});
  vm.runInContext(SCRIPT, context);
  return context.helpsiteSearch;
}

test("English words stem as Snowball's English stemmer does", () => {
  const { stem } = load();
  const cases = {
    consign: "consign", consigned: "consign", consigning: "consign", consignment: "consign",
    consist: "consist", consisted: "consist", consistency: "consist", consistent: "consist",
    knack: "knack", knackeries: "knackeri", knaves: "knave", knightly: "knight",
    generously: "generous", generate: "generat", skies: "sky", dying: "die", news: "news",
    hopping: "hop", hoping: "hope", agreed: "agre", happiness: "happi", cried: "cri",
  };
  for (const [word, expected] of Object.entries(cases)) assert.equal(stem(word), expected, word);
});

test("Han runs become overlapping bigrams, a lone character stays whole", () => {
  const { tokenize } = load();
  assert.deepEqual([...tokenize("忘记密码")], ["忘记", "记密", "密码"]);
  assert.deepEqual([...tokenize("提 现")], ["提", "现"]);
  assert.deepEqual([...tokenize("2fa验证码")], ["2fa", "验证", "证码"]);
});

test("full-width text is normalised; numbers and codes survive; emoji separate", () => {
  const { tokenize } = load();
  assert.deepEqual([...tokenize("ＡＢＣ１２３")], ["abc123"]);
  assert.deepEqual([...tokenize("Error 400 🙂 withdrawals")], ["error", "400", "withdraw"]);
});

// Parity with src/search/ (folding, pinyin, typo candidates): the inputs and what the
// Rust rules give for them are in tests/fixtures/search-parity.json, which
// tests/search_parity.rs checks is current.
const PARITY = JSON.parse(readFileSync(new URL("../fixtures/search-parity.json", import.meta.url), "utf8"));
const plain = (value) => JSON.parse(JSON.stringify(value));

test("traditional and simplified fold as the Rust table folds them", () => {
  const search = load();
  search.addFoldEntries(PARITY.fold.entries);
  for (const [input, folded, tokens] of PARITY.fold.cases) {
    assert.equal(search.foldText(input), folded, input);
    assert.deepEqual(plain(search.tokenize(input)), tokens, input);
  }
});

test("without the folding entries, traditional text is left as it is", () => {
  const { foldText } = load();
  assert.equal(foldText("帳戶凍結"), "帳戶凍結");
});

test("typed pinyin is cut into syllables and keys as in Rust", () => {
  const { pinyinSyllables, pinyinKeys } = load();
  const known = new Set(PARITY.pinyin.syllables);
  for (const [typed, syllables, keys] of PARITY.pinyin.typed) {
    const cut = pinyinSyllables(typed, known);
    assert.deepEqual(plain(cut), syllables, typed);
    assert.deepEqual(cut ? plain(pinyinKeys(cut)) : null, keys, typed);
  }
  // Every reading the index lists a word under is typed back into that key.
  for (const [word, readings] of PARITY.pinyin.readings) {
    for (const reading of readings) {
      const cut = pinyinSyllables(reading, known);
      assert.ok(cut, `${word}: ${reading}`);
      if (Array.from(word).length === 2 && cut.length === 2) {
        assert.deepEqual(plain(pinyinKeys(cut)), [reading], word);
      }
    }
  }
});

test("typo candidates and the vocabulary shards looked in match Rust", () => {
  const { typoCandidates, typoShardKeys } = load();
  for (const [word, candidates, keys] of PARITY.typo.cases) {
    assert.deepEqual(plain(typoCandidates(word, PARITY.typo.vocabulary)), candidates, word);
    assert.deepEqual(plain(typoShardKeys(word)), keys, word);
  }
});
