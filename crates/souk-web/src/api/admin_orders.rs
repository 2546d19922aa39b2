//! `/api/v1/admin/orders` and `/api/v1/admin/shipping-methods`: staff
//! follow and move orders, and manage shipping.

use super::types::{ListDto, OrderDto, PriceInput, ShippingMethodDto, double_option, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiQuery, Id, Staff};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use souk_core::orders::OrderQuery;
use souk_core::shipping::ShippingMethodInput;
use souk_domain::Currency;
use utoipa::{IntoParams, ToSchema};

/// Staff's order search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListParams {
    /// One status, e.g. `paid`.
    #[param(schema_with = rules::order_status_filter)]
    pub status: Option<String>,
    /// Placed at or after: a date (`2026-11-01`) or an RFC 3339 time.
    #[param(schema_with = rules::date_or_time_filter)]
    pub from: Option<String>,
    /// Placed before: a date (up to its end) or an RFC 3339 time.
    #[param(schema_with = rules::date_or_time_filter)]
    pub to: Option<String>,
    /// The customer's email.
    pub email: Option<String>,
    /// The order number, e.g. `SK-7Q4M29XD`.
    pub number: Option<String>,
    /// One-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<i64>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

/// A move of an order to another status.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OrderStatusRequest {
    /// The status to move to; an illegal move is 409.
    #[schema(example = "paid", schema_with = rules::order_status)]
    pub status: String,
    /// Why, for the order's history.
    #[schema(schema_with = rules::nullable_text::<0, 1000>)]
    pub note: Option<String>,
}

/// Changes to a shipping method; missing fields stay.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ShippingMethodRequest {
    #[schema(schema_with = rules::nullable_text::<1, 100>)]
    pub name: Option<String>,
    pub price: Option<PriceInput>,
    /// Free from this subtotal; `null` for never.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = rules::nullable_price)]
    pub free_above: Option<Option<PriceInput>>,
    pub active: Option<bool>,
    #[schema(minimum = -2147483648, maximum = 2147483647)]
    pub position: Option<i32>,
}

/// A new shipping method.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewShippingMethodRequest {
    #[schema(schema_with = rules::text::<1, 100>)]
    pub name: String,
    pub price: PriceInput,
    /// Free from this subtotal; `null` or missing for never.
    #[schema(schema_with = rules::nullable_price)]
    pub free_above: Option<PriceInput>,
    /// Offered at checkout (default true).
    pub active: Option<bool>,
    #[schema(minimum = -2147483648, maximum = 2147483647)]
    pub position: Option<i32>,
}

impl NewShippingMethodRequest {
    pub(crate) fn into_input(self, currency: Currency) -> Result<ShippingMethodInput, ApiError> {
        ShippingMethodRequest {
            name: Some(self.name),
            price: Some(self.price),
            free_above: Some(self.free_above),
            active: self.active,
            position: self.position,
        }
        .into_input(currency)
    }
}

impl ShippingMethodRequest {
    /// The input in minor units of the shop's `currency`.
    pub(crate) fn into_input(self, currency: Currency) -> Result<ShippingMethodInput, ApiError> {
        let price = self
            .price
            .map(|p| p.minor_units_in("price", currency))
            .transpose()?;
        let free_above = match self.free_above {
            Some(Some(p)) => Some(Some(p.minor_units_in("free_above", currency)?)),
            Some(None) => Some(None),
            None => None,
        };
        Ok(ShippingMethodInput {
            name: self.name,
            price,
            free_above,
            active: self.active,
            position: self.position,
        })
    }
}

/// Orders, newest first, with filters.
#[utoipa::path(get, path = "/api/v1/admin/orders", tag = "admin", security(("bearer" = [])),
    params(OrderListParams),
    responses(
        (status = 200, body = ListDto<OrderDto>),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_orders(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiQuery(p): ApiQuery<OrderListParams>,
) -> Result<Json<ListDto<OrderDto>>, ApiError> {
    let query = OrderQuery {
        status: p.status,
        from: p.from,
        to: p.to,
        email: p.email,
        number: p.number,
        page: p.page,
        per_page: p.per_page,
    };
    let orders = state.shop.list_orders(&actor, query).await?;
    Ok(Json(ListDto::from_page(orders, Into::into)))
}

/// An order with its lines and history.
#[utoipa::path(get, path = "/api/v1/admin/orders/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The order's public id")),
    responses(
        (status = 200, body = OrderDto),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_order(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Path(id): Path<String>,
) -> Result<Json<OrderDto>, ApiError> {
    Ok(Json(state.shop.get_order(&actor, &id).await?.into()))
}

/// Move an order to another status, with a note for its history.
/// `pending_payment → paid → processing → shipped → delivered`;
/// `cancelled` from pending_payment or paid (stock returns); `expired`
/// from pending_payment; `refunded` once paid. Anything else is 409.
#[utoipa::path(post, path = "/api/v1/admin/orders/{id}/status", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The order's public id")),
    request_body = OrderStatusRequest,
    responses(
        (status = 200, body = OrderDto),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a legal move from the current status", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown status", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_order_status(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<OrderStatusRequest>,
) -> Result<Json<OrderDto>, ApiError> {
    Ok(Json(
        state
            .shop
            .set_order_status(&actor, &id, &body.status, body.note.as_deref())
            .await?
            .into(),
    ))
}

/// Every shipping method, active or not.
#[utoipa::path(get, path = "/api/v1/admin/shipping-methods", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<ShippingMethodDto>)))]
pub async fn list_admin_shipping_methods(
    State(state): State<AppState>,
    Staff(_): Staff,
) -> Result<Json<Vec<ShippingMethodDto>>, ApiError> {
    let methods = state.shop.list_shipping_methods(false).await?;
    Ok(Json(methods.into_iter().map(Into::into).collect()))
}

/// Create a shipping method.
#[utoipa::path(post, path = "/api/v1/admin/shipping-methods", tag = "admin", security(("bearer" = [])),
    request_body = NewShippingMethodRequest,
    responses(
        (status = 201, body = ShippingMethodDto),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_shipping_method(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiJson(body): ApiJson<NewShippingMethodRequest>,
) -> Result<(StatusCode, Json<ShippingMethodDto>), ApiError> {
    let input = body.into_input(state.shop.config().currency)?;
    let created = state.shop.create_shipping_method(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Change a shipping method.
#[utoipa::path(patch, path = "/api/v1/admin/shipping-methods/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ShippingMethodRequest,
    responses(
        (status = 200, body = ShippingMethodDto),
        (status = 404, description = "No such shipping method", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_shipping_method(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<ShippingMethodRequest>,
) -> Result<Json<ShippingMethodDto>, ApiError> {
    Ok(Json(
        state
            .shop
            .update_shipping_method(&actor, id, body.into_input(state.shop.config().currency)?)
            .await?
            .into(),
    ))
}

/// Delete a shipping method; orders keep its name.
#[utoipa::path(delete, path = "/api/v1/admin/shipping-methods/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such shipping method", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_shipping_method(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_shipping_method(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
