//! `/admin/payouts`: staff see the payouts, mark each one paid or failed,
//! run payouts now, and set the payout terms.

use super::{AdminNav, Section, page_of, refusal};
use crate::AppState;
use crate::pages::filters;
use crate::pages::forms::{Errors, PageForm};
use crate::pages::layout::Layout;
use crate::pages::{Flash, PageError, StaffVisitor, ok, redirect_with, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::marketplace::{
    HOLD_DAYS_MAX, PAYOUT_NOTE_MAX, PayoutDecisionInput, PayoutDetail, PayoutFilter,
    PayoutSettings, PayoutView,
};
use souk_domain::marketplace::PayoutStatus;
use souk_domain::numbers::{digits, parse_whole};
use souk_domain::{Money, Validator};

/// The most characters of the hold typed in days: the digits of
/// [`HOLD_DAYS_MAX`].
const HOLD_DAYS_INPUT_MAX: usize = digits(HOLD_DAYS_MAX as u64);

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/payouts", get(list))
        .route("/payouts/run", post(run))
        .route("/payouts/settings", post(save_settings))
        .route("/payouts/{id}", get(detail))
        .route("/payouts/{id}/decision", post(decide))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListParams {
    status: String,
    page: Option<i64>,
}

/// The payout terms as typed: the minimum in major units.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TermsForm {
    hold_days: String,
    minimum: String,
    sellers_pay_vouchers: Option<String>,
}

impl TermsForm {
    fn of(terms: PayoutSettings, currency: souk_domain::Currency) -> Self {
        Self {
            hold_days: terms.hold_days.to_string(),
            minimum: Money::new(terms.minimum, currency).major(),
            sellers_pay_vouchers: terms.sellers_pay_vouchers.then(String::new),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/payouts.html")]
struct PayoutsPage {
    layout: Layout,
    admin: AdminNav,
    payouts: Vec<PayoutView>,
    status: String,
    statuses: [PayoutStatus; 3],
    terms: TermsForm,
    errors: Errors,
    hold_days_max: u32,
    hold_days_input_max: usize,
    currency: souk_domain::Currency,
    total: u64,
    page: u64,
    pages: u64,
}

async fn list_page(
    state: &AppState,
    staff: &StaffVisitor,
    params: ListParams,
    terms: Option<TermsForm>,
    errors: Errors,
) -> Result<Response, PageError> {
    let shop = &state.shop;
    let status = PayoutStatus::parse(params.status.trim()).ok();
    let filter = PayoutFilter {
        seller_id: None,
        status: status.map(|s| s.as_str().to_owned()),
    };
    let found = shop
        .list_payouts(&staff.actor, filter, page_of(params.page, 25))
        .await?;
    let terms = match terms {
        Some(typed) => typed,
        None => TermsForm::of(shop.payout_settings().await?, shop.config().currency),
    };
    let code = if errors.general.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (layout, admin) = staff
        .admin_frame(state, Section::Payouts, "Payouts")
        .await?;
    Ok(render(
        code,
        &PayoutsPage {
            layout,
            admin,
            pages: found.total.div_ceil(found.per_page.max(1)).max(1),
            total: found.total,
            page: found.page,
            payouts: found.items,
            status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            statuses: PayoutStatus::ALL,
            terms,
            errors,
            hold_days_max: HOLD_DAYS_MAX,
            hold_days_input_max: HOLD_DAYS_INPUT_MAX,
            currency: shop.config().currency,
        },
    ))
}

async fn list(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Query(params): Query<ListParams>,
) -> Result<Response, PageError> {
    list_page(&state, &staff, params, None, Errors::default()).await
}

async fn run(State(state): State<AppState>, staff: StaffVisitor) -> Result<Response, PageError> {
    let made = state.shop.run_payouts(&staff.actor).await?;
    let message = match made.len() {
        0 => "No seller has enough available money for a payout.".to_owned(),
        1 => "One payout was made. Send the money, then mark it paid.".to_owned(),
        n => format!("{n} payouts were made. Send the money, then mark each one paid."),
    };
    Ok(redirect_with("/admin/payouts", &message, &staff.visitor))
}

async fn save_settings(
    State(state): State<AppState>,
    staff: StaffVisitor,
    PageForm(form): PageForm<TermsForm>,
) -> Result<Response, PageError> {
    let currency = state.shop.config().currency;
    let mut v = Validator::new();
    let hold_days = v.check(
        "hold_days",
        parse_whole::<u32>(&form.hold_days, HOLD_DAYS_INPUT_MAX).map_err(|invalid| {
            if form.hold_days.chars().count() > HOLD_DAYS_INPUT_MAX {
                invalid
            } else {
                souk_domain::Invalid::new("must be a whole number of days")
            }
        }),
    );
    let minimum = v.check("minimum", Money::parse_major(&form.minimum, currency));
    let terms = v.finish().map(|()| PayoutSettings {
        hold_days: hold_days.unwrap_or_default(),
        minimum: minimum.map(|m| m.amount).unwrap_or_default(),
        sellers_pay_vouchers: form.sellers_pay_vouchers.is_some(),
    });
    let saved = match terms {
        Ok(terms) => state.shop.set_payout_settings(&staff.actor, terms).await,
        Err(err) => Err(err.into()),
    };
    match saved {
        Ok(_) => Ok(redirect_with(
            "/admin/payouts",
            "The payout terms are saved.",
            &staff.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            list_page(&state, &staff, ListParams::default(), Some(form), errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/payout.html")]
struct PayoutPage {
    layout: Layout,
    admin: AdminNav,
    detail: PayoutDetail,
    note_max: usize,
}

async fn detail(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let detail = state.shop.payout(&staff.actor, id).await?;
    let (layout, admin) = staff
        .admin_frame(&state, Section::Payouts, format!("Payout #{id}"))
        .await?;
    ok(&PayoutPage {
        layout,
        admin,
        detail,
        note_max: PAYOUT_NOTE_MAX,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    status: String,
    reference: String,
    reason: String,
}

async fn decide(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<DecisionForm>,
) -> Result<Response, PageError> {
    let input = PayoutDecisionInput {
        status: form.status,
        reference: Some(form.reference),
        reason: Some(form.reason),
    };
    let message = match state.shop.decide_payout(&staff.actor, id, input).await {
        Ok(done) => format!(
            "Payout #{id} is marked {}; the seller is told by e-mail.",
            done.payout.status.as_str()
        )
        .into(),
        Err(err) => Flash::refused(format!("Nothing was marked: {}", refusal(err)?)),
    };
    Ok(redirect_with(
        &format!("/admin/payouts/{id}"),
        &message,
        &staff.visitor,
    ))
}
