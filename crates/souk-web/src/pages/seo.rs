//! What search engines and link previews read of a storefront page: its
//! canonical address, its Open Graph tags and, on a product page,
//! schema.org `Product` data as JSON-LD. Addresses are absolute, made from
//! the shop's public address (`SOUK_PUBLIC_URL`).

use crate::AppState;
use serde::Serialize;
use souk_core::catalogue::ProductDetail;
use souk_core::photos::PhotoView;
use souk_domain::Money;

/// A page's address for search engines and link previews.
pub(crate) struct PageMeta {
    /// The page's one address (`<link rel="canonical">`, `og:url`).
    pub canonical: String,
    /// `og:type`: `website`, or `product`.
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    /// `og:image`, if the page has a picture.
    pub image: Option<String>,
    /// The page's structured data, JSON safe to place inside HTML.
    pub json_ld: Option<String>,
}

impl PageMeta {
    /// A page of the shop at `path` (`/products`), with what the frame
    /// says of it.
    pub fn page(state: &AppState, path: &str, title: &str, description: &str) -> Self {
        Self {
            canonical: absolute(state, path),
            kind: "website",
            title: title.to_owned(),
            description: description.to_owned(),
            image: None,
            json_ld: None,
        }
    }

    /// A product's page, with its picture (its first photo, if any) and
    /// its `Product` data.
    pub fn product(
        state: &AppState,
        product: &ProductDetail,
        cover: Option<&PhotoView>,
        description: &str,
    ) -> Self {
        let canonical = absolute(state, &format!("/products/{}", product.slug));
        let image = absolute(state, &product_image(&product.slug, cover));
        let json_ld = json_for_html(&ProductData::new(product, &canonical, &image));
        Self {
            canonical,
            kind: "product",
            title: product.name.clone(),
            description: description.to_owned(),
            image: Some(image),
            json_ld: Some(json_ld),
        }
    }
}

/// `path` on the shop's public address.
pub(crate) fn absolute(state: &AppState, path: &str) -> String {
    format!(
        "{}{path}",
        state.shop.config().public_url.trim_end_matches('/')
    )
}

/// The picture of a product, as a path on this site: its first photo in
/// its own format (which link previews read, unlike WebP in some), about
/// 960 px wide, or the drawn picture. Every address of a product's picture
/// outside the templates (link previews, structured data) comes from here.
pub(crate) fn product_image(slug: &str, cover: Option<&PhotoView>) -> String {
    match cover {
        Some(photo) => photo.fitting(960, photo.format),
        None => format!("/images/placeholder/{slug}.svg"),
    }
}

/// `value` as JSON that can stand inside a `<script>` element: `<`, `>`
/// and `&` are written as `\u` escapes, so no `</script>` or comment can
/// close the element early, and the JSON reads the same.
pub(crate) fn json_for_html(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// schema.org `Product`, as search engines read it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProductData<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    description: &'a str,
    /// The SKU of a product sold as one variant.
    #[serde(skip_serializing_if = "Option::is_none")]
    sku: Option<&'a str>,
    url: &'a str,
    image: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    brand: Option<Named<'a>>,
    offers: Offers<'a>,
    /// The product's published reviews in sum; left out while none.
    #[serde(skip_serializing_if = "Option::is_none")]
    aggregate_rating: Option<AggregateRating>,
}

/// A schema.org thing known by its name (`Brand`, `Organization`).
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// schema.org `AggregateRating`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AggregateRating {
    #[serde(rename = "@type")]
    kind: &'static str,
    /// The average, as a decimal string (`"4.5"`).
    rating_value: String,
    review_count: u64,
}

/// The offer of a product: one price (`Offer`), or a range over variants
/// whose prices differ (`AggregateOffer`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Offers<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    low_price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    high_price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offer_count: Option<usize>,
    price_currency: &'a str,
    availability: &'static str,
    url: &'a str,
}

/// A price as schema.org wants it: a decimal string, no symbol (`"49.00"`).
fn decimal(money: Money) -> String {
    money.major()
}

impl<'a> ProductData<'a> {
    fn new(product: &'a ProductDetail, url: &'a str, image: &'a str) -> Self {
        let availability = if product.in_stock {
            "https://schema.org/InStock"
        } else {
            "https://schema.org/OutOfStock"
        };
        let currency = product.price.currency.as_str();
        let offers = if product.price == product.max_price {
            Offers {
                kind: "Offer",
                price: Some(decimal(product.price)),
                low_price: None,
                high_price: None,
                offer_count: None,
                price_currency: currency,
                availability,
                url,
            }
        } else {
            Offers {
                kind: "AggregateOffer",
                price: None,
                low_price: Some(decimal(product.price)),
                high_price: Some(decimal(product.max_price)),
                offer_count: Some(product.variants.len()),
                price_currency: currency,
                availability,
                url,
            }
        };
        let sku = match product.variants.as_slice() {
            [only] => Some(only.sku.as_str()),
            _ => None,
        };
        Self {
            context: "https://schema.org",
            kind: "Product",
            name: &product.name,
            description: &product.description,
            sku,
            url,
            image,
            brand: product.seller.as_ref().map(|seller| Named {
                kind: "Brand",
                name: &seller.name,
            }),
            offers,
            aggregate_rating: product.rating.is_rated().then(|| AggregateRating {
                kind: "AggregateRating",
                rating_value: product.rating.average_text(),
                review_count: u64::from(product.rating.count),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_inside_html_cannot_close_its_element() {
        let text = json_for_html(&serde_json::json!({"name": "</script><!-- & \"x\""}));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["name"], "</script><!-- & \"x\"");
    }
}
