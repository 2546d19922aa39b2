//! `/sell`: a signed-in customer applies to sell, and sees where the
//! application stands.

use super::filters;
use super::forms::{Errors, PageForm};
use super::layout::Layout;
use super::{Customer, PageError, render};
use crate::AppState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use souk_core::sellers::{SellerView, ShopProfileInput};
use souk_domain::marketplace::{PAYOUT_DETAILS_MAX, SHOP_DESCRIPTION_MAX, SHOP_NAME_MAX};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/sell", get(show).post(apply))
}

/// The application form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct ShopForm {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub contact_email: String,
    pub payout_details: String,
}

impl ShopForm {
    pub fn input(&self) -> ShopProfileInput {
        ShopProfileInput {
            name: self.name.trim().to_owned(),
            slug: self.slug.trim().to_owned(),
            description: self.description.clone(),
            contact_email: self.contact_email.clone(),
            payout_details: self.payout_details.clone(),
        }
    }

    pub fn of(seller: &SellerView) -> Self {
        Self {
            name: seller.name.clone(),
            slug: seller.slug.clone(),
            description: seller.description.clone(),
            contact_email: seller.contact_email.clone(),
            payout_details: seller.payout_details.clone(),
        }
    }
}

/// The limits the form states, the same the shop checks.
pub(super) struct ShopLimits {
    pub name: usize,
    pub description: usize,
    pub payout_details: usize,
}

pub(super) const LIMITS: ShopLimits = ShopLimits {
    name: SHOP_NAME_MAX,
    description: SHOP_DESCRIPTION_MAX,
    payout_details: PAYOUT_DETAILS_MAX,
};

#[derive(Template)]
#[template(path = "sell.html")]
struct SellPage {
    layout: Layout,
    application: Option<SellerView>,
    form: ShopForm,
    errors: Errors,
    limits: ShopLimits,
}

async fn page(
    state: &AppState,
    customer: &Customer,
    form: ShopForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let application = state.shop.my_seller(&customer.actor()).await?;
    let layout = customer.visitor.layout(state, "Sell with us").await?;
    Ok(render(
        status,
        &SellPage {
            layout,
            application,
            form,
            errors,
            limits: LIMITS,
        },
    ))
}

async fn show(State(state): State<AppState>, customer: Customer) -> Result<Response, PageError> {
    let form = ShopForm {
        contact_email: customer
            .visitor
            .user
            .as_ref()
            .map(|u| u.email.clone())
            .unwrap_or_default(),
        ..ShopForm::default()
    };
    page(&state, &customer, form, Errors::default(), StatusCode::OK).await
}

async fn apply(
    State(state): State<AppState>,
    customer: Customer,
    PageForm(form): PageForm<ShopForm>,
) -> Result<Response, PageError> {
    match state
        .shop
        .apply_to_sell(&customer.actor(), form.input())
        .await
    {
        Ok(_) => page(&state, &customer, form, Errors::default(), StatusCode::OK).await,
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &customer, form, errors, status).await
        }
    }
}
