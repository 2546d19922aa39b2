//! The photo section of the product editor, in both panels: upload (a
//! multipart form whose first field is the form token), change the alt
//! text, the variant or the place, and delete. Each form comes back to the
//! editor's photo section with what was done or why not.

use super::refusal;
use crate::AppState;
use crate::pages::forms::PageForm;
use crate::pages::panel::PanelVisitor;
use crate::pages::{Flash, PageError, redirect_with};
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::photos::PhotoPatch;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/products/{id}/photos", post(upload_photo))
        .route("/products/{id}/photos/{photo}", post(update_photo))
        .route("/products/{id}/photos/{photo}/delete", post(delete_photo))
}

/// Back to the editor's photos with a message.
fn back(panel: &PanelVisitor, product: i64, message: impl Into<Flash>) -> Response {
    let to = format!("{}/products/{product}#photos", panel.base());
    redirect_with(&to, message, &panel.visitor)
}

/// Back with why a change was refused, or the error page if it was not
/// about the input.
fn refused(panel: &PanelVisitor, product: i64, err: CoreError) -> Result<Response, PageError> {
    let message = match err {
        CoreError::TooLarge(message) => message.to_owned(),
        other => refusal(other)?,
    };
    Ok(back(panel, product, Flash::refused(message)))
}

async fn upload_photo(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let input = match crate::api::read_upload(&mut form).await {
        Ok(input) => input,
        Err(crate::ApiError::Core(err)) => return refused(&panel, id, err),
        Err(_) => return Err(PageError::BadForm),
    };
    match state.shop.add_photo(&panel.actor, id, input).await {
        Ok(_) => Ok(back(&panel, id, "The photo is added.")),
        Err(err) => refused(&panel, id, err),
    }
}

/// A photo's form: its alt text and variant, and, from the move buttons,
/// its new place.
#[derive(Debug, Deserialize)]
struct PhotoForm {
    #[serde(default)]
    alt: String,
    #[serde(default)]
    variant_id: String,
    position: Option<String>,
}

async fn update_photo(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path((id, photo)): Path<(i64, i64)>,
    PageForm(form): PageForm<PhotoForm>,
) -> Result<Response, PageError> {
    let variant_id = match form.variant_id.trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| PageError::BadForm)?),
    };
    let position = match form.position.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<i32>().map_err(|_| PageError::BadForm)?),
    };
    let moved = position.is_some();
    let patch = PhotoPatch {
        alt: Some(form.alt),
        position,
        variant_id: Some(variant_id),
    };
    match state
        .shop
        .update_photo(&panel.actor, id, photo, patch)
        .await
    {
        Ok(_) if moved => Ok(back(&panel, id, "The photo is moved.")),
        Ok(_) => Ok(back(&panel, id, "The photo is saved.")),
        Err(err) => refused(&panel, id, err),
    }
}

async fn delete_photo(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path((id, photo)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    match state.shop.delete_photo(&panel.actor, id, photo).await {
        Ok(()) => Ok(back(&panel, id, "The photo is deleted.")),
        Err(err) => refused(&panel, id, err),
    }
}
