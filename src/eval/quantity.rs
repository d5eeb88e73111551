//! Bringing a numeric target and actual to one unit.

use rust_decimal::Decimal;

use super::{Env, Val, mentions_money};
use crate::policy::{Method, Policy};
use crate::score::{CellName, EvalError, IndicatorScore, Note};
use crate::sheet::Indicator;
use crate::value::{Quantity, Reading, ReadingNote, leading_quantity};

/// Texts that say "none happened" (`无上访`, `未发生`): zero for a ceiling target.
const NONE_WORDS: &[&str] = &["无", "零", "未发生", "没有", "未出现", "暂无"];

/// Target and actual in one unit, with notes on what was assumed.
pub(super) fn resolve(
    policy: &Policy,
    ind: &Indicator,
    method: &Method,
    env: &Env<'_>,
    score: &mut IndicatorScore,
) -> Result<(Quantity, Quantity), EvalError> {
    let target = match &ind.target.reading {
        Reading::Number { quantity, notes, .. } => {
            note_reading(score, CellName::Target, notes);
            quantity.clone()
        }
        Reading::Empty => leading_quantity(&ind.name).ok_or(EvalError::UnreadableTarget)?,
        _ => return Err(EvalError::UnreadableTarget),
    };
    let actual = match &ind.actual.reading {
        Reading::Number { quantity, notes, op } => {
            note_reading(score, CellName::Actual, notes);
            if op.is_some() {
                score.notes.push(Note::ActualComparisonIgnored);
            }
            quantity.clone()
        }
        Reading::Empty => match &method.default_actual {
            Some(default) => {
                let value = match env.eval(default) {
                    Ok(Val::Num(n)) => n,
                    Ok(_) => return Err(EvalError::EmptyActual),
                    Err(super::ExprError::Missing(v)) => {
                        return Err(EvalError::MissingValue { name: v.english() });
                    }
                    Err(super::ExprError::DivisionByZero) => {
                        return Err(EvalError::DivisionByZero { clause: None });
                    }
                    Err(super::ExprError::LookupOutOfRange(table, value)) => {
                        return Err(EvalError::LookupOutOfRange { table, value });
                    }
                    Err(super::ExprError::Overflow) => return Err(EvalError::Overflow),
                };
                score.notes.push(Note::ActualDefaulted);
                let unit = if mentions_money(default) { "元".to_string() } else { target.unit.clone() };
                Quantity { value, unit }
            }
            None => return Err(EvalError::EmptyActual),
        },
        Reading::Text { text }
            if NONE_WORDS.iter().any(|w| text.starts_with(w))
                && score.direction == crate::words::Direction::Lower =>
        {
            score.notes.push(Note::ActualNoneIsZero);
            Quantity { value: Decimal::ZERO, unit: target.unit.clone() }
        }
        Reading::Date { .. } => return Err(EvalError::UnreadableActual { expected: "a number" }),
        Reading::Text { .. } => return Err(EvalError::UnreadableActual { expected: "a number" }),
    };
    let (target, actual) = reconcile(policy, target, actual, score)?;
    // `>30个` met by exactly 30: methods compare with ≥ and ≤, so say that the edge counted.
    if matches!(ind.target.reading.op(), Some(crate::value::Op::Gt | crate::value::Op::Lt))
        && actual.value == target.value
    {
        score.notes.push(Note::StrictTargetEdge);
    }
    Ok((target, actual))
}

fn note_reading(score: &mut IndicatorScore, cell: CellName, notes: &[ReadingNote]) {
    for n in notes {
        score.notes.push(match n {
            ReadingNote::Summed { parts } => Note::Summed { cell, parts: parts.clone() },
            ReadingNote::WordsIgnored => Note::WordsIgnored { cell },
        });
    }
}

/// Follow the policy's `unit` rules to a base unit.
fn canonical(policy: &Policy, q: Quantity) -> (Quantity, bool) {
    match policy.units.iter().find(|u| u.name == q.unit) {
        Some(rule) => match q.value.checked_mul(rule.factor) {
            Some(value) => (Quantity { value, unit: rule.base.clone() }, true),
            // Too large to convert: left in its own unit, which then does not match.
            None => (q, false),
        },
        None => (q, false),
    }
}

fn reconcile(
    policy: &Policy,
    target: Quantity,
    actual: Quantity,
    score: &mut IndicatorScore,
) -> Result<(Quantity, Quantity), EvalError> {
    let (target, t_conv) = canonical(policy, target);
    let (actual, a_conv) = canonical(policy, actual);
    if (t_conv || a_conv) && target.unit != actual.unit || (t_conv != a_conv && target.unit == actual.unit) {
        score.notes.push(Note::UnitsConverted);
    }
    if target.unit == actual.unit {
        return Ok((target, actual));
    }
    let as_percent = |bare: &Quantity, score: &mut IndicatorScore| -> Quantity {
        if bare.value <= Decimal::ONE {
            score.notes.push(Note::RatioAsPercent);
            Quantity { value: bare.value, unit: "%".into() }
        } else {
            score.notes.push(Note::NumberAsPercent);
            Quantity { value: bare.value / Decimal::ONE_HUNDRED, unit: "%".into() }
        }
    };
    match (target.unit.as_str(), actual.unit.as_str()) {
        ("%", "") => {
            let a = as_percent(&actual, score);
            Ok((target, a))
        }
        ("", "%") => {
            let t = as_percent(&target, score);
            Ok((t, actual))
        }
        ("", unit) => {
            score.notes.push(Note::UnitAdopted { unit: unit.to_string() });
            let unit = unit.to_string();
            Ok((Quantity { value: target.value, unit }, actual))
        }
        (unit, "") => {
            score.notes.push(Note::UnitAdopted { unit: unit.to_string() });
            let unit = unit.to_string();
            Ok((target, Quantity { value: actual.value, unit }))
        }
        (t, a) => Err(EvalError::UnitMismatch { target: t.to_string(), actual: a.to_string() }),
    }
}
