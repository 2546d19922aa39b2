//! `SOUK_PUBLIC_URL` decides, end to end through the real binary, whether
//! the pages' cookies (the session's among them) are marked `Secure`:
//! with `https://` they are, with `http://` they are not.

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod common;

use common::{TestDb, request, run, start, start_with};

const PASSWORD: &str = "correct horse battery";

/// One request on its own connection; the status line and headers, and
/// the body.
async fn exchange(addr: &str, head: &str, body: &str) -> (String, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "{head}host: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (head.to_owned(), body.to_owned())
}

/// Percent-encodes a form value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn set_cookies(head: &str) -> Vec<String> {
    head.lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim().to_owned())
        })
        .collect()
}

fn is_secure(cookie: &str) -> bool {
    cookie
        .split(';')
        .any(|attribute| attribute.trim().eq_ignore_ascii_case("secure"))
}

/// Signs in from the login page of the server at `addr`; every cookie it
/// was given on the way.
async fn sign_in_cookies(addr: &str) -> Vec<String> {
    let (status, body) = request(
        addr,
        "POST",
        "/api/v1/auth/register",
        None,
        &[],
        Some(json!({"email": "cookie@example.com", "password": PASSWORD, "name": "Cookie"})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (head, page) = exchange(addr, "GET /login HTTP/1.1\r\n", "").await;
    let mut cookies = set_cookies(&head);
    let form = cookies
        .iter()
        .find_map(|c| c.strip_prefix("souk_form="))
        .and_then(|c| c.split(';').next())
        .expect("a form cookie")
        .to_owned();
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).expect("a form token") + marker.len();
    let csrf = &page[start..start + page[start..].find('"').unwrap()];
    let form_body = [
        ("csrf", csrf),
        ("email", "cookie@example.com"),
        ("password", PASSWORD),
    ]
    .map(|(name, value)| format!("{name}={}", encode(value)))
    .join("&");
    let (head, _) = exchange(
        addr,
        &format!(
            "POST /login HTTP/1.1\r\ncontent-type: application/x-www-form-urlencoded\r\ncookie: souk_form={form}\r\nsec-fetch-site: same-origin\r\n"
        ),
        &form_body,
    )
    .await;
    assert!(head.starts_with("HTTP/1.1 303"), "{head}");
    cookies.extend(set_cookies(&head));
    let session = cookies
        .iter()
        .find(|c| c.starts_with("souk_session="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    cookies
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn souk_public_url_decides_whether_cookies_are_secure() {
    let tls_db = TestDb::fresh().await;
    run(&tls_db.url, &["migrate"]);
    let tls = start_with(&tls_db.url, &[("SOUK_PUBLIC_URL", "https://shop.example")]).await;
    for cookie in sign_in_cookies(&tls.addr).await {
        assert!(is_secure(&cookie), "{cookie}");
    }
    drop(tls);
    tls_db.remove().await;

    let plain_db = TestDb::fresh().await;
    let plain = start(&plain_db.url).await;
    for cookie in sign_in_cookies(&plain.addr).await {
        assert!(!is_secure(&cookie), "{cookie}");
    }
    drop(plain);
    plain_db.remove().await;
}
