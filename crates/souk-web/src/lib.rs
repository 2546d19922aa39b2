//! The HTTP edge of souk: the JSON API under `/api/v1` with its OpenAPI
//! document and interactive docs, health checks, and the middleware every
//! request passes (request id, tracing, limits, security headers).
//!
//! Handlers parse into domain values, call one use case of
//! [`souk_core::Shop`] and render; no SQL and no business rule lives here.

mod api;
mod error;
mod extract;
mod health;
mod html;
mod images;
mod pages;
mod pay;
mod statement;

pub use api::openapi;
pub use error::ApiError;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use souk_core::Shop;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Settings of the HTTP edge.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Take the client address from `X-Forwarded-For` (only behind a proxy
    /// that sets it).
    pub trust_proxy: bool,
    /// Mark cookies `Secure`: the shop is reached over TLS.
    pub secure_cookies: bool,
}

/// What every handler can reach.
#[derive(Clone)]
pub(crate) struct AppState {
    pub shop: Shop,
    pub config: WebConfig,
}

/// The largest request body accepted.
pub(crate) const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The largest photo upload: the file and its form's other fields.
pub(crate) const MAX_UPLOAD_BODY_BYTES: usize = souk_domain::photos::MAX_UPLOAD_BYTES + 64 * 1024;

/// Whether a request uploads a photo, and so may carry a larger body.
pub(crate) fn is_photo_upload(method: &axum::http::Method, path: &str) -> bool {
    method == axum::http::Method::POST && path.ends_with("/photos")
}

/// Limits every body: 1 MiB, or the photo limit for an upload. A body
/// declared too large is refused before it is read (413); one that grows
/// past the limit while read fails its extractor with 413.
async fn limit_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let limit = if is_photo_upload(request.method(), request.uri().path()) {
        MAX_UPLOAD_BODY_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        if request.uri().path().starts_with("/api/") {
            return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
        }
        return pages::too_large();
    }
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// The whole application: API, docs, health checks and middleware.
pub fn router(shop: Shop, config: WebConfig) -> Router {
    let config = WebConfig {
        secure_cookies: config.secure_cookies || shop.config().public_url.starts_with("https://"),
        ..config
    };
    let state = AppState { shop, config };
    let request_id = HeaderName::from_static("x-request-id");
    api::router(state.clone())
        .merge(health::router(state.clone()))
        .merge(pay::router(state.clone()))
        .merge(images::router(state.clone()))
        .merge(pages::router(state))
        .fallback(error::not_found)
        // Quality 4 for both gzip and brotli: brotli's best (11) costs a
        // hundred times the CPU for a few per cent.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // Every body is limited by `limit_body`; axum's own default limit
        // would cut uploads shorter.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::middleware::from_fn(error::problem_for_too_large))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}
