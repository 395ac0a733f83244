//! Runs compiled policies over a model.
//!
//! Evaluation always terminates: loops only walk finite lists, there is no recursion in the
//! language, and every policy has a step budget. Graph questions are breadth-first searches,
//! cached per run where the question allows it.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use super::builtins::{Builtin, Derived, Global};
use super::catalogue::Catalogues;
use super::compile::{CArg, CExpr, CKind, CPart, CompiledPolicy, Field, Step};
use super::index::Indexes;
use crate::model::graph::Hop;
use crate::model::value::{Date, FR_NAMES};
use crate::model::{ElemId, Element, ElementKind, Location, Model, SlVector, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum V {
    None,
    Bool(bool),
    Num(f64),
    /// Shared, so that reading a literal or a requirement id copies a pointer, not the text.
    Str(Arc<str>),
    Word(&'static str),
    Date(Date),
    Sl(SlVector),
    Elem(ElemId),
    List(Rc<Vec<V>>),
    /// A path between zones: where it starts, and its hops.
    Path(ElemId, Rc<Vec<Hop>>),
    /// One hop, with the zone it leaves.
    Hop(ElemId, Hop),
    Service(Rc<V>, Option<u16>),
    Direction(ElemId, ElemId),
    Permission(ElemId, Rc<Vec<&'static str>>),
}

impl V {
    /// Whether an attribute value counts as set (an empty string or list does not).
    fn from_value_set(v: &Value) -> bool {
        match v {
            Value::Str(s) => !s.trim().is_empty(),
            Value::List(items) => !items.is_empty(),
            _ => true,
        }
    }

    fn truthy(&self) -> bool {
        match self {
            V::Bool(b) => *b,
            V::None => false,
            V::List(l) => !l.is_empty(),
            _ => true,
        }
    }
    /// The items of a list (or of a single value used as a list), sharing the list's storage.
    fn into_items(self) -> Rc<Vec<V>> {
        match self {
            V::List(items) => items,
            V::None => EMPTY.with(Rc::clone),
            other => Rc::new(other.items()),
        }
    }
    fn items(&self) -> Vec<V> {
        match self {
            V::List(items) => items.as_ref().clone(),
            V::None => Vec::new(),
            V::Path(_, hops) => hops.iter().map(|h| V::Elem(h.zone)).collect(),
            other => vec![other.clone()],
        }
    }
    fn text(&self) -> Option<&str> {
        match self {
            V::Str(s) => Some(s),
            V::Word(w) => Some(w),
            _ => None,
        }
    }
    fn num(&self) -> Option<f64> {
        match self {
            V::Num(n) => Some(*n),
            _ => None,
        }
    }
}

thread_local! {
    /// The empty list, shared: most look-ups find nothing, and an `Rc` of an empty vector would
    /// still cost an allocation each time.
    static EMPTY: Rc<Vec<V>> = Rc::new(Vec::new());
}

/// A list value; empty lists share one allocation.
fn list(items: Vec<V>) -> V {
    if items.is_empty() {
        V::List(EMPTY.with(Rc::clone))
    } else {
        V::List(Rc::new(items))
    }
}

/// One breach of a policy, before it becomes a diagnostic.
#[derive(Debug, Clone)]
pub struct Hit {
    pub message: String,
    pub element: ElemId,
    pub at: Location,
    pub at_label: String,
    pub labels: Vec<(Location, String)>,
    pub help: Option<String>,
    pub fix: Option<(String, ElemId, &'static str, String)>,
    /// What the policy's loops were bound to (other than the primary element), in loop order:
    /// with the primary element they make the finding's identity.
    pub bound: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct BudgetExceeded;

/// The evaluator's maps and sets are keyed by element ids and looked up for every item of a
/// loop; foldhash is several times cheaper per look-up than std's SipHash, and nothing here is
/// keyed by input an attacker could choose to collide.
type Map<K, T> = HashMap<K, T, foldhash::fast::FixedState>;
pub(super) type Set<K> = HashSet<K, foldhash::fast::FixedState>;

/// A breadth-first tree: zone -> (conduit it was entered by, zone it was entered from).
type BfsTree = Map<ElemId, (ElemId, ElemId)>;

/// Per-run caches shared by all policies.
#[derive(Default)]
pub struct Caches {
    /// (from zone, condition id) -> breadth-first tree: zone -> (conduit, previous zone)
    trees: RefCell<Map<(ElemId, usize), Rc<BfsTree>>>,
    reach: RefCell<Map<ElemId, Rc<Set<ElemId>>>>,
    /// Host device -> the applications whose `host` it is, built on first use.
    hosted: std::cell::OnceCell<Map<ElemId, Vec<ElemId>>>,
    /// Compensations that covered a gap inside `unmet`, so they are not reported as unused.
    pub used_compensations: RefCell<Set<ElemId>>,
    /// component -> the zones (and everything around them) its flows reach, for `serves`.
    flow_reach: RefCell<Map<ElemId, Rc<Set<ElemId>>>>,
}

impl Caches {
    fn hosted(&self, model: &Model) -> &Map<ElemId, Vec<ElemId>> {
        self.hosted.get_or_init(|| {
            let mut map: Map<ElemId, Vec<ElemId>> = Map::default();
            for &c in model.all(ElementKind::Component) {
                if let Some(host) = model.element(c).value("host").and_then(Value::as_ref) {
                    map.entry(host).or_default().push(c);
                }
            }
            map
        })
    }
}

pub struct Evaluator<'a> {
    pub model: &'a Model,
    pub catalogues: &'a Catalogues,
    pub caches: &'a Caches,
    /// Look-up tables shared by every policy of the run.
    pub indexes: &'a Indexes,
    pub budget: u64,
    pub today: Date,
    steps: u64,
    slots: Vec<V>,
    /// The running policy's requirement, looked up in the catalogues once per run.
    requirement: Option<&'a super::catalogue::Requirement>,
    /// Global collections as values, built once per evaluator: `roles` inside a loop
    /// would otherwise copy every role id on each iteration.
    globals: [Option<Rc<Vec<V>>>; GLOBAL_SLOTS],
}

/// One slot per element kind, and one for the FR names.
const GLOBAL_SLOTS: usize = ElementKind::ALL.len() + 1;

impl<'a> Evaluator<'a> {
    pub fn new(
        model: &'a Model,
        catalogues: &'a Catalogues,
        caches: &'a Caches,
        indexes: &'a Indexes,
        budget: u64,
        today: Date,
    ) -> Self {
        Evaluator {
            model,
            catalogues,
            caches,
            indexes,
            budget,
            today,
            steps: 0,
            slots: Vec::new(),
            requirement: None,
            globals: Default::default(),
        }
    }

    /// Every breach of `policy` in the model.
    pub fn run(&mut self, policy: &CompiledPolicy) -> Result<Vec<Hit>, BudgetExceeded> {
        self.steps = 0;
        self.slots = vec![V::None; policy.slots];
        let catalogues = self.catalogues;
        self.requirement = policy
            .requirement
            .as_deref()
            .and_then(|id| catalogues.get(id));
        let mut hits = Vec::new();
        self.steps_from(policy, 0, &mut hits)?;
        Ok(hits)
    }

    /// `n` steps at once, for work that stands for `n` evaluations without side effects.
    fn tick_n(&mut self, n: usize) -> Result<(), BudgetExceeded> {
        self.steps += n as u64;
        if self.steps > self.budget {
            Err(BudgetExceeded)
        } else {
            Ok(())
        }
    }

    fn tick(&mut self) -> Result<(), BudgetExceeded> {
        self.steps += 1;
        if self.steps > self.budget {
            Err(BudgetExceeded)
        } else {
            Ok(())
        }
    }

    fn steps_from(
        &mut self,
        policy: &CompiledPolicy,
        index: usize,
        hits: &mut Vec<Hit>,
    ) -> Result<(), BudgetExceeded> {
        let Some(step) = policy.steps.get(index) else {
            // Every filter passed and no requirement held it back: a breach, if the catalogue
            // selects the requirement for this element.
            if self.applies(policy)? {
                hits.push(self.hit(policy)?);
            }
            return Ok(());
        };
        match step {
            Step::For(slot, collection) => {
                let items = self.eval(collection)?.into_items();
                for (at, item) in items.iter().enumerate() {
                    self.prefetch_ahead(&items, at);
                    self.tick()?;
                    self.slots[*slot] = item.clone();
                    self.steps_from(policy, index + 1, hits)?;
                }
                Ok(())
            }
            Step::Where(condition) => {
                if self.truth(condition)? {
                    self.steps_from(policy, index + 1, hits)?;
                }
                Ok(())
            }
            Step::Let(slot, e) => {
                self.slots[*slot] = self.eval(e)?;
                self.steps_from(policy, index + 1, hits)
            }
            Step::Require(condition) => {
                if !self.truth(condition)? {
                    self.steps_from(policy, index + 1, hits)?;
                }
                Ok(())
            }
        }
    }

    /// Policies read a few attributes of each element of a list in turn, and the elements lie
    /// far apart in memory: while item `at` is evaluated, ask for the element four items ahead
    /// and for the attributes of the one two ahead (whose element was asked for two items
    /// ago), so that both are in cache when the loop gets there. A hint only: nothing is read.
    fn prefetch_ahead(&self, items: &[V], at: usize) {
        if let Some(V::Elem(ahead)) = items.get(at + 4) {
            self.model.element(*ahead).prefetch();
        }
        if let Some(V::Elem(next)) = items.get(at + 2) {
            self.model.element(*next).attrs.prefetch();
        }
    }

    /// Whether the policy's requirement is selected for the current binding.
    fn applies(&mut self, policy: &CompiledPolicy) -> Result<bool, BudgetExceeded> {
        let Some(requirement) = self.requirement else {
            return Ok(true);
        };
        let targets = match &policy.target {
            Some(t) => self.eval(t)?.items(),
            None => self
                .primary(policy)?
                .map(|(element, _)| vec![V::Elem(element)])
                .unwrap_or_default(),
        };
        Ok(targets
            .iter()
            .any(|t| matches!(t, V::Elem(e) if self.requirement_selected(requirement, *e))))
    }

    fn primary(
        &mut self,
        policy: &CompiledPolicy,
    ) -> Result<Option<(ElemId, Location)>, BudgetExceeded> {
        if let Some(at) = &policy.at {
            return self.locate(at);
        }
        for step in &policy.steps {
            if let Step::For(slot, _) = step
                && let V::Elem(e) = &self.slots[*slot]
            {
                let element = self.model.element(*e);
                return Ok(Some((*e, element.name_at)));
            }
        }
        Ok(None)
    }

    /// Where an expression points: an attribute's value, or an element's name.
    fn locate(&mut self, e: &CExpr) -> Result<Option<(ElemId, Location)>, BudgetExceeded> {
        if let CKind::Attr(base, name) = &e.kind
            && let V::Elem(id) = self.eval(base)?
        {
            let element = self.model.element(id);
            let at = element.attr(name).map_or(element.name_at, |a| a.value_at);
            return Ok(Some((id, at)));
        }
        Ok(match self.eval(e)? {
            V::Elem(id) => Some((id, self.model.element(id).name_at)),
            V::List(items) => items.iter().find_map(|v| match v {
                V::Elem(id) => Some((*id, self.model.element(*id).name_at)),
                _ => None,
            }),
            _ => None,
        })
    }

    fn hit(&mut self, policy: &CompiledPolicy) -> Result<Hit, BudgetExceeded> {
        let (element, at) = match self.primary(policy)? {
            Some(p) => p,
            None => (
                ElemId(0),
                Location {
                    file: crate::diagnostics::FileId(0),
                    span: Default::default(),
                },
            ),
        };
        let message = self.render(&policy.report)?;
        let at_label = match &policy.at_label {
            Some(t) => self.render(t)?,
            None => String::new(),
        };
        let mut labels = Vec::new();
        for (target, template) in &policy.labels {
            let text = self.render(template)?;
            match self.eval(target)? {
                V::Path(from, hops) => {
                    let mut previous = from;
                    for (i, hop) in hops.iter().enumerate() {
                        let conduit = self.model.element(hop.conduit);
                        let note = format!(
                            "{text}{}hop {}: `{}` to `{}`",
                            if text.is_empty() { "" } else { ", " },
                            i + 1,
                            self.model.element(previous).qid,
                            self.model.element(hop.zone).qid
                        );
                        labels.push((conduit.name_at, note));
                        previous = hop.zone;
                    }
                }
                V::List(items) if !matches!(target.kind, CKind::Attr(..)) => {
                    for item in items.iter() {
                        if let V::Elem(id) = item {
                            labels.push((self.model.element(*id).name_at, text.clone()));
                        }
                    }
                }
                _ => {
                    if let Some((_, loc)) = self.locate(target)? {
                        labels.push((loc, text));
                    }
                }
            }
        }
        let help = match &policy.help {
            Some(t) => Some(self.render(t)?),
            None => None,
        };
        let fix = match &policy.fix {
            Some(f) => match self.eval(&f.element)? {
                V::Elem(id) => Some((f.title.clone(), id, f.attribute, f.value.clone())),
                _ => None,
            },
            None => None,
        };
        let bound = policy
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::For(slot, _) => match &self.slots[*slot] {
                    V::Elem(e) if *e == element => None,
                    other => Some(self.display(other)),
                },
                _ => None,
            })
            .collect();
        Ok(Hit {
            message,
            element,
            at,
            at_label,
            labels,
            help,
            fix,
            bound,
        })
    }

    fn render(&mut self, parts: &[CPart]) -> Result<String, BudgetExceeded> {
        // Room for the text and a qualified id or so per hole, so the string rarely grows.
        let room: usize = parts
            .iter()
            .map(|p| match p {
                CPart::Text(t) => t.len(),
                CPart::Hole(_) => 32,
            })
            .sum();
        let mut out = String::with_capacity(room);
        for part in parts {
            match part {
                CPart::Text(t) => out.push_str(t),
                CPart::Hole(e) => {
                    let v = self.eval(e)?;
                    self.write_display(&mut out, &v);
                }
            }
        }
        Ok(out)
    }

    pub fn display(&self, v: &V) -> String {
        let mut out = String::new();
        self.write_display(&mut out, v);
        out
    }

    /// Appends a value as messages show it. Messages are built straight into one string:
    /// a finding's message names four or five elements, and a string per name added up.
    fn write_display(&self, out: &mut String, v: &V) {
        use std::fmt::Write;
        let qid = |e: ElemId| self.model.element(e).qid.as_str();
        let _ = match v {
            V::None => out.write_str("none"),
            V::Bool(b) => write!(out, "{b}"),
            V::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(out, "{}", *n as i64),
            V::Num(n) => write!(out, "{n}"),
            V::Str(s) => out.write_str(s),
            V::Word(w) => out.write_str(w),
            V::Date(d) => write!(out, "{d}"),
            V::Sl(sl) => write!(out, "{sl}"),
            V::Elem(e) => out.write_str(qid(*e)),
            V::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.write_display(out, item);
                }
                Ok(())
            }
            V::Path(from, hops) => {
                out.push_str(qid(*from));
                for h in hops.iter() {
                    out.push_str(" -> ");
                    out.push_str(qid(h.zone));
                }
                Ok(())
            }
            V::Hop(from, hop) => write!(out, "{} -> {}", qid(*from), qid(hop.zone)),
            V::Service(p, port) => {
                self.write_display(out, p);
                match port {
                    Some(port) => write!(out, ":{port}"),
                    None => Ok(()),
                }
            }
            V::Direction(a, b) => write!(out, "{} -> {}", qid(*a), qid(*b)),
            V::Permission(z, rights) => write!(out, "{}: {}", qid(*z), rights.join(", ")),
        };
    }

    pub fn eval(&mut self, e: &CExpr) -> Result<V, BudgetExceeded> {
        self.tick()?;
        self.eval_counted(e)
    }

    /// [`Evaluator::eval`] once its step is counted. The common forms are answered here; the
    /// rest go to [`Evaluator::eval_rare`], which keeps this function (entered for every node of
    /// every expression) small.
    fn eval_counted(&mut self, e: &CExpr) -> Result<V, BudgetExceeded> {
        use super::ast::BinOp as B;
        Ok(match &e.kind {
            CKind::Var(slot) => self.slots[*slot].clone(),
            CKind::Attr(base, name) => match self.element(base)? {
                Some(id) => self
                    .model
                    .element(id)
                    .value(name)
                    .map_or(V::None, |v| self.value(v)),
                None => V::None,
            },
            CKind::Prop(base, d) => match self.element(base)? {
                Some(id) => self.derived(id, *d),
                None => V::None,
            },
            CKind::Call(builtin, args) => self.call(*builtin, args)?,
            CKind::Binary(op @ (B::Add | B::Sub), l, r) => self.arithmetic(*op, l, r)?,
            CKind::Binary(op, l, r) => V::Bool(self.condition(*op, l, r)?),
            CKind::Not(inner) => V::Bool(!self.truth(inner)?),
            CKind::Str(s) => V::Str(s.clone()),
            CKind::Word(w) => V::Word(w),
            CKind::Global(g) => self.global(*g),
            _ => self.eval_rare(e)?,
        })
    }

    /// Whether a condition holds: `eval(e)?.truthy()`, without building a value for the
    /// comparisons and connectives that conditions are made of.
    fn truth(&mut self, e: &CExpr) -> Result<bool, BudgetExceeded> {
        use super::ast::BinOp as B;
        self.tick()?;
        match &e.kind {
            CKind::Binary(op, l, r) if !matches!(op, B::Add | B::Sub) => self.condition(*op, l, r),
            CKind::Not(inner) => Ok(!self.truth(inner)?),
            _ => Ok(self.eval_counted(e)?.truthy()),
        }
    }

    /// The element an expression evaluates to, if it is one: `eval` for the base of an
    /// attribute or property, counting the same steps, without copying a variable's value.
    fn element(&mut self, e: &CExpr) -> Result<Option<ElemId>, BudgetExceeded> {
        if let CKind::Var(slot) = e.kind {
            self.tick()?;
            return Ok(match self.slots[slot] {
                V::Elem(id) => Some(id),
                _ => None,
            });
        }
        Ok(match self.eval(e)? {
            V::Elem(id) => Some(id),
            _ => None,
        })
    }

    #[inline(never)]
    fn eval_rare(&mut self, e: &CExpr) -> Result<V, BudgetExceeded> {
        Ok(match &e.kind {
            CKind::None => V::None,
            CKind::Bool(b) => V::Bool(*b),
            CKind::Num(n) => V::Num(*n),
            CKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(self.eval(i)?);
                }
                list(out)
            }
            CKind::Custom(base, name) => match self.element(base)? {
                Some(id) => self
                    .model
                    .element(id)
                    .custom
                    .get(name)
                    .map_or(V::None, |a| self.value(&a.value)),
                None => V::None,
            },
            CKind::Fr(base, i) => match self.eval(base)? {
                V::Sl(sl) => V::Num(f64::from(sl.get(*i))),
                _ => V::None,
            },
            CKind::Index(base, index) => {
                let b = self.eval(base)?;
                let i = self.eval(index)?;
                match (b, i) {
                    (V::Sl(sl), fr) => match fr
                        .text()
                        .and_then(crate::model::value::fr_index)
                        .or_else(|| fr.num().map(|n| n as usize))
                    {
                        Some(i) if i < 7 => V::Num(f64::from(sl.get(i))),
                        _ => V::None,
                    },
                    (V::List(items), V::Num(n)) if n >= 0.0 => {
                        items.get(n as usize).cloned().unwrap_or(V::None)
                    }
                    _ => V::None,
                }
            }
            CKind::Field(base, f) => {
                let b = self.eval(base)?;
                self.field(b, *f)
            }
            CKind::Var(_)
            | CKind::Attr(..)
            | CKind::Prop(..)
            | CKind::Call(..)
            | CKind::Binary(..)
            | CKind::Not(_)
            | CKind::Str(_)
            | CKind::Word(_)
            | CKind::Global(_) => self.eval_counted(e)?,
        })
    }

    fn global(&mut self, g: Global) -> V {
        let model = self.model;
        let slot = match g {
            Global::Of(kind) => kind as usize,
            Global::Frs => GLOBAL_SLOTS - 1,
        };
        let items = self.globals[slot].get_or_insert_with(|| {
            Rc::new(match g {
                Global::Of(kind) => model.all(kind).iter().map(|e| V::Elem(*e)).collect(),
                Global::Frs => FR_NAMES.iter().map(|n| V::Word(n)).collect(),
            })
        });
        V::List(items.clone())
    }

    fn value(&self, v: &Value) -> V {
        match v {
            Value::Bool(b) => V::Bool(*b),
            Value::Int(i) => V::Num(*i as f64),
            Value::Number(n) => V::Num(*n),
            Value::Str(s) => V::Str(Arc::from(s.as_str())),
            Value::Word(w) => V::Word(w),
            Value::Date(d) => V::Date(*d),
            Value::Ref(id) => V::Elem(*id),
            Value::List(items) => list(items.iter().map(|i| self.value(i)).collect()),
            Value::Sl(sl) => V::Sl(*sl),
            Value::Service { protocol, port } => V::Service(Rc::new(self.value(protocol)), *port),
            Value::Direction { from, to, .. } => V::Direction(*from, *to),
            Value::Permissions(entries) => list(
                entries
                    .iter()
                    .map(|(z, r)| V::Permission(*z, Rc::new(r.clone())))
                    .collect(),
            ),
        }
    }

    fn elems(ids: impl IntoIterator<Item = ElemId>) -> V {
        list(ids.into_iter().map(V::Elem).collect())
    }

    fn derived(&self, id: ElemId, d: Derived) -> V {
        let m = self.model;
        let e: &Element = m.element(id);
        let opt = |x: Option<ElemId>| x.map_or(V::None, V::Elem);
        let text = |s: &Option<String>| {
            s.as_ref()
                .map_or(V::None, |s| V::Str(Arc::from(s.as_str())))
        };
        match d {
            Derived::Id => V::Str(Arc::from(e.id.as_str())),
            Derived::Qid => V::Str(Arc::from(e.qid.as_str())),
            Derived::Title => text(&e.title),
            Derived::Doc => text(&e.doc),
            Derived::ZoneComponents => Self::elems(m.components_in(id)),
            Derived::ZoneAllComponents => {
                let mut all = Vec::new();
                let mut stack = vec![id];
                while let Some(z) = stack.pop() {
                    all.extend(m.components_in(z));
                    stack.extend(m.graph.subzones(z));
                }
                Self::elems(all)
            }
            Derived::ZoneConduits => Self::elems(m.graph.conduits_of(id)),
            Derived::ZoneNeighbours => {
                let mut zones: Vec<ElemId> =
                    m.graph.neighbours(id).into_iter().map(|h| h.zone).collect();
                zones.sort_unstable();
                zones.dedup();
                Self::elems(zones)
            }
            Derived::ZoneSubzones => Self::elems(m.graph.subzones(id)),
            Derived::ZoneParent => opt(m.zone_of(id)),
            Derived::ZoneUntrusted => V::Bool(zone_untrusted(e)),
            Derived::ZoneSafety => V::Bool(
                e.value("safety")
                    .and_then(Value::as_bool)
                    .unwrap_or(e.word("kind") == Some("safety")),
            ),
            Derived::ConduitFlows => Self::elems(m.flows_of(id)),
            Derived::ConduitUntrustedMedium => V::Bool(matches!(
                e.word("medium"),
                Some("public-network" | "cellular" | "satellite")
            )),
            Derived::ComponentZone => opt(m.zone_of(id)),
            Derived::ComponentKind => e.component_kind.map_or(V::None, V::Word),
            Derived::ComponentProduct => opt(e.product),
            Derived::ComponentFlows | Derived::ComponentFlowsIn | Derived::ComponentFlowsOut => {
                use petgraph::Direction::{Incoming, Outgoing};
                let out = m.graph.flows_at(id, Outgoing);
                let inc = m.graph.flows_at(id, Incoming);
                let both_ways = |f: &ElemId| m.element(*f).endpoints.is_some_and(|x| x.both_ways);
                let mut flows: Vec<ElemId> = match d {
                    Derived::ComponentFlowsIn => inc
                        .into_iter()
                        .chain(out.into_iter().filter(both_ways))
                        .collect(),
                    Derived::ComponentFlowsOut => out
                        .into_iter()
                        .chain(inc.into_iter().filter(both_ways))
                        .collect(),
                    _ => out.into_iter().chain(inc).collect(),
                };
                flows.sort_unstable();
                flows.dedup();
                Self::elems(flows)
            }
            Derived::ComponentEnforces => Self::elems(m.graph.conduits_enforced_by(id)),
            Derived::ComponentHosted => {
                Self::elems(self.caches.hosted(m).get(&id).cloned().unwrap_or_default())
            }
            Derived::FlowSource => opt(e.endpoints.map(|x| x.source)),
            Derived::FlowDestination => opt(e.endpoints.map(|x| x.destination)),
            Derived::FlowConduit => opt(e.parent),
            Derived::FlowBothWays => V::Bool(e.endpoints.is_some_and(|x| x.both_ways)),
            Derived::FlowSourceZone => opt(e.endpoints.and_then(|x| m.zone_of(x.source))),
            Derived::FlowDestinationZone => opt(e.endpoints.and_then(|x| m.zone_of(x.destination))),
            Derived::RoleZones => match e.value("permissions") {
                Some(Value::Permissions(entries)) => {
                    Self::elems(entries.iter().map(|(z, _)| *z).collect::<Vec<_>>())
                }
                _ => list(Vec::new()),
            },
        }
    }

    fn field(&self, b: V, f: Field) -> V {
        match (b, f) {
            (V::Hop(_, h), Field::HopConduit) => V::Elem(h.conduit),
            (V::Hop(_, h), Field::HopZone) => V::Elem(h.zone),
            (V::Hop(from, _), Field::HopFrom) => V::Elem(from),
            (V::Path(from, hops), Field::PathHops) => {
                let mut previous = from;
                let mut out = Vec::new();
                for h in hops.iter() {
                    out.push(V::Hop(previous, *h));
                    previous = h.zone;
                }
                list(out)
            }
            (V::Path(from, hops), Field::PathZones) => Self::elems(
                std::iter::once(from)
                    .chain(hops.iter().map(|h| h.zone))
                    .collect::<Vec<_>>(),
            ),
            (V::Path(_, hops), Field::PathConduits) => {
                Self::elems(hops.iter().map(|h| h.conduit).collect::<Vec<_>>())
            }
            (V::Path(_, hops), Field::PathLength) => V::Num(hops.len() as f64),
            (V::Service(p, _), Field::ServiceProtocol) => (*p).clone(),
            (V::Service(_, port), Field::ServicePort) => {
                port.map_or(V::None, |p| V::Num(f64::from(p)))
            }
            (V::Direction(a, _), Field::DirectionFrom) => V::Elem(a),
            (V::Direction(_, b), Field::DirectionTo) => V::Elem(b),
            (V::Permission(z, _), Field::PermissionZone) => V::Elem(z),
            (V::Permission(_, r), Field::PermissionRights) => {
                list(r.iter().map(|w| V::Word(w)).collect())
            }
            _ => V::None,
        }
    }

    fn lambda_matches(
        &mut self,
        slot: usize,
        body: &CExpr,
        item: V,
    ) -> Result<bool, BudgetExceeded> {
        self.slots[slot] = item;
        self.truth(body)
    }

    fn call(&mut self, builtin: Builtin, args: &[CArg]) -> Result<V, BudgetExceeded> {
        // `has(x.attribute)`, the commonest guard, asks the model directly instead of copying
        // the value out first.
        if builtin == Builtin::Has
            && let Some(CArg::Expr(CExpr {
                kind: CKind::Attr(base, name),
                ..
            })) = args.first()
        {
            self.tick()?;
            let set = match self.element(base)? {
                Some(id) => self.model.element(id).value(name).is_some_and(is_set),
                None => false,
            };
            return Ok(V::Bool(set));
        }
        let first = match args.first() {
            Some(CArg::Expr(e)) => self.eval(e)?,
            _ => V::None,
        };
        let lambda = match args.last() {
            Some(CArg::Lambda(slot, body)) => Some((*slot, body)),
            _ => None,
        };
        let second = match args.get(1) {
            Some(CArg::Expr(e)) => self.eval(e)?,
            _ => V::None,
        };
        Ok(match builtin {
            Builtin::Count | Builtin::Any | Builtin::All | Builtin::NoneOf | Builtin::Filter => {
                let items = first.into_items();
                let Some((slot, body)) = lambda else {
                    // `count(list)`: no condition to evaluate.
                    return Ok(V::Num(items.len() as f64));
                };
                // `any`, `all` and `none` stop at the first item that decides them.
                let mut matching = Vec::new();
                let mut matched = 0usize;
                for (at, item) in items.iter().enumerate() {
                    self.prefetch_ahead(&items, at);
                    self.tick()?;
                    if self.lambda_matches(slot, body, item.clone())? {
                        matched += 1;
                        match builtin {
                            Builtin::Any | Builtin::NoneOf => break,
                            Builtin::Filter => matching.push(item.clone()),
                            _ => {}
                        }
                    } else if builtin == Builtin::All {
                        break;
                    }
                }
                match builtin {
                    Builtin::Count => V::Num(matched as f64),
                    Builtin::Any => V::Bool(matched > 0),
                    Builtin::All => V::Bool(matched == items.len()),
                    Builtin::NoneOf => V::Bool(matched == 0),
                    _ => list(matching),
                }
            }
            Builtin::ZoneOf => match first {
                V::Elem(id) => {
                    let e = self.model.element(id);
                    match e.kind {
                        ElementKind::Flow => e
                            .endpoints
                            .and_then(|x| self.model.zone_of(x.source))
                            .map_or(V::None, V::Elem),
                        _ => self.model.zone_of(id).map_or(V::None, V::Elem),
                    }
                }
                _ => V::None,
            },
            Builtin::Reaches => match (first, second) {
                (V::Elem(a), V::Elem(b)) => V::Bool(a == b || self.reach(a).contains(&b)),
                _ => V::Bool(false),
            },
            Builtin::Path => match (first, second) {
                (V::Elem(a), V::Elem(b)) => self.path(a, b, lambda)?,
                _ => V::None,
            },
            Builtin::Reachable => match first {
                V::Elem(a) => {
                    let tree = self.tree(a, lambda)?;
                    let mut zones: Vec<ElemId> = tree.keys().copied().collect();
                    zones.push(a);
                    zones.sort_unstable();
                    zones.dedup();
                    Self::elems(zones)
                }
                _ => Self::elems([]),
            },
            Builtin::ConduitsBetween => match (first, second) {
                (V::Elem(a), V::Elem(b)) => Self::elems(self.model.graph.conduits_between(a, b)),
                _ => list(Vec::new()),
            },
            Builtin::SlDistance => match (first, second) {
                (V::Sl(a), V::Sl(b)) => V::Num(
                    (0..7)
                        .map(|i| a.get(i).abs_diff(b.get(i)))
                        .max()
                        .map_or(0.0, f64::from),
                ),
                _ => V::None,
            },
            Builtin::Abs => first.num().map_or(V::None, |n| V::Num(n.abs())),
            Builtin::Len => match &first {
                V::Str(s) => V::Num(s.chars().count() as f64),
                other => V::Num(other.items().len() as f64),
            },
            Builtin::Lower => first
                .text()
                .map_or(V::None, |t| V::Str(Arc::from(t.to_lowercase().as_str()))),
            Builtin::Today => V::Date(Date::today()),
            Builtin::Has => V::Bool(match &first {
                V::None => false,
                V::List(items) => !items.is_empty(),
                V::Str(s) => !s.trim().is_empty(),
                _ => true,
            }),
            Builtin::Selected => match (first.text(), second) {
                (Some(id), V::Elem(e)) => V::Bool(self.selected(id, e)),
                _ => V::Bool(false),
            },
            Builtin::Map => {
                let mut out = Vec::new();
                if let Some((slot, body)) = lambda {
                    for item in first.items() {
                        self.tick()?;
                        self.slots[slot] = item;
                        out.push(self.eval(body)?);
                    }
                }
                list(out)
            }
            Builtin::Flatten => list(first.items().iter().flat_map(V::items).collect()),
            Builtin::Distinct => {
                // Elements (the usual case) are told apart by id through a set; other values
                // by comparison with the values kept so far.
                let mut out: Vec<V> = Vec::new();
                let mut seen = Set::default();
                for item in first.into_items().iter() {
                    let new = match item {
                        V::Elem(id) => seen.insert(*id),
                        _ => !out.iter().any(|o| equal(o, item)),
                    };
                    if new {
                        out.push(item.clone());
                    }
                }
                list(out)
            }
            Builtin::Min | Builtin::Max => {
                let numbers = first
                    .items()
                    .iter()
                    .filter_map(V::num)
                    .collect::<Vec<f64>>();
                let pick = if builtin == Builtin::Min {
                    f64::min
                } else {
                    f64::max
                };
                numbers.into_iter().reduce(pick).map_or(V::None, V::Num)
            }
            Builtin::SlSum => match first {
                V::Sl(sl) => V::Num(sl.0.iter().map(|l| f64::from(*l)).sum()),
                _ => V::None,
            },
            Builtin::Within => match (first, second) {
                (V::Elem(a), V::Elem(b)) => V::Bool(crate::check::risk::within(self.model, a, b)),
                _ => V::Bool(false),
            },
            Builtin::Serves => match (first, second) {
                (V::Elem(c), V::Elem(z)) => V::Bool(self.serves(c, z)),
                _ => V::Bool(false),
            },
            Builtin::Servers => match first {
                V::Elem(z) => Self::elems(self.indexes.servers(self.model, z)),
                _ => Self::elems([]),
            },
            Builtin::FlowsTo => match first {
                V::Elem(z) => Self::elems(self.indexes.flows_to(self.model, z).iter().copied()),
                _ => Self::elems([]),
            },
            Builtin::RolesIn => match first {
                V::Elem(z) => Self::elems(self.indexes.roles_in(self.model, z)),
                _ => Self::elems([]),
            },
            Builtin::EvidenceFor => match (first.text(), second) {
                (Some(r), V::Elem(e)) => Self::elems(self.indexes.evidence_for(self.model, r, e)),
                _ => Self::elems([]),
            },
            Builtin::EvidenceInside => match (first.text(), second) {
                (Some(r), V::Elem(e)) => Self::elems(
                    self.indexes
                        .evidence_inside(self.model, r, e)
                        .iter()
                        .copied(),
                ),
                _ => Self::elems([]),
            },
            Builtin::First => list(first.items().into_iter().take(1).collect()),
            Builtin::Missing => match first {
                V::Elem(id) => {
                    let e = self.model.element(id);
                    let absent = second.items().into_iter().filter(|n| {
                        n.text()
                            .is_some_and(|n| e.value(n).is_none_or(|v| !V::from_value_set(v)))
                    });
                    list(absent.collect())
                }
                _ => list(Vec::new()),
            },
            Builtin::Unmet | Builtin::Compensated => {
                match (first, second.text().and_then(crate::model::value::fr_index)) {
                    (V::Elem(c), Some(fr)) => {
                        let gaps =
                            self.indexes
                                .gaps(self.model, self.catalogues, self.today, c, fr);
                        let ids: Vec<V> = match gaps {
                            None => Vec::new(),
                            Some(gaps) if builtin == Builtin::Unmet => {
                                gaps.open.iter().map(|id| V::Str(id.clone())).collect()
                            }
                            Some(gaps) => {
                                self.caches
                                    .used_compensations
                                    .borrow_mut()
                                    .extend(gaps.covered.iter().map(|(_, by)| *by));
                                gaps.covered
                                    .iter()
                                    .map(|(id, _)| V::Str(id.clone()))
                                    .collect()
                            }
                        };
                        list(ids)
                    }
                    _ => list(Vec::new()),
                }
            }
            Builtin::EvidenceMissing => match first {
                V::Elem(z) => {
                    let missing = super::capability::evidence_missing(
                        self.model,
                        self.catalogues,
                        z,
                        self.today,
                    );
                    list(
                        missing
                            .into_iter()
                            .map(|id| V::Str(Arc::from(id.as_str())))
                            .collect(),
                    )
                }
                _ => list(Vec::new()),
            },
            Builtin::Join => {
                let sep = second.text().unwrap_or(", ").to_string();
                V::Str(Arc::from(
                    first
                        .items()
                        .iter()
                        .map(|i| self.display(i))
                        .collect::<Vec<_>>()
                        .join(&sep)
                        .as_str(),
                ))
            }
        })
    }

    fn reach(&self, from: ElemId) -> Rc<Set<ElemId>> {
        if let Some(r) = self.caches.reach.borrow().get(&from) {
            return r.clone();
        }
        let set: Rc<Set<ElemId>> = Rc::new(self.model.graph.reachable(from).into_iter().collect());
        self.caches.reach.borrow_mut().insert(from, set.clone());
        set
    }

    /// A shortest path from `a` to `b` whose intermediate zones satisfy the condition.
    /// The breadth-first tree from `a` is cached when the condition reads nothing but its zone.
    fn path(
        &mut self,
        a: ElemId,
        b: ElemId,
        lambda: Option<(usize, &CExpr)>,
    ) -> Result<V, BudgetExceeded> {
        if a == b {
            return Ok(V::Path(a, Rc::new(Vec::new())));
        }
        let tree = self.tree(a, lambda)?;
        if !tree.contains_key(&b) {
            return Ok(V::None);
        }
        let mut hops = Vec::new();
        let mut zone = b;
        while zone != a {
            let (conduit, previous) = tree[&zone];
            hops.push(Hop { conduit, zone });
            zone = previous;
        }
        hops.reverse();
        Ok(V::Path(a, Rc::new(hops)))
    }

    /// The breadth-first tree from `a` through zones that satisfy the condition, cached when
    /// the condition reads nothing but its zone.
    fn tree(
        &mut self,
        a: ElemId,
        lambda: Option<(usize, &CExpr)>,
    ) -> Result<Rc<BfsTree>, BudgetExceeded> {
        let key = lambda.map_or(0, |(_, body)| body as *const CExpr as usize);
        let cacheable = lambda.is_none_or(|(slot, body)| reads_only(body, slot));
        let cached = cacheable
            .then(|| self.caches.trees.borrow().get(&(a, key)).cloned())
            .flatten();
        let tree = match cached {
            Some(t) => t,
            None => {
                let t = Rc::new(self.bfs_tree(a, lambda)?);
                if cacheable {
                    self.caches.trees.borrow_mut().insert((a, key), t.clone());
                }
                t
            }
        };
        Ok(tree)
    }

    fn bfs_tree(
        &mut self,
        from: ElemId,
        lambda: Option<(usize, &CExpr)>,
    ) -> Result<BfsTree, BudgetExceeded> {
        let mut tree = BfsTree::default();
        let mut queue = std::collections::VecDeque::from([from]);
        while let Some(zone) = queue.pop_front() {
            if zone != from {
                let may_cross = match lambda {
                    Some((slot, body)) => self.lambda_matches(slot, body, V::Elem(zone))?,
                    None => true,
                };
                if !may_cross {
                    continue;
                }
            }
            for hop in self.model.graph.neighbours(zone) {
                self.tick()?;
                if hop.zone != from && !tree.contains_key(&hop.zone) {
                    tree.insert(hop.zone, (hop.conduit, zone));
                    queue.push_back(hop.zone);
                }
            }
        }
        Ok(tree)
    }

    /// Whether a component serves a zone, as `serves` is documented in docs/language.md: it lies
    /// in the zone; or its `serves` lists the zone or a zone around it; or, when it sets no
    /// `serves`, one of its flows has its other end in the zone. An explicit `serves` replaces
    /// the flows, so a time server can say it does not serve a zone it merely talks to.
    fn serves(&self, component: ElemId, zone: ElemId) -> bool {
        let m = self.model;
        let c = m.element(component);
        if c.kind != ElementKind::Component {
            return false;
        }
        if crate::check::risk::within(m, component, zone) {
            return true;
        }
        match c.value("serves").map(Value::refs) {
            Some(listed) if !listed.is_empty() => listed
                .iter()
                .any(|&s| crate::check::risk::within(m, zone, s)),
            _ => self.flow_reach(component).contains(&zone),
        }
    }

    /// Everything the other ends of a component's flows lie in, computed once per component
    /// and run.
    fn flow_reach(&self, component: ElemId) -> Rc<Set<ElemId>> {
        if let Some(r) = self.caches.flow_reach.borrow().get(&component) {
            return r.clone();
        }
        let reached = Rc::new(flow_reach(self.model, component));
        self.caches
            .flow_reach
            .borrow_mut()
            .insert(component, reached.clone());
        reached
    }

    /// Whether the catalogue selects requirement `id` at the element's SL-T.
    pub fn selected(&self, id: &str, element: ElemId) -> bool {
        match self.catalogues.get(id) {
            Some(r) => self.requirement_selected(r, element),
            None => false,
        }
    }

    /// [`Evaluator::selected`] for a requirement already looked up.
    fn requirement_selected(&self, r: &super::catalogue::Requirement, element: ElemId) -> bool {
        let Some(fr) = r.fr else { return true };
        self.any_target_level(element, fr, |l| l > 0 && r.selected_at(l))
    }

    /// Whether one of the SL-T values (for one FR) that decide what applies to an element
    /// passes `test`: a zone's or conduit's own; for a conduit also its zones'; a component's
    /// zone's; a flow's conduit's. Asked once per breach, so it collects nothing.
    fn any_target_level(
        &self,
        element: ElemId,
        fr: usize,
        test: impl Fn(u8) -> bool + Copy,
    ) -> bool {
        let m = self.model;
        let own = |id: ElemId| m.element(id).sl("sl_target").map(|s| s.get(fr));
        let e = m.element(element);
        match e.kind {
            ElementKind::Zone => own(element).is_some_and(test),
            ElementKind::Conduit => {
                own(element).is_some_and(test)
                    || m.conduit_zones(element)
                        .into_iter()
                        .filter_map(own)
                        .any(test)
            }
            ElementKind::Component => m.zone_of(element).and_then(own).is_some_and(test),
            ElementKind::Flow => e.parent.is_some_and(|c| self.any_target_level(c, fr, test)),
            _ => false,
        }
    }

    /// `l op r` for the operators that give a boolean: all but `+` and `-`.
    fn condition(
        &mut self,
        op: super::ast::BinOp,
        l: &CExpr,
        r: &CExpr,
    ) -> Result<bool, BudgetExceeded> {
        use super::ast::BinOp as B;
        match op {
            B::And => return Ok(self.truth(l)? && self.truth(r)?),
            B::Or => return Ok(self.truth(l)? || self.truth(r)?),
            B::Add | B::Sub => return Ok(self.arithmetic(op, l, r)?.truthy()),
            B::In | B::NotIn => {
                if let Some(found) = self.membership(l, r)? {
                    return Ok(found == (op == B::In));
                }
            }
            _ => {}
        }
        if matches!(op, B::Eq | B::Ne)
            && let Some(literal) = literal_text(r)
        {
            // `x.kind == enterprise`: compared with the word itself (one step, as evaluating
            // the literal would take).
            let a = self.eval(l)?;
            self.tick()?;
            return Ok(literal_equal(literal, &a) == (op == B::Eq));
        }
        let a = self.eval(l)?;
        let b = self.eval(r)?;
        Ok(match op {
            B::Eq => equal(&a, &b),
            B::Ne => !equal(&a, &b),
            B::In => contains(&b, &a),
            B::NotIn => !contains(&b, &a),
            _ => {
                let ordering = match (&a, &b) {
                    (V::Num(x), V::Num(y)) => x.partial_cmp(y),
                    (V::Date(x), V::Date(y)) => Some(x.cmp(y)),
                    _ => None,
                };
                ordering.is_some_and(|o| match op {
                    B::Lt => o.is_lt(),
                    B::Le => o.is_le(),
                    B::Gt => o.is_gt(),
                    _ => o.is_ge(),
                })
            }
        })
    }

    /// `l + r` and `l - r`.
    fn arithmetic(
        &mut self,
        op: super::ast::BinOp,
        l: &CExpr,
        r: &CExpr,
    ) -> Result<V, BudgetExceeded> {
        let a = self.eval(l)?;
        let b = self.eval(r)?;
        Ok(match (a.num(), b.num()) {
            (Some(x), Some(y)) => V::Num(if op == super::ast::BinOp::Add {
                x + y
            } else {
                x - y
            }),
            _ => V::None,
        })
    }
}

impl Evaluator<'_> {
    /// `l in r` without building the list on the right when it is written out (`[a, b]`) or
    /// is an attribute (compared in the model's own values), the two common forms; `None` when
    /// the general path must answer.
    fn membership(&mut self, l: &CExpr, r: &CExpr) -> Result<Option<bool>, BudgetExceeded> {
        match &r.kind {
            CKind::List(items) if items.iter().all(|i| literal_text(i).is_some()) => {
                // `x in [a, b, c]` of words or strings: compared with the words themselves,
                // counting the step each item's evaluation would take, up to the first match.
                let needle = self.eval(l)?;
                self.tick()?;
                let position = items
                    .iter()
                    .position(|i| literal_text(i).is_some_and(|t| literal_equal(t, &needle)));
                self.tick_n(position.map_or(items.len(), |p| p + 1))?;
                Ok(Some(position.is_some()))
            }
            CKind::List(items) => {
                let needle = self.eval(l)?;
                self.tick()?;
                for item in items {
                    if equal(&self.eval(item)?, &needle) {
                        return Ok(Some(true));
                    }
                }
                Ok(Some(false))
            }
            CKind::Attr(base, name) => {
                let needle = self.eval(l)?;
                self.tick()?;
                let Some(id) = self.element(base)? else {
                    return Ok(Some(false));
                };
                let Some(value) = self.model.element(id).value(name) else {
                    return Ok(Some(false));
                };
                Ok(Some(match value_contains(value, &needle) {
                    Some(found) => found,
                    None => contains(&self.value(value), &needle),
                }))
            }
            _ => Ok(None),
        }
    }
}

/// `needle in haystack` for a model value, as [`contains`] answers it for the converted value;
/// `None` for values this does not decide (services, nested lists).
fn value_contains(haystack: &Value, needle: &V) -> Option<bool> {
    match haystack {
        Value::List(items) => {
            for item in items {
                if value_equal(item, needle)? {
                    return Some(true);
                }
            }
            Some(false)
        }
        Value::Str(s) => Some(needle.text().is_some_and(|n| s.contains(n))),
        other => value_equal(other, needle),
    }
}

/// What `has` answers for a model value, without converting it: an empty string, list or
/// permission table counts as unset.
fn is_set(v: &Value) -> bool {
    match v {
        Value::Str(s) => !s.trim().is_empty(),
        Value::List(items) => !items.is_empty(),
        Value::Permissions(entries) => !entries.is_empty(),
        _ => true,
    }
}

/// [`equal`] between a model value and an evaluated one, for scalar model values.
fn value_equal(item: &Value, needle: &V) -> Option<bool> {
    if matches!(needle, V::Service(..)) {
        return None;
    }
    Some(match item {
        Value::Str(s) => needle.text() == Some(s.as_str()),
        Value::Word(w) => needle.text() == Some(*w),
        Value::Ref(id) => matches!(needle, V::Elem(x) if x == id),
        Value::Bool(b) => matches!(needle, V::Bool(x) if x == b),
        Value::Int(i) => matches!(needle, V::Num(x) if *x == *i as f64),
        Value::Number(n) => matches!(needle, V::Num(x) if x == n),
        Value::Date(d) => matches!(needle, V::Date(x) if x == d),
        _ => return None,
    })
}

/// The text of a word or string literal.
fn literal_text(e: &CExpr) -> Option<&str> {
    match &e.kind {
        CKind::Word(w) => Some(w),
        CKind::Str(s) => Some(s),
        _ => None,
    }
}

/// `equal(v, literal)` for a word or string literal, without making a value of the literal.
fn literal_equal(literal: &str, v: &V) -> bool {
    match v {
        V::Str(s) => same_text(s, literal),
        V::Word(w) => same_text(w, literal),
        // A service compares equal to its protocol word.
        V::Service(protocol, _) => literal_equal(literal, protocol),
        _ => false,
    }
}

/// `a == b`; most words compared differ in length or first letter, and most that match are
/// the vocabulary's own string.
fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && (std::ptr::eq(a.as_ptr(), b.as_ptr())
            || (a.as_bytes().first() == b.as_bytes().first() && a == b))
}

fn equal(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::Str(_) | V::Word(_), V::Str(_) | V::Word(_)) => a.text() == b.text(),
        // A service compares equal to its protocol word.
        (V::Service(p, _), other) | (other, V::Service(p, _)) => equal(p, other),
        (V::List(x), V::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q))
        }
        _ => a == b,
    }
}

fn contains(haystack: &V, needle: &V) -> bool {
    match haystack {
        V::Str(s) => needle.text().is_some_and(|n| s.contains(n)),
        other => other.items().iter().any(|item| equal(item, needle)),
    }
}

/// Whether an expression reads no variable but `slot` (so its value depends on that alone).
fn reads_only(e: &CExpr, slot: usize) -> bool {
    let sub = |x: &CExpr| reads_only(x, slot);
    match &e.kind {
        CKind::Var(s) => *s == slot,
        CKind::List(items) => items.iter().all(sub),
        CKind::Attr(b, _)
        | CKind::Prop(b, _)
        | CKind::Custom(b, _)
        | CKind::Fr(b, _)
        | CKind::Field(b, _)
        | CKind::Not(b) => sub(b),
        CKind::Index(a, b) | CKind::Binary(_, a, b) => sub(a) && sub(b),
        CKind::Call(_, args) => args.iter().all(|a| match a {
            CArg::Expr(x) => sub(x),
            CArg::Lambda(_, x) => reads_only_or_own(x, slot),
        }),
        _ => true,
    }
}

fn reads_only_or_own(e: &CExpr, _slot: usize) -> bool {
    // Nested lambdas bind their own slot; be conservative and do not cache them.
    let _ = e;
    false
}

/// Everything the other ends of a component's flows lie in: their zones and the zones and sites
/// around them (the `serves` rule for components that list no `serves`).
pub(super) fn flow_reach(model: &Model, component: ElemId) -> Set<ElemId> {
    let m = model;
    let mut reached = Set::default();
    let flows = m
        .graph
        .flows_at(component, petgraph::Direction::Outgoing)
        .into_iter()
        .chain(m.graph.flows_at(component, petgraph::Direction::Incoming));
    for f in flows {
        let Some(ends) = m.element(f).endpoints else {
            continue;
        };
        let other = if ends.source == component {
            ends.destination
        } else if ends.destination == component {
            ends.source
        } else {
            continue;
        };
        // The same walk as `within`: zone, enclosing zones, then lexical parents.
        let mut at = Some(other);
        while let Some(e) = at {
            if !reached.insert(e) {
                break;
            }
            let element = m.element(e);
            at = match element.kind {
                ElementKind::Component | ElementKind::Zone => m.zone_of(e).or(element.parent),
                _ => element.parent,
            };
        }
    }
    reached
}

pub fn zone_untrusted(zone: &Element) -> bool {
    match zone.word("trust") {
        Some(t) => t == "untrusted",
        None => zone.word("kind") == Some("external"),
    }
}
