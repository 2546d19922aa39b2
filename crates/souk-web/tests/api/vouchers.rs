//! Vouchers: rules, preview, checkout, usage limits under concurrency,
//! and uses given back.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn checkout_body(voucher: Option<&str>) -> Value {
    json!({
        "shipping_address": {"full_name": "Ann Example", "line1": "1 Market Street", "city": "Springfield", "postal_code": "12345", "country": "US"},
        "shipping_method": 1, "payment_method": "bank_transfer", "voucher_code": voucher
    })
}

async fn voucher(app: &TestApp, admin: &str, body: Value) -> Value {
    let created = app
        .post("/api/v1/admin/vouchers")
        .bearer(admin)
        .json(body)
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    created.body
}

async fn buyer_with_cart(app: &TestApp, email: &str, variant: i64, quantity: i64) -> String {
    let (token, _) = app.customer(email).await;
    let added = app
        .post("/api/v1/store/cart/items")
        .bearer(&token)
        .json(json!({"variant_id": variant, "quantity": quantity}))
        .send()
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    token
}

/// An active product with one variant at 2000 minor units; its variant id.
async fn product(app: &TestApp, admin: &str, sku: &str, stock: i64) -> i64 {
    let created = app
        .post("/api/v1/admin/products")
        .bearer(admin)
        .json(json!({"name": format!("Voucher test {sku}"), "status": "active", "variants": [{"sku": sku, "price": 2000, "stock": stock}]}))
        .send()
        .await;
    created.body["variants"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn vouchers_are_validated_and_codes_are_case_insensitive() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let bad = app
        .post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(json!({"code": "x", "kind": "bogus", "usage_limit": 0, "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-11-01T00:00:00Z"}))
        .send()
        .await;
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["code", "kind", "usage_limit"]);
    // Each field may be right on its own and still clash with another.
    let backwards = app
        .post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(json!({"code": "BACKWARDS", "kind": "percent", "value": 10, "starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-11-01T00:00:00Z"}))
        .send()
        .await;
    assert_eq!(backwards.clash_fields(), ["ends_at"]);
    let percent = voucher(
        &app,
        &admin,
        json!({"code": "summer10", "kind": "percent", "value": 10}),
    )
    .await;
    assert_eq!(percent["code"], "SUMMER10");
    let again = app
        .post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(json!({"code": "SUMMER10", "kind": "fixed", "value": 100}))
        .send()
        .await;
    assert_eq!(again.clash_fields(), ["code"]);
    let too_much = app
        .post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(json!({"code": "HALF", "kind": "percent", "value": 150}))
        .send()
        .await;
    assert_eq!(too_much.error_fields(), ["value"]);
    let (customer, _) = app.customer("ann@example.com").await;
    app.get("/api/v1/admin/vouchers")
        .bearer(&customer)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/admin/vouchers")
            .bearer(&admin)
            .send()
            .await
            .body["total"],
        1
    );
}

#[tokio::test]
async fn a_voucher_is_previewed_and_applied_at_checkout() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let variant = product(&app, &admin, "VOUCHER-A", 10).await;
    voucher(
        &app,
        &admin,
        json!({"code": "TENOFF", "kind": "percent", "value": 10}),
    )
    .await;
    voucher(
        &app,
        &admin,
        json!({"code": "SHIPFREE", "kind": "free_shipping"}),
    )
    .await;
    let ann = buyer_with_cart(&app, "ann@example.com", variant, 2).await;

    let preview = app
        .post("/api/v1/store/cart/voucher")
        .bearer(&ann)
        .json(json!({"voucher_code": "tenoff"}))
        .send()
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
    assert_eq!(preview.body["discount"]["amount"], 400);
    assert_eq!(preview.body["total"]["amount"], 3600);

    let order = app
        .post("/api/v1/store/checkout")
        .bearer(&ann)
        .header("idempotency-key", "1")
        .json(checkout_body(Some("TenOff")))
        .send()
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{}", order.text);
    assert_eq!(order.body["subtotal"]["amount"], 4000);
    assert_eq!(order.body["discount"]["amount"], 400);
    assert_eq!(order.body["shipping"]["amount"], 495);
    assert_eq!(order.body["total"]["amount"], 4000 - 400 + 495);

    let bob = buyer_with_cart(&app, "bob@example.com", variant, 1).await;
    let free = app
        .post("/api/v1/store/checkout")
        .bearer(&bob)
        .header("idempotency-key", "1")
        .json(checkout_body(Some("SHIPFREE")))
        .send()
        .await;
    assert_eq!(free.body["discount"]["amount"], 495);
    assert_eq!(free.body["total"]["amount"], 2000);
}

#[tokio::test]
async fn a_voucher_that_cannot_apply_refuses_the_checkout_with_the_reason() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let variant = product(&app, &admin, "VOUCHER-B", 10).await;
    voucher(
        &app,
        &admin,
        json!({"code": "BIGSPEND", "kind": "fixed", "value": 500, "min_subtotal": 10000}),
    )
    .await;
    voucher(&app, &admin, json!({"code": "LATER", "kind": "fixed", "value": 500, "starts_at": "2999-01-01T00:00:00Z"})).await;
    voucher(
        &app,
        &admin,
        json!({"code": "GONE", "kind": "fixed", "value": 500, "ends_at": "2000-01-01T00:00:00Z"}),
    )
    .await;
    let off = voucher(
        &app,
        &admin,
        json!({"code": "OFF", "kind": "fixed", "value": 500}),
    )
    .await;
    app.post(&format!("/api/v1/admin/vouchers/{}/deactivate", off["id"]))
        .bearer(&admin)
        .send()
        .await;
    let ann = buyer_with_cart(&app, "ann@example.com", variant, 1).await;
    for (code, reason) in [
        ("NOPE", "does not exist"),
        ("BIGSPEND", "at least"),
        ("LATER", "not valid yet"),
        ("GONE", "expired"),
        ("OFF", "no longer valid"),
    ] {
        let refused = app
            .post("/api/v1/store/checkout")
            .bearer(&ann)
            .header("idempotency-key", code)
            .json(checkout_body(Some(code)))
            .send()
            .await;
        let body = refused.problem(StatusCode::CONFLICT);
        assert_eq!(body["errors"][0]["field"], "voucher_code");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains(reason),
            "{code}: {}",
            refused.text
        );
    }
    assert_eq!(
        app.get("/api/v1/store/orders")
            .bearer(&ann)
            .send()
            .await
            .body["total"],
        0,
        "nothing was ordered"
    );
    assert_eq!(
        app.get("/api/v1/store/cart").bearer(&ann).send().await.body["item_count"],
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_usage_limit_holds_under_concurrent_redemptions() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let variant = product(&app, &admin, "VOUCHER-C", 100).await;
    let limit = 5;
    let created = voucher(
        &app,
        &admin,
        json!({"code": "FIRSTFIVE", "kind": "fixed", "value": 100, "usage_limit": limit}),
    )
    .await;
    let mut buyers = Vec::new();
    for i in 0..20 {
        buyers.push(buyer_with_cart(&app, &format!("buyer{i}@example.com"), variant, 1).await);
    }
    let attempts = buyers.iter().map(|token| {
        app.post("/api/v1/store/checkout")
            .bearer(token)
            .header("idempotency-key", "go")
            .json(checkout_body(Some("FIRSTFIVE")))
            .send()
    });
    let results = futures::future::join_all(attempts).await;
    let placed = results
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    for refused in results.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_eq!(refused.clash_fields(), ["voucher_code"], "{}", refused.text);
    }
    assert_eq!(placed, limit as usize);
    let list = app
        .get("/api/v1/admin/vouchers")
        .bearer(&admin)
        .send()
        .await;
    let used = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == created["id"])
        .unwrap()["used_count"]
        .clone();
    assert_eq!(used, limit);
}

#[tokio::test]
async fn a_cancelled_order_gives_its_use_back_and_per_customer_limits_hold() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let variant = product(&app, &admin, "VOUCHER-D", 100).await;
    voucher(&app, &admin, json!({"code": "ONCEEACH", "kind": "fixed", "value": 100, "per_customer_limit": 1, "usage_limit": 1})).await;
    let ann = buyer_with_cart(&app, "ann@example.com", variant, 1).await;
    let first = app
        .post("/api/v1/store/checkout")
        .bearer(&ann)
        .header("idempotency-key", "1")
        .json(checkout_body(Some("ONCEEACH")))
        .send()
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    app.post("/api/v1/store/cart/items")
        .bearer(&ann)
        .json(json!({"variant_id": variant, "quantity": 1}))
        .send()
        .await;
    let second = app
        .post("/api/v1/store/checkout")
        .bearer(&ann)
        .header("idempotency-key", "2")
        .json(checkout_body(Some("ONCEEACH")))
        .send()
        .await;
    assert_eq!(second.clash_fields(), ["voucher_code"]);
    let cancelled = app
        .post(&format!(
            "/api/v1/store/orders/{}/cancel",
            first.body["id"].as_str().unwrap()
        ))
        .bearer(&ann)
        .send()
        .await;
    assert_eq!(cancelled.status, StatusCode::OK);
    let list = app
        .get("/api/v1/admin/vouchers")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(list.body["items"][0]["used_count"], 0, "the use came back");
    let third = app
        .post("/api/v1/store/checkout")
        .bearer(&ann)
        .header("idempotency-key", "3")
        .json(checkout_body(Some("ONCEEACH")))
        .send()
        .await;
    assert_eq!(third.status, StatusCode::CREATED, "{}", third.text);
    assert_eq!(third.body["discount"]["amount"], 100);
}

#[tokio::test]
async fn money_in_voucher_and_shipping_requests_is_an_amount_in_the_shops_currency() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let made = app
        .post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(json!({"code": "OBJECT", "kind": "fixed", "value": 500, "min_subtotal": {"amount": 10000, "currency": "USD"}}))
        .send()
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    assert_eq!(made.body["min_subtotal"]["amount"], 10000);
    let euros = app
        .post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(json!({"code": "EUROS", "kind": "fixed", "value": 500, "min_subtotal": {"amount": 10000, "currency": "EUR"}}))
        .send()
        .await;
    assert_eq!(euros.error_fields(), ["min_subtotal"]);

    let shipping = app
        .post("/api/v1/admin/shipping-methods")
        .bearer(&admin)
        .json(json!({"name": "Courier", "price": {"amount": 700, "currency": "USD"}, "free_above": 3000}))
        .send()
        .await;
    assert_eq!(shipping.status, StatusCode::CREATED, "{}", shipping.text);
    assert_eq!(shipping.body["price"]["amount"], 700);
    assert_eq!(shipping.body["free_above"]["amount"], 3000);
    let id = shipping.body["id"].as_i64().unwrap();
    let euros = app
        .patch(&format!("/api/v1/admin/shipping-methods/{id}"))
        .bearer(&admin)
        .json(json!({"free_above": {"amount": 100, "currency": "EUR"}}))
        .send()
        .await;
    assert_eq!(euros.error_fields(), ["free_above"]);
}
