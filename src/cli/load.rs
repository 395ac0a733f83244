//! What every model-reading subcommand does first: find the configuration and the model files,
//! load the policies the configuration asks for, check each workspace, and apply the rule
//! selection.

use std::path::{Path, PathBuf};

use crate::check::{self, Report};
use crate::cli::Outcome;
use crate::cli::commands::check::load_policies;
use crate::cli::discover::discover;
use crate::config::{self, CONFIG_FILE_NAME, Config, Overrides};
use crate::diagnostics::{RenderOptions, Severity, SourceMap, render};
use crate::model::Date;
use crate::model::workspace::{Disk, Limits};
use crate::policy::PolicySet;

pub struct Loaded {
    /// All workspaces' reports joined (see [`check::merge`]); with one workspace, its report.
    pub report: Report,
    /// The configuration found for the first path (or `--config`): fail_on and the baseline.
    pub config: Config,
    /// Per file, its path relative to the repository root (see `output::Context::root_relative`).
    pub root_relative: Vec<String>,
    /// The policies of the first workspace, for their catalogues.
    pub policies: PolicySet,
    /// How many workspaces (directories with their own `zonelint.toml`) were checked.
    pub workspaces: usize,
}

/// What selects a policy set: the packs (`None`: all) and the custom policy directories.
/// (packs, policy directories, evidence severity): what makes two workspaces' policy sets differ.
type PolicyKey = (Option<Vec<String>>, Vec<PathBuf>, Option<Severity>);

/// What the command line adds to the configuration.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions<'a> {
    pub config: Option<&'a Path>,
    pub overrides: Overrides,
    /// `--policies DIR`: custom policy directories beside the configuration's `policy_dirs`.
    pub policy_dirs: &'a [PathBuf],
}

/// Finds, reads and parses the configuration: `explicit` if given, else the first
/// `zonelint.toml` from `start` upwards. A bad file is rendered to stderr (exit 2).
pub fn load_config(explicit: Option<&Path>, start: &Path) -> Result<Config, Outcome> {
    let path = match explicit {
        Some(path) => Some(path.to_path_buf()),
        None => find_config(start),
    };
    let Some(path) = path else {
        return Ok(Config::default());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read `{}`: {err}", path.display());
            return Err(Outcome::Failure);
        }
    };
    let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    let dir = canonical
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut sources = SourceMap::default();
    let file = sources.add(display(&canonical), text);
    match config::parse(&sources, file, &dir) {
        Ok(mut config) => {
            config.path = Some(canonical);
            Ok(config)
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{}", render(d, &sources, stderr_render_options()));
            }
            Err(Outcome::Failure)
        }
    }
}

fn find_config(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let dir = if start.is_dir() {
        start
    } else {
        start.parent()?.to_path_buf()
    };
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Discovers the model files under `paths` and checks each workspace with its configuration:
/// `--config` for all of them if given, else a workspace's own `zonelint.toml`, else the one
/// found from the first path upwards.
pub fn load(paths: &[PathBuf], options: LoadOptions) -> Result<Loaded, Outcome> {
    let start = paths
        .first()
        .map_or_else(|| PathBuf::from("."), PathBuf::clone);
    let mut primary = load_config(options.config, &start)?;
    primary.override_with(options.overrides.clone());
    let discovered = match discover(paths) {
        Ok(d) => d,
        Err(message) => {
            eprintln!("error: {message}");
            return Err(Outcome::Failure);
        }
    };
    for warning in &discovered.warnings {
        eprintln!("warning: {warning}");
    }
    let base = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| discovered.root.clone());
    let disk = Disk { base: base.clone() };
    let render = stderr_render_options();

    // Policy sets by (packs, directories): workspaces that ask for the same share one.
    let mut policy_sets: Vec<(PolicyKey, PolicySet)> = Vec::new();
    let mut reports = Vec::new();
    let mut files_checked = 0;
    for (root, files) in &discovered.workspaces {
        let own = root.join(CONFIG_FILE_NAME);
        let config = if options.config.is_none()
            && own.is_file()
            && primary.path.as_deref() != std::fs::canonicalize(&own).ok().as_deref()
        {
            let mut config = load_config(Some(&own), root)?;
            config.override_with(options.overrides.clone());
            config
        } else {
            primary.clone()
        };
        let files: Vec<PathBuf> = files
            .iter()
            .filter(|f| !config.exclude.is_excluded(f))
            .cloned()
            .collect();
        files_checked += files.len();
        let mut dirs = config.policy.policy_dirs.clone();
        dirs.extend(options.policy_dirs.iter().cloned());
        let key = (
            config.policy.packs.clone(),
            dirs,
            config.policy.evidence_severity,
        );
        let build = || check::build(root, &files, &disk, Limits::default());
        let (index, (model, diagnostics)) = match policy_sets.iter().position(|(k, _)| *k == key) {
            Some(i) => (i, build()),
            None => {
                // Loading the packs takes as long as parsing a few thousand components and
                // needs nothing from the model: both go at once, on both cores.
                let (set, built) =
                    rayon::join(|| load_policies(&key.1, key.0.as_deref(), render), build);
                let mut set = set?;
                set_evidence_severity(&mut set, key.2);
                policy_sets.push((key, set));
                (policy_sets.len() - 1, built)
            }
        };
        let check_options = check::Options {
            policies: &policy_sets[index].1,
            limits: Limits::default(),
            today: Date::today(),
            achieved_levels: true,
        };
        let mut report = check::check_model(model, diagnostics, &check_options);
        let filter = config.rule_filter();
        for selector in filter.unknown_selectors(&report) {
            eprintln!("warning: `{}` selects no known rule", selector.text);
        }
        filter.apply(&mut report);
        reports.push(report);
    }
    if discovered.files.is_empty() || files_checked == 0 {
        eprintln!(
            "warning: no *.iacs files found in {}",
            describe_paths(paths)
        );
    }
    let workspaces = reports.len();
    if policy_sets.is_empty() {
        let dirs = [primary.policy.policy_dirs.as_slice(), options.policy_dirs].concat();
        let mut set = load_policies(&dirs, primary.policy.packs.as_deref(), render)?;
        set_evidence_severity(&mut set, primary.policy.evidence_severity);
        policy_sets.push((
            (
                primary.policy.packs.clone(),
                dirs,
                primary.policy.evidence_severity,
            ),
            set,
        ));
    }
    let report = if reports.is_empty() {
        let check_options = check::Options {
            policies: &policy_sets[0].1,
            limits: Limits::default(),
            today: Date::today(),
            achieved_levels: true,
        };
        check::check(&discovered.root, &[], &disk, &check_options)
    } else {
        check::merge(reports)
    };
    let repository = repository_root(&discovered.root);
    let root_relative = root_relative(&report.model.sources, &base, &repository);
    let (_, policies) = policy_sets.swap_remove(0);
    Ok(Loaded {
        report,
        config: primary,
        root_relative,
        policies,
        workspaces,
    })
}

/// The repository a workspace lies in (the nearest `.git` upwards), which code scanning
/// resolves SARIF paths against; the workspace root when there is none.
fn repository_root(root: &Path) -> PathBuf {
    root.ancestors()
        .find(|dir| dir.join(".git").exists())
        .unwrap_or(root)
        .to_path_buf()
}

/// Display names are relative to the current directory; rebase them on `root`.
pub fn root_relative(sources: &SourceMap, base: &Path, root: &Path) -> Vec<String> {
    sources
        .iter()
        .map(|(_, file)| {
            let absolute = base.join(&file.name);
            absolute.strip_prefix(root).map_or_else(
                |_| file.name.clone(),
                |p| p.to_string_lossy().replace('\\', "/"),
            )
        })
        .collect()
}

pub fn describe_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| format!("`{}`", p.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A path as the user reads it: relative to the current directory where it lies below it.
fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    let shown = cwd
        .as_ref()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}

/// Diagnostics about the run itself go to stderr, plain unless it is a terminal.
pub fn stderr_render_options() -> RenderOptions {
    use std::io::IsTerminal;
    RenderOptions {
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && std::io::stderr().is_terminal(),
        ..RenderOptions::default()
    }
}

/// The policy that reports missing evidence, whose severity zonelint.toml can set.
pub const EVIDENCE_POLICY: &str = "sr-evidence";

/// `evidence_severity` in zonelint.toml: the severity of the evidence policy (default info).
fn set_evidence_severity(set: &mut PolicySet, severity: Option<Severity>) {
    if let Some(severity) = severity {
        for policy in set.policies.iter_mut().filter(|p| p.id == EVIDENCE_POLICY) {
            policy.severity = severity;
        }
    }
}
