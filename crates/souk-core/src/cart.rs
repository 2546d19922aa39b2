//! The cart: a guest's, addressed by a token the client keeps, or a
//! customer's, one per account. Prices are always the catalogue's.

use crate::auth::Caller;
use crate::{CoreError, Shop};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};
use souk_db::WriteTxn;
use souk_db::entity::cart;
use souk_db::repo::carts::{self, CartLine};
use souk_db::repo::catalogue;
use souk_domain::marketplace::for_sale;
use souk_domain::orders::{MAX_LINE_QUANTITY, parse_quantity};
use souk_domain::{Currency, FieldError, Money};
use std::collections::BTreeMap;

/// Whose cart a request is about.
#[derive(Debug, Clone)]
pub enum CartOwner {
    /// A signed-in customer's one cart.
    Customer(Caller),
    /// A guest's cart, by the token from `X-Cart-Token` (if the client has one).
    Guest(Option<String>),
}

/// A cart line as the shopper sees it.
#[derive(Debug, Clone)]
pub struct CartLineView {
    pub id: i64,
    pub variant_id: i64,
    pub product_id: i64,
    pub product_name: String,
    pub product_slug: String,
    /// Who sells and ships it: `None` for the shop's own products.
    pub seller_id: Option<i64>,
    pub seller_name: Option<String>,
    pub sku: String,
    pub options: BTreeMap<String, String>,
    pub quantity: i64,
    pub unit_price: Money,
    pub line_total: Money,
    pub stock_available: i64,
    /// Whether the product is still for sale.
    pub purchasable: bool,
}

/// A cart with its lines and totals.
#[derive(Debug, Clone)]
pub struct CartView {
    /// `None` while the shopper has no cart yet.
    pub id: Option<i64>,
    pub items: Vec<CartLineView>,
    pub item_count: i64,
    pub subtotal: Money,
    pub total: Money,
    /// The token of a guest cart created by this request; the client sends
    /// it back as `X-Cart-Token`.
    pub new_token: Option<String>,
}

/// The lines one seller (or the shop) sells and ships: one parcel.
#[derive(Debug, Clone)]
pub struct CartGroup<'a> {
    pub seller_id: Option<i64>,
    /// `None`: the shop's own products.
    pub seller_name: Option<&'a str>,
    pub lines: Vec<&'a CartLineView>,
}

impl CartView {
    /// The lines by who ships them, the shop's own first, then each seller
    /// in the order its first line was added.
    pub fn groups(&self) -> Vec<CartGroup<'_>> {
        let mut groups: Vec<CartGroup<'_>> = Vec::new();
        for line in &self.items {
            match groups.iter_mut().find(|g| g.seller_id == line.seller_id) {
                Some(group) => group.lines.push(line),
                None => groups.push(CartGroup {
                    seller_id: line.seller_id,
                    seller_name: line.seller_name.as_deref(),
                    lines: vec![line],
                }),
            }
        }
        groups.sort_by_key(|g| g.seller_id.is_some());
        groups
    }
}

impl Shop {
    /// The caller's cart (empty when there is none yet).
    pub async fn get_cart(&self, owner: &CartOwner) -> Result<CartView, CoreError> {
        let db = self.db.conn();
        let found = find_cart(db, owner).await?;
        match found {
            Some(cart) => {
                let lines = carts::lines(db, cart.id).await?;
                self.cart_view(Some(cart.id), lines, None)
            }
            None => self.cart_view(None, Vec::new(), None),
        }
    }

    /// How many units the caller's cart holds (0 without a cart).
    pub async fn cart_item_count(&self, owner: &CartOwner) -> Result<i64, CoreError> {
        let db = self.db.conn();
        let found = find_cart(db, owner).await?;
        Ok(match found {
            Some(cart) => carts::unit_count(db, cart.id).await?,
            None => 0,
        })
    }

    /// Adds units of a variant; a guest without a cart gets one (and its
    /// token). More than is available is 409; a refused request changes
    /// nothing.
    pub async fn add_to_cart(
        &self,
        owner: &CartOwner,
        variant_id: i64,
        quantity: i64,
    ) -> Result<CartView, CoreError> {
        let quantity =
            parse_quantity(quantity).map_err(|e| CoreError::Validation(vec![e.at("quantity")]))?;
        let txn = self.db.begin_write().await?;
        let variant = catalogue::find_variant(&txn, variant_id).await?;
        let product = match &variant {
            Some(v) => catalogue::find_product_with_refs(&txn, &v.product_id.to_string())
                .await?
                .filter(|p| p.product.id == v.product_id),
            None => None,
        };
        let (Some(variant), Some(_)) = (
            variant,
            product.filter(|p| for_sale(&p.product.status, p.seller_status.as_deref())),
        ) else {
            return Err(CoreError::clash(
                "variant_id",
                "no such product variant for sale",
            ));
        };
        let (cart, new_token) = self.open_cart(&txn, owner).await?;
        let total = carts::add(&txn, cart.id, variant_id, quantity).await?;
        if total > MAX_LINE_QUANTITY {
            return Err(CoreError::clash(
                "quantity",
                format!("a cart holds at most {MAX_LINE_QUANTITY} of one variant"),
            ));
        }
        let available = (variant.stock_on_hand - variant.stock_reserved).max(0);
        if total > available {
            return Err(CoreError::Conflict(format!(
                "Only {available} of {} can be bought now.",
                variant.sku
            )));
        }
        let lines = carts::lines(&txn, cart.id).await?;
        txn.commit().await?;
        self.cart_view(Some(cart.id), lines, new_token)
    }

    /// Sets a line's quantity.
    pub async fn update_cart_item(
        &self,
        owner: &CartOwner,
        item_id: i64,
        quantity: i64,
    ) -> Result<CartView, CoreError> {
        let quantity =
            parse_quantity(quantity).map_err(|e| CoreError::Validation(vec![e.at("quantity")]))?;
        let txn = self.db.begin_write().await?;
        let cart = self
            .existing_cart(&txn, owner)
            .await?
            .ok_or(CoreError::NotFound("cart item"))?;
        let line = carts::line(&txn, cart.id, item_id)
            .await?
            .ok_or(CoreError::NotFound("cart item"))?;
        let variant = catalogue::find_variant(&txn, line.variant_id)
            .await?
            .ok_or(CoreError::NotFound("cart item"))?;
        let available = (variant.stock_on_hand - variant.stock_reserved).max(0);
        if quantity > available {
            return Err(CoreError::Conflict(format!(
                "Only {available} of {} can be bought now.",
                variant.sku
            )));
        }
        carts::set_quantity(&txn, cart.id, item_id, quantity).await?;
        let lines = carts::lines(&txn, cart.id).await?;
        txn.commit().await?;
        self.cart_view(Some(cart.id), lines, None)
    }

    /// Removes a line.
    pub async fn remove_cart_item(
        &self,
        owner: &CartOwner,
        item_id: i64,
    ) -> Result<CartView, CoreError> {
        let txn = self.db.begin_write().await?;
        let cart = self
            .existing_cart(&txn, owner)
            .await?
            .ok_or(CoreError::NotFound("cart item"))?;
        if !carts::remove(&txn, cart.id, item_id).await? {
            return Err(CoreError::NotFound("cart item"));
        }
        carts::touch(&txn, cart.id).await?;
        let lines = carts::lines(&txn, cart.id).await?;
        txn.commit().await?;
        self.cart_view(Some(cart.id), lines, None)
    }

    async fn existing_cart(
        &self,
        txn: &WriteTxn,
        owner: &CartOwner,
    ) -> Result<Option<cart::Model>, CoreError> {
        find_cart(txn, owner).await
    }

    async fn open_cart(
        &self,
        txn: &WriteTxn,
        owner: &CartOwner,
    ) -> Result<(cart::Model, Option<String>), CoreError> {
        if let CartOwner::Customer(caller) = owner {
            return Ok((carts::ensure_for_user(txn, caller.user_id.0).await?, None));
        }
        if let Some(found) = self.existing_cart(txn, owner).await? {
            return Ok((found, None));
        }
        let token = new_cart_token();
        let created = carts::insert(txn, None, Some(&hash_token(&token))).await?;
        Ok((created, Some(token)))
    }

    fn cart_view(
        &self,
        id: Option<i64>,
        lines: Vec<CartLine>,
        new_token: Option<String>,
    ) -> Result<CartView, CoreError> {
        let currency = self.config.currency;
        let mut subtotal = Money::zero(currency);
        let mut items = Vec::with_capacity(lines.len());
        for line in lines {
            let view = line_view(line, currency)?;
            subtotal = subtotal
                .checked_add(view.line_total)
                .map_err(|e| anyhow::anyhow!("cart total: {e}"))?;
            items.push(view);
        }
        Ok(CartView {
            id,
            item_count: items.iter().map(|l| l.quantity).sum(),
            items,
            subtotal,
            total: subtotal,
            new_token,
        })
    }
}

/// The owner's cart, if there is one.
async fn find_cart(
    db: &impl souk_db::ConnectionTrait,
    owner: &CartOwner,
) -> Result<Option<cart::Model>, CoreError> {
    Ok(match owner {
        CartOwner::Customer(caller) => carts::find_by_user(db, caller.user_id.0).await?,
        CartOwner::Guest(Some(token)) => carts::find_by_token(db, &hash_token(token)).await?,
        CartOwner::Guest(None) => None,
    })
}

fn line_view(line: CartLine, shop_currency: Currency) -> Result<CartLineView, CoreError> {
    let currency = Currency::parse(&line.currency).unwrap_or(shop_currency);
    let unit_price = Money::new(line.price, currency);
    let line_total = unit_price
        .checked_mul(line.quantity)
        .map_err(|e| anyhow::anyhow!("line total: {e}"))?;
    let options = serde_json::from_str(&line.options)
        .map_err(|e| anyhow::anyhow!("variant {} options: {e}", line.variant_id))?;
    Ok(CartLineView {
        id: line.id,
        variant_id: line.variant_id,
        product_id: line.product_id,
        product_name: line.product_name,
        product_slug: line.product_slug,
        seller_id: line.seller_id,
        seller_name: line.seller_name,
        sku: line.sku,
        options,
        quantity: line.quantity,
        unit_price,
        line_total,
        stock_available: (line.stock_on_hand - line.stock_reserved).max(0),
        purchasable: for_sale(&line.product_status, line.seller_status.as_deref()),
    })
}

/// A new guest cart token: 256 random bits, URL-safe.
fn new_cart_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a cart token.
pub(crate) fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A line that cannot be bought as asked, for a 409 that names it.
pub(crate) fn short_line(line: &CartLine, available: i64) -> FieldError {
    FieldError::new(
        format!("items[{}]", line.id),
        format!(
            "{} ({}): only {available} available, {} asked",
            line.product_name, line.sku, line.quantity
        ),
    )
}

/// Moves a guest cart (by its token) into an account's cart, in the
/// caller's transaction: quantities add up to what is available, and the
/// guest cart is gone. An unknown token changes nothing.
pub(crate) async fn merge_cart_in(
    txn: &souk_db::WriteTxn,
    user_id: i64,
    guest_token: &str,
) -> Result<(), CoreError> {
    let Some(guest) = carts::find_by_token(txn, &hash_token(guest_token)).await? else {
        return Ok(());
    };
    let own = carts::ensure_for_user(txn, user_id).await?;
    let mine: BTreeMap<i64, CartLine> = carts::lines(txn, own.id)
        .await?
        .into_iter()
        .map(|l| (l.variant_id, l))
        .collect();
    for line in carts::lines(txn, guest.id).await? {
        let available = (line.stock_on_hand - line.stock_reserved).clamp(0, MAX_LINE_QUANTITY);
        match mine.get(&line.variant_id) {
            Some(existing) => {
                let target = (existing.quantity + line.quantity)
                    .min(available)
                    .max(existing.quantity.min(available));
                if target > 0 {
                    carts::set_quantity(txn, own.id, existing.id, target).await?;
                }
            }
            None => {
                let target = line.quantity.min(available);
                if target > 0 {
                    carts::add(txn, own.id, line.variant_id, target).await?;
                }
            }
        }
    }
    carts::delete(txn, guest.id).await?;
    Ok(())
}
