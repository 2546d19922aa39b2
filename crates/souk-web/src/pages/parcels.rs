//! Moving a parcel on or calling it off from a panel: a seller its own at
//! `/seller/parcels/{id}`, staff any (the shop's own included) at
//! `/admin/parcels/{id}`. The core decides whose parcel it is; the page
//! goes back to where the form was.

use super::forms::PageForm;
use super::panel::PanelVisitor;
use super::{Flash, PageError, redirect_with};
use crate::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use souk_core::marketplace::ParcelMove;

/// The parcel forms, mounted in both panels.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/parcels/{id}", post(move_parcel))
        .route("/parcels/{id}/cancel", post(cancel_parcel))
}

/// A parcel's move as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ParcelForm {
    status: String,
    carrier: String,
    tracking_number: String,
    /// The panel page the form was on.
    back: String,
}

/// Why the parcel is called off.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CancelForm {
    reason: String,
    back: String,
}

/// Where to go after a parcel form: the page it was on, if that is a page
/// of this panel; else the panel's orders.
fn back_to(panel: &PanelVisitor, back: &str) -> String {
    let base = panel.base();
    let inside = back
        .strip_prefix(base)
        .is_some_and(|rest| rest.starts_with('/'))
        && !back.contains("//")
        && back.chars().all(|c| c.is_ascii_graphic());
    if inside {
        back.to_owned()
    } else {
        format!("{base}/orders")
    }
}

async fn move_parcel(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ParcelForm>,
) -> Result<Response, PageError> {
    let input = ParcelMove {
        status: form.status,
        carrier: Some(form.carrier),
        tracking_number: Some(form.tracking_number),
    };
    let message = match state.shop.move_fulfilment(&panel.actor, id, input).await {
        Ok(parcel) => format!("The parcel is {}.", parcel.status).into(),
        Err(err) => Flash::refused(format!(
            "The parcel did not move: {}",
            super::admin::refusal(err)?
        )),
    };
    let to = back_to(&panel, &form.back);
    Ok(redirect_with(&to, &message, &panel.visitor))
}

async fn cancel_parcel(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<CancelForm>,
) -> Result<Response, PageError> {
    let message = match state
        .shop
        .cancel_fulfilment(&panel.actor, id, &form.reason)
        .await
    {
        Ok(parcel) => {
            let locale = state.shop.site_settings().await?.locale;
            format!(
                "The parcel is cancelled and {} is refunded to the buyer.",
                locale.format(parcel.refunded)
            )
            .into()
        }
        Err(err) => Flash::refused(format!(
            "The parcel was not cancelled: {}",
            super::admin::refusal(err)?
        )),
    };
    let to = back_to(&panel, &form.back);
    Ok(redirect_with(&to, &message, &panel.visitor))
}
