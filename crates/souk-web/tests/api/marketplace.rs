//! Split fulfilment and commissions through the real stack: a cart of the
//! shop's and two sellers' products makes three parcels and a frozen
//! commission line per seller's line, and the parts add up to the order.

use crate::harness::TestApp;
use crate::shopping::{buy, seller_token, variant_in_stock};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// Deletes the demo shop's commission rules.
pub(crate) async fn clear_rules(app: &TestApp) {
    let system = souk_core::actor::Actor::System;
    for rule in app.shop.list_commission_rules(&system).await.unwrap() {
        app.shop
            .delete_commission_rule(&system, rule.id)
            .await
            .unwrap();
    }
}

async fn rule(app: &TestApp, admin: &str, body: Value) -> Value {
    let made = app
        .post("/api/v1/admin/commission-rules")
        .bearer(admin)
        .json(body)
        .send()
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    made.body
}

#[tokio::test]
async fn a_cart_of_the_shop_and_two_sellers_makes_three_parcels_and_exact_commissions() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    clear_rules(&app).await;
    let northwind = app.shop.seller_shop("northwind-ceramics").await.unwrap().id;
    let default_rule = rule(&app, &admin, json!({"basis_points": 1000})).await;
    rule(
        &app,
        &admin,
        json!({"seller_id": northwind, "basis_points": 550, "fixed_per_unit": {"amount": 25, "currency": "USD"}, "max_per_line": 5000}),
    )
    .await;
    // One rule per scope; a minimum above the maximum clashes.
    let again = app
        .post("/api/v1/admin/commission-rules")
        .bearer(&admin)
        .json(json!({"basis_points": 200}))
        .send()
        .await;
    assert_eq!(again.clash_fields(), ["scope"]);
    let upside_down = app
        .post("/api/v1/admin/commission-rules")
        .bearer(&admin)
        .json(json!({"seller_id": northwind + 1, "basis_points": 200, "min_per_line": 500, "max_per_line": 100}))
        .send()
        .await;
    assert_eq!(upside_down.clash_fields(), ["max_per_line"]);
    let voucher = app
        .post("/api/v1/admin/vouchers")
        .bearer(&admin)
        .json(json!({"code": "TENOFF", "kind": "percent", "value": 10}))
        .send()
        .await;
    assert_eq!(voucher.status, StatusCode::CREATED, "{}", voucher.body);

    let (shop_variant, _) = variant_in_stock(&app, None, 2).await;
    let (north_variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 2).await;
    let (ridge_variant, _) = variant_in_stock(&app, Some("ridgeline-outfitters"), 2).await;
    let (token, _) = app.customer("buyer@example.com").await;
    for (variant, quantity) in [(shop_variant, 1), (north_variant, 2), (ridge_variant, 1)] {
        let added = app
            .post("/api/v1/store/cart/items")
            .bearer(&token)
            .json(json!({"variant_id": variant, "quantity": quantity}))
            .send()
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    }
    let order = app
        .post("/api/v1/store/checkout")
        .bearer(&token)
        .header("idempotency-key", "three-parcels")
        .json(json!({
            "shipping_address": {"full_name": "Bea Buyer", "line1": "1 Street", "city": "Town", "postal_code": "1000", "country": "US"},
            "shipping_method": 1, "payment_method": "bank_transfer", "voucher_code": "TENOFF",
        }))
        .send()
        .await;
    assert_eq!(order.status, StatusCode::CREATED, "{}", order.body);
    let order = order.body;
    let parcels = order["fulfilments"].as_array().unwrap();
    assert_eq!(parcels.len(), 3, "{order}");
    let sum = |key: &str| -> i64 {
        parcels
            .iter()
            .map(|p| p[key]["amount"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(
        sum("subtotal"),
        order["subtotal"]["amount"].as_i64().unwrap()
    );
    assert_eq!(
        sum("shipping"),
        order["shipping"]["amount"].as_i64().unwrap()
    );
    assert!(parcels[0]["seller_id"].is_null(), "the shop's parcel first");
    assert!(parcels.iter().all(|p| p["status"] == "pending"));

    let id = order["id"].as_str().unwrap();
    let lines = app
        .get(&format!("/api/v1/admin/orders/{id}/commissions"))
        .bearer(&admin)
        .send()
        .await;
    let lines = lines.body.as_array().unwrap().clone();
    assert_eq!(lines.len(), 2, "one per seller's line: {lines:?}");
    let items = order["items"].as_array().unwrap();
    let discount = order["discount"]["amount"].as_i64().unwrap();
    let subtotal = order["subtotal"]["amount"].as_i64().unwrap();
    let mut seller_discounts = 0;
    for line in &lines {
        let item = items
            .iter()
            .find(|i| i["id"] == line["order_item_id"])
            .unwrap();
        let total = item["line_total"]["amount"].as_i64().unwrap();
        let share = line["discount_share"]["amount"].as_i64().unwrap();
        let amount = line["line_amount"]["amount"].as_i64().unwrap();
        assert_eq!(amount, total - share);
        seller_discounts += share;
        let quantity = item["quantity"].as_i64().unwrap();
        let expected = if line["seller_id"] == northwind {
            ((amount * 550 + 5000) / 10_000 + 25 * quantity).min(5000)
        } else {
            (amount * 1000 + 5000) / 10_000
        };
        assert_eq!(line["commission"]["amount"], expected, "{line}");
    }
    // The shop's line carries the rest of the discount.
    let shop_item = items.iter().find(|i| i["seller_id"].is_null()).unwrap();
    let shop_total = shop_item["line_total"]["amount"].as_i64().unwrap();
    let shop_share = discount - seller_discounts;
    assert!(shop_share >= 0 && shop_share <= shop_total);
    assert!(((shop_share * subtotal) - (discount * shop_total)).abs() <= subtotal);

    // Changing or deleting a rule never changes a placed order.
    let default_id = default_rule["id"].as_i64().unwrap();
    let changed = app
        .put(&format!("/api/v1/admin/commission-rules/{default_id}"))
        .bearer(&admin)
        .json(json!({"basis_points": 9000}))
        .send()
        .await;
    assert_eq!(changed.body["basis_points"], 9000, "{}", changed.body);
    let after = app
        .get(&format!("/api/v1/admin/orders/{id}/commissions"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(after.body.as_array().unwrap(), &lines);
    app.delete(&format!("/api/v1/admin/commission-rules/{default_id}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);
    let after = app
        .get(&format!("/api/v1/admin/orders/{id}/commissions"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(after.body[1]["commission"], lines[1]["commission"]);

    // The buyer sees the three parcels on its order.
    let mine = app
        .get(&format!("/api/v1/store/orders/{id}"))
        .bearer(&token)
        .send()
        .await;
    assert_eq!(mine.body["fulfilments"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn staff_preview_what_a_rule_takes() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    clear_rules(&app).await;
    let none = app
        .get("/api/v1/admin/commission-preview?amount=10000")
        .bearer(&admin)
        .send()
        .await;
    assert!(none.body["rule"].is_null(), "{}", none.body);
    assert_eq!(none.body["commission"]["amount"], 0);
    rule(
        &app,
        &admin,
        json!({"category_id": 1, "basis_points": 1250, "min_per_line": 200}),
    )
    .await;
    let preview = app
        .get("/api/v1/admin/commission-preview?amount=999&category_id=1&seller_id=1")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(
        preview.body["rule"]["scope"], "category",
        "{}",
        preview.body
    );
    assert_eq!(preview.body["commission"]["amount"], 200, "the minimum");
    let bad = app
        .get("/api/v1/admin/commission-preview?amount=10&category_id=-3")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(bad.error_fields(), ["category_id"]);
    let (token, _) = app.customer("nosy@example.com").await;
    app.get("/api/v1/admin/commission-rules")
        .bearer(&token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_demo_shop_has_commission_rules_of_each_kind() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let rules = app
        .get("/api/v1/admin/commission-rules")
        .bearer(&admin)
        .send()
        .await;
    let scopes: Vec<&str> = rules
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scope"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, ["default", "category", "seller"]);
}

#[tokio::test]
async fn each_seller_ships_its_parcel_and_the_order_follows() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (shop_variant, _) = variant_in_stock(&app, None, 2).await;
    let (north_variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 2).await;
    let (ridge_variant, _) = variant_in_stock(&app, Some("ridgeline-outfitters"), 2).await;
    let (token, _) = app.customer("parcels@example.com").await;
    let lines = [(shop_variant, 1), (north_variant, 1), (ridge_variant, 1)];
    let order = buy(&app, &token, &lines, "parcels").await;
    let id = order["id"].as_str().unwrap().to_owned();
    let parcel_of = |seller: Option<i64>| {
        order["fulfilments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["seller_id"].as_i64() == seller)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (north, _) = seller_token(&app, "northwind-ceramics").await;
    let (ridge, _) = seller_token(&app, "ridgeline-outfitters").await;
    let north_id = app.shop.seller_shop("northwind-ceramics").await.unwrap().id;
    let ridge_id = app
        .shop
        .seller_shop("ridgeline-outfitters")
        .await
        .unwrap()
        .id;
    let (north_parcel, ridge_parcel, shop_parcel) = (
        parcel_of(Some(north_id)),
        parcel_of(Some(ridge_id)),
        parcel_of(None),
    );
    let ship = json!({"status": "shipped", "carrier": "Posten", "tracking_number": "PN123456789"});
    let step = |token: String, parcel: i64, body: Value| {
        let app = &app;
        async move {
            app.post(&format!("/api/v1/seller/fulfilments/{parcel}/status"))
                .bearer(&token)
                .json(body)
                .send()
                .await
        }
    };

    // Not before the order is paid.
    step(north.clone(), north_parcel, ship.clone())
        .await
        .problem(StatusCode::CONFLICT);
    app.post(&format!("/api/v1/admin/orders/{id}/status"))
        .bearer(&admin)
        .json(json!({"status": "paid"}))
        .send()
        .await
        .expect(StatusCode::OK);
    // Shipping needs the carrier; another seller's parcel is not found;
    // a seller cannot move the shop's parcel.
    let no_carrier = step(north.clone(), north_parcel, json!({"status": "shipped"})).await;
    assert_eq!(no_carrier.error_fields(), ["carrier"]);
    step(ridge.clone(), north_parcel, ship.clone())
        .await
        .problem(StatusCode::NOT_FOUND);
    step(ridge.clone(), shop_parcel, ship.clone())
        .await
        .problem(StatusCode::NOT_FOUND);
    step(north.clone(), north_parcel, json!({"status": "delivered"}))
        .await
        .problem(StatusCode::CONFLICT);

    let shipped = step(north.clone(), north_parcel, ship.clone()).await;
    assert_eq!(shipped.body["status"], "shipped", "{}", shipped.body);
    assert_eq!(shipped.body["tracking_number"], "PN123456789");

    assert_eq!(
        order_status(&app, &token, &id).await,
        "processing",
        "one parcel of three shipped"
    );
    step(ridge.clone(), ridge_parcel, ship.clone())
        .await
        .expect(StatusCode::OK);
    let shop_ship = app
        .post(&format!("/api/v1/admin/fulfilments/{shop_parcel}/status"))
        .bearer(&admin)
        .json(json!({"status": "shipped", "carrier": "DHL"}))
        .send()
        .await;
    assert_eq!(shop_ship.body["status"], "shipped", "{}", shop_ship.body);
    assert_eq!(
        order_status(&app, &token, &id).await,
        "shipped",
        "every parcel shipped"
    );

    for (token, parcel) in [(north.clone(), north_parcel), (ridge.clone(), ridge_parcel)] {
        step(token, parcel, json!({"status": "delivered"}))
            .await
            .expect(StatusCode::OK);
    }
    assert_eq!(
        order_status(&app, &token, &id).await,
        "shipped",
        "one parcel still on its way"
    );
    app.post(&format!("/api/v1/admin/fulfilments/{shop_parcel}/status"))
        .bearer(&admin)
        .json(json!({"status": "delivered"}))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(order_status(&app, &token, &id).await, "delivered");

    // The seller's order list shows its parcel; the buyer heard of each.
    let listed = app.get("/api/v1/seller/orders").bearer(&north).send().await;
    let mine = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id.as_str())
        .unwrap();
    assert_eq!(mine["fulfilment"]["status"], "delivered");
    app.run_jobs().await;
    let mail = app.emails().join("\n");
    assert!(
        mail.contains("The parcel from Northwind Ceramics is shipped with Posten"),
        "{mail}"
    );
    let number = order["number"].as_str().unwrap();
    let told = app
        .emails()
        .into_iter()
        .filter(|m| m.contains(&format!("New order {number} to ship")))
        .count();
    assert_eq!(told, 2, "each seller hears of its lines once");
}

#[tokio::test]
async fn a_cancelled_order_cancels_its_parcels() {
    let app = TestApp::with_demo().await;
    let (north_variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 2).await;
    let (token, _) = app.customer("changed-mind@example.com").await;
    let order = buy(&app, &token, &[(north_variant, 1)], "cancel-me").await;
    let id = order["id"].as_str().unwrap();
    let cancelled = app
        .post(&format!("/api/v1/store/orders/{id}/cancel"))
        .bearer(&token)
        .send()
        .await;
    assert_eq!(cancelled.body["status"], "cancelled", "{}", cancelled.body);
    assert_eq!(
        cancelled.body["fulfilments"][0]["status"], "cancelled",
        "{}",
        cancelled.body
    );
}

async fn order_status(app: &TestApp, token: &str, id: &str) -> Value {
    let order = app
        .get(&format!("/api/v1/store/orders/{id}"))
        .bearer(token)
        .send()
        .await;
    order.body["status"].clone()
}
