//! The findings of requirement-bound policies, filed by the zones and conduits they concern.

use super::Rows;
use crate::diagnostics::Diagnostic;
use crate::model::{ElemId, ElementKind, Model, Value};

/// Findings of requirement-bound policies, by the zone or conduit they concern and the row of
/// their requirement, so that each status is a look-up rather than a scan of every finding.
///
/// One vector sorted by (zone or conduit, row, finding) rather than a map of small vectors: a
/// finding concerns several elements, and a map entry with its own vector for each was most of
/// the cost of building the index. Only zones and conduits are kept, as only they have targets.
pub(super) struct FindingIndex<'a> {
    findings: &'a [Diagnostic],
    entries: Vec<Concerns>,
}

/// Finding `finding` (a position in the findings) is bound to row `row` and concerns `element`.
/// The field order is the sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Concerns {
    element: ElemId,
    row: u32,
    finding: u32,
}

impl<'a> FindingIndex<'a> {
    /// `subjects`: the element each finding is about ([`super::risk::subjects`]).
    pub(super) fn new(
        model: &Model,
        rows: &Rows,
        findings: &'a [Diagnostic],
        subjects: &[Option<ElemId>],
    ) -> FindingIndex<'a> {
        use rayon::prelude::*;
        let mut entries: Vec<Concerns> = findings
            .par_iter()
            .zip(subjects)
            .enumerate()
            .fold(
                || (Vec::new(), None),
                |(mut entries, mut last): (Vec<Concerns>, Option<(&'a str, Option<u32>)>),
                 (i, (d, subject))| {
                    let Some(info) = d.finding.as_deref() else {
                        return (entries, last);
                    };
                    let Some(requirement) = info.requirement.as_deref() else {
                        return (entries, last);
                    };
                    // The findings of one policy come together and share a requirement: the
                    // row found for the one before usually answers.
                    let row = match last {
                        Some((id, row)) if id == requirement => row,
                        _ => rows.key_of(requirement),
                    };
                    last = Some((requirement, row));
                    let Some(row) = row else {
                        return (entries, last);
                    };
                    let Some(subject) = *subject else {
                        return (entries, last);
                    };
                    concerned(model, subject, |element| {
                        entries.push(Concerns {
                            element,
                            row,
                            finding: i as u32,
                        })
                    });
                    (entries, last)
                },
            )
            .map(|(entries, _)| entries)
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            });
        entries.par_sort_unstable();
        FindingIndex { findings, entries }
    }

    /// The findings that concern `element`, by row, in the findings' order within a row.
    pub(super) fn of(&self, element: ElemId) -> Concerning<'_> {
        let start = self.entries.partition_point(|e| e.element < element);
        let len = self.entries[start..].partition_point(|e| e.element == element);
        Concerning {
            findings: self.findings,
            entries: &self.entries[start..start + len],
        }
    }
}

/// The part of a [`FindingIndex`] about one zone or conduit.
pub(super) struct Concerning<'a> {
    findings: &'a [Diagnostic],
    entries: &'a [Concerns],
}

impl<'a> Concerning<'a> {
    /// The findings bound to the requirement of row `key` ([`Rows::key`]), in order.
    pub(super) fn bound_to(&self, key: u32) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        let start = self.entries.partition_point(|e| e.row < key);
        let findings = self.findings;
        self.entries[start..]
            .iter()
            .take_while(move |e| e.row == key)
            .map(move |e| &findings[e.finding as usize])
    }
}

/// Calls `found` with each zone and conduit a finding about `subject` concerns: the subject and
/// everything that encloses it, for a conduit (or a flow of one) the zones it joins, and for a
/// role the zones it holds permissions in. Other elements are skipped: nothing asks about them.
fn concerned(model: &Model, subject: ElemId, mut found: impl FnMut(ElemId)) {
    let mut keep = |e: ElemId| {
        if matches!(
            model.element(e).kind,
            ElementKind::Zone | ElementKind::Conduit
        ) {
            found(e);
        }
    };
    for e in model.enclosing(subject) {
        keep(e);
    }
    let element = model.element(subject);
    let conduit = match element.kind {
        ElementKind::Conduit => Some(subject),
        ElementKind::Flow => element.parent,
        _ => None,
    };
    if let Some(c) = conduit
        && let Some(zones) = model.element(c).value("zones")
    {
        zones
            .as_list()
            .iter()
            .filter_map(Value::as_ref)
            .for_each(&mut keep);
    }
    // A human role concerns the zones it holds permissions in.
    if let Some(Value::Permissions(entries)) = element.value("permissions") {
        for (zone, _) in entries {
            keep(*zone);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{FindingInfo, Label};
    use crate::policy::{Catalogues, CheckKind, Requirement};

    fn model(text: &str) -> Model {
        let mut sources = crate::diagnostics::SourceMap::default();
        let file = sources.add("m.iacs", text);
        let tree = crate::syntax::parse(text);
        let (model, errors) = crate::model::build(sources, vec![(file, tree)]);
        assert!(errors.is_empty(), "{errors:?}");
        model
    }

    fn requirement(id: &str, fr: Option<usize>) -> Requirement {
        Requirement {
            id: id.into(),
            catalogue: "test".into(),
            fr,
            title: String::new(),
            levels: vec![1, 2, 3, 4],
            checked_by: vec![CheckKind::Architecture],
            summary: String::new(),
            description: String::new(),
            rationale: String::new(),
            file: crate::diagnostics::FileId(0),
            span: crate::syntax::Span::new(0, 0),
        }
    }

    fn finding(requirement: Option<&str>, element: &str) -> Diagnostic {
        let at = Label::new(
            crate::diagnostics::FileId(0),
            crate::syntax::Span::new(0, 0),
            "here",
        );
        let mut d = Diagnostic::warning("rule", "found", at);
        d.finding = Some(Box::new(FindingInfo {
            requirement: requirement.map(str::to_string),
            element: element.into(),
            ..FindingInfo::default()
        }));
        d
    }

    #[test]
    fn the_index_files_findings_under_the_zones_and_conduits_they_concern() {
        let m = model(
            "site s {
               zone a { component c1 : embedded-device { } }
               zone b { component c2 : embedded-device { } }
               conduit k { zones = [a, b] }
             }
             role r { permissions = { s.b: [view] } }",
        );
        let mut catalogues = Catalogues::default();
        catalogues.requirements = vec![
            requirement("ZCR 3.3", None),
            requirement("SR 1.1", Some(0)),
            requirement("SR 2.1", Some(1)),
        ];
        let rows = super::super::rows(&catalogues);
        let findings = [
            finding(Some("SR 1.1"), "s.a.c1"),
            finding(Some("SR 1.1"), "s.k"),
            finding(None, "s.a"),
            finding(Some("SR 2.1"), "r"),
            finding(Some("SR 1.1"), "s.a"),
            finding(Some("ZCR 3.3"), "s.a"),
            finding(Some("SR 1.1"), "nowhere"),
        ];
        let subjects = crate::check::risk::subjects(&m, &findings);
        let index = FindingIndex::new(&m, &rows, &findings, &subjects);
        let at = |qid: &str, requirement: &str| -> Vec<usize> {
            let element = m.lookup(qid).expect("element");
            let key = rows.key_of(requirement).expect("a row");
            index
                .of(element)
                .bound_to(key)
                .map(|d| findings.iter().position(|f| std::ptr::eq(f, d)).unwrap())
                .collect()
        };
        assert_eq!(at("s.a", "SR 1.1"), [0, 1, 4]);
        assert_eq!(at("s.b", "SR 1.1"), [1]);
        assert_eq!(at("s.k", "SR 1.1"), [1]);
        assert_eq!(at("s.a", "SR 2.1"), Vec::<usize>::new());
        assert_eq!(at("s.b", "SR 2.1"), [3]);
        // Components and sites are never asked about, and requirements without an FR are no row.
        assert!(index.of(m.lookup("s.a.c1").unwrap()).entries.is_empty());
        assert!(index.of(m.lookup("s").unwrap()).entries.is_empty());
        assert_eq!(rows.key_of("ZCR 3.3"), None);
    }
}
