//! A stand-in for Stripe's API on 127.0.0.1: it records every request and
//! answers from the JSON fixtures in `tests/fixtures/stripe`, which copy
//! the shapes of Stripe's documented responses. Like Stripe, it replays the
//! stored answer for an `Idempotency-Key` it has seen, so a retried call
//! creates nothing new. It is not Stripe: souk is tested against these
//! documented shapes only, never against the live service.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

pub const PAYMENT_INTENT: &str = include_str!("../../fixtures/stripe/payment_intent.json");
pub const REFUND: &str = include_str!("../../fixtures/stripe/refund.json");
pub const CHARGE: &str = include_str!("../../fixtures/stripe/charge.json");
pub const EVENT: &str = include_str!("../../fixtures/stripe/event.json");
const ERROR: &str = include_str!("../../fixtures/stripe/error_amount_too_small.json");

/// How the mock answers the next request that is not a replay.
#[derive(Debug, Clone, Copy)]
pub enum Next {
    /// Creates the object and remembers the answer under the key, but
    /// answers 500, as if the answer was lost on the way.
    LoseAnswer,
    /// Refuses the request with 400 `amount_too_small`.
    Refuse,
}

/// One request as the mock received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub idempotency_key: Option<String>,
    pub authorization: Option<String>,
    pub stripe_version: Option<String>,
    pub form: HashMap<String, String>,
}

#[derive(Default)]
struct Books {
    requests: Vec<Recorded>,
    answers: HashMap<(String, String), String>,
    next: VecDeque<Next>,
    created: HashMap<String, usize>,
}

/// The running mock.
pub struct StripeMock {
    pub url: String,
    books: Arc<Mutex<Books>>,
}

impl StripeMock {
    /// Starts the mock on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        let books = Arc::new(Mutex::new(Books::default()));
        let router = Router::new().fallback(answer).with_state(books.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(axum::serve(listener, router).into_future());
        Self { url, books }
    }

    /// Makes the next request that is not a replay behave as `next`.
    pub fn then(&self, next: Next) {
        self.books.lock().unwrap().next.push_back(next);
    }

    /// The requests received on `path`, oldest first.
    pub fn requests(&self, path: &str) -> Vec<Recorded> {
        let books = self.books.lock().unwrap();
        books
            .requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// How many objects were created on `path` (replays create none).
    pub fn created(&self, path: &str) -> usize {
        self.books
            .lock()
            .unwrap()
            .created
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [("content-type", "application/json")], body).into_response()
}

async fn answer(
    State(books): State<Arc<Mutex<Books>>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let path = uri.path().to_owned();
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let key = header("idempotency-key");
    let mut books = books.lock().unwrap();
    books.requests.push(Recorded {
        path: path.clone(),
        idempotency_key: key.clone(),
        authorization: header("authorization"),
        stripe_version: header("stripe-version"),
        form: form.clone(),
    });
    if let Some(stored) = key
        .as_ref()
        .and_then(|k| books.answers.get(&(path.clone(), k.clone())))
    {
        return json(StatusCode::OK, stored.clone());
    }
    let next = books.next.pop_front();
    if let Some(Next::Refuse) = next {
        return json(StatusCode::BAD_REQUEST, ERROR.to_owned());
    }
    let count = books.created.entry(path.clone()).or_default();
    *count += 1;
    let serial = *count;
    let cancelled = path
        .strip_prefix("/v1/payment_intents/")
        .and_then(|rest| rest.strip_suffix("/cancel"));
    let created = match (path.as_str(), cancelled) {
        ("/v1/payment_intents", _) => payment_intent(&form, serial),
        ("/v1/refunds", _) => refund(&form, serial),
        (_, Some(id)) => cancelled_intent(id),
        _ => return json(StatusCode::NOT_FOUND, ERROR.to_owned()),
    };
    let text = created.to_string();
    if let Some(key) = key {
        books.answers.insert((path, key), text.clone());
    }
    match next {
        Some(Next::LoseAnswer) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            r#"{"error":{"type":"api_error","message":"lost"}}"#.to_owned(),
        ),
        _ => json(StatusCode::OK, text),
    }
}

fn metadata(form: &HashMap<String, String>) -> Value {
    let entries = form.iter().filter_map(|(name, value)| {
        let key = name.strip_prefix("metadata[")?.strip_suffix(']')?;
        Some((key.to_owned(), Value::String(value.clone())))
    });
    Value::Object(entries.collect())
}

fn amount(form: &HashMap<String, String>) -> Value {
    form.get("amount")
        .and_then(|a| a.parse::<i64>().ok())
        .map_or(Value::Null, Value::from)
}

/// The fixture, with what the request asked for.
fn payment_intent(form: &HashMap<String, String>, serial: usize) -> Value {
    let mut intent: Value = serde_json::from_str(PAYMENT_INTENT).unwrap();
    let id = format!("pi_mock{serial:04}");
    intent["client_secret"] = format!("{id}_secret_mock{serial:04}").into();
    intent["id"] = id.into();
    intent["amount"] = amount(form);
    intent["currency"] = form.get("currency").cloned().unwrap_or_default().into();
    intent["description"] = form.get("description").cloned().into();
    intent["metadata"] = metadata(form);
    intent
}

/// The fixture as a cancelled intent.
fn cancelled_intent(id: &str) -> Value {
    let mut intent: Value = serde_json::from_str(PAYMENT_INTENT).unwrap();
    intent["id"] = id.into();
    intent["status"] = "canceled".into();
    intent["cancellation_reason"] = "abandoned".into();
    intent
}

fn refund(form: &HashMap<String, String>, serial: usize) -> Value {
    let mut refund: Value = serde_json::from_str(REFUND).unwrap();
    refund["id"] = format!("re_mock{serial:04}").into();
    refund["amount"] = amount(form);
    refund["payment_intent"] = form.get("payment_intent").cloned().into();
    refund["metadata"] = metadata(form);
    refund
}
