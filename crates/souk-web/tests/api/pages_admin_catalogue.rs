//! The catalogue in the admin panel: products with their variants and
//! stock, and categories. Refused forms come back with what was typed and
//! a message at the field; nothing changes.

use crate::browser::{Browser, location};
use crate::harness::TestApp;
use crate::pages_admin::staff;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn staff_create_a_product_with_variants_and_sell_it() {
    let app = TestApp::with_demo().await;
    let mut staff = staff(&app).await;
    staff.get("/admin/products/new").await;
    let mut form = vec![
        ("name", "Harbour <Linen> Apron"),
        ("description", "Heavy washed linen."),
        ("status", "active"),
        ("variants[0].sku", "APRON-NAT"),
        ("variants[0].options", "colour=Natural"),
        ("variants[0].price", "24"),
        ("variants[0].stock", "7"),
        ("variants[2].sku", "APRON-CHAR"),
        ("variants[2].options", "colour=Charcoal"),
        ("variants[2].price", "lots"),
    ];
    let bad = staff.post("/admin/products", &form).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert!(bad.text.contains("id=\"variants[2].price-error\""));
    assert!(
        bad.text.contains("value=\"APRON-CHAR\""),
        "the rows are kept"
    );
    assert!(bad.text.contains("value=\"Harbour &#60;Linen&#62; Apron\""));

    form[9] = ("variants[2].price", "26.50");
    let made = staff.post("/admin/products", &form).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let editor = location(&made).unwrap();
    let page = staff.get(&editor).await;
    assert!(page.text.contains("APRON-CHAR"));
    assert!(page.text.contains("value=\"26.50\""));

    let shop = Browser::new(&app)
        .get("/products/harbour-linen-apron")
        .await;
    assert_eq!(shop.status, StatusCode::OK);
    assert!(shop.text.contains("Harbour &#60;Linen&#62; Apron"));
    assert!(shop.text.contains("Charcoal"));

    let product_id = editor.rsplit('/').next().unwrap();
    let variant = first_variant_id(&page.text, product_id);
    let changed = staff
        .post(
            &format!("{editor}/variants/{variant}/stock"),
            &[("delta", "-2"), ("reason", "Damaged")],
        )
        .await;
    let back = location(&changed).unwrap();
    assert_eq!(back, format!("{editor}#variant-{variant}"));
    let page = staff.get(&editor).await;
    assert!(page.text.contains("now has 5 on hand"), "{}", page.text);

    let list = staff.get("/admin/products?q=apron").await;
    assert!(list.text.contains("Harbour &#60;Linen&#62; Apron"));
    let archived = staff
        .post(
            "/admin/products/bulk",
            &[("action", "archive"), ("ids", product_id)],
        )
        .await;
    assert_eq!(location(&archived).as_deref(), Some("/admin/products"));
    assert!(
        staff
            .get("/admin/products")
            .await
            .text
            .contains("Archived 1 product.")
    );
    let gone = Browser::new(&app)
        .get("/products/harbour-linen-apron")
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "archived is off sale");
}

/// The id of the first variant in the editor of product `product_id`.
fn first_variant_id(html: &str, product_id: &str) -> String {
    let marker = format!("action=\"/admin/products/{product_id}/variants/");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..].split(['"', '#']).next().unwrap().to_owned()
}

#[tokio::test]
async fn staff_manage_categories() {
    let app = TestApp::with_demo().await;
    let mut staff = staff(&app).await;
    staff.get("/admin/categories").await;
    let bad = staff
        .post(
            "/admin/categories",
            &[("name", ""), ("description", "Kept")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains(">Kept</textarea>"));
    staff
        .post("/admin/categories", &[("name", "Garden Tools")])
        .await;
    let page = staff.get("/admin/categories").await;
    assert!(page.text.contains("Garden Tools is created."));
    let shop = Browser::new(&app).get("/categories/garden-tools").await;
    assert_eq!(shop.status, StatusCode::OK);

    let clothing = app.get("/api/v1/store/categories").send().await;
    let parent = clothing
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "clothing")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    staff
        .post(&format!("/admin/categories/{parent}/delete"), &[])
        .await;
    let page = staff.get("/admin/categories").await;
    assert!(
        page.text.contains("subcategories"),
        "a parent is not deleted: {}",
        page.text
    );
}

/// A product made through the API, with the id of the product and of its
/// two variants.
async fn two_variant_product(app: &TestApp) -> (String, String, String) {
    let admin = app.admin().await;
    let made = app
        .post("/api/v1/admin/products")
        .bearer(&admin)
        .json(
            json!({"name": "Field Flask", "status": "active", "variants": [
            {"sku": "FLASK-S", "options": {"size": "S"}, "price": 1500, "stock": 4},
            {"sku": "FLASK-L", "options": {"size": "L"}, "price": 1900, "stock": 2}]}),
        )
        .send()
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    let id = |v: &serde_json::Value| v["id"].as_i64().unwrap().to_string();
    let variants = made.body["variants"].as_array().unwrap();
    (id(&made.body), id(&variants[0]), id(&variants[1]))
}

#[tokio::test]
async fn a_refused_variant_row_is_marked_where_it_was_typed() {
    let app = TestApp::with_demo().await;
    let mut staff = staff(&app).await;
    staff.get("/admin/products/new").await;
    // Row 0 is left blank, so the shop sees rows 1 and 2 as its first and
    // second variants; the message still belongs to row 2.
    let form = [
        ("name", "Twin Mug"),
        ("status", "draft"),
        ("variants[1].sku", "MUG-RED"),
        ("variants[1].options", "colour=Red"),
        ("variants[1].price", "9"),
        ("variants[2].sku", "MUG-RED-2"),
        ("variants[2].options", "colour=Red"),
        ("variants[2].price", "9"),
    ];
    let refused = staff.post("/admin/products", &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains("id=\"variants[2].options-error\""),
        "{}",
        refused.text
    );
    assert!(!refused.text.contains("id=\"variants[1].options-error\""));
    assert!(refused.text.contains("value=\"MUG-RED-2\""));

    // A SKU already in use is found after the other checks; it too is
    // marked on its own row.
    let taken = [
        ("name", "Twin Mug"),
        ("variants[1].sku", "MUG-NEW"),
        ("variants[1].price", "9"),
        ("variants[1].options", "colour=Blue"),
        ("variants[2].sku", "ORGANIC-COTTON-CREW-T-SHIRT-1"),
        ("variants[2].price", "9"),
    ];
    let refused = staff.post("/admin/products", &taken).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.text.contains("id=\"variants[2].sku-error\""),
        "{}",
        refused.text
    );
    let list = staff.get("/admin/products?q=twin").await;
    assert!(list.text.contains("No products match."));
}

#[tokio::test]
async fn the_editor_keeps_a_refused_variant_form() {
    let app = TestApp::new().await;
    let (product, small, large) = two_variant_product(&app).await;
    let mut staff = staff(&app).await;
    let editor = format!("/admin/products/{product}");
    staff.get(&editor).await;

    let bad_price = staff
        .post(
            &format!("{editor}/variants/{small}"),
            &[
                ("sku", "FLASK-S"),
                ("options", "size=S"),
                ("price", "cheap"),
            ],
        )
        .await;
    assert_eq!(bad_price.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = &bad_price.text;
    assert!(
        page.contains(&format!("id=\"price-variant-{small}-error\"")),
        "{page}"
    );
    assert!(page.contains("value=\"cheap\""));
    assert!(
        page.contains("value=\"19.00\""),
        "the other variant is as stored"
    );

    let taken = staff
        .post(
            &format!("{editor}/variants/{large}"),
            &[("sku", "FLASK-S"), ("options", "size=L"), ("price", "19")],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken
            .text
            .contains(&format!("id=\"sku-variant-{large}-error\""))
    );

    let twin = staff
        .post(
            &format!("{editor}/variants"),
            &[
                ("sku", "FLASK-M"),
                ("options", "size=S"),
                ("price", "17"),
                ("stock", "3"),
            ],
        )
        .await;
    assert_eq!(twin.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twin.text.contains("id=\"options-new-variant-error\""),
        "{}",
        twin.text
    );
    assert!(twin.text.contains("value=\"FLASK-M\""));

    let bad_delta = staff
        .post(
            &format!("{editor}/variants/{small}/stock"),
            &[("delta", "a few"), ("reason", "Delivery <Tuesday>")],
        )
        .await;
    assert_eq!(bad_delta.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad_delta
            .text
            .contains(&format!("id=\"delta-variant-{small}-error\""))
    );
    assert!(
        bad_delta
            .text
            .contains("value=\"Delivery &#60;Tuesday&#62;\"")
    );

    let too_many = staff
        .post(
            &format!("{editor}/variants/{large}/stock"),
            &[("delta", "-5"), ("reason", "Count")],
        )
        .await;
    assert_eq!(
        too_many.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        too_many.text
    );

    // A variant under another product's address is not found there.
    let elsewhere = staff
        .post(
            &format!("/admin/products/999999/variants/{small}/delete"),
            &[],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);

    // Nothing changed.
    let stored = app
        .get(&format!("/api/v1/store/products/{product}"))
        .send()
        .await;
    let variants = stored.body["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0]["price"]["amount"], 1500, "{}", stored.text);
    assert_eq!(variants[1]["sku"], "FLASK-L");
    let page = staff.get(&editor).await;
    assert!(page.text.contains("On hand <strong>2</strong>"));

    let saved = staff
        .post(
            &format!("{editor}/variants/{small}"),
            &[
                ("sku", "FLASK-S"),
                ("options", "size=S"),
                ("price", "16.50"),
            ],
        )
        .await;
    assert_eq!(location(&saved), Some(format!("{editor}#variant-{small}")));
    assert!(staff.get(&editor).await.text.contains("value=\"16.50\""));
}

#[tokio::test]
async fn staff_edit_a_category() {
    let app = TestApp::with_demo().await;
    let mut staff = staff(&app).await;
    let tree = app.get("/api/v1/store/categories").send().await;
    let top = tree.body.as_array().unwrap();
    let clothing = top.iter().find(|c| c["slug"] == "clothing").unwrap();
    let parent = clothing["id"].as_i64().unwrap();
    let child = clothing["children"][0]["id"].as_i64().unwrap();
    let other_top = top.iter().find(|c| c["id"] != parent).unwrap()["id"]
        .as_i64()
        .unwrap();

    let list = staff.get("/admin/categories").await;
    assert!(
        list.text
            .contains(&format!("href=\"/admin/categories/{child}\""))
    );
    let page = staff.get(&format!("/admin/categories/{child}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(&format!("value=\"{parent}\" selected")));

    let bad = staff
        .post(
            &format!("/admin/categories/{child}"),
            &[
                ("name", "Tops & <Tees>"),
                ("slug", "tops"),
                ("parent_id", ""),
                ("position", "first"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("id=\"position-error\""));
    assert!(
        bad.text.contains("value=\"Tops &#38; &#60;Tees&#62;\""),
        "{}",
        bad.text
    );

    let moved = staff
        .post(
            &format!("/admin/categories/{child}"),
            &[
                ("name", "Tops & <Tees>"),
                ("slug", "tops"),
                ("parent_id", ""),
                ("position", "7"),
            ],
        )
        .await;
    assert_eq!(location(&moved).as_deref(), Some("/admin/categories"));
    let tree = app.get("/api/v1/store/categories").send().await;
    let tops = tree
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == "tops")
        .expect("now at the top level")
        .clone();
    assert_eq!(tops["name"], "Tops & <Tees>");
    assert_eq!(
        Browser::new(&app).get("/categories/tops").await.status,
        StatusCode::OK
    );

    // A category with subcategories cannot go inside another.
    let nested = staff
        .post(
            &format!("/admin/categories/{parent}"),
            &[
                ("name", "Clothing"),
                ("slug", "clothing"),
                ("parent_id", &other_top.to_string()),
                ("position", "0"),
            ],
        )
        .await;
    assert_eq!(
        nested.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        nested.text
    );
    assert!(nested.text.contains("id=\"parent_id\""));

    assert_eq!(
        staff.get("/admin/categories/999999").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_product_list_shows_status_and_age() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    for (name, status) in [("Pale Draft Jug", "draft"), ("Live Jug", "active")] {
        let made = app
            .post("/api/v1/admin/products")
            .bearer(&admin)
            .json(json!({"name": name, "status": status,
                "variants": [{"sku": name.replace(' ', "-"), "price": 900, "stock": 1}]}))
            .send()
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    }
    let mut staff = staff(&app).await;
    let list = staff.get("/admin/products").await;
    assert!(
        list.text.contains("<span class=\"pill ok\">active</span>"),
        "{}",
        list.text
    );
    assert!(list.text.contains("<span class=\"pill warn\">draft</span>"));
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert!(list.text.contains(&today), "{}", list.text);
    let drafts = staff.get("/admin/products?status=draft").await;
    assert!(drafts.text.contains("Pale Draft Jug"));
    assert!(!drafts.text.contains("Live Jug"));
}
