//! Password reset by e-mail, and the e-mails an order sends.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

fn token_in(email: &str) -> String {
    let start = email.find("token=").expect("a link with a token") + "token=".len();
    email[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn a_password_is_reset_once_through_the_emailed_link() {
    let app = TestApp::new().await;
    let (_, registered) = app.customer("ann@example.com").await;
    let old_refresh = registered["refresh_token"].as_str().unwrap().to_owned();

    let unknown = app
        .post("/api/v1/auth/password/forgot")
        .json(json!({"email": "nobody@example.com"}))
        .send()
        .await;
    let known = app
        .post("/api/v1/auth/password/forgot")
        .json(json!({"email": "ANN@example.com"}))
        .send()
        .await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(
        (known.status, &known.text),
        (unknown.status, &unknown.text),
        "the same answer either way"
    );
    assert!(
        app.emails().is_empty(),
        "e-mails are sent by the worker, not the request"
    );
    app.run_jobs().await;
    let emails = app.emails();
    assert_eq!(emails.len(), 1);
    assert!(emails[0].contains("To: ann@example.com"));
    assert!(emails[0].contains("Subject: Reset your password"));
    let token = token_in(&emails[0]);
    assert!(token.len() >= 40);

    let weak = app
        .post("/api/v1/auth/password/reset")
        .json(json!({"token": token, "password": "short"}))
        .send()
        .await;
    assert_eq!(weak.error_fields(), ["password"]);
    let reset = app
        .post("/api/v1/auth/password/reset")
        .json(json!({"token": token, "password": "a brand new password"}))
        .send()
        .await;
    assert_eq!(reset.status, StatusCode::NO_CONTENT, "{}", reset.text);
    let again = app
        .post("/api/v1/auth/password/reset")
        .json(json!({"token": token, "password": "yet another password"}))
        .send()
        .await;
    assert_eq!(again.clash_fields(), ["token"], "a token works once");

    app.post("/api/v1/auth/login")
        .json(json!({"email": "ann@example.com", "password": PASSWORD}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let login = app
        .post("/api/v1/auth/login")
        .json(json!({"email": "ann@example.com", "password": "a brand new password"}))
        .send()
        .await;
    assert_eq!(login.status, StatusCode::OK);
    app.post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": old_refresh}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let bogus = app
        .post("/api/v1/auth/password/reset")
        .json(json!({"token": "made-up", "password": "a brand new password"}))
        .send()
        .await;
    assert_eq!(bogus.clash_fields(), ["token"]);
}

#[tokio::test]
async fn paying_and_shipping_an_order_email_the_customer() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (_, order) = app.demo_order("ann@example.com", "bank_transfer").await;
    let id = order["id"].as_str().unwrap();
    let number = order["number"].as_str().unwrap();
    for status in ["paid", "processing", "shipped"] {
        let moved = app
            .post(&format!("/api/v1/admin/orders/{id}/status"))
            .bearer(&admin)
            .json(json!({"status": status}))
            .send()
            .await;
        assert_eq!(moved.status, StatusCode::OK);
    }
    app.run_jobs().await;
    let emails = app.emails();
    assert_eq!(emails.len(), 2, "one when paid, one when shipped");
    assert!(
        emails
            .iter()
            .any(|e| e.contains(&format!("Subject: Order {number} confirmed")))
    );
    assert!(
        emails
            .iter()
            .any(|e| e.contains(&format!("Subject: Order {number} is on its way")))
    );
    assert!(emails.iter().all(|e| e.contains("To: ann@example.com")));
}
