//! Arithmetic that cannot panic. Exact decimals panic on overflow; scores and amounts are
//! bounded well below that, but sums and differences outside the expression evaluator go
//! through these so that no input can bring the program down.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// `a + b`, held at the largest or smallest decimal instead of overflowing.
pub fn add(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or(if b.is_sign_negative() { Decimal::MIN } else { Decimal::MAX })
}

/// `a − b`, held at the largest or smallest decimal instead of overflowing.
pub fn sub(a: Decimal, b: Decimal) -> Decimal {
    a.checked_sub(b).unwrap_or(if b.is_sign_negative() { Decimal::MAX } else { Decimal::MIN })
}

/// The sum of `xs`, held at the bounds instead of overflowing.
pub fn sum(xs: impl IntoIterator<Item = Decimal>) -> Decimal {
    xs.into_iter().fold(Decimal::ZERO, add)
}

/// `a` against `b`, as `Decimal`'s own ordering has it, on the digits as one integer: the one
/// of smaller scale is brought to the other's by one multiplication instead of `rust_decimal`'s
/// rescaling nine digits at a time. A score divided out to 28 places against a whole weight is
/// the usual case on the scoring path.
#[inline(always)]
pub fn cmp(a: Decimal, b: Decimal) -> Ordering {
    let (ma, mb) = (a.mantissa(), b.mantissa());
    let (sa, sb) = (a.scale(), b.scale());
    if sa == sb {
        return ma.cmp(&mb);
    }
    // Different signs, or a zero, are decided by the signs alone.
    let (ga, gb) = (ma.signum(), mb.signum());
    if ga != gb || ga == 0 {
        return ga.cmp(&gb);
    }
    let (ua, ub) = (ma.unsigned_abs(), mb.unsigned_abs());
    let by_size = if sa > sb { scaled(ua, ub, sa - sb) } else { scaled(ub, ua, sb - sa).reverse() };
    if ga < 0 { by_size.reverse() } else { by_size }
}

/// Digits `x` against digits `y` times `10^d` (both below 2^96, `d` at most 28).
#[inline(always)]
fn scaled(x: u128, y: u128, d: u32) -> Ordering {
    let d = d as usize;
    // From this size on, `y · 10^d` is at least 2^96, beyond any digits.
    if y >= BEYOND[d] {
        return Ordering::Less;
    }
    x.cmp(&(y * POWERS[d]))
}
/// The smaller of `a` and `b` ([`Decimal::min`]: `a` when they are equal).
#[inline]
pub fn min(a: Decimal, b: Decimal) -> Decimal {
    if cmp(a, b) == Ordering::Greater { b } else { a }
}

/// The larger of `a` and `b` ([`Decimal::max`]: `a` when they are equal).
#[inline]
pub fn max(a: Decimal, b: Decimal) -> Decimal {
    if cmp(a, b) == Ordering::Less { b } else { a }
}

/// 10^0 … 10^28, the powers a scale difference can need.
pub(crate) const POWERS: [u128; 29] = {
    let mut p = [1u128; 29];
    let mut i = 1;
    while i < 29 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// For each power, the least digits whose product with it reaches 2^96: `⌈2^96 / 10^d⌉`.
const BEYOND: [u128; 29] = {
    let mut b = [0u128; 29];
    let mut i = 0;
    while i < 29 {
        b[i] = (1u128 << 96).div_ceil(POWERS[i]);
        i += 1;
    }
    b
};

/// A deterministic stream of numbers (xorshift) for the crate's randomised tests.
#[cfg(test)]
pub(crate) fn random(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_is_held_at_the_bounds() {
        assert_eq!(add(Decimal::MAX, Decimal::ONE), Decimal::MAX);
        assert_eq!(sub(Decimal::MIN, Decimal::ONE), Decimal::MIN);
        assert_eq!(sub(Decimal::MAX, Decimal::NEGATIVE_ONE), Decimal::MAX);
        assert_eq!(sum([Decimal::ONE, Decimal::TWO]), Decimal::from(3));
    }

    /// Decimals of every scale and size, with the edges: zero of either sign, the largest
    /// digits, equal values written with different scales.
    fn samples() -> Vec<Decimal> {
        let mut out = vec![Decimal::ZERO, -Decimal::ZERO, Decimal::MAX, Decimal::MIN, Decimal::ONE];
        let mut next = random(0x2545_f491_4f6c_dd1d);
        for _ in 0..400 {
            let digits = match next() % 4 {
                0 => i128::from(next() % 1000),
                1 => i128::from(next()),
                2 => i128::from(next()) << 32 | i128::from(next() % (1 << 32)),
                _ => (1i128 << 96) - 1 - i128::from(next() % 1000),
            };
            let digits = if next().is_multiple_of(2) { -digits } else { digits };
            let scale = (next() % 29) as u32;
            if let Ok(d) = Decimal::try_from_i128_with_scale(digits, scale) {
                out.push(d);
                // The same value at a larger scale, where it fits.
                if let Ok(wide) = Decimal::try_from_i128_with_scale(digits.saturating_mul(100), scale + 2)
                    && scale + 2 <= 28
                {
                    out.push(wide);
                }
            }
        }
        // Digits either side of the size where a product with a power passes 2^96, against the
        // largest digits at that scale.
        for d in 0..29u32 {
            let edge = BEYOND[d as usize] as i128;
            for digits in [edge - 1, edge, edge + 1] {
                out.extend(Decimal::try_from_i128_with_scale(digits, 0).ok());
            }
            out.extend(Decimal::try_from_i128_with_scale((1i128 << 96) - 1, d).ok());
        }
        for s in ["10", "10.00", "7.8571428571428571428571428571", "0.80", "0.8", "-3", "-3.0000"] {
            out.push(s.parse().unwrap());
        }
        out
    }

    #[test]
    fn comparison_on_the_digits_is_decimal_ordering() {
        let xs = samples();
        for &a in &xs {
            for &b in &xs {
                assert_eq!(cmp(a, b), a.cmp(&b), "{a} against {b}");
                let (lo, hi) = (min(a, b), max(a, b));
                let (want_lo, want_hi) = (a.min(b), a.max(b));
                // Same value and the same scale (which of two equal values is kept).
                assert_eq!((lo, lo.scale()), (want_lo, want_lo.scale()), "min({a}, {b})");
                assert_eq!((hi, hi.scale()), (want_hi, want_hi.scale()), "max({a}, {b})");
            }
        }
    }
}
