//! The command line: argument parsing and the subcommands. With the language server, the only
//! code that touches the file system and the terminal.

mod commands;
pub(crate) mod discover;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use commands::check::CheckArgs;
pub use commands::explain::explain as explain_text;
pub use commands::fmt::FmtArgs;

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
    /// Rewrite model files in the canonical layout (`--check`: only show the differences).
    Fmt(FmtArgs),
    /// Run the language server on standard input and output (for editors).
    Lsp,
    /// Explain a rule or a requirement: what it checks, why, an example and the fix.
    Explain(commands::explain::ExplainArgs),
    /// List the loaded policies: id, requirement, severity, pack.
    Policies(commands::policies::PoliciesArgs),
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
        Command::Fmt(args) => commands::fmt::run(&args),
        Command::Lsp => commands::lsp::run(),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Policies(args) => commands::policies::run(&args),
    }
}
