//! The wishlist: `/account/wishlist` lists what the shopper keeps, with
//! adding to the cart and removing; the product page's "Save to wishlist"
//! posts to `/wishlist`. Without JavaScript, each is a form.

use super::filters;
use super::forms::PageForm;
use super::layout::Layout;
use super::product::AddForm;
use super::{Customer, Flash, PageError, Visitor, ok, redirect, redirect_with};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::wishlist::WishlistEntry;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/wishlist", get(show))
        .route("/account/wishlist/{id}/remove", post(remove))
        .route("/wishlist", post(add))
}

#[derive(Template)]
#[template(path = "wishlist.html")]
struct WishlistPage {
    layout: Layout,
    entries: Vec<WishlistEntry>,
}

async fn show(State(state): State<AppState>, customer: Customer) -> Result<Response, PageError> {
    let actor = customer.actor();
    let entries = state.shop.wishlist(&actor).await?;
    let layout = customer.visitor.layout(&state, "Your wishlist").await?;
    ok(&WishlistPage { layout, entries })
}

/// Keeps the product whose page's buy form was sent here ("Save to
/// wishlist" is a second submit button of it): the variant posted or the
/// one of the options chosen, else the product as a whole.
async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    PageForm(fields): PageForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let form = AddForm::from_fields(fields);
    let slug: String = form.product.trim().chars().take(200).collect();
    let back = if slug.is_empty() {
        "/products".to_owned()
    } else {
        format!("/products/{}", super::forms::encode(&slug))
    };
    if !visitor.is_signed_in() {
        return Ok(redirect(&format!(
            "/login?next={}",
            super::forms::encode(&back)
        )));
    }
    let variant = match form.variant_id.as_deref().map(str::trim) {
        Some(id) => id.parse::<i64>().ok(),
        None if !form.choices.is_empty() => {
            match state.shop.chosen_variant(&slug, &form.choices).await {
                Ok(found) => found,
                Err(CoreError::NotFound(_)) => return Ok(redirect("/products")),
                Err(err) => return Err(err.into()),
            }
        }
        None => None,
    };
    match state
        .shop
        .add_to_wishlist(&visitor.actor(), &slug, variant)
        .await
    {
        Ok((entry, _)) => {
            let message = if entry.in_stock {
                "Saved to your wishlist."
            } else {
                "Saved to your wishlist. We will e-mail you when it is back in stock."
            };
            Ok(redirect_with(&back, message, &visitor))
        }
        Err(CoreError::NotFound(_)) => Ok(redirect("/products")),
        Err(err) => {
            let why = super::forms::Errors::from_core(err)?;
            let message = why
                .get("product_id")
                .map(str::to_owned)
                .or(why.general)
                .unwrap_or_default();
            Ok(redirect_with(&back, Flash::Refused(message), &visitor))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RemoveForm {
    /// The page to go back to: a product page or the wishlist.
    back: String,
}

async fn remove(
    State(state): State<AppState>,
    customer: Customer,
    Path(id): Path<i64>,
    PageForm(form): PageForm<RemoveForm>,
) -> Result<Response, PageError> {
    let back = match form.back.as_str() {
        b if b.starts_with("/products/") && !b.contains("//") && b.len() <= 250 => b,
        _ => "/account/wishlist",
    };
    match state.shop.remove_from_wishlist(&customer.actor(), id).await {
        Ok(()) | Err(CoreError::NotFound(_)) => Ok(redirect_with(
            back,
            "Removed from your wishlist.",
            &customer.visitor,
        )),
        Err(err) => Err(err.into()),
    }
}
