//! One error type for the API: every failure becomes an RFC 9457
//! `application/problem+json` body. Internals go to the log, never to the
//! client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use souk_core::CoreError;
use souk_domain::FieldError;
use utoipa::ToSchema;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong this time, for a person to read.
    pub detail: String,
    /// Each field that failed validation (422 only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// A field that failed validation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field as the client named it, e.g. `variants[0].sku`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

/// A failed API request.
#[derive(Debug)]
pub enum ApiError {
    /// 400: the request could not be read.
    Malformed(String),
    /// 413: the body is over the size limit.
    TooLarge,
    /// 415: the body is not JSON.
    UnsupportedMediaType,
    /// Any failure of a use case.
    Core(CoreError),
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        Self::Core(err)
    }
}

impl ApiError {
    /// A 422 about one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Core(CoreError::invalid(field, message))
    }
}

fn problem(
    status: StatusCode,
    slug: &str,
    title: &str,
    detail: String,
    errors: Vec<FieldError>,
) -> Response {
    let body = Problem {
        kind: format!("https://souk.dev/problems/{slug}"),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        errors: errors
            .into_iter()
            .map(|e| ProblemField {
                field: e.field,
                message: e.message,
            })
            .collect(),
    };
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let core = match self {
            ApiError::Malformed(detail) => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "malformed",
                    "Malformed request",
                    detail,
                    vec![],
                );
            }
            ApiError::TooLarge => return too_large(),
            ApiError::UnsupportedMediaType => {
                return problem(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported-media-type",
                    "Unsupported media type",
                    "Send the body as JSON with Content-Type: application/json.".into(),
                    vec![],
                );
            }
            ApiError::Core(core) => core,
        };
        match core {
            CoreError::BadRequest(detail) => problem(
                StatusCode::BAD_REQUEST,
                "malformed",
                "Bad request",
                detail.into(),
                vec![],
            ),
            CoreError::Validation(errors) => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Validation failed",
                "One or more fields are not valid.".into(),
                errors,
            ),
            CoreError::NotFound(what) => problem(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                format!("No such {what}."),
                vec![],
            ),
            CoreError::Conflict(detail) => {
                problem(StatusCode::CONFLICT, "conflict", "Conflict", detail, vec![])
            }
            CoreError::Clash(errors) => problem(
                StatusCode::CONFLICT,
                "conflict",
                "Conflict",
                "The request clashes with what exists; each clash is named in errors.".into(),
                errors,
            ),
            CoreError::OutOfStock(lines) => problem(
                StatusCode::CONFLICT,
                "out-of-stock",
                "Not enough stock",
                "Some lines cannot be bought as asked; each is named in errors.".into(),
                lines,
            ),
            CoreError::Unauthenticated(detail) => {
                let mut response = problem(
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "Unauthenticated",
                    detail.into(),
                    vec![],
                );
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            CoreError::TooLarge(detail) => problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Too large",
                detail.into(),
                vec![],
            ),
            CoreError::Forbidden => problem(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                "Your account may not do this.".into(),
                vec![],
            ),
            CoreError::NotAllowed(detail) => problem(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                detail.into(),
                vec![],
            ),
            CoreError::RateLimited { retry_after_secs } => {
                let mut response = problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate-limited",
                    "Too many requests",
                    format!("Too many attempts; try again in {retry_after_secs} seconds."),
                    vec![],
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                response
            }
            CoreError::Internal(err) => {
                tracing::error!(error = ?err, "request failed");
                internal()
            }
        }
    }
}

fn too_large() -> Response {
    problem(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too-large",
        "Body too large",
        format!(
            "The body is over the limit of {} bytes.",
            crate::MAX_BODY_BYTES
        ),
        vec![],
    )
}

/// A 413 from the body-limit layer, which answers before any handler
/// with plain text, becomes a problem document under the API.
pub(crate) async fn problem_for_too_large(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let under_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| !v.as_bytes().ends_with(b"json"));
    if under_api && response.status() == StatusCode::PAYLOAD_TOO_LARGE && plain {
        return too_large();
    }
    response
}

fn internal() -> Response {
    problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Internal error",
        "Something went wrong on our side; it has been logged.".into(),
        vec![],
    )
}

/// The answer for a path that matches no route: problem+json under the
/// API, the shop's 404 page elsewhere.
pub(crate) async fn not_found(uri: axum::http::Uri) -> Response {
    if !uri.path().starts_with("/api/") {
        return crate::pages::not_found();
    }
    problem(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        "No such resource.".into(),
        vec![],
    )
}

/// The answer when a handler panicked: logged, and a plain 500 to the
/// client.
pub(crate) fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    log_panic(err.as_ref());
    internal()
}

/// Logs what a panicking handler said.
pub(crate) fn log_panic(err: &(dyn std::any::Any + Send)) {
    let message = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = message, "handler panicked");
}
