//! Wishlists through the real stack: a shopper keeps a product or one of
//! its variants (keeping it again changes nothing), another shopper's item
//! is 404, a guest is 401; a kept variant that sells out and comes back
//! brings one e-mail; the product page saves the chosen variant with its
//! buy form's second button.

use crate::browser::{Browser, location};
use crate::harness::{PASSWORD, TestApp};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// The first demo product with several variants: its id, slug and
/// variants.
async fn product_with_variants(app: &TestApp) -> (i64, String, Vec<Value>) {
    let list = app
        .get("/api/v1/store/products?per_page=100&sort=name")
        .send()
        .await;
    for p in list.expect(StatusCode::OK)["items"].as_array().unwrap() {
        let detail = app
            .get(&format!("/api/v1/store/products/{}", p["id"]))
            .send()
            .await;
        let variants = detail.body["variants"].as_array().unwrap().clone();
        if variants.len() > 1 {
            return (
                p["id"].as_i64().unwrap(),
                p["slug"].as_str().unwrap().to_owned(),
                variants,
            );
        }
    }
    panic!("no demo product with variants");
}

async fn set_stock(app: &TestApp, admin: &str, variant: i64, delta: i64) {
    app.post(&format!("/api/v1/admin/variants/{variant}/stock"))
        .bearer(admin)
        .json(json!({"delta": delta, "reason": "count"}))
        .send()
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn a_shopper_keeps_items_and_no_one_else_sees_them() {
    let app = TestApp::with_demo().await;
    let (product, _, variants) = product_with_variants(&app).await;
    let variant = variants[0]["id"].as_i64().unwrap();
    let (ann, _) = app.customer("ann@example.com").await;
    let (bob, _) = app.customer("bob@example.com").await;

    app.post("/api/v1/store/me/wishlist")
        .json(json!({"product_id": product}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED);

    let kept = app
        .post("/api/v1/store/me/wishlist")
        .bearer(&ann)
        .json(json!({"product_id": product, "variant_id": variant}))
        .send()
        .await;
    let item = kept.expect(StatusCode::CREATED).clone();
    assert_eq!(item["variant_id"], variant);
    let again = app
        .post("/api/v1/store/me/wishlist")
        .bearer(&ann)
        .json(json!({"product_id": product, "variant_id": variant}))
        .send()
        .await;
    assert_eq!(again.expect(StatusCode::OK)["id"], item["id"]);
    app.post("/api/v1/store/me/wishlist")
        .bearer(&ann)
        .json(json!({"product_id": product}))
        .send()
        .await
        .expect(StatusCode::CREATED);

    // A variant of another product, or no such product: 404.
    let other_variant = app
        .get("/api/v1/store/products?per_page=100")
        .send()
        .await
        .expect(StatusCode::OK)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] != product)
        .map(|p| p["id"].as_i64().unwrap())
        .unwrap();
    let foreign = app
        .get(&format!("/api/v1/store/products/{other_variant}"))
        .send()
        .await
        .expect(StatusCode::OK)["variants"][0]["id"]
        .as_i64()
        .unwrap();
    app.post("/api/v1/store/me/wishlist")
        .bearer(&ann)
        .json(json!({"product_id": product, "variant_id": foreign}))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.post("/api/v1/store/me/wishlist")
        .bearer(&ann)
        .json(json!({"product_id": 999_999}))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);

    let mine = app
        .get("/api/v1/store/me/wishlist")
        .bearer(&ann)
        .send()
        .await;
    assert_eq!(mine.expect(StatusCode::OK)["total"], 2);
    let theirs = app
        .get("/api/v1/store/me/wishlist")
        .bearer(&bob)
        .send()
        .await;
    assert_eq!(theirs.expect(StatusCode::OK)["total"], 0);

    // Another shopper's item is 404 and stays; the owner removes it.
    let id = item["id"].as_i64().unwrap();
    app.delete(&format!("/api/v1/store/me/wishlist/{id}"))
        .bearer(&bob)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&format!("/api/v1/store/me/wishlist/{id}"))
        .bearer(&ann)
        .send()
        .await
        .expect(StatusCode::NO_CONTENT);
    let mine = app
        .get("/api/v1/store/me/wishlist")
        .bearer(&ann)
        .send()
        .await;
    assert_eq!(mine.expect(StatusCode::OK)["total"], 1);
}

#[tokio::test]
async fn a_kept_variant_back_in_stock_brings_one_email() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (product, _, variants) = product_with_variants(&app).await;
    let variant = &variants[0];
    let id = variant["id"].as_i64().unwrap();
    let (ann, _) = app.customer("ann@example.com").await;
    app.post("/api/v1/store/me/wishlist")
        .bearer(&ann)
        .json(json!({"product_id": product, "variant_id": id}))
        .send()
        .await
        .expect(StatusCode::CREATED);

    // In stock all along: nothing to say.
    app.shop.notify_restocks().await.unwrap();
    app.run_jobs().await;
    let before = app.emails().len();

    // It sells out and the job sees it; then it comes back.
    let on_hand = variant["stock_available"].as_i64().unwrap();
    set_stock(&app, &admin, id, -on_hand).await;
    assert_eq!(app.shop.notify_restocks().await.unwrap(), 0);
    let listed = app
        .get("/api/v1/store/me/wishlist")
        .bearer(&ann)
        .send()
        .await;
    assert_eq!(listed.expect(StatusCode::OK)["items"][0]["in_stock"], false);
    set_stock(&app, &admin, id, 3).await;
    assert_eq!(app.shop.notify_restocks().await.unwrap(), 1);
    app.run_jobs().await;
    let emails = app.emails();
    assert_eq!(emails.len(), before + 1);
    let email = emails.last().unwrap();
    assert!(email.contains("ann@example.com"), "{email}");
    assert!(email.contains("Back in stock"), "{email}");

    // Once: the next run writes nothing.
    assert_eq!(app.shop.notify_restocks().await.unwrap(), 0);
}

#[tokio::test]
async fn the_product_page_saves_the_chosen_variant() {
    let app = TestApp::with_demo().await;
    let (_, slug, variants) = product_with_variants(&app).await;
    app.customer("ann@example.com").await;
    let mut browser = Browser::new(&app);

    // A guest is asked to sign in first.
    let page = browser.get(&format!("/products/{slug}")).await;
    assert!(page.text.contains("Save to wishlist"));
    let guest = browser
        .post(
            "/wishlist",
            &[("product", slug.as_str()), ("quantity", "1")],
        )
        .await;
    assert!(location(&guest).unwrap().starts_with("/login?next="));

    browser.sign_in("ann@example.com", PASSWORD).await;
    browser.get(&format!("/products/{slug}")).await;
    let second = &variants[1];
    let choices: Vec<(String, String)> = second["options"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, value)| (format!("opt_{name}"), value.as_str().unwrap().to_owned()))
        .collect();
    let mut fields: Vec<(&str, &str)> = vec![("product", slug.as_str()), ("quantity", "1")];
    fields.extend(choices.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let saved = browser.post("/wishlist", &fields).await;
    assert_eq!(
        location(&saved).as_deref(),
        Some(format!("/products/{slug}").as_str())
    );
    let list = browser.get("/account/wishlist").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains("Remove"), "{}", list.text);
    // The page opens on the first variant, which is not kept yet.
    let page = browser.get(&format!("/products/{slug}")).await;
    assert!(page.text.contains("Save to wishlist"));
    assert!(!page.text.contains("On your wishlist"));
    let kept = app
        .shop
        .wishlist(&souk_core::actor::Actor::Customer {
            user_id: souk_core::domain::ids::UserId(
                souk_db::repo::accounts::find_user_by_email(
                    app.shop.db().conn(),
                    "ann@example.com",
                )
                .await
                .unwrap()
                .unwrap()
                .id,
            ),
        })
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].variant_id, second["id"].as_i64());

    // Saving the variant the page opens on marks the page.
    let first = variants[0]["id"].as_i64().unwrap().to_string();
    browser
        .post(
            "/wishlist",
            &[("product", slug.as_str()), ("variant_id", first.as_str())],
        )
        .await;
    let page = browser.get(&format!("/products/{slug}")).await;
    assert!(page.text.contains("On your wishlist"));
    assert!(!page.text.contains("Save to wishlist"));
}
