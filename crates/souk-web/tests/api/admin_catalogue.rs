//! Staff manage the catalogue: products, variants, stock and categories.

use crate::catalogue::{ids, listing};
use crate::harness::*;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const PRODUCTS: &str = "/api/v1/admin/products";
const CATEGORIES: &str = "/api/v1/admin/categories";

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post(PRODUCTS).bearer(token).json(body).send().await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body
}

async fn create_category(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post(CATEGORIES).bearer(token).json(body).send().await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.text);
    response.body
}

/// A product as staff see it.
async fn product(app: &TestApp, token: &str, id: i64) -> Value {
    let response = app
        .get(&format!("{PRODUCTS}/{id}"))
        .bearer(token)
        .send()
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body
}

/// How many products there are in any status.
async fn product_count(app: &TestApp, token: &str) -> u64 {
    let response = app
        .get(&format!("{PRODUCTS}?per_page=1"))
        .bearer(token)
        .send()
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body["total"].as_u64().unwrap()
}

async fn movements(app: &TestApp, token: &str, variant: i64) -> Value {
    let response = app
        .get(&format!("/api/v1/admin/variants/{variant}/stock"))
        .bearer(token)
        .send()
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response.body
}

/// The id of the signed-in account.
async fn my_id(app: &TestApp, token: &str) -> i64 {
    let me = app.get("/api/v1/store/me").bearer(token).send().await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    me.body["id"].as_i64().unwrap()
}

/// A second-level category of the demo shop: (id, slug).
async fn demo_category(app: &TestApp) -> (i64, String) {
    let tree = app.get("/api/v1/store/categories").send().await;
    let child = &tree.body[0]["children"][0];
    (
        child["id"].as_i64().unwrap(),
        child["slug"].as_str().unwrap().to_owned(),
    )
}

fn sorted(mut fields: Vec<String>) -> Vec<String> {
    fields.sort();
    fields
}

#[tokio::test]
async fn admin_endpoints_refuse_anonymous_callers_and_customers() {
    let app = TestApp::with_demo().await;
    let (customer, _) = app.customer("shopper@example.com").await;
    let victim = listing(&app, "").await[0].clone();
    let id = victim["id"].as_i64().unwrap();
    let detail = app
        .get(&format!("/api/v1/store/products/{id}"))
        .send()
        .await;
    let variant = detail.body["variants"][0]["id"].as_i64().unwrap();
    let category = victim["category_id"].as_i64().unwrap();
    let product_body =
        json!({"name": "Sneaky", "variants": [{"sku": "SNEAKY-1", "price": 100, "stock": 1}]});

    let calls: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", PRODUCTS.to_owned(), None),
        ("POST", PRODUCTS.to_owned(), Some(product_body.clone())),
        ("GET", format!("{PRODUCTS}/{id}"), None),
        (
            "PATCH",
            format!("{PRODUCTS}/{id}"),
            Some(json!({"name": "Hijacked"})),
        ),
        ("DELETE", format!("{PRODUCTS}/{id}"), None),
        (
            "POST",
            format!("{PRODUCTS}/{id}/variants"),
            Some(json!({"sku": "SNEAKY-2", "price": 1})),
        ),
        (
            "PATCH",
            format!("/api/v1/admin/variants/{variant}"),
            Some(json!({"price": 1})),
        ),
        ("DELETE", format!("/api/v1/admin/variants/{variant}"), None),
        (
            "POST",
            format!("/api/v1/admin/variants/{variant}/stock"),
            Some(json!({"delta": 100, "reason": "free"})),
        ),
        (
            "GET",
            format!("/api/v1/admin/variants/{variant}/stock"),
            None,
        ),
        ("GET", CATEGORIES.to_owned(), None),
        (
            "POST",
            CATEGORIES.to_owned(),
            Some(json!({"name": "Sneaky"})),
        ),
        (
            "PATCH",
            format!("{CATEGORIES}/{category}"),
            Some(json!({"name": "Hijacked"})),
        ),
        ("DELETE", format!("{CATEGORIES}/{category}"), None),
    ];
    for (method, path, body) in &calls {
        for (token, status) in [
            (None, StatusCode::UNAUTHORIZED),
            (Some("not-a-token"), StatusCode::UNAUTHORIZED),
            (Some(customer.as_str()), StatusCode::FORBIDDEN),
        ] {
            let mut call = match *method {
                "GET" => app.get(path),
                "POST" => app.post(path),
                "PATCH" => app.patch(path),
                _ => app.delete(path),
            };
            if let Some(token) = token {
                call = call.bearer(token);
            }
            if let Some(body) = body {
                call = call.json(body.clone());
            }
            let response = call.send().await;
            assert_eq!(
                response.status, status,
                "{method} {path} with {token:?}: {}",
                response.text
            );
            response.problem(status);
            if status == StatusCode::UNAUTHORIZED {
                assert_eq!(
                    response.headers.get("www-authenticate").unwrap(),
                    "Bearer",
                    "{method} {path}"
                );
            }
        }
    }

    // Nothing that was refused happened.
    let after = app
        .get(&format!("/api/v1/store/products/{id}"))
        .send()
        .await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.text);
    assert_eq!(after.body, detail.body);
    let admin = app.admin().await;
    assert_eq!(
        product_count(&app, &admin).await,
        listing(&app, "").await.len() as u64
    );
    let tree = app.get(CATEGORIES).bearer(&admin).send().await;
    assert!(!tree.text.contains("Sneaky") && !tree.text.contains("Hijacked"));
}

#[tokio::test]
async fn created_product_has_its_variants_and_sells_once_active() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (category, category_slug) = demo_category(&app).await;
    let seller = listing(&app, "seller=northwind-ceramics").await[0]["seller"].clone();

    let created = create(
        &app,
        &admin,
        json!({
            "name": "Harbour Linen Apron",
            "description": "A full apron in heavy washed linen.",
            "category_id": category,
            "seller_id": seller["id"],
            "variants": [
                {"sku": "APRON-NAT", "options": {"colour": "Natural"}, "price": 2400, "stock": 7},
                {"sku": "apron-char", "options": {"Colour": "Charcoal"}, "price": {"amount": 2600, "currency": "usd"}},
            ],
        }),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["slug"], "harbour-linen-apron");
    assert_eq!(created["name"], "Harbour Linen Apron");
    assert_eq!(
        created["description"],
        "A full apron in heavy washed linen."
    );
    assert_eq!(created["status"], "draft", "new products are drafts");
    assert_eq!(created["category"]["id"], category);
    assert_eq!(created["category"]["slug"], category_slug.as_str());
    assert_eq!(created["seller"], seller);
    assert_eq!(created["price"], json!({"amount": 2400, "currency": "USD"}));
    assert_eq!(
        created["max_price"],
        json!({"amount": 2600, "currency": "USD"})
    );
    assert_eq!(created["in_stock"], true);

    let variants = created["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    let variant_ids: BTreeSet<i64> = variants
        .iter()
        .map(|v| v["id"].as_i64().expect("variant id"))
        .collect();
    assert_eq!(variant_ids.len(), 2);
    assert_eq!(variants[0]["sku"], "APRON-NAT");
    assert_eq!(variants[0]["options"], json!({"colour": "Natural"}));
    assert_eq!(
        (
            variants[0]["stock_on_hand"].as_i64(),
            variants[0]["stock_available"].as_i64()
        ),
        (Some(7), Some(7))
    );
    assert_eq!(variants[1]["sku"], "APRON-CHAR", "SKUs are upper-cased");
    assert_eq!(
        variants[1]["options"],
        json!({"colour": "Charcoal"}),
        "option names are lower-cased"
    );
    assert_eq!(
        variants[1]["price"],
        json!({"amount": 2600, "currency": "USD"})
    );
    assert_eq!(
        (
            variants[1]["stock_on_hand"].as_i64(),
            variants[1]["stock_available"].as_i64()
        ),
        (Some(0), Some(0))
    );
    assert_eq!(product(&app, &admin, id).await, created);

    // A draft is not for sale.
    let store = format!("/api/v1/store/products/{id}");
    app.get(&store).send().await.problem(StatusCode::NOT_FOUND);
    assert!(!ids(&listing(&app, &format!("category={category}")).await).contains(&id));

    let active = app
        .patch(&format!("{PRODUCTS}/{id}"))
        .bearer(&admin)
        .json(json!({"status": "active"}))
        .send()
        .await;
    assert_eq!(active.status, StatusCode::OK, "{}", active.text);
    let shown = app.get(&store).send().await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    let shown_variants = shown.body["variants"].as_array().unwrap();
    assert_eq!(
        shown_variants
            .iter()
            .map(|v| v["id"].as_i64().unwrap())
            .collect::<BTreeSet<_>>(),
        variant_ids
    );
    assert_eq!(shown_variants[0]["stock_available"], 7);
    assert_eq!(shown_variants[1]["stock_available"], 0);
    assert!(
        shown_variants
            .iter()
            .all(|v| v.get("stock_on_hand").is_none())
    );
    for query in [
        format!("category={category}"),
        format!("seller={}", seller["slug"].as_str().unwrap()),
    ] {
        assert!(ids(&listing(&app, &query).await).contains(&id), "{query}");
    }
    let by_slug = app
        .get("/api/v1/store/products/harbour-linen-apron")
        .send()
        .await;
    assert_eq!(by_slug.body["id"], id);

    // A second product of the same name gets a slug of its own.
    let twin = create(
        &app,
        &admin,
        json!({"name": "Harbour Linen Apron", "variants": [{"sku": "APRON-2", "price": 1}]}),
    )
    .await;
    assert_eq!(twin["slug"], "harbour-linen-apron-2");
    assert!(twin["category"].is_null() && twin["seller"].is_null());
    assert_eq!(twin["in_stock"], false);
}

#[tokio::test]
async fn refused_products_name_the_field_and_create_nothing() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    create(
        &app,
        &admin,
        json!({"name": "Taken", "variants": [{"sku": "TAKEN-1", "price": 100}]}),
    )
    .await;
    let before = product_count(&app, &admin).await;

    let one = |sku: &str| json!({"sku": sku, "price": 1000, "stock": 1});
    let cases = [
        (
            json!({"name": "", "variants": [one("A-1")]}),
            vec!["name"],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "   ", "variants": [one("A-1")]}),
            vec!["name"],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "No Variants", "variants": []}),
            vec!["variants"],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "Twice", "variants": [
                {"sku": "DUP-1", "options": {"size": "S"}, "price": 100},
                {"sku": "dup-1", "options": {"size": "M"}, "price": 100},
            ]}),
            vec!["variants[1].sku"],
            StatusCode::CONFLICT,
        ),
        (
            json!({"name": "Reused", "variants": [
                {"sku": "FREE-1", "options": {"size": "S"}, "price": 100},
                {"sku": "taken-1", "options": {"size": "M"}, "price": 100},
            ]}),
            vec!["variants[1].sku"],
            StatusCode::CONFLICT,
        ),
        (
            json!({"name": "Same Options", "variants": [
                {"sku": "SAME-1", "options": {"size": "S"}, "price": 100},
                {"sku": "SAME-2", "options": {"Size": "S"}, "price": 100},
            ]}),
            vec!["variants[1].options"],
            StatusCode::CONFLICT,
        ),
        (
            json!({"name": "Bad SKU", "variants": [one("has space")]}),
            vec!["variants[0].sku"],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "Negative", "variants": [{"sku": "NEG-1", "price": -1}]}),
            vec!["variants[0].price"],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "Euro", "variants": [{"sku": "EUR-1", "price": {"amount": 1000, "currency": "EUR"}}]}),
            vec!["variants[0].price"],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "Minus Stock", "variants": [{"sku": "STOCK-1", "price": 100, "stock": -1}]}),
            vec!["variants[0].stock"],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "Nowhere", "category_id": 999999, "variants": [one("CAT-1")]}),
            vec!["category_id"],
            StatusCode::CONFLICT,
        ),
        (
            json!({"name": "Nobody's", "seller_id": 999999, "variants": [one("SELL-1")]}),
            vec!["seller_id"],
            StatusCode::CONFLICT,
        ),
        (
            json!({"name": "Published", "status": "published", "variants": [one("STAT-1")]}),
            vec!["status"],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "Bad Slug", "slug": "Not A Slug", "variants": [one("SLUG-1")]}),
            vec!["slug"],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"name": "", "category_id": 999999, "variants": [{"sku": "", "price": -5, "stock": -1}]}),
            vec![
                "name",
                "variants[0].price",
                "variants[0].sku",
                "variants[0].stock",
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (body, fields, status) in cases {
        let response = app
            .post(PRODUCTS)
            .bearer(&admin)
            .json(body.clone())
            .send()
            .await;
        assert_eq!(
            sorted(response.fields_of(status)),
            fields,
            "{body}: {}",
            response.text
        );
    }
    assert_eq!(
        product_count(&app, &admin).await,
        before,
        "a refused request created a product"
    );

    // The SKUs of refused requests were not kept.
    let ok = create(
        &app,
        &admin,
        json!({"name": "Afterwards", "variants": [
            {"sku": "DUP-1", "options": {"size": "S"}, "price": 100},
            {"sku": "FREE-1", "options": {"size": "M"}, "price": 100},
            {"sku": "NEG-1", "options": {"size": "L"}, "price": 100},
        ]}),
    )
    .await;
    assert_eq!(ok["variants"].as_array().unwrap().len(), 3);
    assert_eq!(product_count(&app, &admin).await, before + 1);
}

#[tokio::test]
async fn patch_changes_fields_and_ignores_unknown_ones() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (category, _) = demo_category(&app).await;
    let created = create(
        &app,
        &admin,
        json!({"name": "Plain Mug", "category_id": category, "variants": [{"sku": "MUG-1", "price": 1800, "stock": 3}]}),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let path = format!("{PRODUCTS}/{id}");

    let patched = app
        .patch(&path)
        .bearer(&admin)
        .json(json!({
            "name": "Speckled Espresso Mug",
            "status": "active",
            "units_sold": 999999,
            "total": 1,
            "id": 1,
            "in_stock": false,
            "price": {"amount": 1, "currency": "USD"},
            "created_at": "2000-01-01T00:00:00Z",
        }))
        .send()
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    let p = &patched.body;
    assert_eq!(p["name"], "Speckled Espresso Mug");
    assert_eq!(p["status"], "active");
    for key in [
        "id",
        "slug",
        "description",
        "price",
        "max_price",
        "in_stock",
        "category",
        "variants",
        "created_at",
    ] {
        assert_eq!(p[key], created[key], "{key} changed");
    }
    assert_eq!(product(&app, &admin, id).await, patched.body);

    // units_sold was not taken: the product is not the best seller.
    let popular = app
        .get("/api/v1/store/products?sort=popular&per_page=5")
        .send()
        .await;
    assert_eq!(popular.status, StatusCode::OK, "{}", popular.text);
    assert!(
        !ids(popular.body["items"].as_array().unwrap()).contains(&id),
        "{}",
        popular.text
    );
    let store = app
        .get(&format!("/api/v1/store/products/{id}"))
        .send()
        .await;
    assert_eq!(store.body["name"], "Speckled Espresso Mug");

    let slug = app
        .patch(&path)
        .bearer(&admin)
        .json(json!({"slug": "espresso-mug"}))
        .send()
        .await;
    assert_eq!(slug.status, StatusCode::OK, "{}", slug.text);
    assert_eq!(slug.body["slug"], "espresso-mug");
    assert_eq!(
        app.get("/api/v1/store/products/espresso-mug")
            .send()
            .await
            .body["id"],
        id
    );
    app.get("/api/v1/store/products/plain-mug")
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);

    let taken = listing(&app, "")
        .await
        .into_iter()
        .find(|p| p["id"] != id)
        .unwrap()["slug"]
        .clone();
    let before = product(&app, &admin, id).await;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let clash = StatusCode::CONFLICT;
    for (body, field, status) in [
        (json!({"status": "published"}), "status", invalid),
        (json!({"name": ""}), "name", invalid),
        (json!({"slug": taken}), "slug", clash),
        (json!({"slug": "Bad Slug"}), "slug", invalid),
        (json!({"slug": ""}), "slug", invalid),
        (
            json!({"name": "Fine", "category_id": 999999}),
            "category_id",
            clash,
        ),
        (json!({"seller_id": 999999}), "seller_id", clash),
    ] {
        let response = app
            .patch(&path)
            .bearer(&admin)
            .json(body.clone())
            .send()
            .await;
        assert_eq!(response.fields_of(status), [field], "{body}");
    }
    assert_eq!(
        product(&app, &admin, id).await,
        before,
        "a refused patch changed the product"
    );

    for missing in ["999999", "abc"] {
        let response = app
            .patch(&format!("{PRODUCTS}/{missing}"))
            .bearer(&admin)
            .json(json!({"name": "X"}))
            .send()
            .await;
        response.problem(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn patch_with_null_clears_category_and_seller() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (category, slug) = demo_category(&app).await;
    let seller = listing(&app, "seller=copper-kettle-tea").await[0]["seller"].clone();
    let created = create(
        &app,
        &admin,
        json!({
            "name": "Filed Teapot",
            "status": "active",
            "category_id": category,
            "seller_id": seller["id"],
            "variants": [{"sku": "POT-1", "price": 3000, "stock": 2}],
        }),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let path = format!("{PRODUCTS}/{id}");
    assert!(ids(&listing(&app, &format!("category={slug}")).await).contains(&id));

    // Leaving a field out keeps it.
    let kept = app
        .patch(&path)
        .bearer(&admin)
        .json(json!({"description": "Cast iron."}))
        .send()
        .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.text);
    assert_eq!(kept.body["category"]["id"], category);
    assert_eq!(kept.body["seller"], seller);
    assert_eq!(kept.body["description"], "Cast iron.");

    let cleared = app
        .patch(&path)
        .bearer(&admin)
        .json(json!({"category_id": null}))
        .send()
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.text);
    assert!(cleared.body["category"].is_null(), "{}", cleared.text);
    assert_eq!(
        cleared.body["seller"], seller,
        "only the category was cleared"
    );
    assert!(product(&app, &admin, id).await["category"].is_null());
    assert!(!ids(&listing(&app, &format!("category={slug}")).await).contains(&id));
    let card = listing(&app, "")
        .await
        .into_iter()
        .find(|p| p["id"] == id)
        .unwrap();
    assert!(card["category_id"].is_null());

    let own = app
        .patch(&path)
        .bearer(&admin)
        .json(json!({"seller_id": null}))
        .send()
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    assert!(own.body["seller"].is_null());
    assert!(!ids(&listing(&app, "seller=copper-kettle-tea").await).contains(&id));

    let back = app
        .patch(&path)
        .bearer(&admin)
        .json(json!({"category_id": category}))
        .send()
        .await;
    assert_eq!(back.body["category"]["id"], category);
}

#[tokio::test]
async fn stock_adjustments_are_recorded_with_reason_and_actor() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let admin_id = my_id(&app, &admin).await;
    let created = create(
        &app,
        &admin,
        json!({"name": "Counted Candle", "status": "active", "variants": [{"sku": "CANDLE-1", "price": 900, "stock": 2}]}),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let variant = created["variants"][0]["id"].as_i64().unwrap();
    let stock = format!("/api/v1/admin/variants/{variant}/stock");

    let added = app
        .post(&stock)
        .bearer(&admin)
        .json(json!({"delta": 5, "reason": "delivery from supplier"}))
        .send()
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.text);
    assert_eq!(added.body["id"], variant);
    assert_eq!(
        (
            added.body["stock_on_hand"].as_i64(),
            added.body["stock_available"].as_i64()
        ),
        (Some(7), Some(7))
    );

    let removed = app
        .post(&stock)
        .bearer(&admin)
        .json(json!({"delta": -3, "reason": "damaged in transit"}))
        .send()
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.text);
    assert_eq!(
        (
            removed.body["stock_on_hand"].as_i64(),
            removed.body["stock_available"].as_i64()
        ),
        (Some(4), Some(4))
    );

    let store = app
        .get(&format!("/api/v1/store/products/{id}"))
        .send()
        .await;
    assert_eq!(store.body["variants"][0]["stock_available"], 4);
    assert_eq!(store.body["in_stock"], true);

    let list = movements(&app, &admin, variant).await;
    assert_eq!(list["total"], 3);
    let items = list["items"].as_array().unwrap();
    let seen: Vec<(i64, i64, &str)> = items
        .iter()
        .map(|m| {
            (
                m["delta"].as_i64().unwrap(),
                m["stock_after"].as_i64().unwrap(),
                m["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (-3, 4, "damaged in transit"),
            (5, 7, "delivery from supplier"),
            (2, 2, "opening stock")
        ]
    );
    for m in items {
        assert_eq!(m["actor_id"], admin_id, "{m}");
        assert_eq!(m["variant_id"], variant, "{m}");
        assert!(m["id"].is_i64() && m["created_at"].is_string(), "{m}");
    }

    // More than is on hand: refused, and nothing changes.
    let too_many = app
        .post(&stock)
        .bearer(&admin)
        .json(json!({"delta": -5, "reason": "stocktake"}))
        .send()
        .await;
    too_many.problem(StatusCode::CONFLICT);
    for (body, field) in [
        (json!({"delta": 0, "reason": "nothing"}), "delta"),
        (
            json!({"delta": 2_000_000_000i64, "reason": "too much"}),
            "delta",
        ),
        (json!({"delta": 1, "reason": ""}), "reason"),
        (json!({"delta": 1, "reason": "   "}), "reason"),
    ] {
        let response = app
            .post(&stock)
            .bearer(&admin)
            .json(body.clone())
            .send()
            .await;
        assert_eq!(response.error_fields(), [field], "{body}");
    }
    assert_eq!(
        product(&app, &admin, id).await["variants"][0]["stock_on_hand"],
        4
    );
    assert_eq!(movements(&app, &admin, variant).await["total"], 3);

    let unknown = app
        .post("/api/v1/admin/variants/999999/stock")
        .bearer(&admin)
        .json(json!({"delta": 1, "reason": "x"}))
        .send()
        .await;
    unknown.problem(StatusCode::NOT_FOUND);
    app.get("/api/v1/admin/variants/999999/stock")
        .bearer(&admin)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);

    // Selling out takes the product out of stock.
    let emptied = app
        .post(&stock)
        .bearer(&admin)
        .json(json!({"delta": -4, "reason": "stocktake"}))
        .send()
        .await;
    assert_eq!(emptied.status, StatusCode::OK, "{}", emptied.text);
    assert_eq!(emptied.body["stock_available"], 0);
    let store = app
        .get(&format!("/api/v1/store/products/{id}"))
        .send()
        .await;
    assert_eq!(store.body["in_stock"], false);
    assert_eq!(
        ids(&listing(&app, "in_stock=false").await),
        BTreeSet::from([id])
    );
    assert!(listing(&app, "in_stock=true").await.is_empty());

    let page = app
        .get(&format!("{stock}?per_page=2&page=2"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert_eq!(page.body["total"], 4);
    let reasons: Vec<&str> = page.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["delivery from supplier", "opening stock"]);
    assert_eq!(
        app.get(&format!("{stock}?per_page=101"))
            .bearer(&admin)
            .send()
            .await
            .error_fields(),
        ["per_page"]
    );
}

#[tokio::test]
async fn variants_are_added_updated_and_the_last_one_kept() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let created = create(
        &app,
        &admin,
        json!({"name": "Oak Board", "status": "active",
               "variants": [{"sku": "BOARD-S", "options": {"size": "S"}, "price": 2000, "stock": 1}]}),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let small = created["variants"][0]["id"].as_i64().unwrap();
    let add = format!("{PRODUCTS}/{id}/variants");

    let added = app
        .post(&add)
        .bearer(&admin)
        .json(json!({"sku": "board-l", "options": {"size": "L"}, "price": 3500, "stock": 4}))
        .send()
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    assert_eq!(added.body["id"], id);
    let variants = added.body["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    let large = variants[1]["id"].as_i64().unwrap();
    assert_ne!(large, small);
    assert_eq!(variants[1]["sku"], "BOARD-L");
    assert_eq!(
        (
            variants[1]["stock_on_hand"].as_i64(),
            variants[1]["stock_available"].as_i64()
        ),
        (Some(4), Some(4))
    );
    assert_eq!(
        (
            added.body["price"]["amount"].as_i64(),
            added.body["max_price"]["amount"].as_i64()
        ),
        (Some(2000), Some(3500))
    );
    assert_eq!(
        movements(&app, &admin, large).await["items"][0]["reason"],
        "opening stock"
    );

    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let clash = StatusCode::CONFLICT;
    for (body, field, status) in [
        (
            json!({"sku": "BOARD-S", "options": {"size": "M"}, "price": 100}),
            "sku",
            clash,
        ),
        (
            json!({"sku": "BOARD-M", "options": {"Size": "S"}, "price": 100}),
            "options",
            clash,
        ),
        (
            json!({"sku": "BOARD-M", "options": {"size": "M"}, "price": -1}),
            "price",
            invalid,
        ),
        (
            json!({"sku": "BOARD-M", "options": {"size": "M"}, "price": {"amount": 100, "currency": "EUR"}}),
            "price",
            invalid,
        ),
        (
            json!({"sku": "BOARD-M", "options": {"size": "M"}, "price": 100, "stock": -1}),
            "stock",
            invalid,
        ),
    ] {
        let response = app
            .post(&add)
            .bearer(&admin)
            .json(body.clone())
            .send()
            .await;
        assert_eq!(response.fields_of(status), [field], "{body}");
    }
    let missing = app
        .post(&format!("{PRODUCTS}/999999/variants"))
        .bearer(&admin)
        .json(json!({"sku": "X-1", "price": 1}))
        .send()
        .await;
    missing.problem(StatusCode::NOT_FOUND);
    assert_eq!(
        product(&app, &admin, id).await["variants"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // A cheaper variant lowers the product's price everywhere.
    let cheaper = app
        .patch(&format!("/api/v1/admin/variants/{small}"))
        .bearer(&admin)
        .json(json!({"price": 1500}))
        .send()
        .await;
    assert_eq!(cheaper.status, StatusCode::OK, "{}", cheaper.text);
    assert_eq!(cheaper.body["id"], small);
    assert_eq!(
        cheaper.body["price"],
        json!({"amount": 1500, "currency": "USD"})
    );
    assert_eq!(cheaper.body["sku"], "BOARD-S");
    let p = product(&app, &admin, id).await;
    assert_eq!(
        (
            p["price"]["amount"].as_i64(),
            p["max_price"]["amount"].as_i64()
        ),
        (Some(1500), Some(3500))
    );
    assert_eq!(
        ids(&listing(&app, "max_price=1500").await),
        BTreeSet::from([id])
    );
    assert!(listing(&app, "min_price=1600").await.is_empty());

    let large_path = format!("/api/v1/admin/variants/{large}");
    let cheapest = app
        .patch(&large_path)
        .bearer(&admin)
        .json(json!({"price": {"amount": 999, "currency": "USD"}}))
        .send()
        .await;
    assert_eq!(cheapest.status, StatusCode::OK, "{}", cheapest.text);
    let card = listing(&app, "").await.remove(0);
    assert_eq!(
        (
            card["price"]["amount"].as_i64(),
            card["max_price"]["amount"].as_i64()
        ),
        (Some(999), Some(1500))
    );

    for (body, field, status) in [
        (json!({"sku": "board-s"}), "sku", StatusCode::CONFLICT),
        (
            json!({"price": -1}),
            "price",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"price": {"amount": 100, "currency": "GBP"}}),
            "price",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let response = app
            .patch(&large_path)
            .bearer(&admin)
            .json(body.clone())
            .send()
            .await;
        assert_eq!(response.fields_of(status), [field], "{body}");
    }
    app.patch("/api/v1/admin/variants/999999")
        .bearer(&admin)
        .json(json!({"price": 1}))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);

    let deleted = app.delete(&large_path).bearer(&admin).send().await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    let p = product(&app, &admin, id).await;
    assert_eq!(p["variants"].as_array().unwrap().len(), 1);
    assert_eq!(
        (
            p["price"]["amount"].as_i64(),
            p["max_price"]["amount"].as_i64()
        ),
        (Some(1500), Some(1500))
    );
    app.get(&format!("{large_path}/stock"))
        .bearer(&admin)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);

    let last = app
        .delete(&format!("/api/v1/admin/variants/{small}"))
        .bearer(&admin)
        .send()
        .await;
    last.problem(StatusCode::CONFLICT);
    assert_eq!(product(&app, &admin, id).await["variants"][0]["id"], small);
    let store = app
        .get(&format!("/api/v1/store/products/{id}"))
        .send()
        .await;
    assert_eq!(store.status, StatusCode::OK, "{}", store.text);
    assert_eq!(store.body["variants"].as_array().unwrap().len(), 1);
    app.delete("/api/v1/admin/variants/999999")
        .bearer(&admin)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn categories_nest_two_levels_and_keep_their_children() {
    let app = TestApp::new().await;
    let admin = app.admin().await;

    let garden = create_category(
        &app,
        &admin,
        json!({"name": "Garden", "description": "Outside."}),
    )
    .await;
    assert_eq!(garden["slug"], "garden");
    assert!(garden["parent_id"].is_null());
    assert_eq!(garden["children"], json!([]));
    assert_eq!(garden["description"], "Outside.");
    let garden_id = garden["id"].as_i64().unwrap();
    let kitchen = create_category(
        &app,
        &admin,
        json!({"name": "Kitchen", "slug": "the-kitchen", "position": 1}),
    )
    .await;
    assert_eq!(
        (kitchen["slug"].as_str(), kitchen["position"].as_i64()),
        (Some("the-kitchen"), Some(1))
    );
    let kitchen_id = kitchen["id"].as_i64().unwrap();
    let tools = create_category(
        &app,
        &admin,
        json!({"name": "Hand Tools", "parent_id": garden_id}),
    )
    .await;
    assert_eq!(
        (tools["slug"].as_str(), tools["parent_id"].as_i64()),
        (Some("hand-tools"), Some(garden_id))
    );
    let tools_id = tools["id"].as_i64().unwrap();

    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let clash = StatusCode::CONFLICT;
    for (body, field, status) in [
        (
            json!({"name": "Trowels", "parent_id": tools_id}),
            "parent_id",
            clash,
        ),
        (
            json!({"name": "Orphans", "parent_id": 999999}),
            "parent_id",
            clash,
        ),
        (json!({"name": "Garden"}), "slug", clash),
        (
            json!({"name": "Other", "slug": "hand-tools"}),
            "slug",
            clash,
        ),
        (
            json!({"name": "Other", "slug": "Not Valid"}),
            "slug",
            invalid,
        ),
        (json!({"name": "Other", "slug": ""}), "slug", invalid),
        (json!({"name": ""}), "name", invalid),
    ] {
        let response = app
            .post(CATEGORIES)
            .bearer(&admin)
            .json(body.clone())
            .send()
            .await;
        assert_eq!(
            response.fields_of(status),
            [field],
            "{body}: {}",
            response.text
        );
    }

    let tree = app.get(CATEGORIES).bearer(&admin).send().await;
    assert_eq!(tree.status, StatusCode::OK, "{}", tree.text);
    let shape: Vec<(String, Vec<String>)> = tree
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let children = c["children"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k["slug"].as_str().unwrap().to_owned());
            (c["slug"].as_str().unwrap().to_owned(), children.collect())
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("garden".to_owned(), vec!["hand-tools".to_owned()]),
            ("the-kitchen".to_owned(), vec![])
        ]
    );
    assert_eq!(
        app.get("/api/v1/store/categories").send().await.body,
        tree.body
    );

    let tools_path = format!("{CATEGORIES}/{tools_id}");
    let renamed = app
        .patch(&tools_path)
        .bearer(&admin)
        .json(json!({"name": "Tools", "slug": "tools", "description": "Spades and forks.", "position": 2}))
        .send()
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "Tools");
    assert_eq!(renamed.body["slug"], "tools");
    assert_eq!(renamed.body["description"], "Spades and forks.");
    assert_eq!(renamed.body["position"], 2);
    assert_eq!(
        renamed.body["parent_id"], garden_id,
        "the parent stays when not given"
    );

    let garden_path = format!("{CATEGORIES}/{garden_id}");
    let kitchen_path = format!("{CATEGORIES}/{kitchen_id}");
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let clash = StatusCode::CONFLICT;
    for (path, body, field, status) in [
        (
            &garden_path,
            json!({"parent_id": kitchen_id}),
            "parent_id",
            clash,
        ),
        (
            &kitchen_path,
            json!({"parent_id": tools_id}),
            "parent_id",
            clash,
        ),
        (
            &kitchen_path,
            json!({"parent_id": kitchen_id}),
            "parent_id",
            clash,
        ),
        (&kitchen_path, json!({"slug": "garden"}), "slug", clash),
        (&kitchen_path, json!({"slug": ""}), "slug", invalid),
        (&kitchen_path, json!({"name": ""}), "name", invalid),
    ] {
        let response = app
            .patch(path)
            .bearer(&admin)
            .json(body.clone())
            .send()
            .await;
        assert_eq!(response.fields_of(status), [field], "{path} {body}");
    }
    app.patch(&format!("{CATEGORIES}/999999"))
        .bearer(&admin)
        .json(json!({"name": "X"}))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);

    // A product in the category that goes becomes uncategorised.
    let product_id = create(
        &app,
        &admin,
        json!({"name": "Spade", "status": "active", "category_id": tools_id, "variants": [{"sku": "SPADE-1", "price": 2500}]}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        ids(&listing(&app, "category=garden").await),
        BTreeSet::from([product_id])
    );

    app.delete(&garden_path)
        .bearer(&admin)
        .send()
        .await
        .problem(StatusCode::CONFLICT);
    let still = app.get(CATEGORIES).bearer(&admin).send().await;
    assert_eq!(still.body[0]["id"], garden_id);
    assert_eq!(still.body[0]["children"][0]["id"], tools_id);

    // Moving a subcategory to another top-level category is fine.
    let moved = app
        .patch(&tools_path)
        .bearer(&admin)
        .json(json!({"parent_id": kitchen_id}))
        .send()
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.text);
    assert_eq!(moved.body["parent_id"], kitchen_id);
    assert!(listing(&app, "category=garden").await.is_empty());
    assert_eq!(
        ids(&listing(&app, "category=the-kitchen").await),
        BTreeSet::from([product_id])
    );

    let deleted = app.delete(&tools_path).bearer(&admin).send().await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    assert!(product(&app, &admin, product_id).await["category"].is_null());
    app.get("/api/v1/store/products?category=tools")
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);

    let deleted = app.delete(&garden_path).bearer(&admin).send().await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    app.delete(&garden_path)
        .bearer(&admin)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    let left = app.get(CATEGORIES).bearer(&admin).send().await;
    assert_eq!(left.body.as_array().unwrap().len(), 1);
    assert_eq!(left.body[0]["id"], kitchen_id);
    assert_eq!(left.body[0]["children"], json!([]));
}

#[tokio::test]
async fn deleted_product_is_gone_with_its_variants() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let before = product_count(&app, &admin).await;
    let created = create(
        &app,
        &admin,
        json!({"name": "Short-Lived Stool", "status": "active", "variants": [
            {"sku": "STOOL-1", "options": {"height": "45"}, "price": 7000, "stock": 3},
            {"sku": "STOOL-2", "options": {"height": "65"}, "price": 7500, "stock": 1},
        ]}),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let variant = created["variants"][0]["id"].as_i64().unwrap();
    assert_eq!(product_count(&app, &admin).await, before + 1);

    let deleted = app
        .delete(&format!("{PRODUCTS}/{id}"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    assert!(deleted.text.is_empty());

    app.get(&format!("{PRODUCTS}/{id}"))
        .bearer(&admin)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&format!("/api/v1/store/products/{id}"))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get("/api/v1/store/products/short-lived-stool")
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.delete(&format!("{PRODUCTS}/{id}"))
        .bearer(&admin)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.get(&format!("/api/v1/admin/variants/{variant}/stock"))
        .bearer(&admin)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    app.post(&format!("/api/v1/admin/variants/{variant}/stock"))
        .bearer(&admin)
        .json(json!({"delta": 1, "reason": "ghost"}))
        .send()
        .await
        .problem(StatusCode::NOT_FOUND);
    assert_eq!(product_count(&app, &admin).await, before);
    assert!(!ids(&listing(&app, "").await).contains(&id));

    // Its SKUs and slug are free again.
    let again = create(
        &app,
        &admin,
        json!({"name": "Short-Lived Stool", "variants": [{"sku": "STOOL-1", "price": 7000}, {"sku": "stool-2", "options": {"x": "y"}, "price": 1}]}),
    )
    .await;
    assert_eq!(again["slug"], "short-lived-stool");
}

#[tokio::test]
async fn admin_listing_shows_every_status() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let store_total = listing(&app, "").await.len() as u64;
    let draft = create(
        &app,
        &admin,
        json!({"name": "Draft Bench", "variants": [{"sku": "BENCH-1", "price": 100}]}),
    )
    .await;
    let archived = create(
        &app,
        &admin,
        json!({"name": "Old Bench", "status": "archived", "variants": [{"sku": "BENCH-2", "price": 100}]}),
    )
    .await;

    let all = app
        .get(&format!("{PRODUCTS}?per_page=100"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    assert_eq!(all.body["total"].as_u64(), Some(store_total + 2));
    for (status, expected) in [("draft", &draft), ("archived", &archived)] {
        let response = app
            .get(&format!("{PRODUCTS}?status={status}"))
            .bearer(&admin)
            .send()
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        assert_eq!(
            ids(response.body["items"].as_array().unwrap()),
            BTreeSet::from([expected["id"].as_i64().unwrap()])
        );
        assert_eq!(response.body["items"][0]["status"], status);
    }
    let active = app
        .get(&format!("{PRODUCTS}?status=active&per_page=1"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(active.body["total"].as_u64(), Some(store_total));
    let cheap = app
        .get(&format!("{PRODUCTS}?max_price=100&per_page=100"))
        .bearer(&admin)
        .send()
        .await;
    assert!(
        ids(cheap.body["items"].as_array().unwrap()).is_superset(&BTreeSet::from([
            draft["id"].as_i64().unwrap(),
            archived["id"].as_i64().unwrap()
        ]))
    );

    for query in ["status=bogus", "per_page=101", "sort=nope"] {
        let response = app
            .get(&format!("{PRODUCTS}?{query}"))
            .bearer(&admin)
            .send()
            .await;
        assert_eq!(
            response.error_fields(),
            [query.split('=').next().unwrap()],
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_variant_cannot_take_the_options_of_a_sibling() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let created = create(
        &app,
        &admin,
        json!({"name": "Twin Socks", "variants": [
            {"sku": "SOCK-S", "options": {"size": "S"}, "price": 900},
            {"sku": "SOCK-M", "options": {"size": "M"}, "price": 900},
        ]}),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let medium = created["variants"][1]["id"].as_i64().unwrap();
    let response = app
        .patch(&format!("/api/v1/admin/variants/{medium}"))
        .bearer(&admin)
        .json(json!({"options": {"Size": "S"}}))
        .send()
        .await;
    assert_eq!(
        response.clash_fields(),
        ["options"],
        "two variants with the same options"
    );
    assert_eq!(
        product(&app, &admin, id).await["variants"],
        created["variants"]
    );
}

#[tokio::test]
async fn a_slug_of_digits_still_names_its_product() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let other = listing(&app, "").await[0]["id"].as_i64().unwrap();
    let created = create(
        &app,
        &admin,
        json!({"name": "Numbered Print", "status": "active", "variants": [{"sku": "PRINT-1", "price": 500}]}),
    )
    .await;
    let id = created["id"].as_i64().unwrap();
    let response = app
        .patch(&format!("{PRODUCTS}/{id}"))
        .bearer(&admin)
        .json(json!({"slug": other.to_string()}))
        .send()
        .await;
    // Either refused, or changed so that it cannot be taken for an id.
    if response.status == StatusCode::OK {
        let slug = response.body["slug"].as_str().unwrap().to_owned();
        let shown = app
            .get(&format!("/api/v1/store/products/{slug}"))
            .send()
            .await;
        assert_eq!(
            shown.body["id"], id,
            "slug {slug} names product {}",
            shown.body["id"]
        );
    } else {
        assert_eq!(response.error_fields(), ["slug"]);
    }
}

#[tokio::test]
async fn a_category_slug_of_digits_still_names_its_category() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let (existing, _) = demo_category(&app).await;
    let response = app
        .post(CATEGORIES)
        .bearer(&admin)
        .json(json!({"name": "Numbered", "slug": existing.to_string()}))
        .send()
        .await;
    if response.status == StatusCode::CREATED {
        let id = response.body["id"].as_i64().unwrap();
        let slug = response.body["slug"].as_str().unwrap().to_owned();
        let product = create(
            &app,
            &admin,
            json!({"name": "Filed Print", "status": "active", "category_id": id, "variants": [{"sku": "FILED-1", "price": 500}]}),
        )
        .await;
        let found = listing(&app, &format!("category={slug}")).await;
        assert_eq!(
            ids(&found),
            BTreeSet::from([product["id"].as_i64().unwrap()]),
            "category={slug}"
        );
    } else {
        assert_eq!(response.error_fields(), ["slug"]);
    }
}
