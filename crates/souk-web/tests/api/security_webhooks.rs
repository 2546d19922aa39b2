//! Payment events out of order: a refund delivered before the capture it
//! refunds is refused, then counted once after it, through testpay and
//! through Stripe.

use crate::harness::*;
use crate::security_money::{
    TESTPAY_SECRET, admin_order, deliver_testpay, steps_to, testpay_event,
};
use crate::stripe::mock as stripe_mock;
use axum::http::StatusCode;
use serde_json::{Value, json};
use souk_core::ShopConfig;
use souk_core::payments::stripe::StripeConfig;

#[tokio::test]
async fn a_testpay_refund_delivered_before_its_capture_counts_once_after_it() {
    let app = TestApp::with_config(ShopConfig {
        testpay_webhook_secret: Some(TESTPAY_SECRET.to_owned().into()),
        ..ShopConfig::default()
    })
    .await;
    let admin = app.admin().await;
    let (_, order) = app.demo_order("ann@example.com", "card").await;
    let id = order["id"].as_str().unwrap();
    let payment = &order["payments"][0];
    let total = order["total"]["amount"].as_i64().unwrap();
    let refund = testpay_event("evt_refund_early", "refund.succeeded", payment);
    let capture = testpay_event("evt_capture_late", "payment.succeeded", payment);

    // The refund first: nothing was captured, so it is refused (and the
    // provider delivers it again later); nothing changes.
    deliver_testpay(&app, &refund)
        .await
        .problem(StatusCode::CONFLICT);
    let before = admin_order(&app, &admin, id).await;
    assert_eq!(before["status"], "pending_payment");
    assert_eq!(before["payment_status"], "unpaid");
    assert_eq!(before["payments"][0]["status"], "pending");
    assert_eq!(before["payments"][0]["refunded"]["amount"], 0);

    let captured = deliver_testpay(&app, &capture).await;
    assert_eq!(captured.status, StatusCode::OK, "{}", captured.text);
    let paid = admin_order(&app, &admin, id).await;
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["payment_status"], "paid");

    // The refund again, then a third time, and the capture once more.
    for _ in 0..2 {
        let again = deliver_testpay(&app, &refund).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    }
    let again = deliver_testpay(&app, &capture).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);

    let end = admin_order(&app, &admin, id).await;
    assert_eq!(end["status"], "paid", "{end}");
    assert_eq!(end["payment_status"], "refunded");
    assert_eq!(end["payments"].as_array().unwrap().len(), 1);
    assert_eq!(end["payments"][0]["status"], "succeeded");
    assert_eq!(end["payments"][0]["refunded"]["amount"], total, "once");
    assert_eq!(steps_to(&end, "paid"), 1, "one capture");
    // Nothing more can be refunded: the refund took it all.
    app.post(&format!("/api/v1/admin/orders/{id}/refunds"))
        .bearer(&admin)
        .header("idempotency-key", "after-provider-refund")
        .json(json!({"amount": 1, "reason": "goodwill"}))
        .send()
        .await
        .problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_stripe_refund_delivered_before_its_capture_counts_once_after_it() {
    const WEBHOOK_SECRET: &str = "whsec_security_money_stripe";
    let mock = stripe_mock::StripeMock::start().await;
    let app = TestApp::with_config(ShopConfig {
        stripe: Some(StripeConfig {
            secret_key: "sk_test_security".to_owned().into(),
            webhook_secret: Some(WEBHOOK_SECRET.to_owned().into()),
            publishable_key: Some("pk_test_security".to_owned()),
            api_base: mock.url.clone(),
        }),
        ..ShopConfig::default()
    })
    .await;
    let admin = app.admin().await;
    let (_, order) = app.demo_order("ann@example.com", "card").await;
    app.run_jobs().await;
    let id = order["id"].as_str().unwrap();
    let intent_id = admin_order(&app, &admin, id).await["payments"][0]["reference"]
        .as_str()
        .expect("the PaymentIntent was created")
        .to_owned();
    let total = order["total"]["amount"].clone();
    let deliver = |body: String| {
        let signature = souk_core::payments::signature::sign(
            WEBHOOK_SECRET,
            chrono::Utc::now().timestamp(),
            body.as_bytes(),
        );
        let app = &app;
        async move {
            app.post("/api/v1/payments/webhooks/stripe")
                .header("stripe-signature", &signature)
                .raw("application/json", &body)
                .send()
                .await
        }
    };
    let event = |id: &str, kind: &str, object: Value| {
        let mut event: Value = serde_json::from_str(stripe_mock::EVENT).unwrap();
        event["id"] = id.into();
        event["type"] = kind.into();
        event["data"]["object"] = object;
        event.to_string()
    };
    let mut charge: Value = serde_json::from_str(stripe_mock::CHARGE).unwrap();
    charge["payment_intent"] = intent_id.clone().into();
    charge["amount"] = total.clone();
    charge["amount_refunded"] = 300.into();
    let refund = event("evt_refund_first", "charge.refunded", charge);
    let mut intent: Value = serde_json::from_str(stripe_mock::PAYMENT_INTENT).unwrap();
    intent["id"] = intent_id.clone().into();
    intent["amount"] = total.clone();
    intent["amount_received"] = total.clone();
    intent["currency"] = "usd".into();
    intent["status"] = "succeeded".into();
    intent["metadata"] =
        json!({"payment_id": order["payments"][0]["id"], "order_number": order["number"]});
    let capture = event("evt_capture_second", "payment_intent.succeeded", intent);

    deliver(refund.clone()).await.problem(StatusCode::CONFLICT);
    let before = admin_order(&app, &admin, id).await;
    assert_eq!(before["status"], "pending_payment");
    assert_eq!(before["payment_status"], "unpaid");
    assert_eq!(before["payments"][0]["refunded"]["amount"], 0);

    let captured = deliver(capture.clone()).await;
    assert_eq!(captured.status, StatusCode::OK, "{}", captured.text);
    for _ in 0..2 {
        let again = deliver(refund.clone()).await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    }
    let again = deliver(capture).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);

    let end = admin_order(&app, &admin, id).await;
    assert_eq!(end["status"], "paid", "{end}");
    assert_eq!(end["payment_status"], "partially_refunded");
    assert_eq!(end["payments"][0]["status"], "succeeded");
    assert_eq!(end["payments"][0]["refunded"]["amount"], 300, "once");
    assert_eq!(steps_to(&end, "paid"), 1, "one capture");
    // The refund was Stripe's own: souk asked Stripe for none.
    app.run_jobs().await;
    assert!(mock.requests("/v1/refunds").is_empty());
}
