//! Sellers' ledgers and payouts through the real stack: a paid order
//! credits each seller, delivery and the hold release the money, a payout
//! settles exactly what was available, refunds (before and after a
//! payout) reverse credit and commission in proportion, a failed payout
//! comes back, and two nodes running the payout job make one payout.

use crate::harness::TestApp;
use crate::marketplace::clear_rules;
use crate::shopping::{amount, buy, buy_with_voucher, seller_token, variant_in_stock};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// The seller's first balance (the demo shop has one currency).
async fn balance(app: &TestApp, token: &str) -> Value {
    let b = app.get("/api/v1/seller/balance").bearer(token).send().await;
    b.expect(StatusCode::OK)["balances"][0].clone()
}

/// Every entry of the caller's ledger, newest first.
async fn ledger(app: &TestApp, token: &str) -> Vec<Value> {
    let page = app
        .get("/api/v1/seller/ledger?per_page=100")
        .bearer(token)
        .send()
        .await;
    page.expect(StatusCode::OK)["items"]
        .as_array()
        .unwrap()
        .clone()
}

/// A demo shop with one 10 % rule and payouts of anything after no hold.
pub(crate) async fn shop_paying_at_once() -> (TestApp, String) {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    clear_rules(&app).await;
    app.post("/api/v1/admin/commission-rules")
        .bearer(&admin)
        .json(json!({"basis_points": 1000}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    let terms = app
        .put("/api/v1/admin/settings/payouts")
        .bearer(&admin)
        .json(json!({"hold_days": 0, "minimum": 1, "sellers_pay_vouchers": false}))
        .send()
        .await;
    assert_eq!(terms.expect(StatusCode::OK)["hold_days"], 0);
    (app, admin)
}

/// A paid order of one shop line and `units` of a northwind line: the order
/// and northwind's parcel.
pub(crate) async fn paid_order(
    app: &TestApp,
    admin: &str,
    units: i64,
    key: &str,
) -> (Value, Value) {
    let (shop_variant, _) = variant_in_stock(app, None, 1).await;
    let (north_variant, _) = variant_in_stock(app, Some("northwind-ceramics"), units).await;
    let (buyer, _) = app.customer(&format!("{key}@example.com")).await;
    let order = buy(
        app,
        &buyer,
        &[(shop_variant, 1), (north_variant, units)],
        key,
    )
    .await;
    let id = order["id"].as_str().unwrap();
    let paid = app
        .post(&format!("/api/v1/admin/orders/{id}/status"))
        .bearer(admin)
        .json(json!({"status": "paid"}))
        .send()
        .await;
    let paid = paid.expect(StatusCode::OK).clone();
    let parcel = paid["fulfilments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["seller_name"] == "Northwind Ceramics")
        .expect("northwind's parcel")
        .clone();
    (paid, parcel)
}

pub(crate) async fn deliver(app: &TestApp, token: &str, parcel: i64) {
    for body in [
        json!({"status": "processing"}),
        json!({"status": "shipped", "carrier": "Posten"}),
        json!({"status": "delivered"}),
    ] {
        app.post(&format!("/api/v1/seller/fulfilments/{parcel}/status"))
            .bearer(token)
            .json(body)
            .send()
            .await
            .expect(StatusCode::OK);
    }
}

async fn refund(app: &TestApp, admin: &str, order: &str, body: Value, key: &str) -> Value {
    let made = app
        .post(&format!("/api/v1/admin/orders/{order}/refunds"))
        .bearer(admin)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await;
    made.expect(StatusCode::CREATED).clone()
}

#[tokio::test]
async fn a_sale_is_held_until_delivery_paid_out_once_and_a_later_refund_nets_on_the_next_payout() {
    let (app, admin) = shop_paying_at_once().await;
    let (north, _) = seller_token(&app, "northwind-ceramics").await;
    let (ridge, _) = seller_token(&app, "ridgeline-outfitters").await;
    let (order, parcel) = paid_order(&app, &admin, 2, "held").await;
    let order_id = order["id"].as_str().unwrap();
    let parcel_id = parcel["id"].as_i64().unwrap();
    let goods = amount(&parcel["subtotal"]);
    let shipping = amount(&parcel["shipping"]);
    let commission = (goods * 1000 + 5000) / 10_000;
    let credit = goods + shipping - commission;

    // Pending until delivered: nothing to pay yet.
    let before = balance(&app, &north).await;
    assert_eq!(amount(&before["pending"]), credit, "{before}");
    assert_eq!(amount(&before["available"]), 0);
    let entries = ledger(&app, &north).await;
    let kinds: Vec<&str> = entries
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    let expected: &[&str] = if shipping > 0 {
        &["commission", "shipping", "sale"]
    } else {
        &["commission", "sale"]
    };
    assert_eq!(kinds, expected);
    assert!(entries.iter().all(|e| e["state"] == "pending"));
    let run = app
        .post("/api/v1/admin/payouts/run")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(run.expect(StatusCode::OK), &json!([]));

    // Delivered, with no hold: available, and one payout takes all of it.
    deliver(&app, &north, parcel_id).await;
    assert_eq!(amount(&balance(&app, &north).await["available"]), credit);
    let run = app
        .post("/api/v1/admin/payouts/run")
        .bearer(&admin)
        .send()
        .await;
    let made = run.expect(StatusCode::OK).as_array().unwrap().clone();
    assert_eq!(made.len(), 1, "only northwind is owed: {made:?}");
    assert_eq!(amount(&made[0]["amount"]), credit);
    let payout_id = made[0]["id"].as_i64().unwrap();
    let again = app
        .post("/api/v1/admin/payouts/run")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(
        again.expect(StatusCode::OK),
        &json!([]),
        "nothing is paid twice"
    );

    // The payout lists exactly what it settles, and its own debit.
    let detail = app
        .get(&format!("/api/v1/seller/payouts/{payout_id}"))
        .bearer(&north)
        .send()
        .await;
    let detail = detail.expect(StatusCode::OK).clone();
    let settled: i64 = detail["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| amount(&e["amount"]))
        .sum();
    assert_eq!(settled, 0, "the entries and the payout's debit: {detail}");
    assert_eq!(detail["entries"].as_array().unwrap().len(), kinds.len() + 1);
    let now = balance(&app, &north).await;
    assert_eq!(amount(&now["available"]), 0);
    assert_eq!(amount(&now["in_payout"]), credit);
    // Another seller's payout is not found; a seller cannot run or decide.
    app.get(&format!("/api/v1/seller/payouts/{payout_id}"))
        .bearer(&ridge)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    let theirs = app
        .get("/api/v1/seller/payouts")
        .bearer(&ridge)
        .send()
        .await;
    assert_eq!(theirs.expect(StatusCode::OK)["total"], 0);
    app.post("/api/v1/admin/payouts/run")
        .bearer(&north)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);
    assert!(ledger(&app, &ridge).await.is_empty());

    // A refund of part of the parcel after the payout: the balance goes
    // below nothing by the parcel's share less the commission given back.
    let paid_for = goods + shipping - amount(&parcel["discount"]);
    let cut = 500;
    refund(
        &app,
        &admin,
        order_id,
        json!({"amount": cut, "reason": "a chipped cup", "fulfilment_id": parcel_id}),
        "cut",
    )
    .await;
    let reversed = (goods + shipping) * cut / paid_for;
    let back = commission * cut / paid_for;
    let after = balance(&app, &north).await;
    assert_eq!(amount(&after["available"]), back - reversed, "{after}");
    let fetched = app
        .get(&format!("/api/v1/admin/orders/{order_id}"))
        .bearer(&admin)
        .send()
        .await;
    let parcels = fetched.body["fulfilments"].as_array().unwrap();
    let refunded: Vec<i64> = parcels.iter().map(|p| amount(&p["refunded"])).collect();
    assert_eq!(
        refunded.iter().sum::<i64>(),
        cut,
        "on northwind's parcel only"
    );

    // The payout failed: its sum is back, netted with the refund.
    let decide = |body: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            app.post(&format!("/api/v1/admin/payouts/{payout_id}/status"))
                .bearer(&admin)
                .json(body)
                .send()
                .await
        }
    };
    let no_reason = decide(json!({"status": "failed"})).await;
    assert_eq!(no_reason.error_fields(), ["reason"]);
    let failed = decide(json!({"status": "failed", "reason": "the account is closed"})).await;
    assert_eq!(failed.expect(StatusCode::OK)["status"], "failed");
    decide(json!({"status": "paid", "reference": "TR-1"}))
        .await
        .problem(StatusCode::CONFLICT);
    let net = credit + back - reversed;
    assert_eq!(amount(&balance(&app, &north).await["available"]), net);
    let run = app
        .post("/api/v1/admin/payouts/run")
        .bearer(&admin)
        .send()
        .await;
    let made = run.expect(StatusCode::OK).as_array().unwrap().clone();
    assert_eq!(
        amount(&made[0]["amount"]),
        net,
        "the next payout nets the refund"
    );
    let second = made[0]["id"].as_i64().unwrap();
    let paid = app
        .post(&format!("/api/v1/admin/payouts/{second}/status"))
        .bearer(&admin)
        .json(json!({"status": "paid", "reference": "TR-2"}))
        .send()
        .await;
    assert_eq!(paid.expect(StatusCode::OK)["reference"], "TR-2");
    let last = balance(&app, &north).await;
    assert_eq!(amount(&last["available"]), 0);
    assert_eq!(amount(&last["paid_out"]), net);

    // The ledger balances: its entries add up to what is owed (nothing).
    let total: i64 = ledger(&app, &north)
        .await
        .iter()
        .map(|e| amount(&e["amount"]))
        .sum();
    assert_eq!(total, 0);

    // The statement: a CSV row per entry.
    let csv = app
        .get("/api/v1/seller/statement?from=2000-01-01&to=2099-01-01")
        .bearer(&north)
        .send()
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text);
    let everything = csv.text.lines().count();
    let empty = app
        .get("/api/v1/seller/statement?from=2001-01-01&to=2000-01-01")
        .bearer(&north)
        .send()
        .await;
    assert_eq!(empty.text.lines().count(), 1, "only the header");
    let open_ended = app
        .get("/api/v1/seller/statement")
        .bearer(&north)
        .send()
        .await;
    assert_eq!(open_ended.text.lines().count(), everything);
    let today = chrono::Utc::now().date_naive();
    let csv = app
        .get(&format!("/api/v1/seller/statement?from={today}&to={today}"))
        .bearer(&north)
        .send()
        .await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let rows: Vec<&str> = csv.text.lines().collect();
    assert!(rows[0].starts_with("date,entry,kind,"));
    assert_eq!(rows.len(), 1 + ledger(&app, &north).await.len());
}

#[tokio::test]
async fn a_full_refund_reverses_every_seller_exactly_and_sellers_may_pay_vouchers() {
    let (app, admin) = shop_paying_at_once().await;
    app.put("/api/v1/admin/settings/payouts")
        .bearer(&admin)
        .json(json!({"hold_days": 14, "minimum": 1, "sellers_pay_vouchers": true}))
        .send()
        .await
        .expect(StatusCode::OK);
    app.post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(json!({"code": "SEVENOFF", "kind": "percent", "value": 7}))
        .send()
        .await
        .expect(StatusCode::CREATED);
    let (north, _) = seller_token(&app, "northwind-ceramics").await;
    let (shop_variant, _) = variant_in_stock(&app, None, 1).await;
    let (north_variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 3).await;
    let (buyer, _) = app.customer("full@example.com").await;
    let lines = [(shop_variant, 1), (north_variant, 3)];
    let order = buy_with_voucher(&app, &buyer, &lines, "full", Some("SEVENOFF")).await;
    let id = order["id"].as_str().unwrap();
    app.post(&format!("/api/v1/admin/orders/{id}/status"))
        .bearer(&admin)
        .json(json!({"status": "paid"}))
        .send()
        .await
        .expect(StatusCode::OK);
    let parcel = order["fulfilments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["seller_name"] == "Northwind Ceramics")
        .unwrap()
        .clone();
    let sale = ledger(&app, &north)
        .await
        .into_iter()
        .find(|e| e["kind"] == "sale")
        .unwrap();
    let discount = amount(&parcel["discount"]);
    assert!(discount > 0, "{parcel}");
    assert_eq!(
        amount(&sale["amount"]),
        amount(&parcel["subtotal"]) - discount,
        "the seller bears its share of the voucher"
    );

    // Refunded in two steps that spread over both parcels: the seller's
    // entries add up to nothing, to the minor unit.
    let total = amount(&order["total"]);
    refund(
        &app,
        &admin,
        id,
        json!({"amount": total / 3, "reason": "late"}),
        "r1",
    )
    .await;
    let rest = total - total / 3;
    let refunded = refund(
        &app,
        &admin,
        id,
        json!({"amount": rest, "reason": "lost"}),
        "r2",
    )
    .await;
    assert_eq!(refunded["status"], "refunded");
    let entries = ledger(&app, &north).await;
    let owed: i64 = entries.iter().map(|e| amount(&e["amount"])).sum();
    assert_eq!(owed, 0, "{entries:?}");
    let b = balance(&app, &north).await;
    assert_eq!((amount(&b["available"]), amount(&b["pending"])), (0, 0));
    // Refunded in full, the parcel will not be delivered: its entries are
    // released for the next payout to settle, not left pending.
    assert!(
        entries.iter().all(|e| e["state"] == "available"),
        "{entries:?}"
    );
    let too_much = app
        .post(&format!("/api/v1/admin/orders/{id}/refunds"))
        .bearer(&admin)
        .header("idempotency-key", "r3")
        .json(json!({"amount": 1, "reason": "again"}))
        .send()
        .await;
    too_much.problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn two_nodes_running_the_payout_job_at_once_make_one_payout() {
    let (app, admin) = shop_paying_at_once().await;
    let (north, _) = seller_token(&app, "northwind-ceramics").await;
    let (_, parcel) = paid_order(&app, &admin, 1, "nodes").await;
    deliver(&app, &north, parcel["id"].as_i64().unwrap()).await;
    let other = app.second_node().await;
    let (a, b) = tokio::join!(
        app.shop.make_payouts("2026-12-02"),
        other.make_payouts("2026-12-02")
    );
    let made = a.unwrap().len() + b.unwrap().len();
    assert_eq!(made, 1);
    // Different runs at once still settle each entry once.
    let (_, parcel) = paid_order(&app, &admin, 1, "runs").await;
    deliver(&app, &north, parcel["id"].as_i64().unwrap()).await;
    let (a, b) = tokio::join!(app.shop.make_payouts("run-a"), other.make_payouts("run-b"));
    assert_eq!(a.unwrap().len() + b.unwrap().len(), 1);
    let all = app.get("/api/v1/admin/payouts").bearer(&admin).send().await;
    assert_eq!(all.expect(StatusCode::OK)["total"], 2);
    let b = balance(&app, &north).await;
    assert_eq!(amount(&b["available"]), 0);
    let paid: i64 = all.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| amount(&p["amount"]))
        .sum();
    assert_eq!(paid, amount(&b["in_payout"]));
}

#[tokio::test]
async fn money_routes_refuse_the_wrong_callers_and_bad_input() {
    let (app, admin) = shop_paying_at_once().await;
    let (buyer, _) = app.customer("nosy@example.com").await;
    let refused = [
        (&buyer, "/api/v1/seller/balance", StatusCode::FORBIDDEN),
        (&buyer, "/api/v1/seller/ledger", StatusCode::FORBIDDEN),
        (&buyer, "/api/v1/seller/payouts", StatusCode::FORBIDDEN),
        (&buyer, "/api/v1/admin/payouts", StatusCode::FORBIDDEN),
        (
            &admin,
            "/api/v1/admin/sellers/999999/balance",
            StatusCode::NOT_FOUND,
        ),
        (
            &admin,
            "/api/v1/admin/payouts/999999",
            StatusCode::NOT_FOUND,
        ),
    ];
    for (caller, path, status) in refused {
        app.get(path).bearer(caller).send().await.problem(status);
    }
    let bad = app
        .get("/api/v1/admin/payouts?status=lost")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(bad.error_fields(), ["status"]);
    let (north, _) = seller_token(&app, "northwind-ceramics").await;
    let bad = app
        .get("/api/v1/seller/ledger?from=yesterday")
        .bearer(&north)
        .send()
        .await;
    assert_eq!(bad.error_fields(), ["from"]);
    let bad = app
        .put("/api/v1/admin/settings/payouts")
        .bearer(&admin)
        .json(json!({"hold_days": 400, "minimum": -1, "sellers_pay_vouchers": false}))
        .send()
        .await;
    assert_eq!(bad.error_fields(), ["hold_days", "minimum"]);
    let terms = app
        .get("/api/v1/admin/settings/payouts")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(terms.expect(StatusCode::OK)["hold_days"], 0, "unchanged");
}
