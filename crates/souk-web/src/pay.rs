//! `/pay/{payment_id}`: testpay's hosted payment page. It stands in for a
//! real provider's page: the shopper enters a test card, and the outcome
//! reaches the shop as a signed webhook.

use crate::AppState;
use crate::html::{escape, page};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::testpay::{CARD_DECLINED, CARD_SUCCEEDS, CardOutcome, PaymentPage};

pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/pay/{payment_id}", get(show).post(pay))
        .with_state(state)
}

#[derive(Debug, Deserialize)]
struct PayForm {
    #[serde(default)]
    card_number: String,
}

fn form(details: &PaymentPage, card: &str, error: Option<&str>) -> String {
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
        amount = escape(&details.payment.amount.to_string()),
        card = escape(card),
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

async fn show(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match state.shop.testpay_page(&id).await {
        Ok(details) if details.payment.status == "pending" => {
            page(StatusCode::OK, "Pay by card", &form(&details, "", None))
        }
        Ok(details) => page(
            StatusCode::OK,
            "Nothing to pay",
            &format!(
                "<p>This payment is {}.</p>",
                escape(&details.payment.status)
            ),
        ),
        Err(err) => failure(err),
    }
}

async fn pay(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // A form posted from another site is refused: the page only accepts
    // its own submissions.
    let site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("same-origin");
    if site != "same-origin" && site != "none" {
        return page(
            StatusCode::FORBIDDEN,
            "Refused",
            "<p>This form can only be sent from its own page.</p>",
        );
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
                "<p>Your card was declined. The order stays unpaid.</p>{}",
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
                &form(&details, &card, Some(&message)),
            )
        }
        Err(err) => failure(err),
    }
}
