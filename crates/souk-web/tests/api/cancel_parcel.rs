//! A seller that cannot ship cancels its parcel: the stock comes back, the
//! buyer is refunded exactly what the parcel cost, the seller's ledger nets
//! to nothing, and the rest of the order goes on to delivery.

use crate::harness::TestApp;
use crate::payouts::{deliver, shop_paying_at_once};
use crate::shopping::{amount, buy, mark_paid, seller_token, variant_in_stock};
use axum::http::StatusCode;
use serde_json::{Value, json};

async fn available(app: &TestApp, variant: i64) -> i64 {
    let db = app.shop.db().conn();
    let v = souk_db::repo::catalogue::find_variant(db, variant)
        .await
        .unwrap()
        .unwrap();
    v.stock_on_hand - v.stock_reserved
}

fn parcel_of<'a>(order: &'a Value, seller: Option<&str>) -> &'a Value {
    order["fulfilments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["seller_name"].as_str() == seller)
        .unwrap_or_else(|| panic!("{seller:?}'s parcel in {order}"))
}

async fn cancel(
    app: &TestApp,
    token: &str,
    parcel: i64,
    reason: &str,
) -> crate::harness::TestResponse {
    app.post(&format!("/api/v1/seller/fulfilments/{parcel}/cancel"))
        .bearer(token)
        .json(json!({"reason": reason}))
        .send()
        .await
}

#[tokio::test]
async fn a_seller_cancels_its_parcel_and_the_rest_of_the_order_goes_on() {
    let (app, admin) = shop_paying_at_once().await;
    let (north, _) = seller_token(&app, "northwind-ceramics").await;
    let (ridge, _) = seller_token(&app, "ridgeline-outfitters").await;
    let (shop_variant, _) = variant_in_stock(&app, None, 1).await;
    let (north_variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 2).await;
    let (ridge_variant, _) = variant_in_stock(&app, Some("ridgeline-outfitters"), 1).await;
    let (buyer, _) = app.customer("cancel-buyer@example.com").await;
    let lines = [(shop_variant, 1), (north_variant, 2), (ridge_variant, 1)];
    let order = buy(&app, &buyer, &lines, "cancel-split").await;
    let id = order["id"].as_str().unwrap().to_owned();
    let stock_after_sale = available(&app, north_variant).await;

    let north_parcel = parcel_of(&order, Some("Northwind Ceramics"))["id"]
        .as_i64()
        .unwrap();
    let unpaid = cancel(&app, &north, north_parcel, "Out of clay.").await;
    assert_eq!(
        unpaid.status,
        StatusCode::CONFLICT,
        "an unpaid order: {}",
        unpaid.text
    );

    let paid = mark_paid(&app, &admin, &id).await;
    let parcel = parcel_of(&paid, Some("Northwind Ceramics")).clone();
    let owed =
        amount(&parcel["subtotal"]) - amount(&parcel["discount"]) + amount(&parcel["shipping"]);

    // Refused, changing nothing: no reason, another seller's, a customer.
    let blank = cancel(&app, &north, north_parcel, "   ").await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let theirs = cancel(&app, &ridge, north_parcel, "Not mine.").await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let customer = cancel(&app, &buyer, north_parcel, "No.").await;
    assert_eq!(customer.status, StatusCode::FORBIDDEN);
    assert_eq!(available(&app, north_variant).await, stock_after_sale);

    let done = cancel(&app, &north, north_parcel, "The glaze cracked in the kiln.").await;
    let done = done.expect(StatusCode::OK).clone();
    assert_eq!(done["status"], "cancelled");
    assert_eq!(amount(&done["refunded"]), owed, "{done}");
    assert_eq!(
        available(&app, north_variant).await,
        stock_after_sale + 2,
        "the stock is back"
    );
    let again = cancel(&app, &north, north_parcel, "Twice.").await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let seen = app
        .get(&format!("/api/v1/store/orders/{id}"))
        .bearer(&buyer)
        .send()
        .await;
    let seen = seen.expect(StatusCode::OK).clone();
    assert_eq!(seen["payment_status"], "partially_refunded");
    assert_eq!(seen["status"], "paid", "the other parcels go on");
    let history = seen.to_string();
    assert!(
        history.contains("The glaze cracked in the kiln."),
        "{history}"
    );

    // The seller's ledger nets to nothing and holds nothing back.
    let b = app
        .get("/api/v1/seller/balance")
        .bearer(&north)
        .send()
        .await;
    let b = b.expect(StatusCode::OK)["balances"][0].clone();
    assert_eq!(
        (amount(&b["available"]), amount(&b["pending"])),
        (0, 0),
        "{b}"
    );
    let entries = app.get("/api/v1/seller/ledger").bearer(&north).send().await;
    let entries = entries.expect(StatusCode::OK)["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(entries.iter().map(|e| amount(&e["amount"])).sum::<i64>(), 0);
    assert!(
        entries.iter().all(|e| e["state"] == "available"),
        "{entries:?}"
    );

    // A shipped parcel is not cancelled; once the rest is delivered, so is
    // the order.
    let ridge_parcel = parcel_of(&paid, Some("Ridgeline Outfitters"))["id"]
        .as_i64()
        .unwrap();
    deliver(&app, &ridge, ridge_parcel).await;
    let late = cancel(&app, &ridge, ridge_parcel, "Too late.").await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let shop_parcel = parcel_of(&paid, None)["id"].as_i64().unwrap();
    for body in [
        json!({"status": "shipped", "carrier": "Posten"}),
        json!({"status": "delivered"}),
    ] {
        app.post(&format!("/api/v1/admin/fulfilments/{shop_parcel}/status"))
            .bearer(&admin)
            .json(body)
            .send()
            .await
            .expect(StatusCode::OK);
    }
    let seen = app
        .get(&format!("/api/v1/store/orders/{id}"))
        .bearer(&buyer)
        .send()
        .await;
    assert_eq!(seen.body["status"], "delivered", "{}", seen.text);
}

#[tokio::test]
async fn cancelling_the_only_parcel_refunds_the_whole_order() {
    let (app, admin) = shop_paying_at_once().await;
    let (north, _) = seller_token(&app, "northwind-ceramics").await;
    let (variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 1).await;
    let (buyer, _) = app.customer("cancel-all@example.com").await;
    let order = buy(&app, &buyer, &[(variant, 1)], "cancel-only").await;
    let id = order["id"].as_str().unwrap().to_owned();
    let paid = mark_paid(&app, &admin, &id).await;
    let parcel = paid["fulfilments"][0]["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/seller/fulfilments/{parcel}/status"))
        .bearer(&north)
        .json(json!({"status": "processing"}))
        .send()
        .await
        .expect(StatusCode::OK);
    cancel(&app, &north, parcel, "Broken in the workshop.")
        .await
        .expect(StatusCode::OK);
    let seen = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&admin)
        .send()
        .await;
    let seen = seen.expect(StatusCode::OK).clone();
    assert_eq!(seen["payment_status"], "refunded");
    assert_eq!(seen["status"], "refunded", "{seen}");
    let refunded: i64 = seen["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| amount(&p["refunded"]))
        .sum();
    assert_eq!(refunded, amount(&seen["total"]), "all of it: {seen}");
}
