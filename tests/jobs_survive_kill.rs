//! Jobs survive `kill -9` of the server: one queued before the kill runs
//! after the restart, and so does one that was running when the server
//! was killed (once its lease has run out). On a SQLite file by default,
//! on a new PostgreSQL database when `SOUK_TEST_DATABASE_URL` names a
//! server.

use souk_core::{Db, DbConfig};
use souk_db::ConnectionTrait;
use souk_db::repo::jobs::{self, NewJob};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

mod common;

use common::{TestDb, run, start, start_with};

async fn connect(url: &str) -> Db {
    Db::connect(&DbConfig {
        url: url.to_owned(),
        max_connections: 1,
    })
    .await
    .unwrap()
}

/// Enqueues the first job of a fresh database and returns its id.
async fn enqueue_only_job(db: &Db, new: NewJob<'_>) -> i64 {
    assert!(jobs::enqueue(db.conn(), new).await.unwrap());
    jobs::list(db.conn(), None, Default::default())
        .await
        .unwrap()
        .items[0]
        .id
}

async fn status_of(db: &Db, id: i64) -> String {
    jobs::find(db.conn(), id).await.unwrap().unwrap().status
}

/// Waits (up to 20 s) until the job has `status`; the status it has then.
async fn wait_for(db: &Db, id: i64, status: &str) -> String {
    let mut now = String::new();
    for _ in 0..200 {
        now = status_of(db, id).await;
        if now == status {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    now
}

#[tokio::test]
async fn a_queued_job_survives_kill_9() {
    let test_db = TestDb::fresh().await;
    let url = test_db.url.clone();
    run(&url, &["migrate"]);
    let db = connect(&url).await;
    let due = chrono::Utc::now() + chrono::Duration::seconds(6);
    let new = NewJob {
        kind: "expire_unpaid_orders",
        payload: "{}".into(),
        run_at: due,
        max_attempts: 3,
        unique_key: Some("survives-kill".into()),
    };
    let id = enqueue_only_job(&db, new).await;

    let first = start(&url).await;
    drop(first); // SIGKILL: no shutdown of any kind.
    assert_eq!(status_of(&db, id).await, "queued");

    let second = start(&url).await;
    let status = wait_for(&db, id, "done").await;
    drop(second);
    assert_eq!(status, "done", "the job ran after the restart");
    let _ = db.close().await;
    test_db.remove().await;
}

/// A stand-in for the shop's public address, where testpay webhook jobs
/// deliver: it reports each request it receives, and until `answer` is
/// set it never answers (the job stays running).
async fn webhook_receiver(answer: Arc<AtomicBool>) -> (String, mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (seen, received) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let (seen, answer) = (seen.clone(), answer.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let request = String::from_utf8_lossy(&head).into_owned();
                let _ = seen.send(request);
                if answer.load(Ordering::SeqCst) {
                    let _ = stream
                        .write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                        )
                        .await;
                } else {
                    // Hold the connection open, answering nothing.
                    tokio::time::sleep(Duration::from_secs(120)).await;
                }
            });
        }
    });
    (url, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_running_at_kill_9_runs_again_after_restart() {
    let test_db = TestDb::fresh().await;
    let url = test_db.url.clone();
    run(&url, &["migrate"]);
    let db = connect(&url).await;
    let answer = Arc::new(AtomicBool::new(false));
    let (public_url, mut received) = webhook_receiver(answer.clone()).await;
    let body = r#"{"id":"evt_kill","type":"payment.succeeded","data":{"payment_id":"p","amount":1,"currency":"USD"}}"#;
    let new = NewJob {
        kind: "deliver_testpay_webhook",
        payload: body.into(),
        // Due since an hour: the first worker takes it at once.
        run_at: chrono::Utc::now() - chrono::Duration::hours(1),
        max_attempts: 5,
        unique_key: Some("running-at-kill".into()),
    };
    let id = enqueue_only_job(&db, new).await;
    let settings = [
        ("SOUK_PUBLIC_URL", public_url.as_str()),
        ("SOUK_SCHEDULER_TICK_SECS", "1"),
    ];

    let first = start_with(&url, &settings).await;
    let delivery = tokio::time::timeout(Duration::from_secs(20), received.recv())
        .await
        .expect("the job started its delivery")
        .unwrap();
    assert!(
        delivery.starts_with("POST /api/v1/payments/webhooks/testpay"),
        "{delivery}"
    );
    assert_eq!(status_of(&db, id).await, "running");
    drop(first); // SIGKILL while the job waits for its answer.
    assert_eq!(status_of(&db, id).await, "running", "nothing finished it");

    // The dead worker's lease runs out (ten minutes; here, moved back to
    // the hour-old due time), and the receiver now answers.
    db.conn()
        .execute_unprepared(&format!(
            "UPDATE jobs SET locked_at = run_at WHERE id = {id}"
        ))
        .await
        .unwrap();
    answer.store(true, Ordering::SeqCst);

    let second = start_with(&url, &settings).await;
    let status = wait_for(&db, id, "done").await;
    drop(second);
    assert_eq!(status, "done", "the job ran again after the restart");
    let again = received.try_recv().expect("a second delivery");
    assert!(
        again.starts_with("POST /api/v1/payments/webhooks/testpay"),
        "{again}"
    );
    let job = jobs::find(db.conn(), id).await.unwrap().unwrap();
    assert_eq!(job.attempts, 2, "once before the kill, once after");
    let _ = db.close().await;
    test_db.remove().await;
}
