pub mod check;
pub mod explain;
pub mod generate;
pub mod policies;
