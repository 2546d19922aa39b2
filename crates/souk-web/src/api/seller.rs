//! `/api/v1/seller/...`: what a marketplace seller sees of its sales.

use super::types::{ListDto, PageParams, SellerOrderDto};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiQuery, Seller};
use axum::Json;
use axum::extract::State;
use souk_domain::paging::PageRequest;

/// The orders that hold the caller's lines, showing only those lines.
#[utoipa::path(get, path = "/api/v1/seller/orders", tag = "seller", security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, body = ListDto<SellerOrderDto>),
        (status = 403, description = "Not a seller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_seller_orders(
    State(state): State<AppState>,
    Seller(actor): Seller,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ListDto<SellerOrderDto>>, ApiError> {
    let page = PageRequest::parse(params.page, params.per_page)
        .map_err(|(field, e)| ApiError::invalid(field, e.0))?;
    let orders = state.shop.list_seller_orders(&actor, page).await?;
    Ok(Json(ListDto::from_page(orders, Into::into)))
}
