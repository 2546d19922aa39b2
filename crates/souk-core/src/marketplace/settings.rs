//! How the marketplace pays its sellers, as staff set it: how long a
//! delivered parcel's money is held, the smallest payout, and who pays for
//! a shop-wide voucher.

use crate::actor::Actor;
use crate::{CoreError, Shop};
use souk_db::ConnectionTrait;
use souk_db::repo::settings;
use souk_domain::FieldError;

/// The payout terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayoutSettings {
    /// Days a delivered parcel's money is held before it may be paid out.
    pub hold_days: u32,
    /// The smallest payout, in minor units.
    pub minimum: i64,
    /// Whether sellers bear their parcels' share of a voucher's discount
    /// (otherwise the marketplace pays for it).
    pub sellers_pay_vouchers: bool,
}

impl Default for PayoutSettings {
    fn default() -> Self {
        Self {
            hold_days: 14,
            minimum: 1000,
            sellers_pay_vouchers: false,
        }
    }
}

/// The longest hold staff may set, in days.
pub const HOLD_DAYS_MAX: u32 = 365;
/// The largest minimum payout staff may set, in minor units.
pub const MINIMUM_MAX: i64 = 100_000_000;

const HOLD_DAYS: &str = "marketplace.payout_hold_days";
const MINIMUM: &str = "marketplace.payout_minimum";
const SELLERS_PAY_VOUCHERS: &str = "marketplace.sellers_pay_vouchers";

impl PayoutSettings {
    /// Checks terms staff give.
    pub fn check(self) -> Result<Self, CoreError> {
        let mut errors = Vec::new();
        if self.hold_days > HOLD_DAYS_MAX {
            errors.push(FieldError::new(
                "hold_days",
                format!("must be at most {HOLD_DAYS_MAX}"),
            ));
        }
        if !(0..=MINIMUM_MAX).contains(&self.minimum) {
            errors.push(FieldError::new(
                "minimum",
                format!("must be from 0 to {MINIMUM_MAX} minor units"),
            ));
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(CoreError::Validation(errors))
        }
    }
}

/// The payout terms as stored (the defaults where staff set nothing).
pub(crate) async fn payout_settings_in(
    db: &impl ConnectionTrait,
) -> Result<PayoutSettings, CoreError> {
    let mut terms = PayoutSettings::default();
    // One read for all three: checkout reads these on every order.
    for (key, value) in settings::with_prefix(db, "marketplace.").await? {
        match key.as_str() {
            HOLD_DAYS => terms.hold_days = value.parse().unwrap_or(terms.hold_days),
            MINIMUM => terms.minimum = value.parse().unwrap_or(terms.minimum),
            SELLERS_PAY_VOUCHERS => terms.sellers_pay_vouchers = value == "true",
            _ => {}
        }
    }
    Ok(terms)
}

impl Shop {
    /// The payout terms.
    pub async fn payout_settings(&self) -> Result<PayoutSettings, CoreError> {
        payout_settings_in(self.db.conn()).await
    }

    /// Staff change the payout terms. A new hold applies to parcels
    /// delivered from now on; who pays for vouchers, to orders placed from
    /// now on.
    pub async fn set_payout_settings(
        &self,
        actor: &Actor,
        terms: PayoutSettings,
    ) -> Result<PayoutSettings, CoreError> {
        actor.require_staff()?;
        let terms = terms.check()?;
        let txn = self.db.begin_write().await?;
        settings::set(&txn, HOLD_DAYS, &terms.hold_days.to_string()).await?;
        settings::set(&txn, MINIMUM, &terms.minimum.to_string()).await?;
        let pay = if terms.sellers_pay_vouchers {
            "true"
        } else {
            "false"
        };
        settings::set(&txn, SELLERS_PAY_VOUCHERS, pay).await?;
        txn.commit().await?;
        Ok(terms)
    }
}
