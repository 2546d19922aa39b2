//! `/admin/sellers`: staff review applications and decide on sellers, and
//! say whether applications are approved without review.

use super::{AdminNav, Section, page_of, refusal};
use crate::AppState;
use crate::pages::filters;
use crate::pages::forms::PageForm;
use crate::pages::layout::Layout;
use crate::pages::{Flash, PageError, StaffVisitor, ok, redirect_with};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::sellers::SellerView;
use souk_domain::marketplace::{DECISION_REASON_MAX, SellerDecision, SellerStatus};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sellers", get(list))
        .route("/sellers/settings", post(save_settings))
        .route("/sellers/{id}", get(detail))
        .route("/sellers/{id}/decision", post(decide))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListParams {
    status: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin/sellers.html")]
struct SellersPage {
    layout: Layout,
    admin: AdminNav,
    sellers: Vec<SellerView>,
    status: String,
    statuses: [SellerStatus; 4],
    auto_approve: bool,
    total: u64,
    page: u64,
    pages: u64,
}

async fn list(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    let status = SellerStatus::parse(params.status.trim()).ok();
    let found = state
        .shop
        .list_sellers(
            &staff.actor,
            status.map(|s| s.as_str()),
            page_of(params.page, 25),
        )
        .await?;
    let auto_approve = state.shop.auto_approves_sellers().await?;
    let (layout, admin) = staff
        .admin_frame(&state, Section::Sellers, "Sellers")
        .await?;
    ok(&SellersPage {
        layout,
        admin,
        pages: found.total.div_ceil(found.per_page.max(1)).max(1),
        total: found.total,
        page: found.page,
        sellers: found.items,
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        statuses: SellerStatus::ALL,
        auto_approve,
    })
}

#[derive(Template)]
#[template(path = "admin/seller.html")]
struct SellerPage {
    layout: Layout,
    admin: AdminNav,
    seller: SellerView,
    /// The decisions that fit the seller's status.
    decisions: Vec<SellerDecision>,
    reason_max: usize,
}

async fn detail(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let seller = state.shop.get_seller(&staff.actor, id).await?;
    let decisions = SellerDecision::ALL
        .into_iter()
        .filter(|d| seller.status.after(*d).is_some())
        .collect();
    let (layout, admin) = staff
        .admin_frame(&state, Section::Sellers, seller.name.clone())
        .await?;
    ok(&SellerPage {
        layout,
        admin,
        seller,
        decisions,
        reason_max: DECISION_REASON_MAX,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    decision: String,
    reason: String,
}

async fn decide(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, PageError> {
    let to = format!("/admin/sellers/{id}");
    let message = match state
        .shop
        .decide_seller(&staff.actor, id, &form.decision, Some(&form.reason))
        .await
    {
        Ok(seller) => format!("{} is now {}.", seller.name, seller.status).into(),
        Err(err) => Flash::refused(format!("Nothing was decided: {}", refusal(err)?)),
    };
    Ok(redirect_with(&to, &message, &staff.visitor))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingsForm {
    auto_approve: Option<String>,
}

async fn save_settings(
    State(state): State<AppState>,
    staff: StaffVisitor,
    PageForm(form): PageForm<SettingsForm>,
) -> Result<Response, PageError> {
    let on = form.auto_approve.is_some();
    state
        .shop
        .set_auto_approve_sellers(&staff.actor, on)
        .await?;
    let message = if on {
        "New applications are approved at once."
    } else {
        "New applications wait for review."
    };
    Ok(redirect_with("/admin/sellers", message, &staff.visitor))
}
