//! The built-in audit: the table's own arithmetic, checked whatever the policy's flags say.
//!
//! Every number compared here is one the table prints (weights, claimed scores, the claimed
//! total and grade); a check that needs a number the table leaves out is not made.

use rust_decimal::Decimal;

use super::{Claim, group_claim, group_key};
use crate::num;
use crate::policy::{NodeId, Policy};
use crate::score::*;
use crate::sheet::Sheet;
use crate::text::points_in_label;
use crate::words::AuditCheck;

/// What a group is, in the terms of [`group_key`].
fn key_of(g: &GroupScore) -> Option<Result<NodeId, &str>> {
    match (g.level2, &g.unmatched) {
        (Some(n), _) => Some(Ok(n)),
        (None, Some(label)) => Some(Err(label.as_str())),
        (None, None) => None,
    }
}

/// The sum of `parts`, or `None` when one of them is unknown.
fn total_of(parts: impl IntoIterator<Item = Option<Decimal>>) -> Option<Decimal> {
    parts.into_iter().try_fold(Decimal::ZERO, |acc, p| p.map(|p| num::add(acc, p)))
}

/// Whether a printed grade names `grade` (`优秀` names `优`).
fn names(printed: &str, grade: &str) -> bool {
    let p = crate::text::fold_width(printed);
    let p = p.trim();
    !grade.is_empty() && (p == grade || p.starts_with(grade))
}

pub(super) struct Input<'a, 's> {
    pub policy: &'a Policy,
    pub sheet: &'s Sheet,
    pub claims: &'a [Claim<'s>],
    pub indicators: &'a [IndicatorScore],
    pub groups: &'a [GroupScore],
    pub budget: Option<&'a BudgetScore>,
    pub grade: Option<&'a str>,
    pub total: Decimal,
    pub total_range: Option<(Decimal, Decimal)>,
}

pub(super) fn audit<'a>(input: &Input<'a, '_>) -> Vec<AuditFinding> {
    let Input { policy, sheet, claims, indicators, groups, budget, .. } = *input;
    let mut out = Vec::new();
    let on = |c: AuditCheck| policy.audit.enabled(c);
    let mut push = |check: AuditCheck, place: AuditPlace, values: AuditValues| {
        if on(check) {
            out.push(AuditFinding { check, place, values });
        }
    };
    let scored_row = |i: usize| {
        !matches!(indicators[i].weight_source, WeightSource::Detail { .. } | WeightSource::Parts { .. })
    };
    let rows_in = move |root: NodeId, key: Result<NodeId, &'a str>| {
        (0..indicators.len()).filter(move |&i| {
            scored_row(i) && group_key(&indicators[i], &sheet.indicators[i]) == Some((root, key))
        })
    };
    let entry = |g: &GroupScore| group_claim(claims, g.level1, key_of(g));
    let budget_claimed = sheet.budget.as_ref().and_then(|b| b.claimed);

    // Printed weights and scores, level 2 first, then level 1 from them.
    let mut weights: Vec<Option<Decimal>> = vec![None; groups.len()];
    let mut scores: Vec<Option<Decimal>> = vec![None; groups.len()];
    for (gi, g) in groups.iter().enumerate() {
        let Some(key) = key_of(g) else { continue };
        let rows = rows_in(g.level1, key);
        let own_weights = total_of(rows.clone().map(|i| sheet.indicators[i].weight));
        let own_scores = total_of(rows.clone().map(|i| {
            let ind = &sheet.indicators[i];
            ind.claimed.or(ind.not_applicable.then_some(Decimal::ZERO))
        }));
        let printed = entry(g);
        // Points printed in the category's label (`数量指标(20分)`) are a printed weight too.
        let label_points = || rows.clone().find_map(|i| points_in_label(&sheet.indicators[i].level2));
        if let (Some(w), Some(sum)) = (printed.and_then(|e| e.weight).or_else(label_points), own_weights)
            && rows.clone().next().is_some()
            && w != sum
        {
            push(
                AuditCheck::GroupPoints,
                AuditPlace::Group { index: gi },
                AuditValues::Sum { printed: w, sum },
            );
        }
        weights[gi] = printed.and_then(|e| e.weight).or(own_weights);
        scores[gi] = printed.and_then(|e| e.claimed).or(own_scores);
    }
    for (gi, g) in groups.iter().enumerate() {
        if key_of(g).is_some() {
            continue;
        }
        let children =
            (0..groups.len()).filter(|&j| groups[j].level1 == g.level1 && key_of(&groups[j]).is_some());
        let from_children_w = total_of(children.clone().map(|j| weights[j]));
        let from_children_s = total_of(children.clone().map(|j| scores[j]));
        let printed = entry(g);
        let label_points = || {
            (0..indicators.len())
                .filter(|&i| scored_row(i) && indicators[i].level1 == Some(g.level1))
                .find_map(|i| points_in_label(&sheet.indicators[i].level1))
        };
        if let (Some(w), Some(sum)) = (printed.and_then(|e| e.weight).or_else(label_points), from_children_w)
            && children.clone().next().is_some()
            && w != sum
        {
            push(
                AuditCheck::GroupPoints,
                AuditPlace::Group { index: gi },
                AuditValues::Sum { printed: w, sum },
            );
        }
        weights[gi] = printed.and_then(|e| e.weight).or(from_children_w);
        scores[gi] = printed.and_then(|e| e.claimed).or(from_children_s);
    }
    let level1 = (0..groups.len()).filter(|&g| key_of(&groups[g]).is_none());
    // Rows the scheme could not place are printed too.
    let unplaced = (0..indicators.len()).filter(|&i| scored_row(i) && indicators[i].level1.is_none());

    // The printed weights against the policy's total.
    let anything_weighted = sheet.indicators.iter().any(|i| i.weight.is_some())
        || sheet.groups.iter().any(|g| g.weight.is_some());
    if anything_weighted {
        let budget_weight = match &policy.scheme.budget {
            Some(item) => Some(sheet.budget.as_ref().and_then(|b| b.weight).unwrap_or(item.points)),
            None => Some(Decimal::ZERO),
        };
        let sum = total_of(
            std::iter::once(budget_weight)
                .chain(level1.clone().map(|g| weights[g]))
                .chain(unplaced.clone().map(|i| sheet.indicators[i].weight)),
        );
        if let Some(sum) = sum
            && sum != policy.scheme.total
        {
            push(
                AuditCheck::WeightsTotal,
                AuditPlace::Sheet,
                AuditValues::Sum { printed: policy.scheme.total, sum },
            );
        }
    }

    // The printed scores against the printed total, at the precision the total is printed in.
    if let Some(claimed_total) = sheet.total.claimed {
        let budget_part = match (&policy.scheme.budget, &sheet.budget) {
            (Some(_), Some(_)) => budget_claimed,
            _ => Some(Decimal::ZERO),
        };
        let sum = total_of(
            std::iter::once(budget_part)
                .chain(level1.clone().map(|g| scores[g]))
                .chain(unplaced.clone().map(|i| sheet.indicators[i].claimed)),
        );
        if let Some(sum) = sum {
            let shown = sum.round_dp_with_strategy(
                claimed_total.scale(),
                rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            );
            if shown != claimed_total {
                push(
                    AuditCheck::PrintedSum,
                    AuditPlace::Sheet,
                    AuditValues::Sum { printed: claimed_total, sum },
                );
            }
        }
    }

    // Claims above their weights, except where the policy scores beyond the weight (`uncapped`).
    let uncapped = |m: Option<usize>| m.is_some_and(|m| !policy.methods[m].capped);
    if let (Some(b), Some(c)) = (budget, budget_claimed)
        && !uncapped(b.method)
    {
        let weight = sheet.budget.as_ref().and_then(|x| x.weight).unwrap_or(b.weight);
        if c > weight {
            push(
                AuditCheck::ClaimOverWeight,
                AuditPlace::Budget,
                AuditValues::OverWeight { claimed: c, weight },
            );
        }
    }
    for (gi, g) in groups.iter().enumerate() {
        let Some(e) = entry(g) else { continue };
        if let (Some(c), Some(weight)) = (e.claimed, e.weight.or(g.points))
            && c > weight
        {
            push(
                AuditCheck::ClaimOverWeight,
                AuditPlace::Group { index: gi },
                AuditValues::OverWeight { claimed: c, weight },
            );
        }
    }
    for (i, s) in indicators.iter().enumerate() {
        let ind = &sheet.indicators[i];
        let Some(c) = ind.claimed else { continue };
        let weight = match s.weight_source {
            WeightSource::Sheet | WeightSource::Split { .. } if !uncapped(s.method) => s.weight,
            _ => continue,
        };
        if c > weight {
            push(
                AuditCheck::ClaimOverWeight,
                AuditPlace::Row { position: i },
                AuditValues::OverWeight { claimed: c, weight },
            );
        }
    }
    let any_uncapped =
        budget.is_some_and(|b| uncapped(b.method)) || indicators.iter().any(|s| uncapped(s.method));
    if let Some(c) = sheet.total.claimed
        && c > policy.scheme.total
        && !any_uncapped
    {
        push(
            AuditCheck::ClaimOverWeight,
            AuditPlace::Sheet,
            AuditValues::OverWeight { claimed: c, weight: policy.scheme.total },
        );
    }

    // Budget points or a score printed under a scheme with no budget item are not counted.
    if policy.scheme.budget.is_none()
        && let Some(b) = &sheet.budget
    {
        let (weight, claimed) = (b.weight.filter(|w| !w.is_zero()), b.claimed);
        if weight.is_some() || claimed.is_some() {
            push(
                AuditCheck::BudgetNotInScheme,
                AuditPlace::Sheet,
                AuditValues::NotInScheme { weight, claimed },
            );
        }
    }

    // Claims that cannot be checked because their row cannot be scored.
    if let (Some(b), Some(c)) = (budget, budget_claimed)
        && b.error.is_some()
    {
        push(AuditCheck::UnscoredClaim, AuditPlace::Budget, AuditValues::Unscored { claimed: c });
    }
    for (i, s) in indicators.iter().enumerate() {
        if let Some(c) = sheet.indicators[i].claimed
            && s.error.is_some()
            && !s.not_applicable
        {
            push(
                AuditCheck::UnscoredClaim,
                AuditPlace::Row { position: i },
                AuditValues::Unscored { claimed: c },
            );
        }
    }

    // The printed grade: the band of the printed total, and the computed grade.
    if let Some(printed) = sheet.total.grade.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        if let Some(claimed_total) = sheet.total.claimed {
            let band = super::grade_of(policy, claimed_total);
            if !band.as_deref().is_some_and(|b| names(printed, b)) {
                push(
                    AuditCheck::PrintedGrade,
                    AuditPlace::Sheet,
                    AuditValues::Grade { printed: printed.to_string(), expected: band, total: claimed_total },
                );
            }
        }
        // While rows are unscored, any grade the total can still reach is possible.
        let possible: Vec<&str> = match input.total_range {
            Some((low, high)) => {
                let at = |t: Decimal| {
                    super::grade_of(policy, t).and_then(|g| policy.grades.iter().position(|x| x.name == g))
                };
                match (at(low), at(high)) {
                    (Some(a), Some(b)) => {
                        policy.grades[a.min(b)..=a.max(b)].iter().map(|g| g.name.as_str()).collect()
                    }
                    _ => input.grade.into_iter().collect(),
                }
            }
            None => input.grade.into_iter().collect(),
        };
        if !possible.iter().any(|g| names(printed, g)) {
            push(
                AuditCheck::GradeDiffers,
                AuditPlace::Sheet,
                AuditValues::Grade {
                    printed: printed.to_string(),
                    expected: input.grade.map(str::to_string),
                    total: input.total,
                },
            );
        }
    }
    out
}
