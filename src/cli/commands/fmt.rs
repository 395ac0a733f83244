//! `zonelint fmt`: rewrite model files in the canonical layout, or with `--check` show what
//! would change.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use similar::TextDiff;

use crate::cli::Outcome;
use crate::cli::discover::discover;
use crate::diagnostics::{RenderOptions, SourceMap, render};
use crate::fmt::{FmtOptions, FormatError, format};
use crate::model::workspace::syntax_diagnostic;

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Files or directories to format (directories are searched for *.iacs files).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Write nothing: print a diff of each file that is not formatted, and exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

/// What happened to one file.
enum FileResult {
    Unchanged,
    /// Rewritten, or in `--check` mode: would be.
    Changed,
    /// Syntax errors: reported and skipped.
    Skipped,
    /// Could not be read or written.
    IoError,
}

pub fn run(args: &FmtArgs) -> Outcome {
    let discovered = match discover(&args.paths) {
        Ok(d) => d,
        Err(message) => {
            eprintln!("error: {message}");
            return Outcome::Failure;
        }
    };
    for warning in &discovered.warnings {
        eprintln!("warning: {warning}");
    }
    let base = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| discovered.root.clone());
    let results: Vec<FileResult> = discovered
        .files
        .iter()
        .map(|path| format_file(path, &shown_name(path, &base), args.check))
        .collect();

    let count = |want: fn(&FileResult) -> bool| results.iter().filter(|r| want(r)).count();
    let changed = count(|r| matches!(r, FileResult::Changed));
    let skipped = count(|r| matches!(r, FileResult::Skipped));
    let failed = count(|r| matches!(r, FileResult::IoError));
    let verb = if args.check {
        "would reformat"
    } else {
        "reformatted"
    };
    eprintln!(
        "{verb} {changed} of {} file{}{}",
        results.len(),
        if results.len() == 1 { "" } else { "s" },
        if skipped > 0 {
            format!(", skipped {skipped} with syntax errors")
        } else {
            String::new()
        }
    );
    if failed > 0 {
        Outcome::Failure
    } else if skipped > 0 || (args.check && changed > 0) {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

fn shown_name(path: &Path, base: &Path) -> String {
    let shown = path.strip_prefix(base).unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}

fn format_file(path: &Path, name: &str, check: bool) -> FileResult {
    let text = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(_)) => {
            eprintln!("error: `{name}` is not valid UTF-8; it was not formatted");
            return FileResult::IoError;
        }
        Err(err) => {
            eprintln!("error: cannot read `{name}`: {err}");
            return FileResult::IoError;
        }
    };
    let formatted = match format(&text, &FmtOptions::default()) {
        Ok(formatted) => formatted,
        Err(FormatError::Syntax(errors)) => {
            let mut sources = SourceMap::default();
            let file = sources.add(name, text.as_str());
            for error in &errors {
                let diagnostic = syntax_diagnostic(file, error);
                eprint!("{}", render(&diagnostic, &sources, render_options()));
            }
            eprintln!("skipped `{name}`: it has syntax errors");
            return FileResult::Skipped;
        }
        Err(err @ FormatError::Internal(_)) => {
            eprintln!("error: `{name}`: {err}");
            return FileResult::Skipped;
        }
    };
    if formatted == text {
        return FileResult::Unchanged;
    }
    if check {
        let diff = TextDiff::from_lines(&text, &formatted);
        let mut out = std::io::stdout().lock();
        let _ = write!(
            out,
            "{}",
            diff.unified_diff().context_radius(3).header(
                &format!("{name} (original)"),
                &format!("{name} (formatted)")
            )
        );
        return FileResult::Changed;
    }
    match write_atomically(path, formatted.as_bytes()) {
        Ok(()) => {
            eprintln!("formatted {name}");
            FileResult::Changed
        }
        Err(err) => {
            eprintln!("error: cannot write `{name}`: {err}");
            FileResult::IoError
        }
    }
}

/// Writes a temporary file beside the target and renames it over the target, so a crash or a
/// full disk leaves either the old file or the new one, never half of one.
fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{file_name}.zonelint-fmt-{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, metadata.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn render_options() -> RenderOptions {
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    RenderOptions {
        color,
        ..RenderOptions::default()
    }
}
