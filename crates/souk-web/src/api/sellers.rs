//! Becoming a seller: a customer applies (`/api/v1/store/seller-application`),
//! shoppers visit a seller's shop (`/api/v1/store/sellers/{id_or_slug}`),
//! and staff review sellers (`/api/v1/admin/sellers`).

use super::types::{
    ListDto, PageParams, SellerDecisionRequest, SellerListParams, SellerProfileDto, SellerShopDto,
    ShopProfileRequest,
};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{Acting, ApiJson, ApiQuery, Id, Staff};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use souk_domain::paging::PageRequest;

/// Apply to sell. Staff review the application (or the shop approves it at
/// once when set so); the applicant hears by e-mail. Once approved, sign in
/// again (or refresh the token) to act as the seller.
#[utoipa::path(post, path = "/api/v1/store/seller-application", tag = "sellers", security(("bearer" = [])),
    request_body = ShopProfileRequest,
    responses(
        (status = 201, description = "The application (or the approved seller)", body = SellerProfileDto),
        (status = 403, description = "Staff cannot apply", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Applied already, or the slug is in use", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn apply_to_sell(
    State(state): State<AppState>,
    Acting(actor): Acting,
    ApiJson(body): ApiJson<ShopProfileRequest>,
) -> Result<(StatusCode, Json<SellerProfileDto>), ApiError> {
    let seller = state.shop.apply_to_sell(&actor, body.into()).await?;
    Ok((StatusCode::CREATED, Json(seller.into())))
}

/// The caller's application to sell, or its shop, with where it stands.
#[utoipa::path(get, path = "/api/v1/store/seller-application", tag = "sellers", security(("bearer" = [])),
    responses(
        (status = 200, body = SellerProfileDto),
        (status = 404, description = "The caller has not applied", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_my_application(
    State(state): State<AppState>,
    Acting(actor): Acting,
) -> Result<Json<SellerProfileDto>, ApiError> {
    let seller = state
        .shop
        .my_seller(&actor)
        .await?
        .ok_or(souk_core::CoreError::NotFound("seller application"))?;
    Ok(Json(seller.into()))
}

/// A seller's shop. Its products are listed by
/// `GET /api/v1/store/products?seller={slug}`.
#[utoipa::path(get, path = "/api/v1/store/sellers/{id_or_slug}", tag = "catalogue",
    params(("id_or_slug" = String, Path, description = "The seller's id or slug")),
    responses(
        (status = 200, body = SellerShopDto),
        (status = 404, description = "No such seller, or it does not sell now", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_seller_shop(
    State(state): State<AppState>,
    Path(id_or_slug): Path<String>,
) -> Result<Json<SellerShopDto>, ApiError> {
    Ok(Json(state.shop.seller_shop(&id_or_slug).await?.into()))
}

/// Sellers and applications, those waiting for review first.
#[utoipa::path(get, path = "/api/v1/admin/sellers", tag = "admin", security(("bearer" = [])),
    params(SellerListParams, PageParams),
    responses((status = 200, body = ListDto<SellerProfileDto>)))]
pub async fn list_sellers(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiQuery(filter): ApiQuery<SellerListParams>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ListDto<SellerProfileDto>>, ApiError> {
    let page = PageRequest::parse(params.page, params.per_page)
        .map_err(|(field, e)| ApiError::invalid(field, e.0))?;
    let found = state
        .shop
        .list_sellers(&actor, filter.status.as_deref(), page)
        .await?;
    Ok(Json(ListDto::from_page(found, Into::into)))
}

/// One seller.
#[utoipa::path(get, path = "/api/v1/admin/sellers/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = SellerProfileDto),
        (status = 404, description = "No such seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_seller(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<Json<SellerProfileDto>, ApiError> {
    Ok(Json(state.shop.get_seller(&actor, id).await?.into()))
}

/// Approve, reject, suspend or reinstate a seller. The seller is told by
/// e-mail, with the reason; a suspended seller's products leave the shop
/// and cannot be bought, and its open orders go on.
#[utoipa::path(post, path = "/api/v1/admin/sellers/{id}/decision", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = SellerDecisionRequest,
    responses(
        (status = 200, description = "The seller after the decision", body = SellerProfileDto),
        (status = 404, description = "No such seller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The decision does not fit the seller's status", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn decide_seller(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<SellerDecisionRequest>,
) -> Result<Json<SellerProfileDto>, ApiError> {
    let seller = state
        .shop
        .decide_seller(&actor, id, &body.decision, body.reason.as_deref())
        .await?;
    Ok(Json(seller.into()))
}
