//! Cart, shipping and order JSON types.

use chrono::{DateTime, Utc};
use serde::Serialize;
use souk_domain::address::PostalAddress;
use std::collections::BTreeMap;
use utoipa::ToSchema;

use super::MoneyDto;

/// A line of a cart, priced from the catalogue now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CartItemDto {
    pub id: i64,
    pub variant_id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub product_slug: String,
    /// Who sells and ships it (its parcel at checkout); `null` for the
    /// shop's own products.
    pub seller_id: Option<i64>,
    pub seller_name: Option<String>,
    pub sku: String,
    pub options: BTreeMap<String, String>,
    pub quantity: i64,
    pub unit_price: MoneyDto,
    pub line_total: MoneyDto,
    pub stock_available: i64,
    /// Whether the product is still for sale.
    pub purchasable: bool,
}

/// A cart.
#[derive(Debug, Serialize, ToSchema)]
pub struct CartDto {
    /// `null` until the first item is added.
    pub id: Option<i64>,
    pub items: Vec<CartItemDto>,
    /// Units across all lines.
    pub item_count: i64,
    pub subtotal: MoneyDto,
    /// Before shipping and tax, which checkout adds.
    pub total: MoneyDto,
}

impl From<souk_core::cart::CartView> for CartDto {
    fn from(c: souk_core::cart::CartView) -> Self {
        Self {
            id: c.id,
            item_count: c.item_count,
            subtotal: c.subtotal.into(),
            total: c.total.into(),
            items: c
                .items
                .into_iter()
                .map(|l| CartItemDto {
                    id: l.id,
                    variant_id: l.variant_id,
                    product_id: l.product_id,
                    product_name: l.product_name,
                    product_slug: l.product_slug,
                    seller_id: l.seller_id,
                    seller_name: l.seller_name,
                    sku: l.sku,
                    options: l.options,
                    quantity: l.quantity,
                    unit_price: l.unit_price.into(),
                    line_total: l.line_total.into(),
                    stock_available: l.stock_available,
                    purchasable: l.purchasable,
                })
                .collect(),
        }
    }
}

/// A shipping method.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShippingMethodDto {
    pub id: i64,
    pub name: String,
    pub price: MoneyDto,
    /// Free when the goods are worth at least this much.
    pub free_above: Option<MoneyDto>,
    pub active: bool,
    pub position: i32,
}

impl From<souk_core::shipping::ShippingMethodView> for ShippingMethodDto {
    fn from(m: souk_core::shipping::ShippingMethodView) -> Self {
        Self {
            id: m.id,
            name: m.name,
            price: m.price.into(),
            free_above: m.free_above.map(Into::into),
            active: m.active,
            position: m.position,
        }
    }
}

/// A postal address: where an order ships (as it was at checkout), or
/// one of an address book.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostalAddressDto {
    pub full_name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub phone: Option<String>,
}

impl From<PostalAddress> for PostalAddressDto {
    fn from(a: PostalAddress) -> Self {
        Self {
            full_name: a.full_name,
            company: a.company,
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
            phone: a.phone,
        }
    }
}

/// A line of an order as bought: name, SKU, options and price at purchase.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderItemDto {
    pub id: i64,
    pub variant_id: Option<i64>,
    pub product_id: Option<i64>,
    /// The seller who ships this line; `null` for the shop's own.
    pub seller_id: Option<i64>,
    pub name: String,
    pub sku: String,
    pub options: BTreeMap<String, String>,
    pub unit_price: MoneyDto,
    pub quantity: i64,
    pub line_total: MoneyDto,
}

impl From<souk_core::orders::OrderLineView> for OrderItemDto {
    fn from(l: souk_core::orders::OrderLineView) -> Self {
        Self {
            id: l.id,
            variant_id: l.variant_id,
            product_id: l.product_id,
            seller_id: l.seller_id,
            name: l.name,
            sku: l.sku,
            options: l.options,
            unit_price: l.unit_price.into(),
            quantity: l.quantity,
            line_total: l.line_total.into(),
        }
    }
}

/// A step of an order's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderEventDto {
    pub status: String,
    /// `customer`, `staff` or `system`.
    pub actor: String,
    pub actor_id: Option<i64>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// A payment of an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentDto {
    /// Pay it at `/pay/{id}` (testpay and Stripe).
    #[schema(format = Uuid)]
    pub id: String,
    /// `testpay`, `stripe` or `manual`.
    pub provider: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub amount: MoneyDto,
    pub refunded: MoneyDto,
    /// The provider's id of the payment (Stripe: the PaymentIntent
    /// `pi_...`), once it has one.
    pub reference: Option<String>,
}

impl From<souk_core::payments::PaymentView> for PaymentDto {
    fn from(p: souk_core::payments::PaymentView) -> Self {
        Self {
            id: p.id,
            provider: p.provider,
            status: p.status.as_str().to_owned(),
            amount: p.amount.into(),
            refunded: p.refunded.into(),
            reference: p.reference,
        }
    }
}

/// An order.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDto {
    /// The order's public identifier (use it in URLs).
    #[schema(format = Uuid)]
    pub id: String,
    /// The number to quote, e.g. `SK-7Q4M29XD`.
    pub number: String,
    /// `pending_payment`, `paid`, `processing`, `shipped`, `delivered`, `cancelled`, `expired` or `refunded`.
    pub status: String,
    /// `unpaid`, `paid`, `partially_refunded` or `refunded`.
    pub payment_status: String,
    pub payment_method: String,
    pub email: String,
    pub items: Vec<OrderItemDto>,
    pub subtotal: MoneyDto,
    pub discount: MoneyDto,
    pub shipping: MoneyDto,
    pub tax: MoneyDto,
    pub total: MoneyDto,
    pub shipping_address: PostalAddressDto,
    pub shipping_method: String,
    /// Oldest first; empty in lists.
    pub history: Vec<OrderEventDto>,
    /// Card payments, and manual ones once staff marked the order paid;
    /// empty in lists.
    pub payments: Vec<PaymentDto>,
    /// The parcels: one per seller whose lines the order holds, and one
    /// for the shop's own; each has the lines of its seller.
    pub fulfilments: Vec<FulfilmentDto>,
    pub placed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One parcel of an order: a seller's lines, or the shop's own.
#[derive(Debug, Serialize, ToSchema)]
pub struct FulfilmentDto {
    pub id: i64,
    /// `null`: the shop's own products.
    pub seller_id: Option<i64>,
    /// Who ships it; `null` for the shop.
    pub seller_name: Option<String>,
    /// `pending`, `processing`, `shipped`, `delivered` or `cancelled`.
    pub status: String,
    pub shipping_method: String,
    /// Its share of the order's shipping charge.
    pub shipping: MoneyDto,
    /// The total of its lines.
    pub subtotal: MoneyDto,
    /// Its lines' share of the order's discount.
    pub discount: MoneyDto,
    /// What has been refunded of it.
    pub refunded: MoneyDto,
    /// When its seller's money becomes available (delivery plus the hold
    /// period); `null` until it is delivered.
    pub funds_release_at: Option<DateTime<Utc>>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<souk_core::marketplace::FulfilmentView> for FulfilmentDto {
    fn from(f: souk_core::marketplace::FulfilmentView) -> Self {
        Self {
            id: f.id,
            seller_id: f.seller_id,
            seller_name: f.seller_name,
            status: f.status.as_str().to_owned(),
            shipping_method: f.shipping_method,
            shipping: f.shipping.into(),
            subtotal: f.subtotal.into(),
            discount: f.discount.into(),
            refunded: f.refunded.into(),
            funds_release_at: f.funds_release_at,
            carrier: f.carrier,
            tracking_number: f.tracking_number,
            shipped_at: f.shipped_at,
            delivered_at: f.delivered_at,
        }
    }
}

impl From<souk_core::orders::OrderView> for OrderDto {
    fn from(o: souk_core::orders::OrderView) -> Self {
        Self {
            id: o.id,
            number: o.number,
            status: o.status.as_str().to_owned(),
            payment_status: o.payment_status.as_str().to_owned(),
            payment_method: o.payment_method,
            email: o.email,
            items: o.items.into_iter().map(Into::into).collect(),
            subtotal: o.subtotal.into(),
            discount: o.discount.into(),
            shipping: o.shipping.into(),
            tax: o.tax.into(),
            total: o.total.into(),
            shipping_address: o.shipping_address.into(),
            shipping_method: o.shipping_method,
            history: o
                .history
                .into_iter()
                .map(|e| OrderEventDto {
                    status: e.status,
                    actor: e.actor,
                    actor_id: e.actor_id,
                    note: e.note,
                    at: e.at,
                })
                .collect(),
            payments: o.payments.into_iter().map(Into::into).collect(),
            fulfilments: o.fulfilments.into_iter().map(Into::into).collect(),
            placed_at: o.placed_at,
            updated_at: o.updated_at,
        }
    }
}

/// An order as a seller sees it: only the seller's own lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerOrderDto {
    #[schema(format = Uuid)]
    pub id: String,
    pub number: String,
    pub status: String,
    pub items: Vec<OrderItemDto>,
    /// The total of the seller's lines.
    pub subtotal: MoneyDto,
    pub shipping_address: PostalAddressDto,
    /// The seller's parcel: move it on at
    /// `POST /api/v1/seller/fulfilments/{id}/status`.
    pub fulfilment: Option<FulfilmentDto>,
    pub placed_at: DateTime<Utc>,
}

impl From<souk_core::orders::SellerOrderView> for SellerOrderDto {
    fn from(o: souk_core::orders::SellerOrderView) -> Self {
        Self {
            id: o.id,
            number: o.number,
            status: o.status.as_str().to_owned(),
            items: o.items.into_iter().map(Into::into).collect(),
            subtotal: o.subtotal.into(),
            shipping_address: o.shipping_address.into(),
            fulfilment: o.fulfilment.map(Into::into),
            placed_at: o.placed_at,
        }
    }
}
