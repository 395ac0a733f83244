//! The built-in catalogues against the reference tables (vendored in tests/reference from the
//! project's reference data), row by row, and the promise that every row is checked somehow.

use zonelint::cli::explain_text;
use zonelint::policy::{self, CheckKind, PolicySet};

fn policies() -> PolicySet {
    policy::load(policy::builtin_sources(None))
        .unwrap_or_else(|(_, e)| panic!("built-in policies must load: {e:#?}"))
}

/// Minimal CSV reading for the reference files: quoted fields may contain commas.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut fields = Vec::new();
            let mut field = String::new();
            let mut quoted = false;
            for c in line.chars() {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => fields.push(std::mem::take(&mut field)),
                    other => field.push(other),
                }
            }
            fields.push(field);
            fields
        })
        .collect()
}

#[test]
fn iec62443_3_3_catalogue_matches_the_reference_row_by_row() {
    let set = policies();
    let rows = csv_rows(include_str!("reference/iec62443-3-3-requirements.csv"));
    assert_eq!(rows.len(), 100, "the reference has 51 SRs and 49 REs");
    let catalogue: Vec<_> = set
        .catalogues
        .requirements
        .iter()
        .filter(|r| r.catalogue == "iec62443-3-3")
        .collect();
    assert_eq!(catalogue.len(), rows.len());
    for (row, r) in rows.iter().zip(&catalogue) {
        let [id, fr, title, _kind, _parent, sl1, sl2, sl3, sl4] = row.as_slice() else {
            panic!("malformed reference row {row:?}")
        };
        assert_eq!(&r.id, id, "rows out of order");
        assert_eq!(
            r.fr.map(|i| format!("FR{}", i + 1)).as_deref(),
            Some(fr.as_str()),
            "{id}: FR"
        );
        assert_eq!(&r.title, title, "{id}: title");
        let levels: Vec<u8> = [sl1, sl2, sl3, sl4]
            .iter()
            .enumerate()
            .filter(|(_, v)| v.as_str() == "1")
            .map(|(i, _)| i as u8 + 1)
            .collect();
        assert_eq!(r.levels, levels, "{id}: selecting levels");
        assert!(
            !r.description.is_empty() && !r.rationale.is_empty() && !r.summary.is_empty(),
            "{id}: undocumented"
        );
    }
}

#[test]
fn iec62443_3_2_catalogue_matches_the_reference_row_by_row() {
    let set = policies();
    let rows = csv_rows(include_str!("reference/iec62443-3-2-zcr.csv"));
    let catalogue: Vec<_> = set
        .catalogues
        .requirements
        .iter()
        .filter(|r| r.catalogue == "iec62443-3-2")
        .collect();
    assert_eq!(catalogue.len(), rows.len());
    for (row, r) in rows.iter().zip(&catalogue) {
        assert_eq!(r.id, row[0], "rows out of order");
        assert_eq!(r.title, row[1], "{}: title", row[0]);
    }
}

#[test]
fn every_requirement_is_reached_by_a_policy_or_marked_as_not_checkable() {
    let set = policies();
    let mut unreached = Vec::new();
    for r in &set.catalogues.requirements {
        let by_policy = set.checking(&r.id).next().is_some() || is_checked_by_children(&set, &r.id);
        let by_capability =
            r.is_checked_by(CheckKind::Capability) && set.policy("sr-capability").is_some();
        let by_evidence =
            r.is_checked_by(CheckKind::Evidence) && set.policy("sr-evidence").is_some();
        let process_only = r.checked_by.iter().all(|k| *k == CheckKind::Process);
        // A row marked architecture needs a policy bound to it, whatever else checks it.
        let architecture_ok = !r.is_checked_by(CheckKind::Architecture) || by_policy;
        if !(by_policy || by_capability || by_evidence || process_only) || !architecture_ok {
            unreached.push(r.id.clone());
        }
    }
    assert!(
        unreached.is_empty(),
        "catalogue rows no policy checks: {unreached:?}"
    );
}

/// ZCR 6.4 is checked through its lettered items' policies and vice versa.
fn is_checked_by_children(set: &PolicySet, id: &str) -> bool {
    set.policies.iter().any(|p| {
        p.requirement
            .as_deref()
            .is_some_and(|r| r.starts_with(&format!("{id} (")) || id.starts_with(&format!("{r} (")))
    })
}

#[test]
fn explain_works_for_every_requirement_in_every_spelling() {
    let set = policies();
    for r in &set.catalogues.requirements {
        let text = explain_text(&set, &r.id).unwrap_or_else(|e| panic!("{}: {e}", r.id));
        assert!(text.starts_with(&r.id), "{}: {text}", r.id);
        assert!(text.contains(&r.title));
        let squashed = r.id.to_lowercase().replace(' ', "");
        assert!(explain_text(&set, &squashed).is_ok(), "{squashed}");
        let dashed = r.id.replace(' ', "-");
        assert!(explain_text(&set, &dashed).is_ok(), "{dashed}");
    }
}

#[test]
fn explain_works_for_every_rule_and_suggests_the_nearest_for_typos() {
    let set = policies();
    for rule in zonelint::check::rule_docs(&set) {
        let text = explain_text(&set, &rule.id).unwrap_or_else(|e| panic!("{}: {e}", rule.id));
        assert!(
            text.contains("## How to fix"),
            "{}: no fix section",
            rule.id
        );
    }
    let err = explain_text(&set, "dd-untrsted-path").unwrap_err();
    assert!(err.contains("did you mean `dd-untrusted-path`"), "{err}");
    let err = explain_text(&set, "SR 5.2 RE 9").unwrap_err();
    assert!(err.contains("SR 5.2"), "{err}");
}
