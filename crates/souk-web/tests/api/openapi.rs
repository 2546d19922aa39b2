//! The whole OpenAPI document is a snapshot, so every change of the API
//! surface shows up in review; and it is served with interactive docs.

use crate::harness::*;
use axum::http::StatusCode;

#[test]
fn the_openapi_document_is_unchanged() {
    let doc = serde_json::to_value(souk_web::openapi("USD")).unwrap();
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn the_document_and_the_docs_page_are_served() {
    let app = TestApp::new().await;
    let doc = app.get("/api/v1/openapi.json").send().await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.body["openapi"], "3.1.0");
    let paths = doc.body["paths"].as_object().unwrap();
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/store/me",
        "/api/v1/store/addresses",
        "/api/v1/store/categories",
        "/api/v1/store/products",
        "/api/v1/store/products/{id_or_slug}",
        "/api/v1/admin/products",
        "/api/v1/admin/products/{id}",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    // Every operation has an id equal to its handler's name, which says
    // what it does to what (`<verb>_<resource>`), and ids are unique.
    let handlers = api_handler_names();
    let mut seen = std::collections::HashSet::new();
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(
                handlers.contains(id),
                "{method} {path}: operationId {id} is no handler's name"
            );
            assert!(seen.insert(id.to_owned()), "operationId {id} is used twice");
        }
    }
    let page = app.get("/api/docs/").send().await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("swagger"), "the docs page is Swagger UI");
}

/// The names of the `pub async fn` handlers in `src/api/`.
fn api_handler_names() -> std::collections::HashSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut names = std::collections::HashSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for line in source.lines() {
                if let Some(rest) = line.trim_start().strip_prefix("pub async fn ") {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    names.insert(name);
                }
            }
        }
    }
    names
}
