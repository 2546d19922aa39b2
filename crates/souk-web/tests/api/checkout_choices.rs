//! What a checkout chooses and what follows from it: sellers' own shipping
//! methods (a seller keeps its own, the checkout offers them for its lines
//! alone, the shop's method ships the rest with one charge, each parcel
//! records what it ships with and costs), keeping the new address, and a
//! seller told when a sale leaves it low on stock.

use crate::browser::{Browser, location};
use crate::harness::TestApp;
use crate::shopping::{amount, fill_cart, seller_token, variant_in_stock};
use axum::http::StatusCode;
use serde_json::{Value, json};

fn checkout_body(picks: Value) -> Value {
    json!({
        "shipping_address": {"full_name": "Bea Buyer", "line1": "1 Street", "city": "Town", "postal_code": "1000", "country": "US"},
        "shipping_method": 1, "seller_shipping": picks, "payment_method": "bank_transfer",
    })
}

#[tokio::test]
async fn a_seller_keeps_its_own_methods_and_only_its_own() {
    let app = TestApp::with_demo().await;
    let (ridge, _) = seller_token(&app, "ridgeline-outfitters").await;
    let (north, _) = seller_token(&app, "northwind-ceramics").await;
    let mine = app
        .get("/api/v1/seller/shipping-methods")
        .bearer(&ridge)
        .send()
        .await;
    assert_eq!(
        mine.expect(StatusCode::OK),
        &json!([]),
        "it ships with the shop's"
    );
    let made = app
        .post("/api/v1/seller/shipping-methods")
        .bearer(&ridge)
        .json(json!({"name": "Trail courier", "price": 850, "free_above": 15000}))
        .send()
        .await;
    let made = made.expect(StatusCode::CREATED).clone();
    let id = made["id"].as_i64().unwrap();
    let refused = app
        .post("/api/v1/seller/shipping-methods")
        .bearer(&ridge)
        .json(json!({"name": "", "price": -1}))
        .send()
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another seller's, and the shop's, are not found by a seller; staff do
    // not see sellers' methods among the shop's.
    let path = format!("/api/v1/seller/shipping-methods/{id}");
    let theirs = app
        .patch(&path)
        .bearer(&north)
        .json(json!({"price": 1}))
        .send()
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let shops = app
        .delete("/api/v1/seller/shipping-methods/1")
        .bearer(&ridge)
        .send()
        .await;
    assert_eq!(shops.status, StatusCode::NOT_FOUND);
    let admin = app.admin().await;
    let listed = app
        .get("/api/v1/admin/shipping-methods")
        .bearer(&admin)
        .send()
        .await;
    let names: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"Trail courier"), "{names:?}");
    let public = app.get("/api/v1/store/shipping-methods").send().await;
    assert!(!public.text.contains("Trail courier"));
    let (buyer, _) = app.customer("not-a-seller@example.com").await;
    let customer = app
        .get("/api/v1/seller/shipping-methods")
        .bearer(&buyer)
        .send()
        .await;
    assert_eq!(customer.status, StatusCode::FORBIDDEN);

    let changed = app
        .patch(&path)
        .bearer(&ridge)
        .json(json!({"active": false}))
        .send()
        .await;
    assert_eq!(changed.expect(StatusCode::OK)["active"], false);
    app.delete(&path)
        .bearer(&ridge)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn each_seller_with_its_own_methods_ships_with_the_one_picked() {
    let app = TestApp::with_demo().await;
    let (shop_variant, _) = variant_in_stock(&app, None, 1).await;
    let (north_variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 1).await;
    let (ridge_variant, _) = variant_in_stock(&app, Some("ridgeline-outfitters"), 1).await;
    let (buyer, _) = app.customer("ship-split@example.com").await;
    fill_cart(
        &app,
        &buyer,
        &[(shop_variant, 1), (north_variant, 1), (ridge_variant, 1)],
    )
    .await;

    let plan = app
        .get("/api/v1/store/checkout/shipping")
        .bearer(&buyer)
        .send()
        .await;
    let plan = plan.expect(StatusCode::OK).clone();
    let parcels = plan["parcels"].as_array().unwrap();
    assert_eq!(parcels.len(), 3, "{plan}");
    let north = parcels
        .iter()
        .find(|p| p["seller_name"] == "Northwind Ceramics")
        .expect("northwind's parcel");
    assert_eq!(north["own_methods"], true);
    let north_id = north["seller_id"].as_i64().unwrap();
    let options: Vec<&str> = north["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        options,
        [
            "Insured ceramics parcel (4-6 days)",
            "Collect from the studio in Bergen"
        ]
    );
    let collect = north["options"][1]["id"].as_i64().unwrap();
    assert!(
        parcels.iter().filter(|p| p["own_methods"] == false).count() == 2,
        "the shop's and ridgeline's"
    );
    let total: i64 = parcels.iter().map(|p| amount(&p["charge"])).sum();
    assert_eq!(total, amount(&plan["total"]));

    // The shop's method is not one of northwind's: refused, nothing taken.
    let wrong = app
        .post("/api/v1/store/checkout")
        .bearer(&buyer)
        .header("idempotency-key", "ship-wrong")
        .json(checkout_body(
            json!([{"seller_id": north_id, "shipping_method": 1}]),
        ))
        .send()
        .await;
    assert_eq!(wrong.status, StatusCode::CONFLICT, "{}", wrong.text);
    assert!(
        wrong.text.contains(&format!("seller_shipping.{north_id}")),
        "{}",
        wrong.text
    );
    let cart = app.get("/api/v1/store/cart").bearer(&buyer).send().await;
    assert_eq!(
        cart.body["items"].as_array().unwrap().len(),
        3,
        "the cart is kept"
    );

    let placed = app
        .post("/api/v1/store/checkout")
        .bearer(&buyer)
        .header("idempotency-key", "ship-right")
        .json(checkout_body(
            json!([{"seller_id": north_id, "shipping_method": collect}]),
        ))
        .send()
        .await;
    let order = placed.expect(StatusCode::CREATED).clone();
    let fulfilments = order["fulfilments"].as_array().unwrap();
    let by = |name: Option<&str>| {
        fulfilments
            .iter()
            .find(|f| f["seller_name"].as_str() == name)
            .unwrap_or_else(|| panic!("{name:?} in {order}"))
    };
    let north = by(Some("Northwind Ceramics"));
    assert_eq!(
        north["shipping_method"],
        "Collect from the studio in Bergen"
    );
    assert_eq!(amount(&north["shipping"]), 0);
    let standard = "Standard delivery (3-5 days)";
    assert_eq!(by(None)["shipping_method"], standard);
    assert_eq!(
        by(Some("Ridgeline Outfitters"))["shipping_method"],
        standard
    );
    let parcels_shipping: i64 = fulfilments.iter().map(|f| amount(&f["shipping"])).sum();
    assert_eq!(parcels_shipping, amount(&order["shipping"]), "{order}");
    assert_eq!(
        amount(&order["total"]),
        amount(&order["subtotal"]) + amount(&order["shipping"]) - amount(&order["discount"])
            + amount(&order["tax"])
    );
}

#[tokio::test]
async fn the_checkout_page_offers_a_sellers_own_methods_for_its_lines() {
    let app = TestApp::with_demo().await;
    let (north_variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 1).await;
    let (shop_variant, _) = variant_in_stock(&app, None, 1).await;
    let mut shopper = Browser::new(&app);
    shopper.register("page-ship@example.com", "Pia").await;
    for variant in [north_variant, shop_variant] {
        let v = variant.to_string();
        shopper.get("/cart").await;
        let added = shopper
            .post("/cart/items", &[("variant_id", &v), ("quantity", "1")])
            .await;
        assert!(added.status.is_redirection(), "{}", added.text);
    }
    let cart = shopper.get("/cart").await;
    assert!(
        cart.text.contains("Sold and shipped by Northwind Ceramics"),
        "{}",
        cart.text
    );
    assert!(
        cart.text.contains("Sold and shipped by souk"),
        "{}",
        cart.text
    );
    let page = shopper.get("/checkout").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("Shipped by Northwind Ceramics"),
        "{}",
        page.text
    );
    let db = app.shop.db().conn();
    let north = souk_db::repo::sellers::find_seller(db, "northwind-ceramics")
        .await
        .unwrap()
        .unwrap();
    let field = format!("name=\"ship_{}\"", north.id);
    assert!(page.text.contains(&field), "{}", page.text);
    let methods = souk_db::repo::shipping::list(db, Some(north.id), true)
        .await
        .unwrap();
    let collect = methods[1].id.to_string();
    let key = crate::browser::hidden_field(&page.text, "idempotency_key").unwrap();
    let name = format!("ship_{}", north.id);
    let placed = shopper
        .post(
            "/checkout",
            &[
                ("idempotency_key", &key),
                ("address", "new"),
                ("full_name", "Pia Picker"),
                ("line1", "2 Road"),
                ("city", "Oslo"),
                ("postal_code", "0150"),
                ("country", "NO"),
                ("shipping_method_id", "1"),
                (&name, &collect),
                ("payment_method", "bank_transfer"),
            ],
        )
        .await;
    let to = location(&placed).unwrap_or_else(|| panic!("{}", placed.text));
    let order = shopper.get(&to).await;
    assert!(
        order.text.contains("Collect from the studio in Bergen"),
        "{}",
        order.text
    );
}

#[tokio::test]
async fn a_seller_adds_its_own_method_in_the_panel() {
    let app = TestApp::with_demo().await;
    let (_, email) = seller_token(&app, "ridgeline-outfitters").await;
    let mut panel = Browser::new(&app);
    panel.sign_in(&email, crate::harness::PASSWORD).await;
    let page = panel.get("/seller/shipping").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains("You ship with the shop's methods for now.")
    );
    assert!(
        !page.text.contains("Standard delivery"),
        "not the shop's own"
    );
    let refused = panel
        .post(
            "/seller/shipping",
            &[("name", "Trail <courier>"), ("price", "cheap")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains("value=\"Trail &#60;courier&#62;\""),
        "{}",
        refused.text
    );
    let added = panel
        .post(
            "/seller/shipping",
            &[
                ("name", "Trail courier"),
                ("price", "8.50"),
                ("active", "on"),
            ],
        )
        .await;
    let to = location(&added).unwrap();
    assert_eq!(to, "/seller/shipping");
    let page = panel.get(&to).await;
    assert!(page.text.contains("Added Trail courier."), "{}", page.text);
    assert!(page.text.contains("action=\"/seller/shipping/"));
    let mut office = crate::pages_admin::staff(&app).await;
    let shop = office.get("/admin/shipping").await;
    assert!(
        !shop.text.contains("Trail courier"),
        "staff keep the shop's"
    );
}

#[tokio::test]
async fn a_sale_that_leaves_a_sellers_variant_low_tells_the_seller_once() {
    let app = TestApp::with_demo().await;
    let (_, email) = seller_token(&app, "northwind-ceramics").await;
    let (variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 1).await;
    let db = app.shop.db().conn();
    let row = souk_db::repo::catalogue::find_variant(db, variant)
        .await
        .unwrap()
        .unwrap();
    // Seven left: a sale of two leaves five, at the threshold.
    let admin = app.admin().await;
    app.post(&format!("/api/v1/admin/variants/{variant}/stock"))
        .bearer(&admin)
        .json(json!({"delta": 7 - (row.stock_on_hand - row.stock_reserved), "reason": "count"}))
        .send()
        .await
        .expect(StatusCode::OK);
    let (buyer, _) = app.customer("low-buyer@example.com").await;
    crate::shopping::buy(&app, &buyer, &[(variant, 2)], "low-1").await;
    crate::shopping::buy(&app, &buyer, &[(variant, 1)], "low-2").await;
    app.run_jobs().await;
    let told: Vec<String> = app
        .emails()
        .into_iter()
        .filter(|m| m.contains("Running low on stock"))
        .collect();
    assert_eq!(told.len(), 1, "once, when it crossed: {told:?}");
    assert!(told[0].contains(&email), "to the seller: {}", told[0]);
    assert!(
        told[0].contains(&format!("{}): 5 left", row.sku)),
        "{}",
        told[0]
    );
    let mut panel = Browser::new(&app);
    panel.sign_in(&email, crate::harness::PASSWORD).await;
    let dash = panel.get("/seller").await;
    let low = dash
        .text
        .split("<h2>Running low</h2>")
        .nth(1)
        .unwrap_or_default();
    assert!(low.contains(&row.sku), "{}", dash.text);
    assert!(dash.text.contains("Parcels to ship"));
}

#[tokio::test]
async fn a_checkout_may_keep_its_new_address_in_the_same_transaction() {
    let app = TestApp::with_demo().await;
    let (variant, _) = variant_in_stock(&app, None, 2).await;
    let (buyer, _) = app.customer("keeps-address@example.com").await;
    fill_cart(&app, &buyer, &[(variant, 1)]).await;
    let mut body = checkout_body(json!([]));
    body["save_address"] = json!(true);
    app.post("/api/v1/store/checkout")
        .bearer(&buyer)
        .header("idempotency-key", "keep-1")
        .json(body.clone())
        .send()
        .await
        .expect(StatusCode::CREATED);
    let book = app
        .get("/api/v1/store/addresses")
        .bearer(&buyer)
        .send()
        .await;
    let book = book.expect(StatusCode::OK).clone();
    let saved = book
        .as_array()
        .unwrap_or_else(|| book["items"].as_array().unwrap());
    assert_eq!(saved.len(), 1, "{book}");
    assert_eq!(saved[0]["line1"], "1 Street");
    assert_eq!(saved[0]["is_default"], true);

    // A checkout that fails keeps nothing, the address included.
    body["voucher_code"] = json!("NOPE-NOT-REAL");
    fill_cart(&app, &buyer, &[(variant, 1)]).await;
    let refused = app
        .post("/api/v1/store/checkout")
        .bearer(&buyer)
        .header("idempotency-key", "keep-2")
        .json(body)
        .send()
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    let book = app
        .get("/api/v1/store/addresses")
        .bearer(&buyer)
        .send()
        .await;
    let n = book
        .body
        .as_array()
        .map_or_else(|| book.body["items"].as_array().unwrap().len(), Vec::len);
    assert_eq!(n, 1, "{}", book.text);
}
