//! Arithmetic that cannot panic. Exact decimals panic on overflow; scores and amounts are
//! bounded well below that, but sums and differences outside the expression evaluator go
//! through these so that no input can bring the program down.

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
}
