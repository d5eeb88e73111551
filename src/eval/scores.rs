//! Scoring for the numbers alone: the total, the grade, the budget score and each row's score,
//! with no trace, notes, flags or audit.
//!
//! A sheet of the usual shape is scored from the policy's plan with the evaluator's own steps
//! (quantity resolution, tier choice, rounding, and for flags that deduct or cap, its flag
//! functions), keeping nothing but the numbers; methods run compiled where they compile
//! ([`super::compiled`]). Any other sheet is declined and scored by [`evaluate`], whose score
//! sheet the numbers are then taken from, so the two never differ. Declined are sheets with:
//!
//! - a row without its own weight (a share of a group's points, a detail row), a `其中…` row,
//!   not applicable, adjusted, with an unreadable cell or a placeholder name, or whose category
//!   labels are not exactly, as written, a label or alias of the scheme;
//! - a row or the budget that cannot be scored, or a flag whose deduction or cap fails;
//! - cells a workbook reading could not read;
//! - a policy with group flags that deduct or cap;
//! - scores that are negative, all zero, or whose sum is not exact (the evaluator adds them
//!   by category, and only an exact sum of parts at or above zero is the same in any order).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rust_decimal::Decimal;

use super::compiled::{self, Compiled, Values};
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
    let strict = money.env(policy, true);
    let budget = match &policy.scheme.budget {
        Some(item) => Some(budget_score(policy, sheet, &money, &strict, item.points)?),
        None => None,
    };
    let mut sum = Sum::default();
    if let Some(b) = budget {
        sum.add(b)?;
    }
    let mut rows = Vec::with_capacity(sheet.indicators.len());
    let mut last = Last::default();
    // The budget amounts every row's method sees.
    let base = values(&money, Decimal::ZERO, None, None);
    for ind in &sheet.indicators {
        let score = row_score(policy, plan, ind, &money, &base, &strict, &mut last)?;
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
    #[inline(always)]
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

/// `v.max(0).min(weight)`, as a capped method holds its result, with the first comparison
/// left out where it cannot change `v` (a value above zero is its own maximum with zero).
#[inline]
fn clamp(v: Decimal, weight: Decimal) -> Decimal {
    let v = if v.is_sign_positive() && !v.is_zero() { v } else { v.max(Decimal::ZERO) };
    crate::num::min(v, weight)
}

/// Whether a method's result is too large to be a score (as [`evaluate`] has it: at least
/// [`crate::value::LIMIT`] either way).
fn too_large(v: Decimal) -> bool {
    crate::num::cmp(v.abs(), crate::value::LIMIT) != std::cmp::Ordering::Less
}

/// The values a compiled method reads.
fn values(money: &Money<'_>, weight: Decimal, target: Option<Decimal>, actual: Option<Decimal>) -> Values {
    let mut v: Values = [None; 7];
    v[compiled::ACTUAL] = actual;
    v[compiled::TARGET] = target;
    v[compiled::WEIGHT] = Some(weight);
    v[compiled::EXECUTED] = money.executed;
    v[compiled::ANNUAL] = money.annual;
    v[compiled::INITIAL] = money.initial;
    v[compiled::RATE] = money.rate;
    v
}

fn budget_score(
    policy: &Policy,
    sheet: &Sheet,
    money: &Money<'_>,
    strict: &Env<'_>,
    points: Decimal,
) -> Option<Decimal> {
    let budget = sheet.budget.as_ref()?;
    money.rate?;
    let id = policy.selection.budget?;
    let method = &policy.methods[id];
    let v = match &policy.plan().quick.compiled[id] {
        // The checker allows no `tiers` outcome in a budget method.
        Some(c) => c.run(&values(money, points, None, None), |_| None)?,
        None => {
            let env = Env { weight: Some(points), ..*strict };
            run_method(method, &env, &mut Unkept, |_| Err(EvalError::NoClauseApplied)).ok()?.1
        }
    };
    if too_large(v) {
        return None;
    }
    let value = if method.capped { clamp(v, points) } else { v };
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

/// The labels of the row before and where they were placed: rows of a sheet come in runs of
/// one category, so most rows are placed by one comparison each.
#[derive(Default)]
struct Last<'s> {
    root: Option<(&'s str, NodeId)>,
    child: Option<(NodeId, &'s str, NodeId)>,
}

fn row_score<'s>(
    policy: &Policy,
    plan: &super::Plan,
    ind: &'s Indicator,
    money: &Money<'_>,
    base: &Values,
    strict: &Env<'_>,
    last: &mut Last<'s>,
) -> Option<Decimal> {
    // (A weighted `其中…` row may be a part of the row above, which `evaluate` then leaves out.)
    if ind.not_applicable
        || ind.extra.as_deref().is_some_and(|e| e.adjustment.is_some() || e.unreadable.is_some())
        || ind.placeholder_name
        || ind.detail_name
    {
        return None;
    }
    let weight = ind.weight?;
    let q = &plan.quick;
    let scheme = &policy.scheme;
    let root = match last.root {
        Some((label, node)) if crate::text::same(label, &ind.level1) => node,
        _ => {
            let node = q.root(&ind.level1)?;
            last.root = Some((&ind.level1, node));
            node
        }
    };
    let level2 = if scheme.nodes[root].children.is_empty() {
        None
    } else {
        Some(match last.child {
            Some((r, label, node)) if r == root && crate::text::same(label, &ind.level2) => node,
            _ => {
                let node = q.child(root, &ind.level2)?;
                last.child = Some((root, &ind.level2, node));
                node
            }
        })
    };
    let (mut direction, _) = direction_of(ind);
    let ceiling = |n: Option<NodeId>| n.is_some_and(|n| scheme.nodes[n].ceiling);
    if direction == Direction::Equal && (ceiling(level2) || ceiling(Some(root))) {
        direction = Direction::Lower;
    }
    let d = crate::policy::direction_index(direction);
    let method_id = q.methods[level2.unwrap_or(root)][d]?;
    let method = &policy.methods[method_id];
    // The usual case: both written in one unit that no rule converts, which
    // `quantity::resolve` takes as they are.
    let plain = match (&ind.target.reading, &ind.actual.reading) {
        (Reading::Number { quantity: t, .. }, Reading::Number { quantity: a, .. })
            if crate::text::same(&t.unit, &a.unit) && !q.converts(policy, &t.unit) =>
        {
            Some((t.value, a.value))
        }
        _ => None,
    };
    let operands = match direction {
        Direction::Higher | Direction::Lower | Direction::Equal => {
            let (target, actual) = match plain {
                Some(pair) => pair,
                None => {
                    // The environment serves only an empty actual's default.
                    let default_env;
                    let env = if matches!(ind.actual.reading, Reading::Empty) {
                        default_env = Env { weight: Some(weight), ..*strict };
                        &default_env
                    } else {
                        strict
                    };
                    let (t, a) = quantity::resolve(
                        policy,
                        ind,
                        method,
                        env,
                        direction,
                        (money.unit, money.factor),
                        &mut Unkept,
                    )
                    .ok()?;
                    (t.value, a.value)
                }
            };
            Operands::Numbers(target, actual)
        }
        Direction::Deadline => {
            let (target, actual, compared) = deadline(ind, &mut Unkept).ok()?;
            Operands::Dates {
                target: target.ordinal(),
                compared: compared.ordinal(),
                actual: actual.ordinal(),
            }
        }
        Direction::Untargeted if matches!(ind.actual.reading, Reading::Empty) => return None,
        Direction::Qualitative | Direction::Untargeted => Operands::Neither,
    };
    let value = match (q.compiled[method_id].as_ref(), &operands) {
        (Some(c), Operands::Numbers(..) | Operands::Neither) => {
            let tiers = |t| {
                super::qualitative(policy, &policy.tiers[t], t, ind, weight, &mut Unkept).ok().map(|(v, _)| v)
            };
            let mut v = *base;
            if let Operands::Numbers(target, actual) = operands {
                v[compiled::ACTUAL] = Some(actual);
                v[compiled::TARGET] = Some(target);
            }
            v[compiled::WEIGHT] = Some(weight);
            c.run(&v, tiers)?
        }
        _ => {
            let (target, actual) = operands.used();
            let env = Env { weight: Some(weight), target, actual, ..*strict };
            let tiers =
                |t| super::qualitative(policy, &policy.tiers[t], t, ind, weight, &mut Unkept).map(|(v, _)| v);
            run_method(method, &env, &mut Unkept, tiers).ok()?.1
        }
    };
    if too_large(value) {
        return None;
    }
    let value = if method.capped { clamp(value, weight) } else { value };
    let mut score = round_score(policy, value);
    if q.indicator_adjusts[d] {
        let (target, actual) = operands.seen();
        let env = Env {
            target,
            actual,
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

/// What a row's method compares: two numbers, a deadline and the date it was met, or nothing
/// (a qualitative or untargeted row).
enum Operands {
    Numbers(Decimal, Decimal),
    /// Day numbers: the deadline, the actual as compared (a month that holds the deadline is
    /// compared as the deadline) and the actual as written.
    Dates {
        target: u32,
        compared: u32,
        actual: u32,
    },
    Neither,
}

impl Operands {
    /// The target and actual a method sees.
    fn used(&self) -> (Option<Val>, Option<Val>) {
        match *self {
            Operands::Numbers(t, a) => (Some(Val::Num(t)), Some(Val::Num(a))),
            Operands::Dates { target, compared, .. } => (Some(Val::Date(target)), Some(Val::Date(compared))),
            Operands::Neither => (None, None),
        }
    }

    /// The target and actual flags see (a date's actual as written).
    fn seen(&self) -> (Option<Val>, Option<Val>) {
        match *self {
            Operands::Dates { target, actual, .. } => (Some(Val::Date(target)), Some(Val::Date(actual))),
            _ => self.used(),
        }
    }
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
    /// Each method compiled, where it compiles.
    compiled: Vec<Option<Compiled>>,
    /// Whether any indicator flag that deducts or caps can apply to a row of each direction.
    indicator_adjusts: [bool; 6],
    /// A filter on the units a rule converts: one bit for each of their names ([`unit_bit`]),
    /// so that most units are known to be left as they are at once.
    converted_units: u64,
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
                Direction::ALL.map(at)
            })
            .collect();
        let adjusts = |flags: &[super::plan::PlannedFlag]| flags.iter().any(|f| f.adjusts);
        Quick {
            roots: labels(&scheme.roots),
            children: scheme.nodes.iter().map(|n| labels(&n.children)).collect(),
            methods,
            compiled: policy.methods.iter().map(Compiled::of).collect(),
            indicator_adjusts: std::array::from_fn(|d| adjusts(&plan.indicator[d])),
            converted_units: policy.units.iter().fold(0, |bits, u| bits | unit_bit(&u.name)),
            budget_adjusts: adjusts(&plan.budget),
            group_adjusts: adjusts(&plan.group),
            sheet_adjusts: adjusts(&plan.sheet),
        }
    }

    /// Whether a unit rule of the policy converts `unit`.
    #[inline]
    fn converts(&self, policy: &Policy, unit: &str) -> bool {
        self.converted_units & unit_bit(unit) != 0
            && policy.units.iter().any(|u| crate::text::same(&u.name, unit))
    }

    fn root(&self, label: &str) -> Option<NodeId> {
        self.roots.get(label).copied()
    }

    fn child(&self, root: NodeId, label: &str) -> Option<NodeId> {
        self.children.get(root)?.get(label).copied()
    }
}

/// A unit's bit in [`Quick::converted_units`], from its length and its first and last bytes
/// (a unit of one Chinese character shares its first byte with many others).
#[inline]
fn unit_bit(unit: &str) -> u64 {
    let b = unit.as_bytes();
    let (first, last) = (b.first().copied().unwrap_or(0), b.last().copied().unwrap_or(0));
    let key = b.len() as u64 | u64::from(first) << 8 | u64::from(last) << 16;
    1 << (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58)
}

/// A short multiplicative hash taking eight bytes at a time: labels are a few bytes long and
/// the table's keys are the policy's, so nothing is gained by a stronger one.
#[derive(Clone, Copy, Default)]
struct Fnv(u64);

impl Fnv {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.mix(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.mix(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.mix(u64::from(b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_are_listed_in_index_order() {
        for (i, d) in Direction::ALL.iter().enumerate() {
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
