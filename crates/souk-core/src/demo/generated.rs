//! A large generated catalogue for benchmarks: believable names and
//! descriptions from word lists, spread over the demo categories.

use super::{Lcg, LoadedProduct, ProductRow, load, product_row, variant_row};
use crate::{CoreError, Shop};
use chrono::{Duration, Utc};
use souk_db::repo::{bulk, catalogue as catalogue_repo};
use souk_domain::text::Slug;
use std::collections::BTreeMap;

/// How many products to generate.
#[derive(Debug, Clone, Copy)]
pub struct BenchmarkSize {
    pub products: usize,
}

const ADJECTIVES: &[&str] = &[
    "Classic",
    "Everyday",
    "Heritage",
    "Lightweight",
    "Rugged",
    "Soft",
    "Organic",
    "Vintage",
    "Modern",
    "Compact",
    "Essential",
    "Premium",
    "Weekend",
    "Coastal",
    "Alpine",
    "Urban",
    "Handmade",
    "Relaxed",
    "Tailored",
    "Recycled",
];
const MATERIALS: &[&str] = &[
    "Merino",
    "Linen",
    "Cotton",
    "Canvas",
    "Leather",
    "Bamboo",
    "Stoneware",
    "Walnut",
    "Steel",
    "Wool",
    "Cashmere",
    "Denim",
    "Ceramic",
    "Oak",
    "Copper",
    "Hemp",
];
const NOUNS: &[&str] = &[
    "Sweater", "Shirt", "Jacket", "Tote", "Backpack", "Mug", "Bowl", "Blanket", "Scarf", "Beanie",
    "Skillet", "Teapot", "Lamp", "Notebook", "Wallet", "Boots", "Cap", "Apron", "Tray", "Bottle",
];
const SENTENCES: &[&str] = &[
    "Made in small batches by people who care about the details.",
    "Built to be used every day and to get better with age.",
    "Easy to care for: wipe clean or wash gently by hand.",
    "A thoughtful gift that will be used for years.",
    "Designed with clean lines that suit any home.",
    "Packed in recycled materials and shipped plastic-free.",
    "Each piece varies slightly, which is part of its charm.",
    "Comfortable from the first day, with no breaking in needed.",
];
const SIZES: &[&str] = &["XS", "S", "M", "L", "XL"];

impl Shop {
    /// Adds `size.products` generated products (about three variants each)
    /// to the demo categories, seeding the demo shop first if needed.
    pub async fn seed_benchmark(
        &self,
        size: BenchmarkSize,
    ) -> Result<super::SeedReport, CoreError> {
        if self.catalogue_is_empty().await? {
            self.seed_demo().await?;
        }
        let leaves: Vec<i64> = catalogue_repo::all_categories(self.db.conn())
            .await?
            .into_iter()
            .filter(|c| c.parent_id.is_some())
            .map(|c| c.id)
            .collect();
        let currency = self.config.currency.to_string();
        let mut report = super::SeedReport::default();
        let mut rng = Lcg(42);
        let batch = 5_000;
        let mut done = 0;
        while done < size.products {
            let n = batch.min(size.products - done);
            let txn = self.db.begin_write().await?;
            let mut next_product = bulk::next_id(&txn, "products").await?;
            let mut next_variant = bulk::next_id(&txn, "variants").await?;
            let now = Utc::now();
            let mut loaded = Vec::with_capacity(n);
            for _ in 0..n {
                let name = format!(
                    "{} {} {} No. {}",
                    ADJECTIVES[rng.below(ADJECTIVES.len() as u64) as usize],
                    MATERIALS[rng.below(MATERIALS.len() as u64) as usize],
                    NOUNS[rng.below(NOUNS.len() as u64) as usize],
                    next_product
                );
                let description = (0..3)
                    .map(|_| SENTENCES[rng.below(SENTENCES.len() as u64) as usize])
                    .collect::<Vec<_>>()
                    .join(" ");
                let Some(slug) = Slug::from_name(&name) else {
                    continue;
                };
                let price = 500 + rng.below(300) as i64 * 50;
                let variant_count = 1 + rng.below(5) as usize;
                let out_of_stock = rng.below(20) == 0;
                let variants = (0..variant_count)
                    .map(|position| {
                        let options =
                            BTreeMap::from([("size".to_owned(), SIZES[position].to_owned())]);
                        let row = variant_row(
                            next_variant,
                            next_product,
                            &slug,
                            position,
                            &options,
                            price + position as i64 * 100,
                            &currency,
                            now,
                        );
                        next_variant += 1;
                        (
                            row,
                            if out_of_stock {
                                0
                            } else {
                                rng.below(200) as i64
                            },
                        )
                    })
                    .collect();
                loaded.push(LoadedProduct {
                    product: product_row(ProductRow {
                        id: next_product,
                        slug: slug.into_inner(),
                        name: &name,
                        description: &description,
                        category_id: leaves.get(rng.below(leaves.len() as u64) as usize).copied(),
                        seller_id: None,
                        currency: &currency,
                        units_sold: rng.below(10_000) as i64,
                        created_at: now - Duration::seconds(rng.below(86_400 * 365) as i64),
                    }),
                    variants,
                });
                next_product += 1;
            }
            report.products += loaded.len();
            report.variants += loaded.iter().map(|p| p.variants.len()).sum::<usize>();
            load(&txn, loaded, now).await?;
            txn.commit().await?;
            self.cache.products_changed();
            done += n;
            tracing::info!(done, total = size.products, "benchmark catalogue");
        }
        self.db.analyze().await?;
        Ok(report)
    }
}
