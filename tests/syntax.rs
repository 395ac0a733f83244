//! Data-driven syntax tests, in the manner of rust-analyzer's parser tests.
//!
//! Every `tests/fixtures/syntax/ok/NNN_name.iacs` must parse without an error, every
//! `tests/fixtures/syntax/err/NNN_name.iacs` with at least one. For each, the tree dump and the
//! rendered syntax errors are snapshotted as `tests/snapshots/syntax__{ok,err}__NNN_name.snap`.
//! To add a case, add a file and run `INSTA_UPDATE=always cargo test --test syntax`, then
//! review the new snapshot.

use std::path::{Path, PathBuf};

use zonelint::diagnostics::{RenderOptions, SourceMap, render_all};
use zonelint::model::workspace::syntax_diagnostic;
use zonelint::syntax::{self, SyntaxFile};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/syntax");

#[test]
fn ok_files_parse_without_errors() {
    let failures: Vec<String> = run_dir("ok")
        .into_iter()
        .filter(|case| !case.tree.errors.is_empty())
        .map(|case| {
            format!(
                "{}: {} error(s)\n{}",
                case.name,
                case.tree.errors.len(),
                case.rendered
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "ok fixtures with errors:\n{}",
        failures.join("\n")
    );
}

#[test]
fn err_files_report_an_error() {
    let failures: Vec<String> = run_dir("err")
        .into_iter()
        .filter(|case| case.tree.errors.is_empty())
        .map(|case| case.name)
        .collect();
    assert!(
        failures.is_empty(),
        "err fixtures without an error: {failures:?}"
    );
}

#[test]
fn snapshots() {
    for dir in ["ok", "err"] {
        for case in run_dir(dir) {
            let mut settings = insta::Settings::clone_current();
            settings.set_input_file(&case.path);
            settings.set_omit_expression(true);
            settings.bind(|| {
                insta::assert_snapshot!(
                    format!("{dir}__{}", case.name),
                    format!("{}--- errors\n{}", case.dump, case.rendered)
                );
            });
        }
    }
}

/// Recovery keeps the items around a broken one: the fixture's valid items all survive.
#[test]
fn recovery_keeps_the_valid_items() {
    let case = run_dir("err")
        .into_iter()
        .find(|c| c.name == "013_recovery")
        .expect("the recovery fixture exists");
    let names: Vec<&str> = case
        .tree
        .items
        .iter()
        .filter_map(|i| i.name.as_ref().map(|n| n.text.as_str()))
        .collect();
    assert_eq!(names, ["acme", "dmz", "c"]);
    assert_eq!(case.tree.errors.len(), 1);
}

struct Case {
    name: String,
    path: PathBuf,
    tree: SyntaxFile,
    dump: String,
    rendered: String,
}

fn run_dir(dir: &str) -> Vec<Case> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(Path::new(FIXTURES).join(dir))
        .expect("the fixture directory exists")
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "iacs"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures in {dir}");
    paths.into_iter().map(|path| run(dir, path)).collect()
}

fn run(dir: &str, path: PathBuf) -> Case {
    let name = path
        .file_stem()
        .expect("a fixture has a name")
        .to_string_lossy()
        .into_owned();
    let text = std::fs::read_to_string(&path).expect("fixtures are UTF-8");
    let tree = syntax::parse(&text);
    let dump = syntax::dump(&tree, &text);
    let mut sources = SourceMap::default();
    let file = sources.add(format!("{dir}/{name}.iacs"), text.as_str());
    let diagnostics: Vec<_> = tree
        .errors
        .iter()
        .map(|e| syntax_diagnostic(file, e))
        .collect();
    let rendered = render_all(&diagnostics, &sources, RenderOptions::default());
    Case {
        name,
        path,
        tree,
        dump,
        rendered,
    }
}
