//! `zonelint check`: find models, check them, print the findings.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::check::Report;
use crate::check::baseline::{Baseline, BaselineSummary};
use crate::cli::Outcome;
use crate::cli::atomic::write_atomic;
use crate::cli::load::{LoadOptions, Loaded, load};
use crate::config::{Overrides, Selector};
use crate::diagnostics::{RenderOptions, Severity, render_all};
use crate::output::{self, Context, Format};
use crate::policy::{self, PolicySet};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (directories are searched for *.iacs files).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Also write a format to a file, atomically: `--output sarif=results.sarif`. Repeatable.
    #[arg(long = "output", value_name = "FORMAT=FILE", value_parser = parse_output)]
    pub outputs: Vec<(Format, PathBuf)>,

    /// The lowest severity that makes the run fail (exit code 1) [default: warning, or the
    /// configuration's `fail_on`].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// The configuration file [default: the first zonelint.toml from the checked path upwards].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Report only these rules (ids, prefixes like `dd-`, requirements like `SR 5`, or `ALL`).
    /// Repeatable, comma lists accepted; replaces the configuration's `select`.
    #[arg(long, value_name = "RULES")]
    pub select: Vec<String>,

    /// Leave out these rules; replaces the configuration's `ignore`.
    #[arg(long, value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Hide the findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current open findings in this baseline file (and hide them in this run).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// When to colour human output. `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// A directory of custom `*.policy` files to load beside the built-in packs (repeatable).
    /// A custom policy with the id of a built-in one replaces it.
    #[arg(long = "policies", value_name = "DIR")]
    pub policy_dirs: Vec<PathBuf>,

    /// Print to stderr how long each stage and the slowest policies took.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    pub fn threshold(self) -> Severity {
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

fn parse_output(value: &str) -> Result<(Format, PathBuf), String> {
    let (format, file) = value.split_once('=').ok_or_else(|| {
        format!("expected FORMAT=FILE, e.g. `sarif=results.sarif`, found `{value}`")
    })?;
    let format = Format::from_str(format, true).map_err(|_| {
        let names: Vec<&str> = Format::value_variants().iter().map(|f| f.name()).collect();
        format!(
            "unknown format `{format}`; expected one of {}",
            names.join(", ")
        )
    })?;
    if file.is_empty() {
        return Err("the file name after `=` is empty".into());
    }
    Ok((format, PathBuf::from(file)))
}

fn selectors(values: &[String]) -> Option<Vec<Selector>> {
    (!values.is_empty()).then(|| {
        values
            .iter()
            .flat_map(|v| Selector::parse_list(v))
            .collect()
    })
}

pub fn run(args: &CheckArgs) -> Outcome {
    if args.timings {
        crate::timings::enable();
    }
    let overrides = Overrides {
        select: selectors(&args.select),
        ignore: selectors(&args.ignore),
        fail_on: args.fail_on.map(FailOn::threshold),
        baseline: args.baseline.clone(),
    };
    let Loaded {
        mut report,
        config,
        root_relative,
        ..
    } = match load(
        &args.paths,
        LoadOptions {
            config: args.config.as_deref(),
            overrides,
            policy_dirs: &args.policy_dirs,
        },
    ) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };

    let baseline = match apply_baselines(
        &mut report,
        args.write_baseline.as_deref(),
        config.baseline.as_deref(),
    ) {
        Ok(summary) => summary,
        Err(message) => {
            eprintln!("error: {message}");
            return Outcome::Failure;
        }
    };

    let context = Context {
        render: render_options(args.color),
        root_relative,
        baseline,
    };
    let threshold = config.fail_on.unwrap_or(Severity::Warning);
    let outcome = outcome(&report, threshold);

    for (format, path) in &args.outputs {
        let text = output::write(
            *format,
            &report,
            &Context {
                render: RenderOptions::default(),
                ..context.clone()
            },
        );
        if let Err(err) = write_atomic(path, text.as_bytes()) {
            eprintln!("error: cannot write `{}`: {err}", path.display());
            return Outcome::Failure;
        }
    }
    // Formats that carry no baseline note of their own get it on stderr.
    if !matches!(args.format, Format::Human | Format::Json | Format::Sarif)
        && let Some(summary) = &context.baseline
    {
        for line in summary.describe() {
            eprintln!("{line}");
        }
    }
    let timing = crate::timings::start("stage", format!("{} output", args.format.name()));
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    // A closed pipe (`zonelint check | head`) is not a failure of the check.
    let _ =
        output::write_to(args.format, &report, &context, &mut stdout).and_then(|()| stdout.flush());
    drop(timing);
    if args.timings {
        eprint!("{}", crate::timings::table(&crate::timings::take(), 10));
    }
    // The process ends here: freeing the model and every finding one by one would only delay
    // the exit (3% of a large run), so they are left to the operating system, as compilers do.
    std::mem::forget(report);
    outcome
}

/// Writes the baseline if asked, then hides what the baseline in force lists.
fn apply_baselines(
    report: &mut Report,
    write_to: Option<&Path>,
    read_from: Option<&Path>,
) -> Result<Option<BaselineSummary>, String> {
    if let Some(path) = write_to {
        let baseline = Baseline::from_report(report);
        write_atomic(path, baseline.to_json().as_bytes())
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        let n = baseline.entries.len();
        eprintln!(
            "wrote {n} finding{} to baseline `{}`",
            if n == 1 { "" } else { "s" },
            path.display()
        );
        return Ok(Some(baseline.apply(report)));
    }
    let Some(path) = read_from else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read baseline `{}`: {e} (create it with --write-baseline)",
            path.display()
        )
    })?;
    let baseline = Baseline::parse(&text).map_err(|e| format!("`{}`: {e}", path.display()))?;
    Ok(Some(baseline.apply(report)))
}

/// The built-in packs (all, or those named) plus the given directories. A policy that does not
/// load stops the run (exit 2): checking with a broken policy would silently skip what it
/// checks.
pub fn load_policies(
    dirs: &[PathBuf],
    packs: Option<&[String]>,
    render: RenderOptions,
) -> Result<PolicySet, Outcome> {
    if let Some(packs) = packs {
        let known = policy::builtin_packs();
        for pack in packs {
            if !known.contains(&pack.as_str()) {
                let hint = crate::diagnostics::did_you_mean(pack, known.iter().copied())
                    .map_or_else(String::new, |h| format!("; {h}"));
                eprintln!(
                    "error: `{pack}` is not a built-in pack (packs: {}){hint}",
                    known.join(", ")
                );
                return Err(Outcome::Failure);
            }
        }
    }
    let mut sources = policy::builtin_sources(packs);
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

/// Exit code 1 when an open diagnostic reaches the threshold.
pub fn outcome(report: &Report, threshold: Severity) -> Outcome {
    if report
        .diagnostics
        .iter()
        .any(|d| d.is_open() && d.severity >= threshold)
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
