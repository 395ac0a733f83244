//! `zonelint check`: find models, check them, print the findings.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::check;
use crate::cli::Outcome;
use crate::cli::discover::discover;
use crate::diagnostics::{RenderOptions, Severity, render_all};
use crate::model::Date;
use crate::model::workspace::{Disk, Limits};
use crate::output::{self, Format};
use crate::policy::{self, PolicySet};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (directories are searched for *.iacs files).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// The lowest severity that makes the run fail (exit code 1).
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,

    /// When to colour human output. `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// A directory of custom `*.policy` files to load beside the built-in packs (repeatable).
    /// A custom policy with the id of a built-in one replaces it.
    #[arg(long = "policies", value_name = "DIR")]
    pub policy_dirs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn threshold(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

pub fn run(args: &CheckArgs) -> Outcome {
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
    if discovered.files.is_empty() {
        eprintln!(
            "warning: no *.iacs files found in {}",
            describe_paths(&args.paths)
        );
    }
    let base = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| discovered.root.clone());
    let disk = Disk { base };
    let policies = match load_policies(&args.policy_dirs, render_options(args.color)) {
        Ok(p) => p,
        Err(outcome) => return outcome,
    };
    let options = check::Options {
        policies: &policies,
        limits: Limits::default(),
        today: Date::today(),
        achieved_levels: true,
    };
    let reports = discovered
        .workspaces
        .iter()
        .map(|(root, files)| check::check(root, files, &disk, &options))
        .collect();
    let report = check::merge(reports);

    let text = match args.format {
        Format::Human => output::human::write(&report, render_options(args.color)),
        Format::Json => output::json::write(&report),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        // A closed pipe (`zonelint check | head`) is not a failure of the check.
        return outcome(&report, args.fail_on);
    }
    outcome(&report, args.fail_on)
}

/// The built-in packs plus the given directories. A policy that does not load stops the run
/// (exit 2): checking with a broken policy would silently skip what it checks.
pub fn load_policies(dirs: &[PathBuf], render: RenderOptions) -> Result<PolicySet, Outcome> {
    let mut sources = policy::builtin_sources(None);
    for dir in dirs {
        match policy::directory_sources(dir) {
            Ok(mut more) => sources.append(&mut more),
            Err(e) => {
                eprintln!("error: cannot read policies from `{}`: {e}", dir.display());
                return Err(Outcome::Failure);
            }
        }
    }
    policy::load(sources).map_err(|(sources, errors)| {
        eprint!("{}", render_all(&errors, &sources, render));
        eprintln!(
            "error: {} problem(s) in the policies; nothing was checked",
            errors.len()
        );
        Outcome::Failure
    })
}

fn outcome(report: &check::Report, fail_on: FailOn) -> Outcome {
    let threshold = fail_on.threshold();
    if report
        .diagnostics
        .iter()
        .any(|d| d.severity >= threshold && check::is_open(d))
    {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

pub fn render_options(color: Color) -> RenderOptions {
    let colored = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    RenderOptions {
        color: colored,
        unicode: true,
        width,
    }
}

fn describe_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(", ")
}
