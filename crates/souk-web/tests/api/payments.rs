//! Card payments through testpay's signed webhooks, and refunds.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::{Value, json};
use souk_core::ShopConfig;
use souk_core::testpay::testpay_signature;

const SECRET: &str = "whsec_test_secret_for_souk";

async fn app_with(timeout_secs: i64) -> TestApp {
    TestApp::with_config(ShopConfig {
        testpay_webhook_secret: Some(SECRET.to_owned().into()),
        payment_timeout: chrono::Duration::seconds(timeout_secs),
        ..ShopConfig::default()
    })
    .await
}

/// A customer's order paid by card; the customer's token and the order.
async fn card_order(app: &TestApp, email: &str) -> (String, Value) {
    app.demo_order(email, "card").await
}

fn event(id: &str, kind: &str, payment: &Value) -> String {
    json!({"id": id, "type": kind, "data": {"payment_id": payment["id"], "amount": payment["amount"]["amount"], "currency": payment["amount"]["currency"]}}).to_string()
}

async fn deliver(app: &TestApp, body: &str, signature: Option<String>) -> TestResponse {
    let mut call = app
        .post("/api/v1/payments/webhooks/testpay")
        .raw("application/json", body);
    if let Some(signature) = signature {
        call = call.header("souk-signature", &signature);
    }
    call.send().await
}

fn sign(body: &str, age_secs: i64) -> String {
    testpay_signature(
        SECRET,
        chrono::Utc::now().timestamp() - age_secs,
        body.as_bytes(),
    )
}

#[tokio::test]
async fn a_signed_webhook_pays_the_order_once_however_often_it_comes() {
    let app = app_with(1800).await;
    let admin = app.admin().await;
    let (_, order) = card_order(&app, "ann@example.com").await;
    let payment = &order["payments"][0];
    assert_eq!(payment["provider"], "testpay");
    assert_eq!(payment["status"], "pending");
    assert_eq!(payment["amount"], order["total"]);
    let body = event("evt_1", "payment.succeeded", payment);
    for _ in 0..3 {
        let delivered = deliver(&app, &body, Some(sign(&body, 0))).await;
        assert_eq!(delivered.status, StatusCode::OK, "{}", delivered.text);
    }
    let id = order["id"].as_str().unwrap();
    let paid = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&admin)
        .send()
        .await
        .body;
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["payment_status"], "paid");
    assert_eq!(paid["payments"][0]["status"], "succeeded");
    let paid_steps = paid["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "paid")
        .count();
    assert_eq!(paid_steps, 1, "one side effect for three deliveries");
}

#[tokio::test]
async fn unsigned_forged_and_stale_webhooks_are_refused_and_change_nothing() {
    let app = app_with(1800).await;
    let admin = app.admin().await;
    let (_, order) = card_order(&app, "ann@example.com").await;
    let body = event("evt_2", "payment.succeeded", &order["payments"][0]);
    deliver(&app, &body, None)
        .await
        .problem(StatusCode::BAD_REQUEST);
    let forged = testpay_signature(
        "another secret",
        chrono::Utc::now().timestamp(),
        body.as_bytes(),
    );
    deliver(&app, &body, Some(forged))
        .await
        .problem(StatusCode::BAD_REQUEST);
    deliver(&app, &body, Some(sign(&body, 301)))
        .await
        .problem(StatusCode::BAD_REQUEST);
    deliver(&app, &body, Some("t=abc,v1=zz".into()))
        .await
        .problem(StatusCode::BAD_REQUEST);
    let tampered = body.replace("evt_2", "evt_3");
    deliver(&app, &tampered, Some(sign(&body, 0)))
        .await
        .problem(StatusCode::BAD_REQUEST);
    let id = order["id"].as_str().unwrap();
    let unchanged = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&admin)
        .send()
        .await
        .body;
    assert_eq!(unchanged["status"], "pending_payment");
    // A well-signed event for a payment that does not exist is a 4xx.
    let unknown = json!({"id": "evt_9", "type": "payment.succeeded", "data": {"payment_id": "nope", "amount": 1, "currency": "USD"}}).to_string();
    deliver(&app, &unknown, Some(sign(&unknown, 0)))
        .await
        .problem(StatusCode::NOT_FOUND);
    // The signed event itself still works afterwards.
    assert_eq!(
        deliver(&app, &body, Some(sign(&body, 0))).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_payment_after_expiry_is_kept_and_flagged() {
    let app = app_with(0).await;
    let admin = app.admin().await;
    let (_, order) = card_order(&app, "ann@example.com").await;
    assert_eq!(app.shop.expire_unpaid_orders().await.unwrap(), 1);
    let body = event("evt_late", "payment.succeeded", &order["payments"][0]);
    assert_eq!(
        deliver(&app, &body, Some(sign(&body, 0))).await.status,
        StatusCode::OK
    );
    let id = order["id"].as_str().unwrap();
    let late = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&admin)
        .send()
        .await
        .body;
    assert_eq!(late["status"], "expired");
    assert_eq!(late["payment_status"], "paid", "the money is recorded");
    assert_eq!(late["payments"][0]["status"], "succeeded");
    let last = late["history"].as_array().unwrap().last().unwrap().clone();
    assert!(last["note"].as_str().unwrap().contains("refund"), "{last}");
}

/// A card order that is paid, and a staff token: `(admin, order)`.
async fn paid_card_order(app: &TestApp) -> (String, Value) {
    let admin = app.admin().await;
    let (_, order) = card_order(app, "ann@example.com").await;
    let body = event("evt_pay", "payment.succeeded", &order["payments"][0]);
    deliver(app, &body, Some(sign(&body, 0))).await;
    (admin, order)
}

#[tokio::test]
async fn refunds_are_partial_or_full_and_never_above_what_was_captured() {
    let app = app_with(1800).await;
    let (admin, order) = paid_card_order(&app).await;
    let id = order["id"].as_str().unwrap();
    let total = order["total"]["amount"].as_i64().unwrap();
    let path = format!("/api/v1/admin/orders/{id}/refunds");
    let refund = |amount: i64, key: &str| {
        app.post(&path)
            .bearer(&admin)
            .header("idempotency-key", key)
            .json(json!({"amount": amount, "reason": "damaged in transit"}))
            .send()
    };

    app.post(&path)
        .bearer(&admin)
        .json(json!({"amount": 100, "reason": "x"}))
        .send()
        .await
        .problem(StatusCode::BAD_REQUEST);
    let partial = refund(100, "r1").await;
    assert_eq!(partial.status, StatusCode::CREATED, "{}", partial.text);
    assert_eq!(partial.body["payment_status"], "partially_refunded");
    assert_eq!(partial.body["status"], "paid");
    let replay = refund(100, "r1").await;
    assert_eq!(replay.text, partial.text);
    assert_eq!(replay.headers["idempotent-replayed"], "true");
    refund(total, "r2").await.problem(StatusCode::CONFLICT);
    refund(0, "r3")
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    let rest = refund(total - 100, "r4").await;
    assert_eq!(rest.status, StatusCode::CREATED, "{}", rest.text);
    assert_eq!(rest.body["payment_status"], "refunded");
    assert_eq!(rest.body["status"], "refunded");
    assert_eq!(rest.body["payments"][0]["refunded"]["amount"], total);
    refund(1, "r5").await.problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_refund_amount_is_money_in_the_orders_currency() {
    let app = app_with(1800).await;
    let (admin, order) = paid_card_order(&app).await;
    let id = order["id"].as_str().unwrap();
    let path = format!("/api/v1/admin/orders/{id}/refunds");
    let refund = |amount: Value, key: &str| {
        app.post(&path)
            .bearer(&admin)
            .header("idempotency-key", key)
            .json(json!({"amount": amount, "reason": "damaged in transit"}))
            .send()
    };

    let euros = refund(json!({"amount": 100, "currency": "EUR"}), "eur").await;
    assert_eq!(euros.error_fields(), ["amount.currency"], "{}", euros.text);
    let zero = refund(json!({"amount": 0, "currency": "USD"}), "zero").await;
    assert_eq!(zero.error_fields(), ["amount"], "{}", zero.text);
    let untouched = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(untouched.body["payment_status"], "paid");

    let object = refund(json!({"amount": 100, "currency": "USD"}), "usd").await;
    assert_eq!(object.status, StatusCode::CREATED, "{}", object.text);
    assert_eq!(object.body["payments"][0]["refunded"]["amount"], 100);
    let bare = refund(json!(150), "bare").await;
    assert_eq!(bare.status, StatusCode::CREATED, "{}", bare.text);
    assert_eq!(bare.body["payments"][0]["refunded"]["amount"], 250);
}

#[tokio::test]
async fn an_order_marked_paid_by_staff_can_be_refunded() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (_, order) = app.demo_order("ann@example.com", "bank_transfer").await;
    let id = order["id"].as_str().unwrap();
    let path = format!("/api/v1/admin/orders/{id}/refunds");
    let early = app
        .post(&path)
        .bearer(&admin)
        .header("idempotency-key", "a")
        .json(json!({"amount": 100, "reason": "goodwill"}))
        .send()
        .await;
    early.problem(StatusCode::CONFLICT);
    app.post(&format!("/api/v1/admin/orders/{id}/status"))
        .bearer(&admin)
        .json(json!({"status": "paid"}))
        .send()
        .await;
    let refunded = app
        .post(&path)
        .bearer(&admin)
        .header("idempotency-key", "b")
        .json(json!({"amount": 100, "reason": "goodwill"}))
        .send()
        .await;
    assert_eq!(refunded.status, StatusCode::CREATED, "{}", refunded.text);
    assert_eq!(refunded.body["payment_status"], "partially_refunded");
    assert_eq!(refunded.body["payments"][0]["provider"], "manual");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hosted_page_pays_through_a_real_webhook_delivery() {
    // A real listener, so that the delivery job reaches the shop over HTTP.
    let app = TestApp::with_testpay_over_http(SECRET).await;
    let admin = app.admin().await;
    let (_, order) = card_order(&app, "ann@example.com").await;
    let payment = order["payments"][0]["id"].as_str().unwrap();
    let path = format!("/pay/{payment}");

    let shown = app.get(&path).send().await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.text.contains(order["number"].as_str().unwrap()));
    assert!(
        shown.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    let wrong = app
        .post(&path)
        .raw(
            "application/x-www-form-urlencoded",
            "card_number=1234%3Cb%3E",
        )
        .send()
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.text.contains("value=\"1234&lt;b&gt;\""),
        "the input is kept, escaped"
    );
    let forged = app
        .post(&path)
        .header("sec-fetch-site", "cross-site")
        .raw(
            "application/x-www-form-urlencoded",
            "card_number=4242424242424242",
        )
        .send()
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let paid = app
        .post(&path)
        .raw(
            "application/x-www-form-urlencoded",
            "card_number=4242+4242+4242+4242",
        )
        .send()
        .await;
    assert_eq!(paid.status, StatusCode::OK);
    assert!(paid.text.contains("Payment accepted"));
    app.run_jobs().await;
    let id = order["id"].as_str().unwrap();
    let fetched = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&admin)
        .send()
        .await
        .body;
    assert_eq!(fetched["status"], "paid");
    assert_eq!(fetched["payment_status"], "paid");
    let again = app.get(&path).send().await;
    assert!(again.text.contains("Nothing to pay"));
    assert_eq!(
        app.get("/pay/not-a-payment").send().await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_confirmations_capture_once() {
    let app = app_with(1800).await;
    let admin = app.admin().await;
    let (_, order) = card_order(&app, "ann@example.com").await;
    let payment = &order["payments"][0];
    // The webhook and a second confirmation of the same payment, under
    // different event ids, at the same moment.
    let bodies: Vec<String> = (0..6)
        .map(|i| event(&format!("evt_race_{i}"), "payment.succeeded", payment))
        .collect();
    let deliveries = bodies.iter().map(|b| deliver(&app, b, Some(sign(b, 0))));
    for response in futures::future::join_all(deliveries).await {
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    }
    let id = order["id"].as_str().unwrap();
    let paid = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&admin)
        .send()
        .await
        .body;
    let paid_steps = paid["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "paid")
        .count();
    assert_eq!(paid_steps, 1);
    assert_eq!(
        paid["payments"].as_array().unwrap().len(),
        1,
        "no second payment was recorded"
    );
    assert_eq!(paid["payments"][0]["status"], "succeeded");
}
