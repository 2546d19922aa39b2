//! The details every shop has: the theme switch, adding to the cart from
//! a listing's card, and prices in the shop's locale (what search engines
//! read is in `pages_search_engines`).

use crate::browser::{Browser, location};
use crate::harness::*;
use crate::pages_admin::staff;
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Creates a product through the staff API and gives back its record.
pub(crate) async fn product(app: &TestApp, admin: &str, body: Value) -> Value {
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
pub(crate) fn single(name: &str, sku: &str, price: i64, stock: i64) -> Value {
    json!({"name": name, "status": "active", "description": "A lamp for reading.",
        "variants": [{"sku": sku, "price": price, "stock": stock}]})
}

/// The text between `start` and the next `end` after it.
pub(crate) fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {text}"))
        + start.len();
    let to = text[from..].find(end).map_or(text.len(), |i| from + i);
    &text[from..to]
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
