//! `/api/v1/admin/commission-rules`: staff set what the marketplace takes
//! from sellers' sales, preview a rule, and see each order's commissions.

use super::types::{MoneyDto, PriceInput, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiQuery, Id, Staff};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::marketplace::{
    CommissionLineView, CommissionPreview, CommissionRuleInput, CommissionRuleView,
};
use souk_domain::Currency;
use utoipa::{IntoParams, ToSchema};

/// A commission rule: a percentage (basis points) plus an optional fixed
/// amount per unit, with an optional minimum and maximum per line. Its
/// scope is what it names: neither a seller nor a category is the default
/// rule; the most specific rule that applies to a line wins (seller and
/// category, then seller, then category, then the default).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommissionRuleRequest {
    /// The seller the rule is for; `null` for every seller.
    #[schema(schema_with = rules::nullable_id)]
    pub seller_id: Option<i64>,
    /// The category the rule is for (and its subcategories); `null` for
    /// every category.
    #[schema(schema_with = rules::nullable_id)]
    pub category_id: Option<i64>,
    #[serde(flatten)]
    pub terms: CommissionTermsRequest,
}

/// A rule's terms. A minimum above the maximum is 409.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommissionTermsRequest {
    /// Hundredths of a percent of what the buyer pays for the line: 1250
    /// is 12.5 %.
    #[schema(example = 1000, minimum = 0, maximum = 10000)]
    pub basis_points: i64,
    /// Taken per unit sold, on top of the percentage (0 when missing).
    pub fixed_per_unit: Option<PriceInput>,
    /// The least taken from one line (never more than the line's amount).
    #[schema(schema_with = rules::nullable_price)]
    pub min_per_line: Option<PriceInput>,
    /// The most taken from one line.
    #[schema(schema_with = rules::nullable_price)]
    pub max_per_line: Option<PriceInput>,
}

impl CommissionTermsRequest {
    fn input(
        &self,
        seller_id: Option<i64>,
        category_id: Option<i64>,
        currency: Currency,
    ) -> Result<CommissionRuleInput, ApiError> {
        let money = |field: &str, p: &Option<PriceInput>| {
            p.as_ref()
                .map(|p| p.minor_units_in(field, currency))
                .transpose()
        };
        Ok(CommissionRuleInput {
            seller_id,
            category_id,
            basis_points: self.basis_points,
            fixed_per_unit: money("fixed_per_unit", &self.fixed_per_unit)?.unwrap_or(0),
            min_per_line: money("min_per_line", &self.min_per_line)?,
            max_per_line: money("max_per_line", &self.max_per_line)?,
        })
    }
}

/// A stored commission rule.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommissionRuleDto {
    pub id: i64,
    /// `default`, `category`, `seller` or `seller_category`.
    pub scope: String,
    pub seller_id: Option<i64>,
    pub category_id: Option<i64>,
    pub basis_points: u32,
    pub fixed_per_unit: MoneyDto,
    pub min_per_line: Option<MoneyDto>,
    pub max_per_line: Option<MoneyDto>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CommissionRuleDto {
    fn new(r: CommissionRuleView, currency: Currency) -> Self {
        let money = |amount| souk_domain::Money::new(amount, currency).into();
        Self {
            id: r.id,
            scope: r.scope.as_str().to_owned(),
            seller_id: r.scope.seller_id(),
            category_id: r.scope.category_id(),
            basis_points: r.rate.basis_points(),
            fixed_per_unit: money(r.rate.fixed_per_unit()),
            min_per_line: r.rate.min_per_line().map(money),
            max_per_line: r.rate.max_per_line().map(money),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Every commission rule.
#[utoipa::path(get, path = "/api/v1/admin/commission-rules", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<CommissionRuleDto>)))]
pub async fn list_commission_rules(
    State(state): State<AppState>,
    Staff(actor): Staff,
) -> Result<Json<Vec<CommissionRuleDto>>, ApiError> {
    let currency = state.shop.config().currency;
    let rules = state.shop.list_commission_rules(&actor).await?;
    Ok(Json(
        rules
            .into_iter()
            .map(|r| CommissionRuleDto::new(r, currency))
            .collect(),
    ))
}

/// Add a commission rule. Placed orders keep the commission they were
/// given; a rule applies to orders placed from now on.
#[utoipa::path(post, path = "/api/v1/admin/commission-rules", tag = "admin", security(("bearer" = [])),
    request_body = CommissionRuleRequest,
    responses(
        (status = 201, body = CommissionRuleDto),
        (status = 409, description = "The scope has a rule already, no such seller or category, or the minimum is above the maximum", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_commission_rule(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiJson(body): ApiJson<CommissionRuleRequest>,
) -> Result<(StatusCode, Json<CommissionRuleDto>), ApiError> {
    let currency = state.shop.config().currency;
    let input = body
        .terms
        .input(body.seller_id, body.category_id, currency)?;
    let rule = state.shop.create_commission_rule(&actor, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(CommissionRuleDto::new(rule, currency)),
    ))
}

/// Change a rule's terms; its scope stays.
#[utoipa::path(put, path = "/api/v1/admin/commission-rules/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = CommissionTermsRequest,
    responses(
        (status = 200, body = CommissionRuleDto),
        (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The minimum is above the maximum", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_commission_rule(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<CommissionTermsRequest>,
) -> Result<Json<CommissionRuleDto>, ApiError> {
    let currency = state.shop.config().currency;
    let input = body.input(None, None, currency)?;
    let rule = state.shop.update_commission_rule(&actor, id, input).await?;
    Ok(Json(CommissionRuleDto::new(rule, currency)))
}

/// Delete a rule; placed orders keep their commission.
#[utoipa::path(delete, path = "/api/v1/admin/commission-rules/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such rule", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_commission_rule(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_commission_rule(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What to preview.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewParams {
    /// The seller of the product; missing for a product of no seller.
    #[param(minimum = 1)]
    pub seller_id: Option<i64>,
    /// The product's category.
    #[param(minimum = 1)]
    pub category_id: Option<i64>,
    /// What the buyer pays for the line, in minor units.
    #[param(minimum = 0, maximum = 1000000000)]
    pub amount: i64,
    /// Units in the line (1 when missing).
    #[param(minimum = 1, maximum = 999)]
    pub quantity: Option<i64>,
}

/// A preview of a commission.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommissionPreviewDto {
    /// The rule that wins; `null` when none applies (nothing is taken).
    pub rule: Option<CommissionRuleDto>,
    pub line_amount: MoneyDto,
    pub commission: MoneyDto,
}

/// What the rules take from a line of a seller's product in a category.
#[utoipa::path(get, path = "/api/v1/admin/commission-preview", tag = "admin", security(("bearer" = [])),
    params(PreviewParams),
    responses((status = 200, body = CommissionPreviewDto)))]
pub async fn preview_commission(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiQuery(p): ApiQuery<PreviewParams>,
) -> Result<Json<CommissionPreviewDto>, ApiError> {
    let currency = state.shop.config().currency;
    let CommissionPreview {
        rule,
        line_amount,
        commission,
    } = state
        .shop
        .preview_commission(
            &actor,
            p.seller_id,
            p.category_id,
            p.amount,
            p.quantity.unwrap_or(1),
        )
        .await?;
    Ok(Json(CommissionPreviewDto {
        rule: rule.map(|r| CommissionRuleDto::new(r, currency)),
        line_amount: line_amount.into(),
        commission: commission.into(),
    }))
}

/// The commission frozen on one seller's line.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommissionLineDto {
    pub order_item_id: i64,
    pub seller_id: i64,
    /// The rule that applied; `null` if none did or it was deleted since.
    pub rule_id: Option<i64>,
    /// That rule's scope when the order was placed, or `none`.
    pub rule_scope: String,
    pub basis_points: i32,
    pub fixed_per_unit: MoneyDto,
    /// What the buyer pays for the line: its total less its share of the
    /// order's discount.
    pub line_amount: MoneyDto,
    pub discount_share: MoneyDto,
    pub commission: MoneyDto,
}

impl From<CommissionLineView> for CommissionLineDto {
    fn from(l: CommissionLineView) -> Self {
        Self {
            order_item_id: l.order_item_id,
            seller_id: l.seller_id,
            rule_id: l.rule_id,
            rule_scope: l.rule_scope,
            basis_points: l.basis_points,
            fixed_per_unit: l.fixed_per_unit.into(),
            line_amount: l.line_amount.into(),
            discount_share: l.discount_share.into(),
            commission: l.commission.into(),
        }
    }
}

/// The commission lines of an order, one per seller's line.
#[utoipa::path(get, path = "/api/v1/admin/orders/{id}/commissions", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The order's public id")),
    responses(
        (status = 200, body = Vec<CommissionLineDto>),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_order_commissions(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Path(id): Path<String>,
) -> Result<Json<Vec<CommissionLineDto>>, ApiError> {
    let lines = state.shop.order_commissions(&actor, &id).await?;
    Ok(Json(lines.into_iter().map(Into::into).collect()))
}
