//! `zonelint graph`: draw the zones and conduits as Graphviz DOT or Mermaid.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::cli::Outcome;
use crate::cli::commands::{emit, single_model};
use crate::cli::load::{LoadOptions, load};
use crate::compliance;
use crate::output::graph::{self, dot, mermaid};

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Files or directories with the model.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The configuration file [default: the first zonelint.toml from the path upwards].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz: `zonelint graph | dot -Tsvg > zones.svg`.
    Dot,
    /// A Mermaid flowchart, rendered by GitHub inside ```mermaid blocks.
    Mermaid,
}

pub fn run(args: &GraphArgs) -> Outcome {
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
    let diagram = graph::diagram(&loaded.report, &compliance);
    let text = match args.format {
        GraphFormat::Dot => dot::write(&diagram),
        GraphFormat::Mermaid => mermaid::write(&diagram),
    };
    emit(&loaded.report, &text, args.output.as_deref())
}
