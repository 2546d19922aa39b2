//! The admin panel's pages (dashboard, orders, customers, shipping,
//! vouchers, jobs, settings): only staff get in, what they show, and that
//! their forms change the shop through the same rules as the API.

use crate::browser::{Browser, hidden_field, location};
use crate::harness::{PASSWORD, TestApp};
use axum::http::StatusCode;
use serde_json::json;

/// A browser signed in as staff (the account the harness's `admin` makes).
pub(crate) async fn staff(app: &TestApp) -> Browser<'_> {
    app.admin().await;
    let mut browser = Browser::new(app);
    browser.sign_in("staff@example.com", PASSWORD).await;
    browser
}

const PAGES: [&str; 10] = [
    "/admin",
    "/admin/payouts",
    "/admin/orders",
    "/admin/customers",
    "/admin/shipping",
    "/admin/vouchers",
    "/admin/jobs",
    "/admin/settings",
    "/admin/products",
    "/admin/categories",
];

#[tokio::test]
async fn only_staff_get_into_the_admin_panel() {
    let app = TestApp::with_demo().await;
    let mut guest = Browser::new(&app);
    for path in PAGES {
        let page = guest.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        let to = location(&page).unwrap();
        assert!(to.starts_with("/login?next=%2Fadmin"), "{path} → {to}");
    }

    let mut customer = Browser::new(&app);
    customer.register("cat@example.com", "Cat").await;
    for path in PAGES {
        let page = customer.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
    }
    customer.get("/").await;
    let changed = customer
        .post("/admin/settings", &[("shop_name", "Taken over")])
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert!(!customer.get("/").await.text.contains("Taken over"));
    assert!(!customer.get("/").await.text.contains("href=\"/admin\""));

    let mut staff = staff(&app).await;
    let home = staff.get("/").await;
    assert!(
        home.text.contains("href=\"/admin\""),
        "staff see the way in"
    );
    for path in PAGES {
        let page = staff.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.text);
        assert!(page.text.contains("class=\"admin-nav\""), "{path}");
    }
}

#[tokio::test]
async fn the_dashboard_shows_todays_sales() {
    let app = TestApp::with_demo().await;
    let (_, order) = app.demo_order("ann@example.com", "bank_transfer").await;
    let mut staff = staff(&app).await;
    let page = staff.get("/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    let cents = order["total"]["amount"].as_i64().unwrap();
    let total = format!("{}.{:02}", cents / 100, cents % 100);
    assert!(page.text.contains(&total), "today's sales show {total}");
    assert!(page.text.contains("<svg"), "the chart is drawn");
    assert_eq!(
        page.text.matches("<rect class=\"bar\"").count(),
        30,
        "one bar per day"
    );
    assert!(page.text.contains("/admin/orders?status=pending_payment"));
}

#[tokio::test]
async fn the_dashboard_lists_what_runs_out() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    for (name, stock) in [("Plenty Jar", 50), ("Last <Few> Jar", 3)] {
        let made = app
            .post("/api/v1/admin/products")
            .bearer(&admin)
            .json(json!({"name": name, "status": "active",
                "variants": [{"sku": format!("SKU-{stock}"), "price": 900, "stock": stock}]}))
            .send()
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.text);
    }
    let mut staff = staff(&app).await;
    let page = staff.get("/admin").await;
    assert!(
        page.text.contains("Last &#60;Few&#62; Jar"),
        "{}",
        page.text
    );
    assert!(page.text.contains("SKU-3"));
    assert!(!page.text.contains("Plenty Jar"));
    assert!(page.text.contains("No orders yet"));
}

#[tokio::test]
async fn staff_move_an_order_along_and_refund_part_of_it() {
    let app = TestApp::with_demo().await;
    let (_, order) = app.demo_order("ann@example.com", "bank_transfer").await;
    let id = order["id"].as_str().unwrap();
    let number = order["number"].as_str().unwrap();
    let mut staff = staff(&app).await;

    let list = staff.get("/admin/orders?status=pending_payment").await;
    assert!(list.text.contains(number));
    let none = staff.get("/admin/orders?status=shipped").await;
    assert!(!none.text.contains(number));
    let bad = staff.get("/admin/orders?from=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text.contains("value=\"yesterday\""),
        "the filter is kept"
    );

    let path = format!("/admin/orders/{id}");
    let page = staff.get(&path).await;
    assert!(page.text.contains("<option value=\"paid\">"));
    assert!(!page.text.contains("/refunds"), "nothing captured yet");
    let moved = staff
        .post(
            &format!("{path}/status"),
            &[("status", "paid"), ("note", "Transfer <arrived>")],
        )
        .await;
    assert_eq!(location(&moved).as_deref(), Some(path.as_str()));
    let page = staff.get(&path).await;
    assert!(page.text.contains("is now paid"), "{}", page.text);
    assert!(
        page.text.contains("Transfer &#60;arrived&#62;"),
        "the note is escaped"
    );

    let wrong = staff
        .post(&format!("{path}/status"), &[("status", "delivered")])
        .await;
    assert_eq!(wrong.status, StatusCode::SEE_OTHER);
    let page = staff.get(&path).await;
    assert!(!page.text.contains("is now delivered"));

    let key = hidden_field(&page.text, "idempotency_key").unwrap();
    let refund = [
        ("amount", "5.00"),
        ("reason", "Scratched"),
        ("idempotency_key", key.as_str()),
    ];
    staff.post(&format!("{path}/refunds"), &refund).await;
    staff.post(&format!("{path}/refunds"), &refund).await;
    let after = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&app.admin().await)
        .send()
        .await;
    assert_eq!(after.body["payment_status"], "partially_refunded");
    assert_eq!(
        after.body["payments"][0]["refunded"]["amount"], 500,
        "a resent refund form refunds once"
    );
    let too_much = [
        ("amount", "10000.00"),
        ("reason", "All"),
        ("idempotency_key", "other"),
    ];
    staff.post(&format!("{path}/refunds"), &too_much).await;
    let page = staff.get(&path).await;
    assert!(
        page.text.contains("class=\"alert\" role=\"alert\""),
        "a refusal, in red"
    );
    let after = app
        .get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(&app.admin().await)
        .send()
        .await;
    assert_eq!(after.body["payments"][0]["refunded"]["amount"], 500);
}

#[tokio::test]
async fn staff_find_customers() {
    let app = TestApp::with_demo().await;
    app.demo_order("ann@example.com", "bank_transfer").await;
    app.customer("bob@example.com").await;
    let mut staff = staff(&app).await;
    let all = staff.get("/admin/customers").await;
    assert!(all.text.contains("ann@example.com"));
    assert!(all.text.contains("bob@example.com"));
    let found = staff.get("/admin/customers?q=ANN").await;
    assert!(found.text.contains("ann@example.com"));
    assert!(!found.text.contains("bob@example.com"));
    let wild = staff.get("/admin/customers?q=%25").await;
    assert!(
        !wild.text.contains("ann@example.com"),
        "% is not a wildcard"
    );
}

#[tokio::test]
async fn staff_manage_shipping_methods() {
    let app = TestApp::with_demo().await;
    let mut staff = staff(&app).await;
    staff.get("/admin/shipping").await;
    let bad = staff
        .post("/admin/shipping", &[("name", "Express"), ("price", "lots")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("value=\"Express\""), "the input is kept");
    assert!(bad.text.contains("id=\"price-error\""));

    let added = staff
        .post(
            "/admin/shipping",
            &[("name", "Express"), ("price", "12.50"), ("active", "on")],
        )
        .await;
    assert_eq!(location(&added).as_deref(), Some("/admin/shipping"));
    let methods = app.get("/api/v1/store/shipping-methods").send().await;
    let express = methods
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Express")
        .cloned();
    let express = express.expect("a shopper sees the new method");
    assert_eq!(express["price"]["amount"], 1250);
    let id = express["id"].as_i64().unwrap();

    staff
        .post(
            &format!("/admin/shipping/{id}"),
            &[("name", "Express"), ("price", "12.50")],
        )
        .await;
    let methods = app.get("/api/v1/store/shipping-methods").send().await;
    assert!(
        !methods
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "Express"),
        "unticked means inactive"
    );
    staff
        .post(&format!("/admin/shipping/{id}/delete"), &[])
        .await;
    let page = staff.get("/admin/shipping").await;
    assert!(page.text.contains("was deleted"), "{}", page.text);
    assert!(!page.text.contains("value=\"Express\""));
}

#[tokio::test]
async fn staff_create_and_switch_off_vouchers() {
    let app = TestApp::with_demo().await;
    let mut staff = staff(&app).await;
    staff.get("/admin/vouchers").await;
    let bad = staff
        .post(
            "/admin/vouchers",
            &[("code", "WINTER"), ("kind", "percent"), ("value", "250")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("value=\"WINTER\""));
    assert!(bad.text.contains("id=\"value-error\""));

    let made = staff
        .post(
            "/admin/vouchers",
            &[
                ("code", "winter"),
                ("kind", "fixed"),
                ("value", "5"),
                ("ends_at", "2099-12-31"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text);
    let page = staff.get("/admin/vouchers").await;
    assert!(page.text.contains("WINTER"));
    assert!(
        page.text
            .contains("<td data-label=\"Takes off\">$5.00</td>"),
        "the amount off, in the shop's currency"
    );

    let (customer, _) = app.customer("ann@example.com").await;
    app.post("/api/v1/store/cart/items")
        .bearer(&customer)
        .json(json!({"variant_id": 1, "quantity": 1}))
        .send()
        .await;
    let preview = |token: String| {
        let app = &app;
        async move {
            app.post("/api/v1/store/cart/voucher")
                .bearer(&token)
                .json(json!({"voucher_code": "WINTER"}))
                .send()
                .await
        }
    };
    let works = preview(customer.clone()).await;
    assert_eq!(works.status, StatusCode::OK, "{}", works.text);
    let vouchers = app
        .get("/api/v1/admin/vouchers")
        .bearer(&app.admin().await)
        .send()
        .await;
    let id = vouchers.body["items"][0]["id"].as_i64().unwrap();
    staff
        .post(
            &format!("/admin/vouchers/{id}/active"),
            &[("active", "false")],
        )
        .await;
    let page = staff.get("/admin/vouchers").await;
    assert!(page.text.contains("no longer works"));
    let refused = preview(customer).await;
    assert_eq!(
        refused.status,
        StatusCode::CONFLICT,
        "an inactive voucher no longer applies"
    );
}

#[tokio::test]
async fn staff_change_the_shops_words() {
    let app = TestApp::with_demo().await;
    let mut staff = staff(&app).await;
    let page = staff.get("/admin/settings").await;
    assert!(
        page.text.contains("readonly"),
        "the currency is shown, not changed"
    );
    let bad = staff
        .post("/admin/settings", &[("shop_name", ""), ("banner", "Sale")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("value=\"Sale\""));
    let saved = staff
        .post(
            "/admin/settings",
            &[
                ("shop_name", "Corner <Shop>"),
                ("banner", "Winter sale"),
                ("about", "We knit."),
            ],
        )
        .await;
    assert_eq!(location(&saved).as_deref(), Some("/admin/settings"));
    let home = Browser::new(&app).get("/").await;
    assert!(home.text.contains("Corner &#60;Shop&#62;"));
    assert!(home.text.contains("Winter sale"));
}

#[tokio::test]
async fn staff_see_failed_jobs_and_run_them_again() {
    let app = TestApp::with_demo().await;
    let mut staff = staff(&app).await;
    let page = staff.get("/admin/jobs").await;
    assert!(page.text.contains("No failed jobs"), "{}", page.text);
    let odd = staff.get("/admin/jobs?status=%3Cscript%3E").await;
    assert_eq!(
        odd.status,
        StatusCode::OK,
        "an unknown status shows the failed ones"
    );

    let job = souk_db::repo::jobs::NewJob {
        kind: "no-such-kind",
        payload: "{}".into(),
        run_at: chrono::Utc::now(),
        max_attempts: 1,
        unique_key: None,
    };
    souk_db::repo::jobs::enqueue(app.shop.db().conn(), job)
        .await
        .unwrap();
    app.run_jobs().await;
    let page = staff.get("/admin/jobs").await;
    assert!(page.text.contains("no-such-kind"));
    assert!(page.text.contains("unknown job kind"), "the error shows");
    let retry = page.text.find("/retry\"").unwrap();
    let start = page.text[..retry].rfind("/admin/jobs/").unwrap();
    let path = format!("{}/retry", &page.text[start..retry]);

    staff.post(&path, &[]).await;
    let queued = staff.get("/admin/jobs?status=queued").await;
    assert!(queued.text.contains("is queued to run again"));
    assert!(queued.text.contains("no-such-kind"));
    staff.post(&path, &[]).await;
    let page = staff.get("/admin/jobs?status=queued").await;
    assert!(
        page.text.contains("is not a failed job"),
        "a queued job is left alone"
    );
}

#[tokio::test]
async fn admin_forms_need_the_form_token() {
    let app = TestApp::with_demo().await;
    let mut staff = staff(&app).await;
    staff.get("/admin/settings").await;
    let forged = staff
        .post_raw("/admin/settings", &[("shop_name", "Forged")], "cross-site")
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let no_token = staff
        .post_raw("/admin/settings", &[("shop_name", "Forged")], "same-origin")
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    assert!(!Browser::new(&app).get("/").await.text.contains("Forged"));
}
