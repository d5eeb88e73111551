//! Bringing a numeric target and actual to one unit.

use std::borrow::Cow;

use rust_decimal::Decimal;

use super::{Env, Notes, Val, mentions_money};
use crate::policy::{Method, Policy};
use crate::score::{CellName, EvalError, Note};
use crate::sheet::Indicator;
use crate::value::{Quantity, Reading, ReadingNote, leading_quantity, multiplier_factor};
use crate::words::Direction;

/// A quantity whose unit is borrowed from the sheet or the policy where it can be, so that
/// scoring for the numbers alone copies no text.
#[derive(Clone, Debug)]
pub(super) struct Amount<'a> {
    pub value: Decimal,
    pub unit: Cow<'a, str>,
}

impl Amount<'_> {
    pub fn into_quantity(self) -> Quantity {
        Quantity { value: self.value, unit: self.unit.into_owned().into() }
    }

    fn of(q: &Quantity) -> Amount<'_> {
        Amount { value: q.value, unit: Cow::Borrowed(&q.unit) }
    }
}

/// A cell that is only digits, one point and digits (`2016.08`), as the number it writes.
fn dotted_number(text: &str) -> Option<Decimal> {
    let t = crate::text::fold_width(text);
    let t = t.trim();
    let (whole, fraction) = t.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(whole) && digits(fraction)) {
        return None;
    }
    t.parse().ok()
}

/// Texts that say "none happened" (`无上访`, `未发生`): zero for a ceiling target.
const NONE_WORDS: &[&str] = &["无", "零", "未发生", "没有", "未出现", "暂无"];

/// Target and actual in one unit, with notes on what was assumed.
pub(super) fn resolve<'a>(
    policy: &'a Policy,
    ind: &'a Indicator,
    method: &Method,
    env: &Env<'_>,
    direction: Direction,
    money_unit: (&str, Decimal),
    score: &mut impl Notes,
) -> Result<(Amount<'a>, Amount<'a>), EvalError> {
    let (target, target_multiplier) = match &ind.target.reading {
        Reading::Number { quantity, notes, multiplier, .. } => {
            note_reading(score, CellName::Target, notes);
            (Amount::of(quantity), *multiplier)
        }
        Reading::Empty => {
            let q = leading_quantity(&ind.name).ok_or(EvalError::UnreadableTarget)?;
            (Amount { value: q.value, unit: q.unit }, None)
        }
        _ => return Err(EvalError::UnreadableTarget),
    };
    let mut actual_multiplier = None;
    let mut actual_is_money = false;
    let actual = match &ind.actual.reading {
        Reading::Number { quantity, notes, op, multiplier } => {
            note_reading(score, CellName::Actual, notes);
            if op.is_some() {
                score.note(|| Note::ActualComparisonIgnored);
            }
            actual_multiplier = *multiplier;
            Amount::of(quantity)
        }
        Reading::Empty => match &method.default_actual {
            Some(default) => {
                let value = match env.eval(default) {
                    Ok(Val::Num(n)) => n,
                    Ok(_) => return Err(EvalError::EmptyActual),
                    Err(super::ExprError::Missing(v)) => {
                        return Err(EvalError::MissingValue { name: v.english() });
                    }
                    Err(super::ExprError::DivisionByZero | super::ExprError::UnsettledDivisor(_)) => {
                        return Err(EvalError::DivisionByZero { clause: None });
                    }
                    Err(super::ExprError::LookupOutOfRange(table, value)) => {
                        return Err(EvalError::LookupOutOfRange { table, value });
                    }
                    Err(super::ExprError::Overflow) => return Err(EvalError::Overflow),
                };
                score.note(|| Note::ActualDefaulted);
                actual_is_money = mentions_money(default);
                let unit = if actual_is_money { Cow::Borrowed("元") } else { target.unit.clone() };
                Amount { value, unit }
            }
            None => return Err(EvalError::EmptyActual),
        },
        Reading::Text { text }
            if NONE_WORDS.iter().any(|w| text.starts_with(w))
                && (direction == Direction::Lower
                    // A zero-incident target (`0起`, `=0次`): `无` is exactly what it asks for.
                    || direction == Direction::Equal && target.value.is_zero()) =>
        {
            score.note(|| Note::ActualNoneIsZero);
            Amount { value: Decimal::ZERO, unit: target.unit.clone() }
        }
        // `2016.08` reads as a year and month, but against a number it is that number (an amount
        // in 万元, say): the dotted form is the only date that is also a plain number.
        Reading::Date { op: None, .. } if let Some(value) = dotted_number(&ind.actual.text) => {
            score.note(|| Note::DottedActualAsNumber);
            Amount { value, unit: Cow::Borrowed("") }
        }
        Reading::Date { .. } => return Err(EvalError::UnreadableActual { expected: "a number" }),
        Reading::Text { .. } => return Err(EvalError::UnreadableActual { expected: "a number" }),
    };
    // A bare target against a budget amount is an amount in the sheet's money unit (`≤90` in a
    // 万元 sheet is 90 万元); `66万` already says how large it is.
    let target = if actual_is_money && target.unit.is_empty() && target_multiplier.is_none() {
        let (unit, factor) = money_unit;
        score.note(|| Note::MoneyUnitAdopted { unit: unit.to_string() });
        let value = target.value.checked_mul(factor).ok_or(EvalError::Overflow)?;
        Amount { value, unit: Cow::Borrowed("元") }
    } else {
        target
    };
    let (target, actual) =
        reconcile(policy, (target, target_multiplier), (actual, actual_multiplier), score)?;
    if actual.value < target.value
        && let Some(read_as) = misread_ge(&ind.target.reading, &ind.target.text, &target, &actual)
    {
        score.note(|| Note::TargetMaybeMisread { read_as });
    }
    // `>30个` met by exactly 30: methods compare with ≥ and ≤, so say that the edge counted.
    if matches!(ind.target.reading.op(), Some(crate::value::Op::Gt | crate::value::Op::Lt))
        && actual.value == target.value
    {
        score.note(|| Note::StrictTargetEdge);
    }
    Ok((target, actual))
}

/// A target with no comparison written `2…` (`2100个`) that its actual misses, when the text
/// after the `2` (`100个`) is met: the `≥100个` text recognition may have turned into `2100个`.
fn misread_ge(reading: &Reading, text: &str, target: &Amount<'_>, actual: &Amount<'_>) -> Option<String> {
    let Reading::Number { op: None, quantity: written, .. } = reading else { return None };
    if !text.trim_start().starts_with(['2', '２']) {
        return None;
    }
    let folded = crate::text::fold_width(text);
    // (Not a year: `2023…` leaves `023…`.)
    let rest = folded
        .trim()
        .strip_prefix('2')
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit() && c != '0'))?;
    let Reading::Number { op: None, quantity: shorter, .. } = crate::value::read(rest) else { return None };
    // The actual against the shorter target, in the units the target was compared in: met, and
    // closer to it than to the target as written (below twice the shorter one), so that an
    // ordinary miss (`250人` against `240人`) says nothing.
    if shorter.value <= Decimal::ZERO || shorter.unit != written.unit {
        return None;
    }
    let actual_scaled = actual.value.checked_mul(written.value)?;
    let shorter_scaled = target.value.checked_mul(shorter.value)?;
    let near = actual_scaled >= shorter_scaled && actual_scaled < shorter_scaled.checked_mul(Decimal::TWO)?;
    near.then(|| format!("≥{rest}"))
}

fn note_reading(score: &mut impl Notes, cell: CellName, notes: &[ReadingNote]) {
    for n in notes {
        score.note(|| match n {
            ReadingNote::Summed { parts } => Note::Summed { cell, parts: parts.clone() },
            ReadingNote::WordsIgnored => Note::WordsIgnored { cell },
        });
    }
}

/// Follow the policy's `unit` rules to a base unit.
fn canonical<'a>(policy: &'a Policy, q: Amount<'a>) -> (Amount<'a>, bool) {
    match policy.units.iter().find(|u| u.name == q.unit) {
        Some(rule) => match q.value.checked_mul(rule.factor) {
            Some(value) => (Amount { value, unit: Cow::Borrowed(&rule.base) }, true),
            // Too large to convert: left in its own unit, which then does not match.
            None => (q, false),
        },
        None => (q, false),
    }
}

/// The amount with its unit in simplified characters, noted when that changed it.
fn simplified<'a>(q: Amount<'a>, score: &mut impl Notes) -> Amount<'a> {
    let unit = crate::text::to_simplified(&q.unit);
    if unit == *q.unit {
        return q;
    }
    score.note(|| Note::TraditionalUnit { written: q.unit.to_string(), unit: unit.clone() });
    Amount { value: q.value, unit: Cow::Owned(unit) }
}

/// Bring target and actual to one unit. Each comes with the multiplier written before its unit
/// (`万` in `100万元`): a bare number on the other side is read in the unit as written, so `95`
/// against `≥100万元` is 95 万元.
fn reconcile<'a>(
    policy: &'a Policy,
    (target, target_multiplier): (Amount<'a>, Option<char>),
    (actual, actual_multiplier): (Amount<'a>, Option<char>),
    score: &mut impl Notes,
) -> Result<(Amount<'a>, Amount<'a>), EvalError> {
    // One unit written in traditional characters on one side (`≥50個` against `48个`).
    let (target, actual) = if target.unit == actual.unit {
        (target, actual)
    } else {
        (simplified(target, score), simplified(actual, score))
    };
    let (target, t_conv) = canonical(policy, target);
    let (actual, a_conv) = canonical(policy, actual);
    if (t_conv || a_conv) && target.unit != actual.unit || (t_conv != a_conv && target.unit == actual.unit) {
        score.note(|| Note::UnitsConverted);
    }
    if target.unit == actual.unit {
        return Ok((target, actual));
    }
    // A bare number up to 1 is a ratio (`0.95` is 95 %), unless read as a percentage it lies
    // nearer the other side (`0.3` against `≤0.5%` is 0.3 %, `1` against `≤1%` is 1 %).
    fn as_percent<'a>(bare: &Amount<'_>, other: Decimal, score: &mut impl Notes) -> Amount<'a> {
        // How many times apart two positive amounts are.
        let apart = |a: Decimal, b: Decimal| a.checked_div(b).zip(b.checked_div(a)).map(|(x, y)| x.max(y));
        let hundredth = bare.value / Decimal::ONE_HUNDRED;
        let nearer_as_percent = bare.value > Decimal::ZERO
            && other > Decimal::ZERO
            && apart(hundredth, other).zip(apart(bare.value, other)).is_some_and(|(p, r)| p < r);
        if bare.value <= Decimal::ONE && !nearer_as_percent {
            score.note(|| Note::RatioAsPercent);
            Amount { value: bare.value, unit: Cow::Borrowed("%") }
        } else {
            score.note(|| Note::NumberAsPercent);
            Amount { value: bare.value / Decimal::ONE_HUNDRED, unit: Cow::Borrowed("%") }
        }
    }
    match (&*target.unit, &*actual.unit) {
        ("%", "") => {
            let a = as_percent(&actual, target.value, score);
            Ok((target, a))
        }
        ("", "%") => {
            let t = as_percent(&target, actual.value, score);
            Ok((t, actual))
        }
        ("", _) => {
            let t = adopt(&target, &actual.unit, actual_multiplier, actual.value, score)?;
            Ok((t, actual))
        }
        (_, "") => {
            let a = adopt(&actual, &target.unit, target_multiplier, target.value, score)?;
            Ok((target, a))
        }
        (t, a) => Err(EvalError::UnitMismatch { target: t.to_string(), actual: a.to_string() }),
    }
}

/// A bare number read in the other side's unit, with that side's multiplier (`95` against
/// `≥100万元` is 95 万元), noted. The one exception is a number already written out in full: when
/// it lies within a factor of ten of the other side and the multiplied reading does not
/// (`12000` against `≥1万人次`), it is read in the base unit, and the note says so.
fn adopt<'a>(
    bare: &Amount<'_>,
    unit: &Cow<'a, str>,
    multiplier: Option<char>,
    other: Decimal,
    score: &mut impl Notes,
) -> Result<Amount<'a>, EvalError> {
    let near = |v: Decimal| {
        !other.is_zero()
            && v.checked_div(other).is_some_and(|r| (Decimal::new(1, 1)..=Decimal::TEN).contains(&r))
    };
    let scaled = match multiplier.and_then(|m| Some((m, multiplier_factor(m)?))) {
        Some((m, factor)) => Some((bare.value.checked_mul(factor).ok_or(EvalError::Overflow)?, m)),
        None => None,
    };
    let (value, written) = match scaled {
        Some((v, _)) if near(bare.value) && !near(v) => (bare.value, None),
        Some((v, m)) => (v, Some(m)),
        None => (bare.value, None),
    };
    score.note(|| Note::UnitAdopted {
        unit: match written {
            Some(m) => format!("{m}{unit}"),
            None => unit.to_string(),
        },
    });
    Ok(Amount { value, unit: unit.clone() })
}
