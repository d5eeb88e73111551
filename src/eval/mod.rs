//! Evaluation: a policy and a sheet in, a score sheet out.
//!
//! Pure and total: no IO, no clock, no panics. Every indicator gets a score or an
//! [`EvalError`] that says why not; the rest of the sheet is still scored.

mod audit;
mod compiled;
mod expr;
mod plan;
mod quantity;
mod scores;
mod used;

use rust_decimal::Decimal;

pub use expr::{Env, ExprError, Val};
pub(crate) use plan::Plan;
#[doc(hidden)]
pub use scores::quick as evaluate_scores_quick;
pub use scores::{Scores, evaluate_scores};
pub(crate) use used::{budget as used_by_budget, indicator as used_by_indicator};

use crate::num;
use crate::policy::{Method, NodeId, Outcome, Policy, TierTable};
use crate::score::*;
use crate::sheet::{Indicator, Sheet};
use crate::value::{Reading, leading_quantity};
use crate::words::{Direction, InapplicableMode, TakeRule, Var};

/// Where the liberties taken in scoring a row go: into its notes, or nowhere when only the
/// numbers are wanted (the note is then never built).
pub(crate) trait Notes {
    fn note(&mut self, note: impl FnOnce() -> Note);
}

impl Notes for Vec<Note> {
    fn note(&mut self, note: impl FnOnce() -> Note) {
        self.push(note());
    }
}

/// Where the steps of a method's run go: into a trace, or nowhere.
pub(crate) trait Steps {
    fn step(&mut self, step: Step);
}

impl Steps for Vec<Step> {
    fn step(&mut self, step: Step) {
        self.push(step);
    }
}

/// Notes and steps not kept.
pub(crate) struct Unkept;

impl Notes for Unkept {
    fn note(&mut self, _: impl FnOnce() -> Note) {}
}

impl Steps for Unkept {
    fn step(&mut self, _: Step) {}
}

/// Score one sheet.
pub fn evaluate(policy: &Policy, sheet: &Sheet) -> ScoreSheet {
    let money = Money::of(policy, sheet);
    let mut places = Places::default();
    let mut indicators: Vec<IndicatorScore> =
        sheet.indicators.iter().enumerate().map(|(i, ind)| locate(policy, &mut places, i, ind)).collect();
    mark_details(sheet, &mut indicators);
    let claims = place_claims(policy, sheet);
    assign_weights(policy, sheet, &claims, &mut indicators);
    for score in &mut indicators {
        score.trace.push(Step::Weighted { weight: score.weight, source: score.weight_source });
    }
    for (score, ind) in indicators.iter_mut().zip(&sheet.indicators) {
        score_indicator(policy, ind, &money, score);
        if let Some(e) = &score.error {
            score.trace.push(Step::Failed { code: e.code() });
        }
    }
    let budget = score_budget(policy, sheet, &money);
    let (groups, groups_complete) = subtotal(policy, sheet, &claims, &indicators, &money);
    let complete = !indicators.is_empty()
        && indicators.iter().all(|i| i.error.is_none())
        && budget.as_ref().is_none_or(|b| b.error.is_none())
        && sheet.origin.as_ref().is_none_or(|o| o.problems.is_empty());
    let mut sum = budget.as_ref().and_then(|b| b.score).unwrap_or_default();
    // The budget and each level-1 category at their highest, unscored parts at their weight.
    let mut high_sum = match &budget {
        Some(b) if b.error.is_some() => b.weight,
        _ => sum,
    };
    for g in groups.iter().filter(|g| g.level2.is_none() && g.unmatched.is_none()) {
        sum = num::add(sum, g.score);
        high_sum = num::add(high_sum, g.high.unwrap_or(g.score));
    }
    let inapplicable_points = num::sum(indicators.iter().filter(|i| i.not_applicable).map(|i| i.weight));
    let scheme_total = policy.scheme.total;
    let round_total = |x: Decimal| policy.rounding.total.map_or(x, |r| r.apply(x));
    let rescale = |sum: Decimal| {
        let remaining = scheme_total - inapplicable_points;
        if policy.inapplicable == InapplicableMode::Rescale
            && inapplicable_points > Decimal::ZERO
            && remaining > Decimal::ZERO
        {
            sum.checked_mul(scheme_total).and_then(|x| x.checked_div(remaining)).unwrap_or(sum)
        } else {
            sum
        }
    };
    let total = round_total(rescale(sum));
    let high = (high_sum != sum).then(|| round_total(rescale(high_sum)));
    let claimed_total = sheet.total.claimed;
    let mut flags = Vec::new();
    let env = Env {
        total: Some(total),
        score: Some(total),
        claimed: claimed_total,
        weight: Some(scheme_total),
        points: Some(scheme_total),
        ..money.env(policy, false)
    };
    let mut failed = None;
    let (low, high) = fire_over_range(
        policy,
        &env,
        total,
        high,
        claimed_total,
        true,
        round_total,
        &mut flags,
        &mut failed,
        Scope::of(&policy.plan().sheet),
    );
    let total = round_total(low);
    let total_range = high.map(round_total).filter(|h| *h != total).map(|h| (total, h));
    // A sheet flag whose cap or deduction cannot be computed leaves the total uncertain.
    let complete = complete && failed.is_none() && groups_complete;
    let grade = grade_of(policy, total);
    let grade_range = total_range.map(|(l, h)| (grade_of(policy, l), grade_of(policy, h)));
    let audit = audit::audit(&audit::Input {
        policy,
        sheet,
        claims: &claims,
        indicators: &indicators,
        groups: &groups,
        budget: budget.as_ref(),
        grade: grade.as_deref(),
        total,
        total_range,
    });
    ScoreSheet {
        audit,
        budget,
        groups,
        sum,
        inapplicable_points,
        total,
        grade,
        total_range,
        grade_range,
        difference: claimed_total.map(|c| num::sub(total, c)),
        claimed_total,
        flags,
        complete,
        indicators,
    }
}

/// The grade for a total: the first band that holds it.
pub fn grade_of(policy: &Policy, total: Decimal) -> Option<String> {
    grade_name(policy, total).map(str::to_string)
}

/// The name of the grade for a total, as the policy spells it.
pub(crate) fn grade_name(policy: &Policy, total: Decimal) -> Option<&str> {
    policy.grades.iter().find(|g| g.band.is_none_or(|b| b.contains(total))).map(|g| g.name.as_str())
}

/// Budget amounts in 元 and the execution rate as the policy uses it (rounded if it says so).
struct Money<'s> {
    /// The sheet's money unit (`万元`) and its size in 元.
    unit: &'s str,
    factor: Decimal,
    executed: Option<Decimal>,
    annual: Option<Decimal>,
    initial: Option<Decimal>,
    rate: Option<Decimal>,
}

impl<'s> Money<'s> {
    fn of(policy: &Policy, sheet: &'s Sheet) -> Money<'s> {
        let factor = sheet.project.money_factor;
        let yuan = |x: Option<Decimal>| x.and_then(|v| v.checked_mul(factor));
        let b = sheet.budget.as_ref();
        let executed = yuan(b.and_then(|b| b.executed));
        let annual = yuan(b.and_then(|b| b.annual));
        let initial = yuan(b.and_then(|b| b.initial));
        let rate = match (executed, annual) {
            (Some(e), Some(a)) if !a.is_zero() => e.checked_div(a),
            _ => None,
        };
        let rate = rate.map(|r| policy.rounding.rate.map_or(r, |spec| spec.apply(r)));
        Money { unit: &sheet.project.money_unit, factor, executed, annual, initial, rate }
    }

    fn env<'p>(&self, policy: &'p Policy, strict: bool) -> Env<'p> {
        Env {
            executed: self.executed,
            annual: self.annual,
            initial: self.initial,
            rate: self.rate,
            ..Env::new(&policy.tiers, strict)
        }
    }
}

/// Labels already placed in the scheme on this sheet, as written: a sheet uses a few
/// categories over and over, so most rows repeat labels met before and need no search.
#[derive(Default)]
struct Places<'s> {
    roots: Remembered<(&'s str, Option<NodeId>)>,
    children: Remembered<(NodeId, &'s str, Option<NodeId>)>,
}

/// The last few answers of a lookup, the oldest replaced first.
struct Remembered<T> {
    slots: [Option<T>; 8],
    next: usize,
}

impl<T> Default for Remembered<T> {
    fn default() -> Self {
        Remembered { slots: Default::default(), next: 0 }
    }
}

impl<T: Copy> Remembered<T> {
    fn find(&self, hit: impl Fn(&T) -> bool) -> Option<T> {
        self.slots.iter().flatten().find(|x| hit(x)).copied()
    }

    fn keep(&mut self, x: T) {
        self.slots[self.next] = Some(x);
        self.next = (self.next + 1) % self.slots.len();
    }
}

impl<'s> Places<'s> {
    fn root(&mut self, scheme: &crate::policy::Scheme, label: &'s str) -> Option<NodeId> {
        if let Some((_, found)) = self.roots.find(|(l, _)| *l == label) {
            return found;
        }
        let found = scheme.find_root(label);
        self.roots.keep((label, found));
        found
    }

    fn child(&mut self, scheme: &crate::policy::Scheme, root: NodeId, label: &'s str) -> Option<NodeId> {
        if let Some((_, _, found)) = self.children.find(|(r, l, _)| *r == root && *l == label) {
            return found;
        }
        let found = scheme.find_child(root, label);
        self.children.keep((root, label, found));
        found
    }
}

/// Place an indicator in the scheme and read its direction.
fn locate<'s>(
    policy: &Policy,
    places: &mut Places<'s>,
    position: usize,
    ind: &'s Indicator,
) -> IndicatorScore {
    let scheme = &policy.scheme;
    let mut error = None;
    let mut notes: Vec<Note> = ind
        .read_notes()
        .iter()
        .map(|n| Note::Read { cell: n.cell.clone(), message: n.message.clone() })
        .collect();
    // A label matched only in a looser form (`项目产出` for 产出指标) is used, and the sheet says so.
    let mut loosely = |found: Option<NodeId>, written: &str, find: &dyn Fn(&str) -> Option<NodeId>| {
        found.or_else(|| {
            let key = crate::text::normalize_label(written);
            let (found, label) =
                crate::text::label_variants(&key).into_iter().find_map(|v| find(&v).map(|n| (n, v)))?;
            let _ = label;
            notes.push(Note::LabelMatched { written: key, label: scheme.nodes[found].label.clone() });
            Some(found)
        })
    };
    let mut level1 = loosely(places.root(scheme, &ind.level1), &ind.level1, &|l| scheme.find_root(l));
    // No level-1 category printed (a lost merged cell): the one root that has the row's level-2
    // category is used, and the sheet says so; with none or several the row stays unplaced.
    let mut inferred = None;
    if level1.is_none() && matches!(ind.level1.trim(), "" | "?") && !ind.level2.trim().is_empty() {
        let has = |root: NodeId| {
            scheme.find_child(root, &ind.level2).is_some()
                || crate::text::label_variants(&crate::text::normalize_label(&ind.level2))
                    .iter()
                    .any(|v| scheme.find_child(root, v).is_some())
        };
        let mut owners = scheme.roots.iter().copied().filter(|&r| has(r));
        if let (Some(only), None) = (owners.next(), owners.next()) {
            level1 = Some(only);
            inferred = Some(only);
        }
    }
    let level2 = level1.and_then(|root| {
        loosely(places.child(scheme, root, &ind.level2), &ind.level2, &|l| scheme.find_child(root, l))
    });
    if let Some(root) = inferred {
        notes.push(Note::Level1Inferred {
            level2: ind.level2.trim().to_string(),
            level1: scheme.nodes[root].label.clone(),
        });
    }
    // A name the scheme does not know, with the nearest label among `known`.
    let unknown = |level: u8, label: &str, known: &[NodeId]| {
        let labels = known.iter().flat_map(|&n| {
            let n = &scheme.nodes[n];
            std::iter::once(n.label.as_str()).chain(n.aliases.iter().map(String::as_str))
        });
        let key = crate::text::normalize_label(label);
        let suggestion = crate::words::did_you_mean(&key, labels).map(str::to_string);
        EvalError::UnknownCategory { level, name: key, suggestion }
    };
    if let Some(cell) = ind.unreadable() {
        error = Some(EvalError::UnreadableCell { cell: cell.to_string() });
    } else if level1.is_none() {
        error = Some(unknown(1, &ind.level1, &scheme.roots));
    } else if let Some(root) = level1 {
        let children = &scheme.nodes[root].children;
        if level2.is_none() && !children.is_empty() {
            error = Some(unknown(2, &ind.level2, children));
        }
    }
    let (mut direction, target_from_name) = direction_of(ind);
    if ind.placeholder_name && !is_empty_template(ind) {
        notes.push(Note::PlaceholderName);
    }
    if target_from_name {
        notes.push(Note::TargetFromName);
    }
    // In a cost category a target written `=` is a ceiling: spending less is no shortfall, and
    // spending more is an overrun, never an over-achievement.
    let in_ceiling = |n: Option<NodeId>| n.is_some_and(|n| scheme.nodes[n].ceiling);
    if direction == Direction::Equal && (in_ceiling(level2) || in_ceiling(level1)) {
        direction = Direction::Lower;
        notes.push(Note::CostCeiling);
    }
    IndicatorScore {
        position,
        level1,
        level2,
        direction,
        weight: ind.weight.unwrap_or_default(),
        weight_source: if ind.weight.is_some() { WeightSource::Sheet } else { WeightSource::Missing },
        target: None,
        actual: None,
        method: None,
        clause: None,
        tier: None,
        computed: None,
        capped: false,
        unrounded: None,
        score: None,
        claimed: ind.claimed,
        difference: None,
        not_applicable: ind.not_applicable,
        flags: Vec::new(),
        notes,
        error,
        // Room for the usual steps: placed, weighted, a clause passed, applied, rounded, a flag.
        trace: {
            let mut trace = Vec::with_capacity(6);
            trace.push(Step::Placed { level1, level2 });
            trace
        },
    }
}

/// How the target reads, and whether it came from the indicator's name.
fn direction_of(ind: &Indicator) -> (Direction, bool) {
    match &ind.target.reading {
        Reading::Empty => match leading_quantity(&ind.name) {
            Some(_) => (Direction::Higher, true),
            None => (Direction::Untargeted, false),
        },
        Reading::Number { op, .. } => (
            match op {
                Some(crate::value::Op::Ge | crate::value::Op::Gt) => Direction::Higher,
                Some(crate::value::Op::Le | crate::value::Op::Lt) => Direction::Lower,
                _ => Direction::Equal,
            },
            false,
        ),
        Reading::Date { .. } => (Direction::Deadline, false),
        Reading::Text { .. } => (Direction::Qualitative, false),
    }
}

/// A template row printed with zero points and nothing to score (`指标2：` | | | 0 | 0): it
/// scores its 0 points, and is never an unscored row that leaves the total provisional.
pub(crate) fn is_empty_template(ind: &Indicator) -> bool {
    ind.placeholder_name
        && ind.weight.is_some_and(|w| w.is_zero())
        && ind.claimed.is_none_or(|c| c.is_zero())
        && matches!(ind.target.reading, Reading::Empty)
        && matches!(ind.actual.reading, Reading::Empty)
        && ind.unreadable().is_none()
        && ind.adjustment().is_none()
}

/// Whether a row's name says it details the row above (`其中：女性学员`).
pub fn is_detail_name(name: &str) -> bool {
    // A name that starts with neither 其 (E5) nor a byte that can begin white space cannot start
    // `其中` once trimmed: full-width forms, the only characters folding changes, fold to no
    // white space. Most names are turned away by their first byte.
    match name.as_bytes().first() {
        Some(0xE5) => name.starts_with("其中"),
        Some(&b) if crate::value::may_start_space(b) => {
            crate::text::fold_width(name).trim_start().starts_with("其中")
        }
        _ => false,
    }
}

/// Mark unweighted `其中…` rows as details of the nearest row above them in the same group,
/// and a row whose weight its weighted `其中…` rows right below it share out exactly as their
/// subtotal (only the parts are scored: a table's points are counted once).
fn mark_details(sheet: &Sheet, scores: &mut [IndicatorScore]) {
    let rows = &sheet.indicators;
    for j in 0..rows.len() {
        let (parent, Some(weight)) = (&rows[j], rows[j].weight) else { continue };
        if parent.detail_name {
            continue;
        }
        let parts = rows[j + 1..]
            .iter()
            .take_while(|r| r.level1 == parent.level1 && r.level2 == parent.level2 && r.detail_name)
            .count();
        let weights = rows[j + 1..=j + parts].iter().map(|r| r.weight);
        if parts > 0 && weights.clone().all(|w| w.is_some()) && num::sum(weights.flatten()) == weight {
            scores[j].weight_source = WeightSource::Parts { first: j + 1, last: j + parts };
        }
    }
    for i in 0..scores.len() {
        let ind = &sheet.indicators[i];
        if ind.weight.is_some() || !ind.detail_name {
            continue;
        }
        let parent = (0..i).rev().find(|&j| {
            let above = &sheet.indicators[j];
            above.level1 == ind.level1
                && above.level2 == ind.level2
                && !matches!(
                    scores[j].weight_source,
                    WeightSource::Detail { .. } | WeightSource::Parts { .. }
                )
        });
        if let Some(parent) = parent {
            scores[i].weight_source = WeightSource::Detail { parent };
            scores[i].error = None;
        }
    }
}

/// The group key of an indicator: its level-1 node and its level-2 node or label. Detail rows
/// belong to no group.
fn group_key<'s>(score: &IndicatorScore, ind: &'s Indicator) -> Option<(NodeId, Result<NodeId, &'s str>)> {
    if matches!(score.weight_source, WeightSource::Detail { .. } | WeightSource::Parts { .. }) {
        return None;
    }
    let root = score.level1?;
    Some((root, score.level2.ok_or(&*ind.level2)))
}

/// A printed group entry placed in the scheme once per sheet.
struct Claim<'s> {
    entry: &'s crate::sheet::GroupClaim,
    root: Option<NodeId>,
    /// The level-2 node, or the label in matching form when the scheme does not know it.
    level2: Option<Result<NodeId, String>>,
}

fn place_claims<'s>(policy: &Policy, sheet: &'s Sheet) -> Vec<Claim<'s>> {
    let scheme = &policy.scheme;
    sheet
        .groups
        .iter()
        .map(|g| {
            // A level-2 group printed under a block heading (`绩效指标（90分）`) belongs to the one
            // level-1 category that has it, as its rows do.
            let root = scheme.find_root(&g.level1).or_else(|| {
                let l2 = g.level2.as_deref().filter(|_| crate::sheet::is_block_label(&g.level1))?;
                let key = crate::text::normalize_label(l2);
                let mut owners =
                    scheme.roots.iter().copied().filter(|&r| scheme.find_child(r, &key).is_some());
                match (owners.next(), owners.next()) {
                    (Some(only), None) => Some(only),
                    _ => None,
                }
            });
            let level2 = g.level2.as_ref().map(|name| {
                root.and_then(|r| scheme.find_child(r, name))
                    .ok_or_else(|| crate::text::normalize_label(name))
            });
            Claim { entry: g, root, level2 }
        })
        .collect()
}

/// The `[[groups]]` entry printed for a level-1 category (`l2` is `None`) or one of its level-2
/// groups (a scheme node, or a label the scheme does not know).
fn group_claim<'s>(
    claims: &[Claim<'s>],
    root: NodeId,
    l2: Option<Result<NodeId, &str>>,
) -> Option<&'s crate::sheet::GroupClaim> {
    claims
        .iter()
        .find(|c| {
            c.root == Some(root)
                && match (&c.level2, l2) {
                    (None, None) => true,
                    (Some(Ok(a)), Some(Ok(b))) => *a == b,
                    (Some(Err(a)), Some(Err(b))) => *a == matching_form(b),
                    _ => false,
                }
        })
        .map(|c| c.entry)
}

/// Give unweighted indicators a share of their group's points.
fn assign_weights(policy: &Policy, sheet: &Sheet, claims: &[Claim<'_>], scores: &mut [IndicatorScore]) {
    // Every row weighted by the sheet: nothing to share.
    if sheet.indicators.iter().all(|i| i.weight.is_some()) {
        return;
    }
    let scheme = &policy.scheme;
    let claim_weight = |root, l2| group_claim(claims, root, l2).and_then(|g| g.weight);
    let mut keys: Vec<(NodeId, Result<NodeId, &str>)> = Vec::new();
    for (s, ind) in scores.iter().zip(&sheet.indicators) {
        if let Some(k) = group_key(s, ind)
            && !keys.contains(&k)
        {
            keys.push(k);
        }
    }
    let mut deferred: Vec<(NodeId, usize)> = Vec::new();
    for key in &keys {
        let members: Vec<usize> = (0..scores.len())
            .filter(|&i| group_key(&scores[i], &sheet.indicators[i]).as_ref() == Some(key))
            .collect();
        let unweighted: Vec<usize> =
            members.iter().copied().filter(|&i| sheet.indicators[i].weight.is_none()).collect();
        if unweighted.is_empty() {
            continue;
        }
        let (root, l2) = *key;
        let printed = claim_weight(root, Some(l2));
        let scheme_points = l2.ok().and_then(|n| scheme.nodes[n].points);
        let (pool, from_scheme) = match (printed, scheme_points) {
            (Some(p), _) => (p, false),
            (None, Some(p)) => (p, true),
            (None, None) => {
                deferred.extend(unweighted.iter().map(|&i| (root, i)));
                continue;
            }
        };
        let used = num::sum(members.iter().filter_map(|&i| sheet.indicators[i].weight));
        let split = l2.ok().map_or(scheme.split, |n| scheme.nodes[n].split);
        share(scores, &unweighted, pool, used, split.integers, from_scheme);
    }
    // Indicators whose level-2 group has no points: share what is left of the level-1 points.
    let mut roots: Vec<NodeId> = deferred.iter().map(|(r, _)| *r).collect();
    roots.sort_unstable();
    roots.dedup();
    for root in roots {
        let members: Vec<usize> = deferred.iter().filter(|(r, _)| *r == root).map(|(_, i)| *i).collect();
        let printed = claim_weight(root, None);
        let (pool, from_scheme) = match (printed, scheme.nodes[root].points) {
            (Some(p), _) => (p, false),
            (None, Some(p)) => (p, true),
            (None, None) => {
                for i in members {
                    scores[i].error.get_or_insert(EvalError::NoWeight);
                }
                continue;
            }
        };
        let used = (0..scores.len())
            .filter(|&i| scores[i].level1 == Some(root) && !members.contains(&i))
            .map(|i| scores[i].weight)
            .fold(Decimal::ZERO, num::add);
        share(scores, &members, pool, used, scheme.nodes[root].split.integers, from_scheme);
    }
}

/// Split `pool − used` equally among `members`, in steps of 1 (integers) or 0.01, giving the
/// remainder to the first members so the shares add up exactly.
fn share(
    scores: &mut [IndicatorScore],
    members: &[usize],
    pool: Decimal,
    used: Decimal,
    integers: bool,
    from_scheme: bool,
) {
    let n = members.len();
    let left = (pool - used).max(Decimal::ZERO);
    let step = if integers { Decimal::ONE } else { Decimal::new(1, 2) };
    let count = Decimal::from(n as u64);
    let units = (left / step).floor();
    let base_units = (units / count).floor();
    let extra = u64::try_from(units - base_units * count).unwrap_or(0);
    let exact = left.checked_div(count).filter(|q| (q / step).fract().is_zero());
    for (k, &i) in members.iter().enumerate() {
        let w = match exact {
            Some(q) => q,
            None => (base_units + if (k as u64) < extra { Decimal::ONE } else { Decimal::ZERO }) * step,
        };
        scores[i].weight = w;
        scores[i].weight_source = WeightSource::Split { pool, among: n, from_scheme };
        if used >= pool && !pool.is_zero() {
            scores[i].notes.push(Note::PoolExhausted);
        }
    }
}

fn score_indicator(policy: &Policy, ind: &Indicator, money: &Money, score: &mut IndicatorScore) {
    if ind.not_applicable
        || matches!(score.weight_source, WeightSource::Detail { .. } | WeightSource::Parts { .. })
    {
        return;
    }
    if is_empty_template(ind) && score.error.is_none() {
        score.score = Some(Decimal::ZERO);
        score.unrounded = Some(Decimal::ZERO);
        score.difference = score.claimed.map(|c| num::sub(Decimal::ZERO, c));
        return;
    }
    if matches!(score.weight_source, WeightSource::Missing) && score.error.is_none() {
        score.error = Some(EvalError::NoWeight);
    }
    if score.error.is_some() {
        fire_indicator_flags(policy, ind, money, score);
        return;
    }
    let Some(method_id) = policy.method_for(score.level1, score.level2, score.direction) else {
        score.error = Some(EvalError::NoMethod);
        fire_indicator_flags(policy, ind, money, score);
        return;
    };
    score.method = Some(method_id);
    let method = &policy.methods[method_id];
    let mut env = Env { weight: Some(score.weight), ..money.env(policy, true) };
    if let Err(e) = operands(policy, ind, method, &mut env, score, (money.unit, money.factor)) {
        score.error = Some(e);
        fire_indicator_flags(policy, ind, money, score);
        return;
    }
    let mut trace = std::mem::take(&mut score.trace);
    let mut pick = None;
    let tiers = |t| {
        let (value, p) = qualitative(policy, &policy.tiers[t], t, ind, score.weight, &mut score.notes)?;
        pick = Some(p);
        Ok(value)
    };
    let ran = run_method(method, &env, &mut trace, tiers);
    score.tier = pick;
    match ran {
        Ok((_, value)) if value.abs() >= crate::value::LIMIT => score.error = Some(EvalError::Overflow),
        Ok((clause, value)) => {
            trace.push(Step::Applied { clause, value });
            score.clause = Some(clause);
            score.computed = Some(value);
            let mut value = value;
            if method.capped {
                let clamped = value.max(Decimal::ZERO).min(score.weight);
                score.capped = clamped != value;
                if score.capped {
                    trace.push(Step::Capped { from: value, to: clamped });
                }
                value = clamped;
            }
            if let Some(adj) = ind.adjustment() {
                value = num::add(value, adj.points).max(Decimal::ZERO);
                if method.capped {
                    value = value.min(score.weight);
                }
                score.notes.push(Note::Adjusted { points: adj.points });
                trace.push(Step::Adjusted { points: adj.points, to: value });
            }
            score.unrounded = Some(value);
            let rounded = round_score(policy, value);
            if rounded != value {
                trace.push(Step::Rounded { from: value, to: rounded });
            }
            score.score = Some(rounded);
        }
        Err(e) => score.error = Some(e),
    }
    score.trace = trace;
    fire_indicator_flags(policy, ind, money, score);
    score.difference = match (score.score, score.claimed) {
        (Some(s), Some(c)) => Some(num::sub(s, c)),
        _ => None,
    };
}

fn round_score(policy: &Policy, x: Decimal) -> Decimal {
    match policy.rounding.score {
        Some(r) => r.apply(x),
        None => x,
    }
}

/// Fill `actual` and `target` in `env` as the direction needs them.
fn operands(
    policy: &Policy,
    ind: &Indicator,
    method: &Method,
    env: &mut Env<'_>,
    score: &mut IndicatorScore,
    money_unit: (&str, Decimal),
) -> Result<(), EvalError> {
    match score.direction {
        Direction::Higher | Direction::Lower | Direction::Equal => {
            let (target, actual) =
                quantity::resolve(policy, ind, method, env, score.direction, money_unit, &mut score.notes)?;
            env.target = Some(Val::Num(target.value));
            env.actual = Some(Val::Num(actual.value));
            score.target = Some(Operand::Quantity(target.into_quantity()));
            score.actual = Some(Operand::Quantity(actual.into_quantity()));
        }
        Direction::Deadline => {
            let (target, actual, compared) = deadline(ind, &mut score.notes)?;
            env.target = Some(Val::Date(target.ordinal()));
            env.actual = Some(Val::Date(compared.ordinal()));
            score.target = Some(Operand::Date(target));
            score.actual = Some(Operand::Date(actual));
        }
        // With no target and no actual there is nothing to score.
        Direction::Untargeted if matches!(ind.actual.reading, Reading::Empty) => {
            return Err(EvalError::EmptyActual);
        }
        Direction::Qualitative | Direction::Untargeted => {}
    }
    Ok(())
}

/// A deadline row's target, its actual, and the date the actual is compared as.
fn deadline(
    ind: &Indicator,
    notes: &mut impl Notes,
) -> Result<(crate::value::Date, crate::value::Date, crate::value::Date), EvalError> {
    let Reading::Date { date: target, .. } = &ind.target.reading else {
        return Err(EvalError::UnreadableTarget);
    };
    let actual = match &ind.actual.reading {
        Reading::Date { date, .. } => *date,
        Reading::Empty => return Err(EvalError::EmptyActual),
        _ => return Err(EvalError::UnreadableActual { expected: "a date" }),
    };
    // `2023年6月` for `2023年6月30日`, `2022年` for `2022年10月底前`: the actual is written
    // less precisely and contains the deadline, so it is compared at its own precision
    // (as the deadline itself), and the row says so for review.
    let compared = match actual.contains(*target) {
        Some(crate::value::Precision::Month) => {
            notes.note(|| Note::DateWithinMonth);
            *target
        }
        Some(_) => {
            notes.note(|| Note::DateWithinYear);
            *target
        }
        None => actual,
    };
    Ok((*target, actual, compared))
}

fn fault(e: ExprError, clause: usize) -> EvalError {
    match e {
        ExprError::DivisionByZero => EvalError::DivisionByZero { clause: Some(clause) },
        ExprError::Overflow => EvalError::Overflow,
        ExprError::LookupOutOfRange(table, value) => EvalError::LookupOutOfRange { table, value },
        ExprError::Missing(v) => EvalError::MissingValue { name: v.english() },
        ExprError::UnsettledDivisor(value) => EvalError::UnsettledDivisor { clause, value },
    }
}

/// The first clause whose condition holds, and its value; `tiers` scores a `tiers` outcome.
fn run_method(
    method: &Method,
    env: &Env<'_>,
    trace: &mut impl Steps,
    mut tiers: impl FnMut(crate::policy::TiersId) -> Result<Decimal, EvalError>,
) -> Result<(usize, Decimal), EvalError> {
    for (i, clause) in method.clauses.iter().enumerate() {
        let unsettled;
        let env = if clause.settled == env.settled {
            env
        } else {
            unsettled = Env { settled: clause.settled, ..*env };
            &unsettled
        };
        if let Some(c) = &clause.condition
            && !env.holds(c).map_err(|e| fault(e, i))?
        {
            trace.step(Step::Passed { clause: i });
            continue;
        }
        let value = match &clause.outcome {
            Outcome::Expr(e) => env.number(e).map_err(|f| fault(f, i))?.ok_or(EvalError::NoClauseApplied)?,
            Outcome::Tiers(t) => tiers(*t)?,
        };
        return Ok((i, value));
    }
    Err(EvalError::NoClauseApplied)
}

/// Place a qualitative indicator in a tier and take a value in its band.
fn qualitative(
    policy: &Policy,
    table: &TierTable,
    table_id: usize,
    ind: &Indicator,
    weight: Decimal,
    notes: &mut impl Notes,
) -> Result<(Decimal, TierPick), EvalError> {
    let norm = matching_form;
    // A range (`90%～100%`) is no tier's words, and no one number either: say which it is.
    if ind.tier().is_none() && crate::value::is_range_text(&ind.target.text) {
        return Err(EvalError::RangeTarget);
    }
    let (tier, chosen_by) = if let Some(name) = ind.tier() {
        let key = norm(name);
        let found = table.tiers.iter().position(|t| {
            t.name.as_deref().is_some_and(|n| norm(n) == key)
                || t.label.as_deref().is_some_and(|l| norm(l) == key)
        });
        let known =
            || table.tiers.iter().filter_map(|t| t.name.clone().or_else(|| t.label.clone())).collect();
        (
            found.ok_or_else(|| EvalError::UnknownTier { name: name.to_string(), known: known() })?,
            TierChoice::Sheet,
        )
    } else {
        if matches!(ind.actual.reading, Reading::Empty) {
            return Err(EvalError::EmptyActual);
        }
        let target = norm(&ind.target.text);
        // An actual written as its target (`明显提升` for `明显提升`) is the same in matching form.
        let actual = if crate::text::same(&ind.actual.text, &ind.target.text) {
            target.clone()
        } else {
            norm(&ind.actual.text)
        };
        if let Some(i) = table
            .tiers
            .iter()
            .position(|t| t.matches_target)
            .filter(|_| !target.is_empty() && crate::text::same(&actual, &target))
        {
            (i, TierChoice::MatchesTarget)
        } else {
            // An exact word first; otherwise the longest word the actual contains (the most
            // specific: `基本合规` before `合规`), where it is not qualified.
            let exact = table.tiers.iter().position(|t| t.words.iter().any(|w| *w == *actual));
            let contained = || {
                table
                    .tiers
                    .iter()
                    .enumerate()
                    .flat_map(|(i, t)| t.words.iter().map(move |w| (i, w.as_str())))
                    .filter(|(_, w)| !w.is_empty() && contains_plainly(&actual, w))
                    .max_by_key(|(i, w)| (w.chars().count(), std::cmp::Reverse(*i)))
                    .map(|(i, _)| i)
            };
            (exact.or_else(contained).ok_or(EvalError::TierUndetermined)?, TierChoice::Word)
        }
    };
    let band = table.tiers[tier].band;
    let places = policy.rounding.score.map_or(2, |r| r.places);
    let step = Decimal::new(1, places);
    // The band in points, its ends moved onto the rounding step: the top is the largest step
    // value in the band, the bottom the smallest.
    let on_step = |x: Decimal, up: bool| {
        on_step_digits(x, places, up)
            .or_else(|| x.checked_div(step).map(|q| if up { q.ceil() } else { q.floor() } * step))
    };
    // Worked out only for the rules that take an end of the band.
    let ends = || {
        let low = band.low.and_then(|(v, inc)| {
            let x = v.checked_mul(weight)?;
            let y = on_step(x, true)?;
            Some(if !inc && y == x { y + step } else { y })
        });
        let high = band.high.and_then(|(v, inc)| {
            let x = v.checked_mul(weight)?;
            let y = on_step(x, false)?;
            Some(if !inc && y == x { y - step } else { y })
        });
        (low.filter(|l| high.is_none_or(|h| *l <= h)), high.filter(|h| low.is_none_or(|l| l <= *h)))
    };
    let at = |rule: TakeRule| -> Option<Decimal> {
        match rule {
            TakeRule::Top => ends().1,
            TakeRule::Bottom => ends().0,
            TakeRule::Middle => match ends() {
                (Some(l), Some(h)) => on_step(num::add(l, h) / Decimal::TWO, false),
                _ => None,
            },
            TakeRule::Value => {
                // A share of the weight: `full` is all of it. A number or `full` (the usual
                // values) is taken as it is; anything else is evaluated.
                let (share, all) = match table.tiers[tier].value.as_ref()? {
                    crate::policy::Expr::Num(n, _) => (*n, false),
                    crate::policy::Expr::Var(Var::Full | Var::Weight) => (Decimal::ONE, true),
                    value => {
                        let env = Env { weight: Some(Decimal::ONE), ..Env::new(&policy.tiers, true) };
                        (env.number(value).ok().flatten()?, false)
                    }
                };
                // All of a weight that is not zero is the weight itself, as `1 × weight` is
                // written (a product with zero is a plain zero).
                let points = |w: Decimal| if all && !w.is_zero() { Some(w) } else { share.checked_mul(w) };
                band.contains(share).then(|| points(weight).and_then(|x| on_step(x, false))).flatten()
            }
            TakeRule::Claimed => {
                let c = ind.claimed?;
                if weight.is_zero() {
                    return None;
                }
                band.contains_share(c, weight).then_some(c)
            }
        }
    };
    let (value, taken) = match at(table.take) {
        Some(v) => (v, table.take),
        None => {
            if table.take == TakeRule::Claimed
                && let Some(c) = ind.claimed
            {
                notes.note(|| Note::ClaimOutsideTier { claimed: c });
            }
            (at(table.fallback).ok_or(EvalError::TierUndetermined)?, table.fallback)
        }
    };
    Ok((value, TierPick { table: table_id, tier, chosen_by, taken }))
}

/// `x` moved onto the step `10^-places`, down (`up` false) or up, written with `places`
/// places: what `(x / step).floor() * step` (or `.ceil()`) gives, on the digits as one integer
/// instead of by a decimal division (zero as a plain `0`, as a product with zero is written).
/// `None` where the division decides: a value that is not
/// above zero, or one whose digits at `places` places would not fit.
fn on_step_digits(x: Decimal, places: u32, up: bool) -> Option<Decimal> {
    if !x.is_sign_positive() || x.is_zero() || places > 28 {
        return None;
    }
    let (digits, scale) = (x.mantissa(), x.scale());
    // Both scales are at most 28, so the powers are in the table.
    let power = |d: u32| crate::num::POWERS.get(d as usize).and_then(|&p| i128::try_from(p).ok());
    let digits = if scale <= places {
        digits.checked_mul(power(places - scale)?)?
    } else {
        let divisor = power(scale - places)?;
        let (q, r) = (digits / divisor, digits % divisor);
        if up && r != 0 { q + 1 } else { q }
    };
    // A product with zero is written as a plain zero.
    if digits == 0 {
        return Some(Decimal::ZERO);
    }
    Decimal::try_from_i128_with_scale(digits, places).ok()
}

/// A label or cell text in matching form ([`crate::text::normalize_label`]), borrowed when
/// normalising would leave it as it is (the usual case): no white space, no full-width forms
/// and no closing parenthesis at the end.
fn matching_form(s: &str) -> std::borrow::Cow<'_, str> {
    // Text with no byte that can begin white space or a full-width form (EF: U+FF01–U+FF5E) is
    // looked at no further.
    let plain = || !s.bytes().any(|b| MAY_CHANGE[usize::from(b)]);
    let unchanged = !s.ends_with(')')
        && (plain() || !s.chars().any(|c| c.is_whitespace() || ('\u{FF01}'..='\u{FF5E}').contains(&c)));
    if unchanged {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(crate::text::normalize_label(s))
    }
}

/// The bytes that can begin white space or a full-width form, by value.
static MAY_CHANGE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = crate::value::may_start_space(b as u8) || b == 0xEF;
        b += 1;
    }
    table
};

/// Words that deny the word right after them (`不及时`, `无明显提升`, `没有达到`).
const NEGATIONS: &[&str] = &["不", "未", "没", "无", "非", "不够", "不太", "并非"];

/// Negations that reach further, to any later word of the same clause (`未按要求及时完成`).
/// `无` is not among them: `无安全隐患` says that something is absent, which is good news.
const CLAUSE_NEGATIONS: &[char] = &['不', '未', '没', '非'];

/// Words that begin with a negating character but deny nothing (`非常` very, `不断`
/// continually, `不仅` not only…).
const NOT_NEGATIONS: &[&str] = &["非常", "不断", "不仅", "不但", "不少", "无论", "不管"];

/// Words that turn what came before them (`已完成，但质量不高`, `按时完成，不过有延误`).
const CONTRASTS: &[&str] = &["但", "不过", "然而", "却", "只是", "可是"];

/// Words that make the word after them only partly true (`基本合规` is not `合规`, `较为及时` is
/// not `及时`, `较完整` and `相对完整` are not `完整`): a tier table places such a phrase by listing
/// it whole, or the hedge alone.
const HEDGES: &[&str] =
    &["基本", "基本上", "较为", "比较", "较", "相对", "总体", "总体上", "大体", "大体上", "大致"];

/// Whether `text` contains `word` at least once undenied and unqualified: no negation or hedge
/// right before it, and no negation earlier in its clause. Negation reaches no further than
/// that: `无安全隐患，管理有效` is 有效, and `非常及时` (very timely) is 及时. A word followed by
/// `率` names a rate, not the fact (`完成率较低` says nothing of 完成 being reached).
fn contains_plainly(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let after = &text[at + word.len()..];
        if after.starts_with('率') {
            return false;
        }
        // A turn after the word takes something back (`已完成，但质量不高`): not plainly met.
        // (`不但`, not only, turns nothing.)
        if CONTRASTS
            .iter()
            .any(|c| after.match_indices(c).any(|(i, _)| !(*c == "但" && after[..i].ends_with('不'))))
        {
            return false;
        }
        let before = &text[..at];
        let clause = before.rsplit(|c: char| "，,。；;、！!？?".contains(c)).next().unwrap_or(before);
        let clause = NOT_NEGATIONS.iter().fold(clause.to_string(), |c, w| c.replace(w, ""));
        let denied = NEGATIONS.iter().any(|n| before.ends_with(n)) || clause.contains(CLAUSE_NEGATIONS);
        !denied && !HEDGES.iter().any(|h| before.ends_with(h))
    })
}

/// Fire flags over a score known only as a range `[low, high]` (unscored rows at 0 and at
/// their weight): at the low end as scored, then at the high end and at the claim when it lies
/// between. A flag that does not fire at every one of those points is marked undetermined: it
/// cannot be checked until the rows are scored. Returns both ends after the flags' adjustments,
/// unrounded.
#[allow(clippy::too_many_arguments)]
fn fire_over_range(
    policy: &Policy,
    env: &Env<'_>,
    low: Decimal,
    high: Option<Decimal>,
    claimed: Option<Decimal>,
    sheet: bool,
    round: impl Fn(Decimal) -> Decimal,
    fired: &mut Vec<FiredFlag>,
    failed: &mut Option<EvalError>,
    scope: Scope<'_>,
) -> (Decimal, Option<Decimal>) {
    let adjusted = fire_flags(policy, env, Some(low), sheet, &round, fired, failed, scope).unwrap_or(low);
    let Some(high) = high.filter(|h| *h != low) else {
        return (adjusted, None);
    };
    let mut at_high = Vec::new();
    let adjusted_high =
        fire_flags(policy, env, Some(high), sheet, &round, &mut at_high, failed, scope).unwrap_or(high);
    let mut points = vec![at_high];
    if let Some(c) = claimed.filter(|c| low < *c && *c < high) {
        let mut at_claim = Vec::new();
        fire_flags(policy, env, Some(c), sheet, &round, &mut at_claim, failed, scope);
        points.push(at_claim);
    }
    let fires = |list: &[FiredFlag], flag: usize| list.iter().any(|f| f.flag == flag);
    for f in fired.iter_mut() {
        if points.iter().any(|p| !fires(p, f.flag)) {
            f.undetermined = true;
        }
    }
    let mut elsewhere: Vec<usize> =
        points.iter().flatten().map(|f| f.flag).filter(|&flag| !fires(fired, flag)).collect();
    elsewhere.sort_unstable();
    elsewhere.dedup();
    for flag in elsewhere {
        fired.push(FiredFlag {
            flag,
            deducted: None,
            capped_at: None,
            failed: false,
            score: None,
            undetermined: true,
        });
    }
    fired.sort_by_key(|f| f.flag);
    (adjusted, Some(adjusted_high))
}

/// The flags of one scope, as the plan lists them; for indicator flags, the row's place, which
/// a flag naming scheme nodes must lie under.
#[derive(Clone, Copy)]
struct Scope<'a> {
    flags: &'a [plan::PlannedFlag],
    place: Option<(Option<NodeId>, Option<NodeId>)>,
}

impl<'a> Scope<'a> {
    fn of(flags: &'a [plan::PlannedFlag]) -> Scope<'a> {
        Scope { flags, place: None }
    }

    /// The flags that apply, in policy order: those that adjust the score (`true`) or the others.
    fn flags(self, policy: &'a Policy, adjusting: bool) -> impl Iterator<Item = &'a plan::PlannedFlag> {
        self.flags.iter().filter(move |f| {
            f.adjusts == adjusting
                && (f.nodes.is_empty()
                    || self.place.is_some_and(|(level1, level2)| {
                        f.nodes.iter().any(|&n| {
                            level2.is_some_and(|l2| policy.scheme.is_under(l2, n)) || level1 == Some(n)
                        })
                    }))
        })
    }
}

fn fire_indicator_flags(policy: &Policy, ind: &Indicator, money: &Money, score: &mut IndicatorScore) {
    if ind.not_applicable {
        return;
    }
    let val = |o: &Option<Operand>| match o {
        Some(Operand::Quantity(q)) => Some(Val::Num(q.value)),
        Some(Operand::Date(d)) => Some(Val::Date(d.ordinal())),
        None => None,
    };
    let base = score.score;
    let env = Env {
        actual: val(&score.actual),
        target: val(&score.target),
        weight: Some(score.weight),
        score: base,
        claimed: score.claimed,
        noted: Some(ind.noted()),
        ..money.env(policy, false)
    };
    let mut fired = Vec::new();
    let mut rounded = None;
    let scope = Scope {
        flags: &policy.plan().indicator[crate::policy::direction_index(score.direction)],
        place: Some((score.level1, score.level2)),
    };
    match flag_scores(policy, &env, base, &mut fired, scope) {
        Ok(Some(a)) => {
            let to = round_score(policy, a);
            rounded = Some((a, to));
            score.unrounded = Some(a);
            score.score = Some(to);
        }
        Ok(None) => {}
        Err(e) => {
            score.unrounded = None;
            score.score = None;
            score.error.get_or_insert(e);
        }
    }
    flag_steps(policy, &mut score.trace, &fired, rounded);
    score.flags = fired;
}

/// Record fired flags in a trace as they applied: those that deduct or cap first, in policy
/// order, then the rounding of the score they left, then those that only warn, which saw it.
fn flag_steps(
    policy: &Policy,
    trace: &mut Vec<Step>,
    fired: &[FiredFlag],
    rounded: Option<(Decimal, Decimal)>,
) {
    let adjusts =
        |f: &FiredFlag| policy.flags.get(f.flag).is_some_and(|r| r.deduct.is_some() || r.cap.is_some());
    let step = |f: &FiredFlag| Step::Flagged {
        flag: f.flag,
        deducted: f.deducted,
        capped_at: f.capped_at,
        failed: f.failed,
    };
    trace.extend(fired.iter().filter(|f| adjusts(f)).map(step));
    if let Some((from, to)) = rounded.filter(|(from, to)| from != to) {
        trace.push(Step::Rounded { from, to });
    }
    trace.extend(fired.iter().filter(|f| !adjusts(f)).map(step));
}

/// Fire the flags of an indicator or the budget; the score their deductions and caps leave,
/// unrounded, if they changed it.
fn flag_scores(
    policy: &Policy,
    env: &Env<'_>,
    base: Option<Decimal>,
    fired: &mut Vec<FiredFlag>,
    scope: Scope<'_>,
) -> Result<Option<Decimal>, EvalError> {
    let mut failed = None;
    let adjusted =
        fire_flags(policy, env, base, false, |x| round_score(policy, x), fired, &mut failed, scope);
    match failed {
        Some(e) => Err(e),
        None => Ok(adjusted.filter(|a| Some(*a) != base)),
    }
}

/// Fire the flags whose scope passes `in_scope`. Flags that adjust (deduct or cap) see the
/// score as computed and apply in policy order; the other flags see the score after those
/// adjustments and rounding, so a comparison with the claimed score is made against the final
/// score. Returns the adjusted score, unrounded. A deduction or cap that cannot be computed
/// (a division by zero) is put in `failed` and leaves the score unknown: it is never skipped.
#[allow(clippy::too_many_arguments)]
fn fire_flags(
    policy: &Policy,
    env: &Env<'_>,
    base: Option<Decimal>,
    sheet: bool,
    round: impl Fn(Decimal) -> Decimal,
    fired: &mut Vec<FiredFlag>,
    failed: &mut Option<EvalError>,
    scope: Scope<'_>,
) -> Option<Decimal> {
    let with = |v: Option<Decimal>| Env { score: v, total: if sheet { v } else { env.total }, ..*env };
    let mut value = base;
    let first = with(base);
    let missing = first.missing();
    for planned in scope.flags(policy, true) {
        let (i, flag) = (planned.flag, &policy.flags[planned.flag]);
        // A value the condition needs is missing: it cannot hold, and nothing in it can fail.
        if planned.needs & missing != 0 {
            continue;
        }
        let mut error: Option<ExprError> = None;
        // Whether this flag adjusts the score must be known: a condition that cannot be
        // evaluated leaves the score unknown, like a deduction that cannot.
        match flag.condition.as_ref().map(|c| first.holds(c)) {
            None | Some(Ok(true)) => {}
            Some(Ok(false)) => continue,
            Some(Err(err)) => error = Some(err),
        }
        let mut number = |e: &Option<crate::policy::Expr>| {
            if error.is_some() {
                return None;
            }
            match e.as_ref().map(|e| first.number(e)) {
                Some(Ok(v)) => v,
                Some(Err(err)) => {
                    error = Some(err);
                    None
                }
                None => None,
            }
        };
        let deducted = number(&flag.deduct);
        let capped_at = number(&flag.cap);
        let this_failed = error.is_some();
        if let Some(err) = error {
            failed.get_or_insert(EvalError::FlagFailed {
                flag: flag.name.clone(),
                division_by_zero: err == ExprError::DivisionByZero,
            });
            value = None;
        }
        if let Some(v) = value.as_mut() {
            if let Some(d) = deducted {
                *v = v.checked_sub(d).unwrap_or(Decimal::ZERO).max(Decimal::ZERO);
            }
            if let Some(c) = capped_at {
                *v = (*v).min(c);
            }
        }
        fired.push(FiredFlag {
            flag: i,
            deducted,
            capped_at,
            failed: this_failed,
            score: base,
            undetermined: false,
        });
    }
    let settled = value.map(&round);
    let second = with(settled);
    let missing = second.missing();
    for planned in scope.flags(policy, false) {
        if planned.needs & missing != 0 {
            continue;
        }
        // A warning whose condition cannot be computed is reported as not checked, never
        // dropped; the score it does not change stays known.
        let failed = match policy.flags[planned.flag].condition.as_ref().map(|c| second.holds(c)) {
            None | Some(Ok(true)) => false,
            Some(Ok(false)) => continue,
            Some(Err(_)) => true,
        };
        fired.push(FiredFlag {
            flag: planned.flag,
            deducted: None,
            capped_at: None,
            failed,
            score: settled,
            undetermined: false,
        });
    }
    fired.sort_by_key(|f| f.flag);
    value
}

fn score_budget(policy: &Policy, sheet: &Sheet, money: &Money) -> Option<BudgetScore> {
    let item = policy.scheme.budget.as_ref()?;
    let claimed = sheet.budget.as_ref().and_then(|b| b.claimed);
    let mut out = BudgetScore {
        weight: item.points,
        rate: None,
        method: policy.selection.budget,
        clause: None,
        computed: None,
        capped: false,
        unrounded: None,
        score: None,
        claimed,
        difference: None,
        flags: Vec::new(),
        notes: Vec::new(),
        error: None,
        trace: Vec::new(),
    };
    out.trace.push(Step::Weighted { weight: item.points, source: WeightSource::Scheme });
    let base_env = money.env(policy, true);
    out.rate = base_env.rate;
    let Some(budget) = &sheet.budget else {
        out.error = Some(EvalError::NoBudget);
        out.trace.push(Step::Failed { code: crate::codes::Code::NoBudget });
        return Some(out);
    };
    if let (Some(printed), Some(rate)) = (budget.printed_rate.as_ref(), money.rate)
        && let Reading::Number { quantity, .. } = &printed.reading
    {
        let p = if quantity.unit == "%" || quantity.value <= Decimal::ONE {
            quantity.value
        } else {
            quantity.value / Decimal::ONE_HUNDRED
        };
        if rate.round_dp(p.scale().max(2)) != p {
            out.notes.push(Note::PrintedRateDiffers { printed: p });
        }
    }
    out.notes.extend(
        budget.read_notes.iter().map(|n| Note::Read { cell: n.cell.clone(), message: n.message.clone() }),
    );
    if let Some(printed) = budget.weight.filter(|w| *w != item.points) {
        out.notes.push(Note::PrintedWeightDiffers { printed });
    }
    if money.rate.is_none() {
        // Without a rate: the annual budget is missing or zero, or else the executed amount.
        let annual = money.annual.is_some_and(|a| !a.is_zero());
        out.error = Some(if annual { EvalError::NoExecuted } else { EvalError::NoAnnualBudget });
    } else if let Some(method_id) = policy.selection.budget {
        let method = &policy.methods[method_id];
        let env = Env { weight: Some(item.points), ..base_env };
        // The checker allows no `tiers` outcome in a budget method.
        match run_method(method, &env, &mut out.trace, |_| Err(EvalError::NoClauseApplied)) {
            Ok((_, v)) if v.abs() >= crate::value::LIMIT => out.error = Some(EvalError::Overflow),
            Ok((clause, v)) => {
                out.trace.push(Step::Applied { clause, value: v });
                out.clause = Some(clause);
                out.computed = Some(v);
                let mut value = v;
                if method.capped {
                    value = value.max(Decimal::ZERO).min(item.points);
                    out.capped = value != v;
                    if out.capped {
                        out.trace.push(Step::Capped { from: v, to: value });
                    }
                }
                out.unrounded = Some(value);
                let rounded = round_score(policy, value);
                if rounded != value {
                    out.trace.push(Step::Rounded { from: value, to: rounded });
                }
                out.score = Some(rounded);
            }
            Err(e) => out.error = Some(e),
        }
    } else {
        out.error = Some(EvalError::NoMethod);
    }
    let env = Env {
        weight: Some(item.points),
        score: out.score,
        claimed,
        noted: Some(budget.note.as_deref().is_some_and(|n| !crate::value::is_empty_note(n))),
        ..money.env(policy, false)
    };
    let mut rounded = None;
    match flag_scores(policy, &env, out.score, &mut out.flags, Scope::of(&policy.plan().budget)) {
        Ok(Some(a)) => {
            let to = round_score(policy, a);
            rounded = Some((a, to));
            out.unrounded = Some(a);
            out.score = Some(to);
        }
        Ok(None) => {}
        Err(e) => {
            out.unrounded = None;
            out.score = None;
            out.error.get_or_insert(e);
        }
    }
    flag_steps(policy, &mut out.trace, &out.flags, rounded);
    out.difference = match (out.score, claimed) {
        (Some(s), Some(c)) => Some(num::sub(s, c)),
        _ => None,
    };
    if let Some(e) = &out.error {
        out.trace.push(Step::Failed { code: e.code() });
    }
    Some(out)
}

/// Category subtotals: every level-1 category of the scheme, and each level-2 group the sheet uses.
fn subtotal(
    policy: &Policy,
    sheet: &Sheet,
    claims: &[Claim<'_>],
    scores: &[IndicatorScore],
    money: &Money,
) -> (Vec<GroupScore>, bool) {
    let scheme = &policy.scheme;
    let claimed_for = |root, l2| group_claim(claims, root, l2).and_then(|g| g.claimed);
    let mut out = Vec::new();
    let mut complete = true;
    for &root in &scheme.roots {
        let mut keys: Vec<Result<NodeId, &str>> = Vec::new();
        for (s, ind) in scores.iter().zip(&sheet.indicators) {
            if let Some((r, k)) = group_key(s, ind)
                && r == root
                && !keys.contains(&k)
            {
                keys.push(k);
            }
        }
        // Scheme order first, then labels the scheme does not know.
        keys.sort_by_key(|k| match k {
            Ok(n) => (0, scheme.nodes[root].children.iter().position(|c| c == n).unwrap_or(usize::MAX)),
            Err(_) => (1, 0),
        });
        let mut level1_score = Decimal::ZERO;
        let mut level1_high = Decimal::ZERO;
        let mut level1_weight = Decimal::ZERO;
        let level1_index = out.len();
        out.push(GroupScore {
            level1: root,
            level2: None,
            unmatched: None,
            points: scheme.nodes[root].points,
            weight: Decimal::ZERO,
            score: Decimal::ZERO,
            high: None,
            claimed: claimed_for(root, None),
            difference: None,
            flags: Vec::new(),
        });
        for key in keys {
            let members = scores
                .iter()
                .zip(&sheet.indicators)
                .filter(|(s, ind)| group_key(s, ind) == Some((root, key)));
            let (mut weight, mut score, mut open) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
            for (s, _) in members {
                weight = num::add(weight, s.weight);
                score = num::add(score, s.score.unwrap_or_default());
                if s.error.is_some() && !s.not_applicable {
                    open = num::add(open, s.weight);
                }
            }
            let mut group = GroupScore {
                level1: root,
                level2: key.ok(),
                unmatched: key.err().map(str::to_string),
                points: key.ok().and_then(|n| scheme.nodes[n].points),
                weight,
                score,
                high: None,
                claimed: claimed_for(root, Some(key)),
                difference: None,
                flags: Vec::new(),
            };
            complete &=
                group_flags(policy, money, &mut group, (!open.is_zero()).then(|| num::add(score, open)));
            level1_score = num::add(level1_score, group.score);
            level1_high = num::add(level1_high, group.high.unwrap_or(group.score));
            level1_weight = num::add(level1_weight, group.weight);
            out.push(group);
        }
        let level1 = &mut out[level1_index];
        level1.weight = level1_weight;
        level1.score = level1_score;
        complete &= group_flags(policy, money, level1, (level1_high != level1_score).then_some(level1_high));
    }
    (out, complete)
}

/// Fire a group's flags; `high` is its score with unscored rows at their weight. False when a
/// deduction or cap could not be computed.
fn group_flags(policy: &Policy, money: &Money, group: &mut GroupScore, high: Option<Decimal>) -> bool {
    let env = Env {
        weight: Some(group.weight),
        score: Some(group.score),
        claimed: group.claimed,
        points: group.points,
        ..money.env(policy, false)
    };
    let mut failed = None;
    let (low, high) = fire_over_range(
        policy,
        &env,
        group.score,
        high,
        group.claimed,
        false,
        |x| round_score(policy, x),
        &mut group.flags,
        &mut failed,
        Scope::of(&policy.plan().group),
    );
    group.score = round_score(policy, low);
    group.high = high.map(|h| round_score(policy, h)).filter(|h| *h != group.score);
    group.difference = group.claimed.map(|c| num::sub(group.score, c));
    failed.is_none()
}

/// Whether an expression uses budget amounts, whose unit is 元.
pub(crate) fn mentions_money(e: &crate::policy::Expr) -> bool {
    use crate::policy::Expr as E;
    match e {
        E::Var(v) => matches!(v, Var::Executed | Var::Annual | Var::Initial),
        E::Num(..) | E::Given(_) | E::Places(_) => false,
        E::Neg(x) | E::Not(x) | E::Abs(x) | E::Lookup(_, x) => mentions_money(x),
        E::Binary(_, a, b) => mentions_money(a) || mentions_money(b),
        E::Rounded(x, _) => mentions_money(x),
        E::Min(xs) | E::Max(xs) => xs.iter().any(mentions_money),
    }
}

#[cfg(test)]
mod tests {
    use super::{contains_plainly, is_detail_name, matching_form, on_step_digits};
    use rust_decimal::Decimal;

    #[test]
    fn all_of_a_weight_is_written_as_the_weight() {
        // What the `full` tier value relies on: `1 × w` keeps w's digits and places.
        for w in ["15", "15.00", "7.5", "0.01", "12.345", "-3.0"] {
            let w: Decimal = w.parse().unwrap();
            let product = Decimal::ONE.checked_mul(w).unwrap();
            assert_eq!((product, product.scale()), (w, w.scale()), "1 × {w}");
        }
        let zero: Decimal = "0.00".parse().unwrap();
        assert_eq!(Decimal::ONE.checked_mul(zero).map(|z| z.scale()), Some(0));
    }

    #[test]
    fn a_band_end_on_the_step_is_the_division_s_on_the_digits() {
        // The form it replaces: divide by the step, floor or ceil, multiply back.
        let by_division = |x: Decimal, places: u32, up: bool| {
            let step = Decimal::new(1, places);
            x.checked_div(step).map(|q| if up { q.ceil() } else { q.floor() } * step)
        };
        let mut next = crate::num::random(0x9e37_79b9_7f4a_7c15);
        let mut values: Vec<Decimal> =
            ["15", "12.0", "0.8", "4.375", "7.999999", "0.001", "1E-28", "79228162514264337593543950335"]
                .iter()
                .map(|s| s.parse().or_else(|_| Decimal::from_scientific(s)).unwrap())
                .collect();
        for _ in 0..3000 {
            let digits = match next() % 3 {
                0 => i128::from(next() % 100_000),
                1 => i128::from(next()),
                _ => i128::from(next()) << 30 | i128::from(next() % (1 << 30)),
            };
            if let Ok(d) = Decimal::try_from_i128_with_scale(digits, (next() % 29) as u32) {
                values.push(d);
            }
        }
        let mut taken = 0;
        for x in values {
            for places in [0, 1, 2, 3, 4, 9, 28] {
                for up in [false, true] {
                    let Some(fast) = on_step_digits(x, places, up) else {
                        continue;
                    };
                    taken += 1;
                    let slow = by_division(x, places, up);
                    assert_eq!(
                        Some((fast, fast.scale())),
                        slow.map(|s| (s, s.scale())),
                        "{x} at {places} places, up {up}"
                    );
                }
            }
        }
        assert!(taken > 20_000, "the digits decided {taken} cases");
        // Zero and negative values are left to the division.
        assert_eq!(on_step_digits(Decimal::ZERO, 2, false), None);
        assert_eq!(on_step_digits(Decimal::NEGATIVE_ONE, 2, true), None);
    }

    #[test]
    fn detail_names_are_seen_by_their_first_byte_as_in_full() {
        let full = |name: &str| crate::text::fold_width(name).trim_start().starts_with("其中");
        for name in ["其中：农民", "  其中农民", "\u{3000}其中：妇女", "\u{a0}其中", "其中"]
        {
            assert!(is_detail_name(name), "{name:?}");
        }
        for name in ["培训人数", "其他", "（其中）", "其", "", "a其中", "其 中"] {
            assert!(!is_detail_name(name), "{name:?}");
        }
        // Every character that can start a name, before `其中`.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let name = format!("{c}其中");
            assert_eq!(is_detail_name(&name), full(&name), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn every_character_normalising_changes_is_seen_by_its_bytes() {
        // Each white-space or full-width character, alone and between words, is normalised.
        let mut seen = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if c.is_whitespace() || ('\u{FF01}'..='\u{FF5E}').contains(&c) {
                seen += 1;
                let text = format!("明显{c}提升");
                assert_eq!(matching_form(&text), crate::text::normalize_label(&text), "U+{:04X}", c as u32);
                assert!(matches!(matching_form(&text), std::borrow::Cow::Owned(_)), "U+{:04X}", c as u32);
            }
        }
        assert_eq!(seen, 25 + 94);
        assert!(matches!(matching_form("明显提升"), std::borrow::Cow::Borrowed("明显提升")));
        assert!(matches!(matching_form("产出指标"), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(matching_form("产出指标(50分)"), std::borrow::Cow::Owned(_)));
    }

    #[test]
    fn negation_reaches_its_word_and_its_clause_only() {
        assert!(contains_plainly("非常及时", "及时"));
        assert!(contains_plainly("无安全隐患,管理有效", "有效"));
        assert!(contains_plainly("服务不断优化,效果明显提升", "明显提升"));
        assert!(contains_plainly("服务不断优化明显提升", "明显提升"));
        assert!(!contains_plainly("不及时", "及时"));
        assert!(!contains_plainly("已完成，但质量不高", "已完成"));
        assert!(!contains_plainly("按时完成，不过个别环节有延误", "按时完成"));
        assert!(!contains_plainly("完成率较低", "完成"));
        assert!(contains_plainly("不但按时完成，而且质量较好", "按时完成"));
        assert!(contains_plainly("已完成，质量较好", "已完成"));
        assert!(!contains_plainly("无明显提升", "明显提升"));
        assert!(!contains_plainly("未按要求及时完成", "及时"));
        assert!(!contains_plainly("基本合规", "合规"));
        // A later plain occurrence counts even when an earlier one is denied.
        assert!(contains_plainly("上半年不及时,下半年及时", "及时"));
    }
}
