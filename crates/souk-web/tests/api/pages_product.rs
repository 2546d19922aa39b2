//! The product page: one picker per option, the chosen variant's price and
//! stock, and adding the chosen options to the cart without JavaScript.

use crate::browser::Browser;
use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

/// A product of three sizes and two colours, not every combination made:
/// Natural S (3), Natural L (sold out), Natural XL (sold out), Charcoal L
/// (2); there is no Charcoal S or XL.
async fn apron(app: &TestApp) {
    let admin = app.admin().await;
    let variant = |sku: &str, colour: &str, size: &str, stock: i64| json!({"sku": sku, "options": {"colour": colour, "size": size}, "price": 3200, "stock": stock});
    let created = app
        .post("/api/v1/admin/products")
        .bearer(&admin)
        .json(
            json!({"name": "Linen Apron", "status": "active", "variants": [
                variant("APRON-NAT-S", "Natural", "S", 3),
                variant("APRON-NAT-L", "Natural", "L", 0),
                variant("APRON-NAT-XL", "Natural", "XL", 0),
                variant("APRON-CHA-L", "Charcoal", "L", 2),
            ]}),
        )
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
}

/// The radio of `field` with `value`, as the page writes it.
fn radio<'a>(html: &'a str, field: &str, value: &str) -> &'a str {
    let needle = format!("name=\"{field}\" value=\"{value}\"");
    let at = html
        .find(&needle)
        .unwrap_or_else(|| panic!("{needle} in the page"));
    let end = html[at..].find('>').map_or(html.len(), |i| at + i);
    &html[at..end]
}

#[tokio::test]
async fn each_option_has_its_own_picker() {
    let app = TestApp::with_demo().await;
    apron(&app).await;
    let page = Browser::new(&app).get("/products/linen-apron").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.text;
    assert!(
        html.contains("<legend>Colour: <span class=\"picked\""),
        "{html}"
    );
    assert!(html.contains("<legend>Size: <span class=\"picked\""));
    // The first variant that can be bought is chosen.
    assert!(radio(html, "opt_colour", "Natural").contains("checked"));
    assert!(radio(html, "opt_size", "S").contains("checked"));
    // Colours are swatches; a value no variant can sell is disabled.
    assert!(html.contains("data-swatch=\"charcoal\""));
    assert!(!radio(html, "opt_colour", "Charcoal").contains("disabled"));
    assert!(!radio(html, "opt_size", "L").contains("disabled"));
    assert!(radio(html, "opt_size", "XL").contains("disabled"));
    // The chosen variant's price, stock and SKU; no list of combinations.
    assert!(html.contains("$32.00"));
    assert!(html.contains("Only 3 left"));
    assert!(html.contains("SKU APRON-NAT-S"));
    assert!(!html.contains("name=\"variant_id\""));
    assert!(html.contains("id=\"variant-data\""));
    assert!(html.contains("\"sku\":\"APRON-CHA-L\""));

    // A product of one plain variant has nothing to choose.
    let skillet = Browser::new(&app)
        .get("/products/cast-iron-skillet-26-cm")
        .await;
    assert!(skillet.text.contains("name=\"variant_id\""));
    assert!(!skillet.text.contains("class=\"picker"));

    let missing = Browser::new(&app).get("/products/no-such-thing").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text.contains("Page not found"));
    assert!(
        missing.text.contains("class=\"site-header\""),
        "in the shop's look"
    );
}

#[tokio::test]
async fn the_chosen_options_go_to_the_cart() {
    let app = TestApp::with_demo().await;
    apron(&app).await;
    let mut browser = Browser::new(&app);
    browser.get("/products/linen-apron").await;
    let add = |colour: &'static str, size: &'static str| {
        [
            ("product", "linen-apron"),
            ("opt_colour", colour),
            ("opt_size", size),
            ("quantity", "2"),
        ]
    };

    let added = browser.post("/cart/items", &add("Charcoal", "L")).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    let cart = browser.open("/cart").await;
    assert!(
        cart.text.contains("colour: Charcoal, size: L"),
        "{}",
        cart.text
    );
    assert!(cart.text.contains("aria-label=\"2 items in the cart\""));

    // A combination that was never made: refused on the product page, the
    // choice kept.
    let none = browser.post("/cart/items", &add("Charcoal", "S")).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        none.text
            .contains("That combination is not available. Choose another.")
    );
    assert!(radio(&none.text, "opt_colour", "Charcoal").contains("checked"));
    assert!(radio(&none.text, "opt_size", "S").contains("checked"));
    assert!(none.text.contains("This combination is not available."));

    // A sold-out one: refused with the reason, the choice kept.
    let sold_out = browser.post("/cart/items", &add("Natural", "L")).await;
    assert_eq!(sold_out.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sold_out.text.contains("class=\"alert\" role=\"alert\""));
    assert!(radio(&sold_out.text, "opt_size", "L").contains("checked"));
    assert!(sold_out.text.contains("Sold out"));

    // A value longer than any option's is not read, nor shown back.
    let long = "x".repeat(5000);
    let too_long = browser
        .post(
            "/cart/items",
            &[
                ("product", "linen-apron"),
                ("opt_colour", &long),
                ("quantity", "1"),
            ],
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.text.contains("Choose an option first."));
    assert!(!too_long.text.contains(&long[..100]));

    // Options of another product, or of none, add nothing.
    let unknown = browser
        .post(
            "/cart/items",
            &[
                ("product", "no-such-thing"),
                ("opt_colour", "Natural"),
                ("quantity", "1"),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::SEE_OTHER);
    let cart = browser.open("/cart").await;
    assert!(cart.text.contains("aria-label=\"2 items in the cart\""));
}
