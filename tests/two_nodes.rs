//! Two `souk serve` processes on one PostgreSQL database: parallel
//! checkouts of the last units, spread over both, never oversell.
//! Runs when `SOUK_TEST_DATABASE_URL` names a PostgreSQL server.

use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SOUK: &str = env!("CARGO_BIN_EXE_souk");

/// A server process, stopped when dropped.
struct Node {
    child: Child,
    addr: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(database_url: &str) -> Node {
    let addr = format!("127.0.0.1:{}", free_port());
    let child = Command::new(SOUK)
        .args(["serve", "--no-demo"])
        .env("SOUK_DATABASE_URL", database_url)
        .env("SOUK_ADDR", &addr)
        .env("SOUK_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("start souk");
    let node = Node { child, addr };
    for _ in 0..100 {
        if request(&node.addr, "GET", "/readyz", None, &[], None)
            .await
            .0
            == 200
        {
            return node;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("souk did not become ready on {}", node.addr);
}

fn run(database_url: &str, args: &[&str]) {
    let status = Command::new(SOUK)
        .args(args)
        .env("SOUK_DATABASE_URL", database_url)
        .env("SOUK_LOG", "warn")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "souk {args:?} failed");
}

/// One HTTP/1.1 request on its own connection.
async fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (u16, Value) {
    let Ok(mut stream) = TcpStream::connect(addr).await else {
        return (0, Value::Null);
    };
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    if let Some(token) = token {
        head.push_str(&format!("authorization: Bearer {token}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

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
