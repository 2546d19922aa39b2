//! `/api/v1/store/me/data` and `DELETE /api/v1/store/me`: a customer
//! downloads everything the shop holds about them, or erases the account.

use super::account::UNAUTHENTICATED;
use super::reviews::ManagedReviewDto;
use super::types::{PostalAddressDto, UserDto};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, Authenticated, Client};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::account_data::AccountData;
use souk_core::records::{order, order_item};
use souk_domain::address::PostalAddress;
use utoipa::ToSchema;

/// Everything the shop holds about the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountDataDto {
    pub exported_at: DateTime<Utc>,
    pub account: UserDto,
    pub addresses: Vec<ExportedAddressDto>,
    /// Oldest first.
    pub orders: Vec<ExportedOrderDto>,
    /// The account's product reviews, oldest first.
    pub reviews: Vec<ManagedReviewDto>,
}

/// A saved address.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedAddressDto {
    #[serde(flatten)]
    pub address: PostalAddressDto,
    pub is_default: bool,
}

/// An order as placed; amounts in minor units of `currency`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedOrderDto {
    pub number: String,
    pub placed_at: DateTime<Utc>,
    pub status: String,
    pub payment_status: String,
    pub email: String,
    pub currency: String,
    pub subtotal: i64,
    pub shipping_total: i64,
    pub discount_total: i64,
    pub tax_total: i64,
    pub total: i64,
    pub shipping_address: Option<PostalAddressDto>,
    pub shipping_method: String,
    pub voucher_code: Option<String>,
    pub lines: Vec<ExportedLineDto>,
}

/// A line of an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportedLineDto {
    pub product_name: String,
    pub sku: String,
    pub quantity: i64,
    pub unit_price: i64,
    pub line_total: i64,
}

impl From<AccountData> for AccountDataDto {
    fn from(d: AccountData) -> Self {
        Self {
            exported_at: d.exported_at,
            account: d.account.into(),
            addresses: d
                .addresses
                .into_iter()
                .map(|a| ExportedAddressDto {
                    address: a.postal().into(),
                    is_default: a.is_default,
                })
                .collect(),
            orders: d
                .orders
                .into_iter()
                .map(|(o, lines)| order(o, lines))
                .collect(),
            reviews: d.reviews.into_iter().map(Into::into).collect(),
        }
    }
}

fn order(o: order::Model, lines: Vec<order_item::Model>) -> ExportedOrderDto {
    ExportedOrderDto {
        shipping_address: serde_json::from_str::<PostalAddress>(&o.shipping_address)
            .ok()
            .map(Into::into),
        number: o.number,
        placed_at: o.placed_at,
        status: o.status,
        payment_status: o.payment_status,
        email: o.email,
        currency: o.currency,
        subtotal: o.subtotal,
        shipping_total: o.shipping_total,
        discount_total: o.discount_total,
        tax_total: o.tax_total,
        total: o.total,
        shipping_method: o.shipping_method_name,
        voucher_code: o.voucher_code,
        lines: lines
            .into_iter()
            .map(|l| ExportedLineDto {
                product_name: l.product_name,
                sku: l.sku,
                quantity: l.quantity,
                unit_price: l.unit_price,
                line_total: l.line_total,
            })
            .collect(),
    }
}

/// Download everything the shop holds about the signed-in account: the
/// account, its addresses, its orders with their lines, and its reviews.
#[utoipa::path(get, path = "/api/v1/store/me/data", tag = "account", security(("bearer" = [])),
    responses(
        (status = 200, body = AccountDataDto),
        (status = 401, description = UNAUTHENTICATED, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_my_data(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<Json<AccountDataDto>, ApiError> {
    Ok(Json(state.shop.account_data(caller).await?.into()))
}

/// The account's password, to confirm its deletion.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeleteAccountRequest {
    pub password: String,
}

/// Delete the signed-in account. The account, its addresses, cart and
/// sessions are deleted; its orders stay for the shop's accounts with the
/// e-mail address and everything but the country and region of the
/// shipping address erased. The password is checked as a sign-in checks it
/// (a wrong one is 409 and counts towards throttling). Refused with 409
/// too while an order is still on its way, and for staff and seller
/// accounts.
#[utoipa::path(delete, path = "/api/v1/store/me", tag = "account", security(("bearer" = [])),
    request_body = DeleteAccountRequest,
    responses(
        (status = 204, description = "The account is deleted"),
        (status = 401, description = UNAUTHENTICATED, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The password is wrong, an order is still on its way, or the account is staff or runs a seller", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn delete_me(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Client(client): Client,
    ApiJson(body): ApiJson<DeleteAccountRequest>,
) -> Result<StatusCode, ApiError> {
    state
        .shop
        .erase_account(caller, &body.password, &client)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
