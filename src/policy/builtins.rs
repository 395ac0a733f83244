//! What policies can ask beyond attributes: derived properties of elements, global collections
//! and functions. Each entry documents itself for `docs/policy-language.md`.

use super::types::T;
use crate::model::vocabulary::{self as vocab, ElementKind as K};

/// Collections every policy can iterate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Global {
    Of(K),
    /// The seven FR names, for loops over FRs.
    Frs,
}

pub const GLOBALS: &[(&str, Global, &str)] = &[
    ("systems", Global::Of(K::System), "every `system`"),
    ("sites", Global::Of(K::Site), "every `site`"),
    (
        "zones",
        Global::Of(K::Zone),
        "every zone, nested ones included",
    ),
    ("conduits", Global::Of(K::Conduit), "every conduit"),
    ("flows", Global::Of(K::Flow), "every flow of every conduit"),
    ("components", Global::Of(K::Component), "every component"),
    ("products", Global::Of(K::Product), "every product"),
    (
        "organizations",
        Global::Of(K::Organization),
        "every organization",
    ),
    ("roles", Global::Of(K::Role), "every human user role"),
    (
        "compensations",
        Global::Of(K::Compensation),
        "every compensating countermeasure",
    ),
    ("evidence", Global::Of(K::Evidence), "every evidence record"),
    (
        "frs",
        Global::Frs,
        "the FR names IAC, UC, SI, DC, RDF, TRE, RA",
    ),
];

impl Global {
    pub fn ty(self) -> T {
        match self {
            Global::Of(kind) => T::list(T::elem(kind)),
            Global::Frs => T::list(T::Word(&crate::model::value::FR_NAMES)),
        }
    }
}

/// Properties computed from the model rather than written as attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Derived {
    Id,
    Qid,
    Title,
    Doc,
    ZoneComponents,
    ZoneAllComponents,
    ZoneConduits,
    ZoneNeighbours,
    ZoneSubzones,
    ZoneParent,
    ZoneUntrusted,
    ZoneSafety,
    ConduitFlows,
    ConduitUntrustedMedium,
    ComponentZone,
    ComponentKind,
    ComponentProduct,
    ComponentFlows,
    ComponentFlowsIn,
    ComponentFlowsOut,
    ComponentEnforces,
    ComponentHosted,
    FlowSource,
    FlowDestination,
    FlowConduit,
    FlowBothWays,
    FlowSourceZone,
    FlowDestinationZone,
    RoleZones,
}

/// (kind it applies to — `None` for every kind —, name, property, type, doc)
type PropRow = (Option<K>, &'static str, Derived, fn() -> T, &'static str);

pub const PROPERTIES: &[PropRow] = &[
    (None, "id", Derived::Id, || T::Str, "the id as written"),
    (
        None,
        "qid",
        Derived::Qid,
        || T::Str,
        "the qualified id (`site_a.control.plc1`)",
    ),
    (
        None,
        "title",
        Derived::Title,
        || T::Str,
        "the quoted title, or none",
    ),
    (
        None,
        "doc",
        Derived::Doc,
        || T::Str,
        "the `///` documentation, or none",
    ),
    (
        Some(K::Zone),
        "components",
        Derived::ZoneComponents,
        || T::list(T::elem(K::Component)),
        "components in the zone itself",
    ),
    (
        Some(K::Zone),
        "all_components",
        Derived::ZoneAllComponents,
        || T::list(T::elem(K::Component)),
        "components in the zone and its sub-zones",
    ),
    (
        Some(K::Zone),
        "conduits",
        Derived::ZoneConduits,
        || T::list(T::elem(K::Conduit)),
        "conduits that join the zone",
    ),
    (
        Some(K::Zone),
        "neighbours",
        Derived::ZoneNeighbours,
        || T::list(T::elem(K::Zone)),
        "zones one conduit away",
    ),
    (
        Some(K::Zone),
        "subzones",
        Derived::ZoneSubzones,
        || T::list(T::elem(K::Zone)),
        "zones declared inside it",
    ),
    (
        Some(K::Zone),
        "parent",
        Derived::ZoneParent,
        || T::elem(K::Zone),
        "the enclosing zone, or none",
    ),
    (
        Some(K::Zone),
        "untrusted",
        Derived::ZoneUntrusted,
        || T::Bool,
        "`trust = untrusted`, or an external zone with no trust set",
    ),
    (
        Some(K::Zone),
        "safety_designated",
        Derived::ZoneSafety,
        || T::Bool,
        "`safety = true`, or a safety zone with no `safety` set",
    ),
    (
        Some(K::Conduit),
        "flows",
        Derived::ConduitFlows,
        || T::list(T::elem(K::Flow)),
        "the flows declared in it",
    ),
    (
        Some(K::Conduit),
        "untrusted_medium",
        Derived::ConduitUntrustedMedium,
        || T::Bool,
        "its medium is a public, cellular or satellite network",
    ),
    (
        Some(K::Component),
        "zone",
        Derived::ComponentZone,
        || T::elem(K::Zone),
        "its zone, however declared",
    ),
    (
        Some(K::Component),
        "kind",
        Derived::ComponentKind,
        || T::Word(vocab::COMPONENT_KINDS),
        "its IEC 62443-4-2 kind",
    ),
    (
        Some(K::Component),
        "product",
        Derived::ComponentProduct,
        || T::elem(K::Product),
        "the product it instantiates, or none",
    ),
    (
        Some(K::Component),
        "flows",
        Derived::ComponentFlows,
        || T::list(T::elem(K::Flow)),
        "flows from or to it",
    ),
    (
        Some(K::Component),
        "flows_in",
        Derived::ComponentFlowsIn,
        || T::list(T::elem(K::Flow)),
        "flows to it (and two-way flows)",
    ),
    (
        Some(K::Component),
        "flows_out",
        Derived::ComponentFlowsOut,
        || T::list(T::elem(K::Flow)),
        "flows from it (and two-way flows)",
    ),
    (
        Some(K::Component),
        "enforces",
        Derived::ComponentEnforces,
        || T::list(T::elem(K::Conduit)),
        "conduits it is a boundary device of",
    ),
    (
        Some(K::Component),
        "hosted",
        Derived::ComponentHosted,
        || T::list(T::elem(K::Component)),
        "applications whose `host` it is",
    ),
    (
        Some(K::Flow),
        "source",
        Derived::FlowSource,
        || T::elem(K::Component),
        "the source component",
    ),
    (
        Some(K::Flow),
        "destination",
        Derived::FlowDestination,
        || T::elem(K::Component),
        "the destination component",
    ),
    (
        Some(K::Flow),
        "conduit",
        Derived::FlowConduit,
        || T::elem(K::Conduit),
        "the conduit it belongs to",
    ),
    (
        Some(K::Flow),
        "both_ways",
        Derived::FlowBothWays,
        || T::Bool,
        "declared with `<->`",
    ),
    (
        Some(K::Flow),
        "source_zone",
        Derived::FlowSourceZone,
        || T::elem(K::Zone),
        "the source's zone",
    ),
    (
        Some(K::Flow),
        "destination_zone",
        Derived::FlowDestinationZone,
        || T::elem(K::Zone),
        "the destination's zone",
    ),
    (
        Some(K::Role),
        "zones",
        Derived::RoleZones,
        || T::list(T::elem(K::Zone)),
        "zones it holds permissions in",
    ),
];

pub fn property(kind: K, name: &str) -> Option<(Derived, T)> {
    PROPERTIES
        .iter()
        .find(|(k, n, ..)| *n == name && k.is_none_or(|k| k == kind))
        .map(|(_, _, d, ty, _)| (*d, ty()))
}

pub fn property_names(kind: K) -> impl Iterator<Item = &'static str> {
    PROPERTIES
        .iter()
        .filter(move |(k, ..)| k.is_none_or(|k| k == kind))
        .map(|(_, n, ..)| *n)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Count,
    Any,
    All,
    NoneOf,
    Filter,
    ZoneOf,
    Reaches,
    Path,
    ConduitsBetween,
    SlDistance,
    Abs,
    Len,
    Lower,
    Today,
    Has,
    Selected,
    Join,
    Map,
    Flatten,
    Distinct,
    Min,
    Max,
    SlSum,
    Within,
    First,
    Missing,
    Unmet,
    Compensated,
    EvidenceMissing,
    Serves,
    Servers,
    FlowsTo,
    RolesIn,
    EvidenceFor,
    EvidenceInside,
    Reachable,
}

/// (name, function, accepted argument counts, whether the last argument is a lambda, doc)
pub const FUNCTIONS: &[(&str, Builtin, &[usize], bool, &str)] = &[
    (
        "count",
        Builtin::Count,
        &[1, 2],
        true,
        "`count(list)` or `count(list, x: condition)`: how many items (match)",
    ),
    (
        "any",
        Builtin::Any,
        &[2],
        true,
        "`any(list, x: condition)`: whether some item matches",
    ),
    (
        "all",
        Builtin::All,
        &[2],
        true,
        "`all(list, x: condition)`: whether every item matches",
    ),
    (
        "none",
        Builtin::NoneOf,
        &[2],
        true,
        "`none(list, x: condition)`: whether no item matches",
    ),
    (
        "filter",
        Builtin::Filter,
        &[2],
        true,
        "`filter(list, x: condition)`: the matching items",
    ),
    (
        "zone_of",
        Builtin::ZoneOf,
        &[1],
        false,
        "`zone_of(element)`: the zone of a component, flow source or sub-zone",
    ),
    (
        "reaches",
        Builtin::Reaches,
        &[2],
        false,
        "`reaches(zone_a, zone_b)`: whether conduits connect the zones, through any zones",
    ),
    (
        "path",
        Builtin::Path,
        &[2, 3],
        true,
        "`path(a, b)` or `path(a, b, z: may_cross)`: a shortest path of conduits from zone a to zone b whose intermediate zones all satisfy the condition, or none",
    ),
    (
        "conduits_between",
        Builtin::ConduitsBetween,
        &[2],
        false,
        "`conduits_between(zone_a, zone_b)`: conduits joining both",
    ),
    (
        "sl_distance",
        Builtin::SlDistance,
        &[2],
        false,
        "`sl_distance(sl_a, sl_b)`: the largest difference between the two vectors in any FR",
    ),
    ("abs", Builtin::Abs, &[1], false, "`abs(number)`"),
    ("len", Builtin::Len, &[1], false, "`len(string or list)`"),
    ("lower", Builtin::Lower, &[1], false, "`lower(string)`"),
    (
        "today",
        Builtin::Today,
        &[0],
        false,
        "`today()`: the date of the run",
    ),
    (
        "has",
        Builtin::Has,
        &[1],
        false,
        "`has(value)`: whether it is set (not none, not an empty list)",
    ),
    (
        "selected",
        Builtin::Selected,
        &[2],
        false,
        "`selected(\"SR 5.2 RE 1\", element)`: whether the element's SL-T selects the requirement",
    ),
    (
        "join",
        Builtin::Join,
        &[1, 2],
        false,
        "`join(list)` or `join(list, separator)`: the items as text, separated by \", \" unless given",
    ),
    (
        "map",
        Builtin::Map,
        &[2],
        true,
        "`map(list, x: expression)`: the expression for each item",
    ),
    (
        "flatten",
        Builtin::Flatten,
        &[1],
        false,
        "`flatten(list of lists)`: one list",
    ),
    (
        "distinct",
        Builtin::Distinct,
        &[1],
        false,
        "`distinct(list)`: the items without repeats, first occurrence kept",
    ),
    (
        "min",
        Builtin::Min,
        &[1],
        false,
        "`min(list of numbers)`, or none for an empty list",
    ),
    (
        "max",
        Builtin::Max,
        &[1],
        false,
        "`max(list of numbers)`, or none for an empty list",
    ),
    (
        "sl_sum",
        Builtin::SlSum,
        &[1],
        false,
        "`sl_sum(vector)`: the sum of the seven levels, to rank zones",
    ),
    (
        "within",
        Builtin::Within,
        &[2],
        false,
        "`within(element, zone_or_conduit)`: whether it is that element or lies inside it",
    ),
    (
        "first",
        Builtin::First,
        &[1],
        false,
        "`first(list)`: the first item as a one-item list (empty for an empty list), for model-wide checks",
    ),
    (
        "missing",
        Builtin::Missing,
        &[2],
        false,
        "`missing(element, [\"owner\", \"sl_target\"])`: the named attributes the element does not set",
    ),
    (
        "unmet",
        Builtin::Unmet,
        &[2],
        false,
        "`unmet(component, fr)`: capability requirements of that FR the component does not meet at its zone's SL-T (SL-C, `provides` and compensations counted)",
    ),
    (
        "compensated",
        Builtin::Compensated,
        &[2],
        false,
        "`compensated(component, fr)`: capability requirements of that FR whose gap a compensation covers",
    ),
    (
        "evidence_missing",
        Builtin::EvidenceMissing,
        &[1],
        false,
        "`evidence_missing(zone)`: evidence-checked requirements selected at the zone's SL-T with no evidence record in scope",
    ),
    (
        "serves",
        Builtin::Serves,
        &[2],
        false,
        "`serves(component, zone)`: whether an infrastructure component serves the zone: it lies in the zone, or its `serves` lists the zone (or a zone around it), or, when it sets no `serves`, a flow joins it with a component of the zone",
    ),
    (
        "servers",
        Builtin::Servers,
        &[1],
        false,
        "`servers(zone)`: the components that serve the zone (those for which `serves(c, zone)` holds), from an index: `any(servers(z), s: backup in s.functions)` asks what `any(filter(components, b: backup in b.functions), b: serves(b, z))` asks, without a scan of every component per zone",
    ),
    (
        "flows_to",
        Builtin::FlowsTo,
        &[1],
        false,
        "`flows_to(zone)`: the flows whose destination lies in the zone itself (not in a sub-zone), that is `filter(flows, f: f.destination.zone == zone)`, from an index",
    ),
    (
        "roles_in",
        Builtin::RolesIn,
        &[1],
        false,
        "`roles_in(zone)`: the roles holding permissions in the zone or in a zone around it, that is `filter(roles, r: any(r.zones, y: within(zone, y)))`, from an index",
    ),
    (
        "evidence_for",
        Builtin::EvidenceFor,
        &[2],
        false,
        "`evidence_for(\"SR 7.3\", element)`: the evidence records for the requirement that cover the element: no `scope`, or a scope entry that is the element or lies around it (`within(element, s)`), from an index",
    ),
    (
        "evidence_inside",
        Builtin::EvidenceInside,
        &[2],
        false,
        "`evidence_inside(\"SR 7.3\", element)`: the evidence records for the requirement whose scope lists the element or something inside it (`within(s, element)`), from an index",
    ),
    (
        "reachable",
        Builtin::Reachable,
        &[1, 2],
        true,
        "`reachable(zone)` or `reachable(zone, z: may_cross)`: the zones `path(zone, x)` (with the same condition) finds a path to, the zone itself included, in model order: loop over these rather than over every zone to find pairs that a path joins",
    ),
];
