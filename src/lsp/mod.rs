//! The language server: `zonelint lsp`. The only module that knows the Language Server
//! Protocol and `lsp-types`.
//!
//! A single-threaded loop ([`main_loop`]) owns the [`server::Server`] state: the workspace
//! folders, open documents (an overlay on the disk, [`vfs`]) and the last [`analysis`]. Edits
//! mark the analysis stale; it is rebuilt through `check::check` once no further message is
//! waiting, or before a request is answered, and diagnostics are then published for every file
//! of the workspace. Each feature is one file under [`handlers`]; conversions between byte spans
//! and LSP positions live in [`to_proto`] and [`line_index`].

mod analysis;
mod capabilities;
mod context;
mod handlers;
mod index;
pub mod line_index;
mod main_loop;
mod server;
mod syntax_at;
mod to_proto;
mod transport;
mod vfs;

pub use main_loop::serve;
pub use transport::run_stdio;
