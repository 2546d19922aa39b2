//! A seller's ledger: the kinds of entries that make its balance, which way
//! each one moves the money, and the payouts that empty it.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a payout to a seller is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutStatus {
    /// Created; the money has not left yet.
    Pending,
    /// The money reached the seller.
    Paid,
    /// The transfer did not go through.
    Failed,
}

impl PayoutStatus {
    /// Every status, in life-cycle order.
    pub const ALL: [PayoutStatus; 3] = [Self::Pending, Self::Paid, Self::Failed];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Failed => "failed",
        }
    }

    /// Parses a stored or user-given status.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be one of pending, paid, failed"))
    }

    /// Whether a payout in this status may move to `next`: only a pending
    /// payout moves, to paid or failed.
    pub fn can_become(self, next: PayoutStatus) -> bool {
        matches!((self, next), (Self::Pending, Self::Paid | Self::Failed))
    }
}

impl fmt::Display for PayoutStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a ledger entry records. Amounts are from the seller's side: a
/// credit raises what the marketplace owes the seller, a debit lowers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    /// Goods the seller sold, at what the buyer paid for them: a credit.
    Sale,
    /// The marketplace's cut of a sale: a debit.
    Commission,
    /// Shipping the buyer paid for the seller's parcel: a credit.
    Shipping,
    /// Money given back to the buyer: a debit.
    Refund,
    /// The commission on refunded goods, given back: a credit.
    CommissionRefund,
    /// A correction by staff, either way.
    Adjustment,
    /// Money sent to the seller: a debit.
    Payout,
    /// A payout that did not go through, back in the balance: a credit.
    PayoutReturned,
}

impl LedgerKind {
    /// Every kind.
    pub const ALL: [LedgerKind; 8] = [
        Self::Sale,
        Self::Commission,
        Self::Shipping,
        Self::Refund,
        Self::CommissionRefund,
        Self::Adjustment,
        Self::Payout,
        Self::PayoutReturned,
    ];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Sale => "sale",
            Self::Commission => "commission",
            Self::Shipping => "shipping",
            Self::Refund => "refund",
            Self::CommissionRefund => "commission_refund",
            Self::Adjustment => "adjustment",
            Self::Payout => "payout",
            Self::PayoutReturned => "payout_returned",
        }
    }

    /// Parses a stored or user-given kind.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| {
                Invalid::new("must be one of sale, commission, shipping, refund, commission_refund, adjustment, payout, payout_returned")
            })
    }

    /// Which sign an entry of this kind must have.
    pub fn sign_rule(self) -> Sign {
        match self {
            Self::Sale | Self::Shipping | Self::CommissionRefund | Self::PayoutReturned => {
                Sign::Credit
            }
            Self::Commission | Self::Refund | Self::Payout => Sign::Debit,
            Self::Adjustment => Sign::Either,
        }
    }
}

impl fmt::Display for LedgerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The sign a ledger amount must have. No entry is ever zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sign {
    /// More than zero: the seller is owed more.
    Credit,
    /// Less than zero: the seller is owed less.
    Debit,
    /// Either way, but not zero.
    Either,
}

impl Sign {
    /// Whether `amount` has this sign.
    pub fn admits(self, amount: i64) -> bool {
        match self {
            Self::Credit => amount > 0,
            Self::Debit => amount < 0,
            Self::Either => amount != 0,
        }
    }
}

/// Checks that `amount` (minor units) has the sign entries of `kind` must
/// have.
pub fn check_ledger_amount(kind: LedgerKind, amount: i64) -> Result<i64, Invalid> {
    let rule = kind.sign_rule();
    if rule.admits(amount) {
        return Ok(amount);
    }
    Err(Invalid::new(match rule {
        Sign::Credit => format!("must be more than 0: a {kind} entry credits the seller"),
        Sign::Debit => format!("must be less than 0: a {kind} entry debits the seller"),
        Sign::Either => "must not be 0".to_owned(),
    }))
}

/// What a seller gives back for a refund on one of its parcels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParcelRefund {
    /// Taken back from what the seller was credited (0 or more).
    pub reversed: i64,
    /// The commission on it, given back to the seller (0 or more).
    pub commission_back: i64,
}

/// The seller's part of refunding `refunding_now` of a parcel the buyer
/// paid `paid` for, after `refunded_before`: its `credit` (goods and
/// shipping as credited to it) and its `commission` are reversed in
/// proportion, so refunds that add up to the whole parcel reverse exactly
/// the credit and the commission.
pub fn parcel_refund(
    credit: i64,
    commission: i64,
    paid: i64,
    refunded_before: i64,
    refunding_now: i64,
) -> Result<ParcelRefund, Invalid> {
    Ok(ParcelRefund {
        reversed: super::proportional_refund(credit, paid, refunded_before, refunding_now)?,
        commission_back: super::proportional_refund(
            commission,
            paid,
            refunded_before,
            refunding_now,
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn payouts_settle_once() {
        use PayoutStatus::*;
        assert!(Pending.can_become(Paid) && Pending.can_become(Failed));
        for from in [Paid, Failed] {
            assert!(PayoutStatus::ALL.iter().all(|next| !from.can_become(*next)));
        }
        assert!(!Pending.can_become(Pending));
    }

    #[test]
    fn names_round_trip_and_match_serde() {
        for status in PayoutStatus::ALL {
            assert_eq!(PayoutStatus::parse(status.as_str()), Ok(status));
            assert_eq!(status.to_string(), status.as_str());
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        for kind in LedgerKind::ALL {
            assert_eq!(LedgerKind::parse(kind.as_str()), Ok(kind));
            assert_eq!(kind.to_string(), kind.as_str());
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        assert!(LedgerKind::parse("commission-refund").is_err());
        assert!(PayoutStatus::parse("").is_err());
    }

    #[test]
    fn entries_have_the_sign_of_their_kind() {
        use LedgerKind::*;
        for credit in [Sale, Shipping, CommissionRefund, PayoutReturned] {
            assert_eq!(credit.sign_rule(), Sign::Credit, "{credit}");
        }
        for debit in [Commission, Refund, Payout] {
            assert_eq!(debit.sign_rule(), Sign::Debit, "{debit}");
        }
        assert_eq!(Adjustment.sign_rule(), Sign::Either);
        assert_eq!(check_ledger_amount(Sale, 1999), Ok(1999));
        assert_eq!(check_ledger_amount(Commission, -250), Ok(-250));
        assert_eq!(check_ledger_amount(Adjustment, -1), Ok(-1));
        assert!(check_ledger_amount(Sale, -1999).is_err());
        assert!(check_ledger_amount(Payout, 500).is_err());
        assert!(check_ledger_amount(Adjustment, 0).is_err());
        let err = check_ledger_amount(Refund, 10).unwrap_err();
        assert_eq!(
            err.0,
            "must be less than 0: a refund entry debits the seller"
        );
    }

    proptest! {
        #[test]
        fn zero_is_never_an_entry_and_sign_decides(
            kind in proptest::sample::select(LedgerKind::ALL.to_vec()),
            amount in any::<i64>(),
        ) {
            let checked = check_ledger_amount(kind, amount);
            prop_assert_eq!(checked.is_ok(), kind.sign_rule().admits(amount));
            if amount == 0 {
                prop_assert!(checked.is_err());
            }
            if let Ok(kept) = checked {
                prop_assert_eq!(kept, amount);
            }
        }

        /// Sales less commission, less refunds with their commission given
        /// back, is what the seller is owed: never below nothing while a
        /// parcel is being refunded, and exactly nothing once all of it is.
        #[test]
        fn refunds_reverse_a_parcel_exactly(
            paid in 1i64..1_000_000,
            extra in 0i64..100_000,
            commission_pct in 0i64..=100,
            cuts in proptest::collection::vec(1i64..1_000_000, 1..8),
        ) {
            // The marketplace may pay for a voucher: credit >= paid.
            let credit = paid + extra;
            let commission = paid * commission_pct / 100;
            let mut before = 0;
            let mut balance = credit - commission;
            for cut in cuts {
                let now = cut.min(paid - before);
                if now == 0 {
                    break;
                }
                let r = parcel_refund(credit, commission, paid, before, now).unwrap();
                prop_assert!(r.reversed >= 0 && r.commission_back >= 0);
                balance = balance - r.reversed + r.commission_back;
                before += now;
                prop_assert!(balance >= 0, "balance {balance} after {before}");
            }
            let rest = paid - before;
            if rest > 0 {
                let r = parcel_refund(credit, commission, paid, before, rest).unwrap();
                balance = balance - r.reversed + r.commission_back;
            }
            prop_assert_eq!(balance, 0);
            prop_assert!(parcel_refund(credit, commission, paid, paid, 1).is_err());
        }
    }
}
