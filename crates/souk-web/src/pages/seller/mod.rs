//! The seller panel under `/seller`, in the admin panel's look: a
//! dashboard, the seller's products (the same pages as staff's, scoped by
//! the core), its orders showing only its lines, its money and its shop
//! profile.

mod money;

use super::admin::{products, reviews, shipping};
use super::filters;
use super::forms::{Errors, PageForm};
use super::layout::Layout;
use super::panel::{PanelNav, PanelVisitor};
use super::sell::{LIMITS, ShopForm, ShopLimits};
use super::{PageError, redirect_with, render};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use souk_core::catalogue::ProductQuery;
use souk_core::marketplace::{CANCEL_REASON_MAX, PARCEL_MOVES};
use souk_core::orders::SellerOrderView;
use souk_core::reports::LOW_STOCK_THRESHOLD;
use souk_core::sellers::{SellerDashboard, SellerView};
use souk_domain::marketplace::FulfilmentStatus;
use souk_domain::paging::PageRequest;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard))
        .route("/orders", get(orders))
        .route("/profile", get(profile).post(save_profile))
        .merge(products::routes())
        .merge(reviews::routes())
        .merge(money::routes())
        .merge(shipping::routes())
        .merge(super::parcels::routes())
}

#[derive(Template)]
#[template(path = "seller/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    admin: PanelNav,
    seller: SellerView,
    products: u64,
    active: u64,
    orders: Vec<SellerOrderView>,
    order_count: u64,
    parcel_moves: [FulfilmentStatus; 3],
    cancel_reason_max: usize,
    figures: SellerDashboard,
    threshold: i64,
}

async fn dashboard(
    State(state): State<AppState>,
    panel: PanelVisitor,
) -> Result<Response, PageError> {
    let seller = state.shop.seller_profile(&panel.actor).await?;
    let count = |status: Option<&str>| ProductQuery {
        status: status.map(str::to_owned),
        per_page: Some(1),
        ..ProductQuery::default()
    };
    let shop = &state.shop;
    let products = shop
        .list_managed_products(&panel.actor, count(None))
        .await?;
    let active = shop
        .list_managed_products(&panel.actor, count(Some("active")))
        .await?;
    let recent = PageRequest {
        page: 1,
        per_page: 5,
    };
    let orders = shop.list_seller_orders(&panel.actor, recent).await?;
    let figures = shop.seller_dashboard(&panel.actor).await?;
    let (layout, admin) = panel.frame(&state, "/seller", "Seller panel").await?;
    ok(&DashboardPage {
        layout,
        admin,
        seller,
        products: products.total,
        active: active.total,
        order_count: orders.total,
        orders: orders.items,
        parcel_moves: PARCEL_MOVES,
        cancel_reason_max: CANCEL_REASON_MAX,
        figures,
        threshold: LOW_STOCK_THRESHOLD,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageParam {
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "seller/orders.html")]
struct OrdersPage {
    layout: Layout,
    admin: PanelNav,
    orders: Vec<SellerOrderView>,
    total: u64,
    page: u64,
    pages: u64,
    parcel_moves: [FulfilmentStatus; 3],
    cancel_reason_max: usize,
}

async fn orders(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Query(params): Query<PageParam>,
) -> Result<Response, PageError> {
    let page = PageRequest::parse(params.page, Some(25)).unwrap_or_default();
    let found = state.shop.list_seller_orders(&panel.actor, page).await?;
    let (layout, admin) = panel.frame(&state, "/seller/orders", "Orders").await?;
    ok(&OrdersPage {
        layout,
        admin,
        pages: found.total.div_ceil(found.per_page.max(1)).max(1),
        total: found.total,
        page: found.page,
        orders: found.items,
        parcel_moves: PARCEL_MOVES,
        cancel_reason_max: CANCEL_REASON_MAX,
    })
}

#[derive(Template)]
#[template(path = "seller/profile.html")]
struct ProfilePage {
    layout: Layout,
    admin: PanelNav,
    seller: SellerView,
    form: ShopForm,
    errors: Errors,
    limits: ShopLimits,
}

async fn profile_page(
    state: &AppState,
    panel: &PanelVisitor,
    form: Option<ShopForm>,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let seller = state.shop.seller_profile(&panel.actor).await?;
    let (layout, admin) = panel
        .frame(state, "/seller/profile", "Shop profile")
        .await?;
    let form = form.unwrap_or_else(|| ShopForm::of(&seller));
    Ok(render(
        status,
        &ProfilePage {
            layout,
            admin,
            seller,
            form,
            errors,
            limits: LIMITS,
        },
    ))
}

async fn profile(
    State(state): State<AppState>,
    panel: PanelVisitor,
) -> Result<Response, PageError> {
    profile_page(&state, &panel, None, Errors::default(), StatusCode::OK).await
}

async fn save_profile(
    State(state): State<AppState>,
    panel: PanelVisitor,
    PageForm(form): PageForm<ShopForm>,
) -> Result<Response, PageError> {
    match state
        .shop
        .update_seller_profile(&panel.actor, form.input())
        .await
    {
        Ok(_) => Ok(redirect_with(
            "/seller/profile",
            "Your shop profile is saved.",
            &panel.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            profile_page(&state, &panel, Some(form), errors, status).await
        }
    }
}

fn ok(page: &impl Template) -> Result<Response, PageError> {
    Ok(render(StatusCode::OK, page))
}
