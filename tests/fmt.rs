//! Properties of the formatter over every model file in the repository (examples and test
//! fixtures): it is idempotent, keeps every comment, and the formatted files build the same
//! model (same elements, kinds, attribute values, and the same model errors).

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use zonelint::diagnostics::Diagnostic;
use zonelint::fmt::{FmtOptions, FormatError, format};
use zonelint::model::workspace::{FileSystem, Limits, load};
use zonelint::model::{self, Model};
use zonelint::syntax;

/// Serves some files from memory and the rest from disk.
struct Overlay(HashMap<PathBuf, String>);

impl FileSystem for Overlay {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.0.get(path) {
            Some(text) => Ok(text.clone().into_bytes()),
            None => std::fs::read(path),
        }
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
    fn display_name(&self, path: &Path) -> String {
        path.display().to_string()
    }
}

fn model_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["examples", "tests/fixtures"] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    files
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "iacs") {
            out.push(std::fs::canonicalize(&path).expect("listed files exist"));
        }
    }
}

fn comments(text: &str) -> Vec<String> {
    let tree = syntax::parse(text);
    let mut texts: Vec<String> = tree
        .comments
        .iter()
        .map(|c| text[c.span.start..c.span.end].trim_end().to_string())
        .collect();
    texts.sort();
    texts
}

/// Everything about the model that layout must not change.
fn summary(model: &Model, diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut out: Vec<String> = model
        .elements
        .iter()
        .map(|e| {
            let attrs: Vec<String> = e
                .attrs
                .iter()
                .map(|(name, a)| format!("{name}={:?}/{}", a.value, a.inherited))
                .collect();
            let custom: Vec<String> =
                e.custom.iter().map(|(name, a)| format!("{name}={:?}", a.value)).collect();
            format!(
                "{:?} {} title={:?} doc={:?} parent={:?} kind={:?} product={:?} ends={:?} attrs={attrs:?} custom={custom:?}",
                e.kind,
                e.qid,
                e.title,
                e.doc,
                e.parent,
                e.component_kind,
                e.product,
                e.endpoints.map(|p| (p.source, p.destination, p.both_ways)),
            )
        })
        .collect();
    out.extend(
        diagnostics
            .iter()
            .map(|d| format!("diagnostic {} {}", d.code, d.message)),
    );
    out.extend(
        model
            .suppressions
            .iter()
            .map(|s| format!("suppress {} {}", s.rule, s.reason)),
    );
    out
}

fn build(root: &Path, files: &[PathBuf], fs: &Overlay) -> Vec<String> {
    let loaded = load(root, files, fs, Limits::default());
    let (model, errors) = model::build(loaded.sources, loaded.files);
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(errors);
    summary(&model, &diagnostics)
}

#[test]
fn formatting_is_idempotent_and_keeps_comments_and_meaning() {
    let files = model_files();
    assert!(!files.is_empty(), "the examples hold model files");
    let mut formatted = HashMap::new();
    let mut checked = 0;
    for path in &files {
        // Fixtures of invalid UTF-8 are not text; `zonelint fmt` reports and skips them.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        match format(&text, &FmtOptions::default()) {
            Ok(once) => {
                let twice = format(&once, &FmtOptions::default()).expect("formatted text formats");
                assert_eq!(twice, once, "not idempotent: {}", path.display());
                assert_eq!(
                    comments(&once),
                    comments(&text),
                    "comments changed: {}",
                    path.display()
                );
                formatted.insert(path.clone(), once);
                checked += 1;
            }
            // Fixtures of broken syntax are refused, never rewritten.
            Err(FormatError::Syntax(errors)) => {
                assert!(!syntax::parse(&text).errors.is_empty());
                assert!(!errors.is_empty());
            }
            Err(err) => panic!("{}: {err}", path.display()),
        }
    }
    assert!(checked > 0);

    // Each directory is one workspace: build it from the original and the formatted files.
    let mut by_dir: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    for path in formatted.keys() {
        by_dir
            .entry(path.parent().unwrap().to_path_buf())
            .or_default()
            .push(path.clone());
    }
    for (dir, mut files) in by_dir {
        files.sort();
        let original = build(&dir, &files, &Overlay(HashMap::new()));
        let after = build(&dir, &files, &Overlay(formatted.clone()));
        assert_eq!(after, original, "the model changed in {}", dir.display());
    }
}
