//! Running the shop: its customers, vouchers, the
//! background jobs that failed, and the site settings.

use super::{AdminNav, Section, optional_int, optional_money, optional_whole, page_of, refusal};
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
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::records::job;
use souk_core::reports::CustomerSummary;
use souk_core::site::{self, SiteSettings};
use souk_core::vouchers::{VoucherInput, VoucherView};
use souk_domain::money::MONEY_INPUT_MAX;
use souk_domain::text::EMAIL_MAX;
use souk_domain::{Currency, FieldError, Locale, Money, Validator};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(customers))
        .route("/vouchers", get(vouchers).post(create_voucher))
        .route("/vouchers/{id}/active", post(set_voucher_active))
        .route("/jobs", get(jobs))
        .route("/jobs/{id}/retry", post(retry_job))
        .route("/settings", get(settings).post(save_settings))
}

// Customers

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchParams {
    q: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin/customers.html")]
struct CustomersPage {
    layout: Layout,
    admin: AdminNav,
    q: String,
    customers: Vec<CustomerSummary>,
    total: u64,
    page: u64,
    pages: u64,
}

async fn customers(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Query(params): Query<SearchParams>,
) -> Result<Response, PageError> {
    let (layout, admin) = staff
        .admin_frame(&state, Section::Customers, "Customers")
        .await?;
    let found = state
        .shop
        .list_customers(&staff.actor, Some(&params.q), page_of(params.page, 25))
        .await?;
    ok(&CustomersPage {
        layout,
        admin,
        q: params.q,
        total: found.total,
        page: found.page,
        pages: found.pages(),
        customers: found.items,
    })
}

// Vouchers

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct VoucherForm {
    code: String,
    kind: String,
    /// A percentage for `percent`, an amount for `fixed`.
    value: String,
    min_subtotal: String,
    usage_limit: String,
    per_customer_limit: String,
    starts_at: String,
    ends_at: String,
    page: Option<i64>,
}

/// A day typed in a date field as the start of that day (UTC); blank is
/// `None`.
fn optional_day(
    v: &mut Validator,
    field: &str,
    raw: &str,
    end_of_day: bool,
) -> Option<Option<DateTime<Utc>>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(None);
    }
    let Ok(day) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") else {
        v.push(FieldError::new(field, "must be a date such as 2026-12-31"));
        return None;
    };
    let day = if end_of_day { day.succ_opt()? } else { day };
    Some(day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()))
}

impl VoucherForm {
    fn input(&self, currency: Currency) -> Result<VoucherInput, CoreError> {
        let mut v = Validator::new();
        let value = match self.kind.as_str() {
            "fixed" => v
                .check("value", Money::parse_major(&self.value, currency))
                .map(|m| m.amount),
            "free_shipping" => Some(0),
            // One field takes an amount or a percentage, as long as an
            // amount may be.
            _ => optional_whole(&mut v, "value", &self.value, MONEY_INPUT_MAX).flatten(),
        };
        let min_subtotal = optional_money(&mut v, "min_subtotal", &self.min_subtotal, currency);
        let usage_limit = optional_int(&mut v, "usage_limit", &self.usage_limit);
        let per_customer_limit =
            optional_int(&mut v, "per_customer_limit", &self.per_customer_limit);
        let starts_at = optional_day(&mut v, "starts_at", &self.starts_at, false);
        let ends_at = optional_day(&mut v, "ends_at", &self.ends_at, true);
        v.finish().map_err(CoreError::Validation)?;
        Ok(VoucherInput {
            code: Some(self.code.clone()),
            kind: Some(self.kind.clone()),
            value,
            min_subtotal,
            usage_limit,
            per_customer_limit,
            starts_at,
            ends_at,
            active: Some(true),
        })
    }
}

#[derive(Template)]
#[template(path = "admin/vouchers.html")]
struct VouchersPage {
    layout: Layout,
    admin: AdminNav,
    vouchers: Vec<VoucherView>,
    currency: Currency,
    page: u64,
    pages: u64,
    form: VoucherForm,
    errors: Errors,
}

impl VouchersPage {
    /// What a voucher takes off, as staff read it.
    fn value_of(&self, voucher: &VoucherView) -> String {
        match voucher.kind.as_str() {
            "percent" => format!("{} %", voucher.value),
            "fixed" => self
                .layout
                .locale
                .format(Money::new(voucher.value, self.currency)),
            _ => "Free shipping".to_owned(),
        }
    }
}

async fn vouchers_page(
    state: &AppState,
    staff: &StaffVisitor,
    form: VoucherForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (layout, admin) = staff
        .admin_frame(state, Section::Vouchers, "Vouchers")
        .await?;
    let found = state
        .shop
        .list_vouchers(&staff.actor, page_of(form.page, 25))
        .await?;
    Ok(render(
        status,
        &VouchersPage {
            layout,
            admin,
            currency: state.shop.config().currency,
            page: found.page,
            pages: found.pages(),
            vouchers: found.items,
            form,
            errors,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageParam {
    page: Option<i64>,
}

async fn vouchers(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Query(params): Query<PageParam>,
) -> Result<Response, PageError> {
    let form = VoucherForm {
        kind: "percent".into(),
        page: params.page,
        ..VoucherForm::default()
    };
    vouchers_page(&state, &staff, form, Errors::default(), StatusCode::OK).await
}

async fn create_voucher(
    State(state): State<AppState>,
    staff: StaffVisitor,
    PageForm(form): PageForm<VoucherForm>,
) -> Result<Response, PageError> {
    let currency = state.shop.config().currency;
    let created = match form.input(currency) {
        Ok(input) => state.shop.create_voucher(&staff.actor, input).await,
        Err(err) => Err(err),
    };
    match created {
        Ok(voucher) => Ok(redirect_with(
            "/admin/vouchers",
            format!("Voucher {} is ready to use.", voucher.code),
            &staff.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            vouchers_page(&state, &staff, form, errors, status).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActiveForm {
    active: String,
}

async fn set_voucher_active(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
    PageForm(form): PageForm<ActiveForm>,
) -> Result<Response, PageError> {
    let active = form.active == "true";
    let input = VoucherInput {
        active: Some(active),
        ..VoucherInput::default()
    };
    let message = match state.shop.update_voucher(&staff.actor, id, input).await {
        Ok(v) if active => format!("Voucher {} works again.", v.code).into(),
        Ok(v) => format!("Voucher {} no longer works.", v.code).into(),
        Err(err) => Flash::refused(refusal(err)?),
    };
    Ok(redirect_with("/admin/vouchers", &message, &staff.visitor))
}

// Jobs

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct JobParams {
    status: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    layout: Layout,
    admin: AdminNav,
    status: String,
    statuses: [&'static str; 4],
    jobs: Vec<job::Model>,
    page: u64,
    pages: u64,
}

async fn jobs(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Query(params): Query<JobParams>,
) -> Result<Response, PageError> {
    let (layout, admin) = staff
        .admin_frame(&state, Section::Jobs, "Background jobs")
        .await?;
    let statuses = ["failed", "queued", "running", "done"];
    let status = params
        .status
        .filter(|s| statuses.contains(&s.as_str()))
        .unwrap_or_else(|| "failed".into());
    let found = state
        .shop
        .list_jobs(&staff.actor, Some(&status), page_of(params.page, 25))
        .await?;
    ok(&JobsPage {
        layout,
        admin,
        status,
        statuses,
        page: found.page,
        pages: found.pages(),
        jobs: found.items,
    })
}

async fn retry_job(
    State(state): State<AppState>,
    staff: StaffVisitor,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let message = match state.shop.retry_job(&staff.actor, id).await {
        Ok(()) => format!("Job {id} is queued to run again.").into(),
        Err(CoreError::NotFound(_)) => Flash::refused(format!("Job {id} is not a failed job.")),
        Err(err) => return Err(err.into()),
    };
    Ok(redirect_with("/admin/jobs", &message, &staff.visitor))
}

// Settings

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
struct SettingsForm {
    shop_name: String,
    banner: String,
    about: String,
    contact_email: String,
    /// The tag of the locale prices are written in (`de-DE`).
    locale: String,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    layout: Layout,
    admin: AdminNav,
    currency: Currency,
    form: SettingsForm,
    errors: Errors,
    shop_name_max: usize,
    banner_max: usize,
    about_max: usize,
    email_max: usize,
    /// The locales prices may be written in.
    locales: [Locale; 7],
    /// An amount to show each locale's way of writing it.
    example: Money,
}

async fn settings_page(
    state: &AppState,
    staff: &StaffVisitor,
    form: SettingsForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (layout, admin) = staff
        .admin_frame(state, Section::Settings, "Settings")
        .await?;
    Ok(render(
        status,
        &SettingsPage {
            layout,
            admin,
            currency: state.shop.config().currency,
            form,
            errors,
            shop_name_max: site::SHOP_NAME_MAX,
            banner_max: site::BANNER_MAX,
            about_max: site::ABOUT_MAX,
            email_max: EMAIL_MAX,
            locales: Locale::ALL,
            example: Money::new(123_456, state.shop.config().currency),
        },
    ))
}

async fn settings(
    State(state): State<AppState>,
    staff: StaffVisitor,
) -> Result<Response, PageError> {
    let site = state.shop.site_settings().await?;
    let form = SettingsForm {
        shop_name: site.shop_name.clone(),
        banner: site.banner.clone(),
        about: site.about.clone(),
        contact_email: site.contact_email.clone(),
        locale: site.locale.tag().to_owned(),
    };
    settings_page(&state, &staff, form, Errors::default(), StatusCode::OK).await
}

async fn save_settings(
    State(state): State<AppState>,
    staff: StaffVisitor,
    PageForm(form): PageForm<SettingsForm>,
) -> Result<Response, PageError> {
    // A form without the field keeps the locale set.
    let locale = match Locale::parse(&form.locale) {
        Ok(locale) => locale,
        Err(_) if form.locale.trim().is_empty() => state.shop.site_settings().await?.locale,
        Err(invalid) => {
            let refused = CoreError::Validation(vec![FieldError::new("locale", invalid.0)]);
            let errors = Errors::from_core(refused)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return settings_page(&state, &staff, form, errors, status).await;
        }
    };
    let input = SiteSettings {
        shop_name: form.shop_name.clone(),
        banner: form.banner.clone(),
        about: form.about.clone(),
        contact_email: form.contact_email.clone(),
        locale,
    };
    match state.shop.update_site_settings(&staff.actor, input).await {
        Ok(_) => Ok(redirect_with(
            "/admin/settings",
            "The settings are saved.",
            &staff.visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            settings_page(&state, &staff, form, errors, status).await
        }
    }
}
