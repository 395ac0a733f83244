//! `zonelint report`: the compliance matrix as Markdown or one self-contained HTML page.
//!
//! Both render a [`Compliance`]: per zone and conduit, SL-T, the weakest SL-C and SL-A per
//! foundational requirement ("n/a" where unknown), and per zone the status of each requirement
//! the check assessed (SL-A and statuses come from `check::achieved`; "n/a" where there are
//! none).

pub mod html;
pub mod markdown;

use crate::compliance::{Compliance, RequirementStatus, Status};
use crate::model::{FR_NAMES, SlVector};

/// The three rows of a zone's or conduit's level table, each seven cells.
pub fn level_rows(
    target: Option<SlVector>,
    weakest: Option<SlVector>,
    achieved: Option<SlVector>,
) -> [(&'static str, [String; 7]); 3] {
    [
        ("SL-T", cells(target)),
        ("weakest SL-C", cells(weakest)),
        ("SL-A", cells(achieved)),
    ]
}

fn cells(sl: Option<SlVector>) -> [String; 7] {
    std::array::from_fn(|fr| sl.map_or_else(|| "n/a".to_string(), |v| v.get(fr).to_string()))
}

/// An element as both reports name it: `qid (title)`, or the qid alone.
pub fn name(qid: &str, title: Option<&str>) -> String {
    match title {
        Some(title) => format!("{qid} ({title})"),
        None => qid.to_string(),
    }
}

pub fn fr_headers() -> [&'static str; 7] {
    FR_NAMES
}

/// `[2, 2, 2, 1, 3, 2, 2]` or `n/a`.
pub fn vector(sl: Option<SlVector>) -> String {
    sl.map_or_else(|| "n/a".to_string(), |v| v.to_string())
}

/// "meets", "below SL-T" or "n/a" for the overview table.
pub fn verdict(below: Option<bool>) -> &'static str {
    match below {
        Some(true) => "below SL-T",
        Some(false) => "meets SL-T",
        None => "n/a",
    }
}

pub fn is_empty(compliance: &Compliance) -> bool {
    compliance.zones.is_empty() && compliance.conduits.is_empty()
}

/// The requirements SL-T selects, and how many it does not (those are counted, not listed).
pub fn split_selected(requirements: &[RequirementStatus]) -> (Vec<&RequirementStatus>, usize) {
    let selected: Vec<&RequirementStatus> = requirements
        .iter()
        .filter(|r| r.status != Status::NotSelected)
        .collect();
    let not_selected = requirements.len() - selected.len();
    (selected, not_selected)
}
