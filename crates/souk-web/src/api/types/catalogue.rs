//! The catalogue's JSON types.

use chrono::{DateTime, Utc};
use serde::Serialize;
use souk_core::catalogue::{CategoryNode, ProductCard, ProductDetail, SellerRef, VariantView};
use souk_core::records::stock_movement;
use souk_domain::reviews::ProductRating;
use std::collections::BTreeMap;
use utoipa::ToSchema;

use super::MoneyDto;

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
    pub rating: RatingDto,
    pub created_at: DateTime<Utc>,
}

/// A product's published reviews: how many, and their average.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingDto {
    pub count: u32,
    /// The average rating to two decimals (1 to 5); `null` without reviews.
    pub average: Option<f64>,
}

impl From<ProductRating> for RatingDto {
    fn from(r: ProductRating) -> Self {
        Self {
            count: r.count,
            average: r.is_rated().then(|| f64::from(r.score) / 100.0),
        }
    }
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
            rating: p.rating.into(),
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
    pub rating: RatingDto,
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
            rating: p.rating.into(),
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
