//! zonelint: a policy-as-code linter for IEC 62443 zone and conduit architectures.
//!
//! The stages, each a module, each using only those before it:
//! [`syntax`] (text to tree) → [`model`] (tree to resolved model graph) → [`check`] (the
//! pipeline) → [`output`] (formats). [`diagnostics`] is the one report type all of them share;
//! [`cli`] and [`lsp`] are the only layers that do IO. [`fmt`] lays out files using [`syntax`]
//! alone.

pub mod check;
pub mod cli;
pub mod compliance;
pub mod config;
pub mod diagnostics;
pub mod fmt;
pub mod generate;
pub mod lsp;
pub mod model;
pub mod output;
pub mod policy;
pub mod syntax;
pub mod timings;
