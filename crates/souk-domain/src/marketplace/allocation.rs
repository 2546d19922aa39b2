//! Splitting an amount into whole minor units so that the parts add up
//! exactly: a voucher's discount over an order's lines, a refund over the
//! lines it covers, a line's commission over its partial refunds.

use crate::Invalid;
use std::cmp::Reverse;
use std::num::NonZeroU128;

/// Splits `total` minor units over `weights` in proportion, in whole minor
/// units, so that the parts add up to `total` exactly.
///
/// This is how a voucher's discount is spread over an order's lines
/// (weighted by what each line costs) and how a refund is spread over the
/// lines it covers, so that each seller's share is known to the minor unit.
///
/// Largest remainder: each part is first `floor(total * weight / sum)`;
/// the units left over then go one each to the parts with the largest
/// remainders, the earliest part first when remainders tie. Each part
/// therefore differs from its exact share by less than one minor unit, and
/// a part whose weight is 0 gets nothing. When every weight is 0 the total
/// is split evenly the same way.
///
/// Fails when `total` or a weight is negative, or when `total` is more
/// than 0 and there is nothing to split it over.
pub fn allocate(total: i64, weights: &[i64]) -> Result<Vec<i64>, Invalid> {
    if total < 0 {
        return Err(Invalid::new("the amount to split must not be negative"));
    }
    if weights.iter().any(|w| *w < 0) {
        return Err(Invalid::new("weights must not be negative"));
    }
    let weights: Vec<u128> = weights
        .iter()
        .map(|w| u128::from(w.unsigned_abs()))
        .collect();
    let sum: u128 = weights.iter().sum();
    let total = u128::from(total.unsigned_abs());
    match (
        NonZeroU128::new(sum),
        NonZeroU128::new(weights.len() as u128),
    ) {
        (Some(sum), _) => to_minor_units(largest_remainder(total, &weights, sum)),
        (None, Some(count)) => {
            to_minor_units(largest_remainder(total, &vec![1; weights.len()], count))
        }
        (None, None) if total == 0 => Ok(Vec::new()),
        (None, None) => Err(Invalid::new("cannot split an amount over no parts")),
    }
}

/// The largest-remainder split of `total` over `weights`, which add up to
/// `sum`.
fn largest_remainder(total: u128, weights: &[u128], sum: NonZeroU128) -> Vec<u128> {
    // total and each weight are below 2^63, so their product fits.
    let shares: Vec<(u128, u128)> = weights
        .iter()
        .map(|w| {
            let scaled = total * w;
            (scaled / sum, scaled % sum)
        })
        .collect();
    let given: u128 = shares.iter().map(|(floor, _)| floor).sum();
    // The remainders add up to `sum * left_over` and each is below `sum`,
    // so fewer units are left over than there are parts with a remainder.
    let left_over = usize::try_from(total.saturating_sub(given)).unwrap_or(usize::MAX);
    let mut by_remainder: Vec<(usize, u128)> = shares
        .iter()
        .enumerate()
        .map(|(index, (_, remainder))| (index, *remainder))
        .collect();
    by_remainder.sort_by_key(|&(index, remainder)| (Reverse(remainder), index));
    let mut parts: Vec<u128> = shares.iter().map(|(floor, _)| *floor).collect();
    for (index, _) in by_remainder.into_iter().take(left_over) {
        if let Some(part) = parts.get_mut(index) {
            *part += 1;
        }
    }
    parts
}

/// Parts back in signed minor units; each is at most the total, which was
/// an `i64`.
fn to_minor_units(parts: Vec<u128>) -> Result<Vec<i64>, Invalid> {
    parts
        .into_iter()
        .map(|part| i64::try_from(part).map_err(|_| Invalid::new("amount out of range")))
        .collect()
}

/// How much of `whole` goes back when `refunding_now` of a line's
/// `of_total` is refunded after `refunded_before` already was: e.g. the
/// part of the line's commission the marketplace returns to the seller.
///
/// It is `floor(whole * (before + now) / of_total) - floor(whole * before
/// / of_total)`, so a series of partial refunds that add up to the whole
/// line gives back exactly `whole`, never more, and each step is at least
/// 0.
///
/// Fails when an amount is negative or when more than `of_total` would
/// have been refunded (which includes refunding anything of an empty line).
pub fn proportional_refund(
    whole: i64,
    of_total: i64,
    refunded_before: i64,
    refunding_now: i64,
) -> Result<i64, Invalid> {
    if whole < 0 || of_total < 0 || refunded_before < 0 || refunding_now < 0 {
        return Err(Invalid::new("amounts must not be negative"));
    }
    let [whole, of_total, before, now] =
        [whole, of_total, refunded_before, refunding_now].map(|a| u128::from(a.unsigned_abs()));
    let after = before + now;
    if after > of_total {
        return Err(Invalid::new("cannot refund more than the line's total"));
    }
    let Some(of_total) = NonZeroU128::new(of_total) else {
        // Nothing was or is refunded of an empty line.
        return Ok(0);
    };
    // whole is below 2^63 and after is at most of_total, below 2^63.
    let back = whole * after / of_total - whole * before / of_total;
    i64::try_from(back).map_err(|_| Invalid::new("amount out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_with_concrete_numbers() {
        assert_eq!(allocate(100, &[1, 1, 1]), Ok(vec![34, 33, 33]));
        assert_eq!(allocate(5, &[1, 2]), Ok(vec![2, 3]));
        assert_eq!(allocate(1000, &[1999, 501]), Ok(vec![800, 200]));
        assert_eq!(allocate(1, &[0, 3, 0]), Ok(vec![0, 1, 0]));
        assert_eq!(allocate(10, &[0, 0, 0]), Ok(vec![4, 3, 3]));
        assert_eq!(allocate(0, &[5, 5]), Ok(vec![0, 0]));
        assert_eq!(allocate(0, &[]), Ok(vec![]));
        assert!(allocate(1, &[]).is_err());
        assert!(allocate(-1, &[1]).is_err());
        assert!(allocate(10, &[1, -1]).is_err());
    }

    #[test]
    fn huge_amounts_do_not_overflow() {
        let parts = allocate(i64::MAX, &[i64::MAX, i64::MAX, 1]).unwrap();
        assert_eq!(
            parts.iter().map(|p| i128::from(*p)).sum::<i128>(),
            i128::from(i64::MAX)
        );
        assert_eq!(
            proportional_refund(i64::MAX, i64::MAX, 0, i64::MAX),
            Ok(i64::MAX)
        );
    }

    #[test]
    fn refunds_in_thirds() {
        assert_eq!(proportional_refund(100, 3, 0, 1), Ok(33));
        assert_eq!(proportional_refund(100, 3, 1, 1), Ok(33));
        assert_eq!(proportional_refund(100, 3, 2, 1), Ok(34));
        assert_eq!(proportional_refund(250, 1000, 0, 1000), Ok(250));
        assert_eq!(proportional_refund(250, 0, 0, 0), Ok(0));
        assert!(proportional_refund(250, 0, 0, 1).is_err());
        assert!(proportional_refund(250, 1000, 600, 401).is_err());
        assert!(proportional_refund(-1, 1000, 0, 1).is_err());
        assert!(proportional_refund(250, 1000, -1, 1).is_err());
        assert!(proportional_refund(250, 1000, 0, -1).is_err());
        assert!(proportional_refund(250, -1000, 0, 0).is_err());
    }

    fn weight() -> impl Strategy<Value = i64> {
        prop_oneof![Just(0i64), 1i64..=1_000_000, 0i64..=i64::MAX]
    }

    proptest! {
        #[test]
        fn parts_add_up_and_stay_near_their_share(
            total in prop_oneof![0i64..=1_000_000_000_000, 0i64..=i64::MAX],
            weights in proptest::collection::vec(weight(), 1..20),
        ) {
            let parts = allocate(total, &weights).unwrap();
            prop_assert_eq!(parts.len(), weights.len());
            let sum: i128 = parts.iter().map(|p| i128::from(*p)).sum();
            prop_assert_eq!(sum, i128::from(total));
            let all_zero = weights.iter().all(|w| *w == 0);
            let used: Vec<i128> = weights.iter().map(|w| if all_zero { 1 } else { i128::from(*w) }).collect();
            let weight_sum: i128 = used.iter().sum();
            for (part, w) in parts.iter().zip(&used) {
                // |part - total * w / weight_sum| < 1, without dividing.
                let off = i128::from(*part) * weight_sum - i128::from(total) * w;
                prop_assert!(off.abs() < weight_sum, "part {} weight {}", part, w);
                prop_assert!(*part >= 0);
            }
            if !all_zero {
                for (part, w) in parts.iter().zip(&weights) {
                    if *w == 0 {
                        prop_assert_eq!(*part, 0);
                    }
                }
            }
            prop_assert_eq!(allocate(total, &weights).unwrap(), parts);
        }

        #[test]
        fn partial_refunds_give_back_exactly_the_whole(
            whole in 0i64..=1_000_000_000,
            steps in proptest::collection::vec(0i64..=10_000, 1..12),
        ) {
            let of_total: i64 = steps.iter().sum();
            prop_assume!(of_total > 0);
            let mut before = 0;
            let mut given_back = 0;
            for now in steps {
                let back = proportional_refund(whole, of_total, before, now).unwrap();
                prop_assert!(back >= 0);
                given_back += back;
                before += now;
                prop_assert!(given_back <= whole);
                let expected = i128::from(whole) * i128::from(before) / i128::from(of_total);
                prop_assert_eq!(i128::from(given_back), expected);
            }
            prop_assert_eq!(given_back, whole);
            prop_assert!(proportional_refund(whole, of_total, of_total, 1).is_err());
        }
    }
}
