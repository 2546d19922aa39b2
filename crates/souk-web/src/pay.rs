//! `/pay/{payment_id}`: testpay's hosted payment page. It stands in for a
//! real provider's page: the shopper enters a test card, and the outcome
//! reaches the shop as a signed webhook.

use crate::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
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

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · testpay</title><style>\
         body{{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1c1e21;margin:0;display:flex;justify-content:center;padding:3rem 1rem}}\
         main{{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem;max-width:26rem;width:100%}}\
         h1{{font-size:1.3rem;margin-top:0}} label{{display:block;font-weight:600;margin:1rem 0 .3rem}}\
         input{{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #c4c8cf;border-radius:6px}}\
         button{{margin-top:1rem;width:100%;padding:.7rem;font-size:1rem;background:#3550e8;color:#fff;border:0;border-radius:6px}}\
         .error{{color:#b42318}} .hint{{color:#5f6672;font-size:.9rem}}\
         @media (prefers-color-scheme: dark){{body{{background:#15171a;color:#e8eaed}} main{{background:#1f2226}} input{{background:#15171a;color:#e8eaed;border-color:#3a3f46}}}}\
         </style></head><body><main><h1>{title}</h1>{body}</main></body></html>",
        title = escape(title),
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
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
                "<p>Thank you. The shop confirms order <strong>{}</strong> in a moment.</p>",
                escape(&details.order_number)
            ),
        ),
        Ok(CardOutcome::Declined) => page(
            StatusCode::OK,
            "Card declined",
            "<p>Your card was declined. The order stays unpaid.</p>",
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
