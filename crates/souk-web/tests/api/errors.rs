//! Honest errors: problem+json everywhere, nothing internal in a 5xx,
//! and the health checks.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn unknown_paths_are_problem_documents() {
    let app = TestApp::new().await;
    let response = app.get("/api/v1/nothing-here").send().await;
    let body = response.problem(StatusCode::NOT_FOUND);
    assert_eq!(body["title"], "Not found");
    assert!(body["type"].as_str().unwrap().starts_with("https://"));
}

#[tokio::test]
async fn malformed_bodies_are_400_and_wrong_shapes_422() {
    let app = TestApp::new().await;
    app.post("/api/v1/auth/login")
        .raw("application/json", "{not json")
        .send()
        .await
        .problem(StatusCode::BAD_REQUEST);
    app.post("/api/v1/auth/login")
        .raw("text/plain", "hello")
        .send()
        .await
        .problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let wrong = app
        .post("/api/v1/auth/login")
        .json(json!({"email": 5, "password": "x"}))
        .send()
        .await;
    assert_eq!(wrong.error_fields(), ["email"]);
    let missing = app
        .post("/api/v1/auth/register")
        .json(json!({"email": "a@example.com"}))
        .send()
        .await;
    missing.problem(StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_body_that_is_not_an_object_is_400_and_changes_nothing() {
    let app = TestApp::new().await;
    let (token, _) = app.customer("ann@example.com").await;
    for body in [
        "[null, null]",
        "[]",
        "null",
        "5",
        "\"name\"",
        "true",
        "",
        "   ",
    ] {
        app.patch("/api/v1/store/me")
            .bearer(&token)
            .raw("application/json", body)
            .send()
            .await
            .problem(StatusCode::BAD_REQUEST);
    }
    let me = app.get("/api/v1/store/me").bearer(&token).send().await;
    assert_eq!(me.body["name"], "Test Customer", "{}", me.text);
}

#[tokio::test]
async fn a_category_change_with_an_empty_slug_is_refused_not_a_failure() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let categories = app
        .get("/api/v1/admin/categories")
        .bearer(&admin)
        .send()
        .await;
    let id = categories.body[0]["id"].as_i64().unwrap();
    let before = app
        .get("/api/v1/admin/categories")
        .bearer(&admin)
        .send()
        .await;
    let response = app
        .patch(&format!("/api/v1/admin/categories/{id}"))
        .bearer(&admin)
        .json(json!({"name": null, "slug": "", "description": "", "parent_id": 1, "position": 0}))
        .send()
        .await;
    assert_eq!(response.error_fields(), ["slug"], "{}", response.text);
    let after = app
        .get("/api/v1/admin/categories")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(before.body, after.body);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = TestApp::new().await;
    let huge = format!(
        "{{\"email\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(2 * 1024 * 1024)
    );
    let response = app
        .post("/api/v1/auth/login")
        .raw("application/json", &huge)
        .send()
        .await;
    let body = response.problem(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["title"], "Body too large");
}

#[tokio::test]
async fn a_failure_inside_reveals_nothing() {
    let app = TestApp::with_demo().await;
    // Take the database away from under the running application.
    app.shop.db().clone().close().await.unwrap();
    let response = app.get("/api/v1/store/products").send().await;
    let body = response.problem(StatusCode::INTERNAL_SERVER_ERROR);
    let text = response.text.to_lowercase();
    for leak in [
        "sqlx", "select", "pool", "sqlite", "postgres", ".rs", "panicked", "closed",
    ] {
        assert!(!text.contains(leak), "the body mentions {leak}: {text}");
    }
    assert_eq!(body["title"], "Internal error");
    let ready = app.get("/readyz").send().await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn health_checks_answer() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/healthz").send().await.status, StatusCode::OK);
    let ready = app.get("/readyz").send().await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.body["status"], "ready");
}

#[tokio::test]
async fn responses_carry_security_headers_and_a_request_id() {
    let app = TestApp::new().await;
    let response = app.get("/healthz").send().await;
    assert_eq!(response.headers["x-content-type-options"], "nosniff");
    assert!(response.headers.contains_key("referrer-policy"));
    assert!(response.headers.contains_key("x-request-id"));
    let given = app
        .get("/healthz")
        .header("x-request-id", "abc-123")
        .send()
        .await;
    assert_eq!(given.headers["x-request-id"], "abc-123");
}

#[tokio::test]
async fn the_home_page_links_to_the_api_docs() {
    let app = TestApp::new().await;
    let home = app.get("/").send().await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(home.text.contains("href=\"/api/docs\""));
}
