//! Registration, sign-in, throttling and token rotation.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn register_signs_the_customer_in() {
    let app = TestApp::new().await;
    let (token, body) = app.customer("Ann@Example.com").await;
    assert_eq!(body["user"]["email"], "ann@example.com");
    assert_eq!(body["user"]["role"], "customer");
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["expires_in"].as_i64().unwrap() > 60);
    assert!(body["refresh_token"].as_str().unwrap().len() >= 40);
    let me = app.get("/api/v1/store/me").bearer(&token).send().await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["email"], "ann@example.com");
}

#[tokio::test]
async fn registration_reports_every_bad_field() {
    let app = TestApp::new().await;
    let response = app
        .post("/api/v1/auth/register")
        .json(json!({"email": "not-an-email", "password": "short", "name": " "}))
        .send()
        .await;
    let mut fields = response.error_fields();
    fields.sort();
    assert_eq!(fields, ["email", "name", "password"]);
}

#[tokio::test]
async fn a_taken_email_cannot_register_again() {
    let app = TestApp::new().await;
    app.customer("ann@example.com").await;
    let again = app
        .post("/api/v1/auth/register")
        .json(json!({"email": "ANN@example.com", "password": PASSWORD, "name": "Impostor"}))
        .send()
        .await;
    assert_eq!(again.clash_fields(), ["email"]);
    assert!(again.body.get("access_token").is_none());
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_with_the_required_cost() {
    let app = TestApp::new().await;
    app.customer("ann@example.com").await;
    let user = souk_db::repo::accounts::find_user_by_email(app.shop.db().conn(), "ann@example.com")
        .await
        .unwrap()
        .unwrap();
    let hash = user.password_hash;
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
}

#[tokio::test]
async fn unknown_email_and_wrong_password_look_the_same() {
    let app = TestApp::new().await;
    app.customer("ann@example.com").await;
    let wrong = app
        .post("/api/v1/auth/login")
        .json(json!({"email": "ann@example.com", "password": "not the password"}))
        .send()
        .await;
    let unknown = app
        .post("/api/v1/auth/login")
        .json(json!({"email": "nobody@example.com", "password": "not the password"}))
        .send()
        .await;
    wrong.problem(StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.body, unknown.body);
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_account() {
    let app = TestApp::new().await;
    app.customer("ann@example.com").await;
    let attempt = |password: &'static str| {
        app.post("/api/v1/auth/login")
            .json(json!({"email": "ann@example.com", "password": password}))
            .send()
    };
    for _ in 0..5 {
        attempt("not the password")
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
    let blocked = attempt("not the password").await;
    blocked.problem(StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = blocked.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after));
    // Even the right password waits until the block ends.
    attempt(PASSWORD)
        .await
        .problem(StatusCode::TOO_MANY_REQUESTS);
    // Other accounts are not affected.
    app.customer("bob@example.com").await;
    let bob = app
        .post("/api/v1/auth/login")
        .json(json!({"email": "bob@example.com", "password": PASSWORD}))
        .send()
        .await;
    assert_eq!(bob.status, StatusCode::OK);
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_client_address() {
    let app = TestApp::new().await;
    // Twenty failures over many accounts from one client.
    for i in 0..20 {
        app.post("/api/v1/auth/login")
            .json(json!({"email": format!("user{i}@example.com"), "password": "not the password"}))
            .send()
            .await
            .problem(StatusCode::UNAUTHORIZED);
    }
    let blocked = app
        .post("/api/v1/auth/login")
        .json(json!({"email": "fresh@example.com", "password": "not the password"}))
        .send()
        .await;
    blocked.problem(StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_its_family() {
    let app = TestApp::new().await;
    let (_, first) = app.customer("ann@example.com").await;
    let original = first["refresh_token"].as_str().unwrap().to_owned();
    let rotated = app
        .post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": original}))
        .send()
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.text);
    let second = rotated.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second, original);
    let me = app
        .get("/api/v1/store/me")
        .bearer(rotated.body["access_token"].as_str().unwrap())
        .send()
        .await;
    assert_eq!(me.status, StatusCode::OK);

    // The old token again: refused, and the whole family with it.
    app.post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": original}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
    app.post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": second}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn concurrent_rotations_of_one_token_succeed_once() {
    let app = TestApp::new().await;
    let (_, first) = app.customer("ann@example.com").await;
    let token = first["refresh_token"].as_str().unwrap().to_owned();
    let attempts = (0..5).map(|_| {
        app.post("/api/v1/auth/refresh")
            .json(json!({"refresh_token": token}))
            .send()
    });
    let results = futures::future::join_all(attempts).await;
    let ok = results
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(
        ok,
        1,
        "{:?}",
        results.iter().map(|r| r.status).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn logout_revokes_the_family() {
    let app = TestApp::new().await;
    let (_, first) = app.customer("ann@example.com").await;
    let token = first["refresh_token"].as_str().unwrap();
    let out = app
        .post("/api/v1/auth/logout")
        .json(json!({"refresh_token": token}))
        .send()
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    app.post("/api/v1/auth/refresh")
        .json(json!({"refresh_token": token}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
    // Logging out with an unknown token is harmless.
    let again = app
        .post("/api/v1/auth/logout")
        .json(json!({"refresh_token": "unknown"}))
        .send()
        .await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn bad_access_tokens_are_refused() {
    let app = TestApp::new().await;
    let (token, _) = app.customer("ann@example.com").await;
    let (head, rest) = token.split_once('.').unwrap();
    let (claims, _signature) = rest.split_once('.').unwrap();
    // {"alg":"none","typ":"JWT"}
    let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{claims}.");
    let tampered = format!("{head}.{claims}.AAAA");
    for bad in [none.as_str(), tampered.as_str(), "garbage", ""] {
        let response = app.get("/api/v1/store/me").bearer(bad).send().await;
        response.problem(StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers["www-authenticate"], "Bearer");
    }
    app.get("/api/v1/store/me")
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
    // A refresh token is not an access token.
    let (_, body) = app.customer("bob@example.com").await;
    let refresh = body["refresh_token"].as_str().unwrap();
    app.get("/api/v1/store/me")
        .bearer(refresh)
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);
}
