//! The demo marketplace beyond its sellers: an application waiting for
//! review, commission rules of every kind, and two sellers that ship
//! with methods of their own.

use super::{DEMO_PAYOUT_DETAILS, NO_PASSWORD, catalogue};
use crate::CoreError;
use chrono::Utc;
use souk_db::WriteTxn;
use souk_db::repo::accounts::{self, NewUser};
use souk_db::repo::marketplace;
use souk_db::repo::sellers::{self, SellerProfile};
use souk_db::repo::shipping::{self, ShippingFields};
use souk_domain::identity::Role;
use souk_domain::marketplace::{CommissionRate, CommissionScope, SellerStatus};
use std::collections::HashMap;

/// Commission rules: (seller slug, category slug, basis points, per unit).
const DEMO_RULES: [(Option<&str>, Option<&str>, u32, i64); 3] = [
    (None, None, 1000, 0),
    (None, Some("tea-coffee"), 800, 0),
    (Some("northwind-ceramics"), None, 1200, 25),
];

/// A shipping method: (name, price, free above).
type Method = (&'static str, i64, Option<i64>);

/// The sellers' own shipping methods, by seller slug. Ridgeline Outfitters
/// has none: it ships with the shop's, as a new seller does.
const SELLER_SHIPPING: [(&str, &[Method]); 2] = [
    (
        "northwind-ceramics",
        &[
            ("Insured ceramics parcel (4-6 days)", 690, Some(8000)),
            ("Collect from the studio in Bergen", 0, None),
        ],
    ),
    (
        "copper-kettle-tea",
        &[
            ("Letterbox post (2-4 days)", 295, Some(3000)),
            ("Tracked courier (next day)", 895, None),
        ],
    ),
];

/// Gives the sellers in [`SELLER_SHIPPING`] their own shipping methods.
pub(super) async fn seed_seller_shipping(
    txn: &WriteTxn,
    seller_ids: &HashMap<&str, i64>,
    currency: &str,
) -> Result<(), CoreError> {
    for (slug, methods) in SELLER_SHIPPING {
        let Some(&seller) = seller_ids.get(slug) else {
            continue;
        };
        if !shipping::list(txn, Some(seller), false).await?.is_empty() {
            continue;
        }
        for (position, (name, price, free_above)) in methods.iter().enumerate() {
            let fields = ShippingFields {
                seller_id: Some(seller),
                name: (*name).to_owned(),
                price: *price,
                currency: currency.to_owned(),
                free_above: *free_above,
                active: true,
                position: position as i32,
            };
            shipping::insert(txn, fields).await?;
        }
    }
    Ok(())
}

/// Writes the waiting application and the commission rules.
pub(super) async fn seed(
    txn: &WriteTxn,
    seller_ids: &HashMap<&str, i64>,
    categories: &HashMap<&str, i64>,
) -> Result<(), CoreError> {
    let applicant = &catalogue::APPLICANT;
    if accounts::find_user_by_email(txn, applicant.email)
        .await?
        .is_none()
    {
        let new = NewUser {
            email: applicant.email,
            password_hash: NO_PASSWORD,
            name: applicant.name,
            role: Role::Customer.as_str(),
        };
        let user = accounts::insert_user(txn, new).await?;
        let profile = SellerProfile {
            name: applicant.name,
            slug: applicant.slug,
            description: applicant.description,
            contact_email: applicant.email,
            payout_details: DEMO_PAYOUT_DETAILS,
        };
        let pending = SellerStatus::Pending.as_str();
        sellers::insert_seller(txn, Some(user.id), profile, pending, Utc::now()).await?;
    }
    if !marketplace::rules(txn).await?.is_empty() {
        return Ok(());
    }
    for (seller, category, basis_points, fixed_per_unit) in DEMO_RULES {
        let seller_id = seller.and_then(|s| seller_ids.get(s).copied());
        let category_id = category.and_then(|c| categories.get(c).copied());
        let scope = CommissionScope::naming(seller_id, category_id);
        let rate = CommissionRate::new(basis_points, fixed_per_unit, None, None)
            .map_err(|e| anyhow::anyhow!("demo commission rate: {e:?}"))?;
        let fields = crate::marketplace::rule_fields(&scope, &rate);
        marketplace::insert_rule(txn, fields, Utc::now()).await?;
    }
    Ok(())
}
