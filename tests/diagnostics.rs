//! The diagnostic corpus: one fixture directory per model code, and the code documentation.
//!
//! `tests/fixtures/diagnostics/<code>/` holds one or more `.iacs` files that make zonelint
//! report `<code>`. They are checked as one in-memory workspace rooted at `/ws`: the entry is
//! `main.iacs` when there is one (the others are reached by its imports), else every file.
//! The rendered output is snapshotted as `tests/snapshots/diagnostics__<code>.snap`.
//!
//! Three codes depend on the environment rather than the text; [`environment`] sets it up: a
//! small file-count limit, a small file-size limit, a shallow import depth, or an unreadable file.
//!
//! The meta-tests keep three lists in step: the codes the sources can produce, the list in
//! `zonelint::diagnostics::MODEL_CODES`, and the fixtures.

use std::collections::BTreeSet;
use std::io;
use std::path::{Path, PathBuf};

use zonelint::check::{self, Options, Report};
use zonelint::diagnostics::{MODEL_CODES, RenderOptions, render_all};
use zonelint::model::Date;
use zonelint::model::workspace::{FileSystem, Limits, MemoryFs};
use zonelint::policy::PolicySet;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/diagnostics");
const ROOT: &str = "/ws";

/// What a code needs beyond its files.
struct Environment {
    limits: Limits,
    /// Files whose reading fails.
    unreadable: &'static [&'static str],
}

fn environment(code: &str) -> Environment {
    let limits = Limits::default();
    let (limits, unreadable) = match code {
        "too-many-files" => (
            Limits {
                max_files: 2,
                ..limits
            },
            &[][..],
        ),
        "file-too-large" => (
            Limits {
                max_file_bytes: 64,
                ..limits
            },
            &[][..],
        ),
        "import-too-deep" => (
            Limits {
                max_import_depth: 2,
                ..limits
            },
            &[][..],
        ),
        "unreadable-file" => (limits, &["main.iacs"][..]),
        _ => (limits, &[][..]),
    };
    Environment { limits, unreadable }
}

/// A [`MemoryFs`] in which some files exist but cannot be read, as without read permission.
struct Unreadable<'a> {
    files: &'a MemoryFs,
    unreadable: Vec<PathBuf>,
}

impl FileSystem for Unreadable<'_> {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if self.unreadable.iter().any(|p| p == path) {
            return Err(io::Error::from(io::ErrorKind::PermissionDenied));
        }
        self.files.read(path)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.files.canonicalize(path)
    }
    fn display_name(&self, path: &Path) -> String {
        self.files.display_name(path)
    }
}

/// Checks files given as (name relative to the root, contents) in the code's environment, and
/// keeps the model errors.
fn check_files(code: &str, files: &[(String, Vec<u8>)]) -> Report {
    let env = environment(code);
    let mut fs = MemoryFs::new(ROOT);
    let mut entries = Vec::new();
    for (name, contents) in files {
        let path = fs.insert(name, contents.clone());
        if name == "main.iacs" {
            entries = vec![path];
        }
    }
    if entries.is_empty() {
        entries = fs.paths();
    }
    let unreadable = env
        .unreadable
        .iter()
        .map(|name| Path::new(ROOT).join(name))
        .collect();
    let view = Unreadable {
        files: &fs,
        unreadable,
    };
    // No policies: the corpus is about the model's own errors, not findings.
    let policies = PolicySet::default();
    let options = Options {
        policies: &policies,
        limits: env.limits,
        today: Date {
            year: 2026,
            month: 6,
            day: 1,
        },
        achieved_levels: false,
    };
    let mut report = check::check(Path::new(ROOT), &entries, &view, &options);
    // The engine's own rules (an unused compensation or suppression) still run; they are
    // findings with their own documentation, not model errors.
    report.diagnostics.retain(|d| d.finding.is_none());
    report
}

fn rendered(report: &Report) -> String {
    render_all(
        &report.diagnostics,
        &report.model.sources,
        RenderOptions::default(),
    )
}

fn codes_of(report: &Report) -> BTreeSet<String> {
    report.diagnostics.iter().map(|d| d.code.clone()).collect()
}

struct Fixture {
    code: String,
    report: Report,
}

fn fixtures() -> Vec<Fixture> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(FIXTURES)
        .expect("the fixture directory exists")
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let code = dir
                .file_name()
                .expect("a directory has a name")
                .to_string_lossy()
                .into_owned();
            let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
                .expect("a readable fixture directory")
                .map(|entry| entry.expect("a readable directory entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "iacs"))
                .map(|p| {
                    let name = p
                        .file_name()
                        .expect("a file has a name")
                        .to_string_lossy()
                        .into_owned();
                    (name, std::fs::read(&p).expect("a readable fixture"))
                })
                .collect();
            files.sort();
            assert!(!files.is_empty(), "{} holds no .iacs file", dir.display());
            let report = check_files(&code, &files);
            Fixture { code, report }
        })
        .collect()
}

#[test]
fn fixture_snapshots() {
    for fixture in fixtures() {
        let mut settings = insta::Settings::clone_current();
        settings.set_omit_expression(true);
        settings.set_input_file(Path::new(FIXTURES).join(&fixture.code));
        settings.bind(|| insta::assert_snapshot!(fixture.code.clone(), rendered(&fixture.report)));
    }
}

#[test]
fn every_listed_code_has_a_fixture_that_produces_it() {
    let fixtures = fixtures();
    let mut missing = Vec::new();
    for doc in MODEL_CODES {
        match fixtures.iter().find(|f| f.code == doc.code) {
            Some(f) if codes_of(&f.report).contains(doc.code) => {}
            Some(f) => missing.push(format!(
                "{}: the fixture produces {:?} instead",
                doc.code,
                codes_of(&f.report)
            )),
            None => missing.push(format!("{}: no fixture directory", doc.code)),
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_produced_code_is_listed() {
    let listed: BTreeSet<&str> = MODEL_CODES.iter().map(|d| d.code).collect();
    let mut unlisted = BTreeSet::new();
    for fixture in fixtures() {
        assert!(
            listed.contains(fixture.code.as_str()),
            "fixture directory `{}` is not a listed code",
            fixture.code
        );
        for code in codes_of(&fixture.report) {
            if !listed.contains(code.as_str()) {
                unlisted.insert(format!("{code} (from the {} fixture)", fixture.code));
            }
        }
    }
    assert!(
        unlisted.is_empty(),
        "codes missing from MODEL_CODES: {unlisted:?}"
    );
}

/// The codes written as literals in the model and syntax layers: the first argument of
/// `error(`/`warning(` calls and `code:` fields. Keeps the list honest even for a code no
/// fixture reaches yet.
#[test]
fn the_list_matches_the_codes_in_the_sources() {
    let mut in_sources = BTreeSet::new();
    for dir in ["src/model", "src/syntax"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        // Sub-modules included: lowering is a directory of its own.
        for entry in walkdir::WalkDir::new(&dir) {
            let path = entry.expect("a directory entry").into_path();
            if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a readable source file");
                in_sources.extend(code_literals(&text));
            }
        }
    }
    let listed: BTreeSet<String> = MODEL_CODES.iter().map(|d| d.code.to_string()).collect();
    let unlisted: Vec<_> = in_sources.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&in_sources).collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "in the sources but not in MODEL_CODES: {unlisted:?}; listed but not in the sources: {stale:?}"
    );
}

fn code_literals(text: &str) -> Vec<String> {
    let mut codes = Vec::new();
    for marker in ["error(", "warning(", "code: "] {
        for (at, _) in text.match_indices(marker) {
            let rest = text[at + marker.len()..].trim_start();
            let Some(literal) = rest.strip_prefix('"') else {
                continue;
            };
            if let Some(end) = literal.find('"') {
                codes.push(literal[..end].to_string());
            }
        }
    }
    codes
}

// ----- the documentation in docs/codes/ -----

#[test]
fn explain_prints_every_code_page() {
    let policies = PolicySet::default();
    for doc in MODEL_CODES {
        let text = zonelint::cli::explain_text(&policies, doc.code)
            .unwrap_or_else(|e| panic!("{}: {e}", doc.code));
        assert!(text.starts_with(&format!("{} — model error", doc.code)));
        assert!(text.contains("## How to fix"), "{}", doc.code);
    }
    let err = zonelint::cli::explain_text(&policies, "unknown-atribute").unwrap_err();
    assert!(err.contains("did you mean `unknown-attribute`"), "{err}");
}

/// The `iacs` blocks of one `## ` section, as files: a block whose first line is
/// `// file: name.iacs` is that file, any other is `main.iacs`.
fn example_files(doc: &str, section: &str) -> Vec<(String, Vec<u8>)> {
    let heading = format!("## {section}\n");
    let Some(start) = doc.find(&heading) else {
        return Vec::new();
    };
    let body = &doc[start + heading.len()..];
    let body = body.find("\n## ").map_or(body, |end| &body[..end]);
    let mut files = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find("```iacs\n") {
        let block = &rest[open + "```iacs\n".len()..];
        let close = block.find("```").expect("an iacs block is closed");
        let text = &block[..close];
        let name = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// file: "))
            .unwrap_or("main.iacs")
            .trim()
            .to_string();
        files.push((name, text.as_bytes().to_vec()));
        rest = &block[close + 3..];
    }
    files
}

/// How an example is materialised: invalid UTF-8 cannot be written in a Markdown file, so that
/// example is saved as Latin-1, as the mistake it documents would have saved it.
fn encode(code: &str, files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    if code != "invalid-utf8" {
        return files;
    }
    files
        .into_iter()
        .map(|(name, bytes)| {
            let text = String::from_utf8(bytes).expect("Markdown is UTF-8");
            let latin1 = text
                .chars()
                .map(|c| u8::try_from(u32::from(c)).expect("the example is Latin-1"))
                .collect();
            (name, latin1)
        })
        .collect()
}

/// Codes whose fix is outside the model text: no corrected example can show it.
const FIXED_OUTSIDE_THE_TEXT: &[&str] = &["too-many-files", "unreadable-file"];

#[test]
fn docs_have_the_sections() {
    for doc in MODEL_CODES {
        for section in ["## What it means", "## Example", "## How to fix"] {
            assert!(
                doc.doc.contains(&format!("\n{section}\n")),
                "docs/codes/{}.md lacks `{section}`",
                doc.code
            );
        }
        assert!(
            doc.doc.starts_with(&format!("# `{}`\n", doc.code)),
            "docs/codes/{}.md must start with its code as the title",
            doc.code
        );
    }
}

#[test]
fn doc_examples_trigger_their_code_and_fixes_do_not() {
    let listed: BTreeSet<&str> = MODEL_CODES.iter().map(|d| d.code).collect();
    let mut failures = Vec::new();
    for doc in MODEL_CODES {
        let example = example_files(doc.doc, "Example");
        if example.is_empty() {
            failures.push(format!("{}: no iacs block under ## Example", doc.code));
            continue;
        }
        let report = check_files(doc.code, &encode(doc.code, example));
        if !codes_of(&report).contains(doc.code) {
            failures.push(format!(
                "{}: the example produces {:?}\n{}",
                doc.code,
                codes_of(&report),
                rendered(&report)
            ));
        }
        let fixed = example_files(doc.doc, "How to fix");
        if FIXED_OUTSIDE_THE_TEXT.contains(&doc.code) {
            continue;
        }
        if fixed.is_empty() {
            failures.push(format!("{}: no iacs block under ## How to fix", doc.code));
            continue;
        }
        let report = check_files(doc.code, &fixed);
        let model_codes: Vec<String> = codes_of(&report)
            .into_iter()
            .filter(|c| listed.contains(c.as_str()))
            .collect();
        if !model_codes.is_empty() {
            failures.push(format!(
                "{}: the fixed example still produces {model_codes:?}\n{}",
                doc.code,
                rendered(&report)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
