//! Becoming a seller and selling: applications, staff decisions, the
//! seller's own catalogue scoped by the core, and a suspended seller's
//! products leaving the shop.

use crate::harness::{PASSWORD, TestApp};
use axum::http::StatusCode;
use serde_json::{Value, json};

fn shop(name: &str, slug: &str) -> Value {
    json!({
        "name": name,
        "slug": slug,
        "description": "Hand-thrown stoneware.",
        "contact_email": format!("{slug}@example.com"),
        "payout_details": "IBAN DE00 0000 0000 0000",
    })
}

async fn login(app: &TestApp, email: &str) -> String {
    let response = app
        .post("/api/v1/auth/login")
        .json(json!({"email": email, "password": PASSWORD}))
        .send()
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.body["access_token"].as_str().unwrap().to_owned()
}

/// A customer who applied and was approved, signed in again as a seller:
/// its token and seller id.
async fn approved_seller(app: &TestApp, admin: &str, slug: &str) -> (String, i64) {
    let email = format!("{slug}-owner@example.com");
    let (token, _) = app.customer(&email).await;
    let applied = app
        .post("/api/v1/store/seller-application")
        .bearer(&token)
        .json(shop(&format!("Shop {slug}"), slug))
        .send()
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    let id = applied.body["id"].as_i64().unwrap();
    let approved = app
        .post(&format!("/api/v1/admin/sellers/{id}/decision"))
        .bearer(admin)
        .json(json!({"decision": "approve"}))
        .send()
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    (login(app, &email).await, id)
}

fn product(name: &str, sku: &str) -> Value {
    json!({
        "name": name,
        "status": "active",
        "variants": [
            {"sku": format!("{sku}-S"), "options": {"size": "S"}, "price": 2500, "stock": 5},
            {"sku": format!("{sku}-L"), "options": {"size": "L"}, "price": 2700, "stock": 3},
        ],
    })
}

#[tokio::test]
async fn a_customer_applies_and_staff_approve() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (token, _) = app.customer("ann@example.com").await;

    let refused = app
        .post("/api/v1/store/seller-application")
        .bearer(&token)
        .json(json!({"name": "A", "slug": "Not A Slug", "contact_email": "nope", "payout_details": ""}))
        .send()
        .await;
    let mut fields = refused.fields_of(StatusCode::UNPROCESSABLE_ENTITY);
    fields.sort();
    assert_eq!(fields, ["contact_email", "name", "payout_details", "slug"]);

    let applied = app
        .post("/api/v1/store/seller-application")
        .bearer(&token)
        .json(shop("Ann's Pots", "anns-pots"))
        .send()
        .await;
    assert_eq!(applied.status, StatusCode::CREATED, "{}", applied.body);
    assert_eq!(applied.body["status"], "pending");
    let id = applied.body["id"].as_i64().unwrap();

    let again = app
        .post("/api/v1/store/seller-application")
        .bearer(&token)
        .json(shop("Ann's Other Pots", "anns-other-pots"))
        .send()
        .await;
    again.problem(StatusCode::CONFLICT);
    let mine = app
        .get("/api/v1/store/seller-application")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(mine.body["slug"], "anns-pots");

    // Another applicant cannot take the slug.
    let (bob, _) = app.customer("bob@example.com").await;
    let taken = app
        .post("/api/v1/store/seller-application")
        .bearer(&bob)
        .json(shop("Bob's Pots", "anns-pots"))
        .send()
        .await;
    assert_eq!(taken.fields_of(StatusCode::CONFLICT), ["slug"]);

    // A pending application has no shop and no panel.
    app.get("/api/v1/store/sellers/anns-pots")
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get("/api/v1/seller/profile")
        .bearer(&token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);
    // Only staff decide.
    app.post(&format!("/api/v1/admin/sellers/{id}/decision"))
        .bearer(&token)
        .json(json!({"decision": "approve"}))
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);

    let queue = app
        .get("/api/v1/admin/sellers?status=pending")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(queue.body["total"], 1, "{}", queue.body);
    let reject_without_reason = app
        .post(&format!("/api/v1/admin/sellers/{id}/decision"))
        .bearer(&admin)
        .json(json!({"decision": "reject"}))
        .send()
        .await;
    assert_eq!(
        reject_without_reason.fields_of(StatusCode::UNPROCESSABLE_ENTITY),
        ["reason"]
    );
    app.post(&format!("/api/v1/admin/sellers/{id}/decision"))
        .bearer(&admin)
        .json(json!({"decision": "reinstate"}))
        .send()
        .await
        .problem(StatusCode::CONFLICT);
    let approved = app
        .post(&format!("/api/v1/admin/sellers/{id}/decision"))
        .bearer(&admin)
        .json(json!({"decision": "approve"}))
        .send()
        .await;
    assert_eq!(approved.body["status"], "approved", "{}", approved.body);

    let seller = login(&app, "ann@example.com").await;
    let profile = app
        .get("/api/v1/seller/profile")
        .bearer(&seller)
        .send()
        .await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.body);
    assert_eq!(profile.body["name"], "Ann's Pots");
    let public = app.get("/api/v1/store/sellers/anns-pots").send().await;
    assert_eq!(public.body["name"], "Ann's Pots");
    assert!(public.body.get("payout_details").is_none());

    app.run_jobs().await;
    let mail = app.emails().join("\n");
    assert!(mail.contains("Thank you for applying to sell as Ann's Pots"));
    assert!(mail.contains("Your shop Ann's Pots may sell"));
}

#[tokio::test]
async fn sellers_manage_only_their_own_catalogue() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (alpha, alpha_id) = approved_seller(&app, &admin, "alpha").await;
    let (beta, beta_id) = approved_seller(&app, &admin, "beta").await;

    // A seller_id in the body does not make it another seller's product.
    let mut body = product("Alpha Mug", "AM");
    body["seller_id"] = json!(beta_id);
    let created = app
        .post("/api/v1/seller/products")
        .bearer(&alpha)
        .json(body)
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["seller"]["id"], alpha_id);
    let product_id = created.body["id"].as_i64().unwrap();
    let variant_id = created.body["variants"][0]["id"].as_i64().unwrap();

    // Nor can a change move it to another seller.
    let moved = app
        .patch(&format!("/api/v1/seller/products/{product_id}"))
        .bearer(&alpha)
        .json(json!({"seller_id": beta_id, "name": "Alpha Mug Two"}))
        .send()
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.body["seller"]["id"], alpha_id);

    // Beta sees nothing of Alpha's.
    let listed = app
        .get("/api/v1/seller/products")
        .bearer(&beta)
        .send()
        .await;
    assert_eq!(listed.body["total"], 0, "{}", listed.body);
    let listed = app
        .get(&format!("/api/v1/seller/products?seller={alpha_id}"))
        .bearer(&beta)
        .send()
        .await;
    assert_eq!(listed.body["total"], 0, "{}", listed.body);
    for (method, path, body) in [
        ("GET", format!("/api/v1/seller/products/{product_id}"), None),
        (
            "PATCH",
            format!("/api/v1/seller/products/{product_id}"),
            Some(json!({"name": "Mine now"})),
        ),
        (
            "DELETE",
            format!("/api/v1/seller/products/{product_id}"),
            None,
        ),
        (
            "POST",
            format!("/api/v1/seller/products/{product_id}/variants"),
            Some(json!({"sku": "BETA-X", "options": {"size": "XL"}, "price": 100})),
        ),
        (
            "PATCH",
            format!("/api/v1/seller/variants/{variant_id}"),
            Some(json!({"price": 1})),
        ),
        (
            "DELETE",
            format!("/api/v1/seller/variants/{variant_id}"),
            None,
        ),
        (
            "POST",
            format!("/api/v1/seller/variants/{variant_id}/stock"),
            Some(json!({"delta": -5, "reason": "theft"})),
        ),
        (
            "GET",
            format!("/api/v1/seller/variants/{variant_id}/stock"),
            None,
        ),
    ] {
        let call = match method {
            "GET" => app.get(&path),
            "PATCH" => app.patch(&path),
            "DELETE" => app.delete(&path),
            _ => app.post(&path),
        };
        let call = match body {
            Some(body) => call.json(body),
            None => call,
        };
        let response = call.bearer(&beta).send().await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            response.body
        );
    }
    // Nothing changed.
    let own = app
        .get(&format!("/api/v1/seller/products/{product_id}"))
        .bearer(&alpha)
        .send()
        .await;
    assert_eq!(own.body["name"], "Alpha Mug Two");
    assert_eq!(own.body["variants"].as_array().unwrap().len(), 2);
    assert_eq!(own.body["variants"][0]["price"]["amount"], 2500);
    // Staff see and change every product; a seller cannot use staff routes.
    app.get(&format!("/api/v1/admin/products/{product_id}"))
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK);
    app.get("/api/v1/admin/products")
        .bearer(&alpha)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);
    // The seller adjusts its own stock.
    let adjusted = app
        .post(&format!("/api/v1/seller/variants/{variant_id}/stock"))
        .bearer(&alpha)
        .json(json!({"delta": 7, "reason": "new batch"}))
        .send()
        .await;
    assert_eq!(adjusted.body["stock_on_hand"], 12, "{}", adjusted.body);
}

#[tokio::test]
async fn a_suspended_sellers_products_leave_the_shop_and_cannot_be_bought() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (seller, seller_id) = approved_seller(&app, &admin, "gamma").await;
    let created = app
        .post("/api/v1/seller/products")
        .bearer(&seller)
        .json(product("Gamma Bowl", "GB"))
        .send()
        .await;
    let slug = created.body["slug"].as_str().unwrap().to_owned();
    let variant_id = created.body["variants"][0]["id"].as_i64().unwrap();
    let (shopper, _) = app.customer("shopper@example.com").await;
    let in_cart = app
        .post("/api/v1/store/cart/items")
        .bearer(&shopper)
        .json(json!({"variant_id": variant_id, "quantity": 1}))
        .send()
        .await;
    assert_eq!(in_cart.status, StatusCode::CREATED, "{}", in_cart.body);

    let suspended = app
        .post(&format!("/api/v1/admin/sellers/{seller_id}/decision"))
        .bearer(&admin)
        .json(json!({"decision": "suspend", "reason": "Parcels not shipped"}))
        .send()
        .await;
    assert_eq!(suspended.body["status"], "suspended", "{}", suspended.body);

    let listing = app.get("/api/v1/store/products").send().await;
    assert_eq!(listing.body["total"], 0, "{}", listing.body);
    app.get(&format!("/api/v1/store/products/{slug}"))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get("/api/v1/store/sellers/gamma")
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    let add = app
        .post("/api/v1/store/cart/items")
        .bearer(&shopper)
        .json(json!({"variant_id": variant_id, "quantity": 1}))
        .send()
        .await;
    assert_eq!(add.clash_fields(), ["variant_id"]);
    let checkout = app
        .post("/api/v1/store/checkout")
        .bearer(&shopper)
        .header("idempotency-key", "suspended-1")
        .json(json!({
            "shipping_address": {"full_name": "Sam Shopper", "line1": "1 High St", "city": "Leeds", "postal_code": "LS1 1AA", "country": "GB"},
            "payment_method": "bank_transfer",
        }))
        .send()
        .await;
    assert_eq!(checkout.status, StatusCode::CONFLICT, "{}", checkout.body);
    let cart = app.get("/api/v1/store/cart").bearer(&shopper).send().await;
    assert_eq!(cart.body["items"][0]["purchasable"], false, "{}", cart.body);

    // The suspended seller still has its panel (its open orders go on).
    let seller = login(&app, "gamma-owner@example.com").await;
    app.get("/api/v1/seller/products")
        .bearer(&seller)
        .send()
        .await
        .expect(StatusCode::OK);

    app.post(&format!("/api/v1/admin/sellers/{seller_id}/decision"))
        .bearer(&admin)
        .json(json!({"decision": "reinstate"}))
        .send()
        .await
        .expect(StatusCode::OK);
    let listing = app.get("/api/v1/store/products").send().await;
    assert_eq!(listing.body["total"], 1, "{}", listing.body);
}

#[tokio::test]
async fn the_shop_can_approve_applications_by_itself() {
    let app = TestApp::new().await;
    app.shop
        .set_auto_approve_sellers(&souk_core::actor::Actor::System, true)
        .await
        .unwrap();
    let (token, _) = app.customer("quick@example.com").await;
    let applied = app
        .post("/api/v1/store/seller-application")
        .bearer(&token)
        .json(shop("Quick Shop", "quick-shop"))
        .send()
        .await;
    assert_eq!(applied.body["status"], "approved", "{}", applied.body);
    let seller = login(&app, "quick@example.com").await;
    app.get("/api/v1/seller/profile")
        .bearer(&seller)
        .send()
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn a_seller_made_on_the_command_line_has_an_approved_shop() {
    let app = TestApp::new().await;
    app.shop
        .save_user(
            "maker@example.com",
            PASSWORD,
            Some("Maker Studio"),
            souk_core::domain::identity::Role::Seller,
        )
        .await
        .unwrap();
    let seller = login(&app, "maker@example.com").await;
    let profile = app
        .get("/api/v1/seller/profile")
        .bearer(&seller)
        .send()
        .await;
    assert_eq!(profile.body["status"], "approved", "{}", profile.body);
    assert_eq!(profile.body["slug"], "maker-studio");
}

#[tokio::test]
async fn the_demo_shop_has_three_sellers_and_one_application_waiting() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let list = |status: &'static str| {
        let admin = admin.clone();
        let app = &app;
        async move {
            app.get(&format!("/api/v1/admin/sellers?status={status}"))
                .bearer(&admin)
                .send()
                .await
                .body["total"]
                .clone()
        }
    };
    assert_eq!(list("approved").await, 3);
    assert_eq!(list("pending").await, 1);
    let all = app.get("/api/v1/admin/sellers").bearer(&admin).send().await;
    assert_eq!(all.body["items"][0]["status"], "pending", "waiting first");
}
