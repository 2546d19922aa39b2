//! The demo shop that a fresh database starts with, and a large generated
//! catalogue for benchmarks.

mod catalogue;
mod generated;
mod marketplace;
mod orders;
mod photos;
mod reviews;
mod volume;

use crate::{CoreError, Shop, site};
use chrono::{DateTime, Duration, Utc};
use souk_db::ActiveValue::Set;
use souk_db::entity::{product, stock_movement, variant};
use souk_db::repo::accounts::NewUser;
use souk_db::repo::catalogue::CategoryFields;
use souk_db::repo::sellers::{self, SellerProfile};
use souk_db::repo::settings;
use souk_db::repo::shipping::{self, ShippingFields};
use souk_db::repo::{accounts, bulk, catalogue as catalogue_repo};
use souk_domain::catalogue::VariantOptions;
use souk_domain::identity::Role;
use souk_domain::marketplace::SellerStatus;
use souk_domain::text::Slug;
use std::collections::{BTreeMap, HashMap};

pub use generated::BenchmarkSize;

/// What a seeding run wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub categories: usize,
    pub sellers: usize,
    pub products: usize,
    pub variants: usize,
}

/// The password hash of an account that cannot sign in until someone sets
/// a password (`souk user create` on its email).
pub(super) const NO_PASSWORD: &str = "!";

/// What the demo sellers are paid to; shown to staff and the seller only.
pub(super) const DEMO_PAYOUT_DETAILS: &str = "Demo bank, account ending 0000";

/// The demo shop's shipping methods: name, price, free from.
const DEMO_SHIPPING: [(&str, i64, Option<i64>); 3] = [
    ("Standard delivery (3-5 days)", 495, Some(5000)),
    ("Express delivery (next day)", 1295, None),
    ("Collect from the shop", 0, None),
];

/// The demo shop's about page, in paragraphs.
const DEMO_ABOUT: &str =
    "We are a small team that started with one market stall and a belief that \
everyday things should be made well, sold honestly and built to last.

Everything here is chosen by hand: clothing in natural fibres, kitchenware that goes from the \
hob to the table, furniture and homeware for small rooms, and the tools and gadgets we use \
ourselves. Next to our own range you will find independent makers who sell with us, such as \
Northwind Ceramics, Ridgeline Outfitters and Copper Kettle Tea Co.; each ships its own parcels.

Orders placed before 2 pm leave the same working day, standard delivery is free on larger \
orders, and you have 30 days to send anything back in its original condition.

Questions about an order, a size or a product? Write to us and a person answers within one \
working day.";

/// Where the demo shop's shoppers write to.
const DEMO_CONTACT: &str = "hello@example.com";

/// At most this many variants per demo product.
const MAX_DEMO_VARIANTS: usize = 6;

/// One product ready to load: its row, its variants and their opening stock.
pub(crate) struct LoadedProduct {
    pub product: product::ActiveModel,
    pub variants: Vec<(variant::ActiveModel, i64)>,
}

impl Shop {
    /// Whether the catalogue is empty (a fresh database).
    pub async fn catalogue_is_empty(&self) -> Result<bool, CoreError> {
        Ok(catalogue_repo::count_products(self.db.conn()).await? == 0)
    }

    /// Writes the demo shop: categories, approved sellers (with accounts
    /// that have no password yet), one application to sell waiting for
    /// review, and products with variants and stock. Refuses a
    /// catalogue that is not empty.
    pub async fn seed_demo(&self) -> Result<SeedReport, CoreError> {
        if !self.catalogue_is_empty().await? {
            return Err(CoreError::Conflict(
                "The catalogue is not empty; the demo data goes into an empty shop only.".into(),
            ));
        }
        let txn = self.db.begin_write().await?;
        let mut categories = HashMap::new();
        for (position, seed) in catalogue::CATEGORIES.iter().enumerate() {
            let parent_id = seed.parent.and_then(|slug| categories.get(slug).copied());
            let created = catalogue_repo::insert_category(
                &txn,
                CategoryFields {
                    parent_id,
                    name: seed.name.to_owned(),
                    slug: seed.slug.to_owned(),
                    description: seed.description.to_owned(),
                    position: position as i32,
                },
            )
            .await?;
            categories.insert(seed.slug, created.id);
        }
        let mut seller_ids = HashMap::new();
        for seed in catalogue::SELLERS {
            let user = match accounts::find_user_by_email(&txn, seed.email).await? {
                Some(user) => user,
                None => {
                    let new = NewUser {
                        email: seed.email,
                        password_hash: NO_PASSWORD,
                        name: seed.name,
                        role: Role::Seller.as_str(),
                    };
                    accounts::insert_user(&txn, new).await?
                }
            };
            let profile = SellerProfile {
                name: seed.name,
                slug: seed.slug,
                description: seed.description,
                contact_email: seed.email,
                payout_details: DEMO_PAYOUT_DETAILS,
            };
            let approved = SellerStatus::Approved.as_str();
            let seller =
                sellers::insert_seller(&txn, Some(user.id), profile, approved, Utc::now()).await?;
            seller_ids.insert(seed.slug, seller.id);
        }
        marketplace::seed(&txn, &seller_ids, &categories).await?;

        let currency = self.config.currency.to_string();
        if shipping::list(&txn, None, false).await?.is_empty() {
            for (position, (name, price, free_above)) in DEMO_SHIPPING.iter().enumerate() {
                let fields = ShippingFields {
                    seller_id: None,
                    name: (*name).to_owned(),
                    price: *price,
                    currency: currency.clone(),
                    free_above: *free_above,
                    active: true,
                    position: position as i32,
                };
                shipping::insert(&txn, fields).await?;
            }
        }
        marketplace::seed_seller_shipping(&txn, &seller_ids, &currency).await?;
        let now = Utc::now();
        let mut next_product = bulk::next_id(&txn, "products").await?;
        let mut next_variant = bulk::next_id(&txn, "variants").await?;
        let count = catalogue::PRODUCTS.len();
        let mut loaded = Vec::with_capacity(count);
        for (i, seed) in catalogue::PRODUCTS.iter().enumerate() {
            let Some(slug) = Slug::from_name(seed.name) else {
                continue;
            };
            let mut rng = Lcg(i as u64 * 7919 + 17);
            let out_of_stock = i % 11 == 5;
            let combos = combinations(seed.options);
            let variants = combos
                .into_iter()
                .take(MAX_DEMO_VARIANTS)
                .enumerate()
                .map(|(position, options)| {
                    let id = next_variant;
                    next_variant += 1;
                    let stock = if out_of_stock {
                        0
                    } else {
                        3 + rng.below(60) as i64
                    };
                    let row = variant_row(
                        id,
                        next_product,
                        &slug,
                        position,
                        &options,
                        seed.price,
                        &currency,
                        now,
                    );
                    (row, stock)
                })
                .collect();
            loaded.push(LoadedProduct {
                product: product_row(ProductRow {
                    id: next_product,
                    slug: slug.into_inner(),
                    name: seed.name,
                    description: seed.description,
                    category_id: categories.get(seed.category).copied(),
                    seller_id: seed.seller.and_then(|s| seller_ids.get(s).copied()),
                    currency: &currency,
                    units_sold: rng.below(500) as i64,
                    created_at: now - Duration::hours((count - i) as i64),
                }),
                variants,
            });
            next_product += 1;
        }
        let report = SeedReport {
            categories: categories.len(),
            sellers: seller_ids.len(),
            products: loaded.len(),
            variants: loaded.iter().map(|p| p.variants.len()).sum(),
        };
        load(&txn, loaded, now).await?;
        settings::set(&txn, site::ABOUT, DEMO_ABOUT).await?;
        settings::set(&txn, site::CONTACT_EMAIL, DEMO_CONTACT).await?;
        txn.commit().await?;
        self.cache.categories_changed();
        self.cache.site_changed();
        self.db.analyze().await?;
        Ok(report)
    }
}

/// Loads products in one go and brings their price range and availability
/// in step with their variants.
pub(crate) async fn load(
    txn: &souk_db::WriteTxn,
    loaded: Vec<LoadedProduct>,
    now: DateTime<Utc>,
) -> Result<(), CoreError> {
    let mut next_movement = bulk::next_id(txn, "stock_movements").await?;
    let mut products = Vec::with_capacity(loaded.len());
    let mut variants = Vec::new();
    let mut movements = Vec::new();
    for mut item in loaded {
        let prices: Vec<i64> = item
            .variants
            .iter()
            .map(|(v, _)| *v.price.as_ref())
            .collect();
        item.product.min_price = Set(prices.iter().copied().min().unwrap_or(0));
        item.product.max_price = Set(prices.iter().copied().max().unwrap_or(0));
        item.product.in_stock = Set(item.variants.iter().any(|(_, stock)| *stock > 0));
        products.push(item.product);
        for (mut row, stock) in item.variants {
            row.stock_on_hand = Set(stock);
            if stock > 0 {
                movements.push(stock_movement::ActiveModel {
                    id: Set(next_movement),
                    variant_id: row.id.clone(),
                    delta: Set(stock),
                    stock_after: Set(stock),
                    reason: Set("opening stock".to_owned()),
                    actor_id: Set(None),
                    created_at: Set(now),
                });
                next_movement += 1;
            }
            variants.push(row);
        }
    }
    bulk::insert_catalogue(txn, products, variants, movements).await?;
    bulk::reset_id_sequences(txn).await?;
    Ok(())
}

pub(crate) struct ProductRow<'a> {
    pub id: i64,
    pub slug: String,
    pub name: &'a str,
    pub description: &'a str,
    pub category_id: Option<i64>,
    pub seller_id: Option<i64>,
    pub currency: &'a str,
    pub units_sold: i64,
    pub created_at: DateTime<Utc>,
}

pub(crate) fn product_row(p: ProductRow<'_>) -> product::ActiveModel {
    product::ActiveModel {
        id: Set(p.id),
        seller_id: Set(p.seller_id),
        category_id: Set(p.category_id),
        name: Set(p.name.to_owned()),
        slug: Set(p.slug),
        description: Set(p.description.to_owned()),
        status: Set("active".to_owned()),
        currency: Set(p.currency.to_owned()),
        min_price: Set(0),
        max_price: Set(0),
        in_stock: Set(false),
        units_sold: Set(p.units_sold),
        review_count: Set(0),
        rating_sum: Set(0),
        rating_score: Set(0),
        created_at: Set(p.created_at),
        updated_at: Set(p.created_at),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn variant_row(
    id: i64,
    product_id: i64,
    slug: &Slug,
    position: usize,
    options: &BTreeMap<String, String>,
    price: i64,
    currency: &str,
    now: DateTime<Utc>,
) -> variant::ActiveModel {
    let stem: String = slug
        .as_str()
        .to_ascii_uppercase()
        .chars()
        .take(40)
        .collect();
    let options = VariantOptions::parse(options)
        .map(|o| o.to_json())
        .unwrap_or_else(|_| "{}".to_owned());
    variant::ActiveModel {
        id: Set(id),
        product_id: Set(product_id),
        sku: Set(format!("{stem}-{}", position + 1)),
        options: Set(options),
        price: Set(price),
        currency: Set(currency.to_owned()),
        stock_on_hand: Set(0),
        stock_reserved: Set(0),
        position: Set(position as i32),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Every combination of option values, in order: sizes S, M, L with
/// colours Black, Navy give S/Black, S/Navy, M/Black...
pub(crate) fn combinations(options: &[(&str, &[&str])]) -> Vec<BTreeMap<String, String>> {
    let mut combos = vec![BTreeMap::new()];
    for (name, values) in options {
        combos = combos
            .into_iter()
            .flat_map(|combo| {
                values.iter().map(move |value| {
                    let mut next = combo.clone();
                    next.insert((*name).to_owned(), (*value).to_owned());
                    next
                })
            })
            .collect();
    }
    combos
}

/// A tiny deterministic generator, so that the demo shop is the same on
/// every machine.
pub(crate) struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_multiply_out() {
        let combos = combinations(&[("size", &["S", "M"]), ("colour", &["Black", "Navy", "Red"])]);
        assert_eq!(combos.len(), 6);
        assert_eq!(combos[1]["colour"], "Navy");
        assert_eq!(combinations(&[]).len(), 1);
    }

    #[test]
    fn demo_data_is_consistent() {
        let slugs: Vec<_> = catalogue::CATEGORIES.iter().map(|c| c.slug).collect();
        assert!(catalogue::CATEGORIES.len() >= 8);
        for category in catalogue::CATEGORIES {
            if let Some(parent) = category.parent {
                let parent = catalogue::CATEGORIES
                    .iter()
                    .find(|c| c.slug == parent)
                    .expect("parent exists");
                assert!(parent.parent.is_none(), "two levels only");
            }
        }
        assert!(catalogue::PRODUCTS.len() >= 60);
        let mut names = std::collections::HashSet::new();
        for product in catalogue::PRODUCTS {
            assert!(names.insert(product.name), "{} twice", product.name);
            assert!(
                slugs.contains(&product.category),
                "{} has unknown category",
                product.name
            );
            assert!(Slug::from_name(product.name).is_some());
            if let Some(seller) = product.seller {
                assert!(catalogue::SELLERS.iter().any(|s| s.slug == seller));
            }
        }
    }
}
