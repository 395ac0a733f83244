//! `zonelint diff OLD NEW`: what changed between two versions of a model (two files, two
//! directories, two git worktrees).

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::check::diff::{Version, diff};
use crate::cli::Outcome;
use crate::cli::load::{LoadOptions, Loaded, load};
use crate::output::{self, Context};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version: a model file or a directory.
    pub old: PathBuf,
    /// The new version: a model file or a directory.
    pub new: PathBuf,
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit with 1 when the new version has findings the old one did not.
    #[arg(long)]
    pub fail_on_new_findings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
}

pub fn run(args: &DiffArgs) -> Outcome {
    // Each side finds its own zonelint.toml, as a checkout of that version would.
    let old = match load(std::slice::from_ref(&args.old), LoadOptions::default()) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    let new = match load(std::slice::from_ref(&args.new), LoadOptions::default()) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    let changes = diff(&version(&old), &version(&new));
    let text = match args.format {
        DiffFormat::Human => output::diff::human(&changes),
        DiffFormat::Json => output::diff::json(&changes),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if args.fail_on_new_findings && !changes.findings_introduced.is_empty() {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

fn version(loaded: &Loaded) -> Version<'_> {
    let context = Context {
        root_relative: loaded.root_relative.clone(),
        ..Context::default()
    };
    let sources = &loaded.report.model.sources;
    Version {
        report: &loaded.report,
        fingerprints: loaded
            .report
            .diagnostics
            .iter()
            .map(|d| output::diagnostic_fingerprint(d, sources, &context))
            .collect(),
    }
}
