//! `/api/v1/store/products` and `/api/v1/store/categories`: the catalogue
//! as shoppers see it.

use super::types::{CategoryDto, ListDto, ProductDto, ProductSummaryDto, VariantDto, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::ApiQuery;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use souk_core::catalogue::ProductQuery;
use utoipa::IntoParams;

/// Filters, sort and page of a product listing.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListParams {
    /// Words that must all appear in the name or description (prefixes match).
    pub q: Option<String>,
    /// Category id or slug; its subcategories are included.
    pub category: Option<String>,
    /// Lowest price, in minor units.
    #[param(minimum = 0)]
    pub min_price: Option<i64>,
    /// Highest price, in minor units; below `min_price` nothing matches.
    #[param(minimum = 0)]
    pub max_price: Option<i64>,
    /// Only products that can (true) or cannot (false) be bought now.
    pub in_stock: Option<bool>,
    /// Seller id or slug.
    pub seller: Option<String>,
    /// `relevance` with `q`, `newest` without, when missing.
    #[param(schema_with = rules::listing_sort)]
    pub sort: Option<String>,
    /// One-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<i64>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

impl From<ProductListParams> for ProductQuery {
    fn from(p: ProductListParams) -> Self {
        Self {
            q: p.q,
            category: p.category,
            min_price: p.min_price,
            max_price: p.max_price,
            in_stock: p.in_stock,
            seller: p.seller,
            sort: p.sort,
            page: p.page,
            per_page: p.per_page,
            status: None,
            options: Vec::new(),
        }
    }
}

/// The category tree.
#[utoipa::path(get, path = "/api/v1/store/categories", tag = "catalogue",
    responses((status = 200, body = Vec<CategoryDto>)))]
pub async fn list_categories(
    State(state): State<AppState>,
) -> Result<Json<Vec<CategoryDto>>, ApiError> {
    let tree = state.shop.category_tree().await?;
    Ok(Json(tree.into_iter().map(Into::into).collect()))
}

/// Products for sale, filtered, searched, sorted and paged.
#[utoipa::path(get, path = "/api/v1/store/products", tag = "catalogue",
    params(ProductListParams),
    responses(
        (status = 200, body = ListDto<ProductSummaryDto>),
        (status = 404, description = "No such category or seller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_products(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ProductListParams>,
) -> Result<Json<ListDto<ProductSummaryDto>>, ApiError> {
    let page = state.shop.list_products(params.into()).await?;
    Ok(Json(ListDto::from_page(page, Into::into)))
}

/// A product for sale, by id or slug, with its variants and their stock.
#[utoipa::path(get, path = "/api/v1/store/products/{id_or_slug}", tag = "catalogue",
    params(("id_or_slug" = String, Path, description = "Numeric id or slug")),
    responses(
        (status = 200, body = ProductDto),
        (status = 404, description = "No such product for sale", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_product(
    State(state): State<AppState>,
    Path(id_or_slug): Path<String>,
) -> Result<Json<ProductDto>, ApiError> {
    let product = state.shop.get_product(&id_or_slug).await?;
    Ok(Json(ProductDto::new(product, VariantDto::store)))
}
