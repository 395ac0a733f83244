//! `zonelint init [DIR]`: a commented `zonelint.toml` and a small model that checks clean.

use std::path::PathBuf;

use clap::Args;

use crate::cli::Outcome;
use crate::config::CONFIG_FILE_NAME;
use crate::config::starter::{STARTER_CONFIG, STARTER_MODEL, STARTER_MODEL_NAME};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The directory to write into (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

pub fn run(args: &InitArgs) -> Outcome {
    let files = [
        (args.dir.join(CONFIG_FILE_NAME), STARTER_CONFIG),
        (args.dir.join(STARTER_MODEL_NAME), STARTER_MODEL),
    ];
    // Refuse before writing anything, so a half-initialised directory never results.
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.exists())
        .map(|(path, _)| format!("`{}`", path.display()))
        .collect();
    if !existing.is_empty() {
        eprintln!(
            "error: {} already exist{}; zonelint init never overwrites files",
            existing.join(" and "),
            if existing.len() == 1 { "s" } else { "" }
        );
        return Outcome::Failure;
    }
    if let Err(err) = std::fs::create_dir_all(&args.dir) {
        eprintln!("error: cannot create `{}`: {err}", args.dir.display());
        return Outcome::Failure;
    }
    for (path, contents) in &files {
        // create_new: a file that appeared since the check above is still not overwritten.
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, contents.as_bytes()));
        if let Err(err) = written {
            eprintln!("error: cannot write `{}`: {err}", path.display());
            return Outcome::Failure;
        }
        eprintln!("wrote {}", path.display());
    }
    eprintln!(
        "next: edit {STARTER_MODEL_NAME}, then run `zonelint check {}`",
        args.dir.display()
    );
    Outcome::Clean
}
