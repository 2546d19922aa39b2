//! A job enqueued before the server is killed with SIGKILL runs after the
//! restart.

use souk_core::{Db, DbConfig};
use souk_db::repo::jobs::{self, NewJob};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const SOUK: &str = env!("CARGO_BIN_EXE_souk");

fn serve(url: &str, addr: &str) -> Child {
    Command::new(SOUK)
        .args(["serve", "--no-demo"])
        .env("SOUK_DATABASE_URL", url)
        .env("SOUK_ADDR", addr)
        .env("SOUK_LOG", "warn")
        .env("SOUK_SCHEDULER_TICK_SECS", "3600")
        .stdout(Stdio::null())
        .spawn()
        .expect("start souk")
}

async fn wait_ready(addr: &str) {
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("souk did not listen on {addr}");
}

#[tokio::test]
async fn a_queued_job_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/souk.db", dir.path().display());
    let status = Command::new(SOUK)
        .arg("migrate")
        .env("SOUK_DATABASE_URL", &url)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let db = Db::connect(&DbConfig {
        url: url.clone(),
        max_connections: 1,
    })
    .await
    .unwrap();
    let due = chrono::Utc::now() + chrono::Duration::seconds(6);
    let new = NewJob {
        kind: "expire_unpaid_orders",
        payload: "{}".into(),
        run_at: due,
        max_attempts: 3,
        unique_key: Some("survives-kill".into()),
    };
    assert!(jobs::enqueue(db.conn(), new).await.unwrap());
    let id = jobs::list(db.conn(), None, Default::default())
        .await
        .unwrap()
        .items[0]
        .id;

    let addr = format!(
        "127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    );
    let mut first = serve(&url, &addr);
    wait_ready(&addr).await;
    first.kill().unwrap(); // SIGKILL: no shutdown of any kind.
    first.wait().unwrap();
    assert_eq!(
        jobs::find(db.conn(), id).await.unwrap().unwrap().status,
        "queued"
    );

    let mut second = serve(&url, &addr);
    wait_ready(&addr).await;
    let mut status = String::new();
    for _ in 0..200 {
        status = jobs::find(db.conn(), id).await.unwrap().unwrap().status;
        if status == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!(status, "done", "the job ran after the restart");
}
