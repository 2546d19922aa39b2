//! What the catalogue use cases return: plain values, independent of both
//! the tables and the API's JSON.

use crate::CoreError;
use chrono::{DateTime, Utc};
use souk_db::entity::{category, product, seller, variant};
use souk_db::repo::catalogue::{ProductSummary, ProductWithRefs};
use souk_domain::reviews::ProductRating;
use souk_domain::{Currency, Money};
use std::collections::BTreeMap;

/// Who sells a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

impl From<seller::Model> for SellerRef {
    fn from(s: seller::Model) -> Self {
        Self {
            id: s.id,
            slug: s.slug,
            name: s.name,
        }
    }
}

/// A product in a listing.
#[derive(Debug, Clone)]
pub struct ProductCard {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub status: String,
    /// The lowest variant price: "from".
    pub price: Money,
    /// The highest variant price.
    pub max_price: Money,
    pub in_stock: bool,
    pub category_id: Option<i64>,
    pub seller: Option<SellerRef>,
    /// Its published reviews' count and average.
    pub rating: ProductRating,
    pub created_at: DateTime<Utc>,
    /// The one variant of a product sold as a single variant, which its
    /// card can add to the cart; `None` when there are options to choose.
    pub only_variant: Option<i64>,
    /// Its first photo, if it has one.
    pub cover: Option<crate::photos::PhotoView>,
}

impl ProductCard {
    pub(crate) fn new(p: ProductSummary, seller: Option<SellerRef>) -> Self {
        let currency = Currency::parse(&p.currency).unwrap_or(Currency::USD);
        Self {
            id: p.id,
            slug: p.slug,
            name: p.name,
            status: p.status,
            price: Money::new(p.min_price, currency),
            max_price: Money::new(p.max_price, currency),
            in_stock: p.in_stock,
            category_id: p.category_id,
            seller,
            rating: ProductRating::new(p.review_count.into(), p.rating_score),
            created_at: p.created_at,
            only_variant: None,
            cover: None,
        }
    }
}

/// One variant of a product with what can be bought of it now.
#[derive(Debug, Clone)]
pub struct VariantView {
    pub id: i64,
    pub sku: String,
    pub options: BTreeMap<String, String>,
    pub price: Money,
    pub stock_on_hand: i64,
    /// On hand minus reserved, never below zero.
    pub stock_available: i64,
}

impl VariantView {
    pub(crate) fn new(v: variant::Model) -> Result<Self, CoreError> {
        let options = serde_json::from_str(&v.options)
            .map_err(|e| anyhow::anyhow!("variant {} has unreadable options: {e}", v.id))?;
        let currency =
            Currency::parse(&v.currency).map_err(|e| anyhow::anyhow!("variant {}: {e}", v.id))?;
        Ok(Self {
            id: v.id,
            sku: v.sku,
            options,
            price: Money::new(v.price, currency),
            stock_on_hand: v.stock_on_hand,
            stock_available: (v.stock_on_hand - v.stock_reserved).max(0),
        })
    }
}

/// A product page: the product, its variants, its category and seller.
#[derive(Debug, Clone)]
pub struct ProductDetail {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub status: String,
    pub price: Money,
    pub max_price: Money,
    pub in_stock: bool,
    pub category: Option<CategoryNode>,
    pub seller: Option<SellerRef>,
    /// Its published reviews' count and average.
    pub rating: ProductRating,
    pub variants: Vec<VariantView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProductDetail {
    pub(crate) fn from_refs(
        found: ProductWithRefs,
        variants: Vec<variant::Model>,
    ) -> Result<Self, CoreError> {
        let p = &found.product;
        let category = match (p.category_id, found.category_slug, found.category_name) {
            (Some(id), Some(slug), Some(name)) => Some(CategoryNode {
                id,
                parent_id: None,
                slug,
                name,
                description: String::new(),
                position: 0,
                children: Vec::new(),
            }),
            _ => None,
        };
        let seller = match (p.seller_id, found.seller_slug, found.seller_name) {
            (Some(id), Some(slug), Some(name)) => Some(SellerRef { id, slug, name }),
            _ => None,
        };
        Self::new(found.product, variants, None, seller).map(|mut detail| {
            detail.category = category;
            detail
        })
    }

    pub(crate) fn new(
        p: product::Model,
        variants: Vec<variant::Model>,
        category: Option<category::Model>,
        seller: Option<SellerRef>,
    ) -> Result<Self, CoreError> {
        let currency =
            Currency::parse(&p.currency).map_err(|e| anyhow::anyhow!("product {}: {e}", p.id))?;
        Ok(Self {
            id: p.id,
            slug: p.slug,
            name: p.name,
            description: p.description,
            status: p.status,
            price: Money::new(p.min_price, currency),
            max_price: Money::new(p.max_price, currency),
            in_stock: p.in_stock,
            category: category.map(CategoryNode::leaf),
            seller,
            rating: ProductRating::new(p.review_count.into(), p.rating_score),
            variants: variants
                .into_iter()
                .map(VariantView::new)
                .collect::<Result<_, _>>()?,
            created_at: p.created_at,
            updated_at: p.updated_at,
        })
    }
}

/// A category with its children (empty for a leaf or a reference).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    pub children: Vec<CategoryNode>,
}

impl CategoryNode {
    pub(crate) fn leaf(c: category::Model) -> Self {
        Self {
            id: c.id,
            parent_id: c.parent_id,
            slug: c.slug,
            name: c.name,
            description: c.description,
            position: c.position,
            children: Vec::new(),
        }
    }

    /// Builds the two-level tree from all categories in display order.
    pub(crate) fn tree(all: Vec<category::Model>) -> Vec<Self> {
        let (roots, children): (Vec<_>, Vec<_>) =
            all.into_iter().partition(|c| c.parent_id.is_none());
        roots
            .into_iter()
            .map(|root| {
                let mut node = Self::leaf(root);
                node.children = children
                    .iter()
                    .filter(|c| c.parent_id == Some(node.id))
                    .cloned()
                    .map(Self::leaf)
                    .collect();
                node
            })
            .collect()
    }
}
