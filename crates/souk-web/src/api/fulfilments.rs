//! Moving parcels on, or calling one off before it ships: a seller its
//! own at `/api/v1/seller/fulfilments`, staff any (the shop's own
//! included) at `/api/v1/admin/fulfilments`.

use super::types::{FulfilmentDto, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, Id, Seller, Staff};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use souk_core::actor::Actor;
use souk_core::marketplace::{CANCEL_REASON_MAX, ParcelMove};
use utoipa::ToSchema;

/// A parcel's next step; its schema is [`rules::parcel_move_request`].
/// The order becomes `shipped` when every parcel has shipped and
/// `delivered` when every one is delivered.
#[derive(Debug, Deserialize)]
pub struct ParcelMoveRequest {
    pub status: String,
    /// Required to ship.
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
}

impl utoipa::PartialSchema for ParcelMoveRequest {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::RefOr::T(rules::parcel_move_request())
    }
}

impl ToSchema for ParcelMoveRequest {}

async fn move_parcel(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body: ParcelMoveRequest,
) -> Result<Json<FulfilmentDto>, ApiError> {
    let input = ParcelMove {
        status: body.status,
        carrier: body.carrier,
        tracking_number: body.tracking_number,
    };
    let moved = state.shop.move_fulfilment(actor, id, input).await?;
    Ok(Json(moved.into()))
}

/// Move one of the seller's parcels on.
#[utoipa::path(post, path = "/api/v1/seller/fulfilments/{id}/status", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ParcelMoveRequest,
    responses(
        (status = 200, description = "The parcel after the move", body = FulfilmentDto),
        (status = 409, description = "Its status does not allow the move, or the order is not paid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn move_seller_fulfilment(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
    ApiJson(body): ApiJson<ParcelMoveRequest>,
) -> Result<Json<FulfilmentDto>, ApiError> {
    move_parcel(&state, &actor, id, body).await
}

/// Move any parcel on, the shop's own included.
#[utoipa::path(post, path = "/api/v1/admin/fulfilments/{id}/status", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ParcelMoveRequest,
    responses(
        (status = 200, description = "The parcel after the move", body = FulfilmentDto),
        (status = 409, description = "Its status does not allow the move, or the order is not paid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn move_fulfilment(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<ParcelMoveRequest>,
) -> Result<Json<FulfilmentDto>, ApiError> {
    move_parcel(&state, &actor, id, body).await
}

/// Why a parcel is called off; the buyer is told.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ParcelCancelRequest {
    #[schema(example = "The glaze cracked in the kiln; we cannot make another in time.",
        schema_with = rules::text::<1, CANCEL_REASON_MAX>)]
    pub reason: String,
}

async fn cancel_parcel(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body: ParcelCancelRequest,
) -> Result<Json<FulfilmentDto>, ApiError> {
    let cancelled = state
        .shop
        .cancel_fulfilment(actor, id, &body.reason)
        .await?;
    Ok(Json(cancelled.into()))
}

/// Cancel one of the seller's parcels that has not shipped: its lines'
/// stock goes back, what the buyer paid for it (its lines less their
/// share of the discount, plus its shipping) is refunded, its sale and
/// commission are reversed in the seller's ledger, and the rest of the
/// order goes on. When it was the last parcel left, the order is refunded.
#[utoipa::path(post, path = "/api/v1/seller/fulfilments/{id}/cancel", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ParcelCancelRequest,
    responses(
        (status = 200, description = "The parcel, cancelled", body = FulfilmentDto),
        (status = 409, description = "The parcel has shipped or is cancelled, or the order is not paid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel_seller_fulfilment(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
    ApiJson(body): ApiJson<ParcelCancelRequest>,
) -> Result<Json<FulfilmentDto>, ApiError> {
    cancel_parcel(&state, &actor, id, body).await
}

/// Cancel any parcel that has not shipped, as
/// `/api/v1/seller/fulfilments/{id}/cancel` does for a seller's own.
#[utoipa::path(post, path = "/api/v1/admin/fulfilments/{id}/cancel", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ParcelCancelRequest,
    responses(
        (status = 200, description = "The parcel, cancelled", body = FulfilmentDto),
        (status = 409, description = "The parcel has shipped or is cancelled, or the order is not paid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel_fulfilment(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<ParcelCancelRequest>,
) -> Result<Json<FulfilmentDto>, ApiError> {
    cancel_parcel(&state, &actor, id, body).await
}
