//! `/api/v1/seller/...`: a marketplace seller's profile and sales.

use super::types::{ListDto, PageParams, SellerOrderDto, SellerProfileDto, ShopProfileRequest};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiQuery, Seller};
use axum::Json;
use axum::extract::State;
use souk_domain::paging::PageRequest;

/// The orders that hold the caller's lines, showing only those lines.
#[utoipa::path(get, path = "/api/v1/seller/orders", tag = "seller", security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, body = ListDto<SellerOrderDto>),
        (status = 403, description = "Not a seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_seller_orders(
    State(state): State<AppState>,
    Seller(actor): Seller,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ListDto<SellerOrderDto>>, ApiError> {
    let page = PageRequest::parse(params.page, params.per_page)
        .map_err(|(field, e)| ApiError::invalid(field, e.0))?;
    let orders = state.shop.list_seller_orders(&actor, page).await?;
    Ok(Json(ListDto::from_page(orders, Into::into)))
}

/// The seller's shop profile and where it stands.
#[utoipa::path(get, path = "/api/v1/seller/profile", tag = "seller", security(("bearer" = [])),
    responses((status = 200, body = SellerProfileDto)))]
pub async fn get_seller_profile(
    State(state): State<AppState>,
    Seller(actor): Seller,
) -> Result<Json<SellerProfileDto>, ApiError> {
    Ok(Json(state.shop.seller_profile(&actor).await?.into()))
}

/// Change the seller's shop profile: name, address (slug), description,
/// contact e-mail and payout details.
#[utoipa::path(put, path = "/api/v1/seller/profile", tag = "seller", security(("bearer" = [])),
    request_body = ShopProfileRequest,
    responses(
        (status = 200, body = SellerProfileDto),
        (status = 409, description = "The slug is in use", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_seller_profile(
    State(state): State<AppState>,
    Seller(actor): Seller,
    ApiJson(body): ApiJson<ShopProfileRequest>,
) -> Result<Json<SellerProfileDto>, ApiError> {
    let seller = state
        .shop
        .update_seller_profile(&actor, body.into())
        .await?;
    Ok(Json(seller.into()))
}
