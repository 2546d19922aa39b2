//! How pages and their files travel: static files under hashed names kept
//! for a year, and compressed answers for clients that accept them.

use crate::harness::TestApp;
use axum::http::StatusCode;
use flate2::read::GzDecoder;
use std::io::Read;

/// The first address in `html` that starts with `prefix`.
fn linked<'a>(html: &'a str, prefix: &str) -> &'a str {
    html.split('"')
        .find(|part| part.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} in the page"))
}

#[tokio::test]
async fn static_files_are_linked_by_hash_and_kept_for_a_year() {
    let app = TestApp::new().await;
    let home = app.get("/").send().await;
    let css = linked(&home.text, "/static/souk.");
    let hash = css
        .strip_prefix("/static/souk.")
        .and_then(|rest| rest.strip_suffix(".css"))
        .expect("souk.<hash>.css");
    assert!(
        hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{css}"
    );
    assert!(linked(&home.text, "/static/souk.").ends_with(".css"));

    let file = app.get(css).send().await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        file.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let etag = file.headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"{hash}\""));
    assert_eq!(file.text, include_str!("../../static/souk.css"));

    let again = app.get(css).header("if-none-match", &etag).send().await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.text.is_empty());

    // The plain name still answers, briefly cached; a wrong hash does not.
    let plain = app.get("/static/souk.css").send().await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.headers["cache-control"], "public, max-age=300");
    let wrong = app.get("/static/souk.000000000000.css").send().await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pages_and_json_are_compressed_for_clients_that_accept_it() {
    let app = TestApp::with_demo().await;
    let path = "/api/v1/store/products?per_page=50";
    let plain = app.get(path).send().await;
    assert!(!plain.headers.contains_key("content-encoding"));

    let gzip = app.get(path).header("accept-encoding", "gzip").send().await;
    assert_eq!(gzip.headers["content-encoding"], "gzip");
    let bytes = gzip.bytes;
    let mut decoded = String::new();
    GzDecoder::new(&bytes[..])
        .read_to_string(&mut decoded)
        .expect("gzip");
    assert_eq!(decoded, plain.text);
    assert!(
        bytes.len() * 3 < plain.text.len(),
        "{} of {}",
        bytes.len(),
        plain.text.len()
    );

    for path in ["/", "/products", "/static/souk.css"] {
        let page = app
            .get(path)
            .header("accept-encoding", "br;q=1.0, gzip;q=0.8")
            .send()
            .await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(page.headers["content-encoding"], "br", "{path}");
    }
}
