//! The command line: argument parsing and the subcommands. With the language server, the only
//! code that touches the file system and the terminal.

mod atomic;
mod commands;
pub(crate) mod discover;
mod load;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use commands::check::CheckArgs;
pub use commands::diff::DiffArgs;
pub use commands::explain::explain as explain_text;
pub use commands::export::ExportArgs;
pub use commands::fmt::FmtArgs;
pub use commands::graph::GraphArgs;
pub use commands::init::InitArgs;
pub use commands::report::ReportArgs;

/// How a run ended, mapped to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing at or above the fail-on severity.
    Clean = 0,
    /// Findings or model errors.
    Findings = 1,
    /// zonelint could not run: bad arguments, unreadable paths.
    Failure = 2,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(o as u8)
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "zonelint",
    version,
    about = "Lint IEC 62443 zone and conduit architectures written as code",
    long_about = "zonelint checks architecture models of industrial automation and control systems \
                  (*.iacs files) against IEC 62443-3-3, the zone and conduit rules of IEC 62443-3-2, \
                  and defense-in-depth graph rules.",
    after_help = "Exit codes: 0 no findings, 1 findings or model errors, 2 zonelint could not run."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check models and report what is wrong (the default workflow in CI and pre-commit).
    Check(CheckArgs),
    /// Write a commented zonelint.toml and a starter model into a directory.
    Init(InitArgs),
    /// Draw the zones and conduits as a Graphviz or Mermaid diagram.
    Graph(GraphArgs),
    /// Write the compliance matrix (SL-T, weakest SL-C, SL-A per FR) as Markdown or HTML.
    Report(ReportArgs),
    /// Write the resolved model as JSON.
    Export(ExportArgs),
    /// Show what changed between two versions of a model.
    Diff(DiffArgs),
    /// Rewrite model files in the canonical layout (`--check`: only show the differences).
    Fmt(FmtArgs),
    /// Run the language server on standard input and output (for editors).
    Lsp,
    /// Explain a rule or a requirement: what it checks, why, an example and the fix.
    Explain(commands::explain::ExplainArgs),
    /// List the loaded policies: id, requirement, severity, pack.
    Policies(commands::policies::PoliciesArgs),
    /// Write a synthetic workspace of N components (a developer tool for benchmarks; see
    /// docs/performance.md).
    #[command(hide = true)]
    Generate(commands::generate::GenerateArgs),
}

/// Parses the arguments and runs the command. Errors in the arguments exit with 2.
pub fn run() -> Outcome {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                Outcome::Failure
            } else {
                Outcome::Clean
            };
            let _ = err.print();
            return code;
        }
    };
    match cli.command {
        Command::Check(args) => commands::check::run(&args),
        Command::Init(args) => commands::init::run(&args),
        Command::Graph(args) => commands::graph::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Fmt(args) => commands::fmt::run(&args),
        Command::Lsp => commands::lsp::run(),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Policies(args) => commands::policies::run(&args),
        Command::Generate(args) => commands::generate::run(&args),
    }
}
