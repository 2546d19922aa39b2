//! What the caller's cart would cost before it is placed: the totals a
//! checkout would charge with the shipping picked and the voucher, and how
//! each seller's lines ship.

use super::shipping_plan::{ShippingChoice, ShippingPlan, plan_shipping};
use crate::auth::Caller;
use crate::{CoreError, Shop};
use souk_db::repo::carts;
use souk_domain::Money;
use souk_domain::orders::{OrderTotals, PricedLine};
use std::collections::BTreeMap;

/// What an order would cost, before it is placed.
#[derive(Debug, Clone)]
pub struct Quote {
    pub totals: OrderTotals,
    /// Why the voucher asked for cannot apply.
    pub voucher_problem: Option<String>,
    /// How each seller's lines ship, and what the shopper may pick.
    pub shipping: ShippingPlan,
}

/// The cart's lines at the catalogue's prices.
pub(super) fn priced_lines(
    lines: &[souk_db::repo::carts::CartLine],
    currency: souk_domain::Currency,
) -> Vec<PricedLine> {
    lines
        .iter()
        .map(|l| PricedLine {
            unit_price: Money::new(l.price, currency),
            quantity: l.quantity,
        })
        .collect()
}

/// What a cart's lines are worth, by seller (`None`: the shop's own).
pub(super) fn subtotals_by_seller(lines: &[carts::CartLine]) -> BTreeMap<Option<i64>, i64> {
    let mut subtotals = BTreeMap::new();
    for line in lines {
        *subtotals.entry(line.seller_id).or_default() += line.price.saturating_mul(line.quantity);
    }
    subtotals
}

impl Shop {
    /// The totals of `priced` lines shipped for `shipping` less `discount`,
    /// at the shop's tax rate; totals beyond what money can hold are 409.
    pub(super) fn order_totals(
        &self,
        priced: &[PricedLine],
        shipping: Money,
        discount: Money,
    ) -> Result<OrderTotals, CoreError> {
        OrderTotals::compute(
            self.config.currency,
            priced,
            shipping,
            discount,
            self.config.tax_rate,
        )
        .map_err(|e| CoreError::Conflict(format!("The order total is out of range: {e}")))
    }

    /// What the caller's cart would cost now with this shipping method and
    /// voucher: the totals checkout would charge, and why the voucher
    /// cannot apply if it cannot. Changes nothing.
    pub async fn quote_checkout(
        &self,
        caller: Caller,
        choice: &ShippingChoice,
        voucher_code: Option<&str>,
    ) -> Result<Quote, CoreError> {
        let db = self.db.conn();
        let currency = self.config.currency;
        let lines = match carts::find_by_user(db, caller.user_id.0).await? {
            Some(cart) => carts::lines(db, cart.id).await?,
            None => Vec::new(),
        };
        let priced = priced_lines(&lines, currency);
        let subtotals = subtotals_by_seller(&lines);
        let mut shipping = plan_shipping(db, &subtotals, choice, currency, false).await?;
        shipping.name_sellers(db).await?;
        let mut totals = self.order_totals(&priced, shipping.total, Money::zero(currency))?;
        let mut voucher_problem = None;
        if let Some(code) = voucher_code.map(str::trim).filter(|c| !c.is_empty()) {
            match self
                .applicable_voucher(
                    db,
                    code,
                    totals.subtotal,
                    totals.shipping,
                    Some(caller.user_id.0),
                )
                .await
            {
                Ok((_, discount)) => {
                    totals = self.order_totals(&priced, shipping.total, discount)?;
                }
                Err(CoreError::Validation(errors) | CoreError::Clash(errors)) => {
                    voucher_problem = errors.into_iter().next().map(|e| e.message);
                }
                Err(other) => return Err(other),
            }
        }
        Ok(Quote {
            totals,
            voucher_problem,
            shipping,
        })
    }
}
