//! Reviews: shoppers read a product's at `/api/v1/store/products/{id}/reviews`
//! and verified buyers write and edit their own; staff moderate at
//! `/api/v1/admin/reviews`; sellers read and answer their products' at
//! `/api/v1/seller/reviews`.

use super::types::{ListDto, page_of, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{Acting, ApiJson, ApiQuery, Id, Seller, Staff};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::reviews::{ManagedReview, ProductReviews, ReviewInput, ReviewSettings, ReviewView};
use souk_domain::reviews::{
    BODY_MAX, REPLY_MAX, RatingSummary, ReviewSort, ReviewStatus, TITLE_MAX,
};
use utoipa::{IntoParams, ToSchema};

/// A review.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDto {
    pub id: i64,
    pub product_id: i64,
    /// The author's first name and initial.
    pub author_name: String,
    /// 1 to 5.
    pub rating: u8,
    pub title: String,
    pub body: String,
    /// `published`, `pending` (awaiting approval) or `hidden`.
    pub status: String,
    /// The seller's (or the shop's) answer.
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ReviewView> for ReviewDto {
    fn from(r: ReviewView) -> Self {
        Self {
            id: r.id,
            product_id: r.product_id,
            author_name: r.author_name,
            rating: r.rating,
            title: r.title,
            body: r.body,
            status: r.status.as_str().to_owned(),
            reply: r.reply,
            replied_at: r.replied_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// How many reviews give one rating.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingCountDto {
    pub rating: u8,
    pub count: u64,
}

/// A product's published ratings.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingSummaryDto {
    pub count: u64,
    /// The average to two decimals; `null` without reviews.
    pub average: Option<f64>,
    /// Five stars first.
    pub distribution: Vec<RatingCountDto>,
}

impl From<RatingSummary> for RatingSummaryDto {
    fn from(s: RatingSummary) -> Self {
        Self {
            count: s.count(),
            average: (s.count() > 0).then(|| f64::from(s.score()) / 100.0),
            distribution: (1..=5u8)
                .rev()
                .map(|rating| RatingCountDto {
                    rating,
                    count: s.counts[usize::from(rating) - 1],
                })
                .collect(),
        }
    }
}

/// A page of a product's published reviews with its rating summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductReviewsDto {
    pub items: Vec<ReviewDto>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
    pub summary: RatingSummaryDto,
}

impl From<ProductReviews> for ProductReviewsDto {
    fn from(r: ProductReviews) -> Self {
        let list = ListDto::from_page(r.page, ReviewDto::from);
        Self {
            items: list.items,
            page: list.page,
            per_page: list.per_page,
            total: list.total,
            summary: r.summary.into(),
        }
    }
}

/// A review with the product it is of.
#[derive(Debug, Serialize, ToSchema)]
pub struct ManagedReviewDto {
    #[serde(flatten)]
    pub review: ReviewDto,
    pub product_name: String,
    pub product_slug: String,
    /// The product's seller; `null` for the shop's own products.
    pub seller_id: Option<i64>,
}

impl From<ManagedReview> for ManagedReviewDto {
    fn from(r: ManagedReview) -> Self {
        Self {
            review: r.review.into(),
            product_name: r.product_name,
            product_slug: r.product_slug,
            seller_id: r.seller_id,
        }
    }
}

/// Which page of a product's reviews, in which order.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductReviewParams {
    /// `newest` when missing.
    #[param(schema_with = rules::review_sort)]
    pub sort: Option<String>,
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

/// A review as its author writes it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// 1 to 5 stars (`souk_domain::reviews::RATING_MIN..=RATING_MAX`).
    #[schema(minimum = 1, maximum = 5)]
    pub rating: i64,
    #[schema(schema_with = rules::text::<1, TITLE_MAX>)]
    pub title: String,
    /// May be empty.
    #[serde(default)]
    #[schema(schema_with = rules::text::<0, BODY_MAX>)]
    pub body: String,
}

impl From<ReviewRequest> for ReviewInput {
    fn from(r: ReviewRequest) -> Self {
        Self {
            rating: r.rating,
            title: r.title,
            body: r.body,
        }
    }
}

/// A product's published reviews, a page at a time, with how its ratings
/// spread.
#[utoipa::path(get, path = "/api/v1/store/products/{id_or_slug}/reviews", tag = "reviews",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug"), ProductReviewParams),
    responses(
        (status = 200, body = ProductReviewsDto),
        (status = 404, description = "No such product for sale", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_product_reviews(
    State(state): State<AppState>,
    Path(id_or_slug): Path<String>,
    ApiQuery(params): ApiQuery<ProductReviewParams>,
) -> Result<Json<ProductReviewsDto>, ApiError> {
    let sort = match params.sort.as_deref() {
        None | Some("") => ReviewSort::default(),
        Some(raw) => ReviewSort::parse(raw).map_err(|e| ApiError::invalid("sort", e.0))?,
    };
    let page = page_of(params.page, params.per_page)?;
    let found = state.shop.product_reviews(&id_or_slug, sort, page).await?;
    Ok(Json(found.into()))
}

/// Review a product. Only an account that received the product in a
/// delivered parcel may (403 otherwise), once (409 for a second review:
/// edit it instead). The review is published at once, or waits for staff
/// when the shop requires approval (`status` says which).
#[utoipa::path(post, path = "/api/v1/store/products/{id_or_slug}/reviews", tag = "reviews", security(("bearer" = [])),
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    request_body = ReviewRequest,
    responses(
        (status = 201, body = ReviewDto),
        (status = 403, description = "The caller has not received this product", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such product for sale", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller has reviewed this product already", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_review(
    State(state): State<AppState>,
    Acting(actor): Acting,
    Path(id_or_slug): Path<String>,
    ApiJson(body): ApiJson<ReviewRequest>,
) -> Result<(StatusCode, Json<ReviewDto>), ApiError> {
    let written = state
        .shop
        .write_review(&actor, &id_or_slug, body.into())
        .await?;
    Ok((StatusCode::CREATED, Json(written.into())))
}

/// Edit the caller's own review (another's is 404). When the shop requires
/// approval, the edited review waits for it again; a hidden one stays
/// hidden.
#[utoipa::path(put, path = "/api/v1/store/reviews/{id}", tag = "reviews", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ReviewRequest,
    responses(
        (status = 200, body = ReviewDto),
        (status = 404, description = "No such review of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_review(
    State(state): State<AppState>,
    Acting(actor): Acting,
    Id(id): Id,
    ApiJson(body): ApiJson<ReviewRequest>,
) -> Result<Json<ReviewDto>, ApiError> {
    let edited = state.shop.edit_review(&actor, id, body.into()).await?;
    Ok(Json(edited.into()))
}

/// Which reviews to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewListParams {
    /// All when missing or empty.
    #[param(schema_with = rules::review_status_filter)]
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

impl ReviewListParams {
    fn status(&self) -> Result<Option<ReviewStatus>, ApiError> {
        match self.status.as_deref() {
            None | Some("") => Ok(None),
            Some(raw) => ReviewStatus::parse(raw)
                .map(Some)
                .map_err(|e| ApiError::invalid("status", e.0)),
        }
    }
}

/// Every product's reviews, newest first, in one status or all.
#[utoipa::path(get, path = "/api/v1/admin/reviews", tag = "admin", security(("bearer" = [])),
    params(ReviewListParams),
    responses((status = 200, body = ListDto<ManagedReviewDto>)))]
pub async fn list_admin_reviews(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiQuery(params): ApiQuery<ReviewListParams>,
) -> Result<Json<ListDto<ManagedReviewDto>>, ApiError> {
    let status = params.status()?;
    let page = page_of(params.page, params.per_page)?;
    let found = state.shop.list_reviews(&actor, status, page).await?;
    Ok(Json(ListDto::from_page(found, Into::into)))
}

/// What staff set a review to.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ModerationRequest {
    /// `published` (shown and counted) or `hidden`.
    #[schema(schema_with = rules::review_moderation)]
    pub status: String,
}

/// Publish or hide a review; the product's rating follows.
#[utoipa::path(patch, path = "/api/v1/admin/reviews/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ModerationRequest,
    responses(
        (status = 200, body = ManagedReviewDto),
        (status = 404, description = "No such review", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn moderate_review(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<ModerationRequest>,
) -> Result<Json<ManagedReviewDto>, ApiError> {
    let status = match body.status.as_str() {
        "published" => ReviewStatus::Published,
        "hidden" => ReviewStatus::Hidden,
        _ => return Err(ApiError::invalid("status", "must be published or hidden")),
    };
    let changed = state.shop.moderate_review(&actor, id, status).await?;
    Ok(Json(changed.into()))
}

/// An answer to a review.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReplyRequest {
    #[schema(schema_with = rules::text::<1, REPLY_MAX>)]
    pub reply: String,
}

/// Answer a review of one of the shop's own products, once (a seller's
/// product is answered by its seller: 409).
#[utoipa::path(post, path = "/api/v1/admin/reviews/{id}/reply", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ReplyRequest,
    responses(
        (status = 200, body = ManagedReviewDto),
        (status = 404, description = "No such review", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Answered already, or a seller's product", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reply_to_review(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<ReplyRequest>,
) -> Result<Json<ManagedReviewDto>, ApiError> {
    let answered = state.shop.reply_to_review(&actor, id, &body.reply).await?;
    Ok(Json(answered.into()))
}

/// How the shop takes reviews.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReviewSettingsDto {
    /// New and edited reviews wait for staff before shoppers see them.
    pub approval_required: bool,
}

/// How the shop takes reviews.
#[utoipa::path(get, path = "/api/v1/admin/review-settings", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = ReviewSettingsDto)))]
pub async fn get_review_settings(
    State(state): State<AppState>,
    Staff(_actor): Staff,
) -> Result<Json<ReviewSettingsDto>, ApiError> {
    let settings = state.shop.review_settings().await?;
    Ok(Json(ReviewSettingsDto {
        approval_required: settings.approval_required,
    }))
}

/// Choose whether reviews wait for approval.
#[utoipa::path(put, path = "/api/v1/admin/review-settings", tag = "admin", security(("bearer" = [])),
    request_body = ReviewSettingsDto,
    responses((status = 200, body = ReviewSettingsDto)))]
pub async fn update_review_settings(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiJson(body): ApiJson<ReviewSettingsDto>,
) -> Result<Json<ReviewSettingsDto>, ApiError> {
    let settings = ReviewSettings {
        approval_required: body.approval_required,
    };
    let saved = state.shop.update_review_settings(&actor, settings).await?;
    Ok(Json(ReviewSettingsDto {
        approval_required: saved.approval_required,
    }))
}

/// The reviews of the seller's products, newest first.
#[utoipa::path(get, path = "/api/v1/seller/reviews", tag = "seller", security(("bearer" = [])),
    params(ReviewListParams),
    responses((status = 200, body = ListDto<ManagedReviewDto>)))]
pub async fn list_seller_reviews(
    State(state): State<AppState>,
    Seller(actor): Seller,
    ApiQuery(params): ApiQuery<ReviewListParams>,
) -> Result<Json<ListDto<ManagedReviewDto>>, ApiError> {
    let status = params.status()?;
    let page = page_of(params.page, params.per_page)?;
    let found = state.shop.list_reviews(&actor, status, page).await?;
    Ok(Json(ListDto::from_page(found, Into::into)))
}

/// Answer a review of one of the seller's products, once (409 after);
/// another seller's review is 404.
#[utoipa::path(post, path = "/api/v1/seller/reviews/{id}/reply", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ReplyRequest,
    responses(
        (status = 200, body = ManagedReviewDto),
        (status = 404, description = "No such review of the seller's products", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Answered already", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reply_to_seller_review(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
    ApiJson(body): ApiJson<ReplyRequest>,
) -> Result<Json<ManagedReviewDto>, ApiError> {
    let answered = state.shop.reply_to_review(&actor, id, &body.reply).await?;
    Ok(Json(answered.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distribution_lists_five_stars_first() {
        let summary = RatingSummary::from_counts([(5, 3), (1, 1)]);
        let dto = RatingSummaryDto::from(summary);
        assert_eq!(dto.count, 4);
        assert_eq!(dto.average, Some(4.0));
        let ratings: Vec<u8> = dto.distribution.iter().map(|d| d.rating).collect();
        assert_eq!(ratings, [5, 4, 3, 2, 1]);
        assert_eq!(dto.distribution[0].count, 3);
    }
}
