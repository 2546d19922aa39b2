//! A customer downloads everything the shop holds about them, and deletes
//! the account: the person is erased, the orders stay for the accounts.

use crate::browser::Browser;
use crate::harness::*;
use crate::shopping::{buy, seller_token, variant_in_stock};
use axum::http::StatusCode;
use serde_json::json;
use souk_db::EntityTrait;
use souk_db::entity::{address, order, user};

const ADDRESS: &str = r#"{"full_name": "Ann Example", "line1": "1 Market Street", "city": "Springfield", "region": "IL", "postal_code": "62701", "country": "US", "phone": "+1 555 0100"}"#;

#[tokio::test]
async fn a_customer_downloads_their_data_and_deletes_the_account() {
    let app = TestApp::with_demo().await;
    let (token, _) = app.customer("ann@example.com").await;
    let address: serde_json::Value = serde_json::from_str(ADDRESS).unwrap();
    app.post("/api/v1/store/addresses")
        .bearer(&token)
        .json(address)
        .send()
        .await
        .expect(StatusCode::CREATED);
    let (variant, _) = variant_in_stock(&app, None, 1).await;
    let placed = buy(&app, &token, &[(variant, 1)], "erase-1").await;
    let order_id = placed["id"].as_str().unwrap().to_owned();

    let data = app.get("/api/v1/store/me/data").bearer(&token).send().await;
    let data = data.expect(StatusCode::OK);
    assert_eq!(data["account"]["email"], "ann@example.com");
    assert_eq!(data["addresses"][0]["line1"], "1 Market Street");
    assert_eq!(data["orders"].as_array().unwrap().len(), 1);
    assert_eq!(data["orders"][0]["number"], placed["number"]);
    assert_eq!(data["orders"][0]["lines"][0]["quantity"], 1);
    assert!(
        !data.to_string().contains("argon2"),
        "never the password hash"
    );
    app.get("/api/v1/store/me/data")
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);

    // Refused: a wrong password, and an order still on its way.
    let wrong = app
        .delete("/api/v1/store/me")
        .bearer(&token)
        .json(json!({"password": "not my password"}))
        .send()
        .await;
    assert_eq!(wrong.clash_fields(), ["password"]);
    app.delete("/api/v1/store/me")
        .bearer(&token)
        .json(json!({"password": PASSWORD}))
        .send()
        .await
        .problem(StatusCode::CONFLICT);

    app.post(&format!("/api/v1/store/orders/{order_id}/cancel"))
        .bearer(&token)
        .send()
        .await
        .expect(StatusCode::OK);
    let deleted = app
        .delete("/api/v1/store/me")
        .bearer(&token)
        .json(json!({"password": PASSWORD}))
        .send()
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);

    // The person is gone; the order stays, anonymised, for the accounts.
    let db = app.shop.db().conn();
    let users = user::Entity::find().all(db).await.unwrap();
    assert!(users.iter().all(|u| u.email != "ann@example.com"));
    assert!(address::Entity::find().all(db).await.unwrap().is_empty());
    let kept: Vec<order::Model> = order::Entity::find().all(db).await.unwrap();
    assert_eq!(kept.len(), 1);
    let kept = &kept[0];
    assert_eq!(kept.user_id, None);
    assert_eq!(kept.total, amount_of(&placed["total"]));
    let stored = format!("{} {}", kept.email, kept.shipping_address);
    for personal in ["ann@example.com", "Bea Buyer", "1 Street", "Town"] {
        assert!(!stored.contains(personal), "{personal} in {stored}");
    }
    assert!(
        kept.shipping_address.contains("\"US\""),
        "the country stays"
    );
    app.post("/api/v1/auth/login")
        .json(json!({"email": "ann@example.com", "password": PASSWORD}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
    // The address can register again, as a new customer with no past.
    let (again, _) = app.customer("ann@example.com").await;
    let data = app.get("/api/v1/store/me/data").bearer(&again).send().await;
    assert!(
        data.expect(StatusCode::OK)["orders"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

fn amount_of(v: &serde_json::Value) -> i64 {
    crate::shopping::amount(v)
}

#[tokio::test]
async fn sellers_and_staff_cannot_delete_their_own_accounts() {
    let app = TestApp::with_demo().await;
    let staff = app.admin().await;
    app.delete("/api/v1/store/me")
        .bearer(&staff)
        .json(json!({"password": PASSWORD}))
        .send()
        .await
        .problem(StatusCode::CONFLICT);
    let (seller, _) = seller_token(&app, "northwind-ceramics").await;
    app.delete("/api/v1/store/me")
        .bearer(&seller)
        .json(json!({"password": PASSWORD}))
        .send()
        .await
        .problem(StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_account_page_downloads_the_data_and_deletes_the_account() {
    let app = TestApp::new().await;
    app.customer("ann@example.com").await;
    let mut browser = Browser::new(&app);
    browser.sign_in("ann@example.com", PASSWORD).await;
    let page = browser.get("/account").await;
    assert!(page.text.contains(r#"href="/account/data""#));
    assert!(page.text.contains(r#"action="/account/delete""#));

    let file = browser.get("/account/data").await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"),
    );
    assert_eq!(file.body["account"]["email"], "ann@example.com");

    let refused = browser
        .post("/account/delete", &[("password", "not my password")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains(r#"id="delete_password-error""#),
        "{}",
        refused.text
    );

    let deleted = browser
        .post("/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.text);
    let home = browser.open("/").await;
    assert!(home.text.contains("Your account is deleted."));
    let account = browser.get("/account").await;
    assert!(account.status.is_redirection(), "signed out");
}
