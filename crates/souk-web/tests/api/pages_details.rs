//! The details every shop has: the theme switch, robots.txt and the
//! sitemap, canonical and Open Graph tags with schema.org data, adding to
//! the cart from a listing's card, and prices in the shop's locale.

use crate::browser::{Browser, location};
use crate::harness::*;
use crate::pages_admin::staff;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Creates a product through the staff API and gives back its record.
async fn product(app: &TestApp, admin: &str, body: Value) -> Value {
    let created = app
        .post("/api/v1/admin/products")
        .bearer(admin)
        .json(body)
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    created.body
}

/// An active product of one variant.
fn single(name: &str, sku: &str, price: i64, stock: i64) -> Value {
    json!({"name": name, "status": "active", "description": "A lamp for reading.",
        "variants": [{"sku": sku, "price": price, "stock": stock}]})
}

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

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {text}"))
        + start.len();
    let to = text[from..].find(end).map_or(text.len(), |i| from + i);
    &text[from..to]
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

#[tokio::test]
async fn the_chosen_theme_is_on_the_next_page() {
    let app = TestApp::new().await;
    let mut browser = Browser::new(&app);
    let first = browser.get("/").await;
    assert!(
        first.text.contains("<html lang=\"en\">"),
        "system by default"
    );
    assert!(
        first
            .text
            .contains("<meta name=\"color-scheme\" content=\"light dark\">")
    );
    assert!(
        first
            .text
            .contains("aria-pressed=\"true\" title=\"System\">")
    );

    let chose = browser
        .post(
            "/theme",
            &[("theme", "dark"), ("back", "/products?sort=name")],
        )
        .await;
    assert_eq!(chose.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&chose).as_deref(), Some("/products?sort=name"));
    assert_eq!(browser.cookie("souk_theme"), Some("dark"));
    let next = browser.get("/products?sort=name").await;
    assert!(
        next.text.contains("<html lang=\"en\" data-theme=\"dark\">"),
        "{}",
        next.text
    );
    assert!(
        next.text
            .contains("<meta name=\"color-scheme\" content=\"dark\">")
    );
    assert!(next.text.contains("aria-pressed=\"true\" title=\"Dark\">"));
    // The panels share the frame.
    let login = browser.get("/login").await;
    assert!(login.text.contains("data-theme=\"dark\""));

    let light = browser
        .post("/theme", &[("theme", "light"), ("back", "/")])
        .await;
    assert_eq!(location(&light).as_deref(), Some("/"));
    assert!(browser.get("/").await.text.contains("data-theme=\"light\""));

    // Back to the system's; never to another site; nothing unknown kept.
    let away = browser
        .post(
            "/theme",
            &[("theme", "system"), ("back", "//evil.example/")],
        )
        .await;
    assert_eq!(location(&away).as_deref(), Some("/"));
    assert!(!browser.get("/").await.text.contains("data-theme="));
    browser
        .post("/theme", &[("theme", "purple"), ("back", "/")])
        .await;
    assert!(!browser.get("/").await.text.contains("data-theme="));

    // A forged post changes nothing.
    let forged = browser
        .post_raw("/theme", &[("theme", "dark"), ("back", "/")], "same-origin")
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_card_adds_its_product_and_comes_back_to_the_listing() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let lamp = product(&app, &admin, single("Desk Lamp", "DESK-1", 4900, 3)).await;
    let variant = lamp["variants"][0]["id"].as_i64().unwrap().to_string();
    product(&app, &admin, single("Sold Lamp", "SOLD-1", 900, 0)).await;
    product(
        &app,
        &admin,
        json!({"name": "Floor Lamp", "status": "active", "variants": [
            {"sku": "FLOOR-W", "options": {"colour": "White"}, "price": 9000, "stock": 2},
            {"sku": "FLOOR-B", "options": {"colour": "Black"}, "price": 9000, "stock": 2},
        ]}),
    )
    .await;

    let mut browser = Browser::new(&app);
    let listing = browser.get("/products?sort=name").await;
    let html = &listing.text;
    assert!(
        html.contains(&format!("name=\"variant_id\" value=\"{variant}\"")),
        "{html}"
    );
    assert!(html.contains("<input type=\"hidden\" name=\"back\" value=\"/products?sort=name\">"));
    assert!(html.contains("Add to cart<span class=\"sr-only\">: Desk Lamp</span>"));
    assert!(html.contains("Choose options<span class=\"sr-only\"> for Floor Lamp</span>"));
    assert!(
        !html.contains(": Sold Lamp</span>"),
        "a sold-out card cannot add"
    );
    assert_eq!(html.matches("Add to cart<span").count(), 1);

    let added = browser
        .post(
            "/cart/items",
            &[
                ("variant_id", &variant),
                ("quantity", "1"),
                ("back", "/products?sort=name"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&added).as_deref(), Some("/products?sort=name"));
    let back = browser.get("/products?sort=name").await;
    assert!(back.text.contains("Added to your cart."));
    assert!(
        back.text.contains("aria-label=\"1 items in the cart\""),
        "{}",
        back.text
    );
    let cart = browser.get("/cart").await;
    assert!(cart.text.contains("Desk Lamp"));
    assert!(cart.text.contains("$49.00"));

    // Another site is never where a card sends the shopper.
    let away = browser
        .post(
            "/cart/items",
            &[
                ("variant_id", &variant),
                ("quantity", "1"),
                ("back", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(location(&away).as_deref(), Some("/cart"));
}

#[tokio::test]
async fn the_locale_setting_changes_how_prices_read() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let lamp = product(&app, &admin, single("Big Lamp", "BIG-1", 123_456, 3)).await;
    let path = format!("/products/{}", lamp["slug"].as_str().unwrap());
    let before = Browser::new(&app).get(&path).await;
    assert!(before.text.contains("$1,234.56"), "{}", before.text);

    let mut staff = staff(&app).await;
    let page = staff.get("/admin/settings").await;
    assert!(
        page.text.contains("<option value=\"en-US\" selected>"),
        "{}",
        page.text
    );
    assert!(
        page.text
            .contains("<option value=\"de-DE\">German (Germany): 1.234,56\u{a0}$</option>")
    );
    let bad = staff
        .post(
            "/admin/settings",
            &[("shop_name", "souk"), ("locale", "xx-XX")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("id=\"locale-error\""), "{}", bad.text);
    let saved = staff
        .post(
            "/admin/settings",
            &[("shop_name", "souk"), ("locale", "de-DE")],
        )
        .await;
    assert_eq!(location(&saved).as_deref(), Some("/admin/settings"));

    let after = Browser::new(&app).get(&path).await;
    assert!(after.text.contains("1.234,56\u{a0}$"), "{}", after.text);
    assert!(!after.text.contains("$1,234.56"));
    // Machines still read a plain decimal.
    let data = between(
        &after.text,
        "<script type=\"application/ld+json\">",
        "</script>",
    );
    let data: Value = serde_json::from_str(data).unwrap();
    assert_eq!(data["offers"]["price"], "1234.56");
    // The JSON API keeps its money objects.
    let api = app
        .get(&format!(
            "/api/v1/store/products/{}",
            lamp["slug"].as_str().unwrap()
        ))
        .send()
        .await;
    assert_eq!(
        api.body["price"],
        json!({"amount": 123_456, "currency": "USD"})
    );
}

#[tokio::test]
async fn e_mails_write_amounts_in_the_shops_locale() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let mut staff = staff(&app).await;
    staff.get("/admin/settings").await;
    let saved = staff
        .post(
            "/admin/settings",
            &[("shop_name", "souk"), ("locale", "de-DE")],
        )
        .await;
    assert_eq!(location(&saved).as_deref(), Some("/admin/settings"));
    let (_, order) = app.demo_order("ann@example.com", "bank_transfer").await;
    let cents = order["total"]["amount"].as_i64().unwrap();
    assert!(cents < 100_000, "no group separator to expect");
    let id = order["id"].as_str().unwrap();
    let paid = app
        .post(&format!("/api/v1/admin/orders/{id}/status"))
        .bearer(&admin)
        .json(json!({"status": "paid"}))
        .send()
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.text);
    app.run_jobs().await;
    let confirmation = app
        .emails()
        .into_iter()
        .find(|mail| mail.contains("We received the payment"))
        .expect("the payment is confirmed by e-mail");
    let total = format!("{},{:02}", cents / 100, cents % 100);
    assert!(confirmation.contains(&total), "{total} in {confirmation}");
    assert!(!confirmation.contains(" USD"));
}
