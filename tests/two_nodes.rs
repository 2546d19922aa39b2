//! Two `souk serve` processes on one PostgreSQL database: parallel
//! checkouts of the last units, spread over both, never oversell.
//! Runs when `SOUK_TEST_DATABASE_URL` names a PostgreSQL server.

use serde_json::json;

mod common;

use common::{request, run, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_never_oversell() {
    let Some(server) = std::env::var("SOUK_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
    else {
        eprintln!("SOUK_TEST_DATABASE_URL names no PostgreSQL server: two-node test not run");
        return;
    };
    let name = format!("souk_t_nodes_{}", std::process::id());
    let base = server.rsplit_once('/').unwrap().0.to_owned();
    let admin_db = souk_core::Db::connect(&souk_core::DbConfig {
        url: server.clone(),
        max_connections: 1,
    })
    .await
    .unwrap();
    {
        use souk_db::ConnectionTrait;
        admin_db
            .conn()
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
            .await
            .unwrap();
        admin_db
            .conn()
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
    }
    let url = format!("{base}/{name}");
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

    let a = start(&url).await;
    let b = start(&url).await;
    let (_, login) = request(
        &a.addr,
        "POST",
        "/api/v1/auth/login",
        None,
        &[],
        Some(json!({"email": "staff@example.com", "password": "correct horse battery"})),
    )
    .await;
    let admin = login["access_token"]
        .as_str()
        .expect("admin token")
        .to_owned();
    let stock = 7;
    let (status, product) = request(
        &b.addr,
        "POST",
        "/api/v1/admin/products",
        Some(&admin),
        &[],
        Some(json!({
            "name": "Last Units Lamp", "status": "active",
            "variants": [{"sku": "LAST-LAMP", "options": {}, "price": 4500, "stock": stock}]
        })),
    )
    .await;
    assert_eq!(status, 201, "{product}");
    let variant = product["variants"][0]["id"].as_i64().unwrap();

    let nodes = [a.addr.clone(), b.addr.clone()];
    let mut buyers = Vec::new();
    for i in 0..30 {
        let node = &nodes[i % 2];
        let (status, body) = request(node, "POST", "/api/v1/auth/register", None, &[], Some(json!({"email": format!("buyer{i}@example.com"), "password": "correct horse battery", "name": "Buyer"}))).await;
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
    assert_eq!(placed, stock as usize);
    let (_, detail) = request(
        &a.addr,
        "GET",
        &format!("/api/v1/admin/products/{}", product["id"]),
        Some(&admin),
        &[],
        None,
    )
    .await;
    assert_eq!(detail["variants"][0]["stock_on_hand"], 0);
    let (_, orders) = request(
        &b.addr,
        "GET",
        "/api/v1/admin/orders",
        Some(&admin),
        &[],
        None,
    )
    .await;
    assert_eq!(orders["total"], stock);

    drop((a, b));
    use souk_db::ConnectionTrait;
    let _ = admin_db
        .conn()
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await;
}
