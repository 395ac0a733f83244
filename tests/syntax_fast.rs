//! The hand-written fast path must build exactly the tree pest builds (see src/syntax/fast.rs).
//! These tests parse the same text both ways and compare: the examples, a generated workspace,
//! and small cases aimed at the grammar's corners.

use zonelint::generate::{GenerateConfig, generate};
use zonelint::syntax::{parse, parse_reference};

fn assert_same(text: &str) {
    let fast = parse(text);
    let reference = parse_reference(text);
    assert_eq!(fast.items, reference.items, "trees differ for:\n{text}");
    assert_eq!(fast.errors, reference.errors, "errors differ for:\n{text}");
    assert_eq!(
        fast.broken, reference.broken,
        "broken chunks differ for:\n{text}"
    );
}

#[test]
fn examples_parse_the_same_both_ways() {
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")) {
        let entry = entry.expect("examples are readable");
        if entry.path().extension().is_some_and(|e| e == "iacs") {
            assert_same(&std::fs::read_to_string(entry.path()).expect("utf-8 example"));
            seen += 1;
        }
    }
    assert!(seen > 0, "no example models found");
}

#[test]
fn a_generated_workspace_parses_the_same_both_ways() {
    let ws = generate(&GenerateConfig {
        components: 600,
        seed: 3,
    })
    .expect("in range");
    for file in &ws.files {
        assert_same(&file.text);
    }
}

#[test]
fn grammar_corners_parse_the_same_both_ways() {
    let cases = [
        "",
        "   \n// only a comment\n",
        "\u{FEFF}zone a { kind = control }",
        "zone a\n\n  \n",
        "zone a // trailing comment\n",
        "zone a \"title\" // c\n{ }",
        "zone a { b c }",
        "zone a { flag\n zone b {} }",
        "zone\ta \t{ }",
        "zone   \n a { }",
        "zone // c\n a { }",
        "zone \"t\" { }",
        "zone  { }",
        "zone a b { }",
        "zone a { x = 1; y = 2, z = 3 }",
        "zone a { x = 1;; }",
        "zone a { x = [] y = [1,] z = [1, 2 ,3] w = [ [1], [2, [3]] ] }",
        "zone a { x = {} y = { IAC: 2, UC : 3, } }",
        "zone a { x = 2027-06-30 y = 2027-6-30 }",
        "zone a { x = 3.5 y = -4 z = 10.x }",
        "zone a { x = 3.5.1 }",
        "zone a { x = 12abc }",
        "zone a { d = a -> b  e = a->b  f = a <-> b  g = a // c\n -> b }",
        "zone a { d = a -> }",
        "zone a { s = [https:443, ssh:22]  t = https: 443  u = a.b:1 v = https:443b = 1 }",
        "zone a { p = a.b.c  q = a.  r = a..b }",
        "zone a { s = \"esc \\\" \\\\ \\n \\t \\q\"  t = \"multi\nline\" }",
        "zone a { s = \"unterminated }",
        "zone a { s = \"ends in backslash\\",
        "flow f : a -> b { }",
        "flow f : a.b <-> c.d \"t\"",
        "flow f : a ->",
        "component c : embedded-device",
        "component c : a-b-c \"x\" { }",
        "zone a-b_c { x-y = z-1 }",
        "zone a- { }",
        "zone a--b { }",
        "zone Füllstation { größe = 1 }",
        "zone café² { x = ½ }",
        "zone a { x = }",
        "zone a { = 1 }",
        "zone a { x 1 }",
        "zone a {",
        "zone a }",
        "zone a { x = [1 2] }",
        "zone a { x = { a 1 } }",
        "import \"a.iacs\"\nimport \"b.iacs\"",
        "zone a {}\nzone b {}\n\nzone c",
        "zone a : : b",
        "zone a / b",
        "zone a { x = - 1 }",
        "zone a { x = 1e5 }",
        "zone a { x = [a -> b, c] }",
        "zone a { x = { k: a -> b } }",
        "zone a { x = a\n-> b }",
        "zone\ta\r\n{\r\n  x = 1\r\n}\r\n",
        "zone a { x = 1 } trailing",
        "zone a { custom { any-thing = [1, \"two\", three] } }",
    ];
    for case in cases {
        assert_same(case);
    }
}
