//! `kill -9` of the server in the middle of a checkout load, then a
//! restart: every acknowledged order exists exactly as it was
//! acknowledged, and stock is conserved. On a SQLite file by default, on a
//! new PostgreSQL database when `SOUK_TEST_DATABASE_URL` names a server.

use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;

use common::{TestDb, request, run, start};

/// What an acknowledged order must still say after the restart.
const KEPT: [&str; 15] = [
    "id",
    "number",
    "status",
    "payment_status",
    "payment_method",
    "email",
    "items",
    "subtotal",
    "discount",
    "shipping",
    "tax",
    "total",
    "shipping_address",
    "shipping_method",
    "payments",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_orders_survive_kill_9() {
    let db = TestDb::fresh().await;
    let url = db.url.clone();
    run(&url, &["migrate"]);
    run(&url, &["seed", "--demo"]);
    run(
        &url,
        &[
            "user",
            "create",
            "--email",
            "staff@example.com",
            "--password",
            "correct horse battery",
            "--role",
            "admin",
        ],
    );

    let first = start(&url).await;
    let (_, login) = request(
        &first.addr,
        "POST",
        "/api/v1/auth/login",
        None,
        &[],
        Some(json!({"email": "staff@example.com", "password": "correct horse battery"})),
    )
    .await;
    let admin = login["access_token"].as_str().unwrap().to_owned();
    let stock = 1000;
    let (status, product) = request(&first.addr, "POST", "/api/v1/admin/products", Some(&admin), &[], Some(json!({
        "name": "Crash Test Kettle", "status": "active", "variants": [{"sku": "CRASH-KETTLE", "price": 2500, "stock": stock}]
    }))).await;
    assert_eq!(status, 201, "{product}");
    let variant = product["variants"][0]["id"].as_i64().unwrap();

    let mut buyers = Vec::new();
    for i in 0..12 {
        let (status, body) = request(&first.addr, "POST", "/api/v1/auth/register", None, &[], Some(json!({"email": format!("crash{i}@example.com"), "password": "correct horse battery", "name": "Buyer"}))).await;
        assert_eq!(status, 201, "{body}");
        buyers.push(body["access_token"].as_str().unwrap().to_owned());
    }

    let acknowledged: Arc<Mutex<Vec<Value>>> = Arc::default();
    let mut tasks = Vec::new();
    for (i, token) in buyers.into_iter().enumerate() {
        let (addr, acknowledged) = (first.addr.clone(), acknowledged.clone());
        tasks.push(tokio::spawn(async move {
            for n in 0.. {
                let (status, _) = request(&addr, "POST", "/api/v1/store/cart/items", Some(&token), &[], Some(json!({"variant_id": variant, "quantity": 1}))).await;
                if status == 0 {
                    return;
                }
                let key = format!("{i}-{n}");
                let (status, order) = request(&addr, "POST", "/api/v1/store/checkout", Some(&token), &[("idempotency-key", &key)], Some(json!({
                    "shipping_address": {"full_name": "Buyer", "line1": "1 Street", "city": "Town", "postal_code": "1000", "country": "US"},
                    "shipping_method": 1, "payment_method": "bank_transfer"
                }))).await;
                match status {
                    201 => acknowledged.lock().unwrap().push(order),
                    0 => return,
                    _ => {}
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(first); // SIGKILL, mid-load.
    for task in tasks {
        let _ = task.await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        !acknowledged.is_empty(),
        "some orders were placed before the kill"
    );

    let second = start(&url).await;
    let (_, login) = request(
        &second.addr,
        "POST",
        "/api/v1/auth/login",
        None,
        &[],
        Some(json!({"email": "staff@example.com", "password": "correct horse battery"})),
    )
    .await;
    let admin = login["access_token"].as_str().unwrap().to_owned();
    for placed in &acknowledged {
        let id = placed["id"].as_str().unwrap();
        let (status, stored) = request(
            &second.addr,
            "GET",
            &format!("/api/v1/admin/orders/{id}"),
            Some(&admin),
            &[],
            None,
        )
        .await;
        assert_eq!(status, 200, "acknowledged order {id} was lost");
        for field in KEPT {
            assert_eq!(
                stored[field], placed[field],
                "{field} of order {id} changed across the restart"
            );
        }
        let second_of = |order: &Value| order["placed_at"].as_str().unwrap()[..19].to_owned();
        assert_eq!(second_of(&stored), second_of(placed));
        assert_eq!(stored["items"].as_array().unwrap().len(), 1);
        assert_eq!(stored["items"][0]["variant_id"], variant);
        assert_eq!(stored["items"][0]["quantity"], 1);
        assert_eq!(stored["items"][0]["unit_price"]["amount"], 2500);
    }
    let mut ordered = 0;
    for page in 1.. {
        let (_, list) = request(
            &second.addr,
            "GET",
            &format!("/api/v1/admin/orders?per_page=100&page={page}"),
            Some(&admin),
            &[],
            None,
        )
        .await;
        let items = list["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        for order in items {
            for line in order["items"].as_array().unwrap() {
                if line["variant_id"] == variant {
                    ordered += line["quantity"].as_i64().unwrap();
                }
            }
        }
    }
    let (_, detail) = request(
        &second.addr,
        "GET",
        &format!("/api/v1/admin/products/{}", product["id"]),
        Some(&admin),
        &[],
        None,
    )
    .await;
    let on_hand = detail["variants"][0]["stock_on_hand"].as_i64().unwrap();
    assert!(ordered >= acknowledged.len() as i64);
    assert_eq!(
        on_hand + ordered,
        stock,
        "every unit is on the shelf or in an order"
    );
    drop(second);
    db.remove().await;
}
