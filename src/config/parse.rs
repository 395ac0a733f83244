//! From TOML text to [`Config`]. Serde reads the shape (`deny_unknown_fields`, so a misspelt
//! key is an error and never silently ignored); the values are then checked one by one, each
//! error pointing at its span in the file.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use super::{Config, Exclude, PolicySettings, RuleSettings, Selector};
use crate::diagnostics::{Diagnostic, FileId, Label, Severity, SourceMap, did_you_mean};
use crate::syntax::Span;

pub const CONFIG_FILE_NAME: &str = "zonelint.toml";

const SEVERITIES: [&str; 3] = ["error", "warning", "info"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    packs: Option<Vec<Spanned<String>>>,
    policy_dirs: Option<Vec<Spanned<String>>>,
    rules: Option<RawRules>,
    fail_on: Option<Spanned<String>>,
    evidence_severity: Option<Spanned<String>>,
    exclude: Option<Vec<Spanned<String>>>,
    baseline: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// Parses the configuration in `file`. `dir` is the directory relative paths are resolved
/// against (the config file's own).
pub fn parse(sources: &SourceMap, file: FileId, dir: &Path) -> Result<Config, Vec<Diagnostic>> {
    let text = &sources.get(file).text;
    let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_error(file, text, &e)])?;
    let mut errors = Vec::new();
    let mut check = Checker {
        file,
        errors: &mut errors,
    };

    let rules = raw
        .rules
        .map_or_else(RuleSettings::default, |r| RuleSettings {
            select: check.selectors(r.select.unwrap_or_default()),
            ignore: check.selectors(r.ignore.unwrap_or_default()),
            severity: r
                .severity
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(key, value)| {
                    let selector = check.selector(&key)?;
                    let severity = check.severity(&value)?;
                    Some((selector, severity))
                })
                .collect(),
        });
    let fail_on = raw.fail_on.and_then(|v| check.severity(&v));
    let evidence_severity = raw.evidence_severity.and_then(|v| check.severity(&v));
    let exclude = check.exclude(raw.exclude.unwrap_or_default(), dir);
    let packs = raw.packs.map(|packs| {
        packs
            .into_iter()
            .filter_map(|p| check.non_empty(&p, "a pack name"))
            .collect()
    });
    let policy_dirs = raw
        .policy_dirs
        .unwrap_or_default()
        .into_iter()
        .filter_map(|d| check.non_empty(&d, "a directory").map(|d| dir.join(d)))
        .collect();
    let baseline = raw
        .baseline
        .and_then(|b| check.non_empty(&b, "a file path").map(|b| dir.join(b)));

    if !errors.is_empty() {
        errors.sort_by_key(|d| d.primary.span.start);
        return Err(errors);
    }
    Ok(Config {
        path: None,
        rules,
        fail_on,
        exclude,
        baseline,
        policy: PolicySettings {
            packs,
            policy_dirs,
            evidence_severity,
        },
    })
}

struct Checker<'a> {
    file: FileId,
    errors: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn label(&self, value: &Spanned<String>, message: &str) -> Label {
        let range = value.span();
        Label::new(self.file, Span::new(range.start, range.end), message)
    }

    fn severity(&mut self, value: &Spanned<String>) -> Option<Severity> {
        if let Some(severity) = Severity::parse(value.get_ref()) {
            return Some(severity);
        }
        let help = did_you_mean(value.get_ref(), SEVERITIES)
            .unwrap_or_else(|| "write `error`, `warning` or `info`".to_string());
        self.errors.push(
            Diagnostic::error(
                "invalid-config",
                format!("`{}` is not a severity", value.get_ref()),
                self.label(value, "expected `error`, `warning` or `info`"),
            )
            .with_help(help),
        );
        None
    }

    fn selector(&mut self, value: &Spanned<String>) -> Option<Selector> {
        let selector = Selector::parse(value.get_ref());
        if selector.is_none() {
            self.errors.push(
                Diagnostic::error(
                    "invalid-config",
                    "an empty rule selector",
                    self.label(value, "names no rule"),
                )
                .with_help("write a rule id (`dd-untrusted-path`), a prefix (`dd-`), a requirement (`SR 5.2`) or `ALL`"),
            );
        }
        selector
    }

    fn selectors(&mut self, values: Vec<Spanned<String>>) -> Vec<Selector> {
        values.iter().filter_map(|v| self.selector(v)).collect()
    }

    fn non_empty(&mut self, value: &Spanned<String>, what: &str) -> Option<String> {
        if value.get_ref().trim().is_empty() {
            self.errors.push(Diagnostic::error(
                "invalid-config",
                format!("expected {what}, found an empty string"),
                self.label(value, "empty"),
            ));
            return None;
        }
        Some(value.get_ref().clone())
    }

    fn exclude(&mut self, patterns: Vec<Spanned<String>>, dir: &Path) -> Exclude {
        let mut builder = GlobSetBuilder::new();
        let mut kept = Vec::new();
        for pattern in patterns {
            match Glob::new(pattern.get_ref()) {
                Ok(glob) => {
                    builder.add(glob);
                    kept.push(pattern.get_ref().clone());
                }
                Err(err) => self.errors.push(
                    Diagnostic::error(
                        "invalid-config",
                        format!("`{}` is not a valid glob", pattern.get_ref()),
                        self.label(&pattern, &err.kind().to_string()),
                    )
                    .with_help(
                        "globs use `*`, `**`, `?`, `[abc]` and `{a,b}`, e.g. `vendor/**/*.iacs`",
                    ),
                ),
            }
        }
        let set = builder.build().unwrap_or_default();
        Exclude {
            patterns: kept,
            base: dir.to_path_buf(),
            set,
        }
    }
}

/// A TOML syntax or shape error as a diagnostic. Unknown keys get a did-you-mean over the keys
/// that table accepts, which serde lists in its message.
fn toml_error(file: FileId, text: &str, error: &toml::de::Error) -> Diagnostic {
    let span = error.span().map_or_else(
        || Span::new(0, 0),
        |r| Span::new(r.start, r.end.min(text.len())),
    );
    let message = error.message().trim();
    if let Some((key, known)) = unknown_field(message) {
        let mut diagnostic = Diagnostic::error(
            "invalid-config",
            format!("unknown key `{key}`"),
            Label::new(file, span, "not a zonelint.toml key"),
        );
        if let Some(help) = did_you_mean(&key, known.iter().map(String::as_str)) {
            diagnostic = diagnostic.with_help(help);
        }
        let listed: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        return diagnostic.with_note(format!("known keys here: {}", listed.join(", ")));
    }
    Diagnostic::error(
        "invalid-config",
        format!("invalid zonelint.toml: {message}"),
        Label::new(file, span, "here"),
    )
    .with_help("see docs/configuration.md for the keys and their types")
}

/// Splits serde's "unknown field `x`, expected one of `a`, `b`" into `x` and `[a, b]`.
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`')?;
    let known = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((key.to_string(), known))
}
