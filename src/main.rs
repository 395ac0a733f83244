use std::process::ExitCode;

fn main() -> ExitCode {
    zonelint::cli::run().into()
}
