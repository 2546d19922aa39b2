//! The marketplace in the browser: applying at `/sell`, staff deciding at
//! `/admin/sellers`, the seller panel at `/seller` (the admin's product
//! pages, scoped to the seller), and a seller's shop at `/sellers/{slug}`.

use crate::browser::{Browser, location};
use crate::harness::TestApp;
use crate::pages_admin::staff;
use crate::shopping::{buy, mark_paid, seller_token, variant_in_stock};
use axum::http::StatusCode;

const SHOP: [(&str, &str); 5] = [
    ("name", "Fjord <Wool>"),
    ("slug", "fjord-wool"),
    ("description", "Knitwear from the coast."),
    ("contact_email", "fjord@example.com"),
    ("payout_details", "IBAN NO00 0000 0000 000"),
];

/// Staff approve the waiting application of `slug`, from its page.
async fn approve(staff: &mut Browser<'_>, app: &TestApp, slug: &str) -> i64 {
    let seller = souk_db::repo::sellers::find_seller(app.shop.db().conn(), slug)
        .await
        .unwrap()
        .unwrap();
    let page = staff.get(&format!("/admin/sellers/{}", seller.id)).await;
    assert!(page.text.contains("value=\"approve\""), "{}", page.text);
    let decided = staff
        .post(
            &format!("/admin/sellers/{}/decision", seller.id),
            &[("decision", "approve"), ("reason", "")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    seller.id
}

#[tokio::test]
async fn a_customer_applies_staff_approve_and_the_seller_lists_a_product() {
    let app = TestApp::with_demo().await;
    let mut ann = Browser::new(&app);
    ann.register("ann@example.com", "Ann").await;
    let form = ann.get("/sell").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text.contains("value=\"ann@example.com\""),
        "the contact is prefilled"
    );

    let mut refused: Vec<(&str, &str)> = SHOP.to_vec();
    refused[1] = ("slug", "Not a slug!");
    let page = ann.post("/sell", &refused).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text.contains("id=\"slug-error\""));
    assert!(
        page.text.contains("Knitwear from the coast."),
        "the input is kept"
    );

    let page = ann.post("/sell", &SHOP).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains("will review your application"));
    // Not a seller yet.
    let panel = ann.get("/seller").await;
    assert_eq!(panel.status, StatusCode::FORBIDDEN);

    let mut staff = staff(&app).await;
    let queue = staff.get("/admin/sellers?status=pending").await;
    assert!(
        queue.text.contains("Fjord &#60;Wool&#62;"),
        "{}",
        queue.text
    );
    approve(&mut staff, &app, "fjord-wool").await;

    let page = ann.get("/sell").await;
    assert!(page.text.contains("href=\"/seller\""));
    let dashboard = ann.get("/seller").await;
    assert_eq!(dashboard.status, StatusCode::OK, "{}", dashboard.text);
    assert!(dashboard.text.contains("class=\"admin-nav\""));
    assert!(!dashboard.text.contains("href=\"/admin/orders\""));

    ann.get("/seller/products/new").await;
    let made = ann
        .post(
            "/seller/products",
            &[
                ("name", "Fjord Hat"),
                ("description", "A warm hat."),
                ("status", "active"),
                ("variants[0].sku", "FJ-HAT-GREY"),
                ("variants[0].options", "colour=Grey"),
                ("variants[0].price", "30"),
                ("variants[0].stock", "4"),
                ("variants[1].sku", "FJ-HAT-BLUE"),
                ("variants[1].options", "colour=Blue"),
                ("variants[1].price", "32"),
                ("variants[1].stock", "2"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let editor = location(&made).unwrap();
    assert!(editor.starts_with("/seller/products/"), "{editor}");
    let page = ann.get(&editor).await;
    assert!(page.text.contains("FJ-HAT-BLUE"));
    assert!(page.text.contains(&format!("action=\"{editor}/variants/")));

    let shop = Browser::new(&app).get("/sellers/fjord-wool").await;
    assert_eq!(shop.status, StatusCode::OK);
    assert!(shop.text.contains("Knitwear from the coast."));
    assert!(shop.text.contains("Fjord Hat"));
    assert!(shop.text.contains("1 product"), "only its products");
    let product = Browser::new(&app).get("/products/fjord-hat").await;
    assert!(product.text.contains("href=\"/sellers/fjord-wool\""));

    // Another seller cannot open or change it.
    let mut bob = Browser::new(&app);
    bob.register("bob@example.com", "Bob").await;
    let mut bobs: Vec<(&str, &str)> = SHOP.to_vec();
    bobs[0] = ("name", "Bob's Knits");
    bobs[1] = ("slug", "bobs-knits");
    bob.get("/sell").await;
    bob.post("/sell", &bobs).await;
    approve(&mut staff, &app, "bobs-knits").await;
    let page = bob.get(&editor).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let product_id: i64 = editor.rsplit('/').next().unwrap().parse().unwrap();
    let id = product_id.to_string();
    bob.get("/seller/products").await;
    let bulk = bob
        .post(
            "/seller/products/bulk",
            &[("action", "delete"), ("ids", &id)],
        )
        .await;
    assert_eq!(bulk.status, StatusCode::SEE_OTHER);
    assert!(
        Browser::new(&app).get("/products/fjord-hat").await.status == StatusCode::OK,
        "nothing was deleted"
    );
    let list = bob.get("/seller/products").await;
    assert!(!list.text.contains("Fjord Hat"));
}

#[tokio::test]
async fn the_seller_keeps_its_profile_and_staff_suspend_it() {
    let app = TestApp::with_demo().await;
    let mut ann = Browser::new(&app);
    ann.register("ann@example.com", "Ann").await;
    ann.get("/sell").await;
    ann.post("/sell", &SHOP).await;
    let mut staff = staff(&app).await;
    let id = approve(&mut staff, &app, "fjord-wool").await;

    let page = ann.get("/seller/profile").await;
    assert!(page.text.contains("value=\"fjord-wool\""));
    let mut changed: Vec<(&str, &str)> = SHOP.to_vec();
    changed[0] = ("name", "Fjord Knitwear");
    changed[3] = ("contact_email", "not an address");
    let refused = ann.post("/seller/profile", &changed).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("id=\"contact_email-error\""));
    changed[3] = ("contact_email", "hello@fjord.example");
    let saved = ann.post("/seller/profile", &changed).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let shop = Browser::new(&app).get("/sellers/fjord-wool").await;
    assert!(shop.text.contains("Fjord Knitwear"));

    let refused = staff
        .post(
            &format!("/admin/sellers/{id}/decision"),
            &[("decision", "suspend"), ("reason", "")],
        )
        .await;
    let page = staff.get(&location(&refused).unwrap()).await;
    assert!(page.text.contains("Nothing was decided"), "{}", page.text);
    staff
        .post(
            &format!("/admin/sellers/{id}/decision"),
            &[("decision", "suspend"), ("reason", "Late parcels")],
        )
        .await;
    let shop = Browser::new(&app).get("/sellers/fjord-wool").await;
    assert_eq!(shop.status, StatusCode::NOT_FOUND);
    let dashboard = ann.get("/seller").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(dashboard.text.contains("Late parcels"));
}

#[tokio::test]
async fn staff_keep_commission_rules_and_see_each_orders_commissions() {
    let app = TestApp::with_demo().await;
    crate::marketplace::clear_rules(&app).await;
    let mut staff = staff(&app).await;
    let page = staff.get("/admin/commissions").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("No rules yet"));
    let refused = staff
        .post(
            "/admin/commissions",
            &[("percent", "ten"), ("seller_id", ""), ("category_id", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("id=\"percent-error\""));
    let added = staff
        .post(
            "/admin/commissions",
            &[
                ("percent", "12.5"),
                ("seller_id", ""),
                ("category_id", ""),
                ("min_per_line", "1"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text);
    let again = staff
        .post(
            "/admin/commissions",
            &[("percent", "5"), ("seller_id", ""), ("category_id", "")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text.contains("already has a rule"));
    let page = staff
        .get("/admin/commissions?price=10&quantity=2&preview_seller=1")
        .await;
    assert!(page.text.contains("Every sale (the default)"));
    assert!(page.text.contains("value=\"12.5\""));
    assert!(
        page.text.contains("<strong>$2.50</strong>"),
        "{}",
        page.text
    );

    // A buyer of a seller's product and a shop product.
    let (variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 1).await;
    let (shop_variant, _) = variant_in_stock(&app, None, 1).await;
    let mut buyer = Browser::new(&app);
    buyer.register("mixed@example.com", "Mia").await;
    let login = app
        .post("/api/v1/auth/login")
        .json(
            serde_json::json!({"email": "mixed@example.com", "password": crate::harness::PASSWORD}),
        )
        .send()
        .await;
    let mia = login.body["access_token"].as_str().unwrap().to_owned();
    let placed = buy(&app, &mia, &[(shop_variant, 1), (variant, 1)], "mixed").await;
    let id = placed["id"].as_str().unwrap();
    let page = buyer.get(&format!("/account/orders/{id}")).await;
    assert!(page.text.contains("ships in 2 parcels"), "{}", page.text);
    assert!(page.text.contains("From Northwind Ceramics"));
    let page = staff.get(&format!("/admin/orders/{id}")).await;
    assert!(page.text.contains("<h2>Commissions</h2>"));
    assert!(page.text.contains("Default · 1250 bp"), "{}", page.text);
}

#[tokio::test]
async fn a_seller_ships_its_parcel_from_the_panel() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (_, email) = seller_token(&app, "northwind-ceramics").await;
    let (variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 1).await;
    let (buyer, _) = app.customer("panel-buyer@example.com").await;
    let order = buy(&app, &buyer, &[(variant, 1)], "panel").await;
    let id = order["id"].as_str().unwrap().to_owned();
    let parcel = order["fulfilments"][0]["id"].as_i64().unwrap();
    mark_paid(&app, &admin, &id).await;

    let mut panel = Browser::new(&app);
    panel.sign_in(&email, crate::harness::PASSWORD).await;
    let page = panel.get("/seller/orders").await;
    assert!(
        page.text
            .contains(&format!("action=\"/seller/parcels/{parcel}\"")),
        "{}",
        page.text
    );
    let refused = panel
        .post(
            &format!("/seller/parcels/{parcel}"),
            &[
                ("status", "shipped"),
                ("carrier", ""),
                ("tracking_number", ""),
            ],
        )
        .await;
    let page = panel.get(&location(&refused).unwrap()).await;
    assert!(
        page.text.contains("The parcel did not move"),
        "{}",
        page.text
    );
    let shipped = panel
        .post(
            &format!("/seller/parcels/{parcel}"),
            &[
                ("status", "shipped"),
                ("carrier", "Posten"),
                ("tracking_number", "PN1"),
            ],
        )
        .await;
    let page = panel.get(&location(&shipped).unwrap()).await;
    assert!(
        page.text.contains("The parcel is shipped."),
        "{}",
        page.text
    );
    let mine = app
        .get(&format!("/api/v1/store/orders/{id}"))
        .bearer(&buyer)
        .send()
        .await;
    assert_eq!(mine.body["status"], "shipped", "its only parcel shipped");
}

#[tokio::test]
async fn a_seller_that_cannot_ship_cancels_its_parcel_from_the_panel() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (_, email) = seller_token(&app, "northwind-ceramics").await;
    let (variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 1).await;
    let (buyer, _) = app.customer("cancel-panel@example.com").await;
    let order = buy(&app, &buyer, &[(variant, 1)], "cancel-panel").await;
    let id = order["id"].as_str().unwrap().to_owned();
    let parcel = order["fulfilments"][0]["id"].as_i64().unwrap();
    mark_paid(&app, &admin, &id).await;

    let mut panel = Browser::new(&app);
    panel.sign_in(&email, crate::harness::PASSWORD).await;
    let page = panel.get("/seller/orders").await;
    let action = format!("action=\"/seller/parcels/{parcel}/cancel\"");
    assert!(page.text.contains(&action), "{}", page.text);
    let path = format!("/seller/parcels/{parcel}/cancel");
    let refused = panel.post(&path, &[("reason", "")]).await;
    let page = panel.get(&location(&refused).unwrap()).await;
    assert!(
        page.text
            .contains("The parcel was not cancelled: Enter a reason."),
        "{}",
        page.text
    );
    let done = panel.post(&path, &[("reason", "Out of <clay>.")]).await;
    let page = panel.get(&location(&done).unwrap()).await;
    assert!(
        page.text.contains("The parcel is cancelled and"),
        "{}",
        page.text
    );
    assert!(!page.text.contains(&action), "nothing left to cancel");
    let mine = app
        .get(&format!("/api/v1/store/orders/{id}"))
        .bearer(&buyer)
        .send()
        .await;
    assert_eq!(mine.body["status"], "refunded", "its only parcel");
}

#[tokio::test]
async fn staff_ship_the_shops_own_parcel_from_the_order_page() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (shop_variant, _) = variant_in_stock(&app, None, 1).await;
    let (north_variant, _) = variant_in_stock(&app, Some("northwind-ceramics"), 1).await;
    let (buyer, _) = app.customer("staff-ships@example.com").await;
    let order = buy(
        &app,
        &buyer,
        &[(shop_variant, 1), (north_variant, 1)],
        "staff-ships",
    )
    .await;
    let id = order["id"].as_str().unwrap().to_owned();
    let shop_parcel = order["fulfilments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["seller_name"].is_null())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    mark_paid(&app, &admin, &id).await;

    let mut office = staff(&app).await;
    let page = office.get(&format!("/admin/orders/{id}")).await;
    let action = format!("action=\"/admin/parcels/{shop_parcel}\"");
    assert!(page.text.contains(&action), "{}", page.text);
    let back = format!("/admin/orders/{id}");
    let path = format!("/admin/parcels/{shop_parcel}");
    let shipped = office
        .post(
            &path,
            &[
                ("status", "shipped"),
                ("carrier", "Posten"),
                ("tracking_number", "SHOP1"),
                ("back", &back),
            ],
        )
        .await;
    assert_eq!(location(&shipped).as_deref(), Some(back.as_str()));
    let page = office.get(&back).await;
    assert!(
        page.text.contains("The parcel is shipped."),
        "{}",
        page.text
    );
    // A page outside the panel is not where the form goes back to.
    let away = office
        .post(
            &path,
            &[
                ("status", "delivered"),
                ("back", "https://elsewhere.example/"),
            ],
        )
        .await;
    assert_eq!(location(&away).as_deref(), Some("/admin/orders"));
    let seen = app
        .get(&format!("/api/v1/store/orders/{id}"))
        .bearer(&buyer)
        .send()
        .await;
    let text = seen.text;
    assert!(text.contains("SHOP1"), "{text}");
}
