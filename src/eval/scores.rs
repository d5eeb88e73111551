//! Scoring for the numbers alone: the total, the grade, the budget score and each row's score,
//! with no trace, notes, flags or audit.
//!
//! A sheet of the usual shape (every row weighted and placed by a label the scheme knows as
//! written, nothing adjusted, nothing unscorable) is scored from the policy's plan with the
//! evaluator's own steps, keeping nothing but the numbers. Any other sheet is declined and
//! scored by [`evaluate`], whose score sheet the numbers are then taken from: the two never
//! differ.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rust_decimal::Decimal;

use super::{
    Env, Money, Scope, Unkept, Val, deadline, direction_of, evaluate, flag_scores, quantity, round_score,
    run_method,
};
use crate::policy::{MethodId, NodeId, Policy};
use crate::score::{EvalError, ScoreSheet};
use crate::sheet::{Indicator, Sheet};
use crate::value::Reading;
use crate::words::Direction;

/// The numbers of a scored sheet: what `jixiao eval --format scores` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Scores<'p> {
    /// The total after rescaling, sheet flags and rounding (the low end of `total_range`).
    pub total: Decimal,
    /// The grade the total earns, as the policy names it.
    pub grade: Option<&'p str>,
    /// The budget-execution score (`None` when the scheme has no budget item or it could not
    /// be scored).
    pub budget: Option<Decimal>,
    /// Each indicator's score in sheet order (`None` when it could not be scored).
    pub rows: Vec<Option<Decimal>>,
    /// When rows could not be scored: the lowest and highest total the sheet can reach.
    pub total_range: Option<(Decimal, Decimal)>,
}

impl<'p> Scores<'p> {
    /// The numbers of a full score sheet, which `policy` produced.
    pub fn of(policy: &'p Policy, score: &ScoreSheet) -> Scores<'p> {
        Scores {
            total: score.total,
            grade: super::grade_name(policy, score.total),
            budget: score.budget.as_ref().and_then(|b| b.score),
            rows: score.indicators.iter().map(|s| s.score).collect(),
            total_range: score.total_range,
        }
    }
}

/// Score one sheet for its numbers alone: exactly the numbers [`evaluate`] gives, without
/// building its explanations (for a sheet of an unusual shape, [`evaluate`] is run and its
/// numbers taken).
pub fn evaluate_scores<'p>(policy: &'p Policy, sheet: &Sheet) -> Scores<'p> {
    match quick(policy, sheet) {
        Some(scores) => scores,
        None => Scores::of(policy, &evaluate(policy, sheet)),
    }
}

/// The numbers of a sheet of the usual shape, or `None` for a sheet the quick path declines.
pub fn quick<'p>(policy: &'p Policy, sheet: &Sheet) -> Option<Scores<'p>> {
    let plan = policy.plan();
    let q = &plan.quick;
    if q.group_adjusts || sheet.origin.as_ref().is_some_and(|o| !o.problems.is_empty()) {
        return None;
    }
    let money = Money::of(policy, sheet);
    let budget = match &policy.scheme.budget {
        Some(item) => Some(budget_score(policy, sheet, &money, item.points)?),
        None => None,
    };
    let mut sum = Sum::default();
    if let Some(b) = budget {
        sum.add(b)?;
    }
    let mut rows = Vec::with_capacity(sheet.indicators.len());
    for ind in &sheet.indicators {
        let score = row_score(policy, ind, &money)?;
        sum.add(score)?;
        rows.push(Some(score));
    }
    // With no row left out and nothing not applicable, nothing is rescaled.
    let round_total = |x: Decimal| policy.rounding.total.map_or(x, |r| r.apply(x));
    let mut total = round_total(sum.value()?);
    if q.sheet_adjusts {
        let env = Env {
            total: Some(total),
            score: Some(total),
            claimed: sheet.total.claimed,
            weight: Some(policy.scheme.total),
            points: Some(policy.scheme.total),
            ..money.env(policy, false)
        };
        let mut failed = None;
        let adjusted = super::fire_flags(
            policy,
            &env,
            Some(total),
            true,
            round_total,
            &mut Vec::new(),
            &mut failed,
            Scope::of(&plan.sheet),
        );
        if failed.is_some() {
            return None;
        }
        total = round_total(adjusted.unwrap_or(total));
    }
    Some(Scores { total, grade: super::grade_name(policy, total), budget, rows, total_range: None })
}

/// A sum of scores added in any order: every part is positive or zero, and every addition
/// exact (no digit rounded away to make room), so grouping them by category as [`evaluate`]
/// does gives the same number written the same way.
#[derive(Default)]
struct Sum {
    value: Decimal,
    /// Whether a part was not zero (a sum of zeros is written as its last zero, which depends
    /// on the order of the parts).
    nonzero: bool,
}

impl Sum {
    fn add(&mut self, x: Decimal) -> Option<()> {
        if x.is_sign_negative() {
            return None;
        }
        if x.is_zero() {
            return Some(());
        }
        let next = self.value.checked_add(x)?;
        if self.nonzero && next.scale() != self.value.scale().max(x.scale()) {
            return None;
        }
        self.value = next;
        self.nonzero = true;
        Some(())
    }

    fn value(&self) -> Option<Decimal> {
        self.nonzero.then_some(self.value)
    }
}

fn budget_score(policy: &Policy, sheet: &Sheet, money: &Money<'_>, points: Decimal) -> Option<Decimal> {
    let budget = sheet.budget.as_ref()?;
    money.rate?;
    let method = &policy.methods[policy.selection.budget?];
    let env = Env { weight: Some(points), ..money.env(policy, true) };
    let (_, v) = run_method(method, &env, &mut Unkept, |_| Err(EvalError::NoClauseApplied)).ok()?;
    if v.abs() >= crate::value::LIMIT {
        return None;
    }
    let value = if method.capped { v.max(Decimal::ZERO).min(points) } else { v };
    let mut score = round_score(policy, value);
    if policy.plan().quick.budget_adjusts {
        let env = Env {
            weight: Some(points),
            score: Some(score),
            claimed: budget.claimed,
            noted: Some(budget.note.as_deref().is_some_and(|n| !crate::value::is_empty_note(n))),
            ..money.env(policy, false)
        };
        let scope = Scope::of(&policy.plan().budget);
        if let Some(a) = flag_scores(policy, &env, Some(score), &mut Vec::new(), scope).ok()? {
            score = round_score(policy, a);
        }
    }
    Some(score)
}

fn row_score(policy: &Policy, ind: &Indicator, money: &Money<'_>) -> Option<Decimal> {
    if ind.not_applicable || ind.adjustment.is_some() || ind.unreadable.is_some() || ind.placeholder_name {
        return None;
    }
    let weight = ind.weight?;
    let plan = policy.plan();
    let q = &plan.quick;
    let scheme = &policy.scheme;
    let root = q.root(&ind.level1)?;
    let level2 =
        if scheme.nodes[root].children.is_empty() { None } else { Some(q.child(root, &ind.level2)?) };
    let (mut direction, _) = direction_of(ind);
    let ceiling = |n: Option<NodeId>| n.is_some_and(|n| scheme.nodes[n].ceiling);
    if direction == Direction::Equal && (ceiling(level2) || ceiling(Some(root))) {
        direction = Direction::Lower;
    }
    let d = crate::policy::direction_index(direction);
    let method = &policy.methods[q.methods[level2.unwrap_or(root)][d]?];
    let mut env = Env { weight: Some(weight), ..money.env(policy, true) };
    // The values flags see: a date's actual as written, not as compared.
    let mut seen = (None, None);
    match direction {
        Direction::Higher | Direction::Lower | Direction::Equal => {
            let (target, actual) = quantity::resolve(
                policy,
                ind,
                method,
                &env,
                direction,
                (money.unit, money.factor),
                &mut Unkept,
            )
            .ok()?;
            env.target = Some(Val::Num(target.value));
            env.actual = Some(Val::Num(actual.value));
            seen = (env.target, env.actual);
        }
        Direction::Deadline => {
            let (target, actual, compared) = deadline(ind, &mut Unkept).ok()?;
            env.target = Some(Val::Date(target.ordinal()));
            env.actual = Some(Val::Date(compared.ordinal()));
            seen = (env.target, Some(Val::Date(actual.ordinal())));
        }
        Direction::Untargeted if matches!(ind.actual.reading, Reading::Empty) => return None,
        Direction::Qualitative | Direction::Untargeted => {}
    }
    let tiers =
        |t| super::qualitative(policy, &policy.tiers[t], t, ind, weight, &mut Unkept).map(|(value, _)| value);
    let (_, value) = run_method(method, &env, &mut Unkept, tiers).ok()?;
    if value.abs() >= crate::value::LIMIT {
        return None;
    }
    let value = if method.capped { value.max(Decimal::ZERO).min(weight) } else { value };
    let mut score = round_score(policy, value);
    if q.indicator_adjusts[d] {
        let env = Env {
            target: seen.0,
            actual: seen.1,
            weight: Some(weight),
            score: Some(score),
            claimed: ind.claimed,
            noted: Some(ind.noted()),
            ..money.env(policy, false)
        };
        let scope = Scope { flags: &plan.indicator[d], place: Some((Some(root), level2)) };
        if let Some(a) = flag_scores(policy, &env, Some(score), &mut Vec::new(), scope).ok()? {
            score = round_score(policy, a);
        }
    }
    Some(score)
}

/// What the quick path needs of a policy, worked out once with its plan.
#[derive(Clone, Debug, Default)]
pub(crate) struct Quick {
    /// Level-1 labels and aliases as a sheet writes them → the first level-1 node that has it.
    roots: Labels,
    /// For each node, its children's labels and aliases → the first child that has it.
    children: Vec<Labels>,
    /// For each node, the method for a row placed at it (its level-2 node, or its level-1 node
    /// when that has no level 2), by direction.
    methods: Vec<[Option<MethodId>; 6]>,
    /// Whether any indicator flag that deducts or caps can apply to a row of each direction.
    indicator_adjusts: [bool; 6],
    /// Whether a budget, group or sheet flag deducts or caps.
    budget_adjusts: bool,
    group_adjusts: bool,
    sheet_adjusts: bool,
}

type Labels = HashMap<Box<str>, NodeId, BuildHasherDefault<Fnv>>;

impl Quick {
    pub(crate) fn of(policy: &Policy, plan: &super::Plan) -> Quick {
        let scheme = &policy.scheme;
        let labels = |nodes: &[NodeId]| {
            let mut map = Labels::default();
            for &n in nodes {
                for key in &scheme.nodes[n].keys {
                    // Only a key the scheme's lookup compares as written: any other label is
                    // normalised first, which the quick path leaves to `evaluate`.
                    if super::matching_form(key) == key.as_str() {
                        map.entry(key.as_str().into()).or_insert(n);
                    }
                }
            }
            map
        };
        let methods = (0..scheme.nodes.len())
            .map(|n| {
                let at = |d: Direction| match scheme.nodes[n].parent {
                    Some(root) => policy.method_for(Some(root), Some(n), d),
                    None => policy.method_for(Some(n), None, d),
                };
                DIRECTIONS.map(at)
            })
            .collect();
        let adjusts = |flags: &[super::plan::PlannedFlag]| flags.iter().any(|f| f.adjusts);
        Quick {
            roots: labels(&scheme.roots),
            children: scheme.nodes.iter().map(|n| labels(&n.children)).collect(),
            methods,
            indicator_adjusts: std::array::from_fn(|d| adjusts(&plan.indicator[d])),
            budget_adjusts: adjusts(&plan.budget),
            group_adjusts: adjusts(&plan.group),
            sheet_adjusts: adjusts(&plan.sheet),
        }
    }

    fn root(&self, label: &str) -> Option<NodeId> {
        self.roots.get(label).copied()
    }

    fn child(&self, root: NodeId, label: &str) -> Option<NodeId> {
        self.children.get(root)?.get(label).copied()
    }
}

/// The directions in [`crate::policy::direction_index`] order.
const DIRECTIONS: [Direction; 6] = [
    Direction::Higher,
    Direction::Lower,
    Direction::Equal,
    Direction::Qualitative,
    Direction::Deadline,
    Direction::Untargeted,
];

/// FNV-1a: labels are a few bytes long and chosen by the policy, so a short hash serves.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_are_listed_in_index_order() {
        for (i, d) in DIRECTIONS.iter().enumerate() {
            assert_eq!(crate::policy::direction_index(*d), i);
        }
    }

    #[test]
    fn a_sum_of_parts_is_exact_or_nothing() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let mut sum = Sum::default();
        // Zeros leave no trace: 0.00 + 4.5 + 2.25 = 6.75, written with the parts' two places.
        for x in ["0.00", "4.5", "2.25"] {
            sum.add(d(x)).unwrap();
        }
        assert_eq!(sum.value().map(|v| v.to_string()), Some("6.75".to_string()));
        // A sum of zeros is declined, as is a negative part (−0 included).
        let mut zeros = Sum::default();
        zeros.add(d("0.00")).unwrap();
        assert_eq!(zeros.value(), None);
        assert_eq!(Sum::default().add(d("-1")), None);
        assert_eq!(Sum::default().add(-d("0.00")), None);
        // 0.0000000000000000000000000001 + 79228162514264337593543950335 cannot be exact.
        let mut big = Sum::default();
        big.add(d("0.0000000000000000000000000001")).unwrap();
        assert_eq!(big.add(d("7922816251426433759354395033")), None);
    }
}
