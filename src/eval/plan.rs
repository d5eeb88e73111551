//! What evaluation needs of a policy, worked out once per policy and kept with it: the flags
//! of each scope in policy order, indicator flags sorted by the directions they can apply to,
//! and for each flag's condition the values whose absence means it cannot hold, so that a flag
//! that cannot fire for a row is passed over without interpreting its condition.

use crate::ast::BinaryOp;
use crate::policy::{Expr, FlagScope, NodeId, Policy};
use crate::words::Var;

/// A set of [`Var`]s, one bit each.
pub(crate) type VarSet = u16;

/// Every value.
const ALL: VarSet = VarSet::MAX;

/// The bit of a value.
pub(crate) fn bit(v: Var) -> VarSet {
    1 << (v as u16)
}

/// The flags of one scope, ready to fire.
#[derive(Clone, Debug)]
pub(crate) struct PlannedFlag {
    /// Index into the policy's flags.
    pub flag: usize,
    /// Whether it deducts or caps.
    pub adjusts: bool,
    /// For indicator flags: the scheme nodes a row must lie under, any of them (empty: any row).
    pub nodes: Vec<NodeId>,
    /// Values whose absence makes its condition certainly not hold, with nothing in it that
    /// could fail: with one of them missing the flag does not fire and nothing is computed.
    pub needs: VarSet,
}

/// A policy's evaluation plan.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Indicator flags that can apply to a row of each direction (by
    /// [`crate::policy::direction_index`]), in policy order.
    pub(crate) indicator: [Vec<PlannedFlag>; 6],
    /// Budget flags.
    pub(crate) budget: Vec<PlannedFlag>,
    /// Group flags.
    pub(crate) group: Vec<PlannedFlag>,
    /// Sheet flags.
    pub(crate) sheet: Vec<PlannedFlag>,
    /// What scoring for the numbers alone needs: labels as written → scheme nodes, the method
    /// of each node and direction, and which scopes have flags that change scores.
    pub(crate) quick: super::scores::Quick,
}

impl Plan {
    /// Work out the plan of a policy.
    pub(crate) fn of(policy: &Policy) -> Plan {
        let mut plan = Plan::default();
        for (i, rule) in policy.flags.iter().enumerate() {
            let planned = |nodes: Vec<NodeId>| PlannedFlag {
                flag: i,
                adjusts: rule.deduct.is_some() || rule.cap.is_some(),
                nodes,
                needs: rule.condition.as_ref().map_or(0, not_true_without),
            };
            match &rule.scope {
                FlagScope::Indicators(selectors) => {
                    for (d, list) in plan.indicator.iter_mut().enumerate() {
                        let matching: Vec<_> = selectors
                            .iter()
                            .filter(|s| s.direction.is_none_or(|x| crate::policy::direction_index(x) == d))
                            .collect();
                        if !selectors.is_empty() && matching.is_empty() {
                            continue;
                        }
                        // Any node when there are no selectors or one of them names none.
                        let nodes = if matching.iter().any(|s| s.node.is_none()) {
                            Vec::new()
                        } else {
                            matching.iter().filter_map(|s| s.node).collect()
                        };
                        list.push(planned(nodes));
                    }
                }
                FlagScope::Budget => plan.budget.push(planned(Vec::new())),
                FlagScope::Group => plan.group.push(planned(Vec::new())),
                FlagScope::Sheet => plan.sheet.push(planned(Vec::new())),
            }
        }
        plan.quick = super::scores::Quick::of(policy, &plan);
        plan
    }
}

/// Whether evaluating `e` can fail (a division, arithmetic that can overflow, a lookup).
fn fallible(e: &Expr) -> bool {
    match e {
        Expr::Num(..) | Expr::Var(_) | Expr::Given(_) | Expr::Places(_) => false,
        Expr::Neg(x) | Expr::Not(x) | Expr::Abs(x) => fallible(x),
        Expr::Lookup(..) => true,
        Expr::Binary(op, a, b) => {
            !(op.is_comparison() || matches!(op, BinaryOp::And | BinaryOp::Or)) || fallible(a) || fallible(b)
        }
        Expr::Rounded(a, b) => fallible(a) || fallible(b),
        Expr::Min(xs) | Expr::Max(xs) => xs.iter().any(fallible),
    }
}

/// Values whose absence makes `e` unknown, with no failure on the way (in the lenient
/// evaluation flags use, a missing value is unknown, and unknown propagates).
fn unknown_without(e: &Expr) -> VarSet {
    let either = |a: &Expr, b: &Expr| {
        let from_a = if fallible(b) { 0 } else { unknown_without(a) };
        let from_b = if fallible(a) { 0 } else { unknown_without(b) };
        from_a | from_b
    };
    match e {
        Expr::Var(v) | Expr::Places(v) => bit(*v),
        Expr::Num(..) | Expr::Given(_) | Expr::Min(_) | Expr::Max(_) => 0,
        Expr::Neg(x) | Expr::Not(x) | Expr::Abs(x) | Expr::Lookup(_, x) => unknown_without(x),
        Expr::Binary(BinaryOp::And | BinaryOp::Or, ..) => 0,
        Expr::Binary(_, a, b) | Expr::Rounded(a, b) => either(a, b),
    }
}

/// Values whose absence makes condition `e` certainly not true, with no failure on the way.
fn not_true_without(e: &Expr) -> VarSet {
    let or_all = |x: &Expr, set: VarSet| if fallible(x) { set } else { ALL };
    match e {
        // `a and b`: a value missing from one side leaves that side not true without failing;
        // the other side is then evaluated too (unless the first was false), so it must not
        // fail either.
        Expr::Binary(BinaryOp::And, a, b) => {
            let (na, nb) = (not_true_without(a), not_true_without(b));
            (na & or_all(b, nb)) | (nb & or_all(a, na))
        }
        Expr::Binary(BinaryOp::Or, a, b) => not_true_without(a) & not_true_without(b),
        // `not x` is true when x is false: only an unknown x keeps it from holding.
        Expr::Not(x) => unknown_without(x),
        _ => unknown_without(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(v: Var) -> Box<Expr> {
        Box::new(Expr::Var(v))
    }

    fn bin(op: BinaryOp, a: Box<Expr>, b: Box<Expr>) -> Box<Expr> {
        Box::new(Expr::Binary(op, a, b))
    }

    #[test]
    fn a_missing_value_settles_only_conditions_it_cannot_fail_in() {
        // `claimed != score`: either missing makes it unknown.
        let ne = bin(BinaryOp::Ne, var(Var::Claimed), var(Var::Score));
        assert_eq!(not_true_without(&ne), bit(Var::Claimed) | bit(Var::Score));
        // `score < weight and not noted`: a missing `noted` makes `not noted` unknown, so the
        // whole is false or unknown; either side missing settles it.
        let and = bin(
            BinaryOp::And,
            bin(BinaryOp::Lt, var(Var::Score), var(Var::Weight)),
            Box::new(Expr::Not(var(Var::Noted))),
        );
        assert_eq!(not_true_without(&and), bit(Var::Score) | bit(Var::Weight) | bit(Var::Noted));
        // `claimed != score or given(points)`: the right side holds without claimed.
        let or = bin(BinaryOp::Or, ne.clone(), Box::new(Expr::Given(Var::Points)));
        assert_eq!(not_true_without(&or), 0);
        // `claimed > 0 and actual / target > 2`: without claimed the division is still made and
        // can fail, so nothing may be skipped on claimed; without actual or target the division
        // is not made.
        let ratio = bin(BinaryOp::Gt, bin(BinaryOp::Div, var(Var::Actual), var(Var::Target)), num(2));
        let guarded = bin(BinaryOp::And, bin(BinaryOp::Gt, var(Var::Claimed), num(0)), ratio.clone());
        assert_eq!(not_true_without(&guarded), bit(Var::Actual) | bit(Var::Target));
        assert_eq!(not_true_without(&ratio), bit(Var::Actual) | bit(Var::Target));
        // `not given(claimed)` holds exactly when claimed is missing.
        assert_eq!(not_true_without(&Expr::Not(Box::new(Expr::Given(Var::Claimed)))), 0);
    }

    fn num(n: i64) -> Box<Expr> {
        Box::new(Expr::Num(rust_decimal::Decimal::from(n), false))
    }
}
