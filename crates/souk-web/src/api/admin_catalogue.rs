//! `/api/v1/admin/...`: staff manage categories, products, variants and
//! stock.

use super::catalogue::ProductListParams;
use super::types::{
    CategoryDto, ListDto, PageParams, PriceInput, ProductDto, ProductSummaryDto, StockMovementDto,
    VariantDto, double_option, rules,
};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiQuery, Id, Staff};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use souk_core::actor::Actor;
use souk_core::catalogue::{
    CategoryInput, CategoryPatch, NewProduct, NewVariant, ProductPatch, ProductQuery, VariantPatch,
};
use souk_domain::paging::PageRequest;
use souk_domain::{FieldError, Validator};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// A variant of a new product.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VariantRequest {
    #[schema(example = "TEE-NAVY-M", schema_with = rules::sku)]
    pub sku: String,
    /// Option name to value, e.g. `{"size": "M", "colour": "Navy"}`.
    #[serde(default)]
    #[schema(schema_with = rules::variant_options)]
    pub options: BTreeMap<String, String>,
    pub price: PriceInput,
    /// Units on hand to start with (default 0).
    #[serde(default)]
    #[schema(schema_with = rules::opening_stock)]
    pub stock: i64,
}

/// A new product with its variants.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateProductRequest {
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
    /// The owning seller; missing or `null` for the shop's own product.
    #[schema(schema_with = rules::nullable_id)]
    pub seller_id: Option<i64>,
    /// `draft` when missing.
    #[schema(schema_with = rules::nullable_product_status)]
    pub status: Option<String>,
    #[schema(min_items = 1, max_items = 100)]
    pub variants: Vec<VariantRequest>,
}

/// Changes to a product; missing fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateProductRequest {
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
    /// `null` makes it the shop's own product.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = rules::nullable_id)]
    pub seller_id: Option<Option<i64>>,
    #[schema(schema_with = rules::nullable_product_status)]
    pub status: Option<String>,
}

/// Changes to a variant; stock changes go through adjustments.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateVariantRequest {
    #[schema(schema_with = rules::nullable_sku)]
    pub sku: Option<String>,
    #[schema(schema_with = rules::nullable_variant_options)]
    pub options: Option<BTreeMap<String, String>>,
    pub price: Option<PriceInput>,
    #[schema(minimum = -2147483648, maximum = 2147483647)]
    pub position: Option<i32>,
}

/// A change of stock on hand.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StockAdjustmentRequest {
    /// Units to add; negative to remove.
    #[schema(example = 12, schema_with = rules::stock_delta)]
    pub delta: i64,
    /// Why, for the record.
    #[schema(example = "delivery from supplier", schema_with = rules::text::<1, 200>)]
    pub reason: String,
}

/// A new category.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCategoryRequest {
    #[schema(schema_with = rules::text::<1, 100>)]
    pub name: String,
    /// Made from the name when missing.
    #[schema(schema_with = rules::nullable_slug)]
    pub slug: Option<String>,
    #[schema(schema_with = rules::nullable_text::<0, 2000>)]
    pub description: Option<String>,
    /// A top-level category; categories nest two levels deep.
    #[schema(schema_with = rules::nullable_id)]
    pub parent_id: Option<i64>,
    #[schema(minimum = -2147483648, maximum = 2147483647)]
    pub position: Option<i32>,
}

/// Changes to a category.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateCategoryRequest {
    #[schema(schema_with = rules::nullable_text::<1, 100>)]
    pub name: Option<String>,
    #[schema(schema_with = rules::nullable_slug)]
    pub slug: Option<String>,
    #[schema(schema_with = rules::nullable_text::<0, 2000>)]
    pub description: Option<String>,
    /// `null` makes it top-level.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = rules::nullable_id)]
    pub parent_id: Option<Option<i64>>,
    #[schema(minimum = -2147483648, maximum = 2147483647)]
    pub position: Option<i32>,
}

/// Listing filters for staff: the store's plus status.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminProductListParams {
    /// All when missing.
    #[param(schema_with = rules::product_status_filter)]
    pub status: Option<String>,
}

fn price(field: &str, input: &PriceInput, state: &AppState, v: &mut Validator) -> i64 {
    input
        .amount_in(state.shop.config().currency)
        .unwrap_or_else(|message| {
            v.push(FieldError::new(field, message));
            0
        })
}

/// Every product in any status, with the store's filters.
#[utoipa::path(get, path = "/api/v1/admin/products", tag = "admin", security(("bearer" = [])),
    params(ProductListParams, AdminProductListParams),
    responses(
        (status = 200, body = ListDto<ProductSummaryDto>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such category or seller", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_admin_products(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiQuery(params): ApiQuery<ProductListParams>,
    ApiQuery(admin): ApiQuery<AdminProductListParams>,
) -> Result<Json<ListDto<ProductSummaryDto>>, ApiError> {
    list_products_as(&state, &actor, params, admin).await
}

/// The products the actor manages, in any status.
pub(super) async fn list_products_as(
    state: &AppState,
    actor: &Actor,
    params: ProductListParams,
    admin: AdminProductListParams,
) -> Result<Json<ListDto<ProductSummaryDto>>, ApiError> {
    let query = ProductQuery {
        status: admin.status,
        ..params.into()
    };
    let page = state.shop.list_managed_products(actor, query).await?;
    Ok(Json(ListDto::from_page(page, Into::into)))
}

/// Create a product with its variants.
#[utoipa::path(post, path = "/api/v1/admin/products", tag = "admin", security(("bearer" = [])),
    request_body = CreateProductRequest,
    responses(
        (status = 201, body = ProductDto),
        (status = 403, description = "Not staff", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A SKU or slug in use, SKUs or options given twice, or no such category or seller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_product(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiJson(body): ApiJson<CreateProductRequest>,
) -> Result<(StatusCode, Json<ProductDto>), ApiError> {
    create_product_as(&state, &actor, body).await
}

/// Creates a product for staff or, with `seller_id` ignored, a seller.
pub(super) async fn create_product_as(
    state: &AppState,
    actor: &Actor,
    body: CreateProductRequest,
) -> Result<(StatusCode, Json<ProductDto>), ApiError> {
    let mut v = Validator::new();
    let variants = body
        .variants
        .into_iter()
        .enumerate()
        .map(|(i, r)| NewVariant {
            price: price(&format!("variants[{i}].price"), &r.price, state, &mut v),
            sku: r.sku,
            options: r.options,
            stock: r.stock,
        })
        .collect();
    v.finish().map_err(souk_core::CoreError::from)?;
    let input = NewProduct {
        name: body.name,
        slug: body.slug,
        description: body.description,
        category_id: body.category_id,
        seller_id: body.seller_id,
        status: body.status,
        variants,
    };
    let product = state.shop.create_product(actor, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(ProductDto::new(product, VariantDto::staff)),
    ))
}

/// A product in any status, with stock on hand.
#[utoipa::path(get, path = "/api/v1/admin/products/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = ProductDto),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_admin_product(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<Json<ProductDto>, ApiError> {
    get_product_as(&state, &actor, id).await
}

/// A product the actor manages, by id.
pub(super) async fn get_product_as(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<Json<ProductDto>, ApiError> {
    let product = state.shop.managed_product(actor, &id.to_string()).await?;
    if product.id != id {
        return Err(souk_core::CoreError::NotFound("product").into());
    }
    Ok(Json(ProductDto::new(product, VariantDto::staff)))
}

/// Change a product's name, slug, description, category, seller or status.
#[utoipa::path(patch, path = "/api/v1/admin/products/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = UpdateProductRequest,
    responses(
        (status = 200, body = ProductDto),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is in use, or no such category or seller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_product(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<UpdateProductRequest>,
) -> Result<Json<ProductDto>, ApiError> {
    update_product_as(&state, &actor, id, body).await
}

/// Changes a product for staff or, with `seller_id` ignored, a seller.
pub(super) async fn update_product_as(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body: UpdateProductRequest,
) -> Result<Json<ProductDto>, ApiError> {
    let patch = ProductPatch {
        name: body.name,
        slug: body.slug,
        description: body.description,
        category_id: body.category_id,
        seller_id: body.seller_id,
        status: body.status,
    };
    let product = state.shop.update_product(actor, id, patch).await?;
    Ok(Json(ProductDto::new(product, VariantDto::staff)))
}

/// Delete a product and its variants.
#[utoipa::path(delete, path = "/api/v1/admin/products/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_product(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_product(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a variant to a product.
#[utoipa::path(post, path = "/api/v1/admin/products/{id}/variants", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = VariantRequest,
    responses(
        (status = 201, body = ProductDto),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The SKU is in use, or a sibling has these options", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_variant(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<VariantRequest>,
) -> Result<(StatusCode, Json<ProductDto>), ApiError> {
    create_variant_as(&state, &actor, id, body).await
}

/// Adds a variant to a product that the actor manages.
pub(super) async fn create_variant_as(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body: VariantRequest,
) -> Result<(StatusCode, Json<ProductDto>), ApiError> {
    let mut v = Validator::new();
    let amount = price("price", &body.price, state, &mut v);
    v.finish().map_err(souk_core::CoreError::from)?;
    let input = NewVariant {
        sku: body.sku,
        options: body.options,
        price: amount,
        stock: body.stock,
    };
    let product = state.shop.add_variant(actor, id, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(ProductDto::new(product, VariantDto::staff)),
    ))
}

/// Change a variant's SKU, options, price or position.
#[utoipa::path(patch, path = "/api/v1/admin/variants/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = UpdateVariantRequest,
    responses(
        (status = 200, body = VariantDto),
        (status = 404, description = "No such variant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The SKU is in use, or a sibling has these options", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_variant(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<UpdateVariantRequest>,
) -> Result<Json<VariantDto>, ApiError> {
    update_variant_as(&state, &actor, id, body).await
}

/// Changes a variant of a product that the actor manages.
pub(super) async fn update_variant_as(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body: UpdateVariantRequest,
) -> Result<Json<VariantDto>, ApiError> {
    let mut v = Validator::new();
    let amount = body
        .price
        .as_ref()
        .map(|p| price("price", p, state, &mut v));
    v.finish().map_err(souk_core::CoreError::from)?;
    let patch = VariantPatch {
        sku: body.sku,
        options: body.options,
        price: amount,
        position: body.position,
    };
    Ok(Json(VariantDto::staff(
        state.shop.update_variant(actor, id, patch).await?,
    )))
}

/// Delete a variant; a product keeps at least one (409).
#[utoipa::path(delete, path = "/api/v1/admin/variants/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such variant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It is the product's last variant", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_variant(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_variant(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add or remove stock on hand, recording why and by whom.
#[utoipa::path(post, path = "/api/v1/admin/variants/{id}/stock", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = StockAdjustmentRequest,
    responses(
        (status = 200, description = "The variant after the change", body = VariantDto),
        (status = 404, description = "No such variant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not that many units on hand", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn adjust_stock(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<StockAdjustmentRequest>,
) -> Result<Json<VariantDto>, ApiError> {
    adjust_stock_as(&state, &actor, id, body).await
}

/// Adjusts the stock of a variant the actor manages.
pub(super) async fn adjust_stock_as(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body: StockAdjustmentRequest,
) -> Result<Json<VariantDto>, ApiError> {
    let variant = state
        .shop
        .adjust_stock(actor, id, body.delta, &body.reason)
        .await?;
    Ok(Json(VariantDto::staff(variant)))
}

/// A variant's stock movements, newest first.
#[utoipa::path(get, path = "/api/v1/admin/variants/{id}/stock", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path), PageParams),
    responses(
        (status = 200, body = ListDto<StockMovementDto>),
        (status = 404, description = "No such variant", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_stock_movements(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ListDto<StockMovementDto>>, ApiError> {
    stock_movements_as(&state, &actor, id, params).await
}

/// The stock movements of a variant the actor manages.
pub(super) async fn stock_movements_as(
    state: &AppState,
    actor: &Actor,
    id: i64,
    params: PageParams,
) -> Result<Json<ListDto<StockMovementDto>>, ApiError> {
    let page = PageRequest::parse(params.page, params.per_page)
        .map_err(|(field, e)| ApiError::invalid(field, e.0))?;
    let movements = state.shop.stock_movements(actor, id, page).await?;
    Ok(Json(ListDto::from_page(movements, Into::into)))
}

/// The category tree, for staff.
#[utoipa::path(get, path = "/api/v1/admin/categories", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<CategoryDto>)))]
pub async fn list_admin_categories(
    State(state): State<AppState>,
    Staff(_): Staff,
) -> Result<Json<Vec<CategoryDto>>, ApiError> {
    let tree = state.shop.category_tree().await?;
    Ok(Json(tree.into_iter().map(Into::into).collect()))
}

/// Create a category.
#[utoipa::path(post, path = "/api/v1/admin/categories", tag = "admin", security(("bearer" = [])),
    request_body = CreateCategoryRequest,
    responses(
        (status = 201, body = CategoryDto),
        (status = 409, description = "The slug is in use, or the parent cannot take it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_category(
    State(state): State<AppState>,
    Staff(actor): Staff,
    ApiJson(body): ApiJson<CreateCategoryRequest>,
) -> Result<(StatusCode, Json<CategoryDto>), ApiError> {
    let input = CategoryInput {
        name: body.name,
        slug: body.slug,
        description: body.description,
        parent_id: body.parent_id,
        position: body.position,
    };
    let created = state.shop.create_category(&actor, input).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Change a category.
#[utoipa::path(patch, path = "/api/v1/admin/categories/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = UpdateCategoryRequest,
    responses(
        (status = 200, body = CategoryDto),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is in use, or the parent cannot take it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_category(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    ApiJson(body): ApiJson<UpdateCategoryRequest>,
) -> Result<Json<CategoryDto>, ApiError> {
    let patch = CategoryPatch {
        name: body.name,
        slug: body.slug,
        description: body.description,
        parent_id: body.parent_id,
        position: body.position,
    };
    Ok(Json(
        state.shop.update_category(&actor, id, patch).await?.into(),
    ))
}

/// Delete a category without subcategories; its products become
/// uncategorised.
#[utoipa::path(delete, path = "/api/v1/admin/categories/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "It has subcategories", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_category(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_category(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
