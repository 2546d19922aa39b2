//! `/api/v1/store/cart`: the shopper's cart, a guest's or a customer's.

use super::types::{CartDto, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, CART_TOKEN, Cart, Id};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use souk_core::cart::CartView;
use utoipa::ToSchema;

/// A variant to add and how many.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AddCartItemRequest {
    #[schema(schema_with = rules::id)]
    pub variant_id: i64,
    /// 1 to 999.
    #[schema(example = 1, minimum = 1, maximum = 999)]
    pub quantity: i64,
}

/// A line's new quantity.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateCartItemRequest {
    /// 1 to 999; remove the line to drop it.
    #[schema(minimum = 1, maximum = 999)]
    pub quantity: i64,
}

fn respond(status: StatusCode, cart: CartView) -> Response {
    let token = cart.new_token.clone();
    let mut response = (status, Json(CartDto::from(cart))).into_response();
    if let Some(value) = token.and_then(|t| HeaderValue::from_str(&t).ok()) {
        response.headers_mut().insert(CART_TOKEN, value);
    }
    response
}

/// The caller's cart: the customer's with a bearer token, else the guest
/// cart named by `X-Cart-Token` (empty when there is none).
#[utoipa::path(get, path = "/api/v1/store/cart", tag = "cart", security((), ("bearer" = [])),
    params(("X-Cart-Token" = Option<String>, Header, description = "A guest cart's token")),
    responses((status = 200, body = CartDto)))]
pub async fn get_cart(
    State(state): State<AppState>,
    Cart(owner): Cart,
) -> Result<Json<CartDto>, ApiError> {
    Ok(Json(state.shop.get_cart(&owner).await?.into()))
}

/// Add units of a variant. A guest's first add creates a cart whose token
/// comes back in the `X-Cart-Token` response header. Client prices are
/// ignored: the catalogue's price is the price.
#[utoipa::path(post, path = "/api/v1/store/cart/items", tag = "cart", security((), ("bearer" = [])),
    params(("X-Cart-Token" = Option<String>, Header, description = "A guest cart's token")),
    request_body = AddCartItemRequest,
    responses(
        (status = 201, body = CartDto, headers(("X-Cart-Token" = String, description = "Token of a newly created guest cart"))),
        (status = 409, description = "Not that many available, or no such variant for sale", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad quantity", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_cart_item(
    State(state): State<AppState>,
    Cart(owner): Cart,
    ApiJson(body): ApiJson<AddCartItemRequest>,
) -> Result<Response, ApiError> {
    let cart = state
        .shop
        .add_to_cart(&owner, body.variant_id, body.quantity)
        .await?;
    Ok(respond(StatusCode::CREATED, cart))
}

/// Set a line's quantity.
#[utoipa::path(patch, path = "/api/v1/store/cart/items/{item_id}", tag = "cart", security((), ("bearer" = [])),
    params(("item_id" = i64, Path), ("X-Cart-Token" = Option<String>, Header, description = "A guest cart's token")),
    request_body = UpdateCartItemRequest,
    responses(
        (status = 200, body = CartDto),
        (status = 404, description = "No such line in your cart", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not that many available", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad quantity", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_cart_item(
    State(state): State<AppState>,
    Cart(owner): Cart,
    Id(item_id): Id,
    ApiJson(body): ApiJson<UpdateCartItemRequest>,
) -> Result<Json<CartDto>, ApiError> {
    Ok(Json(
        state
            .shop
            .update_cart_item(&owner, item_id, body.quantity)
            .await?
            .into(),
    ))
}

/// Remove a line.
#[utoipa::path(delete, path = "/api/v1/store/cart/items/{item_id}", tag = "cart", security((), ("bearer" = [])),
    params(("item_id" = i64, Path), ("X-Cart-Token" = Option<String>, Header, description = "A guest cart's token")),
    responses(
        (status = 200, body = CartDto),
        (status = 404, description = "No such line in your cart", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove_cart_item(
    State(state): State<AppState>,
    Cart(owner): Cart,
    Id(item_id): Id,
) -> Result<Json<CartDto>, ApiError> {
    Ok(Json(
        state.shop.remove_cart_item(&owner, item_id).await?.into(),
    ))
}

/// A voucher code to try on the cart.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VoucherPreviewRequest {
    #[schema(example = "SUMMER10", pattern = "^[A-Za-z0-9_-]{3,32}$")]
    pub voucher_code: String,
}

/// What a voucher would take off the cart now.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct VoucherPreviewDto {
    pub voucher_code: String,
    pub subtotal: super::types::MoneyDto,
    pub discount: super::types::MoneyDto,
    /// Subtotal minus discount, before shipping and tax.
    pub total: super::types::MoneyDto,
}

/// Try a voucher on the cart: what it would take off now, or 422 with the
/// reason it cannot apply. The code is applied at checkout with
/// `voucher_code`.
#[utoipa::path(post, path = "/api/v1/store/cart/voucher", tag = "cart", security((), ("bearer" = [])),
    params(("X-Cart-Token" = Option<String>, Header, description = "A guest cart's token")),
    request_body = VoucherPreviewRequest,
    responses(
        (status = 200, body = VoucherPreviewDto),
        (status = 409, description = "The voucher cannot apply now; the message says why", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The code cannot be a voucher's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn preview_voucher(
    State(state): State<AppState>,
    Cart(owner): Cart,
    ApiJson(body): ApiJson<VoucherPreviewRequest>,
) -> Result<Json<VoucherPreviewDto>, ApiError> {
    let preview = state
        .shop
        .preview_voucher(&owner, &body.voucher_code)
        .await?;
    Ok(Json(VoucherPreviewDto {
        voucher_code: preview.code,
        subtotal: preview.subtotal.into(),
        discount: preview.discount.into(),
        total: preview.total.into(),
    }))
}
