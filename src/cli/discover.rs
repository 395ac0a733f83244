//! Finding model files and the workspace root from the paths on the command line.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// Directories never searched for models: version control, build output, dependencies.
const SKIPPED_DIRS: &[&str] = &["target", "node_modules"];

pub struct Discovered {
    /// Canonical paths of the model files, sorted.
    pub files: Vec<PathBuf>,
    /// The directory imports may not leave.
    pub root: PathBuf,
    /// The files split into workspaces: a directory holding a `zonelint.toml` is a workspace of
    /// its own (its files make one model); files outside any such directory share `root`.
    pub workspaces: Vec<(PathBuf, Vec<PathBuf>)>,
    /// Problems met while walking (symlink loops, unreadable directories), already worded.
    pub warnings: Vec<String>,
}

/// Walks the given paths. An error means a path does not exist or cannot be read at all.
pub fn discover(paths: &[PathBuf]) -> Result<Discovered, String> {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut bases = Vec::new();
    for path in paths {
        let canonical = std::fs::canonicalize(path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        if canonical.is_dir() {
            bases.push(canonical.clone());
            walk(&canonical, &mut files, &mut warnings);
        } else {
            bases.push(
                canonical
                    .parent()
                    .map_or_else(|| canonical.clone(), Path::to_path_buf),
            );
            files.push(canonical);
        }
    }
    files.sort();
    files.dedup();
    let root = workspace_root(&common_ancestor(&bases));
    let workspaces = split_workspaces(&root, &files);
    Ok(Discovered {
        files,
        root,
        warnings,
        workspaces,
    })
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, warnings: &mut Vec<String>) {
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(e.file_type().is_dir()
                    && (name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref())))
        });
    for entry in walker {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "iacs") {
                    match std::fs::canonicalize(path) {
                        Ok(p) => files.push(p),
                        Err(e) => warnings.push(format!("skipped `{}`: {e}", path.display())),
                    }
                }
            }
            Err(err) => {
                let place = err
                    .path()
                    .map_or_else(String::new, |p| format!("`{}`: ", p.display()));
                if err.loop_ancestor().is_some() {
                    warnings.push(format!("skipped {place}symbolic link loop"));
                } else {
                    warnings.push(format!("skipped {place}{err}"));
                }
            }
        }
    }
}

fn split_workspaces(root: &Path, files: &[PathBuf]) -> Vec<(PathBuf, Vec<PathBuf>)> {
    let mut groups: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    for file in files {
        let home = file
            .ancestors()
            .skip(1)
            .take_while(|dir| dir.starts_with(root))
            .find(|dir| dir.join("zonelint.toml").is_file())
            .unwrap_or(root)
            .to_path_buf();
        match groups.iter_mut().find(|(dir, _)| *dir == home) {
            Some((_, members)) => members.push(file.clone()),
            None => groups.push((home, vec![file.clone()])),
        }
    }
    groups.sort();
    groups
}

fn common_ancestor(paths: &[PathBuf]) -> PathBuf {
    let mut iter = paths.iter();
    let Some(first) = iter.next() else {
        return PathBuf::from(".");
    };
    let mut common = first.clone();
    for path in iter {
        while !path.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

/// The nearest ancestor that marks a project (a `zonelint.toml` or a `.git`), else `base`.
fn workspace_root(base: &Path) -> PathBuf {
    base.ancestors()
        .find(|dir| dir.join("zonelint.toml").exists() || dir.join(".git").exists())
        .unwrap_or(base)
        .to_path_buf()
}
