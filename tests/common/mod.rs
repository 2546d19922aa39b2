//! What the tests that run the real `souk` binary share: a fresh
//! database, starting the binary, and a one-request HTTP client.

use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const SOUK: &str = env!("CARGO_BIN_EXE_souk");

/// A server process, stopped when dropped.
pub struct Node {
    pub child: Child,
    pub addr: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn start(database_url: &str) -> Node {
    start_with(database_url, &[]).await
}

/// Starts `souk serve` with these settings besides the database's, and
/// waits until it is ready.
pub async fn start_with(database_url: &str, settings: &[(&str, &str)]) -> Node {
    let addr = format!("127.0.0.1:{}", free_port());
    let child = Command::new(SOUK)
        .args(["serve", "--no-demo"])
        .env("SOUK_DATABASE_URL", database_url)
        .env("SOUK_ADDR", &addr)
        .env("SOUK_LOG", "warn")
        .envs(settings.iter().copied())
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

pub fn run(database_url: &str, args: &[&str]) {
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
pub async fn request(
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

/// The database of one test: a new database on the PostgreSQL server that
/// `SOUK_TEST_DATABASE_URL` names, or else a SQLite file in a new folder.
pub struct TestDb {
    pub url: String,
    /// The server's URL and the database's name, on PostgreSQL.
    postgres: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn fresh() -> Self {
        let server = std::env::var("SOUK_TEST_DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres"));
        let Some(server) = server else {
            let dir = tempfile::tempdir().expect("temp dir");
            return Self {
                url: format!("sqlite://{}/souk.db", dir.path().display()),
                postgres: None,
                _dir: Some(dir),
            };
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let name = format!("souk_t_proc_{}_{nanos}", std::process::id());
        Self::on_server(&server, &format!("CREATE DATABASE {name}")).await;
        let (base, _) = server
            .rsplit_once('/')
            .expect("a database URL ends in /name");
        Self {
            url: format!("{base}/{name}"),
            postgres: Some((server, name)),
            _dir: None,
        }
    }

    /// Drops the PostgreSQL database (a SQLite folder goes with `self`).
    pub async fn remove(self) {
        if let Some((server, name)) = &self.postgres {
            Self::on_server(
                server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
    }

    async fn on_server(server: &str, statement: &str) {
        use souk_db::ConnectionTrait;
        let admin = souk_core::Db::connect(&souk_core::DbConfig {
            url: server.to_owned(),
            max_connections: 1,
        })
        .await
        .expect("connect to PostgreSQL");
        admin
            .conn()
            .execute_unprepared(statement)
            .await
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
        let _ = admin.close().await;
    }
}
