//! Gaps and overlaps between bands (tier tables, grade bands).

use rust_decimal::Decimal;

use crate::policy::Band;

/// An uncovered stretch between two bands, or between a band and the edge of the domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    /// Start of the gap and whether the start itself is uncovered.
    pub from: (Decimal, bool),
    /// End of the gap and whether the end itself is uncovered.
    pub to: (Decimal, bool),
}

/// Whether two bands share a point.
pub fn overlap(a: &Band, b: &Band) -> bool {
    // The larger of the two lows must not pass the smaller of the two highs.
    let low = max_low(a.low, b.low);
    let high = min_high(a.high, b.high);
    match (low, high) {
        (Some((l, li)), Some((h, hi))) => l < h || (l == h && li && hi),
        _ => true,
    }
}

fn max_low(a: Option<(Decimal, bool)>, b: Option<(Decimal, bool)>) -> Option<(Decimal, bool)> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some((av, ai)), Some((bv, bi))) => Some(if av > bv {
            (av, ai)
        } else if bv > av {
            (bv, bi)
        } else {
            (av, ai && bi)
        }),
    }
}

fn min_high(a: Option<(Decimal, bool)>, b: Option<(Decimal, bool)>) -> Option<(Decimal, bool)> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some((av, ai)), Some((bv, bi))) => Some(if av < bv {
            (av, ai)
        } else if bv < av {
            (bv, bi)
        } else {
            (av, ai && bi)
        }),
    }
}

/// Whether the band holds no value at all (`[90, 80]`, `(5, 5]`).
pub fn is_empty(band: &Band) -> bool {
    match (band.low, band.high) {
        (Some((l, li)), Some((h, hi))) => l > h || (l == h && !(li && hi)),
        _ => false,
    }
}

/// The parts of `[lo, hi]` that no band covers. When `step` is given, only gaps that hold a
/// multiple of `step` count (totals rounded to whole numbers cannot fall between 89 and 90).
pub fn gaps(bands: &[Band], lo: Decimal, hi: Decimal, step: Option<Decimal>) -> Vec<Gap> {
    let mut sorted: Vec<Band> = bands.iter().copied().filter(|b| !is_empty(b)).collect();
    sorted.sort_by(|a, b| {
        let key = |band: &Band| band.low.map(|(v, inc)| (v, !inc));
        match (key(a), key(b)) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Less,
            (_, None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(&y),
        }
    });
    let mut out = Vec::new();
    // `reach`: everything up to this point (inclusive if the flag is set) is covered.
    let mut reach: (Decimal, bool) = (lo, false);
    let mut open_ended = false;
    for band in &sorted {
        if open_ended {
            break;
        }
        let (start, start_inc) = band.low.unwrap_or((lo, true));
        let starts_after_reach = start > reach.0 || (start == reach.0 && !start_inc && !reach.1);
        if starts_after_reach && start >= lo {
            let gap = Gap { from: (reach.0, !reach.1), to: (start.min(hi), !start_inc || start > hi) };
            if holds_value(&gap, step) {
                out.push(gap);
            }
        }
        match band.high {
            None => open_ended = true,
            Some((end, end_inc)) => {
                if end > reach.0 || (end == reach.0 && end_inc) {
                    reach = (end, end_inc);
                }
            }
        }
        if reach.0 > hi {
            break;
        }
    }
    if !open_ended && (reach.0 < hi || (reach.0 == hi && !reach.1)) {
        let gap = Gap { from: (reach.0, !reach.1), to: (hi, true) };
        if holds_value(&gap, step) {
            out.push(gap);
        }
    }
    out
}

/// Whether no value of `band` within `[lo, hi]` (only multiples of `step`, when given) is left
/// for it once `earlier` bands have taken theirs: read first-match, such a band never applies.
pub fn unreachable(band: &Band, earlier: &[Band], lo: Decimal, hi: Decimal, step: Option<Decimal>) -> bool {
    let from = band.low.map_or(lo, |(v, _)| v.max(lo));
    let to = band.high.map_or(hi, |(v, _)| v.min(hi));
    if from > to {
        return true;
    }
    // The uncovered stretches of the band's hull that the band itself holds.
    gaps(earlier, from, to, step).iter().all(|g| {
        let left = Band { low: Some((g.from.0, g.from.1)), high: Some((g.to.0, g.to.1)) };
        let inside = Band { low: max_low(left.low, band.low), high: min_high(left.high, band.high) };
        is_empty(&inside)
            || !holds_value(
                &Gap { from: inside.low.unwrap_or(g.from), to: inside.high.unwrap_or(g.to) },
                step,
            )
    })
}

fn holds_value(gap: &Gap, step: Option<Decimal>) -> bool {
    let (a, a_in) = gap.from;
    let (b, b_in) = gap.to;
    if a > b || (a == b && !(a_in && b_in)) {
        return false;
    }
    let Some(step) = step.filter(|s| !s.is_zero()) else {
        return true;
    };
    // The first multiple of `step` at or after `a` that lies in the gap.
    let Some(mut x) = a.checked_div(step).and_then(|q| q.ceil().checked_mul(step)) else {
        return true;
    };
    if x == a && !a_in {
        x += step;
    }
    x < b || (x == b && b_in)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("a decimal literal")
    }

    fn band(low: Option<(&str, bool)>, high: Option<(&str, bool)>) -> Band {
        Band { low: low.map(|(v, i)| (d(v), i)), high: high.map(|(v, i)| (d(v), i)) }
    }

    #[test]
    fn national_grades_cover_without_overlap() {
        let bands = [
            band(Some(("90", true)), Some(("100", true))),
            band(Some(("80", true)), Some(("90", false))),
            band(Some(("60", true)), Some(("80", false))),
            band(Some(("0", true)), Some(("60", false))),
        ];
        assert!(gaps(&bands, d("0"), d("100"), None).is_empty());
        for i in 0..bands.len() {
            for j in i + 1..bands.len() {
                assert!(!overlap(&bands[i], &bands[j]), "{i} {j}");
            }
        }
    }

    #[test]
    fn integer_bands_leave_gaps_unless_totals_are_whole() {
        let bands = [
            band(Some(("90", true)), Some(("100", true))),
            band(Some(("80", true)), Some(("89", true))),
            band(Some(("0", true)), Some(("79", true))),
        ];
        let found = gaps(&bands, d("0"), d("100"), None);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].from, (d("79"), false));
        assert_eq!(found[0].to, (d("80"), false));
        assert!(gaps(&bands, d("0"), d("100"), Some(d("1"))).is_empty());
        assert_eq!(gaps(&bands, d("0"), d("100"), Some(d("0.1"))).len(), 2);
    }

    #[test]
    fn touching_closed_ends_overlap() {
        let a = band(Some(("80", true)), Some(("90", true)));
        let b = band(Some(("90", true)), Some(("100", true)));
        assert!(overlap(&a, &b));
        let c = band(Some(("90", false)), Some(("100", true)));
        assert!(!overlap(&a, &c));
    }

    #[test]
    fn missing_top_is_a_gap() {
        let bands =
            [band(Some(("0", true)), Some(("0.6", false))), band(Some(("0.6", true)), Some(("0.8", false)))];
        let found = gaps(&bands, d("0"), d("1"), None);
        assert_eq!(found, vec![Gap { from: (d("0.8"), true), to: (d("1"), true) }]);
    }

    #[test]
    fn a_threshold_under_a_lower_one_is_unreachable() {
        let (zero, hundred) = (d("0"), d("100"));
        let you = band(Some(("90", true)), None);
        let zhong = band(Some(("60", true)), None);
        let liang = band(Some(("75", true)), None);
        assert!(unreachable(&liang, &[you, zhong], zero, hundred, None));
        assert!(!unreachable(&liang, &[you], zero, hundred, None));
        assert!(unreachable(&band(Some(("95", true)), None), &[you], zero, hundred, None));
        // [80, 90) under [90, 100] keeps 80–90.
        assert!(!unreachable(&band(Some(("80", true)), Some(("90", false))), &[you], zero, hundred, None));
        // Beyond the total.
        assert!(unreachable(&band(Some(("120", true)), None), &[], zero, hundred, None));
        // (89, 90) holds no whole total.
        let narrow = band(Some(("89", false)), Some(("90", false)));
        assert!(unreachable(&narrow, &[you], zero, hundred, Some(d("1"))));
        assert!(!unreachable(&narrow, &[you], zero, hundred, None));
    }

    #[test]
    fn empty_bands_are_detected() {
        assert!(is_empty(&band(Some(("90", true)), Some(("80", true)))));
        assert!(is_empty(&band(Some(("5", false)), Some(("5", true)))));
        assert!(!is_empty(&band(Some(("5", true)), Some(("5", true)))));
    }
}
