//! The API's own JSON types: what clients send and receive. They are built
//! from the use cases' values, never serialised straight from tables.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use souk_core::catalogue::{CategoryNode, ProductCard, ProductDetail, SellerRef, VariantView};
use souk_core::records::{address, stock_movement, user};
use souk_domain::Money;
use souk_domain::paging::Page;
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// An amount of money in minor units of a currency.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MoneyDto {
    /// Minor units (cents): 1999 is 19.99.
    #[schema(example = 1999)]
    pub amount: i64,
    /// ISO 4217 code.
    #[schema(example = "USD")]
    pub currency: String,
}

impl From<Money> for MoneyDto {
    fn from(m: Money) -> Self {
        Self {
            amount: m.amount,
            currency: m.currency.to_string(),
        }
    }
}

/// A price as a client may send it: a money object, or a bare integer of
/// minor units in the shop's currency.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PriceInput {
    /// `{"amount": 1999, "currency": "USD"}`
    Money(MoneyDto),
    /// `1999`
    Minor(i64),
}

impl PriceInput {
    /// The amount, if the currency (when given) is the shop's.
    pub fn amount_in(&self, currency: souk_domain::Currency) -> Result<i64, &'static str> {
        match self {
            PriceInput::Minor(amount) => Ok(*amount),
            PriceInput::Money(m) if m.currency.eq_ignore_ascii_case(currency.as_str()) => {
                Ok(m.amount)
            }
            PriceInput::Money(_) => Err("must be in the shop's currency"),
        }
    }
}

/// Which page of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// One-based page number (default 1).
    pub page: Option<i64>,
    /// Items per page, 1 to 100 (default 20).
    pub per_page: Option<i64>,
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListDto<T> {
    pub items: Vec<T>,
    /// One-based page number.
    pub page: u64,
    pub per_page: u64,
    /// Items across all pages.
    pub total: u64,
}

impl<T> ListDto<T> {
    pub fn from_page<U>(page: Page<U>, f: impl FnMut(U) -> T) -> Self {
        let page = page.map(f);
        Self {
            items: page.items,
            page: page.page,
            per_page: page.per_page,
            total: page.total,
        }
    }
}

/// Deserialises a field that may be absent (leave as is), `null` (clear)
/// or a value (set).
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    de: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(de).map(Some)
}

/// An account.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    /// `customer`, `seller` or `admin`.
    pub role: String,
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
}

impl From<user::Model> for UserDto {
    fn from(u: user::Model) -> Self {
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
            phone: u.phone,
            role: u.role,
            email_verified: u.email_verified_at.is_some(),
            created_at: u.created_at,
        }
    }
}

/// A postal address in the caller's address book.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddressDto {
    pub id: i64,
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
    pub is_default: bool,
}

impl From<address::Model> for AddressDto {
    fn from(a: address::Model) -> Self {
        Self {
            id: a.id,
            full_name: a.full_name,
            company: a.company,
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
            phone: a.phone,
            is_default: a.is_default,
        }
    }
}

/// Who sells a product.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerDto {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl From<SellerRef> for SellerDto {
    fn from(s: SellerRef) -> Self {
        Self {
            id: s.id,
            slug: s.slug,
            name: s.name,
        }
    }
}

/// A product in a listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductSummaryDto {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// `draft`, `active` or `archived` (the store lists active only).
    pub status: String,
    /// The lowest variant price.
    pub price: MoneyDto,
    /// The highest variant price.
    pub max_price: MoneyDto,
    /// Whether any variant can be bought now.
    pub in_stock: bool,
    pub category_id: Option<i64>,
    /// `null` for the shop's own products.
    pub seller: Option<SellerDto>,
    pub created_at: DateTime<Utc>,
}

impl From<ProductCard> for ProductSummaryDto {
    fn from(p: ProductCard) -> Self {
        Self {
            id: p.id,
            slug: p.slug,
            name: p.name,
            status: p.status,
            price: p.price.into(),
            max_price: p.max_price.into(),
            in_stock: p.in_stock,
            category_id: p.category_id,
            seller: p.seller.map(Into::into),
            created_at: p.created_at,
        }
    }
}

/// A purchasable variant.
#[derive(Debug, Serialize, ToSchema)]
pub struct VariantDto {
    pub id: i64,
    pub sku: String,
    /// Option name to value, e.g. `{"size": "M", "colour": "Navy"}`.
    pub options: BTreeMap<String, String>,
    pub price: MoneyDto,
    /// Units that can be bought now.
    pub stock_available: i64,
    /// Units on hand, including reserved ones (staff only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stock_on_hand: Option<i64>,
}

impl VariantDto {
    pub fn store(v: VariantView) -> Self {
        Self {
            stock_on_hand: None,
            ..Self::staff(v)
        }
    }

    pub fn staff(v: VariantView) -> Self {
        Self {
            id: v.id,
            sku: v.sku,
            options: v.options,
            price: v.price.into(),
            stock_available: v.stock_available,
            stock_on_hand: Some(v.stock_on_hand),
        }
    }
}

/// A category without its children.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryRefDto {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// A product with its variants.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDto {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub status: String,
    pub price: MoneyDto,
    pub max_price: MoneyDto,
    pub in_stock: bool,
    pub category: Option<CategoryRefDto>,
    pub seller: Option<SellerDto>,
    pub variants: Vec<VariantDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProductDto {
    pub fn new(p: ProductDetail, variant: fn(VariantView) -> VariantDto) -> Self {
        Self {
            id: p.id,
            slug: p.slug,
            name: p.name,
            description: p.description,
            status: p.status,
            price: p.price.into(),
            max_price: p.max_price.into(),
            in_stock: p.in_stock,
            category: p.category.map(|c| CategoryRefDto {
                id: c.id,
                slug: c.slug,
                name: c.name,
            }),
            seller: p.seller.map(Into::into),
            variants: p.variants.into_iter().map(variant).collect(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A category with its subcategories.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryDto {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    #[schema(no_recursion)]
    pub children: Vec<CategoryDto>,
}

impl From<CategoryNode> for CategoryDto {
    fn from(c: CategoryNode) -> Self {
        Self {
            id: c.id,
            parent_id: c.parent_id,
            slug: c.slug,
            name: c.name,
            description: c.description,
            position: c.position,
            children: c.children.into_iter().map(Into::into).collect(),
        }
    }
}

/// One recorded change of a variant's stock.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockMovementDto {
    pub id: i64,
    pub variant_id: i64,
    /// Units added (negative: removed).
    pub delta: i64,
    /// Units on hand after the change.
    pub stock_after: i64,
    pub reason: String,
    /// The staff member or seller who made it; `null` for the system.
    pub actor_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

impl From<stock_movement::Model> for StockMovementDto {
    fn from(m: stock_movement::Model) -> Self {
        Self {
            id: m.id,
            variant_id: m.variant_id,
            delta: m.delta,
            stock_after: m.stock_after,
            reason: m.reason,
            actor_id: m.actor_id,
            created_at: m.created_at,
        }
    }
}

/// A line of a cart, priced from the catalogue now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CartItemDto {
    pub id: i64,
    pub variant_id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub product_slug: String,
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

/// The address an order ships to, as it was at checkout.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShippingAddressDto {
    pub full_name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub phone: Option<String>,
}

impl From<souk_core::orders::AddressSnapshot> for ShippingAddressDto {
    fn from(a: souk_core::orders::AddressSnapshot) -> Self {
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
    /// Pay it at `/pay/{id}` (testpay).
    pub id: String,
    /// `testpay` or `manual`.
    pub provider: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub amount: MoneyDto,
    pub refunded: MoneyDto,
}

impl From<souk_core::payments::PaymentView> for PaymentDto {
    fn from(p: souk_core::payments::PaymentView) -> Self {
        Self {
            id: p.id,
            provider: p.provider,
            status: p.status,
            amount: p.amount.into(),
            refunded: p.refunded.into(),
        }
    }
}

/// An order.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDto {
    /// The order's public identifier (use it in URLs).
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
    pub shipping_address: ShippingAddressDto,
    pub shipping_method: String,
    /// Oldest first; empty in lists.
    pub history: Vec<OrderEventDto>,
    /// Card payments, and manual ones once staff marked the order paid;
    /// empty in lists.
    pub payments: Vec<PaymentDto>,
    pub placed_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<souk_core::orders::OrderView> for OrderDto {
    fn from(o: souk_core::orders::OrderView) -> Self {
        Self {
            id: o.id,
            number: o.number,
            status: o.status,
            payment_status: o.payment_status,
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
            placed_at: o.placed_at,
            updated_at: o.updated_at,
        }
    }
}

/// An order as a seller sees it: only the seller's own lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerOrderDto {
    pub id: String,
    pub number: String,
    pub status: String,
    pub items: Vec<OrderItemDto>,
    /// The total of the seller's lines.
    pub subtotal: MoneyDto,
    pub shipping_address: ShippingAddressDto,
    pub placed_at: DateTime<Utc>,
}

impl From<souk_core::orders::SellerOrderView> for SellerOrderDto {
    fn from(o: souk_core::orders::SellerOrderView) -> Self {
        Self {
            id: o.id,
            number: o.number,
            status: o.status,
            items: o.items.into_iter().map(Into::into).collect(),
            subtotal: o.subtotal.into(),
            shipping_address: o.shipping_address.into(),
            placed_at: o.placed_at,
        }
    }
}
