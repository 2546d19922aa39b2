//! `/admin/commissions`: staff keep the commission rules and preview what
//! a rule takes from a price.

use super::products::category_choices;
use super::{AdminNav, Section, optional_int, optional_money, optional_whole, refusal};
use crate::AppState;
use crate::pages::filters;
use crate::pages::forms::{Errors, PageForm};
use crate::pages::layout::Layout;
use crate::pages::{Flash, PageError, StaffVisitor, redirect_with, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::marketplace::{CommissionPreview, CommissionRuleInput, CommissionRuleView};
use souk_domain::numbers::too_long;
use souk_domain::orders::QUANTITY_INPUT_MAX;
use souk_domain::paging::PageRequest;
use souk_domain::{Currency, FieldError, Money, Validator};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/commissions", get(page).post(create))
        .route("/commissions/{id}", post(update))
        .route("/commissions/{id}/delete", post(delete))
}

/// A rule's form as typed: the percentage in percent ("12.5"), money in
/// major units.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct RuleForm {
    seller_id: String,
    category_id: String,
    percent: String,
    fixed_per_unit: String,
    min_per_line: String,
    max_per_line: String,
}

/// The most characters of a percentage typed in a form: "100.00".
const PERCENT_INPUT_MAX: usize = 6;

/// A percentage with at most two decimals as basis points.
fn basis_points(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    if whole.is_empty() || fraction.len() > 2 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(fraction)
}

impl RuleForm {
    fn input(&self, currency: Currency) -> Result<CommissionRuleInput, CoreError> {
        let mut v = Validator::new();
        let seller_id = optional_int(&mut v, "seller_id", &self.seller_id);
        let category_id = optional_int(&mut v, "category_id", &self.category_id);
        let bps = if self.percent.chars().count() > PERCENT_INPUT_MAX {
            v.check("percent", Err(too_long(PERCENT_INPUT_MAX)))
        } else {
            let bps = basis_points(&self.percent);
            if bps.is_none() {
                v.push(FieldError::new(
                    "percent",
                    "must be a percentage such as 10 or 12.5",
                ));
            }
            bps
        };
        let fixed = optional_money(&mut v, "fixed_per_unit", &self.fixed_per_unit, currency);
        let min = optional_money(&mut v, "min_per_line", &self.min_per_line, currency);
        let max = optional_money(&mut v, "max_per_line", &self.max_per_line, currency);
        v.finish().map_err(CoreError::Validation)?;
        Ok(CommissionRuleInput {
            seller_id: seller_id.flatten(),
            category_id: category_id.flatten(),
            basis_points: bps.unwrap_or(0),
            fixed_per_unit: fixed.flatten().unwrap_or(0),
            min_per_line: min.flatten(),
            max_per_line: max.flatten(),
        })
    }
}

/// What to preview, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct PreviewForm {
    preview_seller: String,
    preview_category: String,
    price: String,
    quantity: String,
}

#[derive(Template)]
#[template(path = "admin/commissions.html")]
struct CommissionsPage {
    layout: Layout,
    admin: AdminNav,
    rules: Vec<CommissionRuleView>,
    sellers: Vec<(i64, String)>,
    categories: Vec<(i64, String)>,
    form: RuleForm,
    errors: Errors,
    preview_form: PreviewForm,
    preview: Option<CommissionPreview>,
    preview_error: Option<String>,
    currency: Currency,
    percent_input_max: usize,
}

impl CommissionsPage {
    /// What a rule is for, in words.
    fn scope_of(&self, rule: &CommissionRuleView) -> String {
        let seller = rule.scope.seller_id().map(|id| {
            self.sellers
                .iter()
                .find(|(s, _)| *s == id)
                .map_or(format!("seller {id}"), |(_, name)| name.clone())
        });
        let category = rule.scope.category_id().map(|id| {
            self.categories
                .iter()
                .find(|(c, _)| *c == id)
                .map_or(format!("category {id}"), |(_, name)| {
                    name.trim_start_matches("— ").to_owned()
                })
        });
        match (seller, category) {
            (None, None) => "Every sale (the default)".to_owned(),
            (Some(s), None) => format!("{s}, every category"),
            (None, Some(c)) => format!("{c}, every seller"),
            (Some(s), Some(c)) => format!("{s} in {c}"),
        }
    }

    /// A rule's percentage as typed ("12.5").
    fn percent_of(&self, rule: &CommissionRuleView) -> String {
        let bps = rule.rate.basis_points();
        let text = format!("{}.{:02}", bps / 100, bps % 100);
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }

    /// An amount of the shop's currency as typed in a form; blank for none.
    fn money(&self, amount: Option<i64>) -> String {
        amount.map_or(String::new(), |a| Money::new(a, self.currency).major())
    }
}

async fn render_page(
    state: &AppState,
    staff: &StaffVisitor,
    form: RuleForm,
    errors: Errors,
    preview_form: PreviewForm,
    status: StatusCode,
) -> Result<Response, PageError> {
    let rules = state.shop.list_commission_rules(&staff.actor).await?;
    let sellers = state
        .shop
        .list_sellers(
            &staff.actor,
            None,
            PageRequest {
                page: 1,
                per_page: 100,
            },
        )
        .await?
        .items
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let categories = category_choices(&state.shop.category_tree().await?);
    let (preview, preview_error) = preview(state, staff, &preview_form).await?;
    let (layout, admin) = staff
        .admin_frame(state, Section::Commissions, "Commissions")
        .await?;
    Ok(render(
        status,
        &CommissionsPage {
            layout,
            admin,
            rules,
            sellers,
            categories,
            form,
            errors,
            preview_form,
            preview,
            preview_error,
            currency: state.shop.config().currency,
            percent_input_max: PERCENT_INPUT_MAX,
        },
    ))
}

async fn preview(
    state: &AppState,
    staff: &StaffVisitor,
    form: &PreviewForm,
) -> Result<(Option<CommissionPreview>, Option<String>), PageError> {
    if form.price.trim().is_empty() {
        return Ok((None, None));
    }
    let currency = state.shop.config().currency;
    let mut v = Validator::new();
    let seller = optional_int(&mut v, "seller", &form.preview_seller).flatten();
    let category = optional_int(&mut v, "category", &form.preview_category).flatten();
    let price = v.check("price", Money::parse_major(&form.price, currency));
    let quantity = optional_whole::<i64>(&mut v, "quantity", &form.quantity, QUANTITY_INPUT_MAX)
        .flatten()
        .unwrap_or(1);
    if let Err(errors) = v.finish() {
        return Ok((None, Some(refusal(CoreError::Validation(errors))?)));
    }
    let amount = price.map_or(0, |p| p.amount.saturating_mul(quantity));
    match state
        .shop
        .preview_commission(&staff.actor, seller, category, amount, quantity)
        .await
    {
        Ok(found) => Ok((Some(found), None)),
        Err(err) => Ok((None, Some(refusal(err)?))),
    }
}

async fn page(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Query(preview_form): Query<PreviewForm>,
) -> Result<Response, PageError> {
    let form = RuleForm {
        percent: "10".into(),
        ..RuleForm::default()
    };
    render_page(
        &state,
        &staff,
        form,
        Errors::default(),
        preview_form,
        StatusCode::OK,
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    staff: StaffVisitor,
    PageForm(form): PageForm<RuleForm>,
) -> Result<Response, PageError> {
    let created = match form.input(state.shop.config().currency) {
        Ok(input) => state.shop.create_commission_rule(&staff.actor, input).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(_) => Ok(redirect_with(
            "/admin/commissions",
            "The rule is added; orders placed from now on follow it.",
            &staff.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_page(&state, &staff, form, errors, PreviewForm::default(), status).await
        }
    }
}

async fn update(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<RuleForm>,
) -> Result<Response, PageError> {
    let updated = match form.input(state.shop.config().currency) {
        Ok(input) => {
            state
                .shop
                .update_commission_rule(&staff.actor, id, input)
                .await
        }
        Err(err) => Err(err),
    };
    let message = match updated {
        Ok(_) => "The rule is saved; placed orders keep their commission."
            .to_owned()
            .into(),
        Err(err) => Flash::refused(format!("Nothing was saved: {}", refusal(err)?)),
    };
    Ok(redirect_with(
        "/admin/commissions",
        &message,
        &staff.visitor,
    ))
}

async fn delete(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let message = match state.shop.delete_commission_rule(&staff.actor, id).await {
        Ok(()) => "The rule is deleted.".to_owned().into(),
        Err(err) => Flash::refused(refusal(err)?),
    };
    Ok(redirect_with(
        "/admin/commissions",
        &message,
        &staff.visitor,
    ))
}
