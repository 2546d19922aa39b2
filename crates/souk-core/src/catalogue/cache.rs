//! Short-lived copies of what the store reads most: listing totals,
//! product pages, the category tree and option facets. Writes made through this process
//! drop them at once; writes made by other nodes show after at most the
//! freshness window. Stock is checked again, authoritatively, whenever a
//! cart or a checkout takes units.

use super::{OptionFacet, ProductDetail};
use crate::site::SiteSettings;
use souk_db::entity::category;
use souk_db::repo::catalogue::ProductFilter;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A listing total is reused this long: counting every matching product
/// for each page costs more than the page itself.
const TOTALS_FRESH_FOR: Duration = Duration::from_secs(10);
/// A product page is reused this long.
const PRODUCTS_FRESH_FOR: Duration = Duration::from_secs(2);
/// The category tree is reused this long.
const CATEGORIES_FRESH_FOR: Duration = Duration::from_secs(30);
/// Option facets are reused this long. They change only when products or
/// variants do (stock and orders leave them be); on a large catalogue
/// working them out reads every variant.
const FACETS_FRESH_FOR: Duration = Duration::from_secs(30);
/// The shop's words are reused this long.
const SITE_FRESH_FOR: Duration = Duration::from_secs(30);
/// Beyond this many entries a map starts again empty.
const CAPACITY: usize = 20_000;

struct Fresh<K, V> {
    entries: Mutex<HashMap<K, (V, Instant)>>,
    fresh_for: Duration,
}

impl<K: Eq + Hash, V: Clone> Fresh<K, V> {
    fn new(fresh_for: Duration) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            fresh_for,
        }
    }

    fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(key)
            .filter(|(_, at)| at.elapsed() < self.fresh_for)
            .map(|(v, _)| v.clone())
    }

    fn put(&self, key: K, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(key, (value, Instant::now()));
        }
    }

    fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

/// The store's read copies.
pub(crate) struct CatalogueCache {
    totals: Fresh<String, u64>,
    products: Fresh<String, Arc<ProductDetail>>,
    categories: Fresh<(), Arc<Vec<category::Model>>>,
    site: Fresh<(), Arc<SiteSettings>>,
    /// By category; `None` for the whole catalogue.
    facets: Fresh<Option<i64>, Arc<Vec<OptionFacet>>>,
    /// Held while facets are worked out, so that the requests that find
    /// them missing wait for one query instead of each running it.
    pub(crate) facets_refresh: tokio::sync::Mutex<()>,
}

impl Default for CatalogueCache {
    fn default() -> Self {
        Self {
            totals: Fresh::new(TOTALS_FRESH_FOR),
            products: Fresh::new(PRODUCTS_FRESH_FOR),
            categories: Fresh::new(CATEGORIES_FRESH_FOR),
            site: Fresh::new(SITE_FRESH_FOR),
            facets: Fresh::new(FACETS_FRESH_FOR),
            facets_refresh: tokio::sync::Mutex::new(()),
        }
    }
}

fn totals_key(filter: &ProductFilter) -> String {
    // The order does not change how many there are.
    let unordered = ProductFilter {
        sort: None,
        ..filter.clone()
    };
    format!("{unordered:?}")
}

impl CatalogueCache {
    /// The total for `filter`, if counted recently.
    pub fn total(&self, filter: &ProductFilter) -> Option<u64> {
        self.totals.get(&totals_key(filter))
    }

    /// Remembers the total for `filter`.
    pub fn put_total(&self, filter: &ProductFilter, total: u64) {
        self.totals.put(totals_key(filter), total);
    }

    /// A product page for the store, by the id or slug it was asked by.
    pub fn product(&self, id_or_slug: &str) -> Option<Arc<ProductDetail>> {
        self.products.get(&id_or_slug.to_owned())
    }

    /// Remembers a store product page.
    pub fn put_product(&self, id_or_slug: &str, detail: Arc<ProductDetail>) {
        self.products.put(id_or_slug.to_owned(), detail);
    }

    /// Every category, if read recently.
    pub fn categories(&self) -> Option<Arc<Vec<category::Model>>> {
        self.categories.get(&())
    }

    /// Remembers every category.
    pub fn put_categories(&self, all: Arc<Vec<category::Model>>) {
        self.categories.put((), all);
    }

    /// Stock or orders changed in this process.
    pub fn catalogue_changed(&self) {
        self.totals.clear();
        self.products.clear();
    }

    /// Products or variants themselves changed in this process.
    pub fn products_changed(&self) {
        self.facets.clear();
        self.catalogue_changed();
    }

    /// The option facets of a category (`None`: of the whole catalogue),
    /// if worked out recently.
    pub fn facets(&self, category_id: Option<i64>) -> Option<Arc<Vec<OptionFacet>>> {
        self.facets.get(&category_id)
    }

    pub fn put_facets(&self, category_id: Option<i64>, facets: Arc<Vec<OptionFacet>>) {
        self.facets.put(category_id, facets);
    }

    /// Categories changed in this process.
    pub fn categories_changed(&self) {
        self.categories.clear();
        self.products_changed();
    }

    /// The shop's words, if read recently.
    pub fn site(&self) -> Option<Arc<SiteSettings>> {
        self.site.get(&())
    }

    pub fn put_site(&self, site: Arc<SiteSettings>) {
        self.site.put((), site);
    }

    /// Staff changed the shop's words.
    pub fn site_changed(&self) {
        self.site.clear();
    }
}
