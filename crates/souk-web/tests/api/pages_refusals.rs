//! Refusals look like refusals: red, said plainly, on the page the shopper
//! was on with what was typed kept, and the focus on the message; and
//! nothing personal or secret travels in a URL.

use crate::browser::{Browser, hidden_field, location};
use crate::harness::*;
use axum::http::StatusCode;

const PRODUCT: &str = "/products/organic-cotton-crew-t-shirt";

#[tokio::test]
async fn a_refused_quantity_keeps_the_shopper_on_the_product_page() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let page = browser.get(PRODUCT).await;
    assert!(
        page.text
            .contains("name=\"product\" value=\"organic-cotton-crew-t-shirt\"")
    );
    for typed in ["-5", "abc", "100000"] {
        let refused = browser
            .post(
                "/cart/items",
                &[
                    ("product", "organic-cotton-crew-t-shirt"),
                    ("variant_id", "1"),
                    ("quantity", typed),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(
            refused.text.contains("Organic Cotton Crew T-Shirt"),
            "the product page"
        );
        assert!(
            refused
                .text
                .contains("class=\"alert\" role=\"alert\" tabindex=\"-1\" autofocus"),
            "a red message that takes the focus: {}",
            refused.text
        );
        assert!(!refused.text.contains("class=\"flash\""), "not a success");
        assert!(
            refused.text.contains(&format!("value=\"{typed}\"")),
            "the quantity is kept"
        );
        assert!(
            refused
                .text
                .contains("aria-invalid=\"true\" aria-describedby=\"quantity-error\"")
        );
    }
    let cart = browser.open("/cart").await;
    assert!(
        cart.text.contains("Your cart is empty."),
        "nothing was added"
    );
}

#[tokio::test]
async fn a_refusal_after_a_redirect_is_red_and_a_success_green() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    browser.get(PRODUCT).await;
    browser
        .post("/cart/items", &[("variant_id", "1"), ("quantity", "1")])
        .await;
    let cart = browser.open("/cart").await;
    assert!(
        cart.text
            .contains("<div class=\"flash\" role=\"status\">Added to your cart.</div>")
    );
    let line = cart.text.split("action=\"/cart/items/").nth(1).unwrap();
    let line_id = line[..line.find('"').unwrap()].to_owned();
    let refused = browser
        .post(&format!("/cart/items/{line_id}"), &[("quantity", "5000")])
        .await;
    assert_eq!(location(&refused).as_deref(), Some("/cart"));
    let cart = browser.open("/cart").await;
    assert!(
        cart.text
            .contains("<div class=\"alert\" role=\"alert\" tabindex=\"-1\" autofocus>The quantity must be a whole number from 1 to 999.</div>"),
        "{}",
        cart.text
    );
    let unknown = browser.get("/cart?voucher=NOPE-NOT-REAL").await;
    assert!(
        unknown
            .text
            .contains("The voucher &#39;NOPE-NOT-REAL&#39; does not exist."),
        "{}",
        unknown.text
    );
}

#[tokio::test]
async fn update_totals_posts_the_checkout_and_keeps_it_out_of_the_url() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    browser.register("ivy@example.com", "Ivy").await;
    browser.get(PRODUCT).await;
    browser
        .post("/cart/items", &[("variant_id", "1"), ("quantity", "1")])
        .await;
    let checkout = browser.open("/checkout").await;
    assert!(checkout.text.contains("formaction=\"/checkout/update\""));
    assert!(!checkout.text.contains("formmethod=\"get\""));
    let key = hidden_field(&checkout.text, "idempotency_key").unwrap();
    let updated = browser
        .post(
            "/checkout/update",
            &[
                ("idempotency_key", &key),
                ("address", "new"),
                ("full_name", "Ivy Stone"),
                ("line1", "9 Hidden Lane"),
                ("city", "Springfield"),
                ("postal_code", "12345"),
                ("country", "US"),
                ("phone", "+1 555 0100"),
                ("shipping_method_id", "1"),
                ("payment_method", "card"),
            ],
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert!(
        updated.text.contains("value=\"9 Hidden Lane\""),
        "the address is kept"
    );
    assert_eq!(
        hidden_field(&updated.text, "idempotency_key").as_deref(),
        Some(key.as_str()),
        "the same checkout"
    );
    // The query string of the page no longer carries the form.
    let by_url = browser
        .get("/checkout?line1=9+Hidden+Lane&full_name=Ivy")
        .await;
    assert!(!by_url.text.contains("9 Hidden Lane"));
    // The update is a form post like any other: without the token, refused.
    let forged = browser
        .post_raw("/checkout/update", &[("address", "new")], "same-origin")
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
