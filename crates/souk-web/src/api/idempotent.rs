//! The edge of requests that carry an `Idempotency-Key`: reading the key,
//! rendering the order response that is stored with it, and answering a
//! first request or a replay.

use super::types::OrderDto;
use crate::error::ApiError;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use souk_core::CoreError;
use souk_core::orders::{OrderView, Placed};

/// The key a request carries; 400 without one.
pub(super) fn key<'a>(headers: &'a HeaderMap, what: &str) -> Result<&'a str, ApiError> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::Malformed(format!("Send an Idempotency-Key header with every {what}."))
        })
}

/// The body stored with the key and sent back: the order as JSON.
pub(super) fn render_order(order: &OrderView) -> Result<String, CoreError> {
    serde_json::to_string(&OrderDto::from(order.clone())).map_err(|e| CoreError::Internal(e.into()))
}

/// A first answer, or the first answer again with `Idempotent-Replayed`.
pub(super) fn respond(placed: Placed) -> Response {
    let (status, body, replayed) = match placed {
        Placed::Created { body, .. } => (StatusCode::CREATED, body, false),
        Placed::Replay { status, body } => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED),
            body,
            true,
        ),
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}
