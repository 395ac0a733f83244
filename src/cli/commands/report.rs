//! `zonelint report`: the compliance matrix as Markdown or a self-contained HTML page.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::cli::Outcome;
use crate::cli::commands::{emit, single_model};
use crate::cli::load::{LoadOptions, load};
use crate::compliance;
use crate::output::report::{html, markdown};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files or directories with the model.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The configuration file [default: the first zonelint.toml from the path upwards].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    /// One HTML file with no external assets.
    Html,
}

pub fn run(args: &ReportArgs) -> Outcome {
    let loaded = match load(
        &args.paths,
        LoadOptions {
            config: args.config.as_deref(),
            ..LoadOptions::default()
        },
    ) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    if let Err(outcome) = single_model(&loaded) {
        return outcome;
    }
    let compliance = compliance::compute(&loaded.report, Some(&loaded.policies.catalogues));
    let text = match args.format {
        ReportFormat::Markdown => markdown::write(&compliance),
        ReportFormat::Html => html::write(&compliance),
    };
    emit(&loaded.report, &text, args.output.as_deref())
}
