//! `zonelint graph`: draw the zones and conduits as Graphviz DOT or Mermaid.

use clap::{Args, ValueEnum};

use crate::cli::Outcome;
use crate::cli::commands::{ModelArgs, emit, load_one_model};
use crate::compliance;
use crate::output::graph::{self, dot, mermaid};

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz: `zonelint graph | dot -Tsvg > zones.svg`.
    Dot,
    /// A Mermaid flowchart, rendered by GitHub inside ```mermaid blocks.
    Mermaid,
}

pub fn run(args: &GraphArgs) -> Outcome {
    let loaded = match load_one_model(&args.model) {
        Ok(loaded) => loaded,
        Err(outcome) => return outcome,
    };
    let compliance = compliance::compute(&loaded.report, Some(&loaded.policies.catalogues));
    let diagram = graph::diagram(&loaded.report, &compliance);
    let text = match args.format {
        GraphFormat::Dot => dot::write(&diagram),
        GraphFormat::Mermaid => mermaid::write(&diagram),
    };
    emit(&loaded.report, &text, args.model.output.as_deref())
}
