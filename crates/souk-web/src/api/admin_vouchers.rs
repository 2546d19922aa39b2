//! `/api/v1/admin/vouchers` and `/api/v1/admin/jobs`: staff manage
//! vouchers and watch background work.

use super::types::{ListDto, MoneyDto, PageParams, PriceInput, double_option, page_of, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiQuery, Id, Staff};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::records::job;
use souk_core::vouchers::{VoucherInput, VoucherView};
use souk_domain::Currency;
use utoipa::{IntoParams, PartialSchema, ToSchema};

/// A voucher.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoucherDto {
    pub id: i64,
    /// Upper-case; shoppers may type it in any case.
    pub code: String,
    /// `percent`, `fixed` or `free_shipping`.
    pub kind: String,
    /// Percent (1 to 100) or minor units, by kind; 0 for free shipping.
    pub value: i64,
    pub min_subtotal: Option<MoneyDto>,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    /// Uses by orders that were not cancelled or expired.
    pub used_count: i32,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub active: bool,
}

impl From<VoucherView> for VoucherDto {
    fn from(v: VoucherView) -> Self {
        Self {
            id: v.id,
            code: v.code,
            kind: v.kind,
            value: v.value,
            min_subtotal: v.min_subtotal.map(Into::into),
            usage_limit: v.usage_limit,
            per_customer_limit: v.per_customer_limit,
            used_count: v.used_count,
            starts_at: v.starts_at,
            ends_at: v.ends_at,
            active: v.active,
        }
    }
}

/// A voucher's fields as staff enter them: on a change, missing fields
/// stay and `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VoucherRequest {
    /// 3 to 32 letters, digits, `-` or `_`; required for a new voucher.
    #[schema(example = "SUMMER10", pattern = "^[A-Za-z0-9_-]{3,32}$")]
    pub code: Option<String>,
    /// Required for a new voucher.
    #[schema(example = "percent", schema_with = rules::nullable_voucher_kind)]
    pub kind: Option<String>,
    /// A percentage from 1 to 100, or minor units off; ignored for free
    /// shipping. Required for a new voucher unless it is free shipping.
    #[schema(example = 10, minimum = 1, maximum = 1_000_000_000)]
    pub value: Option<i64>,
    /// The goods the voucher needs; `null` for none.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = rules::nullable_price)]
    pub min_subtotal: Option<Option<PriceInput>>,
    /// Uses in all; `null` for no limit.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    pub usage_limit: Option<Option<i32>>,
    /// Uses per customer; `null` for no limit.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 2147483647)]
    pub per_customer_limit: Option<Option<i32>>,
    /// `null` for at once.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = rules::nullable_date_time)]
    pub starts_at: Option<Option<DateTime<Utc>>>,
    /// `null` for never; a time before `starts_at` clashes (409).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = rules::nullable_date_time)]
    pub ends_at: Option<Option<DateTime<Utc>>>,
    pub active: Option<bool>,
}

/// A body read as [`VoucherRequest`] whose schema adds rules to it.
macro_rules! voucher_body {
    ($(#[$doc:meta])* $name:ident, $rules:path) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub VoucherRequest);

        impl PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let fields = utoipa::openapi::Ref::from_schema_name(VoucherRequest::name());
                utoipa::openapi::RefOr::T($rules(fields.into()))
            }
        }

        impl ToSchema for $name {
            fn schemas(
                schemas: &mut Vec<(
                    String,
                    utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
                )>,
            ) {
                schemas.push((VoucherRequest::name().into(), VoucherRequest::schema()));
            }
        }
    };
}

voucher_body!(
    /// A new voucher: the fields of [`VoucherRequest`] with `code` and
    /// `kind` required, and `value` too unless the kind is free shipping.
    NewVoucherRequest,
    rules::new_voucher
);

voucher_body!(
    /// Changes to a voucher: the fields of [`VoucherRequest`], with a
    /// percentage at most 100.
    VoucherChanges,
    rules::voucher_changes
);

impl VoucherRequest {
    /// The input with money in minor units of the shop's `currency`.
    fn into_input(self, currency: Currency) -> Result<VoucherInput, ApiError> {
        let min_subtotal = match self.min_subtotal {
            Some(Some(p)) => Some(Some(p.minor_units_in("min_subtotal", currency)?)),
            Some(None) => Some(None),
            None => None,
        };
        Ok(VoucherInput {
            code: self.code,
            kind: self.kind,
            value: self.value,
            min_subtotal,
            usage_limit: self.usage_limit,
            per_customer_limit: self.per_customer_limit,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            active: self.active,
        })
    }
}

/// A background job.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobDto {
    pub id: i64,
    pub kind: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<job::Model> for JobDto {
    fn from(j: job::Model) -> Self {
        Self {
            id: j.id,
            kind: j.kind,
            status: j.status,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            run_at: j.run_at,
            last_error: j.last_error,
            created_at: j.created_at,
            updated_at: j.updated_at,
        }
    }
}

/// Which jobs.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobListParams {
    /// All when missing or empty.
    #[param(schema_with = rules::job_status_filter)]
    pub status: Option<String>,
    /// One-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<i64>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

/// Vouchers, newest first.
#[utoipa::path(get, path = "/api/v1/admin/vouchers", tag = "admin", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = ListDto<VoucherDto>),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json")))]
pub async fn list_vouchers(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiQuery(p): ApiQuery<PageParams>,
) -> Result<Json<ListDto<VoucherDto>>, ApiError> {
    let vouchers = state
        .shop
        .list_vouchers(&actor, page_of(p.page, p.per_page)?)
        .await?;
    Ok(Json(ListDto::from_page(vouchers, Into::into)))
}

/// Create a voucher (`code`, `kind` and, except for free shipping, `value` required).
#[utoipa::path(post, path = "/api/v1/admin/vouchers", tag = "admin", security(("bearer" = [])),
    request_body = NewVoucherRequest,
    responses((status = 201, body = VoucherDto),
        (status = 409, description = "The code is taken, the value does not suit the kind, or the end is not after the start", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json")))]
pub async fn create_voucher(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiJson(NewVoucherRequest(body)): ApiJson<NewVoucherRequest>,
) -> Result<(StatusCode, Json<VoucherDto>), ApiError> {
    let input = body.into_input(state.shop.config().currency)?;
    let created = state.shop.create_voucher(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Change a voucher; `{"active": false}` deactivates it.
#[utoipa::path(patch, path = "/api/v1/admin/vouchers/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = VoucherChanges,
    responses((status = 200, body = VoucherDto),
        (status = 404, description = "No such voucher", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken, the value does not suit the kind, or the end is not after the start", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json")))]
pub async fn update_voucher(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(VoucherChanges(body)): ApiJson<VoucherChanges>,
) -> Result<Json<VoucherDto>, ApiError> {
    Ok(Json(
        state
            .shop
            .update_voucher(&actor, id, body.into_input(state.shop.config().currency)?)
            .await?
            .into(),
    ))
}

/// Deactivate a voucher: it no longer applies; orders that used it keep it.
#[utoipa::path(post, path = "/api/v1/admin/vouchers/{id}/deactivate", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = VoucherDto),
        (status = 404, description = "No such voucher", body = Problem, content_type = "application/problem+json")))]
pub async fn deactivate_voucher(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<Json<VoucherDto>, ApiError> {
    let input = VoucherInput {
        active: Some(false),
        ..Default::default()
    };
    Ok(Json(
        state.shop.update_voucher(&actor, id, input).await?.into(),
    ))
}

/// Background jobs, newest first: `?status=failed` shows what gave up.
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "admin", security(("bearer" = [])),
    params(JobListParams),
    responses((status = 200, body = ListDto<JobDto>),
        (status = 422, description = "Unknown status", body = Problem, content_type = "application/problem+json")))]
pub async fn list_jobs(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiQuery(p): ApiQuery<JobListParams>,
) -> Result<Json<ListDto<JobDto>>, ApiError> {
    let jobs = state
        .shop
        .list_jobs(&actor, p.status.as_deref(), page_of(p.page, p.per_page)?)
        .await?;
    Ok(Json(ListDto::from_page(jobs, Into::into)))
}
