//! A declined card does not end the sale: the order stays payable through a
//! new attempt, from the payment page, the order page or the API, until it
//! is paid once.

use crate::browser::{Browser, location};
use crate::harness::*;
use axum::http::StatusCode;
use serde_json::Value;
use souk_core::testpay::{CARD_DECLINED, CARD_SUCCEEDS};

const SECRET: &str = "whsec_test_secret_for_souk";

/// A shop whose testpay webhooks reach it over real HTTP, as the delivery
/// job sends them.
async fn shop() -> TestApp {
    TestApp::with_testpay_over_http(SECRET).await
}

async fn pay_with(app: &TestApp, payment: &str, card: &str) -> TestResponse {
    app.post(&format!("/pay/{payment}"))
        .raw(
            "application/x-www-form-urlencoded",
            &format!("card_number={card}"),
        )
        .send()
        .await
}

async fn order_of(app: &TestApp, token: &str, id: &str) -> Value {
    app.get(&format!("/api/v1/store/orders/{id}"))
        .bearer(token)
        .send()
        .await
        .expect(StatusCode::OK)
        .clone()
}

async fn pay_again(app: &TestApp, token: &str, id: &str, key: &str) -> TestResponse {
    app.post(&format!("/api/v1/store/orders/{id}/payments"))
        .bearer(token)
        .header("idempotency-key", key)
        .send()
        .await
}

#[tokio::test]
async fn a_good_card_after_a_declined_one_pays_the_order_once() {
    let app = shop().await;
    let (token, order) = app.demo_order("ann@example.com", "card").await;
    let id = order["id"].as_str().unwrap();
    let first = order["payments"][0]["id"].as_str().unwrap().to_owned();

    let declined = pay_with(&app, &first, CARD_DECLINED).await;
    assert_eq!(declined.status, StatusCode::OK);
    assert!(declined.text.contains("Your card was declined"));
    let again_form = format!("action=\"/pay/{first}/again\"");
    assert!(declined.text.contains(&again_form), "{}", declined.text);
    // The declined attempt takes no other card, even before its webhook.
    let refused = pay_with(&app, &first, CARD_SUCCEEDS).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    app.run_jobs().await;
    let reopened = app.get(&format!("/pay/{first}")).send().await;
    assert!(reopened.text.contains("did not go through"));
    assert!(reopened.text.contains(&again_form));

    // From the declined page: a new attempt, and the way to it.
    let moved = app
        .post(&format!("/pay/{first}/again"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.text);
    let to = location(&moved).expect("a redirect");
    let second = to.trim_start_matches("/pay/").to_owned();
    assert_ne!(second, first);
    // Asking again, by the API or the page, gives the same open attempt.
    let by_api = pay_again(&app, &token, id, "again-1").await;
    let body = by_api.expect(StatusCode::CREATED);
    let payments = body["payments"].as_array().unwrap();
    assert_eq!(payments.len(), 2);
    assert_eq!(payments[0]["status"], "failed");
    assert_eq!(payments[1]["status"], "pending");
    assert_eq!(payments[1]["id"], second.as_str());
    let replay = pay_again(&app, &token, id, "again-1").await;
    assert_eq!(replay.status, StatusCode::CREATED);
    assert_eq!(replay.headers["idempotent-replayed"], "true");

    let paid = pay_with(&app, &second, CARD_SUCCEEDS).await;
    assert!(paid.text.contains("Payment accepted"), "{}", paid.text);
    app.run_jobs().await;
    let after = order_of(&app, &token, id).await;
    assert_eq!(after["status"], "paid");
    assert_eq!(after["payment_status"], "paid");
    let statuses: Vec<&str> = after["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["failed", "succeeded"]);
    let paid_steps = after["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "paid")
        .count();
    assert_eq!(paid_steps, 1);

    // A paid order has nothing more to pay.
    pay_again(&app, &token, id, "again-2")
        .await
        .problem(StatusCode::CONFLICT);
    let nothing = app
        .post(&format!("/pay/{first}/again"))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await;
    assert_eq!(nothing.status, StatusCode::CONFLICT);
    let forged = app
        .post(&format!("/pay/{first}/again"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_order_page_offers_to_pay_again_after_a_decline() {
    let app = shop().await;
    let (_, order) = app.demo_order("bo@example.com", "card").await;
    let id = order["id"].as_str().unwrap();
    let first = order["payments"][0]["id"].as_str().unwrap();
    let mut browser = Browser::new(&app);
    browser.sign_in("bo@example.com", PASSWORD).await;
    let page = browser.get(&format!("/account/orders/{id}")).await;
    assert!(page.text.contains(&format!("href=\"/pay/{first}\"")));

    pay_with(&app, first, CARD_DECLINED).await;
    app.run_jobs().await;
    let page = browser.get(&format!("/account/orders/{id}")).await;
    assert!(page.text.contains("did not go through"), "{}", page.text);
    let action = format!("/account/orders/{id}/pay");
    assert!(page.text.contains(&format!("action=\"{action}\"")));
    let moved = browser.post(&action, &[]).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let to = location(&moved).expect("a redirect");
    assert!(
        to.starts_with("/pay/") && to != format!("/pay/{first}"),
        "{to}"
    );
    let form = app.get(&to).send().await;
    assert!(form.text.contains("name=\"card_number\""));
    let page = browser.get(&format!("/account/orders/{id}")).await;
    assert!(
        page.text.contains(&format!("href=\"{to}\"")),
        "the new attempt is the one to pay"
    );
}

#[tokio::test]
async fn an_order_is_not_paid_again_when_it_waits_for_no_card() {
    let app = shop().await;
    let (token, order) = app.demo_order("cy@example.com", "bank_transfer").await;
    let id = order["id"].as_str().unwrap();
    pay_again(&app, &token, id, "k1")
        .await
        .problem(StatusCode::CONFLICT);
    let (other, _) = app.customer("dee@example.com").await;
    pay_again(&app, &other, id, "k2")
        .await
        .problem(StatusCode::NOT_FOUND);
    let missing = app
        .post(&format!("/api/v1/store/orders/{id}/payments"))
        .bearer(&token)
        .send()
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_attempts_leave_one_open() {
    let app = shop().await;
    let (token, order) = app.demo_order("eve@example.com", "card").await;
    let id = order["id"].as_str().unwrap();
    let first = order["payments"][0]["id"].as_str().unwrap();
    pay_with(&app, first, CARD_DECLINED).await;
    let keys: Vec<String> = (0..6).map(|i| format!("race-{i}")).collect();
    let tries = keys.iter().map(|k| pay_again(&app, &token, id, k));
    for response in futures::future::join_all(tries).await {
        assert!(
            response.status == StatusCode::CREATED || response.status == StatusCode::CONFLICT,
            "{} {}",
            response.status,
            response.text
        );
    }
    let after = order_of(&app, &token, id).await;
    let open = after["payments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "pending")
        .count();
    assert_eq!(open, 1);
}
