//! Orders for staff: the list with its filters, and an order's page with
//! its lines, payments and history, where staff move it on or refund it.

use super::{AdminNav, Section, refusal};
use crate::AppState;
use crate::pages::filters;
use crate::pages::forms::{Errors, PageForm, encode};
use crate::pages::layout::Layout;
use crate::pages::{Flash, PageError, StaffVisitor, ok, redirect_with, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use souk_core::marketplace::{CANCEL_REASON_MAX, CommissionLineView, PARCEL_MOVES};
use souk_core::orders::{IdempotencyKey, OrderQuery, OrderView};
use souk_core::payments::RefundInput;
use souk_domain::Money;
use souk_domain::marketplace::FulfilmentStatus;
use souk_domain::orders::OrderStatus;
use souk_domain::paging::Page;
use souk_domain::payments::AttemptStatus;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/orders", get(list))
        .route("/orders/{id}", get(show))
        .route("/orders/{id}/status", post(change_status))
        .route("/orders/{id}/refunds", post(refund))
}

/// The list's filters, as the filter form sends them.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(default)]
struct ListParams {
    status: String,
    number: String,
    email: String,
    from: String,
    to: String,
    page: Option<i64>,
}

impl ListParams {
    /// The filters as a query string, for the paging links.
    fn query(&self) -> String {
        let filters = Self {
            page: None,
            ..self.clone()
        };
        serde_urlencoded::to_string(filters).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "admin/orders.html")]
struct OrdersPage {
    layout: Layout,
    admin: AdminNav,
    statuses: [OrderStatus; 8],
    params: ListParams,
    errors: Errors,
    orders: Vec<OrderView>,
    total: u64,
    page: u64,
    pages: u64,
    /// The filters, for the paging links.
    query: String,
}

async fn list(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    let (layout, admin) = staff.admin_frame(&state, Section::Orders, "Orders").await?;
    let none_if_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let query = OrderQuery {
        status: none_if_empty(&params.status),
        from: none_if_empty(&params.from),
        to: none_if_empty(&params.to),
        email: none_if_empty(&params.email),
        number: none_if_empty(&params.number),
        page: params.page,
        per_page: Some(25),
    };
    let (orders, errors, status) = match state.shop.list_orders(&staff.actor, query).await {
        Ok(found) => (found, Errors::default(), StatusCode::OK),
        Err(err) => (
            Page {
                items: Vec::new(),
                page: 1,
                per_page: 25,
                total: 0,
            },
            Errors::from_core(err)?,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let page = OrdersPage {
        layout,
        admin,
        statuses: OrderStatus::ALL,
        query: params.query(),
        params,
        errors,
        total: orders.total,
        page: orders.page.max(1),
        pages: orders.pages(),
        orders: orders.items,
    };
    Ok(render(status, &page))
}

#[derive(Template)]
#[template(path = "admin/order.html")]
struct OrderPage {
    layout: Layout,
    admin: AdminNav,
    order: OrderView,
    /// The statuses the order may move to now.
    next: Vec<OrderStatus>,
    /// Captured and not yet refunded.
    refundable: Money,
    /// Makes a twice-sent refund form one refund.
    refund_key: String,
    /// What the marketplace takes from each seller's line.
    commissions: Vec<CommissionLineView>,
    parcel_moves: [FulfilmentStatus; 3],
    cancel_reason_max: usize,
}

impl OrderPage {
    /// This page, for the parcel forms to come back to.
    fn back(&self) -> String {
        format!("/admin/orders/{}", self.order.id)
    }

    /// The name of the order line `item_id`, for the commission table.
    fn line_name(&self, item_id: &i64) -> &str {
        self.order
            .items
            .iter()
            .find(|i| i.id == *item_id)
            .map_or("", |i| i.name.as_str())
    }

    /// The commission lines' total.
    fn commission_total(&self) -> Money {
        let total = self.commissions.iter().map(|c| c.commission.amount).sum();
        Money::new(total, self.order.total.currency)
    }
}

async fn show(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let order = state.shop.get_order(&staff.actor, &id).await?;
    let commissions = state.shop.order_commissions(&staff.actor, &id).await?;
    let (layout, admin) = staff
        .admin_frame(&state, Section::Orders, format!("Order {}", order.number))
        .await?;
    let next = OrderStatus::ALL
        .into_iter()
        .filter(|s| order.status.can_become(*s))
        .collect();
    let refundable = order
        .payments
        .iter()
        .filter(|p| p.status == AttemptStatus::Succeeded)
        .map(|p| p.amount.amount - p.refunded.amount)
        .sum();
    ok(&OrderPage {
        layout,
        admin,
        next,
        refundable: Money::new(refundable, order.total.currency),
        refund_key: uuid::Uuid::new_v4().to_string(),
        commissions,
        parcel_moves: PARCEL_MOVES,
        cancel_reason_max: CANCEL_REASON_MAX,
        order,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    status: String,
    note: String,
}

async fn change_status(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<String>,
    PageForm(form): PageForm<StatusForm>,
) -> Result<Response, PageError> {
    let note = Some(form.note.trim()).filter(|n| !n.is_empty());
    let to = format!("/admin/orders/{}", encode(&id));
    let message = match state
        .shop
        .set_order_status(&staff.actor, &id, &form.status, note)
        .await
    {
        Ok(order) => format!(
            "Order {} is now {}.",
            order.number,
            order.status.as_str().replace('_', " ")
        )
        .into(),
        Err(err) => Flash::refused(refusal(err)?),
    };
    Ok(redirect_with(&to, &message, &staff.visitor))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RefundForm {
    amount: String,
    reason: String,
    idempotency_key: String,
    /// The parcel it is for; empty for the whole order.
    #[serde(default)]
    parcel: String,
}

async fn refund(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<String>,
    PageForm(form): PageForm<RefundForm>,
) -> Result<Response, PageError> {
    let to = format!("/admin/orders/{}", encode(&id));
    let amount = match Money::parse_major(&form.amount, state.shop.config().currency) {
        Ok(amount) => amount,
        Err(e) => {
            let message = Flash::refused(format!("The refund amount {}.", e.0));
            return Ok(redirect_with(&to, message, &staff.visitor));
        }
    };
    let parcel = match form.parcel.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                return Ok(redirect_with(
                    &to,
                    Flash::refused("Choose a parcel of this order."),
                    &staff.visitor,
                ));
            }
        },
    };
    let body = format!("{}|{}|{}", amount.amount, form.reason, form.parcel.trim());
    let key = IdempotencyKey {
        scope: format!("page-refund:{}", staff.actor.user_id().map_or(0, |u| u.0)),
        key: form.idempotency_key.trim(),
        body: body.as_bytes(),
    };
    let result = state
        .shop
        .refund_order(
            &staff.actor,
            &id,
            RefundInput {
                amount: amount.amount,
                currency: None,
                reason: &form.reason,
                fulfilment_id: parcel,
            },
            &key,
            &|order| Ok(order.id.clone()),
        )
        .await;
    let message = match result {
        Ok(_) => {
            let locale = state.shop.site_settings().await?.locale;
            format!("Refunded {}.", locale.format(amount)).into()
        }
        Err(err) => Flash::refused(refusal(err)?),
    };
    Ok(redirect_with(&to, &message, &staff.visitor))
}
