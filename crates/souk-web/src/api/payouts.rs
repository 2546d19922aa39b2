//! Sellers' money: `/api/v1/seller/{balance,ledger,statement,payouts}` for
//! a seller's own, and `/api/v1/admin/{payouts,sellers/{id}/...}` and the
//! payout terms for staff.

use super::types::rules;
use super::types::{ListDto, MoneyDto, page_of};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiQuery, Id, Seller, Staff};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::actor::Actor;
use souk_core::marketplace::{
    BalanceView, LedgerEntryView, LedgerQuery, PayoutDecisionInput, PayoutDetail, PayoutFilter,
    PayoutSettings, PayoutView, SalesView,
};
use utoipa::{IntoParams, ToSchema};

/// A seller's money in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceDto {
    /// Released and owed: what the next payout pays. Below 0 when refunds
    /// after a payout took more than was left; later sales net it.
    pub available: MoneyDto,
    /// Owed but not released: parcels not delivered yet, or in their hold.
    pub pending: MoneyDto,
    /// In payouts not yet marked paid or failed.
    pub in_payout: MoneyDto,
    /// In payouts marked paid.
    pub paid_out: MoneyDto,
}

impl From<BalanceView> for BalanceDto {
    fn from(b: BalanceView) -> Self {
        Self {
            available: b.available.into(),
            pending: b.pending.into(),
            in_payout: b.in_payout.into(),
            paid_out: b.paid_out.into(),
        }
    }
}

/// Sales over a period in one currency.
#[derive(Debug, Serialize, ToSchema)]
pub struct SalesDto {
    /// Orders that held the seller's lines.
    pub orders: i64,
    /// What they credited the seller for goods.
    pub sales: MoneyDto,
}

impl From<SalesView> for SalesDto {
    fn from(s: SalesView) -> Self {
        Self {
            orders: s.orders,
            sales: s.sales.into(),
        }
    }
}

/// A seller's balance per currency, with its sales of the last 30 days.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceSummaryDto {
    pub balances: Vec<BalanceDto>,
    pub last_30_days: Vec<SalesDto>,
}

/// One entry of a seller's ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntryDto {
    pub id: i64,
    pub seller_id: i64,
    /// `sale`, `shipping` and `commission_refund` credit the seller,
    /// `commission`, `refund` and `payout` debit it, `payout_returned`
    /// credits back a failed payout, `adjustment` is either way.
    pub kind: String,
    /// Signed: a credit is more than 0, a debit less.
    pub amount: MoneyDto,
    pub order_id: Option<i64>,
    pub fulfilment_id: Option<i64>,
    pub refund_id: Option<i64>,
    /// The payout this entry is, or whose failure it credits back.
    pub payout_ref: Option<i64>,
    /// The payout that settled it; `null` while it is owed.
    pub settled_by: Option<i64>,
    /// `pending` (its parcel not delivered or on hold), `available` or
    /// `settled`.
    pub state: String,
    /// When a pending entry's money is released, once its parcel is
    /// delivered.
    pub releases_at: Option<DateTime<Utc>>,
    pub memo: String,
    pub created_at: DateTime<Utc>,
}

impl From<LedgerEntryView> for LedgerEntryDto {
    fn from(e: LedgerEntryView) -> Self {
        Self {
            id: e.id,
            seller_id: e.seller_id,
            kind: e.kind.as_str().to_owned(),
            amount: e.amount.into(),
            order_id: e.order_id,
            fulfilment_id: e.fulfilment_id,
            refund_id: e.refund_id,
            payout_ref: e.payout_ref,
            settled_by: e.settled_by,
            state: e.state.as_str().to_owned(),
            releases_at: e.releases_at,
            memo: e.memo,
            created_at: e.created_at,
        }
    }
}

/// A payout to a seller.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutDto {
    pub id: i64,
    pub seller_id: i64,
    pub seller_name: String,
    pub amount: MoneyDto,
    /// `pending`, `paid` or `failed`.
    pub status: String,
    /// The transfer's reference, once paid.
    pub reference: Option<String>,
    pub failure_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl From<PayoutView> for PayoutDto {
    fn from(p: PayoutView) -> Self {
        Self {
            id: p.id,
            seller_id: p.seller_id,
            seller_name: p.seller_name,
            amount: p.amount.into(),
            status: p.status.as_str().to_owned(),
            reference: p.reference,
            failure_reason: p.failure_reason,
            created_at: p.created_at,
            decided_at: p.decided_at,
        }
    }
}

/// A payout with exactly the entries it settles (their sum, with the
/// payout's own debit, is nothing).
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutDetailDto {
    #[serde(flatten)]
    pub payout: PayoutDto,
    pub entries: Vec<LedgerEntryDto>,
}

impl From<PayoutDetail> for PayoutDetailDto {
    fn from(d: PayoutDetail) -> Self {
        Self {
            payout: d.payout.into(),
            entries: d.entries.into_iter().map(Into::into).collect(),
        }
    }
}

/// A period of the ledger, and which page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerParams {
    /// Entries at or after: a date (`2026-11-01`) or an RFC 3339 time.
    #[param(schema_with = rules::date_or_time_filter)]
    pub from: Option<String>,
    /// Entries before: a date (up to its end) or an RFC 3339 time.
    #[param(schema_with = rules::date_or_time_filter)]
    pub to: Option<String>,
    /// One-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<i64>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

impl LedgerParams {
    fn query(&self, seller_id: Option<i64>) -> LedgerQuery {
        LedgerQuery {
            seller_id,
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

/// The period of a statement (empty when `to` is not after `from`).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementParams {
    /// From: a date (`2026-11-01`) or an RFC 3339 time; the first entry
    /// when missing or empty.
    #[param(schema_with = rules::date_or_time_filter)]
    pub from: Option<String>,
    /// To: a date (up to its end) or an RFC 3339 time; the last entry
    /// when missing or empty.
    #[param(schema_with = rules::date_or_time_filter)]
    pub to: Option<String>,
}

/// Which payouts to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PayoutListParams {
    /// All when missing or empty.
    #[param(schema_with = rules::payout_status_filter)]
    pub status: Option<String>,
    /// Staff only: one seller's payouts.
    #[param(minimum = 1)]
    pub seller_id: Option<i64>,
    /// One-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<i64>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

async fn summary(
    state: &AppState,
    actor: &Actor,
    seller_id: Option<i64>,
) -> Result<BalanceSummaryDto, ApiError> {
    let balances = state.shop.seller_balance(actor, seller_id).await?;
    let sales = match seller_id {
        None => state.shop.seller_sales(actor, 30).await?,
        Some(_) => Vec::new(),
    };
    Ok(BalanceSummaryDto {
        balances: balances.into_iter().map(Into::into).collect(),
        last_30_days: sales.into_iter().map(Into::into).collect(),
    })
}

/// The seller's balance per currency and its sales over the last 30 days.
#[utoipa::path(get, path = "/api/v1/seller/balance", tag = "seller", security(("bearer" = [])),
    responses(
        (status = 200, body = BalanceSummaryDto),
        (status = 403, description = "Not a seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_seller_balance(
    State(state): State<AppState>,
    Seller(actor): Seller,
) -> Result<Json<BalanceSummaryDto>, ApiError> {
    Ok(Json(summary(&state, &actor, None).await?))
}

/// The seller's ledger, newest first.
#[utoipa::path(get, path = "/api/v1/seller/ledger", tag = "seller", security(("bearer" = [])),
    params(LedgerParams),
    responses(
        (status = 200, body = ListDto<LedgerEntryDto>),
        (status = 403, description = "Not a seller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_seller_ledger(
    State(state): State<AppState>,
    Seller(actor): Seller,
    ApiQuery(p): ApiQuery<LedgerParams>,
) -> Result<Json<ListDto<LedgerEntryDto>>, ApiError> {
    let page = page_of(p.page, p.per_page)?;
    let entries = state
        .shop
        .seller_ledger(&actor, &p.query(None), page)
        .await?;
    Ok(Json(ListDto::from_page(entries, Into::into)))
}

/// The seller's statement of a period as CSV, oldest entry first: one row
/// per entry (date, entry, kind, order, parcel, amount in minor units and
/// as a decimal, currency, state, payout, memo).
#[utoipa::path(get, path = "/api/v1/seller/statement", tag = "seller", security(("bearer" = [])),
    params(StatementParams),
    responses(
        (status = 200, description = "The statement", content_type = "text/csv", body = String),
        (status = 403, description = "Not a seller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_seller_statement(
    State(state): State<AppState>,
    Seller(actor): Seller,
    ApiQuery(p): ApiQuery<StatementParams>,
) -> Result<Response, ApiError> {
    let query = LedgerQuery {
        seller_id: None,
        from: p.from.clone(),
        to: p.to.clone(),
    };
    let entries = state.shop.ledger_statement(&actor, &query).await?;
    Ok(crate::statement::download(&entries, &query)?)
}

/// The seller's payouts, newest first.
#[utoipa::path(get, path = "/api/v1/seller/payouts", tag = "seller", security(("bearer" = [])),
    params(PayoutListParams),
    responses(
        (status = 200, body = ListDto<PayoutDto>),
        (status = 403, description = "Not a seller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_seller_payouts(
    State(state): State<AppState>,
    Seller(actor): Seller,
    ApiQuery(p): ApiQuery<PayoutListParams>,
) -> Result<Json<ListDto<PayoutDto>>, ApiError> {
    list(&state, &actor, p).await
}

async fn list(
    state: &AppState,
    actor: &Actor,
    p: PayoutListParams,
) -> Result<Json<ListDto<PayoutDto>>, ApiError> {
    if p.seller_id.is_some_and(|id| id < 1) {
        return Err(ApiError::invalid("seller_id", "must be a positive id"));
    }
    let filter = PayoutFilter {
        seller_id: p.seller_id,
        status: p.status.filter(|s| !s.is_empty()),
    };
    let page = page_of(p.page, p.per_page)?;
    let payouts = state.shop.list_payouts(actor, filter, page).await?;
    Ok(Json(ListDto::from_page(payouts, Into::into)))
}

/// One of the seller's payouts with the entries it settles; another
/// seller's is 404.
#[utoipa::path(get, path = "/api/v1/seller/payouts/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The payout's id")),
    responses(
        (status = 200, body = PayoutDetailDto),
        (status = 403, description = "Not a seller", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such payout of this seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_seller_payout(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
) -> Result<Json<PayoutDetailDto>, ApiError> {
    Ok(Json(state.shop.payout(&actor, id).await?.into()))
}

/// Every seller's payouts, newest first.
#[utoipa::path(get, path = "/api/v1/admin/payouts", tag = "admin", security(("bearer" = [])),
    params(PayoutListParams),
    responses(
        (status = 200, body = ListDto<PayoutDto>),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_admin_payouts(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiQuery(p): ApiQuery<PayoutListParams>,
) -> Result<Json<ListDto<PayoutDto>>, ApiError> {
    list(&state, &actor, p).await
}

/// A payout with the entries it settles.
#[utoipa::path(get, path = "/api/v1/admin/payouts/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The payout's id")),
    responses(
        (status = 200, body = PayoutDetailDto),
        (status = 404, description = "No such payout", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_admin_payout(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<Json<PayoutDetailDto>, ApiError> {
    Ok(Json(state.shop.payout(&actor, id).await?.into()))
}

/// What became of a payout; its schema is [`rules::payout_decision_request`].
#[derive(Debug, Deserialize)]
pub struct PayoutDecisionRequest {
    pub status: String,
    pub reference: Option<String>,
    pub reason: Option<String>,
}

impl utoipa::PartialSchema for PayoutDecisionRequest {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::RefOr::T(rules::payout_decision_request())
    }
}

impl ToSchema for PayoutDecisionRequest {}

/// Mark a pending payout `paid` (with the transfer's reference) or
/// `failed` (with the reason; its sum goes back to the seller's available
/// balance for the next run). A payout already decided is 409.
#[utoipa::path(post, path = "/api/v1/admin/payouts/{id}/status", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The payout's id")),
    request_body = PayoutDecisionRequest,
    responses(
        (status = 200, body = PayoutDetailDto),
        (status = 404, description = "No such payout", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The payout is decided already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn decide_payout(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<PayoutDecisionRequest>,
) -> Result<Json<PayoutDetailDto>, ApiError> {
    let input = PayoutDecisionInput {
        status: body.status,
        reference: body.reference,
        reason: body.reason,
    };
    Ok(Json(
        state.shop.decide_payout(&actor, id, input).await?.into(),
    ))
}

/// Run payouts now: one payout per seller and currency whose available
/// balance reaches the minimum. The scheduler does this once a day.
#[utoipa::path(post, path = "/api/v1/admin/payouts/run", tag = "admin", security(("bearer" = [])),
    responses(
        (status = 200, description = "The payouts made (none when nobody is owed enough)", body = Vec<PayoutDto>),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn run_payouts(
    State(state): State<AppState>,
    Staff(actor): Staff,
) -> Result<Json<Vec<PayoutDto>>, ApiError> {
    let made = state.shop.run_payouts(&actor).await?;
    Ok(Json(made.into_iter().map(Into::into).collect()))
}

/// A seller's balance per currency.
#[utoipa::path(get, path = "/api/v1/admin/sellers/{id}/balance", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The seller's id")),
    responses(
        (status = 200, body = BalanceSummaryDto),
        (status = 404, description = "No such seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_admin_seller_balance(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<Json<BalanceSummaryDto>, ApiError> {
    Ok(Json(summary(&state, &actor, Some(id)).await?))
}

/// A seller's ledger, newest first.
#[utoipa::path(get, path = "/api/v1/admin/sellers/{id}/ledger", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The seller's id"), LedgerParams),
    responses(
        (status = 200, body = ListDto<LedgerEntryDto>),
        (status = 404, description = "No such seller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_admin_seller_ledger(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiQuery(p): ApiQuery<LedgerParams>,
) -> Result<Json<ListDto<LedgerEntryDto>>, ApiError> {
    let page = page_of(p.page, p.per_page)?;
    let entries = state
        .shop
        .seller_ledger(&actor, &p.query(Some(id)), page)
        .await?;
    Ok(Json(ListDto::from_page(entries, Into::into)))
}

/// The payout terms: days a delivered parcel's money is held, the
/// smallest payout (minor units), and whether sellers bear their share of
/// a voucher's discount.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PayoutSettingsDto {
    #[schema(minimum = 0, maximum = 365)]
    pub hold_days: i64,
    #[schema(minimum = 0, maximum = 100_000_000)]
    pub minimum: i64,
    pub sellers_pay_vouchers: bool,
}

impl From<PayoutSettings> for PayoutSettingsDto {
    fn from(s: PayoutSettings) -> Self {
        Self {
            hold_days: i64::from(s.hold_days),
            minimum: s.minimum,
            sellers_pay_vouchers: s.sellers_pay_vouchers,
        }
    }
}

/// The payout terms.
#[utoipa::path(get, path = "/api/v1/admin/settings/payouts", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = PayoutSettingsDto)))]
pub async fn get_payout_settings(
    State(state): State<AppState>,
    Staff(_actor): Staff,
) -> Result<Json<PayoutSettingsDto>, ApiError> {
    Ok(Json(state.shop.payout_settings().await?.into()))
}

/// Change the payout terms. A new hold applies to parcels delivered from
/// now on; who pays for vouchers, to orders placed from now on.
#[utoipa::path(put, path = "/api/v1/admin/settings/payouts", tag = "admin", security(("bearer" = [])),
    request_body = PayoutSettingsDto,
    responses(
        (status = 200, body = PayoutSettingsDto),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_payout_settings(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiJson(body): ApiJson<PayoutSettingsDto>,
) -> Result<Json<PayoutSettingsDto>, ApiError> {
    let hold_days = u32::try_from(body.hold_days)
        .map_err(|_| ApiError::invalid("hold_days", "must be from 0 to 365"))?;
    let terms = PayoutSettings {
        hold_days,
        minimum: body.minimum,
        sellers_pay_vouchers: body.sellers_pay_vouchers,
    };
    Ok(Json(
        state.shop.set_payout_settings(&actor, terms).await?.into(),
    ))
}
