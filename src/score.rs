//! The score sheet: what evaluation produces.
//!
//! It is compact and numeric (indices into the sheet and the policy, exact decimals), so
//! evaluation stays fast; renderers join it with the sheet and the policy to show names,
//! formulas and messages.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::diagnostic::Message;
use crate::msg;
use crate::policy::{MethodId, NodeId, TiersId};
use crate::value::Quantity;
use crate::words::{AuditCheck, Direction, TakeRule};

/// The result of scoring one sheet.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct ScoreSheet {
    /// The budget-execution score, when the scheme has one.
    pub budget: Option<BudgetScore>,
    /// Every indicator row, in sheet order.
    pub indicators: Vec<IndicatorScore>,
    /// Category subtotals, level 1 followed by its level-2 groups, in scheme order.
    pub groups: Vec<GroupScore>,
    /// Budget score plus level-1 subtotals, before rescaling and sheet flags.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub sum: Decimal,
    /// Points of not-applicable indicators taken out of the total.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub inapplicable_points: Decimal,
    /// The total after rescaling, sheet flags and rounding.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub total: Decimal,
    /// The grade the total earns.
    pub grade: Option<String>,
    /// When rows could not be scored: the lowest and highest total the sheet can reach, each
    /// unscored row counted at 0 and at its weight (`total` is the low end).
    #[serde(serialize_with = "crate::report::json::exact")]
    pub total_range: Option<(Decimal, Decimal)>,
    /// The grades of the two ends of `total_range`.
    pub grade_range: Option<(Option<String>, Option<String>)>,
    /// The printed total.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub claimed_total: Option<Decimal>,
    /// `total − claimed_total`.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub difference: Option<Decimal>,
    /// Flags on the whole sheet.
    pub flags: Vec<FiredFlag>,
    /// What the built-in audit of the table's own arithmetic found.
    pub audit: Vec<AuditFinding>,
    /// Whether every indicator and the budget could be scored.
    pub complete: bool,
}

/// Where an indicator's weight came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WeightSource {
    /// Its own 分值 column.
    Sheet,
    /// An equal share of a group's points.
    Split {
        /// The group's points.
        #[serde(serialize_with = "crate::report::json::exact")]
        pool: Decimal,
        /// How many indicators shared them.
        among: usize,
        /// Whether the pool came from the scheme (not the sheet).
        from_scheme: bool,
    },
    /// No weight could be found.
    Missing,
    /// The scheme's points (the budget item's; a differing printed 分值 is noted, not used).
    Scheme,
    /// A detail row (`其中：…`) without a weight under another row: shown, never scored, and
    /// never given a share of its group's points.
    Detail {
        /// The row it details (its index in the score sheet's indicators).
        parent: usize,
    },
    /// A row whose points its weighted `其中…` rows below share out exactly (`培训人数` 20 over
    /// `其中：农民` 10 and `其中：妇女` 10): a subtotal of those parts, which are scored instead;
    /// shown, never scored itself, and not counted in its group.
    Parts {
        /// Its first part (an index in the score sheet's indicators).
        first: usize,
        /// Its last part.
        last: usize,
    },
}

/// A value used in scoring: a quantity in its canonical unit, or a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Operand {
    /// A number with its unit.
    Quantity(Quantity),
    /// A date, as precise as it was written.
    Date(crate::value::Date),
}

/// The tier a qualitative indicator was placed in, and the value taken.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TierPick {
    /// The table.
    pub table: TiersId,
    /// The tier's index in the table.
    pub tier: usize,
    /// How the tier was chosen.
    pub chosen_by: TierChoice,
    /// Which value was taken in the band.
    pub taken: TakeRule,
}

/// How a qualitative tier was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TierChoice {
    /// The sheet names the tier.
    Sheet,
    /// The actual repeats the target.
    MatchesTarget,
    /// The actual is one of the tier's words.
    Word,
}

/// One indicator's result.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct IndicatorScore {
    /// Index in [`Sheet::indicators`](crate::sheet::Sheet::indicators) (placeholder rows are
    /// not there; [`Indicator::row`](crate::sheet::Indicator::row) is the row in the file).
    pub position: usize,
    /// Level-1 scheme node.
    pub level1: Option<NodeId>,
    /// Level-2 scheme node.
    pub level2: Option<NodeId>,
    /// How the target reads.
    pub direction: Direction,
    /// The points it is scored out of.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub weight: Decimal,
    /// Where the weight came from.
    pub weight_source: WeightSource,
    /// The target used.
    pub target: Option<Operand>,
    /// The actual used.
    pub actual: Option<Operand>,
    /// The method that scored it.
    pub method: Option<MethodId>,
    /// The clause that applied.
    pub clause: Option<usize>,
    /// For qualitative indicators, the tier.
    pub tier: Option<TierPick>,
    /// The method's result before capping.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub computed: Option<Decimal>,
    /// Whether capping changed it.
    pub capped: bool,
    /// The score before rounding (after capping, adjustment and flag deductions).
    #[serde(serialize_with = "crate::report::json::exact")]
    pub unrounded: Option<Decimal>,
    /// The final score; `None` when it could not be scored.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub score: Option<Decimal>,
    /// The claimed score.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub claimed: Option<Decimal>,
    /// `score − claimed`.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub difference: Option<Decimal>,
    /// Not applicable this year.
    pub not_applicable: bool,
    /// Flags that fired.
    pub flags: Vec<FiredFlag>,
    /// Liberties taken in reading and scoring it.
    pub notes: Vec<Note>,
    /// Why it could not be scored.
    pub error: Option<EvalError>,
    /// What the evaluator did, step by step, in order.
    pub trace: Vec<Step>,
}

impl IndicatorScore {
    /// The declarations of `policy` the result depends on (for `diff`): the method and the tier
    /// tables it read, the flags that changed the score, the scheme when the weight or category
    /// came from it, the unit rules when units were converted, and rounding. `policy` is the
    /// policy the row was scored by.
    pub fn used(&self, policy: &crate::policy::Policy) -> Vec<crate::decl::Decl> {
        crate::eval::used_by_indicator(policy, self)
    }
}

/// One step the evaluator took on a row or the budget, recorded as it happened.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    /// The row was placed in the scheme (`None`: the level was not found, or has no level 2).
    Placed {
        /// Level-1 scheme node.
        level1: Option<NodeId>,
        /// Level-2 scheme node.
        level2: Option<NodeId>,
    },
    /// The points the row or budget is scored out of, and where they came from.
    Weighted {
        /// The points.
        #[serde(serialize_with = "crate::report::json::exact")]
        weight: Decimal,
        /// Where they came from.
        source: WeightSource,
    },
    /// A clause's condition was tested and did not hold.
    Passed {
        /// The clause's index in its method.
        clause: usize,
    },
    /// The clause that applied, and what it gave.
    Applied {
        /// The clause's index in its method.
        clause: usize,
        /// Its result, before capping.
        #[serde(serialize_with = "crate::report::json::exact")]
        value: Decimal,
    },
    /// The result was held within [0, weight].
    Capped {
        /// Before.
        #[serde(serialize_with = "crate::report::json::exact")]
        from: Decimal,
        /// After.
        #[serde(serialize_with = "crate::report::json::exact")]
        to: Decimal,
    },
    /// A manual adjustment from the sheet.
    Adjusted {
        /// Points added (negative: taken off).
        #[serde(serialize_with = "crate::report::json::exact")]
        points: Decimal,
        /// The score after it.
        #[serde(serialize_with = "crate::report::json::exact")]
        to: Decimal,
    },
    /// Rounded as the policy says.
    Rounded {
        /// Before.
        #[serde(serialize_with = "crate::report::json::exact")]
        from: Decimal,
        /// After.
        #[serde(serialize_with = "crate::report::json::exact")]
        to: Decimal,
    },
    /// A flag fired: what it deducted or capped, or that its condition, deduction or cap could
    /// not be computed. A flag that deducts or caps and fails leaves the score unknown (the row
    /// fails with `flag-failed`); one that only warns and fails could not be checked.
    Flagged {
        /// Index into the policy's flags.
        flag: usize,
        /// Points it deducted.
        #[serde(serialize_with = "crate::report::json::exact")]
        deducted: Option<Decimal>,
        /// Ceiling it imposed.
        #[serde(serialize_with = "crate::report::json::exact")]
        capped_at: Option<Decimal>,
        /// Whether its condition, deduction or cap could not be computed.
        failed: bool,
    },
    /// Scoring stopped with an error.
    Failed {
        /// Which error (its registry code).
        code: crate::codes::Code,
    },
}

/// A category subtotal.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct GroupScore {
    /// Level-1 node.
    pub level1: NodeId,
    /// Level-2 node; `None` for the level-1 subtotal.
    pub level2: Option<NodeId>,
    /// A level-2 name the scheme does not know (kept so the subtotal is still shown).
    pub unmatched: Option<String>,
    /// Points the scheme gives it.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub points: Option<Decimal>,
    /// Sum of its indicators' weights.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub weight: Decimal,
    /// Sum of its indicators' scores, after group flags (unscored rows count 0).
    #[serde(serialize_with = "crate::report::json::exact")]
    pub score: Decimal,
    /// When some of its rows could not be scored: the score with each of them at its weight.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub high: Option<Decimal>,
    /// Printed 得分 for the group.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub claimed: Option<Decimal>,
    /// `score − claimed`.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub difference: Option<Decimal>,
    /// Flags that fired.
    pub flags: Vec<FiredFlag>,
}

/// The budget-execution result.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct BudgetScore {
    /// Points.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub weight: Decimal,
    /// Executed / annual, as used (after any rounding the policy asks for).
    #[serde(serialize_with = "crate::report::json::exact")]
    pub rate: Option<Decimal>,
    /// Method used.
    pub method: Option<MethodId>,
    /// Clause that applied.
    pub clause: Option<usize>,
    /// Method result before capping.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub computed: Option<Decimal>,
    /// Whether capping changed it.
    pub capped: bool,
    /// Before rounding.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub unrounded: Option<Decimal>,
    /// Final score.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub score: Option<Decimal>,
    /// Printed score.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub claimed: Option<Decimal>,
    /// `score − claimed`.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub difference: Option<Decimal>,
    /// Flags that fired.
    pub flags: Vec<FiredFlag>,
    /// Liberties and disagreements noticed.
    pub notes: Vec<Note>,
    /// Why it could not be scored.
    pub error: Option<EvalError>,
    /// What the evaluator did, step by step, in order.
    pub trace: Vec<Step>,
}

impl BudgetScore {
    /// The declarations of `policy` the budget score depends on (for `diff`): its method, the
    /// flags that changed it, and rounding. `policy` is the policy it was scored by.
    pub fn used(&self, policy: &crate::policy::Policy) -> Vec<crate::decl::Decl> {
        crate::eval::used_by_budget(policy, self)
    }
}

/// A finding of the built-in audit of the table's own arithmetic.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AuditFinding {
    /// Which check.
    pub check: AuditCheck,
    /// What it is about.
    pub place: AuditPlace,
    /// The numbers or grades that disagree.
    pub values: AuditValues,
}

/// What an audit finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "at", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuditPlace {
    /// The whole table (its total, grade or weights).
    Sheet,
    /// The budget block.
    Budget,
    /// A subtotal.
    Group {
        /// Index into the score sheet's groups.
        index: usize,
    },
    /// An indicator row.
    Row {
        /// Index into the score sheet's indicators.
        position: usize,
    },
}

/// The values behind an audit finding.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuditValues {
    /// A printed number and the sum of the printed parts it should equal.
    Sum {
        /// As printed (for `weights_total`, the policy's total).
        #[serde(serialize_with = "crate::report::json::exact")]
        printed: Decimal,
        /// The sum of the printed parts.
        #[serde(serialize_with = "crate::report::json::exact")]
        sum: Decimal,
    },
    /// A claimed score above its weight.
    OverWeight {
        /// The claim.
        #[serde(serialize_with = "crate::report::json::exact")]
        claimed: Decimal,
        /// The weight.
        #[serde(serialize_with = "crate::report::json::exact")]
        weight: Decimal,
    },
    /// A printed grade and the grade it should be.
    Grade {
        /// As printed.
        printed: String,
        /// The band of the printed total (`printed_grade`) or the computed grade (`grade_differs`).
        expected: Option<String>,
        /// The total that grade belongs to.
        #[serde(serialize_with = "crate::report::json::exact")]
        total: Decimal,
    },
    /// A claim on something that cannot be scored.
    Unscored {
        /// The claim.
        #[serde(serialize_with = "crate::report::json::exact")]
        claimed: Decimal,
    },
    /// Budget-execution points or a score printed where the scheme has no budget item.
    NotInScheme {
        /// The printed 分值.
        #[serde(serialize_with = "crate::report::json::exact")]
        weight: Option<Decimal>,
        /// The printed 得分.
        #[serde(serialize_with = "crate::report::json::exact")]
        claimed: Option<Decimal>,
    },
}

/// A flag that fired, with what it did.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FiredFlag {
    /// Index into the policy's flags.
    pub flag: usize,
    /// Points it deducted.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub deducted: Option<Decimal>,
    /// Ceiling it imposed.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub capped_at: Option<Decimal>,
    /// Its condition, deduction or cap could not be computed (a division by zero, a number
    /// too large, a lookup no tier holds): the score a deducting or capping flag adjusts is
    /// unknown, and a flag that only warns could not be checked.
    pub failed: bool,
    /// The score its condition saw (before adjustments for adjusting flags, after them for the
    /// others), shown as `{score}` in its message.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub score: Option<Decimal>,
    /// Whether the condition holds only for some of the values the score can still take once
    /// unscored rows are scored: the flag cannot be checked yet.
    pub undetermined: bool,
}

/// A liberty taken or a disagreement noticed, shown beside the score.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Note {
    /// The target column is empty; the target was read from the indicator name.
    TargetFromName,
    /// Several listed amounts were summed.
    Summed {
        /// Which cell.
        cell: CellName,
        /// The parts.
        parts: Vec<Quantity>,
    },
    /// Words around a number were ignored.
    WordsIgnored {
        /// Which cell.
        cell: CellName,
    },
    /// The actual carried a comparison (`80%以上`); only its number was used.
    ActualComparisonIgnored,
    /// The actual was empty; the method's default was used.
    ActualDefaulted,
    /// The actual says "none" (`无上访`) and was read as 0.
    ActualNoneIsZero,
    /// One side had no unit and took the other's.
    UnitAdopted {
        /// The unit taken.
        unit: String,
    },
    /// A bare number was read as a ratio of a percentage target (`0.98` → 98%).
    RatioAsPercent,
    /// A bare number was read as a percentage (`98` → 98%).
    NumberAsPercent,
    /// Units converted by the policy's `unit` rules.
    UnitsConverted,
    /// A target with no comparison that starts with `2` is missed, but the rest of it is met
    /// (`2100个` against `100个`): a `≥` may have been read as `2` by text recognition. Only a
    /// hint: the target is scored as written.
    TargetMaybeMisread {
        /// The target as it would read with `≥` for the `2` (`≥100个`).
        read_as: String,
    },
    /// An actual written like a year and month (`2016.08`) against a target that is a number
    /// (`≥2000万元`): read as the number it also is.
    DottedActualAsNumber,
    /// The two sides wrote one unit in traditional and simplified characters (`個` and `个`).
    TraditionalUnit {
        /// The unit as one side wrote it in traditional characters.
        written: String,
        /// Its simplified form, in which both sides were read.
        unit: String,
    },
    /// A claimed qualitative score lay outside the chosen tier's band.
    ClaimOutsideTier {
        /// The claim.
        #[serde(serialize_with = "crate::report::json::exact")]
        claimed: Decimal,
    },
    /// A manual adjustment was applied.
    Adjusted {
        /// Points added.
        #[serde(serialize_with = "crate::report::json::exact")]
        points: Decimal,
    },
    /// The printed 分值 of the budget block is not the scheme's.
    PrintedWeightDiffers {
        /// As printed.
        #[serde(serialize_with = "crate::report::json::exact")]
        printed: Decimal,
    },
    /// The printed execution rate disagrees with the amounts.
    PrintedRateDiffers {
        /// As printed (a fraction).
        #[serde(serialize_with = "crate::report::json::exact")]
        printed: Decimal,
    },
    /// Weighted rows already use the group's points; unweighted rows got none.
    PoolExhausted,
    /// The target is strict (`>30`) and the actual sits exactly on it.
    StrictTargetEdge,
    /// The actual gives only a month and the deadline is a day in that month: done within
    /// the month counts as done by the deadline.
    DateWithinMonth,
    /// The actual gives only the year and the deadline falls in that year (`2022年` for
    /// `2022年10月底前`): compared at the year, on time, and marked for review.
    DateWithinYear,
    /// A bare number was read in the sheet's money unit (`90` in a 万元 sheet is 90 万元),
    /// because the other side is a budget amount.
    MoneyUnitAdopted {
        /// The unit it was read in.
        unit: String,
    },
    /// A cost target written `=` is read as a ceiling.
    CostCeiling,
    /// The row's name is missing or a placeholder (`指标2：`, `/`) but the row has values.
    PlaceholderName,
    /// A workbook cell was read with a liberty (`10分` as 10, `萬元` as 万元).
    Read {
        /// The cell (`Sheet1!F12`).
        cell: String,
        /// What was done.
        message: Message,
    },
    /// A category label matched the scheme only in a looser form (`项目产出` as 产出指标).
    LabelMatched {
        /// As written (normalised).
        written: String,
        /// The scheme's label it was read as.
        label: String,
    },
    /// No level-1 category was printed; the one scheme category that has the row's level-2
    /// category was taken.
    Level1Inferred {
        /// The level-2 category as written.
        level2: String,
        /// The level-1 category taken.
        level1: String,
    },
}

/// Which cell a note is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CellName {
    /// 年度指标值.
    Target,
    /// 实际完成值.
    Actual,
}

/// Why something could not be scored.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EvalError {
    /// A level-1 or level-2 name the scheme does not know.
    UnknownCategory {
        /// 1 or 2.
        level: u8,
        /// As written.
        name: String,
        /// The nearest known label.
        suggestion: Option<String>,
    },
    /// No weight on the row and no group points to share.
    NoWeight,
    /// The policy has no method for this category and direction.
    NoMethod,
    /// The actual is empty and the method has no default.
    EmptyActual,
    /// The actual cannot be read as the target requires.
    UnreadableActual {
        /// What the target needs (`a number`, `a date`).
        expected: &'static str,
    },
    /// The target cannot be used by the method that applies.
    UnreadableTarget,
    /// Target and actual are in units that do not convert.
    UnitMismatch {
        /// Target unit.
        target: String,
        /// Actual unit.
        actual: String,
    },
    /// A division by zero in a formula.
    DivisionByZero {
        /// Clause index in the method; `None` for the method's default actual.
        clause: Option<usize>,
    },
    /// A clause divides by a sheet value that is zero or negative, and no clause of the method
    /// says what that scores.
    UnsettledDivisor {
        /// Clause index in the method.
        clause: usize,
        /// The divisor.
        #[serde(serialize_with = "crate::report::json::exact")]
        value: Decimal,
    },
    /// A deducting or capping flag's condition, deduction or cap could not be computed, so
    /// the score it adjusts is unknown.
    FlagFailed {
        /// The flag's name.
        flag: String,
        /// Whether it divided by zero (otherwise a number grew too large or a lookup failed).
        division_by_zero: bool,
    },
    /// A number grew beyond exact decimals.
    Overflow,
    /// No clause of the method applied.
    NoClauseApplied,
    /// A qualitative actual matches no tier.
    TierUndetermined,
    /// The target is a range of two amounts (`90%～100%`), which no method reads as one number.
    RangeTarget,
    /// The sheet names a tier the table does not have.
    UnknownTier {
        /// As written.
        name: String,
        /// The tiers the table has.
        known: Vec<String>,
    },
    /// A value the method needs is missing from the sheet.
    MissingValue {
        /// Which value (English name).
        name: &'static str,
    },
    /// `lookup` found no tier holding the value.
    LookupOutOfRange {
        /// The table.
        table: TiersId,
        /// The value looked up.
        #[serde(serialize_with = "crate::report::json::exact")]
        value: Decimal,
    },
    /// The sheet has no budget block but the scheme scores one.
    NoBudget,
    /// The budget block lacks the annual budget or it is zero.
    NoAnnualBudget,
    /// The budget block has an annual budget but no executed amount.
    NoExecuted,
    /// A cell of the row could not be read.
    UnreadableCell {
        /// Which cell and what it holds.
        cell: String,
    },
}

impl EvalError {
    /// The registry code of this kind of error.
    pub fn code(&self) -> crate::codes::Code {
        use crate::codes::Code;
        match self {
            EvalError::UnknownCategory { .. } => Code::UnknownCategory,
            EvalError::NoWeight => Code::NoWeight,
            EvalError::NoMethod => Code::NoMethodForRow,
            EvalError::EmptyActual => Code::EmptyActual,
            EvalError::UnreadableActual { .. } => Code::UnreadableActual,
            EvalError::UnreadableTarget => Code::UnreadableTarget,
            EvalError::UnitMismatch { .. } => Code::UnitMismatch,
            EvalError::DivisionByZero { .. } => Code::ZeroDivisor,
            EvalError::FlagFailed { .. } => Code::FlagFailed,
            EvalError::UnsettledDivisor { .. } => Code::UnsettledDivisorValue,
            EvalError::Overflow => Code::Overflow,
            EvalError::NoClauseApplied => Code::NoClauseApplied,
            EvalError::TierUndetermined => Code::TierUndetermined,
            EvalError::RangeTarget => Code::RangeTarget,
            EvalError::UnknownTier { .. } => Code::UnknownTier,
            EvalError::MissingValue { .. } => Code::MissingValue,
            EvalError::LookupOutOfRange { .. } => Code::LookupOutOfRange,
            EvalError::NoBudget => Code::NoBudget,
            EvalError::NoAnnualBudget => Code::NoAnnualBudget,
            EvalError::NoExecuted => Code::NoExecuted,
            EvalError::UnreadableCell { .. } => Code::UnreadableRowCell,
        }
    }

    /// What went wrong, in both languages.
    pub fn message(&self) -> Message {
        match self {
            EvalError::UnknownCategory { level, name, suggestion } => {
                let base = Message::new(
                    format!("the scheme has no level-{level} category `{name}`"),
                    format!("指标体系中没有{}级指标 `{name}`", if *level == 1 { "一" } else { "二" }),
                );
                match suggestion {
                    Some(s) => Message::new(
                        format!("{}; did you mean `{s}`?", base.en),
                        format!("{}；是否应为 `{s}`？", base.zh),
                    ),
                    None => base,
                }
            }
            EvalError::NoWeight => msg!(
                "the row has no 分值 and its group has no points to share",
                "该行没有分值，所属分组也没有可分配的分值"
            ),
            EvalError::NoMethod => msg!(
                "no method in the policy scores this kind of indicator",
                "政策中没有适用于此类指标的计分方法"
            ),
            EvalError::EmptyActual => msg!("the actual value is empty", "实际完成值为空"),
            EvalError::UnreadableActual { expected } => {
                let zh = match *expected {
                    "a date" => "日期",
                    "words" => "文字",
                    _ => "数值",
                };
                Message::new(
                    format!("the actual value cannot be read as {expected}"),
                    format!("实际完成值无法读作{zh}"),
                )
            }
            EvalError::UnreadableTarget => {
                msg!("the target cannot be used by this method", "指标值无法用于该计分方法")
            }
            EvalError::UnitMismatch { target, actual } => Message::new(
                format!("the target is in `{target}` but the actual is in `{actual}`"),
                format!("指标值单位为 `{target}`，实际完成值单位为 `{actual}`，两者不一致"),
            ),
            EvalError::DivisionByZero { .. } => msg!("the formula divides by zero", "计分公式出现除以零"),
            EvalError::UnsettledDivisor { value, .. } => Message::new(
                format!(
                    "the formula divides by {value}, and no clause of the method says what a zero or negative value scores, so the row is not scored"
                ),
                format!("计分公式除以 {value}，计分方法没有条款规定该值为 0 或负数时如何计分，本行不予计分"),
            ),
            EvalError::FlagFailed { flag, division_by_zero: true } => Message::new(
                format!(
                    "flag `{flag}` divides by zero in its condition, deduction or cap, so the score is unknown"
                ),
                format!("提示 `{flag}` 的条件、扣分或封顶计算出现除以零，得分无法确定"),
            ),
            EvalError::FlagFailed { flag, division_by_zero: false } => Message::new(
                format!(
                    "flag `{flag}` cannot compute its condition, deduction or cap (a number too large, or a lookup no tier holds), so the score is unknown"
                ),
                format!("提示 `{flag}` 的条件、扣分或封顶无法计算（数值过大或查表无对应档次），得分无法确定"),
            ),
            EvalError::Overflow => msg!("a number is too large to compute exactly", "数值过大，无法精确计算"),
            EvalError::NoClauseApplied => msg!("no clause of the method applies", "计分方法中没有适用的条款"),
            EvalError::TierUndetermined => {
                msg!("the actual matches no tier's words", "实际完成值与任何档次的词语都不匹配")
            }
            EvalError::RangeTarget => msg!(
                "the target is a range of two amounts, which is not one number to score against",
                "指标值是两个数值构成的区间，不是可据以计分的单一数值"
            ),
            EvalError::UnknownTier { name, .. } => Message::new(
                format!("the tier table has no tier `{name}`"),
                format!("档次表中没有档次 `{name}`"),
            ),
            EvalError::MissingValue { name } => {
                Message::new(format!("the sheet gives no `{name}`"), format!("自评表未提供 `{name}`"))
            }
            EvalError::LookupOutOfRange { value, .. } => Message::new(
                format!("no tier of the lookup table holds {value}"),
                format!("查表时没有档次包含 {value}"),
            ),
            EvalError::NoBudget => {
                msg!("the sheet has no budget block", "自评表没有项目资金（预算执行）信息")
            }
            EvalError::UnreadableCell { cell } => Message::new(
                format!("a cell of the row could not be read: {cell}"),
                format!("该行有单元格无法读取：{cell}"),
            ),
            EvalError::NoAnnualBudget => msg!(
                "the budget block has no annual budget (or it is zero), so the execution rate is unknown",
                "项目资金缺少全年预算数（或为零），无法计算执行率"
            ),
            EvalError::NoExecuted => msg!(
                "the budget block has no executed amount, so the execution rate is unknown",
                "项目资金缺少全年执行数，无法计算执行率"
            ),
        }
    }

    /// How to fix it, when that is clear.
    pub fn help(&self) -> Option<Message> {
        Some(match self {
            EvalError::NoWeight => msg!(
                "give the row a `weight`, or the group a `[[groups]]` entry with `weight`",
                "为该行填写 `weight`，或在 `[[groups]]` 中为分组填写 `weight`"
            ),
            EvalError::EmptyActual => msg!("fill in `actual`", "请填写 `actual`"),
            EvalError::UnreadableActual { expected: "a date" } => {
                msg!("write a date such as `2023年10月`", "请填写日期，如 `2023年10月`")
            }
            EvalError::UnreadableActual { .. } => msg!(
                "write the actual like the target, e.g. `95%` or `12个`",
                "请按指标值的形式填写实际完成值，如 `95%` 或 `12个`"
            ),
            EvalError::UnitMismatch { .. } => msg!(
                "write both in one unit, or declare the conversion with `unit` in the policy",
                "请统一单位，或在政策中用 `单位` 声明换算"
            ),
            EvalError::TierUndetermined => msg!(
                "name the tier in the sheet: `tier = \"达成\"`",
                "请在自评表中写明档次：`tier = \"达成\"`"
            ),
            EvalError::RangeTarget => msg!(
                "write the end that must be reached, e.g. `≥90%`, or record the reviewed score as an adjustment",
                "请写明须达到的一端，如 `≥90%`，或以人工调整记录复核后的得分"
            ),
            EvalError::UnknownTier { known, .. } => Message::new(
                format!("the tiers are `{}`", known.join("`, `")),
                format!("可选档次：`{}`", known.join("`、`")),
            ),
            EvalError::NoBudget => msg!(
                "add a `[budget]` table with `annual` and `executed`",
                "请添加 `[budget]` 表，填写 `annual` 和 `executed`"
            ),
            _ => return None,
        })
    }
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}]", self.message().en, self.code())
    }
}

impl std::error::Error for EvalError {}
