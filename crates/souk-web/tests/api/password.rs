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

#[tokio::test]
async fn a_signed_in_customer_changes_the_password_and_other_sessions_end() {
    let app = TestApp::new().await;
    let (token, registered) = app.customer("ann@example.com").await;
    let old_refresh = registered["refresh_token"].as_str().unwrap().to_owned();
    let mut browser = crate::browser::Browser::new(&app);
    browser.sign_in("ann@example.com", PASSWORD).await;
    let other_browser_session = browser.cookie("souk_session").unwrap().to_owned();

    // Refused: nothing changes, and each wrong current password counts.
    let wrong = app
        .post("/api/v1/store/me/password")
        .bearer(&token)
        .json(
            json!({"current_password": "not my password", "new_password": "a brand new password"}),
        )
        .send()
        .await;
    assert_eq!(wrong.clash_fields(), ["current_password"]);
    let weak = app
        .post("/api/v1/store/me/password")
        .bearer(&token)
        .json(json!({"current_password": PASSWORD, "new_password": "short"}))
        .send()
        .await;
    assert_eq!(weak.error_fields(), ["new_password"]);
    let same = app
        .post("/api/v1/store/me/password")
        .bearer(&token)
        .json(json!({"current_password": PASSWORD, "new_password": PASSWORD}))
        .send()
        .await;
    assert_eq!(same.error_fields(), ["new_password"]);
    app.post("/api/v1/store/me/password")
        .json(json!({"current_password": PASSWORD, "new_password": "a brand new password"}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);

    let changed = app
        .post("/api/v1/store/me/password")
        .bearer(&token)
        .json(json!({"current_password": PASSWORD, "new_password": "a brand new password"}))
        .send()
        .await;
    let body = changed.expect(StatusCode::OK);
    assert_eq!(body["user"]["email"], "ann@example.com");
    let new_refresh = body["refresh_token"].as_str().unwrap();

    // The old refresh token and the browser's session ended; the new pair works.
    app.post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": old_refresh}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let refreshed = app
        .post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": new_refresh}))
        .send()
        .await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.text);
    let account = browser.get("/account").await;
    assert!(
        account.status.is_redirection(),
        "signed out: {}",
        account.status
    );
    assert_eq!(
        browser.cookie("souk_session"),
        Some(other_browser_session.as_str())
    );

    // The old password no longer signs in; the account's address is told.
    app.post("/api/v1/auth/login")
        .json(json!({"email": "ann@example.com", "password": PASSWORD}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.run_jobs().await;
    let told = app
        .emails()
        .into_iter()
        .filter(|e| e.contains("Subject: Your password was changed"))
        .count();
    assert_eq!(told, 1);
}

#[tokio::test]
async fn the_account_page_changes_the_password_and_keeps_this_browser_signed_in() {
    let app = TestApp::new().await;
    app.customer("ann@example.com").await;
    let mut other = crate::browser::Browser::new(&app);
    other.sign_in("ann@example.com", PASSWORD).await;
    let mut browser = crate::browser::Browser::new(&app);
    browser.sign_in("ann@example.com", PASSWORD).await;
    let before = browser.cookie("souk_session").unwrap().to_owned();

    let page = browser.get("/account").await;
    assert!(page.text.contains(r#"action="/account/password""#));
    assert!(page.text.contains(r#"autocomplete="current-password""#));

    let refused = browser
        .post(
            "/account/password",
            &[
                ("current_password", "wrong password here"),
                ("new_password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains(r#"id="current_password-error""#),
        "{}",
        refused.text
    );
    assert!(
        !refused.text.contains("wrong password here")
            && !refused.text.contains("a brand new password"),
        "what was typed is never shown back"
    );

    let changed = browser
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.text);
    let after = browser.cookie("souk_session").unwrap().to_owned();
    assert_ne!(after, before, "a new session token");
    let account = browser.open("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.text.contains("Your password is changed."));
    let elsewhere = other.get("/account").await;
    assert!(
        elsewhere.status.is_redirection(),
        "the other device is signed out"
    );
}
