//! `/api/v1/store/checkout` and `/api/v1/store/orders`: placing an order
//! and following it.

use super::account::AddressRequest;
use super::idempotent;
use super::types::{ListDto, OrderDto, PageParams, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiQuery, Authenticated, JsonBody, parse_json};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use souk_core::orders::{AddressChoice, CheckoutInput, IdempotencyKey, ShippingChoice};
use souk_domain::paging::PageRequest;
use utoipa::ToSchema;

/// Where to ship: an address, or the id of one in the address book.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ShippingAddressInput {
    Saved(i64),
    New(Box<AddressRequest>),
}

/// What the shopper chooses. Prices and totals are never taken from the
/// client.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckoutRequest {
    #[serde(deserialize_with = "shipping_address")]
    pub shipping_address: ShippingAddressInput,
    /// One of the shop's shipping methods, for the shop's own lines and
    /// those of every seller without methods of its own (one charge on
    /// their goods together); the shop's first is used when it is left out.
    #[schema(schema_with = rules::nullable_id)]
    pub shipping_method: Option<i64>,
    /// For a seller with shipping methods of its own, which of them its
    /// parcel ships with (its first when left out); see
    /// `GET /api/v1/store/checkout/shipping`. A method that is not that
    /// seller's is 409; a seller not in the cart is ignored.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub seller_shipping: Vec<SellerShippingPick>,
    /// Whether a new `shipping_address` goes into the account's address
    /// book too, in the same transaction (unless the book is full, when
    /// only the order keeps it).
    #[serde(default)]
    pub save_address: bool,
    /// A voucher code; one that cannot apply refuses the checkout (409).
    #[schema(nullable, pattern = "^([A-Za-z0-9_-]{3,32})?$")]
    pub voucher_code: Option<String>,
    #[schema(example = "bank_transfer", schema_with = rules::payment_method)]
    pub payment_method: String,
}

/// A seller's shipping method, as picked at checkout.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SellerShippingPick {
    #[schema(minimum = 1)]
    pub seller_id: i64,
    #[schema(minimum = 1)]
    pub shipping_method: i64,
}

/// Reads `shipping_address` with a message that says what is wrong with
/// it (such as a missing field), where the untagged enum would only say
/// that it matched neither form.
fn shipping_address<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<ShippingAddressInput, D::Error> {
    use serde::de::Error;
    const NEITHER: &str = "must be the id of a saved address or an address object";
    let value = serde_json::Value::deserialize(deserializer)?;
    match value {
        serde_json::Value::Number(id) => id
            .as_i64()
            .map(ShippingAddressInput::Saved)
            .ok_or_else(|| D::Error::custom(NEITHER)),
        serde_json::Value::Object(_) => serde_json::from_value(value)
            .map(|address| ShippingAddressInput::New(Box::new(address)))
            .map_err(D::Error::custom),
        _ => Err(D::Error::custom(NEITHER)),
    }
}

/// Place an order from the caller's cart.
///
/// One transaction: the cart is checked, every line priced from the
/// catalogue, stock taken line by line, the lines copied into the order,
/// the cart emptied. `Idempotency-Key` is required: a replay with the same
/// key and body returns the first response with `Idempotent-Replayed:
/// true`; the same key with another body is 422; while the first request
/// runs, 409.
#[utoipa::path(post, path = "/api/v1/store/checkout", tag = "orders", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "A unique key per checkout attempt: 1 to 255 visible characters", pattern = "^[!-~]+( +[!-~]+)*$", max_length = 255)),
    request_body = CheckoutRequest,
    responses(
        (status = 201, body = OrderDto, headers(("Idempotent-Replayed" = bool, description = "Present on a replay"))),
        (status = 400, description = "No Idempotency-Key, or an unreadable body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Empty cart, lines out of stock (named in errors), or the key is in use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid, or the key was used with another body", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn checkout(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let key = idempotent::key(&headers, "checkout")?;
    let request: CheckoutRequest = parse_json(&body)?;
    let input = CheckoutInput {
        shipping_address: match request.shipping_address {
            ShippingAddressInput::Saved(id) => AddressChoice::Saved(id),
            ShippingAddressInput::New(address) => AddressChoice::New(Box::new((*address).into())),
        },
        shipping: ShippingChoice {
            shop: request.shipping_method,
            sellers: request
                .seller_shipping
                .iter()
                .map(|p| (p.seller_id, p.shipping_method))
                .collect(),
        },
        save_address: request.save_address,
        voucher_code: request.voucher_code,
        payment_method: request.payment_method,
    };
    let key = IdempotencyKey {
        scope: format!("user:{}", caller.user_id),
        key,
        body: &body,
    };
    let placed = state
        .shop
        .place_order(caller, input, &key, &idempotent::render_order)
        .await?;
    Ok(idempotent::respond(placed))
}

/// The caller's orders, newest first.
#[utoipa::path(get, path = "/api/v1/store/orders", tag = "orders", security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, body = ListDto<OrderDto>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_my_orders(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ListDto<OrderDto>>, ApiError> {
    let page = PageRequest::parse(params.page, params.per_page)
        .map_err(|(field, e)| ApiError::invalid(field, e.0))?;
    let orders = state.shop.list_my_orders(caller, page).await?;
    Ok(Json(ListDto::from_page(orders, Into::into)))
}

/// One of the caller's orders with its history.
#[utoipa::path(get, path = "/api/v1/store/orders/{id}", tag = "orders", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The order's public id")),
    responses(
        (status = 200, body = OrderDto),
        (status = 404, description = "No such order of yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_my_order(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<OrderDto>, ApiError> {
    Ok(Json(state.shop.get_my_order(caller, &id).await?.into()))
}

/// Cancel one of the caller's orders while it is unpaid; its units go back
/// on the shelf.
#[utoipa::path(post, path = "/api/v1/store/orders/{id}/cancel", tag = "orders", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The order's public id")),
    responses(
        (status = 200, body = OrderDto),
        (status = 404, description = "No such order of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order is already paid or closed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel_my_order(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<OrderDto>, ApiError> {
    Ok(Json(state.shop.cancel_my_order(caller, &id).await?.into()))
}

/// Pay one of the caller's orders again after its card payment failed.
///
/// While the order waits for its payment by card, the answer is the order
/// with one open payment attempt in `payments`: the one already open (a
/// declined Stripe card leaves its attempt open for another card), or a
/// new one when the last one failed. An order has at most one open
/// attempt, so it is paid once. Pay it at `/pay/{payment id}`. The order
/// still expires when it would have. `Idempotency-Key` is required, as
/// for every request that makes a payment.
#[utoipa::path(post, path = "/api/v1/store/orders/{id}/payments", tag = "orders", security(("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The order's public id"),
        ("Idempotency-Key" = String, Header, description = "A unique key per attempt: 1 to 255 visible characters", pattern = "^[!-~]+( +[!-~]+)*$", max_length = 255),
    ),
    responses(
        (status = 201, body = OrderDto, headers(("Idempotent-Replayed" = bool, description = "Present on a replay"))),
        (status = 400, description = "No Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order waits for no payment, is not paid by card, or the key is in use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The key is not valid, or was used with another request", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn pay_my_order_again(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let key = idempotent::key(&headers, "payment")?;
    let body = id.as_bytes().to_vec();
    let key = IdempotencyKey {
        scope: format!("payment:{}", caller.user_id),
        key,
        body: &body,
    };
    let placed = state
        .shop
        .pay_my_order_again(caller, &id, &key, &idempotent::render_order)
        .await?;
    Ok(idempotent::respond(placed))
}
