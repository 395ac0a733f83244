//! `zonelint report`: the compliance matrix as Markdown or a self-contained HTML page.

use clap::{Args, ValueEnum};

use crate::cli::Outcome;
use crate::cli::commands::{ModelArgs, emit, load_one_model};
use crate::compliance;
use crate::output::report::{html, markdown};

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Markdown,
    /// One HTML file with no external assets.
    Html,
}

pub fn run(args: &ReportArgs) -> Outcome {
    let loaded = match load_one_model(&args.model) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    let compliance = compliance::compute(&loaded.report, Some(&loaded.policies.catalogues));
    let text = match args.format {
        ReportFormat::Markdown => markdown::write(&compliance),
        ReportFormat::Html => html::write(&compliance),
    };
    emit(&loaded.report, &text, args.model.output.as_deref())
}
