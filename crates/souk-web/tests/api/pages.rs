//! The storefront pages: what they show, that they escape what people
//! type, that forms keep their input, and that forged posts change nothing.

use crate::browser::{Browser, hidden_field, location};
use crate::harness::{PASSWORD, TestApp};
use axum::http::StatusCode;

fn header<'a>(response: &'a crate::harness::TestResponse, name: &str) -> &'a str {
    response
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    for path in [
        "/",
        "/products",
        "/products/organic-cotton-crew-t-shirt",
        "/cart",
        "/login",
        "/no-such-page",
    ] {
        let page = browser.get(path).await;
        let csp = header(&page, "content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(header(&page, "x-content-type-options"), "nosniff");
        assert!(!header(&page, "referrer-policy").is_empty());
        assert!(
            header(&page, "content-type").starts_with("text/html"),
            "{path}"
        );
    }
    let form_cookie = browser.get("/").await;
    assert!(
        form_cookie.headers.get("set-cookie").is_none(),
        "the form key is set once"
    );
}

#[tokio::test]
async fn home_shows_categories_and_products() {
    let app = TestApp::with_demo().await;
    let page = Browser::new(&app).get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("href=\"/categories/clothing\""),
        "{}",
        page.text
    );
    assert!(page.text.contains("New arrivals"));
    assert!(page.text.contains("class=\"card\""));
}

#[tokio::test]
async fn the_catalogue_filters_searches_sorts_and_pages() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let all = browser.get("/products").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.text.contains("Page 1 of"), "{}", all.text);
    assert!(all.text.contains("rel=\"next\""));

    let found = browser.get("/products?q=linen").await;
    assert!(found.text.contains("Linen Button-Down Shirt"));
    assert!(!found.text.contains("Organic Cotton Crew T-Shirt"));

    let tops = browser.get("/categories/tops?sort=price_asc").await;
    assert_eq!(tops.status, StatusCode::OK);
    let tee = tops
        .text
        .find("Organic Cotton Crew T-Shirt")
        .expect("tee listed");
    let shirt = tops
        .text
        .find("Linen Button-Down Shirt")
        .expect("shirt listed");
    assert!(tee < shirt, "cheapest first");
    assert!(!tops.text.contains("Wireless"), "only tops");

    let cheap = browser.get("/products?max_price=25").await;
    assert!(cheap.text.contains("Organic Cotton Crew T-Shirt"));
    assert!(!cheap.text.contains("Linen Button-Down Shirt"));

    let wrong = browser
        .get("/products?min_price=cheap&sort=nonsense&page=x")
        .await;
    assert_eq!(wrong.status, StatusCode::OK);
    assert!(
        wrong.text.contains("The lowest price must be an amount"),
        "{}",
        wrong.text
    );

    assert_eq!(
        browser.get("/categories/no-such-category").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_guest_fills_and_changes_a_cart() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    browser.get("/products/organic-cotton-crew-t-shirt").await;
    let added = browser
        .post("/cart/items", &[("variant_id", "1"), ("quantity", "2")])
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    assert!(browser.cookie("souk_cart").is_some());
    let cart = browser.open("/cart").await;
    assert!(cart.text.contains("Added to your cart."));
    assert!(cart.text.contains("Organic Cotton Crew T-Shirt"));
    assert!(cart.text.contains("$44.00"));
    assert!(cart.text.contains("aria-label=\"2 items in the cart\""));

    let line = cart.text.split("action=\"/cart/items/").nth(1).unwrap();
    let line_id = &line[..line.find('"').unwrap()];
    browser
        .post(&format!("/cart/items/{line_id}"), &[("quantity", "3")])
        .await;
    let cart = browser.open("/cart").await;
    assert!(cart.text.contains("$66.00"), "{}", cart.text);

    let too_many = browser
        .post(&format!("/cart/items/{line_id}"), &[("quantity", "5000")])
        .await;
    assert_eq!(too_many.status, StatusCode::SEE_OTHER);
    let cart = browser.open("/cart").await;
    assert!(
        cart.text
            .contains("The quantity must be a whole number from 1 to 999."),
        "{}",
        cart.text
    );
    assert!(cart.text.contains("$66.00"), "unchanged");

    browser
        .post(&format!("/cart/items/{line_id}/remove"), &[])
        .await;
    let cart = browser.open("/cart").await;
    assert!(cart.text.contains("Your cart is empty."));
}

#[tokio::test]
async fn forged_posts_are_refused_and_change_nothing() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    browser.get("/products/organic-cotton-crew-t-shirt").await;
    let token = browser.post("/cart/items", &[]).await;
    assert_eq!(token.status, StatusCode::SEE_OTHER, "a real form passes");

    let missing = browser
        .post_raw(
            "/cart/items",
            &[("variant_id", "1"), ("quantity", "1")],
            "same-origin",
        )
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.text.contains("This form has expired"));

    let wrong = browser
        .post_raw(
            "/cart/items",
            &[("csrf", "00ff"), ("variant_id", "1"), ("quantity", "1")],
            "same-origin",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);

    let page = browser.get("/cart").await;
    let csrf = hidden_field(&page.text, "csrf").unwrap_or_default();
    let cross = browser
        .post_raw(
            "/cart/items",
            &[("csrf", &csrf), ("variant_id", "1"), ("quantity", "1")],
            "cross-site",
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);

    let other_origin = app
        .post("/cart/items")
        .raw(
            "application/x-www-form-urlencoded",
            &format!("csrf={csrf}&variant_id=1&quantity=1"),
        )
        .header("origin", "https://evil.example")
        .header("host", "shop.example")
        .send()
        .await;
    assert_eq!(other_origin.status, StatusCode::FORBIDDEN);

    let cart = browser.get("/cart").await;
    assert!(cart.text.contains("Your cart is empty."), "{}", cart.text);
}

#[tokio::test]
async fn registering_keeps_the_guest_cart_and_signs_in() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    browser.get("/products/organic-cotton-crew-t-shirt").await;
    browser
        .post("/cart/items", &[("variant_id", "1"), ("quantity", "1")])
        .await;
    browser.register("ann@example.com", "Ann <b>Lee</b>").await;
    let session = browser
        .cookie("souk_session")
        .expect("signed in")
        .to_owned();
    assert!(
        browser.cookie("souk_cart").is_none(),
        "the guest cart joined the account"
    );

    let account = browser.open("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(
        account.text.contains("Ann &#60;b&#62;Lee&#60;/b&#62;"),
        "escaped"
    );
    assert!(!account.text.contains("<b>Lee</b>"));
    let cart = browser.get("/cart").await;
    assert!(
        cart.text.contains("Organic Cotton Crew T-Shirt"),
        "{}",
        cart.text
    );

    let out = browser.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(browser.cookie("souk_session").is_none());
    browser.set_cookie("souk_session", &session);
    let after = browser.get("/account").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "the old session ended");
    assert_eq!(location(&after).as_deref(), Some("/login?next=%2Faccount"));
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_renewed_at_sign_in() {
    let app = TestApp::with_demo().await;
    app.customer("bo@example.com").await;
    let mut browser = Browser::new(&app);
    browser.get("/login").await;
    let response = browser
        .post(
            "/login",
            &[("email", "bo@example.com"), ("password", PASSWORD)],
        )
        .await;
    let cookie = response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("souk_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let first = browser.cookie("souk_session").unwrap().to_owned();
    browser.sign_in("bo@example.com", PASSWORD).await;
    assert_ne!(browser.cookie("souk_session").unwrap(), first);
}

#[tokio::test]
async fn a_wrong_password_keeps_the_email_and_says_why() {
    let app = TestApp::with_demo().await;
    app.customer("cy@example.com").await;
    let mut browser = Browser::new(&app);
    browser.get("/login").await;
    let page = browser
        .post(
            "/login",
            &[("email", "cy@example.com"), ("password", "nope")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("The email or password is not correct."));
    assert!(page.text.contains("value=\"cy@example.com\""));
    assert!(browser.cookie("souk_session").is_none());

    let page = browser
        .post(
            "/register",
            &[("email", "not-an-email"), ("password", "x"), ("name", "Cy")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("id=\"email-error\""), "{}", page.text);
    assert!(page.text.contains("id=\"password-error\""));
    assert!(page.text.contains("value=\"Cy\""));
}

#[tokio::test]
async fn private_pages_send_visitors_to_sign_in() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    for path in ["/account", "/account/orders", "/checkout"] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            location(&page).unwrap().starts_with("/login?next="),
            "{path}"
        );
    }
    let evil = browser.get("/login?next=//evil.example").await;
    assert!(evil.text.contains("value=\"//evil.example\""));
    app.customer("di@example.com").await;
    let response = browser
        .post(
            "/login",
            &[
                ("email", "di@example.com"),
                ("password", PASSWORD),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(
        location(&response).as_deref(),
        Some("/account"),
        "only paths here"
    );
}

/// Registers, fills the cart with one T-shirt and opens the checkout.
async fn ready_to_check_out(browser: &mut Browser<'_>) -> String {
    browser.register("eve@example.com", "Eve").await;
    browser.get("/products/organic-cotton-crew-t-shirt").await;
    browser
        .post("/cart/items", &[("variant_id", "1"), ("quantity", "1")])
        .await;
    let checkout = browser.open("/checkout").await;
    assert_eq!(checkout.status, StatusCode::OK, "{}", checkout.text);
    hidden_field(&checkout.text, "idempotency_key").expect("an idempotency key")
}

#[tokio::test]
async fn checkout_places_one_order_and_shows_it() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let key = ready_to_check_out(&mut browser).await;
    let form = [
        ("idempotency_key", key.as_str()),
        ("address", "new"),
        ("full_name", "Eve Adams"),
        ("line1", "1 Main Street"),
        ("city", "Springfield"),
        ("postal_code", "12345"),
        ("country", "US"),
        ("save_address", "1"),
        ("shipping_method_id", "1"),
        ("payment_method", "bank_transfer"),
    ];
    let placed = browser.post("/checkout", &form).await;
    assert_eq!(placed.status, StatusCode::SEE_OTHER, "{}", placed.text);
    let order_path = location(&placed).unwrap();
    assert!(order_path.starts_with("/account/orders/"));

    let again = browser.post("/checkout", &form).await;
    assert_eq!(
        location(&again).as_deref(),
        Some(order_path.as_str()),
        "a resent form is the same order"
    );

    let order = browser.open(&order_path).await;
    assert!(order.text.contains("Thank you! Your order is placed."));
    assert!(order.text.contains("Organic Cotton Crew T-Shirt"));
    assert!(order.text.contains("pending payment"));
    assert!(order.text.contains("class=\"timeline\""));
    let invoice = browser.get(&format!("{order_path}/invoice")).await;
    assert_eq!(invoice.status, StatusCode::OK);
    assert!(invoice.text.contains("Invoice"));
    assert!(invoice.text.contains("Eve Adams"));
    let list = browser.get("/account/orders").await;
    assert_eq!(
        list.text.matches("/account/orders/").count(),
        1,
        "{}",
        list.text
    );
    let account = browser.get("/account").await;
    assert!(
        account.text.contains("1 Main Street"),
        "the address was saved"
    );

    let cancelled = browser.post(&format!("{order_path}/cancel"), &[]).await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let order = browser.open(&order_path).await;
    assert!(
        order.text.contains("Your order is cancelled."),
        "{}",
        order.text
    );

    let mut stranger = Browser::new(&app);
    stranger.register("mal@example.com", "Mal").await;
    assert_eq!(
        stranger.get(&order_path).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_checkout_with_mistakes_comes_back_with_the_input() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let key = ready_to_check_out(&mut browser).await;
    let page = browser
        .post(
            "/checkout",
            &[
                ("idempotency_key", key.as_str()),
                ("address", "new"),
                ("full_name", "Eve <i>Adams</i>"),
                ("line1", ""),
                ("city", "Springfield"),
                ("postal_code", "12345"),
                ("country", "Narnia"),
                ("shipping_method_id", "1"),
                ("payment_method", "bank_transfer"),
                ("voucher_code", "NOSUCHCODE"),
            ],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.text
    );
    assert!(page.text.contains("id=\"line1-error\""), "{}", page.text);
    assert!(page.text.contains("id=\"country-error\""));
    assert!(
        page.text
            .contains("value=\"Eve &#60;i&#62;Adams&#60;/i&#62;\"")
    );
    assert!(page.text.contains("value=\"Springfield\""));
    let orders = browser.get("/account/orders").await;
    assert!(orders.text.contains("You have not ordered anything yet."));
}

/// Registers, fills a cart and checks out by card with a new address;
/// where the shop sends the browser next.
pub(crate) async fn check_out_by_card(browser: &mut Browser<'_>) -> String {
    let key = ready_to_check_out(browser).await;
    let placed = browser
        .post(
            "/checkout",
            &[
                ("idempotency_key", key.as_str()),
                ("address", "new"),
                ("full_name", "Eve Adams"),
                ("line1", "1 Main Street"),
                ("city", "Springfield"),
                ("postal_code", "12345"),
                ("country", "US"),
                ("shipping_method_id", "1"),
                ("payment_method", "card"),
            ],
        )
        .await;
    location(&placed).unwrap_or_default()
}

#[tokio::test]
async fn paying_by_card_goes_to_the_payment_page() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let target = check_out_by_card(&mut browser).await;
    assert!(target.starts_with("/pay/"), "{target}");
    assert_eq!(browser.get(&target).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_password_reset_from_the_pages() {
    let app = TestApp::with_demo().await;
    app.customer("fay@example.com").await;
    let mut browser = Browser::new(&app);
    browser.get("/forgot-password").await;
    let sent = browser
        .post("/forgot-password", &[("email", "fay@example.com")])
        .await;
    assert_eq!(sent.status, StatusCode::OK);
    assert!(sent.text.contains("Check your email"));
    app.run_jobs().await;
    let mail = app.emails().pop().expect("a reset e-mail");
    let start = mail.find("token=").expect("a link") + "token=".len();
    let token: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();

    let form = browser.get(&format!("/reset-password?token={token}")).await;
    assert!(form.text.contains(&format!("value=\"{token}\"")));
    let short = browser
        .post(
            "/reset-password",
            &[("token", &token), ("password", "short")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text.contains("id=\"password-error\""));
    let done = browser
        .post(
            "/reset-password",
            &[("token", &token), ("password", "a brand new password")],
        )
        .await;
    assert_eq!(location(&done).as_deref(), Some("/login"));
    let reused = browser
        .post(
            "/reset-password",
            &[("token", &token), ("password", "another new password")],
        )
        .await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reused.text.contains("This reset link is not valid"));
    browser
        .sign_in("fay@example.com", "a brand new password")
        .await;
}

#[tokio::test]
async fn the_about_page_and_static_files() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    assert_eq!(browser.get("/about").await.status, StatusCode::OK);
    let css = browser.get("/static/souk.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(header(&css, "content-type").starts_with("text/css"));
    let svg = browser
        .get("/images/placeholder/organic-cotton-crew-t-shirt.svg")
        .await;
    assert_eq!(header(&svg, "content-type"), "image/svg+xml");
    assert!(svg.text.contains(">OC<"));
    assert_eq!(
        browser.get("/static/../Cargo.toml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_category_filters_by_option_values() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let tops = browser.get("/categories/tops").await;
    assert!(tops.text.contains("name=\"opt_colour\""), "{}", tops.text);
    assert!(tops.text.contains("<option value=\"Sky Blue\">"));
    let black = browser
        .get("/categories/tops?opt_colour=Black&opt_size=M")
        .await;
    assert!(black.text.contains("Organic Cotton Crew T-Shirt"));
    assert!(!black.text.contains("Linen Button-Down Shirt"));
    assert!(black.text.contains("<option value=\"Black\" selected>"));
    let none = browser.get("/categories/tops?opt_colour=Plaid").await;
    assert!(none.text.contains("No products match."));
}

#[tokio::test]
async fn the_whole_catalogue_filters_by_option_values() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let all = browser.get("/products").await;
    assert!(all.text.contains("name=\"opt_colour\""), "{}", all.text);
    assert!(all.text.contains("name=\"opt_size\""));
    let black = browser.get("/products?opt_colour=Black&q=shirt").await;
    assert!(black.text.contains("Organic Cotton Crew T-Shirt"));
    assert!(!black.text.contains("Linen Button-Down Shirt"));
    assert!(black.text.contains("<option value=\"Black\" selected>"));
    assert!(black.text.contains("value=\"shirt\""), "the search is kept");
}

#[tokio::test]
async fn a_voucher_is_previewed_on_the_cart_and_applied_at_checkout() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let created = app
        .post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(serde_json::json!({"code": "TENOFF", "kind": "percent", "value": 10, "active": true}))
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);

    let mut browser = Browser::new(&app);
    let key = ready_to_check_out(&mut browser).await;
    let cart = browser.get("/cart?voucher=tenoff").await;
    assert!(cart.text.contains("Voucher TENOFF"), "{}", cart.text);
    assert!(cart.text.contains("−$2.20"));
    assert!(cart.text.contains("href=\"/checkout?voucher=tenoff\""));
    let unknown = browser.get("/cart?voucher=NOPE").await;
    assert!(
        unknown.text.contains("id=\"voucher-error\""),
        "{}",
        unknown.text
    );

    let quoted = browser.get("/checkout?voucher=tenoff").await;
    assert!(
        quoted.text.contains("<dt>Discount</dt><dd>−$2.20</dd>"),
        "{}",
        quoted.text
    );
    let placed = browser
        .post(
            "/checkout",
            &[
                ("idempotency_key", key.as_str()),
                ("address", "new"),
                ("full_name", "Eve Adams"),
                ("line1", "1 Main Street"),
                ("city", "Springfield"),
                ("postal_code", "12345"),
                ("country", "US"),
                ("shipping_method_id", "1"),
                ("payment_method", "bank_transfer"),
                ("voucher_code", "tenoff"),
            ],
        )
        .await;
    let order = browser.open(&location(&placed).unwrap_or_default()).await;
    assert!(order.text.contains("Discount"), "{}", order.text);
    assert!(order.text.contains("−$2.20"));
}

#[tokio::test]
async fn cookies_are_secure_when_the_shop_is_served_over_tls() {
    let app = TestApp::with_config(souk_core::ShopConfig {
        public_url: "https://shop.example".into(),
        ..Default::default()
    })
    .await;
    let page = app.get("/login").send().await;
    let cookie = header(&page, "set-cookie");
    assert!(
        cookie.starts_with("souk_form=") && cookie.contains("; Secure"),
        "{cookie}"
    );
}
