//! The marketplace's money and parcels: commission rules staff keep; the
//! split of a placed order into one fulfilment per seller with a frozen
//! commission line per seller's line; the sellers' ledgers and payouts.

mod balance;
mod cancel;
mod commissions;
mod fulfilments;
mod ledger;
mod notices;
mod parcels;
mod payouts;
mod settings;
mod split;
mod totals;

pub use balance::{
    BalanceView, EntryState, LedgerEntryView, LedgerQuery, PayoutView, SALES_DAYS_MAX, SalesView,
};
pub use cancel::CANCEL_REASON_MAX;
pub use commissions::{
    CommissionLineView, CommissionPreview, CommissionRuleInput, CommissionRuleView,
};
pub(crate) use commissions::{all_rules, rule_fields};
pub use fulfilments::FulfilmentView;
pub(crate) use fulfilments::{fulfilments_by_order, parcel_views};
pub(crate) use ledger::{close_cancelled_parcels, credit_sellers, refund_parcels, start_hold};
pub(crate) use notices::{RunningLow, crossed_low, order_called_off, order_paid, running_low};
pub use parcels::{PARCEL_MOVES, ParcelMove, TRACKING_MAX};
pub use payouts::{MAKE_PAYOUTS, PAYOUT_NOTE_MAX, PayoutDecisionInput, PayoutDetail};
pub use settings::{HOLD_DAYS_MAX, MINIMUM_MAX, PayoutSettings};
pub use souk_db::repo::ledger::PayoutFilter;
pub(crate) use split::split_order;
pub(crate) use totals::ListTotals;
