//! What staff do to the catalogue: categories, products with variants,
//! and stock adjustments that record who, when and why.

use super::{Audience, CategoryNode, ProductDetail, VariantView};
use crate::auth::Caller;
use crate::{CoreError, Shop};
use chrono::Utc;
use souk_db::WriteTxn;
use souk_db::entity::stock_movement;
use souk_db::repo::accounts;
use souk_db::repo::catalogue::{self, CategoryFields, ProductFields, VariantFields};
use souk_db::repo::stock::{self, Adjusted};
use souk_domain::catalogue::{
    ProductStatus, VariantOptions, parse_description, parse_product_name, parse_stock,
    parse_stock_reason,
};
use souk_domain::paging::{Page, PageRequest};
use souk_domain::text::{self, Sku, Slug};
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
    pub seller_id: Option<Option<i64>>,
    pub status: Option<String>,
}

/// Changes to a variant.
#[derive(Debug, Clone, Default)]
pub struct VariantPatch {
    pub sku: Option<String>,
    pub options: Option<BTreeMap<String, String>>,
    pub price: Option<i64>,
    pub position: Option<i32>,
}

/// A new category.
#[derive(Debug, Clone, Default)]
pub struct CategoryInput {
    pub name: String,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub parent_id: Option<i64>,
    pub position: Option<i32>,
}

/// Changes to a category.
#[derive(Debug, Clone, Default)]
pub struct CategoryPatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub parent_id: Option<Option<i64>>,
    pub position: Option<i32>,
}

/// The most variants one product may have.
const MAX_VARIANTS: usize = 100;

impl Shop {
    /// Creates a product with its variants and their opening stock.
    pub async fn create_product(
        &self,
        caller: Caller,
        input: NewProduct,
    ) -> Result<ProductDetail, CoreError> {
        let mut v = Validator::new();
        let name = v.check("name", parse_product_name(&input.name));
        let slug = match input
            .slug
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(raw) => v.check("slug", Slug::parse(raw)),
            None => match name.as_deref().map(Slug::from_name) {
                Some(None) => {
                    v.push(FieldError::new(
                        "slug",
                        "cannot be made from this name; give one",
                    ));
                    None
                }
                made => made.flatten(),
            },
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
        let mut variants = Vec::with_capacity(input.variants.len());
        let mut skus = HashSet::new();
        let mut option_sets = HashSet::new();
        for (i, variant) in input.variants.iter().enumerate() {
            let at = |field: &str| format!("variants[{i}].{field}");
            let sku = v.check(&at("sku"), Sku::parse(&variant.sku));
            if let Some(sku) = &sku
                && !skus.insert(sku.clone())
            {
                v.push(FieldError::new(at("sku"), "is given twice"));
            }
            let options = v.check(&at("options"), VariantOptions::parse(&variant.options));
            if let Some(options) = &options
                && !option_sets.insert(options.clone())
            {
                v.push(FieldError::new(
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
                variants.push((sku, options, price, stock));
            }
        }
        self.check_references(&mut v, input.category_id, input.seller_id)
            .await?;
        for (i, (sku, ..)) in variants.iter().enumerate() {
            if catalogue::sku_taken(self.db.conn(), sku.as_str(), None).await? {
                v.push(FieldError::new(
                    format!("variants[{i}].sku"),
                    "is already in use",
                ));
            }
        }
        v.finish()?;
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
                seller_id: input.seller_id,
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
        for (position, (sku, options, price, stock)) in variants.into_iter().enumerate() {
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
                    Some(caller.user_id.0),
                )
                .await?;
            }
        }
        catalogue::refresh_product_summary(&txn, product.id).await?;
        txn.commit().await?;
        self.cache.catalogue_changed();
        self.get_product(&product.id.to_string(), Audience::Staff)
            .await
    }

    /// Changes a product's own fields.
    pub async fn update_product(
        &self,
        id: i64,
        patch: ProductPatch,
    ) -> Result<ProductDetail, CoreError> {
        let current = catalogue::find_product(self.db.conn(), &id.to_string())
            .await?
            .filter(|p| p.id == id)
            .ok_or(CoreError::NotFound("product"))?;
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
        let seller_id = patch.seller_id.unwrap_or(current.seller_id);
        self.check_references(&mut v, category_id, seller_id)
            .await?;
        if let Some(slug) = &slug
            && catalogue::product_slug_taken(self.db.conn(), slug.as_str(), Some(id)).await?
        {
            v.push(FieldError::new("slug", "is already in use"));
        }
        v.finish()?;
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
        self.cache.catalogue_changed();
        self.get_product(&id.to_string(), Audience::Staff).await
    }

    /// Deletes a product and its variants.
    pub async fn delete_product(&self, id: i64) -> Result<(), CoreError> {
        let txn = self.db.begin_write().await?;
        if !catalogue::delete_product(&txn, id).await? {
            return Err(CoreError::NotFound("product"));
        }
        txn.commit().await?;
        self.cache.catalogue_changed();
        Ok(())
    }

    /// Adds a variant to a product.
    pub async fn add_variant(
        &self,
        caller: Caller,
        product_id: i64,
        input: NewVariant,
    ) -> Result<ProductDetail, CoreError> {
        let product = self
            .get_product(&product_id.to_string(), Audience::Staff)
            .await?;
        if product.id != product_id {
            return Err(CoreError::NotFound("product"));
        }
        if product.variants.len() >= MAX_VARIANTS {
            return Err(CoreError::Conflict(format!(
                "A product has at most {MAX_VARIANTS} variants."
            )));
        }
        let mut v = Validator::new();
        let sku = v.check("sku", Sku::parse(&input.sku));
        let options = v.check("options", VariantOptions::parse(&input.options));
        let price = v.check("price", Money::price(input.price, self.config.currency));
        let stock = v.check("stock", parse_stock(input.stock));
        if let Some(options) = &options
            && product
                .variants
                .iter()
                .any(|existing| &existing.options == options.as_map())
        {
            v.push(FieldError::new(
                "options",
                "are the same as another variant's",
            ));
        }
        if let Some(sku) = &sku
            && catalogue::sku_taken(self.db.conn(), sku.as_str(), None).await?
        {
            v.push(FieldError::new("sku", "is already in use"));
        }
        v.finish()?;
        let (Some(sku), Some(options), Some(price), Some(stock)) = (sku, options, price, stock)
        else {
            return Err(anyhow::anyhow!("validated variant input is incomplete").into());
        };
        let txn = self.db.begin_write().await?;
        let position = product.variants.len() as i32;
        let variant = catalogue::insert_variant(
            &txn,
            product_id,
            price.currency.as_str(),
            VariantFields {
                sku: sku.into_inner(),
                options: options.to_json(),
                price: price.amount,
                position,
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
                Some(caller.user_id.0),
            )
            .await?;
        }
        catalogue::refresh_product_summary(&txn, product_id).await?;
        txn.commit().await?;
        self.cache.catalogue_changed();
        self.get_product(&product_id.to_string(), Audience::Staff)
            .await
    }

    /// Changes a variant's SKU, options, price or position.
    pub async fn update_variant(
        &self,
        variant_id: i64,
        patch: VariantPatch,
    ) -> Result<VariantView, CoreError> {
        let current = catalogue::find_variant(self.db.conn(), variant_id)
            .await?
            .ok_or(CoreError::NotFound("variant"))?;
        let mut v = Validator::new();
        let sku = match &patch.sku {
            Some(raw) => v.check("sku", Sku::parse(raw)).map(Sku::into_inner),
            None => Some(current.sku.clone()),
        };
        let options = match &patch.options {
            Some(raw) => v
                .check("options", VariantOptions::parse(raw))
                .map(|o| o.to_json()),
            None => Some(current.options.clone()),
        };
        let price = match patch.price {
            Some(raw) => v
                .check("price", Money::price(raw, self.config.currency))
                .map(|m| m.amount),
            None => Some(current.price),
        };
        if let Some(sku) = &sku
            && catalogue::sku_taken(self.db.conn(), sku, Some(variant_id)).await?
        {
            v.push(FieldError::new("sku", "is already in use"));
        }
        if let Some(options) = &options {
            let siblings = catalogue::variants_of(self.db.conn(), current.product_id).await?;
            if siblings
                .iter()
                .any(|s| s.id != variant_id && &s.options == options)
            {
                v.push(FieldError::new(
                    "options",
                    "are the same as another variant's",
                ));
            }
        }
        v.finish()?;
        let (Some(sku), Some(options), Some(price)) = (sku, options, price) else {
            return Err(anyhow::anyhow!("validated variant input is incomplete").into());
        };
        let txn = self.db.begin_write().await?;
        let fields = VariantFields {
            sku,
            options,
            price,
            position: patch.position.unwrap_or(current.position),
        };
        let updated = catalogue::update_variant(&txn, variant_id, fields)
            .await
            .map_err(sku_conflict)?
            .ok_or(CoreError::NotFound("variant"))?;
        catalogue::refresh_product_summary(&txn, updated.product_id).await?;
        txn.commit().await?;
        self.cache.catalogue_changed();
        VariantView::new(updated)
    }

    /// Deletes a variant; a product keeps at least one.
    pub async fn delete_variant(&self, variant_id: i64) -> Result<(), CoreError> {
        let txn = self.db.begin_write().await?;
        let variant = catalogue::find_variant(&txn, variant_id)
            .await?
            .ok_or(CoreError::NotFound("variant"))?;
        if catalogue::variants_of(&txn, variant.product_id)
            .await?
            .len()
            <= 1
        {
            return Err(CoreError::Conflict(
                "A product keeps at least one variant; delete the product instead.".into(),
            ));
        }
        catalogue::delete_variant(&txn, variant_id).await?;
        catalogue::refresh_product_summary(&txn, variant.product_id).await?;
        txn.commit().await?;
        self.cache.catalogue_changed();
        Ok(())
    }

    /// Adds `delta` units (negative removes) to a variant's stock on hand,
    /// recording why and by whom. Refused with 409 below what is reserved.
    pub async fn adjust_stock(
        &self,
        caller: Caller,
        variant_id: i64,
        delta: i64,
        reason: &str,
    ) -> Result<VariantView, CoreError> {
        let mut v = Validator::new();
        if delta == 0 || delta.unsigned_abs() > souk_domain::catalogue::MAX_STOCK as u64 {
            v.push(FieldError::new(
                "delta",
                "must be a non-zero whole number within a billion",
            ));
        }
        let reason = v.check("reason", parse_stock_reason(reason));
        v.finish()?;
        let reason = reason.unwrap_or_default();
        let txn = self.db.begin_write().await?;
        match stock::adjust(&txn, variant_id, delta, &reason, Some(caller.user_id.0)).await? {
            Adjusted::To(level) if level > souk_domain::catalogue::MAX_STOCK => {
                return Err(CoreError::invalid(
                    "delta",
                    "would take stock above a billion units",
                ));
            }
            Adjusted::To(_) => {}
            Adjusted::WouldGoNegative => {
                return Err(CoreError::Conflict(
                    "Not enough stock on hand to remove that many units.".into(),
                ));
            }
            Adjusted::NoVariant => return Err(CoreError::NotFound("variant")),
        }
        let variant = catalogue::find_variant(&txn, variant_id)
            .await?
            .ok_or(CoreError::NotFound("variant"))?;
        catalogue::refresh_product_summary(&txn, variant.product_id).await?;
        txn.commit().await?;
        self.cache.catalogue_changed();
        VariantView::new(variant)
    }

    /// The stock movements of a variant, newest first.
    pub async fn stock_movements(
        &self,
        variant_id: i64,
        page: PageRequest,
    ) -> Result<Page<stock_movement::Model>, CoreError> {
        catalogue::find_variant(self.db.conn(), variant_id)
            .await?
            .ok_or(CoreError::NotFound("variant"))?;
        Ok(stock::movements(self.db.conn(), variant_id, page).await?)
    }

    /// Creates a category, top-level or under a top-level one.
    pub async fn create_category(&self, input: CategoryInput) -> Result<CategoryNode, CoreError> {
        let mut v = Validator::new();
        let name = v.check("name", text::bounded(&input.name, 1, 100));
        let slug = self
            .category_slug(&mut v, input.slug.as_deref(), name.as_deref(), None)
            .await?;
        let description = v.check(
            "description",
            text::bounded(input.description.as_deref().unwrap_or(""), 0, 2000),
        );
        self.check_parent(&mut v, input.parent_id, None).await?;
        v.finish()?;
        let (Some(name), Some(slug), Some(description)) = (name, slug, description) else {
            return Err(anyhow::anyhow!("validated category input is incomplete").into());
        };
        let txn = self.db.begin_write().await?;
        let fields = CategoryFields {
            parent_id: input.parent_id,
            name,
            slug,
            description,
            position: input.position.unwrap_or(0),
        };
        let created = catalogue::insert_category(&txn, fields)
            .await
            .map_err(|e| unique_conflict(e, "slug"))?;
        txn.commit().await?;
        self.cache.categories_changed();
        Ok(CategoryNode::leaf(created))
    }

    /// Changes a category.
    pub async fn update_category(
        &self,
        id: i64,
        patch: CategoryPatch,
    ) -> Result<CategoryNode, CoreError> {
        let current = catalogue::find_category(self.db.conn(), &id.to_string())
            .await?
            .filter(|c| c.id == id)
            .ok_or(CoreError::NotFound("category"))?;
        let mut v = Validator::new();
        let name = match &patch.name {
            Some(raw) => v.check("name", text::bounded(raw, 1, 100)),
            None => Some(current.name.clone()),
        };
        let slug = match &patch.slug {
            Some(raw) => {
                self.category_slug(&mut v, Some(raw), None, Some(id))
                    .await?
            }
            None => Some(current.slug.clone()),
        };
        let description = match &patch.description {
            Some(raw) => v.check("description", text::bounded(raw, 0, 2000)),
            None => Some(current.description.clone()),
        };
        let parent_id = patch.parent_id.unwrap_or(current.parent_id);
        if parent_id != current.parent_id {
            self.check_parent(&mut v, parent_id, Some(id)).await?;
        }
        v.finish()?;
        let (Some(name), Some(slug), Some(description)) = (name, slug, description) else {
            return Err(anyhow::anyhow!("validated category input is incomplete").into());
        };
        let txn = self.db.begin_write().await?;
        let fields = CategoryFields {
            parent_id,
            name,
            slug,
            description,
            position: patch.position.unwrap_or(current.position),
        };
        let updated = catalogue::update_category(&txn, id, fields)
            .await
            .map_err(|e| unique_conflict(e, "slug"))?
            .ok_or(CoreError::NotFound("category"))?;
        txn.commit().await?;
        self.cache.categories_changed();
        Ok(CategoryNode::leaf(updated))
    }

    /// Deletes a category without children; its products become
    /// uncategorised.
    pub async fn delete_category(&self, id: i64) -> Result<(), CoreError> {
        let txn = self.db.begin_write().await?;
        if catalogue::category_has_children(&txn, id).await? {
            return Err(CoreError::Conflict(
                "The category has subcategories; move or delete them first.".into(),
            ));
        }
        if !catalogue::delete_category(&txn, id).await? {
            return Err(CoreError::NotFound("category"));
        }
        txn.commit().await?;
        self.cache.categories_changed();
        Ok(())
    }

    async fn check_references(
        &self,
        v: &mut Validator,
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
            v.push(FieldError::new("category_id", "no such category"));
        }
        if let Some(id) = seller_id
            && accounts::find_seller(db, &id.to_string())
                .await?
                .filter(|s| s.id == id)
                .is_none()
        {
            v.push(FieldError::new("seller_id", "no such seller"));
        }
        Ok(())
    }

    /// Categories nest two levels deep: a parent must be top-level, and a
    /// category with children cannot move under another.
    async fn check_parent(
        &self,
        v: &mut Validator,
        parent_id: Option<i64>,
        moving: Option<i64>,
    ) -> Result<(), CoreError> {
        let db = self.db.conn();
        let Some(parent_id) = parent_id else {
            return Ok(());
        };
        if Some(parent_id) == moving {
            v.push(FieldError::new(
                "parent_id",
                "cannot be the category itself",
            ));
            return Ok(());
        }
        match catalogue::find_category(db, &parent_id.to_string())
            .await?
            .filter(|c| c.id == parent_id)
        {
            None => v.push(FieldError::new("parent_id", "no such category")),
            Some(parent) if parent.parent_id.is_some() => v.push(FieldError::new(
                "parent_id",
                "must be a top-level category; categories nest two levels deep",
            )),
            Some(_) => {
                if let Some(id) = moving
                    && catalogue::category_has_children(db, id).await?
                {
                    v.push(FieldError::new(
                        "parent_id",
                        "a category with subcategories must stay top-level",
                    ));
                }
            }
        }
        Ok(())
    }

    async fn category_slug(
        &self,
        v: &mut Validator,
        raw: Option<&str>,
        name: Option<&str>,
        except: Option<i64>,
    ) -> Result<Option<String>, CoreError> {
        let slug = match raw.map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => v.check("slug", Slug::parse(raw)),
            None => match name.map(Slug::from_name) {
                Some(None) => {
                    v.push(FieldError::new(
                        "slug",
                        "cannot be made from this name; give one",
                    ));
                    None
                }
                made => made.flatten(),
            },
        };
        if let Some(slug) = &slug {
            let taken = catalogue::find_category(self.db.conn(), slug.as_str())
                .await?
                .is_some_and(|c| Some(c.id) != except && c.slug == slug.as_str());
            if taken {
                v.push(FieldError::new("slug", "is already in use"));
            }
        }
        Ok(slug.map(Slug::into_inner))
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

fn sku_conflict(err: souk_db::DbErr) -> CoreError {
    unique_conflict(err, "sku")
}

/// A unique violation that slipped past the checks (a concurrent write) is
/// the client's 422, not a 500.
fn unique_conflict(err: souk_db::DbErr, field: &str) -> CoreError {
    if souk_db::is_unique_violation(&err) {
        CoreError::invalid(field, "is already in use")
    } else {
        err.into()
    }
}
