//! The language server's incremental check (`check::incremental`) keeps a policy's findings
//! when an edit cannot change them. These tests hold it to its promise: after any sequence of
//! edits, the report equals the one a full check of the same texts gives, byte for byte in
//! every field, including where each finding points.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use zonelint::check::incremental::{self, PolicyRuns, Previous};
use zonelint::check::{self, Options, Report};
use zonelint::generate::{GenerateConfig, generate};
use zonelint::model::Date;
use zonelint::model::workspace::{Limits, MemoryFs};
use zonelint::policy::{self, PolicySet};

fn policies() -> &'static PolicySet {
    static SET: OnceLock<PolicySet> = OnceLock::new();
    SET.get_or_init(|| {
        policy::load(policy::builtin_sources(None))
            .unwrap_or_else(|_| panic!("the built-in packs load"))
    })
}

fn options() -> Options<'static> {
    Options {
        policies: policies(),
        limits: Limits::default(),
        today: Date {
            year: 2026,
            month: 6,
            day: 1,
        },
        achieved_levels: true,
    }
}

/// A workspace to edit: (relative path, text) of each file.
type Files = Vec<(String, String)>;

/// The shipped examples, and a small generated fleet (several files, imports, every kind of
/// element).
fn workspaces() -> &'static [Files] {
    static ALL: OnceLock<Vec<Files>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = Vec::new();
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        for name in ["substation", "water-treatment", "manufacturing-line"] {
            let dir = examples.join(name);
            let mut files = Vec::new();
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = entry.expect("examples are readable");
                if entry.path().extension().is_some_and(|e| e == "iacs") {
                    let path = entry.path().strip_prefix(&dir).expect("inside");
                    let text = std::fs::read_to_string(entry.path()).expect("utf-8 example");
                    files.push((path.to_string_lossy().into_owned(), text));
                }
            }
            all.push(files);
        }
        let generated = generate(&GenerateConfig {
            components: zonelint::generate::MIN_COMPONENTS,
            seed: 5,
        })
        .expect("in range");
        all.push(
            generated
                .files
                .into_iter()
                .map(|f| (f.path, f.text))
                .collect(),
        );
        all
    })
}

fn memory(files: &Files) -> (MemoryFs, Vec<PathBuf>) {
    let mut fs = MemoryFs::new("/ws");
    let entries = files
        .iter()
        .map(|(path, text)| fs.insert(path, text.as_bytes()))
        .collect();
    (fs, entries)
}

fn full(files: &Files) -> Report {
    let (fs, entries) = memory(files);
    check::check(Path::new("/ws"), &entries, &fs, &options())
}

fn again(files: &Files, previous: Option<(&Report, PolicyRuns)>) -> (Report, PolicyRuns) {
    let (fs, entries) = memory(files);
    let previous = previous.map(|(report, runs)| Previous {
        model: &report.model,
        runs,
    });
    incremental::check(Path::new("/ws"), &entries, &fs, &options(), previous)
}

/// Words the language uses, so that replacements make plausible edits: other kinds, levels,
/// protocols, booleans, a misspelt attribute.
const WORDS: &[&str] = &[
    "control",
    "dmz",
    "safety",
    "external",
    "enterprise",
    "deny",
    "allow",
    "true",
    "false",
    "0",
    "1",
    "2",
    "3",
    "4",
    "modbus-tcp",
    "opc-ua",
    "https",
    "untrusted",
    "trusted",
    "knd",
    "owner",
    "[1, 1, 1, 1, 1, 1, 1]",
    "[4, 4, 4, 4, 4, 4, 4]",
    "\"text\"",
    "2020-01-01",
];

#[derive(Debug, Clone)]
enum Edit {
    /// Give the `nth` attribute (`name = value`) a value that attribute has elsewhere in the
    /// workspace (the `pick`th), or one of [`WORDS`]: the edits that change what policies find.
    Value {
        nth: usize,
        pick: usize,
    },
    /// Replace the `nth` word (a run of letters, digits, `-` and `_`) with another.
    Word {
        nth: usize,
        with: usize,
    },
    DeleteLine(usize),
    DuplicateLine(usize),
    /// Insert a blank line and a comment before a line: everything after it moves.
    InsertLines(usize),
    /// Change the text of a `///` documentation line or a quoted title.
    Retitle(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (any::<usize>(), any::<usize>()).prop_map(|(nth, pick)| Edit::Value { nth, pick }),
        3 => (any::<usize>(), 0..WORDS.len()).prop_map(|(nth, with)| Edit::Word { nth, with }),
        1 => any::<usize>().prop_map(Edit::DeleteLine),
        1 => any::<usize>().prop_map(Edit::DuplicateLine),
        2 => any::<usize>().prop_map(Edit::InsertLines),
        1 => any::<usize>().prop_map(Edit::Retitle),
    ]
}

fn apply(text: &str, edit: &Edit, workspace: &Files) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line = |n: usize| n % lines.len().max(1);
    match edit {
        Edit::Value { nth, pick } => {
            let values = value_spans(text);
            if values.is_empty() {
                return text.to_string();
            }
            let (name, start, end) = values[nth % values.len()];
            let mut seen: Vec<&str> = workspace
                .iter()
                .flat_map(|(_, t)| {
                    value_spans(t)
                        .into_iter()
                        .filter(|(n, _, _)| *n == name)
                        .map(|(_, s, e)| &t[s..e])
                })
                .collect();
            seen.extend(WORDS);
            let with = seen[pick % seen.len()];
            format!("{}{with}{}", &text[..start], &text[end..])
        }
        Edit::Word { nth, with } => {
            let words: Vec<(usize, usize)> = word_spans(text);
            if words.is_empty() {
                return text.to_string();
            }
            let (start, end) = words[nth % words.len()];
            format!("{}{}{}", &text[..start], WORDS[*with], &text[end..])
        }
        Edit::DeleteLine(n) if !lines.is_empty() => {
            let mut out = lines.clone();
            out.remove(line(*n));
            out.concat()
        }
        Edit::DuplicateLine(n) if !lines.is_empty() => {
            let mut out = lines.clone();
            out.insert(line(*n), lines[line(*n)]);
            out.concat()
        }
        Edit::InsertLines(n) if !lines.is_empty() => {
            let mut out = lines.clone();
            out.insert(line(*n), "\n// moved down\n");
            out.concat()
        }
        Edit::Retitle(n) => {
            let quoted: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
            let docs: Vec<usize> = text.match_indices("/// ").map(|(i, _)| i + 4).collect();
            let spots: Vec<usize> = quoted
                .iter()
                .step_by(2)
                .map(|i| i + 1)
                .chain(docs)
                .collect();
            match spots.get(n % spots.len().max(1)) {
                Some(&at) => format!("{}Renamed {}", &text[..at], &text[at..]),
                None => text.to_string(),
            }
        }
        _ => text.to_string(),
    }
}

/// Every `name = value` in a text: the name, and where its value starts and ends (a word, a
/// quoted string or a bracketed list).
fn value_spans(text: &str) -> Vec<(&str, usize, usize)> {
    let bytes = text.as_bytes();
    let is_word = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b':');
    let mut out = Vec::new();
    for (eq, _) in text.match_indices('=') {
        let name_end = text[..eq].trim_end().len();
        let name_start = text[..name_end]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let start = eq + 1 + (text[eq + 1..].len() - text[eq + 1..].trim_start().len());
        if name_start == name_end || start >= text.len() {
            continue;
        }
        let end = match bytes[start] {
            b'"' => text[start + 1..].find('"').map(|i| start + i + 2),
            b'[' => text[start..].find(']').map(|i| start + i + 1),
            c if is_word(c) => Some(
                start
                    + text[start..]
                        .bytes()
                        .position(|c| !is_word(c))
                        .unwrap_or(text.len() - start),
            ),
            _ => None,
        };
        if let Some(end) = end {
            out.push((&text[name_start..name_end], start, end));
        }
    }
    out
}

fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// Checks once, then after each edit in turn both incrementally and from scratch.
fn assert_edits_match(workspace: &Files, edits: &[(usize, Edit)]) -> usize {
    let mut files = workspace.clone();
    let (mut report, mut runs) = again(&files, None);
    let mut kept = 0;
    for (step, (file, edit)) in edits.iter().enumerate() {
        let file = file % files.len();
        files[file].1 = apply(&files[file].1, edit, workspace);
        let (next, next_runs) = again(&files, Some((&report, runs)));
        let expected = full(&files);
        assert_eq!(
            next.diagnostics, expected.diagnostics,
            "step {step}: {edit:?} in {}",
            files[file].0
        );
        kept += policies().policies.len() - next_runs.ran;
        (report, runs) = (next, next_runs);
    }
    kept
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn incremental_checks_equal_full_checks(
        workspace in 0..4usize,
        edits in prop::collection::vec((any::<usize>(), edit()), 1..5),
    ) {
        assert_edits_match(&workspaces()[workspace], &edits);
    }
}

/// The comparison above would also pass if nothing were ever kept; these edits must keep
/// most policies' findings, and still match.
#[test]
fn edits_to_values_keep_the_policies_that_do_not_read_them() {
    let substation = &workspaces()[0];
    let policies = policies().policies.len();
    let cases: Vec<(usize, Edit)> = (0..substation.len())
        .flat_map(|file| {
            [
                (file, Edit::InsertLines(3)),
                (file, Edit::Retitle(1)),
                (file, Edit::InsertLines(7)),
            ]
        })
        .collect();
    let kept = assert_edits_match(substation, &cases);
    assert!(
        kept > cases.len() * policies / 2,
        "only {kept} of {} policy runs were kept",
        cases.len() * policies
    );

    // Changing one attribute value re-runs only the policies that read it.
    let mut files = substation.clone();
    let (report, runs) = again(&files, None);
    let (file, at) = files
        .iter()
        .enumerate()
        .find_map(|(i, (_, text))| text.find("sl_capability").map(|at| (i, at)))
        .expect("a component with a capability level");
    let line_end = at + files[file].1[at..].find('\n').expect("a line");
    let edited = format!(
        "{}sl_capability = [1, 1, 1, 1, 1, 1, 1]{}",
        &files[file].1[..at],
        &files[file].1[line_end..]
    );
    files[file].1 = edited;
    let (next, next_runs) = again(&files, Some((&report, runs)));
    assert_eq!(next.diagnostics, full(&files).diagnostics);
    assert!(
        next_runs.ran > 0,
        "policies that read `sl_capability` run again"
    );
    assert!(
        next_runs.ran < policies / 4,
        "policies that never read `sl_capability` keep their findings ({} of {policies} ran)",
        next_runs.ran
    );
}
