//! Orders: the life cycle every order follows, payment states, how an
//! order's totals are made, and the limits of a cart line.

use crate::money::{Money, MoneyError};
use crate::{Currency, Invalid};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed; waiting for the money.
    PendingPayment,
    /// Paid; waiting to be picked.
    Paid,
    /// Being picked and packed.
    Processing,
    /// Handed to the carrier.
    Shipped,
    /// Arrived.
    Delivered,
    /// Called off before it shipped; its stock went back.
    Cancelled,
    /// Not paid in time; its stock went back.
    Expired,
    /// The money went back to the customer.
    Refunded,
}

impl OrderStatus {
    /// Every status, in life-cycle order.
    pub const ALL: [OrderStatus; 8] = [
        Self::PendingPayment,
        Self::Paid,
        Self::Processing,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
        Self::Expired,
        Self::Refunded,
    ];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::PendingPayment => "pending_payment",
            Self::Paid => "paid",
            Self::Processing => "processing",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::Expired => "expired",
            Self::Refunded => "refunded",
        }
    }

    /// Parses a stored or user-given status.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                Invalid::new("must be one of pending_payment, paid, processing, shipped, delivered, cancelled, expired, refunded")
            })
    }

    /// Whether an order in this status may move to `next`.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (PendingPayment, Paid | Cancelled | Expired)
                | (Paid, Processing | Cancelled | Refunded)
                | (Processing, Shipped | Refunded)
                | (Shipped, Delivered | Refunded)
                | (Delivered, Refunded)
        )
    }

    /// Whether moving to this status puts the order's units back on the
    /// shelf.
    pub fn returns_stock(self) -> bool {
        matches!(self, Self::Cancelled | Self::Expired)
    }

    /// Whether the order is still on its way to its buyer: placed, and
    /// neither delivered nor called off.
    pub fn is_open(self) -> bool {
        self == Self::PendingPayment || self.ships()
    }

    /// Whether its parcels are on their way out: paid and not delivered,
    /// so sellers ship (or call off) them.
    pub fn ships(self) -> bool {
        matches!(self, Self::Paid | Self::Processing | Self::Shipped)
    }

    /// Whether it counts in the sales figures: every order but those that
    /// were called off, ran out of time or were given back.
    pub fn counts_as_sale(self) -> bool {
        !matches!(self, Self::Cancelled | Self::Expired | Self::Refunded)
    }

    /// Whether nothing can happen to the order any more.
    pub fn is_final(self) -> bool {
        Self::ALL.iter().all(|next| !self.can_become(*next))
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the money of an order is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Nothing received yet.
    Unpaid,
    /// Received in full.
    Paid,
    /// Part of it went back.
    PartiallyRefunded,
    /// All of it went back.
    Refunded,
}

impl PaymentStatus {
    /// Every payment status.
    pub const ALL: [PaymentStatus; 4] = [
        Self::Unpaid,
        Self::Paid,
        Self::PartiallyRefunded,
        Self::Refunded,
    ];

    /// The status stored as `raw`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                Invalid::new("must be one of unpaid, paid, partially_refunded, refunded")
            })
    }

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Unpaid => "unpaid",
            Self::Paid => "paid",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Refunded => "refunded",
        }
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a customer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// The customer transfers the money; staff mark the order paid.
    BankTransfer,
    /// The carrier collects the money; staff mark the order paid.
    CashOnDelivery,
    /// A card, on the payment provider's page; its webhook marks the order paid.
    Card,
}

impl PaymentMethod {
    /// Every method.
    pub const ALL: [PaymentMethod; 3] = [Self::BankTransfer, Self::CashOnDelivery, Self::Card];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::BankTransfer => "bank_transfer",
            Self::CashOnDelivery => "cash_on_delivery",
            Self::Card => "card",
        }
    }

    /// Parses a method a client names.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "bank_transfer" => Ok(Self::BankTransfer),
            "cash_on_delivery" => Ok(Self::CashOnDelivery),
            "card" => Ok(Self::Card),
            _ => Err(Invalid::new(
                "must be one of bank_transfer, cash_on_delivery, card",
            )),
        }
    }
}

/// How many units of one variant a cart line may hold.
pub fn parse_quantity(raw: i64) -> Result<i64, Invalid> {
    if (1..=MAX_LINE_QUANTITY).contains(&raw) {
        Ok(raw)
    } else {
        Err(Invalid::new(format!(
            "must be a whole number from 1 to {MAX_LINE_QUANTITY}"
        )))
    }
}

/// The most units of one variant in one cart or order.
pub const MAX_LINE_QUANTITY: i64 = 999;

/// The most characters of a quantity typed in a form: the digits of
/// [`MAX_LINE_QUANTITY`].
pub const QUANTITY_INPUT_MAX: usize = crate::numbers::digits(MAX_LINE_QUANTITY as u64);

/// A quantity as a shopper types it: a whole number of at most
/// [`QUANTITY_INPUT_MAX`] characters, refused in the words of
/// [`parse_quantity`] otherwise. Its range is the caller's to check (a
/// cart line set to 0 is removed).
pub fn parse_typed_quantity(raw: &str) -> Result<i64, Invalid> {
    crate::numbers::parse_whole(raw, QUANTITY_INPUT_MAX).map_err(|_| {
        Invalid::new(format!(
            "must be a whole number from 1 to {MAX_LINE_QUANTITY}"
        ))
    })
}

/// The longest note staff add to an order's change of status.
pub const STATUS_NOTE_MAX: usize = 1000;

/// A tax rate in basis points: 2000 is 20 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaxRate(u32);

impl TaxRate {
    /// A rate from basis points, at most 100 %.
    pub fn from_basis_points(bps: u32) -> Result<Self, Invalid> {
        if bps <= 10_000 {
            Ok(Self(bps))
        } else {
            Err(Invalid::new("must be from 0 to 10000 basis points"))
        }
    }

    /// The rate in basis points.
    pub fn basis_points(&self) -> u32 {
        self.0
    }

    /// The tax on `amount`, rounded half up to a minor unit.
    pub fn of(&self, amount: Money) -> Result<Money, MoneyError> {
        let scaled = i128::from(amount.amount) * i128::from(self.0);
        let rounded = (scaled + 5_000).div_euclid(10_000);
        let minor = i64::try_from(rounded).map_err(|_| MoneyError::Overflow)?;
        Ok(Money::new(minor, amount.currency))
    }
}

/// A line as priced at checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PricedLine {
    pub unit_price: Money,
    pub quantity: i64,
}

impl PricedLine {
    /// Unit price times quantity.
    pub fn total(&self) -> Result<Money, MoneyError> {
        self.unit_price.checked_mul(self.quantity)
    }
}

/// A shipping method's price rule: a flat price, free from a subtotal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippingRate {
    pub price: Money,
    pub free_above: Option<Money>,
}

impl ShippingRate {
    /// What shipping costs for goods worth `subtotal`.
    pub fn cost_for(&self, subtotal: Money) -> Money {
        match self.free_above {
            Some(threshold) if subtotal.amount >= threshold.amount => {
                Money::zero(self.price.currency)
            }
            _ => self.price,
        }
    }
}

/// The money of an order: what the lines cost, what shipping costs, what
/// is taken off, the tax, and what the customer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderTotals {
    pub subtotal: Money,
    pub shipping: Money,
    pub discount: Money,
    pub tax: Money,
    pub total: Money,
}

impl OrderTotals {
    /// Totals of `lines` shipped for `shipping`; the discount is capped at what the customer would
    /// pay (goods and shipping), tax is charged on goods after discount,
    /// and `total = subtotal + shipping - discount + tax`.
    pub fn compute(
        currency: Currency,
        lines: &[PricedLine],
        shipping: Money,
        discount: Money,
        tax: TaxRate,
    ) -> Result<Self, MoneyError> {
        let mut subtotal = Money::zero(currency);
        for line in lines {
            subtotal = subtotal.checked_add(line.total()?)?;
        }
        let discount = Money::new(discount.amount.clamp(0, subtotal.amount.max(0)), currency);
        let taxable = subtotal.checked_sub(discount)?;
        let tax = tax.of(taxable)?;
        let total = subtotal
            .checked_add(shipping)?
            .checked_sub(discount)?
            .checked_add(tax)?;
        Ok(Self {
            subtotal,
            shipping,
            discount,
            tax,
            total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn usd(amount: i64) -> Money {
        Money::new(amount, Currency::USD)
    }

    #[test]
    fn the_life_cycle() {
        use OrderStatus::*;
        assert!(PendingPayment.can_become(Paid));
        assert!(PendingPayment.can_become(Cancelled));
        assert!(PendingPayment.can_become(Expired));
        assert!(Paid.can_become(Cancelled));
        assert!(!Delivered.can_become(PendingPayment));
        assert!(!Shipped.can_become(Cancelled));
        assert!(!Expired.can_become(Paid));
        for status in OrderStatus::ALL {
            assert!(!status.can_become(status), "{status} to itself");
            assert_eq!(OrderStatus::parse(status.as_str()).unwrap(), status);
        }
        assert!(Cancelled.is_final() && Expired.is_final() && Refunded.is_final());
        assert!(!Paid.is_final());
    }

    #[test]
    fn shipping_is_free_above_the_threshold() {
        let rate = ShippingRate {
            price: usd(500),
            free_above: Some(usd(5000)),
        };
        assert_eq!(rate.cost_for(usd(4999)), usd(500));
        assert_eq!(rate.cost_for(usd(5000)), usd(0));
    }

    #[test]
    fn tax_rounds_half_up() {
        let rate = TaxRate::from_basis_points(1000).unwrap();
        assert_eq!(rate.of(usd(1005)).unwrap(), usd(101));
        assert_eq!(rate.of(usd(1004)).unwrap(), usd(100));
        assert!(TaxRate::from_basis_points(10_001).is_err());
    }

    #[test]
    fn quantities() {
        for bad in [0, -1, MAX_LINE_QUANTITY + 1, 1_000_000_000] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_quantity(3).unwrap(), 3);
        assert_eq!(QUANTITY_INPUT_MAX, 3);
        assert_eq!(parse_typed_quantity(" 12"), Ok(12));
        assert_eq!(parse_typed_quantity("0"), Ok(0));
        for bad in ["1000", "0001", "abc", "", "1.5"] {
            assert_eq!(
                parse_typed_quantity(bad),
                Err(Invalid::new("must be a whole number from 1 to 999")),
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn the_total_is_lines_plus_shipping_minus_discount_plus_tax(
            lines in proptest::collection::vec((0i64..=1_000_000, 1i64..=MAX_LINE_QUANTITY), 1..20),
            shipping in 0i64..=10_000,
            free_above in proptest::option::of(0i64..=10_000_000),
            discount in 0i64..=100_000_000,
            bps in 0u32..=10_000,
        ) {
            let priced: Vec<PricedLine> = lines.iter().map(|&(p, q)| PricedLine { unit_price: usd(p), quantity: q }).collect();
            let rate = ShippingRate { price: usd(shipping), free_above: free_above.map(usd) };
            let lines_sum: i64 = lines.iter().map(|&(p, q)| p * q).sum();
            let shipped = rate.cost_for(usd(lines_sum));
            let totals = OrderTotals::compute(Currency::USD, &priced, shipped, usd(discount), TaxRate::from_basis_points(bps).unwrap()).unwrap();
            prop_assert_eq!(totals.subtotal.amount, lines_sum);
            prop_assert!(totals.discount.amount <= lines_sum + totals.shipping.amount && totals.discount.amount >= 0);
            prop_assert_eq!(
                totals.total.amount,
                totals.subtotal.amount + totals.shipping.amount - totals.discount.amount + totals.tax.amount
            );
            prop_assert!(totals.total.amount >= 0);
            let expected_shipping = match free_above { Some(t) if lines_sum >= t => 0, _ => shipping };
            prop_assert_eq!(totals.shipping.amount, expected_shipping);
        }
    }
}
