//! `zonelint.toml`: which rules run, how severe they are, what fails the run, which files and
//! findings to leave out.
//!
//! Parsing is pure: the CLI finds and reads the file and hands its text in through a
//! [`SourceMap`], so that a bad configuration is reported like a bad model, as a diagnostic
//! pointing into the TOML. The CLI's flags override what the file says (see
//! [`Config::override_with`]).

mod filter;
mod parse;
mod selector;
pub mod starter;

use std::path::PathBuf;

use globset::GlobSet;

pub use filter::RuleFilter;
pub use parse::{CONFIG_FILE_NAME, parse};
pub use selector::Selector;

use crate::diagnostics::Severity;

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it was read from; `None` when no file was found (all defaults).
    pub path: Option<PathBuf>,
    pub rules: RuleSettings,
    /// The lowest severity that makes the run fail; `None` leaves the CLI's default.
    pub fail_on: Option<Severity>,
    /// Files not to check, as globs relative to the config file's directory.
    pub exclude: Exclude,
    /// The baseline to apply, resolved against the config file's directory.
    pub baseline: Option<PathBuf>,
    /// Settings for the policy engine.
    pub policy: PolicySettings,
}

/// `[rules]`: selection and severity overrides, applied to the report after the check.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    /// Only findings matching one of these are kept; empty keeps all.
    pub select: Vec<Selector>,
    /// Findings matching one of these are dropped (after `select`).
    pub ignore: Vec<Selector>,
    /// `[rules.severity]`: a severity per selector.
    pub severity: Vec<(Selector, Severity)>,
}

/// What the policy engine reads: which packs and custom policies to load, and how severe a
/// missing piece of evidence is. zonelint's own filtering does not use these.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicySettings {
    /// Names of the built-in packs to load; `None` loads the default set.
    pub packs: Option<Vec<String>>,
    /// Directories of custom policies, resolved against the config file's directory.
    pub policy_dirs: Vec<PathBuf>,
    /// The severity of findings about missing evidence; `None` leaves each rule's own.
    pub evidence_severity: Option<Severity>,
}

/// Compiled `exclude` globs. Paths are matched relative to `base`.
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    pub patterns: Vec<String>,
    pub base: PathBuf,
    set: GlobSet,
}

impl Exclude {
    pub fn is_excluded(&self, path: &std::path::Path) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let relative = path.strip_prefix(&self.base).unwrap_or(path);
        self.set.is_match(relative)
    }
}

/// What the command line says, to lay over the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--select`: replaces the file's `select` when given.
    pub select: Option<Vec<Selector>>,
    /// `--ignore`: replaces the file's `ignore` when given.
    pub ignore: Option<Vec<Selector>>,
    pub fail_on: Option<Severity>,
    pub baseline: Option<PathBuf>,
}

impl Config {
    pub fn override_with(&mut self, overrides: Overrides) {
        if let Some(select) = overrides.select {
            self.rules.select = select;
        }
        if let Some(ignore) = overrides.ignore {
            self.rules.ignore = ignore;
        }
        if overrides.fail_on.is_some() {
            self.fail_on = overrides.fail_on;
        }
        if overrides.baseline.is_some() {
            self.baseline = overrides.baseline;
        }
    }

    pub fn rule_filter(&self) -> RuleFilter {
        RuleFilter::new(&self.rules)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostics::SourceMap;

    fn parse_text(text: &str) -> Result<Config, Vec<crate::diagnostics::Diagnostic>> {
        let mut sources = SourceMap::default();
        let file = sources.add("zonelint.toml", text);
        parse(&sources, file, Path::new("/project"))
    }

    #[test]
    fn every_key_is_read_and_paths_resolve_against_the_file() {
        let config = parse_text(
            r#"
packs = ["iec62443-3-3", "defense-in-depth"]
policy_dirs = ["policies"]
fail_on = "error"
evidence_severity = "info"
exclude = ["vendor/**"]
baseline = "zonelint-baseline.json"
[rules]
select = ["dd-", "SR 5"]
ignore = ["dd-purdue-step"]
[rules.severity]
"dd-untrusted-path" = "warning"
"#,
        )
        .unwrap();
        assert_eq!(config.fail_on, Some(Severity::Error));
        assert_eq!(
            config.policy,
            PolicySettings {
                packs: Some(vec!["iec62443-3-3".into(), "defense-in-depth".into()]),
                policy_dirs: vec![Path::new("/project/policies").to_path_buf()],
                evidence_severity: Some(Severity::Info),
            }
        );
        assert_eq!(
            config.baseline.as_deref(),
            Some(Path::new("/project/zonelint-baseline.json"))
        );
        assert!(
            config
                .exclude
                .is_excluded(Path::new("/project/vendor/a/b.iacs"))
        );
        assert!(
            !config
                .exclude
                .is_excluded(Path::new("/project/plant/b.iacs"))
        );
        assert_eq!(config.rules.select.len(), 2);
        assert_eq!(config.rules.severity[0].1, Severity::Warning);
    }

    #[test]
    fn command_line_overrides_the_file() {
        let mut config = parse_text("fail_on = \"error\"\n[rules]\nselect = [\"dd-\"]\n").unwrap();
        config.override_with(Overrides {
            select: Some(Selector::parse_list("SR 5")),
            fail_on: Some(Severity::Info),
            ..Overrides::default()
        });
        assert_eq!(config.fail_on, Some(Severity::Info));
        assert_eq!(config.rules.select[0].text, "SR 5");
        let mut kept = parse_text("fail_on = \"error\"\n").unwrap();
        kept.override_with(Overrides::default());
        assert_eq!(kept.fail_on, Some(Severity::Error));
    }

    #[test]
    fn unknown_keys_suggest_the_known_key_of_that_table() {
        let errors = parse_text("[rules]\nignroe = []\n").unwrap_err();
        assert_eq!(errors[0].message, "unknown key `ignroe`");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `ignore`?"));
        assert_eq!(errors[0].primary.span.start, 8);
    }
}
