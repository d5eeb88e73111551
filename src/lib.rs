//! jixiao scores project-expenditure performance self-evaluations (项目支出绩效自评表)
//! against scoring policies kept as data.
//!
//! The library does no IO and never prints. Its whole surface, stage by stage:
//!
//! | stage | entry | in → out | errors |
//! |---|---|---|---|
//! | compile | [`compile`], [`Library::resolve`], [`Library::select`] | policy text, or a jurisdiction and a year → [`Checked`] ([`Policy`] + warnings) | [`CheckError`] |
//! | read | [`sheet::load`] ([`Format`]), [`sheet::Loader`] (many sheets, each in the last one's memory), [`sheet::read_workbook`] ([`sheet::TableFormat`], [`sheet::ColumnMap`]) | TOML/JSON, workbooks, CSV, exports → [`Sheet`] | [`SheetError`], [`sheet::WorkbookError`] |
//! | score | [`evaluate`] | policy + sheet → [`ScoreSheet`] (per row: [`score::IndicatorScore`], its trace of [`score::Step`]s, flags, notes) | [`score::EvalError`] per row |
//! | score the numbers alone | [`evaluate_scores`] | policy + sheet → [`Scores`] (total, grade, budget and row scores: exactly those of [`evaluate`], without explanations) | — |
//! | render | [`report`] over a [`report::View`] | table, JSON ([`report::json::SCHEMA`]), scored workbook, explanations, snapshots | — |
//! | compare | [`diff::rule_changes`], [`diff::impact`] | two policies (+ sheets) → rule changes and their impact | — |
//!
//! Problems from every stage are [`Diagnostic`]s (with a [`Code`]) over the texts held in
//! [`Sources`], in English and Chinese ([`Lang`]); [`report::diagnostics`] draws them.
//! The command line (feature `cli`, on by default) lives in `cli`.
//!
//! ```
//! use jixiao::{Library, Sources, sheet};
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
//! let score = jixiao::evaluate(&policy, &table);
//! // 50 × 150 / 200 = 37.5, plus 10 × 90% = 9 for the budget.
//! assert_eq!(score.indicators[0].score, Some("37.50".parse().unwrap()));
//! assert_eq!(score.total, "46.50".parse().unwrap());
//! assert_eq!(score.grade.as_deref(), Some("差"));
//! ```

// The parser pest derives for the policy language names `::alloc` (pest is built without `std`).
extern crate alloc;

// The surface, in pipeline order.

// Policies: compile (`compile` below), and the rules library choosing one by jurisdiction and year.
pub mod library;
// A checked policy: its scheme, methods, tiers, grades, rounding and flags.
pub mod policy;
// Sheets: loading TOML and JSON (`sheet::load`), reading workbooks, CSV files and exports.
pub mod sheet;
// Values printed in a sheet's cells, as read.
pub mod value;
// Scores: the score sheet `evaluate` returns, row by row, with traces, flags and notes.
pub mod score;
// The declarations of a policy each result used.
pub mod decl;
// Renderers: table, JSON (with its schema), scored workbook, explanations, diagnostics.
pub mod report;
// Comparing two policies, and the scores that move between them.
pub mod diff;
// Diagnostics, the texts they point into, and two-language messages.
pub mod diagnostic;
// The registry of diagnostic codes and their explanations.
pub mod codes;
// Languages and the words of the policy language.
#[cfg(feature = "cli")]
pub mod cli;
pub mod words;

pub use check::{CheckError, Checked};
pub use codes::Code;
pub use diagnostic::{Diagnostic, Message, Severity, Sources};
pub use eval::{Scores, evaluate, evaluate_scores};
pub use library::Library;
pub use policy::Policy;
pub use score::ScoreSheet;
pub use sheet::{Format, Sheet, SheetError};
pub use words::Lang;

// Internals.
mod ast;
mod check;
mod eval;
mod num;
#[cfg(feature = "cli")]
mod place;
mod syntax;
mod text;

/// Entry points below the public surface, for the fuzz targets, the benchmarks and the tests of
/// the parser and the checker alone (one file checked with no `extends` resolved); they may
/// change in any release.
#[doc(hidden)]
pub mod internals {
    pub use crate::ast::PolicyFile;
    pub use crate::check::check_file;
    /// The quick path of [`crate::evaluate_scores`] alone: `None` where it declines.
    pub use crate::eval::evaluate_scores_quick;
    pub use crate::syntax::parse as parse_policy;
    /// A policy's tree from the direct reader and from pest, where the direct reader reads it.
    pub use crate::syntax::parse_both as parse_policy_both;
    pub use crate::text::normalize_label;
    pub use crate::value::{leading_quantity, read as read_cell};
}

/// Parse and check one policy's text in one call. `path` is the name diagnostics show; an
/// `extends` is looked up in the rules built into the library. The text is added to `sources`,
/// so a renderer can draw the diagnostics of a failed compile.
pub fn compile(path: &str, text: &str, sources: &mut Sources) -> Result<Checked, CheckError> {
    Library::embedded().resolve_text(path, text, None, sources)
}
