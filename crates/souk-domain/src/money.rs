//! Money as integer minor units with an ISO 4217 currency. No floats.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An ISO 4217 currency code: three upper-case ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// United States dollar, the demo shop's currency.
    pub const USD: Currency = Currency(*b"USD");

    /// Parses a code such as `EUR`; lower case is accepted and normalised.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let bytes = raw.trim().as_bytes();
        match bytes {
            [a, b, c] if bytes.iter().all(u8::is_ascii_alphabetic) => Ok(Self([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
                c.to_ascii_uppercase(),
            ])),
            _ => Err(Invalid::new(
                "must be a three-letter ISO 4217 currency code",
            )),
        }
    }

    /// The code as text, e.g. `"USD"`.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored, so this cannot fail.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// How many minor units make one major unit (cents per dollar).
    pub fn minor_units(&self) -> u32 {
        match self.as_str() {
            "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" => 3,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Currency {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// An amount of money in minor units (cents) of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Minor units; negative only for refunds and discounts.
    pub amount: i64,
    /// The currency the amount is in.
    pub currency: Currency,
}

/// Arithmetic on money that would overflow or mix currencies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The result does not fit in 64 bits of minor units.
    #[error("amount out of range")]
    Overflow,
    /// Two amounts in different currencies were combined.
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(Currency, Currency),
}

/// The most a single price may be: ten million major units keeps every
/// realistic order total far from overflow.
pub const MAX_PRICE_MINOR: i64 = 1_000_000_000;

/// The most digits before the point of an amount typed in a form.
const WHOLE_DIGITS_MAX: usize = 10;

/// The most characters of an amount typed in a form (the `maxlength` of a
/// money field): [`WHOLE_DIGITS_MAX`] digits, the point and three decimals,
/// the most any currency has.
pub const MONEY_INPUT_MAX: usize = WHOLE_DIGITS_MAX + 1 + 3;

impl Money {
    /// `amount` minor units of `currency`.
    pub const fn new(amount: i64, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    /// A price a shop can charge: zero or more, at most [`MAX_PRICE_MINOR`].
    pub fn price(amount: i64, currency: Currency) -> Result<Self, Invalid> {
        if !(0..=MAX_PRICE_MINOR).contains(&amount) {
            return Err(Invalid::new(format!(
                "must be a whole number of minor units from 0 to {MAX_PRICE_MINOR}"
            )));
        }
        Ok(Self::new(amount, currency))
    }

    /// A price typed by a person in major units ("12", "12.5", "12.50"),
    /// as minor units of `currency`; at most [`MONEY_INPUT_MAX`] characters
    /// as sent.
    pub fn parse_major(raw: &str, currency: Currency) -> Result<Self, Invalid> {
        if raw.chars().count() > MONEY_INPUT_MAX {
            return Err(crate::numbers::too_long(MONEY_INPUT_MAX));
        }
        let decimals = currency.minor_units() as usize;
        let bad = || {
            Invalid::new(format!(
                "must be an amount such as 12 or 12.{}",
                "5".repeat(decimals.max(1))
            ))
        };
        let raw = raw.trim();
        let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || whole.len() > WHOLE_DIGITS_MAX
            || !digits(whole)
            || !digits(fraction)
            || fraction.len() > decimals
        {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let fraction: i64 = if fraction.is_empty() {
            0
        } else {
            format!("{fraction:0<decimals$}")
                .parse()
                .map_err(|_| bad())?
        };
        let amount = whole
            .checked_mul(10i64.pow(decimals as u32))
            .and_then(|w| w.checked_add(fraction))
            .ok_or_else(bad)?;
        Self::price(amount, currency)
    }

    /// The amount in major units without the currency, as a person types
    /// it back into a form and as machines read it ("12.50", "-0.05").
    /// Shoppers are shown money through [`crate::Locale::format`].
    pub fn major(&self) -> String {
        let decimals = self.currency.minor_units();
        let sign = if self.amount < 0 { "-" } else { "" };
        let abs = self.amount.unsigned_abs();
        if decimals == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u64.pow(decimals);
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = decimals as usize
        )
    }

    /// The amount with its currency's code, for logs and machine-readable
    /// notes ("12.34 USD").
    pub fn with_code(&self) -> String {
        format!("{} {}", self.major(), self.currency)
    }

    /// The sum, refusing overflow and mixed currencies.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(amount, self.currency))
    }

    /// The difference, refusing overflow and mixed currencies.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(amount, self.currency))
    }

    /// This unit price times a quantity: a line total.
    pub fn checked_mul(self, quantity: i64) -> Result<Money, MoneyError> {
        let amount = self
            .amount
            .checked_mul(quantity)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(amount, self.currency))
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_prices_read_as_minor_units() {
        let usd = Currency::USD;
        assert_eq!(Money::parse_major("12", usd).map(|m| m.amount), Ok(1200));
        assert_eq!(
            Money::parse_major(" 12.5 ", usd).map(|m| m.amount),
            Ok(1250)
        );
        assert_eq!(Money::parse_major("0.07", usd).map(|m| m.amount), Ok(7));
        for bad in ["", ".5", "12.345", "-1", "1e3", "12,50", "99999999999"] {
            assert!(Money::parse_major(bad, usd).is_err(), "{bad}");
        }
        assert_eq!(Money::new(1250, usd).major(), "12.50");
    }

    #[test]
    fn a_typed_amount_stops_at_the_fields_length() {
        let usd = Currency::USD;
        // The most a price may be, in the currency with the most decimals.
        let widest = Money::new(MAX_PRICE_MINOR, Currency::parse("KWD").unwrap()).major();
        assert!(widest.len() <= MONEY_INPUT_MAX, "{widest}");
        assert_eq!(
            Money::parse_major(&"1".repeat(MONEY_INPUT_MAX + 1), usd),
            Err(Invalid::new(format!(
                "must be at most {MONEY_INPUT_MAX} characters"
            )))
        );
        assert_eq!(
            Money::parse_major("0000000012.50", usd).map(|m| m.amount),
            Ok(1250)
        );
    }
    use proptest::prelude::*;

    #[test]
    fn currency_codes_are_normalised_and_checked() {
        assert_eq!(Currency::parse("eur").unwrap().as_str(), "EUR");
        assert!(Currency::parse("EURO").is_err());
        assert!(Currency::parse("E1R").is_err());
        assert!(Currency::parse("").is_err());
    }

    #[test]
    fn money_serialises_as_amount_and_currency() {
        let json = serde_json::to_value(Money::new(1999, Currency::USD)).unwrap();
        assert_eq!(json, serde_json::json!({"amount": 1999, "currency": "USD"}));
    }

    #[test]
    fn plain_text_uses_the_currency_decimals() {
        assert_eq!(Money::new(1999, Currency::USD).with_code(), "19.99 USD");
        assert_eq!(Money::new(-5, Currency::USD).major(), "-0.05");
        let yen = Currency::parse("JPY").unwrap();
        assert_eq!(Money::new(500, yen).with_code(), "500 JPY");
    }

    #[test]
    fn mixing_currencies_is_refused() {
        let eur = Currency::parse("EUR").unwrap();
        let sum = Money::new(1, Currency::USD).checked_add(Money::new(1, eur));
        assert_eq!(sum, Err(MoneyError::CurrencyMismatch(Currency::USD, eur)));
    }

    proptest! {
        #[test]
        fn addition_is_exact_or_refused(a in any::<i64>(), b in any::<i64>()) {
            let sum = Money::new(a, Currency::USD).checked_add(Money::new(b, Currency::USD));
            match a.checked_add(b) {
                Some(expected) => prop_assert_eq!(sum.unwrap().amount, expected),
                None => prop_assert_eq!(sum, Err(MoneyError::Overflow)),
            }
        }

        #[test]
        fn sub_undoes_add(a in -MAX_PRICE_MINOR..MAX_PRICE_MINOR, b in -MAX_PRICE_MINOR..MAX_PRICE_MINOR) {
            let x = Money::new(a, Currency::USD);
            let y = Money::new(b, Currency::USD);
            prop_assert_eq!(x.checked_add(y).unwrap().checked_sub(y).unwrap(), x);
        }

        #[test]
        fn line_totals_of_valid_prices_never_overflow(
            price in 0..=MAX_PRICE_MINOR,
            quantity in 1i64..=10_000,
        ) {
            let unit = Money::price(price, Currency::USD).unwrap();
            prop_assert_eq!(unit.checked_mul(quantity).unwrap().amount, price * quantity);
        }

        #[test]
        fn prices_outside_the_range_are_refused(price in any::<i64>()) {
            let parsed = Money::price(price, Currency::USD);
            prop_assert_eq!(parsed.is_ok(), (0..=MAX_PRICE_MINOR).contains(&price));
        }

        #[test]
        fn plain_text_round_trips_the_amount(amount in any::<i64>()) {
            let shown = Money::new(amount, Currency::USD).major();
            let number = shown.replace('.', "");
            prop_assert_eq!(number.parse::<i128>().unwrap(), i128::from(amount));
        }
    }
}
