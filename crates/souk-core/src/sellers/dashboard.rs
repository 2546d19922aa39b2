//! What a seller sees first in its panel: its sales over 30 days, its
//! balance, the parcels waiting to be shipped and its variants running low.

use crate::actor::Actor;
use crate::marketplace::{BalanceView, SalesView};
use crate::reports::LOW_STOCK_THRESHOLD;
use crate::{CoreError, Shop};
use souk_db::repo::marketplace;
use souk_db::repo::reports::{self, LowStock};
use souk_domain::marketplace::FulfilmentStatus;
use souk_domain::orders::OrderStatus;

/// The seller dashboard's figures.
#[derive(Debug, Clone)]
pub struct SellerDashboard {
    /// Sales over the last 30 days, per currency.
    pub sales: Vec<SalesView>,
    pub balances: Vec<BalanceView>,
    /// Parcels of paid orders not shipped yet.
    pub to_ship: i64,
    /// Up to ten of the seller's variants with at most
    /// [`LOW_STOCK_THRESHOLD`] units left, fewest first.
    pub low_stock: Vec<LowStock>,
}

impl Shop {
    /// The calling seller's dashboard figures; anyone else is 403.
    pub async fn seller_dashboard(&self, actor: &Actor) -> Result<SellerDashboard, CoreError> {
        let seller_id = actor.require_seller()?.0;
        let db = self.db.conn();
        let open = [FulfilmentStatus::Pending, FulfilmentStatus::Processing].map(|s| s.as_str());
        let paid: Vec<&str> = OrderStatus::ALL
            .iter()
            .filter(|s| s.ships())
            .map(|s| s.as_str())
            .collect();
        Ok(SellerDashboard {
            sales: self.seller_sales(actor, 30).await?,
            balances: self.seller_balance(actor, None).await?,
            to_ship: marketplace::parcels_to_ship(db, seller_id, &open, &paid).await?,
            low_stock: reports::low_stock(db, Some(seller_id), LOW_STOCK_THRESHOLD, 10).await?,
        })
    }
}
