//! The hand-written policy parser (src/policy/fast_parse.rs) must build exactly the tree pest
//! builds, spans included, and must decline everything pest rejects. These tests parse the same
//! text both ways: every policy that ships or that the tests and docs use, hand-picked corners of
//! the grammar, and random mutations of the shipped policies.

use proptest::prelude::*;
use zonelint::policy::builtin_sources;
use zonelint::policy::parse_differential::{block_fast, block_reference, blocks, file};

/// Every policy text the project holds: the built-in packs, `.policy` files under tests/ and
/// examples/, and the fenced code blocks of the docs.
fn policy_texts() -> Vec<(String, String)> {
    let mut texts: Vec<(String, String)> = builtin_sources(None)
        .into_iter()
        .map(|s| (s.name, s.text))
        .collect();
    let root = env!("CARGO_MANIFEST_DIR");
    for dir in ["tests", "examples"] {
        for entry in walkdir::WalkDir::new(format!("{root}/{dir}")).sort_by_file_name() {
            let entry = entry.expect("readable directory");
            if entry.path().extension().is_some_and(|e| e == "policy") {
                let text = std::fs::read_to_string(entry.path()).expect("utf-8 policy file");
                texts.push((entry.path().display().to_string(), text));
            }
        }
    }
    for entry in walkdir::WalkDir::new(format!("{root}/docs")).sort_by_file_name() {
        let entry = entry.expect("readable directory");
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).expect("utf-8 doc");
            for (i, fenced) in text.split("```").enumerate().filter(|(i, _)| i % 2 == 1) {
                if fenced.contains("policy ") {
                    let name = format!("{} (code block {})", entry.path().display(), i / 2 + 1);
                    texts.push((name, fenced.to_string()));
                }
            }
        }
    }
    texts
}

#[test]
fn every_known_policy_parses_the_same_both_ways() {
    let mut accepted = 0;
    for (name, text) in policy_texts() {
        assert_eq!(file(&text, true), file(&text, false), "{name}");
        for block in blocks(&text).unwrap_or_default() {
            match block_reference(&block) {
                Ok(tree) => {
                    // The fast path must not quietly hand a valid block back to pest.
                    assert_eq!(block_fast(&block), Some(tree), "{name}:\n{block}");
                    accepted += 1;
                }
                Err(_) => assert_eq!(block_fast(&block), None, "{name}:\n{block}"),
            }
        }
    }
    assert!(accepted >= 79, "only {accepted} policies found");
}

/// Blocks aimed at the grammar's corners, valid and not.
const CORNERS: &[&str] = &[
    r#"policy p { }"#,
    "  \n/// doc\npolicy p { }",
    r#"policy p.q_r-1 "title \"quoted\"" { }"#,
    "policy p\n// comment\n\"t\" // more\n{ // c\n}",
    "policy p { severity error tags [] tags [,] tags [\"a\",] tags [\"a\" , \"b\"] }",
    r#"policy p { tags ["a",,] }"#,
    r#"policy p { tags ["a" "b"] }"#,
    r#"policy p { requirement "SR 1.1" severity warning }"#,
    "policy p { require a == b\n  // trailing comment\n  report \"x\" }",
    "policy p { require not a }",
    "policy p { require not not a\n}",
    "policy p { require not (a == b) and c }",
    "policy p { require not(x) }",
    "policy p { require a not in b }",
    "policy p { require a not  // c\n in b }",
    "policy p { require a not b }",
    "policy p { require not in(x) }",
    "policy p { require not in }",
    "policy p { require a in(b) or c in [1, 2,] }",
    "policy p { require a <= -1 and b >= 2.5 and c < d and e > f and g != h }",
    "policy p { require a <- b }",
    "policy p { require a - -1 + b -1 == 0 }",
    "policy p { require 1.x == 1 .y }",
    "policy p { require 1abc }",
    "policy p { require 1. }",
    "policy p { require a . b [ c ] .d[0]\n }",
    "policy p { require a.1 }",
    "policy p { require a. }",
    "policy p { require f() and g (a, b) and h(x: x.y == 1, y :z) }",
    "policy p { require f(a,) }",
    "policy p { require f(not: 1) }",
    "policy p { require order and android and notable and index and in-x and for_ }",
    "policy p { require or }",
    "policy p { require [] == [,] and [[1], [2, [3]]] }",
    "policy p { require [1,,] }",
    "policy p { require (((a))) }",
    "policy p { require ( not a ) }",
    "policy p { require zone-a == \"é\\n\\t\\\\\" }",
    "policy p { require élan == ñ1 and _x }",
    "policy p { require a == b c }",
    "policy p { for z in zones where z.kind == control let n = count(z.assets) require n > 0 }",
    "policy p { for in in zones }",
    "policy p { let x == 1 }",
    "policy p { target zones report \"{ name } has {count(x)} {{literal}} }}\" }",
    "policy p { report \"{ a == b }\" help \"see {x.y}\" }",
    "policy p { report \"{ }\" }",
    "policy p { report \"{a\" }",
    "policy p { report \"{ \\\"s\\\" }\" }",
    "policy p { at z.asset at z \"label {z}\" label z \"l\" }",
    "policy p { at z\n\"next line\" }",
    "policy p { label z }",
    "policy p { fix \"t\" set z.a = 1 fix \"t\" set z = -2.5 fix \"t\" set z[0].b = \"v\" }",
    "policy p { fix \"t\" set z = word fix \"t\" set z = in fix \"t\" set not(x) = 1 }",
    "policy p { fix \"t\" set z == 1 }",
    "policy p { fix \"t\" set z = 1abc }",
    "policy p { fix \"t\" z = 1 }",
    "policy p { unknown x }",
    "policy p { requirements \"x\" }",
    "policy p { require }",
    "policy p { require a report }",
    "policy p { require \"open }",
    "policy p { require a }\n",
    "policy p { require a } x",
    "policy  { }",
    "policy p \"t\" \"u\" { }",
    "policy p { require a\u{FEFF}== b }",
    "policy p { require a\r\n== b\r\n}",
];

#[test]
fn grammar_corners_parse_the_same_both_ways() {
    let mut accepted = 0;
    for block in CORNERS {
        let fast = block_fast(block);
        match block_reference(block) {
            Ok(tree) => {
                assert_eq!(fast, Some(tree), "{block}");
                accepted += 1;
            }
            Err(e) => assert_eq!(fast, None, "pest rejects {block:?} ({e})"),
        }
    }
    // Most corners are valid: the comparison must not be vacuous.
    assert!(
        accepted > CORNERS.len() / 2,
        "only {accepted} corners parse"
    );
}

#[test]
fn deep_nesting_is_declined_not_overflowed() {
    let deep = format!(
        "policy p {{ report \"{{{}a{}}}\" }}",
        "(".repeat(200),
        ")".repeat(200)
    );
    assert_eq!(block_fast(&deep), None);
    let nots = format!("policy p {{ require {}a }}", "not ".repeat(200));
    assert_eq!(block_fast(&nots).is_some(), block_reference(&nots).is_ok());
}

/// Tokens a mutation inserts: the grammar's punctuation, keywords and awkward characters.
const TOKENS: &[&str] = &[
    "{", "}", "(", ")", "[", "]", "\"", ",", ".", ":", "=", "==", "!=", "<", ">=", "-", "+", " ",
    "\n", "//", "\\", "not ", "in ", "or ", "and ", "not in ", "1", "2.5", "x", "é", "_", "{{",
    "report ", "require ", "for ", "at ", "fix ", "set ", "f(", "x: ",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
    Replace { at: usize, token: usize },
    Insert { at: usize, token: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1usize..12).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 1usize..24).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Replace { at, token }),
        (any::<usize>(), 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Insert { at, token }),
    ]
}

/// Applies mutations to the bytes of `text`; the result is made valid UTF-8 again.
fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for m in mutations {
        let n = bytes.len().max(1);
        match *m {
            Mutation::Delete { at, len } => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            Mutation::Duplicate { at, len } => {
                let at = at % n;
                let end = (at + len).min(bytes.len());
                let copy = bytes[at.min(end)..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Mutation::Replace { at, token } => {
                let at = at % n;
                let end = (at + 1).min(bytes.len());
                bytes.splice(at.min(end)..end, TOKENS[token].bytes());
            }
            Mutation::Insert { at, token } => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, TOKENS[token].bytes());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Every policy block of the built-in packs.
fn shipped_blocks() -> Vec<String> {
    builtin_sources(None)
        .iter()
        .flat_map(|s| blocks(&s.text).expect("built-in files scan"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A mutated block: whenever the fast path answers, pest builds the same tree; whenever pest
    /// fails, the fast path declines.
    #[test]
    fn mutated_blocks_never_parse_differently(
        which in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let shipped = shipped_blocks();
        let block = mutate(which.get::<String>(&shipped), &mutations);
        let fast = block_fast(&block);
        match block_reference(&block) {
            Ok(tree) => prop_assert!(fast.is_none() || fast == Some(tree), "{}", block),
            Err(_) => prop_assert_eq!(fast, None, "{}", block),
        }
    }

    /// A mutated file loads to the same policies, or fails with the same error, both ways.
    #[test]
    fn mutated_files_parse_the_same_both_ways(
        which in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..3),
    ) {
        let sources = builtin_sources(None);
        let text = mutate(&which.get(&sources).text, &mutations);
        prop_assert_eq!(file(&text, true), file(&text, false));
    }
}
