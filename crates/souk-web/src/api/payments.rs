//! `/api/v1/payments/webhooks/{testpay,stripe}` and refunds: money
//! arriving from the payment provider, and money going back.

use super::idempotent;
use super::types::{OrderDto, PriceInput, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, Staff, parse_json};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use souk_core::orders::IdempotencyKey;
use souk_core::payments::RefundInput;
use utoipa::ToSchema;

/// A webhook was received.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookAck {
    pub received: bool,
}

/// Money to give back.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefundRequest {
    /// In the order's currency; at most what was captured and not yet
    /// refunded. A bare integer of minor units is read in the order's
    /// currency too.
    #[schema(schema_with = rules::refund_amount)]
    pub amount: PriceInput,
    #[schema(schema_with = rules::text::<1, 500>)]
    pub reason: String,
    /// The parcel (fulfilment) it is for; at most what is left to refund
    /// of it. Left out, the refund is spread over the order's parcels in
    /// proportion to what is left of each. Its seller gives back its part
    /// and the commission on it is returned to the seller.
    #[schema(minimum = 1, nullable = false)]
    #[serde(default)]
    pub fulfilment_id: Option<i64>,
}

/// Events from testpay, the built-in test card gateway.
///
/// `Souk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
/// under `SOUK_TESTPAY_WEBHOOK_SECRET`, at most 300 seconds old. Body
/// `{id, type, data: {payment_id, amount, currency}}` with type
/// `payment.succeeded`, `payment.failed` or `refund.succeeded`. Each event
/// id takes effect once; a redelivery is acknowledged with 200.
#[utoipa::path(post, path = "/api/v1/payments/webhooks/testpay", tag = "payments",
    params(("Souk-Signature" = String, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256>")),
    request_body(content = std::collections::HashMap<String, serde_json::Value>, description = "The event, a JSON object, exactly as signed", content_type = "application/json"),
    responses(
        (status = 200, body = WebhookAck),
        (status = 400, description = "Missing or bad signature, stale timestamp, unreadable event", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such payment", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A refund larger than what was captured so far; deliver it again later", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn receive_testpay_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Json<WebhookAck>, ApiError> {
    let signature = headers.get("souk-signature").and_then(|v| v.to_str().ok());
    state.shop.handle_testpay_webhook(signature, &body).await?;
    Ok(Json(WebhookAck { received: true }))
}

/// Events from Stripe (when `SOUK_STRIPE_SECRET_KEY` is set).
///
/// `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw
/// body>">` under `SOUK_STRIPE_WEBHOOK_SECRET` (several `v1` values may be
/// given; one must match), at most 300 seconds old. Handled types:
/// `payment_intent.succeeded`, `payment_intent.payment_failed`,
/// `payment_intent.canceled` and `charge.refunded`; others are
/// acknowledged and ignored. Each event id takes effect once; a
/// redelivery is acknowledged with 200.
#[utoipa::path(post, path = "/api/v1/payments/webhooks/stripe", tag = "payments",
    params(("Stripe-Signature" = String, Header, description = "t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=...]")),
    request_body(content = std::collections::HashMap<String, serde_json::Value>, description = "Stripe's event, a JSON object, exactly as signed", content_type = "application/json"),
    responses(
        (status = 200, body = WebhookAck),
        (status = 400, description = "Missing or bad signature, stale timestamp, unreadable event, Stripe not configured", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No payment for this PaymentIntent", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A refund larger than what was captured so far; deliver it again later", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Amount or currency do not match the payment", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn receive_stripe_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Json<WebhookAck>, ApiError> {
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    state.shop.handle_stripe_webhook(signature, &body).await?;
    Ok(Json(WebhookAck { received: true }))
}

/// Give money back on an order, partly or fully, with `Idempotency-Key`.
/// Never more than was captured (409); a full refund moves the order to
/// `refunded`. The refund of a Stripe payment is made at Stripe by a job.
#[utoipa::path(post, path = "/api/v1/admin/orders/{id}/refunds", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The order's public id"), ("Idempotency-Key" = String, Header, description = "A unique key per refund: 1 to 255 visible characters", pattern = "^[!-~]+( +[!-~]+)*$", max_length = 255)),
    request_body = RefundRequest,
    responses(
        (status = 201, body = OrderDto),
        (status = 400, description = "No Idempotency-Key", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "More than was captured and not yet refunded, or than is left of the parcel", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid, or the parcel is not the order's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_refund(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let key = idempotent::key(&headers, "refund")?;
    let request: RefundRequest = parse_json(&body)?;
    let key = IdempotencyKey {
        scope: format!("refund:{}", actor.user_id().map_or(0, |u| u.0)),
        key,
        body: &body,
    };
    let placed = state
        .shop
        .refund_order(
            &actor,
            &id,
            RefundInput {
                amount: request.amount.minor_units(),
                currency: request.amount.currency(),
                reason: &request.reason,
                fulfilment_id: request.fulfilment_id,
            },
            &key,
            &idempotent::render_order,
        )
        .await?;
    Ok(idempotent::respond(placed))
}
