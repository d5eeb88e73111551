//! Methods compiled for scoring the numbers alone: each clause's condition and formula over
//! decimals held in a few slots, typed when compiled, so that running one builds no
//! environment and moves no tagged values.
//!
//! Only what evaluates exactly as [`super::Env::eval`] does in a method (strict: a missing
//! value is an error) is compiled: numbers, the values a method can be given, `places`, `-`,
//! `abs`, arithmetic, `min` and `max` of numbers, comparisons of numbers, `and`, `or`, `not`
//! and `given` of conditions. Such an expression never gives "unknown": every value is a
//! number or a truth, so the three-valued logic of [`super::Env`] reduces to plain logic. A
//! method with anything else (`lookup`, `rounded`, a value that is not a number, a mixed
//! type) is not compiled and runs through [`super::run_method`]. Any error (a missing value,
//! a division by zero or by an unsettled sheet value, an overflow) gives `None`, and the quick
//! path then declines the sheet, as [`super::evaluate`] leaves such a row unscored.

use rust_decimal::Decimal;

use crate::ast::BinaryOp;
use crate::policy::{Expr, Method, Outcome, TiersId};
use crate::words::Var;

/// The values a method can read, by slot.
pub(super) type Values = [Option<Decimal>; 7];

pub(super) const ACTUAL: usize = 0;
pub(super) const TARGET: usize = 1;
pub(super) const WEIGHT: usize = 2;
pub(super) const EXECUTED: usize = 3;
pub(super) const ANNUAL: usize = 4;
pub(super) const INITIAL: usize = 5;
pub(super) const RATE: usize = 6;

/// The slot of a value a method is given (`None` for the values only flags see, which are
/// missing in a method).
fn slot(v: Var) -> Option<usize> {
    Some(match v {
        Var::Actual => ACTUAL,
        Var::Target => TARGET,
        Var::Weight | Var::Full => WEIGHT,
        Var::Executed => EXECUTED,
        Var::Annual => ANNUAL,
        Var::Initial => INITIAL,
        Var::Rate => RATE,
        Var::Score | Var::Claimed | Var::Noted | Var::Total | Var::Points => return None,
    })
}

/// A compiled method.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    clauses: Vec<Clause>,
}

#[derive(Clone, Debug)]
struct Clause {
    settled: bool,
    condition: Option<Cond>,
    outcome: Out,
}

#[derive(Clone, Debug)]
enum Out {
    Num(Num),
    Tiers(TiersId),
}

/// An expression that gives a number.
#[derive(Clone, Debug)]
enum Num {
    Const(Decimal),
    Var(usize),
    Places(usize),
    Neg(Box<Num>),
    Abs(Box<Num>),
    /// `+ - * /`; for a division, whether the divisor reads a sheet value.
    Arith(BinaryOp, Box<Num>, Box<Num>, bool),
    /// `a * b / c` of three values (`weight * actual / target`), the usual proportional
    /// score, held flat; whether `c` reads a sheet value.
    MulDiv(usize, usize, usize, bool),
    Min(Vec<Num>),
    Max(Vec<Num>),
}

/// An expression that gives a truth.
#[derive(Clone, Debug)]
enum Cond {
    /// `given(v)`: whether the slot holds a value (`None`: a value a method is never given).
    Given(Option<usize>),
    Not(Box<Cond>),
    /// A value against a value (`actual >= target`), the commonest condition, held flat.
    CompareVars(BinaryOp, usize, usize),
    /// A value against a number (`target > 0`).
    CompareConst(BinaryOp, usize, Decimal),
    Compare(BinaryOp, Box<Num>, Box<Num>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

impl Compiled {
    /// The compiled form of a method, if all of it compiles.
    pub(crate) fn of(method: &Method) -> Option<Compiled> {
        let clauses = method
            .clauses
            .iter()
            .map(|c| {
                Some(Clause {
                    settled: c.settled,
                    condition: match &c.condition {
                        Some(e) => Some(cond(e)?),
                        None => None,
                    },
                    outcome: match &c.outcome {
                        Outcome::Expr(e) => Out::Num(num(e)?),
                        Outcome::Tiers(t) => Out::Tiers(*t),
                    },
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Compiled { clauses })
    }

    /// The value of the first clause whose condition holds; `tiers` scores a `tiers` outcome.
    /// `None` when a clause fails or none applies.
    pub(super) fn run(&self, v: &Values, tiers: impl FnOnce(TiersId) -> Option<Decimal>) -> Option<Decimal> {
        for c in &self.clauses {
            if let Some(cond) = &c.condition
                && !cond.holds(v, c.settled)?
            {
                continue;
            }
            return match &c.outcome {
                Out::Num(n) => n.operand(v, c.settled),
                Out::Tiers(t) => tiers(*t),
            };
        }
        None
    }
}

fn num(e: &Expr) -> Option<Num> {
    Some(match e {
        Expr::Num(n, _) => Num::Const(*n),
        Expr::Var(v) => Num::Var(slot(*v)?),
        Expr::Places(v) => Num::Places(slot(*v)?),
        Expr::Neg(x) => Num::Neg(Box::new(num(x)?)),
        Expr::Abs(x) => Num::Abs(Box::new(num(x)?)),
        Expr::Binary(op @ (BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div), a, b) => {
            let (x, y) = (num(a)?, num(b)?);
            if let (BinaryOp::Div, Num::Arith(BinaryOp::Mul, p, q, _), Num::Var(c)) = (op, &x, &y)
                && let (Num::Var(p), Num::Var(q)) = (&**p, &**q)
            {
                return Some(Num::MulDiv(*p, *q, *c, b.reads_sheet()));
            }
            Num::Arith(*op, Box::new(x), Box::new(y), b.reads_sheet())
        }
        // An empty list gives no number.
        Expr::Min(xs) if !xs.is_empty() => Num::Min(xs.iter().map(num).collect::<Option<_>>()?),
        Expr::Max(xs) if !xs.is_empty() => Num::Max(xs.iter().map(num).collect::<Option<_>>()?),
        _ => return None,
    })
}

fn cond(e: &Expr) -> Option<Cond> {
    Some(match e {
        Expr::Given(v) => Cond::Given(slot(*v)),
        Expr::Not(x) => Cond::Not(Box::new(cond(x)?)),
        Expr::Binary(BinaryOp::And, a, b) => Cond::And(Box::new(cond(a)?), Box::new(cond(b)?)),
        Expr::Binary(BinaryOp::Or, a, b) => Cond::Or(Box::new(cond(a)?), Box::new(cond(b)?)),
        Expr::Binary(op, a, b) if op.is_comparison() => match (num(a)?, num(b)?) {
            (Num::Var(x), Num::Var(y)) => Cond::CompareVars(*op, x, y),
            (Num::Var(x), Num::Const(c)) => Cond::CompareConst(*op, x, c),
            (a, b) => Cond::Compare(*op, Box::new(a), Box::new(b)),
        },
        _ => return None,
    })
}

impl Num {
    /// [`Num::eval`], with a number or a value taken in place rather than by a call.
    #[inline(always)]
    fn operand(&self, v: &Values, settled: bool) -> Option<Decimal> {
        match self {
            Num::Const(n) => Some(*n),
            Num::Var(s) => v[*s],
            _ => self.eval(v, settled),
        }
    }

    fn eval(&self, v: &Values, settled: bool) -> Option<Decimal> {
        match self {
            Num::Const(n) => Some(*n),
            Num::Var(s) => v[*s],
            Num::Places(s) => v[*s].map(|n| Decimal::from(n.scale())),
            Num::Neg(x) => Some(-x.operand(v, settled)?),
            Num::Abs(x) => Some(x.operand(v, settled)?.abs()),
            Num::Arith(op, a, b, reads_sheet) => {
                let (p, q) = (a.operand(v, settled)?, b.operand(v, settled)?);
                match op {
                    BinaryOp::Add => p.checked_add(q),
                    BinaryOp::Sub => p.checked_sub(q),
                    BinaryOp::Mul => p.checked_mul(q),
                    _ => divide(p, q, settled, *reads_sheet),
                }
            }
            Num::MulDiv(a, b, c, reads_sheet) => {
                divide(v[*a]?.checked_mul(v[*b]?)?, v[*c]?, settled, *reads_sheet)
            }
            Num::Min(xs) => xs.iter().try_fold(None, |best: Option<Decimal>, x| {
                let n = x.operand(v, settled)?;
                Some(Some(best.map_or(n, |b| crate::num::min(b, n))))
            })?,
            Num::Max(xs) => xs.iter().try_fold(None, |best: Option<Decimal>, x| {
                let n = x.operand(v, settled)?;
                Some(Some(best.map_or(n, |b| crate::num::max(b, n))))
            })?,
        }
    }
}

/// `p / q`, or `None` for a division by zero, or by a sheet value not above zero before the
/// sheet's values are settled.
#[inline]
fn divide(p: Decimal, q: Decimal, settled: bool, reads_sheet: bool) -> Option<Decimal> {
    if q.is_zero() || (!settled && q.is_sign_negative() && reads_sheet) {
        return None;
    }
    p.checked_div(q)
}

impl Cond {
    fn holds(&self, v: &Values, settled: bool) -> Option<bool> {
        Some(match self {
            Cond::Given(s) => s.is_some_and(|s| v[s].is_some()),
            Cond::Not(x) => !x.holds(v, settled)?,
            Cond::CompareVars(op, x, y) => op.holds(crate::num::cmp(v[*x]?, v[*y]?))?,
            Cond::CompareConst(op, x, c) => op.holds(crate::num::cmp(v[*x]?, *c))?,
            Cond::Compare(op, a, b) => {
                let ordering = crate::num::cmp(a.operand(v, settled)?, b.operand(v, settled)?);
                op.holds(ordering)?
            }
            Cond::And(a, b) => a.holds(v, settled)? && b.holds(v, settled)?,
            Cond::Or(a, b) => a.holds(v, settled)? || b.holds(v, settled)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::{Env, Val};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn var(v: Var) -> Box<Expr> {
        Box::new(Expr::Var(v))
    }

    fn bin(op: BinaryOp, a: Box<Expr>, b: Box<Expr>) -> Box<Expr> {
        Box::new(Expr::Binary(op, a, b))
    }

    /// The compiled form and the interpreter agree, value and failure alike.
    fn agree(e: &Expr, actual: Option<Decimal>, target: Option<Decimal>, settled: bool) {
        let env = Env {
            actual: actual.map(Val::Num),
            target: target.map(Val::Num),
            weight: Some(d("10")),
            rate: Some(d("0.9")),
            settled,
            ..Env::new(&[], true)
        };
        let values: Values = [actual, target, Some(d("10")), None, None, None, Some(d("0.9"))];
        let interpreted = match env.eval(e) {
            Ok(Val::Num(n)) => Some(n.to_string()),
            Ok(Val::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        let compiled = match (num(e), cond(e)) {
            (Some(n), _) => n.eval(&values, settled).map(|n| n.to_string()),
            (_, Some(c)) => c.holds(&values, settled).map(|b| b.to_string()),
            _ => panic!("{e:?} compiles"),
        };
        assert_eq!(compiled, interpreted, "{e:?} with actual {actual:?}, target {target:?}");
    }

    #[test]
    fn compiled_expressions_evaluate_as_interpreted() {
        // weight * actual / target: 10 × 150 / 200 = 7.5; a zero target fails; an unsettled
        // negative target fails; a missing actual fails.
        let ratio =
            bin(BinaryOp::Div, bin(BinaryOp::Mul, var(Var::Weight), var(Var::Actual)), var(Var::Target));
        agree(&ratio, Some(d("150")), Some(d("200")), true);
        agree(&ratio, Some(d("150")), Some(d("0")), true);
        agree(&ratio, Some(d("150")), Some(d("-2")), false);
        agree(&ratio, Some(d("150")), Some(d("-2")), true);
        agree(&ratio, None, Some(d("200")), true);
        // `target == 0 and actual == 0`, `actual >= target or given(claimed)`, `not (rate < 90%)`.
        let zero = || Box::new(Expr::Num(Decimal::ZERO, false));
        let both = bin(
            BinaryOp::And,
            bin(BinaryOp::Eq, var(Var::Target), zero()),
            bin(BinaryOp::Eq, var(Var::Actual), zero()),
        );
        agree(&both, Some(d("0")), Some(d("0")), true);
        agree(&both, Some(d("1")), Some(d("0")), true);
        // A false first side settles `and` before the missing actual is read.
        agree(&both, None, Some(d("5")), true);
        let either = bin(
            BinaryOp::Or,
            bin(BinaryOp::Ge, var(Var::Actual), var(Var::Target)),
            Box::new(Expr::Given(Var::Claimed)),
        );
        agree(&either, Some(d("3")), Some(d("4")), true);
        agree(&either, Some(d("4")), Some(d("4")), true);
        // `actual >= target * 120%`: an operand that is not a value alone.
        let far = bin(
            BinaryOp::Ge,
            var(Var::Actual),
            bin(BinaryOp::Mul, var(Var::Target), Box::new(Expr::Num(d("1.2"), true))),
        );
        agree(&far, Some(d("120")), Some(d("100")), true);
        agree(&far, Some(d("119.99")), Some(d("100")), true);
        agree(&far, None, Some(d("100")), true);
        let low = Expr::Not(bin(BinaryOp::Lt, var(Var::Rate), Box::new(Expr::Num(d("0.9"), true))));
        agree(&low, None, None, true);
        // min(full, max(0, weight * rate - 1)), places(actual), abs(-actual).
        let capped = Expr::Min(vec![
            Expr::Var(Var::Full),
            Expr::Max(vec![
                Expr::Num(Decimal::ZERO, false),
                *bin(
                    BinaryOp::Sub,
                    bin(BinaryOp::Mul, var(Var::Weight), var(Var::Rate)),
                    Box::new(Expr::Num(Decimal::ONE, false)),
                ),
            ]),
        ]);
        agree(&capped, None, None, true);
        agree(&Expr::Places(Var::Actual), Some(d("1.250")), None, true);
        agree(&Expr::Abs(Box::new(Expr::Neg(var(Var::Actual)))), Some(d("2.5")), None, true);
        // A value only flags see is missing in a method.
        assert!(num(&Expr::Var(Var::Score)).is_none());
        assert!(cond(&Expr::Lookup(0, var(Var::Rate))).is_none());
    }
}
