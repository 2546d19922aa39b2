//! The marketplace's money and parcels: commission rules staff keep, and
//! the split of a placed order into one fulfilment per seller with a
//! frozen commission line per seller's line.

mod commissions;
mod fulfilments;
mod notices;
mod parcels;
mod split;

pub(crate) use commissions::rule_fields;
pub use commissions::{
    CommissionLineView, CommissionPreview, CommissionRuleInput, CommissionRuleView,
};
pub use fulfilments::FulfilmentView;
pub(crate) use fulfilments::fulfilments_by_order;
pub(crate) use notices::{order_called_off, order_paid};
pub use parcels::{PARCEL_MOVES, ParcelMove, TRACKING_MAX};
pub(crate) use split::split_order;
