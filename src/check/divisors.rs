//! Divisions by sheet values. `weight * actual / target` is a ratio only while `target` is
//! positive: at zero it divides by zero, and below zero (`≥-2%` met by `-4%`) it gives a
//! ratio above 1 that a cap turns into full marks. A clause may divide by `actual`, `target` or
//! a budget amount only where its own condition, or the conditions of the clauses before it
//! (which did not fire), settle the divisor's sign: strictly positive or strictly negative.
//!
//! The reasoning is deliberately small: comparisons of a value with a number or with another
//! value, joined by `and` (or, for clauses that did not fire, by `or`), give each value lower
//! and upper bounds, which flow along `actual > target` and the like until nothing changes.

use rust_decimal::Decimal;

use crate::ast::BinaryOp;
use crate::policy::Expr;
use crate::words::Var;

/// Values that come from the sheet, whose sign a policy cannot know.
fn from_sheet(v: Var) -> bool {
    Expr::SHEET_VALUES.contains(&v)
}

fn mentions_sheet(e: &Expr) -> bool {
    e.reads_sheet()
}

/// One side of a comparison the reasoning understands.
#[derive(Clone, Copy, PartialEq)]
enum Atom {
    Var(Var),
    Num(Decimal),
}

fn atom(e: &Expr) -> Option<Atom> {
    match e {
        Expr::Var(v) => Some(Atom::Var(*v)),
        Expr::Num(n, _) => Some(Atom::Num(*n)),
        Expr::Neg(x) => match &**x {
            Expr::Num(n, _) => Some(Atom::Num(-*n)),
            _ => None,
        },
        _ => None,
    }
}

/// `a op b`, with `op` one of `>`, `>=`, `=`, `!=` (the others are turned around).
#[derive(Clone, Copy)]
struct Fact {
    a: Atom,
    op: BinaryOp,
    b: Atom,
}

fn negate(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Ge => BinaryOp::Lt,
        BinaryOp::Gt => BinaryOp::Le,
        BinaryOp::Le => BinaryOp::Gt,
        BinaryOp::Lt => BinaryOp::Ge,
        BinaryOp::Eq => BinaryOp::Ne,
        BinaryOp::Ne => BinaryOp::Eq,
        other => other,
    }
}

/// The facts that hold when `e` is `truth`; only what can be relied on (a disjunction that
/// must hold gives nothing).
fn facts(e: &Expr, truth: bool, out: &mut Vec<Fact>) {
    match e {
        Expr::Not(x) => facts(x, !truth, out),
        Expr::Binary(BinaryOp::And, x, y) if truth => {
            facts(x, true, out);
            facts(y, true, out);
        }
        Expr::Binary(BinaryOp::Or, x, y) if !truth => {
            facts(x, false, out);
            facts(y, false, out);
        }
        Expr::Binary(op, x, y) if op.is_comparison() => {
            let (Some(a), Some(b)) = (atom(x), atom(y)) else { return };
            let op = if truth { *op } else { negate(*op) };
            let fact = match op {
                BinaryOp::Lt => Fact { a: b, op: BinaryOp::Gt, b: a },
                BinaryOp::Le => Fact { a: b, op: BinaryOp::Ge, b: a },
                op => Fact { a, op, b },
            };
            out.push(fact);
        }
        _ => {}
    }
}

/// A bound on a value: the number and whether it is strict.
type Bound = Option<(Decimal, bool)>;

#[derive(Clone, Copy, Default)]
struct Range {
    low: Bound,
    high: Bound,
    nonzero: bool,
}

/// The tighter of two lower bounds (`lower`) or of two upper bounds.
fn tighter(old: Bound, new: Bound, lower: bool) -> Bound {
    match (old, new) {
        (None, n) => n,
        (o, None) => o,
        (Some((x, xs)), Some((y, ys))) => {
            let better = if lower { y > x || y == x && ys && !xs } else { y < x || y == x && ys && !xs };
            Some(if better { (y, ys) } else { (x, xs) })
        }
    }
}

struct Ranges(Vec<(Var, Range)>);

impl Ranges {
    fn get(&self, a: Atom) -> Range {
        match a {
            Atom::Num(n) => Range { low: Some((n, false)), high: Some((n, false)), nonzero: !n.is_zero() },
            Atom::Var(v) => self.0.iter().find(|(w, _)| *w == v).map(|(_, r)| *r).unwrap_or_default(),
        }
    }

    /// Narrow `a`; whether anything changed.
    fn narrow(&mut self, a: Atom, low: Bound, high: Bound, nonzero: bool) -> bool {
        let Atom::Var(v) = a else { return false };
        let i = match self.0.iter().position(|(w, _)| *w == v) {
            Some(i) => i,
            None => {
                self.0.push((v, Range::default()));
                self.0.len() - 1
            }
        };
        let old = self.0[i].1;
        let mut r = Range {
            low: tighter(old.low, low, true),
            high: tighter(old.high, high, false),
            nonzero: old.nonzero || nonzero,
        };
        // `x != 0` and `x <= 0` make `x < 0`.
        if r.nonzero {
            if r.low == Some((Decimal::ZERO, false)) {
                r.low = Some((Decimal::ZERO, true));
            }
            if r.high == Some((Decimal::ZERO, false)) {
                r.high = Some((Decimal::ZERO, true));
            }
        }
        let changed = r.low != old.low || r.high != old.high || r.nonzero != old.nonzero;
        self.0[i].1 = r;
        changed
    }
}

/// The sign a value is known to have.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Sign {
    Positive,
    Negative,
    Unknown,
}

fn sign_of_range(r: Range) -> Sign {
    match (r.low, r.high) {
        (Some((l, strict)), _) if l > Decimal::ZERO || l.is_zero() && strict => Sign::Positive,
        (_, Some((h, strict))) if h < Decimal::ZERO || h.is_zero() && strict => Sign::Negative,
        _ => Sign::Unknown,
    }
}

fn sign(e: &Expr, ranges: &Ranges) -> Sign {
    let flip = |s: Sign| match s {
        Sign::Positive => Sign::Negative,
        Sign::Negative => Sign::Positive,
        Sign::Unknown => Sign::Unknown,
    };
    match e {
        Expr::Num(n, _) if n.is_zero() => Sign::Unknown,
        Expr::Num(n, _) => {
            if n.is_sign_negative() {
                Sign::Negative
            } else {
                Sign::Positive
            }
        }
        Expr::Var(v) => sign_of_range(ranges.get(Atom::Var(*v))),
        Expr::Neg(x) => flip(sign(x, ranges)),
        Expr::Binary(BinaryOp::Mul | BinaryOp::Div, a, b) => match (sign(a, ranges), sign(b, ranges)) {
            (Sign::Unknown, _) | (_, Sign::Unknown) => Sign::Unknown,
            (x, y) if x == y => Sign::Positive,
            _ => Sign::Negative,
        },
        Expr::Binary(BinaryOp::Add, a, b) => match (sign(a, ranges), sign(b, ranges)) {
            (x, y) if x == y => x,
            _ => Sign::Unknown,
        },
        _ => Sign::Unknown,
    }
}

/// What is known about each value under `given`.
fn ranges(given: &[Fact]) -> Ranges {
    let mut ranges = Ranges(Vec::new());
    // Each round can only tighten a bound to another bound already present, so this ends;
    // the cap guards against a long chain all the same.
    for _ in 0..16 {
        let mut changed = false;
        for f in given {
            let (ra, rb) = (ranges.get(f.a), ranges.get(f.b));
            let strict = matches!(f.op, BinaryOp::Gt);
            let carry = |b: Bound| b.map(|(x, s)| (x, s || strict));
            match f.op {
                BinaryOp::Gt | BinaryOp::Ge => {
                    // a > b: a is above b's lower bound, b below a's upper bound.
                    changed |= ranges.narrow(f.a, carry(rb.low), None, false);
                    changed |= ranges.narrow(f.b, None, carry(ra.high), false);
                }
                BinaryOp::Eq => {
                    changed |= ranges.narrow(f.a, rb.low, rb.high, rb.nonzero);
                    changed |= ranges.narrow(f.b, ra.low, ra.high, ra.nonzero);
                }
                BinaryOp::Ne => {
                    if rb.low == Some((Decimal::ZERO, false)) && rb.high == Some((Decimal::ZERO, false)) {
                        changed |= ranges.narrow(f.a, None, None, true);
                    }
                    if ra.low == Some((Decimal::ZERO, false)) && ra.high == Some((Decimal::ZERO, false)) {
                        changed |= ranges.narrow(f.b, None, None, true);
                    }
                }
                _ => {}
            }
        }
        if !changed {
            break;
        }
    }
    ranges
}

/// The divisors in `e` that read the sheet.
fn divisors<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match e {
        Expr::Binary(op, a, b) => {
            if *op == BinaryOp::Div && mentions_sheet(b) {
                out.push(b);
            }
            divisors(a, out);
            divisors(b, out);
        }
        Expr::Neg(x) | Expr::Not(x) | Expr::Abs(x) | Expr::Lookup(_, x) => divisors(x, out),
        Expr::Rounded(a, b) => {
            divisors(a, out);
            divisors(b, out);
        }
        Expr::Min(xs) | Expr::Max(xs) => xs.iter().for_each(|x| divisors(x, out)),
        Expr::Num(..) | Expr::Var(_) | Expr::Given(_) | Expr::Places(_) => {}
    }
}

/// The first sheet value that clause `index` of a method divides by without its sign being
/// settled. `clauses` holds each clause's condition (`None` for `else`) and its formula
/// (`None` for a tier outcome).
pub(super) fn unsettled(clauses: &[(Option<&Expr>, Option<&Expr>)], index: usize) -> Option<Var> {
    let &(condition, formula) = clauses.get(index)?;
    // The condition is evaluated with what the earlier clauses leave; the formula with that
    // and the condition itself.
    let mut found = Vec::new();
    if let Some(c) = condition {
        divisors(c, &mut found);
    }
    let mut in_formula = Vec::new();
    if let Some(f) = formula {
        divisors(f, &mut in_formula);
    }
    // Most clauses divide by nothing: then nothing is unsettled, whatever the earlier ones say.
    if found.is_empty() && in_formula.is_empty() {
        return None;
    }
    let mut given = Vec::new();
    for (earlier, _) in &clauses[..index] {
        if let Some(c) = earlier {
            facts(c, false, &mut given);
        }
    }
    let before = ranges(&given);
    let unsettled_in = |list: &[&Expr], r: &Ranges| {
        list.iter().find(|d| sign(d, r) == Sign::Unknown).map(|d| first_sheet_var(d))
    };
    if let Some(v) = unsettled_in(&found, &before) {
        return v;
    }
    if in_formula.is_empty() {
        return None;
    }
    if let Some(c) = condition {
        facts(c, true, &mut given);
    }
    unsettled_in(&in_formula, &ranges(&given)).flatten()
}

fn first_sheet_var(e: &Expr) -> Option<Var> {
    match e {
        Expr::Var(v) if from_sheet(*v) => Some(*v),
        Expr::Places(v) if from_sheet(*v) => Some(*v),
        Expr::Num(..) | Expr::Var(_) | Expr::Given(_) | Expr::Places(_) => None,
        Expr::Neg(x) | Expr::Not(x) | Expr::Abs(x) | Expr::Lookup(_, x) => first_sheet_var(x),
        Expr::Binary(_, a, b) | Expr::Rounded(a, b) => first_sheet_var(a).or_else(|| first_sheet_var(b)),
        Expr::Min(xs) | Expr::Max(xs) => xs.iter().find_map(first_sheet_var),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(v: Var) -> Expr {
        Expr::Var(v)
    }
    fn num(n: i64) -> Expr {
        Expr::Num(Decimal::from(n), false)
    }
    fn bin(op: BinaryOp, a: Expr, b: Expr) -> Expr {
        Expr::Binary(op, Box::new(a), Box::new(b))
    }

    #[test]
    fn a_ratio_behind_met_is_unsettled_until_the_target_is_positive() {
        let met = bin(BinaryOp::Ge, var(Var::Actual), var(Var::Target));
        let ratio = bin(BinaryOp::Div, var(Var::Actual), var(Var::Target));
        let positive = bin(BinaryOp::Gt, var(Var::Target), num(0));
        assert_eq!(unsettled(&[(Some(&met), None), (None, Some(&ratio))], 1), Some(Var::Target));
        assert_eq!(unsettled(&[(Some(&met), None), (Some(&positive), Some(&ratio))], 1), None);
    }

    #[test]
    fn signs_flow_along_comparisons() {
        // when actual <= target => full; when target > 0 => target / actual: actual > target > 0.
        let within = bin(BinaryOp::Le, var(Var::Actual), var(Var::Target));
        let positive = bin(BinaryOp::Gt, var(Var::Target), num(0));
        let reverse = bin(BinaryOp::Div, var(Var::Target), var(Var::Actual));
        assert_eq!(unsettled(&[(Some(&within), None), (Some(&positive), Some(&reverse))], 1), None);
        // when actual >= target; when target > 0; else target / actual: actual < target <= 0,
        // so actual is negative.
        let met = bin(BinaryOp::Ge, var(Var::Actual), var(Var::Target));
        let clauses = [(Some(&met), None), (Some(&positive), None), (None, Some(&reverse))];
        assert_eq!(unsettled(&clauses, 2), None);
    }

    #[test]
    fn not_equal_to_zero_with_a_non_strict_bound_is_strict() {
        let zero = bin(BinaryOp::Eq, var(Var::Target), num(0));
        let positive = bin(BinaryOp::Gt, var(Var::Target), num(0));
        let ratio = bin(BinaryOp::Div, var(Var::Actual), var(Var::Target));
        assert_eq!(unsettled(&[(Some(&zero), None), (Some(&positive), None), (None, Some(&ratio))], 2), None);
        assert_eq!(unsettled(&[(Some(&positive), None), (None, Some(&ratio))], 1), Some(Var::Target));
    }
}
