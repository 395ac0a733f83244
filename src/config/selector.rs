//! Rule selectors, as written in `select`, `ignore`, `[rules.severity]` and `--select`.
//!
//! One selector names a rule or a family of rules:
//! - `ALL`: every rule;
//! - a rule id, any case: `dd-untrusted-path`;
//! - a rule id prefix ending at a `-`: `dd-` or `dd` selects `dd-untrusted-path`, `dd-...`;
//! - a foundational requirement: `FR5`, `RDF`;
//! - a requirement id in any spelling: `SR 5.2 RE 1`, `sr5.2(1)`, and as a family `SR 5`
//!   (every `SR 5.x`) or `SR 5.2` (`SR 5.2` and its enhancements), never `SR 1.1` for `SR 1.13`.

use crate::diagnostics::FindingInfo;
use crate::model::reqid;
use crate::model::value::fr_index;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// As the user wrote it, for messages.
    pub text: String,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    All,
    Fr(usize),
    /// A canonical requirement id (`SR 5.2`), matched as itself or as a family prefix.
    Requirement(String),
    /// A lower-case rule id or prefix.
    Rule(String),
}

impl Selector {
    /// `None` for an empty selector.
    pub fn parse(text: &str) -> Option<Selector> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return None;
        }
        let kind = if trimmed.eq_ignore_ascii_case("all") {
            Kind::All
        } else if let Some(fr) = fr_index(trimmed) {
            Kind::Fr(fr)
        } else if let Some(id) = reqid::normalize(trimmed) {
            Kind::Requirement(id)
        } else {
            Kind::Rule(trimmed.to_ascii_lowercase())
        };
        Some(Selector {
            text: trimmed.to_string(),
            kind,
        })
    }

    /// Splits a command-line value on commas: `--select dd-,SR 5`.
    pub fn parse_list(text: &str) -> Vec<Selector> {
        text.split(',').filter_map(Selector::parse).collect()
    }

    pub fn matches(&self, rule: &str, finding: &FindingInfo) -> bool {
        match &self.kind {
            Kind::All => true,
            Kind::Fr(fr) => finding
                .fr
                .as_deref()
                .and_then(fr_index)
                .is_some_and(|f| f == *fr),
            Kind::Requirement(id) => {
                // `zcr-6.4` is both a requirement spelling and a rule id: accept either.
                rule.eq_ignore_ascii_case(&self.text)
                    || finding
                        .requirement
                        .as_deref()
                        .and_then(reqid::normalize)
                        .is_some_and(|r| in_family(&r, id, &['.', ' ']))
            }
            Kind::Rule(prefix) => {
                let rule = rule.to_ascii_lowercase();
                (prefix.ends_with('-') && rule.starts_with(prefix.as_str()))
                    || in_family(&rule, prefix, &['-'])
            }
        }
    }

    /// Whether the selector names any of these rule ids (for "matches no rule" warnings).
    /// Requirement and FR selectors are about findings, not ids, and always count as known.
    pub fn names_a_rule<'a>(&self, rule_ids: impl IntoIterator<Item = &'a str>) -> bool {
        match &self.kind {
            Kind::Rule(_) => {
                let empty = FindingInfo::default();
                rule_ids.into_iter().any(|id| self.matches(id, &empty))
            }
            _ => true,
        }
    }

    /// How specific the selector is: an exact rule id beats a prefix, a longer requirement a
    /// shorter one, anything beats `ALL`. Used to pick among severity overrides.
    pub fn specificity(&self, rule: &str) -> (u8, usize) {
        match &self.kind {
            Kind::All => (0, 0),
            Kind::Fr(_) => (1, 0),
            Kind::Requirement(_) if self.text.eq_ignore_ascii_case(rule) => (4, self.text.len()),
            Kind::Requirement(id) => (2, id.len()),
            Kind::Rule(prefix) if prefix.eq_ignore_ascii_case(rule) => (4, prefix.len()),
            Kind::Rule(prefix) => (3, prefix.len()),
        }
    }
}

/// `value` is `family` itself, or starts with it followed by one of `separators`.
fn in_family(value: &str, family: &str, separators: &[char]) -> bool {
    value == family
        || value
            .strip_prefix(family)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| separators.contains(&c))
}

#[cfg(test)]
mod tests {
    use super::Selector;
    use crate::diagnostics::FindingInfo;

    fn finding(requirement: Option<&str>, fr: Option<&str>) -> FindingInfo {
        FindingInfo {
            requirement: requirement.map(str::to_string),
            fr: fr.map(str::to_string),
            ..FindingInfo::default()
        }
    }

    fn matches(selector: &str, rule: &str, f: &FindingInfo) -> bool {
        Selector::parse(selector).unwrap().matches(rule, f)
    }

    #[test]
    fn rule_ids_match_any_case_and_by_family() {
        let f = FindingInfo::default();
        assert!(matches("DD-Untrusted-Path", "dd-untrusted-path", &f));
        assert!(matches("dd-", "dd-untrusted-path", &f));
        assert!(matches("dd", "dd-untrusted-path", &f));
        assert!(matches("dd-untrusted", "dd-untrusted-path", &f));
        assert!(!matches("dd-untr", "dd-untrusted-path", &f));
        assert!(!matches("d", "dd-untrusted-path", &f));
        assert!(matches("all", "anything", &f));
        assert!(matches("ZCR-6.4", "zcr-6.4", &f));
    }

    #[test]
    fn requirements_match_in_any_spelling_and_by_family() {
        let f = finding(Some("SR 5.2 RE 1"), Some("FR5"));
        assert!(matches("sr5.2(1)", "r", &f));
        assert!(matches("SR 5.2", "r", &f));
        assert!(matches("SR 5", "r", &f));
        assert!(matches("fr5", "r", &f));
        assert!(matches("RDF", "r", &f));
        assert!(!matches("SR 5.21", "r", &f));
        assert!(!matches("SR 5.2 RE 2", "r", &f));
        let g = finding(Some("SR 1.13"), Some("FR1"));
        assert!(!matches("SR 1.1", "r", &g));
        assert!(matches("SR 1.13", "r", &g));
        assert!(!matches("SR 1.1", "r", &finding(None, None)));
    }

    #[test]
    fn command_line_lists_split_on_commas() {
        let list = Selector::parse_list("dd-, SR 5 ,,zcr-6.4");
        let texts: Vec<&str> = list.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["dd-", "SR 5", "zcr-6.4"]);
    }
}
