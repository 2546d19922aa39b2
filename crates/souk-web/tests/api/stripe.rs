//! Card payments through Stripe, against a local mock of Stripe's API that
//! answers with fixtures of its documented shapes (no live service is
//! reachable from the tests): PaymentIntents created once by a job,
//! `Stripe-Signature` webhooks, refunds made at Stripe, the payment page.

pub(crate) mod mock;

use crate::browser::Browser;
use crate::harness::*;
use crate::pages::check_out_by_card;
use axum::http::StatusCode;
use mock::{Next, StripeMock};
use serde_json::{Value, json};
use souk_core::ShopConfig;
use souk_core::payments::signature;
use souk_core::payments::stripe::{API_VERSION, StripeConfig};
use souk_db::ConnectionTrait;

const SECRET_KEY: &str = "sk_test_souk_mock";
const WEBHOOK_SECRET: &str = "whsec_souk_mock";
const PUBLISHABLE_KEY: &str = "pk_test_souk_mock";
const INTENTS: &str = "/v1/payment_intents";
const REFUNDS: &str = "/v1/refunds";

async fn stripe_app() -> (TestApp, StripeMock) {
    stripe_app_with(ShopConfig::default()).await
}

/// A shop with `config` whose card payments go to the mock.
async fn stripe_app_with(config: ShopConfig) -> (TestApp, StripeMock) {
    let mock = StripeMock::start().await;
    let app = TestApp::with_config(ShopConfig {
        stripe: Some(StripeConfig {
            secret_key: SECRET_KEY.to_owned().into(),
            webhook_secret: Some(WEBHOOK_SECRET.to_owned().into()),
            publishable_key: Some(PUBLISHABLE_KEY.to_owned()),
            api_base: mock.url.clone(),
        }),
        ..config
    })
    .await;
    (app, mock)
}

/// Makes every queued job due now (as if its backoff had passed).
async fn make_jobs_due(app: &TestApp) {
    app.shop
        .db()
        .conn()
        .execute_unprepared("UPDATE jobs SET run_at = created_at WHERE status = 'queued'")
        .await
        .expect("jobs due");
}

async fn admin_order(app: &TestApp, admin: &str, id: &str) -> Value {
    app.get(&format!("/api/v1/admin/orders/{id}"))
        .bearer(admin)
        .send()
        .await
        .body
}

/// A Stripe event of `kind` about `object`, as Stripe sends it.
fn event(id: &str, kind: &str, object: Value) -> String {
    let mut event: Value = serde_json::from_str(mock::EVENT).unwrap();
    event["id"] = id.into();
    event["type"] = kind.into();
    event["data"]["object"] = object;
    event.to_string()
}

/// The PaymentIntent of `order` as its events carry it.
fn intent(order: &Value, intent_id: &str, status: &str) -> Value {
    let mut intent: Value = serde_json::from_str(mock::PAYMENT_INTENT).unwrap();
    intent["id"] = intent_id.into();
    intent["amount"] = order["total"]["amount"].clone();
    intent["amount_received"] = order["total"]["amount"].clone();
    intent["currency"] = order["total"]["currency"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .into();
    intent["status"] = status.into();
    intent["metadata"] =
        json!({"payment_id": order["payments"][0]["id"], "order_number": order["number"]});
    intent
}

fn sign(body: &str, age_secs: i64) -> String {
    signature::sign(
        WEBHOOK_SECRET,
        chrono::Utc::now().timestamp() - age_secs,
        body.as_bytes(),
    )
}

async fn deliver(app: &TestApp, body: &str, signature: Option<&str>) -> TestResponse {
    let mut call = app
        .post("/api/v1/payments/webhooks/stripe")
        .raw("application/json", body);
    if let Some(signature) = signature {
        call = call.header("stripe-signature", signature);
    }
    call.send().await
}

/// A card order whose PaymentIntent the job has created; the order (as
/// placed) and the intent's id.
async fn opened_order(app: &TestApp) -> (Value, String) {
    let (token, order) = app.demo_order("ann@example.com", "card").await;
    app.run_jobs().await;
    let id = order["id"].as_str().unwrap();
    let fetched = app
        .get(&format!("/api/v1/store/orders/{id}"))
        .bearer(&token)
        .send()
        .await;
    let reference = fetched.body["payments"][0]["reference"]
        .as_str()
        .unwrap_or_else(|| panic!("an intent id: {}", fetched.text))
        .to_owned();
    (order, reference)
}

#[tokio::test]
async fn checkout_by_card_creates_one_payment_intent_even_when_the_job_runs_twice() {
    let (app, mock) = stripe_app().await;
    let admin = app.admin().await;
    mock.then(Next::LoseAnswer);
    let (_, order) = app.demo_order("ann@example.com", "card").await;
    let payment = &order["payments"][0];
    assert_eq!(payment["provider"], "stripe");
    assert_eq!(payment["status"], "pending");
    assert_eq!(payment["reference"], Value::Null);
    let payment_id = payment["id"].as_str().unwrap();

    // First run: Stripe creates the intent but the answer is lost.
    app.run_jobs().await;
    let id = order["id"].as_str().unwrap();
    assert_eq!(
        admin_order(&app, &admin, id).await["payments"][0]["reference"],
        Value::Null
    );
    // Second run, after the backoff: the same key finds the same intent.
    make_jobs_due(&app).await;
    app.run_jobs().await;

    let calls = mock.requests(INTENTS);
    assert_eq!(calls.len(), 2, "the job ran twice");
    assert_eq!(mock.created(INTENTS), 1, "one intent at Stripe");
    for call in &calls {
        assert_eq!(call.idempotency_key.as_deref(), Some(payment_id));
        assert_eq!(
            call.authorization.as_deref(),
            Some(format!("Bearer {SECRET_KEY}").as_str())
        );
        assert_eq!(call.stripe_version.as_deref(), Some(API_VERSION));
        let total = order["total"]["amount"].as_i64().unwrap().to_string();
        assert_eq!(call.form["amount"], total);
        assert_eq!(call.form["currency"], "usd");
        assert_eq!(call.form["automatic_payment_methods[enabled]"], "true");
        assert_eq!(call.form["metadata[payment_id]"], payment_id);
        assert_eq!(call.form["metadata[order_number]"], order["number"]);
    }
    let stored = admin_order(&app, &admin, id).await;
    assert_eq!(stored["payments"][0]["reference"], "pi_mock0001");
    assert_eq!(stored["payment_method"], "card");
    // Running again (a duplicate job, a recovered lease) asks nothing more.
    make_jobs_due(&app).await;
    app.run_jobs().await;
    assert_eq!(mock.requests(INTENTS).len(), 2);
}

#[tokio::test]
async fn a_signed_payment_intent_succeeded_pays_the_order_once_however_often_it_comes() {
    let (app, _mock) = stripe_app().await;
    let admin = app.admin().await;
    let (order, pi) = opened_order(&app).await;
    let id = order["id"].as_str().unwrap();

    // A declined attempt keeps the payment open for another card.
    let declined = {
        let mut object = intent(&order, &pi, "requires_payment_method");
        object["last_payment_error"] = json!({"message": "Your card was declined."});
        event("evt_declined", "payment_intent.payment_failed", object)
    };
    let answer = deliver(&app, &declined, Some(&sign(&declined, 0))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let after_decline = admin_order(&app, &admin, id).await;
    assert_eq!(after_decline["status"], "pending_payment");
    assert_eq!(after_decline["payments"][0]["status"], "pending");

    let body = event(
        "evt_succeeded",
        "payment_intent.succeeded",
        intent(&order, &pi, "succeeded"),
    );
    for _ in 0..3 {
        let answer = deliver(&app, &body, Some(&sign(&body, 0))).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert_eq!(answer.body["received"], true);
    }
    let paid = admin_order(&app, &admin, id).await;
    assert_eq!(paid["status"], "paid");
    assert_eq!(paid["payment_status"], "paid");
    assert_eq!(paid["payments"][0]["status"], "succeeded");
    let history = paid["history"].as_array().unwrap();
    assert_eq!(
        history.iter().filter(|e| e["status"] == "paid").count(),
        1,
        "one capture for three deliveries"
    );
    assert!(
        history
            .iter()
            .any(|e| e["note"].as_str().is_some_and(|n| n.contains("declined"))),
        "{paid}"
    );

    // Another event id for the same intent captures nothing more.
    let again = event(
        "evt_succeeded_2",
        "payment_intent.succeeded",
        intent(&order, &pi, "succeeded"),
    );
    assert_eq!(
        deliver(&app, &again, Some(&sign(&again, 0))).await.status,
        StatusCode::OK
    );
    let still = admin_order(&app, &admin, id).await;
    assert_eq!(
        still["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["status"] == "paid")
            .count(),
        1
    );
}

#[tokio::test]
async fn unsigned_forged_and_stale_stripe_webhooks_are_refused_and_change_nothing() {
    let (app, _mock) = stripe_app().await;
    let admin = app.admin().await;
    let (order, pi) = opened_order(&app).await;
    let id = order["id"].as_str().unwrap();
    let body = event(
        "evt_1",
        "payment_intent.succeeded",
        intent(&order, &pi, "succeeded"),
    );

    deliver(&app, &body, None)
        .await
        .problem(StatusCode::BAD_REQUEST);
    let forged = signature::sign(
        "whsec_other",
        chrono::Utc::now().timestamp(),
        body.as_bytes(),
    );
    deliver(&app, &body, Some(&forged))
        .await
        .problem(StatusCode::BAD_REQUEST);
    deliver(&app, &body, Some(&sign(&body, 301)))
        .await
        .problem(StatusCode::BAD_REQUEST);
    deliver(&app, &body, Some("t=now,v1=00"))
        .await
        .problem(StatusCode::BAD_REQUEST);
    let tampered = body.replace("evt_1", "evt_2");
    deliver(&app, &tampered, Some(&sign(&body, 0)))
        .await
        .problem(StatusCode::BAD_REQUEST);
    // The testpay signature header is not Stripe's.
    let answer = app
        .post("/api/v1/payments/webhooks/stripe")
        .header("souk-signature", &sign(&body, 0))
        .raw("application/json", &body)
        .send()
        .await;
    answer.problem(StatusCode::BAD_REQUEST);
    let unchanged = admin_order(&app, &admin, id).await;
    assert_eq!(unchanged["status"], "pending_payment");
    assert_eq!(unchanged["payments"][0]["status"], "pending");

    // A well-signed event about a souk payment that does not exist.
    let mut lost = intent(&order, "pi_unknown", "succeeded");
    lost["metadata"] = json!({"payment_id": "no-such-payment"});
    let unknown = event("evt_3", "payment_intent.succeeded", lost);
    deliver(&app, &unknown, Some(&sign(&unknown, 0)))
        .await
        .problem(StatusCode::NOT_FOUND);
    // One about an intent of something else on the same Stripe account is
    // acknowledged, so that Stripe stops sending it, and changes nothing.
    let mut foreign = intent(&order, "pi_foreign", "succeeded");
    foreign["metadata"] = json!({});
    let other_system = event("evt_3b", "payment_intent.succeeded", foreign);
    let acknowledged = deliver(&app, &other_system, Some(&sign(&other_system, 0))).await;
    assert_eq!(acknowledged.status, StatusCode::OK, "{}", acknowledged.text);
    let mut charge: Value = serde_json::from_str(mock::CHARGE).unwrap();
    charge["payment_intent"] = "pi_foreign".into();
    let foreign_refund = event("evt_3c", "charge.refunded", charge);
    let acknowledged = deliver(&app, &foreign_refund, Some(&sign(&foreign_refund, 0))).await;
    assert_eq!(acknowledged.status, StatusCode::OK, "{}", acknowledged.text);
    // Amount that does not match the payment.
    let mut cheaper = intent(&order, &pi, "succeeded");
    cheaper["amount"] = json!(1);
    let cheap = event("evt_4", "payment_intent.succeeded", cheaper);
    deliver(&app, &cheap, Some(&sign(&cheap, 0)))
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY);
    // Events souk does not handle are acknowledged.
    let other = event("evt_5", "customer.created", json!({"id": "cus_1"}));
    assert_eq!(
        deliver(&app, &other, Some(&sign(&other, 0))).await.status,
        StatusCode::OK
    );
    assert_eq!(
        admin_order(&app, &admin, id).await["status"],
        "pending_payment"
    );

    // While a secret is rolled, Stripe signs with both: one v1 must match.
    let good = sign(&body, 0);
    let (t, v1) = good.split_once(",v1=").unwrap();
    let rolled = format!("{t},v1={},v1={v1},v0={v1}", "ab".repeat(32));
    let answer = deliver(&app, &body, Some(&rolled)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(admin_order(&app, &admin, id).await["status"], "paid");
}

#[tokio::test]
async fn a_refund_is_made_at_stripe_once_and_never_above_what_was_captured() {
    let (app, mock) = stripe_app().await;
    let admin = app.admin().await;
    let (order, pi) = opened_order(&app).await;
    let id = order["id"].as_str().unwrap();
    let total = order["total"]["amount"].as_i64().unwrap();
    let payment_id = order["payments"][0]["id"].as_str().unwrap();
    let path = format!("/api/v1/admin/orders/{id}/refunds");
    let refund = |amount: i64, key: &str| {
        app.post(&path)
            .bearer(&admin)
            .header("idempotency-key", key)
            .json(json!({"amount": amount, "reason": "damaged in transit"}))
            .send()
    };

    // Nothing captured yet: nothing to refund.
    refund(100, "r0").await.problem(StatusCode::CONFLICT);
    app.run_jobs().await;
    assert!(mock.requests(REFUNDS).is_empty());

    let paid = event(
        "evt_paid",
        "payment_intent.succeeded",
        intent(&order, &pi, "succeeded"),
    );
    deliver(&app, &paid, Some(&sign(&paid, 0))).await;
    let partial = refund(100, "r1").await;
    assert_eq!(partial.status, StatusCode::CREATED, "{}", partial.text);
    assert_eq!(partial.body["payment_status"], "partially_refunded");
    assert_eq!(refund(100, "r1").await.text, partial.text, "a replay");
    refund(total, "r2").await.problem(StatusCode::CONFLICT);
    app.run_jobs().await;
    make_jobs_due(&app).await;
    app.run_jobs().await;

    let calls = mock.requests(REFUNDS);
    assert_eq!(calls.len(), 1, "one refund at Stripe: {calls:?}");
    let call = &calls[0];
    assert_eq!(call.form["payment_intent"], pi);
    assert_eq!(call.form["amount"], "100");
    assert_eq!(call.form["metadata[payment_id]"], payment_id);
    let key = call.idempotency_key.as_deref().unwrap();
    let refund_id = &call.form["metadata[refund_id]"];
    assert_eq!(key, format!("{payment_id}-refund-{refund_id}"));
    assert_eq!(call.stripe_version.as_deref(), Some(API_VERSION));

    // Stripe reports its running total: souk's own refund is not counted
    // twice; one made in Stripe's dashboard is added.
    let mut charge: Value = serde_json::from_str(mock::CHARGE).unwrap();
    charge["payment_intent"] = pi.clone().into();
    charge["amount"] = total.into();
    charge["amount_refunded"] = 100.into();
    let ours = event("evt_ref_1", "charge.refunded", charge.clone());
    assert_eq!(
        deliver(&app, &ours, Some(&sign(&ours, 0))).await.status,
        StatusCode::OK
    );
    assert_eq!(
        admin_order(&app, &admin, id).await["payments"][0]["refunded"]["amount"],
        100
    );
    charge["amount_refunded"] = 150.into();
    let dashboard = event("evt_ref_2", "charge.refunded", charge.clone());
    for _ in 0..3 {
        assert_eq!(
            deliver(&app, &dashboard, Some(&sign(&dashboard, 0)))
                .await
                .status,
            StatusCode::OK
        );
    }
    let after = admin_order(&app, &admin, id).await;
    assert_eq!(after["payments"][0]["refunded"]["amount"], 150);
    assert_eq!(after["payment_status"], "partially_refunded");
    // More than was captured is refused, and so is Stripe's word for it.
    refund(total - 149, "r3")
        .await
        .problem(StatusCode::CONFLICT);
    charge["amount_refunded"] = (total + 1).into();
    let too_much = event("evt_ref_3", "charge.refunded", charge);
    deliver(&app, &too_much, Some(&sign(&too_much, 0)))
        .await
        .problem(StatusCode::CONFLICT);
    let rest = refund(total - 150, "r4").await;
    assert_eq!(rest.status, StatusCode::CREATED, "{}", rest.text);
    assert_eq!(rest.body["status"], "refunded");
    app.run_jobs().await;
    let calls = mock.requests(REFUNDS);
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].form["amount"], (total - 150).to_string());
}

#[tokio::test]
async fn a_refund_stripe_refuses_is_noted_on_the_order() {
    let (app, mock) = stripe_app().await;
    let admin = app.admin().await;
    let (order, pi) = opened_order(&app).await;
    let id = order["id"].as_str().unwrap();
    let paid = event(
        "evt_paid",
        "payment_intent.succeeded",
        intent(&order, &pi, "succeeded"),
    );
    deliver(&app, &paid, Some(&sign(&paid, 0))).await;
    let refunded = app
        .post(&format!("/api/v1/admin/orders/{id}/refunds"))
        .bearer(&admin)
        .header("idempotency-key", "refused-refund")
        .json(json!({"amount": 100, "reason": "scratched"}))
        .send()
        .await;
    assert_eq!(refunded.status, StatusCode::CREATED, "{}", refunded.text);
    mock.then(Next::Refuse);
    app.run_jobs().await;
    make_jobs_due(&app).await;
    app.run_jobs().await;
    assert_eq!(mock.requests(REFUNDS).len(), 1, "no retries");

    let stored = admin_order(&app, &admin, id).await;
    let notes: Vec<&str> = stored["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|event| event["note"].as_str())
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("Stripe refused the refund of 100")),
        "{notes:?}"
    );
    let failed = app
        .get("/api/v1/admin/jobs?status=failed")
        .bearer(&admin)
        .send()
        .await;
    assert_eq!(failed.body["items"][0]["kind"], "stripe_create_refund");
}

#[tokio::test]
async fn a_refusal_from_stripe_fails_the_job_at_once_and_shows_why() {
    let (app, mock) = stripe_app().await;
    let admin = app.admin().await;
    mock.then(Next::Refuse);
    let (_, order) = app.demo_order("ann@example.com", "card").await;
    app.run_jobs().await;
    make_jobs_due(&app).await;
    app.run_jobs().await;
    assert_eq!(mock.requests(INTENTS).len(), 1, "no retries");

    let failed = app
        .get("/api/v1/admin/jobs?status=failed")
        .bearer(&admin)
        .send()
        .await;
    let jobs = failed.body["items"].as_array().unwrap();
    assert_eq!(jobs.len(), 1, "{}", failed.text);
    assert_eq!(jobs[0]["kind"], "stripe_create_payment_intent");
    assert_eq!(jobs[0]["attempts"], 1);
    assert!(
        jobs[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("amount_too_small"),
        "{}",
        failed.text
    );
    let id = order["id"].as_str().unwrap();
    let stored = admin_order(&app, &admin, id).await;
    assert_eq!(stored["payments"][0]["status"], "failed");
    assert_eq!(stored["status"], "pending_payment");
    let note = stored["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert!(
        note["note"]
            .as_str()
            .unwrap_or("")
            .contains("Stripe refused"),
        "{note}"
    );
    // The shopper's payment page says so; it is not a 404.
    let page = app
        .get(&format!(
            "/pay/{}",
            order["payments"][0]["id"].as_str().unwrap()
        ))
        .send()
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("failed"), "{}", page.text);
}

#[tokio::test]
async fn the_payment_page_mounts_stripe_js_with_a_policy_of_its_own() {
    let (app, _mock) = stripe_app().await;
    let (_, order) = app.demo_order("ann@example.com", "card").await;
    let path = format!("/pay/{}", order["payments"][0]["id"].as_str().unwrap());

    // Before the job ran: the page says so and reloads itself.
    let preparing = app.get(&path).send().await;
    assert_eq!(preparing.status, StatusCode::OK);
    assert!(
        preparing.text.contains("being prepared"),
        "{}",
        preparing.text
    );
    assert!(preparing.text.contains("http-equiv=\"refresh\""));
    let strict = preparing.headers["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(!strict.contains("stripe.com"), "{strict}");

    app.run_jobs().await;
    let page = app.get(&path).send().await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.text.contains(PUBLISHABLE_KEY));
    assert!(page.text.contains("pi_mock0001_secret_mock0001"));
    assert!(page.text.contains(order["number"].as_str().unwrap()));
    assert!(
        page.text
            .contains("<script src=\"https://js.stripe.com/v3/\" defer></script>")
    );
    let src = page
        .text
        .split("src=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|src| src.starts_with("/static/stripe-pay."))
        .expect("the script at its hashed address");
    assert!(src.ends_with(".js") && src.len() > "/static/stripe-pay.js".len());
    assert!(!page.text.contains("<script>"), "no inline script");
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    for directive in [
        "script-src 'self' https://js.stripe.com",
        "frame-src https://js.stripe.com",
        "connect-src https://api.stripe.com",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline'; script") && !csp.contains("script-src 'unsafe"));
    let script = app.get(src).send().await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(script.text.contains("confirmPayment"));
    // Other pages keep their own policy.
    let home = app.get("/").send().await;
    let home_csp = home.headers["content-security-policy"].to_str().unwrap();
    assert!(!home_csp.contains("stripe.com"), "{home_csp}");

    // Back from Stripe before the webhook: a thank-you, not a form.
    let back = app
        .get(&format!(
            "{path}?payment_intent=pi_mock0001&redirect_status=succeeded"
        ))
        .send()
        .await;
    assert_eq!(back.status, StatusCode::OK);
    assert!(back.text.contains("Thank you"), "{}", back.text);
    // testpay's card form is not offered for a Stripe payment.
    let posted = app
        .post(&path)
        .raw(
            "application/x-www-form-urlencoded",
            "card_number=4242424242424242",
        )
        .send()
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_html_checkout_by_card_lands_on_the_stripe_payment_page() {
    let (app, _mock) = stripe_app().await;
    let mut browser = Browser::new(&app);
    let target = check_out_by_card(&mut browser).await;
    assert!(target.starts_with("/pay/"), "{target}");
    let first = browser.get(&target).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    app.run_jobs().await;
    let ready = browser.get(&target).await;
    assert_eq!(ready.status, StatusCode::OK);
    assert!(ready.text.contains("stripe-payment"));
}

#[tokio::test]
async fn an_expired_order_cancels_its_payment_intent() {
    let (app, mock) = stripe_app_with(ShopConfig {
        payment_timeout: chrono::Duration::seconds(0),
        ..ShopConfig::default()
    })
    .await;
    let admin = app.admin().await;
    let (order, reference) = opened_order(&app).await;
    let id = order["id"].as_str().unwrap();
    let payment_id = order["payments"][0]["id"].as_str().unwrap();

    assert_eq!(app.shop.expire_unpaid_orders().await.unwrap(), 1);
    app.run_jobs().await;
    let cancel = format!("{INTENTS}/{reference}/cancel");
    let calls = mock.requests(&cancel);
    assert_eq!(calls.len(), 1, "one cancel for the expired order");
    assert_eq!(
        calls[0].idempotency_key.as_deref(),
        Some(format!("{payment_id}-cancel").as_str())
    );
    assert_eq!(calls[0].form["cancellation_reason"], "abandoned");
    let stored = admin_order(&app, &admin, id).await;
    assert_eq!(stored["status"], "expired");
    assert_eq!(stored["payments"][0]["status"], "failed");

    // Stripe's own event about it changes nothing more.
    let body = event(
        "evt_cancelled",
        "payment_intent.canceled",
        intent(&order, &reference, "canceled"),
    );
    let delivered = deliver(&app, &body, Some(&sign(&body, 0))).await;
    assert_eq!(delivered.status, StatusCode::OK, "{}", delivered.text);
    make_jobs_due(&app).await;
    app.run_jobs().await;
    assert_eq!(mock.requests(&cancel).len(), 1);
}
