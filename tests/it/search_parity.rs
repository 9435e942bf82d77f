//! The rules `search.js` repeats from `src/search/` (folding, pinyin, typo
//! candidates), applied here to fixed inputs and written to
//! `tests/fixtures/search-parity.json`, which the node tests (`tests/js/`) run the
//! browser's code on. This test fails when the file is not what the Rust rules give
//! today; `UPDATE_PARITY=1 cargo test --test search_parity` writes it anew.

use std::collections::BTreeSet;
use std::path::Path;

use helpsite::search::{fold, pinyin, tokenize, typo};
use rustc_hash::FxHashSet;
use serde_json::{json, Value};

const FOLD_INPUTS: &[&str] = &[
    "帳戶凍結",
    "账户冻结",
    "忘記密碼怎麼辦",
    "兩步驗證",
    "提現延遲，錢還沒到賬",
    "電子郵件 email 2FA驗證碼",
    "軟體更新與資訊安全",
    "臺灣 台湾 颱風",
    "頭髮 發現 发现",
    "okpay 提現",
    "乾燥 幹部 干净",
    "ＡＢＣ１２３ 後台",
];

const PINYIN_WORDS: &[&str] = &[
    "提现", "忘记", "密码", "客服", "电话", "实名", "认证", "银行", "行卡", "退款", "手续", "续费",
    "冻结", "解冻", "验证", "充值", "西安", "先", "长", "重复", "绿色",
];

const PINYIN_TYPED: &[&str] = &[
    "tixian",
    "wangjimima",
    "kefudianhua",
    "shimingrenzheng",
    "xian",
    "xian",
    "yinhangka",
    "okpay",
    "2fa",
    "chongfu",
    "lvse",
    "zhang",
    "tuikuanshouxufei",
    "q",
];

const TYPO_WORDS: &[&str] = &[
    "encrypton",
    "yubikee",
    "withdrawl",
    "pasword",
    "acount",
    "refnud",
    "phising",
    "authentcation",
    "deposti",
    "identty",
    "card",
    "twise",
    "maintenence",
    "zzzzzzz",
    "über",
    "naïve",
    "提现",
];

const TYPO_VOCABULARY: &[(&str, usize)] = &[
    ("encrypt", 3),
    ("yubikei", 1),
    ("withdraw", 40),
    ("password", 20),
    ("account", 50),
    ("accord", 2),
    ("refund", 12),
    ("phish", 4),
    ("authent", 6),
    ("deposit", 30),
    ("ident", 9),
    ("card", 25),
    ("twice", 5),
    ("mainten", 3),
    ("maintain", 2),
    ("uber", 1),
    ("naiv", 1),
    ("提现", 10),
    ("cart", 1),
    ("ward", 1),
];

fn fixture() -> Value {
    let table = fold::table();
    let folded: Vec<(String, String, Vec<String>)> = FOLD_INPUTS
        .iter()
        .map(|input| {
            let text = input.to_string();
            (
                text.clone(),
                table.fold(&text).into_owned(),
                tokenize::tokenize(&text),
            )
        })
        .collect();
    let chars: BTreeSet<char> = folded.iter().flat_map(|(_, f, _)| f.chars()).collect();
    let entries: serde_json::Map<String, Value> = table
        .browser_entries(&chars)
        .into_iter()
        .map(|(from, to)| (from, Value::from(to)))
        .collect();

    let syllables: BTreeSet<String> = PINYIN_WORDS
        .iter()
        .flat_map(|w| w.chars())
        .flat_map(pinyin::char_readings)
        .collect();
    let known: FxHashSet<String> = syllables.iter().cloned().collect();
    let readings: Vec<Value> = PINYIN_WORDS
        .iter()
        .map(|w| json!([w, pinyin::readings(w)]))
        .collect();
    let typed: Vec<Value> = PINYIN_TYPED
        .iter()
        .map(|t| {
            let cut = pinyin::syllables(t, &known);
            let keys = cut.as_deref().map(pinyin::query_keys);
            json!([t, cut, keys])
        })
        .collect();

    let vocabulary: Vec<(String, usize)> = TYPO_VOCABULARY
        .iter()
        .map(|(t, df)| (t.to_string(), *df))
        .collect();
    let typos: Vec<Value> = TYPO_WORDS
        .iter()
        .map(|w| json!([w, typo::candidates(w, &vocabulary), typo::shard_keys(w)]))
        .collect();

    json!({
        "fold": {
            "entries": entries,
            "cases": folded.iter().map(|(i, f, t)| json!([i, f, t])).collect::<Vec<_>>(),
        },
        "pinyin": {
            "syllables": syllables,
            "readings": readings,
            "typed": typed,
        },
        "typo": {
            "vocabulary": vocabulary,
            "cases": typos,
        },
    })
}

#[test]
fn the_parity_fixture_is_what_the_rust_rules_give() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search-parity.json");
    let expected = serde_json::to_string_pretty(&fixture()).unwrap() + "\n";
    if std::env::var_os("UPDATE_PARITY").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} is out of date with src/search/: run `UPDATE_PARITY=1 cargo test --test search_parity` \
         and then `node --test tests/js/`",
        path.display()
    );
}

#[test]
fn folding_and_typos_find_what_readers_mean() {
    let table = fold::table();
    assert_eq!(table.fold("帳戶"), table.fold("账户"));
    let vocabulary = vec![("encrypt".to_string(), 1)];
    assert_eq!(typo::candidates("encrypton", &vocabulary)[0].0, "encrypt");
}
