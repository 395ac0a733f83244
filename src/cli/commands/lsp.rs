//! `zonelint lsp`: the language server on standard input and output.

use crate::cli::Outcome;

pub fn run() -> Outcome {
    match crate::lsp::run_stdio() {
        Ok(()) => Outcome::Clean,
        Err(message) => {
            eprintln!("zonelint lsp: {message}");
            Outcome::Failure
        }
    }
}
