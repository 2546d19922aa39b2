//! Shipping methods in a panel: staff keep the shop's at
//! `/admin/shipping`, a seller its own at `/seller/shipping` (a seller with
//! none ships with the shop's). The core decides whose methods a visitor
//! manages.

use super::{optional_int, optional_money, refusal};
use crate::AppState;
use crate::pages::forms::{Errors, PageForm};
use crate::pages::layout::Layout;
use crate::pages::panel::{PanelKind, PanelNav, PanelVisitor};
use crate::pages::{Flash, PageError, redirect_with, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::shipping::{ShippingMethodInput, ShippingMethodView};
use souk_domain::{Currency, Money, Validator};

/// The shipping pages, mounted in both panels.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/shipping", get(shipping).post(create_shipping))
        .route("/shipping/{id}", post(update_shipping))
        .route("/shipping/{id}/delete", post(delete_shipping))
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct ShippingForm {
    name: String,
    price: String,
    free_above: String,
    position: String,
    active: Option<String>,
}

impl ShippingForm {
    fn input(&self, currency: Currency) -> Result<ShippingMethodInput, CoreError> {
        let mut v = Validator::new();
        let price = v
            .check("price", Money::parse_major(&self.price, currency))
            .map(|m| m.amount);
        let free_above = optional_money(&mut v, "free_above", &self.free_above, currency);
        let position = optional_int(&mut v, "position", &self.position);
        v.finish().map_err(CoreError::Validation)?;
        Ok(ShippingMethodInput {
            name: Some(self.name.clone()),
            price,
            free_above,
            active: Some(self.active.is_some()),
            position: position.flatten(),
        })
    }
}

#[derive(Template)]
#[template(path = "admin/shipping.html")]
struct ShippingPage {
    layout: Layout,
    admin: PanelNav,
    /// Where the panel's pages are: `/admin` or `/seller`.
    base: &'static str,
    /// Whether the methods are a seller's own.
    seller: bool,
    methods: Vec<ShippingMethodView>,
    form: ShippingForm,
    errors: Errors,
}

async fn shipping_page(
    state: &AppState,
    panel: &PanelVisitor,
    form: ShippingForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let current = format!("{}/shipping", panel.base());
    let (layout, admin) = panel.frame(state, &current, "Shipping methods").await?;
    let methods = state.shop.managed_shipping_methods(&panel.actor).await?;
    Ok(render(
        status,
        &ShippingPage {
            layout,
            admin,
            base: panel.base(),
            seller: panel.kind == PanelKind::Seller,
            methods,
            form,
            errors,
        },
    ))
}

async fn shipping(
    State(state): State<AppState>,
    panel: PanelVisitor,
) -> Result<Response, PageError> {
    let form = ShippingForm {
        active: Some("on".into()),
        ..ShippingForm::default()
    };
    shipping_page(&state, &panel, form, Errors::default(), StatusCode::OK).await
}

async fn create_shipping(
    State(state): State<AppState>,
    panel: PanelVisitor,
    PageForm(form): PageForm<ShippingForm>,
) -> Result<Response, PageError> {
    let currency = state.shop.config().currency;
    let created = match form.input(currency) {
        Ok(input) => state.shop.create_shipping_method(&panel.actor, input).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(method) => Ok(redirect_with(
            &format!("{}/shipping", panel.base()),
            format!("Added {}.", method.name),
            &panel.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            shipping_page(&state, &panel, form, errors, status).await
        }
    }
}

async fn update_shipping(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ShippingForm>,
) -> Result<Response, PageError> {
    let currency = state.shop.config().currency;
    let updated = match form.input(currency) {
        Ok(input) => {
            state
                .shop
                .update_shipping_method(&panel.actor, id, input)
                .await
        }
        Err(err) => Err(err),
    };
    let message = match updated {
        Ok(method) => format!("Saved {}.", method.name).into(),
        Err(err) => Flash::refused(refusal(err)?),
    };
    Ok(redirect_with(
        &format!("{}/shipping", panel.base()),
        &message,
        &panel.visitor,
    ))
}

async fn delete_shipping(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let message = match state.shop.delete_shipping_method(&panel.actor, id).await {
        Ok(()) => "The shipping method was deleted.".to_owned().into(),
        Err(err) => Flash::refused(refusal(err)?),
    };
    Ok(redirect_with(
        &format!("{}/shipping", panel.base()),
        &message,
        &panel.visitor,
    ))
}
