//! `/api/v1/seller/products` and `/api/v1/seller/variants`: a seller
//! manages its own catalogue through the same use cases as staff; the core
//! scopes every call to the seller, so another seller's product or variant
//! is 404 and a new product is always the caller's.

use super::admin_catalogue::{
    self, CreateProductRequest, StockAdjustmentRequest, UpdateProductRequest, UpdateVariantRequest,
    VariantRequest,
};
use super::catalogue::ProductListParams;
use super::types::{
    ListDto, PageParams, ProductDto, ProductSummaryDto, StockMovementDto, VariantDto,
    double_option, rules,
};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiQuery, Id, Seller};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use super::admin_catalogue::AdminProductListParams;

/// A new product of the calling seller, with its variants.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SellerProductRequest {
    #[schema(schema_with = rules::text::<1, 200>)]
    pub name: String,
    /// Made from the name when missing.
    #[schema(schema_with = rules::nullable_slug)]
    pub slug: Option<String>,
    #[serde(default)]
    #[schema(schema_with = rules::text::<0, 20000>)]
    pub description: String,
    #[schema(schema_with = rules::nullable_id)]
    pub category_id: Option<i64>,
    /// `draft` when missing.
    #[schema(schema_with = rules::nullable_product_status)]
    pub status: Option<String>,
    #[schema(min_items = 1, max_items = 100)]
    pub variants: Vec<VariantRequest>,
}

impl From<SellerProductRequest> for CreateProductRequest {
    fn from(r: SellerProductRequest) -> Self {
        Self {
            name: r.name,
            slug: r.slug,
            description: r.description,
            category_id: r.category_id,
            seller_id: None,
            status: r.status,
            variants: r.variants,
        }
    }
}

/// Changes to one of the seller's products; missing fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SellerProductChanges {
    #[schema(schema_with = rules::nullable_text::<1, 200>)]
    pub name: Option<String>,
    #[schema(schema_with = rules::nullable_slug)]
    pub slug: Option<String>,
    #[schema(schema_with = rules::nullable_text::<0, 20000>)]
    pub description: Option<String>,
    /// `null` makes the product uncategorised.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = rules::nullable_id)]
    pub category_id: Option<Option<i64>>,
    #[schema(schema_with = rules::nullable_product_status)]
    pub status: Option<String>,
}

impl From<SellerProductChanges> for UpdateProductRequest {
    fn from(r: SellerProductChanges) -> Self {
        Self {
            name: r.name,
            slug: r.slug,
            description: r.description,
            category_id: r.category_id,
            seller_id: None,
            status: r.status,
        }
    }
}

/// The seller's own products in any status, with the store's filters.
#[utoipa::path(get, path = "/api/v1/seller/products", tag = "seller", security(("bearer" = [])),
    params(ProductListParams, AdminProductListParams),
    responses(
        (status = 200, body = ListDto<ProductSummaryDto>),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_seller_products(
    State(state): State<AppState>,
    Seller(actor): Seller,
    ApiQuery(params): ApiQuery<ProductListParams>,
    ApiQuery(admin): ApiQuery<AdminProductListParams>,
) -> Result<Json<ListDto<ProductSummaryDto>>, ApiError> {
    admin_catalogue::list_products_as(&state, &actor, params, admin).await
}

/// Create a product of the seller's, with its variants.
#[utoipa::path(post, path = "/api/v1/seller/products", tag = "seller", security(("bearer" = [])),
    request_body = SellerProductRequest,
    responses(
        (status = 201, body = ProductDto),
        (status = 409, description = "A SKU or slug in use, SKUs or options given twice, or no such category", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_seller_product(
    State(state): State<AppState>,
    Seller(actor): Seller,
    ApiJson(body): ApiJson<SellerProductRequest>,
) -> Result<(StatusCode, Json<ProductDto>), ApiError> {
    admin_catalogue::create_product_as(&state, &actor, body.into()).await
}

/// One of the seller's products, in any status, with stock on hand.
#[utoipa::path(get, path = "/api/v1/seller/products/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ProductDto)))]
pub async fn get_seller_product(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
) -> Result<Json<ProductDto>, ApiError> {
    admin_catalogue::get_product_as(&state, &actor, id).await
}

/// Change one of the seller's products.
#[utoipa::path(patch, path = "/api/v1/seller/products/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = SellerProductChanges,
    responses(
        (status = 200, body = ProductDto),
        (status = 409, description = "The slug is in use, or no such category", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_seller_product(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
    ApiJson(body): ApiJson<SellerProductChanges>,
) -> Result<Json<ProductDto>, ApiError> {
    admin_catalogue::update_product_as(&state, &actor, id, body.into()).await
}

/// Delete one of the seller's products and its variants.
#[utoipa::path(delete, path = "/api/v1/seller/products/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted")))]
pub async fn delete_seller_product(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_product(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a variant to one of the seller's products.
#[utoipa::path(post, path = "/api/v1/seller/products/{id}/variants", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = VariantRequest,
    responses(
        (status = 201, body = ProductDto),
        (status = 409, description = "The SKU is in use, a sibling has these options, or the product has the most variants it may", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_seller_variant(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
    ApiJson(body): ApiJson<VariantRequest>,
) -> Result<(StatusCode, Json<ProductDto>), ApiError> {
    admin_catalogue::create_variant_as(&state, &actor, id, body).await
}

/// Change a variant of one of the seller's products.
#[utoipa::path(patch, path = "/api/v1/seller/variants/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = UpdateVariantRequest,
    responses(
        (status = 200, body = VariantDto),
        (status = 409, description = "The SKU is in use, or a sibling has these options", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_seller_variant(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
    ApiJson(body): ApiJson<UpdateVariantRequest>,
) -> Result<Json<VariantDto>, ApiError> {
    admin_catalogue::update_variant_as(&state, &actor, id, body).await
}

/// Delete a variant of one of the seller's products; a product keeps at
/// least one (409).
#[utoipa::path(delete, path = "/api/v1/seller/variants/{id}", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "It is the product's last variant", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_seller_variant(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_variant(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add or remove stock of one of the seller's variants.
#[utoipa::path(post, path = "/api/v1/seller/variants/{id}/stock", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = StockAdjustmentRequest,
    responses(
        (status = 200, description = "The variant after the change", body = VariantDto),
        (status = 409, description = "Not that many units on hand", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn adjust_seller_stock(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
    ApiJson(body): ApiJson<StockAdjustmentRequest>,
) -> Result<Json<VariantDto>, ApiError> {
    admin_catalogue::adjust_stock_as(&state, &actor, id, body).await
}

/// The stock movements of one of the seller's variants, newest first.
#[utoipa::path(get, path = "/api/v1/seller/variants/{id}/stock", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path), PageParams),
    responses((status = 200, body = ListDto<StockMovementDto>)))]
pub async fn list_seller_stock_movements(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ListDto<StockMovementDto>>, ApiError> {
    admin_catalogue::stock_movements_as(&state, &actor, id, params).await
}
