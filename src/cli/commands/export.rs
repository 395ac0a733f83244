//! `zonelint export`: the resolved model as JSON (docs/export.md).

use clap::Args;

use crate::cli::Outcome;
use crate::cli::commands::{ModelArgs, emit, load_one_model};
use crate::output::export;

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn run(args: &ExportArgs) -> Outcome {
    let loaded = match load_one_model(&args.model) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    let text = export::write(&loaded.report.model);
    emit(&loaded.report, &text, args.model.output.as_deref())
}
