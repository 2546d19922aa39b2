//! `/pay/{payment_id}`: the payment page. For testpay it stands in for a
//! real provider's page: the shopper enters a test card, and the outcome
//! reaches the shop as a signed webhook. For Stripe it mounts Stripe.js's
//! Payment Element (`static/stripe-pay.js`), under a content security
//! policy that lets Stripe in on this page alone; Stripe's webhook
//! reports the outcome.

use crate::AppState;
use crate::html::{STRIPE_CSP, escape, page, shell};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::payments::PaymentPage;
use souk_core::payments::stripe::StripeCheckout;
use souk_core::testpay::{CARD_DECLINED, CARD_SUCCEEDS, CardOutcome};
use souk_domain::payments::AttemptStatus;

pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/pay/{payment_id}", get(show).post(pay))
        .route("/pay/{payment_id}/again", post(pay_again))
        .with_state(state)
}

#[derive(Debug, Deserialize)]
struct PayForm {
    #[serde(default)]
    card_number: String,
}

fn form(details: &PaymentPage, amount: &str, card: &str, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    format!(
        "<p>Order <strong>{number}</strong>: <strong>{amount}</strong></p>{error}\
         <form method=\"post\"><label for=\"card_number\">Card number</label>\
         <input id=\"card_number\" name=\"card_number\" inputmode=\"numeric\" autocomplete=\"cc-number\" value=\"{card}\" required>\
         <button type=\"submit\">Pay {amount}</button></form>\
         <p class=\"hint\">Test cards: {CARD_SUCCEEDS} is paid, {CARD_DECLINED} is declined.</p>",
        number = escape(&details.order_number),
        amount = escape(amount),
        card = escape(card),
    )
}

/// After a declined card, while the order waits for its payment: a
/// button that opens a new attempt and goes to its page.
fn try_again(details: &PaymentPage, label: &str) -> String {
    if !details.order_unpaid {
        return String::new();
    }
    format!(
        "<form method=\"post\" action=\"/pay/{}/again\"><button type=\"submit\">{}</button></form>",
        escape(&details.payment.id),
        escape(label)
    )
}

/// The way back from the payment page to the order in the shop.
fn back_to_order(details: &PaymentPage) -> String {
    format!(
        "<p><a href=\"/account/orders/{}\">Back to your order</a></p>",
        escape(&details.order_id)
    )
}

fn failure(err: CoreError) -> Response {
    match err {
        CoreError::NotFound(_) => page(
            StatusCode::NOT_FOUND,
            "No such payment",
            "<p>This payment link is not valid.</p>",
        ),
        CoreError::Conflict(detail) => page(
            StatusCode::CONFLICT,
            "Nothing to pay",
            &format!("<p>{}</p>", escape(&detail)),
        ),
        other => {
            tracing::error!(error = ?other, "payment page failed");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "<p>Please try again in a moment.</p>",
            )
        }
    }
}

async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    match state.shop.payment_page(&id).await {
        Ok(details) if details.payment.status == AttemptStatus::Failed && details.order_unpaid => {
            page(
                StatusCode::OK,
                "Payment failed",
                &format!(
                    "<p>This payment did not go through: it failed and took no money. The order still waits for its payment.</p>{}{}",
                    try_again(&details, "Try another card"),
                    back_to_order(&details)
                ),
            )
        }
        Ok(details) if !details.payment.status.is_open() => page(
            StatusCode::OK,
            "Nothing to pay",
            &format!(
                "<p>This payment is {}.</p>{}",
                details.payment.status,
                back_to_order(&details)
            ),
        ),
        Ok(details) => match &details.stripe {
            Some(stripe) => {
                let amount = shown_amount(&state, &details).await;
                stripe_page(&state, &details, &amount, stripe, query.as_deref())
            }
            None => {
                let amount = shown_amount(&state, &details).await;
                page(
                    StatusCode::OK,
                    "Pay by card",
                    &form(&details, &amount, "", None),
                )
            }
        },
        Err(err) => failure(err),
    }
}

/// Where Stripe sends the shopper back after confirming; it adds
/// `redirect_status` to the query.
fn returned_status(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(name, _)| name == "redirect_status")
        .map(|(_, value)| value.into_owned())
}

/// The amount to pay as the shop writes prices (`$49.00`).
async fn shown_amount(state: &AppState, details: &PaymentPage) -> String {
    let locale = match state.shop.site_settings().await {
        Ok(site) => site.locale,
        Err(_) => souk_domain::Locale::default(),
    };
    locale.format(details.payment.amount)
}

fn stripe_page(
    state: &AppState,
    details: &PaymentPage,
    amount: &str,
    stripe: &StripeCheckout,
    query: Option<&str>,
) -> Response {
    let summary = format!(
        "<p>Order <strong>{}</strong>: <strong>{}</strong></p>",
        escape(&details.order_number),
        escape(amount),
    );
    if let Some(status) = returned_status(query).filter(|s| s != "failed") {
        // Back from Stripe before its webhook arrived.
        let message = if status == "succeeded" {
            "Thank you. The shop confirms your order in a moment."
        } else {
            "Your payment is being processed. The shop confirms your order once it is."
        };
        return page(
            StatusCode::OK,
            "Payment received",
            &format!("{summary}<p>{message}</p>{}", back_to_order(details)),
        );
    }
    let Some(publishable_key) = &stripe.publishable_key else {
        tracing::error!("a Stripe payment page without SOUK_STRIPE_PUBLISHABLE_KEY");
        return page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Card payments are unavailable",
            &format!(
                "{summary}<p>The shop cannot take cards at the moment. Please try again later.</p>{}",
                back_to_order(details)
            ),
        );
    };
    let Some(client_secret) = &stripe.client_secret else {
        // The job that opens the payment at Stripe has not run yet.
        let here = format!("/pay/{}", escape(&details.payment.id));
        return shell(
            StatusCode::OK,
            "Preparing your payment",
            "<meta http-equiv=\"refresh\" content=\"3\">",
            &format!(
                "{summary}<p>Your card payment is being prepared. This page reloads by itself in a few seconds.</p>\
                 <p><a href=\"{here}\">Reload now</a></p>{}",
                back_to_order(details)
            ),
            crate::html::CSP,
        );
    };
    let return_url = format!(
        "{}/pay/{}",
        state.shop.config().public_url.trim_end_matches('/'),
        details.payment.id
    );
    let amount = escape(amount);
    shell(
        StatusCode::OK,
        "Pay by card",
        &format!(
            "<script src=\"https://js.stripe.com/v3/\" defer></script><script src=\"{}\" defer></script>",
            crate::pages::assets::href("stripe-pay.js")
        ),
        &format!(
            "{summary}{failed}<form id=\"stripe-payment\" data-publishable-key=\"{key}\" data-client-secret=\"{secret}\" data-return-url=\"{back}\">\
             <div id=\"payment-element\"></div>\
             <p id=\"payment-message\" class=\"error\" role=\"alert\" hidden></p>\
             <button type=\"submit\" id=\"pay-button\">Pay {amount}</button></form>\
             <noscript><p class=\"error\">Paying by card needs JavaScript: the card form is Stripe's.</p></noscript>\
             <p class=\"hint\">Card details go to Stripe directly; the shop never sees them.</p>{way_back}",
            failed = if returned_status(query).is_some() {
                "<p class=\"error\" role=\"alert\">The payment did not go through. Please try again.</p>"
            } else {
                ""
            },
            key = escape(publishable_key),
            secret = escape(client_secret),
            back = escape(&return_url),
            way_back = back_to_order(details),
        ),
        STRIPE_CSP,
    )
}

/// A form posted from another site is refused: the pages only accept
/// their own submissions.
fn cross_site(headers: &HeaderMap) -> Option<Response> {
    let site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("same-origin");
    (site != "same-origin" && site != "none").then(|| {
        page(
            StatusCode::FORBIDDEN,
            "Refused",
            "<p>This form can only be sent from its own page.</p>",
        )
    })
}

async fn pay(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = cross_site(&headers) {
        return refused;
    }
    let card = serde_urlencoded::from_bytes::<PayForm>(&body)
        .map(|f| f.card_number)
        .unwrap_or_default();
    let details = match state.shop.testpay_page(&id).await {
        Ok(details) => details,
        Err(err) => return failure(err),
    };
    match state.shop.testpay_pay(&id, &card).await {
        Ok(CardOutcome::Succeeded) => page(
            StatusCode::OK,
            "Payment accepted",
            &format!(
                "<p>Thank you. The shop confirms order <strong>{}</strong> in a moment.</p>{}",
                escape(&details.order_number),
                back_to_order(&details)
            ),
        ),
        Ok(CardOutcome::Declined) => page(
            StatusCode::OK,
            "Card declined",
            &format!(
                "<p class=\"error\" role=\"alert\">Your card was declined. The order waits for its payment: try another card.</p>{}{}",
                try_again(&details, "Try another card"),
                back_to_order(&details)
            ),
        ),
        Err(CoreError::Validation(errors)) => {
            let message = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            page(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Pay by card",
                &form(
                    &details,
                    &shown_amount(&state, &details).await,
                    &card,
                    Some(&message),
                ),
            )
        }
        Err(err) => failure(err),
    }
}

/// A new attempt after a declined card: to its page, or the reason there
/// is nothing to pay.
async fn pay_again(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = cross_site(&headers) {
        return refused;
    }
    match state.shop.pay_again_after(&id).await {
        Ok(open) => Redirect::to(&format!(
            "/pay/{}",
            form_urlencoded::byte_serialize(open.as_bytes()).collect::<String>()
        ))
        .into_response(),
        Err(err) => failure(err),
    }
}
