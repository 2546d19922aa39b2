//! Staff and sellers create, change and delete products; a seller only its
//! own, which are its own whatever the input says.

use super::{Audience, ProductDetail};
use crate::actor::{Actor, CatalogueScope};
use crate::{CoreError, Shop};
use chrono::Utc;
use souk_db::WriteTxn;
use souk_db::repo::catalogue::{self, ProductFields, VariantFields};
use souk_db::repo::sellers;
use souk_db::repo::stock::{self};
use souk_domain::catalogue::{
    ProductStatus, VariantOptions, parse_description, parse_product_name, parse_stock,
};
use souk_domain::text::{Sku, Slug};
use souk_domain::{FieldError, Money, Validator};
use std::collections::{BTreeMap, HashSet};

/// A variant of a new product.
#[derive(Debug, Clone, Default)]
pub struct NewVariant {
    pub sku: String,
    pub options: BTreeMap<String, String>,
    /// Minor units of the shop's currency.
    pub price: i64,
    /// Units on hand to start with.
    pub stock: i64,
}

/// A new product with its variants.
#[derive(Debug, Clone, Default)]
pub struct NewProduct {
    pub name: String,
    /// Made from the name when missing.
    pub slug: Option<String>,
    pub description: String,
    pub category_id: Option<i64>,
    /// Staff only: the seller whose product this is (None: the shop's).
    /// A seller's products are always its own.
    pub seller_id: Option<i64>,
    /// `draft`, `active` or `archived`; `draft` when missing.
    pub status: Option<String>,
    pub variants: Vec<NewVariant>,
}

/// Changes to a product; `None` leaves a field as it is, and for the
/// nullable references `Some(None)` clears them.
#[derive(Debug, Clone, Default)]
pub struct ProductPatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub category_id: Option<Option<i64>>,
    /// Staff only; ignored for a seller.
    pub seller_id: Option<Option<i64>>,
    pub status: Option<String>,
}

/// The most variants one product may have.
pub(super) const MAX_VARIANTS: usize = 100;

impl Shop {
    /// Creates a product with its variants and their opening stock.
    pub async fn create_product(
        &self,
        actor: &Actor,
        input: NewProduct,
    ) -> Result<ProductDetail, CoreError> {
        let scope = actor.catalogue_scope()?;
        let seller_id = match scope {
            CatalogueScope::All => input.seller_id,
            CatalogueScope::Seller(id) => Some(id.0),
        };
        let mut v = Validator::new();
        let name = v.check("name", parse_product_name(&input.name));
        let slug = match input.slug.as_deref() {
            Some(raw) => v.check("slug", Slug::parse(raw)),
            None => name
                .as_deref()
                .map(|name| Slug::from_name_or(name, "product")),
        };
        let description = v.check("description", parse_description(&input.description));
        let status = match input.status.as_deref() {
            Some(raw) => v.check("status", ProductStatus::parse(raw)),
            None => Some(ProductStatus::Draft),
        };
        if input.variants.is_empty() {
            v.push(FieldError::new(
                "variants",
                "must have at least one variant",
            ));
        }
        if input.variants.len() > MAX_VARIANTS {
            v.push(FieldError::new(
                "variants",
                format!("must have at most {MAX_VARIANTS} variants"),
            ));
        }
        let mut clashes = Vec::new();
        let mut variants = Vec::with_capacity(input.variants.len());
        let mut skus = HashSet::new();
        let mut option_sets = HashSet::new();
        for (i, variant) in input.variants.iter().enumerate() {
            let at = |field: &str| format!("variants[{i}].{field}");
            let sku = v.check(&at("sku"), Sku::parse(&variant.sku));
            if let Some(sku) = &sku
                && !skus.insert(sku.clone())
            {
                clashes.push(FieldError::new(at("sku"), "is given twice"));
            }
            let options = v.check(&at("options"), VariantOptions::parse(&variant.options));
            if let Some(options) = &options
                && !option_sets.insert(options.clone())
            {
                clashes.push(FieldError::new(
                    at("options"),
                    "are the same as another variant's",
                ));
            }
            let price = v.check(
                &at("price"),
                Money::price(variant.price, self.config.currency),
            );
            let stock = v.check(&at("stock"), parse_stock(variant.stock));
            if let (Some(sku), Some(options), Some(price), Some(stock)) =
                (sku, options, price, stock)
            {
                variants.push((i, sku, options, price, stock));
            }
        }
        self.check_references(&mut clashes, input.category_id, seller_id)
            .await?;
        // Numbered by their place in the input, as the messages above.
        for (i, sku, ..) in &variants {
            if catalogue::sku_taken(self.db.conn(), sku.as_str(), None).await? {
                clashes.push(FieldError::new(
                    format!("variants[{i}].sku"),
                    "is already in use",
                ));
            }
        }
        v.finish()?;
        CoreError::unless_clashes(clashes)?;
        let (Some(name), Some(slug), Some(description), Some(status)) =
            (name, slug, description, status)
        else {
            return Err(anyhow::anyhow!("validated product input is incomplete").into());
        };

        let txn = self.db.begin_write().await?;
        let slug = unique_product_slug(&txn, slug, None).await?;
        let product = catalogue::insert_product(
            &txn,
            ProductFields {
                seller_id,
                category_id: input.category_id,
                name,
                slug: slug.into_inner(),
                description,
                status: status.as_str(),
                currency: self.config.currency.to_string(),
            },
            Utc::now(),
        )
        .await?;
        for (position, (_, sku, options, price, stock)) in variants.into_iter().enumerate() {
            let variant = catalogue::insert_variant(
                &txn,
                product.id,
                price.currency.as_str(),
                VariantFields {
                    sku: sku.into_inner(),
                    options: options.to_json(),
                    price: price.amount,
                    position: position as i32,
                },
            )
            .await
            .map_err(sku_conflict)?;
            if stock > 0 {
                stock::adjust(
                    &txn,
                    variant.id,
                    stock,
                    "opening stock",
                    actor.user_id().map(|u| u.0),
                )
                .await?;
            }
        }
        catalogue::refresh_product_summary(&txn, product.id).await?;
        txn.commit().await?;
        self.cache.products_changed();
        self.get_product_for(&product.id.to_string(), Audience::Staff)
            .await
    }

    /// A product the actor manages, with its variants whatever its status;
    /// another seller's product is 404.
    pub async fn managed_product(
        &self,
        actor: &Actor,
        id_or_slug: &str,
    ) -> Result<ProductDetail, CoreError> {
        let scope = actor.catalogue_scope()?;
        let found = self.get_product_for(id_or_slug, Audience::Staff).await?;
        if !scope.covers(found.seller.as_ref().map(|s| s.id)) {
            return Err(CoreError::NotFound("product"));
        }
        Ok(found)
    }

    /// Changes a product's own fields.
    pub async fn update_product(
        &self,
        actor: &Actor,
        id: i64,
        patch: ProductPatch,
    ) -> Result<ProductDetail, CoreError> {
        let scope = actor.catalogue_scope()?;
        let current = self.product_in_scope(self.db.conn(), scope, id).await?;
        let mut v = Validator::new();
        let name = match &patch.name {
            Some(raw) => v.check("name", parse_product_name(raw)),
            None => Some(current.name.clone()),
        };
        let slug = match &patch.slug {
            Some(raw) => v.check("slug", Slug::parse(raw)),
            None => Slug::parse(&current.slug).ok(),
        };
        let description = match &patch.description {
            Some(raw) => v.check("description", parse_description(raw)),
            None => Some(current.description.clone()),
        };
        let status = match &patch.status {
            Some(raw) => v.check("status", ProductStatus::parse(raw)),
            None => ProductStatus::parse(&current.status).ok(),
        };
        let category_id = patch.category_id.unwrap_or(current.category_id);
        let seller_id = match scope {
            CatalogueScope::All => patch.seller_id.unwrap_or(current.seller_id),
            CatalogueScope::Seller(_) => current.seller_id,
        };
        v.finish()?;
        let mut clashes = Vec::new();
        self.check_references(&mut clashes, category_id, seller_id)
            .await?;
        if let Some(slug) = &slug
            && catalogue::product_slug_taken(self.db.conn(), slug.as_str(), Some(id)).await?
        {
            clashes.push(FieldError::new("slug", "is already in use"));
        }
        CoreError::unless_clashes(clashes)?;
        let (Some(name), Some(slug), Some(description), Some(status)) =
            (name, slug, description, status)
        else {
            return Err(anyhow::anyhow!("product {id} has unreadable stored fields").into());
        };
        let txn = self.db.begin_write().await?;
        catalogue::update_product(
            &txn,
            id,
            ProductFields {
                seller_id,
                category_id,
                name,
                slug: slug.into_inner(),
                description,
                status: status.as_str(),
                currency: current.currency,
            },
        )
        .await
        .map_err(|e| unique_conflict(e, "slug"))?
        .ok_or(CoreError::NotFound("product"))?;
        txn.commit().await?;
        self.cache.products_changed();
        self.get_product_for(&id.to_string(), Audience::Staff).await
    }

    /// Deletes a product and its variants.
    pub async fn delete_product(&self, actor: &Actor, id: i64) -> Result<(), CoreError> {
        let scope = actor.catalogue_scope()?;
        let txn = self.db.begin_write().await?;
        self.product_in_scope(&txn, scope, id).await?;
        if !catalogue::delete_product(&txn, id).await? {
            return Err(CoreError::NotFound("product"));
        }
        txn.commit().await?;
        self.cache.products_changed();
        Ok(())
    }

    /// The stored product `id` when the scope covers it; else 404.
    pub(super) async fn product_in_scope(
        &self,
        db: &impl souk_db::ConnectionTrait,
        scope: CatalogueScope,
        id: i64,
    ) -> Result<souk_db::entity::product::Model, CoreError> {
        catalogue::find_product(db, &id.to_string())
            .await?
            .filter(|p| p.id == id && scope.covers(p.seller_id))
            .ok_or(CoreError::NotFound("product"))
    }

    pub(super) async fn check_references(
        &self,
        clashes: &mut Vec<FieldError>,
        category_id: Option<i64>,
        seller_id: Option<i64>,
    ) -> Result<(), CoreError> {
        let db = self.db.conn();
        if let Some(id) = category_id
            && catalogue::find_category(db, &id.to_string())
                .await?
                .filter(|c| c.id == id)
                .is_none()
        {
            clashes.push(FieldError::new("category_id", "no such category"));
        }
        if let Some(id) = seller_id
            && sellers::find_seller(db, &id.to_string())
                .await?
                .filter(|s| s.id == id)
                .is_none()
        {
            clashes.push(FieldError::new("seller_id", "no such seller"));
        }
        Ok(())
    }
}

/// `slug`, or `slug-2`, `slug-3`... whichever is free.
async fn unique_product_slug(
    txn: &WriteTxn,
    slug: Slug,
    except: Option<i64>,
) -> Result<Slug, CoreError> {
    if !catalogue::product_slug_taken(txn, slug.as_str(), except).await? {
        return Ok(slug);
    }
    for n in 2..1000 {
        let candidate = slug.with_suffix(n);
        if !catalogue::product_slug_taken(txn, candidate.as_str(), except).await? {
            return Ok(candidate);
        }
    }
    Err(CoreError::invalid(
        "slug",
        "is already in use; give another",
    ))
}

pub(super) fn sku_conflict(err: souk_db::DbErr) -> CoreError {
    unique_conflict(err, "sku")
}

/// A unique violation that slipped past the checks (a concurrent write) is
/// the client's 409, not a 500.
pub(crate) fn unique_conflict(err: souk_db::DbErr, field: &str) -> CoreError {
    if souk_db::is_unique_violation(&err) {
        CoreError::clash(field, "is already in use")
    } else {
        err.into()
    }
}
