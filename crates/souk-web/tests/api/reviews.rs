//! Reviews through the real stack: only a buyer whose parcel was delivered
//! reviews (403 otherwise), once (409), and edits its own (another's is
//! 404); staff hide and publish and may require approval, and the rating
//! on cards, the product and the listing's order follow; the seller
//! replies once and another seller cannot; the product page shows the
//! summary and the form, escaping what buyers wrote.

use crate::browser::{Browser, location};
use crate::harness::{PASSWORD, TestApp};
use crate::payouts::deliver;
use crate::shopping::{buy, mark_paid, seller_token};
use axum::http::StatusCode;
use serde_json::{Value, json};

/// The `nth` northwind product in stock: a variant of it with stock, and
/// the product's id.
async fn northwind_product(app: &TestApp, nth: usize) -> (i64, i64) {
    let list = app
        .get(
            "/api/v1/store/products?seller=northwind-ceramics&in_stock=true&per_page=100&sort=name",
        )
        .send()
        .await;
    let product = list.expect(StatusCode::OK)["items"][nth]["id"]
        .as_i64()
        .unwrap();
    let detail = app
        .get(&format!("/api/v1/store/products/{product}"))
        .send()
        .await;
    let variant = detail.expect(StatusCode::OK)["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["stock_available"].as_i64().unwrap() >= 1)
        .expect("a variant in stock")["id"]
        .as_i64()
        .unwrap();
    (variant, product)
}

/// A buyer (e-mail `key@example.com`) of one unit of the `nth` northwind
/// product, paid and delivered: its token and the product's id.
async fn delivered_buyer(app: &TestApp, admin: &str, key: &str, nth: usize) -> (String, i64) {
    let (variant, product) = northwind_product(app, nth).await;
    let (buyer, _) = app.customer(&format!("{key}@example.com")).await;
    let order = buy(app, &buyer, &[(variant, 1)], key).await;
    let paid = mark_paid(app, admin, order["id"].as_str().unwrap()).await;
    let parcel = paid["fulfilments"][0]["id"].as_i64().unwrap();
    let (seller, _) = seller_token(app, "northwind-ceramics").await;
    deliver(app, &seller, parcel).await;
    (buyer, product)
}

async fn post_review(
    app: &TestApp,
    token: &str,
    product: i64,
    body: Value,
) -> crate::harness::TestResponse {
    app.post(&format!("/api/v1/store/products/{product}/reviews"))
        .bearer(token)
        .json(body)
        .send()
        .await
}

async fn product_rating(app: &TestApp, product: i64) -> Value {
    let found = app
        .get(&format!("/api/v1/store/products/{product}"))
        .send()
        .await;
    found.expect(StatusCode::OK)["rating"].clone()
}

#[tokio::test]
async fn only_a_buyer_who_received_the_product_reviews_it_once() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (buyer, product) = delivered_buyer(&app, &admin, "reviewer", 0).await;

    // Not signed in: 401. Signed in but never received it: 403.
    let anonymous = app
        .post(&format!("/api/v1/store/products/{product}/reviews"))
        .json(json!({"rating": 5, "title": "Lovely"}))
        .send()
        .await;
    anonymous.problem(StatusCode::UNAUTHORIZED);
    let (stranger, _) = app.customer("stranger@example.com").await;
    post_review(
        &app,
        &stranger,
        product,
        json!({"rating": 5, "title": "Lovely"}),
    )
    .await
    .problem(StatusCode::FORBIDDEN);

    // A buyer whose order is paid but not delivered may not either.
    let (variant, _) = northwind_product(&app, 0).await;
    let (waiting, _) = app.customer("waiting@example.com").await;
    let order = buy(&app, &waiting, &[(variant, 1)], "waiting").await;
    mark_paid(&app, &admin, order["id"].as_str().unwrap()).await;
    post_review(
        &app,
        &waiting,
        product,
        json!({"rating": 4, "title": "Fine"}),
    )
    .await
    .problem(StatusCode::FORBIDDEN);

    // Bad input changes nothing.
    let bad = post_review(&app, &buyer, product, json!({"rating": 6, "title": " "})).await;
    assert_eq!(
        bad.fields_of(StatusCode::UNPROCESSABLE_ENTITY),
        ["rating", "title"]
    );
    assert_eq!(product_rating(&app, product).await["count"], 0);

    let written = post_review(
        &app,
        &buyer,
        product,
        json!({"rating": 4, "title": "Sturdy mug", "body": "Keeps tea hot."}),
    )
    .await;
    let review = written.expect(StatusCode::CREATED).clone();
    assert_eq!(review["status"], "published");
    assert_eq!(review["author_name"], "Test C.");
    assert_eq!(
        product_rating(&app, product).await,
        json!({"count": 1, "average": 4.0})
    );

    // A second review of the same product: 409.
    let again = post_review(
        &app,
        &buyer,
        product,
        json!({"rating": 1, "title": "Again"}),
    )
    .await;
    assert_eq!(again.clash_fields(), ["product"]);

    // The author edits its review; someone else's is 404.
    let id = review["id"].as_i64().unwrap();
    let edited = app
        .put(&format!("/api/v1/store/reviews/{id}"))
        .bearer(&buyer)
        .json(json!({"rating": 2, "title": "Chipped after a week"}))
        .send()
        .await;
    assert_eq!(edited.expect(StatusCode::OK)["rating"], 2);
    app.put(&format!("/api/v1/store/reviews/{id}"))
        .bearer(&stranger)
        .json(json!({"rating": 5, "title": "Mine now"}))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);

    let listed = app
        .get(&format!("/api/v1/store/products/{product}/reviews"))
        .send()
        .await;
    let listed = listed.expect(StatusCode::OK);
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["title"], "Chipped after a week");
    assert_eq!(listed["summary"]["count"], 1);
    assert_eq!(
        listed["summary"]["distribution"][3],
        json!({"rating": 2, "count": 1})
    );
}

#[tokio::test]
async fn staff_moderate_and_the_rating_follows() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (first, product) = delivered_buyer(&app, &admin, "first", 0).await;
    post_review(
        &app,
        &first,
        product,
        json!({"rating": 5, "title": "Great"}),
    )
    .await
    .expect(StatusCode::CREATED);

    // Staff require approval: the next review waits.
    app.put("/api/v1/admin/review-settings")
        .bearer(&admin)
        .json(json!({"approval_required": true}))
        .send()
        .await
        .expect(StatusCode::OK);
    let (second, second_product) = delivered_buyer(&app, &admin, "second", 1).await;
    let waiting = post_review(
        &app,
        &second,
        second_product,
        json!({"rating": 1, "title": "Broke"}),
    )
    .await;
    let waiting = waiting.expect(StatusCode::CREATED).clone();
    assert_eq!(waiting["status"], "pending");
    assert_eq!(product_rating(&app, second_product).await["count"], 0);

    let pending = app
        .get("/api/v1/admin/reviews?status=pending")
        .bearer(&admin)
        .send()
        .await;
    let pending = pending.expect(StatusCode::OK);
    assert_eq!(pending["total"], 1);
    assert_eq!(pending["items"][0]["product_id"], second_product);

    // Publishing counts it; hiding the first takes it out.
    let id = waiting["id"].as_i64().unwrap();
    app.patch(&format!("/api/v1/admin/reviews/{id}"))
        .bearer(&admin)
        .json(json!({"status": "published"}))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(product_rating(&app, second_product).await["count"], 1);
    let first_id = app
        .get("/api/v1/admin/reviews?status=published")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK)["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["product_id"] == product)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.patch(&format!("/api/v1/admin/reviews/{first_id}"))
        .bearer(&admin)
        .json(json!({"status": "hidden"}))
        .send()
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        product_rating(&app, product).await,
        json!({"count": 0, "average": null})
    );
    let shown = app
        .get(&format!("/api/v1/store/products/{product}/reviews"))
        .send()
        .await;
    assert_eq!(shown.expect(StatusCode::OK)["total"], 0);

    // A customer may not moderate; pending is not a moderation.
    app.patch(&format!("/api/v1/admin/reviews/{first_id}"))
        .bearer(&first)
        .json(json!({"status": "published"}))
        .send()
        .await
        .problem(StatusCode::FORBIDDEN);
    let refused = app
        .patch(&format!("/api/v1/admin/reviews/{first_id}"))
        .bearer(&admin)
        .json(json!({"status": "pending"}))
        .send()
        .await;
    assert_eq!(
        refused.fields_of(StatusCode::UNPROCESSABLE_ENTITY),
        ["status"]
    );

    // The listing sorts by rating: the rated product comes first.
    let sorted = app
        .get("/api/v1/store/products?sort=rating&per_page=1")
        .send()
        .await;
    assert_eq!(
        sorted.expect(StatusCode::OK)["items"][0]["id"],
        second_product
    );
}

#[tokio::test]
async fn the_seller_replies_once_and_another_seller_cannot() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (buyer, product) = delivered_buyer(&app, &admin, "asker", 0).await;
    let review = post_review(&app, &buyer, product, json!({"rating": 3, "title": "Okay"})).await;
    let id = review.expect(StatusCode::CREATED)["id"].as_i64().unwrap();

    let (northwind, _) = seller_token(&app, "northwind-ceramics").await;
    let mine = app
        .get("/api/v1/seller/reviews")
        .bearer(&northwind)
        .send()
        .await;
    assert_eq!(mine.expect(StatusCode::OK)["total"], 1);

    // Another seller sees none of them and cannot answer: 404.
    let other_slug = app
        .get("/api/v1/admin/sellers?status=approved")
        .bearer(&admin)
        .send()
        .await
        .expect(StatusCode::OK)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].as_str().unwrap().to_owned())
        .find(|slug| slug != "northwind-ceramics")
        .expect("a second seller");
    let (other, _) = seller_token(&app, &other_slug).await;
    let theirs = app
        .get("/api/v1/seller/reviews")
        .bearer(&other)
        .send()
        .await;
    assert_eq!(theirs.expect(StatusCode::OK)["total"], 0);
    app.post(&format!("/api/v1/seller/reviews/{id}/reply"))
        .bearer(&other)
        .json(json!({"reply": "Not mine"}))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);

    // Staff do not answer for the seller.
    app.post(&format!("/api/v1/admin/reviews/{id}/reply"))
        .bearer(&admin)
        .json(json!({"reply": "From the shop"}))
        .send()
        .await
        .problem(StatusCode::CONFLICT);

    let answered = app
        .post(&format!("/api/v1/seller/reviews/{id}/reply"))
        .bearer(&northwind)
        .json(json!({"reply": "Sorry to hear; write to us."}))
        .send()
        .await;
    assert_eq!(
        answered.expect(StatusCode::OK)["reply"],
        "Sorry to hear; write to us."
    );
    let twice = app
        .post(&format!("/api/v1/seller/reviews/{id}/reply"))
        .bearer(&northwind)
        .json(json!({"reply": "Again"}))
        .send()
        .await;
    assert_eq!(twice.clash_fields(), ["reply"]);
}

#[tokio::test]
async fn the_product_page_shows_reviews_escaped_and_takes_the_form() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (buyer, product) = delivered_buyer(&app, &admin, "pagebuyer", 0).await;
    let slug = app
        .get(&format!("/api/v1/store/products/{product}"))
        .send()
        .await
        .expect(StatusCode::OK)["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    drop(buyer);

    let mut browser = Browser::new(&app);
    browser.sign_in("pagebuyer@example.com", PASSWORD).await;
    let page = browser.get(&format!("/products/{slug}")).await;
    assert!(page.text.contains("Write a review"), "{}", page.text);

    // A refused form comes back with what was typed.
    let refused = browser
        .post(
            &format!("/products/{slug}/reviews"),
            &[("title", "<b>no stars</b>"), ("body", "typed text")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text
            .contains("Choose a rating from one to five stars.")
    );
    assert!(refused.text.contains("&#60;b&#62;no stars&#60;/b&#62;"));
    assert!(refused.text.contains("typed text"));

    let posted = browser
        .post(
            &format!("/products/{slug}/reviews"),
            &[
                ("rating", "5"),
                ("title", "<script>alert(1)</script>"),
                ("body", "Best \"mug\" & saucer"),
            ],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER);
    assert_eq!(
        location(&posted).as_deref(),
        Some(format!("/products/{slug}#reviews").as_str())
    );
    let page = browser.get(&format!("/products/{slug}")).await;
    assert!(page.text.contains("Edit your review"));
    assert!(!page.text.contains("<script>alert(1)</script>"));
    assert!(
        page.text
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
    );
    assert!(page.text.contains("5.0 out of 5"));
    assert!(
        page.text.contains(
            r#""aggregateRating":{"@type":"AggregateRating","ratingValue":"5.0","reviewCount":1}"#
        ),
        "the product's structured data carries its rating"
    );

    // A visitor who bought nothing sees no form; a card shows the rating.
    let mut stranger = Browser::new(&app);
    let page = stranger.get(&format!("/products/{slug}")).await;
    assert!(!page.text.contains("Write a review"));
    assert!(page.text.contains("Sign in to review this product."));
    let listing = stranger.get("/products?sort=rating").await;
    assert!(listing.text.contains("(1)"), "{}", listing.text);
}

#[tokio::test]
async fn the_panels_moderate_and_answer_reviews() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (buyer, product) = delivered_buyer(&app, &admin, "panelbuyer", 0).await;
    let review = post_review(
        &app,
        &buyer,
        product,
        json!({"rating": 2, "title": "<i>Cracked</i>"}),
    )
    .await;
    let id = review.expect(StatusCode::CREATED)["id"].as_i64().unwrap();

    // The seller answers from its panel, once; the form is gone after.
    let (_, seller_email) = seller_token(&app, "northwind-ceramics").await;
    let mut seller = Browser::new(&app);
    seller.sign_in(&seller_email, PASSWORD).await;
    let list = seller.get("/seller/reviews").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.text.contains("&#60;i&#62;Cracked&#60;/i&#62;"));
    assert!(list.text.contains(&format!("/seller/reviews/{id}/reply")));
    let answered = seller
        .post(
            &format!("/seller/reviews/{id}/reply"),
            &[
                ("reply", "We will send a new one."),
                ("back", "/seller/reviews"),
            ],
        )
        .await;
    assert_eq!(location(&answered).as_deref(), Some("/seller/reviews"));
    let list = seller.get("/seller/reviews").await;
    assert!(list.text.contains("We will send a new one."));
    assert!(!list.text.contains(&format!("/seller/reviews/{id}/reply")));
    // A seller may not moderate.
    let refused = seller
        .post(
            &format!("/seller/reviews/{id}/status"),
            &[("status", "hidden")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Staff hide it from the admin panel; the product page no longer shows it.
    let mut staff = Browser::new(&app);
    staff.sign_in("staff@example.com", PASSWORD).await;
    let list = staff.get("/admin/reviews").await;
    assert!(list.text.contains("We will send a new one."));
    let hidden = staff
        .post(
            &format!("/admin/reviews/{id}/status"),
            &[("status", "hidden"), ("back", "//elsewhere.example")],
        )
        .await;
    assert_eq!(location(&hidden).as_deref(), Some("/admin/reviews"));
    let page = staff.get(&format!("/products/{product}")).await;
    assert!(!page.text.contains("Cracked"));
    let pending = staff.get("/admin/reviews?status=hidden").await;
    assert!(pending.text.contains("Cracked"));
}
