//! The storefront and the admin panel: server-rendered pages that work
//! without JavaScript. Like the API, each handler parses its input, calls
//! one use case of [`souk_core::Shop`] and renders a template; no business
//! rule lives here or in a template.

mod account;
pub(crate) mod admin;
pub(crate) mod assets;
mod cart;
mod filters;
mod flash;
mod forms;
mod layout;
mod my_orders;
mod panel;
mod parcels;
mod product;
mod reviews;
mod sell;
mod seller;
mod seo;
mod shop;
mod sign_in;
mod sitemap;
mod theme;
mod visitor;
mod wishlist;

use crate::AppState;
use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use layout::Layout;
use souk_core::CoreError;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub(crate) use flash::Flash;
pub(crate) use visitor::{Customer, StaffVisitor, Visitor};

/// What every page may send: scripts, styles and images from this origin
/// only, no inline script, never inside a frame.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Every page, behind the page guard (form keys, forged-post refusal) and
/// the pages' security headers.
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .merge(shop::routes())
        .merge(product::routes())
        .merge(reviews::routes())
        .merge(wishlist::routes())
        .merge(cart::routes())
        .merge(account::routes())
        .merge(sign_in::routes())
        .merge(my_orders::routes())
        .merge(sell::routes())
        .merge(theme::routes())
        .nest("/admin", admin::routes())
        .nest("/seller", seller::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            visitor::guard,
        ))
        .merge(sitemap::routes())
        .route("/static/{file}", get(assets::file))
        .route("/images/placeholder/{name}", get(assets::placeholder))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(CatchPanicLayer::custom(panic_page))
        .with_state(state)
}

/// A page whose handler panicked: logged, and the 500 page.
fn panic_page(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    crate::error::log_panic(err.as_ref());
    server_error()
}

/// Why a page could not be shown.
#[derive(Debug)]
pub(crate) enum PageError {
    /// A use case refused or failed.
    Core(CoreError),
    /// The page needs a signed-in visitor (of the right kind): sign in,
    /// then come back here.
    SignIn(String),
    /// A post without this browser's form token, or from another site.
    Forged,
    /// A form that cannot be read.
    BadForm,
}

impl From<CoreError> for PageError {
    fn from(err: CoreError) -> Self {
        Self::Core(err)
    }
}

/// The shop-styled page for an error.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self {
            PageError::SignIn(next) => {
                let target = format!("/login?next={}", forms::encode(&next));
                return redirect(&target);
            }
            PageError::Forged => (
                StatusCode::FORBIDDEN,
                "This form has expired",
                "The form was not sent from this shop's own page, or it is too old. Go back, reload the page and try again.".to_owned(),
            ),
            PageError::BadForm => (
                StatusCode::BAD_REQUEST,
                "This form could not be read",
                "Go back, reload the page and try again.".to_owned(),
            ),
            PageError::Core(err) => match err {
                CoreError::NotFound(what) => (
                    StatusCode::NOT_FOUND,
                    "Page not found",
                    format!("There is no such {what} here. It may have been moved or taken down."),
                ),
                CoreError::Unauthenticated(_) => return redirect("/login"),
                CoreError::Forbidden => (
                    StatusCode::FORBIDDEN,
                    "Not allowed",
                    "Your account may not do this.".to_owned(),
                ),
                CoreError::NotAllowed(detail) => {
                    (StatusCode::FORBIDDEN, "Not allowed", detail.to_owned())
                }
                CoreError::Conflict(detail) => (StatusCode::CONFLICT, "That did not work", detail),
                CoreError::TooLarge(detail) => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "That file is too large",
                    detail.to_owned(),
                ),
                CoreError::OutOfStock(_) => (
                    StatusCode::CONFLICT,
                    "Not enough stock",
                    "Some items are no longer available in the quantity asked.".to_owned(),
                ),
                CoreError::RateLimited { retry_after_secs } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many attempts",
                    format!("Please wait {retry_after_secs} seconds and try again."),
                ),
                CoreError::BadRequest(detail) => {
                    (StatusCode::BAD_REQUEST, "Bad request", detail.to_owned())
                }
                CoreError::Clash(errors) => (
                    StatusCode::CONFLICT,
                    "That clashes with what exists",
                    errors
                        .iter()
                        .map(|e| format!("{} {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                CoreError::Validation(errors) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Something is not right",
                    errors
                        .iter()
                        .map(|e| format!("{} {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                CoreError::Internal(err) => {
                    tracing::error!(error = ?err, "page failed");
                    return server_error();
                }
            },
        };
        error_page(status, heading, message)
    }
}

fn error_page(status: StatusCode, heading: &str, message: String) -> Response {
    render(
        status,
        &ErrorPage {
            layout: Layout::bare(heading),
            heading: heading.to_owned(),
            message,
        },
    )
}

/// The 500 page.
pub(crate) fn server_error() -> Response {
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "Something went wrong on our side; it has been logged. Please try again in a moment."
            .to_owned(),
    )
}

/// The 404 page, for paths that match nothing.
pub(crate) fn not_found() -> Response {
    let mut response = PageError::Core(CoreError::NotFound("page")).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    response
}

/// The page for an upload larger than the shop takes.
pub(crate) fn too_large() -> Response {
    let mut response = PageError::Core(CoreError::TooLarge(
        "The file is larger than 10 MiB. Go back and choose a smaller photo.",
    ))
    .into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    response
}

/// A rendered template as an HTML response.
pub(crate) fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, html).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            );
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response()
        }
    }
}

/// A 200 page.
pub(crate) fn ok(page: &impl Template) -> Result<Response, PageError> {
    Ok(render(StatusCode::OK, page))
}

/// Go to `to` with a GET (303 See Other).
pub(crate) fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/")),
    );
    response
}

/// Go to `to` and show `message` there once: what was done (a `&str` or
/// `String`), or a [`Flash::Refused`].
pub(crate) fn redirect_with(to: &str, message: impl Into<Flash>, visitor: &Visitor) -> Response {
    let mut response = redirect(to);
    response.headers_mut().append(
        header::SET_COOKIE,
        visitor::set_cookie(
            visitor::FLASH_COOKIE,
            &forms::encode(&message.into().to_cookie()),
            None,
            visitor.secure,
        ),
    );
    response
}
