//! The parcels of an order as buyers, sellers and staff see them.

use crate::CoreError;
use chrono::{DateTime, Utc};
use souk_db::entity::fulfilment;
use souk_db::repo::{marketplace, sellers};
use souk_domain::marketplace::FulfilmentStatus;
use souk_domain::{Currency, Money};
use std::collections::HashMap;

/// One seller's part of an order (or the shop's own).
#[derive(Debug, Clone)]
pub struct FulfilmentView {
    pub id: i64,
    /// `None`: the shop's own products.
    pub seller_id: Option<i64>,
    /// Who ships it: the seller's name, or `None` for the shop.
    pub seller_name: Option<String>,
    pub status: FulfilmentStatus,
    pub shipping_method: String,
    /// Its share of the order's shipping charge.
    pub shipping: Money,
    /// The total of its lines.
    pub subtotal: Money,
    /// Its lines' share of the order's discount.
    pub discount: Money,
    /// What has been refunded of it.
    pub refunded: Money,
    /// When its seller's money becomes available: delivery plus the hold.
    pub funds_release_at: Option<DateTime<Utc>>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl FulfilmentView {
    /// What is left to refund of it: what the buyer paid for it, less
    /// what was refunded.
    pub fn refundable(&self) -> Money {
        let left = self.subtotal.amount - self.discount.amount + self.shipping.amount
            - self.refunded.amount;
        Money::new(left.max(0), self.subtotal.currency)
    }

    /// The view of a stored parcel, shipped by `seller_name` (None: the
    /// shop).
    pub(crate) fn new(
        row: fulfilment::Model,
        seller_name: Option<String>,
    ) -> Result<Self, CoreError> {
        let broken = |e: String| anyhow::anyhow!("fulfilment {}: {e}", row.id);
        let status = FulfilmentStatus::parse(&row.status).map_err(|e| broken(e.0))?;
        let currency = Currency::parse(&row.currency).map_err(|e| broken(e.0))?;
        Ok(Self {
            id: row.id,
            seller_id: row.seller_id,
            seller_name,
            status,
            shipping_method: row.shipping_method_name,
            shipping: Money::new(row.shipping_total, currency),
            subtotal: Money::new(row.subtotal, currency),
            discount: Money::new(row.discount, currency),
            refunded: Money::new(row.refunded_total, currency),
            funds_release_at: row.funds_release_at,
            carrier: row.carrier,
            tracking_number: row.tracking_number,
            shipped_at: row.shipped_at,
            delivered_at: row.delivered_at,
        })
    }
}

/// Parcels as views, each seller's named from `names` (by seller id).
pub(crate) fn parcel_views(
    rows: Vec<fulfilment::Model>,
    names: &HashMap<i64, String>,
) -> Result<Vec<FulfilmentView>, CoreError> {
    rows.into_iter()
        .map(|row| {
            let name = row.seller_id.and_then(|id| names.get(&id).cloned());
            FulfilmentView::new(row, name)
        })
        .collect()
}

/// The fulfilments of these orders, by order id.
pub(crate) async fn fulfilments_by_order(
    db: &impl souk_db::ConnectionTrait,
    order_ids: &[i64],
) -> Result<HashMap<i64, Vec<FulfilmentView>>, CoreError> {
    let rows = marketplace::fulfilments_of(db, order_ids).await?;
    let mut seller_ids: Vec<i64> = rows.iter().filter_map(|f| f.seller_id).collect();
    seller_ids.sort_unstable();
    seller_ids.dedup();
    let names: HashMap<i64, String> = sellers::sellers_by_ids(db, &seller_ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut by_order: HashMap<i64, Vec<FulfilmentView>> = HashMap::new();
    for row in rows {
        let order_id = row.order_id;
        let name = row.seller_id.and_then(|id| names.get(&id).cloned());
        by_order
            .entry(order_id)
            .or_default()
            .push(FulfilmentView::new(row, name)?);
    }
    Ok(by_order)
}
