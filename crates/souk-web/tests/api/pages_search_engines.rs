//! What search engines read: robots.txt, the sitemap of what is on sale,
//! canonical and Open Graph tags, and schema.org data on product pages.

use crate::browser::Browser;
use crate::harness::*;
use crate::pages_details::{between, product, single};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// An approved seller with one active product, then `suspend`ed or not:
/// the product's slug.
async fn seller_product(app: &TestApp, admin: &str, slug: &str, suspend: bool) -> String {
    let email = format!("{slug}@example.com");
    let (token, _) = app.customer(&email).await;
    let applied = app
        .post("/api/v1/store/seller-application")
        .bearer(&token)
        .json(
            json!({"name": format!("Shop {slug}"), "slug": slug, "contact_email": email,
            "description": "Hand made.", "payout_details": "IBAN DE00 0000"}),
        )
        .send()
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.text);
    let id = applied.body["id"].as_i64().unwrap();
    let decide = |decision: &'static str| {
        app.post(&format!("/api/v1/admin/sellers/{id}/decision"))
            .bearer(admin)
            .json(json!({"decision": decision, "reason": "Checked."}))
    };
    assert_eq!(decide("approve").send().await.status, StatusCode::OK);
    let mut body = single(&format!("{slug} lamp"), &format!("{slug}-LAMP"), 1500, 4);
    body["seller_id"] = json!(id);
    let created = product(app, admin, body).await;
    if suspend {
        assert_eq!(decide("suspend").send().await.status, StatusCode::OK);
    }
    created["slug"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn robots_txt_keeps_crawlers_out_of_private_parts() {
    let app = TestApp::new().await;
    let robots = app.get("/robots.txt").send().await;
    assert_eq!(robots.status, StatusCode::OK);
    assert!(
        robots.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = &robots.text;
    for private in [
        "/admin",
        "/seller/",
        "/seller$",
        "/account",
        "/cart",
        "/checkout",
        "/api/",
    ] {
        assert!(
            text.contains(&format!("Disallow: {private}\n")),
            "{private}: {text}"
        );
    }
    // Sellers' shops are not caught by the panel's rule.
    assert!(!text.contains("Disallow: /seller\n"));
    assert!(text.contains("Allow: /\n"));
    let public = app
        .shop
        .config()
        .public_url
        .trim_end_matches('/')
        .to_owned();
    assert!(
        text.contains(&format!("Sitemap: {public}/sitemap.xml")),
        "{text}"
    );
}

#[tokio::test]
async fn the_sitemap_lists_what_is_on_sale_and_nothing_else() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let listed = product(&app, &admin, single("Reading Lamp", "LAMP-1", 4900, 3)).await;
    let mut archived = single("Old Lamp", "LAMP-OLD", 900, 3);
    archived["status"] = json!("archived");
    product(&app, &admin, archived).await;
    let good = seller_product(&app, &admin, "good-lamps", false).await;
    let hidden = seller_product(&app, &admin, "gone-lamps", true).await;

    let index = app.get("/sitemap.xml").send().await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(
        index.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let doc = roxmltree::Document::parse(&index.text).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let public = app
        .shop
        .config()
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let files: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .map(str::to_owned)
        .collect();
    assert!(
        files.contains(&format!("{public}/sitemaps/shop.xml")),
        "{files:?}"
    );
    assert!(files.contains(&format!("{public}/sitemaps/products-1.xml")));
    assert!(files.contains(&format!("{public}/sitemaps/sellers-1.xml")));

    let mut urls = Vec::new();
    for file in &files {
        let path = file.strip_prefix(&public).unwrap();
        let answer = app.get(path).send().await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        let doc = roxmltree::Document::parse(&answer.text).expect("well-formed XML");
        assert_eq!(doc.root_element().tag_name().name(), "urlset");
        for url in doc.descendants().filter(|n| n.has_tag_name("url")) {
            let loc = url.children().find(|n| n.has_tag_name("loc")).unwrap();
            urls.push(loc.text().unwrap().to_owned());
            if path.contains("products-") {
                let lastmod = url.children().find(|n| n.has_tag_name("lastmod"));
                assert!(lastmod.is_some(), "a product says when it changed");
            }
        }
    }
    let slug = listed["slug"].as_str().unwrap();
    for page in [
        format!("{public}/"),
        format!("{public}/products"),
        format!("{public}/products/{slug}"),
        format!("{public}/products/{good}"),
        format!("{public}/sellers/good-lamps"),
    ] {
        assert!(urls.contains(&page), "{page} in {urls:?}");
    }
    for page in [
        format!("{public}/products/old-lamp"),
        format!("{public}/products/{hidden}"),
        format!("{public}/sellers/gone-lamps"),
    ] {
        assert!(!urls.contains(&page), "{page} is not for sale");
    }
    for missing in [
        "/sitemaps/products-2.xml",
        "/sitemaps/products-0.xml",
        "/sitemaps/other.xml",
    ] {
        assert_eq!(
            app.get(missing).send().await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}

#[tokio::test]
async fn a_product_page_tells_search_engines_what_it_is() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let name = "Lamp </script><b>\"Quoted\" & 'more'</b>";
    let created = product(&app, &admin, single(name, "LAMP-Q", 4900, 3)).await;
    let slug = created["slug"].as_str().unwrap();
    let page = Browser::new(&app).get(&format!("/products/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.text;
    let public = app
        .shop
        .config()
        .public_url
        .trim_end_matches('/')
        .to_owned();
    let url = format!("{public}/products/{slug}");
    assert!(
        html.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")),
        "{html}"
    );
    assert!(html.contains(&format!("<meta property=\"og:url\" content=\"{url}\">")));
    assert!(html.contains("<meta property=\"og:type\" content=\"product\">"));
    assert!(html.contains("<meta property=\"og:site_name\" content=\"souk\">"));
    assert!(html.contains("<meta property=\"og:description\" content=\"A lamp for reading.\">"));
    assert!(html.contains(&format!(
        "<meta property=\"og:image\" content=\"{public}/images/placeholder/{slug}.svg\">"
    )));
    // The name is escaped in the tags.
    assert!(
        html.contains("<meta property=\"og:title\" content=\"Lamp &#60;/script&#62;"),
        "{html}"
    );
    assert!(!html.contains("<b>\"Quoted\""));

    let data = between(html, "<script type=\"application/ld+json\">", "</script>");
    assert!(
        !data.contains('<') && !data.contains('>') && !data.contains('&'),
        "{data}"
    );
    let data: Value = serde_json::from_str(data).expect("JSON-LD parses");
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "Product");
    assert_eq!(data["name"], name);
    assert_eq!(data["sku"], "LAMP-Q");
    assert_eq!(data["url"], url);
    assert_eq!(data["offers"]["@type"], "Offer");
    assert_eq!(data["offers"]["price"], "49.00");
    assert_eq!(data["offers"]["priceCurrency"], "USD");
    assert_eq!(data["offers"]["availability"], "https://schema.org/InStock");
    assert!(data.get("aggregateRating").is_none(), "no reviews yet");

    // Variants of different prices are an AggregateOffer; none in stock
    // is OutOfStock.
    let ranged = product(
        &app,
        &admin,
        json!({"name": "Two Lamps", "status": "active", "variants": [
            {"sku": "TWO-S", "options": {"size": "S"}, "price": 1000, "stock": 0},
            {"sku": "TWO-L", "options": {"size": "L"}, "price": 2550, "stock": 0},
        ]}),
    )
    .await;
    let page = Browser::new(&app)
        .get(&format!("/products/{}", ranged["slug"].as_str().unwrap()))
        .await;
    let data = between(
        &page.text,
        "<script type=\"application/ld+json\">",
        "</script>",
    );
    let data: Value = serde_json::from_str(data).unwrap();
    assert_eq!(data["offers"]["@type"], "AggregateOffer");
    assert_eq!(data["offers"]["lowPrice"], "10.00");
    assert_eq!(data["offers"]["highPrice"], "25.50");
    assert_eq!(data["offers"]["offerCount"], 2);
    assert_eq!(
        data["offers"]["availability"],
        "https://schema.org/OutOfStock"
    );

    // Listings name their one address, without filters or sorting.
    let listing = Browser::new(&app)
        .get("/products?sort=name&q=lamp&utm_source=x")
        .await;
    assert!(listing.text.contains(&format!(
        "<link rel=\"canonical\" href=\"{public}/products\">"
    )));
    // Private pages say nothing to search engines.
    let cart = Browser::new(&app).get("/cart").await;
    assert!(!cart.text.contains("rel=\"canonical\""));
}
