//! Loading a workspace: reading files, following imports, and the limits that keep hostile
//! input from exhausting the machine.
//!
//! All reading goes through [`FileSystem`], so the language server can serve unsaved buffers
//! and tests can serve strings. Nothing here writes.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, FileId, Label, SourceMap};
use crate::syntax::{self, Span, SyntaxFile};

use super::vocabulary::IMPORT;

/// Where file contents come from.
pub trait FileSystem {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Reads at most `limit + 1` bytes, so that an oversized file is recognised without being
    /// loaded whole. The default reads everything; [`Disk`] stops early.
    fn read_at_most(&self, path: &Path, limit: usize) -> io::Result<Vec<u8>> {
        let _ = limit;
        self.read(path)
    }
    /// The size of the file in bytes when known without reading it, for the message about a
    /// file over the size limit.
    fn size(&self, path: &Path) -> Option<u64> {
        let _ = path;
        None
    }
    /// The absolute, symlink-free form of a path; an error when it does not exist.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// How the path is shown to the user.
    fn display_name(&self, path: &Path) -> String;
    /// Parses a file's text. The language server overrides this to reuse the trees of files
    /// that did not change since its last build: parsing is most of a rebuild's time.
    fn parse(&self, _path: &Path, text: &str) -> SyntaxFile {
        syntax::parse(text)
    }
    /// Parses the files of one import level and hands each tree to `each` with the file's
    /// index in `files`, exactly once per file. `each` may run on several threads at once and
    /// in any order: the loader puts the results back in the order of `files`.
    ///
    /// The default parses with [`FileSystem::parse`] in turn (it may keep a cache that is not
    /// thread-safe), then hands the trees on on all cores; [`Disk`] and [`MemoryFs`], which keep
    /// no trees, parse on all cores too ([`parse_in_parallel`]), each file handed on as soon as
    /// it is parsed.
    fn parse_all(&self, files: &[(&Path, &str)], each: &(dyn Fn(usize, SyntaxFile) + Sync)) {
        let trees: Vec<SyntaxFile> = files
            .iter()
            .map(|(path, text)| self.parse(path, text))
            .collect();
        trees
            .into_par_iter()
            .enumerate()
            .for_each(|(index, tree)| each(index, tree));
    }
}

/// Parses independent files on all cores and hands each tree to `each` with its index in
/// `files` as soon as it is parsed, on the same thread: the two steps make one parallel step,
/// so no core waits for the slowest parse before the trees are used.
pub fn parse_in_parallel(files: &[(&Path, &str)], each: &(dyn Fn(usize, SyntaxFile) + Sync)) {
    files
        .par_iter()
        .enumerate()
        .for_each(|(index, (_, text))| each(index, syntax::parse(text)));
}

/// The real disk, with names shown relative to `base` where possible.
pub struct Disk {
    pub base: PathBuf,
}

impl FileSystem for Disk {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.read_at_most(path, usize::MAX - 1)
    }
    fn read_at_most(&self, path: &Path, limit: usize) -> io::Result<Vec<u8>> {
        // Opening a named pipe blocks until something writes to it, and a device may never end:
        // only regular files are opened at all.
        let metadata = std::fs::metadata(path)?;
        if !metadata.is_file() {
            let what = if metadata.is_dir() {
                "it is a directory"
            } else {
                "it is not a regular file (a device, pipe or socket)"
            };
            return Err(io::Error::new(io::ErrorKind::InvalidInput, what));
        }
        let expected = usize::try_from(metadata.len()).unwrap_or(usize::MAX);
        let mut bytes = Vec::with_capacity(expected.min(limit.saturating_add(1)));
        let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
        std::fs::File::open(path)?
            .take(cap)
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    }
    fn size(&self, path: &Path) -> Option<u64> {
        std::fs::metadata(path).ok().map(|m| m.len())
    }
    fn parse_all(&self, files: &[(&Path, &str)], each: &(dyn Fn(usize, SyntaxFile) + Sync)) {
        parse_in_parallel(files, each);
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }
    fn display_name(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.base).unwrap_or(path);
        shown.to_string_lossy().replace('\\', "/")
    }
}

/// Files held in memory, under a made-up absolute root: for tests, and for editors that check
/// unsaved buffers. Paths are normalised without touching the disk; there are no symlinks.
#[derive(Debug, Clone, Default)]
pub struct MemoryFs {
    root: PathBuf,
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemoryFs {
    /// An empty file system whose files are shown relative to `root` (an absolute path).
    pub fn new(root: impl Into<PathBuf>) -> MemoryFs {
        MemoryFs {
            root: normalize(&root.into()),
            files: BTreeMap::new(),
        }
    }

    /// Adds or replaces a file; a relative path is taken relative to the root.
    pub fn insert(&mut self, path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) -> PathBuf {
        let path = normalize(&self.root.join(path));
        self.files.insert(path.clone(), contents.into());
        path
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every file, in path order.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files.keys().cloned().collect()
    }
}

impl FileSystem for MemoryFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let path = normalize(path);
        let exists =
            self.files.contains_key(&path) || self.files.keys().any(|file| file.starts_with(&path));
        if exists {
            Ok(path)
        } else {
            Err(io::Error::from(io::ErrorKind::NotFound))
        }
    }
    fn parse_all(&self, files: &[(&Path, &str)], each: &(dyn Fn(usize, SyntaxFile) + Sync)) {
        parse_in_parallel(files, each);
    }
    fn display_name(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        shown.to_string_lossy().replace('\\', "/")
    }
}

/// Resolves `.` and `..` in a path by its text alone. A `..` above the root stays at the root.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Documented limits (see docs/limits.md). Each is far above what a real plant needs.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: usize,
    pub max_files: usize,
    pub max_import_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 16 * 1024 * 1024,
            max_files: 20_000,
            max_import_depth: 64,
        }
    }
}

/// Everything read and parsed: each file's tree, ready for [`super::build`], or what the
/// per-file step of [`load_with`] made of it.
pub struct Loaded<T = SyntaxFile> {
    pub sources: SourceMap,
    /// The files read, in the order of their ids.
    pub files: Vec<(FileId, T)>,
    pub diagnostics: Vec<Diagnostic>,
    /// The canonical path of each file, by id.
    pub paths: Vec<PathBuf>,
}

/// Reads `entries` (canonical paths of `.iacs` files) and every file they import, and keeps
/// their syntax trees. Imports must resolve inside `root`.
pub fn load(root: &Path, entries: &[PathBuf], fs: &dyn FileSystem, limits: Limits) -> Loaded {
    load_with(root, entries, fs, limits, |_, _, tree| tree)
}

/// Reads like [`load`], and hands each file's tree, with its id and text, to `each` as soon as
/// the file is parsed, in the same parallel step: what `each` returns is kept in place of the
/// tree. The check lowers each file there ([`super::Lowering`]), so that no core waits for
/// every file to be parsed before lowering begins, and each tree is freed once lowered.
///
/// `each` runs on several threads at once and in any order; files, ids and diagnostics come out
/// in the same order as with [`load`].
pub fn load_with<T: Send>(
    root: &Path,
    entries: &[PathBuf],
    fs: &dyn FileSystem,
    limits: Limits,
    each: impl Fn(FileId, &str, SyntaxFile) -> T + Sync,
) -> Loaded<T> {
    let mut loader = Loader::new(root, fs, limits, &each);
    for entry in entries {
        loader.enqueue(entry.clone(), 0);
    }
    loader.run();
    loader.report_cycles();
    Loaded {
        sources: loader.sources,
        files: loader.files,
        diagnostics: loader.diagnostics,
        paths: loader.paths,
    }
}

/// The per-file step of [`load_with`].
type Step<'a, T> = &'a (dyn Fn(FileId, &str, SyntaxFile) -> T + Sync);

/// What the loader needs of a file's tree once the tree is handed on: its syntax errors and
/// its imports, in the order written.
struct Outline {
    errors: Vec<syntax::SyntaxError>,
    imports: Vec<Import>,
}

/// An `import` item: the span of the item, the path it names, and the spans of what does not
/// belong in an import.
struct Import {
    span: Span,
    target: Option<syntax::StrLit>,
    extra: Vec<Span>,
}

impl Outline {
    fn of(tree: &SyntaxFile) -> Outline {
        let imports = tree
            .items
            .iter()
            .filter(|item| item.keyword.text == IMPORT)
            .map(|item| Import {
                span: item.span,
                target: item.title.clone(),
                extra: [
                    item.name.as_ref().map(|n| n.span),
                    item.type_clause.as_ref().map(|t| t.span()),
                    item.body.as_ref().map(|b| b.span),
                ]
                .into_iter()
                .flatten()
                .collect(),
            })
            .collect();
        Outline {
            errors: tree.errors.clone(),
            imports,
        }
    }
}

struct Loader<'a, T> {
    root: &'a Path,
    fs: &'a dyn FileSystem,
    limits: Limits,
    step: Step<'a, T>,
    sources: SourceMap,
    files: Vec<(FileId, T)>,
    diagnostics: Vec<Diagnostic>,
    paths: Vec<PathBuf>,
    ids: HashMap<PathBuf, FileId>,
    queue: VecDeque<(PathBuf, usize)>,
    queued: HashMap<PathBuf, ()>,
    /// (importing file, import item span, imported file)
    imports: Vec<(FileId, Span, PathBuf)>,
    limit_reported: bool,
}

impl<'a, T: Send> Loader<'a, T> {
    fn new(
        root: &'a Path,
        fs: &'a dyn FileSystem,
        limits: Limits,
        step: Step<'a, T>,
    ) -> Loader<'a, T> {
        Loader {
            root,
            fs,
            limits,
            step,
            sources: SourceMap::default(),
            files: Vec::new(),
            diagnostics: Vec::new(),
            paths: Vec::new(),
            ids: HashMap::new(),
            queue: VecDeque::new(),
            queued: HashMap::new(),
            imports: Vec::new(),
            limit_reported: false,
        }
    }

    fn enqueue(&mut self, path: PathBuf, depth: usize) {
        if self.queued.insert(path.clone(), ()).is_none() {
            self.queue.push_back((path, depth));
        }
    }

    /// Reads the workspace one import level at a time: the files of a level are read in queue
    /// order, parsed in parallel, then their imports are followed in the same order. File ids
    /// and diagnostics therefore come out the same whatever the number of threads.
    fn run(&mut self) {
        while !self.queue.is_empty() {
            let level: Vec<(PathBuf, usize)> = self.queue.drain(..).collect();
            let mut read = Vec::with_capacity(level.len());
            for (path, depth) in level {
                if self.sources.len() >= self.limits.max_files {
                    self.too_many_files(&path);
                    continue;
                }
                if let Some(id) = self.read_file(&path) {
                    read.push((id, path, depth, self.sources.get(id).text.clone()));
                }
            }
            // Parsing and the per-file step are the expensive part and need nothing but the
            // file's text; each file's result lands in its own slot, to keep queue order.
            let batch: Vec<(&Path, &str)> = read
                .iter()
                .map(|(_, path, _, text)| (path.as_path(), &**text))
                .collect();
            // A mutex, not a `OnceLock`, so that `T` need only be `Send`; each is locked once.
            let slots: Vec<Mutex<Option<(Outline, T)>>> =
                read.iter().map(|_| Mutex::new(None)).collect();
            let step = self.step;
            self.fs.parse_all(&batch, &|index, tree| {
                let (id, _, _, text) = &read[index];
                let outline = Outline::of(&tree);
                let done = step(*id, text, tree);
                let mut slot = slots[index].lock().unwrap_or_else(|e| e.into_inner());
                debug_assert!(slot.is_none(), "parse_all hands on each file once");
                *slot = Some((outline, done));
            });
            for ((id, path, depth, _), slot) in read.into_iter().zip(slots) {
                let (outline, done) = slot
                    .into_inner()
                    .unwrap_or_else(|e| e.into_inner())
                    .expect("parse_all hands on every file");
                for error in &outline.errors {
                    self.diagnostics.push(syntax_diagnostic(id, error));
                }
                for import in &outline.imports {
                    self.import(id, &path, import, depth);
                }
                self.files.push((id, done));
            }
        }
    }

    fn too_many_files(&mut self, path: &Path) {
        if self.limit_reported {
            return;
        }
        self.limit_reported = true;
        let id = self.add_source(path, "");
        self.diagnostics.push(
            Diagnostic::error(
                "too-many-files",
                format!(
                    "more than {} model files; the rest are not read",
                    self.limits.max_files
                ),
                Label::new(id, Span::default(), "the first file not read"),
            )
            .with_help("check a smaller directory, or exclude generated files"),
        );
    }

    fn add_source(&mut self, path: &Path, text: &str) -> FileId {
        let id = self.sources.add(self.fs.display_name(path), text);
        self.paths.push(path.to_path_buf());
        self.ids.insert(path.to_path_buf(), id);
        id
    }

    /// Reads and decodes one file into the source map. `None` when it could not be read; the
    /// reason is already reported.
    fn read_file(&mut self, path: &Path) -> Option<FileId> {
        let limit = self.limits.max_file_bytes;
        let bytes = match self.fs.read_at_most(path, limit) {
            Ok(bytes) => bytes,
            Err(err) => {
                let id = self.add_source(path, "");
                self.diagnostics.push(
                    Diagnostic::error(
                        "unreadable-file",
                        format!("cannot read this file: {err}"),
                        Label::new(id, Span::default(), ""),
                    )
                    .with_help("check that the file exists and that you may read it"),
                );
                return None;
            }
        };
        if bytes.len() > limit {
            let id = self.add_source(path, "");
            self.diagnostics.push(
                Diagnostic::error(
                    "file-too-large",
                    format!(
                        "this file is {} bytes; zonelint reads model files up to {limit} bytes",
                        self.fs.size(path).unwrap_or(bytes.len() as u64)
                    ),
                    Label::new(id, Span::default(), ""),
                )
                .with_help("split the model into several files joined by `import`"),
            );
            return None;
        }
        match String::from_utf8(bytes) {
            Ok(text) => Some(self.add_source(path, &text)),
            Err(err) => {
                let at = err.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
                // The lossy text keeps the bytes before the error in place, so the label lands there.
                let id = self.add_source(path, &lossy);
                self.diagnostics.push(
                    Diagnostic::error(
                        "invalid-utf8",
                        "this file is not valid UTF-8",
                        Label::new(id, Span::new(at, at + 1), "invalid byte here"),
                    )
                    .with_help("save the file as UTF-8"),
                );
                None
            }
        }
    }

    fn import(&mut self, file: FileId, path: &Path, item: &Import, depth: usize) {
        let Some(target) = &item.target else {
            self.diagnostics.push(
                Diagnostic::error(
                    "invalid-import",
                    "an import must name a file",
                    Label::new(file, item.span, "no file named"),
                )
                .with_help("write `import \"relative/path.iacs\"`"),
            );
            return;
        };
        let mut extra = item.extra.iter().copied();
        if let Some(first) = extra.next() {
            let mut diagnostic = Diagnostic::error(
                "invalid-import",
                "an import takes only a quoted path",
                Label::new(file, first, "not part of an import"),
            )
            .with_help("write `import \"relative/path.iacs\"`");
            for span in extra {
                diagnostic = diagnostic.with_label(Label::new(file, span, "nor is this"));
            }
            self.diagnostics.push(diagnostic);
        }
        let joined = path.parent().unwrap_or(Path::new("")).join(&target.value);
        // Checked on the text first, so that a path leaving the workspace is refused whether
        // or not it exists (zonelint does not probe outside), then on the canonical path,
        // which catches symbolic links pointing out.
        if !normalize(&joined).starts_with(self.root) {
            self.outside_workspace(file, target);
            return;
        }
        let Ok(resolved) = self.fs.canonicalize(&joined) else {
            self.diagnostics.push(
                Diagnostic::error(
                    "import-not-found",
                    format!("cannot find `{}`", target.value),
                    Label::new(file, target.span, "no such file"),
                )
                .with_help("import paths are relative to the importing file"),
            );
            return;
        };
        if !resolved.starts_with(self.root) {
            self.outside_workspace(file, target);
            return;
        }
        if depth + 1 > self.limits.max_import_depth {
            self.diagnostics.push(
                Diagnostic::error(
                    "import-too-deep",
                    format!(
                        "imports nest more than {} files deep",
                        self.limits.max_import_depth
                    ),
                    Label::new(file, target.span, "this import is not followed"),
                )
                .with_help(
                    "import the deeper files directly from a file nearer the top, so the chain is shorter",
                ),
            );
            return;
        }
        self.imports.push((file, target.span, resolved.clone()));
        self.enqueue(resolved, depth + 1);
    }

    fn outside_workspace(&mut self, file: FileId, target: &syntax::StrLit) {
        self.diagnostics.push(
            Diagnostic::error(
                "import-outside-workspace",
                format!("`{}` is outside the workspace", target.value),
                Label::new(file, target.span, "leaves the workspace"),
            )
            .with_help(format!(
                "imports must stay inside {}; move the file or check from a higher directory",
                self.root.display()
            )),
        );
    }

    /// Import cycles, found with an iterative depth-first search over the import edges.
    fn report_cycles(&mut self) {
        let mut edges: HashMap<FileId, Vec<(FileId, Span)>> = HashMap::new();
        for (from, span, to) in &self.imports {
            if let Some(&to) = self.ids.get(to) {
                edges.entry(*from).or_default().push((to, *span));
            }
        }
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnStack,
            Done,
        }
        let mut mark = vec![Mark::New; self.sources.len()];
        let mut reported = Vec::new();
        for (start, _) in self.sources.iter() {
            if mark[start.0 as usize] != Mark::New {
                continue;
            }
            // Stack of (file, index of the next edge to follow).
            let mut stack: Vec<(FileId, usize)> = vec![(start, 0)];
            mark[start.0 as usize] = Mark::OnStack;
            while let Some(&mut (file, ref mut next)) = stack.last_mut() {
                let out = edges.get(&file).map_or(&[][..], Vec::as_slice);
                if *next >= out.len() {
                    mark[file.0 as usize] = Mark::Done;
                    stack.pop();
                    continue;
                }
                let (to, span) = out[*next];
                *next += 1;
                match mark[to.0 as usize] {
                    Mark::New => {
                        mark[to.0 as usize] = Mark::OnStack;
                        stack.push((to, 0));
                    }
                    Mark::OnStack => {
                        let from_cycle = stack.iter().position(|(f, _)| *f == to).unwrap_or(0);
                        let chain: Vec<String> = stack[from_cycle..]
                            .iter()
                            .map(|(f, _)| self.sources.get(*f).name.clone())
                            .chain([self.sources.get(to).name.clone()])
                            .collect();
                        let diagnostic = if to == file {
                            Diagnostic::error(
                                "import-cycle",
                                "this file imports itself",
                                Label::new(file, span, "imports the file it is written in"),
                            )
                            .with_help("remove this import")
                        } else {
                            Diagnostic::error(
                                "import-cycle",
                                "this import closes a cycle",
                                Label::new(file, span, "imports a file that imports this one"),
                            )
                            .with_note(format!("cycle: {}", chain.join(" -> ")))
                            .with_help(
                                "break the cycle: move what both files need into a third file \
                                 that imports neither",
                            )
                        };
                        reported.push(diagnostic);
                    }
                    Mark::Done => {}
                }
            }
        }
        self.diagnostics.extend(reported);
    }
}

pub fn syntax_diagnostic(file: FileId, error: &syntax::SyntaxError) -> Diagnostic {
    let mut d = Diagnostic::error(
        error.code,
        error.message.clone(),
        Label::new(file, error.span, error.label.clone()),
    )
    .with_help_opt(error.help.clone());
    if let Some((span, note)) = &error.related {
        d = d.with_label(Label::new(file, *span, note.clone()));
    }
    d
}
