//! Staff and sellers add, change and remove variants, and adjust stock,
//! recording who, when and why; a seller only on its own products.

use super::products::{MAX_VARIANTS, NewVariant, sku_conflict};
use super::{Audience, ProductDetail, VariantView};
use crate::actor::{Actor, CatalogueScope};
use crate::{CoreError, Shop};
use souk_db::entity::stock_movement;
use souk_db::repo::catalogue::{self, VariantFields};
use souk_db::repo::stock::{self, Adjusted};
use souk_domain::catalogue::{VariantOptions, parse_stock, parse_stock_reason};
use souk_domain::paging::{Page, PageRequest};
use souk_domain::text::Sku;
use souk_domain::{FieldError, Money, Validator};
use std::collections::BTreeMap;

/// Changes to a variant.
#[derive(Debug, Clone, Default)]
pub struct VariantPatch {
    pub sku: Option<String>,
    pub options: Option<BTreeMap<String, String>>,
    pub price: Option<i64>,
    pub position: Option<i32>,
}

impl Shop {
    /// Adds a variant to a product.
    pub async fn add_variant(
        &self,
        actor: &Actor,
        product_id: i64,
        input: NewVariant,
    ) -> Result<ProductDetail, CoreError> {
        let product = self.managed_product(actor, &product_id.to_string()).await?;
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
        v.finish()?;
        let mut clashes = Vec::new();
        if let Some(options) = &options
            && product
                .variants
                .iter()
                .any(|existing| &existing.options == options.as_map())
        {
            clashes.push(FieldError::new(
                "options",
                "are the same as another variant's",
            ));
        }
        if let Some(sku) = &sku
            && catalogue::sku_taken(self.db.conn(), sku.as_str(), None).await?
        {
            clashes.push(FieldError::new("sku", "is already in use"));
        }
        CoreError::unless_clashes(clashes)?;
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
                actor.user_id().map(|u| u.0),
            )
            .await?;
        }
        catalogue::refresh_product_summary(&txn, product_id).await?;
        txn.commit().await?;
        self.cache.products_changed();
        self.get_product_for(&product_id.to_string(), Audience::Staff)
            .await
    }

    /// Changes a variant's SKU, options, price or position.
    pub async fn update_variant(
        &self,
        actor: &Actor,
        variant_id: i64,
        patch: VariantPatch,
    ) -> Result<VariantView, CoreError> {
        let scope = actor.catalogue_scope()?;
        let current = self
            .variant_in_scope(self.db.conn(), scope, variant_id)
            .await?;
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
        v.finish()?;
        let mut clashes = Vec::new();
        if let Some(sku) = &sku
            && catalogue::sku_taken(self.db.conn(), sku, Some(variant_id)).await?
        {
            clashes.push(FieldError::new("sku", "is already in use"));
        }
        if let Some(options) = &options {
            let siblings = catalogue::variants_of(self.db.conn(), current.product_id).await?;
            if siblings
                .iter()
                .any(|s| s.id != variant_id && &s.options == options)
            {
                clashes.push(FieldError::new(
                    "options",
                    "are the same as another variant's",
                ));
            }
        }
        CoreError::unless_clashes(clashes)?;
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
        self.cache.products_changed();
        VariantView::new(updated)
    }

    /// Deletes a variant; a product keeps at least one.
    pub async fn delete_variant(&self, actor: &Actor, variant_id: i64) -> Result<(), CoreError> {
        let scope = actor.catalogue_scope()?;
        let txn = self.db.begin_write().await?;
        let variant = self.variant_in_scope(&txn, scope, variant_id).await?;
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
        self.cache.products_changed();
        Ok(())
    }

    /// Adds `delta` units (negative removes) to a variant's stock on hand,
    /// recording why and by whom. Refused with 409 below what is reserved.
    pub async fn adjust_stock(
        &self,
        actor: &Actor,
        variant_id: i64,
        delta: i64,
        reason: &str,
    ) -> Result<VariantView, CoreError> {
        let scope = actor.catalogue_scope()?;
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
        self.variant_in_scope(&txn, scope, variant_id).await?;
        let by = actor.user_id().map(|u| u.0);
        match stock::adjust(&txn, variant_id, delta, &reason, by).await? {
            Adjusted::To(level) if level > souk_domain::catalogue::MAX_STOCK => {
                return Err(CoreError::clash(
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
        actor: &Actor,
        variant_id: i64,
        page: PageRequest,
    ) -> Result<Page<stock_movement::Model>, CoreError> {
        let scope = actor.catalogue_scope()?;
        self.variant_in_scope(self.db.conn(), scope, variant_id)
            .await?;
        Ok(stock::movements(self.db.conn(), variant_id, page).await?)
    }

    /// The stored variant when the scope covers its product; else 404.
    async fn variant_in_scope(
        &self,
        db: &impl souk_db::ConnectionTrait,
        scope: CatalogueScope,
        variant_id: i64,
    ) -> Result<souk_db::entity::variant::Model, CoreError> {
        let variant = catalogue::find_variant(db, variant_id)
            .await?
            .ok_or(CoreError::NotFound("variant"))?;
        self.product_in_scope(db, scope, variant.product_id)
            .await
            .map_err(|_| CoreError::NotFound("variant"))?;
        Ok(variant)
    }
}
