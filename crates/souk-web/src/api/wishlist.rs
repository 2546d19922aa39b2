//! `/api/v1/store/me/wishlist`: what the signed-in shopper keeps for later.

use super::types::{ListDto, MoneyDto};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{Acting, ApiJson, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::wishlist::{MAX_ITEMS, WishlistEntry};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A product, or one variant of it, kept for later.
#[derive(Debug, Serialize, ToSchema)]
pub struct WishlistItemDto {
    pub id: i64,
    pub product_id: i64,
    pub product_slug: String,
    pub product_name: String,
    /// The variant kept; `null` for the product as a whole.
    pub variant_id: Option<i64>,
    pub sku: Option<String>,
    pub options: BTreeMap<String, String>,
    /// The variant's price, or the product's lowest.
    pub price: MoneyDto,
    /// Whether it can be bought now. One that cannot is watched: the
    /// shopper gets an e-mail when it is back in stock.
    pub in_stock: bool,
    /// Whether the product is still sold at all.
    pub for_sale: bool,
    pub created_at: DateTime<Utc>,
}

impl From<WishlistEntry> for WishlistItemDto {
    fn from(e: WishlistEntry) -> Self {
        Self {
            id: e.id,
            product_id: e.product_id,
            product_slug: e.product_slug,
            product_name: e.product_name,
            variant_id: e.variant_id,
            sku: e.sku,
            options: e.options,
            price: e.price.into(),
            in_stock: e.in_stock,
            for_sale: e.for_sale,
            created_at: e.created_at,
        }
    }
}

/// What to keep.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WishlistRequest {
    #[schema(minimum = 1)]
    pub product_id: i64,
    /// One variant of the product; missing or `null` for the product as
    /// a whole.
    #[schema(minimum = 1)]
    pub variant_id: Option<i64>,
}

/// The caller's wishlist, newest first (at most 500 items, one page).
#[utoipa::path(get, path = "/api/v1/store/me/wishlist", tag = "account", security(("bearer" = [])),
    responses((status = 200, body = ListDto<WishlistItemDto>)))]
pub async fn get_my_wishlist(
    State(state): State<AppState>,
    Acting(actor): Acting,
) -> Result<Json<ListDto<WishlistItemDto>>, ApiError> {
    let items: Vec<WishlistItemDto> = state
        .shop
        .wishlist(&actor)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(Json(ListDto {
        total: items.len() as u64,
        items,
        page: 1,
        per_page: MAX_ITEMS,
    }))
}

/// Keep a product, or one of its variants, on the caller's wishlist: 201
/// when new, 200 when it was kept already. A product not for sale, or a
/// variant of another product, is 404; a full wishlist (500 items) is
/// 409.
#[utoipa::path(post, path = "/api/v1/store/me/wishlist", tag = "account", security(("bearer" = [])),
    request_body = WishlistRequest,
    responses(
        (status = 201, body = WishlistItemDto),
        (status = 200, description = "Kept already", body = WishlistItemDto),
        (status = 404, description = "No such product for sale, or variant of it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The wishlist is full", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_to_my_wishlist(
    State(state): State<AppState>,
    Acting(actor): Acting,
    ApiJson(body): ApiJson<WishlistRequest>,
) -> Result<(StatusCode, Json<WishlistItemDto>), ApiError> {
    let (entry, created) = state
        .shop
        .add_to_wishlist(&actor, &body.product_id.to_string(), body.variant_id)
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(entry.into())))
}

/// Take an item off the caller's wishlist; another shopper's is 404.
#[utoipa::path(delete, path = "/api/v1/store/me/wishlist/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such item on your wishlist", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove_from_my_wishlist(
    State(state): State<AppState>,
    Acting(actor): Acting,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.shop.remove_from_wishlist(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
