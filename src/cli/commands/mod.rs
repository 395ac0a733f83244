pub mod check;
pub mod diff;
pub mod explain;
pub mod export;
pub mod fmt;
pub mod generate;
pub mod graph;
pub mod init;
pub mod lsp;
pub mod policies;
pub mod report;

use std::io::Write;
use std::path::Path;

use crate::check::Report;
use crate::cli::Outcome;
use crate::cli::atomic::write_atomic;
use crate::diagnostics::Severity;

/// What `graph`, `report` and `export` take: the paths of one model, where to write, and the
/// configuration file.
#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    /// Files or directories with the model.
    #[arg(default_value = ".")]
    pub paths: Vec<std::path::PathBuf>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// The configuration file [default: the first zonelint.toml from the path upwards].
    #[arg(long, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
}

/// Loads and checks the one model `graph`, `report` and `export` describe.
pub fn load_one_model(args: &ModelArgs) -> Result<crate::cli::load::Loaded, Outcome> {
    let options = crate::cli::load::LoadOptions {
        config: args.config.as_deref(),
        ..Default::default()
    };
    let loaded = crate::cli::load::load(&args.paths, options)?;
    single_model(&loaded)?;
    Ok(loaded)
}

/// Graph, report and export describe one model: several workspaces (directories with their
/// own `zonelint.toml`) are several models, so the user must name one.
pub fn single_model(loaded: &crate::cli::load::Loaded) -> Result<(), Outcome> {
    if loaded.workspaces > 1 {
        eprintln!(
            "error: the paths hold {} models (directories with their own zonelint.toml); name one of them",
            loaded.workspaces
        );
        return Err(Outcome::Failure);
    }
    Ok(())
}

/// Writes a generated document to `output` (atomically) or stdout. The document is produced
/// even from a model with errors (what resolved is still worth seeing), but the exit code
/// says so: 1, with a pointer to `zonelint check`.
pub fn emit(report: &Report, text: &str, output: Option<&Path>) -> Outcome {
    match output {
        Some(path) => {
            if let Err(err) = write_atomic(path, text.as_bytes()) {
                eprintln!("error: cannot write `{}`: {err}", path.display());
                return Outcome::Failure;
            }
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush());
        }
    }
    let errors = report
        .diagnostics
        .iter()
        .filter(|d| d.finding.is_none() && d.severity == Severity::Error)
        .count();
    if errors > 0 {
        eprintln!(
            "warning: the model has {errors} error{}; this output shows only what resolved (run `zonelint check`)",
            if errors == 1 { "" } else { "s" }
        );
        return Outcome::Findings;
    }
    Outcome::Clean
}
