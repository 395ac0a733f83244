//! `zonelint export`: the resolved model as JSON (docs/export.md).

use std::path::PathBuf;

use clap::Args;

use crate::cli::Outcome;
use crate::cli::commands::{emit, single_model};
use crate::cli::load::{LoadOptions, load};
use crate::output::export;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Files or directories with the model.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The configuration file [default: the first zonelint.toml from the path upwards].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: &ExportArgs) -> Outcome {
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
    let text = export::write(&loaded.report.model);
    emit(&loaded.report, &text, args.output.as_deref())
}
