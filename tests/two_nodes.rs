//! Two `souk serve` processes on one database: fifty buyers, spread over
//! both, check out the last unit at once; exactly one order is placed and
//! stock never goes below zero. On a SQLite file (both processes open it)
//! by default, on a new PostgreSQL database when `SOUK_TEST_DATABASE_URL`
//! names a server.

use serde_json::json;

mod common;

use common::{TestDb, request, run, start};

const PASSWORD: &str = "correct horse battery";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_sell_the_last_unit_once() {
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
            PASSWORD,
            "--role",
            "admin",
        ],
    );

    let a = start(&url).await;
    let b = start(&url).await;
    let (_, login) = request(
        &a.addr,
        "POST",
        "/api/v1/auth/login",
        None,
        &[],
        Some(json!({"email": "staff@example.com", "password": PASSWORD})),
    )
    .await;
    let admin = login["access_token"]
        .as_str()
        .expect("admin token")
        .to_owned();
    let stock = 1;
    let (status, product) = request(
        &b.addr,
        "POST",
        "/api/v1/admin/products",
        Some(&admin),
        &[],
        Some(json!({
            "name": "Last Unit Lamp", "status": "active",
            "variants": [{"sku": "LAST-LAMP", "options": {}, "price": 4500, "stock": stock}]
        })),
    )
    .await;
    assert_eq!(status, 201, "{product}");
    let variant = product["variants"][0]["id"].as_i64().unwrap();
    // The demo shop's own orders.
    let (_, before) = request(
        &b.addr,
        "GET",
        "/api/v1/admin/orders",
        Some(&admin),
        &[],
        None,
    )
    .await;
    let demo_orders = before["total"].as_i64().expect("an order count");

    // Each buyer fills a cart on one node and checks out on the other.
    let nodes = [a.addr.clone(), b.addr.clone()];
    let mut buyers = Vec::new();
    for i in 0..50 {
        let node = &nodes[i % 2];
        let (status, body) = request(node, "POST", "/api/v1/auth/register", None, &[], Some(json!({"email": format!("buyer{i}@example.com"), "password": PASSWORD, "name": "Buyer"}))).await;
        assert_eq!(status, 201, "{body}");
        let token = body["access_token"].as_str().unwrap().to_owned();
        let (status, body) = request(
            node,
            "POST",
            "/api/v1/store/cart/items",
            Some(&token),
            &[],
            Some(json!({"variant_id": variant, "quantity": 1})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        buyers.push((nodes[(i + 1) % 2].clone(), token));
    }
    let checkouts = buyers.iter().map(|(node, token)| {
        request(node, "POST", "/api/v1/store/checkout", Some(token), &[("idempotency-key", "buy")], Some(json!({
            "shipping_address": {"full_name": "Buyer", "line1": "1 Street", "city": "Town", "postal_code": "1000", "country": "US"},
            "shipping_method": 1, "payment_method": "bank_transfer"
        })))
    });
    let results = futures::future::join_all(checkouts).await;
    let placed = results.iter().filter(|(status, _)| *status == 201).count();
    assert!(
        results
            .iter()
            .all(|(status, _)| *status == 201 || *status == 409),
        "{results:?}"
    );
    assert_eq!(placed, stock as usize, "one order for one unit");
    for node in &nodes {
        let (_, detail) = request(
            node,
            "GET",
            &format!("/api/v1/admin/products/{}", product["id"]),
            Some(&admin),
            &[],
            None,
        )
        .await;
        assert_eq!(detail["variants"][0]["stock_on_hand"], 0, "{detail}");
        let (_, orders) =
            request(node, "GET", "/api/v1/admin/orders", Some(&admin), &[], None).await;
        assert_eq!(orders["total"], demo_orders + stock);
    }
    // Both nodes kept serving throughout.
    for node in &nodes {
        assert_eq!(
            request(node, "GET", "/readyz", None, &[], None).await.0,
            200
        );
    }

    drop((a, b));
    db.remove().await;
}
