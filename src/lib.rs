//! jixiao scores project-expenditure performance self-evaluations (项目支出绩效自评表)
//! against scoring policies kept as data.
//!
//! The pipeline, one stage per module, each with its own error type:
//!
//! | stage | module | in → out | errors |
//! |---|---|---|---|
//! | parse | [`syntax`] | policy text → [`ast::PolicyFile`] | [`syntax::SyntaxError`] |
//! | check | [`check`] | items → resolved [`policy::Policy`] | [`check::CheckError`] |
//! | compose | [`library`] | `extends` chains, year choice | [`check::CheckError`] |
//! | read | [`sheet`] | TOML/JSON, workbooks, CSV, exports → [`sheet::Sheet`] | [`sheet::SheetError`], unreadable cells per row |
//! | place | [`place`] | printed jurisdiction → rules folder; layout check | — |
//! | score | [`eval`] | policy + sheet → [`score::ScoreSheet`] | [`score::EvalError`] per row |
//! | render | [`report`] | score sheet → table, JSON, scored workbook, explanations, snapshots | — |
//! | compare | [`diff`] | two policies (+ sheets) → rule changes and their impact | — |
//!
//! Diagnostics from every stage are [`diagnostic::Diagnostic`]s, in English and Chinese; only
//! [`report::diagnostics`] knows how to draw them. The library does no IO and never prints.
//!
//! ```
//! use jixiao::{diagnostic::Sources, library::Library, sheet};
//!
//! let rules = Library::embedded();
//! let policy = rules.resolve("national/2020", &mut Sources::new()).expect("bundled rules check").policy;
//! let table = sheet::load(
//!     r#"
//! [project]
//! name = "示例"
//! [budget]
//! annual = 100
//! executed = 90
//! [[indicators]]
//! level1 = "产出指标"
//! level2 = "数量指标"
//! name = "培训人数"
//! target = "≥200人"
//! actual = "150人"
//! weight = 50
//! "#,
//!     sheet::Format::Toml,
//! )
//! .expect("the sheet reads");
//! let score = jixiao::eval::evaluate(&policy, &table);
//! // 50 × 150 / 200 = 37.5, plus 10 × 90% = 9 for the budget.
//! assert_eq!(score.indicators[0].score, Some("37.50".parse().unwrap()));
//! assert_eq!(score.total, "46.50".parse().unwrap());
//! assert_eq!(score.grade.as_deref(), Some("差"));
//! ```

pub mod ast;
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod codes;
pub mod decl;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod library;
mod num;
pub mod place;
pub mod policy;
pub mod report;
pub mod score;
pub mod sheet;
pub mod syntax;
pub mod text;
pub mod value;
pub mod words;

pub use check::{CheckError, Checked};
pub use codes::Code;
pub use diagnostic::{Diagnostic, Message, Severity, Sources};
pub use eval::evaluate;
pub use library::Library;
pub use policy::Policy;
pub use score::ScoreSheet;
pub use sheet::{Format, Sheet, SheetError};
pub use words::Lang;

/// Parse and check one policy's text in one call. `path` is the name diagnostics show; an
/// `extends` is looked up in the rules built into the library. The text is added to `sources`,
/// so a renderer can draw the diagnostics of a failed compile.
pub fn compile(path: &str, text: &str, sources: &mut Sources) -> Result<Checked, CheckError> {
    Library::embedded().resolve_text(path, text, None, sources)
}
