//! Requirement catalogues: the rows of IEC 62443-3-3 and 3-2 (or an organisation's own), with
//! the security levels that select each one. Policies bound to a requirement take their levels
//! from here and nowhere else.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, FileId, Label, did_you_mean};
use crate::model::reqid;
use crate::model::value::{FR_NAMES, fr_index};
use crate::syntax::{Entry, Item, Span, ValueKind};

/// How zonelint decides a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckKind {
    /// The components' own capability (SL-C, `provides`).
    Capability,
    /// The structure of the model.
    Architecture,
    /// An evidence record.
    Evidence,
    /// A process step no model can show; listed, not checked.
    Process,
}

impl CheckKind {
    const WORDS: [&'static str; 4] = ["capability", "architecture", "evidence", "process"];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Capability => "capability",
            CheckKind::Architecture => "architecture",
            CheckKind::Evidence => "evidence",
            CheckKind::Process => "process",
        }
    }

    fn parse(word: &str) -> Option<CheckKind> {
        match word {
            "capability" => Some(CheckKind::Capability),
            "architecture" => Some(CheckKind::Architecture),
            "evidence" => Some(CheckKind::Evidence),
            "process" => Some(CheckKind::Process),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Requirement {
    /// Canonical id: `SR 1.1 RE 1`, `ZCR 3.3`.
    pub id: String,
    pub catalogue: String,
    /// FR index 0..7, for IEC 62443-3-3 rows.
    pub fr: Option<usize>,
    pub title: String,
    /// Security levels (1..=4) that select it; empty for requirements without levels.
    pub levels: Vec<u8>,
    pub checked_by: Vec<CheckKind>,
    pub summary: String,
    pub description: String,
    pub rationale: String,
    pub file: FileId,
    pub span: Span,
}

impl Requirement {
    /// Whether a target level selects this requirement. Requirements without levels always apply.
    pub fn selected_at(&self, level: u8) -> bool {
        self.levels.is_empty() || self.levels.contains(&level)
    }
    pub fn fr_name(&self) -> Option<&'static str> {
        self.fr.map(|i| FR_NAMES[i])
    }
    /// `SR 1.1` for `SR 1.1 RE 2`.
    pub fn parent(&self) -> Option<&str> {
        self.id.find(" RE ").map(|i| &self.id[..i])
    }
    pub fn is_checked_by(&self, kind: CheckKind) -> bool {
        self.checked_by.contains(&kind)
    }
}

#[derive(Debug, Default)]
pub struct Catalogues {
    pub requirements: Vec<Requirement>,
    /// Requirement id -> position; asked once per breach and per `selected`, so foldhash.
    index: HashMap<String, usize, foldhash::fast::FixedState>,
    /// catalogue id -> title
    pub titles: Vec<(String, String)>,
}

impl Catalogues {
    pub fn get(&self, id: &str) -> Option<&Requirement> {
        // Ids from the model and from compiled policies are already in the catalogue's
        // spelling: an exact hit saves normalising (an allocation) on every look-up.
        if let Some(&i) = self.index.get(id) {
            return Some(&self.requirements[i]);
        }
        let canonical = reqid::normalize(id)?;
        self.index.get(&canonical).map(|&i| &self.requirements[i])
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.requirements.iter().map(|r| r.id.as_str())
    }

    /// Adds the catalogues declared in one parsed file.
    pub fn add_items(&mut self, file: FileId, items: &[Item], errors: &mut Vec<Diagnostic>) {
        for item in items {
            if item.keyword.text != "catalogue" {
                errors.push(
                    Diagnostic::error(
                        "policy-syntax",
                        format!("`{}` cannot stand in a policy file", item.keyword.text),
                        Label::new(file, item.keyword.span, "expected `policy` or `catalogue`"),
                    )
                    .with_help_opt(did_you_mean(&item.keyword.text, ["policy", "catalogue"])),
                );
                continue;
            }
            let Some(name) = &item.name else {
                errors.push(Diagnostic::error(
                    "catalogue-invalid",
                    "a catalogue needs an id",
                    Label::new(file, item.keyword.span, "no id"),
                ));
                continue;
            };
            self.titles.push((
                name.text.to_string(),
                item.title
                    .as_ref()
                    .map_or_else(String::new, |t| t.value.clone()),
            ));
            for entry in item.entries() {
                match entry {
                    Entry::Item(row) if row.keyword.text == "requirement" => {
                        if let Some(r) = requirement(file, &name.text, row, errors) {
                            if let Some(&existing) = self.index.get(&r.id) {
                                let first = &self.requirements[existing];
                                errors.push(
                                    Diagnostic::error(
                                        "catalogue-invalid",
                                        format!("`{}` is listed twice", r.id),
                                        Label::new(file, r.span, "listed again here"),
                                    )
                                    .with_label(Label::new(
                                        first.file,
                                        first.span,
                                        "first listed here",
                                    )),
                                );
                                continue;
                            }
                            self.index.insert(r.id.clone(), self.requirements.len());
                            self.requirements.push(r);
                        }
                    }
                    other => errors.push(Diagnostic::error(
                        "catalogue-invalid",
                        "a catalogue holds only `requirement \"ID\" { ... }` entries",
                        Label::new(file, other.span(), "not a requirement"),
                    )),
                }
            }
        }
    }
}

fn requirement(
    file: FileId,
    catalogue: &str,
    row: &Item,
    errors: &mut Vec<Diagnostic>,
) -> Option<Requirement> {
    let Some(id) = &row.title else {
        errors.push(Diagnostic::error(
            "catalogue-invalid",
            "a requirement needs its id as a string",
            Label::new(
                file,
                row.keyword.span,
                "write `requirement \"SR 1.1\" { ... }`",
            ),
        ));
        return None;
    };
    let canonical = reqid::normalize(&id.value).unwrap_or_else(|| id.value.trim().to_string());
    let mut r = Requirement {
        id: canonical,
        catalogue: catalogue.to_string(),
        fr: None,
        title: String::new(),
        levels: Vec::new(),
        checked_by: Vec::new(),
        summary: String::new(),
        description: String::new(),
        rationale: String::new(),
        file,
        span: id.span,
    };
    const FIELDS: [&str; 7] = [
        "fr",
        "title",
        "levels",
        "checked_by",
        "summary",
        "description",
        "rationale",
    ];
    let mut ok = true;
    for entry in row.entries() {
        let Entry::Attribute(a) = entry else {
            errors.push(Diagnostic::error(
                "catalogue-invalid",
                "a requirement holds only attributes",
                Label::new(file, entry.span(), "not an attribute"),
            ));
            ok = false;
            continue;
        };
        let mut bad = |message: String| {
            errors.push(Diagnostic::error(
                "catalogue-invalid",
                message,
                Label::new(file, a.value.span, "here"),
            ));
        };
        match (a.name.text.as_str(), &a.value.kind) {
            ("fr", ValueKind::Path(p)) => match fr_index(&p.text()) {
                Some(i) => r.fr = Some(i),
                None => {
                    bad(format!(
                        "`{}` is not an FR (expected one of {})",
                        p.text(),
                        FR_NAMES.join(", ")
                    ));
                    ok = false;
                }
            },
            ("title", ValueKind::Str(s)) => r.title = s.clone(),
            ("summary", ValueKind::Str(s)) => r.summary = s.clone(),
            ("description", ValueKind::Str(s)) => r.description = s.clone(),
            ("rationale", ValueKind::Str(s)) => r.rationale = s.clone(),
            ("levels", ValueKind::List(items)) => {
                for item in items {
                    match &item.kind {
                        ValueKind::Number(n) if matches!(n.as_str(), "1" | "2" | "3" | "4") => {
                            r.levels.push(n.parse().unwrap_or(0))
                        }
                        _ => {
                            bad("levels are 1 to 4".into());
                            ok = false;
                        }
                    }
                }
            }
            ("checked_by", ValueKind::List(items)) => {
                for item in items {
                    let word = match &item.kind {
                        ValueKind::Path(p) => p.text(),
                        _ => String::new(),
                    };
                    match CheckKind::parse(&word) {
                        Some(k) => r.checked_by.push(k),
                        None => {
                            let hint = did_you_mean(&word, CheckKind::WORDS)
                                .unwrap_or_else(|| format!("use {}", CheckKind::WORDS.join(", ")));
                            bad(format!("`{word}` is not a way of checking: {hint}"));
                            ok = false;
                        }
                    }
                }
            }
            (name, _) if FIELDS.contains(&name) => {
                bad(format!("`{name}` has the wrong type"));
                ok = false;
            }
            (name, _) => {
                let hint = did_you_mean(name, FIELDS).unwrap_or_default();
                errors.push(Diagnostic::error(
                    "catalogue-invalid",
                    format!("unknown requirement field `{name}` {hint}"),
                    Label::new(file, a.name.span, "unknown field"),
                ));
                ok = false;
            }
        }
    }
    if r.title.is_empty() || r.checked_by.is_empty() {
        errors.push(Diagnostic::error(
            "catalogue-invalid",
            format!("requirement `{}` needs a `title` and `checked_by`", r.id),
            Label::new(file, id.span, "incomplete"),
        ));
        ok = false;
    }
    ok.then_some(r)
}
