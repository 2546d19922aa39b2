//! What the order use cases return.

use crate::CoreError;
use chrono::{DateTime, Utc};
use souk_db::entity::{order, order_event, order_item};
use souk_domain::address::PostalAddress;
use souk_domain::orders::{OrderStatus, PaymentStatus};
use souk_domain::{Currency, Money};
use std::collections::BTreeMap;

/// A line of an order as it was bought.
#[derive(Debug, Clone)]
pub struct OrderLineView {
    pub id: i64,
    pub variant_id: Option<i64>,
    pub product_id: Option<i64>,
    pub seller_id: Option<i64>,
    pub name: String,
    pub sku: String,
    pub options: BTreeMap<String, String>,
    pub unit_price: Money,
    pub quantity: i64,
    pub line_total: Money,
}

impl OrderLineView {
    fn new(item: order_item::Model, currency: Currency) -> Result<Self, CoreError> {
        let options = serde_json::from_str(&item.options)
            .map_err(|e| anyhow::anyhow!("order item {} options: {e}", item.id))?;
        Ok(Self {
            id: item.id,
            variant_id: item.variant_id,
            product_id: item.product_id,
            seller_id: item.seller_id,
            name: item.product_name,
            sku: item.sku,
            options,
            unit_price: Money::new(item.unit_price, currency),
            quantity: item.quantity,
            line_total: Money::new(item.line_total, currency),
        })
    }
}

/// One step of an order's history.
#[derive(Debug, Clone)]
pub struct OrderEventView {
    pub status: String,
    /// `customer`, `staff` or `system`.
    pub actor: String,
    pub actor_id: Option<i64>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// An order with its lines, totals and history.
#[derive(Debug, Clone)]
pub struct OrderView {
    /// The public identifier, used in URLs.
    pub id: String,
    pub number: String,
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub payment_method: String,
    pub email: String,
    pub items: Vec<OrderLineView>,
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    pub tax: Money,
    pub total: Money,
    pub shipping_address: PostalAddress,
    pub shipping_method: String,
    pub history: Vec<OrderEventView>,
    /// Online payments and recorded manual ones.
    pub payments: Vec<crate::payments::PaymentView>,
    /// The parcels: one per seller whose lines the order holds, and one
    /// for the shop's own.
    pub fulfilments: Vec<crate::marketplace::FulfilmentView>,
    pub placed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn currency_of(order: &order::Model) -> Result<Currency, CoreError> {
    Currency::parse(&order.currency).map_err(|e| anyhow::anyhow!("order {}: {e}", order.id).into())
}

fn address_of(order: &order::Model) -> Result<PostalAddress, CoreError> {
    serde_json::from_str(&order.shipping_address)
        .map_err(|e| anyhow::anyhow!("order {} address: {e}", order.id).into())
}

impl OrderView {
    pub(crate) fn new(
        order: order::Model,
        items: Vec<order_item::Model>,
        events: Vec<order_event::Model>,
    ) -> Result<Self, CoreError> {
        let currency = currency_of(&order)?;
        let shipping_address = address_of(&order)?;
        let id = order.id;
        let broken = |e: souk_domain::Invalid| anyhow::anyhow!("order {id}: {}", e.0);
        Ok(Self {
            items: items
                .into_iter()
                .map(|i| OrderLineView::new(i, currency))
                .collect::<Result<_, _>>()?,
            history: events
                .into_iter()
                .map(|e| OrderEventView {
                    status: e.status,
                    actor: e.actor_kind,
                    actor_id: e.actor_id,
                    note: e.note,
                    at: e.created_at,
                })
                .collect(),
            subtotal: Money::new(order.subtotal, currency),
            discount: Money::new(order.discount_total, currency),
            shipping: Money::new(order.shipping_total, currency),
            tax: Money::new(order.tax_total, currency),
            total: Money::new(order.total, currency),
            id: order.public_id,
            number: order.number,
            status: OrderStatus::parse(&order.status).map_err(broken)?,
            payment_status: PaymentStatus::parse(&order.payment_status).map_err(broken)?,
            payment_method: order.payment_method,
            email: order.email,
            shipping_address,
            shipping_method: order.shipping_method_name,
            payments: Vec::new(),
            fulfilments: Vec::new(),
            placed_at: order.placed_at,
            updated_at: order.updated_at,
        })
    }
}

/// An order as one seller sees it: only its own lines, and where to ship.
#[derive(Debug, Clone)]
pub struct SellerOrderView {
    pub id: String,
    pub number: String,
    pub status: OrderStatus,
    pub items: Vec<OrderLineView>,
    /// The total of this seller's lines.
    pub subtotal: Money,
    pub shipping_address: PostalAddress,
    /// The seller's parcel of the order.
    pub fulfilment: Option<crate::marketplace::FulfilmentView>,
    pub placed_at: DateTime<Utc>,
}

impl SellerOrderView {
    pub(crate) fn new(
        order: &order::Model,
        items: Vec<order_item::Model>,
    ) -> Result<Self, CoreError> {
        let currency = currency_of(order)?;
        let items: Vec<OrderLineView> = items
            .into_iter()
            .map(|i| OrderLineView::new(i, currency))
            .collect::<Result<_, _>>()?;
        let subtotal = Money::new(items.iter().map(|i| i.line_total.amount).sum(), currency);
        Ok(Self {
            id: order.public_id.clone(),
            number: order.number.clone(),
            status: OrderStatus::parse(&order.status)
                .map_err(|e| anyhow::anyhow!("order {}: {}", order.id, e.0))?,
            items,
            subtotal,
            shipping_address: address_of(order)?,
            fulfilment: None,
            placed_at: order.placed_at,
        })
    }
}
