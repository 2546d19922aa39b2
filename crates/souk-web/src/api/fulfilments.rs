//! Moving parcels on: a seller its own at `/api/v1/seller/fulfilments`,
//! staff any (the shop's own included) at `/api/v1/admin/fulfilments`.

use super::types::{FulfilmentDto, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, Id, Seller, Staff};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use souk_core::actor::Actor;
use souk_core::marketplace::ParcelMove;
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
