//! `/api/v1/store/shipping-methods`: what a shopper can choose at checkout.

use super::types::ShippingMethodDto;
use crate::AppState;
use crate::error::ApiError;
use axum::Json;
use axum::extract::State;

/// The shipping methods on offer.
#[utoipa::path(get, path = "/api/v1/store/shipping-methods", tag = "orders",
    responses((status = 200, body = Vec<ShippingMethodDto>)))]
pub async fn list_shipping_methods(
    State(state): State<AppState>,
) -> Result<Json<Vec<ShippingMethodDto>>, ApiError> {
    let methods = state.shop.list_shipping_methods(true).await?;
    Ok(Json(methods.into_iter().map(Into::into).collect()))
}
