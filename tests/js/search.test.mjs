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
