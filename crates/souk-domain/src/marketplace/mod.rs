//! The marketplace's rules: sellers' states, fulfilments, commissions, and
//! how an amount is split so the parts add up exactly.
//!
//! Everything here is pure: the states a seller, a fulfilment or a payout
//! can be in and how they move; which ledger entries credit or debit a
//! seller; which commission rule applies to a line and what it takes; and
//! the integer splits ([`allocate`], [`proportional_refund`]) that keep
//! every part in whole minor units while the parts still add up to the
//! whole.

mod allocation;
mod commission;
mod fulfilment;
mod ledger;
mod scope;
mod seller;

pub use allocation::{allocate, proportional_refund};
pub use commission::CommissionRate;
pub use fulfilment::{FulfilmentStatus, Progress, order_progress};
pub use ledger::{
    LedgerKind, ParcelRefund, PayoutStatus, Sign, check_ledger_amount, parcel_refund,
};
pub use scope::{CommissionScope, pick_rule};
pub use seller::{
    DECISION_REASON_MAX, PAYOUT_DETAILS_MAX, SHOP_DESCRIPTION_MAX, SHOP_NAME_MAX, SellerDecision,
    SellerStatus, for_sale, parse_payout_details, parse_shop_description, parse_shop_name,
};
