//! Money under pressure: a voucher's usage limit against fifty redemptions
//! at once, and unpaid orders expiring while payments and checkouts race
//! them, with stock whole at every moment.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::{Value, json};
use souk_core::ShopConfig;
use souk_core::domain::paging::PageRequest;
use souk_core::testpay::testpay_signature;
use souk_db::repo::catalogue;
use souk_db::repo::orders::{self, OrderFilter};
use souk_db::{ConnectionTrait, DbBackend};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub(crate) const TESTPAY_SECRET: &str = "whsec_security_money";

fn checkout_body(payment_method: &str, voucher: Option<&str>) -> Value {
    json!({
        "shipping_address": {"full_name": "Ann Example", "line1": "1 Market Street", "city": "Springfield", "postal_code": "12345", "country": "US"},
        "shipping_method": 1, "payment_method": payment_method, "voucher_code": voucher
    })
}

/// An active product with one variant of `stock` units at 2000 minor
/// units; the product's id and the variant's.
async fn product(app: &TestApp, admin: &str, sku: &str, stock: i64) -> (i64, i64) {
    let created = app
        .post("/api/v1/admin/products")
        .bearer(admin)
        .json(
            json!({"name": format!("Security {sku}"), "status": "active",
                     "variants": [{"sku": sku, "options": {}, "price": 2000, "stock": stock}]}),
        )
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    (
        created.body["id"].as_i64().unwrap(),
        created.body["variants"][0]["id"].as_i64().unwrap(),
    )
}

/// `count` new customers with one unit of `variant` in their carts.
async fn buyers(app: &TestApp, prefix: &str, count: usize, variant: i64) -> Vec<String> {
    let mut tokens = Vec::new();
    for i in 0..count {
        let (token, _) = app.customer(&format!("{prefix}{i}@example.com")).await;
        let added = app
            .post("/api/v1/store/cart/items")
            .bearer(&token)
            .json(json!({"variant_id": variant, "quantity": 1}))
            .send()
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
        tokens.push(token);
    }
    tokens
}

pub(crate) async fn admin_order(app: &TestApp, admin: &str, id: &str) -> Value {
    let order = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(admin)
        .send()
        .await;
    assert_eq!(order.status, StatusCode::OK, "{}", order.text);
    order.body
}

/// How many steps of the order's history moved it to `status` (notes
/// written later under the same status are not moves).
pub(crate) fn steps_to(order: &Value, status: &str) -> usize {
    let history = order["history"].as_array().unwrap();
    history
        .iter()
        .enumerate()
        .filter(|(i, e)| e["status"] == status && (*i == 0 || history[i - 1]["status"] != status))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_redemptions_of_a_voucher_limited_to_seven_make_seven_orders() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (product_id, variant) = product(&app, &admin, "VOUCHER-FIFTY", 100).await;
    let limit = 7;
    let created = app
        .post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(json!({"code": "LUCKYSEVEN", "kind": "fixed", "value": 100, "usage_limit": limit}))
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let tokens = buyers(&app, "redeemer", 50, variant).await;

    let attempts = tokens.iter().map(|token| {
        app.post("/api/v1/store/checkout")
            .bearer(token)
            .header("idempotency-key", "redeem")
            .json(checkout_body("bank_transfer", Some("luckyseven")))
            .send()
    });
    let results = futures::future::join_all(attempts).await;
    let placed: Vec<&TestResponse> = results
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .collect();
    assert_eq!(placed.len(), limit as usize, "exactly the usage limit");
    for order in &placed {
        assert_eq!(order.body["discount"]["amount"], 100, "{}", order.text);
        assert_eq!(
            order.body["total"]["amount"],
            order.body["subtotal"]["amount"].as_i64().unwrap()
                + order.body["shipping"]["amount"].as_i64().unwrap()
                - 100
        );
    }
    for refused in results.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_eq!(refused.clash_fields(), ["voucher_code"], "{}", refused.text);
    }

    let vouchers = app
        .get("/api/v1/admin/vouchers")
        .bearer(&admin)
        .send()
        .await;
    let stored = vouchers.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == created.body["id"])
        .unwrap()
        .clone();
    assert_eq!(stored["used_count"], limit);
    let orders = app
        .get("/api/v1/admin/orders?per_page=100")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(orders.body["total"], limit);
    // The refused checkouts took no stock and kept their carts.
    let detail = app
        .get(&format!("/api/v1/admin/products/{product_id}"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(detail.body["variants"][0]["stock_on_hand"], 100 - limit);
    let mut kept = 0;
    for token in &tokens {
        let cart = app.get("/api/v1/store/cart").bearer(token).send().await;
        kept += cart.body["item_count"].as_i64().unwrap();
    }
    assert_eq!(kept, 50 - limit);
}

pub(crate) fn testpay_event(id: &str, kind: &str, payment: &Value) -> String {
    json!({"id": id, "type": kind, "data": {"payment_id": payment["id"], "amount": payment["amount"]["amount"], "currency": payment["amount"]["currency"]}}).to_string()
}

pub(crate) async fn deliver_testpay(app: &TestApp, body: &str) -> TestResponse {
    let signature = testpay_signature(
        TESTPAY_SECRET,
        chrono::Utc::now().timestamp(),
        body.as_bytes(),
    );
    app.post("/api/v1/payments/webhooks/testpay")
        .header("souk-signature", &signature)
        .raw("application/json", body)
        .send()
        .await
}

/// Checks, in one consistent view of the database, that the variant's
/// stock on hand is its initial stock less the units of every order that
/// holds or sold some (neither expired nor cancelled), and never below 0.
/// Stock only moves together with the variant's row lock (the conditional
/// update), so holding that lock freezes both sides of the sum.
async fn stock_is_whole(app: &TestApp, variant: i64, initial: i64) {
    let db = app.shop.db();
    let txn = db.begin_write().await.expect("a transaction");
    if db.backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!(
            "SELECT id FROM variants WHERE id = {variant} FOR UPDATE"
        ))
        .await
        .expect("lock the variant");
    }
    let on_hand = catalogue::find_variant(&txn, variant)
        .await
        .unwrap()
        .unwrap()
        .stock_on_hand;
    let all = orders::list(
        &txn,
        &OrderFilter::default(),
        PageRequest {
            page: 1,
            per_page: 1000,
        },
    )
    .await
    .unwrap();
    let live: Vec<i64> = all
        .items
        .iter()
        .filter(|o| o.status != "expired" && o.status != "cancelled")
        .map(|o| o.id)
        .collect();
    let taken: i64 = orders::items_of(&txn, &live, None)
        .await
        .unwrap()
        .iter()
        .filter(|line| line.variant_id == Some(variant))
        .map(|line| line.quantity)
        .sum();
    drop(txn); // Nothing was written: roll back.
    assert!(on_hand >= 0, "stock on hand {on_hand}");
    assert_eq!(
        on_hand,
        initial - taken,
        "on hand = initial − held − sold ({} live orders)",
        live.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn expiry_racing_payments_and_checkouts_keeps_stock_whole_at_every_moment() {
    // Every unpaid order is due for expiry as soon as it is placed.
    let app = TestApp::with_config(ShopConfig {
        testpay_webhook_secret: Some(TESTPAY_SECRET.to_owned().into()),
        payment_timeout: chrono::Duration::zero(),
        ..ShopConfig::default()
    })
    .await;
    let admin = app.admin().await;
    let initial = 12;
    let (_, variant) = product(&app, &admin, "EXPIRY-RACE", initial).await;
    let tokens = buyers(&app, "racer", 24, variant).await;
    let done = AtomicBool::new(false);

    let load = async {
        let (app, admin) = (&app, admin.as_str());
        let shoppers = tokens.iter().enumerate().map(|(i, token)| async move {
            // A shopper tries again while stock comes back from expiries.
            for attempt in 0..6 {
                let placed = app
                    .post("/api/v1/store/checkout")
                    .bearer(token)
                    .header("idempotency-key", &format!("race-{attempt}"))
                    .json(checkout_body("card", None))
                    .send()
                    .await;
                if placed.status == StatusCode::CONFLICT {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
                assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.text);
                // Most pay at once, racing the expiry; every third pays
                // only once the expiry has overtaken it.
                if i % 3 == 0 {
                    let id = placed.body["id"].as_str().unwrap();
                    for _ in 0..1000 {
                        if admin_order(app, admin, id).await["status"] == "expired" {
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                }
                let payment = &placed.body["payments"][0];
                let body = testpay_event(&format!("evt_race_{i}"), "payment.succeeded", payment);
                // A delivery that loses the race to the expiry may be
                // answered 409 (the order moved meanwhile); the provider
                // delivers again, as testpay's job does.
                let mut paid = deliver_testpay(app, &body).await;
                for _ in 0..5 {
                    if paid.status != StatusCode::CONFLICT {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    paid = deliver_testpay(app, &body).await;
                }
                assert_eq!(paid.status, StatusCode::OK, "{}", paid.text);
                return Some((token.clone(), placed.body));
            }
            None
        });
        let placed = futures::future::join_all(shoppers).await;
        done.store(true, Ordering::SeqCst);
        placed
    };
    let expiry = async {
        let mut expired = 0;
        while !done.load(Ordering::SeqCst) {
            expired += app.shop.expire_unpaid_orders().await.expect("expire");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        expired
    };
    let watch = async {
        let mut looks = 0;
        loop {
            stock_is_whole(&app, variant, initial).await;
            looks += 1;
            if done.load(Ordering::SeqCst) {
                return looks;
            }
            tokio::time::sleep(Duration::from_millis(3)).await;
        }
    };
    let (placed, expired, looks) = tokio::join!(load, expiry, watch);
    assert!(looks >= 2, "the stock was looked at while the load ran");
    // Every order placed was paid for: none is left to expire.
    assert_eq!(app.shop.expire_unpaid_orders().await.unwrap(), 0);
    stock_is_whole(&app, variant, initial).await;

    let placed: Vec<(String, Value)> = placed.into_iter().flatten().collect();
    assert!(!placed.is_empty());
    let mut sold = 0;
    let mut late = 0u64;
    for (token, order) in &placed {
        let stored = admin_order(&app, &admin, order["id"].as_str().unwrap()).await;
        assert_eq!(stored["number"], order["number"]);
        assert_eq!(stored["payments"][0]["status"], "succeeded", "{stored}");
        match stored["status"].as_str().unwrap() {
            "paid" => {
                assert_eq!(steps_to(&stored, "paid"), 1, "{stored}");
                assert_eq!(steps_to(&stored, "expired"), 0, "{stored}");
                sold += stored["items"][0]["quantity"].as_i64().unwrap();
            }
            "expired" => {
                // Its hold went back and the late payment did not revive it:
                // the money is recorded and flagged for a refund.
                late += 1;
                assert_eq!(steps_to(&stored, "paid"), 0, "{stored}");
                assert_eq!(steps_to(&stored, "expired"), 1, "{stored}");
                assert_eq!(stored["payment_status"], "paid");
                let notes: Vec<&str> = stored["history"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|e| e["note"].as_str())
                    .collect();
                assert!(notes.iter().any(|n| n.contains("refund")), "{stored}");
                // Checking out again from a stale tab makes no order.
                let again = app
                    .post("/api/v1/store/checkout")
                    .bearer(token)
                    .header("idempotency-key", "stale-tab")
                    .json(checkout_body("card", None))
                    .send()
                    .await;
                assert_ne!(again.status, StatusCode::CREATED, "{}", again.text);
                let mine = app.get("/api/v1/store/orders").bearer(token).send().await;
                assert_eq!(mine.body["total"], 1, "{}", mine.text);
            }
            other => panic!("order {} ended {other}", order["number"]),
        }
    }
    assert!(sold <= initial);
    let after = catalogue::find_variant(app.shop.db().conn(), variant)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.stock_on_hand, initial - sold);
    assert!(late > 0, "the expiry overtook some payments");
    assert_eq!(late, expired, "each expired order was expired once");
}
