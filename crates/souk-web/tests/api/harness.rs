//! `TestApp`: the real router over a fresh, migrated database, and a small
//! request builder.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use souk_core::photos::store::StorageConfig;
use souk_core::{Db, DbConfig, Shop, ShopConfig};
use souk_db::{ConnectionTrait, DbBackend};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

/// The application under test with its own database.
pub struct TestApp {
    pub router: Router,
    pub shop: Shop,
    /// Where this shop writes its e-mails.
    pub mail: tempfile::TempDir,
    /// Where this shop keeps uploaded pictures (unless it uses a bucket).
    pub files: tempfile::TempDir,
    /// Its database, for a second node.
    url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestApp {
    /// A migrated, empty shop.
    pub async fn new() -> Self {
        Self::build(false, ShopConfig::default()).await
    }

    /// A migrated shop with the demo catalogue and these settings.
    pub async fn with_config(config: ShopConfig) -> Self {
        Self::build(true, config).await
    }

    /// A migrated shop with the demo catalogue.
    pub async fn with_demo() -> Self {
        Self::build(true, ShopConfig::default()).await
    }

    async fn build(demo: bool, mut config: ShopConfig) -> Self {
        let mail = tempfile::tempdir().expect("mail dir");
        config.mail.dir = mail.path().to_owned();
        let files = tempfile::tempdir().expect("files dir");
        if matches!(config.storage, StorageConfig::Local { .. }) {
            config.storage = StorageConfig::Local {
                root: files.path().to_owned(),
            };
        }
        let (url, dir) = match std::env::var("SOUK_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(server) => (fresh_postgres(&server).await, None),
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                (
                    format!("sqlite://{}/souk.db", dir.path().display()),
                    Some(dir),
                )
            }
        };
        let db = Db::connect(&DbConfig {
            url: url.clone(),
            max_connections: 4,
        })
        .await
        .expect("connect");
        souk_core::migrate(&db).await.expect("migrate");
        let shop = Shop::open(db, config).await.expect("open shop");
        if demo {
            shop.seed_demo().await.expect("seed demo");
        }
        let router = souk_web::router(shop.clone(), souk_web::WebConfig::default());
        Self {
            router,
            shop,
            mail,
            files,
            url,
            _dir: dir,
        }
    }

    /// Another node of the same shop: its own connections to the same
    /// database.
    pub async fn second_node(&self) -> Shop {
        let db = Db::connect(&DbConfig {
            url: self.url.clone(),
            max_connections: 4,
        })
        .await
        .expect("connect a second node");
        let mut config = ShopConfig::default();
        config.mail.dir = self.mail.path().to_owned();
        config.storage = self.shop.config().storage.clone();
        Shop::open(db, config).await.expect("open the second node")
    }

    pub fn get(&self, path: &str) -> Call<'_> {
        Call::new(self, Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Call<'_> {
        Call::new(self, Method::POST, path)
    }

    pub fn patch(&self, path: &str) -> Call<'_> {
        Call::new(self, Method::PATCH, path)
    }

    pub fn put(&self, path: &str) -> Call<'_> {
        Call::new(self, Method::PUT, path)
    }

    pub fn delete(&self, path: &str) -> Call<'_> {
        Call::new(self, Method::DELETE, path)
    }

    /// A customer who buys one unit of the first demo variant and checks
    /// out with `payment_method`; its access token and the order.
    pub async fn demo_order(
        &self,
        email: &str,
        payment_method: &str,
    ) -> (String, serde_json::Value) {
        let (token, _) = self.customer(email).await;
        let added = self
            .post("/api/v1/store/cart/items")
            .bearer(&token)
            .json(serde_json::json!({"variant_id": 1, "quantity": 1}))
            .send()
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
        let order = self
            .post("/api/v1/store/checkout")
            .bearer(&token)
            .header("idempotency-key", "demo-order")
            .json(serde_json::json!({
                "shipping_address": {"full_name": "Ann", "line1": "1 Street", "city": "Town", "postal_code": "1000", "country": "US"},
                "shipping_method": 1, "payment_method": payment_method
            }))
            .send()
            .await;
        assert_eq!(order.status, StatusCode::CREATED, "{}", order.text);
        (token, order.body)
    }

    /// A shop served on a real listener whose testpay webhooks, signed with
    /// `secret`, reach it over HTTP as the delivery job sends them.
    pub async fn with_testpay_over_http(secret: &str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let public_url = format!("http://{}", listener.local_addr().unwrap());
        let app = Self::with_config(ShopConfig {
            testpay_webhook_secret: Some(secret.to_owned().into()),
            public_url,
            ..ShopConfig::default()
        })
        .await;
        tokio::spawn(axum::serve(listener, app.router.clone()).into_future());
        app
    }

    /// Runs every due job, as the worker would.
    pub async fn run_jobs(&self) {
        while self.shop.run_next_job("test").await.expect("run a job") {}
    }

    /// The e-mails written so far, oldest first, as text.
    pub fn emails(&self) -> Vec<String> {
        let mut paths: Vec<_> = std::fs::read_dir(self.mail.path())
            .expect("mail dir")
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|p| {
                let raw = std::fs::read_to_string(p).expect("an e-mail");
                if raw.contains("quoted-printable") {
                    raw.replace("=\r\n", "").replace("=3D", "=")
                } else {
                    raw
                }
            })
            .collect()
    }

    /// Registers a customer and returns its access token and the whole body.
    pub async fn customer(&self, email: &str) -> (String, Value) {
        let response = self
            .post("/api/v1/auth/register")
            .json(
                serde_json::json!({"email": email, "password": PASSWORD, "name": "Test Customer"}),
            )
            .send()
            .await;
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
        (
            response.body["access_token"].as_str().unwrap().to_owned(),
            response.body,
        )
    }

    /// Creates a staff account and signs it in; returns its access token.
    pub async fn admin(&self) -> String {
        self.shop
            .save_user(
                "staff@example.com",
                PASSWORD,
                Some("Staff"),
                souk_core::domain::identity::Role::Admin,
            )
            .await
            .expect("create admin");
        let response = self
            .post("/api/v1/auth/login")
            .json(serde_json::json!({"email": "staff@example.com", "password": PASSWORD}))
            .send()
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        response.body["access_token"].as_str().unwrap().to_owned()
    }
}

/// Creates a database on the PostgreSQL server for one test.
async fn fresh_postgres(server: &str) -> String {
    let name = format!("souk_t_{}", uuid::Uuid::new_v4().simple());
    let admin = Db::connect(&DbConfig {
        url: server.to_owned(),
        max_connections: 1,
    })
    .await
    .expect("connect to PostgreSQL");
    assert_eq!(admin.backend(), DbBackend::Postgres);
    let create = format!("CREATE DATABASE {name}");
    admin
        .conn()
        .execute_unprepared(&create)
        .await
        .expect("create database");
    let _ = admin.close().await;
    let (base, _) = server
        .rsplit_once('/')
        .expect("a database URL ends in /name");
    format!("{base}/{name}")
}

/// A request being built.
pub struct Call<'a> {
    app: &'a TestApp,
    request: axum::http::request::Builder,
    body: Body,
}

impl<'a> Call<'a> {
    fn new(app: &'a TestApp, method: Method, path: &str) -> Self {
        Self {
            app,
            request: Request::builder().method(method).uri(path),
            body: Body::empty(),
        }
    }

    pub fn json(mut self, body: Value) -> Self {
        self.request = self.request.header("content-type", "application/json");
        self.body = Body::from(body.to_string());
        self
    }

    pub fn raw(mut self, content_type: &str, body: &str) -> Self {
        self.request = self.request.header("content-type", content_type);
        self.body = Body::from(body.to_owned());
        self
    }

    /// A body of raw bytes.
    pub fn bytes(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.request = self.request.header("content-type", content_type);
        self.body = Body::from(body);
        self
    }

    /// A `multipart/form-data` body of these fields: `(name, file name if a
    /// file, content type if a file, bytes)`.
    pub fn multipart(self, fields: &[Part<'_>]) -> Self {
        let (content_type, body) = multipart_body(fields);
        self.bytes(&content_type, body)
    }

    pub fn bearer(mut self, token: &str) -> Self {
        self.request = self
            .request
            .header("authorization", format!("Bearer {token}"));
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request = self.request.header(name, value);
        self
    }

    pub async fn send(self) -> TestResponse {
        let request = self.request.body(self.body).expect("request");
        let response = self
            .app
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            body,
            text,
            bytes: bytes.to_vec(),
        }
    }
}

/// A response with its body read.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
    /// The body as it came, for answers that are not text.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    /// The body of an answer that must have `status`.
    #[track_caller]
    pub fn expect(&self, status: StatusCode) -> &Value {
        assert_eq!(self.status, status, "{}", self.text);
        &self.body
    }

    /// Asserts a problem+json response of `status` and returns its body.
    #[track_caller]
    pub fn problem(&self, status: StatusCode) -> &Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        assert_eq!(self.body["status"], status.as_u16());
        &self.body
    }

    /// The fields named in a 422's errors.
    #[track_caller]
    pub fn error_fields(&self) -> Vec<String> {
        self.fields_of(StatusCode::UNPROCESSABLE_ENTITY)
    }

    /// The fields a 409 names as clashing with what exists.
    #[track_caller]
    pub fn clash_fields(&self) -> Vec<String> {
        self.fields_of(StatusCode::CONFLICT)
    }

    /// The fields a problem response of `status` names.
    #[track_caller]
    pub fn fields_of(&self, status: StatusCode) -> Vec<String> {
        self.problem(status)["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One part of a `multipart/form-data` body: (name, file name if a file,
/// content type if a file, bytes).
pub type Part<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a [u8]);

/// A `multipart/form-data` body and its content type.
pub fn multipart_body(fields: &[Part<'_>]) -> (String, Vec<u8>) {
    let boundary = "souk-test-boundary-7d41";
    let mut body = Vec::new();
    for (name, file_name, content_type, bytes) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file_name {
            Some(file) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n")
                    .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n").as_bytes(),
            ),
        }
        if let Some(ct) = content_type {
            body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
