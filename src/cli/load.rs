//! What every model-reading subcommand does first: find the configuration and the model files,
//! check them, and apply the configuration's rule selection.

use std::path::{Path, PathBuf};

use crate::check::{self, Report};
use crate::cli::Outcome;
use crate::cli::discover::discover;
use crate::config::{self, CONFIG_FILE_NAME, Config, Overrides};
use crate::diagnostics::{RenderOptions, SourceMap, render};
use crate::model::workspace::{Disk, Limits};

pub struct Loaded {
    pub report: Report,
    pub config: Config,
    /// Per file, its path relative to the root (see `output::Context::root_relative`).
    pub root_relative: Vec<String>,
}

/// Finds, reads and parses the configuration: `explicit` if given, else the first
/// `zonelint.toml` from `start` upwards. A bad file is rendered to stderr (exit 2).
pub fn load_config(explicit: Option<&Path>, start: &Path) -> Result<Config, Outcome> {
    let path = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => find_config(start),
    };
    let Some(path) = path else {
        return Ok(Config::default());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read `{}`: {err}", path.display());
            return Err(Outcome::Failure);
        }
    };
    let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    let dir = canonical
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut sources = SourceMap::default();
    let file = sources.add(display(&canonical), text);
    match config::parse(&sources, file, &dir) {
        Ok(mut config) => {
            config.path = Some(canonical);
            Ok(config)
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{}", render(d, &sources, stderr_render_options()));
            }
            Err(Outcome::Failure)
        }
    }
}

fn find_config(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let dir = if start.is_dir() {
        start
    } else {
        start.parent()?.to_path_buf()
    };
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Discovers the model files under `paths`, leaves out excluded ones, checks the rest and
/// applies the configuration's rule filter.
pub fn load(
    paths: &[PathBuf],
    config_path: Option<&Path>,
    overrides: Overrides,
) -> Result<Loaded, Outcome> {
    let start = paths
        .first()
        .map_or_else(|| PathBuf::from("."), PathBuf::clone);
    let mut config = load_config(config_path, &start)?;
    config.override_with(overrides);
    let mut discovered = match discover(paths) {
        Ok(d) => d,
        Err(message) => {
            eprintln!("error: {message}");
            return Err(Outcome::Failure);
        }
    };
    for warning in &discovered.warnings {
        eprintln!("warning: {warning}");
    }
    discovered
        .files
        .retain(|file| !config.exclude.is_excluded(file));
    if discovered.files.is_empty() {
        eprintln!(
            "warning: no *.iacs files found in {}",
            describe_paths(paths)
        );
    }
    let base = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| discovered.root.clone());
    let disk = Disk { base: base.clone() };
    let mut report = check::check(
        &discovered.root,
        &discovered.files,
        &disk,
        Limits::default(),
    );
    let filter = config.rule_filter();
    for selector in filter.unknown_selectors(&report) {
        eprintln!("warning: `{}` selects no known rule", selector.text);
    }
    filter.apply(&mut report);
    let root_relative = root_relative(&report.model.sources, &base, &discovered.root);
    Ok(Loaded {
        report,
        config,
        root_relative,
    })
}

/// Display names are relative to the current directory; rebase them on the workspace root.
pub fn root_relative(sources: &SourceMap, base: &Path, root: &Path) -> Vec<String> {
    sources
        .iter()
        .map(|(_, file)| {
            let absolute = base.join(&file.name);
            absolute.strip_prefix(root).map_or_else(
                |_| file.name.clone(),
                |p| p.to_string_lossy().replace('\\', "/"),
            )
        })
        .collect()
}

pub fn describe_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A path as the user reads it: relative to the current directory where it lies below it.
fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    let shown = cwd
        .as_ref()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}

/// Diagnostics about the run itself go to stderr, plain unless it is a terminal.
pub fn stderr_render_options() -> RenderOptions {
    use std::io::IsTerminal;
    RenderOptions {
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::io::stderr().is_terminal(),
        ..RenderOptions::default()
    }
}
