pub mod check;
pub mod generate;
