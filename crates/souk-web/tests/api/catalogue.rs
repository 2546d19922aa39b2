//! The store catalogue: the category tree, listings with filters, search,
//! sorting and paging, and product pages.

use crate::harness::*;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const PRODUCTS: &str = "/api/v1/store/products";

/// Percent-encodes a query value.
pub(crate) fn enc(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every product of a store listing with `query` (e.g. `category=tops`),
/// page after page, checking that the pages add up to the total.
pub(crate) async fn listing(app: &TestApp, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut page = 1;
    loop {
        let response = app
            .get(&format!("{PRODUCTS}?{query}&per_page=100&page={page}"))
            .send()
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{query}: {}",
            response.text
        );
        let batch = response.body["items"].as_array().expect("items").clone();
        let total = response.body["total"].as_u64().expect("total") as usize;
        let done = batch.len() < 100;
        items.extend(batch);
        if done {
            assert_eq!(
                items.len(),
                total,
                "{query}: the pages do not add up to the total"
            );
            return items;
        }
        page += 1;
    }
}

pub(crate) fn ids(items: &[Value]) -> BTreeSet<i64> {
    items
        .iter()
        .map(|p| p["id"].as_i64().expect("id"))
        .collect()
}

fn amounts(items: &[Value]) -> Vec<i64> {
    items
        .iter()
        .map(|p| p["price"]["amount"].as_i64().expect("price.amount"))
        .collect()
}

/// The category tree of the store.
async fn tree(app: &TestApp) -> Vec<Value> {
    let response = app.get("/api/v1/store/categories").send().await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text);
    response
        .body
        .as_array()
        .expect("a list of categories")
        .clone()
}

#[tokio::test]
async fn demo_catalogue_is_a_two_level_tree_with_paged_products() {
    let app = TestApp::with_demo().await;

    let roots = tree(&app).await;
    let mut count = 0;
    let mut slugs = BTreeSet::new();
    for root in &roots {
        count += 1;
        assert!(root["parent_id"].is_null(), "{root}");
        assert!(slugs.insert(root["slug"].as_str().unwrap().to_owned()));
        for child in root["children"].as_array().unwrap() {
            count += 1;
            assert_eq!(child["parent_id"], root["id"], "{child}");
            assert_eq!(child["children"], json!([]), "a third level: {child}");
            assert!(slugs.insert(child["slug"].as_str().unwrap().to_owned()));
            for key in ["name", "description"] {
                assert!(child[key].is_string(), "{child}");
            }
            assert!(child["position"].is_i64(), "{child}");
        }
    }
    assert!(count >= 8, "only {count} categories");
    assert!(
        roots
            .iter()
            .any(|r| !r["children"].as_array().unwrap().is_empty())
    );
    assert!(
        slugs.contains("clothing") && slugs.contains("knitwear"),
        "{slugs:?}"
    );

    let all = app.get(&format!("{PRODUCTS}?per_page=100")).send().await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    let total = all.body["total"].as_u64().unwrap();
    assert!(total >= 60, "only {total} products");
    assert_eq!(all.body["items"].as_array().unwrap().len() as u64, total);
    assert!(
        all.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["status"] == "active")
    );

    let first = app.get(PRODUCTS).send().await;
    assert_eq!(
        (first.body["page"].as_u64(), first.body["per_page"].as_u64()),
        (Some(1), Some(20))
    );
    assert_eq!(first.body["items"].as_array().unwrap().len(), 20);
    assert_eq!(first.body["total"].as_u64(), Some(total));

    let per_page = 25;
    let pages = total.div_ceil(per_page);
    let mut seen = BTreeSet::new();
    for page in 1..=pages {
        let response = app
            .get(&format!("{PRODUCTS}?per_page={per_page}&page={page}"))
            .send()
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text);
        assert_eq!(response.body["page"].as_u64(), Some(page));
        assert_eq!(response.body["per_page"].as_u64(), Some(per_page));
        assert_eq!(response.body["total"].as_u64(), Some(total), "page {page}");
        let items = response.body["items"].as_array().unwrap();
        let expected = if page < pages {
            per_page
        } else {
            total - per_page * (pages - 1)
        };
        assert_eq!(items.len() as u64, expected, "page {page}");
        for id in ids(items) {
            assert!(seen.insert(id), "product {id} is on two pages");
        }
    }
    assert_eq!(seen, ids(all.body["items"].as_array().unwrap()));

    let beyond = app
        .get(&format!(
            "{PRODUCTS}?per_page={per_page}&page={}",
            pages + 1
        ))
        .send()
        .await;
    assert_eq!(beyond.status, StatusCode::OK, "{}", beyond.text);
    assert_eq!(beyond.body["items"], json!([]));
    assert_eq!(beyond.body["total"].as_u64(), Some(total));
}

#[tokio::test]
async fn category_filter_by_slug_or_id_includes_subcategories() {
    let app = TestApp::with_demo().await;
    let all = listing(&app, "").await;
    let root = tree(&app)
        .await
        .into_iter()
        .find(|r| r["children"].as_array().unwrap().len() >= 2)
        .expect("a category with subcategories");
    let root_id = root["id"].as_i64().unwrap();

    let mut union = BTreeSet::new();
    for child in root["children"].as_array().unwrap() {
        let (id, slug) = (
            child["id"].as_i64().unwrap(),
            child["slug"].as_str().unwrap(),
        );
        let by_slug = listing(&app, &format!("category={slug}")).await;
        assert!(!by_slug.is_empty(), "{slug} is empty");
        assert!(
            by_slug.iter().all(|p| p["category_id"] == id),
            "{slug}: {by_slug:?}"
        );
        let expected: BTreeSet<i64> = all
            .iter()
            .filter(|p| p["category_id"] == id)
            .map(|p| p["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids(&by_slug), expected, "{slug}");
        let by_id = listing(&app, &format!("category={id}")).await;
        assert_eq!(ids(&by_id), expected, "category={id}");
        union.extend(expected);
    }

    let slug = root["slug"].as_str().unwrap();
    let by_slug = listing(&app, &format!("category={slug}")).await;
    let direct: BTreeSet<i64> = all
        .iter()
        .filter(|p| p["category_id"] == root_id)
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    let mut expected = union.clone();
    expected.extend(direct);
    assert_eq!(
        ids(&by_slug),
        expected,
        "{slug} is not the union of its subcategories"
    );
    assert!(ids(&by_slug).len() > union.len() / 2 && union.is_subset(&ids(&by_slug)));
    assert!(ids(&by_slug).len() < all.len(), "the filter does nothing");
    let by_id = listing(&app, &format!("category={root_id}")).await;
    assert_eq!(ids(&by_id), ids(&by_slug));
}

#[tokio::test]
async fn price_range_bounds_every_item() {
    let app = TestApp::with_demo().await;
    let all = listing(&app, "").await;
    let (min, max) = (3000, 8000);

    let ranged = listing(&app, &format!("min_price={min}&max_price={max}")).await;
    assert!(!ranged.is_empty());
    for amount in amounts(&ranged) {
        assert!(
            (min..=max).contains(&amount),
            "{amount} outside {min}..={max}"
        );
    }
    let expected: BTreeSet<i64> = all
        .iter()
        .filter(|p| (min..=max).contains(&p["price"]["amount"].as_i64().unwrap()))
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids(&ranged), expected);
    assert!(ranged.len() < all.len());

    let cheap = listing(&app, &format!("max_price={min}")).await;
    assert!(
        !cheap.is_empty() && amounts(&cheap).iter().all(|&a| a <= min),
        "{:?}",
        amounts(&cheap)
    );
    let dear = listing(&app, &format!("min_price={max}")).await;
    assert!(
        !dear.is_empty() && amounts(&dear).iter().all(|&a| a >= max),
        "{:?}",
        amounts(&dear)
    );

    let exact = amounts(&all)[0];
    let same = listing(&app, &format!("min_price={exact}&max_price={exact}")).await;
    assert!(!same.is_empty() && amounts(&same).iter().all(|&a| a == exact));
}

#[tokio::test]
async fn in_stock_filter_partitions_the_catalogue() {
    let app = TestApp::with_demo().await;
    let all = listing(&app, "").await;
    let available = listing(&app, "in_stock=true").await;
    let sold_out = listing(&app, "in_stock=false").await;
    assert!(!available.is_empty() && !sold_out.is_empty());
    assert!(available.iter().all(|p| p["in_stock"] == true));
    assert!(sold_out.iter().all(|p| p["in_stock"] == false));
    assert!(ids(&available).is_disjoint(&ids(&sold_out)));
    let union: BTreeSet<i64> = ids(&available).union(&ids(&sold_out)).copied().collect();
    assert_eq!(union, ids(&all));

    // A sold-out product has no variant that can be bought.
    let id = sold_out[0]["id"].as_i64().unwrap();
    let detail = app.get(&format!("{PRODUCTS}/{id}")).send().await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.text);
    assert!(
        detail.body["variants"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["stock_available"] == 0)
    );
}

#[tokio::test]
async fn seller_filter_by_slug_or_id() {
    let app = TestApp::with_demo().await;
    let all = listing(&app, "").await;
    assert!(
        all.iter().any(|p| p["seller"].is_null()),
        "the shop sells its own products too"
    );

    let slug = "northwind-ceramics";
    let by_slug = listing(&app, &format!("seller={slug}")).await;
    assert!(!by_slug.is_empty());
    assert!(
        by_slug.iter().all(|p| p["seller"]["slug"] == slug),
        "{by_slug:?}"
    );
    let seller_id = by_slug[0]["seller"]["id"].as_i64().unwrap();
    assert_eq!(by_slug[0]["seller"]["name"], "Northwind Ceramics");
    let expected: BTreeSet<i64> = all
        .iter()
        .filter(|p| p["seller"]["id"] == seller_id)
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids(&by_slug), expected);
    let by_id = listing(&app, &format!("seller={seller_id}")).await;
    assert_eq!(ids(&by_id), expected);

    let other = listing(&app, "seller=ridgeline-outfitters").await;
    assert!(!other.is_empty() && ids(&other).is_disjoint(&expected));

    for unknown in ["no-such-seller", "999999"] {
        let response = app
            .get(&format!("{PRODUCTS}?seller={unknown}"))
            .send()
            .await;
        response.problem(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn every_sort_orders_the_listing() {
    let app = TestApp::with_demo().await;
    let all = ids(&listing(&app, "").await);

    let ascending = listing(&app, "sort=price_asc").await;
    let prices = amounts(&ascending);
    assert!(
        prices.windows(2).all(|w| w[0] <= w[1]),
        "price_asc: {prices:?}"
    );
    assert!(prices.first() < prices.last());
    assert_eq!(ids(&ascending), all);

    let descending = listing(&app, "sort=price_desc").await;
    let prices = amounts(&descending);
    assert!(
        prices.windows(2).all(|w| w[0] >= w[1]),
        "price_desc: {prices:?}"
    );
    assert!(prices.first() > prices.last());
    assert_eq!(ids(&descending), all);

    let by_name = listing(&app, "sort=name").await;
    let names: Vec<&str> = by_name
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "name: {names:?}");
    assert_eq!(ids(&by_name), all);

    // Newest first is also the default without a search.
    for query in ["sort=newest", ""] {
        let newest = listing(&app, query).await;
        let created: Vec<_> = newest
            .iter()
            .map(|p| {
                chrono::DateTime::parse_from_rfc3339(p["created_at"].as_str().unwrap())
                    .expect("RFC 3339")
            })
            .collect();
        assert!(
            created.windows(2).all(|w| w[0] >= w[1]),
            "{query}: not newest first"
        );
        assert!(created.first() > created.last());
    }

    for sort in ["popular", "relevance"] {
        assert_eq!(
            ids(&listing(&app, &format!("sort={sort}")).await),
            all,
            "sort={sort}"
        );
    }

    // Sorting applies across pages, not within one.
    let page2 = app
        .get(&format!("{PRODUCTS}?sort=price_asc&per_page=10&page=2"))
        .send()
        .await;
    assert_eq!(page2.status, StatusCode::OK);
    assert_eq!(
        amounts(page2.body["items"].as_array().unwrap()),
        amounts(&ascending)[10..20]
    );
}

#[tokio::test]
async fn search_finds_a_product_by_a_word_of_its_name() {
    let app = TestApp::with_demo().await;
    let all = listing(&app, "sort=name").await;

    // A word of one product's name that no other product's name contains.
    let words_of = |p: &Value| -> Vec<String> {
        p["name"]
            .as_str()
            .unwrap()
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 6)
            .map(str::to_lowercase)
            .collect()
    };
    let mut owners: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for product in &all {
        for word in words_of(product) {
            owners
                .entry(word)
                .or_default()
                .push(product["id"].as_i64().unwrap());
        }
    }
    let (word, id) = owners
        .iter()
        .find(|(_, ids)| ids.len() == 1)
        .map(|(w, ids)| (w.clone(), ids[0]))
        .expect("a distinctive word");
    let product = all.iter().find(|p| p["id"] == id).unwrap();

    for query in [
        word.clone(),
        word.to_uppercase(),
        word[..word.len() - 1].to_owned(),
    ] {
        let found = listing(&app, &format!("q={}", enc(&query))).await;
        assert!(
            ids(&found).contains(&id),
            "q={query} does not find {}",
            product["name"]
        );
        assert!(found.len() < all.len(), "q={query} matches everything");
    }

    // Every word must match: the full name finds the product, and a word
    // that is nowhere narrows to nothing.
    let name = product["name"].as_str().unwrap();
    let found = listing(&app, &format!("q={}", enc(name))).await;
    assert!(ids(&found).contains(&id), "q={name}");
    let none = listing(&app, &format!("q={}", enc(&format!("{word} zzqxjvw")))).await;
    assert_eq!(none, Vec::<Value>::new());

    // Search combines with the other filters.
    let category = product["category_id"].as_i64().unwrap();
    let scoped = listing(&app, &format!("q={}&category={category}", enc(&word))).await;
    assert!(ids(&scoped).contains(&id));
    assert!(scoped.iter().all(|p| p["category_id"] == category));
}

#[tokio::test]
async fn search_with_query_syntax_is_not_an_error() {
    let app = TestApp::with_demo().await;
    let nasty = [
        "\"\\\"merino* OR (",
        "\"merino* OR (",
        "merino\" OR \"",
        "*",
        "\"",
        "NEAR(merino, wool)",
        "merino AND NOT wool",
        "name:merino",
        "'); DROP TABLE products; --",
        "a:* & !b | (c",
        "\\",
        "%_%",
        "^merino",
        "- -- +",
        "²½① ǅ",
        "日本 茶",
        "OR",
        "merino wool OR AND NOT NEAR *",
    ];
    for q in nasty {
        for sort in ["", "&sort=relevance", "&sort=price_asc"] {
            let response = app
                .get(&format!("{PRODUCTS}?per_page=100&q={}{sort}", enc(q)))
                .send()
                .await;
            assert_eq!(
                response.status,
                StatusCode::OK,
                "q={q}{sort}: {}",
                response.text
            );
            let items = response.body["items"].as_array().expect("items");
            assert_eq!(
                response.body["total"].as_u64(),
                Some(items.len() as u64),
                "q={q}"
            );
        }
    }
    // The quoted word still searches for the word.
    let merino = listing(&app, &format!("q={}", enc("\"merino*"))).await;
    assert!(!merino.is_empty());
    assert!(
        merino
            .iter()
            .any(|p| p["name"].as_str().unwrap().contains("Merino"))
    );
}

#[tokio::test]
async fn product_detail_by_id_and_slug_agree_with_the_listing() {
    let app = TestApp::with_demo().await;
    let all = listing(&app, "").await;
    let own = all.iter().find(|p| p["seller"].is_null()).unwrap();
    let sold = all.iter().find(|p| !p["seller"].is_null()).unwrap();

    for summary in [own, sold] {
        let (id, slug) = (
            summary["id"].as_i64().unwrap(),
            summary["slug"].as_str().unwrap(),
        );
        let by_id = app.get(&format!("{PRODUCTS}/{id}")).send().await;
        assert_eq!(by_id.status, StatusCode::OK, "{}", by_id.text);
        let by_slug = app.get(&format!("{PRODUCTS}/{slug}")).send().await;
        assert_eq!(by_slug.status, StatusCode::OK, "{}", by_slug.text);
        assert_eq!(by_id.body, by_slug.body);

        let p = &by_id.body;
        for key in [
            "id",
            "slug",
            "name",
            "status",
            "price",
            "max_price",
            "in_stock",
            "seller",
            "created_at",
        ] {
            assert_eq!(p[key], summary[key], "{key}");
        }
        assert_eq!(p["category"]["id"], summary["category_id"]);
        assert!(p["category"]["slug"].is_string() && p["category"]["name"].is_string());
        assert!(!p["description"].as_str().unwrap().is_empty());
        assert!(p["updated_at"].is_string());

        let variants = p["variants"].as_array().unwrap();
        assert!(!variants.is_empty());
        let mut skus = BTreeSet::new();
        for v in variants {
            assert!(v["id"].is_i64(), "{v}");
            assert!(skus.insert(v["sku"].as_str().unwrap().to_owned()));
            assert!(v["options"].is_object(), "{v}");
            assert_eq!(v["price"]["currency"], p["price"]["currency"]);
            assert!(v["stock_available"].as_i64().unwrap() >= 0, "{v}");
            assert!(
                v.get("stock_on_hand").is_none(),
                "the store shows stock on hand: {v}"
            );
        }
        let prices: Vec<i64> = variants
            .iter()
            .map(|v| v["price"]["amount"].as_i64().unwrap())
            .collect();
        assert_eq!(p["price"]["amount"].as_i64(), prices.iter().min().copied());
        assert_eq!(
            p["max_price"]["amount"].as_i64(),
            prices.iter().max().copied()
        );
        let buyable = variants
            .iter()
            .any(|v| v["stock_available"].as_i64().unwrap() > 0);
        assert_eq!(p["in_stock"], buyable);
    }
    assert_eq!(sold["seller"].as_object().unwrap().len(), 3, "{sold}");
}

#[tokio::test]
async fn unknown_product_is_a_404_problem() {
    let app = TestApp::with_demo().await;
    for path in ["999999", "no-such-product", "-1", "0"] {
        let response = app.get(&format!("{PRODUCTS}/{path}")).send().await;
        let problem = response.problem(StatusCode::NOT_FOUND);
        assert!(problem["detail"].is_string(), "{path}");
    }
}

#[tokio::test]
async fn bad_listing_parameters_are_422_naming_the_field() {
    let app = TestApp::with_demo().await;
    let cases = [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=-3", "page"),
        ("page=abc", "page"),
        ("per_page=ten", "per_page"),
        ("sort=bogus", "sort"),
        ("sort=PRICE_ASC", "sort"),
        ("min_price=-1", "min_price"),
        ("max_price=-1", "max_price"),
        ("min_price=abc", "min_price"),
        ("in_stock=maybe", "in_stock"),
    ];
    for (query, field) in cases {
        let response = app.get(&format!("{PRODUCTS}?{query}")).send().await;
        let fields = response.error_fields();
        assert!(
            fields.contains(&field.to_owned()),
            "{query}: {fields:?} ({})",
            response.text
        );
    }

    // A category or seller that does not exist is not found; a price range
    // that holds nothing finds nothing.
    for query in [
        "category=no-such-category",
        "category=999999",
        "seller=nobody",
    ] {
        let response = app.get(&format!("{PRODUCTS}?{query}")).send().await;
        response.problem(StatusCode::NOT_FOUND);
    }
    let empty = app
        .get(&format!("{PRODUCTS}?min_price=5000&max_price=1000"))
        .send()
        .await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.text);
    assert_eq!(empty.body["total"], 0);

    // Every bad parameter is reported at once.
    let response = app
        .get(&format!(
            "{PRODUCTS}?sort=bogus&min_price=-1&max_price=-2&per_page=500"
        ))
        .send()
        .await;
    let fields: BTreeSet<String> = response.error_fields().into_iter().collect();
    for field in ["sort", "min_price", "max_price", "per_page"] {
        assert!(fields.contains(field), "{field} missing from {fields:?}");
    }
}

#[tokio::test]
async fn draft_products_are_hidden_from_the_store_until_active() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let before = listing(&app, "").await.len();

    let created = app
        .post("/api/v1/admin/products")
        .bearer(&admin)
        .json(json!({
            "name": "Zephyrine Lantern",
            "description": "A quiet lamp for a dark shelf.",
            "variants": [{"sku": "ZEPH-1", "price": 4200, "stock": 5}],
        }))
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["status"], "draft");
    let id = created.body["id"].as_i64().unwrap();
    let slug = created.body["slug"].as_str().unwrap().to_owned();
    assert_eq!(slug, "zephyrine-lantern");

    assert_eq!(assert_hidden(&app, id, &slug).await, before);

    let staff = app
        .get(&format!("/api/v1/admin/products/{id}"))
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(
        staff.status,
        StatusCode::OK,
        "staff see drafts: {}",
        staff.text
    );

    let patched = app
        .patch(&format!("/api/v1/admin/products/{id}"))
        .bearer(&admin)
        .json(json!({"status": "active"}))
        .send()
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.text);
    assert_eq!(patched.body["status"], "active");

    for path in [id.to_string(), slug.clone()] {
        let shown = app.get(&format!("{PRODUCTS}/{path}")).send().await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
        assert_eq!(shown.body["id"], id);
        assert_eq!(shown.body["variants"][0]["stock_available"], 5);
    }
    let all = listing(&app, "").await;
    assert_eq!(all.len(), before + 1);
    assert!(ids(&all).contains(&id));

    let archived = app
        .patch(&format!("/api/v1/admin/products/{id}"))
        .bearer(&admin)
        .json(json!({"status": "archived"}))
        .send()
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.text);
    assert_eq!(assert_hidden(&app, id, &slug).await, before);
}

/// Asserts that the store does not show product `id`; returns how many it lists.
async fn assert_hidden(app: &TestApp, id: i64, slug: &str) -> usize {
    for path in [id.to_string(), slug.to_owned()] {
        app.get(&format!("{PRODUCTS}/{path}"))
            .send()
            .await
            .problem(StatusCode::NOT_FOUND);
    }
    let all = listing(app, "").await;
    assert!(!ids(&all).contains(&id));
    all.len()
}

#[tokio::test]
async fn search_finds_only_products_for_sale() {
    let app = TestApp::with_demo().await;
    let admin = app.admin().await;
    let created = app
        .post("/api/v1/admin/products")
        .bearer(&admin)
        .json(json!({"name": "Zephyrine Lantern", "variants": [{"sku": "ZEPH-1", "price": 4200, "stock": 5}]}))
        .send()
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(
        listing(&app, "q=zephyrine").await,
        Vec::<Value>::new(),
        "a draft is found"
    );

    let path = format!("/api/v1/admin/products/{id}");
    let staff = app
        .get("/api/v1/admin/products?q=zephyrine")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(staff.status, StatusCode::OK, "{}", staff.text);
    assert_eq!(
        ids(staff.body["items"].as_array().unwrap()),
        BTreeSet::from([id]),
        "staff search drafts"
    );

    let active = app
        .patch(&path)
        .bearer(&admin)
        .json(json!({"status": "active"}))
        .send()
        .await;
    assert_eq!(active.status, StatusCode::OK, "{}", active.text);
    assert_eq!(
        ids(&listing(&app, "q=zephyrine").await),
        BTreeSet::from([id])
    );

    // Renaming re-indexes the product.
    let renamed = app
        .patch(&path)
        .bearer(&admin)
        .json(json!({"name": "Quillford Lantern"}))
        .send()
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(listing(&app, "q=zephyrine").await, Vec::<Value>::new());
    assert_eq!(
        ids(&listing(&app, "q=quillford").await),
        BTreeSet::from([id])
    );

    let archived = app
        .patch(&path)
        .bearer(&admin)
        .json(json!({"status": "archived"}))
        .send()
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.text);
    assert_eq!(
        listing(&app, "q=quillford").await,
        Vec::<Value>::new(),
        "an archived product is found"
    );
}
