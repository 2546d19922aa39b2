//! The signed-in customer's profile and address book.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

fn address(name: &str) -> serde_json::Value {
    json!({
        "full_name": name,
        "line1": "1 Market Street",
        "city": "Springfield",
        "postal_code": "12345",
        "country": "us",
        "phone": "+1 555 010 2030"
    })
}

#[tokio::test]
async fn the_profile_changes_name_and_phone_but_never_role() {
    let app = TestApp::new().await;
    let (token, _) = app.customer("ann@example.com").await;
    let updated = app
        .patch("/api/v1/store/me")
        .bearer(&token)
        .json(json!({"name": "Ann B.", "phone": "+44 20 7946 0000", "role": "admin", "email": "x@example.com", "email_verified": true}))
        .send()
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(updated.body["name"], "Ann B.");
    assert_eq!(updated.body["phone"], "+44 20 7946 0000");
    assert_eq!(updated.body["role"], "customer");
    assert_eq!(updated.body["email"], "ann@example.com");
    assert_eq!(updated.body["email_verified"], false);
    // The admin API stays closed to this account.
    app.get("/api/v1/admin/products")
        .bearer(&token)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);

    let cleared = app
        .patch("/api/v1/store/me")
        .bearer(&token)
        .json(json!({"phone": null}))
        .send()
        .await;
    assert_eq!(cleared.body["phone"], serde_json::Value::Null);
    assert_eq!(cleared.body["name"], "Ann B.");

    let bad = app
        .patch("/api/v1/store/me")
        .bearer(&token)
        .json(json!({"name": "", "phone": "call me"}))
        .send()
        .await;
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["name", "phone"]);
    let unchanged = app.get("/api/v1/store/me").bearer(&token).send().await;
    assert_eq!(unchanged.body["name"], "Ann B.");
}

#[tokio::test]
async fn the_address_book_supports_every_operation() {
    let app = TestApp::new().await;
    let (token, _) = app.customer("ann@example.com").await;
    let first = app
        .post("/api/v1/store/addresses")
        .bearer(&token)
        .json(address("Home"))
        .send()
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.body["country"], "US");
    assert_eq!(
        first.body["is_default"], true,
        "the first address is the default"
    );
    let mut office = address("Office");
    office["is_default"] = json!(true);
    let second = app
        .post("/api/v1/store/addresses")
        .bearer(&token)
        .json(office)
        .send()
        .await;
    assert_eq!(second.status, StatusCode::CREATED);

    let list = app
        .get("/api/v1/store/addresses")
        .bearer(&token)
        .send()
        .await;
    let items = list.body.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["full_name"], "Office", "the default comes first");
    assert_eq!(items.iter().filter(|a| a["is_default"] == true).count(), 1);

    let id = first.body["id"].as_i64().unwrap();
    let mut changed = address("Home, renamed");
    changed["line2"] = json!("Flat 2");
    let updated = app
        .put(&format!("/api/v1/store/addresses/{id}"))
        .bearer(&token)
        .json(changed)
        .send()
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.body["line2"], "Flat 2");
    let fetched = app
        .get(&format!("/api/v1/store/addresses/{id}"))
        .bearer(&token)
        .send()
        .await;
    assert_eq!(fetched.body["full_name"], "Home, renamed");

    let deleted = app
        .delete(&format!("/api/v1/store/addresses/{id}"))
        .bearer(&token)
        .send()
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    app.get(&format!("/api/v1/store/addresses/{id}"))
        .bearer(&token)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_addresses_are_refused_field_by_field() {
    let app = TestApp::new().await;
    let (token, _) = app.customer("ann@example.com").await;
    let response = app
        .post("/api/v1/store/addresses")
        .bearer(&token)
        .json(json!({"full_name": "", "line1": "", "city": "x", "postal_code": "", "country": "USA", "phone": "nope"}))
        .send()
        .await;
    let mut fields = response.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        ["country", "full_name", "line1", "phone", "postal_code"]
    );
    let list = app
        .get("/api/v1/store/addresses")
        .bearer(&token)
        .send()
        .await;
    assert_eq!(list.body.as_array().unwrap().len(), 0, "nothing was saved");
}

#[tokio::test]
async fn another_customers_address_is_not_found() {
    let app = TestApp::new().await;
    let (ann, _) = app.customer("ann@example.com").await;
    let (bob, _) = app.customer("bob@example.com").await;
    let created = app
        .post("/api/v1/store/addresses")
        .bearer(&ann)
        .json(address("Ann"))
        .send()
        .await;
    let path = format!("/api/v1/store/addresses/{}", created.body["id"]);
    app.get(&path)
        .bearer(&bob)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.put(&path)
        .bearer(&bob)
        .json(address("Mine now"))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&path)
        .bearer(&bob)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/v1/store/addresses")
            .bearer(&bob)
            .send()
            .await
            .body,
        json!([])
    );
    let still = app.get(&path).bearer(&ann).send().await;
    assert_eq!(still.body["full_name"], "Ann");
    // Ids that are not numbers name nothing.
    app.get("/api/v1/store/addresses/abc")
        .bearer(&ann)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
}
