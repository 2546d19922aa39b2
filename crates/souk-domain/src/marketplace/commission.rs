//! Commission rates: what the marketplace takes of an order line.

use crate::money::MAX_PRICE_MINOR;
use crate::{FieldError, Invalid, Validator};

/// What the marketplace takes of each order line: a share of what the
/// buyer paid plus a fixed amount per unit, optionally kept between a
/// minimum and a maximum per line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommissionRate {
    basis_points: u32,
    fixed_per_unit: i64,
    min_per_line: Option<i64>,
    max_per_line: Option<i64>,
}

impl CommissionRate {
    /// A rate of `basis_points` (0 to 10 000; 1250 is 12.5 %) plus
    /// `fixed_per_unit` minor units per unit, kept between `min_per_line`
    /// and `max_per_line` when they are given. Amounts are from 0 to
    /// [`MAX_PRICE_MINOR`] and the minimum is at most the maximum.
    pub fn new(
        basis_points: u32,
        fixed_per_unit: i64,
        min_per_line: Option<i64>,
        max_per_line: Option<i64>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut v = Validator::new();
        if basis_points > 10_000 {
            v.push(FieldError::new(
                "basis_points",
                "must be from 0 to 10000 basis points",
            ));
        }
        let amounts = [
            ("fixed_per_unit", Some(fixed_per_unit)),
            ("min_per_line", min_per_line),
            ("max_per_line", max_per_line),
        ];
        for (field, amount) in amounts {
            if let Some(amount) = amount {
                v.check(field, check_amount(amount));
            }
        }
        if let (Some(Ok(min)), Some(Ok(max))) = (
            min_per_line.map(check_amount),
            max_per_line.map(check_amount),
        ) && min > max
        {
            v.push(FieldError::new(
                "max_per_line",
                "must not be less than min_per_line",
            ));
        }
        v.finish()?;
        Ok(Self {
            basis_points,
            fixed_per_unit,
            min_per_line,
            max_per_line,
        })
    }

    /// The share of the line, in basis points.
    pub fn basis_points(&self) -> u32 {
        self.basis_points
    }

    /// The fixed amount per unit, in minor units.
    pub fn fixed_per_unit(&self) -> i64 {
        self.fixed_per_unit
    }

    /// The least taken of a line, if any.
    pub fn min_per_line(&self) -> Option<i64> {
        self.min_per_line
    }

    /// The most taken of a line, if any.
    pub fn max_per_line(&self) -> Option<i64> {
        self.max_per_line
    }

    /// The commission on a line of `quantity` units for which the buyer
    /// pays `line_amount` minor units after the line's share of discounts:
    /// the share rounded half up, plus the fixed part per unit, kept
    /// between the minimum and the maximum, and in the end never more than
    /// the line amount nor less than 0. A negative amount or quantity counts
    /// as 0.
    pub fn commission(&self, line_amount: i64, quantity: i64) -> i64 {
        let line = i128::from(line_amount.max(0));
        let share = (line * i128::from(self.basis_points) + 5_000) / 10_000;
        let fixed = i128::from(self.fixed_per_unit) * i128::from(quantity.max(0));
        let mut commission = share + fixed;
        if let Some(min) = self.min_per_line {
            commission = commission.max(i128::from(min));
        }
        if let Some(max) = self.max_per_line {
            commission = commission.min(i128::from(max));
        }
        // Clamped to the line amount, which is an i64, so this always fits.
        i64::try_from(commission.clamp(0, line)).unwrap_or(0)
    }
}

/// An amount a rate may hold.
fn check_amount(amount: i64) -> Result<i64, Invalid> {
    if (0..=MAX_PRICE_MINOR).contains(&amount) {
        Ok(amount)
    } else {
        Err(Invalid::new(format!(
            "must be from 0 to {MAX_PRICE_MINOR} minor units"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rate(bps: u32, fixed: i64, min: Option<i64>, max: Option<i64>) -> CommissionRate {
        CommissionRate::new(bps, fixed, min, max).unwrap()
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn commissions_with_concrete_numbers() {
        assert_eq!(rate(1250, 0, None, None).commission(999, 1), 125);
        assert_eq!(rate(1000, 25, None, None).commission(1000, 3), 175);
        assert_eq!(
            rate(500, 0, None, None).commission(10, 1),
            1,
            "half rounds up"
        );
        assert_eq!(rate(500, 0, None, None).commission(9, 1), 0);
        assert_eq!(
            rate(1000, 0, Some(50), None).commission(30, 1),
            30,
            "never more than the line"
        );
        assert_eq!(rate(1000, 0, Some(50), None).commission(300, 1), 50);
        assert_eq!(rate(1000, 0, None, Some(100)).commission(10_000, 1), 100);
        assert_eq!(rate(0, 500, None, None).commission(700, 2), 700);
        assert_eq!(rate(10_000, 0, None, None).commission(-5, 1), 0);
        assert_eq!(rate(0, 500, None, None).commission(700, -2), 0);
    }

    #[test]
    fn rates_are_validated_field_by_field() {
        let all_bad = CommissionRate::new(10_001, -1, Some(-5), Some(MAX_PRICE_MINOR + 1));
        assert_eq!(
            fields(all_bad.unwrap_err()),
            [
                "basis_points",
                "fixed_per_unit",
                "min_per_line",
                "max_per_line"
            ]
        );
        let crossed = CommissionRate::new(0, 0, Some(100), Some(50));
        assert_eq!(fields(crossed.unwrap_err()), ["max_per_line"]);
        assert!(CommissionRate::new(10_000, MAX_PRICE_MINOR, Some(5), Some(5)).is_ok());
        assert_eq!(
            CommissionRate::new(0, 0, None, None),
            Ok(CommissionRate::default())
        );
    }

    fn any_rate() -> impl Strategy<Value = CommissionRate> {
        let amount = proptest::option::of(0i64..=10_000);
        (0u32..=10_000, 0i64..=1_000, amount.clone(), amount).prop_map(|(bps, fixed, a, b)| match (
            a, b,
        ) {
            (Some(a), Some(b)) => rate(bps, fixed, Some(a.min(b)), Some(a.max(b))),
            (a, b) => rate(bps, fixed, a, b),
        })
    }

    proptest! {
        #[test]
        fn a_commission_stays_within_the_line_and_its_bounds(
            rate in any_rate(),
            line in 0i64..=100_000_000,
            quantity in 0i64..=999,
        ) {
            let commission = rate.commission(line, quantity);
            prop_assert!((0..=line).contains(&commission));
            if let Some(min) = rate.min_per_line().filter(|min| *min <= line) {
                prop_assert!(commission >= min);
            }
            if let Some(max) = rate.max_per_line() {
                prop_assert!(commission <= max);
            }
        }

        #[test]
        fn without_a_fixed_part_more_paid_never_means_less_taken(
            rate in any_rate(),
            line in 0i64..=100_000_000,
            more in 0i64..=1_000_000,
            quantity in 0i64..=999,
        ) {
            let rate = CommissionRate { fixed_per_unit: 0, ..rate };
            prop_assert!(rate.commission(line, quantity) <= rate.commission(line + more, quantity));
        }

        #[test]
        fn extreme_inputs_stay_in_range(line in any::<i64>(), quantity in any::<i64>()) {
            let rate = rate(10_000, MAX_PRICE_MINOR, Some(MAX_PRICE_MINOR), Some(MAX_PRICE_MINOR));
            let commission = rate.commission(line, quantity);
            prop_assert!((0..=line.max(0)).contains(&commission));
        }

    }
}
