//! Shipping: what a shopper can choose (`/api/v1/store/shipping-methods`,
//! and per parcel at `/api/v1/store/checkout/shipping`), and a seller's own
//! methods at `/api/v1/seller/shipping-methods`.

use super::admin_orders::{NewShippingMethodRequest, ShippingMethodRequest};
use super::types::{MoneyDto, ShippingMethodDto};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, Authenticated, Id, Seller};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use souk_core::orders::{ParcelShippingView, ShippingChoice};
use utoipa::ToSchema;

/// The shop's shipping methods on offer.
#[utoipa::path(get, path = "/api/v1/store/shipping-methods", tag = "orders",
    responses((status = 200, body = Vec<ShippingMethodDto>)))]
pub async fn list_shipping_methods(
    State(state): State<AppState>,
) -> Result<Json<Vec<ShippingMethodDto>>, ApiError> {
    let methods = state.shop.list_shipping_methods(true).await?;
    Ok(Json(methods.into_iter().map(Into::into).collect()))
}

/// How one seller's lines of the cart ship.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParcelShippingDto {
    /// `null`: the shop's own lines.
    pub seller_id: Option<i64>,
    pub seller_name: Option<String>,
    /// What its lines are worth.
    pub subtotal: MoneyDto,
    /// `true`: the seller ships with methods of its own, picked at checkout
    /// in `seller_shipping`. `false`: the lines ship with the shop's method
    /// (`shipping_method`), one charge for all such lines.
    pub own_methods: bool,
    /// What may be picked for it.
    pub options: Vec<ShippingMethodDto>,
    /// The method used unless another is picked.
    pub chosen: Option<i64>,
    /// What it costs: for lines shipping with the shop's method, their
    /// share of the one charge.
    pub charge: MoneyDto,
}

impl From<ParcelShippingView> for ParcelShippingDto {
    fn from(g: ParcelShippingView) -> Self {
        Self {
            seller_id: g.seller_id,
            seller_name: g.seller_name,
            subtotal: g.subtotal.into(),
            own_methods: g.own,
            options: g.options.into_iter().map(Into::into).collect(),
            chosen: g.chosen.map(|m| m.id),
            charge: g.charge.into(),
        }
    }
}

/// The shipping of the caller's cart as checkout would charge it with the
/// first method of each: one entry per parcel.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckoutShippingDto {
    pub parcels: Vec<ParcelShippingDto>,
    pub total: MoneyDto,
}

/// How the caller's cart ships: one parcel per seller, with the methods
/// each may be sent with and what the defaults cost.
#[utoipa::path(get, path = "/api/v1/store/checkout/shipping", tag = "orders", security(("bearer" = [])),
    responses((status = 200, body = CheckoutShippingDto)))]
pub async fn get_checkout_shipping(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<Json<CheckoutShippingDto>, ApiError> {
    let quote = state
        .shop
        .quote_checkout(caller, &ShippingChoice::default(), None)
        .await?;
    Ok(Json(CheckoutShippingDto {
        total: quote.shipping.total.into(),
        parcels: quote.shipping.groups.into_iter().map(Into::into).collect(),
    }))
}

/// The seller's own shipping methods, active or not. A seller with no
/// active method of its own ships with the shop's.
#[utoipa::path(get, path = "/api/v1/seller/shipping-methods", tag = "seller", security(("bearer" = [])),
    responses((status = 200, body = Vec<ShippingMethodDto>)))]
pub async fn list_seller_shipping_methods(
    State(state): State<AppState>,
    Seller(actor): Seller,
) -> Result<Json<Vec<ShippingMethodDto>>, ApiError> {
    let methods = state.shop.managed_shipping_methods(&actor).await?;
    Ok(Json(methods.into_iter().map(Into::into).collect()))
}

/// Add a shipping method of the seller's own.
#[utoipa::path(post, path = "/api/v1/seller/shipping-methods", tag = "seller", security(("bearer" = [])),
    request_body = NewShippingMethodRequest,
    responses(
        (status = 201, body = ShippingMethodDto),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_seller_shipping_method(
    State(state): State<AppState>,
    Seller(actor): Seller,
    ApiJson(body): ApiJson<NewShippingMethodRequest>,
) -> Result<(StatusCode, Json<ShippingMethodDto>), ApiError> {
    let input = body.into_input(state.shop.config().currency)?;
    let created = state.shop.create_shipping_method(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Change one of the seller's shipping methods; another's is 404.
#[utoipa::path(patch, path = "/api/v1/seller/shipping-methods/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ShippingMethodRequest,
    responses(
        (status = 200, body = ShippingMethodDto),
        (status = 404, description = "No such shipping method of the seller's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_seller_shipping_method(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
    ApiJson(body): ApiJson<ShippingMethodRequest>,
) -> Result<Json<ShippingMethodDto>, ApiError> {
    let input = body.into_input(state.shop.config().currency)?;
    let updated = state.shop.update_shipping_method(&actor, id, input).await?;
    Ok(Json(updated.into()))
}

/// Delete one of the seller's shipping methods; orders keep its name.
#[utoipa::path(delete, path = "/api/v1/seller/shipping-methods/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such shipping method of the seller's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_seller_shipping_method(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_shipping_method(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
