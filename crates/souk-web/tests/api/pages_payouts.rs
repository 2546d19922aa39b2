//! Money in the panels: a seller reads its balance, ledger and payouts at
//! `/seller/money` and downloads its statement; staff set the payout terms,
//! run payouts and mark one paid at `/admin/payouts`.

use crate::browser::{Browser, location};
use crate::harness::{PASSWORD, TestApp};
use crate::pages_admin::staff;
use crate::payouts::{deliver, paid_order, shop_paying_at_once};
use crate::shopping::seller_token;
use axum::http::StatusCode;

/// The page a form's answer sends the browser to.
async fn follow(browser: &mut Browser<'_>, answer: &crate::harness::TestResponse) -> String {
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    browser.get(&location(answer).unwrap()).await.text
}

#[tokio::test]
async fn staff_set_terms_and_pay_a_seller_who_follows_its_money_in_the_panel() {
    let (app, admin) = shop_paying_at_once().await;
    let mut office = staff(&app).await;
    let page = office.get("/admin/payouts").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("No payouts."), "{}", page.text);
    assert!(page.text.contains("value=\"0\""), "the hold set by the API");

    let refused = office
        .post(
            "/admin/payouts/settings",
            &[("hold_days", "two weeks"), ("minimum", "-3")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("id=\"hold_days-error\""));
    assert!(refused.text.contains("id=\"minimum-error\""));
    assert!(refused.text.contains("value=\"two weeks\""), "input kept");
    let terms = app
        .get("/api/v1/admin/settings/payouts")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(terms.body["hold_days"], 0, "nothing changed");
    let saved = office
        .post(
            "/admin/payouts/settings",
            &[("hold_days", "0"), ("minimum", "0.01")],
        )
        .await;
    assert!(
        follow(&mut office, &saved)
            .await
            .contains("The payout terms are saved.")
    );

    let (order, parcel) = paid_order(&app, &admin, 2, "money-pages").await;
    let (north, email) = seller_token(&app, "northwind-ceramics").await;
    let mut seller = Browser::new(&app);
    seller.sign_in(&email, PASSWORD).await;
    let dash = seller.get("/seller").await;
    assert!(dash.text.contains("Sales, last 30 days"), "{}", dash.text);
    assert!(dash.text.contains("1 order<"), "{}", dash.text);
    let money = seller.get("/seller/money").await;
    assert_eq!(money.status, StatusCode::OK);
    assert!(money.text.contains("until delivered"), "{}", money.text);
    assert!(money.text.contains("No payouts yet."));

    let wrong = seller.get("/seller/money?from=yesterday").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text.contains("id=\"from-error\""), "{}", wrong.text);
    assert!(wrong.text.contains("value=\"yesterday\""));

    deliver(&app, &north, parcel["id"].as_i64().unwrap()).await;
    let csv = seller
        .get("/seller/statement.csv?from=2020-01-01&to=")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    let number = order["number"].as_str().unwrap();
    assert!(csv.text.starts_with("date,entry,kind,"), "{}", csv.text);
    assert_eq!(
        csv.text.lines().filter(|l| l.contains(",sale,")).count(),
        1,
        "{}",
        csv.text
    );
    assert!(csv.text.contains(",available,"), "delivered, no hold");
    assert!(
        csv.text.contains(&format!("Order {number}")),
        "{}",
        csv.text
    );
    let bad = seller.get("/seller/statement.csv?from=soon").await;
    assert!(
        follow(&mut seller, &bad)
            .await
            .contains("No statement: The start date")
    );

    let run = office.post("/admin/payouts/run", &[]).await;
    assert!(
        follow(&mut office, &run)
            .await
            .contains("One payout was made."),
        "only northwind has delivered money"
    );
    let list = app.get("/api/v1/admin/payouts").bearer(&admin).send().await;
    let payout = list.body["items"][0]["id"].as_i64().unwrap();
    let page = office.get(&format!("/admin/payouts/{payout}")).await;
    assert!(page.text.contains("Northwind Ceramics"));
    assert!(page.text.contains("<td>Sale <span"), "{}", page.text);
    let decision = format!("/admin/payouts/{payout}/decision");
    let blank = office
        .post(&decision, &[("status", "paid"), ("reference", " ")])
        .await;
    let text = follow(&mut office, &blank).await;
    assert!(
        text.contains("Nothing was marked: The reference is required to mark a payout paid."),
        "{text}"
    );
    let paid = office
        .post(&decision, &[("status", "paid"), ("reference", "TRF-<77>")])
        .await;
    let text = follow(&mut office, &paid).await;
    assert!(text.contains("is marked paid"), "{text}");
    assert!(text.contains("TRF-&#60;77&#62;"), "escaped: {text}");

    let money = seller.get("/seller/money").await;
    assert!(
        money
            .text
            .contains(&format!("href=\"/seller/payouts/{payout}\""))
    );
    let mine = seller.get(&format!("/seller/payouts/{payout}")).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.text.contains("TRF-&#60;77&#62;"));
    let (_, other) = seller_token(&app, "ridgeline-outfitters").await;
    let mut ridge = Browser::new(&app);
    ridge.sign_in(&other, PASSWORD).await;
    let theirs = ridge.get(&format!("/seller/payouts/{payout}")).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "another seller's");
    let mut shopper = Browser::new(&app);
    shopper.register("not-a-seller@example.com", "Sam").await;
    let refused = shopper.get("/seller/money").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "not a seller");
}

#[tokio::test]
async fn the_demo_shop_has_a_past_of_parcels_and_payouts() {
    let app = TestApp::with_demo().await;
    assert_eq!(app.shop.seed_demo_orders().await.unwrap(), 5);
    let admin = app.admin().await;
    let list = app
        .get("/api/v1/admin/orders?per_page=50")
        .bearer(&admin)
        .send()
        .await;
    let orders = list.expect(StatusCode::OK)["items"]
        .as_array()
        .unwrap()
        .clone();
    let statuses: Vec<&str> = orders
        .iter()
        .map(|o| o["status"].as_str().unwrap())
        .collect();
    for status in [
        "delivered",
        "processing",
        "paid",
        "shipped",
        "pending_payment",
    ] {
        assert!(statuses.contains(&status), "{status} in {statuses:?}");
    }
    let payouts = app.get("/api/v1/admin/payouts").bearer(&admin).send().await;
    let payouts = payouts.expect(StatusCode::OK)["items"]
        .as_array()
        .unwrap()
        .clone();
    let by = |seller: &str| {
        payouts
            .iter()
            .find(|p| p["seller_name"] == seller)
            .unwrap_or_else(|| panic!("{seller} in {payouts:?}"))["status"]
            .clone()
    };
    assert_eq!(by("Northwind Ceramics"), "paid");
    assert_eq!(by("Ridgeline Outfitters"), "pending");

    let (north, email) = seller_token(&app, "northwind-ceramics").await;
    let balance = app
        .get("/api/v1/seller/balance")
        .bearer(&north)
        .send()
        .await;
    let b = &balance.expect(StatusCode::OK)["balances"][0];
    assert_eq!(
        b["available"]["amount"], 0,
        "the delivered order is paid out"
    );
    assert!(b["pending"]["amount"].as_i64().unwrap() > 0, "{b}");
    assert!(b["paid_out"]["amount"].as_i64().unwrap() > 0, "{b}");
    let mut seller = Browser::new(&app);
    seller.sign_in(&email, PASSWORD).await;
    let orders = seller.get("/seller/orders").await;
    assert!(orders.text.contains("Maria Lindqvist"), "{}", orders.text);
    let money = seller.get("/seller/money").await;
    assert!(money.text.contains("DEMO-TRANSFER-"), "{}", money.text);
}
