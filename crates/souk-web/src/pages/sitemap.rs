//! `/robots.txt` and the sitemap: `/sitemap.xml` is an index of files of
//! at most `SITEMAP_FILE_MAX` addresses each (the shop's own pages and
//! categories, sellers' shops, products), so that no answer holds the
//! whole catalogue of a large shop.

use super::PageError;
use super::seo::absolute;
use crate::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, SecondsFormat, Utc};
use souk_core::CoreError;
use souk_core::catalogue::sitemap::Listed;
use std::fmt::Write;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemaps/{file}", get(sitemap_file))
}

/// Parts of the site that are nobody's to find: back offices, accounts,
/// carts, checkout and payment, the API. `/seller` is named exactly and
/// with its slash, so that sellers' shops (`/sellers/...`) stay listed.
const PRIVATE: [&str; 9] = [
    "/admin",
    "/seller$",
    "/seller/",
    "/account",
    "/cart",
    "/checkout",
    "/pay/",
    "/api/",
    "/theme",
];

async fn robots(State(state): State<AppState>) -> Response {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    for path in PRIVATE {
        let _ = writeln!(text, "Disallow: {path}");
    }
    let _ = writeln!(text, "\nSitemap: {}", absolute(&state, "/sitemap.xml"));
    answer("text/plain; charset=utf-8", text)
}

/// `text` escaped for XML character data and attribute values.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn w3c(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn sitemap_index(State(state): State<AppState>) -> Result<Response, PageError> {
    let files = state.shop.sitemap_files().await?;
    let mut names = vec!["shop.xml".to_owned()];
    names.extend((1..=files.sellers).map(|n| format!("sellers-{n}.xml")));
    names.extend((1..=files.products).map(|n| format!("products-{n}.xml")));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for name in names {
        let loc = xml_escape(&absolute(&state, &format!("/sitemaps/{name}")));
        let _ = writeln!(xml, "<sitemap><loc>{loc}</loc></sitemap>");
    }
    xml.push_str("</sitemapindex>\n");
    Ok(answer("application/xml; charset=utf-8", xml))
}

/// One file of the index: `shop.xml`, `sellers-{n}.xml` or
/// `products-{n}.xml`; any other name is not found.
async fn sitemap_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let not_found = || PageError::Core(CoreError::NotFound("sitemap"));
    let numbered = |prefix: &str| {
        file.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(".xml"))
            .filter(|n| n.len() <= 12 && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<u64>().ok())
    };
    let urls: Vec<(String, Option<DateTime<Utc>>)> = if file == "shop.xml" {
        let fixed = ["/", "/products", "/about", "/sell"]
            .into_iter()
            .map(|path| (path.to_owned(), None));
        let categories = state.shop.sitemap_categories().await?;
        fixed.chain(paths("/categories/", categories)).collect()
    } else if let Some(n) = numbered("sellers-") {
        paths("/sellers/", state.shop.sitemap_sellers(n).await?).collect()
    } else if let Some(n) = numbered("products-") {
        paths("/products/", state.shop.sitemap_products(n).await?).collect()
    } else {
        return Err(not_found());
    };
    let mut xml = String::with_capacity(urls.len() * 120 + 200);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, updated) in urls {
        let loc = xml_escape(&absolute(&state, &path));
        match updated {
            Some(time) => {
                let _ = writeln!(
                    xml,
                    "<url><loc>{loc}</loc><lastmod>{}</lastmod></url>",
                    w3c(time)
                );
            }
            None => {
                let _ = writeln!(xml, "<url><loc>{loc}</loc></url>");
            }
        }
    }
    xml.push_str("</urlset>\n");
    Ok(answer("application/xml; charset=utf-8", xml))
}

/// The pages under `prefix` of `listed`, with when each changed.
fn paths(
    prefix: &'static str,
    listed: Vec<Listed>,
) -> impl Iterator<Item = (String, Option<DateTime<Utc>>)> {
    listed.into_iter().map(move |l| {
        let slug: String = form_urlencoded::byte_serialize(l.slug.as_bytes()).collect();
        (format!("{prefix}{slug}"), Some(l.updated_at))
    })
}

/// A text answer of `kind`, which a cache may keep for an hour.
fn answer(kind: &'static str, body: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(xml_escape("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d&apos;");
    }
}
