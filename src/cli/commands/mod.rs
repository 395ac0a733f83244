pub mod check;
pub mod explain;
pub mod fmt;
pub mod generate;
pub mod lsp;
pub mod policies;
