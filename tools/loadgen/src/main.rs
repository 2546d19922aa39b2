//! Buyers placing orders against a running souk: each of N concurrent
//! buyers fills its cart with one unit of each variant of a cart and checks
//! out, again and again, for a while. Prints orders per second and latency
//! percentiles.
//!
//! souk-loadgen <base-url> <buyers> <seconds> <cart>[,<cart>...]
//!
//! A cart is a variant id, or several joined by `+` (one line each: a cart
//! of the shop's and two sellers' products makes an order of three
//! parcels).

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

type HttpClient = Client<HttpConnector, Full<Bytes>>;

async fn call(client: &HttpClient, method: Method, url: &str, token: Option<&str>, key: Option<&str>, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
    let mut request = Request::builder().method(method).uri(url).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let request = request.body(Full::new(Bytes::from(body.to_string()))).expect("request");
    match client.request(request).await {
        Ok(response) => {
            let status = response.status();
            let bytes = response.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
            (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, serde_json::Value::Null),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: souk-loadgen <base-url> <buyers> <seconds> <variant-id>[+<variant-id>...][,...]");
        std::process::exit(2);
    }
    let base = args[1].trim_end_matches('/').to_owned();
    let buyers: usize = args[2].parse().expect("buyers");
    let seconds: u64 = args[3].parse().expect("seconds");
    let carts: Arc<Vec<Vec<i64>>> = Arc::new(
        args[4]
            .split(',')
            .map(|cart| cart.split('+').map(|v| v.parse().expect("variant id")).collect())
            .collect(),
    );

    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let client: HttpClient = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(buyers).build(connector);

    // Accounts first, outside the measured time.
    let run = std::process::id();
    let mut tokens = Vec::with_capacity(buyers);
    for i in 0..buyers {
        let body = serde_json::json!({"email": format!("buyer-{run}-{i}@example.com"), "password": "load test password", "name": format!("Buyer {i}")});
        let (status, json) = call(&client, Method::POST, &format!("{base}/api/v1/auth/register"), None, None, body).await;
        assert_eq!(status, StatusCode::CREATED, "registering a buyer: {json}");
        tokens.push(json["access_token"].as_str().expect("token").to_owned());
    }

    let orders = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (i, token) in tokens.into_iter().enumerate() {
        let (client, base, carts) = (client.clone(), base.clone(), carts.clone());
        let (orders, refused, failed) = (orders.clone(), refused.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let cart = &carts[(i + n as usize * 7) % carts.len()];
                n += 1;
                let began = Instant::now();
                let mut filled = true;
                for variant in cart {
                    let add = serde_json::json!({"variant_id": variant, "quantity": 1});
                    let (status, _) = call(&client, Method::POST, &format!("{base}/api/v1/store/cart/items"), Some(&token), None, add).await;
                    if status != StatusCode::CREATED {
                        if status == StatusCode::CONFLICT { refused.fetch_add(1, Ordering::Relaxed); } else { failed.fetch_add(1, Ordering::Relaxed); }
                        filled = false;
                        break;
                    }
                }
                if !filled {
                    continue;
                }
                let checkout = serde_json::json!({
                    "shipping_address": {"full_name": "Load Test", "line1": "1 Bench Street", "city": "Springfield", "postal_code": "12345", "country": "US"},
                    "shipping_method": 1,
                    "payment_method": "bank_transfer"
                });
                let key = format!("{run}-{i}-{n}");
                let (status, _) = call(&client, Method::POST, &format!("{base}/api/v1/store/checkout"), Some(&token), Some(&key), checkout).await;
                match status {
                    StatusCode::CREATED => {
                        orders.fetch_add(1, Ordering::Relaxed);
                        latencies.push(began.elapsed());
                    }
                    StatusCode::CONFLICT => {
                        refused.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.expect("buyer task"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct = |p: f64| latencies.get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1))).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0);
    let placed = orders.load(Ordering::Relaxed);
    println!(
        "orders={placed} orders_per_sec={:.0} p50_ms={:.1} p99_ms={:.1} refused_409={} failed={}",
        placed as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        refused.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed)
    );
}
