//! The pages' static files, compiled into the binary, and the generated
//! placeholder pictures that stand in for product photos.
//!
//! Each static file is served under a name that carries a hash of its
//! content (`/static/souk.3f2a…css`), so browsers keep it for a year
//! without asking again, and a new release is fetched at once because its
//! names change. The plain names still answer, briefly cached, for links
//! made before a release.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// A file of `static/`, as the pages link it.
struct StaticFile {
    name: &'static str,
    body: &'static str,
    kind: &'static str,
    /// The name with the content's hash before the extension.
    hashed: String,
    /// `/static/` and the hashed name.
    href: String,
    /// The strong validator of the content.
    etag: HeaderValue,
}

impl StaticFile {
    fn new(name: &'static str, body: &'static str, kind: &'static str) -> Self {
        let digest = hex::encode(Sha256::digest(body.as_bytes()));
        let hash = &digest[..12];
        let hashed = match name.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
            None => format!("{name}.{hash}"),
        };
        Self {
            name,
            body,
            kind,
            href: format!("/static/{hashed}"),
            hashed,
            etag: HeaderValue::from_str(&format!("\"{hash}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("\"0\"")),
        }
    }
}

static FILES: LazyLock<[StaticFile; 6]> = LazyLock::new(|| {
    [
        StaticFile::new(
            "souk.css",
            include_str!("../../static/souk.css"),
            "text/css; charset=utf-8",
        ),
        StaticFile::new(
            "souk.js",
            include_str!("../../static/souk.js"),
            "text/javascript; charset=utf-8",
        ),
        StaticFile::new(
            "product.js",
            include_str!("../../static/product.js"),
            "text/javascript; charset=utf-8",
        ),
        StaticFile::new(
            "gallery.js",
            include_str!("../../static/gallery.js"),
            "text/javascript; charset=utf-8",
        ),
        StaticFile::new(
            "stripe-pay.js",
            include_str!("../../static/stripe-pay.js"),
            "text/javascript; charset=utf-8",
        ),
        StaticFile::new(
            "favicon.svg",
            include_str!("../../static/favicon.svg"),
            "image/svg+xml",
        ),
    ]
});

/// The address of static file `name` (as in `static/`), with its hash:
/// what a page links. An unknown name gives the plain address.
pub(crate) fn href(name: &str) -> &'static str {
    FILES
        .iter()
        .find(|file| file.name == name)
        .map_or("/static/missing", |file| file.href.as_str())
}

/// The addresses the page frame links, with their hashes.
pub(crate) struct AssetLinks {
    pub css: &'static str,
    pub js: &'static str,
    pub icon: &'static str,
}

/// The frame's static files.
pub(crate) fn links() -> AssetLinks {
    AssetLinks {
        css: href("souk.css"),
        js: href("souk.js"),
        icon: href("favicon.svg"),
    }
}

/// `/static/{file}`: the stylesheet, the small scripts and the icon; under
/// its hashed name for a year, under its plain name for five minutes.
pub(super) async fn file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let (found, lasting) = match FILES.iter().find(|f| f.hashed == file) {
        Some(found) => (found, true),
        None => match FILES.iter().find(|f| f.name == file) {
            Some(found) => (found, false),
            None => return super::not_found(),
        },
    };
    let cache = if lasting {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tags| tags.as_bytes() == found.etag.as_bytes());
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = (StatusCode::OK, found.body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(found.kind));
        response
    };
    let out = response.headers_mut();
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    out.insert(header::ETAG, found.etag.clone());
    response
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
