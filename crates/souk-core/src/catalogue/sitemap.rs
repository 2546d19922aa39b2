//! What the shop offers search engines: the products on sale, the
//! categories and the sellers' shops, in files of at most
//! [`SITEMAP_FILE_MAX`] addresses, each read as one bounded query.

use crate::{CoreError, Shop};
use chrono::{DateTime, Utc};
use souk_db::repo::sitemap;
use souk_domain::catalogue::ProductStatus;
use souk_domain::marketplace::SellerStatus;

/// The most addresses one sitemap file lists. The protocol allows 50,000;
/// fewer keeps each file's query and answer small.
pub const SITEMAP_FILE_MAX: u64 = 10_000;

/// How many files of each kind the sitemap has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapFiles {
    /// Files of products (at least one, maybe empty).
    pub products: u64,
    /// Files of sellers' shops (none without sellers).
    pub sellers: u64,
}

/// A page listed in the sitemap: its slug and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub slug: String,
    pub updated_at: DateTime<Utc>,
}

impl From<sitemap::SitemapEntry> for Listed {
    fn from(entry: sitemap::SitemapEntry) -> Self {
        Self {
            slug: entry.slug,
            updated_at: entry.updated_at,
        }
    }
}

fn files(count: u64) -> u64 {
    count.div_ceil(SITEMAP_FILE_MAX)
}

/// The first row of file `file` (counted from 1), if the file exists.
fn offset(file: u64, files: u64) -> Result<u64, CoreError> {
    if file == 0 || file > files {
        return Err(CoreError::NotFound("sitemap"));
    }
    Ok((file - 1) * SITEMAP_FILE_MAX)
}

/// Products on sale are active, of the shop or of an approved seller.
fn for_sale() -> (&'static str, &'static str) {
    (
        ProductStatus::Active.as_str(),
        SellerStatus::Approved.as_str(),
    )
}

impl Shop {
    /// How many sitemap files of products and of sellers there are.
    pub async fn sitemap_files(&self) -> Result<SitemapFiles, CoreError> {
        let db = self.db.conn();
        let (active, approved) = for_sale();
        let products = sitemap::count_listed_products(db, active, approved).await?;
        let sellers = sitemap::count_sellers(db, approved).await?;
        Ok(SitemapFiles {
            products: files(products).max(1),
            sellers: files(sellers),
        })
    }

    /// The products on sale (active, and the shop's own or of an approved
    /// seller) of sitemap file `file`, counted from 1; a file past the
    /// last is not found.
    pub async fn sitemap_products(&self, file: u64) -> Result<Vec<Listed>, CoreError> {
        let files = self.sitemap_files().await?;
        let from = offset(file, files.products)?;
        let (active, approved) = for_sale();
        let rows =
            sitemap::listed_products(self.db.conn(), active, approved, from, SITEMAP_FILE_MAX)
                .await?;
        Ok(rows.into_iter().map(Listed::from).collect())
    }

    /// The approved sellers' shops of sitemap file `file`, counted from 1.
    pub async fn sitemap_sellers(&self, file: u64) -> Result<Vec<Listed>, CoreError> {
        let files = self.sitemap_files().await?;
        let from = offset(file, files.sellers)?;
        let (_, approved) = for_sale();
        let rows = sitemap::sellers(self.db.conn(), approved, from, SITEMAP_FILE_MAX).await?;
        Ok(rows.into_iter().map(Listed::from).collect())
    }

    /// Every category.
    pub async fn sitemap_categories(&self) -> Result<Vec<Listed>, CoreError> {
        let rows = sitemap::categories(self.db.conn()).await?;
        Ok(rows.into_iter().map(Listed::from).collect())
    }
}
