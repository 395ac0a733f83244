//! `zonelint generate`: writes a synthetic workspace for benchmarks and load tests.
//!
//! A developer tool, hidden from `--help` but documented in docs/performance.md. The workspace
//! itself comes from [`crate::generate`]; this file only writes it to disk.

use std::path::{Path, PathBuf};

use clap::Args;

use crate::cli::Outcome;
use crate::generate::{self, GenerateConfig, MAX_COMPONENTS, MIN_COMPONENTS};

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many components the workspace has (spread over sites of 120 to 320 components).
    #[arg(long, value_parser = parse_components)]
    pub components: usize,

    /// The directory to write to; created if missing, and must be empty if it exists.
    #[arg(long)]
    pub out: PathBuf,

    /// The same seed always gives the same workspace.
    #[arg(long, default_value_t = GenerateConfig::default().seed)]
    pub seed: u64,
}

fn parse_components(text: &str) -> Result<usize, String> {
    let n: usize = text
        .replace('_', "")
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (MIN_COMPONENTS..=MAX_COMPONENTS).contains(&n) {
        Ok(n)
    } else {
        Err(format!(
            "must be between {MIN_COMPONENTS} and {MAX_COMPONENTS}"
        ))
    }
}

pub fn run(args: &GenerateArgs) -> Outcome {
    let config = GenerateConfig {
        components: args.components,
        seed: args.seed,
    };
    let workspace = match generate::generate(&config) {
        Ok(ws) => ws,
        Err(err) => {
            eprintln!("error: {err}");
            return Outcome::Failure;
        }
    };
    if let Err(message) = prepare(&args.out) {
        eprintln!("error: {message}");
        return Outcome::Failure;
    }
    for file in &workspace.files {
        let path = args.out.join(&file.path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &file.text));
        if let Err(err) = written {
            eprintln!("error: cannot write `{}`: {err}", path.display());
            return Outcome::Failure;
        }
    }
    println!(
        "wrote {} components in {} sites ({} files, {} bytes) to {}",
        workspace.components,
        workspace.sites,
        workspace.files.len(),
        workspace.bytes(),
        args.out.display()
    );
    Outcome::Clean
}

/// Creates the output directory, refusing one that already holds anything: a typo in `--out`
/// must not mix generated files into a real model.
fn prepare(out: &Path) -> Result<(), String> {
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(format!(
                    "`{}` is not empty; generate into a new or empty directory",
                    out.display()
                ));
            }
            Ok(())
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(out)
            .map_err(|e| format!("cannot create `{}`: {e}", out.display())),
        Err(err) => Err(format!("cannot use `{}`: {err}", out.display())),
    }
}
