//! The pages' static files, compiled into the binary, and the generated
//! placeholder pictures that stand in for product photos.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../../static/souk.css");
const JS: &str = include_str!("../../static/souk.js");
const STRIPE_PAY_JS: &str = include_str!("../../static/stripe-pay.js");
const ICON: &str = include_str!("../../static/favicon.svg");

/// `/static/{file}`: the stylesheet, the small scripts and the icon.
pub(super) async fn file(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "souk.css" => (CSS, "text/css; charset=utf-8"),
        "souk.js" => (JS, "text/javascript; charset=utf-8"),
        "stripe-pay.js" => (STRIPE_PAY_JS, "text/javascript; charset=utf-8"),
        "favicon.svg" => (ICON, "image/svg+xml"),
        _ => return super::not_found(),
    };
    cached(body.to_owned(), kind)
}

/// `/images/placeholder/{name}.svg`: a picture made from the name, the same
/// every time: a soft gradient with the name's initials.
pub(super) async fn placeholder(Path(name): Path<String>) -> Response {
    let Some(slug) = name.strip_suffix(".svg").filter(|s| s.len() <= 200) else {
        return super::not_found();
    };
    let hash = slug.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let hue = hash % 360;
    let hue2 = (hue + 40 + (hash >> 20) % 60) % 360;
    let initials: String = slug
        .split('-')
        .filter_map(|word| word.chars().next())
        .filter(char::is_ascii_alphanumeric)
        .take(2)
        .collect::<String>()
        .to_uppercase();
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl({hue},70%,82%)"/><stop offset="1" stop-color="hsl({hue2},65%,66%)"/></linearGradient></defs><rect width="400" height="300" fill="url(#g)"/><circle cx="330" cy="60" r="90" fill="#fff" fill-opacity=".18"/><circle cx="60" cy="270" r="70" fill="#fff" fill-opacity=".14"/><text x="200" y="172" font-family="system-ui,sans-serif" font-size="84" font-weight="700" text-anchor="middle" fill="#fff" fill-opacity=".92">{initials}</text></svg>"##
    );
    cached(svg, "image/svg+xml")
}

fn cached(body: String, kind: &'static str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}
