//! Sellers in the API: applications, shop profiles and staff decisions.

use super::rules;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::sellers::{SellerShop, SellerView, ShopProfileInput};
use souk_domain::marketplace::{PAYOUT_DETAILS_MAX, SHOP_DESCRIPTION_MAX, SHOP_NAME_MAX};
use utoipa::{IntoParams, ToSchema};

/// What a seller says about its shop: to apply, or to change its profile.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ShopProfileRequest {
    /// The shop's name as shoppers see it.
    #[schema(example = "Northwind Ceramics", schema_with = rules::text::<2, SHOP_NAME_MAX>)]
    pub name: String,
    /// The shop's address: `/sellers/{slug}`.
    #[schema(example = "northwind-ceramics", schema_with = rules::slug)]
    pub slug: String,
    #[serde(default)]
    #[schema(schema_with = rules::text::<0, SHOP_DESCRIPTION_MAX>)]
    pub description: String,
    /// Where the shop's customers and staff write to.
    #[schema(schema_with = rules::email)]
    pub contact_email: String,
    /// Where the seller is paid to (bank account, for example); shown to
    /// staff and the seller only.
    #[schema(schema_with = rules::text::<1, PAYOUT_DETAILS_MAX>)]
    pub payout_details: String,
}

impl From<ShopProfileRequest> for ShopProfileInput {
    fn from(r: ShopProfileRequest) -> Self {
        Self {
            name: r.name,
            slug: r.slug,
            description: r.description,
            contact_email: r.contact_email,
            payout_details: r.payout_details,
        }
    }
}

/// A seller as staff and the seller itself see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerProfileDto {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub contact_email: String,
    pub payout_details: String,
    /// `pending` (waiting for review), `approved`, `rejected` or `suspended`.
    pub status: String,
    /// Why staff refused or suspended the seller.
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<SellerView> for SellerProfileDto {
    fn from(s: SellerView) -> Self {
        Self {
            id: s.id,
            name: s.name,
            slug: s.slug,
            description: s.description,
            contact_email: s.contact_email,
            payout_details: s.payout_details,
            status: s.status.as_str().to_owned(),
            decision_reason: s.decision_reason,
            decided_at: s.decided_at,
            created_at: s.created_at,
        }
    }
}

/// A seller's shop as shoppers see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerShopDto {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
}

impl From<SellerShop> for SellerShopDto {
    fn from(s: SellerShop) -> Self {
        Self {
            id: s.id,
            slug: s.slug,
            name: s.name,
            description: s.description,
        }
    }
}

/// A decision staff take on a seller; its schema is
/// [`rules::seller_decision_request`], which ties the reason to the
/// decision.
#[derive(Debug, Deserialize)]
pub struct SellerDecisionRequest {
    pub decision: String,
    /// Told to the seller; required to reject or suspend.
    pub reason: Option<String>,
}

impl utoipa::PartialSchema for SellerDecisionRequest {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::RefOr::T(rules::seller_decision_request())
    }
}

impl ToSchema for SellerDecisionRequest {}

/// Which sellers to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SellerListParams {
    /// All when missing or empty.
    #[param(schema_with = rules::seller_status_filter)]
    pub status: Option<String>,
}
