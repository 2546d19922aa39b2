//! Vouchers: codes, kinds and how much they take off.

use crate::money::MAX_PRICE_MINOR;
use crate::{Invalid, Money};

/// What a voucher takes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoucherKind {
    /// A percentage of the goods.
    Percent,
    /// A fixed amount, at most the goods.
    Fixed,
    /// The shipping.
    FreeShipping,
}

impl VoucherKind {
    /// Every kind.
    pub const ALL: [VoucherKind; 3] = [Self::Percent, Self::Fixed, Self::FreeShipping];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Percent => "percent",
            Self::Fixed => "fixed",
            Self::FreeShipping => "free_shipping",
        }
    }

    /// Parses a kind.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "percent" => Ok(Self::Percent),
            "fixed" => Ok(Self::Fixed),
            "free_shipping" => Ok(Self::FreeShipping),
            _ => Err(Invalid::new("must be one of percent, fixed, free_shipping")),
        }
    }

    /// Checks a value for this kind: a percent from 1 to 100, an amount of
    /// minor units, nothing for free shipping.
    pub fn check_value(&self, value: i64) -> Result<i64, Invalid> {
        match self {
            Self::Percent if (1..=100).contains(&value) => Ok(value),
            Self::Percent => Err(Invalid::new("must be a percentage from 1 to 100")),
            Self::Fixed if (1..=MAX_PRICE_MINOR).contains(&value) => Ok(value),
            Self::Fixed => Err(Invalid::new(format!(
                "must be from 1 to {MAX_PRICE_MINOR} minor units"
            ))),
            Self::FreeShipping => Ok(0),
        }
    }

    /// What this voucher takes off goods worth `subtotal` shipped for
    /// `shipping`. Percentages round half up to a minor unit.
    pub fn discount(&self, value: i64, subtotal: Money, shipping: Money) -> Money {
        let amount = match self {
            Self::Percent => {
                let scaled = i128::from(subtotal.amount.max(0)) * i128::from(value.clamp(0, 100));
                i64::try_from((scaled + 50) / 100).unwrap_or(i64::MAX)
            }
            Self::Fixed => value.clamp(0, subtotal.amount.max(0)),
            Self::FreeShipping => shipping.amount.max(0),
        };
        Money::new(amount, subtotal.currency)
    }
}

/// The longest voucher code.
pub const CODE_MAX: usize = 32;

/// A voucher code as a shopper types it: trimmed and upper-cased, 3 to 32
/// letters, digits, `-` or `_`.
pub fn parse_code(raw: &str) -> Result<String, Invalid> {
    let code = raw.to_ascii_uppercase();
    let well_formed = (3..=CODE_MAX).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if well_formed {
        Ok(code)
    } else {
        Err(Invalid::new("must be 3 to 32 letters, digits, '-' or '_'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;
    use proptest::prelude::*;

    fn usd(amount: i64) -> Money {
        Money::new(amount, Currency::USD)
    }

    #[test]
    fn kinds_take_off_what_they_say() {
        assert_eq!(
            VoucherKind::Percent.discount(10, usd(1995), usd(500)),
            usd(200)
        );
        assert_eq!(
            VoucherKind::Fixed.discount(5000, usd(1995), usd(500)),
            usd(1995)
        );
        assert_eq!(
            VoucherKind::FreeShipping.discount(0, usd(1995), usd(500)),
            usd(500)
        );
        assert!(VoucherKind::Percent.check_value(101).is_err());
        assert!(VoucherKind::Fixed.check_value(0).is_err());
        assert_eq!(parse_code("summer-10").unwrap(), "SUMMER-10");
        assert!(
            parse_code(" SUMMER-10").is_err(),
            "spaces are not part of a code"
        );
        assert!(parse_code("no spaces").is_err());
    }

    proptest! {
        #[test]
        fn a_discount_never_exceeds_what_it_applies_to(
            percent in 1i64..=100, fixed in 1i64..=1_000_000, subtotal in 0i64..=100_000_000, shipping in 0i64..=10_000,
        ) {
            prop_assert!(VoucherKind::Percent.discount(percent, usd(subtotal), usd(shipping)).amount <= subtotal);
            prop_assert!(VoucherKind::Fixed.discount(fixed, usd(subtotal), usd(shipping)).amount <= subtotal);
            prop_assert_eq!(VoucherKind::FreeShipping.discount(0, usd(subtotal), usd(shipping)).amount, shipping);
        }
    }
}
