//! What a policy can read of a model, found by walking its compiled form: the names of the
//! attributes it reads, directly or through a derived property or a built-in.
//!
//! The language server uses this to re-run after an edit only the policies the edit can
//! change (`check::incremental`). The answer must never be too small: a policy left out would
//! keep findings that a full check no longer gives. So the walk is conservative, and what it
//! leaves out is covered by the model comparison instead: the elements themselves (kinds,
//! ids, nesting, titles aside), and every attribute whose value names elements (`zones`,
//! `via`, `scope`, `permissions`...), which make up the graph, count as the model's
//! structure, and a change there re-runs every policy.

use std::collections::BTreeSet;

use super::builtins::{Builtin, Derived};
use super::compile::{CArg, CExpr, CKind, CPart, CompiledPolicy, Step};

/// The pseudo-attribute that stands for an element's quoted title.
pub const TITLE: &str = "@title";
/// The pseudo-attribute that stands for an element's `///` documentation.
pub const DOC: &str = "@doc";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reads {
    /// Only these attributes (vocabulary and custom ones, plus [`TITLE`] and [`DOC`]).
    Attributes(BTreeSet<String>),
    /// Something this walk cannot bound (`missing` with computed names).
    Everything,
}

impl Reads {
    /// Whether a change to any of `changed` (attribute names) can change what the policy finds.
    pub fn touched_by<'a>(&self, mut changed: impl Iterator<Item = &'a str>) -> bool {
        match self {
            Reads::Everything => true,
            Reads::Attributes(names) => changed.any(|c| names.contains(c)),
        }
    }
}

/// What `policy` reads.
pub fn of(policy: &CompiledPolicy) -> Reads {
    let mut walk = Walk::default();
    if policy.requirement.is_some() {
        // Whether a policy bound to a requirement applies depends on the SL-T around its
        // element (`Evaluator::applies`).
        walk.name("sl_target");
    }
    for step in &policy.steps {
        match step {
            Step::For(_, e) | Step::Where(e) | Step::Let(_, e) | Step::Require(e) => walk.expr(e),
        }
    }
    for e in [&policy.target, &policy.at].into_iter().flatten() {
        walk.expr(e);
    }
    walk.parts(&policy.report);
    if let Some(parts) = &policy.at_label {
        walk.parts(parts);
    }
    for (target, parts) in &policy.labels {
        walk.expr(target);
        walk.parts(parts);
    }
    if let Some(parts) = &policy.help {
        walk.parts(parts);
    }
    if let Some(fix) = &policy.fix {
        walk.expr(&fix.element);
        // The edit replaces the attribute's value when it is set, and adds it otherwise.
        walk.name(fix.attribute);
    }
    match walk.everything {
        true => Reads::Everything,
        false => Reads::Attributes(walk.names),
    }
}

#[derive(Default)]
struct Walk {
    names: BTreeSet<String>,
    everything: bool,
}

impl Walk {
    fn name(&mut self, name: &str) {
        self.names.insert(name.to_string());
    }

    fn names(&mut self, names: &[&str]) {
        for name in names {
            self.name(name);
        }
    }

    fn parts(&mut self, parts: &[CPart]) {
        for part in parts {
            if let CPart::Hole(e) = part {
                self.expr(e);
            }
        }
    }

    fn expr(&mut self, e: &CExpr) {
        match &e.kind {
            CKind::None
            | CKind::Bool(_)
            | CKind::Num(_)
            | CKind::Str(_)
            | CKind::Word(_)
            | CKind::Var(_)
            | CKind::Global(_) => {}
            CKind::List(items) => items.iter().for_each(|i| self.expr(i)),
            CKind::Attr(base, name) => {
                self.name(name);
                self.expr(base);
            }
            CKind::Custom(base, name) => {
                self.name(name);
                self.expr(base);
            }
            CKind::Prop(base, derived) => {
                self.names(derived_reads(*derived));
                self.expr(base);
            }
            CKind::Fr(base, _) | CKind::Field(base, _) | CKind::Not(base) => self.expr(base),
            CKind::Index(base, index) | CKind::Binary(_, base, index) => {
                self.expr(base);
                self.expr(index);
            }
            CKind::Call(builtin, args) => {
                self.call(*builtin, args);
                for arg in args {
                    match arg {
                        CArg::Expr(e) | CArg::Lambda(_, e) => self.expr(e),
                    }
                }
            }
        }
    }

    fn call(&mut self, builtin: Builtin, args: &[CArg]) {
        if builtin == Builtin::Missing {
            // `missing(x, ["owner", "sl_target"])`: the names are data. A literal list is
            // read here; anything computed could name any attribute.
            match args.get(1) {
                Some(CArg::Expr(CExpr {
                    kind: CKind::List(items),
                    ..
                })) => {
                    for item in items {
                        match &item.kind {
                            CKind::Str(s) => self.name(s),
                            CKind::Word(w) => self.name(w),
                            _ => self.everything = true,
                        }
                    }
                }
                _ => self.everything = true,
            }
            return;
        }
        self.names(builtin_reads(builtin));
    }
}

/// Attributes a derived property reads besides the model's structure.
fn derived_reads(derived: Derived) -> &'static [&'static str] {
    match derived {
        Derived::Title => &[TITLE],
        Derived::Doc => &[DOC],
        Derived::ZoneUntrusted => &["trust", "kind"],
        Derived::ZoneSafety => &["safety", "kind"],
        Derived::ConduitUntrustedMedium => &["medium"],
        Derived::RoleZones => &["permissions"],
        Derived::ComponentHosted => &["host"],
        // Ids, nesting, endpoints, products and the graph are structure.
        Derived::Id
        | Derived::Qid
        | Derived::ZoneComponents
        | Derived::ZoneAllComponents
        | Derived::ZoneConduits
        | Derived::ZoneNeighbours
        | Derived::ZoneSubzones
        | Derived::ZoneParent
        | Derived::ConduitFlows
        | Derived::ComponentZone
        | Derived::ComponentKind
        | Derived::ComponentProduct
        | Derived::ComponentFlows
        | Derived::ComponentFlowsIn
        | Derived::ComponentFlowsOut
        | Derived::ComponentEnforces
        | Derived::FlowSource
        | Derived::FlowDestination
        | Derived::FlowConduit
        | Derived::FlowBothWays
        | Derived::FlowSourceZone
        | Derived::FlowDestinationZone => &[],
    }
}

/// Attributes a built-in reads besides its arguments and the model's structure.
fn builtin_reads(builtin: Builtin) -> &'static [&'static str] {
    match builtin {
        // The component's SL-C against its zone's SL-T, what it `provides`, and the
        // compensation records (their requirements and expiry) that cover a gap.
        Builtin::Unmet | Builtin::Compensated => &[
            "sl_target",
            "sl_capability",
            "provides",
            "requirement",
            "expires",
        ],
        // The zone's SL-T, evidence records' requirements, compensations.
        Builtin::EvidenceMissing => &["sl_target", "requirement", "expires"],
        Builtin::Selected => &["sl_target"],
        Builtin::Serves | Builtin::Servers => &["serves"],
        Builtin::RolesIn => &["permissions"],
        Builtin::EvidenceFor | Builtin::EvidenceInside => &["requirement"],
        // Pure functions of their arguments, or of the structure (the graph, nesting).
        Builtin::Count
        | Builtin::Any
        | Builtin::All
        | Builtin::NoneOf
        | Builtin::Filter
        | Builtin::ZoneOf
        | Builtin::Reaches
        | Builtin::Path
        | Builtin::ConduitsBetween
        | Builtin::SlDistance
        | Builtin::Abs
        | Builtin::Len
        | Builtin::Lower
        | Builtin::Today
        | Builtin::Has
        | Builtin::Join
        | Builtin::Map
        | Builtin::Flatten
        | Builtin::Distinct
        | Builtin::Min
        | Builtin::Max
        | Builtin::SlSum
        | Builtin::Within
        | Builtin::First
        | Builtin::FlowsTo
        | Builtin::Reachable
        | Builtin::Missing => &[],
    }
}
