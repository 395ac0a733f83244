//! What every benchmark needs: a generated workspace served from memory, and the built-in
//! policies, so that each stage can be timed on its own.

#![allow(dead_code)] // each bench binary uses a different part

use std::path::PathBuf;

use zonelint::check::{self, Options, Report};
use zonelint::generate::{GenerateConfig, Workspace, generate};
use zonelint::model::Date;
use zonelint::model::workspace::{Limits, MemoryFs};
use zonelint::policy::{self, PolicySet};

/// The fixed seed of every benchmark, so that runs compare like with like.
pub const SEED: u64 = 62443;
/// The date compensations are checked against, fixed so results do not drift with the clock.
pub const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 1,
};

pub struct Fixture {
    pub workspace: Workspace,
    pub fs: MemoryFs,
    /// Every file, as the CLI would find them in the directory.
    pub entries: Vec<PathBuf>,
}

impl Fixture {
    pub fn new(components: usize) -> Fixture {
        let workspace = generate(&GenerateConfig {
            components,
            seed: SEED,
        })
        .expect("benchmark sizes are in range");
        let mut fs = MemoryFs::new("/ws");
        for file in &workspace.files {
            fs.insert(&file.path, file.text.clone());
        }
        let entries = fs.paths();
        Fixture {
            workspace,
            fs,
            entries,
        }
    }

    pub fn bytes(&self) -> u64 {
        self.workspace.bytes() as u64
    }

    pub fn check(&self, policies: &PolicySet) -> Report {
        let options = Options {
            policies,
            limits: Limits::default(),
            today: TODAY,
            achieved_levels: true,
        };
        check::check(self.fs.root(), &self.entries, &self.fs, &options)
    }
}

/// The built-in packs, compiled once.
pub fn builtin_policies() -> PolicySet {
    policy::load(policy::builtin_sources(None))
        .unwrap_or_else(|_| panic!("the built-in policies load"))
}
