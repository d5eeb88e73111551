//! jixiao scores project-expenditure performance self-evaluations (项目支出绩效自评表)
//! against scoring policies kept as data.
pub mod ast;
pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod library;
pub mod policy;
pub mod report;
pub mod score;
pub mod sheet;
pub mod syntax;
pub mod text;
pub mod value;
pub mod words;
