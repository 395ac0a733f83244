//! The model as a graph: zones, conduits and components are nodes; containment, conduit
//! membership, boundary devices and flows are edges. Graph questions are breadth-first
//! searches over it, linear in the size of the model.

use std::collections::{HashMap, VecDeque};

use petgraph::Direction::{Incoming, Outgoing};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::ElemId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// zone -> component in it
    Contains,
    /// zone -> zone nested in it
    SubZone,
    /// conduit -> zone it joins
    Joins,
    /// conduit -> boundary device
    Via,
    /// source component -> destination component, for this flow
    Flow(ElemId),
}

#[derive(Debug, Default)]
pub struct ModelGraph {
    pub graph: DiGraph<ElemId, Edge>,
    /// Each element's node, by element: a vector, as most zones, conduits and components
    /// have one, and indexing it is cheaper than hashing.
    nodes: Vec<Option<NodeIndex>>,
}

/// One step of a path between zones: the conduit taken and the zone reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    pub conduit: ElemId,
    pub zone: ElemId,
}

impl ModelGraph {
    pub(super) fn node(&mut self, id: ElemId) -> NodeIndex {
        let index = id.0 as usize;
        if self.nodes.len() <= index {
            self.nodes.resize(index + 1, None);
        }
        *self.nodes[index].get_or_insert_with(|| self.graph.add_node(id))
    }

    fn node_of(&self, id: ElemId) -> Option<NodeIndex> {
        self.nodes.get(id.0 as usize).copied().flatten()
    }

    pub(super) fn add_edge(&mut self, from: ElemId, to: ElemId, edge: Edge) {
        let (a, b) = (self.node(from), self.node(to));
        self.graph.add_edge(a, b, edge);
    }

    fn targets(&self, id: ElemId, edge: Edge) -> Vec<ElemId> {
        self.linked(id, edge, Outgoing)
    }

    fn linked(&self, id: ElemId, edge: Edge, direction: petgraph::Direction) -> Vec<ElemId> {
        let Some(node) = self.node_of(id) else {
            return Vec::new();
        };
        let mut out: Vec<ElemId> = self
            .graph
            .edges_directed(node, direction)
            .filter(|e| *e.weight() == edge)
            .map(|e| {
                let other = if direction == Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                self.graph[other]
            })
            .collect();
        // petgraph lists edges newest first; callers want source order.
        out.sort_unstable();
        out
    }

    pub fn components_in(&self, zone: ElemId) -> Vec<ElemId> {
        self.targets(zone, Edge::Contains)
    }

    pub fn subzones(&self, zone: ElemId) -> Vec<ElemId> {
        self.targets(zone, Edge::SubZone)
    }

    /// Conduits that join this zone.
    pub fn conduits_of(&self, zone: ElemId) -> Vec<ElemId> {
        self.linked(zone, Edge::Joins, Incoming)
    }

    /// Boundary devices of a conduit.
    pub fn via(&self, conduit: ElemId) -> Vec<ElemId> {
        self.targets(conduit, Edge::Via)
    }

    /// Conduits a component enforces as a boundary device.
    pub fn conduits_enforced_by(&self, component: ElemId) -> Vec<ElemId> {
        self.linked(component, Edge::Via, Incoming)
    }

    /// Flows leaving (`Outgoing`) or reaching (`Incoming`) a component, as declared.
    pub fn flows_at(&self, component: ElemId, direction: petgraph::Direction) -> Vec<ElemId> {
        let Some(node) = self.node_of(component) else {
            return Vec::new();
        };
        let mut flows: Vec<ElemId> = self
            .graph
            .edges_directed(node, direction)
            .filter_map(|e| match e.weight() {
                Edge::Flow(f) => Some(*f),
                _ => None,
            })
            .collect();
        flows.sort_unstable();
        flows
    }

    /// Zones one conduit away, with the conduit that joins them.
    pub fn neighbours(&self, zone: ElemId) -> Vec<Hop> {
        let mut hops = Vec::new();
        for conduit in self.conduits_of(zone) {
            for other in self.targets(conduit, Edge::Joins) {
                if other != zone {
                    hops.push(Hop {
                        conduit,
                        zone: other,
                    });
                }
            }
        }
        hops
    }

    /// Conduits that join both zones.
    pub fn conduits_between(&self, a: ElemId, b: ElemId) -> Vec<ElemId> {
        let of_b = self.conduits_of(b);
        self.conduits_of(a)
            .into_iter()
            .filter(|c| of_b.contains(c))
            .collect()
    }

    /// The shortest path of conduit hops from `from` to `to` whose intermediate zones all pass
    /// `may_cross`, or `None`. Breadth-first: each zone is visited once.
    pub fn path(
        &self,
        from: ElemId,
        to: ElemId,
        may_cross: impl Fn(ElemId) -> bool,
    ) -> Option<Vec<Hop>> {
        if from == to {
            return Some(Vec::new());
        }
        let mut came_from: HashMap<ElemId, Hop> = HashMap::new();
        let mut queue = VecDeque::from([from]);
        while let Some(zone) = queue.pop_front() {
            for hop in self.neighbours(zone) {
                if hop.zone == from || came_from.contains_key(&hop.zone) {
                    continue;
                }
                came_from.insert(
                    hop.zone,
                    Hop {
                        conduit: hop.conduit,
                        zone,
                    },
                );
                if hop.zone == to {
                    return Some(unwind(&came_from, from, to));
                }
                if may_cross(hop.zone) {
                    queue.push_back(hop.zone);
                }
            }
        }
        None
    }

    /// Every zone reachable from `from` through conduits, `from` excluded.
    pub fn reachable(&self, from: ElemId) -> Vec<ElemId> {
        let mut seen = std::collections::HashSet::from([from]);
        let mut order = Vec::new();
        let mut queue = VecDeque::from([from]);
        while let Some(zone) = queue.pop_front() {
            for hop in self.neighbours(zone) {
                if seen.insert(hop.zone) {
                    order.push(hop.zone);
                    queue.push_back(hop.zone);
                }
            }
        }
        order
    }
}

/// Rebuilds the hops from the breadth-first search's back pointers (stored as the conduit and the
/// zone it was entered from).
fn unwind(came_from: &HashMap<ElemId, Hop>, from: ElemId, to: ElemId) -> Vec<Hop> {
    let mut hops = Vec::new();
    let mut zone = to;
    while zone != from {
        let back = came_from[&zone];
        hops.push(Hop {
            conduit: back.conduit,
            zone,
        });
        zone = back.zone;
    }
    hops.reverse();
    hops
}
