//! The checked, resolved policy: what the evaluator runs.
//!
//! Names are indices, literals are decimals, every rule keeps the place it was written. A
//! resolved policy does not remember how it was composed (`extends`, `override`): evaluation
//! sees one plain policy.

use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::ast::BinaryOp;
use crate::words::{AuditCheck, Direction, InapplicableMode, RoundMode, TakeRule, Var};

/// Where a rule was written: an index into [`Policy::files`] and a 1-based line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Default)]
#[non_exhaustive]
pub struct Location {
    /// Index into [`Policy::files`].
    pub file: u16,
    /// 1-based line.
    pub line: u32,
}

/// Index of a node in [`Scheme::nodes`].
pub type NodeId = usize;
/// Index into [`Policy::methods`].
pub type MethodId = usize;
/// Index into [`Policy::tiers`].
pub type TiersId = usize;

/// A resolved policy.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Policy {
    /// Display name.
    pub name: String,
    /// Jurisdiction it belongs to.
    pub jurisdiction: String,
    /// First year it applies to.
    pub year: u32,
    /// Legal basis.
    pub basis: Option<String>,
    /// The files it was composed from, the policy's own file first.
    #[serde(skip)]
    pub files: Vec<String>,
    /// Kept for [`Policy::hash`], worked out when first asked for: checking a policy never needs it.
    #[serde(skip)]
    pub(crate) hash: std::sync::OnceLock<String>,
    /// The indicator tree.
    pub scheme: Scheme,
    /// Scoring methods.
    pub methods: Vec<Method>,
    /// Which method scores what.
    pub selection: Selection,
    /// Tier tables.
    pub tiers: Vec<TierTable>,
    /// Grade bands, best first.
    pub grades: Vec<GradeBand>,
    /// Rounding rules.
    pub rounding: RoundingRules,
    /// Unit conversions.
    pub units: Vec<UnitRule>,
    /// What not-applicable indicators do.
    pub inapplicable: InapplicableMode,
    /// Flags.
    pub flags: Vec<FlagRule>,
    /// How the built-in audit of the table's arithmetic is changed (left out of the hash when
    /// the policy keeps every check as it is).
    #[serde(skip_serializing_if = "Audit::is_default")]
    pub audit: Audit,
    /// The evaluation plan, worked out on the first evaluation. A policy is not changed once
    /// it is resolved; one changed after it has scored a sheet must be resolved again.
    #[serde(skip)]
    pub(crate) plan: std::sync::OnceLock<crate::eval::Plan>,
}

/// The built-in checks of a table's own arithmetic, as a policy leaves them: every check is on
/// under its own title unless the policy says otherwise.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Audit {
    /// Checks switched off.
    pub off: Vec<AuditCheck>,
    /// Checks shown under another title.
    pub titles: Vec<(AuditCheck, String)>,
}

impl Audit {
    /// Whether the policy changes nothing.
    pub fn is_default(&self) -> bool {
        self.off.is_empty() && self.titles.is_empty()
    }

    /// Whether a check runs.
    pub fn enabled(&self, check: AuditCheck) -> bool {
        !self.off.contains(&check)
    }

    /// The title the policy gives a check, if it gives one.
    pub fn title(&self, check: AuditCheck) -> Option<&str> {
        self.titles.iter().find(|(c, _)| *c == check).map(|(_, t)| t.as_str())
    }
}

/// The indicator tree.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Scheme {
    /// Total points (usually 100).
    #[serde(serialize_with = "crate::report::json::exact")]
    pub total: Decimal,
    /// The budget-execution item.
    pub budget: Option<BudgetItem>,
    /// All categories; level-1 nodes have no parent.
    pub nodes: Vec<SchemeNode>,
    /// Level-1 nodes in order.
    pub roots: Vec<NodeId>,
    /// How unweighted indicators share a group's points, unless a node says otherwise.
    pub split: SplitRule,
}

/// The budget-execution item.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct BudgetItem {
    /// Its label.
    pub label: String,
    /// Other labels.
    pub aliases: Vec<String>,
    /// Its points.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub points: Decimal,
}

/// A category.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct SchemeNode {
    /// The label real tables use.
    pub label: String,
    /// Other labels that mean the same.
    pub aliases: Vec<String>,
    /// A cost category: targets written `=` in it (or below it) are ceilings, scored as ≤.
    pub ceiling: bool,
    /// Points, if fixed by the scheme.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub points: Option<Decimal>,
    /// Parent category.
    pub parent: Option<NodeId>,
    /// Sub-categories.
    pub children: Vec<NodeId>,
    /// How its points reach unweighted indicators.
    pub split: SplitRule,
    /// Label and aliases in matching form (see [`crate::text::normalize_label`]).
    #[serde(skip)]
    pub keys: Vec<String>,
}

/// How a group's points are shared among indicators without their own weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[non_exhaustive]
pub struct SplitRule {
    /// Whole-number shares (the remainder goes to the first indicators).
    pub integers: bool,
}

/// A scoring method.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Method {
    /// Its name.
    pub name: String,
    /// Display label.
    pub label: Option<String>,
    /// Doc comment (shown in explanations; not part of the content hash).
    #[serde(skip)]
    pub doc: Option<String>,
    /// Whether scores are held to [0, weight].
    pub capped: bool,
    /// Value used for an empty actual.
    pub default_actual: Option<Expr>,
    /// Clauses in order.
    pub clauses: Vec<ClauseRule>,
    /// Where it was declared.
    #[serde(skip)]
    pub location: Location,
}

/// One clause of a method.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct ClauseRule {
    /// Whether every division by a sheet value in it has its divisor's sign settled by the
    /// conditions that lead to it; where not, a divisor that is zero or negative leaves the row
    /// unscored.
    #[serde(skip)]
    pub settled: bool,
    /// The condition; `None` for `else`.
    pub condition: Option<Expr>,
    /// The score.
    pub outcome: Outcome,
    /// Doc comment (shown in explanations; not part of the content hash).
    #[serde(skip)]
    pub doc: Option<String>,
    /// The clause as written, for explanations.
    #[serde(skip)]
    pub text: String,
    /// Where it was written.
    #[serde(skip)]
    pub location: Location,
}

/// What a clause gives.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub enum Outcome {
    /// A formula.
    Expr(Expr),
    /// A qualitative tier table.
    Tiers(TiersId),
}

/// Which method applies, most specific first: a level-2 category, a level-1 category, any.
#[derive(Clone, Debug, Serialize, Default)]
#[non_exhaustive]
pub struct Selection {
    /// Per scheme node, per direction ([`Direction`] as index).
    pub by_node: Vec<[Option<MethodId>; 6]>,
    /// For any category.
    pub any: [Option<MethodId>; 6],
    /// For the budget block.
    pub budget: Option<MethodId>,
}

/// Index of a direction in selection tables.
pub fn direction_index(d: Direction) -> usize {
    match d {
        Direction::Higher => 0,
        Direction::Lower => 1,
        Direction::Equal => 2,
        Direction::Qualitative => 3,
        Direction::Deadline => 4,
        Direction::Untargeted => 5,
    }
}

impl Scheme {
    /// The level-1 node a sheet label names.
    pub fn find_root(&self, label: &str) -> Option<NodeId> {
        self.find_among(&self.roots, label)
    }

    /// The level-2 node under `root` a sheet label names.
    pub fn find_child(&self, root: NodeId, label: &str) -> Option<NodeId> {
        self.find_among(&self.nodes.get(root)?.children, label)
    }

    /// The first of `nodes` whose keys hold `label` in matching form. A label that normalising
    /// would leave as it is (the usual case) is compared as written, with no allocation.
    fn find_among(&self, nodes: &[NodeId], label: &str) -> Option<NodeId> {
        let has = |n: NodeId, key: &str| self.nodes.get(n).is_some_and(|x| x.keys.iter().any(|k| k == key));
        let unchanged = !label.ends_with(')')
            && !label.chars().any(|c| c.is_whitespace() || ('\u{FF01}'..='\u{FF5E}').contains(&c));
        if unchanged {
            return nodes.iter().copied().find(|&n| has(n, label));
        }
        let key = crate::text::normalize_label(label);
        nodes.iter().copied().find(|&n| has(n, &key))
    }

    /// Whether `node` is `ancestor` or lies under it.
    pub fn is_under(&self, node: NodeId, ancestor: NodeId) -> bool {
        let mut at = Some(node);
        while let Some(n) = at {
            if n == ancestor {
                return true;
            }
            at = self.nodes.get(n).and_then(|x| x.parent);
        }
        false
    }
}

impl Policy {
    /// The method for an indicator under `level1` and `level2` with `direction`: the level-2
    /// category's, else the level-1 category's, else the one for any category.
    pub fn method_for(
        &self,
        level1: Option<NodeId>,
        level2: Option<NodeId>,
        direction: Direction,
    ) -> Option<MethodId> {
        let d = direction_index(direction);
        let of = |n: Option<NodeId>| n.and_then(|n| self.selection.by_node.get(n)).and_then(|row| row[d]);
        of(level2).or_else(|| of(level1)).or(self.selection.any[d])
    }

    /// What evaluation needs of the policy, worked out once.
    pub(crate) fn plan(&self) -> &crate::eval::Plan {
        self.plan.get_or_init(|| crate::eval::Plan::of(self))
    }

    /// `sha256:` and the first 16 hex digits of the hash of the resolved rules (not their
    /// layout or comments), so a score can be traced to the exact rules that produced it.
    /// Worked out on the first call and kept: a policy is not changed once it is resolved.
    pub fn hash(&self) -> &str {
        self.hash.get_or_init(|| self.content_hash())
    }

    /// Hash of the resolved rules: file names, layout and comments do not change it. Worked out
    /// afresh on each call; [`Policy::hash`] keeps it.
    pub fn content_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        // The policy as compact JSON, decimals as exact numbers: the bytes hashed since the
        // first release, so a policy keeps its hash.
        let text = crate::report::json::to_string(self).unwrap_or_default();
        let digest = Sha256::digest(text.as_bytes());
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    }

    /// The file a location points into.
    pub fn file_of(&self, location: Location) -> &str {
        self.files.get(location.file as usize).map(String::as_str).unwrap_or("?")
    }
}

/// A tier table.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct TierTable {
    /// Its name.
    pub name: String,
    /// Display label.
    pub label: Option<String>,
    /// Tiers in the order written.
    pub tiers: Vec<TierRule>,
    /// Which value a qualitative tier gives.
    pub take: TakeRule,
    /// What to take when `take` gives nothing.
    pub fallback: TakeRule,
    /// Where it was declared.
    #[serde(skip)]
    pub location: Location,
}

/// One tier.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct TierRule {
    /// Its name.
    pub name: Option<String>,
    /// Display label.
    pub label: Option<String>,
    /// Its band.
    pub band: Band,
    /// Its value in a lookup.
    pub value: Option<Expr>,
    /// Actual texts that select it, in matching form ([`crate::text::normalize_label`]).
    pub words: Vec<String>,
    /// Selected when the actual repeats the target text.
    pub matches_target: bool,
    /// Where it was written.
    #[serde(skip)]
    pub location: Location,
}

/// A band of numbers with optional, inclusive or exclusive ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Band {
    /// Lower end and whether it is included.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub low: Option<(Decimal, bool)>,
    /// Upper end and whether it is included.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub high: Option<(Decimal, bool)>,
}

impl Band {
    /// Whether `part / whole` lies in the band, as [`Band::contains`] of the decimal quotient
    /// has it (`false` when there is none). For small numbers the ends are compared with
    /// `part` times the whole instead of dividing: with digits below 10^9 and at most four
    /// places each, a quotient that is not an end lies at least 10^-17 from it, far beyond
    /// the quotient's rounding, so both ways agree.
    pub fn contains_share(&self, part: Decimal, whole: Decimal) -> bool {
        self.contains_share_by_product(part, whole)
            .unwrap_or_else(|| part.checked_div(whole).is_some_and(|share| self.contains(share)))
    }

    fn contains_share_by_product(&self, part: Decimal, whole: Decimal) -> Option<bool> {
        use std::cmp::Ordering::{Greater, Less};
        let small = |d: Decimal| d.mantissa().unsigned_abs() < 1_000_000_000 && d.scale() <= 4;
        if !whole.is_sign_positive() || whole.is_zero() || !small(part) || !small(whole) {
            return None;
        }
        let against = |end: Decimal| {
            if !small(end) {
                return None;
            }
            Some(crate::num::cmp(part, end.checked_mul(whole)?))
        };
        let above = match self.low {
            Some((v, true)) => against(v)? != Less,
            Some((v, false)) => against(v)? == Greater,
            None => true,
        };
        let below = match self.high {
            Some((v, true)) => against(v)? != Greater,
            Some((v, false)) => against(v)? == Less,
            None => true,
        };
        Some(above && below)
    }

    /// Whether `x` lies in the band.
    pub fn contains(&self, x: Decimal) -> bool {
        use std::cmp::Ordering::{Greater, Less};
        let above = match self.low {
            Some((v, true)) => crate::num::cmp(x, v) != Less,
            Some((v, false)) => crate::num::cmp(x, v) == Greater,
            None => true,
        };
        let below = match self.high {
            Some((v, true)) => crate::num::cmp(x, v) != Greater,
            Some((v, false)) => crate::num::cmp(x, v) == Less,
            None => true,
        };
        above && below
    }
}

/// A grade band.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct GradeBand {
    /// Its name (`优`).
    pub name: String,
    /// Its band; `None` for "everything else".
    pub band: Option<Band>,
}

/// Rounding rules.
#[derive(Clone, Copy, Debug, Serialize, Default)]
#[non_exhaustive]
pub struct RoundingRules {
    /// Indicator and budget scores.
    pub score: Option<RoundSpec>,
    /// The total.
    pub total: Option<RoundSpec>,
    /// The execution rate before use.
    pub rate: Option<RoundSpec>,
}

/// Decimal places and a mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RoundSpec {
    /// Decimal places.
    pub places: u32,
    /// Mode.
    pub mode: RoundMode,
}

impl RoundSpec {
    /// Round `x`.
    pub fn apply(self, x: Decimal) -> Decimal {
        // Nothing to round: the general rounding gives `x` as it is.
        if x.scale() <= self.places {
            return x;
        }
        self.apply_digits(x).unwrap_or_else(|| self.apply_general(x))
    }

    /// [`RoundSpec::apply`] on the digits as one integer: one division by a power of ten
    /// instead of `rust_decimal`'s nine digits at a time with the remainder rebuilt. `None`
    /// where the general rounding decides (nothing to round, zero).
    #[inline]
    fn apply_digits(self, x: Decimal) -> Option<Decimal> {
        let scale = x.scale();
        if scale <= self.places || x.is_zero() {
            return None;
        }
        let digits = x.mantissa().unsigned_abs();
        let divisor = *crate::num::POWERS.get((scale - self.places) as usize)?;
        let kept = digits / divisor;
        let rest = digits - kept * divisor;
        // `rest` is below `divisor` ≤ 10^28, so twice it cannot overflow.
        let half = (2 * rest).cmp(&divisor);
        let up = match self.mode {
            RoundMode::HalfUp => half != std::cmp::Ordering::Less,
            RoundMode::HalfEven => half == std::cmp::Ordering::Greater || (half.is_eq() && kept % 2 == 1),
            RoundMode::Down => false,
            RoundMode::Up => rest != 0,
        };
        let kept = i128::try_from(kept + u128::from(up)).ok()?;
        // A result of zero is written without its sign, as the general rounding writes it.
        Decimal::try_from_i128_with_scale(if x.is_sign_negative() { -kept } else { kept }, self.places).ok()
    }

    fn apply_general(self, x: Decimal) -> Decimal {
        use rust_decimal::RoundingStrategy as S;
        let strategy = match self.mode {
            RoundMode::HalfUp => S::MidpointAwayFromZero,
            RoundMode::HalfEven => S::MidpointNearestEven,
            RoundMode::Down => S::ToZero,
            RoundMode::Up => S::AwayFromZero,
        };
        x.round_dp_with_strategy(self.places, strategy)
    }
}

/// A unit conversion: one `name` is `factor` × `base`.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct UnitRule {
    /// The unit defined.
    pub name: String,
    /// Multiplier.
    #[serde(serialize_with = "crate::report::json::exact")]
    pub factor: Decimal,
    /// The unit it is expressed in.
    pub base: String,
}

/// A flag.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct FlagRule {
    /// Its name.
    pub name: String,
    /// Display label.
    pub label: Option<String>,
    /// What it looks at.
    pub scope: FlagScope,
    /// When it fires; `None`: always, for everything in scope.
    pub condition: Option<Expr>,
    /// Chinese (default) message.
    pub message: Option<String>,
    /// English message.
    pub message_en: Option<String>,
    /// Points deducted from the scope's score.
    pub deduct: Option<Expr>,
    /// Ceiling on the scope's score.
    pub cap: Option<Expr>,
    /// Where it was declared.
    #[serde(skip)]
    pub location: Location,
}

/// What a flag looks at.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub enum FlagScope {
    /// Indicators matching any of these (none: all indicators).
    Indicators(Vec<IndicatorSelector>),
    /// The budget block.
    Budget,
    /// Each category subtotal.
    Group,
    /// The whole sheet.
    Sheet,
}

/// A resolved selector for indicators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IndicatorSelector {
    /// Scheme node the indicator must be under.
    pub node: Option<NodeId>,
    /// Direction it must have.
    pub direction: Option<Direction>,
}

/// A checked expression.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub enum Expr {
    /// A number; `true` if written as a percentage.
    Num(#[serde(serialize_with = "crate::report::json::exact")] Decimal, bool),
    /// A value.
    Var(Var),
    /// `-x`
    Neg(Box<Expr>),
    /// `not x`
    Not(Box<Expr>),
    /// `a op b`
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `min(…)`
    Min(Vec<Expr>),
    /// `max(…)`
    Max(Vec<Expr>),
    /// `abs(x)`
    Abs(Box<Expr>),
    /// `given(v)`
    Given(Var),
    /// `lookup(table, x)`
    Lookup(TiersId, Box<Expr>),
    /// `rounded(x, places)`
    Rounded(Box<Expr>, Box<Expr>),
    /// `places(v)`: the decimal places a sheet value is written with.
    Places(Var),
}

impl Expr {
    /// Values a sheet gives, whose sign a policy cannot know in advance.
    pub const SHEET_VALUES: [Var; 6] =
        [Var::Actual, Var::Target, Var::Executed, Var::Annual, Var::Initial, Var::Rate];

    /// Whether it reads a value from the sheet ([`Expr::SHEET_VALUES`]).
    pub fn reads_sheet(&self) -> bool {
        match self {
            Expr::Var(v) => Self::SHEET_VALUES.contains(v),
            Expr::Num(..) | Expr::Given(_) => false,
            Expr::Places(v) => Self::SHEET_VALUES.contains(v),
            Expr::Neg(x) | Expr::Not(x) | Expr::Abs(x) | Expr::Lookup(_, x) => x.reads_sheet(),
            Expr::Binary(_, a, b) | Expr::Rounded(a, b) => a.reads_sheet() || b.reads_sheet(),
            Expr::Min(xs) | Expr::Max(xs) => xs.iter().any(Expr::reads_sheet),
        }
    }

    /// Binding strength, for printing with the fewest parentheses.
    pub fn precedence(&self) -> u8 {
        match self {
            Expr::Binary(op, ..) => match op {
                BinaryOp::Or => 1,
                BinaryOp::And => 2,
                op if op.is_comparison() => 4,
                BinaryOp::Add | BinaryOp::Sub => 5,
                _ => 6,
            },
            Expr::Not(_) => 3,
            Expr::Neg(_) => 7,
            _ => 8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MODES: [RoundMode; 4] = [RoundMode::HalfUp, RoundMode::HalfEven, RoundMode::Down, RoundMode::Up];

    /// The rounding on one integer gives exactly the general rounding: value, scale and sign.
    fn agree(x: Decimal, places: u32) {
        for mode in MODES {
            let spec = RoundSpec { places, mode };
            let (fast, general) = (spec.apply(x), spec.apply_general(x));
            assert_eq!(
                (fast, fast.scale(), fast.is_sign_negative()),
                (general, general.scale(), general.is_sign_negative()),
                "{x} to {places} places, {mode:?}"
            );
        }
    }

    /// A share of small numbers is placed in a band by products exactly as by the quotient,
    /// including at the ends, open and closed, and for quotients that do not terminate.
    #[test]
    fn a_share_is_placed_by_products_as_by_its_quotient() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let bands = [
            Band { low: Some((d("0.8"), true)), high: Some((d("1"), true)) },
            Band { low: Some((d("0.6"), true)), high: Some((d("0.8"), false)) },
            Band { low: Some((d("0"), true)), high: Some((d("0.6"), false)) },
            Band { low: Some((d("0.3333"), false)), high: None },
            Band { low: None, high: Some((d("0.6667"), true)) },
        ];
        let mut next = crate::num::random(0x1234_5678_9abc_def1);
        let mut by_product = 0;
        let mut check = |part: Decimal, whole: Decimal| {
            for band in &bands {
                let expected = part.checked_div(whole).is_some_and(|s| band.contains(s));
                assert_eq!(band.contains_share(part, whole), expected, "{part} / {whole} in {band:?}");
                by_product += usize::from(band.contains_share_by_product(part, whole).is_some());
            }
        };
        // The ends exactly: 12 of 15 is 80 %, 9 of 15 is 60 %, 1 of 3 is not 0.3333.
        for (part, whole) in
            [("12", "15"), ("9", "15"), ("15", "15"), ("1", "3"), ("2", "3"), ("0", "7"), ("12.01", "15")]
        {
            check(d(part), d(whole));
        }
        for _ in 0..20_000 {
            let whole = Decimal::new((next() % 2_000 + 1) as i64, (next() % 3) as u32);
            let part = Decimal::new((next() % 3_000) as i64, (next() % 5) as u32);
            check(part, whole);
            // A part that is an end of a band times the whole, or one step beside it.
            let end = [d("0.8"), d("0.6"), d("0.3333"), d("0.6667")][(next() % 4) as usize];
            let at = end * whole;
            for p in [at, at + Decimal::new(1, at.scale()), at - Decimal::new(1, at.scale())] {
                check(p, whole);
            }
        }
        // Large or negative numbers go by the quotient.
        check(d("123456789012"), d("7"));
        check(d("5"), d("-10"));
        assert!(by_product > 300_000, "{by_product} placed by products");
    }

    #[test]
    fn rounding_on_the_digits_is_the_general_rounding() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let cases = concat!(
            "4.375 4.385 4.365 -4.375 -4.385 0.005 -0.005 0.004 -0.004 0.0049999 2.5 3.5 -2.5 ",
            "-3.5 0.00 -0.000 1.99999999999999999999999999 7 0.0000000000000000000000000001 ",
            "-0.0000000000000000000000000005 79228162514264337593543950335 ",
            "-79228162514264337593543950335 7.9228162514264337593543950335 ",
            "-7.9228162514264337593543950335 99.995 99.994999 8.3333333333333333333333333333 ",
            "8.3350000000000000000000000000 ",
        );
        for s in cases.split_whitespace() {
            for places in 0..=29 {
                agree(d(s), places);
            }
        }
        // The weight × actual ÷ target of a corpus row, rounded half up to cents.
        let x = Decimal::from(5) * Decimal::from(7) / Decimal::from(8);
        // (rounded on its digits, not handed to the general rounding)
        assert!(RoundSpec { places: 2, mode: RoundMode::HalfUp }.apply_digits(x).is_some());
        assert_eq!(RoundSpec { places: 2, mode: RoundMode::HalfUp }.apply(x).to_string(), "4.38");
        assert_eq!(RoundSpec { places: 2, mode: RoundMode::HalfEven }.apply(x).to_string(), "4.38");
        assert_eq!(RoundSpec { places: 2, mode: RoundMode::Down }.apply(x).to_string(), "4.37");
        let third = Decimal::from(10) / Decimal::from(3);
        assert_eq!(RoundSpec { places: 1, mode: RoundMode::Up }.apply(third).to_string(), "3.4");
        assert_eq!(RoundSpec { places: 2, mode: RoundMode::HalfUp }.apply(-third).to_string(), "-3.33");
    }

    proptest! {
        #[test]
        fn any_decimal_rounds_as_the_general_rounding(
            lo in any::<u32>(),
            mid in any::<u32>(),
            hi in prop_oneof![Just(0u32), any::<u32>()],
            negative in any::<bool>(),
            scale in 0u32..=28,
            places in 0u32..=30,
        ) {
            agree(Decimal::from_parts(lo, mid, hi, negative, scale), places);
        }

        #[test]
        fn midpoints_round_as_the_general_rounding(
            kept in 0u64..1_000_000,
            negative in any::<bool>(),
            extra in 1u32..=20,
            places in 0u32..=6,
        ) {
            // `kept` and a 5 followed by zeros: exactly half way.
            let digits = (i128::from(kept) * 10 + 5) * 10i128.pow(extra - 1);
            let x = Decimal::from_i128_with_scale(if negative { -digits } else { digits }, places + extra);
            agree(x, places);
        }
    }
}
