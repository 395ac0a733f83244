//! The policy language: catalogues of requirements, and policies that check a model against
//! them. Built-in packs are embedded in the binary; users add directories of their own.
//!
//! Loading parses and type-checks every policy against the model vocabulary and the
//! catalogues, so a misspelt attribute or requirement in a policy is an error at load time,
//! pointing into the policy file, never a silently dead check.

mod ast;
pub mod builtins;
pub mod capability;
pub mod catalogue;
mod compile;
pub mod docs;
pub mod eval;
mod fast_parse;
pub mod index;
mod parse;
pub mod reads;
mod types;

use std::collections::HashMap;
use std::path::Path;

pub use catalogue::{Catalogues, CheckKind, Requirement};
pub use compile::CompiledPolicy;

use crate::diagnostics::{Diagnostic, FileId, Label, SourceMap};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));
}

/// The policy parser with and without its hand-written fast path, results as their debug
/// text: hooks for the differential tests and the fuzzer, not an interface.
#[doc(hidden)]
pub mod parse_differential {
    fn outcome<T: std::fmt::Debug>(
        result: Result<T, super::parse::ParseError>,
    ) -> Result<String, String> {
        result
            .map(|t| format!("{t:#?}"))
            .map_err(|e| format!("{:?}: {}", e.span, e.message))
    }

    /// A whole policy file, as loading reads it (`fast`) or with pest alone.
    pub fn file(text: &str, fast: bool) -> Result<String, String> {
        outcome(if fast {
            super::parse::parse(text)
        } else {
            super::parse::parse_reference(text)
        })
    }

    /// One `policy` block read by the hand-written parser; `None` where it defers to pest.
    pub fn block_fast(block: &str) -> Option<String> {
        super::parse::block_fast(block).map(|p| format!("{p:#?}"))
    }

    /// The `policy` blocks of a file as the loader cuts them out; `None` when it cannot.
    pub fn blocks(text: &str) -> Option<Vec<String>> {
        super::parse::blocks(text)
    }

    /// One `policy` block read by pest.
    pub fn block_reference(block: &str) -> Result<String, String> {
        outcome(super::parse::block_reference(block))
    }
}

/// The names of the built-in packs: the directories under `policies/`.
pub fn builtin_packs() -> Vec<&'static str> {
    let mut packs: Vec<&str> = embedded::BUILTIN_FILES
        .iter()
        .filter_map(|(path, _)| path.split('/').next())
        .collect();
    packs.dedup();
    packs
}

/// A policy file to load: where it came from, its pack, its text.
pub struct PolicySource {
    pub name: String,
    pub pack: String,
    pub text: String,
}

/// The built-in policy files, optionally restricted to some packs. Catalogues are always
/// included: policies of other packs may bind to their requirements.
pub fn builtin_sources(packs: Option<&[String]>) -> Vec<PolicySource> {
    embedded::BUILTIN_FILES
        .iter()
        .filter(|(path, _)| {
            let pack = path.split('/').next().unwrap_or_default();
            path.ends_with("catalogue.policy") || packs.is_none_or(|p| p.iter().any(|x| x == pack))
        })
        .map(|(path, text)| PolicySource {
            name: format!("<builtin>/policies/{path}"),
            pack: path.split('/').next().unwrap_or_default().to_string(),
            text: (*text).to_string(),
        })
        .collect()
}

/// `*.policy` files under a directory (sorted), as a custom pack named after the directory.
pub fn directory_sources(dir: &Path) -> std::io::Result<Vec<PolicySource>> {
    let pack = dir.file_name().map_or_else(
        || "custom".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(true)
    {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "policy") {
            let text = std::fs::read_to_string(entry.path())?;
            out.push(PolicySource {
                name: entry.path().display().to_string(),
                pack: pack.clone(),
                text,
            });
        }
    }
    Ok(out)
}

/// Every loaded catalogue and policy.
#[derive(Debug, Default)]
pub struct PolicySet {
    pub sources: SourceMap,
    pub catalogues: Catalogues,
    pub policies: Vec<CompiledPolicy>,
}

impl PolicySet {
    pub fn policy(&self, id: &str) -> Option<&CompiledPolicy> {
        self.policies.iter().find(|p| p.id.eq_ignore_ascii_case(id))
    }
    /// Policies bound to a requirement.
    pub fn checking(&self, requirement: &str) -> impl Iterator<Item = &CompiledPolicy> {
        self.policies
            .iter()
            .filter(move |p| p.requirement.as_deref() == Some(requirement))
    }
}

/// Loads policy files. A later policy with the id of an earlier one replaces it, which is how a
/// user overrides a built-in policy. Errors are diagnostics into `PolicySet::sources`.
pub fn load(files: Vec<PolicySource>) -> Result<PolicySet, (SourceMap, Vec<Diagnostic>)> {
    let mut set = PolicySet::default();
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    // Files parse independently, and parsing is most of loading: use every core.
    let results: Vec<_> = {
        use rayon::prelude::*;
        files.par_iter().map(|s| parse::parse(&s.text)).collect()
    };
    for (source, result) in files.into_iter().zip(results) {
        let file = set.sources.add(source.name.clone(), source.text.clone());
        match result {
            Ok(p) => {
                let items = crate::syntax::parse(&p.items_text);
                for e in &items.errors {
                    errors.push(crate::model::workspace::syntax_diagnostic(file, e));
                }
                set.catalogues.add_items(file, &items.items, &mut errors);
                parsed.push((file, source.pack, p.policies));
            }
            Err(e) => errors.push(
                Diagnostic::error(
                    "policy-syntax",
                    e.message.clone(),
                    Label::new(file, e.span, "here"),
                )
                .with_help("see docs/policy-language.md for the grammar of policies"),
            ),
        }
    }
    let mut index: HashMap<String, usize> = HashMap::new();
    for (file, pack, policies) in parsed {
        for policy in &policies {
            match compile::compile(policy, &pack, file, &set.catalogues) {
                Ok(compiled) => match index.get(&compiled.id) {
                    Some(&i) if set.policies[i].file == file => {
                        errors.push(duplicate(&set.policies[i], &compiled))
                    }
                    Some(&i) => set.policies[i] = compiled,
                    None => {
                        index.insert(compiled.id.clone(), set.policies.len());
                        set.policies.push(compiled);
                    }
                },
                Err(mut e) => errors.append(&mut e),
            }
        }
    }
    if errors.is_empty() {
        Ok(set)
    } else {
        Err((set.sources, errors))
    }
}

fn duplicate(first: &CompiledPolicy, again: &CompiledPolicy) -> Diagnostic {
    Diagnostic::error(
        "policy-error",
        format!("policy `{}` is defined twice", again.id),
        Label::new(again.file, again.span, "defined again here"),
    )
    .with_label(Label::new(first.file, first.span, "first defined here"))
}

/// The file a policy lives in, for diagnostics that point into it.
pub fn policy_file(set: &PolicySet, policy: &CompiledPolicy) -> (String, FileId) {
    (set.sources.get(policy.file).name.clone(), policy.file)
}
