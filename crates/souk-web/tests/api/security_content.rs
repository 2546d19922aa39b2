//! What an attacker tries against the pages: markup in a name or an
//! address, and errors that would tell how the shop is built.

use crate::browser::Browser;
use crate::harness::*;
use crate::security::address;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const NAME: &str = "<script>alert(1)</script>";
const FULL_NAME: &str = "\"><img src=x onerror=alert(2)>";
const LINE1: &str = "<script>alert(3)</script> Street";
const COMPANY: &str = "<iframe src=//evil.example></iframe>";

/// Asserts that none of the markup above reached the page as markup, and
/// that `shown` reached it as escaped text (`&lt;` or `&#60;` alike).
fn escaped(page: &TestResponse, what: &str, shown: &[&str]) {
    assert_eq!(page.status, StatusCode::OK, "{what}: {}", page.text);
    for raw in ["<script>alert(", "<img src=x", "<iframe", "\"><img"] {
        assert!(!page.text.contains(raw), "{what} carries {raw} as markup");
    }
    let text = page.text.replace("&#60;", "&lt;").replace("&#62;", "&gt;");
    for escaped in shown {
        assert!(text.contains(escaped), "{what} shows {escaped}: {text}");
    }
}

#[tokio::test]
async fn markup_in_a_customers_name_and_address_is_shown_escaped() {
    let app = TestApp::with_demo().await;
    let registered = app
        .post("/api/v1/auth/register")
        .json(json!({"email": "mallory@example.com", "password": PASSWORD, "name": NAME}))
        .send()
        .await;
    assert_eq!(
        registered.status,
        StatusCode::CREATED,
        "{}",
        registered.text
    );
    assert_eq!(registered.body["user"]["name"], NAME);
    let token = registered.body["access_token"].as_str().unwrap().to_owned();
    app.post("/api/v1/store/cart/items")
        .bearer(&token)
        .json(json!({"variant_id": 1, "quantity": 1}))
        .send()
        .await;
    let mut shipping = address(FULL_NAME);
    shipping["line1"] = LINE1.into();
    shipping["company"] = COMPANY.into();
    let placed = app
        .post("/api/v1/store/checkout")
        .bearer(&token)
        .header("idempotency-key", "markup")
        .json(json!({"shipping_address": shipping, "shipping_method": 1, "payment_method": "bank_transfer"}))
        .send()
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.text);
    assert_eq!(placed.body["shipping_address"]["full_name"], FULL_NAME);
    let id = placed.body["id"].as_str().unwrap();

    let name = "&lt;script&gt;alert(1)&lt;";
    let full_name = "&lt;img src=x onerror=alert(2)&gt;";
    let line1 = "&lt;script&gt;alert(3)&lt;";
    let company = "&lt;iframe src=";
    let mut staff = crate::pages_admin::staff(&app).await;
    let customers = staff.get("/admin/customers").await;
    escaped(&customers, "the customer list", &[name]);
    let found = staff.get("/admin/customers?q=mallory").await;
    escaped(&found, "a customer search", &[name]);
    let order = staff.get(&format!("/admin/orders/{id}")).await;
    escaped(&order, "the admin order page", &[full_name, line1, company]);
    let list = staff.get("/admin/orders").await;
    escaped(&list, "the admin order list", &[]);

    let mut customer = Browser::new(&app);
    customer.sign_in("mallory@example.com", PASSWORD).await;
    let invoice = customer.get(&format!("/account/orders/{id}/invoice")).await;
    escaped(&invoice, "the invoice", &[full_name, line1, company]);
    let mine = customer.get(&format!("/account/orders/{id}")).await;
    escaped(&mine, "the customer's order page", &[full_name, line1]);
    let account = customer.get("/account").await;
    escaped(&account, "the account page", &[]);
}

/// What a 5xx must never show: how the shop is built.
fn reveals_nothing(text: &str) {
    let text = text.to_lowercase();
    for leak in [
        "sqlx",
        "select ",
        "password_hash",
        "from users",
        "pool",
        "sqlite",
        "postgres",
        ".rs",
        "/work",
        "/home",
        "src/",
        "panicked",
        "backtrace",
        "closed",
        "the secret of the shop",
    ] {
        assert!(!text.contains(leak), "a 5xx mentions {leak}: {text}");
    }
}

/// Panics with a message that names everything a 5xx must not show.
fn explode() -> Result<axum::body::Bytes, std::io::Error> {
    panic!(
        "the secret of the shop: SELECT password_hash FROM users at /work/main/crates/souk-core/src/auth/mod.rs:163"
    )
}

/// A body that panics when the handler reads it.
fn panicking_body() -> Body {
    Body::from_stream(futures::stream::once(async { explode() }))
}

async fn send(app: &TestApp, request: Request<Body>) -> (StatusCode, String, String) {
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        content_type,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

#[tokio::test]
async fn a_panic_in_the_api_or_the_pages_answers_500_and_reveals_nothing() {
    let app = TestApp::with_demo().await;
    let api = Request::post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(panicking_body())
        .unwrap();
    let (status, content_type, text) = send(&app, api).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{text}");
    assert_eq!(content_type, "application/problem+json");
    let problem: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(problem["status"], 500);
    assert_eq!(problem["title"], "Internal error");
    reveals_nothing(&text);

    // A page post is read by the page guard (for its form token) first.
    let mut browser = Browser::new(&app);
    browser.get("/login").await;
    let form = browser.cookie("souk_form").unwrap().to_owned();
    let page = Request::post("/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("souk_form={form}"))
        .header("sec-fetch-site", "same-origin")
        .body(panicking_body())
        .unwrap();
    let (status, content_type, text) = send(&app, page).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{text}");
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(text.contains("Something went wrong"), "{text}");
    reveals_nothing(&text);

    // The shop goes on serving.
    assert_eq!(app.get("/").send().await.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/v1/store/products").send().await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_page_that_fails_inside_answers_500_and_reveals_nothing() {
    let app = TestApp::with_demo().await;
    let mut staff = crate::pages_admin::staff(&app).await;
    let mut guest = Browser::new(&app);
    guest.get("/").await;
    // Take the database away from under the running application.
    app.shop.db().clone().close().await.unwrap();
    for (who, path) in [
        ("a guest", "/products"),
        ("a guest", "/"),
        ("staff", "/admin/orders"),
        ("staff", "/admin/customers"),
    ] {
        let browser = if who == "staff" {
            &mut staff
        } else {
            &mut guest
        };
        let page = browser.get(path).await;
        assert_eq!(
            page.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{who} {path}: {}",
            page.text
        );
        let content_type = page.headers["content-type"].to_str().unwrap();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        assert!(page.text.contains("Something went wrong"), "{}", page.text);
        reveals_nothing(&page.text);
    }
}
