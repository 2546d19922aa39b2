//! Product photos: uploads judged by their bytes and stored encoded again
//! (../shared/SECURITY.md, line 23: over the size limit 413; SVG, HTML, a
//! renamed or cut-short file, a decompression bomb 422), a seller only on
//! its own products, thumbnails made by the job, and files served at
//! content-addressed URLs with immutable caching, ETags and 304s.

use crate::harness::{TestApp, multipart_body};
use crate::shopping::seller_token;
use axum::http::StatusCode;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use serde_json::{Value, json};
use std::io::Cursor;

/// A picture with something to see in it (a gradient), `w` × `h`.
pub fn picture(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
    let image = if format == ImageFormat::Png {
        DynamicImage::ImageRgba8(RgbaImage::from_fn(w, h, |x, y| {
            Rgba([(x * 255 / w) as u8, (y * 255 / h) as u8, 120, 255])
        }))
    } else {
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
            Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 120])
        }))
    };
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

/// A JPEG with an EXIF segment that says where it was taken.
fn jpeg_with_exif() -> Vec<u8> {
    let plain = picture(640, 480, ImageFormat::Jpeg);
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08GPS-SECRET-51.5007N-0.1246W".to_vec();
    exif.resize(exif.len() + 16, 0);
    let length = (exif.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

/// A PNG chunk with its CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut covered = kind.to_vec();
    covered.extend_from_slice(data);
    out.extend_from_slice(&crc32(&covered).to_be_bytes());
    out
}

/// A tiny PNG that declares 100,000 × 100,000 pixels.
fn decompression_bomb() -> Vec<u8> {
    let mut header = Vec::new();
    header.extend_from_slice(&100_000u32.to_be_bytes());
    header.extend_from_slice(&100_000u32.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(png_chunk(b"IHDR", &header));
    out.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn upload(
    app: &TestApp,
    token: &str,
    path: &str,
    file_name: &str,
    content_type: &str,
    bytes: &[u8],
) -> crate::harness::TestResponse {
    app.post(path)
        .bearer(token)
        .multipart(&[
            ("file", Some(file_name), Some(content_type), bytes),
            ("alt", None, None, b"A test photo"),
        ])
        .send()
        .await
}

#[tokio::test]
async fn real_pictures_are_taken_and_stored_encoded_again_without_their_metadata() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let path = "/api/v1/admin/products/1/photos";
    let exif = jpeg_with_exif();
    assert!(contains(&exif, b"GPS-SECRET"));
    let mut png = picture(300, 200, ImageFormat::Png);
    // Something hidden after the picture's end.
    png.extend_from_slice(b"<script>alert('hidden')</script>");
    let webp = picture(200, 200, ImageFormat::WebP);
    for (name, content_type, bytes, format) in [
        ("holiday.jpg", "image/jpeg", exif.as_slice(), "jpeg"),
        ("mug.png", "image/png", png.as_slice(), "png"),
        ("mug.webp", "image/webp", webp.as_slice(), "webp"),
    ] {
        let response = upload(&app, &admin, path, name, content_type, bytes).await;
        let photo = response.expect(StatusCode::CREATED).clone();
        assert_eq!(photo["format"], format);
        assert_eq!(photo["alt"], "A test photo");
        let url = photo["url"].as_str().unwrap();
        let stored = app.get(url).send().await;
        assert_eq!(stored.status, StatusCode::OK, "{url}");
        assert!(!contains(&stored.bytes, b"GPS-SECRET"), "EXIF is gone");
        assert!(!contains(&stored.bytes, b"Exif"), "EXIF is gone");
        assert!(
            !contains(&stored.bytes, b"<script>"),
            "trailing data is gone"
        );
        let decoded = image::load_from_memory(&stored.bytes).expect("a picture");
        assert_eq!(u64::from(decoded.width()), photo["width"].as_u64().unwrap());
    }
    let listed = app.get(path).bearer(&admin).send().await;
    let listed = listed.expect(StatusCode::OK).as_array().unwrap().clone();
    let positions: Vec<i64> = listed
        .iter()
        .map(|p| p["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, vec![0, 1, 2]);
}

#[tokio::test]
async fn uploads_that_are_not_pictures_by_their_bytes_are_refused_and_nothing_is_kept() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let path = "/api/v1/admin/products/1/photos";
    let jpeg = picture(400, 300, ImageFormat::Jpeg);
    let truncated = jpeg[..jpeg.len() / 2].to_vec();
    let svg = br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>"#.to_vec();
    let html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".to_vec();
    let text = b"this is a shopping list, not a photo\n".to_vec();
    let cases: [(&str, &str, Vec<u8>, &str); 5] = [
        ("logo.png", "image/png", svg, "SVG"),
        ("page.jpg", "image/jpeg", html, "HTML"),
        ("notes.jpg", "image/jpeg", text, "text"),
        ("cut.jpg", "image/jpeg", truncated, "cut short"),
        (
            "bomb.png",
            "image/png",
            decompression_bomb(),
            "too large a picture",
        ),
    ];
    for (name, content_type, bytes, says) in cases {
        let response = upload(&app, &admin, path, name, content_type, &bytes).await;
        assert_eq!(response.error_fields(), vec!["file"], "{name}");
        let message = response.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{name}: {message}");
    }
    let no_alt = app
        .post(path)
        .bearer(&admin)
        .multipart(&[("file", Some("a.jpg"), Some("image/jpeg"), &jpeg)])
        .send()
        .await;
    assert_eq!(no_alt.error_fields(), vec!["alt"]);
    let listed = app.get(path).bearer(&admin).send().await;
    assert_eq!(listed.expect(StatusCode::OK), &json!([]));
    let files = std::fs::read_dir(app.files.path()).unwrap().count();
    assert_eq!(files, 0, "nothing was stored");
}

#[tokio::test]
async fn an_upload_over_the_size_limit_is_413() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let path = "/api/v1/admin/products/1/photos";
    let big = vec![0xFFu8; 10 * 1024 * 1024 + 100 * 1024];
    let (content_type, body) = multipart_body(&[
        ("alt", None, None, b"Big"),
        ("file", Some("big.jpg"), Some("image/jpeg"), &big),
    ]);
    // Declared too large: refused before the body is read.
    let declared = app
        .post(path)
        .bearer(&admin)
        .header("content-length", &body.len().to_string())
        .bytes(&content_type, body.clone())
        .send()
        .await;
    declared.problem(StatusCode::PAYLOAD_TOO_LARGE);
    // Not declared: refused once it grows past the limit.
    let streamed = app
        .post(path)
        .bearer(&admin)
        .bytes(&content_type, body)
        .send()
        .await;
    streamed.problem(StatusCode::PAYLOAD_TOO_LARGE);
    // Just over the file limit, inside the form's allowance.
    let just_over = vec![0xFFu8; 10 * 1024 * 1024 + 1];
    let over = upload(&app, &admin, path, "a.jpg", "image/jpeg", &just_over).await;
    over.problem(StatusCode::PAYLOAD_TOO_LARGE);
    // Not multipart at all.
    let json = app
        .post(path)
        .bearer(&admin)
        .json(json!({"alt": "x"}))
        .send()
        .await;
    json.problem(StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_seller_manages_photos_of_its_own_products_only() {
    let app = TestApp::with_demo().await;
    let (ridge, _) = seller_token(&app, "ridgeline-outfitters").await;
    let (north, _) = seller_token(&app, "northwind-ceramics").await;
    let own = app
        .get("/api/v1/seller/products")
        .bearer(&ridge)
        .send()
        .await;
    let product = own.expect(StatusCode::OK)["items"][0].clone();
    let id = product["id"].as_i64().unwrap();
    let path = format!("/api/v1/seller/products/{id}/photos");
    let jpeg = picture(320, 240, ImageFormat::Jpeg);
    let mine = upload(&app, &ridge, &path, "a.jpg", "image/jpeg", &jpeg).await;
    let photo = mine.expect(StatusCode::CREATED).clone();
    let photo_id = photo["id"].as_i64().unwrap();
    // Another seller: not found, whatever it tries.
    let theirs = upload(&app, &north, &path, "a.jpg", "image/jpeg", &jpeg).await;
    theirs.problem(StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&path).bearer(&north).send().await.status,
        StatusCode::NOT_FOUND
    );
    let one = format!("{path}/{photo_id}");
    let patched = app
        .patch(&one)
        .bearer(&north)
        .json(json!({"alt": "mine now"}))
        .send()
        .await;
    patched.problem(StatusCode::NOT_FOUND);
    let deleted = app.delete(&one).bearer(&north).send().await;
    deleted.problem(StatusCode::NOT_FOUND);
    // A customer is not a seller.
    let (customer, _) = app.customer("c@example.com").await;
    let refused = upload(&app, &customer, &path, "a.jpg", "image/jpeg", &jpeg).await;
    refused.problem(StatusCode::FORBIDDEN);
    // The owner changes and removes it; a variant of another product clashes.
    let variant = product_variant(&app, &ridge, id).await;
    let changed = app
        .patch(&one)
        .bearer(&ridge)
        .json(json!({"alt": "Trail boots, side view", "variant_id": variant}))
        .send()
        .await;
    let changed = changed.expect(StatusCode::OK);
    assert_eq!(changed["alt"], "Trail boots, side view");
    assert_eq!(changed["variant_id"], variant);
    let foreign = app
        .patch(&one)
        .bearer(&ridge)
        .json(json!({"variant_id": 1}))
        .send()
        .await;
    assert_eq!(foreign.clash_fields(), vec!["variant_id"]);
    let gone = app.delete(&one).bearer(&ridge).send().await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let listed = app.get(&path).bearer(&ridge).send().await;
    assert_eq!(listed.expect(StatusCode::OK), &json!([]));
}

async fn product_variant(app: &TestApp, token: &str, id: i64) -> i64 {
    let product = app
        .get(&format!("/api/v1/seller/products/{id}"))
        .bearer(token)
        .send()
        .await;
    product.expect(StatusCode::OK)["variants"][0]["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn photos_are_reordered_and_the_first_is_the_cover() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let path = "/api/v1/admin/products/1/photos";
    let mut ids = Vec::new();
    for w in [300, 310, 320] {
        let response = upload(
            &app,
            &admin,
            path,
            "a.jpg",
            "image/jpeg",
            &picture(w, 200, ImageFormat::Jpeg),
        )
        .await;
        ids.push(response.expect(StatusCode::CREATED)["id"].as_i64().unwrap());
    }
    let moved = app
        .patch(&format!("{path}/{}", ids[2]))
        .bearer(&admin)
        .json(json!({"position": 0}))
        .send()
        .await;
    assert_eq!(moved.expect(StatusCode::OK)["position"], 0);
    let listed = app.get(path).bearer(&admin).send().await;
    let order: Vec<i64> = listed
        .expect(StatusCode::OK)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, vec![ids[2], ids[0], ids[1]]);
    let missing = app
        .patch(&format!("{path}/999999"))
        .bearer(&admin)
        .json(json!({"alt": "x"}))
        .send()
        .await;
    missing.problem(StatusCode::NOT_FOUND);
    let blank = app
        .patch(&format!("{path}/{}", ids[0]))
        .bearer(&admin)
        .json(json!({"alt": "  "}))
        .send()
        .await;
    assert_eq!(blank.error_fields(), vec!["alt"]);
    // The shop's pages show the photos: the card's cover is the first.
    let product = app.get("/api/v1/store/products/1").send().await;
    let product = product.expect(StatusCode::OK).clone();
    let slug = product["slug"].as_str().unwrap().to_owned();
    let name = product["name"].as_str().unwrap().replace(' ', "+");
    let page = app.get(&format!("/products/{slug}")).send().await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text.matches("class=\"shot\"").count(), 3);
    assert!(page.text.contains("A test photo"));
    assert!(
        !page.text.contains("/images/placeholder/"),
        "no drawn picture"
    );
    let listing = app.get(&format!("/products?q={name}")).send().await;
    assert!(
        listing
            .text
            .contains(&format!("/images/{}", cover_hash(&app, &admin).await))
    );
}

async fn cover_hash(app: &TestApp, admin: &str) -> String {
    let listed = app
        .get("/api/v1/admin/products/1/photos")
        .bearer(admin)
        .send()
        .await;
    let url = listed.expect(StatusCode::OK)[0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    url.split('/').nth(2).unwrap().to_owned()
}

#[tokio::test]
async fn the_job_makes_thumbnails_and_files_are_served_immutable_with_etags() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let path = "/api/v1/admin/products/1/photos";
    let png = picture(1200, 800, ImageFormat::Png);
    let photo: Value = upload(&app, &admin, path, "big.png", "image/png", &png)
        .await
        .expect(StatusCode::CREATED)
        .clone();
    let widths: Vec<u64> = photo["thumbnails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["width"].as_u64().unwrap())
        .collect();
    assert_eq!(widths, vec![160, 480, 960]);
    let thumb = photo["thumbnails"][1]["webp_url"]
        .as_str()
        .unwrap()
        .to_owned();
    // Before the job: the picture itself, kept briefly.
    let early = app.get(&thumb).send().await;
    assert_eq!(early.status, StatusCode::OK);
    assert_eq!(early.headers["cache-control"], "public, max-age=60");
    assert_eq!(early.headers["content-type"], "image/png");
    app.run_jobs().await;
    for t in photo["thumbnails"].as_array().unwrap() {
        for (key, content_type) in [("url", "image/png"), ("webp_url", "image/webp")] {
            let response = app.get(t[key].as_str().unwrap()).send().await;
            assert_eq!(response.status, StatusCode::OK);
            assert_eq!(response.headers["content-type"], content_type);
            let made = image::load_from_memory(&response.bytes).unwrap();
            assert_eq!(u64::from(made.width()), t["width"].as_u64().unwrap());
            assert_eq!(made.height(), made.width() * 2 / 3);
        }
    }
    let served = app.get(&thumb).send().await;
    assert_eq!(
        served.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(served.headers["x-content-type-options"], "nosniff");
    let etag = served.headers["etag"].to_str().unwrap().to_owned();
    assert!(
        etag.starts_with('"') && etag.ends_with('"'),
        "a strong ETag"
    );
    let again = app.get(&thumb).header("if-none-match", &etag).send().await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.bytes.is_empty());
    // Nothing else is there.
    let hash = photo["url"]
        .as_str()
        .unwrap()
        .split('/')
        .nth(2)
        .unwrap()
        .to_owned();
    for unknown in [
        format!("/images/{}/original.png", "0".repeat(64)),
        format!("/images/{hash}/481.webp"),
        format!("/images/{hash}/original.svg"),
        "/images/..%2F..%2Fetc/passwd".to_owned(),
    ] {
        assert_eq!(
            app.get(&unknown).send().await.status,
            StatusCode::NOT_FOUND,
            "{unknown}"
        );
    }
    // Deleting the photo removes its files.
    let id = photo["id"].as_i64().unwrap();
    let gone = app
        .delete(&format!("{path}/{id}"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&thumb).send().await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_bucket_store_keeps_photos_in_an_s3_compatible_server() {
    let Some(endpoint) = std::env::var("SOUK_TEST_S3_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
    else {
        eprintln!(
            "SOUK_TEST_S3_ENDPOINT is not set: the S3 store is not tested (scripts/test.sh starts a moto server and sets it)"
        );
        return;
    };
    let bucket = std::env::var("SOUK_TEST_S3_BUCKET").unwrap_or_else(|_| "souk-test".to_owned());
    let config = souk_core::ShopConfig {
        storage: souk_core::photos::store::StorageConfig::S3(souk_core::photos::store::S3Config {
            bucket,
            endpoint: Some(endpoint),
            region: "us-east-1".to_owned(),
            access_key_id: Some("testing".to_owned()),
            secret_access_key: Some("testing".to_owned().into()),
        }),
        ..souk_core::ShopConfig::default()
    };
    let app = TestApp::with_config(config).await;
    let admin = app.admin().await;
    let path = "/api/v1/admin/products/1/photos";
    let jpeg = picture(700, 500, ImageFormat::Jpeg);
    let photo = upload(&app, &admin, path, "a.jpg", "image/jpeg", &jpeg).await;
    let photo = photo.expect(StatusCode::CREATED).clone();
    app.run_jobs().await;
    let thumb = photo["thumbnails"][1]["webp_url"].as_str().unwrap();
    let served = app.get(thumb).send().await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(
        served.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(image::load_from_memory(&served.bytes).unwrap().width(), 480);
    assert_eq!(
        std::fs::read_dir(app.files.path()).unwrap().count(),
        0,
        "nothing on disk"
    );
    let id = photo["id"].as_i64().unwrap();
    app.delete(&format!("{path}/{id}"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(app.get(thumb).send().await.status, StatusCode::NOT_FOUND);
}
