//! Property tests of robustness, run by every `cargo test` (a few seconds in all):
//! - parsing never panics, on arbitrary text and on mutated real models;
//! - the hand-written fast path builds exactly pest's tree wherever it answers;
//! - building the model from any of that never panics, and the check, which lowers each file
//!   as soon as it is loaded, builds the same model with the same errors as loading every tree
//!   first and building from them;
//! - deep nesting never overflows the stack: the depth limit guards the recursive parts even on
//!   a thread with a 256 KiB stack.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use zonelint::generate::{GenerateConfig, generate};
use zonelint::model::workspace::{self, FileSystem, Limits, MemoryFs};
use zonelint::model::{self, Model};
use zonelint::syntax::{MAX_NESTING, parse, parse_reference};

/// Real model text to mutate: the examples and a small generated workspace.
fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut texts = Vec::new();
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        for entry in walkdir::WalkDir::new(examples).sort_by_file_name() {
            let entry = entry.expect("examples are readable");
            if entry.path().extension().is_some_and(|e| e == "iacs") {
                texts.push(std::fs::read_to_string(entry.path()).expect("utf-8 example"));
            }
        }
        let generated = generate(&GenerateConfig {
            components: zonelint::generate::MIN_COMPONENTS,
            seed: 11,
        })
        .expect("in range");
        texts.extend(generated.files.into_iter().map(|f| f.text));
        texts
    })
}

/// Pieces of the language, so that mutations make near-misses rather than noise.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "=",
    ":",
    ",",
    ";",
    ".",
    "->",
    "<->",
    "\"",
    "\\",
    "//",
    "///",
    "\n",
    "\r\n",
    " ",
    "\u{FEFF}",
    "zone",
    "conduit",
    "component",
    "flow",
    "import",
    "site",
    "custom",
    "suppress",
    "sl_target",
    "via",
    "zones",
    "2",
    "3.5",
    "-1",
    "2027-06-30",
    "opc-ua:4840",
    "a -> b",
    "x.y.z",
    "Füll",
    "½",
    "é",
    "\u{0}",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: f64, len: usize },
    Insert { at: f64, token: usize },
    Duplicate { at: f64, len: usize },
    Truncate { at: f64 },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (0.0..1.0, 0..TOKENS.len()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        (0.0..1.0, 1usize..200).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (0.0..1.0).prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// The char boundary at or before `fraction` of the text.
fn boundary(text: &str, fraction: f64) -> usize {
    let mut at = ((text.len() as f64) * fraction) as usize;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn end_after(text: &str, start: usize, len: usize) -> usize {
    let mut end = (start + len).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    end
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    for m in mutations {
        match *m {
            Mutation::Delete { at, len } => {
                let start = boundary(&text, at);
                let end = end_after(&text, start, len);
                text.replace_range(start..end, "");
            }
            Mutation::Insert { at, token } => {
                let at = boundary(&text, at);
                text.insert_str(at, TOKENS[token]);
            }
            Mutation::Duplicate { at, len } => {
                let start = boundary(&text, at);
                let end = end_after(&text, start, len);
                let copy = text[start..end].to_string();
                text.insert_str(end, &copy);
            }
            Mutation::Truncate { at } => {
                let at = boundary(&text, at);
                text.truncate(at);
            }
        }
    }
    text
}

/// Parses both ways (which must agree) and builds the model through the real loader.
fn parse_and_build(text: &str) -> Result<(), TestCaseError> {
    let fast = parse(text);
    let reference = parse_reference(text);
    prop_assert_eq!(&fast.items, &reference.items);
    prop_assert_eq!(&fast.errors, &reference.errors);
    let mut fs = MemoryFs::new("/ws");
    let entry = fs.insert("main.iacs", text.as_bytes().to_vec());
    let model = built_both_ways(&fs, &entry)?;
    prop_assert_eq!(model.sources.len(), 1);
    Ok(())
}

/// Builds the model of `entry` the check's way (each file lowered as soon as it is parsed) and
/// by loading every tree first, then building; the two must agree on the elements, the
/// suppressions and every diagnostic, in order.
fn built_both_ways(fs: &dyn FileSystem, entry: &Path) -> Result<Model, TestCaseError> {
    let root = Path::new("/ws");
    let entries = [entry.to_path_buf()];
    let (fused, fused_errors) = zonelint::check::build(root, &entries, fs, Limits::default());
    let loaded = workspace::load(root, &entries, fs, Limits::default());
    let mut errors = loaded.diagnostics;
    let (model, model_errors) = model::build(loaded.sources, loaded.files);
    errors.extend(model_errors);
    prop_assert_eq!(&fused.elements, &model.elements);
    prop_assert_eq!(
        format!("{:?}", fused.suppressions),
        format!("{:?}", model.suppressions)
    );
    prop_assert_eq!(fused_errors, errors);
    Ok(fused)
}

/// A [`MemoryFs`] that keeps the default [`FileSystem::parse_all`], which parses in turn (as
/// the language server's does) before handing the trees on.
struct InTurn<'a>(&'a MemoryFs);

impl FileSystem for InTurn<'_> {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.0.read(path)
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.0.canonicalize(path)
    }
    fn display_name(&self, path: &Path) -> String {
        self.0.display_name(path)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn parsing_arbitrary_text_never_panics(text in any::<String>()) {
        parse_and_build(&text)?;
    }

    #[test]
    fn parsing_text_made_of_the_language_never_panics(
        pieces in prop::collection::vec(0..TOKENS.len(), 0..60)
    ) {
        let text: String = pieces.iter().map(|&i| TOKENS[i]).collect::<Vec<_>>().join(" ");
        parse_and_build(&text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn mutated_models_parse_the_same_both_ways_and_build(
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let corpus = corpus();
        let text = apply(&corpus[file.index(corpus.len())], &mutations);
        parse_and_build(&text)?;
    }
}

/// A small generated workspace (an entry importing several files over two levels), as files.
fn generated_workspace() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        generate(&GenerateConfig {
            components: 300,
            seed: 5,
        })
        .expect("in range")
        .files
        .into_iter()
        .map(|f| (f.path, f.text))
        .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn lowering_files_as_they_load_builds_what_building_after_loading_builds(
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 0..6),
    ) {
        let files = generated_workspace();
        let mutated = file.index(files.len());
        let mut fs = MemoryFs::new("/ws");
        let mut entry = PathBuf::new();
        for (i, (path, text)) in files.iter().enumerate() {
            let text = if i == mutated { apply(text, &mutations) } else { text.clone() };
            let inserted = fs.insert(path, text.into_bytes());
            if path == zonelint::generate::Workspace::ENTRY {
                entry = inserted;
            }
        }
        let model = built_both_ways(&fs, &entry)?;
        // Unmutated, the entry imports the others (a mutation may cut its imports).
        prop_assert!(!mutations.is_empty() || model.sources.len() > 2);
        built_both_ways(&InTurn(&fs), &entry)?;
    }
}

/// Runs `f` on a thread with `stack` bytes of stack: an overflow aborts the test binary, so
/// passing means the recursion stayed within it.
fn on_stack(stack: usize, f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(f)
        .expect("thread starts")
        .join()
        .expect("no panic");
}

/// Nested lists in one value, items in items (indented, so the splitter keeps them together),
/// and the lists again with a syntax error at the bottom, which sends the chunk to pest. With
/// the number of `{` and `[` levels of each.
fn nested(depth: usize) -> Vec<(String, usize)> {
    let lists = format!(
        "zone a {{ custom {{ x = {}1{} }} }}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let items: String = (0..depth)
        .map(|i| format!("{}zone z{i} {{\n", " ".repeat(i.min(8) + 1)))
        .chain(std::iter::repeat_n("}\n".to_string(), depth))
        .collect();
    let broken = lists.replacen("1", "1 =", 1);
    vec![(lists, depth + 2), (items, depth), (broken, depth + 2)]
}

const DEPTHS: [usize; 5] = [
    MAX_NESTING - 2,
    MAX_NESTING,
    MAX_NESTING + 1,
    1_000,
    100_000,
];

#[test]
fn deep_nesting_never_overflows_the_parser_on_a_256_kib_stack() {
    on_stack(256 * 1024, || {
        for depth in DEPTHS {
            for (text, levels) in nested(depth) {
                let tree = parse(&text);
                let deep = tree.errors.iter().any(|e| e.code == "nesting-too-deep");
                // Within the limit the nesting itself is no error; beyond it, it always is.
                assert_eq!(deep, levels > MAX_NESTING, "{levels} levels");
            }
        }
    });
}

#[test]
fn deep_nesting_never_overflows_the_model_builder_on_a_worker_stack() {
    // 2 MiB: the stack of a spawned thread and of rayon's workers.
    on_stack(2 * 1024 * 1024, || {
        for depth in DEPTHS {
            for (text, _) in nested(depth) {
                let mut fs = MemoryFs::new("/ws");
                let entry = fs.insert("main.iacs", text.into_bytes());
                let loaded = workspace::load(
                    Path::new("/ws"),
                    std::slice::from_ref(&entry),
                    &fs,
                    Limits::default(),
                );
                let (model, _errors) = zonelint::model::build(loaded.sources, loaded.files);
                assert_eq!(model.sources.len(), 1);
                // The check lowers inside the loader's parallel step, on rayon's workers too.
                let (model, _errors) =
                    zonelint::check::build(Path::new("/ws"), &[entry], &fs, Limits::default());
                assert_eq!(model.sources.len(), 1);
            }
        }
    });
}
