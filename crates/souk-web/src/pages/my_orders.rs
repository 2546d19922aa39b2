//! The shopper's orders in the account: the list, one order with its
//! parcels and history, its invoice, cancelling it while unpaid, and
//! paying it again after a declined card.

use super::filters;
use super::layout::Layout;
use super::{Customer, Flash, PageError, ok, redirect, redirect_with};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::orders::OrderView;
use souk_domain::orders::OrderStatus;
use souk_domain::paging::PageRequest;
use souk_domain::payments::AttemptStatus;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/orders", get(my_orders))
        .route("/account/orders/{id}", get(my_order))
        .route("/account/orders/{id}/invoice", get(invoice))
        .route("/account/orders/{id}/cancel", post(cancel_order))
        .route("/account/orders/{id}/pay", post(pay_again))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageParam {
    page: String,
}

#[derive(Template)]
#[template(path = "orders.html")]
struct OrdersPage {
    layout: Layout,
    orders: Vec<OrderView>,
    page: u64,
    pages: u64,
}

async fn my_orders(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    Query(params): Query<PageParam>,
) -> Result<Response, PageError> {
    let page = PageRequest::parse(params.page.trim().parse().ok(), Some(20)).unwrap_or_default();
    let found = state.shop.list_my_orders(caller, page).await?;
    let layout = visitor.layout(&state, "Your orders").await?;
    ok(&OrdersPage {
        layout,
        pages: found.pages(),
        page: found.page,
        orders: found.items,
    })
}

#[derive(Template)]
#[template(path = "order.html")]
struct OrderPage {
    layout: Layout,
    order: OrderView,
    /// The hosted payment page, while a card payment is open.
    pay_url: Option<String>,
    /// Whether the order's last card payment failed while it still waits
    /// for one: it may be paid through a new attempt.
    pay_again: bool,
    can_cancel: bool,
}

async fn my_order(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let order = state.shop.get_my_order(caller, &id).await?;
    let layout = visitor
        .layout(&state, format!("Order {}", order.number))
        .await?;
    let pending = order.status == OrderStatus::PendingPayment;
    let pay_url = order
        .payments
        .iter()
        .find(|p| pending && p.status.is_open())
        .map(|p| format!("/pay/{}", p.id));
    let pay_again = pending
        && pay_url.is_none()
        && order
            .payments
            .last()
            .is_some_and(|p| p.status == AttemptStatus::Failed);
    ok(&OrderPage {
        layout,
        pay_url,
        pay_again,
        can_cancel: pending,
        order,
    })
}

#[derive(Template)]
#[template(path = "invoice.html")]
struct InvoicePage {
    layout: Layout,
    order: OrderView,
}

async fn invoice(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let order = state.shop.get_my_order(caller, &id).await?;
    let layout = visitor
        .layout(&state, format!("Invoice {}", order.number))
        .await?;
    ok(&InvoicePage { layout, order })
}

async fn cancel_order(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let back = format!("/account/orders/{}", super::forms::encode(&id));
    match state.shop.cancel_my_order(caller, &id).await {
        Ok(_) => Ok(redirect_with(&back, "Your order is cancelled.", &visitor)),
        Err(CoreError::Conflict(message)) => {
            Ok(redirect_with(&back, Flash::Refused(message), &visitor))
        }
        Err(err) => Err(err.into()),
    }
}

/// A new card payment for the caller's order whose last one failed: to its
/// page, or back to the order with the reason there is nothing to pay.
async fn pay_again(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let back = format!("/account/orders/{}", super::forms::encode(&id));
    let order = state.shop.get_my_order(caller, &id).await?;
    let Some(last) = order.payments.last() else {
        return Ok(redirect_with(
            &back,
            Flash::refused("This order is not paid by card."),
            &visitor,
        ));
    };
    match state.shop.pay_again_after(&last.id).await {
        Ok(open) => Ok(redirect(&format!("/pay/{}", super::forms::encode(&open)))),
        Err(CoreError::Conflict(message)) => {
            Ok(redirect_with(&back, Flash::Refused(message), &visitor))
        }
        Err(err) => Err(err.into()),
    }
}
