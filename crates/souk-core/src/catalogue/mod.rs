//! What shoppers see of the catalogue: listings with filters and search,
//! product detail with live stock, and the category tree.

mod bulk;
mod cache;
mod categories;
mod choices;
mod products;
pub mod sitemap;
mod variants;
mod views;

pub use bulk::{BulkAction, MAX_BULK_PRODUCTS};
pub(crate) use cache::CatalogueCache;
pub use categories::{CategoryInput, CategoryPatch};
pub use choices::{OptionGroup, OptionValue};
pub(crate) use products::unique_conflict;
pub use products::{NewProduct, NewVariant, ProductPatch};
pub use variants::VariantPatch;
pub use views::{CategoryNode, ProductCard, ProductDetail, SellerRef, VariantView};

use crate::actor::Actor;
use crate::{CoreError, Shop};
use souk_db::entity::category;
use souk_db::repo::catalogue::ProductFilter;
use souk_db::repo::{cards, catalogue, sellers};
use souk_domain::catalogue::{ListingSort, ProductStatus};
use souk_domain::marketplace::{SellerStatus, for_sale};
use souk_domain::paging::{Page, PageRequest};
use souk_domain::{FieldError, Validator};
use std::collections::HashMap;
use std::sync::Arc;

/// The longest search text read; the rest is ignored.
pub const SEARCH_MAX: usize = 200;

/// A listing request as a shopper or integrator sends it.
#[derive(Debug, Clone, Default)]
pub struct ProductQuery {
    pub q: Option<String>,
    /// Category id or slug; includes its subcategories.
    pub category: Option<String>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    pub in_stock: Option<bool>,
    /// Seller id or slug.
    pub seller: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// Staff only: restrict to one status (the store shows active only).
    pub status: Option<String>,
    /// Option values (name, value), such as ("size", "M"), that one variant
    /// must all have.
    pub options: Vec<(String, String)>,
}

/// The values of one option among a category's products, for filtering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionFacet {
    pub name: String,
    pub values: Vec<String>,
}

/// At most this many options can filter a listing at once.
const MAX_OPTION_FILTERS: usize = 5;
/// A facet shows at most this many values.
const MAX_FACET_VALUES: usize = 40;

/// Who is looking: the store shows active products only; staff and
/// sellers see every status (a seller its own products only, through
/// [`Shop::list_managed_products`] and [`Shop::managed_product`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Store,
    Staff,
}

impl Shop {
    /// One page of the shop's products for shoppers: active ones only.
    pub async fn list_products(&self, query: ProductQuery) -> Result<Page<ProductCard>, CoreError> {
        self.list_products_for(query, Audience::Store).await
    }

    /// One page of the products the actor manages, in every status: staff
    /// all of them, a seller its own (whatever seller the query names).
    pub async fn list_managed_products(
        &self,
        actor: &Actor,
        mut query: ProductQuery,
    ) -> Result<Page<ProductCard>, CoreError> {
        if let Some(seller) = actor.catalogue_scope()?.seller() {
            query.seller = Some(seller.to_string());
        }
        self.list_products_for(query, Audience::Staff).await
    }

    async fn list_products_for(
        &self,
        query: ProductQuery,
        audience: Audience,
    ) -> Result<Page<ProductCard>, CoreError> {
        let (filter, page) = self.parse_query(query, audience).await?;
        let db = self.db.conn();
        let known_total = self.cache.total(&filter);
        let found = catalogue::list_products(db, &filter, page, known_total).await?;
        if known_total.is_none() {
            self.cache.put_total(&filter, found.total);
        }
        let mut seller_ids: Vec<i64> = found.items.iter().filter_map(|p| p.seller_id).collect();
        seller_ids.sort_unstable();
        seller_ids.dedup();
        let by_id: HashMap<i64, SellerRef> = sellers::sellers_by_ids(db, &seller_ids)
            .await?
            .into_iter()
            .map(|s| (s.id, SellerRef::from(s)))
            .collect();
        let ids: Vec<i64> = found.items.iter().map(|p| p.id).collect();
        let single: HashMap<i64, i64> = cards::variant_tallies(db, &ids)
            .await?
            .into_iter()
            .filter(|t| t.variants == 1)
            .map(|t| (t.product_id, t.first_variant_id))
            .collect();
        let mut covers = self.cover_photos(&ids).await?;
        Ok(found.map(|summary| {
            let seller = summary.seller_id.and_then(|id| by_id.get(&id).cloned());
            let only_variant = single.get(&summary.id).copied();
            let cover = covers.remove(&summary.id);
            ProductCard {
                only_variant,
                cover,
                ..ProductCard::new(summary, seller)
            }
        }))
    }

    /// A product on sale, by id or slug, with its variants and their
    /// stock: drafts and archived products are not found.
    pub async fn get_product(&self, id_or_slug: &str) -> Result<ProductDetail, CoreError> {
        self.get_product_for(id_or_slug, Audience::Store).await
    }

    /// A product by id or slug for `audience`.
    pub(crate) async fn get_product_for(
        &self,
        id_or_slug: &str,
        audience: Audience,
    ) -> Result<ProductDetail, CoreError> {
        if audience == Audience::Store
            && let Some(cached) = self.cache.product(id_or_slug)
        {
            return Ok((*cached).clone());
        }
        let db = self.db.conn();
        let found = catalogue::find_product_with_refs(db, id_or_slug)
            .await?
            .filter(|p| {
                audience == Audience::Staff
                    || for_sale(&p.product.status, p.seller_status.as_deref())
            })
            .ok_or(CoreError::NotFound("product"))?;
        let variants = catalogue::variants_of(db, found.product.id).await?;
        let detail = ProductDetail::from_refs(found, variants)?;
        if audience == Audience::Store {
            self.cache.put_product(id_or_slug, Arc::new(detail.clone()));
        }
        Ok(detail)
    }

    /// Every category, from the cache when fresh.
    pub(crate) async fn all_categories(&self) -> Result<Arc<Vec<category::Model>>, CoreError> {
        if let Some(all) = self.cache.categories() {
            return Ok(all);
        }
        let all = Arc::new(catalogue::all_categories(self.db.conn()).await?);
        self.cache.put_categories(all.clone());
        Ok(all)
    }

    /// The options of the variants on sale in a category (and its
    /// subcategories), or in the whole catalogue for `None`, with their
    /// values, for the catalogue's filters.
    pub async fn option_facets(
        &self,
        category_id: Option<i64>,
    ) -> Result<Arc<Vec<OptionFacet>>, CoreError> {
        if let Some(found) = self.cache.facets(category_id) {
            return Ok(found);
        }
        let _refreshing = self.cache.facets_refresh.lock().await;
        if let Some(found) = self.cache.facets(category_id) {
            return Ok(found);
        }
        let ids = match category_id {
            Some(id) => {
                let all = self.all_categories().await?;
                let mut ids = vec![id];
                ids.extend(all.iter().filter(|c| c.parent_id == Some(id)).map(|c| c.id));
                Some(ids)
            }
            None => None,
        };
        let mut options: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
            Default::default();
        for set in catalogue::option_sets(self.db.conn(), ids.as_deref()).await? {
            let Ok(parsed) =
                serde_json::from_str::<std::collections::BTreeMap<String, String>>(&set)
            else {
                continue;
            };
            for (name, value) in parsed {
                let values = options.entry(name).or_default();
                if values.len() < MAX_FACET_VALUES {
                    values.insert(value);
                }
            }
        }
        let facets = Arc::new(
            options
                .into_iter()
                .map(|(name, values)| OptionFacet {
                    name,
                    values: values.into_iter().collect(),
                })
                .collect(),
        );
        self.cache.put_facets(category_id, Arc::clone(&facets));
        Ok(facets)
    }

    /// The category tree: top-level categories with their children.
    pub async fn category_tree(&self) -> Result<Vec<CategoryNode>, CoreError> {
        let all = self.all_categories().await?;
        Ok(CategoryNode::tree(all.as_ref().clone()))
    }

    async fn parse_query(
        &self,
        query: ProductQuery,
        audience: Audience,
    ) -> Result<(ProductFilter, PageRequest), CoreError> {
        let db = self.db.conn();
        let mut v = Validator::new();
        let page = match PageRequest::parse(query.page, query.per_page) {
            Ok(page) => page,
            Err((field, invalid)) => {
                v.push(invalid.at(field));
                PageRequest::default()
            }
        };
        let sort = match query
            .sort
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(sort) => v.check("sort", ListingSort::parse(sort)),
            None => None,
        };
        for (field, price) in [
            ("min_price", query.min_price),
            ("max_price", query.max_price),
        ] {
            if price.is_some_and(|p| p < 0) {
                v.push(FieldError::new(field, "must not be negative"));
            }
        }
        let status = match (audience, query.status.as_deref()) {
            (Audience::Store, _) => Some(ProductStatus::Active.as_str()),
            (Audience::Staff, None | Some("")) => None,
            (Audience::Staff, Some(raw)) => v
                .check("status", ProductStatus::parse(raw))
                .map(|s| s.as_str()),
        };
        if query.options.len() > MAX_OPTION_FILTERS {
            v.push(FieldError::new(
                "options",
                format!("at most {MAX_OPTION_FILTERS} options can filter at once"),
            ));
        }
        // What can be told from the query alone is told first.
        v.finish()?;
        let mut category_ids = None;
        if let Some(category) = query
            .category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            let all = self.all_categories().await?;
            let id = category.parse::<i64>().ok();
            match all.iter().find(|c| Some(c.id) == id || c.slug == category) {
                Some(found) => {
                    let mut ids = vec![found.id];
                    ids.extend(
                        all.iter()
                            .filter(|c| c.parent_id == Some(found.id))
                            .map(|c| c.id),
                    );
                    category_ids = Some(ids);
                }
                None => return Err(CoreError::NotFound("category")),
            }
        }
        let mut seller_id = None;
        if let Some(seller) = query
            .seller
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match sellers::find_seller(db, seller).await? {
                Some(found) => seller_id = Some(found.id),
                None => return Err(CoreError::NotFound("seller")),
            }
        }
        let options: Vec<(String, String)> = query
            .options
            .iter()
            .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
            .filter(|(name, value)| !name.is_empty() && !value.is_empty())
            .filter(|(name, value)| name.len() <= 50 && value.len() <= 100)
            .take(MAX_OPTION_FILTERS)
            .collect();
        let text = query
            .q
            .map(|q| q.trim().chars().take(SEARCH_MAX).collect::<String>())
            .filter(|q| !q.is_empty());
        let filter = ProductFilter {
            text,
            category_ids,
            min_price: query.min_price,
            max_price: query.max_price,
            in_stock: query.in_stock,
            seller_id,
            seller_status: (audience == Audience::Store).then_some(SellerStatus::Approved.as_str()),
            status,
            sort,
            options,
        };
        Ok((filter, page))
    }
}
