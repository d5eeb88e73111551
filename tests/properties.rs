//! Properties that hold for every bundled policy, on generated sheets: scores move the right
//! way as the actual moves, stay within [0, weight] unless the policy says `uncapped`, do not
//! depend on the order of rows, grade lines or tier lines, and add up to the total under the
//! policy's rounding.

mod common;

use std::fmt::Write;
use std::sync::LazyLock;

use jixiao::policy::Policy;
use jixiao::score::ScoreSheet;
use jixiao::sheet::{Format, Sheet};
use proptest::prelude::*;
use proptest::test_runner::Config;
use rust_decimal::Decimal;

/// Every bundled policy, resolved once.
static POLICIES: LazyLock<Vec<(String, Policy)>> = LazyLock::new(|| {
    let lib = common::bundled_rules();
    let names: Vec<String> = lib.names().map(str::to_string).collect();
    names
        .into_iter()
        .map(|name| {
            let mut sources = jixiao::diagnostic::Sources::new();
            let checked = lib.resolve(&name, &mut sources).unwrap_or_else(|_| panic!("{name} resolves"));
            (name, checked.policy)
        })
        .collect()
});

fn config() -> Config {
    Config { cases: 64, failure_persistence: None, ..Config::default() }
}

/// How a generated row reads.
#[derive(Clone, Copy, Debug)]
enum Kind {
    AtLeast,
    AtMost,
    Words(usize),
}

const WORDS: [&str; 5] = ["明显提升", "基本完成", "部分达成", "未达成", "达成"];

/// A generated indicator row: category (as indices into the scheme), kind, target, actual
/// (tenths), weight.
#[derive(Clone, Debug)]
struct Row {
    root: usize,
    child: usize,
    kind: Kind,
    target: u32,
    actual: u32,
    weight: u32,
}

fn row() -> impl Strategy<Value = Row> {
    let kind = prop_oneof![Just(Kind::AtLeast), Just(Kind::AtMost), (0..WORDS.len()).prop_map(Kind::Words)];
    (0usize..8, 0usize..8, kind, 1u32..500, 0u32..10_000, 1u32..20).prop_map(
        |(root, child, kind, target, actual, weight)| Row { root, child, kind, target, actual, weight },
    )
}

/// The labels a row is filed under in this policy's scheme.
fn labels(policy: &Policy, row: &Row) -> (String, String) {
    let scheme = &policy.scheme;
    let root = scheme.roots[row.root % scheme.roots.len()];
    let node = &scheme.nodes[root];
    let child = match node.children.len() {
        0 => String::new(),
        n => scheme.nodes[node.children[row.child % n]].label.clone(),
    };
    (node.label.clone(), child)
}

/// A sheet with a budget block (executed in tenths of the 100 planned) and the given rows, each
/// row naming its categories so that rows can be reordered.
fn sheet_text(policy: &Policy, executed: u32, rows: &[Row]) -> String {
    let numbered: Vec<(usize, Row)> = rows.iter().cloned().enumerate().collect();
    numbered_sheet_text(policy, executed, &numbered)
}

/// As [`sheet_text`], each row named by the number it comes with.
fn numbered_sheet_text(policy: &Policy, executed: u32, rows: &[(usize, Row)]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "[project]\nname = \"生成\"\nyear = 2023\n");
    let _ = writeln!(out, "[budget]\nannual = 100\nexecuted = {}.{}\n", executed / 10, executed % 10);
    for (i, r) in rows {
        let (l1, l2) = labels(policy, r);
        let actual = format!("{}.{}", r.actual / 10, r.actual % 10);
        let (target, actual) = match r.kind {
            Kind::AtLeast => (format!("≥{}个", r.target), format!("{actual}个")),
            Kind::AtMost => (format!("≤{}个", r.target), format!("{actual}个")),
            Kind::Words(w) => ("明显提升".to_string(), WORDS[w].to_string()),
        };
        let _ = writeln!(
            out,
            "[[indicators]]\nlevel1 = \"{l1}\"\nlevel2 = \"{l2}\"\nname = \"活动{i}\"\ntarget = \"{target}\"\n\
             actual = \"{actual}\"\nweight = {}\nnote = \"已说明\"\n",
            r.weight
        );
    }
    out
}

fn evaluate(policy: &Policy, text: &str) -> (Sheet, ScoreSheet) {
    let sheet = jixiao::sheet::load(text, Format::Toml).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    let score = jixiao::evaluate(policy, &sheet);
    (sheet, score)
}

/// Each row's score by name, the budget score and the total.
type Scores = (Vec<(String, Option<Decimal>)>, Option<Decimal>, Decimal);

fn scores(sheet: &Sheet, score: &ScoreSheet) -> Scores {
    let mut rows: Vec<(String, Option<Decimal>)> =
        score.indicators.iter().map(|s| (sheet.indicators[s.position].name.clone(), s.score)).collect();
    rows.sort();
    (rows, score.budget.as_ref().and_then(|b| b.score), score.total)
}

fn round_score(policy: &Policy, x: Decimal) -> Decimal {
    policy.rounding.score.map_or(x, |r| r.apply(x))
}

proptest! {
    #![proptest_config(config())]

    /// A ≥ row's score never falls as its actual rises, and a ≤ row's never rises: the method's
    /// result, and the final score when no flag deducted from or capped either of them.
    #[test]
    fn scores_move_with_the_actual(base in row(), more in 0u32..5_000, executed in 800u32..1200) {
        for (name, policy) in POLICIES.iter() {
            let mut higher = base.clone();
            higher.actual = base.actual + more;
            let (_, a) = evaluate(policy, &sheet_text(policy, executed, std::slice::from_ref(&base)));
            let (_, b) = evaluate(policy, &sheet_text(policy, executed, &[higher]));
            let (a, b) = (&a.indicators[0], &b.indicators[0]);
            let adjusted = |s: &jixiao::score::IndicatorScore| {
                s.flags.iter().any(|f| f.deducted.is_some() || f.capped_at.is_some())
            };
            let ordered = |x: Decimal, y: Decimal| match base.kind {
                Kind::AtLeast => x <= y,
                Kind::AtMost => x >= y,
                Kind::Words(_) => true,
            };
            if let (Some(x), Some(y)) = (a.computed, b.computed) {
                prop_assert!(ordered(x, y), "{name}: {:?} computed {x} then {y} at actual +{more}", base);
            }
            if let (Some(x), Some(y)) = (a.score, b.score)
                && !adjusted(a)
                && !adjusted(b)
            {
                prop_assert!(ordered(x, y), "{name}: {:?} scored {x} then {y} at actual +{more}", base);
            }
        }
    }

    /// Every score lies in [0, weight] unless its method is `uncapped`; so does the budget's.
    #[test]
    fn scores_stay_within_their_weight(rows in prop::collection::vec(row(), 1..8), executed in 0u32..2000) {
        for (name, policy) in POLICIES.iter() {
            let (_, score) = evaluate(policy, &sheet_text(policy, executed, &rows));
            for (s, r) in score.indicators.iter().zip(&rows) {
                // The generated numeric rows are all readable: the property is about real scores.
                if !matches!(r.kind, Kind::Words(_)) {
                    prop_assert!(s.score.is_some(), "{name}: {r:?} unscored: {:?}", s.error);
                }
                let capped = s.method.is_some_and(|m| policy.methods[m].capped);
                if let (Some(x), true) = (s.score, capped) {
                    prop_assert!(x >= Decimal::ZERO && x <= s.weight, "{name}: {x} outside [0, {}]", s.weight);
                }
            }
            if let Some(b) = &score.budget {
                let capped = b.method.is_some_and(|m| policy.methods[m].capped);
                if let (Some(x), true) = (b.score, capped) {
                    prop_assert!(x >= Decimal::ZERO && x <= b.weight, "{name}: budget {x} outside [0, {}]", b.weight);
                }
            }
        }
    }

    /// Reordering the rows of a sheet, the lines of the grade bands or the lines of any tier
    /// table changes no score, no total and no grade.
    #[test]
    fn order_changes_nothing(
        rows in prop::collection::vec(row(), 1..8),
        executed in 0u32..1500,
        shuffle in any::<u64>(),
    ) {
        for (name, policy) in POLICIES.iter() {
            let (sheet, score) = evaluate(policy, &sheet_text(policy, executed, &rows));
            let mut reordered: Vec<(usize, Row)> = rows.iter().cloned().enumerate().collect();
            rotate(&mut reordered, shuffle);
            let mut permuted = policy.clone();
            let catch_all = permuted.grades.last().is_some_and(|g| g.band.is_none());
            let banded = permuted.grades.len() - usize::from(catch_all);
            rotate(&mut permuted.grades[..banded], shuffle);
            for table in &mut permuted.tiers {
                rotate(&mut table.tiers, shuffle / 7);
            }
            let (sheet2, score2) = evaluate(&permuted, &numbered_sheet_text(policy, executed, &reordered));
            prop_assert_eq!(scores(&sheet, &score), scores(&sheet2, &score2), "{}", name);
            prop_assert_eq!(&score.grade, &score2.grade, "{}", name);
        }
    }

    /// The total is the sum of the rounded parts: each row's score is its unrounded score
    /// rounded as the policy says, each subtotal the sum of its rows, and the total the budget
    /// plus the level-1 subtotals, rounded as the policy rounds totals.
    #[test]
    fn the_total_is_the_sum_of_rounded_parts(rows in prop::collection::vec(row(), 1..8), executed in 800u32..1200) {
        for (name, policy) in POLICIES.iter() {
            let (_, score) = evaluate(policy, &sheet_text(policy, executed, &rows));
            for s in &score.indicators {
                if let (Some(x), Some(u)) = (s.score, s.unrounded) {
                    prop_assert_eq!(x, round_score(policy, u), "{}: row rounding", name);
                }
            }
            let level1: Vec<_> = score.groups.iter().filter(|g| g.level2.is_none() && g.unmatched.is_none()).collect();
            for g in &level1 {
                if !g.flags.iter().any(|f| f.deducted.is_some() || f.capped_at.is_some()) {
                    let parts: Decimal = score
                        .groups
                        .iter()
                        .filter(|c| c.level1 == g.level1 && (c.level2.is_some() || c.unmatched.is_some()))
                        .map(|c| c.score)
                        .sum();
                    prop_assert_eq!(g.score, round_score(policy, parts), "{}: level-1 subtotal", name);
                }
            }
            let budget = score.budget.as_ref().and_then(|b| b.score).unwrap_or_default();
            let sum: Decimal = budget + level1.iter().map(|g| g.score).sum::<Decimal>();
            prop_assert_eq!(score.sum, sum, "{}: sum", name);
            let adjusted = score.flags.iter().any(|f| f.deducted.is_some() || f.capped_at.is_some());
            if !adjusted && score.inapplicable_points.is_zero() {
                let total = policy.rounding.total.map_or(sum, |r| r.apply(sum));
                prop_assert_eq!(score.total, total, "{}: total", name);
            }
        }
    }
}

/// A deterministic reordering driven by `seed`: rotate, then reverse on odd seeds.
fn rotate<T>(items: &mut [T], seed: u64) {
    if items.is_empty() {
        return;
    }
    let k = usize::try_from(seed % items.len() as u64).unwrap_or(0);
    items.rotate_left(k);
    if seed % 2 == 1 {
        items.reverse();
    }
}
