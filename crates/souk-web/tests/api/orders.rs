//! Cart, checkout and orders: nothing oversold, nothing lost, nothing
//! counted twice.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn address() -> Value {
    json!({"full_name": "Ann Example", "line1": "1 Market Street", "city": "Springfield", "postal_code": "12345", "country": "US"})
}

fn checkout_body() -> Value {
    json!({"shipping_address": address(), "shipping_method": 1, "payment_method": "bank_transfer"})
}

/// Creates an active product with one variant of `stock` units at 1000
/// minor units (and a shipping method, if the shop has none); returns the
/// variant id.
async fn product(app: &TestApp, admin: &str, sku: &str, stock: i64) -> i64 {
    if app.get("/api/v1/store/shipping-methods").send().await.body == json!([]) {
        let method = app
            .post("/api/v1/admin/shipping-methods")
            .bearer(admin)
            .json(json!({"name": "Standard", "price": 500}))
            .send()
            .await;
        assert_eq!(method.status, StatusCode::CREATED, "{}", method.text);
    }
    let created = app
        .post("/api/v1/admin/products")
        .bearer(admin)
        .json(json!({"name": format!("Product {sku}"), "status": "active",
                     "variants": [{"sku": sku, "options": {}, "price": 1000, "stock": stock}]}))
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    created.body["variants"][0]["id"].as_i64().unwrap()
}

async fn add(app: &TestApp, token: &str, variant_id: i64, quantity: i64) -> TestResponse {
    app.post("/api/v1/store/cart/items")
        .bearer(token)
        .json(json!({"variant_id": variant_id, "quantity": quantity}))
        .send()
        .await
}

async fn checkout(app: &TestApp, token: &str, key: &str) -> TestResponse {
    app.post("/api/v1/store/checkout")
        .bearer(token)
        .header("idempotency-key", key)
        .json(checkout_body())
        .send()
        .await
}

async fn stock_available(app: &TestApp, variant_id: i64) -> i64 {
    let admin = app.admin().await;
    let movements = app
        .get(&format!(
            "/api/v1/admin/variants/{variant_id}/stock?per_page=1"
        ))
        .bearer(&admin)
        .send()
        .await;
    movements.body["items"][0]["stock_after"]
        .as_i64()
        .unwrap_or(0)
}

#[tokio::test]
async fn a_guest_cart_is_addressed_by_its_token() {
    let app = TestApp::with_demo().await;
    let added = app
        .post("/api/v1/store/cart/items")
        .json(json!({"variant_id": 1, "quantity": 2}))
        .send()
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    let token = added.headers["x-cart-token"].to_str().unwrap().to_owned();
    assert!(token.len() >= 40);
    assert_eq!(added.body["items"][0]["quantity"], 2);

    let again = app
        .post("/api/v1/store/cart/items")
        .header("x-cart-token", &token)
        .json(json!({"variant_id": 1, "quantity": 1}))
        .send()
        .await;
    assert!(
        !again.headers.contains_key("x-cart-token"),
        "the same cart is used"
    );
    assert_eq!(again.body["items"][0]["quantity"], 3);
    let line = again.body["items"][0]["id"].as_i64().unwrap();

    let fetched = app
        .get("/api/v1/store/cart")
        .header("x-cart-token", &token)
        .send()
        .await;
    assert_eq!(fetched.body["item_count"], 3);
    assert_eq!(
        fetched.body["subtotal"]["amount"],
        fetched.body["items"][0]["unit_price"]["amount"]
            .as_i64()
            .unwrap()
            * 3
    );

    // Without the token, or with another, the cart is someone else's.
    assert_eq!(
        app.get("/api/v1/store/cart").send().await.body["items"],
        json!([])
    );
    let stranger = app
        .get("/api/v1/store/cart")
        .header("x-cart-token", "not-a-token")
        .send()
        .await;
    assert_eq!(stranger.body["items"], json!([]));
    app.patch(&format!("/api/v1/store/cart/items/{line}"))
        .header("x-cart-token", "not-a-token")
        .json(json!({"quantity": 1}))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);

    let changed = app
        .patch(&format!("/api/v1/store/cart/items/{line}"))
        .header("x-cart-token", &token)
        .json(json!({"quantity": 1}))
        .send()
        .await;
    assert_eq!(changed.body["item_count"], 1);
    let removed = app
        .delete(&format!("/api/v1/store/cart/items/{line}"))
        .header("x-cart-token", &token)
        .send()
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    assert_eq!(removed.body["items"], json!([]));
}

#[tokio::test]
async fn bad_quantities_are_422_and_change_nothing() {
    let app = TestApp::with_demo().await;
    let (token, _) = app.customer("ann@example.com").await;
    add(&app, &token, 1, 1).await;
    let before = app
        .get("/api/v1/store/cart")
        .bearer(&token)
        .send()
        .await
        .body;
    for bad in [
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1_000_000_000),
        json!("two"),
        json!(null),
    ] {
        let response = app
            .post("/api/v1/store/cart/items")
            .bearer(&token)
            .json(json!({"variant_id": 1, "quantity": bad}))
            .send()
            .await;
        assert_eq!(response.error_fields(), ["quantity"], "{bad}");
        let line = before["items"][0]["id"].as_i64().unwrap();
        let patched = app
            .patch(&format!("/api/v1/store/cart/items/{line}"))
            .bearer(&token)
            .json(json!({"quantity": bad}))
            .send()
            .await;
        assert_eq!(patched.error_fields(), ["quantity"], "{bad}");
    }
    assert_eq!(
        app.get("/api/v1/store/cart")
            .bearer(&token)
            .send()
            .await
            .body,
        before
    );
    // An unknown variant names the field too.
    let unknown = add(&app, &token, 999_999, 1).await;
    assert_eq!(unknown.clash_fields(), ["variant_id"]);
}

#[tokio::test]
async fn more_than_available_is_409_and_client_prices_are_ignored() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let variant = product(&app, &admin, "SCARCE", 3).await;
    let (token, _) = app.customer("ann@example.com").await;
    let added = app
        .post("/api/v1/store/cart/items")
        .bearer(&token)
        .json(json!({"variant_id": variant, "quantity": 2, "unit_price": {"amount": 1, "currency": "USD"}, "price": 1}))
        .send()
        .await;
    assert_eq!(added.body["items"][0]["unit_price"]["amount"], 1000);
    add(&app, &token, variant, 2)
        .await
        .problem(StatusCode::CONFLICT);
    let cart = app.get("/api/v1/store/cart").bearer(&token).send().await;
    assert_eq!(
        cart.body["items"][0]["quantity"], 2,
        "the refused add changed nothing"
    );
}

#[tokio::test]
async fn signing_in_merges_the_guest_cart() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let plenty = product(&app, &admin, "PLENTY", 50).await;
    let few = product(&app, &admin, "FEW", 3).await;
    let (_, registered) = app.customer("ann@example.com").await;
    let ann = registered["access_token"].as_str().unwrap().to_owned();
    add(&app, &ann, few, 2).await;

    let guest = app
        .post("/api/v1/store/cart/items")
        .json(json!({"variant_id": plenty, "quantity": 4}))
        .send()
        .await;
    let token = guest.headers["x-cart-token"].to_str().unwrap().to_owned();
    app.post("/api/v1/store/cart/items")
        .header("x-cart-token", &token)
        .json(json!({"variant_id": few, "quantity": 2}))
        .send()
        .await;

    let login = app
        .post("/api/v1/auth/login")
        .header("x-cart-token", &token)
        .json(json!({"email": "ann@example.com", "password": PASSWORD}))
        .send()
        .await;
    assert_eq!(login.status, StatusCode::OK);
    let cart = app
        .get("/api/v1/store/cart")
        .bearer(login.body["access_token"].as_str().unwrap())
        .send()
        .await;
    let quantity = |variant: i64| {
        cart.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["variant_id"] == variant)
            .map(|l| l["quantity"].as_i64().unwrap())
    };
    assert_eq!(quantity(plenty), Some(4));
    assert_eq!(quantity(few), Some(3), "2 + 2 capped at the 3 available");
    // The guest cart is gone.
    let old = app
        .get("/api/v1/store/cart")
        .header("x-cart-token", &token)
        .send()
        .await;
    assert_eq!(old.body["items"], json!([]));
}

#[tokio::test]
async fn checkout_places_one_order_with_server_prices() {
    let app = TestApp::with_demo().await;
    let (token, _) = app.customer("ann@example.com").await;
    let cart = add(&app, &token, 1, 2).await;
    let unit = cart.body["items"][0]["unit_price"]["amount"]
        .as_i64()
        .unwrap();
    let before = stock_available(&app, 1).await;

    let mut body = checkout_body();
    body["total"] = json!({"amount": 1, "currency": "USD"});
    body["discount"] = json!({"amount": 100000, "currency": "USD"});
    let placed = app
        .post("/api/v1/store/checkout")
        .bearer(&token)
        .header("idempotency-key", "k1")
        .json(body)
        .send()
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.text);
    let order = &placed.body;
    assert_eq!(order["status"], "pending_payment");
    assert_eq!(order["payment_status"], "unpaid");
    assert!(order["number"].as_str().unwrap().starts_with("SK-"));
    assert!(
        order["id"].as_str().unwrap().len() >= 32,
        "public ids are random"
    );
    assert_eq!(order["subtotal"]["amount"], unit * 2);
    assert_eq!(order["discount"]["amount"], 0);
    let shipping = if unit * 2 >= 5000 { 0 } else { 495 };
    assert_eq!(order["shipping"]["amount"], shipping);
    assert_eq!(order["total"]["amount"], unit * 2 + shipping);
    assert_eq!(order["items"][0]["quantity"], 2);
    assert_eq!(order["history"][0]["status"], "pending_payment");
    assert_eq!(stock_available(&app, 1).await, before - 2);

    assert_eq!(
        app.get("/api/v1/store/cart")
            .bearer(&token)
            .send()
            .await
            .body["items"],
        json!([])
    );
    let mine = app.get("/api/v1/store/orders").bearer(&token).send().await;
    assert_eq!(mine.body["total"], 1);
    let id = order["id"].as_str().unwrap();
    let fetched = app
        .get(&format!("/api/v1/store/orders/{id}"))
        .bearer(&token)
        .send()
        .await;
    assert_eq!(fetched.body["number"], order["number"]);

    // An empty cart cannot be checked out.
    checkout(&app, &token, "k2")
        .await
        .problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_idempotency_key_is_required_and_replays() {
    let app = TestApp::with_demo().await;
    let (token, _) = app.customer("ann@example.com").await;
    add(&app, &token, 1, 1).await;
    app.post("/api/v1/store/checkout")
        .bearer(&token)
        .json(checkout_body())
        .send()
        .await
        .problem(StatusCode::BAD_REQUEST);

    let first = checkout(&app, &token, "same-key").await;
    assert_eq!(first.status, StatusCode::CREATED);
    let replay = checkout(&app, &token, "same-key").await;
    assert_eq!(replay.status, StatusCode::CREATED);
    assert_eq!(replay.text, first.text, "identical body");
    assert_eq!(replay.headers["idempotent-replayed"], "true");
    assert!(!first.headers.contains_key("idempotent-replayed"));

    let mut other = checkout_body();
    other["payment_method"] = json!("cash_on_delivery");
    let mismatch = app
        .post("/api/v1/store/checkout")
        .bearer(&token)
        .header("idempotency-key", "same-key")
        .json(other)
        .send()
        .await;
    mismatch.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.get("/api/v1/store/orders")
            .bearer(&token)
            .send()
            .await
            .body["total"],
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_make_one_order() {
    let app = TestApp::with_demo().await;
    let (token, _) = app.customer("ann@example.com").await;
    add(&app, &token, 1, 1).await;
    // The same key ten times at once, and the same cart under ten other keys.
    let same_key = (0..10).map(|_| checkout(&app, &token, "dup"));
    let keys: Vec<String> = (0..10).map(|i| format!("other-{i}")).collect();
    let other_keys = keys.iter().map(|k| checkout(&app, &token, k));
    let (a, b) = futures::future::join(
        futures::future::join_all(same_key),
        futures::future::join_all(other_keys),
    )
    .await;
    let mut created = std::collections::HashSet::new();
    for response in a.iter().chain(b.iter()) {
        match response.status {
            StatusCode::CREATED => {
                created.insert(response.body["id"].as_str().unwrap().to_owned());
            }
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}: {}", response.text),
        }
    }
    assert_eq!(created.len(), 1, "one order: {created:?}");
    assert_eq!(
        app.get("/api/v1/store/orders")
            .bearer(&token)
            .send()
            .await
            .body["total"],
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_checkouts_never_oversell() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    // SECURITY.md 1: one unit, fifty buyers at once.
    let stock = 1;
    let variant = product(&app, &admin, "LAST-UNITS", stock).await;
    let mut buyers = Vec::new();
    for i in 0..50 {
        let (token, _) = app.customer(&format!("buyer{i}@example.com")).await;
        assert_eq!(
            add(&app, &token, variant, 1).await.status,
            StatusCode::CREATED
        );
        buyers.push(token);
    }
    let results = futures::future::join_all(buyers.iter().map(|t| checkout(&app, t, "buy"))).await;
    let placed = results
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    for refused in results.iter().filter(|r| r.status != StatusCode::CREATED) {
        let body = refused.problem(StatusCode::CONFLICT);
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("LAST-UNITS"),
            "{}",
            refused.text
        );
    }
    assert_eq!(placed as i64, stock);
    assert_eq!(stock_available(&app, variant).await, 0);
    let orders = app.get("/api/v1/admin/orders").bearer(&admin).send().await;
    assert_eq!(orders.body["total"], stock);
}

#[tokio::test]
async fn out_of_stock_names_the_lines_and_changes_nothing() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let a = product(&app, &admin, "LINE-A", 5).await;
    let b = product(&app, &admin, "LINE-B", 1).await;
    let (ann, _) = app.customer("ann@example.com").await;
    let (bob, _) = app.customer("bob@example.com").await;
    add(&app, &ann, a, 2).await;
    add(&app, &ann, b, 1).await;
    add(&app, &bob, b, 1).await;
    assert_eq!(
        checkout(&app, &bob, "bob").await.status,
        StatusCode::CREATED
    );
    let refused = checkout(&app, &ann, "ann").await;
    let body = refused.problem(StatusCode::CONFLICT);
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(errors[0]["message"].as_str().unwrap().contains("LINE-B"));
    assert_eq!(
        stock_available(&app, a).await,
        5,
        "line A was not taken either"
    );
    assert_eq!(
        app.get("/api/v1/store/cart").bearer(&ann).send().await.body["item_count"],
        3,
        "the cart is kept"
    );
    // The key was released: after fixing the cart the same key works.
    let line_b = app.get("/api/v1/store/cart").bearer(&ann).send().await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["variant_id"] == b)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.delete(&format!("/api/v1/store/cart/items/{line_b}"))
        .bearer(&ann)
        .send()
        .await;
    assert_eq!(
        checkout(&app, &ann, "ann").await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn another_customers_order_and_cart_are_not_found() {
    let app = TestApp::with_demo().await;
    let (ann, _) = app.customer("ann@example.com").await;
    let (bob, _) = app.customer("bob@example.com").await;
    let cart = add(&app, &ann, 1, 1).await;
    let line = cart.body["items"][0]["id"].as_i64().unwrap();
    let order = checkout(&app, &ann, "k").await;
    let id = order.body["id"].as_str().unwrap();
    app.get(&format!("/api/v1/store/orders/{id}"))
        .bearer(&bob)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.post(&format!("/api/v1/store/orders/{id}/cancel"))
        .bearer(&bob)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/store/orders")
            .bearer(&bob)
            .send()
            .await
            .body["total"],
        0
    );
    add(&app, &ann, 2, 1).await;
    let ann_line = app.get("/api/v1/store/cart").bearer(&ann).send().await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.patch(&format!("/api/v1/store/cart/items/{ann_line}"))
        .bearer(&bob)
        .json(json!({"quantity": 2}))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&format!("/api/v1/store/cart/items/{ann_line}"))
        .bearer(&bob)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    let _ = line;
    app.get("/api/v1/store/orders/not-an-order")
        .bearer(&ann)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn cancelling_an_unpaid_order_returns_its_stock() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let variant = product(&app, &admin, "CANCEL-ME", 4).await;
    let (ann, _) = app.customer("ann@example.com").await;
    add(&app, &ann, variant, 3).await;
    let order = checkout(&app, &ann, "k").await;
    assert_eq!(stock_available(&app, variant).await, 1);
    let id = order.body["id"].as_str().unwrap();
    let cancelled = app
        .post(&format!("/api/v1/store/orders/{id}/cancel"))
        .bearer(&ann)
        .send()
        .await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["history"].as_array().unwrap().len(), 2);
    assert_eq!(stock_available(&app, variant).await, 4);
    app.post(&format!("/api/v1/store/orders/{id}/cancel"))
        .bearer(&ann)
        .send()
        .await
        .problem(StatusCode::CONFLICT);
    assert_eq!(
        stock_available(&app, variant).await,
        4,
        "stock returns once"
    );
}

#[tokio::test]
async fn staff_move_orders_through_their_life_cycle() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (ann, _) = app.customer("ann@example.com").await;
    add(&app, &ann, 1, 1).await;
    let id = checkout(&app, &ann, "k").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/admin/orders/{id}/status");
    app.post(&path)
        .bearer(&ann)
        .json(json!({"status": "paid"}))
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);
    app.post(&path)
        .bearer(&admin)
        .json(json!({"status": "shipped"}))
        .send()
        .await
        .problem(StatusCode::CONFLICT);
    app.post(&path)
        .bearer(&admin)
        .json(json!({"status": "teleported"}))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    for (status, note) in [
        ("paid", "transfer received"),
        ("processing", ""),
        ("shipped", "tracking 123"),
        ("delivered", ""),
    ] {
        let moved = app
            .post(&path)
            .bearer(&admin)
            .json(json!({"status": status, "note": note}))
            .send()
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
        assert_eq!(moved.body["status"], status);
    }
    let order = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&admin)
        .send()
        .await
        .body;
    assert_eq!(order["payment_status"], "paid");
    let history: Vec<&str> = order["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        [
            "pending_payment",
            "paid",
            "processing",
            "shipped",
            "delivered"
        ]
    );
    assert_eq!(order["history"][1]["note"], "transfer received");
    assert_eq!(order["history"][1]["actor"], "staff");
    app.post(&path)
        .bearer(&admin)
        .json(json!({"status": "pending_payment"}))
        .send()
        .await
        .problem(StatusCode::CONFLICT);
    // A paid order cannot be cancelled by the customer.
    app.post(&format!("/api/v1/store/orders/{id}/cancel"))
        .bearer(&ann)
        .send()
        .await
        .problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn staff_search_orders() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (ann, _) = app.customer("ann@example.com").await;
    let (bob, _) = app.customer("bob@example.com").await;
    add(&app, &ann, 1, 1).await;
    let ann_order = checkout(&app, &ann, "a").await.body;
    add(&app, &bob, 2, 1).await;
    checkout(&app, &bob, "b").await;
    let list = |query: String| {
        app.get(&format!("/api/v1/admin/orders{query}"))
            .bearer(&admin)
            .send()
    };
    assert_eq!(list(String::new()).await.body["total"], 2);
    assert_eq!(list("?email=ANN@example.com".into()).await.body["total"], 1);
    let number = ann_order["number"].as_str().unwrap();
    let by_number = list(format!("?number={number}")).await;
    assert_eq!(by_number.body["items"][0]["id"], ann_order["id"]);
    assert_eq!(list("?status=paid".into()).await.body["total"], 0);
    assert_eq!(
        list("?status=pending_payment&from=2000-01-01&to=2999-12-31".into())
            .await
            .body["total"],
        2
    );
    assert_eq!(list("?to=2000-01-01".into()).await.body["total"], 0);
    assert_eq!(
        list("?from=yesterday".into()).await.error_fields(),
        ["from"]
    );
    assert_eq!(list("?status=lost".into()).await.error_fields(), ["status"]);
}

#[tokio::test]
async fn sellers_see_only_their_lines() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    // A seller product and a shop product in one order.
    let sellers = app
        .get("/api/v1/store/products?seller=1&per_page=1")
        .send()
        .await;
    let seller_product = sellers.body["items"][0]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let detail = app
        .get(&format!("/api/v1/store/products/{seller_product}"))
        .send()
        .await;
    let seller_variant = detail.body["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["stock_available"].as_i64().unwrap() > 0)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let seller_email = "seller-one@example.com";
    // Link a seller account: the demo sellers' accounts have no password yet.
    let seller_slug = detail.body["seller"]["slug"].as_str().unwrap().to_owned();
    let _ = (&admin, seller_email);
    let seller_user = souk_db::repo::sellers::find_seller(app.shop.db().conn(), &seller_slug)
        .await
        .unwrap()
        .unwrap()
        .user_id
        .unwrap();
    let seller_account = souk_db::repo::accounts::find_user(app.shop.db().conn(), seller_user)
        .await
        .unwrap()
        .unwrap();
    app.shop
        .save_user(
            &seller_account.email,
            PASSWORD,
            None,
            souk_core::domain::identity::Role::Seller,
        )
        .await
        .unwrap();
    let login = app
        .post("/api/v1/auth/login")
        .json(json!({"email": seller_account.email, "password": PASSWORD}))
        .send()
        .await;
    let seller_token = login.body["access_token"].as_str().unwrap().to_owned();

    let shop_product = app
        .get("/api/v1/store/products?in_stock=true&per_page=100")
        .send()
        .await;
    let shop_slug = shop_product.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["seller"].is_null())
        .unwrap()["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let shop_detail = app
        .get(&format!("/api/v1/store/products/{shop_slug}"))
        .send()
        .await;
    let shop_variant = shop_detail.body["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["stock_available"].as_i64().unwrap() > 0)
        .unwrap()["id"]
        .as_i64()
        .unwrap();

    let (ann, _) = app.customer("ann@example.com").await;
    add(&app, &ann, seller_variant, 1).await;
    add(&app, &ann, shop_variant, 1).await;
    let order = checkout(&app, &ann, "k").await;
    assert_eq!(order.body["items"].as_array().unwrap().len(), 2);

    let seen = app
        .get("/api/v1/seller/orders")
        .bearer(&seller_token)
        .send()
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
    assert_eq!(seen.body["total"], 1);
    let items = seen.body["items"][0]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["variant_id"], seller_variant);
    assert_eq!(seen.body["items"][0]["subtotal"], items[0]["line_total"]);
    assert!(
        seen.body["items"][0].get("total").is_none(),
        "the customer's total is not the seller's business"
    );
    app.get("/api/v1/seller/orders")
        .bearer(&ann)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn shipping_methods_price_the_order() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let created = app
        .post("/api/v1/admin/shipping-methods")
        .bearer(&admin)
        .json(json!({"name": "Courier", "price": 700, "free_above": 3000}))
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let method = created.body["id"].as_i64().unwrap();
    app.post("/api/v1/admin/shipping-methods")
        .bearer(&admin)
        .json(json!({"price": -5}))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let variant = product(&app, &admin, "SHIP-ME", 10).await;
    let (ann, _) = app.customer("ann@example.com").await;

    add(&app, &ann, variant, 2).await;
    let mut body = checkout_body();
    body["shipping_method"] = json!(method);
    let small = app
        .post("/api/v1/store/checkout")
        .bearer(&ann)
        .header("idempotency-key", "1")
        .json(body.clone())
        .send()
        .await;
    assert_eq!(small.body["shipping"]["amount"], 700);
    assert_eq!(small.body["total"]["amount"], 2700);

    add(&app, &ann, variant, 3).await;
    let large = app
        .post("/api/v1/store/checkout")
        .bearer(&ann)
        .header("idempotency-key", "2")
        .json(body.clone())
        .send()
        .await;
    assert_eq!(large.body["shipping"]["amount"], 0, "free above 30.00");

    let off = app
        .patch(&format!("/api/v1/admin/shipping-methods/{method}"))
        .bearer(&admin)
        .json(json!({"active": false}))
        .send()
        .await;
    assert_eq!(off.body["active"], false);
    assert_eq!(
        app.get("/api/v1/store/shipping-methods").send().await.body,
        json!([])
    );
    add(&app, &ann, variant, 1).await;
    let refused = app
        .post("/api/v1/store/checkout")
        .bearer(&ann)
        .header("idempotency-key", "3")
        .json(body)
        .send()
        .await;
    assert_eq!(refused.clash_fields(), ["shipping_method"]);
}

#[tokio::test]
async fn checkout_refuses_bad_input_without_side_effects() {
    let app = TestApp::with_demo().await;
    let (ann, _) = app.customer("ann@example.com").await;
    add(&app, &ann, 1, 1).await;
    let send = |body: Value, key: &'static str| {
        app.post("/api/v1/store/checkout")
            .bearer(&ann)
            .header("idempotency-key", key)
            .json(body)
            .send()
    };
    let mut voucher = checkout_body();
    voucher["voucher_code"] = json!("FREE100");
    assert_eq!(send(voucher, "v").await.clash_fields(), ["voucher_code"]);
    let mut payment = checkout_body();
    payment["payment_method"] = json!("iou");
    assert_eq!(send(payment, "p").await.error_fields(), ["payment_method"]);
    let mut bad_address = checkout_body();
    bad_address["shipping_address"]["country"] = json!("Narnia");
    assert_eq!(
        send(bad_address, "a").await.error_fields(),
        ["shipping_address.country"]
    );
    // A field left out is named, not hidden behind "no form matched".
    let mut unnamed = checkout_body();
    unnamed["shipping_address"]
        .as_object_mut()
        .unwrap()
        .remove("full_name");
    let refused = send(unnamed, "n").await;
    let problem = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "shipping_address");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("full_name"),
        "{problem}"
    );
    let mut neither = checkout_body();
    neither["shipping_address"] = json!("1 Market Street");
    let refused = send(neither, "s").await;
    let problem = refused.problem(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("saved address or an address object"),
        "{problem}"
    );
    let mut foreign = checkout_body();
    foreign["shipping_address"] = json!(424242);
    assert_eq!(
        send(foreign, "f").await.clash_fields(),
        ["shipping_address"]
    );
    app.post("/api/v1/store/checkout")
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/v1/store/orders")
            .bearer(&ann)
            .send()
            .await
            .body["total"],
        0
    );
    assert_eq!(
        app.get("/api/v1/store/cart").bearer(&ann).send().await.body["item_count"],
        1
    );
    // A saved address works by id.
    let saved = app
        .post("/api/v1/store/addresses")
        .bearer(&ann)
        .json(address())
        .send()
        .await;
    let mut by_id = checkout_body();
    by_id["shipping_address"] = saved.body["id"].clone();
    let placed = send(by_id, "ok").await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.text);
    assert_eq!(placed.body["shipping_address"]["city"], "Springfield");
}

#[tokio::test]
async fn a_checkout_that_names_no_shipping_method_gets_the_shops_first() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let variant = product(&app, &admin, "FIRST-METHOD", 5).await;
    for (name, price, position) in [("Express", 1500, 5), ("Pick-up point", 250, -1)] {
        let created = app
            .post("/api/v1/admin/shipping-methods")
            .bearer(&admin)
            .json(json!({"name": name, "price": price, "position": position}))
            .send()
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    }
    let offered = app.get("/api/v1/store/shipping-methods").send().await;
    assert_eq!(offered.body.as_array().unwrap().len(), 3);
    let first = &offered.body[0];
    assert_eq!(first["name"], "Pick-up point", "{}", offered.text);

    let (ann, _) = app.customer("ann@example.com").await;
    add(&app, &ann, variant, 1).await;
    let mut body = checkout_body();
    body.as_object_mut().unwrap().remove("shipping_method");
    let placed = app
        .post("/api/v1/store/checkout")
        .bearer(&ann)
        .header("idempotency-key", "no-method")
        .json(body)
        .send()
        .await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.text);
    assert_eq!(placed.body["shipping_method"], "Pick-up point");
    assert_eq!(placed.body["shipping"]["amount"], 250);
}
