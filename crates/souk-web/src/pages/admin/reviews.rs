//! `/admin/reviews` and `/seller/reviews`: staff see every review, publish
//! or hide it, answer those of the shop's own products and choose whether
//! reviews wait for approval; a seller sees the reviews of its products and
//! answers each once. The core decides who may do what.

use crate::AppState;
use crate::pages::filters;
use crate::pages::forms::PageForm;
use crate::pages::layout::Layout;
use crate::pages::panel::{PanelKind, PanelNav, PanelVisitor};
use crate::pages::{Flash, PageError, ok, redirect_with};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::reviews::{ManagedReview, ReviewSettings};
use souk_domain::reviews::{REPLY_MAX, ReviewStatus};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/reviews", get(list))
        .route("/reviews/settings", post(save_settings))
        .route("/reviews/{id}/status", post(moderate))
        .route("/reviews/{id}/reply", post(reply))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListParams {
    status: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin/reviews.html")]
struct ReviewsPage {
    layout: Layout,
    admin: PanelNav,
    base: &'static str,
    staff: bool,
    reviews: Vec<ManagedReview>,
    status: String,
    statuses: [ReviewStatus; 3],
    settings: ReviewSettings,
    reply_max: usize,
    total: u64,
    page: u64,
    pages: u64,
}

impl ReviewsPage {
    /// Whether this visitor answers `r` here: a seller its products'
    /// reviews, staff those of the shop's own products; once.
    fn may_reply(&self, r: &ManagedReview) -> bool {
        r.review.reply.is_none() && (!self.staff || r.seller_id.is_none())
    }
}

async fn list(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    let status = ReviewStatus::parse(params.status.trim()).ok();
    let found = state
        .shop
        .list_reviews(&panel.actor, status, super::page_of(params.page, 20))
        .await?;
    let current = format!("{}/reviews", panel.base());
    let (layout, admin) = panel.frame(&state, &current, "Reviews").await?;
    ok(&ReviewsPage {
        layout,
        admin,
        base: panel.base(),
        staff: panel.kind == PanelKind::Staff,
        pages: found.pages(),
        total: found.total,
        page: found.page,
        reviews: found.items,
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        statuses: ReviewStatus::ALL,
        settings: state.shop.review_settings().await?,
        reply_max: REPLY_MAX,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    status: String,
    /// The list to go back to.
    back: String,
}

async fn moderate(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<StatusForm>,
) -> Result<Response, PageError> {
    let back = back_to(&panel, &form.back);
    let status = match form.status.as_str() {
        "published" => ReviewStatus::Published,
        "hidden" => ReviewStatus::Hidden,
        _ => {
            return Ok(redirect_with(
                &back,
                Flash::Refused("Choose to publish or to hide the review.".into()),
                &panel.visitor,
            ));
        }
    };
    state.shop.moderate_review(&panel.actor, id, status).await?;
    let message = match status {
        ReviewStatus::Published => "The review is published.",
        _ => "The review is hidden.",
    };
    Ok(redirect_with(&back, message, &panel.visitor))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReplyForm {
    reply: String,
    back: String,
}

async fn reply(
    State(state): State<AppState>,
    panel: PanelVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ReplyForm>,
) -> Result<Response, PageError> {
    let back = back_to(&panel, &form.back);
    match state
        .shop
        .reply_to_review(&panel.actor, id, &form.reply)
        .await
    {
        Ok(_) => Ok(redirect_with(
            &back,
            "Your reply is published.",
            &panel.visitor,
        )),
        Err(err) => {
            let why = super::refusal(err)?;
            Ok(redirect_with(&back, Flash::Refused(why), &panel.visitor))
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingsForm {
    approval_required: Option<String>,
}

async fn save_settings(
    State(state): State<AppState>,
    panel: PanelVisitor,
    PageForm(form): PageForm<SettingsForm>,
) -> Result<Response, PageError> {
    let settings = ReviewSettings {
        approval_required: form.approval_required.is_some(),
    };
    state
        .shop
        .update_review_settings(&panel.actor, settings)
        .await?;
    let message = if settings.approval_required {
        "New and edited reviews now wait for approval."
    } else {
        "Reviews are now published as they are written."
    };
    let back = format!("{}/reviews", panel.base());
    Ok(redirect_with(&back, message, &panel.visitor))
}

/// The list a form came from, if it is this panel's reviews list; the
/// list's first page otherwise.
fn back_to(panel: &PanelVisitor, back: &str) -> String {
    let list = format!("{}/reviews", panel.base());
    let same_list = back == list || back.starts_with(&format!("{list}?"));
    if same_list && !back.contains("//") && back.len() <= 200 {
        back.to_owned()
    } else {
        list
    }
}
