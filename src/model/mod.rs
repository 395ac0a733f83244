//! The model: the resolved, typed architecture that policies query.
//!
//! Lowering turns syntax trees into [`Element`]s, checks every attribute against the
//! [`vocabulary`], resolves references by scope and builds the [`graph`]. The model does no IO:
//! the workspace loader hands it parsed files, so the CLI and the language server (with unsaved
//! buffers) build models the same way.

mod attrs;
pub mod diff;
pub mod graph;
mod lower;
pub mod records;
pub mod reqid;
mod resolve;
pub mod value;
pub mod vocabulary;
pub mod workspace;

use std::collections::BTreeMap;

use std::hash::BuildHasher;
use std::sync::OnceLock;

use hashbrown::HashTable;

pub use attrs::Attrs;
pub use graph::{Edge, ModelGraph};
pub use lower::{LoweredFile, Lowering, build};
pub use value::{Date, FR_NAMES, SlVector, Value};
pub use vocabulary::ElementKind;

use crate::diagnostics::{FileId, SourceMap};
use crate::syntax::Span;

/// Index of an element in [`Model::elements`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct ElemId(pub u32);

/// Where something was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Location {
    pub file: FileId,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub value: Value,
    /// The whole `name = value` entry.
    pub at: Location,
    /// Just the value, for labels that point at what is wrong.
    pub value_at: Location,
    /// Taken from the component's product rather than written on the component.
    pub inherited: bool,
}

/// `suppress "rule" { reason = "..." }`
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    pub rule: String,
    pub reason: String,
    pub at: Location,
    /// The element it sits in; `None` for a file-level suppression.
    pub element: Option<ElemId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub kind: ElementKind,
    /// The id as written.
    pub id: String,
    /// The id qualified by its enclosing sites, zones and conduits: `site_a.control.plc1`.
    pub qid: String,
    pub title: Option<String>,
    /// The `///` comment above the item.
    pub doc: Option<String>,
    /// The enclosing site, zone or conduit.
    pub parent: Option<ElemId>,
    /// The whole item.
    pub at: Location,
    /// The item's name, the usual place to underline.
    pub name_at: Location,
    pub attrs: Attrs,
    pub custom: BTreeMap<String, Attr>,
    /// For components and products: the IEC 62443-4-2 kind.
    pub component_kind: Option<&'static str>,
    /// For components: the product it instantiates.
    pub product: Option<ElemId>,
    /// For flows: source, destination, and whether it runs both ways.
    pub endpoints: Option<Endpoints>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoints {
    pub source: ElemId,
    pub destination: ElemId,
    pub both_ways: bool,
    pub at: Location,
}

impl Element {
    /// Asks the processor to load the element's attribute header into cache.
    pub fn prefetch(&self) {
        prefetch(&raw const self.attrs);
    }
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.get(name)
    }
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.attrs.get(name).map(|a| &a.value)
    }
    pub fn word(&self, name: &str) -> Option<&'static str> {
        self.value(name).and_then(Value::as_word)
    }
    pub fn flag(&self, name: &str) -> bool {
        self.value(name).and_then(Value::as_bool).unwrap_or(false)
    }
    pub fn sl(&self, name: &str) -> Option<SlVector> {
        self.value(name).and_then(Value::as_sl)
    }
    /// A name for messages: the qualified id.
    pub fn display(&self) -> &str {
        &self.qid
    }
}

/// A path in the source that lowering resolved to an element. The language server reads these
/// for go-to-definition, find-references and rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub file: FileId,
    /// Each segment of the path as written: `site_a.control.plc1` has three. The last names
    /// `target`; each one before it names the element one level further out.
    pub segments: Segments,
    pub target: ElemId,
}

/// The spans of a path's segments. Most paths have one or two, kept in place: a model has a
/// reference for nearly every attribute that names an element, and a vector each was an
/// allocation each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segments {
    Inline { spans: [Span; 2], len: u8 },
    Spilled(Box<[Span]>),
}

impl FromIterator<Span> for Segments {
    fn from_iter<I: IntoIterator<Item = Span>>(spans: I) -> Segments {
        let mut inline = [Span::default(); 2];
        let mut spans = spans.into_iter();
        for (len, slot) in inline.iter_mut().enumerate() {
            match spans.next() {
                Some(span) => *slot = span,
                None => {
                    let len = len as u8;
                    return Segments::Inline { spans: inline, len };
                }
            }
        }
        match spans.next() {
            None => Segments::Inline {
                spans: inline,
                len: 2,
            },
            Some(third) => {
                Segments::Spilled(inline.into_iter().chain([third]).chain(spans).collect())
            }
        }
    }
}

impl std::ops::Deref for Segments {
    type Target = [Span];
    fn deref(&self) -> &[Span] {
        match self {
            Segments::Inline { spans, len } => &spans[..usize::from(*len)],
            Segments::Spilled(spans) => spans,
        }
    }
}

/// Elements by qualified id. The table holds element numbers and compares against
/// [`Element::qid`], instead of keeping a second copy of every qualified id as a map key; the
/// hashes are computed while files are lowered, in parallel.
#[derive(Debug, Default)]
struct QidIndex {
    table: HashTable<ElemId>,
    hasher: resolve::TextHasher,
}

impl QidIndex {
    fn with_capacity(elements: usize, hasher: resolve::TextHasher) -> QidIndex {
        QidIndex {
            table: HashTable::with_capacity(elements),
            hasher,
        }
    }

    /// Adds an element whose qualified id (unique in a model) hashes to `hash`.
    fn insert(&mut self, hash: u64, id: ElemId, elements: &[Element]) {
        let hasher = &self.hasher;
        self.table.insert_unique(hash, id, |e| {
            hasher.hash_one(elements[e.0 as usize].qid.as_str())
        });
    }
}

/// The items declared directly inside each element, in source order, all in one vector: an
/// element's children are `list[starts[e]..starts[e + 1]]`. (A map of vectors cost an
/// allocation per element with children.)
#[derive(Debug, Default)]
struct Children {
    starts: Vec<u32>,
    list: Vec<ElemId>,
}

impl Children {
    fn from_parents(elements: &[Element]) -> Children {
        let mut starts = vec![0u32; elements.len() + 1];
        for parent in elements.iter().filter_map(|e| e.parent) {
            starts[parent.0 as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut list = vec![ElemId(0); elements.len()];
        // Elements come in id order, so each element's children land in declaration order.
        for (index, element) in elements.iter().enumerate() {
            if let Some(parent) = element.parent {
                let slot = &mut next[parent.0 as usize];
                list[*slot as usize] = ElemId(index as u32);
                *slot += 1;
            }
        }
        list.truncate(starts[elements.len()] as usize);
        Children { starts, list }
    }

    fn of(&self, id: ElemId) -> &[ElemId] {
        let index = id.0 as usize;
        match (self.starts.get(index), self.starts.get(index + 1)) {
            (Some(&start), Some(&end)) => &self.list[start as usize..end as usize],
            _ => &[],
        }
    }
}

#[derive(Debug, Default)]
pub struct Model {
    pub sources: SourceMap,
    pub elements: Vec<Element>,
    by_qid: QidIndex,
    pub suppressions: Vec<Suppression>,
    /// Every resolved reference, in the order lowering met them.
    pub references: Vec<Reference>,
    pub graph: ModelGraph,
    /// For each element, its zone: a component's zone, a zone's enclosing zone.
    zone_of: Vec<Option<ElemId>>,
    by_kind: BTreeMap<ElementKind, Vec<ElemId>>,
    children: Children,
    /// Built on first use by [`Model::records`].
    records: OnceLock<records::RecordIndex>,
}

impl Model {
    /// A model with files but no elements: what a joined multi-workspace report carries.
    pub fn with_sources(sources: SourceMap) -> Model {
        Model {
            sources,
            ..Model::default()
        }
    }

    pub fn element(&self, id: ElemId) -> &Element {
        &self.elements[id.0 as usize]
    }
    pub fn lookup(&self, qid: &str) -> Option<ElemId> {
        let hash = self.by_qid.hasher.hash_one(qid);
        let elements = &self.elements;
        self.by_qid
            .table
            .find(hash, |&id| elements[id.0 as usize].qid == qid)
            .copied()
    }
    /// Every element of one kind, in source order.
    pub fn all(&self, kind: ElementKind) -> &[ElemId] {
        self.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    }
    pub fn ids(&self) -> impl Iterator<Item = ElemId> + '_ {
        (0..self.elements.len() as u32).map(ElemId)
    }
    /// The zone a component belongs to (declared in it or named by `zone =`), or the zone that
    /// encloses a zone.
    pub fn zone_of(&self, id: ElemId) -> Option<ElemId> {
        self.zone_of.get(id.0 as usize).copied().flatten()
    }
    /// Items declared directly inside an element.
    pub fn children(&self, id: ElemId) -> &[ElemId] {
        self.children.of(id)
    }
    /// Components whose zone is `zone` (not those of its sub-zones).
    pub fn components_in(&self, zone: ElemId) -> Vec<ElemId> {
        self.graph.components_in(zone)
    }
    /// Flows declared in a conduit.
    pub fn flows_of(&self, conduit: ElemId) -> Vec<ElemId> {
        self.children(conduit)
            .iter()
            .copied()
            .filter(|c| self.element(*c).kind == ElementKind::Flow)
            .collect()
    }
    /// The conduit a flow belongs to.
    pub fn conduit_of(&self, flow: ElemId) -> Option<ElemId> {
        self.element(flow).parent
    }
    /// The element itself, then each element that encloses it, innermost first: a component's
    /// or zone's zone (or, outside any zone, its site), a flow's conduit, and so on up.
    pub fn enclosing(&self, id: ElemId) -> impl Iterator<Item = ElemId> + '_ {
        std::iter::successors(Some(id), move |&e| {
            let element = self.element(e);
            match element.kind {
                ElementKind::Component | ElementKind::Zone => self.zone_of(e).or(element.parent),
                _ => element.parent,
            }
        })
    }
    /// Compensation and evidence records indexed for the capability and evidence checks.
    pub fn records(&self) -> &records::RecordIndex {
        self.records
            .get_or_init(|| records::RecordIndex::build(self))
    }
    /// The zones a conduit joins, in the order written.
    pub fn conduit_zones(&self, conduit: ElemId) -> Vec<ElemId> {
        self.element(conduit)
            .value("zones")
            .map(Value::refs)
            .unwrap_or_default()
    }
}

/// A hint that the memory at `at` will be read soon; no effect where the processor has no
/// prefetch instruction zonelint knows.
fn prefetch<T>(at: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing the program sees and cannot fault,
    // whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(at.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_keep_every_span_in_order_however_many() {
        for count in 0..5 {
            let spans: Vec<Span> = (0..count).map(|i| Span::new(i * 4, i * 4 + 3)).collect();
            let segments: Segments = spans.iter().copied().collect();
            assert_eq!(&*segments, spans.as_slice());
            assert_eq!(matches!(segments, Segments::Inline { .. }), count <= 2);
        }
    }
}
