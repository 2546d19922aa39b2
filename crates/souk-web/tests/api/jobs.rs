//! Durable jobs, the scheduler and the expiry of unpaid orders.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;
use souk_core::ShopConfig;
use souk_core::jobs::Schedule;
use std::time::Duration;

fn schedule() -> Schedule {
    Schedule {
        tick: Duration::from_secs(30),
    }
}

#[tokio::test]
async fn unpaid_orders_expire_and_return_their_stock_and_voucher_use() {
    let config = ShopConfig {
        payment_timeout: chrono::Duration::seconds(0),
        ..ShopConfig::default()
    };
    let app = TestApp::with_config(config).await;
    let admin = app.admin().await;
    let created = app
        .post("/api/v1/admin/products")
        .bearer(&admin)
        .json(json!({"name": "Expiring Lamp", "status": "active", "variants": [{"sku": "EXPIRE-ME", "price": 3000, "stock": 3}]}))
        .send()
        .await;
    let variant = created.body["variants"][0]["id"].as_i64().unwrap();
    app.post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(json!({"code": "ONLYONE", "kind": "fixed", "value": 100, "usage_limit": 1}))
        .send()
        .await;
    let (ann, _) = app.customer("ann@example.com").await;
    app.post("/api/v1/store/cart/items")
        .bearer(&ann)
        .json(json!({"variant_id": variant, "quantity": 2}))
        .send()
        .await;
    let order = app
        .post("/api/v1/store/checkout")
        .bearer(&ann)
        .header("idempotency-key", "1")
        .json(json!({"shipping_address": {"full_name": "Ann", "line1": "1 Street", "city": "Town", "postal_code": "1000", "country": "US"},
                     "shipping_method": 1, "payment_method": "bank_transfer", "voucher_code": "ONLYONE"}))
        .send()
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{}", order.text);
    let id = order.body["id"].as_str().unwrap().to_owned();

    // The scheduler enqueues the expiry and the wishlist run once per tick
    // and the payout run once a day, however often it fires.
    app.shop.schedule_tick(schedule()).await.unwrap();
    app.shop.schedule_tick(schedule()).await.unwrap();
    assert!(app.shop.run_next_job("test").await.unwrap());
    assert!(app.shop.run_next_job("test").await.unwrap());
    assert!(app.shop.run_next_job("test").await.unwrap());
    assert!(
        !app.shop.run_next_job("test").await.unwrap(),
        "one expiry and one wishlist run per tick, one payout run per day"
    );

    let expired = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(expired.body["status"], "expired");
    let last = expired.body["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["actor"], "system");
    let product = app
        .get(&format!("/api/v1/admin/products/{}", created.body["id"]))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(
        product.body["variants"][0]["stock_on_hand"], 3,
        "stock came back"
    );
    let vouchers = app
        .get("/api/v1/admin/vouchers")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(
        vouchers.body["items"][0]["used_count"], 0,
        "the voucher use came back"
    );
    // Running it again changes nothing.
    assert_eq!(app.shop.expire_unpaid_orders().await.unwrap(), 0);
    let product = app
        .get(&format!("/api/v1/admin/products/{}", created.body["id"]))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(product.body["variants"][0]["stock_on_hand"], 3);
    let done = app
        .get("/api/v1/admin/jobs?status=done")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(done.body["total"], 3);
}

#[tokio::test]
async fn paid_and_fresh_orders_do_not_expire() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (_, order) = app.demo_order("ann@example.com", "bank_transfer").await;
    assert_eq!(
        app.shop.expire_unpaid_orders().await.unwrap(),
        0,
        "30 minutes have not passed"
    );
    let id = order["id"].as_str().unwrap();
    let fetched = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(fetched.body["status"], "pending_payment");
}

#[tokio::test]
async fn staff_see_jobs_and_bad_filters_are_refused() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    app.shop.schedule_tick(schedule()).await.unwrap();
    let queued = app
        .get("/api/v1/admin/jobs?status=queued")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(queued.body["total"], 3);
    let kinds: Vec<&str> = queued.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["make_payouts", "notify_restocks", "expire_unpaid_orders"]
    );
    assert_eq!(
        app.get("/api/v1/admin/jobs?status=lost")
            .bearer(&admin)
            .send()
            .await
            .error_fields(),
        ["status"]
    );
    let (ann, _) = app.customer("ann@example.com").await;
    app.get("/api/v1/admin/jobs")
        .bearer(&ann)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);
}
