//! What an attacker tries against accounts: fields a customer may not
//! set, telling accounts apart by the time a sign-in takes, and session
//! cookies sent over plain HTTP.

use crate::browser::Browser;
use crate::harness::*;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

pub(crate) fn address(name: &str) -> Value {
    json!({"full_name": name, "line1": "1 Market Street", "city": "Springfield", "postal_code": "12345", "country": "US"})
}

/// An active product of the shop's own with one variant of 20 units at
/// 2000 minor units; its variant id.
async fn product(app: &TestApp, admin: &str, sku: &str) -> i64 {
    let created = app
        .post("/api/v1/admin/products")
        .bearer(admin)
        .json(
            json!({"name": format!("Security {sku}"), "status": "active",
                     "variants": [{"sku": sku, "options": {}, "price": 2000, "stock": 20}]}),
        )
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    created.body["variants"][0]["id"].as_i64().unwrap()
}

/// A request that carries fields the caller may not set is either
/// answered as if they were not there or refused with 422.
fn ignored_or_422(response: &TestResponse, ok: StatusCode) -> bool {
    if response.status == StatusCode::UNPROCESSABLE_ENTITY {
        response.problem(StatusCode::UNPROCESSABLE_ENTITY);
        return false;
    }
    assert_eq!(response.status, ok, "{}", response.text);
    true
}

#[tokio::test]
async fn prices_statuses_and_sellers_sent_in_a_cart_change_nothing() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let variant = product(&app, &admin, "MASS-CART").await;
    let (token, _) = app.customer("ann@example.com").await;
    let forged = json!({"unit_price": {"amount": 1, "currency": "USD"}, "price": 1, "line_total": 1,
                        "subtotal": 1, "total": 1, "status": "paid", "seller_id": 1, "product_id": 1});

    let mut add = forged.clone();
    add["variant_id"] = variant.into();
    add["quantity"] = 1.into();
    let added = app
        .post("/api/v1/store/cart/items")
        .bearer(&token)
        .json(add)
        .send()
        .await;
    if !ignored_or_422(&added, StatusCode::CREATED) {
        let plain = app
            .post("/api/v1/store/cart/items")
            .bearer(&token)
            .json(json!({"variant_id": variant, "quantity": 1}))
            .send()
            .await;
        assert_eq!(plain.status, StatusCode::CREATED, "{}", plain.text);
    }
    let cart = app.get("/api/v1/store/cart").bearer(&token).send().await;
    let item = cart.body["items"][0]["id"].as_i64().unwrap();

    let mut change = forged.clone();
    change["quantity"] = 2.into();
    let changed = app
        .patch(&format!("/api/v1/store/cart/items/{item}"))
        .bearer(&token)
        .json(change)
        .send()
        .await;
    let quantity = if ignored_or_422(&changed, StatusCode::OK) {
        2
    } else {
        1
    };
    let cart = app.get("/api/v1/store/cart").bearer(&token).send().await;
    let line = &cart.body["items"][0];
    assert_eq!(cart.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(line["variant_id"], variant);
    assert_eq!(line["quantity"], quantity);
    assert_eq!(line["unit_price"]["amount"], 2000);
    assert_eq!(line["line_total"]["amount"], 2000 * quantity);
    assert_eq!(cart.body["subtotal"]["amount"], 2000 * quantity);
    assert_eq!(cart.body["total"]["amount"], 2000 * quantity);

    // And at checkout: the order is priced, placed and attributed by the
    // shop alone.
    let mut body = forged;
    for (field, value) in [
        ("shipping_address", address("Ann Example")),
        ("shipping_method", 1.into()),
        ("payment_method", "bank_transfer".into()),
        ("payment_status", "paid".into()),
        ("discount", 2000.into()),
        ("shipping", 0.into()),
    ] {
        body[field] = value;
    }
    let placed = app
        .post("/api/v1/store/checkout")
        .bearer(&token)
        .header("idempotency-key", "forged")
        .json(body)
        .send()
        .await;
    let orders = app.get("/api/v1/store/orders").bearer(&token).send().await;
    if ignored_or_422(&placed, StatusCode::CREATED) {
        let order = &placed.body;
        assert_eq!(order["status"], "pending_payment");
        assert_eq!(order["payment_status"], "unpaid");
        assert_eq!(order["subtotal"]["amount"], 2000 * quantity);
        assert_eq!(order["discount"]["amount"], 0);
        let shipping = order["shipping"]["amount"].as_i64().unwrap();
        assert_eq!(
            order["total"]["amount"],
            2000 * quantity + shipping + order["tax"]["amount"].as_i64().unwrap()
        );
        assert_eq!(order["items"][0]["unit_price"]["amount"], 2000);
        assert_eq!(order["items"][0]["seller_id"], Value::Null);
        assert_eq!(orders.body["total"], 1);
    } else {
        assert_eq!(orders.body["total"], 0);
    }
}

#[tokio::test]
async fn owners_statuses_and_prices_sent_with_an_address_change_nothing() {
    let app = TestApp::new().await;
    let (ann, _) = app.customer("ann@example.com").await;
    let (bob, bob_body) = app.customer("bob@example.com").await;
    let bob_id = bob_body["user"]["id"].clone();
    let bobs = app
        .post("/api/v1/store/addresses")
        .bearer(&bob)
        .json(address("Bob Example"))
        .send()
        .await;
    assert_eq!(bobs.status, StatusCode::CREATED, "{}", bobs.text);
    let bobs_id = bobs.body["id"].as_i64().unwrap();

    let mut forged = address("Ann Example");
    for (field, value) in [
        ("user_id", bob_id.clone()),
        ("id", bobs_id.into()),
        ("status", "disabled".into()),
        ("seller_id", 1.into()),
        ("price", 1.into()),
        ("total", 1.into()),
    ] {
        forged[field] = value;
    }
    let created = app
        .post("/api/v1/store/addresses")
        .bearer(&ann)
        .json(forged.clone())
        .send()
        .await;
    let anns_id = if ignored_or_422(&created, StatusCode::CREATED) {
        assert_ne!(created.body["id"], bobs_id, "{}", created.text);
        created.body["id"].as_i64().unwrap()
    } else {
        let plain = app
            .post("/api/v1/store/addresses")
            .bearer(&ann)
            .json(address("Ann Example"))
            .send()
            .await;
        plain.body["id"].as_i64().unwrap()
    };
    forged["full_name"] = "Ann Changed".into();
    let updated = app
        .put(&format!("/api/v1/store/addresses/{anns_id}"))
        .bearer(&ann)
        .json(forged)
        .send()
        .await;
    let anns_name = if ignored_or_422(&updated, StatusCode::OK) {
        "Ann Changed"
    } else {
        "Ann Example"
    };

    // Ann's address is still hers alone, and Bob's is untouched.
    let anns = app.get("/api/v1/store/addresses").bearer(&ann).send().await;
    let anns = anns.body.as_array().unwrap().clone();
    assert_eq!(anns.len(), 1, "{anns:?}");
    assert_eq!(anns[0]["id"], anns_id);
    assert_eq!(anns[0]["full_name"], anns_name);
    app.get(&format!("/api/v1/store/addresses/{anns_id}"))
        .bearer(&bob)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    let bobs_now = app.get("/api/v1/store/addresses").bearer(&bob).send().await;
    assert_eq!(bobs_now.body, json!([bobs.body]));
}

#[tokio::test]
async fn statuses_sellers_and_prices_sent_to_the_profile_change_nothing() {
    let app = TestApp::with_demo().await;
    let (token, _) = app.customer("ann@example.com").await;
    let before = app.get("/api/v1/store/me").bearer(&token).send().await;
    let seller_before = app
        .get("/api/v1/seller/orders")
        .bearer(&token)
        .send()
        .await
        .status;
    let updated = app
        .patch("/api/v1/store/me")
        .bearer(&token)
        .json(json!({"name": "Ann B.", "status": "disabled", "disabled": true, "disabled_at": "2020-01-01T00:00:00Z",
                     "seller_id": 1, "role": "seller", "id": 1, "price": 1, "total": 1, "email_verified": true}))
        .send()
        .await;
    let name = if ignored_or_422(&updated, StatusCode::OK) {
        "Ann B."
    } else {
        "Test Customer"
    };
    let after = app.get("/api/v1/store/me").bearer(&token).send().await;
    assert_eq!(after.body["name"], name);
    for field in ["id", "email", "role", "email_verified", "created_at"] {
        assert_eq!(after.body[field], before.body[field], "{field}");
    }
    assert_eq!(after.body["role"], "customer");
    // Still not a seller, and the account still signs in.
    assert_eq!(seller_before, StatusCode::FORBIDDEN);
    app.get("/api/v1/seller/orders")
        .bearer(&token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);
    let login = app
        .post("/api/v1/auth/login")
        .json(json!({"email": "ann@example.com", "password": PASSWORD}))
        .send()
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.text);
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::test]
async fn an_unknown_email_costs_the_time_of_a_wrong_password() {
    let app = TestApp::new().await;
    let rounds = 7;
    for i in 0..rounds {
        app.customer(&format!("known{i}@example.com")).await;
    }
    let sign_in = |email: String| {
        let app = &app;
        async move {
            let started = Instant::now();
            let response = app
                .post("/api/v1/auth/login")
                .json(json!({"email": email, "password": "not the password at all"}))
                .send()
                .await;
            (started.elapsed(), response)
        }
    };
    // The first unknown email also computes the stand-in hash once.
    let (_, warm) = sign_in("warm-up@example.com".into()).await;
    warm.problem(StatusCode::UNAUTHORIZED);

    let (mut unknown, mut wrong) = (Vec::new(), Vec::new());
    for i in 0..rounds {
        // Alternate, so that both see the same load on the machine; one
        // try per account stays under the per-account throttle.
        let (unknown_time, unknown_answer) = sign_in(format!("nobody{i}@example.com")).await;
        let (wrong_time, wrong_answer) = sign_in(format!("known{i}@example.com")).await;
        wrong_answer.problem(StatusCode::UNAUTHORIZED);
        assert_eq!(unknown_answer.status, wrong_answer.status);
        assert_eq!(unknown_answer.body, wrong_answer.body);
        unknown.push(unknown_time);
        wrong.push(wrong_time);
    }
    let (unknown, wrong) = (median(unknown), median(wrong));
    assert!(
        unknown * 3 >= wrong && wrong * 3 >= unknown,
        "median sign-in: unknown email {unknown:?}, wrong password {wrong:?}"
    );
}

/// Every `Set-Cookie` of a sign-in from the login page.
async fn sign_in_cookies(app: &TestApp) -> Vec<String> {
    app.customer("cookie@example.com").await;
    let mut browser = Browser::new(app);
    let page = browser.get("/login").await;
    let mut cookies: Vec<String> = page
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let signed_in = browser
        .post(
            "/login",
            &[("email", "cookie@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.text
    );
    cookies.extend(
        signed_in
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned()),
    );
    let session = cookies
        .iter()
        .find(|c| c.starts_with("souk_session="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(cookies.iter().any(|c| c.starts_with("souk_form=")));
    cookies
}

fn is_secure(cookie: &str) -> bool {
    cookie
        .split(';')
        .any(|attribute| attribute.trim().eq_ignore_ascii_case("secure"))
}

#[tokio::test]
async fn the_session_cookie_is_secure_exactly_when_the_shop_is_reached_over_tls() {
    let tls = TestApp::with_config(souk_core::ShopConfig {
        public_url: "https://shop.example".into(),
        ..Default::default()
    })
    .await;
    for cookie in sign_in_cookies(&tls).await {
        assert!(is_secure(&cookie), "{cookie}");
    }

    let plain = TestApp::with_config(souk_core::ShopConfig {
        public_url: "http://127.0.0.1:8080".into(),
        ..Default::default()
    })
    .await;
    for cookie in sign_in_cookies(&plain).await {
        assert!(!is_secure(&cookie), "{cookie}");
    }

    // Behind a proxy that ends TLS, the setting says so without the URL.
    let mut proxied = TestApp::with_config(souk_core::ShopConfig {
        public_url: "http://127.0.0.1:8080".into(),
        ..Default::default()
    })
    .await;
    proxied.router = souk_web::router(
        proxied.shop.clone(),
        souk_web::WebConfig {
            secure_cookies: true,
            ..Default::default()
        },
    );
    for cookie in sign_in_cookies(&proxied).await {
        assert!(is_secure(&cookie), "{cookie}");
    }
}
