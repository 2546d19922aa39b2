//! Steps many marketplace tests take: finding a variant to buy, signing in
//! a demo seller, and buying a cart.

use crate::harness::{PASSWORD, TestApp};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// An in-stock variant (with at least `units`) of a product of `seller`
/// (a slug), or of the shop's own when `None`: (variant id, its product's
/// category id).
pub async fn variant_in_stock(
    app: &TestApp,
    seller: Option<&str>,
    units: i64,
) -> (i64, Option<i64>) {
    let path = match seller {
        Some(slug) => format!("/api/v1/store/products?seller={slug}&in_stock=true&per_page=100"),
        None => "/api/v1/store/products?in_stock=true&per_page=100".to_owned(),
    };
    let list = app.get(&path).send().await;
    let product = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| seller.is_some() || p["seller"].is_null())
        .expect("a product")
        .clone();
    let detail = app
        .get(&format!(
            "/api/v1/store/products/{}",
            product["slug"].as_str().unwrap()
        ))
        .send()
        .await;
    let variant = detail.body["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["stock_available"].as_i64().unwrap() >= units)
        .expect("a variant in stock")["id"]
        .as_i64()
        .unwrap();
    (variant, detail.body["category"]["id"].as_i64())
}

/// Gives a demo seller's account a password and signs it in: its access
/// token and e-mail.
pub async fn seller_token(app: &TestApp, slug: &str) -> (String, String) {
    let db = app.shop.db().conn();
    let seller = souk_db::repo::sellers::find_seller(db, slug)
        .await
        .unwrap()
        .unwrap();
    let user = souk_db::repo::accounts::find_user(db, seller.user_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    let seller_role = souk_core::domain::identity::Role::Seller;
    app.shop
        .save_user(&user.email, PASSWORD, None, seller_role)
        .await
        .unwrap();
    let login = app
        .post("/api/v1/auth/login")
        .json(json!({"email": user.email, "password": PASSWORD}))
        .send()
        .await;
    let token = login.body["access_token"].as_str().unwrap().to_owned();
    (token, user.email)
}

/// Puts `lines` (variant, quantity) in the caller's cart and checks out by
/// bank transfer with `key`: the order.
pub async fn buy(app: &TestApp, token: &str, lines: &[(i64, i64)], key: &str) -> Value {
    buy_with_voucher(app, token, lines, key, None).await
}

/// [`buy`], with a voucher code if given.
pub async fn buy_with_voucher(
    app: &TestApp,
    token: &str,
    lines: &[(i64, i64)],
    key: &str,
    voucher: Option<&str>,
) -> Value {
    fill_cart(app, token, lines).await;
    let order = app
        .post("/api/v1/store/checkout")
        .bearer(token)
        .header("idempotency-key", key)
        .json(json!({
            "shipping_address": {"full_name": "Bea Buyer", "line1": "1 Street", "city": "Town", "postal_code": "1000", "country": "US"},
            "shipping_method": 1, "payment_method": "bank_transfer", "voucher_code": voucher,
        }))
        .send()
        .await;
    order.expect(StatusCode::CREATED).clone()
}

/// Puts `lines` (variant, quantity) in the caller's cart.
pub async fn fill_cart(app: &TestApp, token: &str, lines: &[(i64, i64)]) {
    for (variant, quantity) in lines {
        app.post("/api/v1/store/cart/items")
            .bearer(token)
            .json(json!({"variant_id": variant, "quantity": quantity}))
            .send()
            .await
            .expect(StatusCode::CREATED);
    }
}

/// Staff mark order `id` paid (as a bank transfer arriving): the order.
pub async fn mark_paid(app: &TestApp, admin: &str, id: &str) -> Value {
    let paid = app
        .post(&format!("/api/v1/admin/orders/{id}/status"))
        .bearer(admin)
        .json(json!({"status": "paid"}))
        .send()
        .await;
    paid.expect(StatusCode::OK).clone()
}

/// The minor units of a money object (`{"amount": 1200, "currency": ..}`).
pub fn amount(v: &Value) -> i64 {
    v["amount"]
        .as_i64()
        .unwrap_or_else(|| panic!("no amount in {v}"))
}
