//! Wishlists: a signed-in shopper keeps products (or one variant of a
//! product) for later; when a kept variant that was sold out can be bought
//! again, the shopper gets one e-mail. The periodic job
//! [`NOTIFY_RESTOCKS`] looks for both.

use crate::actor::Actor;
use crate::mail::OutgoingEmail;
use crate::{CoreError, Shop};
use chrono::{DateTime, Utc};
use souk_db::repo::catalogue;
use souk_db::repo::wishlists::{self, MAX_ENTRIES, Restocked, WishlistRow};
use souk_domain::marketplace::for_sale;
use souk_domain::{Currency, FieldError, Money};
use std::collections::BTreeMap;

/// The job that marks kept entries sold out and writes to those whose
/// entries are back in stock.
pub const NOTIFY_RESTOCKS: &str = "notify_restocks";
/// The most items one wishlist holds.
pub const MAX_ITEMS: u64 = MAX_ENTRIES;
/// Entries written about per run.
const RESTOCK_BATCH: u64 = 500;

/// An entry of a wishlist as its owner sees it.
#[derive(Debug, Clone)]
pub struct WishlistEntry {
    pub id: i64,
    pub product_id: i64,
    pub product_slug: String,
    pub product_name: String,
    /// The variant kept, if one was chosen.
    pub variant_id: Option<i64>,
    pub sku: Option<String>,
    pub options: BTreeMap<String, String>,
    /// The variant's price, or the product's lowest.
    pub price: Money,
    /// The product's prices differ and no variant was chosen: "from".
    pub from: bool,
    /// Whether it can be bought now.
    pub in_stock: bool,
    /// Whether the product is still for sale at all.
    pub for_sale: bool,
    pub created_at: DateTime<Utc>,
}

impl WishlistEntry {
    fn new(row: WishlistRow) -> Self {
        let currency = Currency::parse(&row.currency).unwrap_or(Currency::USD);
        let for_sale = for_sale(&row.product_status, row.seller_status.as_deref());
        let options = row
            .options
            .as_deref()
            .and_then(|o| serde_json::from_str(o).ok())
            .unwrap_or_default();
        let in_stock = match row.variant_id {
            Some(_) => row.available.unwrap_or(0) > 0,
            None => row.product_in_stock,
        };
        Self {
            id: row.id,
            product_id: row.product_id,
            product_slug: row.product_slug,
            product_name: row.product_name,
            variant_id: row.variant_id,
            sku: row.sku,
            options,
            price: Money::new(row.price.unwrap_or(row.min_price), currency),
            from: row.price.is_none() && row.min_price != row.max_price,
            in_stock: in_stock && for_sale,
            for_sale,
            created_at: row.created_at,
        }
    }
}

/// What the signed-in actor is, for its wishlist: 401 for a guest.
fn owner(actor: &Actor) -> Result<i64, CoreError> {
    actor
        .user_id()
        .map(|u| u.0)
        .ok_or(CoreError::Unauthenticated("Sign in to keep a wishlist."))
}

impl Shop {
    /// The actor's wishlist, newest first.
    pub async fn wishlist(&self, actor: &Actor) -> Result<Vec<WishlistEntry>, CoreError> {
        let user = owner(actor)?;
        let rows = wishlists::list(self.db.conn(), user).await?;
        Ok(rows.into_iter().map(WishlistEntry::new).collect())
    }

    /// The actor's entries for one product (the product page's heart);
    /// none for a guest.
    pub async fn wishlist_entries_of(
        &self,
        actor: &Actor,
        product_id: i64,
    ) -> Result<Vec<(i64, Option<i64>)>, CoreError> {
        let Some(user) = actor.user_id() else {
            return Ok(Vec::new());
        };
        let found = wishlists::of_product(self.db.conn(), user.0, product_id).await?;
        Ok(found.into_iter().map(|w| (w.id, w.variant_id)).collect())
    }

    /// Keeps a product for sale, or one of its variants, on the actor's
    /// wishlist; keeping it again changes nothing. The entry, and whether
    /// it is new. A product not for sale or a variant of another product is
    /// 404; a full wishlist is 409.
    pub async fn add_to_wishlist(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        variant_id: Option<i64>,
    ) -> Result<(WishlistEntry, bool), CoreError> {
        let user = owner(actor)?;
        let txn = self.db.begin_write().await?;
        let product = catalogue::find_product_with_refs(&txn, id_or_slug)
            .await?
            .filter(|p| for_sale(&p.product.status, p.seller_status.as_deref()))
            .ok_or(CoreError::NotFound("product"))?
            .product;
        let sold_out = match variant_id {
            Some(id) => {
                let variant = catalogue::find_variant(&txn, id)
                    .await?
                    .filter(|v| v.product_id == product.id)
                    .ok_or(CoreError::NotFound("variant"))?;
                variant.stock_on_hand - variant.stock_reserved <= 0
            }
            None => !product.in_stock,
        };
        let existing = wishlists::find_entry(&txn, user, product.id, variant_id).await?;
        let created = existing.is_none();
        if created {
            if wishlists::count(&txn, user).await? >= MAX_ENTRIES {
                return Err(CoreError::Clash(vec![FieldError::new(
                    "product_id",
                    format!("your wishlist holds {MAX_ENTRIES} items at most; remove one first"),
                )]));
            }
            wishlists::insert(&txn, user, product.id, variant_id, sold_out, Utc::now())
                .await
                .map_err(|err| crate::catalogue::unique_conflict(err, "product_id"))?;
        }
        let entry = wishlists::find_entry(&txn, user, product.id, variant_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the wishlist entry just written is missing"))?;
        txn.commit().await?;
        let listed = wishlists::list(self.db.conn(), user)
            .await?
            .into_iter()
            .find(|row| row.id == entry.id)
            .ok_or_else(|| anyhow::anyhow!("the wishlist entry just written is missing"))?;
        Ok((WishlistEntry::new(listed), created))
    }

    /// Takes an entry off the actor's wishlist; another's is 404.
    pub async fn remove_from_wishlist(&self, actor: &Actor, id: i64) -> Result<(), CoreError> {
        let user = owner(actor)?;
        if wishlists::remove(self.db.conn(), user, id).await? {
            Ok(())
        } else {
            Err(CoreError::NotFound("wishlist item"))
        }
    }

    /// The periodic job: marks kept entries that are sold out now, and
    /// writes once to each shopper whose waiting entries can be bought
    /// again; how many entries were written about.
    pub async fn notify_restocks(&self) -> Result<usize, CoreError> {
        let txn = self.db.begin_write().await?;
        wishlists::mark_sold_out(&txn).await?;
        let back = wishlists::restocked(&txn, RESTOCK_BATCH).await?;
        let shop_name = self.site_settings().await?.shop_name.clone();
        let mut by_account: BTreeMap<i64, Vec<&Restocked>> = BTreeMap::new();
        for entry in &back {
            by_account.entry(entry.user_id).or_default().push(entry);
        }
        for entries in by_account.values() {
            let message = self.back_in_stock_email(&shop_name, entries);
            crate::mail::enqueue(&txn, &message).await?;
        }
        let ids: Vec<i64> = back.iter().map(|e| e.id).collect();
        wishlists::clear_waiting(&txn, &ids).await?;
        txn.commit().await?;
        Ok(back.len())
    }

    fn back_in_stock_email(&self, shop_name: &str, entries: &[&Restocked]) -> OutgoingEmail {
        let base = self.config.public_url.trim_end_matches('/');
        let mut text =
            String::from("Good news: something on your wishlist can be bought again.\n\n");
        for entry in entries {
            let options = entry
                .options
                .as_deref()
                .and_then(|o| serde_json::from_str::<BTreeMap<String, String>>(o).ok())
                .map(|o| {
                    o.into_iter()
                        .map(|(name, value)| format!("{name}: {value}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .filter(|o| !o.is_empty())
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            text.push_str(&format!(
                "- {}{options}\n  {base}/products/{}\n",
                entry.product_name, entry.product_slug
            ));
        }
        text.push_str(&format!(
            "\nStock is limited; it is not held for you.\nYour wishlist: {base}/account/wishlist\n\n{shop_name}\n"
        ));
        let subject = match entries {
            [one] => format!("Back in stock: {}", one.product_name),
            _ => format!("{} items on your wishlist are back in stock", entries.len()),
        };
        OutgoingEmail {
            to: entries.first().map(|e| e.email.clone()).unwrap_or_default(),
            subject,
            text,
        }
    }
}
