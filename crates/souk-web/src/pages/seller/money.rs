//! `/seller/money`: what the seller is owed and has been paid: the
//! balance, the ledger of a period, its statement as CSV, and the payouts.

use super::super::admin::refusal;
use super::super::filters;
use super::super::forms::Errors;
use super::super::layout::Layout;
use super::super::panel::{PanelNav, PanelVisitor};
use super::super::{PageError, ok, render};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::marketplace::{
    BalanceView, LedgerEntryView, LedgerQuery, PayoutDetail, PayoutFilter, PayoutSettings,
    PayoutView,
};
use souk_domain::Money;
use souk_domain::paging::PageRequest;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/money", get(money))
        .route("/statement.csv", get(statement))
        .route("/payouts/{id}", get(payout))
}

/// The period and page a seller asked for.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PeriodParams {
    from: String,
    to: String,
    page: Option<i64>,
}

impl PeriodParams {
    fn query(&self) -> LedgerQuery {
        let end = |raw: &str| Some(raw.trim().to_owned()).filter(|s| !s.is_empty());
        LedgerQuery {
            seller_id: None,
            from: end(&self.from),
            to: end(&self.to),
        }
    }
}

#[derive(Template)]
#[template(path = "seller/money.html")]
struct MoneyPage {
    layout: Layout,
    admin: PanelNav,
    balances: Vec<BalanceView>,
    terms: PayoutSettings,
    /// The smallest payout, in the shop's currency.
    minimum: Money,
    entries: Vec<LedgerEntryView>,
    payouts: Vec<PayoutView>,
    from: String,
    to: String,
    errors: Errors,
    total: u64,
    page: u64,
    pages: u64,
}

async fn money(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Query(params): Query<PeriodParams>,
) -> Result<Response, PageError> {
    let shop = &state.shop;
    let page = PageRequest::parse(params.page, Some(25)).unwrap_or_default();
    let (entries, errors) = match shop
        .seller_ledger(&panel.actor, &params.query(), page)
        .await
    {
        Ok(found) => (found, Errors::default()),
        Err(err @ CoreError::Validation(_)) => {
            let none = shop
                .seller_ledger(&panel.actor, &LedgerQuery::default(), page)
                .await?;
            (none, Errors::from_core(err)?)
        }
        Err(err) => return Err(err.into()),
    };
    let status = if errors.general.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let recent = PageRequest {
        page: 1,
        per_page: 10,
    };
    let payouts = shop
        .list_payouts(&panel.actor, PayoutFilter::default(), recent)
        .await?;
    let (layout, admin) = panel
        .frame(&state, "/seller/money", "Balance and payouts")
        .await?;
    let balances = shop.seller_balance(&panel.actor, None).await?;
    let terms = shop.payout_settings().await?;
    let currency = balances
        .first()
        .map_or(shop.config().currency, |b| b.available.currency);
    Ok(render(
        status,
        &MoneyPage {
            layout,
            admin,
            balances,
            minimum: Money::new(terms.minimum, currency),
            terms,
            pages: entries.total.div_ceil(entries.per_page.max(1)).max(1),
            total: entries.total,
            page: entries.page,
            entries: entries.items,
            payouts: payouts.items,
            from: params.from,
            to: params.to,
            errors,
        },
    ))
}

/// The statement of the period as a CSV download; a period that does not
/// parse goes back to the page with the reason.
async fn statement(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Query(params): Query<PeriodParams>,
) -> Result<Response, PageError> {
    let query = params.query();
    match state.shop.ledger_statement(&panel.actor, &query).await {
        Ok(entries) => Ok(crate::statement::download(&entries, &query)?),
        Err(err) => {
            let message = super::super::Flash::refused(format!("No statement: {}", refusal(err)?));
            Ok(super::super::redirect_with(
                "/seller/money",
                message,
                &panel.visitor,
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "seller/payout.html")]
struct PayoutPage {
    layout: Layout,
    admin: PanelNav,
    detail: PayoutDetail,
}

async fn payout(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let detail = state.shop.payout(&panel.actor, id).await?;
    let (layout, admin) = panel
        .frame(&state, "/seller/money", format!("Payout #{id}"))
        .await?;
    ok(&PayoutPage {
        layout,
        admin,
        detail,
    })
}
