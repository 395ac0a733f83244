//! `zonelint policies`: the loaded policies, one line each.

use std::path::PathBuf;

use clap::Args;

use crate::check;
use crate::cli::Outcome;
use crate::cli::commands::check::{Color, load_policies, render_options};

#[derive(Debug, Args)]
pub struct PoliciesArgs {
    /// Also load custom policies from this directory (repeatable).
    #[arg(long = "policies", value_name = "DIR")]
    pub policy_dirs: Vec<PathBuf>,

    /// Only this pack (`defense-in-depth`, `iec62443-3-2`, `iec62443-3-3`, `engine`, or a custom directory's name).
    #[arg(long)]
    pub pack: Option<String>,
}

pub fn run(args: &PoliciesArgs) -> Outcome {
    let policies = match load_policies(&args.policy_dirs, None, render_options(Color::Auto)) {
        Ok(p) => p,
        Err(outcome) => return outcome,
    };
    let rules: Vec<_> = check::rule_docs(&policies)
        .into_iter()
        .filter(|r| args.pack.as_ref().is_none_or(|p| *p == r.pack))
        .collect();
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let req_width = rules
        .iter()
        .filter_map(|r| r.requirement.as_ref().map(String::len))
        .max()
        .unwrap_or(11)
        .max(11);
    println!(
        "{:<width$}  {:<req_width$}  {:<8}  {:<16}  TITLE",
        "ID", "REQUIREMENT", "SEVERITY", "PACK"
    );
    for r in &rules {
        println!(
            "{:<width$}  {:<req_width$}  {:<8}  {:<16}  {}",
            r.id,
            r.requirement.as_deref().unwrap_or("-"),
            r.severity.as_str(),
            r.pack,
            r.title
        );
    }
    println!("\n{} rules", rules.len());
    Outcome::Clean
}
