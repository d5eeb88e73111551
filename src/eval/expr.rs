//! Evaluating checked expressions with exact decimals.
//!
//! Methods are strict: a value the sheet does not give is an error. Flags are lenient: a value
//! that is missing makes the comparison unknown, and an unknown condition does not fire
//! (three-valued logic, as in SQL).

use rust_decimal::Decimal;

use crate::ast::BinaryOp;
use crate::policy::{Expr, TierTable, TiersId};
use crate::words::Var;

/// The most decimal places `rounded` rounds to.
const MAX_PLACES: Decimal = Decimal::from_parts(20, 0, 0, false, 0);

/// A value during evaluation.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Val {
    /// A number.
    Num(Decimal),
    /// A date (`yyyymmdd`).
    Date(u32),
    /// A condition's result.
    Bool(bool),
    /// Missing or not comparable (flags only).
    Unknown,
}

/// Why an expression could not be evaluated.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum ExprError {
    /// Division by zero.
    DivisionByZero,
    /// Beyond exact decimals.
    Overflow,
    /// `lookup` found no tier.
    LookupOutOfRange(TiersId, Decimal),
    /// A needed value is missing (methods only).
    Missing(Var),
    /// A division by a sheet value that is zero or negative, in a clause whose conditions do
    /// not settle that value's sign (methods only).
    UnsettledDivisor(Decimal),
}

/// The values an expression can name.
#[derive(Clone, Copy, Debug)]
pub struct Env<'a> {
    /// `actual`.
    pub actual: Option<Val>,
    /// `target`.
    pub target: Option<Val>,
    /// `weight` and `full`.
    pub weight: Option<Decimal>,
    /// `score` (flags).
    pub score: Option<Decimal>,
    /// `claimed` (flags).
    pub claimed: Option<Decimal>,
    /// `noted` (flags).
    pub noted: Option<bool>,
    /// `executed`, in 元.
    pub executed: Option<Decimal>,
    /// `annual`, in 元.
    pub annual: Option<Decimal>,
    /// `initial`, in 元.
    pub initial: Option<Decimal>,
    /// `rate`.
    pub rate: Option<Decimal>,
    /// `total` (sheet flags).
    pub total: Option<Decimal>,
    /// `points` (group and sheet flags).
    pub points: Option<Decimal>,
    /// Tier tables, for `lookup`.
    pub tiers: &'a [TierTable],
    /// Whether a missing value is an error (methods) or unknown (flags).
    pub strict: bool,
    /// Whether divisions by sheet values are known to be by a value of settled sign; when not,
    /// a divisor that is zero or negative is an error rather than a ratio.
    pub settled: bool,
}

impl<'a> Env<'a> {
    /// An environment that knows no value yet.
    pub(crate) fn new(tiers: &'a [TierTable], strict: bool) -> Env<'a> {
        Env {
            actual: None,
            target: None,
            weight: None,
            score: None,
            claimed: None,
            noted: None,
            executed: None,
            annual: None,
            initial: None,
            rate: None,
            total: None,
            points: None,
            tiers,
            strict,
            settled: true,
        }
    }

    /// The values it does not have.
    pub(crate) fn missing(&self) -> super::plan::VarSet {
        use super::plan::bit;
        let mut m = 0;
        let mut absent = |present: bool, v: Var| {
            if !present {
                m |= bit(v);
            }
        };
        absent(self.actual.is_some(), Var::Actual);
        absent(self.target.is_some(), Var::Target);
        absent(self.weight.is_some(), Var::Weight);
        absent(self.weight.is_some(), Var::Full);
        absent(self.score.is_some(), Var::Score);
        absent(self.claimed.is_some(), Var::Claimed);
        absent(self.noted.is_some(), Var::Noted);
        absent(self.executed.is_some(), Var::Executed);
        absent(self.annual.is_some(), Var::Annual);
        absent(self.initial.is_some(), Var::Initial);
        absent(self.rate.is_some(), Var::Rate);
        absent(self.total.is_some(), Var::Total);
        absent(self.points.is_some(), Var::Points);
        m
    }

    fn get(&self, var: Var) -> Option<Val> {
        let num = |x: Option<Decimal>| x.map(Val::Num);
        match var {
            Var::Actual => self.actual,
            Var::Target => self.target,
            Var::Weight | Var::Full => num(self.weight),
            Var::Score => num(self.score),
            Var::Claimed => num(self.claimed),
            Var::Noted => self.noted.map(Val::Bool),
            Var::Executed => num(self.executed),
            Var::Annual => num(self.annual),
            Var::Initial => num(self.initial),
            Var::Rate => num(self.rate),
            Var::Total => num(self.total),
            Var::Points => num(self.points),
        }
    }

    /// Evaluate `e`.
    pub fn eval(&self, e: &Expr) -> Result<Val, ExprError> {
        Ok(match e {
            Expr::Num(n, _) => Val::Num(*n),
            Expr::Var(v) => match self.get(*v) {
                Some(val) => val,
                None if self.strict => return Err(ExprError::Missing(*v)),
                None => Val::Unknown,
            },
            Expr::Given(v) => Val::Bool(self.get(*v).is_some_and(|x| x != Val::Unknown)),
            Expr::Neg(x) => match self.eval(x)? {
                Val::Num(n) => Val::Num(-n),
                _ => Val::Unknown,
            },
            Expr::Not(x) => match self.eval(x)? {
                Val::Bool(b) => Val::Bool(!b),
                _ => Val::Unknown,
            },
            Expr::Abs(x) => match self.eval(x)? {
                Val::Num(n) => Val::Num(n.abs()),
                _ => Val::Unknown,
            },
            Expr::Min(xs) | Expr::Max(xs) => {
                let mut best: Option<Decimal> = None;
                for x in xs {
                    match self.eval(x)? {
                        Val::Num(n) => {
                            best = Some(match best {
                                None => n,
                                Some(b) if matches!(e, Expr::Min(_)) => b.min(n),
                                Some(b) => b.max(n),
                            })
                        }
                        _ => return Ok(Val::Unknown),
                    }
                }
                best.map_or(Val::Unknown, Val::Num)
            }
            Expr::Lookup(table, x) => match self.eval(x)? {
                Val::Num(n) => self.lookup(*table, n)?,
                _ => Val::Unknown,
            },
            Expr::Binary(op, a, b) => self.binary(*op, a, b)?,
            Expr::Rounded(x, places) => match (self.eval(x)?, self.eval(places)?) {
                (Val::Num(n), Val::Num(p)) if p.is_integer() && (Decimal::ZERO..=MAX_PLACES).contains(&p) => {
                    let p = u32::try_from(p.mantissa()).unwrap_or(0);
                    Val::Num(
                        n.round_dp_with_strategy(p, rust_decimal::RoundingStrategy::MidpointAwayFromZero),
                    )
                }
                _ => Val::Unknown,
            },
            Expr::Places(v) => match self.get(*v) {
                Some(Val::Num(n)) => Val::Num(Decimal::from(n.scale())),
                Some(_) => Val::Unknown,
                None if self.strict => return Err(ExprError::Missing(*v)),
                None => Val::Unknown,
            },
        })
    }

    fn lookup(&self, table: TiersId, x: Decimal) -> Result<Val, ExprError> {
        let Some(t) = self.tiers.get(table) else {
            return Err(ExprError::LookupOutOfRange(table, x));
        };
        match t.tiers.iter().find(|tier| tier.band.contains(x)) {
            Some(tier) => match &tier.value {
                Some(v) => self.eval(v),
                None => Err(ExprError::LookupOutOfRange(table, x)),
            },
            None => Err(ExprError::LookupOutOfRange(table, x)),
        }
    }

    fn binary(&self, op: BinaryOp, a: &Expr, b: &Expr) -> Result<Val, ExprError> {
        // Kleene logic: false and unknown = false, true or unknown = true.
        if matches!(op, BinaryOp::And | BinaryOp::Or) {
            let x = self.eval(a)?;
            let short = if op == BinaryOp::And { Val::Bool(false) } else { Val::Bool(true) };
            if x == short {
                return Ok(short);
            }
            let y = self.eval(b)?;
            if y == short {
                return Ok(short);
            }
            return Ok(match (x, y) {
                (Val::Bool(_), Val::Bool(_)) => Val::Bool(op == BinaryOp::And),
                _ => Val::Unknown,
            });
        }
        let (x, y) = (self.eval(a)?, self.eval(b)?);
        if op.is_comparison() {
            let ordering = match (x, y) {
                (Val::Num(p), Val::Num(q)) => p.cmp(&q),
                (Val::Date(p), Val::Date(q)) => p.cmp(&q),
                _ => return Ok(Val::Unknown),
            };
            return Ok(op.holds(ordering).map_or(Val::Unknown, Val::Bool));
        }
        let (Val::Num(p), Val::Num(q)) = (x, y) else {
            return Ok(Val::Unknown);
        };
        let result = match op {
            BinaryOp::Add => p.checked_add(q),
            BinaryOp::Sub => p.checked_sub(q),
            BinaryOp::Mul => p.checked_mul(q),
            _ => {
                if !self.settled && q <= Decimal::ZERO && b.reads_sheet() {
                    return Err(ExprError::UnsettledDivisor(q));
                }
                if q.is_zero() {
                    return Err(ExprError::DivisionByZero);
                }
                p.checked_div(q)
            }
        };
        result.map(Val::Num).ok_or(ExprError::Overflow)
    }

    /// Whether a condition holds (unknown does not).
    pub fn holds(&self, e: &Expr) -> Result<bool, ExprError> {
        Ok(self.eval(e)? == Val::Bool(true))
    }

    /// Evaluate a number; unknown is `None`.
    pub fn number(&self, e: &Expr) -> Result<Option<Decimal>, ExprError> {
        Ok(match self.eval(e)? {
            Val::Num(n) => Some(n),
            _ => None,
        })
    }
}
