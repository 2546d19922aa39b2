//! `GET /images/{hash}/{file}`: the pictures of product photos and their
//! thumbnails, at content-addressed URLs. A file that exists never changes,
//! so it is kept a year (`immutable`) with a strong ETag. A thumbnail not
//! yet made answers with the picture itself for a minute, so the page works
//! at once and gets the thumbnail later.

use crate::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/images/{hash}/{file}", get(get_image))
        .with_state(state)
}

async fn get_image(
    State(state): State<AppState>,
    Path((hash, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let found = match state.shop.image_file(&hash, &file).await {
        Ok(Some(found)) => found,
        Ok(None) => return crate::pages::not_found(),
        Err(err) => {
            tracing::error!(error = %err, "an image could not be read");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let etag = if found.exact {
        format!("\"{hash}-{file}\"")
    } else {
        format!("\"{hash}-original\"")
    };
    let cache = if found.exact {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=60"
    };
    let mut out = HeaderMap::new();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, value);
    }
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(found.format.content_type()),
    );
    (StatusCode::OK, out, found.bytes).into_response()
}
